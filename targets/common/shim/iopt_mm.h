/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iopt_mm.h - the memory-management part of the shim (included by
 * iopt_shim.h): lists, struct page and struct folio, the page allocator,
 * and the vmstat counters that iommu-pages keeps.
 *
 * The kernel files use the tree's own drivers/iommu/iommu-pages.h (and,
 * from 6.16, compile its iommu-pages.c), so what those need is here, with
 * the kernel's semantics:
 *
 *   - struct page has the kernel's 64-bit layout for the fields that
 *     iommu-pages' struct ioptdesc overlays (iommu-pages.c checks the
 *     offsets with static_assert); every page of the simulated memory has
 *     one, which kernel code may write (the env's kpages);
 *   - a folio is its head page: virt_to_folio() of any address in a block
 *     is the block's first struct page, folio_order() the block's order;
 *   - the vmstat counters NR_IOMMU_PAGES and NR_SECONDARY_PAGETABLE are
 *     the env's stats.
 *
 * The functions are implemented by each port: targets/common/port_mm.c
 * (the same in both), the kernel port's runtime.c (allocation from the
 * buddy allocator) and the hyp port's stock_glue.c (from the pool).
 */
#ifndef IOPT_MM_H
#define IOPT_MM_H

/* ---- Lists (include/linux/list.h semantics) ---------------------------- */
struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *head)
{
	head->next = head;
	head->prev = head;
}

static inline void __iopt_list_link(struct list_head *new,
				    struct list_head *prev,
				    struct list_head *next)
{
	next->prev = new;
	new->next = next;
	new->prev = prev;
	prev->next = new;
}

/* After head. */
static inline void list_add(struct list_head *new, struct list_head *head)
{
	__iopt_list_link(new, head, head->next);
}

/* Before head: at the end of the list. */
static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__iopt_list_link(new, head->prev, head);
}

/* The kernel poisons the links of a deleted entry; NULL faults as well. */
static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = NULL;
	entry->prev = NULL;
}

static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

/* The entries of list go in after head; list itself is left as it was. */
static inline void list_splice(const struct list_head *list,
			       struct list_head *head)
{
	struct list_head *first = list->next, *last = list->prev;
	struct list_head *at = head->next;

	if (list_empty(list))
		return;
	first->prev = head;
	head->next = first;
	last->next = at;
	at->prev = last;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, typeof(*(pos)), member)
#define list_entry_is_head(pos, head, member)	(&(pos)->member == (head))
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, typeof(*pos), member);	\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, typeof(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);			\
	     pos = n, n = list_next_entry(n, member))

/* ---- struct page, struct folio ------------------------------------------ */
typedef unsigned long pgoff_t;
struct address_space;

/*
 * The kernel's layout on 64-bit (without CONFIG_MEMCG, as we build), padded
 * to the kernel's 64 bytes: the storage each page has (IOPT_KPAGE_SIZE).
 */
struct page {
	unsigned long flags;
	struct list_head lru;
	struct address_space *mapping;
	pgoff_t index;
	unsigned long private;
	unsigned int page_type;
	atomic_t _refcount;
	unsigned long __iopt_pad;
};

/* A folio overlays its first page. */
struct folio {
	struct page page;
};

/* One NUMA node; its counters are the env's. */
struct pglist_data {
	int node_id;
};
typedef struct pglist_data pg_data_t;

enum node_stat_item {
	NR_IOMMU_PAGES,
	NR_SECONDARY_PAGETABLE,
};

static inline int numa_mem_id(void)
{
	return 0;
}

/* Implemented once for both ports: targets/common/port_mm.c. */
struct page *virt_to_page(const void *addr);
void *page_address(const struct page *page);
struct folio *page_folio(const struct page *page);
unsigned int folio_order(const struct folio *folio);
struct pglist_data *page_pgdat(const struct page *page);
void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item,
			 long delta);
void mod_lruvec_page_state(struct page *page, enum node_stat_item item,
			   int delta);

static inline struct folio *virt_to_folio(const void *addr)
{
	return page_folio(virt_to_page(addr));
}

static inline void *folio_address(const struct folio *folio)
{
	return page_address(&folio->page);
}

static inline long folio_nr_pages(const struct folio *folio)
{
	return 1L << folio_order(folio);
}

static inline struct pglist_data *folio_pgdat(const struct folio *folio)
{
	return page_pgdat(&folio->page);
}

static inline void lruvec_stat_mod_folio(struct folio *folio,
					 enum node_stat_item item, int delta)
{
	mod_lruvec_page_state(&folio->page, item, delta);
}

/* The page allocator: each port's own (the kernel's, or the EL2 pool). */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);

/* What an allocation's node and gfp must be (port_mm.c). */
enum iopt_alloc_args {
	IOPT_ARGS_PAGES_ANY_NODE,	/* alloc_pages_node(): NUMA_NO_NODE too */
	IOPT_ARGS_PAGES_NODE,		/* __folio_alloc_node(): a real node */
	IOPT_ARGS_SLAB,			/* kmalloc(): no node */
};
void iopt_check_alloc_args(const char *fn, gfp_t gfp, int nid,
			   enum iopt_alloc_args what);
void __free_pages(struct page *page, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
struct folio *__folio_alloc_node(gfp_t gfp, unsigned int order, int nid);
void folio_put(struct folio *folio);
void put_page(struct page *page);

static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(numa_mem_id(), gfp, order);
}

#endif /* IOPT_MM_H */
