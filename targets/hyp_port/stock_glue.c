// SPDX-License-Identifier: GPL-2.0-only
/*
 * Our EL2 glue, for a tree without the pKVM series' own
 * (pkvm/io-pgtable-arm-hyp.c): the kernel APIs that io-pgtable-arm.c
 * (or a kernel-only io-pgtable-arm-kernel.c) calls, mapped onto the EL2
 * primitives of runtime.c as the series' glue maps its hooks:
 *
 *   kernel API                          EL2 primitive
 *   iommu_alloc_pages_node_sz           kvm_iommu_donate_pages (pool, gfp
 *   alloc_pages_node / kmalloc          ignored, whole pages, zeroed)
 *   iommu_free_pages / kfree / free     kvm_iommu_reclaim_pages, after
 *   iommu_pages_free_incoherent         kvm_flush_dcache_to_poc
 *   iommu_pages_start_incoherent        kvm_flush_dcache_to_poc (block)
 *   dma_map_single                      identity + kvm_flush_dcache_to_poc
 *   dma_sync_single_for_device          kvm_flush_dcache_to_poc
 *   dma_unmap_single                    nothing (the flush happens on free)
 *   arch_sync_dma_for_device / _cpu     kvm_flush_dcache_to_poc
 *   virt_to_phys / __pa / __va          hyp_virt_to_phys / hyp_phys_to_virt
 *
 * 6.12's iommu_alloc_pages_node() is inline in its iommu-pages.h, over
 * alloc_pages_node(). iommu-pages.c is never compiled here. Not built for
 * a tree that brings its own EL2 glue (cmake/IoptTreeFiles.cmake).
 */
#include <iopt/env.h>
#include <iopt_shim.h>
#include <nvhe/iommu.h>
#include <linux/dma-map-ops.h>
#if IOPT_TREE_HAS_IOMMU_PAGES
#include "iommu-pages.h"	/* the tree's: the prototypes defined here */
#endif

#include "hyp.h"

phys_addr_t virt_to_phys(const volatile void *addr)
{
	return hyp_virt_to_phys((void *)addr);
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
	int order = iopt_pages_order(&iopt_hyp_env, va);

	if (order >= 0)
		kvm_flush_dcache_to_poc(va, PAGE_SIZE << order);
	kvm_iommu_reclaim_pages((void *)va);
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

/*
 * The page allocator (6.1's io-pgtable-arm.c, 6.12's inline iommu-pages.h):
 * struct page and its accounting are port_mm.c's.
 */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	void *va = kvm_iommu_donate_pages(order);

	return va ? virt_to_page(va) : NULL;
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

#if IOPT_TREE_IOMMU_PAGES_C
/*
 * iommu-pages.c (6.16+) is kernel code: at EL2 its functions are the
 * pool's, as in the pKVM series' later form. A table for a non-coherent
 * walker is cleaned to PoC whole once allocated; the flush on free is
 * reclaim()'s, as for every block.
 */
void *iommu_alloc_pages_node_sz(int nid, gfp_t gfp, size_t size)
{
	return donate(size);
}

void iommu_free_pages(void *virt)
{
	if (virt)
		reclaim(virt);
}

#if IOPT_TREE_PAGES_INCOHERENT
int iommu_pages_start_incoherent(void *virt, struct device *dma_dev)
{
	kvm_flush_dcache_to_poc(virt,
				PAGE_SIZE << iopt_pages_order(&iopt_hyp_env, virt));
	return 0;
}

void iommu_pages_free_incoherent(void *virt, struct device *dma_dev)
{
	iommu_free_pages(virt);
}
#endif
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

/* The arch layer: the one EL2 primitive, clean+invalidate. */
void arch_sync_dma_for_device(phys_addr_t paddr, size_t size,
			      enum dma_data_direction dir)
{
	kvm_flush_dcache_to_poc(hyp_phys_to_virt(paddr), size);
}

void arch_sync_dma_for_cpu(phys_addr_t paddr, size_t size,
			   enum dma_data_direction dir)
{
	if (dir != DMA_TO_DEVICE)
		kvm_flush_dcache_to_poc(hyp_phys_to_virt(paddr), size);
}
