// SPDX-License-Identifier: GPL-2.0-only
/*
 * The life cycle of an env (iopt/env.h): set up, reset to the state right
 * after set-up (everything still live reported as a leak and reclaimed),
 * torn down. The one place that calls every part of the runtime
 * (internal.h has the order of the parts).
 */
#include <string.h>

#include <iopt/env.h>
#include "internal.h"

int iopt_env_init(struct iopt_env *env, const char *name, uint64_t phys_base,
		  uint64_t arena_size, unsigned int page_shift)
{
	memset(env, 0, sizeof(*env));
	env->name = name;
	return iopt_physmem_init(env, phys_base, arena_size, page_shift);
}

long iopt_env_reset(struct iopt_env *env)
{
	long leaks = 0;

	leaks += iopt_slab_reclaim(env);
	leaks += iopt_dma_reclaim(env);
	leaks += iopt_pages_reclaim(env);
	iopt_log_reset(env);
	return leaks;
}

void iopt_env_destroy(struct iopt_env *env)
{
	struct iopt_env zero = { 0 };

	if (!env->arena)
		return;
	iopt_env_reset(env);
	iopt_physmem_destroy(env);
	iopt_dma_destroy(env);
	iopt_log_destroy(env);
	*env = zero;
}
