// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-model: the reference model (oracle/model.c) against the kernel port
 * of the tree this build was configured with.
 *
 *   geometry   every format over page-size sets, ias/oas and quirks: the
 *              model predicts alloc_io_pgtable_ops exactly (NULL or the
 *              values written back), and the decoder walks the empty table
 *              with the model's geometry;
 *   sequences  random op sequences whose IOVAs and PAs collide: after every
 *              op the result, *mapped, the WARN, the table allocations,
 *              iova_to_phys, the decoded tables and the live table count
 *              agree with the model; nothing is left after free_ops;
 *   planted    corruptions the check must catch: every bit of a leaf
 *              flipped in the kernel's table, a model given another prot;
 *   consistent the model's self-check (iopt_model_consistent) holds after
 *              maps and unmaps, and fails on each way of breaking it;
 *   contracts  the model alone under every contract generation, against a
 *              hand-derived table of what each must predict; the table of
 *              generations itself (contract.h) and the build's choice.
 *
 * The first three use the build's contract (iopt_build_contract()).
 *
 * usage: test-model [geometry|sequences|planted|consistent|contracts|all] [seed] [sequences (5000)]
 * IOPT_MODEL_TRACE=1 in the environment prints every op and, on a
 * disagreement, both the decoded tables and the model.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "model.h"
#include "model_cfg.h"

#include <iopt/env.h>
#include <iopt/port.h>
#include <iopt_shim.h>
#include <linux/io-pgtable.h>
#include <iopt/kernel_cfg.h>
#include <iopt_contract_config.h>

/* Newer trees' quirk numbers: a tree without the quirk rejects the bit. */
#define PTE_AP_RDONLY	(1ULL << 7)
#define PTE_DBM		(1ULL << 51)
#define MAX_REPORTS	10

static const struct iopt_port *port = &iopt_kernel_port;
static struct iopt_env *env;
static struct device dev = {
	.numa_node = NUMA_NO_NODE,
	.dma_mask = &dev.coherent_dma_mask,	/* non-coherent walks DMA-map */
	.coherent_dma_mask = ~0ULL,
};
static int reports;

static void tlb_flush_all(void *cookie) { }
static void tlb_flush_walk(unsigned long iova, size_t size, size_t granule, void *cookie) { }
static void tlb_add_page(struct iommu_iotlb_gather *gather, unsigned long iova,
			 size_t granule, void *cookie) { }

static const struct iommu_flush_ops tlb_ops = {
	.tlb_flush_all	= tlb_flush_all,
	.tlb_flush_walk	= tlb_flush_walk,
	.tlb_add_page	= tlb_add_page,
};

static bool fmt_s1(enum iopt_fmt f)
{
	return f == IOPT_FMT_ARM_64_S1 || f == IOPT_FMT_ARM_32_S1;
}

static bool fmt_s2(enum iopt_fmt f)
{
	return f == IOPT_FMT_ARM_64_S2 || f == IOPT_FMT_ARM_32_S2;
}

static struct io_pgtable_ops *kernel_alloc(const struct iopt_model_cfg *mc,
					   struct io_pgtable_cfg *kc)
{
	memset(kc, 0, sizeof(*kc));
	kc->quirks = iopt_kernel_quirks(mc->quirks);
	kc->pgsize_bitmap = mc->pgsize_bitmap;
	kc->ias = mc->ias;
	kc->oas = mc->oas;
	kc->coherent_walk = mc->coherent_walk;
	kc->tlb = &tlb_ops;
	kc->iommu_dev = &dev;
	return port->alloc_ops(iopt_kernel_fmt[mc->fmt], kc, kc);
}

static uint64_t kernel_ttbr(const struct io_pgtable_cfg *kc, enum iopt_fmt f)
{
	if (f == IOPT_FMT_MALI)	/* TRANSTAB: the PGD is page aligned, mode bits below */
		return kc->arm_mali_lpae_cfg.transtab & ~0xfffULL;
	if (fmt_s2(f))
		return kc->arm_lpae_s2_cfg.vttbr;
	return kc->arm_lpae_s1_cfg.ttbr;
}

static const void *env_lookup(void *ctx, uint64_t pa, uint64_t *base, uint64_t *size)
{
	return iopt_phys_lookup(ctx, pa, base, size);
}

static struct iopt_dec_mem env_mem = { .lookup = env_lookup };	/* ctx: the env */

static void cfg_snprint(char *buf, size_t n, const struct iopt_model_cfg *c)
{
	snprintf(buf, n, "%s pgsizes 0x%lx ias %u oas %u quirks 0x%x %s",
		 iopt_dec_fmt_name(c->fmt), c->pgsize_bitmap, c->ias, c->oas, c->quirks,
		 c->coherent_walk ? "coherent" : "non-coherent");
}

/* Count a disagreement and print the first few. */
static void disagree(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void disagree(const char *fmt, ...)
{
	va_list ap;

	if (reports++ >= MAX_REPORTS)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "DISAGREE: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

/* ---- random numbers (xorshift64*) ---- */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd(uint64_t n)
{
	return n ? rnd64() % n : 0;
}

/* ==== 1. Geometry ==== */

static const unsigned long geo_bitmaps[] = {
	SZ_4K | SZ_2M | SZ_1G, SZ_16K | SZ_32M, SZ_64K | SZ_512M,
	SZ_64K | SZ_512M | (1UL << 42), ~0xfffUL, SZ_2M | SZ_1G, SZ_16K | SZ_64K,
	SZ_1K | SZ_2K, SZ_2K | SZ_16K, SZ_128K, 0, SZ_4K | SZ_16K | SZ_64K,
};
static const unsigned int geo_ias[] = {
	12, 16, 21, 25, 32, 33, 36, 39, 40, 42, 44, 47, 48, 49, 52, 56, 64,
};
static const unsigned int geo_oas[] = { 32, 33, 36, 40, 41, 42, 44, 48, 50, 52, 56 };
static const unsigned int geo_quirks[] = {
	0, IOPT_Q_ARM_NS, IOPT_Q_ARM_TTBR1, IOPT_Q_ARM_OUTER_WBWA, IOPT_Q_ARM_HD,
	IOPT_Q_ARM_S2FWB, IOPT_Q_NO_WARN, IOPT_Q_ARM_NS | IOPT_Q_ARM_TTBR1 | IOPT_Q_ARM_HD,
	IOPT_Q_ARM_NS | IOPT_Q_ARM_OUTER_WBWA, IOPT_Q_ARM_S2FWB | IOPT_Q_NO_WARN, 0x3f,
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct geo_stats {
	unsigned long configs, accepted, degenerate, walked, known_leaks, known_pa_size;
	unsigned long small_ias;
	unsigned long per_fmt[IOPT_FMT_COUNT];
};

/*
 * Known upstream bug s2-concat-leak (fuzz/known.c): a stage-2 alloc refused
 * after the WARN of a concatenation that needs more than 16 tables, on a
 * contract that concatenates only where mandatory, leaves the data struct
 * (one slab object) and nothing else.
 */
static bool known_concat_leak(const struct iopt_model_cfg *mc,
			      const struct iopt_model_geom *g)
{
	return mc->contract->s2_concat_mandatory && g->rejected && g->warn &&
	       env->stats.live_slab == 1 && !env->stats.live_blocks &&
	       !env->stats.live_dma_maps;
}

/* The empty table: the model's geometry decodes it, and the PGD has the predicted size. */
static void geo_check_table(const struct iopt_model_cfg *mc, const struct io_pgtable_cfg *kc,
			    const struct iopt_model_geom *g, const char *cs)
{
	struct iopt_model *m = iopt_model_new(mc);
	uint64_t ttbr = kernel_ttbr(kc, mc->fmt), base, size, want;
	struct iopt_dec_cfg dec;
	char why[400];
	int d, sl;

	if (!m) {
		disagree("%s: iopt_model_new refused an accepted configuration", cs);
		return;
	}
	iopt_model_dec_cfg(m, ttbr, &dec);
	d = iopt_model_check_tables(m, &dec, &env_mem, why, sizeof(why));
	if (d)
		disagree("%s: empty table: %d differences: %s", cs, d, why);
	want = (uint64_t)g->pgd_entries * 8;
	if (want < (1ULL << env->page_shift))
		want = 1ULL << env->page_shift;
	if (!iopt_phys_lookup(env, ttbr, &base, &size) || base != ttbr || size != want)
		disagree("%s: PGD of %u entries: allocation 0x%" PRIx64 " bytes", cs,
			 g->pgd_entries, size);
	sl = (g->start_level + (g->granule_shift == 12)) & 3;	/* SL0 counts from level 1 at 4K */
	if (fmt_s2(mc->fmt) && ((~kc->arm_lpae_s2_cfg.vtcr.sl) & 3) != sl)
		disagree("%s: VTCR.SL0 %u for start level %d", cs, kc->arm_lpae_s2_cfg.vtcr.sl,
			 g->start_level);
	iopt_model_free(m);
}

/*
 * The written-back configuration: as the model predicts it, and within
 * the architecture's rules, describing the model's walk; the known
 * upstream bug s2-start-level-pa-size (fuzz/known.c) counted apart.
 */
static void geo_check_regs(const struct iopt_model_cfg *mc, const struct io_pgtable_cfg *kc,
			   const struct iopt_model_geom *g, const char *cs,
			   struct geo_stats *st)
{
	struct iopt_cfg_regs got, want;
	struct iopt_cfg_walk w;
	const char *rule;
	char why[448];

	iopt_kernel_cfg_regs(kc, mc->fmt, &got);
	iopt_model_cfg_regs(mc, g, &want);
	if (iopt_cfg_regs_diff(mc->fmt, &got, &want, why, sizeof(why)))
		disagree("%s: written back: %s", cs, why);
	rule = iopt_cfg_regs_rule(mc->fmt, mc->quirks & IOPT_Q_ARM_TTBR1, &got, &w,
				  why, sizeof(why));
	if (rule && !strcmp(rule, "sl0-pa-size")) {
		st->known_pa_size++;
		return;
	}
	/*
	 * An ias under 25 bits, which io-pgtable takes as it takes one not
	 * above the granule (the degenerate configurations): no T0SZ of the
	 * architecture (at most 39) gives it. The caller's choice, not the
	 * kernel's, and no input makes it (the smallest ias is 32): counted.
	 */
	if (rule && mc->ias < 25) {
		st->small_ias++;
		return;
	}
	if (rule)
		disagree("%s: the architecture forbids (%s): %s", cs, rule, why);
	else if (mc->fmt != IOPT_FMT_MALI &&
		 (w.start_level != g->start_level || w.pgd_entries != g->pgd_entries))
		disagree("%s: the registers walk from level %d, %u entries; the model %d, %u",
			 cs, w.start_level, w.pgd_entries, g->start_level, g->pgd_entries);
}

static void geo_one(const struct iopt_model_cfg *mc, struct geo_stats *st)
{
	struct iopt_model_geom g;
	struct io_pgtable_cfg kc;
	struct io_pgtable_ops *ops;
	unsigned long warns = env->warn_total;
	char cs[160];

	cfg_snprint(cs, sizeof(cs), mc);
	iopt_model_geometry(mc, &g);
	ops = kernel_alloc(mc, &kc);
	st->configs++;
	if (!ops != g.rejected)
		disagree("%s: kernel %s, model %s", cs, ops ? "accepts" : "rejects",
			 g.rejected ? "rejects" : "accepts");
	if ((env->warn_total != warns) != g.warn)
		disagree("%s: WARN %s predicted", cs, g.warn ? "was" : "was not");
	if (!ops || g.rejected) {
		port->free_ops(ops);
		if (known_concat_leak(mc, &g)) {
			st->known_leaks++;
			iopt_env_reset(env);	/* the one slab object it leaked */
		}
		return;
	}
	st->accepted++;
	st->per_fmt[mc->fmt]++;
	if (kc.pgsize_bitmap != g.pgsize_bitmap || kc.ias != g.ias || kc.oas != g.oas)
		disagree("%s: kernel pgsizes 0x%lx ias %u oas %u, model 0x%lx %u %u", cs,
			 kc.pgsize_bitmap, kc.ias, kc.oas, g.pgsize_bitmap, g.ias, g.oas);
	if (g.degenerate) {
		st->degenerate++;
	} else {
		geo_check_table(mc, &kc, &g, cs);
		geo_check_regs(mc, &kc, &g, cs, st);
		st->walked++;
	}
	port->free_ops(ops);
	if (env->stats.live_blocks || env->stats.live_slab || env->stats.live_dma_maps)
		disagree("%s: left allocated after free_ops", cs);
}

static void test_geometry(void)
{
	struct iopt_model_cfg mc = {
		.page_shift = env->page_shift, .contract = iopt_build_contract(),
	};
	struct geo_stats st = { 0 };
	int before = reports;
	size_t f, b, i, o, q, c;

	for (f = 0; f < IOPT_FMT_COUNT; f++)
	for (b = 0; b < ARRAY_LEN(geo_bitmaps); b++)
	for (i = 0; i < ARRAY_LEN(geo_ias); i++)
	for (o = 0; o < ARRAY_LEN(geo_oas); o++)
	for (q = 0; q < ARRAY_LEN(geo_quirks); q++)
	for (c = 0; c < 2; c++) {
		mc.fmt = f;
		mc.pgsize_bitmap = geo_bitmaps[b];
		mc.ias = geo_ias[i];
		mc.oas = geo_oas[o];
		mc.quirks = geo_quirks[q];
		mc.coherent_walk = c;
		geo_one(&mc, &st);
		if (!(st.configs % 4096))
			CHECK_EQ(iopt_env_reset(env), 0);
	}
	CHECK_EQ(iopt_env_reset(env), 0);
	CHECK_EQ(reports - before, 0);
	printf("geometry: %lu configurations, %lu accepted (%lu degenerate, %lu walked, %lu with an ias no T0SZ gives), %lu known:s2-concat-leak, %lu known:s2-start-level-pa-size;",
	       st.configs, st.accepted, st.degenerate, st.walked, st.small_ias,
	       st.known_leaks, st.known_pa_size);
	printf(" accepted per format:");
	for (f = 0; f < IOPT_FMT_COUNT; f++)
		printf(" %s %lu", iopt_dec_fmt_name(f), st.per_fmt[f]);
	printf("; %d disagreements\n", reports - before);
}

/* ==== 2. Random op sequences ==== */

struct seq {
	struct iopt_model_cfg mc;
	const struct iopt_model_geom *g;
	struct iopt_model *m;
	struct io_pgtable_cfg kc;
	struct io_pgtable_ops *ops;
	struct iopt_dec_cfg dec;
	uint64_t hi;			/* upper-half bits (TTBR1) */
	uint64_t win, win_len;		/* the IOVA window the ops collide in */
	uint64_t pa_win;		/* and the PA window */
	uint64_t sizes[4];
	unsigned int nsizes, ppt;
	uint64_t recent[8], recent_len[8];	/* ranges mapped lately, to aim unmaps at */
	unsigned int nrecent;
	char cs[160];
	char op[200];
	bool bad;			/* a disagreement: end the sequence */
};

struct seq_stats {
	unsigned long seqs, ops, skipped, maps, unmaps, dirty, set_dirty, known_wrap;
	unsigned long eexist, partial_maps, table_replaced, splits, holes, warns, records;
	unsigned long seqs_fmt[IOPT_FMT_COUNT], ops_fmt[IOPT_FMT_COUNT];
};

static struct seq_stats sst;
static bool trace;	/* IOPT_MODEL_TRACE set: print every op */

static void trace_op(struct seq *s, const struct iopt_model_pred *p)
{
	if (trace)
		printf("  %s -> model ret %ld mapped 0x%zx warn %d%s%s\n", s->op, p->ret,
		       p->mapped, p->warn, p->violation ? " VIOLATION " : " ",
		       p->why ? p->why : "");
}

static void seq_disagree(struct seq *s, const char *what, uint64_t kernel, uint64_t model)
{
	s->bad = true;
	disagree("%s | %s: %s: kernel 0x%" PRIx64 ", model 0x%" PRIx64, s->cs, s->op, what,
		 kernel, model);
}

/*
 * Where the kernel port meets the known bug flush-incoherent-cpu-address
 * at the first PTE write of every non-coherent walk (tests/CMakeLists.txt),
 * the sequences draw coherent walks only: a non-coherent one would end at
 * its first map.
 */
#ifdef IOPT_TEST_NONCOHERENT_KNOWN
static const bool noncoherent_known = true;
#else
static const bool noncoherent_known = false;
#endif

/* A configuration the kernel accepts, for a format chosen uniformly. */
static void pick_cfg(struct iopt_model_cfg *c)
{
	static const unsigned long grans[] = {	/* the last: PAGE_SIZE picks the granule */
		SZ_4K | SZ_2M | SZ_1G, SZ_16K | SZ_32M, SZ_64K | SZ_512M, ~0xfffUL,
	};
	static const unsigned int ias64[] = { 32, 36, 39, 40, 42, 44, 47, 48, 52 };
	static const unsigned int oas[] = { 32, 36, 40, 42, 44, 48, 52 };
	enum iopt_fmt fmt = rnd(IOPT_FMT_COUNT);
	bool is64 = fmt == IOPT_FMT_ARM_64_S1 || fmt == IOPT_FMT_ARM_64_S2;
	struct iopt_model_geom g;
	unsigned int gs;

	do {
		memset(c, 0, sizeof(*c));
		c->page_shift = env->page_shift;
		c->contract = iopt_build_contract();
		c->fmt = fmt;
		c->coherent_walk = rnd(2) || noncoherent_known;
		c->pgsize_bitmap = grans[is64 ? rnd(4) : 0];
		gs = __builtin_ctzl(c->pgsize_bitmap);
		if (c->pgsize_bitmap == ~0xfffUL)
			gs = env->page_shift;
		c->ias = ias64[rnd(ARRAY_LEN(ias64))];
		c->oas = oas[rnd(ARRAY_LEN(oas))];
		if (fmt == IOPT_FMT_ARM_32_S1)
			c->ias = 24 + rnd(9);
		else if (fmt == IOPT_FMT_ARM_32_S2)
			c->ias = 32 + rnd(9);
		else if (fmt == IOPT_FMT_MALI)
			c->ias = 30 + rnd(19);
		if (!is64)
			c->oas = fmt == IOPT_FMT_MALI ? 32 + rnd(9) : oas[rnd(3)];
		if (!rnd(8))		/* tiny input ranges: small PGDs, Mali's forced level 0 */
			c->ias = gs + 1 + rnd(12);
		if (fmt_s1(fmt))
			c->quirks = rnd(64) & (IOPT_Q_ARM_NS | IOPT_Q_ARM_TTBR1 | IOPT_Q_ARM_HD |
					       IOPT_Q_NO_WARN |
					       (c->coherent_walk ? 0 : IOPT_Q_ARM_OUTER_WBWA));
		else if (fmt_s2(fmt))
			c->quirks = rnd(64) & (IOPT_Q_ARM_S2FWB | IOPT_Q_NO_WARN);
		iopt_model_geometry(c, &g);
	} while (g.rejected || g.degenerate);
}

static void seq_window(struct seq *s)
{
	uint64_t top = 1ULL << s->g->ias, big;
	unsigned int b;

	s->nsizes = 0;
	for (b = 0; b < 64; b++)
		if ((s->g->pgsize_bitmap & (1UL << b)) && (1ULL << b) <= top)
			s->sizes[s->nsizes++] = 1ULL << b;
	big = s->sizes[s->nsizes - 1];
	s->win_len = 4 * big <= top ? 4 * big : top;
	s->win = rnd(top / big - s->win_len / big + 1) * big;
	s->ppt = 1u << (s->g->granule_shift - 3);
	s->pa_win = rnd((1ULL << s->g->oas) / big) * big;
	s->hi = s->mc.quirks & IOPT_Q_ARM_TTBR1 ? ~0ULL << s->g->ias : 0;
}

static uint64_t pick_size(struct seq *s)
{
	return s->sizes[rnd(2) ? 0 : rnd(s->nsizes)];
}

/* A slot near the window's start, table-page boundaries, anywhere in it, or in a mapped range. */
static uint64_t pick_iova(struct seq *s, uint64_t pgsize)
{
	uint64_t units = s->win_len / pgsize, k;

	if (s->nrecent && rnd(2)) {
		k = rnd(s->nrecent < 8 ? s->nrecent : 8);
		return (s->recent[k] + rnd(s->recent_len[k])) & ~(pgsize - 1);
	}

	switch (rnd(6)) {
	case 0: k = rnd(4); break;
	case 1: k = rnd(16); break;
	case 2: k = s->ppt - 1 - rnd(3); break;
	case 3: k = s->ppt + rnd(3); break;
	default: k = rnd(units); break;
	}
	return (s->win + (k % units) * pgsize) | s->hi;
}

static size_t pick_count(struct seq *s, uint64_t iova, uint64_t pgsize)
{
	uint64_t room = ((1ULL << s->g->ias) - (iova & ((1ULL << s->g->ias) - 1))) / pgsize;
	size_t n;

	switch (rnd(10)) {
	case 0: n = 2 + rnd(3); break;
	case 1: n = rnd(16); break;
	case 2: n = s->ppt - rnd(3); break;
	case 3: n = s->ppt + rnd(3); break;
	case 4: n = rnd(2 * s->ppt) + 1; break;
	default: n = 1; break;
	}
	if (!rnd(60))
		n = rnd(2) ? 0 : (1ULL << 31) + rnd(4);
	return rnd(10) && n > room ? room : n;
}

static uint64_t pick_pa(struct seq *s, uint64_t pgsize, size_t count)
{
	uint64_t top = 1ULL << s->g->oas, pa;

	switch (rnd(5)) {
	case 0: pa = 0; break;
	case 1: pa = top - pgsize * (count ? count : 1); break;	/* up to the OAS */
	default: pa = s->pa_win + rnd(8 * s->ppt) * pgsize; break;
	}
	return pa & (top - 1) & ~(pgsize - 1);
}

static int pick_prot(void)
{
	int prot = rnd(64);

	if (!(prot & (IOPT_PROT_READ | IOPT_PROT_WRITE)) && rnd(10))
		prot |= 1 + rnd(3);
	return prot;
}

/* Argument errors, now and then: a bad page size, an IOVA or PA out of range. */
static void spoil(struct seq *s, uint64_t *iova, uint64_t *pa, size_t *pgsize)
{
	switch (rnd(40)) {
	case 0:
		*pgsize = rnd(2) ? *pgsize * 3 : (rnd(2) ? 0 : *pgsize << 1);
		break;
	case 1:
		*iova ^= 1ULL << (s->g->ias + rnd(64 - s->g->ias));
		break;
	case 2:
		if (pa)
			*pa |= 1ULL << (s->g->oas + rnd(64 - s->g->oas));
		break;
	case 3:		/* misaligned: a precondition violation, not run */
		*iova += *pgsize >> 1;
		break;
	case 4:		/* two sizes at once: only bits outside the bitmap are refused */
		*pgsize |= s->sizes[rnd(s->nsizes)];
		break;
	}
}

static void dump_leaf(void *ctx, const struct iopt_leaf *l)
{
	char buf[300];

	iopt_leaf_snprint(buf, sizeof(buf), l, *(enum iopt_fmt *)ctx);
	printf("    leaf %s\n", buf);
}

static void dump_table(void *ctx, uint64_t pa, int level, unsigned int entries,
		       uint64_t iova)
{
	printf("    table L%d pa 0x%" PRIx64 " %u entries\n", level, pa, entries);
}

static void dump_tables(const struct iopt_dec_cfg *dec)
{
	enum iopt_fmt fmt = dec->fmt;
	struct iopt_dec_visitor v = { .ctx = &fmt, .leaf = dump_leaf, .table = dump_table };

	iopt_dec_walk(dec, &env_mem, &v);
}

/* The state after an op: tables, table count, translations around [lo, lo + len). */
/* iova_to_phys, run guarded: undefined behaviour in it comes back (guard.c). */
struct i2p {
	struct io_pgtable_ops *ops;
	uint64_t iova, pa;
};

static void i2p_run(void *arg)
{
	struct i2p *x = arg;

	x->pa = x->ops->iova_to_phys(x->ops, x->iova);
}

/*
 * Known upstream bug iova-to-phys-wrap (fuzz/known.c): on the generic
 * walker (6.13 on, inferred), iova_to_phys(ULONG_MAX) walks nothing and
 * builds its result from uninitialised locals.
 */
static bool known_i2p_wrap(uint64_t iova)
{
	return iova + 1 == 0 && IOPT_TREE_VERSION_CODE >= IOPT_KVER(6, 13, 0);
}

static void seq_check_state(struct seq *s, uint64_t lo, uint64_t len)
{
	uint64_t probes[12], k, want, got;
	char why[512];
	int d, i, n = 0;

	if (!iopt_model_consistent(s->m)) {
		s->bad = true;
		disagree("%s | %s: the model broke its own invariants", s->cs, s->op);
		return;
	}
	d = iopt_model_check_tables(s->m, &s->dec, &env_mem, why, sizeof(why));
	if (d) {
		if (trace) {
			dump_tables(&s->dec);
			iopt_model_dump(s->m, stdout);
		}
		s->bad = true;
		disagree("%s | %s: tables: %d differences, first: %s", s->cs, s->op, d, why);
		return;
	}
	if ((uint64_t)env->stats.live_blocks != iopt_model_nr_tables(s->m))
		seq_disagree(s, "live tables", env->stats.live_blocks, iopt_model_nr_tables(s->m));
	probes[n++] = lo;
	probes[n++] = lo + len - 1;
	probes[n++] = lo + len;
	probes[n++] = lo - 1;
	probes[n++] = lo + rnd(len + 1);
	probes[n++] = (lo + rnd(len + 1)) ^ (1ULL << (s->g->ias + rnd(64 - s->g->ias)));
	for (i = 0; i < 4; i++)
		probes[n++] = (s->win + rnd(s->win_len)) | s->hi;
	for (i = 0; i < n && !s->bad; i++) {
		struct i2p x = { .ops = s->ops, .iova = probes[i] };
		bool ok = iopt_guarded(i2p_run, &x, why, sizeof(why));

		k = probes[i];
		got = x.pa;
		want = iopt_model_iova_to_phys(s->m, k);
		if ((!ok || got != want) && known_i2p_wrap(k)) {
			sst.known_wrap++;
			continue;
		}
		if (!ok) {
			s->bad = true;
			disagree("%s | %s: iova_to_phys(0x%" PRIx64 ") trapped in %s",
				 s->cs, s->op, k, why);
		} else if (got != want) {
			snprintf(why, sizeof(why), "iova_to_phys(0x%" PRIx64 ")", k);
			seq_disagree(s, why, got, want);
		}
	}
}

struct counters {
	unsigned long warns, allocs, frees;
};

static void snap(struct counters *c)
{
	c->warns = env->warn_total;
	c->allocs = env->stats.allocs;
	c->frees = env->stats.frees;
}

/* WARN and table allocations of one op against the prediction. */
static void seq_check_side(struct seq *s, const struct counters *c0,
			   const struct iopt_model_pred *p)
{
	bool warned = env->warn_total != c0->warns;

	if (warned != p->warn)
		seq_disagree(s, p->why ? p->why : "WARN", warned, p->warn);
	if (env->stats.allocs - c0->allocs != p->tables_added)
		seq_disagree(s, "tables allocated", env->stats.allocs - c0->allocs,
			     p->tables_added);
	if (env->stats.frees - c0->frees != p->tables_freed)
		seq_disagree(s, "tables freed", env->stats.frees - c0->frees, p->tables_freed);
	sst.warns += warned;
}

static void op_map(struct seq *s)
{
	uint64_t pgsize = pick_size(s), iova = pick_iova(s, pgsize), pa;
	size_t count = pick_count(s, iova, pgsize), mapped0 = rnd(2) ? 0 : rnd(1 << 20), mapped;
	struct iopt_model_pred p;
	struct counters c0;
	int prot = pick_prot(), ret;

	pa = pick_pa(s, pgsize, count);
	spoil(s, &iova, &pa, &pgsize);
	snprintf(s->op, sizeof(s->op), "map iova 0x%" PRIx64 " pa 0x%" PRIx64
		 " pgsize 0x%" PRIx64 " x %zu prot 0x%x", iova, pa, pgsize, count, prot);
	iopt_model_map(s->m, iova, pa, pgsize, count, prot, mapped0, &p);
	trace_op(s, &p);
	if (p.violation) {
		sst.skipped++;
		return;
	}
	snap(&c0);
	mapped = mapped0;
	ret = s->ops->map_pages(s->ops, iova, pa, pgsize, count, prot, GFP_KERNEL, &mapped);
	sst.maps++;
	if (ret != p.ret)
		seq_disagree(s, "ret", ret, p.ret);
	if (mapped != p.mapped)
		seq_disagree(s, "mapped", mapped, p.mapped);
	seq_check_side(s, &c0, &p);
	sst.eexist += ret == -EEXIST;
	sst.partial_maps += !ret && mapped - mapped0 < count * pgsize;
	sst.table_replaced += !ret && p.tables_freed;
	if (!ret && mapped != mapped0) {
		s->recent[s->nrecent % 8] = iova;
		s->recent_len[s->nrecent++ % 8] = mapped - mapped0;
	}
	seq_check_state(s, iova, pgsize * (count ? count : 1));
}

static void op_unmap(struct seq *s)
{
	uint64_t pgsize = pick_size(s), iova = pick_iova(s, pgsize);
	size_t count = pick_count(s, iova, pgsize), got;
	struct iommu_iotlb_gather gather = { .queued = rnd(2) };
	struct iopt_model_pred p;
	struct counters c0;

	spoil(s, &iova, NULL, &pgsize);
	snprintf(s->op, sizeof(s->op), "unmap iova 0x%" PRIx64 " pgsize 0x%" PRIx64 " x %zu",
		 iova, pgsize, count);
	iopt_model_unmap(s->m, iova, pgsize, count, &p);
	trace_op(s, &p);
	if (p.violation) {
		sst.skipped++;
		return;
	}
	snap(&c0);
	got = s->ops->unmap_pages(s->ops, iova, pgsize, count, rnd(3) ? &gather : NULL);
	sst.unmaps++;
	if ((long)got != p.ret)
		seq_disagree(s, "ret", got, p.ret);
	seq_check_side(s, &c0, &p);
	sst.splits += p.tables_added != 0;
	sst.holes += p.ret == 0;
	seq_check_state(s, iova, pgsize * (count ? count : 1));
}

#if IOPT_TREE_HAS_DIRTY
#define MAX_RECORDS	64

struct records {
	struct iova_bitmap bitmap;	/* first: the kernel's record callback gets it */
	uint64_t iova[MAX_RECORDS], len[MAX_RECORDS];
	unsigned int n;
};

static void record(void *ctx, uint64_t iova, uint64_t len)
{
	struct records *r = ctx;

	if (r->n < MAX_RECORDS) {
		r->iova[r->n] = iova;
		r->len[r->n] = len;
	}
	r->n++;
}

static void kernel_record(struct iova_bitmap *bitmap, unsigned long iova, unsigned long len)
{
	record(bitmap, iova, len);
}

static void op_dirty(struct seq *s)
{
	uint64_t gran = 1ULL << s->g->granule_shift, iova = pick_iova(s, gran), size;
	unsigned long flags = rnd(3) ? 0 : IOMMU_DIRTY_NO_CLEAR;
	struct records kr = { .bitmap.record = kernel_record }, mr = { 0 };
	struct iommu_dirty_bitmap dirty = { .bitmap = &kr.bitmap };
	struct iopt_model_pred p;
	struct counters c0;
	unsigned int i, k;
	int ret;

	size = rnd(20) ? (1 + rnd(4)) * pick_size(s) - rnd(2) * rnd(gran) : 0;
	if (s->nrecent && rnd(2)) {	/* a whole mapped range, give or take */
		k = rnd(s->nrecent < 8 ? s->nrecent : 8);
		iova = s->recent[k];
		size = s->recent_len[k] + (rnd(2) ? rnd(2 * gran) : 0);
	}
	if (!rnd(4))		/* unaligned: the walk keeps the offset */
		iova += rnd(gran);
	snprintf(s->op, sizeof(s->op), "read_and_clear_dirty iova 0x%" PRIx64 " size 0x%" PRIx64
		 " flags %lu", iova, size, flags);
	iopt_model_read_and_clear_dirty(s->m, iova, size, flags, record, &mr, &p);
	trace_op(s, &p);
	snap(&c0);
	ret = s->ops->read_and_clear_dirty(s->ops, iova, size, flags, &dirty);
	sst.dirty++;
	if (ret != p.ret)
		seq_disagree(s, "ret", ret, p.ret);
	seq_check_side(s, &c0, &p);
	if (kr.n != mr.n)
		seq_disagree(s, "dirty records", kr.n, mr.n);
	for (i = 0; i < kr.n && i < mr.n && i < MAX_RECORDS && !s->bad; i++)
		if (kr.iova[i] != mr.iova[i] || kr.len[i] != mr.len[i])
			seq_disagree(s, "dirty record iova", kr.iova[i], mr.iova[i]);
	sst.records += kr.n;
	seq_check_state(s, iova, size);
}
#endif

/* The kernel's leaf descriptor that translates iova, found with the decoder's helpers. */
static uint64_t *kernel_leaf_ptep(const struct iopt_dec_cfg *d, uint64_t iova)
{
	uint64_t pa = d->ttbr, base, size;
	unsigned int n = d->pgd_entries;
	struct iopt_ent e;
	uint64_t *ptep;
	int lvl;

	for (lvl = d->start_level; lvl <= 3; lvl++) {
		const uint8_t *host = iopt_phys_lookup(env, pa, &base, &size);

		if (!host)
			return NULL;
		ptep = (uint64_t *)(host + (pa - base)) +
		       ((iova >> iopt_dec_level_shift(d, lvl)) & (n - 1));
		iopt_dec_entry(d, lvl, *ptep, &e);
		if (e.type == IOPT_ENT_LEAF)
			return ptep;
		if (e.type != IOPT_ENT_TABLE)
			return NULL;
		pa = e.addr;
		n = 1u << (d->granule_shift - 3);
	}
	return NULL;
}

/* A device write under HD: DBM set, so the SMMU clears AP[2]. */
static void op_set_dirty(struct seq *s)
{
	uint64_t iova = pick_iova(s, s->sizes[0]);
	uint64_t *ptep = kernel_leaf_ptep(&s->dec, iova);

	snprintf(s->op, sizeof(s->op), "device write at 0x%" PRIx64, iova);
	if (ptep && (*ptep & PTE_DBM))
		*ptep &= ~PTE_AP_RDONLY;
	iopt_model_set_dirty(s->m, iova);
	sst.set_dirty++;
	seq_check_state(s, iova, 1);
}

static void run_sequence(unsigned int nops)
{
	struct seq s = { 0 };
	unsigned int i;

	pick_cfg(&s.mc);
	cfg_snprint(s.cs, sizeof(s.cs), &s.mc);
	s.m = iopt_model_new(&s.mc);
	s.ops = kernel_alloc(&s.mc, &s.kc);
	if (!s.m || !s.ops) {
		disagree("%s: model %p, kernel %p", s.cs, (void *)s.m, (void *)s.ops);
		goto out;
	}
	s.g = iopt_model_get_geom(s.m);
	iopt_model_dec_cfg(s.m, kernel_ttbr(&s.kc, s.mc.fmt), &s.dec);
	seq_window(&s);
	if (trace)
		printf("sequence %lu: %s\n", sst.seqs, s.cs);
	sst.seqs++;
	sst.seqs_fmt[s.mc.fmt]++;
	for (i = 0; i < nops && !s.bad; i++) {
		unsigned long before = sst.maps + sst.unmaps + sst.dirty + sst.set_dirty;
		unsigned int pick = rnd(100);

		if (pick < 50)
			op_map(&s);
		else if (pick < 85)
			op_unmap(&s);
#if IOPT_TREE_HAS_DIRTY
		else if (pick < 94)
			op_dirty(&s);
#endif
		else if (s.mc.quirks & IOPT_Q_ARM_HD)
			op_set_dirty(&s);
		else
			op_map(&s);
		if (sst.maps + sst.unmaps + sst.dirty + sst.set_dirty != before) {
			sst.ops++;
			sst.ops_fmt[s.mc.fmt]++;
		}
	}
out:
	port->free_ops(s.ops);
	iopt_model_free(s.m);
	if (env->stats.live_blocks || env->stats.live_slab || env->stats.live_dma_maps ||
	    env->report_total)
		disagree("%s: after free_ops: %ld tables, %ld slab objects, %ld DMA maps, %lu reports",
			 s.cs, env->stats.live_blocks, env->stats.live_slab,
			 env->stats.live_dma_maps, env->report_total);
	if (iopt_env_reset(env))
		disagree("%s: leaks at reset", s.cs);
}

static void test_sequences(unsigned int nseq)
{
	int before = reports;
	clock_t t0 = clock();
	unsigned int i;
	int f;

	for (i = 0; i < nseq; i++)
		run_sequence(5 + rnd(40));
	CHECK_EQ(reports - before, 0);
	printf("sequences: %lu sequences, %lu ops (%lu map, %lu unmap, %lu dirty reads, %lu device writes), %lu skipped as violations; per format (sequences/ops):",
	       sst.seqs, sst.ops, sst.maps, sst.unmaps, sst.dirty, sst.set_dirty, sst.skipped);
	for (f = 0; f < IOPT_FMT_COUNT; f++)
		printf(" %s %lu/%lu", iopt_dec_fmt_name(f), sst.seqs_fmt[f], sst.ops_fmt[f]);
	printf("; seen: %lu -EEXIST, %lu partial maps, %lu maps over tables, %lu splits, %lu unmaps returning 0, %lu WARNs, %lu dirty records, %lu known:iova-to-phys-wrap; %.1f s; %d disagreements\n",
	       sst.eexist, sst.partial_maps, sst.table_replaced, sst.splits, sst.holes,
	       sst.warns, sst.records, sst.known_wrap,
	       (double)(clock() - t0) / CLOCKS_PER_SEC, reports - before);
	if (noncoherent_known)
		printf("sequences: coherent walks only (every non-coherent one meets known:flush-incoherent-cpu-address at its first map)\n");
}

/* ==== 3. Planted disagreements ==== */

static int check_now(struct iopt_model *m, const struct iopt_dec_cfg *dec)
{
	char why[400];

	return iopt_model_check_tables(m, dec, &env_mem, why, sizeof(why));
}

/* Flip every bit of the leaf that translates iova in turn: each flip must be seen. */
static void plant_bit_flips(struct iopt_model *m, const struct iopt_dec_cfg *dec, uint64_t iova,
			    unsigned int *caught, unsigned int *tried)
{
	uint64_t *ptep = kernel_leaf_ptep(dec, iova);
	unsigned int b;

	if (!CHECK(ptep))
		return;
	for (b = 0; b < 64; b++) {
		*ptep ^= 1ULL << b;
		*caught += check_now(m, dec) > 0;
		(*tried)++;
		*ptep ^= 1ULL << b;
	}
	CHECK_EQ(check_now(m, dec), 0);
}

static void test_planted(void)
{
	static const int flips[] = {
		IOPT_PROT_WRITE, IOPT_PROT_CACHE, IOPT_PROT_NOEXEC, IOPT_PROT_MMIO, IOPT_PROT_PRIV,
	};
	static const enum iopt_fmt fmts[] = {
		IOPT_FMT_ARM_64_S1, IOPT_FMT_ARM_64_S2, IOPT_FMT_MALI,
	};
	struct iopt_model_cfg mc = {
		.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G, .ias = 40, .oas = 40,
		.coherent_walk = true, .page_shift = env->page_shift,
		.contract = iopt_build_contract(),
	};
	unsigned int caught = 0, tried = 0, pcaught = 0, ptried = 0, i, f;
	const int prot = IOPT_PROT_READ | IOPT_PROT_WRITE;
	struct iopt_model_pred p;
	struct io_pgtable_cfg kc;
	struct io_pgtable_ops *ops;
	struct iopt_dec_cfg dec;
	struct iopt_model *m;
	size_t mapped = 0;

	for (f = 0; f < ARRAY_LEN(fmts); f++) {
		mc.fmt = fmts[f];
		m = iopt_model_new(&mc);
		ops = kernel_alloc(&mc, &kc);
		if (!CHECK(m && ops))
			return;
		iopt_model_dec_cfg(m, kernel_ttbr(&kc, mc.fmt), &dec);
		/* a 1G block, a 2M block and a 4K page, then every bit of each */
		for (i = 0; i < 3; i++) {
			uint64_t sz = i == 0 ? SZ_1G : i == 1 ? SZ_2M : SZ_4K;
			uint64_t iova = (i + 1) * (uint64_t)SZ_1G + 5 * sz;
			uint64_t pa = 0x4000000000ULL + 7 * sz;

			ops->map_pages(ops, iova, pa, sz, 1, prot, GFP_KERNEL, &mapped);
			iopt_model_map(m, iova, pa, sz, 1, prot, 0, &p);
			CHECK_EQ(check_now(m, &dec), 0);
			plant_bit_flips(m, &dec, iova, &caught, &tried);
		}
		/* the model told another prot than the kernel was */
		for (i = 0; i < ARRAY_LEN(flips); i++) {
			uint64_t iova = 32ULL * SZ_1G + i * SZ_4K;
			int wrong = prot ^ flips[i];

			ops->map_pages(ops, iova, iova, SZ_4K, 1, prot, GFP_KERNEL, &mapped);
			iopt_model_map(m, iova, iova, SZ_4K, 1, wrong, 0, &p);
			/* PRIV means nothing outside stage 1 */
			if (fmt_s1(mc.fmt) || flips[i] != IOPT_PROT_PRIV) {
				pcaught += check_now(m, &dec) > 0;
				ptried++;
			}
			ops->unmap_pages(ops, iova, SZ_4K, 1, NULL);
			iopt_model_unmap(m, iova, SZ_4K, 1, &p);
		}
		CHECK_EQ(check_now(m, &dec), 0);
		port->free_ops(ops);
		iopt_model_free(m);
	}
	CHECK_EQ(iopt_env_reset(env), 0);
	CHECK_EQ(caught, tried);
	CHECK_EQ(pcaught, ptried);
	printf("planted: %u/%u single-bit flips of a leaf caught, %u/%u wrong prots caught\n",
	       caught, tried, pcaught, ptried);
}

/* ==== 4. The contract generations, against hand-derived expectations ==== */

/*
 * Each case runs on the model alone, under one generation, and says what
 * happened in a few words; the table below says what each generation must
 * give, from the generation in its row until the case's next row. Derived
 * by hand from the kernel's history (docs/contracts.md), not from the model.
 */
#define GEN_S1		.fmt = IOPT_FMT_ARM_64_S1, .pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G, \
			.ias = 48, .oas = 48, .coherent_walk = true
#define GEN_S2(i, o)	.fmt = IOPT_FMT_ARM_64_S2, .pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G, \
			.ias = i, .oas = o, .coherent_walk = true

struct contract_case {
	const char *name;
	struct iopt_model_cfg cfg;	/* page_shift and contract filled in */
	void (*run)(struct iopt_model *m, char *out, size_t n);	/* NULL: geometry only */
};

/* Partial unmap of a 2M block: split, or refused with the block kept. */
static void run_partial_unmap(struct iopt_model *m, char *out, size_t n)
{
	struct iopt_model_pred p;

	iopt_model_map(m, SZ_2M, 0x40000000, SZ_2M, 1, IOPT_PROT_READ, 0, &p);
	iopt_model_unmap(m, SZ_2M + SZ_4K, SZ_4K, 1, &p);
	snprintf(out, n, "ret %ld%s, %u table(s) added; 0x201000 -> 0x%" PRIx64, p.ret,
		 p.warn ? ", WARN" : "", p.tables_added,
		 iopt_model_iova_to_phys(m, SZ_2M + SZ_4K));
}

/* An unmap where nothing is mapped: its walk meets an empty top-level entry. */
static void run_unmap_hole(struct iopt_model *m, char *out, size_t n)
{
	struct iopt_model_pred p;

	iopt_model_unmap(m, SZ_2M, SZ_4K, 1, &p);
	snprintf(out, n, "ret %ld%s", p.ret, p.warn ? ", WARN" : "");
}

static void count_record(void *ctx, uint64_t iova, uint64_t len)
{
	(*(unsigned int *)ctx)++;
}

/* read_and_clear_dirty over a mapped page and the hole after it. */
static void run_dirty_hole(struct iopt_model *m, char *out, size_t n)
{
	struct iopt_model_pred p;
	unsigned int records = 0;

	iopt_model_map(m, 0, 0x40000000, SZ_4K, 1, IOPT_PROT_READ | IOPT_PROT_WRITE, 0, &p);
	iopt_model_read_and_clear_dirty(m, 0, 2 * SZ_4K, 0, count_record, &records, &p);
	if (p.violation)
		snprintf(out, n, "no such op");
	else
		snprintf(out, n, "ret %ld%s, %u record(s)", p.ret, p.warn ? ", WARN" : "", records);
}

static void run_pgd_sizes(struct iopt_model *m, char *out, size_t n)
{
	size_t alloc, freed;

	iopt_model_pgd_sizes(m, &alloc, &freed);
	snprintf(out, n, "alloc %zu, free %zu", alloc, freed);
}

/* The contiguous bit of the leaf translating iova: 1, 0, or - (none). */
static char cont_bit(const struct iopt_model *m, uint64_t iova)
{
	struct iopt_model_walk w;
	struct iopt_model_pred p;

	iopt_model_pgtable_walk(m, iova, &w, &p);
	if (p.ret || !w.leaf)
		return '-';
	return w.pte >> 52 & 1 ? '1' : '0';
}

static void run_pgsizes(struct iopt_model *m, char *out, size_t n)
{
	snprintf(out, n, "pgsizes 0x%lx", iopt_model_get_geom(m)->pgsize_bitmap);
}

/*
 * Two 64K groups of 4K pages (one map of the contiguous size, pgcount 2),
 * then a 4K unmap of the pages on either side of their boundary: both
 * groups are broken, and what stays mapped loses the contiguous bit.
 */
static void run_cont_4k(struct iopt_model *m, char *out, size_t n)
{
	struct iopt_model_pred p;
	int len;

	iopt_model_map(m, 0, 0x40000000, SZ_64K, 2, IOPT_PROT_READ, 0, &p);
	len = snprintf(out, n, "map ret %ld%s, mapped 0x%zx, cont %c%c; ", p.ret,
		       p.warn ? ", WARN" : "", p.mapped, cont_bit(m, 0), cont_bit(m, 0x1f000));
	if (p.ret)
		return;
	iopt_model_unmap(m, 0xf000, SZ_4K, 2, &p);
	snprintf(out + len, n - len, "unmap ret %ld, cont %c%c%c%c",
		 p.ret, cont_bit(m, 0), cont_bit(m, 0xf000), cont_bit(m, 0x10000),
		 cont_bit(m, 0x1f000));
}

/*
 * Two 64K groups; a 4K unmap breaks the first; an unmap of both by the
 * contiguous size stops at the hole it left (a WARN, what it removed):
 * the second group, untouched, stays whole.
 */
static void run_cont_hole(struct iopt_model *m, char *out, size_t n)
{
	struct iopt_model_pred p;
	int len;

	iopt_model_map(m, 0, 0x40000000, SZ_64K, 2, IOPT_PROT_READ, 0, &p);
	iopt_model_unmap(m, 0x5000, SZ_4K, 1, &p);
	len = snprintf(out, n, "unmap ret %ld, cont %c%c; ", p.ret, cont_bit(m, 0),
		       cont_bit(m, 0x10000));
	iopt_model_unmap(m, 0, SZ_64K, 2, &p);
	snprintf(out + len, n - len, "unmap ret %ld%s, cont %c%c", p.ret, p.warn ? ", WARN" : "",
		 cont_bit(m, 0x6000), cont_bit(m, 0x10000));
}

/* A 32M group of 2M blocks, unmapped by its contiguous size. */
static void run_cont_2m(struct iopt_model *m, char *out, size_t n)
{
	struct iopt_model_pred p;
	int len;

	iopt_model_map(m, SZ_32M, 0x40000000, SZ_32M, 1, IOPT_PROT_READ, 0, &p);
	len = snprintf(out, n, "map ret %ld%s, cont %c; ", p.ret, p.warn ? ", WARN" : "",
		       cont_bit(m, SZ_32M + SZ_2M));
	iopt_model_unmap(m, SZ_32M, SZ_32M, 1, &p);
	snprintf(out + len, n - len, "unmap ret %ld%s, 0x2200000 -> 0x%" PRIx64, p.ret,
		 p.warn ? ", WARN" : "", iopt_model_iova_to_phys(m, SZ_32M + SZ_2M));
}

/* 16K granule: a 2M group is 128 pages. */
static void run_cont_16k(struct iopt_model *m, char *out, size_t n)
{
	struct iopt_model_pred p;

	iopt_model_map(m, 0, 0x40000000, SZ_2M, 1, IOPT_PROT_READ, 0, &p);
	snprintf(out, n, "map ret %ld%s, mapped 0x%zx, cont %c%c, %zu leaves", p.ret,
		 p.warn ? ", WARN" : "", p.mapped, cont_bit(m, 0), cont_bit(m, SZ_2M - SZ_16K),
		 iopt_model_nr_leaves(m));
}

static const struct contract_case contract_cases[] = {
	/* stage-2 concatenation: at most 16 level-0 entries, or where mandatory */
	{ "s2 4K ias 40 oas 40", { GEN_S2(40, 40) }, NULL },
	{ "s2 4K ias 40 oas 44", { GEN_S2(40, 44) }, NULL },
	{ "s2 4K ias 44 oas 40", { GEN_S2(44, 40) }, NULL },
	{ "s2 16K ias 40 oas 40", { .fmt = IOPT_FMT_ARM_64_S2, .pgsize_bitmap = SZ_16K | SZ_32M,
				    .ias = 40, .oas = 40, .coherent_walk = true }, NULL },
	/* the quirks each format accepts */
	{ "s1 HD", { GEN_S1, .quirks = IOPT_Q_ARM_HD }, NULL },
	{ "s2 S2FWB", { GEN_S2(48, 48), .quirks = IOPT_Q_ARM_S2FWB }, NULL },
	{ "s1 NO_WARN", { GEN_S1, .quirks = IOPT_Q_NO_WARN }, NULL },
	{ "s2 NO_WARN", { GEN_S2(48, 48), .quirks = IOPT_Q_NO_WARN }, NULL },
	{ "mali NO_WARN", { .fmt = IOPT_FMT_MALI, .pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
			    .ias = 48, .oas = 40, .quirks = IOPT_Q_NO_WARN }, NULL },
	/* unmap */
	{ "s1 partial unmap", { GEN_S1 }, run_partial_unmap },
	{ "s1 unmap a hole", { GEN_S1 }, run_unmap_hole },
	{ "s1 NO_WARN unmap a hole", { GEN_S1, .quirks = IOPT_Q_NO_WARN }, run_unmap_hole },
	/* read_and_clear_dirty */
	{ "s1 dirty over a hole", { GEN_S1 }, run_dirty_hole },
	{ "s1 HD dirty over a hole", { GEN_S1, .quirks = IOPT_Q_ARM_HD }, run_dirty_hole },
	/* the 32-byte top table of ARM_32_LPAE_S1 ias 32, as cfg->alloc/free see it */
	{ "s1-32 pgd", { .fmt = IOPT_FMT_ARM_32_S1, .pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
			 .ias = 32, .oas = 40, .coherent_walk = true }, run_pgd_sizes },
	/* the contiguous hint (proposal 7.2+cont-hint) */
	{ "s1 pgsizes", { GEN_S1 }, run_pgsizes },
	{ "s1 4K-only pgsizes", { .fmt = IOPT_FMT_ARM_64_S1, .pgsize_bitmap = SZ_4K,
				  .ias = 48, .oas = 48, .coherent_walk = true }, run_pgsizes },
	{ "s2 64K pgsizes", { .fmt = IOPT_FMT_ARM_64_S2, .pgsize_bitmap = SZ_64K | SZ_512M,
			      .ias = 48, .oas = 48, .coherent_walk = true }, run_pgsizes },
	{ "s1 cont 64K", { GEN_S1 }, run_cont_4k },
	{ "s1 cont 32M", { GEN_S1 }, run_cont_2m },
	{ "s1 cont unmap meets a hole", { GEN_S1 }, run_cont_hole },
	{ "s1 16K cont 2M", { .fmt = IOPT_FMT_ARM_64_S1, .pgsize_bitmap = SZ_16K | SZ_32M,
			      .ias = 48, .oas = 48, .coherent_walk = true }, run_cont_16k },
};

static const struct {
	const char *cse, *from, *want;
} contract_want[] = {
	{ "s2 4K ias 40 oas 40", "6.1", "level 1, 1024 entries" },
	{ "s2 4K ias 40 oas 44", "6.1", "level 1, 1024 entries" },
	{ "s2 4K ias 40 oas 44", "6.13", "level 0, 2 entries" },
	{ "s2 4K ias 44 oas 40", "6.1", "level 0, 32 entries" },
	{ "s2 4K ias 44 oas 40", "6.13", "rejected, WARN" },
	{ "s2 16K ias 40 oas 40", "6.1", "level 1, 16 entries" },
	{ "s2 16K ias 40 oas 40", "6.13", "level 2, 32768 entries" },
	{ "s1 HD", "6.1", "rejected" },
	{ "s1 HD", "6.12", "level 0, 512 entries" },
	{ "s2 S2FWB", "6.1", "rejected" },
	{ "s2 S2FWB", "6.13", "level 0, 512 entries" },
	{ "s1 NO_WARN", "6.1", "rejected" },
	{ "s1 NO_WARN", "6.16", "level 0, 512 entries" },
	{ "s2 NO_WARN", "6.1", "rejected" },
	{ "s2 NO_WARN", "6.16", "level 0, 512 entries" },
	{ "mali NO_WARN", "6.1", "rejected" },
	{ "s1 partial unmap", "6.1", "ret 4096, 1 table(s) added; 0x201000 -> 0x0" },
	{ "s1 partial unmap", "6.13", "ret 0, WARN, 0 table(s) added; 0x201000 -> 0x40001000" },
	{ "s1 unmap a hole", "6.1", "ret 0, WARN" },
	{ "s1 unmap a hole", "6.16", "ret -2, WARN" },
	{ "s1 unmap a hole", "7.0", "ret 0, WARN" },
	{ "s1 NO_WARN unmap a hole", "6.1", "rejected" },
	{ "s1 NO_WARN unmap a hole", "6.16", "ret -2" },
	{ "s1 NO_WARN unmap a hole", "7.0", "ret 0" },
	{ "s1 dirty over a hole", "6.1", "no such op" },
	{ "s1 dirty over a hole", "6.12", "ret -22, WARN, 0 record(s)" },
	{ "s1 dirty over a hole", "6.13", "ret -22, 0 record(s)" },
	{ "s1 HD dirty over a hole", "6.1", "rejected" },
	{ "s1 HD dirty over a hole", "6.12", "ret -22, WARN, 1 record(s)" },
	{ "s1 HD dirty over a hole", "6.13", "ret -22, 1 record(s)" },
	{ "s1-32 pgd", "6.1", "alloc 32, free 32" },
	{ "s1-32 pgd", "6.16", "alloc 64, free 32" },
	{ "s1-32 pgd", "7.2", "alloc 64, free 64" },
	{ "s1 pgsizes", "6.1", "pgsizes 0x40201000" },
	{ "s1 pgsizes", "7.2+cont-hint", "pgsizes 0x42211000" },
	{ "s1 4K-only pgsizes", "6.1", "pgsizes 0x1000" },
	{ "s1 4K-only pgsizes", "7.2+cont-hint", "pgsizes 0x2011000" },
	{ "s2 64K pgsizes", "6.1", "pgsizes 0x20010000" },
	{ "s2 64K pgsizes", "7.2+cont-hint", "pgsizes 0x420210000" },
	{ "s1 cont 64K", "6.1", "map ret -22, WARN, mapped 0x0, cont --; " },
	{ "s1 cont 64K", "7.2+cont-hint",
	  "map ret 0, mapped 0x20000, cont 11; unmap ret 8192, cont 0--0" },
	{ "s1 cont unmap meets a hole", "6.1", "unmap ret 0, cont --; unmap ret 0, WARN, cont --" },
	{ "s1 cont unmap meets a hole", "6.16", "unmap ret -2, cont --; unmap ret 0, WARN, cont --" },
	{ "s1 cont unmap meets a hole", "7.0", "unmap ret 0, cont --; unmap ret 0, WARN, cont --" },
	{ "s1 cont unmap meets a hole", "7.2+cont-hint",
	  "unmap ret 4096, cont 01; unmap ret 20480, WARN, cont 01" },
	{ "s1 cont 32M", "6.1", "map ret -22, WARN, cont -; unmap ret 0, WARN, 0x2200000 -> 0x0" },
	{ "s1 cont 32M", "7.2+cont-hint", "map ret 0, cont 1; unmap ret 33554432, 0x2200000 -> 0x0" },
	{ "s1 16K cont 2M", "6.1", "map ret -22, WARN, mapped 0x0, cont --, 0 leaves" },
	{ "s1 16K cont 2M", "7.2+cont-hint", "map ret 0, mapped 0x200000, cont 11, 128 leaves" },
};

static int contract_index(const char *name)
{
	int i;

	for (i = 0; iopt_contracts[i]; i++)
		if (!strcmp(iopt_contracts[i]->name, name))
			return i;
	return -1;
}

/* What case c gives under contract k. */
static void contract_run(const struct contract_case *c, const struct iopt_contract *k,
			 char *out, size_t n)
{
	struct iopt_model_cfg cfg = c->cfg;
	struct iopt_model_geom g;
	struct iopt_model *m;

	cfg.page_shift = 12;
	cfg.contract = k;
	iopt_model_geometry(&cfg, &g);
	if (g.rejected) {
		snprintf(out, n, "rejected%s", g.warn ? ", WARN" : "");
		return;
	}
	if (!c->run) {
		snprintf(out, n, "level %d, %u entries", g.start_level, g.pgd_entries);
		return;
	}
	m = iopt_model_new(&cfg);
	if (!CHECK(m))
		return;
	c->run(m, out, n);
	iopt_model_free(m);
}

/* The table itself: names, order, the version each tree gets, the build's choice. */
static void test_contract_table(void)
{
	static const struct {
		unsigned int code;
		const char *want;	/* NULL: older than every generation */
	} versions[] = {
		{ IOPT_KVER(5, 15, 0), NULL }, { IOPT_KVER(6, 0, 19), NULL },
		{ IOPT_KVER(6, 1, 0), "6.1" }, { IOPT_KVER(6, 1, 192), "6.1" },
		{ IOPT_KVER(6, 11, 255), "6.1" }, { IOPT_KVER(6, 12, 117), "6.12" },
		{ IOPT_KVER(6, 13, 0), "6.13" }, { IOPT_KVER(6, 15, 9), "6.13" },
		{ IOPT_KVER(6, 16, 0), "6.16" }, { IOPT_KVER(6, 19, 3), "6.16" },
		{ IOPT_KVER(7, 0, 0), "7.0" }, { IOPT_KVER(7, 1, 300), "7.0" },
		{ IOPT_KVER(7, 2, 13), "7.2" }, { IOPT_KVER(7, 3, 4), "7.2" },
	};
	const struct iopt_contract *k;
	size_t i, j;

	for (i = 0; iopt_contracts[i]; i++) {
		CHECK(iopt_contract_by_name(iopt_contracts[i]->name) == iopt_contracts[i]);
		CHECK(iopt_contract_for_version(iopt_contracts[i]->first) == iopt_contracts[i]);
		if (i)
			CHECK(iopt_contracts[i - 1]->first < iopt_contracts[i]->first);
	}
	CHECK(!iopt_contract_by_name("7.3") && !iopt_contract_by_name("") &&
	      !iopt_contract_by_name(NULL));
	/* a proposal: by its name, never by a version; it builds on a generation */
	for (i = 0; iopt_contract_proposals[i]; i++) {
		k = iopt_contract_proposals[i];
		CHECK(iopt_contract_by_name(k->name) == k);
		CHECK(iopt_contract_for_version(k->first) != k &&
		      iopt_contract_for_version(k->first));
	}
	for (i = 0; i < ARRAY_LEN(versions); i++) {
		k = iopt_contract_for_version(versions[i].code);
		if (!CHECK(versions[i].want ? k && !strcmp(k->name, versions[i].want) : !k))
			fprintf(stderr, "  version 0x%x: contract %s, want %s\n", versions[i].code,
				k ? k->name : "none", versions[i].want ? versions[i].want : "none");
	}
	/* every fact names a distinct bool field */
	for (i = 0; i < iopt_contract_nfacts; i++)
		for (j = 0; j < i; j++)
			CHECK(iopt_contract_facts[i].field != iopt_contract_facts[j].field &&
			      strcmp(iopt_contract_facts[i].key, iopt_contract_facts[j].key));
	/* the build's: the version's, unless IOPT_CONTRACT chose another */
	k = iopt_build_contract();
	CHECK(k);
	if (!strncmp(IOPT_CONTRACT_CHOSEN_BY, "version", 7))
		CHECK(k == iopt_contract_for_version(IOPT_TREE_VERSION_CODE));
}

/* What the table says case cc gives under generation g (an index of iopt_contracts). */
static const char *contract_expect(const struct contract_case *cc, int g)
{
	const char *want = NULL;
	int from, best = -1;
	size_t r;

	for (r = 0; r < ARRAY_LEN(contract_want); r++) {
		if (strcmp(contract_want[r].cse, cc->name))
			continue;
		from = contract_index(contract_want[r].from);
		if (from >= 0 && from <= g && from > best) {
			best = from;
			want = contract_want[r].want;
		}
	}
	return want;
}

/* ... under a proposal: its own row, else what the generation it builds on gives. */
static const char *proposal_expect(const struct contract_case *cc, const struct iopt_contract *k)
{
	size_t r;

	for (r = 0; r < ARRAY_LEN(contract_want); r++)
		if (!strcmp(contract_want[r].cse, cc->name) &&
		    !strcmp(contract_want[r].from, k->name))
			return contract_want[r].want;
	return contract_expect(cc, contract_index(iopt_contract_for_version(k->first)->name));
}

static void contract_judge(const struct contract_case *cc, const struct iopt_contract *k,
			   const char *want)
{
	char got[160];

	contract_run(cc, k, got, sizeof(got));
	if (!want)
		disagree("contract %s, %s: no expectation (got \"%s\")", k->name, cc->name, got);
	else if (strcmp(got, want))
		disagree("contract %s, %s: model \"%s\", expected \"%s\"", k->name, cc->name,
			 got, want);
}

static void test_contracts(void)
{
	int before = reports, g, p, checked = 0;
	size_t c, r;

	test_contract_table();
	for (r = 0; r < ARRAY_LEN(contract_want); r++)
		CHECK(contract_index(contract_want[r].from) >= 0 ||
		      iopt_contract_by_name(contract_want[r].from));
	for (c = 0; c < ARRAY_LEN(contract_cases); c++) {
		const struct contract_case *cc = &contract_cases[c];

		for (g = 0; iopt_contracts[g]; g++, checked++)
			contract_judge(cc, iopt_contracts[g], contract_expect(cc, g));
		for (p = 0; iopt_contract_proposals[p]; p++, checked++)
			contract_judge(cc, iopt_contract_proposals[p],
				       proposal_expect(cc, iopt_contract_proposals[p]));
	}
	CHECK_EQ(reports - before, 0);
	printf("contracts: %d generations and %d proposals x %zu cases = %d checked against the table; %d disagreements\n",
	       g, p, ARRAY_LEN(contract_cases), checked, reports - before);
}

/* The model's self-check: silent on a sound shadow, caught on each planted break. */
static void test_consistent(void)
{
	static const enum iopt_model_break breaks[] = {
		IOPT_BREAK_COUNT, IOPT_BREAK_ORDER, IOPT_BREAK_ALIGN,
	};
	struct iopt_model_cfg mc = {
		.fmt = IOPT_FMT_ARM_64_S1, .pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
		.ias = 48, .oas = 48, .coherent_walk = true, .page_shift = 12,
		.contract = iopt_build_contract(),
	};
	const int prot = IOPT_PROT_READ | IOPT_PROT_WRITE;
	unsigned int caught = 0;
	struct iopt_model_pred p;

	for (size_t b = 0; b < ARRAY_LEN(breaks); b++) {
		struct iopt_model *m = iopt_model_new(&mc);

		if (!CHECK(m))
			return;
		CHECK(iopt_model_consistent(m));	/* empty */
		/* a page, a 2M block, a 1G block, two pages in another table */
		iopt_model_map(m, 0x1000, 0x80000000, SZ_4K, 1, prot, 0, &p);
		iopt_model_map(m, 0x40200000, 0x80200000, SZ_2M, 1, prot, 0, &p);
		iopt_model_map(m, 0x80000000, 0xc0000000, SZ_1G, 1, prot, 0, &p);
		iopt_model_map(m, 0x8000000000, 0x90000000, SZ_4K, 2, prot, 0, &p);
		CHECK(iopt_model_consistent(m));
		iopt_model_unmap(m, 0x8000001000, SZ_4K, 1, &p);
		CHECK(iopt_model_consistent(m));
		CHECK(iopt_model_plant_break(m, breaks[b]));
		if (CHECK(!iopt_model_consistent(m)))
			caught++;
		else
			fprintf(stderr, "FAIL: consistent: break %d not seen\n", breaks[b]);
		iopt_model_free(m);
	}
	printf("consistent: %u of %zu planted breaks caught, silent on the sound shadow\n",
	       caught, ARRAY_LEN(breaks));
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x10f7f022ULL;
	unsigned int nseq = argc > 3 ? strtoul(argv[3], NULL, 0) : 5000;
	bool all = !strcmp(what, "all");

	if (port->init()) {
		fprintf(stderr, "test-model: cannot set up the kernel port\n");
		return 2;
	}
	env = port->env;
	env_mem.ctx = env;
	trace = getenv("IOPT_MODEL_TRACE");
	if (trace)
		setvbuf(stdout, NULL, _IONBF, 0);
	rng_state = seed ? seed : 1;
	printf("test-model: kernel tree %s, contract %s (by %s), page shift %u, seed 0x%" PRIx64 "\n",
	       IOPT_TREE_VERSION, iopt_build_contract()->name, IOPT_CONTRACT_CHOSEN_BY,
	       env->page_shift, seed);
	if (all || !strcmp(what, "geometry"))
		test_geometry();
	if (all || !strcmp(what, "sequences"))
		test_sequences(nseq);
	if (all || !strcmp(what, "planted"))
		test_planted();
	if (all || !strcmp(what, "consistent"))
		test_consistent();
	if (all || !strcmp(what, "contracts"))
		test_contracts();
	return TEST_DONE();
}
