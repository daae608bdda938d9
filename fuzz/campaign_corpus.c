// SPDX-License-Identifier: GPL-2.0-only
/* iopt-campaign (campaign.h): the corpus, written by one writer, and the start set. */
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

/* ---- The corpus: one writer, complete inputs only, by link(2) --------- */

static unsigned long nr_added;

/* Move a cut-short input into quarantine/, under a name still free. */
static void quarantine(const char *path, const char *name)
{
	char *q = camp_join(camp_dir, "quarantine"), *to = NULL;

	mkdir(q, 0755);
	for (int i = 0; i < 1000; i++) {
		free(to);
		if (asprintf(&to, i ? "%s/%s.%d" : "%s/%s", q, name, i) < 0)
			camp_die("out of memory");
		if (!link(path, to)) {
			unlink(path);
			printf("iopt: campaign: kept a cut-short input in %s\n", to);
			break;
		}
		if (errno != EEXIST)
			break;
	}
	free(to);
	free(q);
}

/* Give another worker a copy (a new file: libFuzzer rereads by mtime). */
static void share(const char *from, const char *to_dir, const char *name)
{
	char *to = camp_join(to_dir, name), *tmp = camp_join(camp_sess, "tmp/share.XXXXXX");
	int in = -1, out = -1;
	char buf[65536];
	ssize_t n;

	if (!access(to, F_OK))
		goto out;
	in = open(from, O_RDONLY);
	out = mkstemp(tmp);
	if (in < 0 || out < 0)
		goto out;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			goto out;
	if (!n)
		(void)!link(tmp, to);
out:
	if (out >= 0) {
		close(out);
		unlink(tmp);
	}
	if (in >= 0)
		close(in);
	free(to);
	free(tmp);
}

/* Whether name is "w<number>", a worker's directory. */
bool camp_worker_name(const char *name)
{
	return name[0] == 'w' && name[1] &&
	       strspn(name + 1, "0123456789") == strlen(name + 1);
}

/* The workers' output directories of a session: w0/new, w1/new, ... */
static char **worker_dirs(const char *session, size_t *count)
{
	char **names = camp_list_dir(session, NULL), **v = calloc(1, sizeof(*v));
	size_t n = 0;

	for (char **p = names; *p && v; p++) {
		char *w = camp_join(session, *p);

		if (camp_worker_name(*p) || !strcmp(*p, "new")) {	/* "new": -fork's */
			v = realloc(v, (n + 2) * sizeof(*v));
			if (v)
				v[n++] = camp_worker_name(*p) ? camp_join(w, "new") : strdup(w);
		}
		free(w);
	}
	if (!v)
		camp_die("out of memory");
	v[n] = NULL;
	camp_free_list(names);
	*count = n;
	return v;
}

/*
 * Link the complete inputs of one worker's directory into the corpus, and
 * share the new ones with the other workers. final: no worker is left;
 * what is in the corpus leaves the worker's directory, the rest goes to
 * quarantine, and the directory goes.
 */
static void harvest_one(char *const *all, size_t me, bool final)
{
	char **names = camp_list_dir(all[me], NULL), *corpus = camp_join(camp_dir, "corpus");

	for (char **p = names; *p; p++) {
		char hex[IOPT_SHA1_HEX], *from = camp_join(all[me], *p), *to = camp_join(corpus, *p);
		bool complete;

		if (!final && !access(to, F_OK))
			goto next;	/* in the corpus already */
		complete = camp_is_file(from) && !camp_hash_file(from, hex) && !strcmp(hex, *p);

		if (complete && !link(from, to)) {
			nr_added++;
			for (size_t i = 0; all[i] && !final; i++)
				if (i != me)
					share(from, all[i], *p);
		}
		if (final && complete && !camp_hash_file(to, hex) && !strcmp(hex, *p))
			unlink(from);	/* the corpus has it */
		else if (final && camp_is_file(from))
			quarantine(from, *p);
next:
		free(from);
		free(to);
	}
	camp_free_list(names);
	free(corpus);
	if (final) {
		rmdir(all[me]);
		*strrchr(all[me], '/') = 0;
		rmdir(all[me]);	/* the worker's directory, when it holds no log */
		strcat(all[me], "/new");
	}
}

static void harvest_session(const char *session, bool final)
{
	size_t n;
	char **all = worker_dirs(session, &n);

	for (size_t i = 0; i < n; i++)
		harvest_one(all, i, final);
	for (size_t i = 0; i < n; i++)
		free(all[i]);
	free(all);
}

/* Harvest this session, counting what it added in SESSION/harvested. */
void camp_harvest(bool final)
{
	char *count = camp_join(camp_sess, "harvested");

	nr_added = 0;
	harvest_session(camp_sess, final);
	camp_write_number(count, camp_read_number(count) + nr_added);
	free(count);
}

/* ---- The start set: what the workers load ------------------------------- */

void camp_prune(void)
{
	char *reports = camp_join(camp_dir, "reports"), *start = camp_join(camp_sess, "start");
	char **names = camp_list_dir(reports, NULL);
	int fd = open(start, O_RDONLY | O_DIRECTORY);

	for (char **p = names; *p && fd >= 0; p++) {
		const char *h = camp_report_hash(*p);

		if (h && strncmp(*p, "known-", 6))
			unlinkat(fd, h, 0);
	}
	if (fd >= 0)
		close(fd);
	camp_free_list(names);
	free(reports);
	free(start);
}

static void link_start(const char *from_dir)
{
	char **names = camp_list_dir(from_dir, NULL), *start = camp_join(camp_sess, "start");

	for (char **p = names; *p; p++) {
		char hex[IOPT_SHA1_HEX], *from = camp_join(from_dir, *p), *to;

		if (camp_is_file(from) && !camp_hash_file(from, hex)) {
			to = camp_join(start, hex);
			if (link(from, to) && errno != EEXIST)
				(void)!symlink(from, to);	/* another file system */
			free(to);
		}
		free(from);
	}
	camp_free_list(names);
	free(start);
}

/*
 * A minimisation that completed, but was not swapped in (the runner was
 * killed between its renames): the newest corpus.merged-* is the corpus.
 */
void camp_recover_merged(const char *corpus)
{
	char **names = camp_list_dir(camp_dir, NULL), *last = NULL;

	for (char **p = names; *p; p++)
		if (!strncmp(*p, "corpus.merged-", 14))
			last = *p;
	if (last && access(corpus, F_OK)) {
		char *from = camp_join(camp_dir, last);

		if (!rename(from, corpus))
			printf("iopt: campaign: %s, a minimised corpus, is the corpus now\n",
			       from);
		free(from);
	}
	camp_free_list(names);
}

void camp_prepare(void)
{
	char *sessions = camp_join(camp_dir, "sessions"), **old = camp_list_dir(sessions, NULL);
	const char *made[] = { "tmp", "start" };
	unsigned long recovered = 0;

	for (char **p = old; *p; p++) {
		char *s = camp_join(sessions, *p), *t;

		if (strcmp(s, camp_sess)) {
			nr_added = 0;
			harvest_session(s, true);
			recovered += nr_added;
			t = camp_join(s, "start");
			iopt_remove_flat_dir(t);
			free(t);
			t = camp_join(s, "tmp");
			rmdir(t);
			free(t);
		}
		free(s);
	}
	camp_free_list(old);
	free(sessions);
	if (recovered)
		printf("iopt: campaign: recovered %lu inputs of an earlier, killed run\n",
		       recovered);
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		char *d = camp_join(camp_sess, made[i]);

		if (mkdir(d, 0755) && errno != EEXIST)
			camp_die("cannot make '%s': %s", d, strerror(errno));
		free(d);
	}
	for (long i = 0; i < camp_workers; i++) {
		char w[32], *d, *n;

		snprintf(w, sizeof(w), "w%ld", i);
		d = camp_join(camp_sess, w);
		n = camp_join(d, "new");
		if ((mkdir(d, 0755) && errno != EEXIST) || (mkdir(n, 0755) && errno != EEXIST))
			camp_die("cannot make '%s': %s", n, strerror(errno));
		free(d);
		free(n);
	}
	{
		char *corpus = camp_join(camp_dir, "corpus");

		link_start(corpus);
		free(corpus);
	}
	for (int i = 0; i < camp_nr_seeds; i++)
		link_start(camp_seeds[i]);
	camp_prune();
}

