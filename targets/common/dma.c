// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA mappings tracked in the spirit of CONFIG_DMA_API_DEBUG: every map is
 * remembered (sorted by DMA address) until it is unmapped; syncs must fall
 * inside a mapping, unmaps must match one exactly, memory must not be freed
 * while mapped, and dma_mapping_error() must be asked before use. Maps and
 * syncs for the device clean the CPU cache: each is a CMO log entry.
 */
#include <stdlib.h>
#include <string.h>

#include <iopt/env.h>
#include "internal.h"

/* Index of the last mapping with dma <= addr, or -1. */
static long find_le(const struct iopt_env *env, uint64_t addr)
{
	long lo = 0, hi = (long)env->dma_n - 1, ans = -1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;

		if (env->dma[mid].dma <= addr) {
			ans = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return ans;
}

static void remove_at(struct iopt_env *env, long i)
{
	memmove(&env->dma[i], &env->dma[i + 1],
		(env->dma_n - i - 1) * sizeof(env->dma[0]));
	env->dma_n--;
	env->stats.live_dma_maps--;
}

uint64_t iopt_dma_map(struct iopt_env *env, uint64_t phys, size_t size)
{
	struct iopt_dma_map m = { .phys = phys, .len = size };
	long i;

	env->nth_dma_map++;
	if (env->nth_dma_map == env->knobs.fail_dma_map_nth)
		return ~0ULL;
	if (!iopt_grow((void **)&env->dma, &env->dma_cap, env->dma_n,
		       sizeof(*env->dma)))
		return ~0ULL;
	m.dma = phys + env->knobs.dma_offset;
	if (env->nth_dma_map == env->knobs.bad_dma_nth) {
		m.dma += IOPT_BAD_DMA_OFFSET;	/* this one lands elsewhere */
		env->stats.dma_translated++;
	}
	i = find_le(env, m.dma) + 1;
	memmove(&env->dma[i + 1], &env->dma[i],
		(env->dma_n - i) * sizeof(env->dma[0]));
	env->dma[i] = m;
	env->dma_n++;
	env->stats.live_dma_maps++;
	iopt_cmo(env, phys, size, IOPT_CMO_CLEAN, IOPT_VIA_DMA_MAP);
	return m.dma;
}

bool iopt_dma_mapping_error(struct iopt_env *env, uint64_t dma)
{
	long i;

	if (dma == ~0ULL)
		return true;
	i = find_le(env, dma);
	if (i >= 0 && env->dma[i].dma == dma)
		env->dma[i].checked = true;
	return false;
}

void iopt_dma_unmap(struct iopt_env *env, uint64_t dma, size_t size)
{
	long i = find_le(env, dma);

	if (i < 0 || env->dma[i].dma != dma) {
		iopt_detect(env, IOPT_DET_DMA_BAD_UNMAP,
			    "dma_unmap_single(0x%llx, %zu): no such mapping",
			    (unsigned long long)dma, size);
		return;
	}
	if (env->dma[i].len != size)
		iopt_detect(env, IOPT_DET_DMA_BAD_UNMAP,
			    "dma_unmap_single(0x%llx): size %zu, mapped with %llu",
			    (unsigned long long)dma, size,
			    (unsigned long long)env->dma[i].len);
	if (!env->dma[i].checked)
		iopt_detect(env, IOPT_DET_DMA_UNCHECKED,
			    "dma 0x%llx unmapped without a dma_mapping_error() check",
			    (unsigned long long)dma);
	remove_at(env, i);
}

void iopt_dma_sync(struct iopt_env *env, uint64_t dma, size_t size)
{
	long i = find_le(env, dma);
	struct iopt_dma_map *m = i >= 0 ? &env->dma[i] : NULL;

	if (!iopt_dma_covers(env, dma, size)) {
		iopt_detect_at(env, IOPT_DET_DMA_BAD_SYNC, dma, size,
			       "dma_sync_single_for_device(0x%llx, %zu): outside any mapping",
			       (unsigned long long)dma, size);
	} else if (!m->checked) {
		m->checked = true;
		iopt_detect(env, IOPT_DET_DMA_UNCHECKED,
			    "dma 0x%llx synced without a dma_mapping_error() check",
			    (unsigned long long)m->dma);
	}
	iopt_cmo(env, dma - env->knobs.dma_offset, size, IOPT_CMO_CLEAN,
		 IOPT_VIA_DMA_SYNC);
}

bool iopt_dma_covers(const struct iopt_env *env, uint64_t dma, uint64_t len)
{
	long i = find_le(env, dma);

	return i >= 0 && dma + len >= dma &&
	       dma + len <= env->dma[i].dma + env->dma[i].len;
}

void iopt_dma_check_free(struct iopt_env *env, uint64_t phys, uint64_t len)
{
	long i = find_le(env, phys + env->knobs.dma_offset + len - 1);

	for (; i >= 0; i--) {
		const struct iopt_dma_map *m = &env->dma[i];

		if (m->phys + m->len <= phys)
			break;
		iopt_detect(env, IOPT_DET_FREE_WHILE_MAPPED,
			    "phys 0x%llx+0x%llx freed while DMA-mapped at 0x%llx",
			    (unsigned long long)phys, (unsigned long long)len,
			    (unsigned long long)m->dma);
	}
}

long iopt_dma_reclaim(struct iopt_env *env)
{
	long leaks = (long)env->dma_n;

	for (size_t i = 0; i < env->dma_n; i++)
		iopt_detect(env, IOPT_DET_LEAK,
			    "DMA mapping 0x%llx+0x%llx never unmapped",
			    (unsigned long long)env->dma[i].dma,
			    (unsigned long long)env->dma[i].len);
	env->dma_n = 0;
	env->stats.live_dma_maps = 0;
	return leaks;
}

void iopt_dma_destroy(struct iopt_env *env)
{
	free(env->dma);
}
