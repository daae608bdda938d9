// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IOMMU driver's side of io-pgtable, compiled into each port (so it
 * sees that port's tree headers) and offered to the executor through the
 * tree-neutral struct iopt_driver (iopt/port.h):
 *
 *   - the io_pgtable_cfg a driver fills in, from our numbering of formats
 *     and quirks, and what alloc_io_pgtable_ops() writes back;
 *   - the iommu_flush_ops callbacks, passed on to the executor's hooks
 *     (and the planted bugs that lose one);
 *   - a cfg->alloc / cfg->free test double: memory aligned to the size
 *     asked for exactly and no more, so that code relying on more
 *     alignment shows up;
 *   - the ops calls: map_pages, unmap_pages with or without a gather,
 *     iova_to_phys, read_and_clear_dirty.
 *
 * Each call into the kernel code is guarded (iopt_guarded(), guard.c): a
 * trap of undefined behaviour in the kernel code comes back here as a
 * detection with the call it happened in, so that the executor reports it
 * with the ops that led to it (and a known upstream bug can be matched;
 * fuzz/known.c).
 *
 * One page table at a time per port; the state is this file's.
 */
#include <stdio.h>
#include <string.h>

#include <iopt/env.h>
#include <iopt/port.h>
#include <iopt_shim.h>
#include <linux/io-pgtable.h>

#include "decode.h"
#include "model.h"
#include <iopt/kernel_cfg.h>
#include <iopt/plant_lookup.h>

/* The port this object is part of (its runtime.c). */
extern const struct iopt_port *const iopt_this_port;

struct custom_block {		/* one cfg->alloc allocation */
	uint64_t pa, size;		/* what the kernel got */
	void *block;			/* the env block behind it */
	unsigned int order;
};

#define CUSTOM_MAX	2048

static struct {
	struct iopt_env *env;
	struct iopt_drv_state *st;
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	struct iopt_drv_cfg want;
	struct iopt_drv_hooks hooks;
	long nth_add_page, nth_flush_walk, nth_flush_all, nth_dirty;
	long nth_block_add_page;
	bool bit_flipped;		/* table_bit planted, once per table */
	bool plants_at_end;		/* a plant at the end of calls (plant_at_end()) */
	struct {			/* defer_flush_walk planted: pending */
		bool pending;
		uint64_t iova, size, granule;
	} deferred;
	bool custom;
	struct custom_block custom_blk[CUSTOM_MAX];
	unsigned int ncustom;
} drv;

/* ---- calls into the kernel code, guarded ---------------------------------- */

enum kcall_kind { KC_ALLOC, KC_FREE, KC_MAP, KC_UNMAP, KC_IOVA_TO_PHYS, KC_DIRTY,
		  KC_WALK, KC_IOVA_TO_PHYS_EACH };

struct kcall {
	enum kcall_kind kind;
	uint64_t iova, pa;
	size_t pgsize, pgcount, *mapped;
	int prot;
	struct iommu_iotlb_gather *gather;
	struct iommu_dirty_bitmap *dirty;
	void *walk;			/* KC_WALK: struct arm_lpae_io_pgtable_walk_data */
	unsigned long flags;
	gfp_t gfp;			/* KC_MAP */
	const char *atomic;		/* an atomic caller's call: what it is */
	long ret;			/* int or size_t or phys_addr_t */
	struct kcall_each {		/* KC_IOVA_TO_PHYS_EACH */
		const uint64_t *iova, *want;
		uint64_t *got;
		unsigned int n, ran;
	} each;
};

static const char *const kcall_names[] = {
	[KC_ALLOC] = "alloc_io_pgtable_ops", [KC_FREE] = "free_io_pgtable_ops",
	[KC_MAP] = "map_pages", [KC_UNMAP] = "unmap_pages",
	[KC_IOVA_TO_PHYS] = "iova_to_phys",
	[KC_DIRTY] = "read_and_clear_dirty",
	[KC_WALK] = "pgtable_walk",
	/* each call is an iova_to_phys (known.c matches "iova_to_phys,") */
	[KC_IOVA_TO_PHYS_EACH] = "iova_to_phys",
};

/* Planted (drv.want.warn_after): the kernel code's call WARNs at its end. */
static void plant_warn(enum kcall_kind kind)
{
	int call = kind == KC_ALLOC ? IOPT_WARN_ALLOC :
		   kind == KC_FREE ? IOPT_WARN_FREE :
		   kind == KC_IOVA_TO_PHYS ? IOPT_WARN_IOVA_TO_PHYS :
		   IOPT_WARN_NONE;

	if (call != IOPT_WARN_NONE && call == drv.want.warn_after)
		WARN_ON(1);
}

/* The plants at the end of a call (drv.want.warn_after, lookup_effect). */
static void plant_at_end(enum kcall_kind kind)
{
	plant_warn(kind);
	if (kind == KC_IOVA_TO_PHYS || kind == KC_WALK)
		iopt_plant_lookup_effect(drv.env, drv.want.lookup_effect,
					 drv.st->ttbr, drv.hooks.flush_all,
					 drv.hooks.ctx);
}

/* What a port's iova_to_phys answers (planted: the offset in the 4K page lost). */
static uint64_t i2p_answer(phys_addr_t pa)
{
	return drv.want.i2p_page_only ? (uint64_t)pa & ~0xfffULL : (uint64_t)pa;
}

/*
 * KC_IOVA_TO_PHYS_EACH: each iova_to_phys a call of its own but for the
 * guard, up to the first answer not the one wanted or the first that made
 * a detection; e->ran counts the one a trap left.
 */
static void i2p_each(struct io_pgtable_ops *o, struct kcall *c)
{
	struct kcall_each *e = &c->each;

	for (e->ran = 0; e->ran < e->n;) {
		unsigned long reports = drv.env->report_total;
		unsigned int k = e->ran++;

		e->got[k] = 0;
		e->got[k] = i2p_answer(o->iova_to_phys(o, e->iova[k]));
		if (drv.plants_at_end)
			plant_at_end(KC_IOVA_TO_PHYS);
		if (e->got[k] != e->want[k] || drv.env->report_total != reports)
			break;
	}
}

static void kcall_run(void *arg)
{
	struct kcall *c = arg;
	struct io_pgtable_ops *o = drv.ops;

	switch (c->kind) {
	case KC_ALLOC:
		drv.ops = iopt_this_port->alloc_ops(iopt_kernel_fmt[drv.want.fmt],
						    &drv.cfg, NULL);
		break;
	case KC_FREE:
		iopt_this_port->free_ops(o);
		break;
	case KC_MAP:
		c->ret = o->map_pages(o, c->iova, c->pa, c->pgsize, c->pgcount,
				      c->prot, c->gfp, c->mapped);
		break;
	case KC_UNMAP:
		c->ret = (long)o->unmap_pages(o, c->iova, c->pgsize, c->pgcount,
					      c->gather);
		break;
	case KC_IOVA_TO_PHYS:
		c->ret = (long)o->iova_to_phys(o, c->iova);
		break;
	case KC_DIRTY:
#if IOPT_TREE_HAS_DIRTY
		c->ret = o->read_and_clear_dirty(o, c->iova, c->pgsize,
						 c->flags, c->dirty);
#endif
		break;
	case KC_WALK:
#if IOPT_TREE_HAS_PGTABLE_WALK
		c->ret = o->pgtable_walk(o, c->iova, c->walk);
#endif
		break;
	case KC_IOVA_TO_PHYS_EACH:
		i2p_each(o, c);		/* its plants after each call */
		return;
	}
	if (drv.plants_at_end)
		plant_at_end(c->kind);
}

/*
 * Run the call; after a trap the page table is in no known state: the
 * detection names the call and where it trapped, and the tables are
 * abandoned, not freed (drv_destroy). A fatal detection of the runtime
 * (iopt_fatal) leaves the call the same way, already recorded.
 */
static bool kernel_call(struct kcall *c)
{
	unsigned long reports = drv.env->report_total;
	char where[128];
	bool ok;

	/* an atomic caller's call, where allocations could sleep (port_mm.c) */
	drv.env->atomic = iopt_this_port->traits->allocs_sleep ? c->atomic : NULL;
	ok = iopt_guarded(kcall_run, c, where, sizeof(where));
	drv.env->atomic = NULL;
	if (drv.env->late.pending)	/* planted: a CMO done late */
		iopt_cmo_late(drv.env);
	if (ok)
		return true;
	drv.st->trapped = true;
	if (drv.env->report_total > reports && reports < IOPT_MAX_REPORTS) {
		snprintf(drv.st->trap_where, sizeof(drv.st->trap_where),
			 "%s, fatal: %s", kcall_names[c->kind],
			 drv.env->reports[reports].msg);
		return false;
	}
	snprintf(drv.st->trap_where, sizeof(drv.st->trap_where), "%s, in %s",
		 kcall_names[c->kind], where);
	iopt_detect(drv.env, IOPT_DET_UB, "in the kernel code during %s",
		    drv.st->trap_where);
	return false;
}

/* ---- iommu_flush_ops ----------------------------------------------------- */

/* A planted bug loses the Nth callback entirely: neither done nor seen. */
static void drv_tlb_flush_all(void *cookie)
{
	if (++drv.nth_flush_all == drv.want.skip_flush_all_nth)
		return;
	drv.hooks.flush_all(drv.hooks.ctx);
}

static void drv_tlb_flush_walk(unsigned long iova, size_t size,
			       size_t granule, void *cookie)
{
	if (++drv.nth_flush_walk == drv.want.skip_flush_walk_nth)
		return;
	if (drv.nth_flush_walk == drv.want.defer_flush_walk_nth) {
		drv.deferred.pending = true;	/* done at the unmap's end */
		drv.deferred.iova = iova;
		drv.deferred.size = size;
		drv.deferred.granule = granule;
		return;
	}
	/* planted: the table's walk cache entries past the first half stay */
	if (drv.nth_flush_walk == drv.want.flush_walk_short_nth)
		size /= 2;
	/* planted: by VA once per size, missing the tables below */
	if (drv.nth_flush_walk == drv.want.flush_walk_granule_nth)
		granule = size;
	drv.hooks.flush_walk(drv.hooks.ctx, iova, size, granule);
}

static void drv_tlb_add_page(struct iommu_iotlb_gather *gather,
			     unsigned long iova, size_t granule, void *cookie)
{
	if (++drv.nth_add_page == drv.want.skip_add_page_nth)
		return;
	/* planted: more than was asked, which only side against side shows */
	if (drv.nth_add_page == drv.want.widen_add_page_nth) {
		drv.hooks.flush_all(drv.hooks.ctx);
		return;
	}
	/* planted: a block's invalidation names the page size (a wrong TTL) */
	if (granule > (drv.cfg.pgsize_bitmap & -drv.cfg.pgsize_bitmap) &&
	    ++drv.nth_block_add_page == drv.want.add_page_granule_nth)
		granule = drv.cfg.pgsize_bitmap & -drv.cfg.pgsize_bitmap;
	drv.hooks.add_page(drv.hooks.ctx, gather != NULL, iova, granule);
}

static const struct iommu_flush_ops drv_tlb_ops = {
	.tlb_flush_all	= drv_tlb_flush_all,
	.tlb_flush_walk	= drv_tlb_flush_walk,
	.tlb_add_page	= drv_tlb_add_page,
};

/* ---- cfg->alloc: blocks aligned to their size exactly, and no more ------- */

static long custom_find(uint64_t pa)
{
	for (unsigned int i = 0; i < drv.ncustom; i++)
		if (pa >= drv.custom_blk[i].pa &&
		    pa - drv.custom_blk[i].pa < drv.custom_blk[i].size)
			return i;
	return -1;
}

#if IOPT_TREE_HAS_CFG_ALLOC

static uint64_t pow2_ceil(uint64_t x)
{
	return x <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(x - 1));
}

static void *custom_alloc(void *cookie, size_t size, gfp_t gfp)
{
	uint64_t a = pow2_ceil(size), page = 1ULL << drv.env->page_shift;
	struct custom_block *c;
	unsigned int order = 0;
	uint8_t *block;

	while ((page << order) < 2 * a)
		order++;
	if (drv.ncustom == CUSTOM_MAX)
		return NULL;
	iopt_check_alloc_args("cfg->alloc", gfp, NUMA_NO_NODE,
			      IOPT_ARGS_PAGES_ANY_NODE);
	block = iopt_pages_alloc(drv.env, order, gfp, NUMA_NO_NODE);
	if (!block)
		return NULL;
	c = &drv.custom_blk[drv.ncustom++];
	*c = (struct custom_block){
		.pa = iopt_virt_to_phys(drv.env, block) + a, .size = size,
		.block = block, .order = order,
	};
	if (!drv.st->first_custom_size) {
		drv.st->first_custom_size = size;
		drv.st->first_custom_pa = c->pa;
	}
	return block + a;
}

static void custom_free(void *cookie, void *pages, size_t size)
{
	uint64_t pa = iopt_virt_to_phys(drv.env, pages);
	long i = custom_find(pa);

	if (i >= 0 && drv.custom_blk[i].pa == pa &&
	    drv.custom_blk[i].size != size && !drv.st->bad_free_asked) {
		drv.st->bad_free_asked = drv.custom_blk[i].size;
		drv.st->bad_free_given = size;
	}
	if (i < 0 || drv.custom_blk[i].pa != pa ||
	    drv.custom_blk[i].size != size) {
		iopt_detect(drv.env, IOPT_DET_BAD_FREE,
			    "cfg->free(0x%llx, %zu): not an allocation of cfg->alloc",
			    (unsigned long long)pa, size);
		return;
	}
	iopt_pages_free(drv.env, drv.custom_blk[i].block,
			drv.custom_blk[i].order);
	drv.custom_blk[i] = drv.custom_blk[--drv.ncustom];
}
#endif

/* ---- the memory the decoder and the device read -------------------------- */

static const void *drv_lookup(uint64_t pa, uint64_t *base, uint64_t *size,
			      bool poc)
{
	const uint8_t *host;
	uint64_t b, sz;
	long i;

	if (!drv.custom)
		return poc ? iopt_phys_lookup_poc(drv.env, pa, base, size) :
			     iopt_phys_lookup(drv.env, pa, base, size);
	i = custom_find(pa);
	if (i < 0)
		return NULL;
	host = poc ? iopt_phys_lookup_poc(drv.env, drv.custom_blk[i].pa, &b, &sz) :
		     iopt_phys_lookup(drv.env, drv.custom_blk[i].pa, &b, &sz);
	if (!host)
		return NULL;
	*base = drv.custom_blk[i].pa;
	*size = drv.custom_blk[i].size;
	return host + (*base - b);
}

/* ---- alloc_io_pgtable_ops and free_io_pgtable_ops ------------------------ */

static bool drv_create(const struct iopt_drv_cfg *want,
		       const struct iopt_drv_hooks *hooks,
		       struct iopt_drv_state *st)
{
	static struct device dev = {
		.numa_node = NUMA_NO_NODE,
		.dma_mask = &dev.coherent_dma_mask,
		.coherent_dma_mask = ~0ULL,
	};
	const struct iopt_port *port = iopt_this_port;
	struct kcall c = { .kind = KC_ALLOC };

	memset(&drv.cfg, 0, sizeof(drv.cfg));
	memset(st, 0, sizeof(*st));
	drv.env = port->env;
	drv.st = st;
	drv.want = *want;
	drv.plants_at_end = want->warn_after || want->lookup_effect;
	drv.hooks = *hooks;
	drv.ncustom = 0;
	drv.nth_add_page = drv.nth_flush_walk = drv.nth_dirty = 0;
	drv.nth_block_add_page = 0;
	drv.nth_flush_all = 0;
	drv.bit_flipped = false;
	drv.deferred.pending = false;
	drv.custom = IOPT_TREE_HAS_CFG_ALLOC && want->custom_alloc &&
		     port->traits->honours_cfg_alloc;
	st->custom = drv.custom;	/* known before the call: a failed one too */
	drv.cfg.quirks = iopt_kernel_quirks(want->quirks);
	drv.cfg.pgsize_bitmap = want->pgsize_bitmap;
	if (want->narrow_pgsizes)
		drv.cfg.pgsize_bitmap = iopt_narrow_pgsizes(want->pgsize_bitmap);
	drv.cfg.ias = want->ias;
	drv.cfg.oas = want->oas;
	drv.cfg.coherent_walk = want->coherent_walk;
	drv.cfg.tlb = &drv_tlb_ops;
	drv.cfg.iommu_dev = &dev;
#if IOPT_TREE_HAS_CFG_ALLOC
	if (drv.custom) {
		drv.cfg.alloc = custom_alloc;
		drv.cfg.free = custom_free;
	}
#endif
	drv.ops = NULL;
	if (!kernel_call(&c))
		drv.ops = NULL;
	if (!drv.ops)
		return false;
	if (want->cfg_plant)
		iopt_kernel_cfg_plant(&drv.cfg, want->fmt, want->cfg_plant);
	iopt_kernel_cfg_regs(&drv.cfg, want->fmt, &st->regs);
	st->ttbr = iopt_kernel_table_base(want->fmt, &st->regs);
	st->pgsize_bitmap = drv.cfg.pgsize_bitmap;
	st->ias = drv.cfg.ias;
	st->oas = drv.cfg.oas;
	st->custom = drv.custom;
	return true;
}

/* After a trap the tables are in no known state: abandoned, not freed. */
static void drv_destroy(void)
{
	struct kcall c = { .kind = KC_FREE };

	if (drv.ops && !drv.st->trapped)
		kernel_call(&c);
	drv.ops = NULL;
}

/* ---- the ops -------------------------------------------------------------- */

/*
 * Planted after a map that worked: the same map again, which must find
 * its leaves and WARN (its result is dropped); or, once, a bit of the
 * top table's first table descriptor flipped (drv.want.table_bit).
 */
static void plant_after_map(const struct kcall *done)
{
	struct kcall c = *done;
	uint64_t base, size, *pte;
	size_t mapped = 0;

	if (drv.want.map_twice) {
		c.mapped = &mapped;
		kernel_call(&c);
	}
	if (!drv.want.table_bit || drv.bit_flipped)
		return;
	pte = (uint64_t *)drv_lookup(drv.st->ttbr, &base, &size, false);
	for (uint64_t i = 0; pte && i < size / 8; i++)
		if ((pte[i] & 3) == 3) {
			pte[i] ^= 1ULL << drv.want.table_bit;
			drv.bit_flipped = true;
			return;
		}
}

/*
 * Planted at the edges of the address sizes (drv.want.edge_bug): PA bits
 * 51:48 lost, or the IOVA and PA cut to ias and oas as a map or unmap
 * without the kernel's range checks would index and write them.
 */
static void plant_edge(uint64_t *iova, uint64_t *pa)
{
	uint64_t in;

	if (drv.want.edge_bug == IOPT_EDGE_PA_HI_DROP) {
		*pa &= ~GENMASK_ULL(51, 48);
	} else if (drv.want.edge_bug == IOPT_EDGE_UNCHECKED) {
		in = GENMASK_ULL(drv.cfg.ias - 1, 0);
		*iova &= in;
		if (drv.cfg.quirks & IO_PGTABLE_QUIRK_ARM_TTBR1)
			*iova |= ~in;
		*pa &= GENMASK_ULL(drv.cfg.oas - 1, 0);
	}
}

/* A trapped call returns this: what no op returns. */
#define TRAPPED_RET	(-EFAULT)

/*
 * atomic: an atomic caller's map (iommu_map() with GFP_ATOMIC, as the DMA
 * API maps in any context), else a map that may sleep (GFP_KERNEL).
 */
static int drv_map(uint64_t iova, uint64_t pa, size_t pgsize, size_t pgcount,
		   int prot, bool atomic, size_t *mapped)
{
	struct kcall c = {
		.kind = KC_MAP, .iova = iova, .pa = pa, .pgsize = pgsize,
		.pgcount = pgcount, .prot = prot, .mapped = mapped,
		.gfp = atomic ? GFP_ATOMIC : GFP_KERNEL,
		.atomic = atomic ? "map_pages(GFP_ATOMIC)" : NULL,
	};

	if (drv.want.prot_flip)
		c.prot ^= IOMMU_CACHE;
	plant_edge(&c.iova, &c.pa);
	if (!kernel_call(&c))
		return TRAPPED_RET;
	if (!c.ret && (drv.want.map_twice || drv.want.table_bit))
		plant_after_map(&c);
	return (int)c.ret;
}

/* Always an atomic caller's: the DMA API unmaps in any context. */
static size_t drv_unmap(uint64_t iova, size_t pgsize, size_t pgcount,
			bool gather, bool queued)
{
	struct iommu_iotlb_gather g = { .queued = queued };
	struct kcall c = {
		.kind = KC_UNMAP, .iova = iova, .pgsize = pgsize,
		.pgcount = pgcount, .gather = gather ? &g : NULL,
		.atomic = "unmap_pages",
	};

	plant_edge(&c.iova, &c.pa);
	if (!kernel_call(&c))
		return (size_t)TRAPPED_RET;
	if (drv.deferred.pending) {
		drv.deferred.pending = false;
		drv.hooks.flush_walk(drv.hooks.ctx, drv.deferred.iova,
				     drv.deferred.size, drv.deferred.granule);
	}
	return (size_t)c.ret;
}

static uint64_t drv_iova_to_phys(uint64_t iova)
{
	struct kcall c = { .kind = KC_IOVA_TO_PHYS, .iova = iova };

	if (!kernel_call(&c))
		return 0;
	return i2p_answer((phys_addr_t)c.ret);
}

static unsigned int drv_iova_to_phys_each(const uint64_t *iova,
					  const uint64_t *want, uint64_t *got,
					  unsigned int n)
{
	struct kcall c = {
		.kind = KC_IOVA_TO_PHYS_EACH,
		.each = { .iova = iova, .want = want, .got = got, .n = n },
	};

	if (n)
		kernel_call(&c);
	return c.each.ran;
}

#if IOPT_TREE_HAS_DIRTY
struct dirty_rec {
	struct iova_bitmap bm;
	void (*record)(void *ctx, uint64_t iova, uint64_t len);
	void *ctx;
};

static void dirty_record(struct iova_bitmap *bm, unsigned long iova,
			 unsigned long len)
{
	struct dirty_rec *d = container_of(bm, struct dirty_rec, bm);

	if (++drv.nth_dirty == drv.want.skip_dirty_nth)
		return;		/* planted: the Nth range is lost */
	if (drv.nth_dirty == drv.want.move_dirty_nth)
		iova += len;	/* planted: ... recorded where it is not */
	d->record(d->ctx, iova, len);
}
#endif

static int drv_read_and_clear_dirty(uint64_t iova, size_t size, bool no_clear,
				    void (*record)(void *ctx, uint64_t iova,
						   uint64_t len),
				    void *ctx)
{
#if IOPT_TREE_HAS_DIRTY
	struct dirty_rec rec = {
		.bm.record = dirty_record, .record = record, .ctx = ctx,
	};
	struct iommu_dirty_bitmap dirty = { .bitmap = &rec.bm };
	struct kcall c = {
		.kind = KC_DIRTY, .iova = iova, .pgsize = size, .dirty = &dirty,
		.flags = no_clear ? IOMMU_DIRTY_NO_CLEAR : 0,
	};

	return kernel_call(&c) ? (int)c.ret : TRAPPED_RET;
#else
	return -EOPNOTSUPP;
#endif
}

static int drv_pgtable_walk(uint64_t iova, uint64_t ptes[IOPT_WALK_LEVELS])
{
#if IOPT_TREE_HAS_PGTABLE_WALK
	struct arm_lpae_io_pgtable_walk_data wd;
	struct kcall c = { .kind = KC_WALK, .iova = iova, .walk = &wd };

	_Static_assert(sizeof(wd.ptes) == IOPT_WALK_LEVELS * sizeof(u64), "ptes[]");
	if (!drv.ops->pgtable_walk)
		return -EOPNOTSUPP;
	for (int i = 0; i < IOPT_WALK_LEVELS; i++)
		wd.ptes[i] = ptes[i];
	if (!kernel_call(&c))
		return TRAPPED_RET;
	for (int i = 0; i < IOPT_WALK_LEVELS; i++)
		ptes[i] = wd.ptes[i];
	if (drv.want.walk_zero_l3)	/* planted */
		ptes[3] = 0;
	return (int)c.ret;
#else
	return -EOPNOTSUPP;
#endif
}

const struct iopt_driver iopt_port_driver = {
	.create			= drv_create,
	.destroy		= drv_destroy,
	.map			= drv_map,
	.unmap			= drv_unmap,
	.iova_to_phys		= drv_iova_to_phys,
	.iova_to_phys_each	= drv_iova_to_phys_each,
	.read_and_clear_dirty	= drv_read_and_clear_dirty,
	.pgtable_walk		= drv_pgtable_walk,
	.lookup			= drv_lookup,
};
