/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Canonical table image: a serialisation of a table tree that does not depend
 * on where the tables live in physical memory.
 *
 * Tables are numbered in walk order (preorder, top table id 0) and laid out
 * in that order, each as one header word followed by all of its entries:
 *
 *   header: bits 63:56 tag (IOPT_IMG_TAG_TABLE), 55:52 level,
 *           51:32 entry count, 31:0 table id
 *   entry:  raw, except table descriptors that are followed, whose bits
 *           51:12 are replaced by (child id << 12); other bits are kept.
 *           A table descriptor that fails its checks gets the id
 *           IOPT_IMG_BAD_ID | problem kind and is not walked.
 *
 * A TTBR that fails its checks gives a lone header with tag
 * IOPT_IMG_TAG_BAD_TTBR, the check it failed (enum iopt_prob_kind) as its
 * table id, and no entries.
 */
#ifndef IOPT_ORACLE_IMAGE_H
#define IOPT_ORACLE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define IOPT_IMG_TAG_TABLE	0xa5
#define IOPT_IMG_TAG_BAD_TTBR	0xbd
#define IOPT_IMG_BAD_ID		0xffffff00u

struct iopt_image {
	uint64_t *words;
	size_t n, cap;
	size_t ntables;
	/*
	 * XXH3_64bits over words[0..n), when hashed (iopt_image_hash());
	 * 0 for an image that failed to build (and has no words).
	 */
	uint64_t hash;
	bool hashed;
};

/*
 * Rebuild img (reusing its buffer) from the tree described by cfg/mem.
 * Returns the number of problems (same count as iopt_dec_walk), -EINVAL
 * for an invalid cfg or -ENOMEM.
 */
int iopt_image_build(struct iopt_image *img, const struct iopt_dec_cfg *cfg,
		     const struct iopt_dec_mem *mem);
void iopt_image_free(struct iopt_image *img);

/*
 * Whether the two trees are the same over the IOVAs [lo, hi], found in
 * place (one walk of both, nothing copied): true only if
 * iopt_dec_walk_range(cb, mb, lo, hi) would report the leaves and problems iopt_dec_walk_range(ca, ma,
 * lo, hi) reports (but for where their entries are) and the same tables
 * (but for where they are), in the same order. That is: every entry the
 * range walk looks at is the same on both sides, but for the address of
 * table descriptors, whose children are compared likewise. False also
 * when it cannot tell cheaply: a table descriptor with a problem on
 * either side, an error, configurations that differ in more than the
 * TTBR. A difference outside the range may make it false (it compares
 * what is cheapest), never true where the range differs. lo > hi: every
 * entry, as iopt_dec_walk() (which [0, ~0] is not where the walk indexes
 * IOVA bits above ias under TTBR1): true only if iopt_image_build() would
 * build equal images of the two trees.
 *
 * Side b's tables are told to also_b->table (if set) exactly as the range
 * walk of side b tells its visitor: the tables whose parent entry meets
 * the range, the top table first, preorder; all of them when it returns
 * true, those visited so far when false.
 */
bool iopt_image_same_range(const struct iopt_dec_cfg *ca,
			   const struct iopt_dec_mem *ma,
			   const struct iopt_dec_cfg *cb,
			   const struct iopt_dec_mem *mb, uint64_t lo,
			   uint64_t hi, const struct iopt_dec_visitor *also_b);

/* The image's hash, computed on first use after a build. */
uint64_t iopt_image_hash(struct iopt_image *img);

/* Whether two images are the same, word by word (no hash needed). */
bool iopt_image_equal(const struct iopt_image *a, const struct iopt_image *b);

/* Index of the first differing word, or -1 when equal. */
long iopt_image_first_diff(const struct iopt_image *a, const struct iopt_image *b);

/*
 * Map a word index to its table. Returns 0 for an entry (index set),
 * 1 for a table header (index 0), -1 if word is beyond the image.
 */
int iopt_image_locate(const struct iopt_image *img, size_t word,
		      unsigned int *table_id, int *level, unsigned int *index);

#endif /* IOPT_ORACLE_IMAGE_H */
