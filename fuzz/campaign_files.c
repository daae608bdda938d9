// SPDX-License-Identifier: GPL-2.0-only
/* iopt-campaign (campaign.h): paths, directory listings, hashes, numbers. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"

void camp_die(const char *fmt, ...)
{
	va_list ap;

	fputs("iopt-campaign: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

char *camp_join(const char *a, const char *b)
{
	char *p;

	if (asprintf(&p, "%s/%s", a, b) < 0)
		camp_die("out of memory");
	return p;
}

int camp_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a directory, sorted, without dot files; NULL-terminated. */
char **camp_list_dir(const char *path, size_t *count)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n + 1 >= cap) {
			cap = cap ? 2 * cap : 64;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				camp_die("out of memory");
		}
		v[n++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	if (!v)
		v = calloc(1, sizeof(*v));
	v[n] = NULL;
	if (n)
		qsort(v, n, sizeof(*v), camp_cmp_str);
	if (count)
		*count = n;
	return v;
}

void camp_free_list(char **v)
{
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

bool camp_is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* The content of a file (at most IOPT_MAX_INPUT bytes) and its SHA-1; 0 or -1. */
int camp_hash_file(const char *path, char hex[IOPT_SHA1_HEX])
{
	static char *buf;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!buf && !(buf = malloc(IOPT_MAX_INPUT + 1)))
		camp_die("out of memory");
	if (!f)
		return -1;
	n = fread(buf, 1, IOPT_MAX_INPUT + 1, f);
	if (ferror(f) || n > IOPT_MAX_INPUT) {
		fclose(f);
		return -1;
	}
	fclose(f);
	iopt_sha1_hex(buf, n, hex);
	return 0;
}

static bool is_hex40(const char *s)
{
	return strlen(s) == 40 && strspn(s, "0123456789abcdef") == 40;
}

/* A report input's name, "<kind>-<sha1>": its sha1, or NULL. */
const char *camp_report_hash(const char *name)
{
	static const char *const kinds[] = {
		"crash-", "leak-", "timeout-", "oom-", "known-",
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i]);

		if (!strncmp(name, kinds[i], n) && is_hex40(name + n))
			return name + n;
	}
	return NULL;
}

long camp_read_number(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = 0;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n;
}

void camp_write_number(const char *path, long n)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%ld\n", n) < 0 || fclose(f))
		camp_die("cannot write '%s': %s", path, strerror(errno));
}

