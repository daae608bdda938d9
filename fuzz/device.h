/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A model of what an IOMMU keeps between walks: a TLB of leaf translations
 * and a walk cache of table pointers, filled by device accesses and emptied
 * only by the invalidations the page-table code asks for (through the
 * iommu_flush_ops callbacks) and the driver's iotlb sync after an unmap.
 *
 * Invalidations, as an SMMU performs them:
 *   flush_all              everything;
 *   flush_walk(iova, size, granule)
 *                          leaves and table pointers of every level, by VA
 *                          at each granule step over the range (an SMMU
 *                          without range invalidation; with it, the whole
 *                          range: a walk flush's TTL hint is 0);
 *   add_page(iova, granule) the leaf there if its size is the granule
 *                          (SMMUv3 range invalidation makes the granule
 *                          the TTL hint: a leaf of another level may stay
 *                          cached): at once without a gather, else at the
 *                          driver's sync of that gather;
 *   sync of a queued gather a flush of everything (the flush queue).
 *
 * A tree that splits blocks invalidates a block it split with the smaller
 * granule of the split, which leaves the block cached (a known upstream
 * bug, fuzz/known.c): such entries are marked (iopt_device_mark) and
 * checked after all others.
 *
 * A cached entry is stale when the tables, walked afresh, no longer give
 * what it holds at an address it covers: a leaf with another output or
 * other permissions, or a table pointer the tables no longer hold (the
 * table was freed or replaced). After an op and its sync, no entry may be
 * stale at the addresses the op touched.
 */
#ifndef IOPT_FUZZ_DEVICE_H
#define IOPT_FUZZ_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define IOPT_DEV_TLB	16
#define IOPT_DEV_WC	16
#define IOPT_DEV_PEND	64

struct iopt_dev_tlb {
	bool valid;
	bool split_ttl;			/* left by a split's TTL (iopt_device_mark) */
	struct iopt_leaf leaf;		/* as walked: iova, size, pa, pte */
};

struct iopt_dev_wc {
	bool valid;
	int level;			/* of the table pointed to */
	uint64_t iova, span;		/* the IOVAs that table covers */
	uint64_t table_pa;
};

struct iopt_device {
	struct iopt_dev_tlb tlb[IOPT_DEV_TLB];
	struct iopt_dev_wc wc[IOPT_DEV_WC];
	unsigned int tlb_next, wc_next;
	struct { uint64_t iova, granule; } pend[IOPT_DEV_PEND];
	unsigned int npend;
	bool pend_overflow;		/* too many to keep: sync flushes all */
};

void iopt_device_reset(struct iopt_device *d);
/* Whether [a, a + alen) and [b, b + blen) meet (lengths not 0). */
bool iopt_device_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen);
/*
 * Whether a walk flush of [iova, iova + size) by granule steps meets the
 * entry [lo, lo + len).
 */
bool iopt_device_walk_hits(uint64_t lo, uint64_t len, uint64_t iova,
			   uint64_t size, uint64_t granule);
void iopt_device_flush_all(struct iopt_device *d);
void iopt_device_inv_walk(struct iopt_device *d, uint64_t iova, uint64_t size,
			  uint64_t granule);
void iopt_device_inv_leaf(struct iopt_device *d, uint64_t iova,
			  uint64_t granule);
void iopt_device_gather_add(struct iopt_device *d, uint64_t iova,
			    uint64_t granule);
/*
 * Cache what a walk of [lo, hi] meets, as a device that had used it all
 * would have: its first IOPT_DEV_TLB leaves and first IOPT_DEV_WC tables
 * below the top one (IOVA order). Into a reset device: the invalidations
 * an unmap then makes must leave none of them stale. also (or NULL) is
 * told each leaf and table of the walk too.
 */
void iopt_device_fill_range(struct iopt_device *d, const struct iopt_dec_cfg *cfg,
			    const struct iopt_dec_mem *mem, uint64_t lo,
			    uint64_t hi, const struct iopt_dec_visitor *also);
/* The driver's iotlb sync after unmap_pages with a gather. */
void iopt_device_sync(struct iopt_device *d, bool queued);

/*
 * A device access: a TLB hit, or a walk from the deepest walk-cache hit (or
 * the TTBR), reading memory through mem; fills the caches. Returns an
 * enum iopt_dec_result; *leaf is the translation on IOPT_DEC_HIT.
 */
int iopt_device_access(struct iopt_device *d, const struct iopt_dec_cfg *cfg,
		       const struct iopt_dec_mem *mem, uint64_t iova,
		       struct iopt_leaf *leaf);

/*
 * Whether every cached entry that meets [lo, hi] agrees with a fresh walk
 * there (a TLB entry at both ends of the overlap); 0, or 1 with the first
 * stale entry described in why, or 2 when the only stale entries are
 * marked split_ttl (the first of them in why).
 */
int iopt_device_check(const struct iopt_device *d, const struct iopt_dec_cfg *cfg,
		      const struct iopt_dec_mem *mem, uint64_t lo, uint64_t hi,
		      char *why, size_t n);

/*
 * After an op and its sync: mark each valid TLB entry for which left()
 * says it is still cached only because the op split it and invalidated
 * it with the split's granule (left NULL: unmark all).
 */
void iopt_device_mark(struct iopt_device *d,
		      bool (*left)(void *ctx, const struct iopt_leaf *l),
		      void *ctx);

#define IOPT_PTE_AP_RDONLY	(1ULL << 7)	/* AP[2], or S2AP[1] */
#define IOPT_PTE_DBM		(1ULL << 51)

/*
 * The bits of a descriptor the walker ignores (software's, 58:55) or owns
 * (AP[2] of a DBM leaf, the dirty state under HTTU): they may differ
 * between a cached copy, the PoC and the CPU's view.
 */
uint64_t iopt_device_volatile_bits(uint64_t pte);

#endif /* IOPT_FUZZ_DEVICE_H */
