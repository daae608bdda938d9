// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor port: io-pgtable as the pKVM SMMUv3 driver runs it at EL2.
 * Built with __KVM_NVHE_HYPERVISOR__, __DISABLE_EXPORTS and
 * __DISABLE_TRACE_MMIO__, so any EL2 branch of a tree is the one compiled.
 *
 * The EL2 primitives (section 1) are what the pKVM series' own glue calls.
 * A stock tree has no such glue, so section 2 maps the kernel APIs it
 * calls onto those primitives, as the series' io-pgtable-arm-hyp.c does:
 *
 *   kernel API                          EL2 primitive
 *   iommu_alloc_pages_node / kmalloc    kvm_iommu_donate_pages (pool, gfp ignored,
 *   alloc_pages_node                    whole pages, zeroed)
 *   iommu_free_pages / kfree / free     kvm_iommu_reclaim_pages (+ flush, as pKVM)
 *   dma_map_single                      identity + kvm_flush_dcache_to_poc
 *   dma_sync_single_for_device          kvm_flush_dcache_to_poc
 *   dma_unmap_single                    nothing (the flush happens on free)
 *   virt_to_phys / __pa / __va          hyp_virt_to_phys / hyp_phys_to_virt
 *   printk / dev_err                    nothing (counted)
 *   WARN                                fatal at EL2: recorded, reported
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

#define HYP_PHYS_BASE		0x80000000ULL	/* 2 GiB: another offset */
#define HYP_POOL_SIZE		(64ULL << 20)	/* the donated pool, fixed */

static struct iopt_env env;

/* ---- 1. EL2 primitives ---------------------------------------------- */

phys_addr_t hyp_virt_to_phys(const void *addr)
{
	return iopt_virt_to_phys(&env, addr);
}

void *hyp_phys_to_virt(phys_addr_t pa)
{
	return iopt_phys_to_virt(&env, pa);
}

/* Clean+invalidate to PoC: dcache_clean_inval_poc() */
void kvm_flush_dcache_to_poc(void *va, size_t len)
{
	iopt_cmo(&env, hyp_virt_to_phys(va), len, IOPT_CMO_CLEAN_INVAL,
		 IOPT_VIA_FLUSH);
}

/*
 * hyp_alloc_pages(&iommu_pages_pool, order): naturally aligned, zeroed
 * (pages are zeroed when they go back to the pool), gfp unknown at EL2.
 * The pool_order_short knob is a planted bug: one order too small.
 */
void *kvm_iommu_donate_pages(unsigned int order)
{
	if (env.knobs.pool_order_short && order)
		order--;
	return iopt_pages_alloc(&env, order, 0, NUMA_NO_NODE);
}

void kvm_iommu_reclaim_pages(void *va, unsigned int order)
{
	if (env.knobs.pool_order_short && order)
		order--;
	iopt_pages_free(&env, va, order);
}

/* ---- 2. The kernel APIs of a stock io-pgtable-arm.c, on those ----------- */

phys_addr_t virt_to_phys(const volatile void *addr)
{
	return hyp_virt_to_phys((const void *)addr);
}

void *phys_to_virt(phys_addr_t pa)
{
	return hyp_phys_to_virt(pa);
}

static void *donate(size_t bytes)
{
	return kvm_iommu_donate_pages(get_order(bytes));
}

static void reclaim(const void *va)
{
	int order = iopt_pages_order(&env, va);

	if (order < 0) {
		iopt_pages_free(&env, (void *)va, 0);	/* reports the bad free */
		return;
	}
	kvm_flush_dcache_to_poc((void *)va, PAGE_SIZE << order);
	kvm_iommu_reclaim_pages((void *)va, order);
}

/* The pgtable data struct takes a whole page at EL2. */
void *kmalloc(size_t size, gfp_t gfp)
{
	return donate(size);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return donate(size);
}

void kfree(const void *obj)
{
	if (obj)
		reclaim(obj);
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	uint8_t *va = kvm_iommu_donate_pages(order);

	return va ? (struct page *)iopt_va_page(&env, va) : NULL;
}

void *page_address(const struct page *page)
{
	return iopt_page_va(&env, (const struct iopt_page *)page);
}

void __free_pages(struct page *page, unsigned int order)
{
	if (page)
		reclaim(page_address(page));
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		reclaim((void *)addr);
}

#if IOPT_TREE_ALLOC_API == 3
void *iommu_alloc_pages_node_sz(int nid, gfp_t gfp, size_t size)
{
	return donate(size);
}

void iommu_free_pages(void *virt)
{
	if (virt)
		reclaim(virt);
}
#else
void *iommu_alloc_pages_node(int nid, gfp_t gfp, int order)
{
	return kvm_iommu_donate_pages(order);
}

void iommu_free_pages(void *virt, int order)
{
	if (virt)
		reclaim(virt);
}
#endif

/* No DMA API at EL2: the hypervisor owns the memory and flushes it. */
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir)
{
	kvm_flush_dcache_to_poc(ptr, size);
	return hyp_virt_to_phys(ptr);
}

int dma_mapping_error(struct device *dev, dma_addr_t dma)
{
	return 0;
}

void dma_unmap_single(struct device *dev, dma_addr_t dma, size_t size,
		      enum dma_data_direction dir)
{
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t dma,
				size_t size, enum dma_data_direction dir)
{
	kvm_flush_dcache_to_poc(hyp_phys_to_virt(dma), size);
}

/* A WARN panics at EL2: the env records it; its policy says what next. */
bool iopt_warn(const char *file, int line, const char *what)
{
	return iopt_env_warn(&env, file, line, what);
}

void iopt_bug(const char *file, int line, const char *what)
{
	iopt_fatal(&env, IOPT_DET_BUG, "%s:%d: BUG_ON(%s)", file, line, what);
}

int iopt_printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	iopt_env_vprintk(&env, level, false, fmt, ap);
	va_end(ap);
	return 0;
}

/* ---- The port descriptor ------------------------------------------ */
static int port_init(void)
{
	return iopt_port_env_setup(&env, "hyp", HYP_PHYS_BASE, HYP_POOL_SIZE);
}

const struct iopt_port iopt_hyp_port = {
	.name		= "hyp",
	.env		= &env,
	.init		= port_init,
	.alloc_ops	= iopt_port_alloc_ops,
	.free_ops	= free_io_pgtable_ops,
	.selftest	= iopt_port_selftest,
};
