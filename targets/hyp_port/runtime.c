// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor port: io-pgtable as the pKVM SMMUv3 driver runs it at EL2.
 * Built with __KVM_NVHE_HYPERVISOR__, __DISABLE_EXPORTS and
 * __DISABLE_TRACE_MMIO__, so any EL2 branch of a tree is the one compiled.
 *
 * This file is the EL2 environment: the primitives that the pKVM series'
 * own glue calls (include/nvhe/iommu.h, include/nvhe/memory.h,
 * include/asm/kvm_mmu.h), WARN, BUG and printk, and the port descriptor.
 * Our glue, stock_glue.c, maps the kernel APIs that io-pgtable-arm.c
 * calls onto these primitives.
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

/* ---- The port descriptor ------------------------------------------ */

static int port_init(void)
{
	return iopt_port_env_setup(&iopt_hyp_env, "hyp", HYP_PHYS_BASE,
				   HYP_POOL_SIZE);
}

const struct iopt_port iopt_hyp_port = {
	.name		= "hyp",
	.env		= &iopt_hyp_env,
	.init		= port_init,
	.alloc_ops	= iopt_port_alloc_ops,
	.free_ops	= free_io_pgtable_ops,
	.selftest	= iopt_port_selftest,
};
