// SPDX-License-Identifier: GPL-2.0-only
/*
 * The common runtime's detections, each triggered on purpose, and the
 * properties the harness relies on: natural alignment, zeroed pages,
 * deterministic layout after reset, complete logs.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sanitizer/asan_interface.h>

#include <iopt/env.h>
#include "check.h"

#define PHYS_BASE	0x40000000ULL
#define ARENA		(16ULL << 20)

static struct iopt_env env;

static void fresh(void)
{
	iopt_env_reset(&env);
	env.detect_policy = IOPT_POLICY_COUNT;
}

/* Expect exactly one new detection of this kind from the last step. */
static bool detected(enum iopt_detect kind, unsigned long before)
{
	return iopt_detect_count(&env, kind) == before + 1;
}

/* Run fn in a child; true if it aborted and said what we expect. */
static bool dies_saying(void (*fn)(void), const char *needle)
{
	char buf[512] = { 0 };
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return false;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT &&
	       strstr(buf, needle);
}

static void touch_stack_address(void)
{
	int x;

	iopt_virt_to_phys(&env, &x);
}

static void touch_bad_phys(void)
{
	iopt_phys_to_virt(&env, PHYS_BASE + ARENA);
}

static void call_bad_phys(void *arg)
{
	touch_bad_phys();
	*(bool *)arg = true;	/* not reached */
}

static void test_outside_arena(void)
{
	unsigned long n = iopt_detect_count(&env, IOPT_DET_OUTSIDE_ARENA);
	bool returned = false;
	char where[64];

	CHECK(dies_saying(touch_stack_address, "outside-arena"));
	CHECK(dies_saying(touch_bad_phys, "outside-arena"));
	/* in a guarded call (the kernel code): a detection, the call left */
	CHECK(!iopt_guarded(call_bad_phys, &returned, where, sizeof(where)));
	CHECK(!returned);
	CHECK(detected(IOPT_DET_OUTSIDE_ARENA, n));
	fresh();
}

static void test_bijection_and_alignment(void)
{
	for (unsigned int order = 0; order <= 4; order++) {
		uint8_t *p = iopt_pages_alloc(&env, order, 0, -1);
		uint64_t pa = iopt_virt_to_phys(&env, p);
		uint64_t base, size;

		CHECK(p != NULL);
		CHECK(pa != (uint64_t)(uintptr_t)p);
		CHECK_EQ(pa & ((4096ULL << order) - 1), 0);
		CHECK(iopt_phys_to_virt(&env, pa + 100) == p + 100);
		CHECK(iopt_phys_lookup(&env, pa + 4095, &base, &size) == p);
		CHECK_EQ(base, pa);
		CHECK_EQ(size, 4096ULL << order);
		CHECK(p[0] == 0 && p[(4096 << order) - 1] == 0);
		memset(p, 0xff, 4096 << order);
		CHECK(iopt_pages_free(&env, p, order));
	}
	CHECK_EQ(env.report_total, 0);
}

static void test_page_free_errors(void)
{
	unsigned long n;
	uint8_t *p = iopt_pages_alloc(&env, 2, 0, -1);

	n = iopt_detect_count(&env, IOPT_DET_BAD_FREE);
	iopt_pages_free(&env, p + 4096, 0);
	CHECK(detected(IOPT_DET_BAD_FREE, n));

	n = iopt_detect_count(&env, IOPT_DET_WRONG_SIZE_FREE);
	iopt_pages_free(&env, p, 1);
	CHECK(detected(IOPT_DET_WRONG_SIZE_FREE, n));

	n = iopt_detect_count(&env, IOPT_DET_DOUBLE_FREE);
	iopt_pages_free(&env, p, 2);
	CHECK(detected(IOPT_DET_DOUBLE_FREE, n));
	CHECK_EQ(env.stats.live_pages, 0);
}

static void test_free_page_written(void)
{
	uint8_t *p = iopt_pages_alloc(&env, 0, 0, -1);
	unsigned long n = iopt_detect_count(&env, IOPT_DET_FREE_PAGE_WRITTEN);

	iopt_pages_free(&env, p, 0);
	/* A stray write to the free page (ASan would stop it first). */
	ASAN_UNPOISON_MEMORY_REGION(p, 4096);
	p[123] = 1;
	p = iopt_pages_alloc(&env, 0, 0, -1);
	CHECK(detected(IOPT_DET_FREE_PAGE_WRITTEN, n));
	CHECK(p[123] == 0);
	iopt_pages_free(&env, p, 0);
}

static void test_slab(void)
{
	unsigned long n = iopt_detect_count(&env, IOPT_DET_DOUBLE_FREE);
	uint8_t *o = iopt_slab_alloc(&env, 100, 0, false);
	uint8_t *z = iopt_slab_alloc(&env, 100, 0, true);

	CHECK(o[0] == 0x5a && o[99] == 0x5a);
	CHECK(z[0] == 0 && z[99] == 0);
	CHECK_EQ(env.stats.live_slab, 2);
	iopt_slab_free(&env, o);
	iopt_slab_free(&env, o);
	CHECK(detected(IOPT_DET_DOUBLE_FREE, n));
	iopt_slab_free(&env, z);
	iopt_slab_free(&env, NULL);
	CHECK_EQ(env.stats.live_slab, 0);
}

static void test_dma(void)
{
	uint8_t *p = iopt_pages_alloc(&env, 0, 0, -1);
	uint64_t pa = iopt_virt_to_phys(&env, p);
	unsigned long n;
	uint64_t dma;

	n = iopt_detect_count(&env, IOPT_DET_DMA_BAD_SYNC);
	iopt_dma_sync(&env, pa, 8);
	CHECK(detected(IOPT_DET_DMA_BAD_SYNC, n));

	dma = iopt_dma_map(&env, iopt_virt_to_phys(&env, p), 4096);
	CHECK_EQ(dma, pa);
	n = iopt_detect_count(&env, IOPT_DET_DMA_UNCHECKED);
	iopt_dma_sync(&env, dma + 8, 16);
	CHECK(detected(IOPT_DET_DMA_UNCHECKED, n));

	n = iopt_detect_count(&env, IOPT_DET_DMA_BAD_SYNC);
	iopt_dma_sync(&env, dma + 4090, 16);
	CHECK(detected(IOPT_DET_DMA_BAD_SYNC, n));

	n = iopt_detect_count(&env, IOPT_DET_FREE_WHILE_MAPPED);
	iopt_pages_free(&env, p, 0);
	CHECK(detected(IOPT_DET_FREE_WHILE_MAPPED, n));

	n = iopt_detect_count(&env, IOPT_DET_DMA_BAD_UNMAP);
	iopt_dma_unmap(&env, dma, 8);
	CHECK(detected(IOPT_DET_DMA_BAD_UNMAP, n));
	n = iopt_detect_count(&env, IOPT_DET_DMA_BAD_UNMAP);
	iopt_dma_unmap(&env, dma, 4096);
	CHECK(detected(IOPT_DET_DMA_BAD_UNMAP, n));
	CHECK_EQ(env.stats.live_dma_maps, 0);
}

static void test_dma_clean_path_and_cmo_log(void)
{
	uint8_t *p = iopt_pages_alloc(&env, 0, 0, -1);
	uint64_t pa = iopt_virt_to_phys(&env, p);
	uint64_t dma = iopt_dma_map(&env, iopt_virt_to_phys(&env, p), 4096);

	CHECK(!iopt_dma_mapping_error(&env, dma));
	iopt_dma_sync(&env, dma + 64, 8);
	iopt_dma_unmap(&env, dma, 4096);
	iopt_pages_free(&env, p, 0);
	CHECK_EQ(env.report_total, 0);
	CHECK_EQ(env.cmo_n, 2);
	CHECK_EQ(env.cmo_log[0].phys, pa);
	CHECK_EQ(env.cmo_log[0].len, 4096);
	CHECK_EQ(env.cmo_log[0].via, IOPT_VIA_DMA_MAP);
	CHECK_EQ(env.cmo_log[1].phys, pa + 64);
	CHECK_EQ(env.cmo_log[1].len, 8);
	CHECK_EQ(env.cmo_log[1].kind, IOPT_CMO_CLEAN);
}

/* A clean publishes the CPU's lines; an invalidate drops them. */
static void test_cmo_clean_and_invalidate(void)
{
	uint64_t *p = iopt_pages_alloc(&env, 0, 0, -1);
	uint64_t pa = iopt_virt_to_phys(&env, p), base, size;
	const uint64_t *poc = iopt_phys_lookup_poc(&env, pa, &base, &size);

	CHECK(poc != NULL);
	CHECK_EQ(poc[0], IOPT_POC_STALE);
	p[0] = 0x11;
	p[8] = 0x33;				/* the next line */
	iopt_cmo(&env, pa, 8, IOPT_CMO_CLEAN, IOPT_VIA_ARCH_SYNC);
	CHECK_EQ(poc[0], 0x11);
	CHECK_EQ(poc[8], IOPT_POC_STALE);	/* not covered */
	p[0] = 0x22;				/* dirty in the cache only */
	iopt_cmo(&env, pa + 4, 4, IOPT_CMO_INVAL, IOPT_VIA_ARCH_SYNC);
	CHECK_EQ(p[0], 0x11);			/* the whole line was dropped */
	CHECK_EQ(p[8], 0x33);
	CHECK_EQ(env.cmo_n, 2);
	CHECK_EQ(env.cmo_log[1].kind, IOPT_CMO_INVAL);
	CHECK_EQ(env.cmo_log[1].via, IOPT_VIA_ARCH_SYNC);
	p[8] = 0;
	iopt_pages_free(&env, p, 0);
}

/*
 * Bad arguments from the kernel code: cache maintenance whose length went
 * negative (an entry count that did), or of memory outside the arena, is
 * a detection, and nothing is touched (under ASan, no CHECK failure);
 * a DMA sync of a negative length is a bad sync as well.
 */
static void test_bad_cmo(void)
{
	uint64_t *p = iopt_pages_alloc(&env, 0, 0, -1);
	uint64_t pa = iopt_virt_to_phys(&env, p), base, size, dma;
	const uint64_t *poc = iopt_phys_lookup_poc(&env, pa, &base, &size);
	unsigned long n = iopt_detect_count(&env, IOPT_DET_BAD_CMO), s;

	p[0] = 0x11;
	iopt_cmo(&env, pa, -(uint64_t)16, IOPT_CMO_CLEAN, IOPT_VIA_FLUSH);
	CHECK(detected(IOPT_DET_BAD_CMO, n));
	CHECK_EQ(poc[0], IOPT_POC_STALE);
	CHECK_EQ(env.cmo_n, 0);
	iopt_cmo(&env, PHYS_BASE + ARENA - 64, 128, IOPT_CMO_CLEAN, IOPT_VIA_FLUSH);
	CHECK(detected(IOPT_DET_BAD_CMO, n + 1));
	iopt_cmo(&env, PHYS_BASE - 4096, 64, IOPT_CMO_INVAL, IOPT_VIA_FLUSH);
	CHECK(detected(IOPT_DET_BAD_CMO, n + 2));
	dma = iopt_dma_map(&env, pa, 4096);
	CHECK(!iopt_dma_mapping_error(&env, dma));
	s = iopt_detect_count(&env, IOPT_DET_DMA_BAD_SYNC);
	iopt_dma_sync(&env, dma + 64, -(size_t)8);
	CHECK(detected(IOPT_DET_DMA_BAD_SYNC, s));
	CHECK(detected(IOPT_DET_BAD_CMO, n + 3));
	/* planted: the Nth CMO's length negated */
	env.knobs.neg_cmo_nth = env.nth_cmo + 1;
	iopt_cmo(&env, pa, 64, IOPT_CMO_CLEAN, IOPT_VIA_FLUSH);
	CHECK(detected(IOPT_DET_BAD_CMO, n + 4));
	CHECK_EQ(env.cmo_n, 1);		/* the DMA map's clean only */
	iopt_dma_unmap(&env, dma, 4096);
	p[0] = 0;
	iopt_pages_free(&env, p, 0);
}

/*
 * The kernel's struct page of each page: writable storage, the head page
 * of the block, zeroed when the block is freed; the order of the planted
 * misaligned block is the order asked for.
 */
static void test_kpages(void)
{
	uint8_t *p = iopt_pages_alloc(&env, 2, 0, -1), *q;
	uint8_t *head = iopt_va_kpage(&env, p);
	uint8_t *tail = iopt_va_kpage(&env, p + 3 * 4096 + 100);

	CHECK_EQ(tail - head, 3 * IOPT_KPAGE_SIZE);
	CHECK(iopt_kpage_head(&env, tail) == head);
	CHECK(iopt_kpage_va(&env, tail) == p + 3 * 4096);
	CHECK_EQ(iopt_pages_order(&env, p), 2);
	CHECK_EQ(iopt_pages_order(&env, p + 4096), -1);
	memset(head, 0xee, IOPT_KPAGE_SIZE);
	iopt_pages_free(&env, p, 2);
	CHECK_EQ(head[0] | head[IOPT_KPAGE_SIZE - 1], 0);
	CHECK(iopt_kpage_head(&env, tail) == NULL);

	env.knobs.misalign_nth = env.nth_alloc + 1;
	q = iopt_pages_alloc(&env, 1, 0, -1);
	CHECK_EQ((uintptr_t)q & 4095, 8);
	CHECK_EQ(iopt_pages_order(&env, q), 1);
	CHECK_EQ(iopt_pages_order(&env, q - 8), -1);
	CHECK(iopt_kpage_va(&env, iopt_va_kpage(&env, q)) == q);
	CHECK(iopt_pages_free(&env, q, 1));
	CHECK_EQ(env.report_total, 0);
}

static void test_knobs(void)
{
	uint8_t *p;

	env.knobs.fail_alloc_nth = 2;
	p = iopt_pages_alloc(&env, 0, 0, -1);
	CHECK(p != NULL);
	CHECK(iopt_pages_alloc(&env, 0, 0, -1) == NULL);
	CHECK_EQ(env.stats.alloc_failures, 1);
	iopt_pages_free(&env, p, 0);

	env.knobs.dma_offset = 0x1000;
	p = iopt_pages_alloc(&env, 0, 0, -1);
	CHECK_EQ(iopt_dma_map(&env, iopt_virt_to_phys(&env, p), 64), iopt_virt_to_phys(&env, p) + 0x1000);
	env.knobs.fail_dma_map_nth = 2;
	CHECK(iopt_dma_mapping_error(&env, iopt_dma_map(&env, iopt_virt_to_phys(&env, p), 64)));
	iopt_dma_unmap(&env, iopt_virt_to_phys(&env, p) + 0x1000, 64);
	iopt_pages_free(&env, p, 0);
	CHECK_EQ(env.report_total, 1);	/* the unchecked first map */
}

static void test_leaks_at_reset(void)
{
	void *p = iopt_pages_alloc(&env, 1, 0, -1);

	iopt_slab_alloc(&env, 32, 0, false);
	iopt_dma_map(&env, iopt_virt_to_phys(&env, p), 8192);
	CHECK_EQ(iopt_env_reset(&env), 3);
	CHECK_EQ(env.stats.live_pages, 0);
	CHECK_EQ(env.stats.live_slab, 0);
	CHECK_EQ(env.report_total, 0);	/* reset clears the reports it made */
}

static void alloc_pattern(uint64_t *out)
{
	void *a = iopt_pages_alloc(&env, 0, 0, -1);
	void *b = iopt_pages_alloc(&env, 3, 0, -1);
	void *c = iopt_pages_alloc(&env, 1, 0, -1);

	iopt_pages_free(&env, a, 0);
	out[0] = iopt_virt_to_phys(&env, b);
	out[1] = iopt_virt_to_phys(&env, c);
	out[2] = iopt_virt_to_phys(&env, iopt_pages_alloc(&env, 0, 0, -1));
}

static void test_deterministic_layout(void)
{
	uint64_t first[3], again[3];
	void *junk[5];

	alloc_pattern(first);
	iopt_env_reset(&env);
	for (int i = 0; i < 5; i++)
		junk[i] = iopt_pages_alloc(&env, i % 3, 0, -1);
	for (int i = 4; i >= 0; i -= 2)
		iopt_pages_free(&env, junk[i], i % 3);
	iopt_env_reset(&env);
	alloc_pattern(again);
	CHECK(!memcmp(first, again, sizeof(first)));
	CHECK_EQ(first[2], PHYS_BASE);	/* lowest free block first */
	iopt_env_reset(&env);
}

static void test_alloc_log_and_warn(void)
{
	void *p = iopt_pages_alloc(&env, 2, 0x123, 1);

	iopt_pages_free(&env, p, 2);
	CHECK_EQ(env.alloc_n, 2);
	CHECK_EQ(env.alloc_log[0].order, 2);
	CHECK_EQ(env.alloc_log[0].size, 16384);
	CHECK_EQ(env.alloc_log[0].align, 16384);
	CHECK_EQ(env.alloc_log[0].gfp, 0x123);
	CHECK_EQ(env.alloc_log[0].nid, 1);
	CHECK(env.alloc_log[1].free);

	iopt_env_warn(&env, "x.c", 10, "a");
	iopt_env_warn(&env, "x.c", 10, "a");
	iopt_env_warn(&env, "y.c", 3, "b");
	CHECK_EQ(env.warn_total, 3);
	CHECK_EQ(env.nr_warn_sites, 2);
	CHECK_EQ(env.warns[0].count, 2);
	CHECK_EQ(env.warns[1].line, 3);
}

/*
 * The allocation log holds 65,536 records a run (LOG_MAX, or knobs.log_max
 * for the tests) and counts the calls it could not log; a reset clears it.
 */
static void test_alloc_log_full(void)
{
	struct iopt_alloc_rec rec = { .kind = IOPT_ALLOC_PAGES, .size = 4096 };

	fresh();
	for (unsigned long i = 0; i < (1ul << 16) + 3; i++)
		iopt_log_alloc(&env, &rec);
	CHECK_EQ(env.alloc_n, 1ul << 16);
	CHECK_EQ(env.alloc_lost, 3);
	CHECK_EQ(env.cmo_lost, 0);
	fresh();
	CHECK_EQ(env.alloc_n, 0);
	CHECK_EQ(env.alloc_lost, 0);
	env.knobs.log_max = 2;
	for (int i = 0; i < 5; i++)
		iopt_log_alloc(&env, &rec);
	CHECK_EQ(env.alloc_n, 2);
	CHECK_EQ(env.alloc_lost, 3);
	fresh();
}

/* knobs.cmo_by_line: a CMO one cache line at a time, each logged */
static void test_cmo_by_line(void)
{
	uint8_t *p = iopt_pages_alloc(&env, 0, 0, -1);
	uint64_t pa = iopt_virt_to_phys(&env, p);

	env.knobs.cmo_by_line = 1;
	iopt_cmo(&env, pa + 8, 200, IOPT_CMO_CLEAN, IOPT_VIA_FLUSH);
	CHECK_EQ(env.cmo_n, 4);		/* 56 + 64 + 64 + 16 bytes */
	CHECK_EQ(env.cmo_log[0].len, 56);
	CHECK_EQ(env.cmo_log[1].phys, pa + 64);
	CHECK_EQ(env.cmo_log[3].len, 16);
	env.knobs.log_max = 3;
	iopt_cmo(&env, pa, 64, IOPT_CMO_CLEAN, IOPT_VIA_FLUSH);
	CHECK_EQ(env.cmo_n, 4);
	CHECK_EQ(env.cmo_lost, 1);
	iopt_pages_free(&env, p, 0);
	iopt_env_reset(&env);
	CHECK_EQ(env.cmo_lost, 0);
}

int main(void)
{
	if (iopt_env_init(&env, "test", PHYS_BASE, ARENA, 12)) {
		fprintf(stderr, "cannot set up the env\n");
		return 1;
	}
	env.detect_policy = IOPT_POLICY_COUNT;
	test_outside_arena();
	test_bijection_and_alignment();
	test_page_free_errors();
	fresh();
	test_free_page_written();
	fresh();
	test_slab();
	fresh();
	test_dma();
	fresh();
	test_dma_clean_path_and_cmo_log();
	fresh();
	test_cmo_clean_and_invalidate();
	fresh();
	test_bad_cmo();
	fresh();
	test_kpages();
	fresh();
	test_knobs();
	fresh();
	test_leaks_at_reset();
	test_deterministic_layout();
	test_alloc_log_and_warn();
	fresh();
	test_alloc_log_full();
	fresh();
	test_cmo_by_line();
	iopt_env_destroy(&env);
	return TEST_DONE();
}
