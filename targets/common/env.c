// SPDX-License-Identifier: GPL-2.0-only
/*
 * The life cycle of an env (iopt/env.h): set up, reset to the state right
 * after set-up (everything still live reported as a leak and reclaimed),
 * torn down. The one place that calls every part of the runtime
 * (internal.h has the order of the parts).
 */
#include <string.h>

#include <iopt/env.h>
#include <iopt/port.h>
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
	env->late.pending = false;
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

void iopt_port_arm_fault(const struct iopt_port *port,
			 enum iopt_fault_kind kind, long nth)
{
	struct iopt_env *e = port->env;
	struct iopt_knobs *k = &e->knobs;

	if (!(port->traits->faults & (1u << kind)))
		kind = IOPT_FAULT_ALLOC;
	k->fail_alloc_nth = k->fail_dma_map_nth = k->bad_dma_nth = 0;
	if (kind == IOPT_FAULT_DMA_MAP)
		k->fail_dma_map_nth = e->nth_dma_map + nth;
	else if (kind == IOPT_FAULT_DMA_ADDR)
		k->bad_dma_nth = e->nth_dma_map + nth;
	else
		k->fail_alloc_nth = e->nth_alloc + nth;
}
