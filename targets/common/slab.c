// SPDX-License-Identifier: GPL-2.0-only
/*
 * A userspace slab in the spirit of tools/testing/shared: every object is
 * a host allocation (so ASan sees overflows and use-after-free) behind a
 * header on a live list. kfree() of anything not on the list is reported
 * and ignored, never passed to free().
 */
#include <stdlib.h>
#include <string.h>

#include <iopt/env.h>
#include "internal.h"

#define SLAB_POISON_INUSE	0x5a	/* uninitialised kmalloc memory */

struct iopt_slab_obj {
	struct iopt_slab_obj *next, *prev;
	size_t size;
	uint32_t gfp;
	uint32_t seq;
	/* the object follows, 16-byte aligned */
} __attribute__((aligned(16)));

static void *obj_of(struct iopt_slab_obj *h)
{
	return h + 1;
}

void *iopt_slab_alloc(struct iopt_env *env, size_t size, uint32_t gfp,
		      bool zero)
{
	struct iopt_alloc_rec rec = { .kind = IOPT_ALLOC_SLAB, .order = -1 };
	struct iopt_slab_obj *h;

	env->nth_slab++;
	if (env->nth_slab == env->knobs.fail_slab_nth) {
		env->stats.alloc_failures++;
		return NULL;
	}
	h = malloc(sizeof(*h) + size);
	if (!h)
		return NULL;
	h->size = size;
	h->gfp = gfp;
	h->seq = env->seq;
	h->prev = NULL;
	h->next = env->slab_head;
	if (h->next)
		h->next->prev = h;
	env->slab_head = h;
	memset(obj_of(h), zero ? 0 : SLAB_POISON_INUSE, size);

	env->stats.live_slab++;
	env->stats.live_slab_bytes += size;
	env->stats.allocs++;
	rec.gfp = gfp;
	rec.size = size;
	rec.align = 16;
	iopt_log_alloc(env, &rec);
	return obj_of(h);
}

static void unlink_obj(struct iopt_env *env, struct iopt_slab_obj *h)
{
	struct iopt_alloc_rec rec = { .kind = IOPT_ALLOC_SLAB, .order = -1,
				      .free = true };

	if (h->prev)
		h->prev->next = h->next;
	else
		env->slab_head = h->next;
	if (h->next)
		h->next->prev = h->prev;
	env->stats.live_slab--;
	env->stats.live_slab_bytes -= h->size;
	env->stats.frees++;
	rec.size = h->size;
	iopt_log_alloc(env, &rec);
	free(h);
}

void iopt_slab_free(struct iopt_env *env, const void *obj)
{
	struct iopt_slab_obj *h;

	if (!obj)
		return;
	for (h = env->slab_head; h; h = h->next)
		if (obj_of(h) == obj)
			break;
	if (!h) {
		iopt_detect(env, IOPT_DET_DOUBLE_FREE,
			    "kfree(%p): not a live slab object (double free?)",
			    obj);
		return;
	}
	env->nth_kfree++;
	if (env->nth_kfree == env->knobs.leak_slab_nth)
		return;		/* planted: this object is never freed */
	unlink_obj(env, h);
}

long iopt_slab_reclaim(struct iopt_env *env)
{
	long leaks = 0;

	while (env->slab_head) {
		iopt_detect(env, IOPT_DET_LEAK,
			    "slab object of %zu bytes leaked",
			    env->slab_head->size);
		unlink_obj(env, env->slab_head);
		leaks++;
	}
	return leaks;
}
