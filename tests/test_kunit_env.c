// SPDX-License-Identifier: GPL-2.0-only
/*
 * The environment checks of our KUnit shim (iopt/kunit.h), each made to
 * fail on purpose, and silent on a clean env: a DMA-mapped table the CPU
 * wrote and did not clean, a write to a bit the walker ignores, a
 * detection, a WARN the case does not declare, something left allocated.
 */
#include <stdio.h>
#include <string.h>

#include <iopt/env.h>
#include <iopt/kunit.h>
#include "check.h"

static struct iopt_env env;

static int poc(void)
{
	char why[320];

	return iopt_kunit_poc_check(&env, why, sizeof(why));
}

static int after(long warns, const char *needle)
{
	char why[320] = "";
	int r = iopt_kunit_env_check(&env, warns, why, sizeof(why));

	if (r && !strstr(why, needle))
		fprintf(stderr, "unexpected: %s\n", why);
	return r && strstr(why, needle);
}

int main(void)
{
	uint64_t *table, dma;

	CHECK(!iopt_env_init(&env, "kunit-env", 0x40000000ULL, 16ULL << 20, 12));
	env.detect_policy = IOPT_POLICY_COUNT;
	env.warn_policy = IOPT_POLICY_COUNT;
	CHECK(iopt_kunit_env_check(&env, 0, (char[64]){ 0 }, 64) == 0);

	/* a table mapped for the device: clean until the CPU writes it */
	table = iopt_pages_alloc(&env, 0, 0, -1);
	dma = iopt_dma_map(&env, iopt_virt_to_phys(&env, table), 4096);
	CHECK(!iopt_dma_mapping_error(&env, dma));
	CHECK(poc() == 0);
	table[5] = 0x40001003;
	CHECK(poc() == 1);
	iopt_dma_sync(&env, dma, 4096);
	CHECK(poc() == 0);
	table[5] |= 1ULL << 56;		/* software bits: the walker ignores them */
	CHECK(poc() == 0);

	/* left allocated: the DMA map and the page */
	CHECK(after(0, "left allocated: 1 page blocks, 0 slab objects, 1 DMA mappings"));
	iopt_dma_unmap(&env, dma, 4096);
	iopt_pages_free(&env, table, 0);
	CHECK(iopt_kunit_env_check(&env, 0, (char[64]){ 0 }, 64) == 0);

	/* WARNs: exactly as many as the case declares */
	iopt_env_warn(&env, "io-pgtable-arm.c", 42, "iopte_leaf(pte)");
	CHECK(after(0, "1 WARNs (the last: iopte_leaf(pte) at io-pgtable-arm.c:42), where the case expects 0"));
	CHECK(iopt_kunit_env_check(&env, 1, (char[64]){ 0 }, 64) == 0);
	CHECK(after(2, "where the case expects 2"));

	/* a detection of the runtime */
	iopt_detect(&env, IOPT_DET_BAD_FREE, "kfree of %p", (void *)8);
	CHECK(after(1, "the runtime detected"));

	iopt_env_reset(&env);
	CHECK(iopt_kunit_env_check(&env, 0, (char[64]){ 0 }, 64) == 0);
	return TEST_DONE();
}
