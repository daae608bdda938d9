// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-replay --repro DIR FILE (repro.h): check the arguments, minimize
 * (minimize.c), then write the reproducer's files. Everything written is
 * a function of FILE, the tree, the build and the environment's options:
 * no times, no host names.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <iopt/version.h>
#include "encode.h"
#include "known.h"
#include "kunit_gen.h"
#include "minimize.h"
#include "repro.h"
#include "run.h"

#define REPRO_MAX_INPUT	(1 << 20)

static const char *const env_opts[] = {
	"IOPT_PLANT", "IOPT_FORMAT", "IOPT_STRICT_KNOWN",
};

static int refuse(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "iopt-replay: --repro: ");
	fprintf(stderr, fmt, a, b);
	fprintf(stderr, "\n");
	return 2;
}

/* 0: DIR can be used (missing, or an empty directory). */
static int check_dir(const char *dir)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int used = 0;

	if (stat(dir, &st))
		return errno == ENOENT ? 0 :
		       refuse("cannot use '%s': %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return refuse("'%s' exists and is not a directory%s", dir, "");
	d = opendir(dir);
	if (!d)
		return refuse("cannot open '%s': %s", dir, strerror(errno));
	while ((de = readdir(d)))
		used |= strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return used ? refuse("'%s' exists and is not empty: a reproducer is never written over another%s",
			     dir, "") : 0;
}

static long read_input(const char *path, uint8_t *buf)
{
	struct stat st;
	FILE *f;
	size_t n;

	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		refuse("cannot read '%s': %s", path, "not a regular file");
		return -1;
	}
	f = fopen(path, "rb");
	if (!f) {
		refuse("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, REPRO_MAX_INPUT, f);
	fclose(f);
	return n;
}

/* mkdir -p */
static int make_dir(const char *dir)
{
	char *p = strdup(dir);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		mkdir(p, 0777);
		*s = '/';
	}
	if (mkdir(p, 0777) && errno != EEXIST) {
		refuse("cannot create '%s': %s", dir, strerror(errno));
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		refuse("cannot write '%s': %s", path, strerror(errno));
	return f;
}

static int write_bytes(const char *dir, const char *name, const uint8_t *b,
		       size_t n)
{
	FILE *f = open_out(dir, name);

	if (!f)
		return -1;
	fwrite(b, 1, n, f);
	return fclose(f) ? -1 : 0;
}

/* The environment the command ran with, as a shell prefix. */
static void env_prefix(char *buf, size_t n)
{
	buf[0] = 0;
	for (size_t i = 0; i < sizeof(env_opts) / sizeof(env_opts[0]); i++) {
		const char *v = getenv(env_opts[i]);
		size_t len = strlen(buf);

		if (v && *v)
			snprintf(buf + len, n - len, "%s=%s ", env_opts[i], v);
	}
}

/* The minimized program run verbosely: its trace and full report. */
static char *trace_of(const uint8_t *b, size_t n,
		      const struct iopt_run_opts *opts,
		      enum iopt_verdict (*run)(const uint8_t *, size_t,
					       const struct iopt_run_opts *))
{
	struct iopt_run_opts o = *opts;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	o.verbose = true;
	o.abort_on_report = false;
	o.force_fmt = 0;
	o.out = f;
	run(b, n, &o);
	fclose(f);
	return text;
}

/* The report's "what differs at op #N (op): ..." text. */
static void what_differs(const char *trace, char *what, size_t n)
{
	const char *p = strstr(trace, "\nwhat differs at op #");
	const char *end;

	what[0] = 0;
	if (!p || !(p = strstr(p, "): ")))
		return;
	p += 3;
	end = strchr(p, '\n');
	snprintf(what, n, "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
}

static void write_readme(FILE *f, const char *dir, const char *file,
			 const struct iopt_min_result *res, const char *env,
			 size_t in_len, size_t min_len)
{
	const char *sig = res->signature, *plant = getenv("IOPT_PLANT");
	const struct known_bug *known = known_of_signature(sig);
	char kunit_env[256] = "";

	/* a KUnit case runs the kernel's build: a bug planted at EL2 is not there */
	if (plant && *plant && !strstr(plant, "@hyp"))
		snprintf(kunit_env, sizeof(kunit_env), "IOPT_PLANT=%s ", plant);

	fprintf(f, "Reproducer of %s\n\n", sig);
	if (known)
		fprintf(f, "A known upstream bug: %s (%s%s%s).\n\n", known->what,
			known->versions, known->fix ? "; fixed by " : "",
			known->fix ? known->fix : "");
	fprintf(f, "Made by:  %siopt-replay --repro %s %s\n", env, dir, file);
	fprintf(f, "Minimized from %u ops (%zu bytes) to %u ops (%zu bytes) in %lu runs.\n\n",
		res->ops_before, in_len, res->ops_after, min_len, res->runs);
	fprintf(f, "Files:\n");
	fprintf(f, "  input      the minimized program (input format v2, docs/input-format.md)\n");
	fprintf(f, "  original   the input it was minimized from\n");
	fprintf(f, "  trace.txt  the op trace and the full report of input\n");
	fprintf(f, "  kunit.c    a KUnit test case for the tree (docs/reproducers.md)\n\n");
	fprintf(f, "Replay (exit 1 on a divergence; a known upstream bug exits 0 and\n");
	fprintf(f, "prints its signature):\n");
	fprintf(f, "  %siopt-replay -v %s/input\n\n", env, dir);
	fprintf(f, "Run the KUnit case in iopt-fuzz's KUnit shim, from a build directory\n");
	fprintf(f, "configured for the same tree (its comment says what it shows):\n");
	fprintf(f, "  %sbash scripts/kunit-case.sh BUILD_DIR %s/kunit.c\n\n",
		kunit_env, dir);
	fprintf(f, "Built with:\n");
	iopt_print_version(f);
}

static int write_repro(const char *dir, const char *file, const uint8_t *in,
		       size_t in_len, const struct iopt_prog *prog,
		       const struct iopt_run_opts *opts,
		       const struct iopt_min_result *res)
{
	static uint8_t min[IOPT_ENCODE_MAX];
	long n = iopt_encode(prog, min);
	char env[512], what[512];
	struct iopt_kunit_report rep = { .signature = res->signature };
	char *trace;
	FILE *f;
	int rc = 0;

	if (n < 0 || make_dir(dir) || write_bytes(dir, "original", in, in_len) ||
	    write_bytes(dir, "input", min, n))
		return -1;
	env_prefix(env, sizeof(env));
	trace = trace_of(min, n, opts, iopt_judge_run);	/* names the failed check */
	what_differs(trace ? trace : "", what, sizeof(what));
	rep.check = iopt_run_stats()->last_check;
	rep.side = iopt_run_stats()->last_side;
	rep.what = what;
	rep.plant = getenv("IOPT_PLANT");
	if (!(f = open_out(dir, "trace.txt"))) {
		free(trace);
		return -1;
	}
	fprintf(f, "$ %siopt-replay -v %s/input\n%s", env, dir, trace ? trace : "");
	rc |= fclose(f);
	free(trace);
	if (!(f = open_out(dir, "kunit.c")))
		return -1;
	if (iopt_repro_kunit_target) {
		/* the KUnit case's tree, as iopt_run sees it alone */
		rep.signature = iopt_repro_kunit_target(min, n, opts,
							&rep.base_checks);
		if (rep.signature && !rep.base_checks) {
			char *t = trace_of(min, n, opts, iopt_run);

			what_differs(t ? t : "", what, sizeof(what));
			free(t);
		}
		rep.check = rep.base_checks & IOPT_KUNIT_CHECK_TLB ? "tlb" :
			    rep.base_checks ? "review-alloc" :
			    iopt_run_stats()->last_check;
		rep.side = rep.base_checks ? "kernel" : iopt_run_stats()->last_side;
	}
	if (rep.signature)
		rc |= iopt_kunit_generate(f, prog, opts, &rep);
	else
		fprintf(f, "/*\n * %s: both trees keep their contracts, so no KUnit case written\n * against the io_pgtable_ops API can show this difference; see\n * trace.txt for what each tree did.\n */\n",
			res->signature);
	iopt_run_ports = iopt_tree_ports;
	rc |= fclose(f);
	if (!(f = open_out(dir, "README")))
		return -1;
	write_readme(f, dir, file, res, env, in_len, n);
	rc |= fclose(f);
	return rc ? -1 : 0;
}

const char *(*iopt_repro_kunit_target)(const uint8_t *data, size_t size,
					const struct iopt_run_opts *opts,
					unsigned int *base_checks);

int iopt_repro_main(int argc, char **argv, const struct iopt_run_opts *opts)
{
	static uint8_t in[REPRO_MAX_INPUT];
	static struct iopt_prog prog;
	struct iopt_min_result res;
	struct timespec t0, t1;
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: iopt-replay --repro DIR FILE\n");
		return 2;
	}
	if (check_dir(argv[0]))
		return 2;
	n = read_input(argv[1], in);
	if (n < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	iopt_decode(in, n, &prog);
	if (iopt_minimize(&prog, opts, &res))
		return refuse("'%s' ends in no report (it replays clean)%s",
			      argv[1], "");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (write_repro(argv[0], argv[1], in, n, &prog, opts, &res))
		return 2;
	printf("iopt-replay: --repro: %s: %u ops -> %u ops in %lu runs, %.2f s; wrote %s/{input,original,trace.txt,kunit.c,README}\n",
	       res.signature, res.ops_before, res.ops_after, res.runs,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       argv[0]);
	return 0;
}
