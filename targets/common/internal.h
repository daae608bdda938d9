/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by the files of the common runtime, not by its users. */
#ifndef IOPT_COMMON_INTERNAL_H
#define IOPT_COMMON_INTERNAL_H

#include <iopt/env.h>

/* Each reclaims what is live, reports every item as a leak, returns the count. */
long iopt_pages_reclaim(struct iopt_env *env);
long iopt_slab_reclaim(struct iopt_env *env);
long iopt_dma_reclaim(struct iopt_env *env);

/* Grow *buf (of *cap elements of size elem) to hold n + 1; false on failure. */
bool iopt_grow(void **buf, size_t *cap, size_t n, size_t elem);

#endif /* IOPT_COMMON_INTERNAL_H */
