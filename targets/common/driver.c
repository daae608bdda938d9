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
 * Each call into the kernel code is guarded: in a UBSan build the kernel
 * files trap on undefined behaviour (cmake/IoptPort.cmake) instead of
 * aborting the harness, and the trap comes back here as a detection with
 * the call it happened in, so that the executor reports it with the ops
 * that led to it (and a known upstream bug can be matched; fuzz/known.c).
 *
 * One page table at a time per port; the state is this file's.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <iopt/env.h>
#include <iopt/port.h>
#include <iopt_shim.h>
#include <linux/io-pgtable.h>

#include "decode.h"
#include "model.h"
#include <iopt/kernel_cfg.h>

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
	long nth_add_page, nth_flush_walk;
	bool custom;
	struct custom_block custom_blk[CUSTOM_MAX];
	unsigned int ncustom;
} drv;

/* ---- undefined behaviour in the kernel code -------------------------------- */

/* The sanitizer runtime's symbolizer, when there is one. */
extern int __sanitizer_symbolize_pc(void *pc, const char *fmt, char *buf,
				    size_t n) __attribute__((weak));

static sigjmp_buf trap_jmp;
static volatile sig_atomic_t in_kernel;
static void *volatile trap_pc;
static struct sigaction prev_ill;

static void on_sigill(int sig, siginfo_t *si, void *uc)
{
	if (in_kernel) {
		in_kernel = 0;
		trap_pc = si->si_addr;
		siglongjmp(trap_jmp, 1);
	}
	/* not a trap of this port's kernel code: whoever handled it before */
	if ((prev_ill.sa_flags & SA_SIGINFO) && prev_ill.sa_sigaction) {
		prev_ill.sa_sigaction(sig, si, uc);
	} else if (prev_ill.sa_handler != SIG_DFL &&
		   prev_ill.sa_handler != SIG_IGN) {
		prev_ill.sa_handler(sig);
	} else {
		signal(SIGILL, SIG_DFL);
		raise(SIGILL);
	}
}

/*
 * Installed on the first create(), so after a fuzzing engine's own
 * handler, which it passes anything else to. SA_NODEFER: the handler
 * leaves by siglongjmp, which does not restore the signal mask.
 */
static void trap_install(void)
{
	static bool done;
	struct sigaction sa = {
		.sa_sigaction = on_sigill, .sa_flags = SA_SIGINFO | SA_NODEFER,
	};

	if (done)
		return;
	done = true;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGILL, &sa, &prev_ill);
}

static void trapped(const char *call)
{
	char where[128] = "";

	if (__sanitizer_symbolize_pc)
		__sanitizer_symbolize_pc(trap_pc, "%f %s:%l", where, sizeof(where));
	if (!where[0])
		snprintf(where, sizeof(where), "pc %p", trap_pc);
	drv.st->trapped = true;
	snprintf(drv.st->trap_where, sizeof(drv.st->trap_where), "%s, in %s",
		 call, where);
	iopt_detect(drv.env, IOPT_DET_UB, "in the kernel code during %s",
		    drv.st->trap_where);
}

/*
 * Run stmt in the kernel code; on a trap, on_trap instead (whatever stmt
 * assigned is lost with the frame it ran in).
 */
#define KERNEL_CALL(call, stmt, on_trap) do {				\
	if (!sigsetjmp(trap_jmp, 0)) {					\
		in_kernel = 1;						\
		stmt;							\
		in_kernel = 0;						\
	} else {							\
		trapped(call);						\
		on_trap;						\
	}								\
} while (0)

/* ---- iommu_flush_ops ----------------------------------------------------- */

static void drv_tlb_flush_all(void *cookie)
{
	drv.hooks.flush_all(drv.hooks.ctx);
}

static void drv_tlb_flush_walk(unsigned long iova, size_t size,
			       size_t granule, void *cookie)
{
	bool lost = ++drv.nth_flush_walk == drv.want.skip_flush_walk_nth;

	drv.hooks.flush_walk(drv.hooks.ctx, iova, size, granule, lost);
}

static void drv_tlb_add_page(struct iommu_iotlb_gather *gather,
			     unsigned long iova, size_t granule, void *cookie)
{
	bool lost = ++drv.nth_add_page == drv.want.skip_add_page_nth;

	drv.hooks.add_page(drv.hooks.ctx, gather != NULL, iova, granule, lost);
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

static uint64_t written_ttbr(int fmt)
{
	switch (fmt) {
	case IOPT_FMT_ARM_64_S2:
	case IOPT_FMT_ARM_32_S2:
		return drv.cfg.arm_lpae_s2_cfg.vttbr;
	case IOPT_FMT_MALI:
		return drv.cfg.arm_mali_lpae_cfg.transtab & ~0x1fULL;
	default:
		return drv.cfg.arm_lpae_s1_cfg.ttbr;
	}
}

static bool drv_create(const struct iopt_drv_cfg *want,
		       const struct iopt_drv_hooks *hooks,
		       struct iopt_drv_state *st)
{
	static struct device dev = { .numa_node = NUMA_NO_NODE };
	const struct iopt_port *port = iopt_this_port;
	struct io_pgtable_ops *ops;

	trap_install();
	memset(&drv.cfg, 0, sizeof(drv.cfg));
	memset(st, 0, sizeof(*st));
	drv.env = port->env;
	drv.st = st;
	drv.want = *want;
	drv.hooks = *hooks;
	drv.ncustom = 0;
	drv.nth_add_page = drv.nth_flush_walk = 0;
	drv.custom = IOPT_TREE_HAS_CFG_ALLOC && want->custom_alloc &&
		     port->traits->honours_cfg_alloc;
	drv.cfg.quirks = iopt_kernel_quirks(want->quirks);
	drv.cfg.pgsize_bitmap = want->pgsize_bitmap;
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
	KERNEL_CALL("alloc_io_pgtable_ops",
		    ops = port->alloc_ops(iopt_kernel_fmt[want->fmt], &drv.cfg,
					  NULL),
		    ops = NULL);
	drv.ops = ops;
	if (!drv.ops)
		return false;
	st->ttbr = written_ttbr(want->fmt);
	st->custom = drv.custom;
	return true;
}

/* After a trap the tables are in no known state: abandoned, not freed. */
static void drv_destroy(void)
{
	if (drv.ops && !drv.st->trapped)
		KERNEL_CALL("free_io_pgtable_ops",
			    iopt_this_port->free_ops(drv.ops), );
	drv.ops = NULL;
}

/* ---- the ops -------------------------------------------------------------- */

/* A trapped call returns this: what no op returns. */
#define TRAPPED_RET	(-EFAULT)

static int drv_map(uint64_t iova, uint64_t pa, size_t pgsize, size_t pgcount,
		   int prot, size_t *mapped)
{
	int ret;

	if (drv.want.prot_flip)
		prot ^= IOMMU_CACHE;
	KERNEL_CALL("map_pages",
		    ret = drv.ops->map_pages(drv.ops, iova, pa, pgsize, pgcount,
					     prot, GFP_KERNEL, mapped),
		    ret = TRAPPED_RET);
	return ret;
}

static size_t drv_unmap(uint64_t iova, size_t pgsize, size_t pgcount,
			bool gather, bool queued)
{
	struct iommu_iotlb_gather g = { .queued = queued };
	size_t ret;

	KERNEL_CALL("unmap_pages",
		    ret = drv.ops->unmap_pages(drv.ops, iova, pgsize, pgcount,
					       gather ? &g : NULL),
		    ret = (size_t)TRAPPED_RET);
	return ret;
}

static uint64_t drv_iova_to_phys(uint64_t iova)
{
	uint64_t ret;

	KERNEL_CALL("iova_to_phys", ret = drv.ops->iova_to_phys(drv.ops, iova),
		    ret = 0);
	return ret;
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
	int ret;

	KERNEL_CALL("read_and_clear_dirty",
		    ret = drv.ops->read_and_clear_dirty(drv.ops, iova, size,
				no_clear ? IOMMU_DIRTY_NO_CLEAR : 0, &dirty),
		    ret = TRAPPED_RET);
	return ret;
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
	.read_and_clear_dirty	= drv_read_and_clear_dirty,
	.lookup			= drv_lookup,
};
