// SPDX-License-Identifier: GPL-2.0-only
/*
 * The part of the shim's memory management (iopt_mm.h) that is the same in
 * every port: struct page and folios over the port's simulated memory, and
 * the vmstat counters iommu-pages keeps. Compiled into each port, where
 * iopt_port_env is that port's env; how a port allocates is its own.
 */
#include <iopt/env.h>
#include <iopt_shim.h>

extern struct iopt_env *const iopt_port_env;

_Static_assert(sizeof(struct page) == IOPT_KPAGE_SIZE,
	       "struct page must fill the storage each simulated page has");

static struct pglist_data node0;

/*
 * The arguments the page allocator and the slab check, as a kernel with
 * CONFIG_DEBUG_VM does. Fatal, as the VM_BUG_ON()s are: a node that is
 * not a real one in __alloc_pages_node() and __folio_alloc_node() (the
 * only online node here is 0; alloc_pages_node() turns NUMA_NO_NODE into
 * the local node, the folio call does not), and a zone combination that
 * has no zone in gfp_zone(). Reported and then served, as the slab's
 * kmalloc_fix_flags() warns and goes on: gfp bits that are no flag, and
 * a DMA32 or highmem zone asked of the slab. And, as a kernel with
 * CONFIG_DEBUG_ATOMIC_SLEEP reports it, an allocation that may sleep
 * (direct reclaim) in an atomic caller's call (env->atomic).
 */
void iopt_check_alloc_args(const char *fn, gfp_t gfp, int nid,
			   enum iopt_alloc_args what)
{
	const gfp_t zones = ___GFP_DMA | ___GFP_DMA32 | ___GFP_HIGHMEM;
	struct iopt_env *env = iopt_port_env;

	if (gfp & ~___GFP_KNOWN)
		iopt_detect(env, IOPT_DET_BAD_ALLOC_ARGS,
			    "%s: gfp 0x%x has bits 0x%x that are no GFP flag",
			    fn, gfp, gfp & ~___GFP_KNOWN);
	if (env->atomic && (gfp & ___GFP_DIRECT_RECLAIM))
		iopt_detect(env, IOPT_DET_SLEEP_IN_ATOMIC,
			    "%s: gfp 0x%x may sleep (direct reclaim), in %s, which may be called atomic",
			    fn, gfp, env->atomic);
	if (what == IOPT_ARGS_SLAB) {
		if (gfp & (___GFP_DMA32 | ___GFP_HIGHMEM))
			iopt_detect(env, IOPT_DET_BAD_ALLOC_ARGS,
				    "%s: gfp 0x%x asks the slab for a DMA32 or highmem zone",
				    fn, gfp);
		return;
	}
	if (nid != 0 && !(nid == NUMA_NO_NODE && what == IOPT_ARGS_PAGES_ANY_NODE))
		iopt_fatal(env, IOPT_DET_BAD_ALLOC_ARGS,
			   "VM_BUG_ON: %s: node %d is not an online node (only node 0 is)",
			   fn, nid);
	if (__builtin_popcount(gfp & zones) > 1)
		iopt_fatal(env, IOPT_DET_BAD_ALLOC_ARGS,
			   "VM_BUG_ON: %s: gfp 0x%x asks for more than one zone",
			   fn, gfp);
}

struct page *virt_to_page(const void *addr)
{
	return iopt_va_kpage(iopt_port_env, addr);
}

void *page_address(const struct page *page)
{
	return iopt_kpage_va(iopt_port_env, page);
}

/*
 * A folio is the head page of its block. A free page has none: the kernel
 * would meet a page with no reference (VM_BUG_ON_PAGE, as CONFIG_DEBUG_VM
 * builds check), a use after free.
 */
struct folio *page_folio(const struct page *page)
{
	struct page *head = iopt_kpage_head(iopt_port_env, page);

	if (!head)
		iopt_fatal(iopt_port_env, IOPT_DET_BUG,
			   "VM_BUG_ON_PAGE: the folio of a free page, at phys 0x%llx (use after free?)",
			   (unsigned long long)iopt_virt_to_phys(iopt_port_env,
							page_address(page)));
	return (struct folio *)head;
}

unsigned int folio_order(const struct folio *folio)
{
	return iopt_pages_order(iopt_port_env, folio_address(folio));
}

struct pglist_data *page_pgdat(const struct page *page)
{
	return &node0;
}

void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item,
			 long delta)
{
	if (item == NR_IOMMU_PAGES)
		iopt_port_env->stats.nr_iommu_pages += delta;
	else
		iopt_port_env->stats.nr_secondary_pagetable += delta;
}

void mod_lruvec_page_state(struct page *page, enum node_stat_item item,
			   int delta)
{
	mod_node_page_state(page_pgdat(page), item, delta);
}
