// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hardware around each side: the memory as the CPU and as the IOMMU's
 * table walker see it, the IOMMU's caches (device.c) kept by the TLB
 * callbacks the page-table code makes, device accesses through them, and
 * HTTU's dirtying of a leaf on a write.
 */
#include <stdio.h>
#include <string.h>

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

/* ---- what a table freed in an op must have had: a walk flush over it ---- */

#define FC_TABLES	1024
#define FC_WALKS	256

/*
 * One side's op at a time (side_op): the tables the op's range held
 * before it, below the top one, and the walk flushes the op has made.
 * Beyond what it can keep, a free is not checked (no false alarm).
 */
static struct {
	bool on;
	uint64_t granule;		/* ARM_LPAE_GRANULE: the walk flush's */
	struct { uint64_t pa, iova, span; int level; } table[FC_TABLES];
	unsigned int ntables;
	bool tables_cut;
	struct { uint64_t iova, size, granule; } walk[FC_WALKS];
	unsigned int nwalks;
	bool walks_cut, flushed_all;
} fc;

static void fc_table(void *ctx, uint64_t pa, int level, unsigned int entries,
		     uint64_t iova)
{
	const struct iopt_dec_cfg *cfg = ctx;

	if (level <= cfg->start_level)
		return;
	if (fc.ntables == FC_TABLES) {
		fc.tables_cut = true;
		return;
	}
	fc.table[fc.ntables].pa = pa;
	fc.table[fc.ntables].iova = iova;
	fc.table[fc.ntables].span = 1ULL << iopt_dec_level_shift(cfg, level - 1);
	fc.table[fc.ntables].level = level;
	fc.ntables++;
}

/*
 * Before an unmap, or a map of a block (which may replace a table): what
 * tables [iova, iova + len) holds, as the CPU sees them.
 */
void hw_op_begin(struct side *s, const struct iopt_op *op,
		 const struct op_args *a)
{
	struct iopt_dec_mem mem = side_mem(s);
	struct iopt_dec_visitor v = { .ctx = &s->dec, .table = fc_table };
	uint64_t len = a->pgsize * (uint64_t)(a->count ? a->count : 1);
	uint64_t hi = a->iova + (len ? len - 1 : 0);
	unsigned long pgsizes = s->st.pgsize_bitmap;

	fc.on = false;
	if (op->kind != IOPT_OP_UNMAP &&
	    (op->kind != IOPT_OP_MAP || a->pgsize <= (pgsizes & -pgsizes)))
		return;
	fc.on = true;
	fc.granule = 1ULL << s->dec.granule_shift;
	fc.ntables = fc.nwalks = 0;
	fc.tables_cut = fc.walks_cut = fc.flushed_all = false;
	iopt_dec_walk_range(&s->dec, &mem, a->iova, hi < a->iova ? ~0ULL : hi,
			    &v);
}

/*
 * After the op and the driver's sync: a block split under a contract that
 * splits was invalidated by its split's leaf invalidations (device.h).
 */
void hw_op_end(struct run *r, struct side *s)
{
	struct iopt_dec_mem mem = device_mem(s);
	bool splits = r->cfg.contract->unmap_splits_blocks;

	fc.on = false;
	iopt_device_settle(&s->dev, &s->dec, &mem, splits);
	iopt_device_settle(&s->every, &s->dec, &mem, splits);
}

static void fc_walk(uint64_t iova, uint64_t size, uint64_t granule)
{
	if (!fc.on)
		return;
	if (fc.nwalks == FC_WALKS) {
		fc.walks_cut = true;
		return;
	}
	fc.walk[fc.nwalks].iova = iova;
	fc.walk[fc.nwalks].size = size;
	fc.walk[fc.nwalks].granule = granule;
	fc.nwalks++;
}

/* A walk flush of the right granule so far that holds iova, or -1. */
static int fc_walk_at(uint64_t iova, bool any_granule)
{
	for (unsigned int i = 0; i < fc.nwalks; i++)
		if ((any_granule || fc.walk[i].granule == fc.granule) &&
		    iova - fc.walk[i].iova < fc.walk[i].size)
			return i;
	return -1;
}

/*
 * A table freed in the op: the walk flushes so far (or a full flush)
 * must cover all it spans, at the table granule (tlb_flush_walk's
 * contract: io-pgtable-arm passes ARM_LPAE_GRANULE), else the walk cache
 * may keep a pointer to it, or to a table below it, once it is reused.
 * 0, or 1 with why.
 */
static int fc_check_free(uint64_t phys, uint64_t size, char *why, size_t n)
{
	unsigned int i;
	uint64_t at, rem;
	int w;

	if (!fc.on || fc.flushed_all || fc.walks_cut)
		return 0;
	for (i = 0; i < fc.ntables; i++)
		if (fc.table[i].pa - phys < size)
			break;
	if (i == fc.ntables)
		return 0;	/* not in the range before the op (or cut) */
	for (at = fc.table[i].iova, rem = fc.table[i].span; rem; ) {
		uint64_t adv;

		w = fc_walk_at(at, false);
		if (w < 0)
			break;
		adv = fc.walk[w].size - (at - fc.walk[w].iova);
		if (adv >= rem)
			return 0;
		at += adv;
		rem -= adv;
	}
	w = fc_walk_at(at, true);
	snprintf(why, n,
		 "table pa 0x%llx (level %d, iova 0x%llx, span 0x%llx) freed with no walk flush of granule 0x%llx over iova 0x%llx%s",
		 (unsigned long long)fc.table[i].pa, fc.table[i].level,
		 (unsigned long long)fc.table[i].iova,
		 (unsigned long long)fc.table[i].span,
		 (unsigned long long)fc.granule, (unsigned long long)at,
		 w < 0 ? "" : " (only one of another granule)");
	return 1;
}

/* ---- TLB callbacks: each side logs its own, then its IOMMU does them ---- */

static void tlb_log(struct side *s, uint8_t kind, uint64_t iova,
		    uint64_t size, uint64_t granule)
{
	if (s->ntlb < TLB_EVENTS)
		s->tlb[s->ntlb++] = (struct tlb_event){ kind, iova, size, granule };
	s->tlb_total++;
}

static void hook_flush_all(void *ctx)
{
	struct side *s = ctx;

	tlb_log(s, TLB_FLUSH_ALL, 0, 0, 0);
	fc.flushed_all = true;
	iopt_device_flush_all(&s->dev);
	iopt_device_flush_all(&s->every);
}

static void hook_flush_walk(void *ctx, uint64_t iova, uint64_t size,
			    uint64_t granule)
{
	struct side *s = ctx;

	tlb_log(s, TLB_FLUSH_WALK, iova, size, granule);
	fc_walk(iova, size, granule);
	iopt_device_inv_walk(&s->dev, iova, size, granule);
	iopt_device_inv_walk(&s->every, iova, size, granule);
}

static void hook_add_page(void *ctx, bool gather, uint64_t iova,
			  uint64_t granule)
{
	struct side *s = ctx;

	tlb_log(s, TLB_ADD_PAGE, iova, granule, granule);
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
	trace(r, "  #%u access iova 0x%llx%s -> model 0x%llx\n", r->op_index,
	      (unsigned long long)a->iova, op->flags & IOPT_OPF_WRITE ?
	      " (write)" : "", (unsigned long long)want);
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];
		struct iopt_dec_mem mem = device_mem(s);
		struct iopt_leaf l;
		int res = iopt_device_access(&s->dev, &s->dec, &mem, a->iova, &l);
		uint64_t got = res == IOPT_DEC_HIT ? l.pa + (a->iova - l.iova) : 0;

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
		fc_check_free(phys, size, s->freed_why, sizeof(s->freed_why));
}

/* The IOMMU's caches hold nothing stale where the op touched. */
bool check_caches(struct run *r, struct side *s)
{
	struct iopt_dec_mem mem = device_mem(s);
	char why[320];

	if (s->freed_why[0]) {
		report(r, s, "free-order", "%s: %s", s->port->name,
		       s->freed_why);
		return false;
	}
	if (iopt_device_check(&s->dev, &s->dec, &mem, r->lo, r->hi, why,
			      sizeof(why))) {
		report(r, s, "tlb-stale", "%s: %s", s->port->name, why);
		return false;
	}
	if (iopt_device_check(&s->every, &s->dec, &mem, r->lo, r->hi, why,
			      sizeof(why))) {
		report(r, s, "tlb-stale",
		       "%s: had the IOMMU cached all the range held: %s",
		       s->port->name, why);
		return false;
	}
	return true;
}
