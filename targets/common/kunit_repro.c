// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compiled into the port a KUnit reproducer runs in (cmake/IoptKunit.cmake),
 * beside the reproducer, whose calls of alloc_io_pgtable_ops() come here
 * (the file is built with -Dalloc_io_pgtable_ops=iopt_kunit_alloc_io_pgtable_ops).
 * Here is what makes a planted bug of the executor happen in the case as
 * it happens in iopt-replay:
 *
 *   - the Nth event counts from each alloc_io_pgtable_ops(), as the
 *     executor counts it from the page table's creation (it resets the
 *     env there; a case that re-creates its page table must have freed
 *     everything of the old one first, which is checked here);
 *   - a bug planted in the IOMMU driver's TLB callbacks (skip-add-page,
 *     skip-flush-walk) loses the Nth callback before the case's own
 *     iommu_flush_ops sees it: the driver never invalidates; or gives it
 *     another granule (add-page-granule: a block's tlb_add_page names the
 *     smallest page; flush-walk-granule: a tlb_flush_walk's is its size);
 *   - the largest page size left out of what the case asks of
 *     alloc_io_pgtable_ops() (narrow-pgsizes), as the driver stand-in
 *     asks;
 *   - a written-back field corrupted (cfg-*) after alloc_io_pgtable_ops(),
 *     pgtable_walk's level-3 descriptor lost (walk-zero-l3), and a WARN at
 *     the end of alloc_io_pgtable_ops(), iova_to_phys or
 *     free_io_pgtable_ops() (warn-*), as the driver stand-in plants them
 *     (targets/common/driver.c; the case's free_io_pgtable_ops() comes
 *     here too);
 *   - an atomic caller's calls, map_pages() without direct reclaim in
 *     its gfp and every unmap_pages(), where an allocation may not sleep
 *     (env->atomic), as the driver stand-in marks them; and a CMO planted
 *     late (late-clean) done at the end of each call, as there;
 *   - the faults a reproducer arms (iopt_kunit_fail_alloc());
 *   - the page allocations since the case's alloc_io_pgtable_ops(), which a
 *     review's case pins (iopt_kunit_pages());
 *   - a lookup (iova_to_phys, pgtable_walk) that does more than read:
 *     cache maintenance, an allocation or a free, a TLB callback, each a
 *     runtime detection that fails the case, as the executor's only_read()
 *     reports it; and the lookup plants (lookup-cmo, -flush, -alloc);
 *   - with a non-coherent walk, the order in which a map or an unmap
 *     brings table descriptors and tables to the PoC, as the executor
 *     checks it (oracle/publish_order.h): a descriptor there before its
 *     table is a runtime detection, which fails the case;
 *   - a leaf the Nth unmap left in its range changed (unmap-leaf-bit), as
 *     the executor changes it (iopt/plant_leaf.h).
 */
#include <iopt/env.h>
#include <iopt/kunit.h>
#include <iopt/port.h>
#include <iopt_shim.h>
#include <iopt_kunit.h>
#include <linux/io-pgtable.h>

#include "contract.h"
#include "decode.h"	/* enum iopt_fmt */
#include "publish_order.h"
#include <iopt/kernel_cfg.h>
#include <iopt/plant_leaf.h>
#include <iopt/plant_lookup.h>

extern const struct iopt_port *const iopt_this_port;

static struct {
	const struct iommu_flush_ops *tlb;	/* the case's own */
	void *cookie;				/* ... and its cookie */
	uint64_t table;				/* the top table */
	long nth_add_page, nth_flush_walk, nth_block_add_page, nth_unmap;
	size_t min_page;			/* the smallest page size, after alloc */
	unsigned long tlb_calls;		/* that the case's flush ops saw */
	size_t alloc_mark;	/* the env's alloc log at alloc_io_pgtable_ops() */
#if IOPT_TREE_HAS_PGTABLE_WALK
	int (*pgtable_walk)(struct io_pgtable_ops *ops, unsigned long iova,
			    void *wd);	/* the tree's, under ours */
#endif
	phys_addr_t (*iova_to_phys)(struct io_pgtable_ops *ops,
				    unsigned long iova);	/* ditto */
	int (*map_pages)(struct io_pgtable_ops *ops, unsigned long iova,
			 phys_addr_t paddr, size_t pgsize, size_t pgcount,
			 int prot, gfp_t gfp, size_t *mapped);	/* the tree's */
	size_t (*unmap_pages)(struct io_pgtable_ops *ops, unsigned long iova,
			      size_t pgsize, size_t pgcount,
			      struct iommu_iotlb_gather *gather);
	/* the decoder's view; publication order, if the walk is not coherent */
	struct iopt_dec_cfg dec;
	bool dec_ok, pub_ok;
	struct iopt_pub pub;
} ik;

static void ik_flush_all(void *cookie)
{
	ik.tlb_calls++;
	if (ik.tlb->tlb_flush_all)
		ik.tlb->tlb_flush_all(cookie);
}

static void ik_flush_walk(unsigned long iova, size_t size, size_t granule,
			  void *cookie)
{
	if (++ik.nth_flush_walk == iopt_kunit_plant.skip_flush_walk_nth)
		return;		/* planted: lost */
	/* planted: by VA once per size, missing the tables below */
	if (ik.nth_flush_walk == iopt_kunit_plant.flush_walk_granule_nth)
		granule = size;
	ik.tlb_calls++;
	if (ik.tlb->tlb_flush_walk)
		ik.tlb->tlb_flush_walk(iova, size, granule, cookie);
}

static void ik_add_page(struct iommu_iotlb_gather *gather, unsigned long iova,
			size_t granule, void *cookie)
{
	if (++ik.nth_add_page == iopt_kunit_plant.skip_add_page_nth)
		return;		/* planted: lost */
	/* planted: a block's invalidation names the page size (a wrong TTL) */
	if (granule > ik.min_page &&
	    ++ik.nth_block_add_page == iopt_kunit_plant.add_page_granule_nth)
		granule = ik.min_page;
	ik.tlb_calls++;
	if (ik.tlb->tlb_add_page)
		ik.tlb->tlb_add_page(gather, iova, granule, cookie);
}

static const struct iommu_flush_ops ik_tlb = {
	.tlb_flush_all	= ik_flush_all,
	.tlb_flush_walk	= ik_flush_walk,
	.tlb_add_page	= ik_add_page,
};

/* As the executor's create(): what the old page table left, then the counts from 0. */
static void ik_new_page_table(struct iopt_env *env)
{
	const struct iopt_stats *s = &env->stats;

	if (s->live_blocks || s->live_slab || s->live_dma_maps)
		iopt_detect(env, IOPT_DET_LEAK,
			    "alloc_io_pgtable_ops: %ld page blocks, %ld slab objects, %ld DMA mappings still live from before",
			    s->live_blocks, s->live_slab, s->live_dma_maps);
	env->knobs = iopt_kunit_plant.knobs;
	env->late.pending = false;
	env->nth_alloc = env->nth_slab = env->nth_dma_map = 0;
	env->nth_cmo = env->nth_kfree = env->nth_free = 0;
	ik.nth_add_page = ik.nth_flush_walk = ik.nth_block_add_page = 0;
	ik.nth_unmap = 0;
	ik.alloc_mark = env->alloc_n;
}

struct iopt_kunit_pages iopt_kunit_pages(void)
{
	struct iopt_page_totals t;

	iopt_env_page_totals(iopt_this_port->env, ik.alloc_mark, &t);
	return (struct iopt_kunit_pages){
		.allocs = t.allocs, .frees = t.frees,
		.alloc_bytes = t.alloc_bytes, .free_bytes = t.free_bytes,
	};
}

/* Planted: a WARN at the end of the call (enum iopt_warn_plant). */
static void ik_warn(int call)
{
	if (iopt_kunit_plant.warn_after == call)
		WARN_ON(1);
}

/* ---- lookups only read ------------------------------------------------------ */

/* What a lookup may not do (the executor's struct effects, but WARNs: counted per case). */
struct ik_effects {
	struct iopt_env_effects env;
	unsigned long tlb;
};

static struct ik_effects ik_effects(const struct iopt_env *env)
{
	return (struct ik_effects){ iopt_env_effects(env), ik.tlb_calls };
}

static void ik_flush_all_plant(void *cookie)
{
	if (ik.tlb)
		ik_flush_all(cookie);
}

/* A lookup's end: the planted effect, then whether it only read since b. */
static void ik_lookup_done(struct iopt_env *env, const struct ik_effects *b,
			   const char *call)
{
	struct ik_effects a;

	iopt_plant_lookup_effect(env, iopt_kunit_plant.lookup_effect,
				 ik.table, ik_flush_all_plant, ik.cookie);
	a = ik_effects(env);
	if (a.env.cmos == b->env.cmos && a.env.allocs == b->env.allocs &&
	    a.env.frees == b->env.frees && a.tlb == b->tlb)
		return;
	iopt_detect(env, IOPT_DET_LOOKUP_EFFECT,
		    "%s did %ld CMOs, %ld allocations, %ld frees, %lu TLB callbacks; the contract: none",
		    call, a.env.cmos - b->env.cmos,
		    a.env.allocs - b->env.allocs, a.env.frees - b->env.frees,
		    a.tlb - b->tlb);
}

#if IOPT_TREE_HAS_PGTABLE_WALK
static int ik_pgtable_walk(struct io_pgtable_ops *ops, unsigned long iova,
			   void *wd)
{
	struct iopt_env *env = iopt_this_port->env;
	struct ik_effects b = ik_effects(env);
	int ret = ik.pgtable_walk(ops, iova, wd);

	if (iopt_kunit_plant.walk_zero_l3)	/* planted */
		((struct arm_lpae_io_pgtable_walk_data *)wd)->ptes[3] = 0;
	ik_lookup_done(env, &b, "pgtable_walk");
	return ret;
}
#endif

static phys_addr_t ik_iova_to_phys(struct io_pgtable_ops *ops,
				   unsigned long iova)
{
	struct iopt_env *env = iopt_this_port->env;
	struct ik_effects b = ik_effects(env);
	phys_addr_t pa = ik.iova_to_phys(ops, iova);

	ik_warn(IOPT_WARN_IOVA_TO_PHYS);
	ik_lookup_done(env, &b, "iova_to_phys");
	return pa;
}

/* ---- publication order ---------------------------------------------------- */

static const void *ik_cpu(void *ctx, uint64_t pa, uint64_t *base,
			  uint64_t *size)
{
	return iopt_phys_lookup(ctx, pa, base, size);
}

static const void *ik_poc(void *ctx, uint64_t pa, uint64_t *base,
			  uint64_t *size)
{
	return iopt_phys_lookup_poc(ctx, pa, base, size);
}

static bool ik_uncleaned(void *ctx, uint64_t pa, uint64_t len,
			 uint64_t *line)
{
	return iopt_poc_uncleaned(ctx, pa, len, line);
}

static void ik_on_clean(struct iopt_env *env, uint64_t phys, uint64_t len)
{
	iopt_pub_on_clean(&ik.pub, phys, len);
}

static void ik_on_free(struct iopt_env *env, uint64_t phys, uint64_t size)
{
	iopt_pub_forget(&ik.pub, phys, size);
}

/*
 * The decoder's view of the page table alloc_io_pgtable_ops() made for
 * asked (our format f), as the executor's: the model's geometry of the
 * configuration asked for, the top table where cfg says (ik.table, read
 * before a planted corruption of it). A configuration the decoder cannot
 * walk, or one the kernel kept otherwise than the model says, has none;
 * a coherent walk's publication order is not checked.
 */
static void ik_pub_setup(int f, const struct io_pgtable_cfg *asked,
			 const struct io_pgtable_cfg *cfg)
{
	struct iopt_env *env = iopt_this_port->env;
	struct iopt_model_cfg mc = {
		.fmt = f, .pgsize_bitmap = asked->pgsize_bitmap,
		.ias = asked->ias, .oas = asked->oas,
		.quirks = iopt_model_quirks_of(asked->quirks),
		.coherent_walk = asked->coherent_walk,
		.page_shift = IOPT_PAGE_SHIFT,
		.contract = iopt_contract_by_name(iopt_this_port->tree->contract),
	};
	struct iopt_model_geom g;

	ik.dec_ok = ik.pub_ok = false;
	if (f == IOPT_FMT_COUNT || !mc.contract)
		return;
	iopt_model_geometry(&mc, &g);
	/* (else the executor's alloc or config check reports it first) */
	if (g.rejected || g.degenerate || cfg->pgsize_bitmap != g.pgsize_bitmap ||
	    cfg->ias != g.ias || cfg->oas != g.oas)
		return;
	iopt_model_geom_dec_cfg(&mc, &g, ik.table, &ik.dec);
	ik.dec_ok = !iopt_dec_cfg_check(&ik.dec);
	ik.pub_ok = ik.dec_ok && !cfg->coherent_walk;
	ik.pub.dec = &ik.dec;
	ik.pub.cpu = (struct iopt_dec_mem){ .ctx = env, .lookup = ik_cpu };
	ik.pub.poc = (struct iopt_dec_mem){ .ctx = env, .lookup = ik_poc };
	ik.pub.line = IOPT_CACHE_LINE;
	ik.pub.uncleaned = ik_uncleaned;
	ik.pub.uncleaned_ctx = env;
}

/* A map or unmap of count pages of size at iova begins (its range as the executor's). */
static void ik_pub_begin(struct iopt_env *env, unsigned long iova,
			 size_t size, size_t count)
{
	if (!ik.pub_ok)
		return;
	env->clean_hook = ik_on_clean;
	env->free_hook = ik_on_free;
	iopt_pub_begin(&ik.pub, iova, iopt_op_last_byte(iova, size, count));
}

static void ik_pub_end(struct iopt_env *env, const char *call)
{
	if (!ik.pub.on)
		return;
	iopt_pub_end(&ik.pub);
	env->clean_hook = NULL;
	env->free_hook = NULL;
	if (!ik.pub.why[0])
		return;
	/* (the whole account here: a detection's message is short) */
	iopt_kunit_note("# iopt-fuzz's KUnit shim: in %s, %s", call, ik.pub.why);
	iopt_detect(env, IOPT_DET_PUBLISH_ORDER,
		    "%s published a table descriptor at the PoC before its table",
		    call);
}

/* ---- an atomic caller's calls (env->atomic), as driver.c marks them ------- */

static int ik_map_pages(struct io_pgtable_ops *ops, unsigned long iova,
			phys_addr_t paddr, size_t pgsize, size_t pgcount,
			int prot, gfp_t gfp, size_t *mapped)
{
	struct iopt_env *env = iopt_this_port->env;
	int ret;

	if (!(gfp & ___GFP_DIRECT_RECLAIM))
		env->atomic = "map_pages(GFP_ATOMIC)";
	ik_pub_begin(env, iova, pgsize, pgcount);
	ret = ik.map_pages(ops, iova, paddr, pgsize, pgcount, prot, gfp,
			   mapped);
	env->atomic = NULL;
	iopt_cmo_late(env);	/* planted late-clean: at the call's end */
	ik_pub_end(env, "map_pages");
	return ret;
}

/* Planted: a leaf the unmap left in its range changed, as the executor changes it. */
static void ik_plant_leaf_bit(struct iopt_env *env, unsigned long iova,
			      size_t size, size_t count)
{
	struct iopt_dec_mem cpu = { .ctx = env, .lookup = ik_cpu };

	iopt_plant_leaf_bit(&ik.dec, &cpu, iova,
			    iopt_op_last_byte(iova, size, count));
}

static size_t ik_unmap_pages(struct io_pgtable_ops *ops, unsigned long iova,
			     size_t pgsize, size_t pgcount,
			     struct iommu_iotlb_gather *gather)
{
	struct iopt_env *env = iopt_this_port->env;
	size_t ret;

	env->atomic = "unmap_pages";
	ik_pub_begin(env, iova, pgsize, pgcount);
	ret = ik.unmap_pages(ops, iova, pgsize, pgcount, gather);
	if (++ik.nth_unmap == iopt_kunit_plant.unmap_leaf_bit_nth && ik.dec_ok)
		ik_plant_leaf_bit(env, iova, pgsize, pgcount);
	env->atomic = NULL;
	iopt_cmo_late(env);
	ik_pub_end(env, "unmap_pages");
	return ret;
}

/* The bugs planted in what alloc_io_pgtable_ops() gave the case (our format f). */
static void ik_plant(struct io_pgtable_ops *ops, int f,
		     struct io_pgtable_cfg *cfg)
{
	if (f < IOPT_FMT_COUNT)
		iopt_kernel_cfg_plant(cfg, f, iopt_kunit_plant.cfg_plant);
#if IOPT_TREE_HAS_PGTABLE_WALK
	if (ops->pgtable_walk) {
		ik.pgtable_walk = ops->pgtable_walk;
		ops->pgtable_walk = ik_pgtable_walk;
	}
#endif
	ik.map_pages = ops->map_pages;
	ops->map_pages = ik_map_pages;
	ik.unmap_pages = ops->unmap_pages;
	ops->unmap_pages = ik_unmap_pages;
	ik.iova_to_phys = ops->iova_to_phys;
	ops->iova_to_phys = ik_iova_to_phys;
}

struct io_pgtable_ops *iopt_kunit_alloc_io_pgtable_ops(enum io_pgtable_fmt fmt,
						       struct io_pgtable_cfg *cfg,
						       void *cookie)
{
	const struct iommu_flush_ops *tlb = cfg->tlb;
	const struct io_pgtable_cfg asked = *cfg;
	struct io_pgtable_ops *ops;
	struct iopt_cfg_regs regs;
	int f = 0;

	ik_new_page_table(iopt_this_port->env);
	ik.tlb = tlb;
	ik.cookie = cookie;
	ik.table = 0;
	if (tlb)	/* io-pgtable keeps its own copy of cfg: with ours */
		cfg->tlb = &ik_tlb;
	if (iopt_kunit_plant.narrow_pgsizes)	/* planted, as the driver does */
		cfg->pgsize_bitmap = iopt_narrow_pgsizes(cfg->pgsize_bitmap);
	ops = alloc_io_pgtable_ops(fmt, cfg, cookie);
	iopt_cmo_late(iopt_this_port->env);
	ik_warn(IOPT_WARN_ALLOC);
	cfg->tlb = tlb;
	ik.dec_ok = ik.pub_ok = false;
	if (!ops)
		return NULL;
	ik.min_page = cfg->pgsize_bitmap & -cfg->pgsize_bitmap;
	while (f < IOPT_FMT_COUNT && iopt_kernel_fmt[f] != fmt)
		f++;
	if (f < IOPT_FMT_COUNT) {
		iopt_kernel_cfg_regs(cfg, f, &regs);
		ik.table = iopt_kernel_table_base(f, &regs);
	}
	ik_pub_setup(f, &asked, cfg);
	ik_plant(ops, f, cfg);
	return ops;
}

void iopt_kunit_free_io_pgtable_ops(struct io_pgtable_ops *ops)
{
	free_io_pgtable_ops(ops);
	iopt_cmo_late(iopt_this_port->env);
	ik_warn(IOPT_WARN_FREE);
}

void iopt_kunit_fail_alloc(struct kunit *test, int kind, long nth)
{
	iopt_port_arm_fault(iopt_this_port, kind, nth);
}
