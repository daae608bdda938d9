// SPDX-License-Identifier: GPL-2.0-only
/*
 * The point of coherency: cache maintenance on the simulated memory. A
 * clean copies the CPU's cache lines it covers to the env's PoC view (what
 * a non-coherent table walker reads), an invalidate the other way; each is
 * recorded in the CMO log. A range outside simulated memory is a detection,
 * never touched. The planted CMO bugs (a dropped one, one a PTE short, one
 * of a negative length, one done late) live here.
 */
#include <string.h>

#include <iopt/env.h>
#include "internal.h"

static bool poisoned(const void *p, size_t n)
{
#ifdef IOPT_ASAN
	return __asan_region_is_poisoned((void *)p, n) != NULL;
#else
	return false;
#endif
}

/*
 * The cache lines over [phys, phys + len): copied from the CPU's view to
 * the PoC's (a clean), or the other way (an invalidate). The range lies in
 * the arena (iopt_cmo() checked it).
 */
static void poc_sync(struct iopt_env *env, uint64_t phys, uint64_t len,
		     bool to_poc)
{
	uint64_t lo, hi;

	if (!len)
		return;
	lo = (phys - env->phys_base) & ~(uint64_t)(IOPT_CACHE_LINE - 1);
	hi = phys - env->phys_base + len;
	hi = (hi + IOPT_CACHE_LINE - 1) & ~(uint64_t)(IOPT_CACHE_LINE - 1);
	if (poisoned(env->arena + lo, hi - lo))
		return;		/* free memory: DMA debug reports the misuse */
	if (to_poc) {
		memcpy(env->poc + lo, env->arena + lo, hi - lo);
		iopt_poc_mark(env, lo, hi - lo, false);
	} else {
		memcpy(env->arena + lo, env->poc + lo, hi - lo);
	}
}

/*
 * Whether [phys, phys + len) lies in simulated memory. Cache maintenance
 * anywhere else is a bug of the caller (a length gone negative is a huge
 * one): a detection, and nothing is done.
 */
static bool in_arena(const struct iopt_env *env, uint64_t phys, uint64_t len)
{
	uint64_t off = phys - env->phys_base;

	return phys >= env->phys_base && off < env->arena_size &&
	       len <= env->arena_size - off;
}

static bool cmo_in_arena(struct iopt_env *env, uint64_t phys, uint64_t len)
{
	if (in_arena(env, phys, len))
		return true;
	iopt_detect(env, IOPT_DET_BAD_CMO,
		    "cache maintenance of phys 0x%llx, length 0x%llx (%lld): outside simulated memory",
		    (unsigned long long)phys, (unsigned long long)len,
		    (long long)len);
	return false;
}

/* Done: the PoC updated, the CMO logged, a clean told (env->clean_hook). */
static void cmo_done(struct iopt_env *env, uint64_t phys, uint64_t len,
		     enum iopt_cmo_kind kind, enum iopt_cmo_via via)
{
	poc_sync(env, phys, len, kind != IOPT_CMO_INVAL);
	iopt_log_cmo(env, &(struct iopt_cmo){
		.phys = phys, .len = len, .kind = kind, .via = via,
	});
	if (kind != IOPT_CMO_INVAL && env->clean_hook)
		env->clean_hook(env, phys, len);
}

void iopt_cmo_late(struct iopt_env *env)
{
	if (!env->late.pending)
		return;
	env->late.pending = false;
	cmo_done(env, env->late.phys, env->late.len, env->late.kind,
		 env->late.via);
}

static void cmo_one(struct iopt_env *env, uint64_t phys, uint64_t len,
		    enum iopt_cmo_kind kind, enum iopt_cmo_via via)
{
	env->nth_cmo++;
	if (env->nth_cmo == env->knobs.drop_cmo_nth)
		return;		/* planted: this maintenance never happens */
	if (env->nth_cmo == env->knobs.short_cmo_nth)
		len = len > 8 ? len - 8 : 0;	/* planted: one PTE short */
	if (env->nth_cmo == env->knobs.neg_cmo_nth)
		len = -len;	/* planted: a negative length */
	if (!cmo_in_arena(env, phys, len))
		return;
	if (env->nth_cmo == env->knobs.late_clean_nth) {
		/* planted: done at the end of the call (iopt_cmo_late()) */
		env->late.pending = true;
		env->late.phys = phys;
		env->late.len = len;
		env->late.kind = kind;
		env->late.via = via;
		return;
	}
	cmo_done(env, phys, len, kind, via);
}

/* A CMO; with knobs.cmo_by_line, one per cache line it covers. */
void iopt_cmo(struct iopt_env *env, uint64_t phys, uint64_t len,
	      enum iopt_cmo_kind kind, enum iopt_cmo_via via)
{
	uint64_t end = phys + len, next;

	if (!env->knobs.cmo_by_line || len <= IOPT_CACHE_LINE ||
	    !in_arena(env, phys, len)) {
		cmo_one(env, phys, len, kind, via);
		return;
	}
	for (; phys < end; phys = next) {
		next = (phys | (IOPT_CACHE_LINE - 1)) + 1;
		cmo_one(env, phys, (next < end ? next : end) - phys, kind, via);
	}
}

/* Bits [from, to) of map, set or cleared. */
static void bits_range(uint64_t *map, uint64_t from, uint64_t to, bool set)
{
	while (from < to) {
		unsigned int b = from % 64;
		uint64_t n = to - from < 64 - b ? to - from : 64 - b;
		uint64_t m = (n == 64 ? ~0ULL : ((1ULL << n) - 1)) << b;

		if (set)
			map[from / 64] |= m;
		else
			map[from / 64] &= ~m;
		from += n;
	}
}

void iopt_poc_mark(struct iopt_env *env, uint64_t off, uint64_t bytes,
		   bool uncleaned)
{
	bits_range(env->uncleaned, off / IOPT_CACHE_LINE,
		   (off + bytes + IOPT_CACHE_LINE - 1) / IOPT_CACHE_LINE,
		   uncleaned);
}

bool iopt_poc_uncleaned(const struct iopt_env *env, uint64_t phys,
			uint64_t len, uint64_t *first)
{
	uint64_t from, to;

	if (!in_arena(env, phys, len) || !len)
		return false;
	from = (phys - env->phys_base) / IOPT_CACHE_LINE;
	to = (phys - env->phys_base + len - 1) / IOPT_CACHE_LINE + 1;
	while (from < to) {
		uint64_t word = env->uncleaned[from / 64] >> (from % 64);

		if (word & 1) {
			*first = env->phys_base + from * IOPT_CACHE_LINE;
			return true;
		}
		from = word ? from + __builtin_ctzll(word) :
			      (from | 63) + 1;
	}
	return false;
}
