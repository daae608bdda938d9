// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-minimize roundtrip FILE|DIR...: the encoder inverts the decoder:
 * for every input given and 20000 pseudo-random byte strings (a fixed
 * seed), decode(encode(decode(b))) == decode(b), and encoding is
 * canonical (the bytes of a program encode back to themselves).
 *
 * test-minimize minimize SEED S2_SEED: the minimizer keeps the report of
 * each planted bug (never a known upstream bug met first) on SEED, and of
 * the hyp port's on S2_SEED (a stage-2 program: the hyp port of a pKVM
 * series tree builds nothing else), ends with a program from which no
 * single op can be dropped, does the same twice, and refuses a program
 * that replays clean. Where every non-coherent program ends at a known
 * bug (IOPT_TEST_NONCOHERENT_KNOWN, tests/CMakeLists.txt), the seeds are
 * coherent and the cache maintenance plant is not run.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "encode.h"
#include "minimize.h"
#include "plant.h"

/* EXPECT() with a line saying what went wrong. */
#define EXPECT(cond, ...) do {						\
	if (!check_one(!!(cond), #cond, __FILE__, __LINE__)) {		\
		fprintf(stderr, "    ");				\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
	}								\
} while (0)

static unsigned long checked;

static void roundtrip(const uint8_t *b, size_t n, const char *what)
{
	static struct iopt_prog p, q;
	static uint8_t e[IOPT_ENCODE_MAX], e2[IOPT_ENCODE_MAX];
	long len, len2;

	iopt_decode(b, n, &p);
	len = iopt_encode(&p, e);
	EXPECT(len >= 8, "%s: the decoded program does not encode", what);
	iopt_decode(e, len, &q);
	EXPECT(iopt_prog_equal(&p, &q), "%s: decode(encode(p)) != p", what);
	len2 = iopt_encode(&q, e2);
	EXPECT(len2 == len && !memcmp(e, e2, len), "%s: two encodings of one program", what);
	checked++;
}

static void roundtrip_file(const char *path)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		EXPECT(f, "cannot read %s", path);
		return;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	roundtrip(buf, n, path);
}

static void roundtrip_path(const char *path)
{
	struct dirent *de;
	struct stat st;
	char sub[4096];
	DIR *d;

	if (stat(path, &st)) {
		EXPECT(0, "no such file %s", path);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		roundtrip_file(path);
		return;
	}
	d = opendir(path);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			roundtrip_file(sub);
		}
	closedir(d);
}

static void roundtrip_random(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	uint8_t b[256];

	for (int i = 0; i < 20000; i++) {
		size_t n = 8 + (i % 200);

		for (size_t k = 0; k < n; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[k] = x;
		}
		roundtrip(b, n, "random bytes");
	}
}

/* ---- the minimizer ----------------------------------------------------------- */

struct seed {
	uint8_t b[1 << 16];
	size_t len;
};
static struct seed seed, s2_seed;

static const char *sig_of(const struct iopt_prog *p, const struct iopt_run_opts *o)
{
	static uint8_t b[IOPT_ENCODE_MAX];
	long n = iopt_encode(p, b);

	return iopt_run(b, n, o) == IOPT_CLEAN ? "clean" :
	       iopt_run_stats()->last_signature;
}

static void minimize_one(const char *name, const struct iopt_run_opts *o,
			 const struct seed *sd)
{
	static struct iopt_prog p, again, less;
	struct iopt_min_result res, res2;
	char sig[96];

	iopt_decode(sd->b, sd->len, &p);
	snprintf(sig, sizeof(sig), "%s", sig_of(&p, o));
	EXPECT(strcmp(sig, "clean"), "%s: the seed replays clean", name);
	EXPECT(strncmp(sig, "known:", 6), "%s: the seed ends at %s before the plant shows",
	       name, sig);
	EXPECT(!iopt_minimize(&p, o, &res), "%s: not minimized", name);
	EXPECT(!strcmp(res.signature, sig) && !strcmp(sig_of(&p, o), sig),
	      "%s: the signature changed: %s, was %s", name, sig_of(&p, o), sig);
	EXPECT(res.ops_after == p.nops && res.ops_after < res.ops_before,
	      "%s: %u ops, from %u", name, p.nops, res.ops_before);
	/* 1-minimal: every op is needed */
	for (unsigned int i = 0; i < p.nops; i++) {
		less = p;
		memmove(&less.ops[i], &less.ops[i + 1],
			(p.nops - i - 1) * sizeof(p.ops[0]));
		less.nops--;
		EXPECT(strcmp(sig_of(&less, o), sig),
		      "%s: op #%u can be dropped and the report stays", name, i);
	}
	/* deterministic */
	iopt_decode(sd->b, sd->len, &again);
	EXPECT(!iopt_minimize(&again, o, &res2) && iopt_prog_equal(&p, &again) &&
	      res.runs == res2.runs, "%s: a second minimization differs", name);
	printf("test-minimize: %s: %s: %u ops -> %u in %lu runs\n", name, sig,
	       res.ops_before, res.ops_after, res.runs);
}

static void minimize_all(void)
{
	struct iopt_run_opts o = { .out = fopen("/dev/null", "w") };
	static struct iopt_prog p;
	struct iopt_min_result res;

	o.drv_plant[IOPT_ROLE_KERNEL].skip_add_page_nth = 1;
	minimize_one("skip-add-page@kernel", &o, &seed);
	memset(&o.drv_plant, 0, sizeof(o.drv_plant));
#ifndef IOPT_TEST_NONCOHERENT_KNOWN
	o.knobs[IOPT_ROLE_KERNEL].short_cmo_nth = 3;
	minimize_one("short-cmo@kernel:3", &o, &seed);
	o.knobs[IOPT_ROLE_KERNEL].short_cmo_nth = 0;
#else
	printf("test-minimize: short-cmo@kernel:3 not run: every non-coherent program ends at known:flush-incoherent-cpu-address\n");
#endif
	o.knobs[IOPT_ROLE_HYP].leak_page_nth = 2;
	minimize_one("leak-table@hyp:2", &o, &s2_seed);
	o.knobs[IOPT_ROLE_HYP].leak_page_nth = 0;
	iopt_decode(seed.b, seed.len, &p);
	EXPECT(iopt_minimize(&p, &o, &res) == -1, "a clean program was minimized");
}

static int read_seed(const char *path, struct seed *sd)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "test-minimize: cannot read %s\n", path);
		return -1;
	}
	sd->len = fread(sd->b, 1, sizeof(sd->b), f);
	fclose(f);
	return 0;
}

/*
 * iopt_plant_clear() (the generator's run of a case's program without its
 * plant) leaves nothing of any bug IOPT_PLANT names, in every role.
 */
static void plant_clear_all(void)
{
	static const struct iopt_run_opts zero;
	char *names = strdup(iopt_plant_names), *name, *save, why[160], spec[64];
	unsigned long n = 0;

	EXPECT(names && strchr(names, ','), "iopt_plant_names: no names");
	if (!names || !strchr(names, ','))
		return;
	*strchr(names, ',') = 0;	/* the names end where the roles begin */
	for (name = strtok_r(names, " ", &save); name;
	     name = strtok_r(NULL, " ", &save)) {
		struct iopt_run_opts o = { 0 };

		snprintf(spec, sizeof(spec), "%s@all", name);
		EXPECT(!iopt_plant_parse(spec, &o, why, sizeof(why)),
		       "%s does not parse: %s", spec, why);
		EXPECT(memcmp(&o, &zero, sizeof(o)), "%s plants nothing", spec);
		iopt_plant_clear(&o);
		EXPECT(!memcmp(&o, &zero, sizeof(o)),
		       "iopt_plant_clear() leaves some of %s", spec);
		n++;
	}
	free(names);
	EXPECT(n > 30, "only %lu bug names in iopt_plant_names", n);
	printf("test-minimize: iopt_plant_clear() clears each of %lu planted bugs\n", n);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "plant-clear")) {
		plant_clear_all();
		return TEST_DONE();
	}
	if (argc > 1 && !strcmp(argv[1], "roundtrip")) {
		for (int i = 2; i < argc; i++)
			roundtrip_path(argv[i]);
		roundtrip_random();
		printf("test-minimize: %lu programs encode back to themselves\n", checked);
		return TEST_DONE();
	}
	if (argc == 4 && !strcmp(argv[1], "minimize")) {
		if (read_seed(argv[2], &seed) || read_seed(argv[3], &s2_seed))
			return 2;
		minimize_all();
		return TEST_DONE();
	}
	fprintf(stderr, "usage: test-minimize roundtrip FILE|DIR... | minimize SEED S2_SEED | plant-clear\n");
	return 2;
}
