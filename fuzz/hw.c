// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hardware around each side: the memory as the CPU and as the IOMMU's
 * table walker see it, the IOMMU's caches (device.c) kept by the TLB
 * callbacks the page-table code makes, device accesses through them, and
 * HTTU's dirtying of a leaf on a write.
 */
#include <stdio.h>
#include <string.h>

#include <xxhash.h>

#include "run.h"

/* ---- memory -------------------------------------------------------------- */

static const void *cpu_lookup(void *ctx, uint64_t pa, uint64_t *base,
			      uint64_t *size)
{
	const struct side *s = ctx;

	return s->port->drv->lookup(pa, base, size, false);
}

static const void *poc_lookup(void *ctx, uint64_t pa, uint64_t *base,
			      uint64_t *size)
{
	const struct side *s = ctx;

	return s->port->drv->lookup(pa, base, size, true);
}

/* What the CPU sees. */
struct iopt_dec_mem side_mem(struct side *s)
{
	return (struct iopt_dec_mem){ .ctx = s, .lookup = cpu_lookup };
}

/* What the IOMMU's table walker reads: the PoC, unless the walk is coherent. */
struct iopt_dec_mem device_mem(struct side *s)
{
	return (struct iopt_dec_mem){
		.ctx = s, .lookup = s->coherent_walk ? cpu_lookup : poc_lookup,
	};
}

/* ---- TLB callbacks: each side logs its own, then its IOMMU does them ---- */

static void tlb_log(struct side *s, uint8_t kind, uint64_t iova,
		    uint64_t size, uint64_t granule)
{
	uint64_t w[4] = { kind, iova, size, granule };

	if (s->ntlb < TLB_EVENTS)
		s->tlb[s->ntlb++] = (struct tlb_event){ kind, iova, size, granule };
	s->tlb_total++;
	s->tlb_hash = XXH3_64bits_withSeed(w, sizeof(w), s->tlb_hash);
}

static void hook_flush_all(void *ctx)
{
	struct side *s = ctx;

	tlb_log(s, TLB_FLUSH_ALL, 0, 0, 0);
	inval_flush_all();
	iopt_device_flush_all(&s->dev);
	iopt_device_flush_all(&s->every);
}

static void hook_flush_walk(void *ctx, uint64_t iova, uint64_t size,
			    uint64_t granule)
{
	struct side *s = ctx;

	tlb_log(s, TLB_FLUSH_WALK, iova, size, granule);
	inval_flush_walk(iova, size, granule);
	iopt_device_inv_walk(&s->dev, iova, size, granule);
	iopt_device_inv_walk(&s->every, iova, size, granule);
}

static void hook_add_page(void *ctx, bool gather, uint64_t iova,
			  uint64_t granule)
{
	struct side *s = ctx;

	tlb_log(s, TLB_ADD_PAGE, iova, granule, granule);
	inval_add_page(iova, granule);
	if (gather) {
		iopt_device_gather_add(&s->dev, iova, granule);
		iopt_device_gather_add(&s->every, iova, granule);
	} else {
		iopt_device_inv_leaf(&s->dev, iova, granule);
		iopt_device_inv_leaf(&s->every, iova, granule);
	}
}

const struct iopt_drv_hooks side_tlb_hooks = {
	.flush_all	= hook_flush_all,
	.flush_walk	= hook_flush_walk,
	.add_page	= hook_add_page,
};

/* ---- device accesses ------------------------------------------------------ */

/*
 * Under HTTU, a write through a DBM leaf marks it dirty: the SMMU clears
 * AP[2] of the descriptor in memory, the one a fresh walk finds (a TLB
 * entry may still hold a block that a split has replaced by a table).
 * (Whether a TLB entry that still says "dirty" lets the write through
 * unrecorded is the caller's business: iommufd invalidates the ranges
 * read_and_clear_dirty reported.)
 */
static void hw_dirty(struct side *s, const struct iopt_leaf *l)
{
	uint64_t base, size, pte;
	uint8_t *host;

	host = (uint8_t *)s->port->drv->lookup(l->entry_pa, &base, &size, false);
	if (!host)
		return;
	host += l->entry_pa - base;
	memcpy(&pte, host, 8);
	if (!(pte & IOPT_PTE_DBM) || !(pte & IOPT_PTE_AP_RDONLY))
		return;
	pte &= ~IOPT_PTE_AP_RDONLY;
	memcpy(host, &pte, 8);
}

/* A device access through each side's IOMMU: its caches, then a walk. */
void device_access(struct run *r, const struct iopt_op *op,
		   const struct op_args *a)
{
	const struct iopt_model_cfg *c = &r->prog->cfg;
	uint64_t want = iopt_model_iova_to_phys(r->model, a->iova);
	bool dirties = (op->flags & IOPT_OPF_WRITE) &&
		       (c->quirks & IOPT_Q_ARM_HD) && c->coherent_walk;

	iopt_stats.ops++;
	trace_access(r, a->iova, op->flags, want);
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];
		struct iopt_dec_mem mem = device_mem(s);
		struct iopt_leaf l;
		int res = iopt_device_access(&s->dev, &s->dec, &mem, a->iova, &l);
		/* (past ias, the leaf is that of the IOVA the walk indexes) */
		uint64_t got = res == IOPT_DEC_HIT ?
			       l.pa + (a->iova & (l.size - 1)) : 0;

		if (got != want) {
			report(r, s, "device",
			       "%s's IOMMU translates iova 0x%llx to 0x%llx%s, the model to 0x%llx",
			       s->port->name, (unsigned long long)a->iova,
			       (unsigned long long)got,
			       res == IOPT_DEC_HIT ? "" : " (a fault)",
			       (unsigned long long)want);
			return;
		}
		/* HTTU updates the descriptor the tables hold now: walk afresh */
		if (dirties && res == IOPT_DEC_HIT &&
		    iopt_dec_translate(&s->dec, &mem, a->iova, s->dec.start_level,
				       s->dec.ttbr, NULL, NULL, &l) == IOPT_DEC_HIT)
			hw_dirty(s, &l);
	}
	if (dirties)	/* want may be 0 for a page mapped at PA 0 */
		iopt_model_set_dirty(r->model, a->iova);
}

/* ---- the order of events at a table's free ------------------------------ */

struct points_at {
	uint64_t lo, size, found;
};

static void table_in(void *ctx, uint64_t pa, int level, unsigned int entries,
		     uint64_t iova)
{
	struct points_at *p = ctx;

	if (pa - p->lo < p->size && !p->found)
		p->found = pa;
}

static const struct iopt_dev_wc *wc_holding(const struct iopt_device *d,
					    uint64_t lo, uint64_t size)
{
	for (unsigned int i = 0; i < IOPT_DEV_WC; i++)
		if (d->wc[i].valid && d->wc[i].table_pa - lo < size)
			return &d->wc[i];
	return NULL;
}

/*
 * A page block freed in a map or unmap: no table descriptor the walker
 * can still reach (at the PoC, with a non-coherent walk) may point into
 * it, and no walk-cache entry may still hold it (of what the device
 * walked, or of all the op's range held): else the walker could read the
 * page once it is reused. The first such free is kept for check_caches.
 */
void side_on_free(struct iopt_env *env, uint64_t phys, uint64_t size)
{
	struct side *s = env->free_ctx;
	struct iopt_dec_mem mem = device_mem(s);
	struct points_at p = { .lo = phys, .size = size };
	struct iopt_dec_visitor v = { .ctx = &p, .table = table_in };
	const struct iopt_dev_wc *w;

	publish_forget(s, phys, size);
	if (!s->in_op || s->freed_why[0])
		return;
	iopt_dec_walk(&s->dec, &mem, &v);
	if (p.found && p.found != s->dec.ttbr) {
		snprintf(s->freed_why, sizeof(s->freed_why),
			 "table pa 0x%llx freed while a descriptor the walker reaches still points at it",
			 (unsigned long long)p.found);
		return;
	}
	w = wc_holding(&s->dev, phys, size);
	if (!w)
		w = wc_holding(&s->every, phys, size);
	if (w)
		snprintf(s->freed_why, sizeof(s->freed_why),
			 "table pa 0x%llx (level %d, iova 0x%llx) freed while the walk cache still holds it",
			 (unsigned long long)w->table_pa, w->level,
			 (unsigned long long)w->iova);
	else
		inval_check_free(phys, size, s->freed_why, sizeof(s->freed_why));
}

/*
 * The IOMMU's caches hold nothing stale where the op touched. A stale
 * entry that only a split's TTL left (inval.c, split_left), when there is
 * no other, is kept for check_split_left: the op's other checks first.
 */
bool check_caches(struct run *r, struct side *s)
{
	static const char *const had[3] = {
		"", "had the IOMMU cached all the range held: ",
		"had the IOMMU cached every leaf the unmap removed: ",
	};
	struct iopt_dec_mem mem = device_mem(s);
	char why[3][320];
	int res[3], pick = -1;

	s->split_why[0] = '\0';
	if (s->freed_why[0]) {
		report(r, s, "free-order", "%s: %s", s->port->name,
		       s->freed_why);
		return false;
	}
	res[0] = iopt_device_check(&s->dev, &s->dec, &mem, r->lo, r->hi,
				   why[0], sizeof(why[0]));
	res[1] = iopt_device_check(&s->every, &s->dec, &mem, r->lo, r->hi,
				   why[1], sizeof(why[1]));
	res[2] = !s->inv_why[0] ? 0 : s->inv_split ? 2 : 1;
	if (res[2])
		snprintf(why[2], sizeof(why[2]), "%s", s->inv_why);
	for (int k = 1; k <= 2 && pick < 0; k++)
		for (int i = 0; i < 3 && pick < 0; i++)
			if (res[i] == k)
				pick = i;
	if (pick < 0)
		return true;
	if (res[pick] == 2) {
		snprintf(s->split_why, sizeof(s->split_why), "%s: %s%s",
			 s->port->name, had[pick], why[pick]);
		return true;
	}
	report(r, s, "tlb-stale", "%s: %s%s", s->port->name, had[pick],
	       why[pick]);
	return false;
}

/*
 * After all the op's other checks passed: a stale entry only a split's
 * TTL left, on either side (stale_split, for fuzz/known.c).
 */
bool check_split_left(struct run *r)
{
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];

		if (!s->split_why[0])
			continue;
		s->stale_split = true;
		report(r, s, "tlb-stale", "%s", s->split_why);
		s->stale_split = false;
		return false;
	}
	return true;
}
