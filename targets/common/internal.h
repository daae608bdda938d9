/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by the files of the common runtime, not by its users. */
#ifndef IOPT_COMMON_INTERNAL_H
#define IOPT_COMMON_INTERNAL_H

#include <iopt/asan.h>
#include <iopt/env.h>

/*
 * A loop over a whole page block of the arena or of the PoC view that the
 * allocator has just bounded and unpoisoned itself: ASan's check of every
 * load and UBSan's of every pointer step cannot fail there, and they kept
 * the compiler from making vector code of it (up to a megabyte an
 * allocation: a fifth of a sanitizer build's executor time before,
 * docs/performance.md).
 */
#define IOPT_NO_SANITIZE \
	__attribute__((no_sanitize("address", "undefined")))

/* Each reclaims what is live, reports every item as a leak, returns the count. */
long iopt_pages_reclaim(struct iopt_env *env);
long iopt_slab_reclaim(struct iopt_env *env);
long iopt_dma_reclaim(struct iopt_env *env);

/* Grow *buf (of *cap elements of size elem) to hold n + 1; false on failure. */
bool iopt_grow(void **buf, size_t *cap, size_t n, size_t elem);

/*
 * The life cycle (env.c) of each part: set up, back to the state after
 * set-up, torn down. The runtime's files call one another downwards only:
 *
 *   env.c      the life cycle: init, reset, destroy of every part
 *   physmem.c  the arena and its buddy allocator      -> dma.c, log.c
 *   slab.c     kmalloc                                 -> log.c
 *   dma.c      the DMA mappings                        -> poc.c, log.c
 *   poc.c      cache maintenance, the PoC view         -> log.c
 *   log.c      the records: allocations, CMOs, WARNs, detections, printk
 */
int iopt_physmem_init(struct iopt_env *env, uint64_t phys_base,
		      uint64_t arena_size, unsigned int page_shift);
void iopt_physmem_destroy(struct iopt_env *env);
void iopt_dma_destroy(struct iopt_env *env);
void iopt_log_reset(struct iopt_env *env);
void iopt_log_destroy(struct iopt_env *env);
void iopt_log_cmo(struct iopt_env *env, const struct iopt_cmo *c);

#endif /* IOPT_COMMON_INTERNAL_H */
