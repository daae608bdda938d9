// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor port: io-pgtable as the pKVM SMMUv3 driver runs it at EL2.
 * Built with __KVM_NVHE_HYPERVISOR__, __DISABLE_EXPORTS and
 * __DISABLE_TRACE_MMIO__, so any EL2 branch of a tree is the one compiled.
 *
 * This file is the EL2 environment: the primitives that the pKVM series'
 * own glue calls (include/nvhe/iommu.h, include/nvhe/memory.h,
 * include/asm/kvm_mmu.h), WARN, BUG and printk, and the way in. Between
 * a tree's io-pgtable-arm.c and these primitives sits one of three glues
 * (cmake/IoptTreeFiles.cmake):
 *
 *   - a tree that carries the series' split brings its own,
 *     drivers/iommu/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c, compiled
 *     unmodified;
 *   - a tree of the series' later form brings the EL2 half of its
 *     drivers/iommu/iommu-pages.h, and io-pgtable-arm.c holds the entry;
 *   - any other tree gets ours, stock_glue.c, which maps the kernel APIs
 *     that io-pgtable-arm.c calls onto the same primitives.
 *
 * With the series' glue the way in is its kvm_alloc_io_pgtable_ops(), and
 * io-pgtable.c is not linked; what that entry builds and checks, and
 * whether cfg->alloc is asked at EL2, is the probe's reading of the tree
 * (cmake/probe-pkvm.sh), declared in the port's traits below.
 *
 * Everything here is what differs from targets/kernel_port/runtime.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <iopt/env.h>
#include <iopt/port.h>
#include <iopt/port_impl.h>
#include <iopt_shim.h>
#include <linux/io-pgtable.h>
#include <nvhe/iommu.h>

#include "hyp.h"

#define HYP_PHYS_BASE		0x80000000ULL	/* 2 GiB: another offset */
#define HYP_POOL_SIZE		(64ULL << 20)	/* the donated pool, fixed */

struct iopt_env iopt_hyp_env;
struct iopt_env *const iopt_port_env = &iopt_hyp_env;	/* for port_mm.c */

/* ---- The EL2 primitives: one implementation for both glues ------------ */

/* The hyp linear map: __hyp_pa / __hyp_va. */
phys_addr_t hyp_virt_to_phys(void *addr)
{
	return iopt_virt_to_phys(&iopt_hyp_env, addr);
}

void *hyp_phys_to_virt(phys_addr_t phys)
{
	return iopt_phys_to_virt(&iopt_hyp_env, phys);
}

/* Clean+invalidate to PoC; kvm_flush_dcache_to_poc() lands here. */
void dcache_clean_inval_poc(unsigned long start, unsigned long end)
{
	iopt_cmo(&iopt_hyp_env, hyp_virt_to_phys((void *)start), end - start,
		 IOPT_CMO_CLEAN_INVAL, IOPT_VIA_FLUSH);
}

/*
 * hyp_alloc_pages(&iommu_pages_pool, order): naturally aligned, zeroed
 * (pages are zeroed when they go back to the pool), no gfp at EL2.
 * The pool_order_short knob is a planted bug: one order too small.
 */
void *kvm_iommu_donate_pages(u8 order)
{
	unsigned int o = order;

	if (iopt_hyp_env.knobs.pool_order_short && o)
		o--;
	return iopt_pages_alloc(&iopt_hyp_env, o, 0, NUMA_NO_NODE);
}

/* hyp_put_page(&iommu_pages_pool, ptr): the pool knows the block's order. */
void kvm_iommu_reclaim_pages(void *ptr)
{
	int order = iopt_pages_order(&iopt_hyp_env, ptr);

	/* Not the head of a live block: iopt_pages_free() reports it. */
	iopt_pages_free(&iopt_hyp_env, ptr, order < 0 ? 0 : order);
}

/* ---- Diagnostics ------------------------------------------------------- */

/* A WARN panics at EL2: the env records it; its policy says what next. */
bool iopt_warn(const char *file, int line, const char *what)
{
	return iopt_env_warn(&iopt_hyp_env, file, line, what);
}

void iopt_bug(const char *file, int line, const char *what)
{
	iopt_fatal(&iopt_hyp_env, IOPT_DET_BUG, "%s:%d: BUG_ON(%s)", file,
		   line, what);
}

/* No console at EL2: counted and shown to the hook, never printed. */
int iopt_printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	iopt_env_vprintk(&iopt_hyp_env, level, false, fmt, ap);
	va_end(ap);
	return 0;
}

/* ---- The way in --------------------------------------------------------- */

#if IOPT_TREE_PKVM_EL2_ENTRY
/*
 * The series' EL2 entry: in the split's glue (declared by that tree's
 * io-pgtable-arm.h), or at the end of io-pgtable-arm.c (the later form,
 * which declares it nowhere we compile).
 */
struct io_pgtable_ops *kvm_alloc_io_pgtable_ops(enum io_pgtable_fmt fmt,
						struct io_pgtable_cfg *cfg,
						void *cookie);

/* The series' EL2 entry, as its SMMUv3 driver calls it. */
static struct io_pgtable_ops *hyp_alloc_ops(int fmt, struct io_pgtable_cfg *cfg,
					    void *cookie)
{
	return kvm_alloc_io_pgtable_ops((enum io_pgtable_fmt)fmt, cfg, cookie);
}

/* The LPAE formats' init_fns, by the tree's enum io_pgtable_fmt. */
static const struct io_pgtable_init_fns *el2_init_fns(enum io_pgtable_fmt fmt)
{
	switch (fmt) {
	case ARM_32_LPAE_S1:
		return &io_pgtable_arm_32_lpae_s1_init_fns;
	case ARM_32_LPAE_S2:
		return &io_pgtable_arm_32_lpae_s2_init_fns;
	case ARM_64_LPAE_S1:
		return &io_pgtable_arm_64_lpae_s1_init_fns;
	case ARM_64_LPAE_S2:
		return &io_pgtable_arm_64_lpae_s2_init_fns;
	case ARM_MALI_LPAE:
		return &io_pgtable_arm_mali_lpae_init_fns;
	default:
		return NULL;
	}
}

/*
 * The series never frees its EL2 table and has no free entry. Tear down
 * as io-pgtable.c does for the kernel: flush the TLB, then the format's
 * own free (arm_lpae_free_pgtable(), which ends in the EL2 environment's
 * table and data frees: the split's glue, or iommu-pages.h's EL2 half).
 */
static void hyp_free_ops(struct io_pgtable_ops *ops)
{
	struct io_pgtable *iop;

	if (!ops)
		return;
	iop = io_pgtable_ops_to_pgtable(ops);
	io_pgtable_tlb_flush_all(iop);
	el2_init_fns(iop->fmt)->free(iop);
}

/* Bit n of fmt_mask is our enum iopt_fmt n (oracle/decode.h). */
#define IOPT_EL2_FMT(f)							\
	((f) == ARM_32_LPAE_S1 ? 1u << IOPT_FMT_ARM_32_S1 :		\
	 (f) == ARM_32_LPAE_S2 ? 1u << IOPT_FMT_ARM_32_S2 :		\
	 (f) == ARM_64_LPAE_S1 ? 1u << IOPT_FMT_ARM_64_S1 :		\
	 (f) == ARM_64_LPAE_S2 ? 1u << IOPT_FMT_ARM_64_S2 :		\
	 (f) == ARM_MALI_LPAE ? 1u << IOPT_FMT_MALI : 0u)

/* What the tree's EL2 entry does (cmake/probe-pkvm.sh). */
#define HYP_FMTS		IOPT_TREE_PKVM_EL2_FMTS
#define HYP_CHECKED		IOPT_TREE_PKVM_EL2_CHECKED
#define HYP_CFG_ALLOC		IOPT_TREE_PKVM_EL2_CFG_ALLOC
#else
#define hyp_alloc_ops	iopt_port_alloc_ops
#define hyp_free_ops	free_io_pgtable_ops
/* ours, stock_glue.c: io-pgtable.c's entry, io-pgtable-arm.c decides */
#define HYP_FMTS		IOPT_PORT_ALL_FMTS
#define HYP_CHECKED		1
#define HYP_CFG_ALLOC		1
#endif

static int port_init(void)
{
	return iopt_port_env_setup(&iopt_hyp_env, "hyp", HYP_PHYS_BASE,
				   HYP_POOL_SIZE);
}

/* What differs from the kernel port (docs/design.md, "Kernel port vs hyp port"). */
static const struct iopt_port_traits traits = {
	.env			= "pKVM at EL2: donated page pool, own virt/phys offset, direct flushes",
	.data_slab		= 0,
	.data_blocks		= 1,	/* a whole pool page */
	/*
	 * With the series' glue, as the probe read it: the formats its
	 * entry builds (ARM_64_LPAE_S2 in every form seen), whether the
	 * entry checks the table it gets (v4 writes through the NULL of a
	 * refused cfg; the v5-era glue and v6 check), whether cfg->alloc
	 * is asked at EL2 (not by the split's glue, which donates every
	 * table from the pool; v6's io-pgtable-arm.c asks it). A table
	 * freed without a flush first (v6) is nothing the executor
	 * compares: the CMOs of freed tables do not count.
	 */
	.honours_cfg_alloc	= HYP_CFG_ALLOC,
	.fmt_mask		= HYP_FMTS,
	.cfg_unchecked		= !HYP_CHECKED,
	.faults			= 1u << IOPT_FAULT_ALLOC,	/* the pool runs dry */
	.warn_fatal		= true,
};

const struct iopt_port iopt_hyp_port = {
	.name		= "hyp",
	.role		= IOPT_ROLE_HYP,
	.tree		= &iopt_port_tree,
	.env		= &iopt_hyp_env,
	.traits		= &traits,
	.drv		= &iopt_port_driver,
	.init		= port_init,
	.alloc_ops	= hyp_alloc_ops,
	.free_ops	= hyp_free_ops,
	.selftest	= iopt_port_selftest,
};

const struct iopt_port *const iopt_this_port = &iopt_hyp_port;
