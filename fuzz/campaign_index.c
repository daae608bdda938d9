// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-campaign (campaign.h): the index of report inputs, their camp_groups by
 * signature, what the workers did, the progress line.
 */
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

/* ---- The index: signatures.tsv, one line per report input --------------- */

/*
 * "<name>\t<verdict>\t<signature>\t<session>" (the session that
 * classified it). Lines of the -fork runner, "<name>\t<signature>\t
 * batch|alone", are read too.
 */
struct row {
	char *name, *sig, *session;
	enum iopt_class cls;
};

static struct row *rows;
static size_t nr_rows, cap_rows;
static const char *const *sorted_names;	/* of rows, while looking up */

static void add_row(const char *name, enum iopt_class cls, const char *sig,
		    const char *session)
{
	if (nr_rows == cap_rows) {
		cap_rows = cap_rows ? 2 * cap_rows : 256;
		rows = realloc(rows, cap_rows * sizeof(*rows));
		if (!rows)
			camp_die("out of memory");
	}
	rows[nr_rows++] = (struct row){ strdup(name), strdup(sig),
					strdup(session), cls };
}

void camp_load_index(void)
{
	char *path = camp_join(camp_dir, "signatures.tsv"), *line = NULL;
	FILE *f = fopen(path, "r");
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		char *fld[4] = { NULL }, *p = line;
		int n = 0, c;

		line[strcspn(line, "\n")] = 0;
		while (n < 4 && p)
			fld[n++] = strsep(&p, "\t");
		if (n < 3 || !*fld[0] || !camp_report_hash(fld[0]))
			continue;
		c = iopt_class_parse(fld[1]);
		if (n == 4 && c >= 0)
			add_row(fld[0], c, fld[2], fld[3]);
		else if (n == 3 && (!strcmp(fld[2], "batch") || !strcmp(fld[2], "alone")))
			add_row(fld[0], strncmp(fld[1], "iopt: ", 6) ?
				IOPT_CLASS_CRASH : IOPT_CLASS_DIVERGENCE, fld[1], "");
	}
	if (f)
		fclose(f);
	free(line);
	free(path);
}

static bool indexed(const char *name)
{
	return bsearch(&name, sorted_names, nr_rows, sizeof(char *), camp_cmp_str);
}

struct pending {
	char *name;
	struct timespec mtime;
};

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Classify the report inputs not yet in the index, oldest first, at most
 * limit of them (0: all). Unless final, only those whose content matches
 * their name (complete).
 */
void camp_classify_pending(size_t limit, bool final)
{
	char *reports = camp_join(camp_dir, "reports"), *path = camp_join(camp_dir, "signatures.tsv");
	char **names = camp_list_dir(reports, NULL);
	const char **by_name = malloc((nr_rows + 1) * sizeof(*by_name));
	struct pending *todo = NULL;
	size_t n = 0, cap = 0;
	struct iopt_classifier c = {
		.fuzzer = camp_alone ? camp_fuzzer : NULL, .opts = &camp_opts, .timeout = TIMEOUT,
	};
	const char *session = strrchr(camp_sess, '/') ? strrchr(camp_sess, '/') + 1 : camp_sess;
	FILE *index;

	for (size_t i = 0; i < nr_rows; i++)
		by_name[i] = rows[i].name;
	qsort(by_name, nr_rows, sizeof(*by_name), camp_cmp_str);
	sorted_names = by_name;
	for (char **p = names; *p; p++) {
		char hex[IOPT_SHA1_HEX], *f = camp_join(reports, *p);
		const char *h = camp_report_hash(*p);
		struct stat st;

		if (h && !indexed(*p) && !stat(f, &st) && S_ISREG(st.st_mode) &&
		    (final || (!camp_hash_file(f, hex) && !strcmp(hex, h)))) {
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				todo = realloc(todo, cap * sizeof(*todo));
			}
			todo[n++] = (struct pending){ strdup(*p), st.st_mtim };
		}
		free(f);
	}
	sorted_names = NULL;
	free(by_name);
	if (n)
		qsort(todo, n, sizeof(*todo), cmp_pending);
	index = n ? fopen(path, "a") : NULL;
	if (n && !index)
		camp_die("cannot write '%s': %s", path, strerror(errno));
	for (size_t i = 0; i < n; i++) {
		char sig[IOPT_CLASS_SIG_MAX], *f = camp_join(reports, todo[i].name);
		enum iopt_class v;

		if (!limit || i < limit) {
			v = iopt_classify(&c, f, sig);
			add_row(todo[i].name, v, sig, session);
			fprintf(index, "%s\t%s\t%s\t%s\n", todo[i].name,
				iopt_class_name(v), sig, session);
			fflush(index);
		}
		free(f);
		free(todo[i].name);
	}
	if (index && fclose(index))
		camp_die("cannot write '%s': %s", path, strerror(errno));
	free(todo);
	camp_free_list(names);
	free(reports);
	free(path);
}

/* ---- Deduplication: one group per signature ----------------------------- */

struct camp_group *camp_groups;
size_t camp_nr_groups;

void camp_group_reports(void)
{
	const char *session = strrchr(camp_sess, '/') ? strrchr(camp_sess, '/') + 1 : camp_sess;
	char *reports = camp_join(camp_dir, "reports");

	camp_groups = calloc(nr_rows + 1, sizeof(*camp_groups));
	camp_nr_groups = 0;
	for (size_t i = 0; i < nr_rows; i++) {
		struct row *r = &rows[i];
		char *f = camp_join(reports, r->name);
		size_t g;

		if (!iopt_class_is_report(r->cls) && r->cls != IOPT_CLASS_KNOWN)
			goto next;
		if (!camp_is_file(f))
			goto next;
		for (g = 0; g < camp_nr_groups; g++)
			if (!strcmp(camp_groups[g].sig, r->sig) &&
			    camp_groups[g].known == (r->cls == IOPT_CLASS_KNOWN))
				break;
		if (g == camp_nr_groups) {
			camp_groups[camp_nr_groups++] = (struct camp_group){
				r->sig, f, 0, 0, r->cls == IOPT_CLASS_KNOWN,
			};
			f = NULL;
		}
		camp_groups[g].count++;
		camp_groups[g].fresh += !strcmp(r->session, session);
next:
		free(f);
	}
	free(reports);
}

/* Inputs, camp_groups and new inputs of real reports (known false) or known bugs. */
void camp_totals(bool known, unsigned long *inputs, unsigned long *sigs,
		   unsigned long *fresh)
{
	*inputs = *sigs = *fresh = 0;
	for (size_t g = 0; g < camp_nr_groups; g++) {
		if (camp_groups[g].known != known)
			continue;
		*inputs += camp_groups[g].count;
		*sigs += 1;
		*fresh += camp_groups[g].fresh;
	}
}

/* ---- What the workers did: their stats files and logs ------------------- */

/* The last bytes of a file, NUL-terminated, to free. */
static char *tail(const char *path, size_t max)
{
	int fd = open(path, O_RDONLY);
	char *buf = NULL;
	off_t end;
	ssize_t n;

	if (fd < 0)
		return NULL;
	end = lseek(fd, 0, SEEK_END);
	buf = malloc(max + 1);
	if (buf && end >= 0) {
		n = pread(fd, buf, max, end > (off_t)max ? end - (off_t)max : 0);
		buf[n > 0 ? n : 0] = 0;
	}
	close(fd);
	return buf;
}

/* The last libFuzzer status line's number after key ("#", " cov: "). */
static unsigned long last_status(const char *log, const char *key)
{
	unsigned long v = 0;

	for (const char *l = log; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		const char *k;

		if (*l != '#' || !(k = strstr(l, key)) || memchr(l, '\n', k - l))
			continue;
		v = strtoul(k + strlen(key), NULL, 10);
	}
	return v;
}

/*
 * The executions of one worker process, and what its executor did not run
 * or compared in part (added to *lim): from its IOPT_STATS file, else
 * (another fuzz target) the executions from libFuzzer's final or last
 * status line. A stats file an older iopt-fuzz wrote has fewer fields (no
 * alloc-cut before 2026-12-01): those it has count, the others are 0.
 */
static unsigned long process_execs(const char *wdir, long n, char **log,
				   struct camp_limits *lim)
{
	char name[48], *path, *stats, *s;
	unsigned long execs = 0;
	struct camp_limits l = { 0 };

	snprintf(name, sizeof(name), "%ld.stats", n);
	path = camp_join(wdir, name);
	stats = tail(path, 256);
	free(path);
	snprintf(name, sizeof(name), "%ld.log", n);
	path = camp_join(wdir, name);
	*log = tail(path, 65536);
	free(path);
	if (stats && sscanf(stats, "execs %lu skipped %lu degenerate %lu cmo-cut %lu tlb-cut %lu dirty-cut %lu alloc-cut %lu",
			    &execs, &l.skipped, &l.degenerate, &l.cmo_cut,
			    &l.tlb_cut, &l.dirty_cut, &l.alloc_cut) >= 1) {
		lim->skipped += l.skipped;
		lim->degenerate += l.degenerate;
		lim->cmo_cut += l.cmo_cut;
		lim->tlb_cut += l.tlb_cut;
		lim->dirty_cut += l.dirty_cut;
		lim->alloc_cut += l.alloc_cut;
		goto out;
	}
	s = *log ? strstr(*log, "stat::number_of_executed_units:") : NULL;
	execs = s ? strtoul(s + 31, NULL, 10) : last_status(*log, "#");
out:
	free(stats);
	return execs;
}

/*
 * Executions of the session, and what its executors did not run or
 * compared in part; the coverage of its busiest worker process.
 */
void camp_worker_stats(unsigned long *execs, unsigned long *cov,
		       struct camp_limits *lim)
{
	char **names = camp_list_dir(camp_sess, NULL);

	*execs = *cov = 0;
	memset(lim, 0, sizeof(*lim));
	for (char **w = names; *w; w++) {
		char *wdir = camp_join(camp_sess, *w), **files;

		if (!camp_worker_name(*w))
			goto next;
		files = camp_list_dir(wdir, NULL);
		for (char **f = files; *f; f++) {
			char *end, *log = NULL;
			long n = strtol(*f, &end, 10);

			if (end == *f || strcmp(end, ".log"))
				continue;
			*execs += process_execs(wdir, n, &log, lim);
			if (log && last_status(log, " cov: ") > *cov)
				*cov = last_status(log, " cov: ");
			free(log);
		}
		camp_free_list(files);
next:
		free(wdir);
	}
	camp_free_list(names);
}

unsigned long camp_count_files(const char *path)
{
	size_t n;

	camp_free_list(camp_list_dir(path, &n));
	return n;
}

static unsigned long count_reports(void)
{
	char *reports = camp_join(camp_dir, "reports"), **names = camp_list_dir(reports, NULL);
	unsigned long n = 0;

	for (char **p = names; *p; p++)
		n += camp_report_hash(*p) && strncmp(*p, "known-", 6);
	camp_free_list(names);
	free(reports);
	return n;
}

void camp_progress(void)
{
	unsigned long execs, cov, inputs, sigs, fresh, known, k2;
	long secs = time(NULL) - camp_since;
	char *corpus = camp_join(camp_dir, "corpus");
	struct camp_limits lim;

	camp_worker_stats(&execs, &cov, &lim);
	camp_group_reports();
	camp_totals(false, &inputs, &sigs, &fresh);
	camp_totals(true, &known, &k2, &fresh);
	printf("  [%4lds] execs %lu (%lu/s)  coverage %lu edges  corpus %lu  reports %lu (%lu signatures)",
	       secs, execs, execs / (secs > 0 ? secs : 1), cov,
	       camp_count_files(corpus), count_reports(), sigs);
	if (k2)
		printf("  known bugs %lu", k2);
	printf("\n");
	free(corpus);
}

