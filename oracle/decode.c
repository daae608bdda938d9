// SPDX-License-Identifier: GPL-2.0-only
/*
 * Independent decoder for long-descriptor translation tables (VMSAv8-64
 * stage 1/2 with 4K/16K/64K granules, ARMv7 LPAE, Mali LPAE).
 *
 * Descriptor bits 1:0: 0bx0 invalid, 0b11 table (levels 0-2) or page
 * (level 3), 0b01 block (levels 0-2, where the granule allows it) or
 * reserved (level 3; Mali uses it for its level-3 leaves instead of 0b11).
 * The address field is bits 47:12; with a 64K granule bits 15:12 hold
 * address bits 51:48.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iopt/asan.h>

#include "decode.h"

#define BITS(hi, lo)	((~0ULL >> (63 - (hi))) & (~0ULL << (lo)))
#define PA_EMPTY	(~0ULL)

static uint8_t field(uint64_t pte, unsigned int hi, unsigned int lo)
{
	return (uint8_t)((pte & BITS(hi, lo)) >> lo);
}

int iopt_dec_cfg_check(const struct iopt_dec_cfg *cfg)
{
	unsigned int g = cfg->granule_shift, n = cfg->pgd_entries;
	bool only_4k = cfg->fmt != IOPT_FMT_ARM_64_S1 &&
		       cfg->fmt != IOPT_FMT_ARM_64_S2;

	if ((unsigned int)cfg->fmt >= IOPT_FMT_COUNT)
		return -EINVAL;
	if ((g != 12 && g != 14 && g != 16) || (only_4k && g != 12))
		return -EINVAL;
	/* a 64K granule has no level 0 without 128-bit descriptors */
	if (cfg->start_level < 0 || cfg->start_level > 3 ||
	    (g == 16 && cfg->start_level == 0))
		return -EINVAL;
	if (!cfg->ias || cfg->ias > 52 || !cfg->oas || cfg->oas > 52)
		return -EINVAL;
	/* up to 16 concatenated tables, always a power of two */
	if (!n || (n & (n - 1)) || n > (16U << (g - 3)))
		return -EINVAL;
	return 0;
}

unsigned int iopt_dec_level_shift(const struct iopt_dec_cfg *cfg, int level)
{
	return cfg->granule_shift + (3 - level) * (cfg->granule_shift - 3);
}

uint64_t iopt_dec_iova_hi(const struct iopt_dec_cfg *cfg)
{
	return cfg->ttbr1 ? ~0ULL << cfg->ias : 0;
}

static bool block_allowed(const struct iopt_dec_cfg *cfg, int level)
{
	switch (cfg->granule_shift) {
	case 12:
		return level == 1 || level == 2;
	case 14:
		return level == 2;
	default:	/* 64K: level-1 blocks need a 52-bit PA (FEAT_LPA) */
		return level == 2 || (level == 1 && cfg->oas > 48);
	}
}

static uint64_t addr_field(const struct iopt_dec_cfg *cfg, uint64_t pte)
{
	if (cfg->granule_shift < 16)
		return pte & BITS(47, 12);
	return (pte & BITS(47, 16)) | ((pte & BITS(15, 12)) << 36);
}

static void check_table(const struct iopt_dec_cfg *cfg, uint64_t pte,
			struct iopt_ent *e)
{
	e->type = IOPT_ENT_TABLE;
	if (pte & BITS(51, 48))
		e->prob = IOPT_PROB_RES0_BITS;
	else if (e->addr & ((1ULL << cfg->granule_shift) - 1))
		e->prob = IOPT_PROB_TABLE_MISALIGNED;
	else if (e->addr >> cfg->oas)
		e->prob = IOPT_PROB_OA_RANGE;
}

bool iopt_dec_table_attrs_ok(const struct iopt_dec_cfg *cfg, uint64_t pte)
{
	return (pte & BITS(63, 59)) == cfg->table_attrs;
}

/* iopt_dec_entry(), inline in the walks' loop */
static inline __attribute__((always_inline)) void
dec_entry(const struct iopt_dec_cfg *cfg, int level, uint64_t pte,
	  struct iopt_ent *e)
{
	uint64_t size = 1ULL << iopt_dec_level_shift(cfg, level);
	unsigned int type = pte & 3;
	unsigned int leaf3 = cfg->fmt == IOPT_FMT_MALI ? 1 : 3;

	e->prob = IOPT_PROB_NONE;
	e->addr = addr_field(cfg, pte);
	e->type = IOPT_ENT_HOLE;
	if (!(pte & 1))
		return;
	if (iopt_dec_level_has_tables(level) && type == 3) {
		check_table(cfg, pte, e);
		return;
	}
	e->type = IOPT_ENT_BAD;
	if (level == 3 && type != leaf3) {
		e->prob = IOPT_PROB_RESERVED_TYPE;
		return;
	}
	if (level < 3 && !block_allowed(cfg, level)) {
		e->prob = IOPT_PROB_BLOCK_NOT_ALLOWED;
		return;
	}
	e->type = IOPT_ENT_LEAF;
	/* bits 49:48 are RES0 in blocks/pages for every granule without LPA2 */
	if ((e->addr & (size - 1)) || (pte & BITS(49, 48)))
		e->prob = IOPT_PROB_RES0_BITS;
	else if (e->addr >> cfg->oas)
		e->prob = IOPT_PROB_OA_RANGE;
	e->addr &= ~(size - 1);
}

void iopt_dec_entry(const struct iopt_dec_cfg *cfg, int level, uint64_t pte,
		    struct iopt_ent *e)
{
	dec_entry(cfg, level, pte, e);
}

void iopt_dec_leaf(const struct iopt_dec_cfg *cfg, int level, uint64_t pte,
		   uint64_t addr, uint64_t iova, struct iopt_leaf *l)
{
	memset(l, 0, sizeof(*l));
	l->iova = iova;
	l->pa = addr;
	l->size = 1ULL << iopt_dec_level_shift(cfg, level);
	l->pte = pte;
	l->level = level;
	l->sh = field(pte, 9, 8);
	l->af = field(pte, 10, 10);
	l->dbm = field(pte, 51, 51);
	l->contig = field(pte, 52, 52);
	l->attrindx = field(pte, 4, 2);
	l->ns = field(pte, 5, 5);
	l->ap = field(pte, 7, 6);
	l->ng = field(pte, 11, 11);
	l->pxn = field(pte, 53, 53);
	l->xn = field(pte, 54, 54);
	l->memattr = field(pte, 5, 2);
	l->s2ap = field(pte, 7, 6);
	l->s2xn = field(pte, 54, 53);
}

/*
 * The set of table addresses a walk has opened: a small open-addressing
 * hash set of our own. Why not a library's: glibc's hsearch_r() takes
 * string keys in one fixed-size table, tsearch() allocates a node per
 * insert, and glib's GHashTable would be a new dependency that also
 * allocates per insert; this set runs on every op's range walk (the
 * fuzzer's hot path) and reuses its memory.
 */
void iopt_pa_set_free(struct iopt_pa_set *s)
{
	if (s->slot != s->inl)
		free(s->slot);
	s->slot = NULL;
	s->cap = s->n = 0;
}

static size_t pa_hash(uint64_t pa)
{
	return (size_t)((pa * 0x9e3779b97f4a7c15ULL) >> 24);
}

static int pa_set_add(struct iopt_pa_set *s, uint64_t pa);

static int pa_set_grow(struct iopt_pa_set *s)
{
	uint64_t *old = s->slot, keep[IOPT_PA_SET_INLINE];
	size_t old_cap = s->cap, i;

	if (!old) {		/* empty: the inline slots first */
		s->slot = s->inl;
		s->cap = IOPT_PA_SET_INLINE;
		for (i = 0; i < s->cap; i++)
			s->slot[i] = PA_EMPTY;
		return 0;
	}
	if (old == s->inl) {	/* leaving them: inl[] is about to be read */
		memcpy(keep, s->inl, sizeof(keep));
		old = keep;
	}
	s->slot = malloc(old_cap * 2 * sizeof(*s->slot));
	if (!s->slot) {
		s->slot = old == keep ? s->inl : old;
		return -ENOMEM;
	}
	s->cap = old_cap * 2;
	s->n = 0;
	for (i = 0; i < s->cap; i++)
		s->slot[i] = PA_EMPTY;
	for (i = 0; i < old_cap; i++)
		if (old[i] != PA_EMPTY)
			pa_set_add(s, old[i]);
	if (old != keep)
		free(old);
	return 0;
}

/* 1 if added, 0 if already present, -ENOMEM */
static int pa_set_add(struct iopt_pa_set *s, uint64_t pa)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap && pa_set_grow(s))
		return -ENOMEM;
	for (i = pa_hash(pa) & (s->cap - 1); s->slot[i] != PA_EMPTY;
	     i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == pa)
			return 0;
	s->slot[i] = pa;
	s->n++;
	return 1;
}

/*
 * In an ASan build, a table the lookup calls live must be unpoisoned all
 * through (the hole scan does not check its loads): a poisoned byte is
 * read here, checked, for ASan to report as it would have in the scan.
 */
static void dec_asan_check(const void *p, uint64_t size)
{
#ifdef IOPT_ASAN
	const volatile char *bad = __asan_region_is_poisoned((void *)p, size);

	if (bad)
		(void)*bad;
#else
	(void)p;
	(void)size;
#endif
}

int iopt_dec_open_table(const struct iopt_dec_mem *mem, struct iopt_pa_set *seen,
			uint64_t pa, uint64_t size, const unsigned char **host)
{
	uint64_t base, asize, align = size > 64 ? size : 64;
	const void *p;
	int r;

	if (pa & (align - 1))
		return IOPT_PROB_TABLE_MISALIGNED;
	p = mem->lookup(mem->ctx, pa, &base, &asize);
	if (!p || base != pa)
		return IOPT_PROB_BAD_TABLE_PTR;
	if (asize < size)
		return IOPT_PROB_TABLE_TOO_SMALL;
	r = pa_set_add(seen, pa);
	if (r <= 0)
		return r ? r : IOPT_PROB_TABLE_SHARED;
	dec_asan_check(p, size);
	*host = p;
	return 0;
}

struct walk {
	const struct iopt_dec_cfg *cfg;
	const struct iopt_dec_mem *mem;
	const struct iopt_dec_visitor *v;
	struct iopt_pa_set seen;
	struct iopt_dec_span sp;	/* the walked IOVA range, upper bits stripped */
	int nprob, err;
};

static void walk_problem(struct walk *w, int kind, int why, int level,
			 uint64_t epa, uint64_t pte, uint64_t iova)
{
	struct iopt_problem p = {
		.kind = kind, .why = why, .level = level, .entry_pa = epa,
		.pte = pte, .iova = iova | w->sp.hi,
	};

	w->nprob++;
	if (w->v->problem)
		w->v->problem(w->v->ctx, &p);
}

bool iopt_dec_entries_in_span(const struct iopt_dec_span *sp, uint64_t iova,
			      unsigned int shift, unsigned int n,
			      unsigned int *first, unsigned int *last)
{
	uint64_t end = iova + (((uint64_t)n << shift) - 1);

	if (sp->hi_va < iova || sp->lo_va > end)
		return false;
	*first = sp->lo_va > iova ? (sp->lo_va - iova) >> shift : 0;
	*last = sp->hi_va < end ? (sp->hi_va - iova) >> shift : n - 1;
	return true;
}

static void walk_table(struct walk *w, const unsigned char *host, uint64_t pa,
		       int level, unsigned int n, uint64_t iova)
{
	const struct iopt_dec_cfg *cfg = w->cfg;
	unsigned int shift = iopt_dec_level_shift(cfg, level), i, last;
	uint64_t gran = 1ULL << cfg->granule_shift;
	const unsigned char *child = NULL;
	struct iopt_leaf l;
	struct iopt_ent e;
	int r;

	if (w->v->table)
		w->v->table(w->v->ctx, pa, level, n, iova | w->sp.hi);
	if (!iopt_dec_entries_in_span(&w->sp, iova, shift, n, &i, &last))
		return;
	/* holes, the common case, are skipped */
	for (i = iopt_dec_next_used(host, i, last + 1); i <= last && !w->err;
	     i = iopt_dec_next_used(host, i + 1, last + 1)) {
		uint64_t pte = iopt_dec_load(host, i);
		uint64_t va = iova + ((uint64_t)i << shift);

		dec_entry(cfg, level, pte, &e);
		r = e.prob;
		if (e.type == IOPT_ENT_TABLE && !r)
			r = iopt_dec_open_table(w->mem, &w->seen, e.addr, gran,
						&child);
		if (r < 0) {
			w->err = r;
			break;
		}
		if (r > 0)
			walk_problem(w, r, IOPT_PROB_NONE, level, pa + i * 8ULL,
				     pte, va);
		else if (e.type == IOPT_ENT_TABLE &&
			 !iopt_dec_table_attrs_ok(cfg, pte))
			walk_problem(w, IOPT_PROB_TABLE_ATTRS, IOPT_PROB_NONE,
				     level, pa + i * 8ULL, pte, va);
		if (e.type == IOPT_ENT_LEAF && w->v->leaf) {
			iopt_dec_leaf(cfg, level, pte, e.addr, va | w->sp.hi, &l);
			l.entry_pa = pa + i * 8ULL;
			w->v->leaf(w->v->ctx, &l);
		} else if (e.type == IOPT_ENT_TABLE && !r) {
			walk_table(w, child, e.addr, level + 1, gran / 8, va);
		}
	}
}

/* The IOVA bits the walk indexes with, concatenated PGD included. */
static uint64_t walk_mask(const struct iopt_dec_cfg *cfg)
{
	unsigned int bits = iopt_dec_level_shift(cfg, cfg->start_level) +
			    __builtin_ctz(cfg->pgd_entries);

	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

void iopt_dec_span(const struct iopt_dec_cfg *cfg, uint64_t lo, uint64_t hi,
		   bool all, struct iopt_dec_span *sp)
{
	uint64_t mask = walk_mask(cfg);

	sp->hi = iopt_dec_iova_hi(cfg);
	sp->lo_va = lo & ~sp->hi;
	sp->hi_va = hi & ~sp->hi;
	if (sp->hi_va > mask)
		sp->hi_va = mask;
	if (all || sp->lo_va > sp->hi_va) {	/* above what the walk indexes: all */
		sp->lo_va = 0;
		sp->hi_va = mask;
	}
}

static int walk(const struct iopt_dec_cfg *cfg, const struct iopt_dec_mem *mem,
		uint64_t lo, uint64_t hi, bool all, const struct iopt_dec_visitor *v)
{
	struct walk w = { .cfg = cfg, .mem = mem, .v = v };
	const unsigned char *top;
	int r;

	if (iopt_dec_cfg_check(cfg))
		return -EINVAL;
	iopt_dec_span(cfg, lo, hi, all, &w.sp);
	r = iopt_dec_open_table(mem, &w.seen, cfg->ttbr, cfg->pgd_entries * 8ULL,
				&top);
	if (r < 0)
		w.err = r;
	else if (r > 0)
		walk_problem(&w, IOPT_PROB_BAD_TTBR, r, cfg->start_level,
			     cfg->ttbr, 0, 0);
	else
		walk_table(&w, top, cfg->ttbr, cfg->start_level,
			   cfg->pgd_entries, 0);
	iopt_pa_set_free(&w.seen);
	return w.err ? w.err : w.nprob;
}

int iopt_dec_walk_range(const struct iopt_dec_cfg *cfg,
			const struct iopt_dec_mem *mem, uint64_t lo,
			uint64_t hi, const struct iopt_dec_visitor *v)
{
	return walk(cfg, mem, lo, hi, false, v);
}

struct first_leaf {
	struct iopt_leaf *l;
	bool found;
};

static void first_leaf(void *ctx, const struct iopt_leaf *l)
{
	struct first_leaf *f = ctx;

	if (!f->found)
		*f->l = *l;
	f->found = true;
}

bool iopt_dec_first_leaf(const struct iopt_dec_cfg *cfg,
			 const struct iopt_dec_mem *mem, uint64_t lo,
			 uint64_t hi, struct iopt_leaf *l)
{
	struct first_leaf f = { .l = l };
	struct iopt_dec_visitor v = { .ctx = &f, .leaf = first_leaf };

	return walk(cfg, mem, lo, hi, false, &v) >= 0 && f.found;
}

int iopt_dec_walk(const struct iopt_dec_cfg *cfg, const struct iopt_dec_mem *mem,
		  const struct iopt_dec_visitor *v)
{
	return walk(cfg, mem, 0, ~0ULL, true, v);
}

int iopt_dec_translate(const struct iopt_dec_cfg *cfg,
		       const struct iopt_dec_mem *mem, uint64_t iova,
		       int level, uint64_t table_pa,
		       const struct iopt_dec_step *step, void *ctx,
		       struct iopt_leaf *leaf)
{
	uint64_t gran = 1ULL << cfg->granule_shift;
	uint64_t va = iova & ~iopt_dec_iova_hi(cfg) & walk_mask(cfg);
	unsigned int n = level == cfg->start_level ? cfg->pgd_entries : gran / 8;
	const unsigned char *host;
	uint64_t base, size, pte;
	unsigned int shift, i;
	struct iopt_ent e;

	if (iopt_dec_cfg_check(cfg))
		return -EINVAL;
	for (;;) {
		host = mem->lookup(mem->ctx, table_pa, &base, &size);
		if (!host || table_pa + (uint64_t)n * 8 > base + size)
			return IOPT_DEC_FAULT_BAD_TABLE;
		host += table_pa - base;
		shift = iopt_dec_level_shift(cfg, level);
		i = (va >> shift) & (n - 1);
		pte = iopt_dec_load(host, i);
		iopt_dec_entry(cfg, level, pte, &e);
		if (e.type == IOPT_ENT_HOLE)
			return IOPT_DEC_FAULT_HOLE;
		if (e.prob || e.type == IOPT_ENT_BAD)
			return IOPT_DEC_FAULT_BAD_ENTRY;
		if (e.type == IOPT_ENT_LEAF) {
			iopt_dec_leaf(cfg, level, pte, e.addr,
				      (va & ~((1ULL << shift) - 1)) |
				      iopt_dec_iova_hi(cfg), leaf);
			leaf->entry_pa = table_pa + i * 8ULL;
			return IOPT_DEC_HIT;
		}
		level++;
		table_pa = e.addr;
		n = gran / 8;
		if (step && step->table)
			step->table(ctx, level, (va >> shift) << shift |
				    iopt_dec_iova_hi(cfg), table_pa);
	}
}

const char *iopt_dec_fmt_name(enum iopt_fmt fmt)
{
	static const char *const names[IOPT_FMT_COUNT] = {
		[IOPT_FMT_ARM_32_S1] = "arm32-s1",
		[IOPT_FMT_ARM_32_S2] = "arm32-s2",
		[IOPT_FMT_ARM_64_S1] = "arm64-s1",
		[IOPT_FMT_ARM_64_S2] = "arm64-s2",
		[IOPT_FMT_MALI] = "mali",
	};

	return (unsigned int)fmt < IOPT_FMT_COUNT ? names[fmt] : "?";
}

const char *iopt_prob_name(enum iopt_prob_kind kind)
{
	static const char *const names[IOPT_PROB_COUNT] = {
		[IOPT_PROB_NONE] = "none",
		[IOPT_PROB_BAD_TABLE_PTR] = "bad-table-ptr",
		[IOPT_PROB_TABLE_MISALIGNED] = "table-misaligned",
		[IOPT_PROB_TABLE_TOO_SMALL] = "table-too-small",
		[IOPT_PROB_TABLE_SHARED] = "table-shared",
		[IOPT_PROB_RESERVED_TYPE] = "reserved-type",
		[IOPT_PROB_BLOCK_NOT_ALLOWED] = "block-not-allowed",
		[IOPT_PROB_RES0_BITS] = "res0-bits",
		[IOPT_PROB_OA_RANGE] = "oa-range",
		[IOPT_PROB_BAD_TTBR] = "bad-ttbr",
		[IOPT_PROB_TABLE_ATTRS] = "table-attrs",
	};

	return (unsigned int)kind < IOPT_PROB_COUNT ? names[kind] : "?";
}

int iopt_leaf_snprint(char *buf, size_t n, const struct iopt_leaf *l,
		      enum iopt_fmt fmt)
{
	if (fmt == IOPT_FMT_ARM_32_S2 || fmt == IOPT_FMT_ARM_64_S2)
		return snprintf(buf, n,
				"L%d iova 0x%" PRIx64 " -> pa 0x%" PRIx64 " size 0x%" PRIx64
				" pte 0x%016" PRIx64 " memattr=0x%x s2ap=%u sh=%u af=%u xn=%u dbm=%u contig=%u",
				l->level, l->iova, l->pa, l->size, l->pte,
				l->memattr, l->s2ap, l->sh, l->af, l->s2xn,
				l->dbm, l->contig);
	return snprintf(buf, n,
			"L%d iova 0x%" PRIx64 " -> pa 0x%" PRIx64 " size 0x%" PRIx64
			" pte 0x%016" PRIx64 " attrindx=%u ap=%u sh=%u ns=%u ng=%u af=%u xn=%u pxn=%u dbm=%u contig=%u",
			l->level, l->iova, l->pa, l->size, l->pte, l->attrindx,
			l->ap, l->sh, l->ns, l->ng, l->af, l->xn, l->pxn,
			l->dbm, l->contig);
}

int iopt_prob_snprint(char *buf, size_t n, const struct iopt_problem *p)
{
	bool ttbr = p->kind == IOPT_PROB_BAD_TTBR;

	return snprintf(buf, n,
			"%s%s%s%s at L%d entry pa 0x%" PRIx64 " pte 0x%016" PRIx64 " iova 0x%" PRIx64,
			iopt_prob_name(p->kind), ttbr ? " (" : "",
			ttbr ? iopt_prob_name(p->why) : "", ttbr ? ")" : "",
			p->level, p->entry_pa, p->pte, p->iova);
}
