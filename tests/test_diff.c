// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-diff CASE [--coherent] [-v]: run a fixed program through the
 * differential executor, clean or with one planted bug; --coherent runs
 * it with a coherent walk (for trees where every non-coherent program
 * ends at a known upstream bug, tests/CMakeLists.txt). Exit 0 when clean or when a
 * known upstream bug ends it ("known:<id>" on stdout), 1 on a divergence
 * (the report is on stderr, the signature on stdout), 2 for an unknown
 * case. tests/CMakeLists.txt says which signature each case must
 * give.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "exec.h"

/*
 * 4K stage 2, ias/oas 48, non-coherent: maps, a block, unmaps. Stage 2, so
 * that the hyp port of a split tree (ARM_64_LPAE_S2 only) runs it too.
 */
static const uint8_t prog_s2[] = {
	3, 0, 5, 5, 0, 1, 0, 0,
	0, 0x01, 0x02, 0, 0x03, 0x03,	/* map 4 pages RW */
	0, 0x21, 0x22, 1, 0x00, 0x07,	/* map a 2M block RW|CACHE */
	1, 0x01, 0, 0x01, 0x01,		/* unmap 2 pages, with a gather */
	2, 0x03, 0x00,			/* iova_to_phys */
	1, 0x21, 1, 0x00, 0x00,		/* unmap the block */
};

/*
 * 64K stage 2, ias 44, non-coherent: tables are order 4 with 4K pages,
 * and the concatenated PGD (4 x 64K) is order 2 even with 64K pages.
 */
static const uint8_t prog_s2_64k[] = {
	3, 2, 4, 4, 0, 1, 0, 0,
	0, 0x01, 0x01, 0, 0x00, 0x03,	/* map one 64K page */
	0, 0x41, 0x05, 0, 0x01, 0x03,	/* and two more elsewhere */
	0, 0xe1, 0x05, 0, 0x00, 0x03,	/* one at the top: the PGD's end */
	1, 0x01, 0, 0x00, 0x00,
};

/* 4K stage 1, coherent: a device reads a page, which is then unmapped. */
static const uint8_t prog_tlb[] = {
	2, 0, 5, 5, 0, 0, 0, 0,
	0, 0x01, 0x01, 0, 0x03, 0x03,	/* map 4 pages RW */
	5, 0x01, 0x00, 0x00,		/* the device reads the first */
	1, 0x01, 0, 0x00, 0x01,		/* unmap it, gather not queued */
	5, 0x01, 0x00, 0x00,		/* the device must fault now */
};

/* ... a page whose leaf table is then freed by a 2M unmap (stage 2). */
static const uint8_t prog_walk[] = {
	3, 0, 5, 5, 0, 0, 0, 0,
	0, 0x01, 0x01, 0, 0x00, 0x03,	/* map one page in the first 2M */
	5, 0x01, 0x00, 0x00,		/* the device walks to it */
	1, 0x00, 1, 0x00, 0x01,		/* unmap 2M: frees the leaf table */
	5, 0x01, 0x00, 0x00,
};

/* 4K stage 1, NS, non-coherent: leaves NS, tables NSTable. */
static const uint8_t prog_ns[] = {
	2, 0, 5, 5, 0x01, 1, 0, 0,
	0, 0x01, 0x01, 0, 0x03, 0x03,	/* map 4 pages RW */
	0, 0x41, 0x21, 1, 0x00, 0x03,	/* a 2M block elsewhere */
	1, 0x01, 0, 0x01, 0x01,		/* unmap 2 pages */
};

/* 4K stage 1, HD, coherent: a device writes a page, which reads dirty. */
static const uint8_t prog_dirty[] = {
	2, 0, 5, 5, 0x08, 0, 0, 0,
	0, 0x01, 0x01, 0, 0x03, 0x03,	/* map 4 pages RW */
	5, 0x02, 0x00, 0x01,		/* the device writes the second */
	3, 0x01, 0, 0x03, 0x00,		/* read and clear the 4 pages */
	3, 0x01, 0, 0x03, 0x00,		/* clean now */
};

/* 4K stage 2, coherent: the IOMMU's caches outlive a re-create. */
static const uint8_t prog_recreate[] = {
	3, 0, 5, 5, 0, 0, 0, 0,
	0, 0x01, 0x01, 0, 0x03, 0x03,	/* map 4 pages RW */
	5, 0x01, 0x00, 0x00,		/* the device reads the first */
	4,				/* free_io_pgtable_ops, alloc again */
	5, 0x01, 0x00, 0x00,		/* the device must fault now */
};

/* ... the same, no device ever walking it. */
static const uint8_t prog_free[] = {
	3, 0, 5, 5, 0, 0, 0, 0,
	0, 0x01, 0x01, 0, 0x00, 0x03,	/* map one page in the first 2M */
	1, 0x00, 1, 0x00, 0x01,		/* unmap 2M: frees the leaf table */
};

/* Non-coherent: each fault kind, a failed map, a failed split. */
static const uint8_t prog_faults[] = {
	2, 0, 5, 5, 0, 1, 0, 0,
	6, 0, 1,			/* the 2nd table allocation fails */
	0, 0x01, 0x01, 0, 0x03, 0x03,	/* -ENOMEM, the L1 table stays */
	0, 0x01, 0x01, 0, 0x03, 0x03,	/* now it maps */
	6, 1, 0,			/* dma_map_single fails */
	0, 0x41, 0x01, 0, 0x00, 0x03,
	6, 2, 0,			/* the DMA address is not the phys */
	0, 0x41, 0x01, 0, 0x00, 0x03,
	0, 0x41, 0x01, 0, 0x00, 0x03,	/* maps */
	5, 0x41, 0x00, 0x00,
	0, 0x60, 0x01, 1, 0x00, 0x03,	/* a 2M block */
	6, 0, 0,
	1, 0x60, 0, 0x00, 0x01,		/* its split fails: 0, the block stays */
	5, 0x60, 0x00, 0x00,
	1, 0x41, 0, 0x00, 0x01,
};

/* ARM_32_S1 with ias 32: a 32-byte PGD; cfg->alloc aligns it exactly. */
static const uint8_t prog_small_pgd[] = {
	0, 0, 0, 0, 0, 0, 1, 0,
	0, 0x01, 0x01, 0, 0x00, 0x03,
};

struct test_case {
	const char *name;
	const uint8_t *prog;
	size_t len;
	struct iopt_run_opts opts;
};

#define PROG(p)	.prog = p, .len = sizeof(p)

static const struct test_case cases[] = {
	{ "clean", PROG(prog_s2) },
	{ "clean-strict", PROG(prog_s2), .opts.strict_known = true },
	{ "clean-64k", PROG(prog_s2_64k) },
	{ "clean-tlb", PROG(prog_tlb) },
	{ "clean-walk", PROG(prog_walk) },
	{ "clean-faults", PROG(prog_faults) },
	{ "clean-dirty", PROG(prog_dirty) },
	{ "clean-ns", PROG(prog_ns) },
	{ "clean-recreate", PROG(prog_recreate) },
	{ "clean-free", PROG(prog_free) },
	/* clean, or a known bug of trees before the 64-byte PGD minimum */
	{ "small-pgd", PROG(prog_small_pgd) },
	{ "small-pgd-strict", PROG(prog_small_pgd), .opts.strict_known = true },
	/* differences between the builds */
	{ "drop-cmo", PROG(prog_s2), .opts.knobs[IOPT_ROLE_HYP].drop_cmo_nth = 3 },
	{ "pool-short", PROG(prog_s2_64k), .opts.knobs[IOPT_ROLE_HYP].pool_order_short = 1 },
	{ "leak-slab", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].leak_slab_nth = 1 },
	{ "prot-flip", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].prot_flip = true },
	{ "short-cmo-hyp", PROG(prog_s2), .opts.knobs[IOPT_ROLE_HYP].short_cmo_nth = 2 },
	/* a tlb_add_page made a full flush: safe, but the callbacks differ */
	{ "widen-add-page-hyp", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].widen_add_page_nth = 1 },
	/* a lost tlb_add_page of a page no device used: stale all the same */
	{ "skip-add-page-hyp", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].skip_add_page_nth = 1 },
	/* bugs both builds share, against the model of the hardware */
	{ "skip-cmo-kernel", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].drop_cmo_nth = 3 },
	{ "skip-cmo-hyp", PROG(prog_s2), .opts.knobs[IOPT_ROLE_HYP].drop_cmo_nth = 3 },
	{ "short-cmo-kernel", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].short_cmo_nth = 3 },
	{ "skip-add-page", PROG(prog_tlb), .opts.drv_plant[IOPT_ROLE_KERNEL].skip_add_page_nth = 1 },
	{ "skip-flush-walk", PROG(prog_walk), .opts.drv_plant[IOPT_ROLE_HYP].skip_flush_walk_nth = 1 },
	{ "skip-flush-walk-unused", PROG(prog_free), .opts.drv_plant[IOPT_ROLE_KERNEL].skip_flush_walk_nth = 1 },
	/* the walk flush after the table's free: clean once the op is over */
	{ "defer-flush-walk", PROG(prog_free), .opts.drv_plant[IOPT_ROLE_HYP].defer_flush_walk_nth = 1 },
	{ "leak-table-kernel", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].leak_page_nth = 1 },
	{ "leak-table-hyp", PROG(prog_s2), .opts.knobs[IOPT_ROLE_HYP].leak_page_nth = 1 },
	{ "misalign-kernel", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].misalign_nth = 1 },
	{ "misalign-hyp", PROG(prog_s2), .opts.knobs[IOPT_ROLE_HYP].misalign_nth = 2 },
	/* one per check kind the ones above do not reach */
	{ "fail-alloc-pgd", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].fail_alloc_nth = 1 },
	{ "fail-alloc-table", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].fail_alloc_nth = 2 },
	{ "map-twice", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_KERNEL].map_twice = true },
	{ "narrow-pgsizes", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].narrow_pgsizes = true },
	{ "i2p-page-only", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].i2p_page_only = true },
	{ "skip-dirty", PROG(prog_dirty), .opts.drv_plant[IOPT_ROLE_KERNEL].skip_dirty_nth = 1 },
	{ "table-bit", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].table_bit = 57 },
	/* ... and the in-place image walk blind to it: the built images see it */
	{ "table-bit-selfcheck", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].table_bit = 57,
	  .opts.plant_image_same = true },
	/* the PoC check's tables, listed by the model check's walk, one short */
	{ "list-selfcheck", PROG(prog_s2), .opts.plant_list_short = true },
	/* NSTable where the configuration has no NS */
	{ "table-ns-bit", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_KERNEL].table_bit = 63 },
	/* ... and where it has: NSTable cleared (bit 63 flipped) */
	{ "table-ns-lost", PROG(prog_ns), .opts.drv_plant[IOPT_ROLE_KERNEL].table_bit = 63 },
	/* a fatal detection in the kernel code: reported with the op trace */
	{ "table-addr-bit", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_KERNEL].table_bit = 46 },
	{ "leak-table-early", PROG(prog_walk), .opts.knobs[IOPT_ROLE_KERNEL].leak_page_nth = 1 },
	{ "skip-flush-all", PROG(prog_recreate), .opts.drv_plant[IOPT_ROLE_KERNEL].skip_flush_all_nth = 1 },
	/* a CMO of a negative length: a detection, not a sanitizer's crash */
	{ "neg-cmo", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].neg_cmo_nth = 3 },
};

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "clean";
	const struct test_case *t = NULL;
	struct iopt_run_opts opts;
	uint8_t prog[256];
	bool verbose = false;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(cases[i].name, c))
			t = &cases[i];
	if (!t) {
		fprintf(stderr, "test-diff: unknown case '%s'\n", c);
		return 2;
	}
	if (t->len > sizeof(prog)) {
		fprintf(stderr, "test-diff: case '%s' is longer than %zu bytes\n", c, sizeof(prog));
		return 2;
	}
	memcpy(prog, t->prog, t->len);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--coherent"))
			prog[5] &= ~1;	/* header byte 5, bit 0: non-coherent */
		else
			verbose = true;
	}
	opts = t->opts;
	opts.verbose = verbose;
	switch (iopt_run(prog, t->len, &opts)) {
	case IOPT_CLEAN:
		printf("test-diff %s: clean\n", c);
		return 0;
	case IOPT_KNOWN:
		printf("test-diff %s: %s\n", c, iopt_run_stats()->last_signature);
		return 0;
	default:
		printf("test-diff %s: %s\n", c, iopt_run_stats()->last_signature);
		return 1;
	}
}
