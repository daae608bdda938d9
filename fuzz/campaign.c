// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-campaign: the bookkeeping of a campaign directory, for
 * scripts/campaign.sh (which only starts, watches and stops processes).
 * See docs/campaigns.md for the directory's layout.
 *
 *   prepare DIR SESSION --workers N [--seeds D]...
 *       make the session's directories; finish what earlier, killed runs
 *       left (a minimised corpus not swapped in; complete inputs not yet
 *       in the corpus); link the start set (the corpus and the seeds,
 *       minus inputs of reports)
 *   tick DIR SESSION --since EPOCH [--fuzzer BIN --alone]
 *       harvest, prune the start set, classify new reports, print the
 *       progress line
 *   prune DIR SESSION
 *       drop from the start set every input a report holds (a worker
 *       about to restart must not abort on it again)
 *   harvest DIR SESSION
 *       the final harvest: workers are gone; cut-short inputs are
 *       quarantined, the workers' directories emptied
 *   summary DIR SESSION --fuzzer BIN --workers N --seconds S [--alone]
 *           [--interrupted] [--minimised N] [--seeds D]...
 *       the final harvest, every report classified, the coverage of the
 *       corpus measured, the summary printed. Exit status 1 if the
 *       campaign holds reports (known upstream bugs are not), else 0.
 *
 * Reports are classified by this build's executor, each input in a child
 * process (classify.h), or with --alone through the fuzz target BIN.
 * Exit status 2 and one line "iopt-campaign: ..." on bad usage.
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

#include "classify.h"
#include "plant.h"
#include "sha1.h"

#define TIMEOUT		25	/* seconds per input, as the workers' -timeout */
#define TICK_CLASSIFY	200	/* reports classified per progress line */

static const char *dir, *sess, *fuzzer;
static bool alone, interrupted;
static long workers, since, seconds, minimised = -1;
static const char **seeds;
static int nr_seeds;
static struct iopt_run_opts opts;

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("iopt-campaign: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static char *join(const char *a, const char *b)
{
	char *p;

	if (asprintf(&p, "%s/%s", a, b) < 0)
		die("out of memory");
	return p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a directory, sorted, without dot files; NULL-terminated. */
static char **list_dir(const char *path, size_t *count)
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
				die("out of memory");
		}
		v[n++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	if (!v)
		v = calloc(1, sizeof(*v));
	v[n] = NULL;
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	if (count)
		*count = n;
	return v;
}

static void free_list(char **v)
{
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* The content of a file (at most IOPT_MAX_INPUT bytes) and its SHA-1; 0 or -1. */
static int hash_file(const char *path, char hex[IOPT_SHA1_HEX])
{
	static char *buf;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!buf && !(buf = malloc(IOPT_MAX_INPUT + 1)))
		die("out of memory");
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
static const char *report_hash(const char *name)
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

static long read_number(const char *path)
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

static void write_number(const char *path, long n)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%ld\n", n) < 0 || fclose(f))
		die("cannot write '%s': %s", path, strerror(errno));
}

/* ---- The corpus: one writer, complete inputs only, by link(2) --------- */

static unsigned long nr_added;

/* Move a cut-short input into quarantine/, under a name still free. */
static void quarantine(const char *path, const char *name)
{
	char *q = join(dir, "quarantine"), *to = NULL;

	mkdir(q, 0755);
	for (int i = 0; i < 1000; i++) {
		free(to);
		if (asprintf(&to, i ? "%s/%s.%d" : "%s/%s", q, name, i) < 0)
			die("out of memory");
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
	char *to = join(to_dir, name), *tmp = join(sess, "tmp/share.XXXXXX");
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
static bool worker_name(const char *name)
{
	return name[0] == 'w' && name[1] &&
	       strspn(name + 1, "0123456789") == strlen(name + 1);
}

/* The workers' output directories of a session: w0/new, w1/new, ... */
static char **worker_dirs(const char *session, size_t *count)
{
	char **names = list_dir(session, NULL), **v = calloc(1, sizeof(*v));
	size_t n = 0;

	for (char **p = names; *p && v; p++) {
		char *w = join(session, *p);

		if (worker_name(*p) || !strcmp(*p, "new")) {	/* "new": -fork's */
			v = realloc(v, (n + 2) * sizeof(*v));
			if (v)
				v[n++] = worker_name(*p) ? join(w, "new") : strdup(w);
		}
		free(w);
	}
	if (!v)
		die("out of memory");
	v[n] = NULL;
	free_list(names);
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
	char **names = list_dir(all[me], NULL), *corpus = join(dir, "corpus");

	for (char **p = names; *p; p++) {
		char hex[IOPT_SHA1_HEX], *from = join(all[me], *p), *to = join(corpus, *p);
		bool complete;

		if (!final && !access(to, F_OK))
			goto next;	/* in the corpus already */
		complete = is_file(from) && !hash_file(from, hex) && !strcmp(hex, *p);

		if (complete && !link(from, to)) {
			nr_added++;
			for (size_t i = 0; all[i] && !final; i++)
				if (i != me)
					share(from, all[i], *p);
		}
		if (final && complete && !hash_file(to, hex) && !strcmp(hex, *p))
			unlink(from);	/* the corpus has it */
		else if (final && is_file(from))
			quarantine(from, *p);
next:
		free(from);
		free(to);
	}
	free_list(names);
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
static void harvest(bool final)
{
	char *count = join(sess, "harvested");

	nr_added = 0;
	harvest_session(sess, final);
	write_number(count, read_number(count) + nr_added);
	free(count);
}

/* ---- The start set: what the workers load ------------------------------- */

static void prune(void)
{
	char *reports = join(dir, "reports"), *start = join(sess, "start");
	char **names = list_dir(reports, NULL);
	int fd = open(start, O_RDONLY | O_DIRECTORY);

	for (char **p = names; *p && fd >= 0; p++) {
		const char *h = report_hash(*p);

		if (h && strncmp(*p, "known-", 6))
			unlinkat(fd, h, 0);
	}
	if (fd >= 0)
		close(fd);
	free_list(names);
	free(reports);
	free(start);
}

static void link_start(const char *from_dir)
{
	char **names = list_dir(from_dir, NULL), *start = join(sess, "start");

	for (char **p = names; *p; p++) {
		char hex[IOPT_SHA1_HEX], *from = join(from_dir, *p), *to;

		if (is_file(from) && !hash_file(from, hex)) {
			to = join(start, hex);
			if (link(from, to) && errno != EEXIST)
				(void)!symlink(from, to);	/* another file system */
			free(to);
		}
		free(from);
	}
	free_list(names);
	free(start);
}

/*
 * A minimisation that completed, but was not swapped in (the runner was
 * killed between its renames): the newest corpus.merged-* is the corpus.
 */
static void recover_merged(const char *corpus)
{
	char **names = list_dir(dir, NULL), *last = NULL;

	for (char **p = names; *p; p++)
		if (!strncmp(*p, "corpus.merged-", 14))
			last = *p;
	if (last && access(corpus, F_OK)) {
		char *from = join(dir, last);

		if (!rename(from, corpus))
			printf("iopt: campaign: %s, a minimised corpus, is the corpus now\n",
			       from);
		free(from);
	}
	free_list(names);
}

static void prepare(void)
{
	char *sessions = join(dir, "sessions"), **old = list_dir(sessions, NULL);
	const char *made[] = { "tmp", "start" };
	unsigned long recovered = 0;

	for (char **p = old; *p; p++) {
		char *s = join(sessions, *p), *t;

		if (strcmp(s, sess)) {
			nr_added = 0;
			harvest_session(s, true);
			recovered += nr_added;
			t = join(s, "start");
			iopt_remove_flat_dir(t);
			free(t);
			t = join(s, "tmp");
			rmdir(t);
			free(t);
		}
		free(s);
	}
	free_list(old);
	free(sessions);
	if (recovered)
		printf("iopt: campaign: recovered %lu inputs of an earlier, killed run\n",
		       recovered);
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		char *d = join(sess, made[i]);

		if (mkdir(d, 0755) && errno != EEXIST)
			die("cannot make '%s': %s", d, strerror(errno));
		free(d);
	}
	for (long i = 0; i < workers; i++) {
		char w[32], *d, *n;

		snprintf(w, sizeof(w), "w%ld", i);
		d = join(sess, w);
		n = join(d, "new");
		if ((mkdir(d, 0755) && errno != EEXIST) || (mkdir(n, 0755) && errno != EEXIST))
			die("cannot make '%s': %s", n, strerror(errno));
		free(d);
		free(n);
	}
	{
		char *corpus = join(dir, "corpus");

		link_start(corpus);
		free(corpus);
	}
	for (int i = 0; i < nr_seeds; i++)
		link_start(seeds[i]);
	prune();
}

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
			die("out of memory");
	}
	rows[nr_rows++] = (struct row){ strdup(name), strdup(sig),
					strdup(session), cls };
}

static void load_index(void)
{
	char *path = join(dir, "signatures.tsv"), *line = NULL;
	FILE *f = fopen(path, "r");
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		char *fld[4] = { NULL }, *p = line;
		int n = 0, c;

		line[strcspn(line, "\n")] = 0;
		while (n < 4 && p)
			fld[n++] = strsep(&p, "\t");
		if (n < 3 || !*fld[0] || !report_hash(fld[0]))
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
	return bsearch(&name, sorted_names, nr_rows, sizeof(char *), cmp_str);
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
static void classify_pending(size_t limit, bool final)
{
	char *reports = join(dir, "reports"), *path = join(dir, "signatures.tsv");
	char **names = list_dir(reports, NULL);
	const char **by_name = malloc((nr_rows + 1) * sizeof(*by_name));
	struct pending *todo = NULL;
	size_t n = 0, cap = 0;
	struct iopt_classifier c = {
		.fuzzer = alone ? fuzzer : NULL, .opts = &opts, .timeout = TIMEOUT,
	};
	const char *session = strrchr(sess, '/') ? strrchr(sess, '/') + 1 : sess;
	FILE *index;

	for (size_t i = 0; i < nr_rows; i++)
		by_name[i] = rows[i].name;
	qsort(by_name, nr_rows, sizeof(*by_name), cmp_str);
	sorted_names = by_name;
	for (char **p = names; *p; p++) {
		char hex[IOPT_SHA1_HEX], *f = join(reports, *p);
		const char *h = report_hash(*p);
		struct stat st;

		if (h && !indexed(*p) && !stat(f, &st) && S_ISREG(st.st_mode) &&
		    (final || (!hash_file(f, hex) && !strcmp(hex, h)))) {
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
		die("cannot write '%s': %s", path, strerror(errno));
	for (size_t i = 0; i < n; i++) {
		char sig[IOPT_CLASS_SIG_MAX], *f = join(reports, todo[i].name);
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
		die("cannot write '%s': %s", path, strerror(errno));
	free(todo);
	free_list(names);
	free(reports);
	free(path);
}

/* ---- Deduplication: one group per signature ----------------------------- */

struct group {
	const char *sig, *first;
	unsigned long count, fresh;
	bool known;
};

static struct group *groups;
static size_t nr_groups;

static void group_reports(void)
{
	const char *session = strrchr(sess, '/') ? strrchr(sess, '/') + 1 : sess;
	char *reports = join(dir, "reports");

	groups = calloc(nr_rows + 1, sizeof(*groups));
	nr_groups = 0;
	for (size_t i = 0; i < nr_rows; i++) {
		struct row *r = &rows[i];
		char *f = join(reports, r->name);
		size_t g;

		if (!iopt_class_is_report(r->cls) && r->cls != IOPT_CLASS_KNOWN)
			goto next;
		if (!is_file(f))
			goto next;
		for (g = 0; g < nr_groups; g++)
			if (!strcmp(groups[g].sig, r->sig) &&
			    groups[g].known == (r->cls == IOPT_CLASS_KNOWN))
				break;
		if (g == nr_groups) {
			groups[nr_groups++] = (struct group){
				r->sig, f, 0, 0, r->cls == IOPT_CLASS_KNOWN,
			};
			f = NULL;
		}
		groups[g].count++;
		groups[g].fresh += !strcmp(r->session, session);
next:
		free(f);
	}
	free(reports);
}

/* Inputs, groups and new inputs of real reports (known false) or known bugs. */
static void totals(bool known, unsigned long *inputs, unsigned long *sigs,
		   unsigned long *fresh)
{
	*inputs = *sigs = *fresh = 0;
	for (size_t g = 0; g < nr_groups; g++) {
		if (groups[g].known != known)
			continue;
		*inputs += groups[g].count;
		*sigs += 1;
		*fresh += groups[g].fresh;
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
 * The executions of one worker process: from its IOPT_STATS file, else
 * (another fuzz target) from libFuzzer's final or last status line.
 */
static unsigned long process_execs(const char *wdir, long n, char **log)
{
	char name[48], *path, *stats, *s;
	unsigned long execs = 0;

	snprintf(name, sizeof(name), "%ld.stats", n);
	path = join(wdir, name);
	stats = tail(path, 64);
	free(path);
	snprintf(name, sizeof(name), "%ld.log", n);
	path = join(wdir, name);
	*log = tail(path, 65536);
	free(path);
	if (stats && sscanf(stats, "execs %lu", &execs) == 1)
		goto out;
	s = *log ? strstr(*log, "stat::number_of_executed_units:") : NULL;
	execs = s ? strtoul(s + 31, NULL, 10) : last_status(*log, "#");
out:
	free(stats);
	return execs;
}

/* Executions of the session; the coverage of its busiest worker process. */
static void worker_stats(unsigned long *execs, unsigned long *cov)
{
	char **names = list_dir(sess, NULL);

	*execs = *cov = 0;
	for (char **w = names; *w; w++) {
		char *wdir = join(sess, *w), **files;

		if (!worker_name(*w))
			goto next;
		files = list_dir(wdir, NULL);
		for (char **f = files; *f; f++) {
			char *end, *log = NULL;
			long n = strtol(*f, &end, 10);

			if (end == *f || strcmp(end, ".log"))
				continue;
			*execs += process_execs(wdir, n, &log);
			if (log && last_status(log, " cov: ") > *cov)
				*cov = last_status(log, " cov: ");
			free(log);
		}
		free_list(files);
next:
		free(wdir);
	}
	free_list(names);
}

static unsigned long count_files(const char *path)
{
	size_t n;

	free_list(list_dir(path, &n));
	return n;
}

static unsigned long count_reports(void)
{
	char *reports = join(dir, "reports"), **names = list_dir(reports, NULL);
	unsigned long n = 0;

	for (char **p = names; *p; p++)
		n += report_hash(*p) && strncmp(*p, "known-", 6);
	free_list(names);
	free(reports);
	return n;
}

static void progress(void)
{
	unsigned long execs, cov, inputs, sigs, fresh, known, k2;
	long secs = time(NULL) - since;
	char *corpus = join(dir, "corpus");

	worker_stats(&execs, &cov);
	group_reports();
	totals(false, &inputs, &sigs, &fresh);
	totals(true, &known, &k2, &fresh);
	printf("  [%4lds] execs %lu (%lu/s)  coverage %lu edges  corpus %lu  reports %lu (%lu signatures)",
	       secs, execs, execs / (secs > 0 ? secs : 1), cov,
	       count_files(corpus), count_reports(), sigs);
	if (k2)
		printf("  known bugs %lu", k2);
	printf("\n");
	free(corpus);
}

/* ---- The summary ---------------------------------------------------------- */

/*
 * One pass of the fuzz target over the corpus (and the seeds): the edges
 * and features it reaches, and the edges instrumented. false if it did not
 * get through (a seed crashes the target, as under IOPT_PLANT).
 */
static bool coverage(bool with_seeds, unsigned long v[3])
{
	char *scratch = join(sess, "tmp/coverage"), *prefix, *out = NULL;
	char *corpus = join(dir, "corpus"), **argv;
	const char *s;
	int status, n = 0;
	bool ok = false;

	if (asprintf(&prefix, "-artifact_prefix=%s/", scratch) < 0)
		die("out of memory");
	mkdir(scratch, 0755);
	argv = calloc(nr_seeds + 6, sizeof(*argv));
	argv[n++] = (char *)fuzzer;
	argv[n++] = "-runs=0";
	argv[n++] = "-timeout=25";
	argv[n++] = prefix;
	argv[n++] = corpus;
	for (int i = 0; with_seeds && i < nr_seeds; i++)
		argv[n++] = (char *)seeds[i];
	if (!iopt_capture(argv, &out, &status) &&
	    (s = strstr(out, "INITED cov: ")) &&
	    sscanf(s, "INITED cov: %lu ft: %lu", &v[0], &v[1]) == 2) {
		s = strstr(out, " inline 8-bit counters)");
		while (s && s > out && s[-1] >= '0' && s[-1] <= '9')
			s--;
		v[2] = s ? strtoul(s, NULL, 10) : 0;
		ok = true;
	}
	iopt_remove_flat_dir(scratch);
	free(out);
	free(argv);
	free(prefix);
	free(corpus);
	free(scratch);
	return ok;
}

static void table(bool known, int width)
{
	printf("  %6s %5s  %-*s  %s\n", "count", "new", width,
	       known ? "known bug" : "signature", "first input");
	for (size_t g = 0; g < nr_groups; g++)
		if (groups[g].known == known)
			printf("  %6lu %5lu  %-*s  %s\n", groups[g].count,
			       groups[g].fresh, width, groups[g].sig,
			       groups[g].first);
}

static int summary(void)
{
	unsigned long execs, cov, v[3] = { 0 }, inputs, sigs, fresh;
	unsigned long kin, ksigs, kfresh;
	char *corpus = join(dir, "corpus"), *count = join(sess, "harvested");
	char *start = join(sess, "start"), self[4096];
	ssize_t n;
	int width = 9;
	bool with_seeds, cov_ok;

	harvest(true);
	classify_pending(0, true);
	iopt_remove_flat_dir(start);
	free(start);
	worker_stats(&execs, &cov);
	group_reports();
	totals(false, &inputs, &sigs, &fresh);
	totals(true, &kin, &ksigs, &kfresh);
	for (size_t g = 0; g < nr_groups; g++)
		if ((int)strlen(groups[g].sig) > width)
			width = strlen(groups[g].sig);
	with_seeds = coverage(true, v);
	cov_ok = with_seeds || (nr_seeds && coverage(false, v));

	printf("\n==== iopt-fuzz campaign summary ====\n");
	printf("campaign:    %s (%ld workers, %lds%s)\n", dir, workers, seconds,
	       interrupted ? ", interrupted" : "");
	printf("executions:  %lu (%lu/s)\n", execs, execs / (seconds > 0 ? seconds : 1));
	if (cov_ok)
		printf("coverage:    %lu of %lu edges in the kernel files, %lu features%s\n",
		       v[0], v[2], v[1], !with_seeds ?
		       " (the corpus alone: a seed crashes the target)" : "");
	else
		printf("coverage:    unknown\n");
	printf("corpus:      %lu inputs in %s (+%ld this run", count_files(corpus),
	       corpus, read_number(count));
	if (minimised >= 0)
		printf(", then minimised from %ld", minimised);
	printf(")\n");
	if (!sigs) {
		printf("reports:     none\n");
	} else {
		printf("reports:     %lu inputs, %lu signatures (%lu new in this run)\n",
		       inputs, sigs, fresh);
		table(false, width);
	}
	if (ksigs) {
		printf("known bugs:  %lu inputs, %lu known upstream bugs (%lu new in this run), not reports\n",
		       kin, ksigs, kfresh);
		table(true, width);
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	if (strrchr(self, '/'))
		strrchr(self, '/')[1] = 0;
	if (sigs || ksigs)
		printf("replay one:  %s%s <input>\n", alone ? fuzzer : self,
		       alone ? "" : "iopt-replay -v");
	free(corpus);
	free(count);
	return sigs ? 1 : 0;
}

/* ---- Command line ------------------------------------------------------- */

static long number(const char *opt, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < 0)
		die("%s wants a whole number, not '%s'", opt, v);
	return n;
}

int main(int argc, char **argv)
{
	static const char *const cmds[] = {
		"prepare", "tick", "prune", "harvest", "summary",
	};
	const char *cmd = argc > 1 ? argv[1] : "";
	struct stat st;
	size_t c;

	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		if (!strcmp(cmd, cmds[c]))
			break;
	if (c == sizeof(cmds) / sizeof(cmds[0]) || argc < 4)
		die("usage: iopt-campaign prepare|tick|prune|harvest|summary DIR SESSION [options] (see fuzz/campaign.c)");
	dir = argv[2];
	sess = argv[3];
	seeds = calloc(argc, sizeof(*seeds));
	for (int i = 4; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--alone") || !strcmp(o, "--interrupted")) {
			*(o[2] == 'a' ? &alone : &interrupted) = true;
			continue;
		}
		if (!v)
			die("%s needs a value", o);
		i++;
		if (!strcmp(o, "--workers"))
			workers = number(o, v);
		else if (!strcmp(o, "--since"))
			since = number(o, v);
		else if (!strcmp(o, "--seconds"))
			seconds = number(o, v);
		else if (!strcmp(o, "--minimised"))
			minimised = number(o, v);
		else if (!strcmp(o, "--fuzzer"))
			fuzzer = v;
		else if (!strcmp(o, "--seeds"))
			seeds[nr_seeds++] = v;
		else
			die("unknown option '%s'", o);
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		die("no campaign directory '%s'", dir);
	if ((alone || c == 4) && !fuzzer)
		die("%s needs --fuzzer", alone ? "--alone" : cmd);
	if (iopt_opts_from_env(&opts, "iopt-campaign") ||
	    iopt_verdict_init("iopt-campaign"))
		return 2;
	/* The runner stops on ^C; a job of ours is short, and ends first. */
	signal(SIGINT, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (c == 0) {
		char *s = join(dir, "sessions"), *d = join(dir, "corpus"), *r = join(dir, "reports");

		mkdir(s, 0755);
		recover_merged(d);
		mkdir(d, 0755);
		mkdir(r, 0755);
		free(s);
		free(d);
		free(r);
		if (mkdir(sess, 0755) && errno != EEXIST)
			die("cannot make '%s': %s", sess, strerror(errno));
		prepare();
		return 0;
	}
	if (stat(sess, &st) || !S_ISDIR(st.st_mode))
		die("no session directory '%s'", sess);
	load_index();
	switch (c) {
	case 1:
		harvest(false);
		prune();
		classify_pending(TICK_CLASSIFY, false);
		progress();
		return 0;
	case 2:
		prune();
		return 0;
	case 3:
		harvest(true);
		return 0;
	}
	return summary();
}
