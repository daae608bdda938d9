// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-diff CASE: run a fixed program through the differential executor,
 * clean or with one planted bug. Exit 0 when clean, 1 on a divergence
 * (the report and its signature line are on stderr).
 *
 *   clean          no knob: must stay silent
 *   drop-cmo       the hyp port skips one cache clean
 *   pool-short     the hyp pool hands out one order too small
 *   leak-slab      the kernel port loses one kfree
 *   prot-flip      the hyp build sees IOMMU_CACHE flipped
 */
#include <stdio.h>
#include <string.h>

#include "exec.h"

/* 4K stage 1, ias/oas 48, non-coherent: maps, a block, unmaps. */
static const uint8_t prog_s1[] = {
	2, 0, 5, 5, 0, 1, 0, 0,
	0, 0x01, 0x02, 0, 0x03, 0x03,	/* map 4 pages RW */
	0, 0x21, 0x22, 1, 0x00, 0x07,	/* map a 2M block RW|CACHE */
	1, 0x01, 0, 0x01, 0x01,		/* unmap 2 pages, with a gather */
	2, 0x03, 0x00,			/* iova_to_phys */
	1, 0x21, 1, 0x00, 0x00,		/* unmap the block */
};

/* 64K stage 2, non-coherent: tables are order 4 with 4K pages. */
static const uint8_t prog_s2_64k[] = {
	3, 2, 5, 5, 0, 1, 0, 0,
	0, 0x01, 0x01, 0, 0x00, 0x03,	/* map one 64K page */
	0, 0x41, 0x05, 0, 0x01, 0x03,	/* and two more elsewhere */
	1, 0x01, 0, 0x00, 0x00,
};

int main(int argc, char **argv)
{
	struct iopt_run_opts opts = { 0 };
	const uint8_t *prog = prog_s1;
	size_t len = sizeof(prog_s1);
	const char *c = argc > 1 ? argv[1] : "clean";

	if (!strcmp(c, "drop-cmo")) {
		opts.hyp_knobs.drop_cmo_nth = 3;
	} else if (!strcmp(c, "pool-short")) {
		opts.hyp_knobs.pool_order_short = 1;
		prog = prog_s2_64k;
		len = sizeof(prog_s2_64k);
	} else if (!strcmp(c, "leak-slab")) {
		opts.kernel_knobs.leak_slab_nth = 1;
	} else if (!strcmp(c, "prot-flip")) {
		opts.hyp_prot_flip = true;
	} else if (!strcmp(c, "clean-64k")) {
		prog = prog_s2_64k;
		len = sizeof(prog_s2_64k);
	} else if (strcmp(c, "clean")) {
		fprintf(stderr, "test-diff: unknown case '%s'\n", c);
		return 2;
	}
	opts.verbose = argc > 2;
	if (iopt_run(prog, len, &opts) == IOPT_CLEAN) {
		printf("test-diff %s: clean\n", c);
		return 0;
	}
	printf("test-diff %s: %s\n", c, iopt_run_stats()->last_signature);
	return 1;
}
