// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated physical memory: an arena whose physical addresses differ from
 * the host pointers, and a buddy allocator over it.
 *
 * The allocator always hands out the lowest free block that fits, so the
 * layout depends only on the sequence of calls since the last reset: the
 * same input gives the same physical addresses, whatever ran before it.
 * Free pages are kept zeroed (and poisoned under ASan); a free page found
 * non-zero when it is handed out again means someone wrote to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <iopt/env.h>
#include "internal.h"

static uint64_t block_bytes(const struct iopt_env *env, unsigned int order)
{
	return (uint64_t)1 << (order + env->page_shift);
}

static bool bit_test(const struct iopt_env *env, unsigned int o, uint32_t b)
{
	return env->free_bits[o][b / 64] >> (b % 64) & 1;
}

static void bit_set(struct iopt_env *env, unsigned int o, uint32_t b)
{
	env->free_bits[o][b / 64] |= 1ULL << (b % 64);
	env->nr_free[o]++;
	if (b / 64 < env->free_hint[o])
		env->free_hint[o] = b / 64;
}

static void bit_clear(struct iopt_env *env, unsigned int o, uint32_t b)
{
	env->free_bits[o][b / 64] &= ~(1ULL << (b % 64));
	env->nr_free[o]--;
}

/* Lowest free block of order o (the caller knows there is one). */
static uint32_t bit_first(struct iopt_env *env, unsigned int o)
{
	uint32_t w = env->free_hint[o];

	while (!env->free_bits[o][w])
		w++;
	env->free_hint[o] = w;
	return w * 64 + __builtin_ctzll(env->free_bits[o][w]);
}

static void buddy_reset(struct iopt_env *env)
{
	unsigned int o;

	for (o = 0; o <= env->max_order; o++) {
		uint32_t nbits = env->nr_pages >> o;

		memset(env->free_bits[o], 0, (nbits + 63) / 64 * 8);
		env->nr_free[o] = 0;
		env->free_hint[o] = 0;
	}
	for (uint32_t b = 0; b < env->nr_pages >> env->max_order; b++)
		bit_set(env, env->max_order, b);
	memset(env->pages, 0, env->nr_pages * sizeof(*env->pages));
	memset(env->kpages, 0, (size_t)env->nr_pages * IOPT_KPAGE_SIZE);
}

/* The arena, its point-of-coherency view and the page descriptors (env.c). */
int iopt_physmem_init(struct iopt_env *env, uint64_t phys_base,
		      uint64_t arena_size, unsigned int page_shift)
{
	uint64_t align, map_size;
	uint8_t *raw;
	unsigned int o;

	env->page_shift = page_shift;
	env->nr_pages = arena_size >> page_shift;
	env->max_order = IOPT_MAX_ORDER;
	while (env->max_order && (1u << env->max_order) > env->nr_pages)
		env->max_order--;
	if (!env->nr_pages || arena_size & (arena_size - 1) ||
	    phys_base & (arena_size - 1))
		return -1;

	/* Align the host mapping like the physical one: to the largest block. */
	align = block_bytes(env, env->max_order);
	map_size = arena_size + align;
	raw = mmap(NULL, map_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return -1;
	env->arena = (uint8_t *)(((uintptr_t)raw + align - 1) & ~(align - 1));
	if (env->arena > raw)
		munmap(raw, env->arena - raw);
	munmap(env->arena + arena_size, raw + map_size - (env->arena + arena_size));
	env->arena_size = arena_size;
	env->phys_base = phys_base;
	env->poc = mmap(NULL, arena_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (env->poc == MAP_FAILED)
		return -1;
	env->uncleaned = calloc(arena_size / IOPT_CACHE_LINE / 64 + 1, 8);
	if (!env->uncleaned)
		return -1;

	env->pages = calloc(env->nr_pages, sizeof(*env->pages));
	env->kpages = calloc(env->nr_pages, IOPT_KPAGE_SIZE);
	for (o = 0; o <= env->max_order; o++)
		env->free_bits[o] = calloc(((env->nr_pages >> o) + 63) / 64, 8);
	if (!env->pages || !env->kpages || !env->free_bits[env->max_order])
		return -1;
	buddy_reset(env);
	ASAN_POISON_MEMORY_REGION(env->arena, arena_size);
	return 0;
}

void iopt_physmem_destroy(struct iopt_env *env)
{
	ASAN_UNPOISON_MEMORY_REGION(env->arena, env->arena_size);
	munmap(env->arena, env->arena_size);
	munmap(env->poc, env->arena_size);
	free(env->uncleaned);
	free(env->pages);
	free(env->kpages);
	for (unsigned int o = 0; o <= env->max_order; o++)
		free(env->free_bits[o]);
}

bool iopt_virt_valid(const struct iopt_env *env, const void *v)
{
	const uint8_t *p = v;

	return p >= env->arena && p < env->arena + env->arena_size;
}

uint64_t iopt_virt_to_phys(struct iopt_env *env, const void *v)
{
	if (!iopt_virt_valid(env, v))
		iopt_fatal(env, IOPT_DET_OUTSIDE_ARENA,
			   "virt_to_phys(%p): not in simulated memory", v);
	return env->phys_base + ((const uint8_t *)v - env->arena);
}

void *iopt_phys_to_virt(struct iopt_env *env, uint64_t pa)
{
	if (pa < env->phys_base || pa - env->phys_base >= env->arena_size)
		iopt_fatal(env, IOPT_DET_OUTSIDE_ARENA,
			   "phys_to_virt(0x%llx): not in simulated memory",
			   (unsigned long long)pa);
	return env->arena + (pa - env->phys_base);
}

const void *iopt_phys_lookup(const struct iopt_env *env, uint64_t pa,
			     uint64_t *base, uint64_t *size)
{
	const struct iopt_page *head;
	uint64_t idx;

	if (pa < env->phys_base || pa - env->phys_base >= env->arena_size)
		return NULL;
	idx = (pa - env->phys_base) >> env->page_shift;
	if (env->pages[idx].state == IOPT_PG_FREE)
		return NULL;
	head = &env->pages[env->pages[idx].head];
	*base = env->phys_base + ((uint64_t)env->pages[idx].head << env->page_shift);
	*size = (uint64_t)1 << (head->order + env->page_shift);
	return env->arena + (*base - env->phys_base);
}

const void *iopt_phys_lookup_poc(const struct iopt_env *env, uint64_t pa,
				 uint64_t *base, uint64_t *size)
{
	if (!iopt_phys_lookup(env, pa, base, size))
		return NULL;
	return env->poc + (*base - env->phys_base);
}

/* A new block: the CPU sees zeroes, the PoC still holds stale lines. */
static IOPT_NO_SANITIZE void poc_stale(struct iopt_env *env, uint64_t off,
				       uint64_t bytes)
{
	uint64_t *p = (uint64_t *)(env->poc + off);

	for (uint64_t i = 0; i < bytes / 8; i++)
		p[i] = IOPT_POC_STALE;
	iopt_poc_mark(env, off, bytes, true);
}

/* (after ASAN_UNPOISON_MEMORY_REGION of the block) */
static IOPT_NO_SANITIZE bool pages_clean(const uint64_t *p, uint64_t bytes)
{
	uint64_t acc = 0;

	for (uint64_t i = 0; i < bytes / 8; i++)
		acc |= p[i];
	return !acc;
}

static void mark_block(struct iopt_env *env, uint32_t idx, unsigned int order,
		       uint32_t gfp, int nid)
{
	for (uint32_t i = 0; i < 1u << order; i++) {
		struct iopt_page *pg = &env->pages[idx + i];

		pg->state = i ? IOPT_PG_TAIL : IOPT_PG_HEAD;
		pg->order = order;
		pg->gfp = gfp;
		pg->nid = nid;
		pg->head = idx;
	}
}

void *iopt_pages_alloc(struct iopt_env *env, unsigned int order, uint32_t gfp,
		       int nid)
{
	struct iopt_alloc_rec rec = { .kind = IOPT_ALLOC_PAGES };
	unsigned int o;
	uint32_t b, idx;
	uint8_t *va;

	env->nth_alloc++;
	if (env->nth_alloc == env->knobs.misalign_nth)
		order++;	/* planted: room for the block at +8 */
	for (o = order; o <= env->max_order; o++)
		if (env->nr_free[o])
			break;
	if (o > env->max_order ||
	    env->nth_alloc == env->knobs.fail_alloc_nth) {
		env->stats.alloc_failures++;
		return NULL;
	}
	b = bit_first(env, o);
	bit_clear(env, o, b);
	idx = b << o;
	while (o > order) {
		o--;
		bit_set(env, o, (idx + (1u << o)) >> o);
	}
	mark_block(env, idx, order, gfp, nid);

	va = env->arena + ((uint64_t)idx << env->page_shift);
	ASAN_UNPOISON_MEMORY_REGION(va, block_bytes(env, order));
	if (!pages_clean((const uint64_t *)va, block_bytes(env, order))) {
		iopt_detect(env, IOPT_DET_FREE_PAGE_WRITTEN,
			    "free page block at phys 0x%llx (order %u) was written while free",
			    (unsigned long long)iopt_virt_to_phys(env, va), order);
		memset(va, 0, block_bytes(env, order));
	}

	poc_stale(env, va - env->arena, block_bytes(env, order));
	env->stats.live_pages += 1L << order;
	env->stats.live_blocks++;
	env->stats.allocs++;
	if (env->stats.live_pages > env->stats.peak_pages)
		env->stats.peak_pages = env->stats.live_pages;
	rec.nid = nid;
	rec.gfp = gfp;
	rec.order = order;
	rec.size = rec.align = block_bytes(env, order);
	rec.phys = iopt_virt_to_phys(env, va);
	iopt_log_alloc(env, &rec);
	if (env->nth_alloc == env->knobs.misalign_nth) {
		env->pages[idx].misalign = 8;
		return va + 8;
	}
	return va;
}

void *iopt_va_kpage(struct iopt_env *env, const void *va)
{
	uint64_t idx = (iopt_virt_to_phys(env, va) - env->phys_base) >>
		       env->page_shift;

	return env->kpages + idx * IOPT_KPAGE_SIZE;
}

static uint32_t kpage_idx(const struct iopt_env *env, const void *kpage)
{
	return ((const uint8_t *)kpage - env->kpages) / IOPT_KPAGE_SIZE;
}

void *iopt_kpage_va(struct iopt_env *env, const void *kpage)
{
	uint32_t idx = kpage_idx(env, kpage);

	return env->arena + ((uint64_t)idx << env->page_shift) +
	       env->pages[idx].misalign;
}

void *iopt_kpage_head(struct iopt_env *env, const void *kpage)
{
	const struct iopt_page *pg = &env->pages[kpage_idx(env, kpage)];

	if (pg->state == IOPT_PG_FREE)
		return NULL;
	return env->kpages + (uint64_t)pg->head * IOPT_KPAGE_SIZE;
}

int iopt_pages_order(const struct iopt_env *env, const void *ptr)
{
	const struct iopt_page *pg;
	uint64_t off;

	if (!iopt_virt_valid(env, ptr))
		return -1;
	off = (const uint8_t *)ptr - env->arena;
	pg = &env->pages[off >> env->page_shift];
	if (pg->state != IOPT_PG_HEAD ||
	    (off & (block_bytes(env, 0) - 1)) != pg->misalign)
		return -1;
	return pg->order - (pg->misalign ? 1 : 0);
}

static void release_block(struct iopt_env *env, uint32_t idx,
			  unsigned int order)
{
	struct iopt_alloc_rec rec = { .kind = IOPT_ALLOC_PAGES, .free = true };
	uint8_t *va = env->arena + ((uint64_t)idx << env->page_shift);

	rec.order = order;
	rec.size = rec.align = block_bytes(env, order);
	rec.phys = env->phys_base + ((uint64_t)idx << env->page_shift);
	iopt_log_alloc(env, &rec);

	memset(va, 0, block_bytes(env, order));
	ASAN_POISON_MEMORY_REGION(va, block_bytes(env, order));
	memset(&env->pages[idx], 0, sizeof(env->pages[0]) << order);
	memset(env->kpages + (uint64_t)idx * IOPT_KPAGE_SIZE, 0,
	       (size_t)IOPT_KPAGE_SIZE << order);
	env->stats.live_pages -= 1L << order;
	env->stats.live_blocks--;
	env->stats.frees++;

	while (order < env->max_order) {
		uint32_t buddy = idx ^ (1u << order);

		if (!bit_test(env, order, buddy >> order))
			break;
		bit_clear(env, order, buddy >> order);
		idx &= ~(1u << order);
		order++;
	}
	bit_set(env, order, idx >> order);
}

bool iopt_pages_free(struct iopt_env *env, void *ptr, unsigned int order)
{
	uint64_t phys = iopt_virt_to_phys(env, ptr);

	if (phys & 8 && env->pages[(phys - env->phys_base) >> env->page_shift].misalign) {
		phys -= 8;	/* the planted misaligned block, one order up */
		ptr = (uint8_t *)ptr - 8;
		order++;
	}
	uint32_t idx = (phys - env->phys_base) >> env->page_shift;
	struct iopt_page *pg = &env->pages[idx];
	unsigned int real;

	if (phys & (block_bytes(env, 0) - 1) || pg->state == IOPT_PG_TAIL) {
		iopt_detect(env, IOPT_DET_BAD_FREE,
			    "free of phys 0x%llx: not the start of an allocated block",
			    (unsigned long long)phys);
		return false;
	}
	if (pg->state == IOPT_PG_FREE) {
		iopt_detect(env, IOPT_DET_DOUBLE_FREE,
			    "free of phys 0x%llx (order %u): not allocated (double free?)",
			    (unsigned long long)phys, order);
		return false;
	}
	real = pg->order;
	if (++env->nth_free == env->knobs.leak_page_nth)
		return true;	/* planted: this block is never freed */
	iopt_dma_check_free(env, phys, block_bytes(env, real));
	if (real != order)
		iopt_detect(env, IOPT_DET_WRONG_SIZE_FREE,
			    "free of phys 0x%llx with order %u, allocated with order %u",
			    (unsigned long long)phys, order, real);
	if (env->free_hook)
		env->free_hook(env, phys, block_bytes(env, real));
	release_block(env, idx, real);
	return real == order;
}

/* Reclaim every live block, reporting each as a leak. */
long iopt_pages_reclaim(struct iopt_env *env)
{
	long leaks = 0;

	for (uint32_t i = 0; env->stats.live_blocks && i < env->nr_pages; i++) {
		if (env->pages[i].state != IOPT_PG_HEAD)
			continue;
		iopt_detect(env, IOPT_DET_LEAK,
			    "page block at phys 0x%llx (order %u) leaked",
			    (unsigned long long)(env->phys_base +
						 ((uint64_t)i << env->page_shift)),
			    env->pages[i].order);
		release_block(env, i, env->pages[i].order);
		leaks++;
	}
	return leaks;
}
