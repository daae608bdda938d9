// SPDX-License-Identifier: GPL-2.0-only
/* The IOMMU's TLB and walk cache, as the page-table code must keep them. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "device.h"

#define BITS(hi, lo)	((~0ULL >> (63 - (hi))) & (~0ULL << (lo)))

/*
 * An entry is read only when valid, a pending invalidation only below
 * npend: clearing those says everything (the arrays are 3 KB a device,
 * reset per unmap).
 */
void iopt_device_reset(struct iopt_device *d)
{
	iopt_device_flush_all(d);
	d->tlb_next = 0;
	d->wc_next = 0;
	d->npend = 0;
	d->pend_overflow = false;
}

void iopt_device_flush_all(struct iopt_device *d)
{
	for (unsigned int i = 0; i < IOPT_DEV_TLB; i++)
		d->tlb[i].valid = false;
	for (unsigned int i = 0; i < IOPT_DEV_WC; i++)
		d->wc[i].valid = false;
}

bool iopt_device_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a <= b + (blen - 1) && b <= a + (alen - 1);
}

/*
 * Whether a walk flush of [iova, iova + size) by steps of granule meets
 * the entry [lo, lo + len): an SMMU without range invalidation (or an
 * SMMUv2) invalidates by VA at each step, and each such invalidation
 * drops every level that translates that VA.
 */
bool iopt_device_walk_hits(uint64_t lo, uint64_t len, uint64_t iova, uint64_t size,
		      uint64_t granule)
{
	uint64_t off, first;

	if (!iopt_device_overlaps(lo, len, iova, size))
		return false;
	if (lo <= iova)
		return true;
	if (!granule || granule >= size)
		return false;		/* one step, at iova: before the entry */
	off = lo - iova;
	first = (off + granule - 1) / granule * granule;
	if (first < off)
		return false;		/* wrapped */
	return first < size && first - off < len;
}

/* tlb_flush_walk: leaves and table pointers, every level, over the range. */
void iopt_device_inv_walk(struct iopt_device *d, uint64_t iova, uint64_t size,
			  uint64_t granule)
{
	unsigned int i;

	if (!size)
		return;
	for (i = 0; i < IOPT_DEV_TLB; i++)
		if (d->tlb[i].valid &&
		    iopt_device_walk_hits(d->tlb[i].leaf.iova,
					  d->tlb[i].leaf.size, iova, size,
					  granule))
			d->tlb[i].valid = false;
	for (i = 0; i < IOPT_DEV_WC; i++)
		if (d->wc[i].valid &&
		    iopt_device_walk_hits(d->wc[i].iova, d->wc[i].span, iova,
					  size, granule))
			d->wc[i].valid = false;
}

/*
 * A leaf invalidation (tlb_add_page): its granule is the size of the leaf
 * it removes, which an SMMUv3 with range invalidation turns into the TTL
 * hint of its level; a cached leaf of another size there need not go.
 */
void iopt_device_inv_leaf(struct iopt_device *d, uint64_t iova,
			  uint64_t granule)
{
	for (unsigned int i = 0; i < IOPT_DEV_TLB; i++) {
		struct iopt_dev_tlb *t = &d->tlb[i];

		if (!t->valid || !granule ||
		    !iopt_device_overlaps(t->leaf.iova, t->leaf.size, iova, granule))
			continue;
		if (granule == t->leaf.size)
			t->valid = false;
	}
}

void iopt_device_gather_add(struct iopt_device *d, uint64_t iova,
			    uint64_t granule)
{
	if (d->npend == IOPT_DEV_PEND) {
		d->pend_overflow = true;
		return;
	}
	d->pend[d->npend].iova = iova;
	d->pend[d->npend].granule = granule;
	d->npend++;
}

void iopt_device_sync(struct iopt_device *d, bool queued)
{
	if (queued || d->pend_overflow)
		iopt_device_flush_all(d);
	else
		for (unsigned int i = 0; i < d->npend; i++)
			iopt_device_inv_leaf(d, d->pend[i].iova,
					     d->pend[i].granule);
	d->npend = 0;
	d->pend_overflow = false;
}

uint64_t iopt_device_volatile_bits(uint64_t pte)
{
	return BITS(58, 55) | (pte & IOPT_PTE_DBM ? IOPT_PTE_AP_RDONLY : 0);
}

/* ---- filling ------------------------------------------------------------- */

struct fill {
	struct iopt_device *d;
	const struct iopt_dec_cfg *cfg;
	const struct iopt_dec_visitor *also;
};

static uint64_t span_of(const struct iopt_dec_cfg *cfg, int level)
{
	return 1ULL << iopt_dec_level_shift(cfg, level - 1);
}

static void wc_fill(void *ctx, int level, uint64_t iova, uint64_t table_pa)
{
	struct fill *f = ctx;
	struct iopt_dev_wc *w = &f->d->wc[f->d->wc_next++ % IOPT_DEV_WC];

	*w = (struct iopt_dev_wc){
		.valid = true, .level = level, .iova = iova,
		.span = span_of(f->cfg, level), .table_pa = table_pa,
	};
}

static void range_leaf(void *ctx, const struct iopt_leaf *l)
{
	struct fill *f = ctx;

	if (f->d->tlb_next < IOPT_DEV_TLB)
		f->d->tlb[f->d->tlb_next++] =
			(struct iopt_dev_tlb){ .valid = true, .leaf = *l };
	if (f->also && f->also->leaf)
		f->also->leaf(f->also->ctx, l);
}

static void range_table(void *ctx, uint64_t pa, int level, unsigned int entries,
			uint64_t iova)
{
	struct fill *f = ctx;

	if (level > f->cfg->start_level && f->d->wc_next < IOPT_DEV_WC)
		wc_fill(ctx, level, iova, pa);
	if (f->also && f->also->table)
		f->also->table(f->also->ctx, pa, level, entries, iova);
}

void iopt_device_fill_range(struct iopt_device *d, const struct iopt_dec_cfg *cfg,
			    const struct iopt_dec_mem *mem, uint64_t lo,
			    uint64_t hi, const struct iopt_dec_visitor *also)
{
	struct fill f = { .d = d, .cfg = cfg, .also = also };
	struct iopt_dec_visitor v = {
		.ctx = &f, .leaf = range_leaf, .table = range_table,
	};

	iopt_dec_walk_range(cfg, mem, lo, hi, &v);
}

int iopt_device_access(struct iopt_device *d, const struct iopt_dec_cfg *cfg,
		       const struct iopt_dec_mem *mem, uint64_t iova,
		       struct iopt_leaf *leaf)
{
	static const struct iopt_dec_step step = { .table = wc_fill };
	struct fill f = { .d = d, .cfg = cfg };
	const struct iopt_dev_wc *best = NULL;
	unsigned int i;
	int r;

	for (i = 0; i < IOPT_DEV_TLB; i++) {
		const struct iopt_leaf *l = &d->tlb[i].leaf;

		if (d->tlb[i].valid && iova >= l->iova &&
		    iova - l->iova < l->size) {
			*leaf = *l;
			return IOPT_DEC_HIT;
		}
	}
	for (i = 0; i < IOPT_DEV_WC; i++) {
		const struct iopt_dev_wc *w = &d->wc[i];

		if (w->valid && iova >= w->iova && iova - w->iova < w->span &&
		    (!best || w->level > best->level))
			best = w;
	}
	if (best)
		r = iopt_dec_translate(cfg, mem, iova, best->level,
				       best->table_pa, &step, &f, leaf);
	else
		r = iopt_dec_translate(cfg, mem, iova, cfg->start_level,
				       cfg->ttbr, &step, &f, leaf);
	if (r == IOPT_DEC_HIT)
		d->tlb[d->tlb_next++ % IOPT_DEV_TLB] =
			(struct iopt_dev_tlb){ .valid = true, .leaf = *leaf };
	return r;
}

/* ---- checking ------------------------------------------------------------ */

/*
 * What a cached translation must still agree on. Not the contiguous hint
 * (bit 52): it lets a TLB cache one entry for the whole group, which this
 * one never does (an entry here covers its own IOVAs only); for those
 * IOVAs a translation with or without the hint is the same. (A group-wide
 * entry would cover every IOVA of the group, so any invalidation in the
 * group would reach it.)
 */
static uint64_t attrs(const struct iopt_leaf *l)
{
	return l->pte & (BITS(11, 2) | BITS(54, 53) | BITS(51, 51)) &
	       ~iopt_device_volatile_bits(l->pte);
}

static int stale_leaf(const struct iopt_dev_tlb *t, const struct iopt_dec_cfg *cfg,
		      const struct iopt_dec_mem *mem, uint64_t at,
		      char *why, size_t n)
{
	const struct iopt_leaf *l = &t->leaf;
	struct iopt_leaf now;
	int r;

	r = iopt_dec_translate(cfg, mem, at, cfg->start_level, cfg->ttbr,
			       NULL, NULL, &now);
	if (r == IOPT_DEC_HIT && now.pa + (at - now.iova) == l->pa + (at - l->iova) &&
	    attrs(&now) == attrs(l))
		return 0;
	snprintf(why, n,
		 "stale TLB entry: iova 0x%" PRIx64 " (L%d, size 0x%" PRIx64
		 ") still translates to 0x%" PRIx64 " with pte 0x%016" PRIx64
		 "; the tables now give %s 0x%" PRIx64 " (pte 0x%016" PRIx64 ")",
		 at, l->level, l->size, l->pa + (at - l->iova), l->pte,
		 r == IOPT_DEC_HIT ? "pa" : "a fault, at",
		 r == IOPT_DEC_HIT ? now.pa + (at - now.iova) : at,
		 r == IOPT_DEC_HIT ? now.pte : 0);
	return 1;
}

struct find_table {
	int level;
	uint64_t pa;
	bool found;
};

static void note_table(void *ctx, int level, uint64_t iova, uint64_t table_pa)
{
	struct find_table *ft = ctx;

	if (level == ft->level) {
		ft->pa = table_pa;
		ft->found = true;
	}
}

static int stale_table(const struct iopt_dev_wc *w, const struct iopt_dec_cfg *cfg,
		       const struct iopt_dec_mem *mem, char *why, size_t n)
{
	static const struct iopt_dec_step step = { .table = note_table };
	struct find_table ft = { .level = w->level };
	struct iopt_leaf l;

	iopt_dec_translate(cfg, mem, w->iova, cfg->start_level, cfg->ttbr,
			   &step, &ft, &l);
	if (ft.found && ft.pa == w->table_pa)
		return 0;
	snprintf(why, n,
		 "stale walk-cache entry: the level-%d table for iova 0x%" PRIx64
		 " (span 0x%" PRIx64 ") is still cached at pa 0x%" PRIx64
		 "; the tables now %s 0x%" PRIx64
		 " (a freed or replaced table stays walkable)",
		 w->level, w->iova, w->span, w->table_pa,
		 ft.found ? "point at" : "hold no table there, e.g. at iova",
		 ft.found ? ft.pa : w->iova);
	return 1;
}

/* The first stale entry that meets [lo, hi], of those marked or not. */
static int check_pass(const struct iopt_device *d, const struct iopt_dec_cfg *cfg,
		      const struct iopt_dec_mem *mem, uint64_t lo, uint64_t hi,
		      bool marked, char *why, size_t n)
{
	unsigned int i;

	for (i = 0; i < IOPT_DEV_WC && !marked; i++) {
		const struct iopt_dev_wc *w = &d->wc[i];

		if (w->valid && iopt_device_overlaps(w->iova, w->span, lo, hi - lo + 1) &&
		    stale_table(w, cfg, mem, why, n))
			return 1;
	}
	for (i = 0; i < IOPT_DEV_TLB; i++) {
		const struct iopt_dev_tlb *t = &d->tlb[i];
		uint64_t end = t->leaf.iova + (t->leaf.size - 1);

		if (!t->valid || t->split_ttl != marked ||
		    !iopt_device_overlaps(t->leaf.iova, t->leaf.size, lo, hi - lo + 1))
			continue;
		if (stale_leaf(t, cfg, mem, lo > t->leaf.iova ? lo : t->leaf.iova,
			       why, n) ||
		    stale_leaf(t, cfg, mem, hi < end ? hi : end, why, n))
			return 1;
	}
	return 0;
}

int iopt_device_check(const struct iopt_device *d, const struct iopt_dec_cfg *cfg,
		      const struct iopt_dec_mem *mem, uint64_t lo, uint64_t hi,
		      char *why, size_t n)
{
	if (check_pass(d, cfg, mem, lo, hi, false, why, n))
		return 1;
	return check_pass(d, cfg, mem, lo, hi, true, why, n) ? 2 : 0;
}

void iopt_device_mark(struct iopt_device *d,
		      bool (*left)(void *ctx, const struct iopt_leaf *l),
		      void *ctx)
{
	for (unsigned int i = 0; i < IOPT_DEV_TLB; i++) {
		struct iopt_dev_tlb *t = &d->tlb[i];

		t->split_ttl = left && t->valid && left(ctx, &t->leaf);
	}
}
