/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct iopt_env - the emulated environment one build of the kernel code
 * runs in: simulated physical memory with a buddy page allocator, a tracked
 * slab, DMA mappings, and the logs the harness compares (allocations, cache
 * maintenance, WARNs, detections).
 *
 * Each port (kernel, hyp) owns one env. The code here is shared; the ports
 * differ only in how they bind the kernel APIs onto it (their runtime.c).
 */
#ifndef IOPT_ENV_H
#define IOPT_ENV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the runtime detects, besides WARNs: each is reported, never silent. */
enum iopt_detect {
	IOPT_DET_OUTSIDE_ARENA,		/* virt/phys not in simulated memory (fatal) */
	IOPT_DET_DOUBLE_FREE,		/* page or slab object freed twice */
	IOPT_DET_BAD_FREE,		/* free of something never allocated */
	IOPT_DET_WRONG_SIZE_FREE,	/* free with another order or size */
	IOPT_DET_FREE_PAGE_WRITTEN,	/* a free page was modified */
	IOPT_DET_DMA_BAD_SYNC,		/* sync outside any mapped region */
	IOPT_DET_DMA_BAD_UNMAP,		/* unmap of no mapping, or wrong size */
	IOPT_DET_DMA_UNCHECKED,		/* dma_mapping_error() not called */
	IOPT_DET_FREE_WHILE_MAPPED,	/* memory freed while DMA-mapped */
	IOPT_DET_LEAK,			/* live at reset */
	IOPT_DET_BUG,			/* BUG_ON() (fatal) */
	IOPT_DET_UB,			/* undefined behaviour trapped in kernel code */
	IOPT_DET_BAD_ALLOC_ARGS,	/* a node or gfp the allocator would BUG on */
	IOPT_DET_BAD_CMO,		/* cache maintenance of a range outside simulated
					 * memory (e.g. a length gone negative) */
	IOPT_DET_SLEEP_IN_ATOMIC,	/* an allocation that may sleep, for an
					 * atomic caller (env->atomic) */
	IOPT_DET_PUBLISH_ORDER,		/* a table descriptor at the PoC before its
					 * table (the KUnit shim's; the executor
					 * reports it as its own check) */
	IOPT_DET_LOOKUP_EFFECT,		/* a lookup did more than read (the KUnit
					 * shim's; the executor: its own check) */
	IOPT_DET_COUNT,
};

enum iopt_policy {
	IOPT_POLICY_COUNT,	/* record and count silently */
	IOPT_POLICY_PRINT,	/* record, count, print to stderr */
	IOPT_POLICY_ABORT,	/* record, print, abort() */
};

enum iopt_cmo_kind {
	IOPT_CMO_CLEAN,		/* clean to PoC (dma_map / sync for device) */
	IOPT_CMO_CLEAN_INVAL,	/* clean+invalidate to PoC (EL2 flush) */
	IOPT_CMO_INVAL,		/* invalidate: the CPU's lines are dropped */
};

enum iopt_alloc_kind {
	IOPT_ALLOC_PAGES,	/* page allocator / iommu-pages / hyp pool */
	IOPT_ALLOC_SLAB,	/* kmalloc */
};

struct iopt_cmo {
	uint64_t phys;
	uint64_t len;
	uint8_t kind;		/* enum iopt_cmo_kind */
	uint8_t via;		/* enum iopt_cmo_via */
};

enum iopt_cmo_via {
	IOPT_VIA_DMA_MAP,
	IOPT_VIA_DMA_SYNC,
	IOPT_VIA_FLUSH,
	IOPT_VIA_ARCH_SYNC,	/* arch_sync_dma_for_{device,cpu}() */
};

struct iopt_alloc_rec {
	uint32_t seq;
	uint8_t kind;		/* enum iopt_alloc_kind */
	bool free;		/* a free event rather than an allocation */
	int16_t nid;
	uint32_t gfp;
	int32_t order;		/* pages: order; slab: -1 */
	uint64_t size;		/* bytes */
	uint64_t align;		/* natural alignment actually given */
	uint64_t phys;		/* pages: physical address; slab: 0 */
};

struct iopt_warn_site {
	const char *file;
	int line;
	const char *what;
	unsigned long count;
};

struct iopt_report {
	enum iopt_detect kind;
	char msg[160];
	/* the address and length it is about, where the detection has one */
	uint64_t addr, len;
};

struct iopt_dma_map {
	uint64_t dma;
	uint64_t phys;
	uint64_t len;
	bool checked;		/* dma_mapping_error() was asked */
};

/* Per-page descriptor of the simulated memory (the "struct page"). */
struct iopt_page {
	uint8_t state;		/* IOPT_PG_* */
	uint8_t order;		/* of the block this page heads */
	uint8_t misalign;	/* planted: the block was handed out at +8 */
	int16_t nid;
	uint32_t gfp;
	uint32_t head;		/* index of the block head */
};

#define IOPT_PG_FREE	0	/* in a free block */
#define IOPT_PG_HEAD	1	/* first page of an allocated block */
#define IOPT_PG_TAIL	2	/* other pages of an allocated block */

/*
 * Bytes of storage for the kernel's struct page of each page, laid out by
 * the shim (targets/common/shim/iopt_mm.h): kernel code writes into it
 * (iommu-pages' descriptor overlays it). Zeroed when its block is freed.
 */
#define IOPT_KPAGE_SIZE		64

#define IOPT_MAX_ORDER		10
#define IOPT_MAX_WARN_SITES	32
#define IOPT_MAX_REPORTS	16

struct iopt_stats {
	long live_pages;		/* pages in allocated blocks */
	long live_blocks;		/* allocated blocks */
	long live_slab;			/* live kmalloc objects */
	long live_slab_bytes;
	long live_dma_maps;
	long nr_iommu_pages;		/* as NR_IOMMU_PAGES */
	long nr_secondary_pagetable;	/* as NR_SECONDARY_PAGETABLE */
	long peak_pages;
	unsigned long allocs, frees, alloc_failures;
	unsigned long dma_translated;	/* DMA addresses handed out != phys (bad_dma_nth) */
};

/* Fault injection and planted bugs, set by tests and the fuzz input. */
struct iopt_knobs {
	long fail_alloc_nth;		/* fail the Nth page allocation (1-based), 0 off */
	long fail_slab_nth;		/* fail the Nth slab allocation, 0 off */
	long fail_dma_map_nth;		/* fail the Nth dma_map_single, 0 off */
	long bad_dma_nth;		/* the Nth dma_map_single returns an address
					 * IOPT_BAD_DMA_OFFSET away from the phys */
	uint64_t dma_offset;		/* dma = phys + offset (0: identity) */
	long drop_cmo_nth;		/* planted: skip the Nth CMO, 0 off */
	long leak_slab_nth;		/* planted: kfree of the Nth object is lost */
	int pool_order_short;		/* planted: hand out one order too small */
	long short_cmo_nth;		/* planted: the Nth CMO is one PTE short */
	long leak_page_nth;		/* planted: the Nth page-block free is lost */
	long misalign_nth;		/* planted: the Nth block is 8-byte aligned only */
	long neg_cmo_nth;		/* planted: the Nth CMO's length is negated, as
					 * a negative entry count makes it */
	long swap_node_gfp_nth;		/* planted: the Nth page allocation gets its
					 * node and gfp swapped (kernel port) */
	long sleep_alloc_nth;		/* planted: the Nth page allocation may sleep
					 * whatever gfp it was given (kernel port) */
	long late_clean_nth;		/* planted: the Nth CMO happens (and is
					 * logged) only at the end of the call */
	/*
	 * For the tests of what a full log or a long CMO list is compared
	 * by (review mode): each log holds this many records (0: LOG_MAX),
	 * and a CMO is made one cache line at a time (a 64K table's clean,
	 * 1,024 CMOs)
	 */
	long log_max;
	long cmo_by_line;
};

/*
 * The point-of-coherency view of a newly allocated block, until a CMO
 * copies the CPU's lines over it: what a non-coherent table walker would
 * read from memory that the CPU zeroed in its cache. Low bits 0b11: a
 * walker would take it for a table or page descriptor.
 */
#define IOPT_POC_STALE		0x5afe0bad0bad0f0fULL
#define IOPT_CACHE_LINE		64
#define IOPT_BAD_DMA_OFFSET	(1ULL << 30)

struct iopt_slab_obj;

struct iopt_env {
	const char *name;		/* "kernel" or "hyp" */
	bool verbose;			/* printk to stderr */
	enum iopt_policy warn_policy;
	enum iopt_policy detect_policy;

	/* simulated physical memory: the CPU's view, and the PoC's */
	uint8_t *arena;
	uint8_t *poc;
	/*
	 * A bit per cache line of the arena: set when its block is
	 * allocated (its PoC view IOPT_POC_STALE), cleared when a clean
	 * brings the CPU's line to the PoC (iopt_poc_uncleaned()).
	 */
	uint64_t *uncleaned;
	uint64_t arena_size;
	uint64_t phys_base;		/* physical address of arena[0] */
	unsigned int page_shift;
	uint32_t nr_pages;
	unsigned int max_order;
	struct iopt_page *pages;
	uint8_t *kpages;		/* nr_pages * IOPT_KPAGE_SIZE */
	uint64_t *free_bits[IOPT_MAX_ORDER + 1];
	uint32_t free_hint[IOPT_MAX_ORDER + 1];
	uint32_t nr_free[IOPT_MAX_ORDER + 1];

	/* slab: live objects in a list */
	struct iopt_slab_obj *slab_head;

	/* DMA mappings, sorted by dma address */
	struct iopt_dma_map *dma;
	size_t dma_n, dma_cap;

	/* logs, cleared at reset */
	struct iopt_alloc_rec *alloc_log;
	size_t alloc_n, alloc_cap;
	struct iopt_cmo *cmo_log;
	size_t cmo_n, cmo_cap;
	size_t cmo_lost;		/* CMOs made once the log was full */
	size_t alloc_lost;		/* allocator calls made once the log was full */
	struct iopt_warn_site warns[IOPT_MAX_WARN_SITES];
	unsigned int nr_warn_sites;
	unsigned long warn_total;
	struct iopt_report reports[IOPT_MAX_REPORTS];
	unsigned long det_count[IOPT_DET_COUNT];
	unsigned long report_total;
	unsigned long printk_total;
	uint32_t seq;			/* allocation sequence number */
	long nth_alloc, nth_slab, nth_dma_map, nth_cmo, nth_kfree, nth_free;

	struct iopt_stats stats;
	struct iopt_knobs knobs;

	/* Optional: sees every printk line (after formatting). */
	void (*printk_hook)(struct iopt_env *env, int level, const char *msg);
	void *hook_data;
	/*
	 * Told of each page block about to be freed, its memory intact
	 * (NULL: nobody asks); a reset leaves it.
	 */
	void (*free_hook)(struct iopt_env *env, uint64_t phys, uint64_t size);
	void *free_ctx;
	/*
	 * The call under way is an atomic caller's (a map with GFP_ATOMIC,
	 * any unmap), where the port's allocators could sleep: an
	 * allocation that may is a detection (port_mm.c). Set by the driver
	 * stand-in for the call only.
	 */
	const char *atomic;		/* the call, or NULL */
	/*
	 * Told of each clean or clean+invalidate (a range the CPU's lines
	 * reached the PoC over) once it is done (NULL: nobody asks); a
	 * reset leaves it.
	 */
	void (*clean_hook)(struct iopt_env *env, uint64_t phys, uint64_t len);
	void *clean_ctx;
	struct {			/* the late_clean_nth CMO, until the call ends */
		bool pending;
		uint64_t phys, len;
		uint8_t kind, via;
	} late;
};

/* Set up an env over a fresh arena of arena_size bytes (a power of two). */
int iopt_env_init(struct iopt_env *env, const char *name, uint64_t phys_base,
		  uint64_t arena_size, unsigned int page_shift);
void iopt_env_destroy(struct iopt_env *env);
/*
 * Back to the state right after init: report every live page block, slab
 * object and DMA mapping as a leak, reclaim them, clear the logs, WARNs,
 * reports and knobs. Returns the number of leaks found.
 */
long iopt_env_reset(struct iopt_env *env);

/* Simulated physical memory */
bool iopt_virt_valid(const struct iopt_env *env, const void *v);
uint64_t iopt_virt_to_phys(struct iopt_env *env, const void *v);
void *iopt_phys_to_virt(struct iopt_env *env, uint64_t pa);
/* The allocated block that holds pa: its host pointer, base and size. */
const void *iopt_phys_lookup(const struct iopt_env *env, uint64_t pa,
			     uint64_t *base, uint64_t *size);
/* The same block as the point of coherency holds it (see IOPT_POC_STALE). */
const void *iopt_phys_lookup_poc(const struct iopt_env *env, uint64_t pa,
				 uint64_t *base, uint64_t *size);

/* Buddy page allocator: naturally aligned, zeroed blocks. */
void *iopt_pages_alloc(struct iopt_env *env, unsigned int order, uint32_t gfp,
		       int nid);
/* Returns false (and reports) if ptr/order is not a live block. */
bool iopt_pages_free(struct iopt_env *env, void *ptr, unsigned int order);
/*
 * The kernel's struct page: the storage of the page that holds va (fatal
 * outside the arena), the address of a page (a planted misalignment
 * included), and the head page of the live block a page is in (NULL if
 * the page is free).
 */
void *iopt_va_kpage(struct iopt_env *env, const void *va);
void *iopt_kpage_va(struct iopt_env *env, const void *kpage);
void *iopt_kpage_head(struct iopt_env *env, const void *kpage);
/*
 * Order of the live block at ptr, or -1: the order it was asked for (the
 * planted misaligned block is one order bigger and ptr is 8 bytes in).
 */
int iopt_pages_order(const struct iopt_env *env, const void *ptr);

/* Slab */
void *iopt_slab_alloc(struct iopt_env *env, size_t size, uint32_t gfp,
		      bool zero);
void iopt_slab_free(struct iopt_env *env, const void *obj);

/* DMA mapping tracker (CONFIG_DMA_API_DEBUG-like) */
/* Map the memory at phys (as the port's virt_to_phys gives it): its DMA address. */
uint64_t iopt_dma_map(struct iopt_env *env, uint64_t phys, size_t size);
bool iopt_dma_mapping_error(struct iopt_env *env, uint64_t dma);
void iopt_dma_unmap(struct iopt_env *env, uint64_t dma, size_t size);
void iopt_dma_sync(struct iopt_env *env, uint64_t dma, size_t size);
/* Report if [phys, phys+len) overlaps a live DMA mapping. */
void iopt_dma_check_free(struct iopt_env *env, uint64_t phys, uint64_t len);
/* Whether one live mapping holds [dma, dma+len). */
bool iopt_dma_covers(const struct iopt_env *env, uint64_t dma, uint64_t len);

/*
 * Whether a line of [phys, phys + len) in the arena was never cleaned since
 * its block was allocated (what the PoC holds there is not the CPU's, ever);
 * *first: the first such line.
 */
bool iopt_poc_uncleaned(const struct iopt_env *env, uint64_t phys,
			uint64_t len, uint64_t *first);
/* Mark the lines of [off, off + bytes) of the arena uncleaned or not. */
void iopt_poc_mark(struct iopt_env *env, uint64_t off, uint64_t bytes,
		   bool uncleaned);
/* The end of a kernel call: a CMO planted late (late_clean_nth) happens now. */
void iopt_cmo_late(struct iopt_env *env);

/*
 * Logs. iopt_cmo() also acts on the cache lines it covers: a clean makes
 * them visible at the point of coherency (CPU view copied to the PoC
 * view); an invalidate drops them, so the CPU reads what the PoC holds
 * (PoC view copied to the CPU view).
 */
void iopt_cmo(struct iopt_env *env, uint64_t phys, uint64_t len,
	      enum iopt_cmo_kind kind, enum iopt_cmo_via via);
void iopt_log_alloc(struct iopt_env *env, const struct iopt_alloc_rec *rec);

/* Page allocations and frees logged from entry from on (slab aside). */
struct iopt_page_totals {
	unsigned long allocs, frees;
	uint64_t alloc_bytes, free_bytes;
};
void iopt_env_page_totals(const struct iopt_env *env, size_t from,
			  struct iopt_page_totals *t);
bool iopt_env_warn(struct iopt_env *env, const char *file, int line,
		   const char *what);
void iopt_detect(struct iopt_env *env, enum iopt_detect kind,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* ... about [addr, addr+len) (struct iopt_report's addr and len). */
void iopt_detect_at(struct iopt_env *env, enum iopt_detect kind,
		    uint64_t addr, uint64_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
__attribute__((noreturn)) void iopt_fatal(struct iopt_env *env,
					  enum iopt_detect kind,
					  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* printk: counted, shown to the printk_hook, and on stderr if console. */
void iopt_env_vprintk(struct iopt_env *env, int level, bool console,
		      const char *fmt, va_list ap);
unsigned long iopt_detect_count(const struct iopt_env *env,
				enum iopt_detect kind);
const char *iopt_detect_name(enum iopt_detect kind);
unsigned long iopt_warn_count(const struct iopt_env *env);

/*
 * Run fn(arg), catching a trap of undefined behaviour in the kernel code
 * (targets/common/guard.c): true if it returned, false if it trapped, with
 * the function and line it trapped at in where (n bytes). Whatever fn left
 * half done stays so.
 */
bool iopt_guarded(void (*fn)(void *arg), void *arg, char *where, size_t n);
/*
 * In a guarded call, leave it as a trap does (iopt_fatal, after recording
 * its detection); outside one, return.
 */
void iopt_guard_leave(void);

/* A short human-readable account of the env state (stats, logs). */
void iopt_env_summary(const struct iopt_env *env, void *file);

/*
 * What an env's code did that a lookup may not (the executor's
 * only_read(), the KUnit shim's lookups): CMOs, allocations (pages and
 * slab objects) and frees, counted from the page table's creation.
 */
struct iopt_env_effects {
	long cmos, allocs, frees;
};

static inline struct iopt_env_effects iopt_env_effects(const struct iopt_env *e)
{
	return (struct iopt_env_effects){
		.cmos = e->nth_cmo, .allocs = e->nth_alloc + e->nth_slab,
		.frees = e->nth_free + e->nth_kfree,
	};
}

#endif /* IOPT_ENV_H */
