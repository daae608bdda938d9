/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Planted (unmap-leaf-bit): after an unmap, the contiguous bit (52) of the
 * first leaf it left in its range flipped in the CPU's view, as an unmap
 * that stops at a hole and breaks the contiguous groups past it does (the
 * third fault of the contiguous-hint patch, docs/review.md). The same in
 * the executor (fuzz/run.c) and in the KUnit shim's unmap
 * (kunit_repro.c), so that a case holds a leaf it reads back to what the
 * executor reported. Include after decode.h.
 */
#ifndef IOPT_PLANT_LEAF_H
#define IOPT_PLANT_LEAF_H

#define IOPT_PLANT_LEAF_BIT	52

/*
 * The last byte of an op's range (at most ~0): the executor's r->hi
 * (fuzz/run.c, op_args()), and the KUnit shim's for the same calls.
 */
static inline uint64_t iopt_op_last_byte(uint64_t iova, uint64_t size,
					   uint64_t count)
{
	uint64_t len = (size ? size : 4096) * (count ? count : 1);
	uint64_t hi = iova + (len - 1);

	return hi < iova ? ~0ULL : hi;
}

/*
 * Flip it in the first leaf that meets [lo, hi]; false when there is none
 * (the walk indexes IOVAs without their bits above ias: a leaf found for
 * an IOVA out of range is another's, and left alone).
 */
static inline bool iopt_plant_leaf_bit(const struct iopt_dec_cfg *cfg,
				       const struct iopt_dec_mem *mem,
				       uint64_t lo, uint64_t hi)
{
	struct iopt_leaf l;
	uint64_t base, size;
	uint64_t *table;

	if (!iopt_dec_first_leaf(cfg, mem, lo, hi, &l) || l.iova > hi ||
	    l.iova + (l.size - 1) < lo)
		return false;
	table = (uint64_t *)mem->lookup(mem->ctx, l.entry_pa, &base, &size);
	if (!table)
		return false;
	table[(l.entry_pa - base) / 8] ^= 1ULL << IOPT_PLANT_LEAF_BIT;
	return true;
}

#endif
