// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests for the independent descriptor decoder and the canonical image:
 * hand-built tables in a simulated physical memory, corrupted tables, and
 * a robustness loop over random table contents. Also the emulated IOMMU
 * TLB's staleness check (fuzz/device.c), which reads tables through the
 * decoder.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iopt/asan.h>

#include "check.h"
#include "decode.h"
#include "device.h"
#include "image.h"

/* ---- simulated physical memory ---- */

#define MAX_ALLOCS 16

struct alloc {
	uint64_t base, size;
	unsigned char *host;
};

struct sim {
	struct alloc a[MAX_ALLOCS];
	int n;
};

static const void *sim_lookup(void *ctx, uint64_t pa, uint64_t *base,
			      uint64_t *size)
{
	struct sim *s = ctx;
	int i;

	for (i = 0; i < s->n; i++) {
		struct alloc *a = &s->a[i];

		if (pa >= a->base && pa - a->base < a->size) {
			*base = a->base;
			*size = a->size;
			return a->host;
		}
	}
	return NULL;
}

/* Exact-size host buffer, so ASan catches any read beyond the allocation. */
static uint64_t *sim_alloc(struct sim *s, uint64_t pa, uint64_t size)
{
	struct alloc *a = &s->a[s->n++];

	a->base = pa;
	a->size = size;
	a->host = calloc(1, size);
	return (uint64_t *)a->host;
}

static void sim_free(struct sim *s)
{
	while (s->n)
		free(s->a[--s->n].host);
}

/* ---- recording visitor ---- */

#define MAX_REC 64

struct rec {
	struct iopt_leaf leaf[MAX_REC];
	struct iopt_problem prob[MAX_REC];
	uint64_t table_pa[MAX_REC];
	int table_level[MAX_REC];
	unsigned int table_n[MAX_REC];
	int nleaf, nprob, ntable;
	size_t table_words;	/* sum of entries over visited tables */
	uint64_t prev_end;
	int order_bad, align_bad;
};

static void rec_leaf(void *ctx, const struct iopt_leaf *l)
{
	struct rec *r = ctx;

	if (r->nleaf && l->iova < r->prev_end)
		r->order_bad++;
	if (l->pa & (l->size - 1))
		r->align_bad++;
	r->prev_end = l->iova + l->size;
	if (r->nleaf < MAX_REC)
		r->leaf[r->nleaf] = *l;
	r->nleaf++;
}

static void rec_table(void *ctx, uint64_t pa, int level, unsigned int entries,
		      uint64_t iova)
{
	struct rec *r = ctx;

	if (r->ntable < MAX_REC) {
		r->table_pa[r->ntable] = pa;
		r->table_level[r->ntable] = level;
		r->table_n[r->ntable] = entries;
	}
	r->ntable++;
	r->table_words += entries;
}

static void rec_prob(void *ctx, const struct iopt_problem *p)
{
	struct rec *r = ctx;

	if (r->nprob < MAX_REC)
		r->prob[r->nprob] = *p;
	r->nprob++;
}

static int run(const struct iopt_dec_cfg *cfg, struct sim *s, struct rec *r)
{
	struct iopt_dec_mem mem = { .ctx = s, .lookup = sim_lookup };
	struct iopt_dec_visitor v = {
		.ctx = r, .leaf = rec_leaf, .table = rec_table,
		.problem = rec_prob,
	};

	memset(r, 0, sizeof(*r));
	return iopt_dec_walk(cfg, &mem, &v);
}

static int run_range(const struct iopt_dec_cfg *cfg, struct sim *s,
		     struct rec *r, uint64_t lo, uint64_t hi)
{
	struct iopt_dec_mem mem = { .ctx = s, .lookup = sim_lookup };
	struct iopt_dec_visitor v = {
		.ctx = r, .leaf = rec_leaf, .table = rec_table,
		.problem = rec_prob,
	};

	memset(r, 0, sizeof(*r));
	return iopt_dec_walk_range(cfg, &mem, lo, hi, &v);
}

struct steps {
	int level[8];
	uint64_t iova[8], pa[8];
	int n;
};

static void rec_step(void *ctx, int level, uint64_t iova, uint64_t table_pa)
{
	struct steps *st = ctx;

	if (st->n < 8) {
		st->level[st->n] = level;
		st->iova[st->n] = iova;
		st->pa[st->n] = table_pa;
	}
	st->n++;
}

static int translate(const struct iopt_dec_cfg *cfg, struct sim *s,
		     uint64_t iova, int level, uint64_t table,
		     struct steps *st, struct iopt_leaf *l)
{
	static const struct iopt_dec_step step = { .table = rec_step };
	struct iopt_dec_mem mem = { .ctx = s, .lookup = sim_lookup };

	memset(st, 0, sizeof(*st));
	return iopt_dec_translate(cfg, &mem, iova, level, table, &step, st, l);
}

static int image(struct iopt_image *img, const struct iopt_dec_cfg *cfg,
		 struct sim *s)
{
	struct iopt_dec_mem mem = { .ctx = s, .lookup = sim_lookup };

	return iopt_image_build(img, cfg, &mem);
}

/* iopt_image_same_range() of two trees, all of them (lo > hi), each in its own memory */
static bool image_same(const struct iopt_dec_cfg *ca, struct sim *sa,
		       const struct iopt_dec_cfg *cb, struct sim *sb)
{
	struct iopt_dec_mem ma = { .ctx = sa, .lookup = sim_lookup };
	struct iopt_dec_mem mb = { .ctx = sb, .lookup = sim_lookup };

	return iopt_image_same_range(ca, &ma, cb, &mb, 1, 0, NULL);
}

/* ---- what a range walk reports, for iopt_image_same_range() ---- */

/*
 * Leaves, problems and tables in walk order, where they are left out
 * (words), and the tables as the walk tells them (tables: pa, level,
 * entries, iova).
 */
struct trail {
	uint64_t *w, *t;
	size_t nw, capw, nt, capt;
	int nprob;
	struct iopt_dec_visitor v;
};

static void trail_put(uint64_t **a, size_t *n, size_t *cap, uint64_t v)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*a = realloc(*a, *cap * sizeof(**a));
		if (!*a)
			abort();
	}
	(*a)[(*n)++] = v;
}

static void trail_word(struct trail *t, uint64_t v)
{
	trail_put(&t->w, &t->nw, &t->capw, v);
}

static void trail_leaf(void *ctx, const struct iopt_leaf *l)
{
	struct trail *t = ctx;

	trail_word(t, 1);
	trail_word(t, l->iova);
	trail_word(t, l->level);
	trail_word(t, l->pte);
	trail_word(t, l->pa);
}

static void trail_table(void *ctx, uint64_t pa, int level,
			unsigned int entries, uint64_t iova)
{
	struct trail *t = ctx;

	trail_word(t, 2);
	trail_word(t, level);
	trail_word(t, entries);
	trail_word(t, iova);
	trail_put(&t->t, &t->nt, &t->capt, pa);
	trail_put(&t->t, &t->nt, &t->capt, level);
	trail_put(&t->t, &t->nt, &t->capt, entries);
	trail_put(&t->t, &t->nt, &t->capt, iova);
}

static void trail_prob(void *ctx, const struct iopt_problem *p)
{
	struct trail *t = ctx;

	t->nprob++;
	trail_word(t, 3);
	trail_word(t, p->kind);
	trail_word(t, p->why);
	trail_word(t, p->level);
	trail_word(t, p->pte);
	trail_word(t, p->iova);
}

static const struct iopt_dec_visitor *trail_reset(struct trail *t)
{
	t->nw = t->nt = 0;
	t->nprob = 0;
	t->v = (struct iopt_dec_visitor){ .ctx = t, .leaf = trail_leaf,
					  .table = trail_table,
					  .problem = trail_prob };
	return &t->v;
}

static void trail_free(struct trail *t)
{
	free(t->w);
	free(t->t);
	memset(t, 0, sizeof(*t));
}

static int trail_range(const struct iopt_dec_cfg *c, struct sim *s,
		       uint64_t lo, uint64_t hi, struct trail *t)
{
	struct iopt_dec_mem mem = { .ctx = s, .lookup = sim_lookup };

	return iopt_dec_walk_range(c, &mem, lo, hi, trail_reset(t));
}

static bool trail_same_words(const struct trail *a, const struct trail *b)
{
	return a->nw == b->nw &&
	       (!a->nw || !memcmp(a->w, b->w, a->nw * sizeof(*a->w)));
}

static bool trail_same_tables(const struct trail *a, const struct trail *b)
{
	return a->nt == b->nt &&
	       (!a->nt || !memcmp(a->t, b->t, a->nt * sizeof(*a->t)));
}

/* iopt_image_same_range() of two trees, side b's tables told to list */
static bool range_same(const struct iopt_dec_cfg *ca, struct sim *sa,
		       const struct iopt_dec_cfg *cb, struct sim *sb,
		       uint64_t lo, uint64_t hi, struct trail *list)
{
	struct iopt_dec_mem ma = { .ctx = sa, .lookup = sim_lookup };
	struct iopt_dec_mem mb = { .ctx = sb, .lookup = sim_lookup };

	return iopt_image_same_range(ca, &ma, cb, &mb, lo, hi,
				     list ? trail_reset(list) : NULL);
}

/* What check_range_same() found: trees "the same", walks that differ */
struct range_tally {
	int same, differ;
};

/*
 * iopt_image_same_range() held to the range walks of both trees: "same"
 * only where they report the same leaves, problems and tables (but for
 * where tables are) in the same order, its listing of side b's tables
 * the walk's; must: the trees are known to be the same, so where the walk
 * finds no problem in the range, "same" it has to be. Returns the
 * failures; *got: what it said.
 */
static int check_range_same(const struct iopt_dec_cfg *ca, struct sim *sa,
			    const struct iopt_dec_cfg *cb, struct sim *sb,
			    uint64_t lo, uint64_t hi, bool must,
			    struct range_tally *n, bool *got)
{
	static struct trail ta, tb, tl;
	int ra = trail_range(ca, sa, lo, hi, &ta);
	int rb = trail_range(cb, sb, lo, hi, &tb);
	bool same = range_same(ca, sa, cb, sb, lo, hi, &tl);
	int bad = must && !ra && !same;

	if (same) {
		bad += ra < 0 || rb < 0 || ra != rb;
		bad += !trail_same_words(&ta, &tb);
		bad += !trail_same_tables(&tl, &tb);
		n->same++;
	}
	n->differ += ra != rb || !trail_same_words(&ta, &tb);
	if (bad && getenv("IOPT_TEST_VERBOSE"))
		fprintf(stderr, "range-same: said %d must %d lo 0x%llx hi 0x%llx ra %d rb %d\n",
			same, must, (unsigned long long)lo,
			(unsigned long long)hi, ra, rb);
	if (got)
		*got = same;
	return bad;
}

/* Exactly one problem, of this kind, at this level and entry address. */
#define EXPECT_PROB(ret, r, k, lvl, epa)			\
	do {							\
		CHECK_EQ(ret, 1);				\
		CHECK_EQ((r)->nprob, 1);			\
		CHECK_EQ((r)->prob[0].kind, k);			\
		CHECK_EQ((r)->prob[0].level, lvl);		\
		CHECK_EQ((r)->prob[0].entry_pa, epa);		\
	} while (0)

/* ---- descriptor builders (architecture bit positions) ---- */

#define AF		(1ULL << 10)
#define NG		(1ULL << 11)
#define SH(x)		((uint64_t)(x) << 8)
#define AP(x)		((uint64_t)(x) << 6)
#define NS		(1ULL << 5)
#define ATTR(x)		((uint64_t)(x) << 2)
#define MEMATTR(x)	((uint64_t)(x) << 2)
#define DBM		(1ULL << 51)
#define CONTIG		(1ULL << 52)
#define PXN		(1ULL << 53)
#define XN		(1ULL << 54)
#define SW55		(1ULL << 55)
#define NSTABLE		(1ULL << 63)

static uint64_t enc(unsigned int g, uint64_t pa)
{
	if (g < 16)
		return pa;
	return (pa & 0x0000ffffffff0000ULL) | ((pa >> 48) & 0xf) << 12;
}

static uint64_t tdesc(unsigned int g, uint64_t pa)
{
	return enc(g, pa) | 3;
}

static uint64_t page(unsigned int g, uint64_t pa, uint64_t attr)
{
	return enc(g, pa) | attr | 3;
}

static uint64_t block(unsigned int g, uint64_t pa, uint64_t attr)
{
	return enc(g, pa) | attr | 1;
}

/* ---- 4K stage-1 tree: L0 -> L1 -> L2 -> L3 ---- */

#define L3_ATTRS (AF | SH(3) | NG | AP(3) | NS | ATTR(2) | DBM | CONTIG | PXN | XN)

static struct iopt_dec_cfg cfg_4k(uint64_t ttbr)
{
	struct iopt_dec_cfg c = {
		.fmt = IOPT_FMT_ARM_64_S1, .granule_shift = 12, .ias = 48,
		.oas = 48, .start_level = 0, .pgd_entries = 512, .ttbr = ttbr,
		.table_attrs = NSTABLE,	/* an NS stage 1 */
	};
	return c;
}

static void tree_4k(struct sim *s, const uint64_t pa[4], uint64_t *t[4])
{
	int i;

	for (i = 0; i < 4; i++)
		t[i] = sim_alloc(s, pa[i], 4096);
	t[0][1] = tdesc(12, pa[1]) | NSTABLE | SW55;
	t[1][2] = block(12, 0x80000000, AF | SH(3) | ATTR(1));
	t[1][3] = tdesc(12, pa[2]) | NSTABLE;
	t[2][5] = block(12, 0x12200000, AF | XN);
	t[2][6] = tdesc(12, pa[3]) | NSTABLE;
	t[3][0] = page(12, 0x55555000, L3_ATTRS);
	t[3][7] = page(12, 0x66666000, AF);
}

static const uint64_t layout_a[4] = {
	0x40000000, 0x40001000, 0x40002000, 0x40003000,
};
static const uint64_t layout_b[4] = {
	0x9000000000, 0x7000, 0x123456000, 0x100000,
};

static void test_4k_s1(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c = cfg_4k(layout_a[0]);
	uint64_t *t[4];
	struct rec r;
	char buf[256];
	int ret, i;

	tree_4k(&s, layout_a, t);
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 0);
	CHECK_EQ(r.nleaf, 4);
	CHECK_EQ(r.ntable, 4);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(r.table_pa[i], layout_a[i]);
		CHECK_EQ(r.table_level[i], i);
		CHECK_EQ(r.table_n[i], 512);
	}
	CHECK_EQ(r.leaf[0].iova, 0x8080000000);
	CHECK_EQ(r.leaf[0].pa, 0x80000000);
	CHECK_EQ(r.leaf[0].size, 1ULL << 30);
	CHECK_EQ(r.leaf[0].level, 1);
	CHECK_EQ(r.leaf[0].attrindx, 1);
	CHECK_EQ(r.leaf[1].iova, 0x80c0a00000);
	CHECK_EQ(r.leaf[1].pa, 0x12200000);
	CHECK_EQ(r.leaf[1].size, 2ULL << 20);
	CHECK_EQ(r.leaf[1].level, 2);
	CHECK_EQ(r.leaf[1].xn, 1);
	CHECK_EQ(r.leaf[1].pxn, 0);
	CHECK_EQ(r.leaf[2].iova, 0x80c0c00000);
	CHECK_EQ(r.leaf[2].pa, 0x55555000);
	CHECK_EQ(r.leaf[2].size, 4096);
	CHECK_EQ(r.leaf[2].level, 3);
	CHECK_EQ(r.leaf[2].pte, t[3][0]);
	CHECK_EQ(r.leaf[2].attrindx, 2);
	CHECK_EQ(r.leaf[2].ap, 3);
	CHECK_EQ(r.leaf[2].sh, 3);
	CHECK_EQ(r.leaf[2].ns, 1);
	CHECK_EQ(r.leaf[2].ng, 1);
	CHECK_EQ(r.leaf[2].af, 1);
	CHECK_EQ(r.leaf[2].dbm, 1);
	CHECK_EQ(r.leaf[2].contig, 1);
	CHECK_EQ(r.leaf[2].pxn, 1);
	CHECK_EQ(r.leaf[2].xn, 1);
	CHECK_EQ(r.leaf[3].iova, 0x80c0c07000);
	CHECK_EQ(r.leaf[3].pa, 0x66666000);
	CHECK_EQ(r.leaf[3].ap, 0);
	CHECK_EQ(r.leaf[3].ng, 0);
	CHECK_EQ(r.order_bad, 0);

	CHECK(iopt_leaf_snprint(buf, sizeof(buf), &r.leaf[2], c.fmt) > 0);
	CHECK(strstr(buf, "iova 0x80c0c00000 -> pa 0x55555000") != NULL);
	CHECK(strstr(buf, "ap=3") != NULL);
	CHECK(iopt_leaf_snprint(NULL, 0, &r.leaf[2], c.fmt) > 0);

	/* a table descriptor without the NSTable the config asks for, and
	 * one with APTable: reported, and walked on all the same */
	t[1][3] &= ~NSTABLE;
	t[2][6] |= 1ULL << 61;
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 2);
	CHECK_EQ(r.nprob, 2);
	CHECK_EQ(r.prob[0].kind, IOPT_PROB_TABLE_ATTRS);
	CHECK_EQ(r.prob[0].entry_pa, layout_a[1] + 3 * 8);
	CHECK_EQ(r.prob[1].kind, IOPT_PROB_TABLE_ATTRS);
	CHECK_EQ(r.prob[1].level, 2);
	CHECK_EQ(r.nleaf, 4);
	CHECK(iopt_prob_snprint(buf, sizeof(buf), &r.prob[0]) > 0);
	CHECK(strstr(buf, "table-attrs at L1") != NULL);
	sim_free(&s);
}

/* Range-limited walks and single-IOVA hardware walks of the same tree. */
static void test_range_translate(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c = cfg_4k(layout_a[0]);
	struct iopt_leaf l;
	struct steps st;
	uint64_t *t[4];
	struct rec r;

	tree_4k(&s, layout_a, t);
	CHECK_EQ(run_range(&c, &s, &r, 0x80c0c00000, 0x80c0c00fff), 0);
	CHECK_EQ(r.nleaf, 1);
	CHECK_EQ(r.leaf[0].pa, 0x55555000);
	CHECK_EQ(r.leaf[0].entry_pa, layout_a[3]);
	CHECK_EQ(r.ntable, 4);
	CHECK_EQ(run_range(&c, &s, &r, 0x8080000000, 0x8080000000), 0);
	CHECK_EQ(r.nleaf, 1);
	CHECK_EQ(r.leaf[0].level, 1);
	CHECK_EQ(r.ntable, 2);
	CHECK_EQ(run_range(&c, &s, &r, 0x1000, 0x7fffffffff), 0);
	CHECK_EQ(r.nleaf, 0);
	CHECK_EQ(r.ntable, 1);
	CHECK_EQ(run_range(&c, &s, &r, 0x80c0a00000, 0x80c0c07000), 0);
	CHECK_EQ(r.nleaf, 3);

	CHECK_EQ(translate(&c, &s, 0x80c0c07123, 0, c.ttbr, &st, &l), IOPT_DEC_HIT);
	CHECK_EQ(l.pa, 0x66666000);
	CHECK_EQ(l.iova, 0x80c0c07000);
	CHECK_EQ(l.entry_pa, layout_a[3] + 7 * 8);
	CHECK_EQ(st.n, 3);
	CHECK_EQ(st.level[0], 1);
	CHECK_EQ(st.pa[0], layout_a[1]);
	CHECK_EQ(st.iova[0], 0x8000000000);
	CHECK_EQ(st.level[2], 3);
	CHECK_EQ(st.pa[2], layout_a[3]);
	CHECK_EQ(st.iova[2], 0x80c0c00000);
	/* from a walk-cache hit on the level-3 table */
	CHECK_EQ(translate(&c, &s, 0x80c0c07123, 3, layout_a[3], &st, &l), IOPT_DEC_HIT);
	CHECK_EQ(l.pa, 0x66666000);
	CHECK_EQ(st.n, 0);
	CHECK_EQ(translate(&c, &s, 0x80c0c01000, 0, c.ttbr, &st, &l), IOPT_DEC_FAULT_HOLE);
	CHECK_EQ(translate(&c, &s, 0x8080001234, 0, c.ttbr, &st, &l), IOPT_DEC_HIT);
	CHECK_EQ(l.pa, 0x80000000);
	CHECK_EQ(l.level, 1);
	/* a table pointer into nothing */
	t[2][6] = tdesc(12, 0x7700000000);
	CHECK_EQ(translate(&c, &s, 0x80c0c07123, 0, c.ttbr, &st, &l),
		 IOPT_DEC_FAULT_BAD_TABLE);
	sim_free(&s);
}

/* 4K stage 2, ias 40, start level 1: 2^40 / 2^30 = 1024 entries = 2 tables */
static void test_4k_s2_concat(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c = {
		.fmt = IOPT_FMT_ARM_64_S2, .granule_shift = 12, .ias = 40,
		.oas = 48, .start_level = 1, .pgd_entries = 1024,
		.ttbr = 0x100000,
	};
	uint64_t *pgd = sim_alloc(&s, 0x100000, 8192);
	uint64_t *l2 = sim_alloc(&s, 0x200000, 4096);
	uint64_t *l3 = sim_alloc(&s, 0x300000, 4096);
	struct rec r;
	char buf[256];
	int ret;

	pgd[700] = tdesc(12, 0x200000);
	pgd[1023] = block(12, 0x3fc0000000, AF | MEMATTR(1) | AP(1));
	l2[3] = tdesc(12, 0x300000);
	l3[9] = page(12, 0xabcde000,
		     AF | MEMATTR(0xf) | AP(3) | SH(2) | XN | DBM);
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 0);
	CHECK_EQ(r.ntable, 3);
	CHECK_EQ(r.table_n[0], 1024);
	CHECK_EQ(r.table_level[0], 1);
	CHECK_EQ(r.nleaf, 2);
	CHECK_EQ(r.leaf[0].iova, (700ULL << 30) + (3 << 21) + (9 << 12));
	CHECK_EQ(r.leaf[0].pa, 0xabcde000);
	CHECK_EQ(r.leaf[0].memattr, 0xf);
	CHECK_EQ(r.leaf[0].s2ap, 3);
	CHECK_EQ(r.leaf[0].sh, 2);
	CHECK_EQ(r.leaf[0].af, 1);
	CHECK_EQ(r.leaf[0].s2xn, 2);
	CHECK_EQ(r.leaf[0].dbm, 1);
	CHECK_EQ(r.leaf[1].iova, 1023ULL << 30);
	CHECK_EQ(r.leaf[1].size, 1ULL << 30);
	CHECK_EQ(r.leaf[1].memattr, 1);
	CHECK_EQ(r.leaf[1].s2ap, 1);
	iopt_leaf_snprint(buf, sizeof(buf), &r.leaf[0], c.fmt);
	CHECK(strstr(buf, "memattr=0xf s2ap=3") != NULL);

	/* a concatenated PGD must be aligned to its whole size (8K) */
	c.ttbr = 0x101000;
	sim_free(&s);
	sim_alloc(&s, 0x101000, 8192);
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_BAD_TTBR, 1, 0x101000);
	CHECK_EQ(r.prob[0].why, IOPT_PROB_TABLE_MISALIGNED);
	CHECK_EQ(r.ntable, 0);
	sim_free(&s);
}

static void test_16k(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c = {
		.fmt = IOPT_FMT_ARM_64_S1, .granule_shift = 14, .ias = 47,
		.oas = 48, .start_level = 1, .pgd_entries = 2048,
		.ttbr = 0x200000,
	};
	uint64_t *l1 = sim_alloc(&s, 0x200000, 16384);
	uint64_t *l2 = sim_alloc(&s, 0x204000, 16384);
	uint64_t *l3 = sim_alloc(&s, 0x208000, 16384);
	struct rec r;
	int ret;

	sim_alloc(&s, 0x210000, 4096);
	l1[1] = tdesc(14, 0x204000);
	l2[2] = block(14, 0x6000000, AF);
	l2[3] = tdesc(14, 0x208000);
	l3[4] = page(14, 0x1234c000, AF | SH(3));
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 0);
	CHECK_EQ(r.nleaf, 2);
	CHECK_EQ(r.leaf[0].iova, (1ULL << 36) + (2ULL << 25));
	CHECK_EQ(r.leaf[0].size, 32ULL << 20);
	CHECK_EQ(r.leaf[0].pa, 0x6000000);
	CHECK_EQ(r.leaf[1].iova, (1ULL << 36) + (3ULL << 25) + (4 << 14));
	CHECK_EQ(r.leaf[1].size, 16384);
	CHECK_EQ(r.leaf[1].pa, 0x1234c000);

	/* 16K allows blocks at level 2 only */
	l1[5] = block(14, 1ULL << 36, AF);
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_BLOCK_NOT_ALLOWED, 1, 0x200000 + 5 * 8);
	CHECK_EQ(r.prob[0].iova, 5ULL << 36);
	CHECK_EQ(r.prob[0].pte, l1[5]);
	l1[5] = 0;

	/* table address 4K- but not 16K-aligned */
	l1[6] = tdesc(14, 0x20d000);
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_TABLE_MISALIGNED, 1, 0x200000 + 6 * 8);
	l1[6] = 0;

	/* table in a 4K allocation */
	l1[7] = tdesc(14, 0x210000);
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_TABLE_TOO_SMALL, 1, 0x200000 + 7 * 8);
	l1[7] = 0;

	/* page address bits 13:12 are RES0 with a 16K granule */
	l3[5] = page(14, 0x1234d000, AF);
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_RES0_BITS, 3, 0x208000 + 5 * 8);
	sim_free(&s);
}

static void test_64k(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c = {
		.fmt = IOPT_FMT_ARM_64_S1, .granule_shift = 16, .ias = 52,
		.oas = 52, .start_level = 1, .pgd_entries = 1024,
		.ttbr = 0x1000000,
	};
	const uint64_t l3pa = 0x000c000000010000ULL;	/* table above 2^48 */
	uint64_t *l1 = sim_alloc(&s, 0x1000000, 8192);
	uint64_t *l2 = sim_alloc(&s, 0x2000000, 65536);
	uint64_t *l3 = sim_alloc(&s, l3pa, 65536);
	struct rec r;
	int ret;

	l1[0] = tdesc(16, 0x2000000);
	l1[1] = block(16, 0x000b040000000000ULL, AF);	/* 4T block */
	l2[1] = block(16, 0x000a000020000000ULL, AF);	/* 512M block */
	l2[2] = tdesc(16, l3pa);
	l3[3] = page(16, 0x000f123456780000ULL, AF | XN);
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 0);
	CHECK_EQ(r.ntable, 3);
	CHECK_EQ(r.table_pa[2], l3pa);
	CHECK_EQ(r.table_n[2], 8192);
	CHECK_EQ(r.nleaf, 3);
	CHECK_EQ(r.leaf[0].iova, 1ULL << 29);
	CHECK_EQ(r.leaf[0].pa, 0x000a000020000000ULL);
	CHECK_EQ(r.leaf[0].size, 512ULL << 20);
	CHECK_EQ(r.leaf[1].iova, (2ULL << 29) + (3 << 16));
	CHECK_EQ(r.leaf[1].pa, 0x000f123456780000ULL);
	CHECK_EQ(r.leaf[1].size, 65536);
	CHECK_EQ(r.leaf[1].xn, 1);
	CHECK_EQ(r.leaf[2].iova, 1ULL << 42);
	CHECK_EQ(r.leaf[2].pa, 0x000b040000000000ULL);
	CHECK_EQ(r.leaf[2].size, 1ULL << 42);
	CHECK_EQ(r.leaf[2].level, 1);

	/* with a 48-bit PA: no level-1 blocks, nothing above 2^48 */
	c.oas = 48;
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 3);
	CHECK_EQ(r.prob[0].kind, IOPT_PROB_OA_RANGE);	/* 512M block */
	CHECK_EQ(r.prob[0].level, 2);
	CHECK_EQ(r.prob[1].kind, IOPT_PROB_OA_RANGE);	/* table address */
	CHECK_EQ(r.prob[1].entry_pa, 0x2000000 + 2 * 8);
	CHECK_EQ(r.prob[2].kind, IOPT_PROB_BLOCK_NOT_ALLOWED);
	CHECK_EQ(r.prob[2].level, 1);
	CHECK_EQ(r.ntable, 2);
	sim_free(&s);
}

/*
 * The edges of the output size, descriptors written out by hand (not with
 * enc()). 64K granule, FEAT_LPA: OA[47:16] in bits 47:16, OA[51:48] in
 * bits 15:12; bits 49:48 RES0 in a leaf. Stage 2, ias 48, oas 52: a
 * 64-entry level-1 PGD.
 */
static void test_64k_edge(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c = {
		.fmt = IOPT_FMT_ARM_64_S2, .granule_shift = 16, .ias = 48,
		.oas = 52, .start_level = 1, .pgd_entries = 64,
		.ttbr = 0x1000000,
	};
	uint64_t *l1 = sim_alloc(&s, 0x1000000, 512);
	uint64_t *l2 = sim_alloc(&s, 0x2000000, 65536);
	uint64_t *l3 = sim_alloc(&s, 0x3000000, 65536);
	struct iopt_leaf l;
	struct steps st;
	struct rec r;
	int ret;

	l1[0] = 0x0000000002000003ULL;	/* table at 0x2000000 */
	l1[1] = 0x0000fc000000f401ULL;	/* 4T block, OA 0x000ffc0000000000 */
	l2[1] = 0x0000ffffe000f401ULL;	/* 512M block, OA 0x000fffffe0000000 */
	l2[2] = 0x0000000003000003ULL;	/* table at 0x3000000 */
	l3[3] = 0x0000fffffffef403ULL;	/* page, OA 0x000ffffffffe0000 */
	l3[4] = 0x000ffffffffe0403ULL;	/* OA[51:48] unpacked, in 51:48 */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_RES0_BITS, 3, 0x3000000 + 4 * 8);
	CHECK_EQ(r.nleaf, 4);
	CHECK_EQ(r.leaf[0].iova, 0x20000000);
	CHECK_EQ(r.leaf[0].pa, 0x000fffffe0000000ULL);
	CHECK_EQ(r.leaf[0].level, 2);
	CHECK_EQ(r.leaf[1].iova, 0x40030000);
	CHECK_EQ(r.leaf[1].pa, 0x000ffffffffe0000ULL);
	CHECK_EQ(r.leaf[1].size, 0x10000);
	CHECK_EQ(r.leaf[2].iova, 0x40040000);
	CHECK_EQ(r.leaf[2].pa, 0x0000fffffffe0000ULL);	/* 51:48 not OA */
	CHECK_EQ(r.leaf[3].iova, 1ULL << 42);
	CHECK_EQ(r.leaf[3].pa, 0x000ffc0000000000ULL);
	CHECK_EQ(r.leaf[3].size, 1ULL << 42);
	CHECK_EQ(r.leaf[3].level, 1);

	/* a device's walk: the same OA; past ias, the IOVA the walk indexes */
	CHECK_EQ(translate(&c, &s, 0x40031234, 1, c.ttbr, &st, &l), IOPT_DEC_HIT);
	CHECK_EQ(l.pa, 0x000ffffffffe0000ULL);
	CHECK_EQ(translate(&c, &s, (1ULL << 48) + 0x40031234, 1, c.ttbr, &st, &l),
		 IOPT_DEC_HIT);
	CHECK_EQ(l.iova, 0x40030000);
	CHECK_EQ(l.pa, 0x000ffffffffe0000ULL);
	CHECK_EQ(translate(&c, &s, 0x40040000, 1, c.ttbr, &st, &l),
		 IOPT_DEC_FAULT_BAD_ENTRY);

	/* oas 48: every OA above is past the output size; no level-1 block */
	l3[4] = 0;
	c.oas = 48;
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 3);
	CHECK_EQ(r.prob[0].kind, IOPT_PROB_OA_RANGE);
	CHECK_EQ(r.prob[0].entry_pa, 0x2000000 + 1 * 8);
	CHECK_EQ(r.prob[1].kind, IOPT_PROB_OA_RANGE);
	CHECK_EQ(r.prob[1].entry_pa, 0x3000000 + 3 * 8);
	CHECK_EQ(r.prob[2].kind, IOPT_PROB_BLOCK_NOT_ALLOWED);
	CHECK_EQ(translate(&c, &s, 0x40030000, 1, c.ttbr, &st, &l),
		 IOPT_DEC_FAULT_BAD_ENTRY);
	/* ... and the last page below 2^48, bits 15:12 clear, is fine */
	l3[3] = 0x0000ffffffff0403ULL;
	l1[1] = 0;
	l2[1] = 0;
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 0);
	CHECK_EQ(r.nleaf, 1);
	CHECK_EQ(r.leaf[0].pa, 0x0000ffffffff0000ULL);
	/* a table descriptor at or past 2^oas (oas 44) is not followed */
	c.oas = 44;
	l2[2] = 0x0000100003000003ULL;
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_OA_RANGE, 2, 0x2000000 + 2 * 8);
	CHECK_EQ(r.ntable, 2);
	sim_free(&s);
}

/* 4K, oas 44: bits 15:12 are OA[15:12]; 2^44 is past the output size. */
static void test_4k_oa_edge(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c4 = {
		.fmt = IOPT_FMT_ARM_64_S1, .granule_shift = 12, .ias = 39,
		.oas = 44, .start_level = 1, .pgd_entries = 512,
		.ttbr = 0x1000000,
	};
	uint64_t *t1 = sim_alloc(&s, 0x1000000, 4096);
	uint64_t *t2 = sim_alloc(&s, 0x2000000, 4096);
	uint64_t *t3 = sim_alloc(&s, 0x3000000, 4096);
	struct rec r;
	int ret;

	t1[0] = 0x0000000002000003ULL;
	t2[0] = 0x0000000003000003ULL;
	t3[1] = 0x000000000000f403ULL;	/* OA 0xf000 */
	t3[2] = 0x00000ffffffff403ULL;	/* the last page below 2^44 */
	t3[3] = 0x0000100000000403ULL;	/* OA 2^44 */
	ret = run(&c4, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_OA_RANGE, 3, 0x3000000 + 3 * 8);
	CHECK_EQ(r.nleaf, 3);
	CHECK_EQ(r.leaf[0].pa, 0xf000);
	CHECK_EQ(r.leaf[1].pa, 0x00000ffffffff000ULL);
	CHECK_EQ(r.leaf[2].pa, 0x0000100000000000ULL);
	sim_free(&s);
}

static void test_arm32(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c = {
		.fmt = IOPT_FMT_ARM_32_S1, .granule_shift = 12, .ias = 32,
		.oas = 40, .start_level = 1, .pgd_entries = 4, .ttbr = 0x1000,
	};
	uint64_t *pgd = sim_alloc(&s, 0x1000, 32);
	uint64_t *l2 = sim_alloc(&s, 0x2000, 4096);
	uint64_t *l3 = sim_alloc(&s, 0x3000, 4096);
	struct rec r;
	int ret;

	pgd[3] = tdesc(12, 0x2000);
	l2[0] = tdesc(12, 0x3000);
	l2[511] = block(12, 0xffffe00000ULL, AF | AP(2));
	l3[1] = page(12, 0x4000, AF | XN);
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 0);
	CHECK_EQ(r.nleaf, 2);
	CHECK_EQ(r.leaf[0].iova, 0xc0001000);
	CHECK_EQ(r.leaf[0].xn, 1);
	CHECK_EQ(r.leaf[1].iova, 0xffe00000);
	CHECK_EQ(r.leaf[1].pa, 0xffffe00000ULL);
	CHECK_EQ(r.leaf[1].ap, 2);

	/* OA at 2^oas */
	pgd[2] = block(12, 1ULL << 40, AF);
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_OA_RANGE, 1, 0x1000 + 2 * 8);
	CHECK_EQ(r.nleaf, 3);	/* still decoded */
	pgd[2] = 0;

	c.fmt = IOPT_FMT_ARM_32_S2;
	pgd[0] = block(12, 0x40000000, AF | MEMATTR(5) | AP(1));
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 0);
	CHECK_EQ(r.nleaf, 3);
	CHECK_EQ(r.leaf[0].iova, 0);
	CHECK_EQ(r.leaf[0].memattr, 5);
	CHECK_EQ(r.leaf[0].s2ap, 1);

	c.granule_shift = 16;
	CHECK_EQ(run(&c, &s, &r), -EINVAL);
	sim_free(&s);
}

static void test_mali(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c = {
		.fmt = IOPT_FMT_MALI, .granule_shift = 12, .ias = 48,
		.oas = 40, .start_level = 0, .pgd_entries = 1,
		.ttbr = 0x5000040,
	};
	uint64_t *pgd = sim_alloc(&s, 0x5000040, 8);
	uint64_t *l1 = sim_alloc(&s, 0x6000, 4096);
	uint64_t *l2 = sim_alloc(&s, 0x7000, 4096);
	uint64_t *l3 = sim_alloc(&s, 0x8000, 4096);
	struct rec r;
	int ret;

	pgd[0] = tdesc(12, 0x6000);
	l1[0] = tdesc(12, 0x7000);
	l1[1] = block(12, 0x40000000, SH(2));
	l2[0] = tdesc(12, 0x8000);
	l3[0] = block(12, 0x11000, SH(2) | AP(1));	/* Mali page: 0b01 */
	l3[1] = block(12, 0x12000, SH(2));
	ret = run(&c, &s, &r);
	CHECK_EQ(ret, 0);
	CHECK_EQ(r.ntable, 4);
	CHECK_EQ(r.table_n[0], 1);
	CHECK_EQ(r.nleaf, 3);
	CHECK_EQ(r.leaf[0].iova, 0);
	CHECK_EQ(r.leaf[0].level, 3);
	CHECK_EQ(r.leaf[0].pa, 0x11000);
	CHECK_EQ(r.leaf[0].af, 0);
	CHECK_EQ(r.leaf[0].ap, 1);
	CHECK_EQ(r.leaf[1].iova, 0x1000);
	CHECK_EQ(r.leaf[2].iova, 1ULL << 30);
	CHECK_EQ(r.leaf[2].size, 1ULL << 30);

	/* 0b11 at level 3 is not a Mali leaf */
	l3[2] = page(12, 0x13000, 0);
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_RESERVED_TYPE, 3, 0x8000 + 2 * 8);
	CHECK_EQ(r.nleaf, 3);
	sim_free(&s);
}

static void test_ttbr1(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c = {
		.fmt = IOPT_FMT_ARM_64_S1, .granule_shift = 12, .ias = 39,
		.oas = 48, .start_level = 1, .pgd_entries = 512,
		.ttbr = 0x10000, .ttbr1 = true,
	};
	uint64_t *pgd = sim_alloc(&s, 0x10000, 4096);
	uint64_t *l2 = sim_alloc(&s, 0x20000, 4096);
	struct rec r;
	int ret;

	pgd[0] = tdesc(12, 0x20000);
	pgd[4] = tdesc(12, 0x30000);	/* nowhere */
	pgd[511] = block(12, 0x80000000, AF);
	l2[1] = block(12, 0x400000, AF);
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_BAD_TABLE_PTR, 1, 0x10000 + 4 * 8);
	CHECK_EQ(r.prob[0].iova, 0xffffff8100000000ULL);
	CHECK_EQ(r.nleaf, 2);
	CHECK_EQ(r.leaf[0].iova, 0xffffff8000200000ULL);
	CHECK_EQ(r.leaf[1].iova, 0xffffffffc0000000ULL);
	CHECK_EQ(r.order_bad, 0);
	sim_free(&s);
}

/* Corruptions of the 4K tree, each reported with the right kind. */
static void test_corrupt(void)
{
	const uint64_t *pa = layout_a;
	struct iopt_image img = { 0 };
	struct sim s = { 0 };
	struct iopt_dec_cfg c = cfg_4k(pa[0]);
	uint64_t *t[4];
	struct rec r;
	char buf[256];
	int ret;

	tree_4k(&s, pa, t);
	sim_alloc(&s, 0x50000000, 16384);

	t[0][2] = tdesc(12, 0x70000000);
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_BAD_TABLE_PTR, 0, pa[0] + 2 * 8);
	CHECK_EQ(r.prob[0].iova, 2ULL << 39);
	CHECK_EQ(r.prob[0].pte, t[0][2]);
	CHECK_EQ(image(&img, &c, &s), 1);
	t[0][2] = tdesc(12, 0x50001000);	/* inside an allocation */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_BAD_TABLE_PTR, 0, pa[0] + 2 * 8);
	t[0][2] = 0;

	t[1][4] = tdesc(12, pa[2]);	/* second reference to the L2 table */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_TABLE_SHARED, 1, pa[1] + 4 * 8);
	CHECK_EQ(r.nleaf, 4);
	CHECK_EQ(r.ntable, 4);
	t[1][4] = 0;

	t[2][8] = tdesc(12, pa[0]);	/* loop back to the top table */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_TABLE_SHARED, 2, pa[2] + 8 * 8);
	t[2][8] = 0;

	t[3][8] = block(12, 0x77777000, AF);	/* 0b01 at level 3 */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_RESERVED_TYPE, 3, pa[3] + 8 * 8);
	CHECK_EQ(r.nleaf, 4);
	t[3][8] = 0;

	t[0][4] = block(12, 0, AF);	/* 4K: no level-0 blocks */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_BLOCK_NOT_ALLOWED, 0, pa[0] + 4 * 8);
	t[0][4] = 0;

	t[2][9] = block(12, 0x40001000, AF);	/* 2M block, bit 12 set */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_RES0_BITS, 2, pa[2] + 9 * 8);
	CHECK_EQ(r.nleaf, 5);
	CHECK_EQ(r.leaf[4].pa, 0x40000000);
	CHECK_EQ(r.leaf[4].iova, 0x80c1200000);
	t[2][9] = 0;

	t[3][9] = page(12, 0x1000, AF) | 1ULL << 48;	/* bits 49:48 RES0 */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_RES0_BITS, 3, pa[3] + 9 * 8);
	t[3][9] = 0;

	t[0][6] = tdesc(12, pa[1]) | 1ULL << 50;	/* table bits 51:48 */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_RES0_BITS, 0, pa[0] + 6 * 8);
	t[0][6] = 0;

	c.oas = 40;
	t[3][10] = page(12, 1ULL << 40, AF);
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_OA_RANGE, 3, pa[3] + 10 * 8);
	CHECK_EQ(image(&img, &c, &s), 1);
	t[3][10] = 0;
	c.oas = 48;

	c.ttbr = 0x70000000;
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_BAD_TTBR, 0, 0x70000000);
	CHECK_EQ(r.prob[0].why, IOPT_PROB_BAD_TABLE_PTR);	/* not live */
	iopt_prob_snprint(buf, sizeof(buf), &r.prob[0]);
	CHECK(strstr(buf, "bad-ttbr (bad-table-ptr) at L0") == buf);
	CHECK_EQ(r.ntable, 0);
	CHECK_EQ(image(&img, &c, &s), 1);
	CHECK_EQ(img.n, 1);
	CHECK_EQ(img.words[0] >> 56, IOPT_IMG_TAG_BAD_TTBR);
	CHECK_EQ(img.words[0] & 0xffffffff, IOPT_PROB_BAD_TABLE_PTR);
	c.ttbr = pa[0] + 64;		/* misaligned, inside an allocation */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_BAD_TTBR, 0, pa[0] + 64);
	CHECK_EQ(r.prob[0].why, IOPT_PROB_TABLE_MISALIGNED);
	CHECK_EQ(image(&img, &c, &s), 1);
	CHECK_EQ(img.words[0] & 0xffffffff, IOPT_PROB_TABLE_MISALIGNED);
	c.ttbr = 0x50000000;
	c.pgd_entries = 4096;		/* 32K PGD in a 16K allocation */
	ret = run(&c, &s, &r);
	EXPECT_PROB(ret, &r, IOPT_PROB_BAD_TTBR, 0, 0x50000000);
	CHECK_EQ(r.prob[0].why, IOPT_PROB_TABLE_TOO_SMALL);

	c.pgd_entries = 3;
	CHECK_EQ(run(&c, &s, &r), -EINVAL);
	CHECK_EQ(image(&img, &c, &s), -EINVAL);

	CHECK(!strcmp(iopt_prob_name(IOPT_PROB_TABLE_SHARED), "table-shared"));
	CHECK(!strcmp(iopt_dec_fmt_name(IOPT_FMT_MALI), "mali"));
	iopt_image_free(&img);
	sim_free(&s);
}

static void test_image(void)
{
	struct iopt_image a = { 0 }, b = { 0 };
	struct sim sa = { 0 }, sb = { 0 };
	struct iopt_dec_cfg ca = cfg_4k(layout_a[0]), cb = cfg_4k(layout_b[0]);
	unsigned int id, index;
	uint64_t *ta[4], *tb[4];
	size_t cap;
	int level;
	long d;

	tree_4k(&sa, layout_a, ta);
	tree_4k(&sb, layout_b, tb);
	CHECK_EQ(image(&a, &ca, &sa), 0);
	CHECK_EQ(image(&b, &cb, &sb), 0);
	CHECK_EQ(a.ntables, 4);
	CHECK_EQ(a.n, 4 * 513);
	CHECK_EQ(iopt_image_hash(&a), iopt_image_hash(&b));
	CHECK(iopt_image_equal(&a, &b));
	CHECK_EQ(iopt_image_first_diff(&a, &b), -1);
	/* the tables live elsewhere: the same images, found in place too */
	CHECK(image_same(&ca, &sa, &cb, &sb));
	/* L0[1]: NSTable and bit 55 kept, address replaced by child id 1 */
	CHECK_EQ(a.words[2], NSTABLE | SW55 | 1 << 12 | 3);
	CHECK_EQ(a.words[513 + 1 + 3], NSTABLE | 2 << 12 | 3);
	CHECK_EQ(a.words[3 * 513 + 1], ta[3][0]);

	tb[3][7] ^= XN;
	cap = b.cap;
	CHECK_EQ(image(&b, &cb, &sb), 0);
	CHECK_EQ(b.cap, cap);
	CHECK(iopt_image_hash(&a) != iopt_image_hash(&b));
	CHECK(!iopt_image_equal(&a, &b));
	CHECK(!image_same(&ca, &sa, &cb, &sb));
	d = iopt_image_first_diff(&a, &b);
	CHECK_EQ(d, 3 * 513 + 1 + 7);
	CHECK_EQ(iopt_image_locate(&b, d, &id, &level, &index), 0);
	CHECK_EQ(id, 3);
	CHECK_EQ(level, 3);
	CHECK_EQ(index, 7);
	CHECK_EQ(iopt_image_locate(&b, 513, &id, &level, &index), 1);
	CHECK_EQ(id, 1);
	CHECK_EQ(level, 1);
	CHECK_EQ(iopt_image_locate(&b, 4 * 513, &id, &level, &index), -1);
	tb[3][7] ^= XN;

	/* a different tree shape changes the image */
	tb[2][6] = 0;
	CHECK_EQ(image(&b, &cb, &sb), 0);
	CHECK_EQ(b.ntables, 3);
	CHECK(!image_same(&ca, &sa, &cb, &sb));
	d = iopt_image_first_diff(&a, &b);
	CHECK_EQ(d, 2 * 513 + 1 + 6);
	CHECK_EQ(iopt_image_locate(&a, d, &id, &level, &index), 0);
	CHECK_EQ(id, 2);
	CHECK_EQ(index, 6);

	iopt_image_free(&a);
	iopt_image_free(&b);
	sim_free(&sa);
	sim_free(&sb);
}

/*
 * iopt_image_same_range() on the 4K tree at two places: the same over any
 * range; a difference found only where the range walk looks.
 */
static void test_image_range(void)
{
	struct sim sa = { 0 }, sb = { 0 };
	struct iopt_dec_cfg ca = cfg_4k(layout_a[0]), cb = cfg_4k(layout_b[0]);
	static const uint64_t r[][2] = {
		{ 1, 0 },				/* all */
		{ 0, ~0ULL },
		{ 0x80c0c00000, 0x80c0c00fff },		/* the first page */
		{ 0x80c0c07000, 0x80c0c07000 },		/* the second */
		{ 0x8080000000, 0x8080000000 },		/* the 1G block */
		{ 0x1000, 0x7fffffffff },		/* nothing: L0[0] */
		{ 0x80c0a00000, 0x80c0c07000 },
	};
	struct trail tb = { 0 }, tl = { 0 };
	struct range_tally n = { 0 };
	uint64_t *ta[4], *t[4];
	unsigned int k;
	int bad = 0;

	tree_4k(&sa, layout_a, ta);
	tree_4k(&sb, layout_b, t);
	for (k = 0; k < 7; k++) {
		bad += check_range_same(&ca, &sa, &cb, &sb, r[k][0], r[k][1],
					true, &n, NULL);
		/* the listing: side b's tables, as its walk tells them */
		CHECK(range_same(&ca, &sa, &cb, &sb, r[k][0], r[k][1], &tl));
		trail_range(&cb, &sb, r[k][0], r[k][1], &tb);
		CHECK(trail_same_tables(&tl, &tb));
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(n.same, 7);
	CHECK_EQ(n.differ, 0);
	CHECK_EQ(tl.nt, 4 * 4);
	CHECK_EQ(tl.t[0], layout_b[0]);
	CHECK_EQ(tl.t[3 * 4], layout_b[3]);
	CHECK_EQ(tl.t[3 * 4 + 3], 0x80c0c00000);

	/* the second page differs: only a range with it sees it */
	t[3][7] ^= XN;
	CHECK(!range_same(&ca, &sa, &cb, &sb, 1, 0, NULL));
	CHECK(!range_same(&ca, &sa, &cb, &sb, 0x80c0c07000, 0x80c0c07000, NULL));
	CHECK(!range_same(&ca, &sa, &cb, &sb, 0x80c0a00000, 0x80c0c07000, NULL));
	CHECK(range_same(&ca, &sa, &cb, &sb, 0x80c0c00000, 0x80c0c06fff, NULL));
	CHECK(range_same(&ca, &sa, &cb, &sb, 0x8080000000, 0x8080000000, NULL));
	t[3][7] ^= XN;
	/* a table descriptor's bit other than its address, in the range */
	t[2][6] ^= SW55;
	CHECK(!range_same(&ca, &sa, &cb, &sb, 0x80c0c00000, 0x80c0c00fff, NULL));
	CHECK(range_same(&ca, &sa, &cb, &sb, 0x80c0a00000, 0x80c0a00000, NULL));
	t[2][6] ^= SW55;
	/* table attributes not the configuration's: a problem on both sides */
	ta[2][6] &= ~NSTABLE;
	t[2][6] &= ~NSTABLE;
	CHECK(!range_same(&ca, &sa, &cb, &sb, 0x80c0c00000, 0x80c0c00fff, NULL));
	CHECK(range_same(&ca, &sa, &cb, &sb, 0x8080000000, 0x8080000000, NULL));
	ta[2][6] |= NSTABLE;
	t[2][6] |= NSTABLE;
	/* a leaf where side a has a hole, and the same hole besides */
	t[3][8] = page(12, 0x77777000, AF);
	CHECK(!range_same(&ca, &sa, &cb, &sb, 0x80c0c00000, 0x80c0c08fff, NULL));
	CHECK(range_same(&ca, &sa, &cb, &sb, 0x80c0c09000, 0x80c0c0ffff, NULL));
	t[3][8] = 0;
	/* side b's level-3 table shared with its level-2 table: a problem */
	t[2][6] = tdesc(12, layout_b[2]) | NSTABLE;
	CHECK(!range_same(&ca, &sa, &cb, &sb, 0x80c0c00000, 0x80c0c00fff, NULL));
	CHECK(range_same(&ca, &sa, &cb, &sb, 0x80c0a00000, 0x80c0a00000, NULL));
	t[2][6] = tdesc(12, layout_b[3]) | NSTABLE;
	/* configurations that differ in more than the TTBR, a bad TTBR */
	cb.ias = 47;
	CHECK(!range_same(&ca, &sa, &cb, &sb, 1, 0, NULL));
	cb = cfg_4k(layout_b[1] + 8);
	CHECK(!range_same(&ca, &sa, &cb, &sb, 1, 0, NULL));
	trail_free(&tb);
	trail_free(&tl);
	sim_free(&sa);
	sim_free(&sb);
}

/* ---- robustness: random table contents ---- */

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void random_cfg(struct iopt_dec_cfg *c, uint64_t *rs)
{
	static const unsigned int oas[] = { 32, 36, 40, 42, 44, 48, 52 };
	static const unsigned int gs[] = { 12, 14, 16 };
	unsigned int bpl, e;

	memset(c, 0, sizeof(*c));
	c->fmt = splitmix64(rs) % IOPT_FMT_COUNT;
	c->granule_shift = 12;
	if (c->fmt == IOPT_FMT_ARM_64_S1 || c->fmt == IOPT_FMT_ARM_64_S2)
		c->granule_shift = gs[splitmix64(rs) % 3];
	c->start_level = c->granule_shift == 16 ? 1 + splitmix64(rs) % 3 :
			 splitmix64(rs) % 4;
	bpl = c->granule_shift - 3;
	e = splitmix64(rs) % (bpl + 1);
	if (splitmix64(rs) % 16 == 0)
		e = bpl + splitmix64(rs) % 5;
	c->pgd_entries = 1U << e;
	c->ias = 20 + splitmix64(rs) % 33;
	c->oas = oas[splitmix64(rs) % 7];
	c->ttbr1 = splitmix64(rs) & 1;
}

static uint64_t random_word(struct sim *s, const struct iopt_dec_cfg *c,
			    uint64_t *rs)
{
	uint64_t r = splitmix64(rs), pa, w;

	switch (r % 8) {
	case 0: case 1: case 2:
		return 0;
	case 3:
		return splitmix64(rs);
	case 7:		/* leaf-looking, random address */
		return (splitmix64(rs) & 0x0000fffffffff000ULL) | (r >> 8 & 3);
	}
	pa = s->a[(r >> 8) % s->n].base;
	if ((r >> 16) % 8 == 0)
		pa += ((r >> 20) % 4) << 12;
	w = enc(c->granule_shift, pa) | ((r >> 24) % 4 ? 3 : 1);
	if ((r >> 28) % 4 == 0)
		w |= splitmix64(rs) & 0xfff0000000000ffcULL;
	return w;
}

static void random_sim(struct sim *s, const struct iopt_dec_cfg *c,
		       uint64_t *rs)
{
	uint64_t pgd = c->pgd_entries * 8ULL, gran = 1ULL << c->granule_shift;
	uint64_t sizes[] = { 8, 64, 4096, 16384, 65536, pgd, gran, gran };
	int i, n = 1 + splitmix64(rs) % 8;
	size_t j;

	for (i = 0; i < n; i++) {
		uint64_t r = splitmix64(rs), size, base;

		size = i == 0 ? pgd : sizes[r % 8];
		base = (uint64_t)(i + 1) << 24;
		if ((r >> 8) % 8 == 0)
			base |= ((r >> 12) % 16) << 48;
		if ((r >> 16) % 8 == 0)
			base += ((r >> 20) % 64) * 8;
		s->a[s->n].base = base;
		s->a[s->n].size = size;
		s->a[s->n].host = malloc(size);
		s->n++;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < s->a[i].size / 8; j++) {
			uint64_t w = random_word(s, c, rs);

			memcpy(s->a[i].host + j * 8, &w, 8);
		}
}

/*
 * A range walk gives exactly the full walk's leaves that meet the range;
 * without problems, a hardware walk of an IOVA in a leaf finds that leaf.
 */
static int check_range(const struct iopt_dec_cfg *c, struct sim *s,
		       const struct rec *full, uint64_t *rs)
{
	static struct rec r;
	uint64_t lo = splitmix64(rs), hi, want = 0;
	struct iopt_leaf l;
	struct steps st;
	int bad = 0, i;

	if (!full->nleaf || full->nleaf > MAX_REC)
		return 0;
	/* upper-half IOVAs are ambiguous when the walk indexes bits above ias */
	if (c->ttbr1 && iopt_dec_level_shift(c, c->start_level) +
			__builtin_ctz(c->pgd_entries) > c->ias)
		return 0;
	i = splitmix64(rs) % full->nleaf;
	lo = full->leaf[i].iova + lo % full->leaf[i].size;
	hi = lo + splitmix64(rs) % (full->leaf[i].size * 4);
	if (hi < lo)
		hi = ~0ULL;
	for (int k = 0; k < full->nleaf; k++)
		want += full->leaf[k].iova <= hi &&
			full->leaf[k].iova + full->leaf[k].size - 1 >= lo;
	if (run_range(c, s, &r, lo, hi) < 0 || (uint64_t)r.nleaf != want)
		bad++;
	if (!full->nprob &&
	    (translate(c, s, lo, c->start_level, c->ttbr, &st, &l) != IOPT_DEC_HIT ||
	     l.pa != full->leaf[i].pa || l.level != full->leaf[i].level))
		bad++;
	return bad;
}

/*
 * iopt_image_same_range() of all IOVAs against built images: a tree is the same as itself
 * when it has no problem; against a copy with one word changed, "same"
 * only where the built images are equal. Returns the failures.
 */
static int check_same(const struct iopt_dec_cfg *c, struct sim *s, int ret,
		      struct iopt_image *img, uint64_t *rs, int *differ,
		      int *same)
{
	static struct iopt_image other;
	struct sim t = { 0 };
	uint64_t w = splitmix64(rs);
	int bad = 0, i = (int)(w % s->n);
	size_t j;

	bad += !ret && !image_same(c, s, c, s);
	for (int k = 0; k < s->n; k++) {
		t.a[k] = s->a[k];
		t.a[k].host = malloc(s->a[k].size);
		memcpy(t.a[k].host, s->a[k].host, s->a[k].size);
	}
	t.n = s->n;
	j = (w >> 8) % (t.a[i].size / 8) * 8;
	w = splitmix64(rs);
	memcpy(t.a[i].host + j, &w, 8);
	image(&other, c, &t);
	if (image_same(c, s, c, &t)) {
		bad += !iopt_image_equal(img, &other);
		*same += img->ntables > 1;
	}
	else
		*differ += !iopt_image_equal(img, &other);
	sim_free(&t);
	return bad;
}

static void test_random(void)
{
	struct iopt_image img = { 0 }, img2 = { 0 };
	uint64_t rs = 0x10f7f022ULL;
	int it, bad = 0, walked = 0, nonempty = 0, differ = 0, same = 0;

	for (it = 0; it < 20000; it++) {
		struct sim s = { 0 };
		struct iopt_dec_cfg c;
		struct rec r;
		int ret, iret;

		random_cfg(&c, &rs);
		random_sim(&s, &c, &rs);
		c.ttbr = splitmix64(&rs) % 16 ? s.a[0].base : splitmix64(&rs);
		ret = run(&c, &s, &r);
		bad += check_range(&c, &s, &r, &rs);
		iret = image(&img, &c, &s);
		bad += ret < 0 || ret != iret || ret != r.nprob;
		bad += r.align_bad != 0 || (!c.ttbr1 && r.order_bad != 0);
		bad += img.ntables != (size_t)r.ntable;
		bad += img.n != (r.ntable ? r.ntable + r.table_words : 1);
		if (it % 4 == 0)
			bad += check_same(&c, &s, ret, &img, &rs, &differ,
					  &same);
		walked += r.ntable > 1;
		nonempty += r.nleaf > 0;
		if (it % 64 == 0) {
			image(&img2, &c, &s);
			bad += iopt_image_hash(&img2) != iopt_image_hash(&img) ||
			       iopt_image_first_diff(&img, &img2) != -1;
		}
		sim_free(&s);
	}
	CHECK_EQ(bad, 0);
	/* a changed word that mattered, often; one that did not, in a walked tree */
	CHECK(differ > 1000);
	CHECK(same >= 10);
	CHECK(walked > 1000);
	CHECK(nonempty > 1000);
	iopt_image_free(&img);
	iopt_image_free(&img2);
}

/* ---- iopt_image_same_range() on random trees and ranges ---- */

/* A range: all (lo above hi), a random one, or about a leaf of the tree. */
static void random_range(const struct rec *full, uint64_t *rs, uint64_t *lo,
			 uint64_t *hi)
{
	uint64_t r = splitmix64(rs);
	int n = full->nleaf < MAX_REC ? full->nleaf : MAX_REC;
	const struct iopt_leaf *l;

	if (r % 8 == 0 || (r % 8 == 1 && !n)) {
		*lo = 1;
		*hi = 0;
		return;
	}
	if (r % 8 < 3 || !n) {
		*lo = splitmix64(rs) >> (r >> 8) % 64;
		*hi = *lo + (splitmix64(rs) >> (r >> 16) % 64);
		return;
	}
	l = &full->leaf[(r >> 8) % n];
	*lo = l->iova + splitmix64(rs) % l->size;
	*hi = *lo + splitmix64(rs) % (l->size * 4);
	if (*hi < *lo)
		*hi = ~0ULL;
}

/* A copy of s, each table where it was, with one word changed. */
static void copy_changed(struct sim *t, const struct sim *s, uint64_t *rs)
{
	uint64_t w = splitmix64(rs);
	int i = (int)(w % s->n);
	size_t j;

	for (int k = 0; k < s->n; k++) {
		t->a[k] = s->a[k];
		t->a[k].host = malloc(s->a[k].size);
		memcpy(t->a[k].host, s->a[k].host, s->a[k].size);
	}
	t->n = s->n;
	j = (w >> 8) % (t->a[i].size / 8) * 8;
	w = splitmix64(rs);
	memcpy(t->a[i].host + j, &w, 8);
}

/*
 * Random table contents (random_sim()): a tree against itself, and
 * against a copy with one word changed; over the whole range, "same"
 * means the same built images too.
 */
static int range_random_sim(uint64_t *rs, struct range_tally *self,
			    struct range_tally *changed)
{
	static struct iopt_image ia, ib;
	struct sim s = { 0 }, t = { 0 };
	struct iopt_dec_cfg c;
	uint64_t lo, hi;
	static struct rec r;
	int bad = 0;
	bool got;

	random_cfg(&c, rs);
	random_sim(&s, &c, rs);
	c.ttbr = splitmix64(rs) % 16 ? s.a[0].base : splitmix64(rs);
	run(&c, &s, &r);
	random_range(&r, rs, &lo, &hi);
	bad += check_range_same(&c, &s, &c, &s, lo, hi, true, self, NULL);
	copy_changed(&t, &s, rs);
	bad += check_range_same(&c, &s, &c, &t, lo, hi, false, changed, &got);
	if (got && lo > hi) {
		image(&ia, &c, &s);
		image(&ib, &c, &t);
		bad += !iopt_image_equal(&ia, &ib);
	}
	sim_free(&t);
	sim_free(&s);
	return bad;
}

/*
 * A random tree without a problem, built twice: sb's tables elsewhere
 * (another place, another order), the same entries but for table
 * descriptors' addresses. Level 0 and 1 hold tables, level 2 tables and
 * blocks, level 3 pages.
 */
struct gen {
	struct sim *s[2];
	const struct iopt_dec_cfg *c;
	uint64_t *rs;
};

static uint64_t gen_pa(int side, int i)
{
	return (uint64_t)(side ? 40 - i : i + 1) << 24;
}

static void gen_table(struct gen *g, uint64_t *t[2], int level,
		      unsigned int n)
{
	unsigned int gs = g->c->granule_shift, k = 1 + splitmix64(g->rs) % 8;
	uint64_t size = 1ULL << iopt_dec_level_shift(g->c, level);
	uint64_t attr = AF | SH(splitmix64(g->rs) % 4) | AP(splitmix64(g->rs) % 4);

	while (k--) {
		unsigned int i = splitmix64(g->rs) % n;
		uint64_t r = splitmix64(g->rs), *child[2];

		if (t[0][i])
			continue;
		if (level == 3) {
			t[0][i] = t[1][i] = page(gs, r % 1024 << gs, attr);
		} else if (level == 2 && r % 2) {
			t[0][i] = t[1][i] = block(gs, (r >> 8) % 4 * size, attr);
		} else if (g->s[0]->n < MAX_ALLOCS) {
			for (int k2 = 0; k2 < 2; k2++) {
				uint64_t pa = gen_pa(k2, g->s[k2]->n);

				child[k2] = sim_alloc(g->s[k2], pa, 1ULL << gs);
				t[k2][i] = tdesc(gs, pa) | g->c->table_attrs;
			}
			gen_table(g, child, level + 1, (1U << gs) / 8);
		}
	}
}

/* One of b's entries changed: a used one, mostly. */
static void gen_change(struct sim *b, uint64_t *rs)
{
	static const unsigned int bit[] = { 0, 1, 10, 54, 55, 57, 12, 20 };
	uint64_t r = splitmix64(rs);
	struct alloc *a = &b->a[r % b->n];
	unsigned int n = a->size / 8, i = (r >> 8) % n, k;
	uint64_t w;

	for (k = 0; k < n && r % 4 && !iopt_dec_load(a->host, i); k++)
		i = (i + 1) % n;
	w = iopt_dec_load(a->host, i);
	if ((r >> 40) % 8 == 7)
		w = w ? 0 : page(12, 0x5000, AF);
	else
		w ^= 1ULL << bit[(r >> 40) % 8];
	memcpy(a->host + (size_t)i * 8, &w, 8);
}

static int range_relocated(uint64_t *rs, struct range_tally *same,
			   struct range_tally *changed)
{
	struct sim sa = { 0 }, sb = { 0 };
	struct gen g = { { &sa, &sb }, NULL, rs };
	struct iopt_dec_cfg ca, cb;
	uint64_t *top[2], lo, hi;
	static struct rec r;
	int bad;

	do
		random_cfg(&ca, rs);
	while (ca.fmt != IOPT_FMT_ARM_64_S1 && ca.fmt != IOPT_FMT_ARM_64_S2);
	ca.ttbr = gen_pa(0, 0);
	cb = ca;
	cb.ttbr = gen_pa(1, 0);
	g.c = &ca;
	top[0] = sim_alloc(&sa, ca.ttbr, ca.pgd_entries * 8ULL);
	top[1] = sim_alloc(&sb, cb.ttbr, cb.pgd_entries * 8ULL);
	gen_table(&g, top, ca.start_level, ca.pgd_entries);
	bad = run(&ca, &sa, &r) != 0;	/* built without a problem */
	random_range(&r, rs, &lo, &hi);
	if (splitmix64(rs) % 2) {
		gen_change(&sb, rs);
		bad += check_range_same(&ca, &sa, &cb, &sb, lo, hi, false,
					changed, NULL);
	} else {
		bad += check_range_same(&ca, &sa, &cb, &sb, lo, hi, true, same,
					NULL);
	}
	sim_free(&sa);
	sim_free(&sb);
	return bad;
}

static void test_random_range(void)
{
	struct range_tally self = { 0 }, changed = { 0 };
	struct range_tally rsame = { 0 }, rchanged = { 0 };
	uint64_t rs = 0x5a3e7a4cULL;
	int bad = 0;

	for (int it = 0; it < 5000; it++)
		bad += range_random_sim(&rs, &self, &changed);
	for (int it = 0; it < 5000; it++)
		bad += range_relocated(&rs, &rsame, &rchanged);
	if (getenv("IOPT_TEST_VERBOSE"))
		fprintf(stderr, "range-same: self %d/%d, changed %d (differ %d), relocated %d, relocated changed %d (differ %d)\n",
			self.same, 5000, changed.same, changed.differ,
			rsame.same, rchanged.same, rchanged.differ);
	CHECK_EQ(bad, 0);
	/* "the same" often, also with a change it does not see */
	CHECK(self.same > 1000);
	CHECK(changed.same > 500);
	CHECK(changed.differ > 200);
	CHECK(rsame.same > 2000);
	CHECK(rchanged.same > 500);
	CHECK(rchanged.differ > 500);
}

/*
 * test-decode poisoned (ASan builds): a table whose holes the walk skips
 * holds a poisoned stretch, as a freed kmalloc'd table would. The hole
 * scan does not check its loads (decode.h), so iopt_dec_open_table()
 * checks the table's bytes once: ASan must report use-after-poison here,
 * where before the scan's own loads did.
 */
static int test_poisoned(void)
{
#ifdef IOPT_ASAN
	struct sim s = { 0 };
	struct iopt_dec_cfg c = cfg_4k(layout_a[0]);
	uint64_t *t[4];
	struct rec r;

	tree_4k(&s, layout_a, t);
	ASAN_POISON_MEMORY_REGION(&t[3][100], 64);	/* holes 100-107 */
	run(&c, &s, &r);
	fprintf(stderr, "test-decode poisoned: the walk read past the poisoned holes unseen\n");
	ASAN_UNPOISON_MEMORY_REGION(&t[3][100], 64);
	sim_free(&s);
	return 1;
#endif
	fprintf(stderr, "test-decode poisoned: not an ASan build\n");
	return 2;
}

/* ---- the device's TLB: what makes a cached translation stale ---- */

/*
 * A cached page whose descriptor changed only in the contiguous hint
 * still translates its own IOVAs as before: not stale. A permission or
 * an output address changed is.
 */
static void test_device_stale(void)
{
	struct sim s = { 0 };
	struct iopt_dec_cfg c = cfg_4k(layout_a[0]);
	struct iopt_dec_mem mem = { .ctx = &s, .lookup = sim_lookup };
	uint64_t iova = 1ULL << 39 | 3ULL << 30 | 6ULL << 21 | 7ULL << 12;
	static struct iopt_device d;
	struct iopt_leaf l;
	uint64_t *t[4], was;
	char why[256];

	tree_4k(&s, layout_a, t);
	iopt_device_reset(&d);
	CHECK_EQ(iopt_device_access(&d, &c, &mem, iova, &l), IOPT_DEC_HIT);
	CHECK_EQ(l.pa, 0x66666000);
	CHECK_EQ(iopt_device_check(&d, &c, &mem, iova, iova, why, sizeof(why)), 0);
	was = t[3][7];
	t[3][7] |= CONTIG;
	CHECK_EQ(iopt_device_check(&d, &c, &mem, iova, iova, why, sizeof(why)), 0);
	t[3][7] |= AP(2);
	CHECK_EQ(iopt_device_check(&d, &c, &mem, iova, iova, why, sizeof(why)), 1);
	CHECK(strstr(why, "stale TLB entry"));
	t[3][7] = page(12, 0x77777000, AF);
	CHECK_EQ(iopt_device_check(&d, &c, &mem, iova, iova, why, sizeof(why)), 1);
	t[3][7] = was;
	CHECK_EQ(iopt_device_check(&d, &c, &mem, iova, iova, why, sizeof(why)), 0);
	sim_free(&s);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "poisoned"))
		return test_poisoned();
	test_4k_s1();
	test_range_translate();
	test_4k_s2_concat();
	test_16k();
	test_64k();
	test_64k_edge();
	test_4k_oa_edge();
	test_arm32();
	test_mali();
	test_ttbr1();
	test_corrupt();
	test_image();
	test_image_range();
	test_random();
	test_random_range();
	test_device_stale();
	return TEST_DONE();
}
