// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel port: io-pgtable as the kernel runs it. Pages come from the
 * page allocator (6.1), through the tree's own iommu-pages (6.12: its
 * inline header; 6.16+: its iommu-pages.c, compiled into this port) with
 * the NR_IOMMU_PAGES accounting, the pgtable data from the slab, and
 * cache maintenance for a non-coherent walker goes through the DMA API
 * (tracked as with CONFIG_DMA_API_DEBUG). virt_to_phys/__pa/__va are the
 * linear map.
 *
 * Everything here is what differs from targets/hyp_port/runtime.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <iopt/env.h>
#include <iopt/port.h>
#include <iopt/port_impl.h>
#include <iopt_shim.h>
#include <linux/dma-map-ops.h>
#include <linux/io-pgtable.h>

#define KPORT_PHYS_BASE		0x40000000ULL	/* 1 GiB */
#define KPORT_ARENA_SIZE	(256ULL << 20)
#define PAGE_POISON		0xa5		/* pages allocated without __GFP_ZERO */

static struct iopt_env env;
struct iopt_env *const iopt_port_env = &env;	/* for port_mm.c */

/* Memory: the linear map */
phys_addr_t virt_to_phys(const volatile void *addr)
{
	return iopt_virt_to_phys(&env, (const void *)addr);
}

void *phys_to_virt(phys_addr_t pa)
{
	return iopt_phys_to_virt(&env, pa);
}

/* Slab */
void *kmalloc(size_t size, gfp_t gfp)
{
	iopt_check_alloc_args("kmalloc", gfp, NUMA_NO_NODE, IOPT_ARGS_SLAB);
	return iopt_slab_alloc(&env, size, gfp, gfp & __GFP_ZERO);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	iopt_check_alloc_args("kzalloc", gfp, NUMA_NO_NODE, IOPT_ARGS_SLAB);
	return iopt_slab_alloc(&env, size, gfp, true);
}

void kfree(const void *obj)
{
	iopt_slab_free(&env, obj);
}

/*
 * The page allocator: the buddy allocator; struct page is the storage the
 * env keeps for each page. A block has one reference: a put frees it.
 */
static void *pages_get(const char *fn, int nid, gfp_t gfp, unsigned int order,
		       enum iopt_alloc_args what)
{
	uint8_t *va;

	if (env.nth_alloc + 1 == env.knobs.sleep_alloc_nth)
		gfp |= ___GFP_DIRECT_RECLAIM;	/* planted: the caller's gfp lost */
	if (env.nth_alloc + 1 == env.knobs.swap_node_gfp_nth) {
		int swapped = (int)gfp;	/* planted: the arguments swapped */

		gfp = (gfp_t)nid;
		nid = swapped;
	}
	iopt_check_alloc_args(fn, gfp, nid, what);
	va = iopt_pages_alloc(&env, order, gfp, nid);

	if (va && !(gfp & __GFP_ZERO))
		memset(va, PAGE_POISON, PAGE_SIZE << order);
	return va;
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	void *va = pages_get(__func__, nid, gfp, order, IOPT_ARGS_PAGES_ANY_NODE);

	return va ? virt_to_page(va) : NULL;
}

void __free_pages(struct page *page, unsigned int order)
{
	if (page)
		iopt_pages_free(&env, page_address(page), order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		iopt_pages_free(&env, (void *)addr, order);
}

struct folio *__folio_alloc_node(gfp_t gfp, unsigned int order, int nid)
{
	void *va = pages_get(__func__, nid, gfp, order, IOPT_ARGS_PAGES_NODE);

	return va ? virt_to_folio(va) : NULL;
}

void folio_put(struct folio *folio)
{
	iopt_pages_free(&env, folio_address(folio), folio_order(folio));
}

void put_page(struct page *page)
{
	folio_put(page_folio(page));
}

/*
 * The DMA API: a non-coherent device, so maps and syncs clean to PoC. As
 * dma_map_page_attrs(), a device without a DMA mask cannot map (a device
 * on the stack, or a root device whose mask nobody set).
 */
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir)
{
	if (WARN_ON_ONCE(!dev->dma_mask))
		return DMA_MAPPING_ERROR;
	return iopt_dma_map(&env, iopt_virt_to_phys(&env, ptr), size);
}

int dma_mapping_error(struct device *dev, dma_addr_t dma)
{
	return iopt_dma_mapping_error(&env, dma);
}

void dma_unmap_single(struct device *dev, dma_addr_t dma, size_t size,
		      enum dma_data_direction dir)
{
	iopt_dma_unmap(&env, dma, size);
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t dma,
				size_t size, enum dma_data_direction dir)
{
	iopt_dma_sync(&env, dma, size);
}

/* The arch layer under the DMA API (arm64): no mapping, just the CMO. */
void arch_sync_dma_for_device(phys_addr_t paddr, size_t size,
			      enum dma_data_direction dir)
{
	phys_to_virt(paddr);	/* fatal outside simulated memory */
	iopt_cmo(&env, paddr, size, IOPT_CMO_CLEAN, IOPT_VIA_ARCH_SYNC);
}

void arch_sync_dma_for_cpu(phys_addr_t paddr, size_t size,
			   enum dma_data_direction dir)
{
	phys_to_virt(paddr);
	if (dir != DMA_TO_DEVICE)
		iopt_cmo(&env, paddr, size, IOPT_CMO_INVAL, IOPT_VIA_ARCH_SYNC);
}

/* Diagnostics: WARN continues (recorded), BUG is fatal, printk is quiet. */
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
	iopt_env_vprintk(&env, level, env.verbose, fmt, ap);
	va_end(ap);
	return 0;
}

/* The port descriptor: the only global symbol of this port's object. */
static int port_init(void)
{
	return iopt_port_env_setup(&env, "kernel", KPORT_PHYS_BASE, KPORT_ARENA_SIZE);
}

/* What differs from the hyp port (docs/design.md, "Kernel port vs hyp port"). */
static const struct iopt_port_traits traits = {
	.env			= "the kernel: slab, page allocator or iommu-pages, DMA API",
	.data_slab		= 1,	/* kmalloc */
	.data_blocks		= 0,
	.honours_cfg_alloc	= true,
	.fmt_mask		= IOPT_PORT_ALL_FMTS,
	.faults			= 1u << IOPT_FAULT_ALLOC | 1u << IOPT_FAULT_DMA_MAP |
				  1u << IOPT_FAULT_DMA_ADDR,
	.warn_fatal		= false,
	.allocs_sleep		= true,
};

const struct iopt_port iopt_kernel_port = {
	.name		= "kernel",
	.role		= IOPT_ROLE_KERNEL,
	.tree		= &iopt_port_tree,
	.env		= &env,
	.traits		= &traits,
	.drv		= &iopt_port_driver,
	.init		= port_init,
	.alloc_ops	= iopt_port_alloc_ops,
	.free_ops	= free_io_pgtable_ops,
	.selftest	= iopt_port_selftest,
};

const struct iopt_port *const iopt_this_port = &iopt_kernel_port;
