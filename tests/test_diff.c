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

/*
 * ... 300 pages, all dirty (writable under HD): read_and_clear_dirty
 * records 300 ranges, past the DIRTY_MAX compared one by one.
 */
static const uint8_t prog_dirty_long[] = {
	2, 0, 5, 5, 0x08, 0, 0, 0,
	0, 0x01, 0x01, 0, 0xf8, 0x03,	/* map 300 pages RW */
	3, 0x01, 0, 0xf8, 0x00,		/* read and clear the 300 */
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

/*
 * 4K stage 2, coherent: a 2M block a device reads, then unmapped whole
 * with a gather: its tlb_add_page's granule is the block's size.
 */
static const uint8_t prog_block[] = {
	3, 0, 5, 5, 0, 0, 0, 0,
	0, 0x20, 0x22, 1, 0x00, 0x07,	/* map a 2M block RW|CACHE at 1G */
	5, 0x21, 0x00, 0x00,		/* the device reads its second page */
	1, 0x20, 1, 0x00, 0x01,		/* unmap it, gather not queued */
	5, 0x21, 0x00, 0x00,		/* the device must fault now */
};

/*
 * ... one page of it unmapped: where the contract splits blocks, the
 * block goes with the page's granule; elsewhere a WARN and 0.
 */
static const uint8_t prog_split[] = {
	3, 0, 5, 5, 0, 0, 0, 0,
	0, 0x20, 0x22, 1, 0x00, 0x07,	/* map a 2M block RW|CACHE at 1G */
	5, 0x20, 0x00, 0x00,		/* the device reads its first page */
	1, 0x20, 0, 0x00, 0x01,		/* unmap that page, with a gather */
	5, 0x20, 0x00, 0x00,		/* a fault where the tree split it */
	5, 0x21, 0x00, 0x00,
};

/*
 * ... a 1G block a device reads, 2M of it unmapped: where the contract
 * splits blocks, the split's tlb_add_page has the 2M granule.
 */
static const uint8_t prog_split_1g[] = {
	3, 0, 5, 5, 0, 0, 0, 0,
	0, 0x20, 0x20, 2, 0x00, 0x07,	/* map a 1G block RW|CACHE at 1G */
	5, 0x20, 0x00, 0x00,		/* the device reads its first page */
	1, 0x20, 1, 0x00, 0x01,		/* unmap its first 2M, with a gather */
	5, 0x20, 0x00, 0x00,
};

/*
 * ... a split that fails half-way, the 1G block replaced by a table of 2M
 * blocks and nothing unmapped (no invalidation: the translations are the
 * same), then 2M of it unmapped: only the 2M leaf is invalidated.
 */
static const uint8_t prog_split_failed[] = {
	3, 0, 5, 5, 0, 0, 0, 0,
	0, 0x20, 0x20, 2, 0x00, 0x07,	/* map a 1G block RW|CACHE at 1G */
	5, 0x20, 0x00, 0x00,		/* the device reads its first page */
	6, 0, 1,			/* the 2nd table allocation fails */
	1, 0x20, 0, 0x00, 0x01,		/* unmap a page: 0 where it splits */
	1, 0x20, 1, 0x00, 0x01,		/* unmap the first 2M, with a gather */
};

/* ... two pages of a 2M block unmapped (two tlb_add_page where it splits). */
static const uint8_t prog_split_two[] = {
	3, 0, 5, 5, 0, 0, 0, 0,
	0, 0x20, 0x22, 1, 0x00, 0x07,	/* map a 2M block RW|CACHE at 1G */
	5, 0x20, 0x00, 0x00,		/* the device reads its first page */
	1, 0x20, 0, 0x01, 0x01,		/* unmap two pages, with a gather */
};

/* ... 300 pages no device used, unmapped with a gather. */
static const uint8_t prog_many[] = {
	3, 0, 5, 5, 0, 0, 0, 0,
	0, 0x20, 0x20, 0, 0xf8, 0x03,	/* map 300 pages RW at 1G */
	1, 0x20, 0, 0xf8, 0x01,		/* unmap them, gather not queued */
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

/*
 * Input format v3, extension bits 1 and 2: stage 2 asked for 4K|8K|1M|2M
 * (the kernel keeps 4K|2M), a raw ias of 41 (byte 14's top bits ignored)
 * and oas 40: a 4-entry level 0 concatenated into 4 level-1 tables.
 */
static const uint8_t prog_v3cfg[] = {
	3, 0, 0, 0, 0, 1, 0, 0x06,
	0x00, 0x30, 0x30, 0x00, 0x00, 0x00,	/* 0x303000, little-endian */
	0x80 | 41, 40,
	0, 0x01, 0x01, 0, 0x03, 0x03,	/* map 4 pages RW */
	0, 0x21, 0x22, 1, 0x00, 0x07,	/* map a 2M block RW|CACHE */
	0, 0xe1, 0x05, 0, 0x00, 0x03,	/* a page just below 2^41 */
	2, 0xe1, 0x10,			/* iova_to_phys there */
	1, 0x01, 0, 0x01, 0x01,		/* unmap 2 pages, with a gather */
	1, 0x21, 1, 0x00, 0x00,		/* unmap the block */
};

/*
 * Extension bit 5: a map of one page by an atomic caller (prot bit 6:
 * GFP_ATOMIC), which allocates three tables; the same map with GFP_KERNEL.
 */
static const uint8_t prog_atomic_map[] = {
	2, 0, 5, 5, 0, 0, 0, 0x20,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0x01, 0x01, 0, 0x00, 0x43,
};

static const uint8_t prog_kernel_map[] = {
	2, 0, 5, 5, 0, 0, 0, 0x20,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0x01, 0x01, 0, 0x00, 0x03,
};

/* A lookup first, on the empty tables: iova_to_phys; pgtable_walk (v3) */
static const uint8_t prog_i2p_first[] = {
	3, 0, 5, 5, 0, 1, 0, 0,
	2, 0x01, 0x00,
};

static const uint8_t prog_walk_first[] = {
	3, 0, 5, 5, 0, 0, 0, 0x10,
	0, 0, 0, 0, 0, 0, 0, 0,
	7, 0x01, 0x10,
};

/*
 * Extension bit 4: op 7, ops->pgtable_walk, over a page, a block, a hole
 * and the hole an unmap leaves (4K stage 2, coherent). A tree without the
 * op skips the walks as caller preconditions.
 */
static const uint8_t prog_v3walk[] = {
	3, 0, 5, 5, 0, 0, 0, 0x10,
	0, 0, 0, 0, 0, 0, 0, 0,		/* extension bytes, unused here */
	0, 0x01, 0x01, 0, 0x00, 0x03,	/* map a page RW */
	0, 0x20, 0x22, 1, 0x00, 0x07,	/* map a 2M block RW|CACHE at 1G */
	7, 0x01, 0x10,			/* walk to the page: level 3 */
	7, 0x20, 0x10,			/* to the block: level 2 */
	7, 0x41, 0x00,			/* into a hole at level 1 */
	1, 0x01, 0, 0x00, 0x01,		/* unmap the page */
	7, 0x01, 0x00,			/* into the hole at level 3 */
};

/*
 * Extension bit 3: fault ops fail alloc_io_pgtable_ops itself. The
 * leading one fails the initial creation's top table (its pgtable data
 * is freed again), the ops find no table until a re-create; a later one
 * fails a table of a map and then the next re-create's pgtable data.
 */
static const uint8_t prog_v3create[] = {
	3, 0, 5, 5, 0, 0, 0, 0x08,
	0, 0, 0, 0, 0, 0, 0, 0,
	6, 0x00, 0x01,			/* fault: the top table (nth 2) */
	0, 0x01, 0x01, 0, 0x03, 0x03,	/* no table: skipped */
	4,				/* re-create: it works */
	0, 0x01, 0x01, 0, 0x03, 0x03,	/* map 4 pages */
	6, 0x00, 0x00,			/* fault: the next allocation (nth 1) */
	0, 0x41, 0x01, 0, 0x00, 0x03,	/* a map needing a table: -ENOMEM */
	4,				/* re-create: the pgtable data fails */
	2, 0x01, 0x00,			/* no table: skipped */
	4,				/* re-create: it works */
	0, 0x01, 0x01, 0, 0x00, 0x03,
};

/*
 * Edge addresses (header extension bit 0), 64K stage 2 with 4T blocks,
 * ias 48, oas 52, coherent: leaves and blocks at the last PAs below 2^52
 * (PA bits 51:48 in descriptor bits 15:12), then what the kernel refuses.
 */
static const uint8_t prog_edge[] = {
	3, 6, 5, 6, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 0, 0,		/* extension bytes: unused */
	0, 0x01, 0xc1, 0, 0x03, 0x03,	/* 4 pages at 2^52 - 31 pages */
	5, 0x02, 0x10, 0x00,		/* a device reads the second */
	2, 0x03, 0x08,			/* iova_to_phys */
	0, 0x20, 0xdf, 1, 0x00, 0x03,	/* a 512M block: the last below 2^52 */
	0, 0x02, 0xdf, 2, 0x00, 0x03,	/* a 4T block (level 1): the last too */
	5, 0x20, 0x08, 0x01,		/* a device writes each */
	5, 0x40, 0x00, 0x00,
	0, 0x61, 0xe0, 0, 0x00, 0x03,	/* PA 2^52: -ERANGE, WARN */
	0, 0xc1, 0x01, 0, 0x00, 0x03,	/* IOVA 2^48 + 64K: -ERANGE, WARN */
	2, 0xc2, 0x08,			/* past ias: the IOVA the walk indexes */
	5, 0xc2, 0x00, 0x00,
	1, 0xc1, 0, 0x00, 0x01,		/* unmap past ias: 0, WARN */
	3, 0xc0, 0, 0x00, 0x00,		/* dirty past ias: -EINVAL, WARN */
	1, 0x01, 0, 0x03, 0x01,		/* unmap the pages and blocks */
	1, 0x20, 1, 0x00, 0x01,
	1, 0x02, 2, 0x00, 0x00,
};

/* ... 4K, ias and oas 48: an unmap past ias, with a page at the IOVA below. */
static const uint8_t prog_edge_unmap[] = {
	3, 0, 5, 5, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0x01, 0x01, 0, 0x00, 0x03,	/* one page at 4K */
	1, 0xc1, 0, 0x00, 0x01,		/* unmap 2^48 + 4K: 0, WARN */
	2, 0x01, 0x00,			/* still mapped */
};

/* Mali, 4K, ias/oas 32, coherent: one page. */
static const uint8_t prog_mali[] = {
	4, 0, 0, 0, 0, 0, 0, 0,
	0, 0x01, 0x01, 0, 0x00, 0x03,
};

/* 4K stage 2, ias 48, oas 36: a level-0 start with too small a PA size */
static const uint8_t prog_s2_pa[] = {
	3, 0, 5, 1, 0, 0, 0, 0,
	0, 0x01, 0x01, 0, 0x00, 0x03,
	1, 0x01, 0, 0x00, 0x01,
};

/* ... and Mali's top table from cfg->alloc */
static const uint8_t prog_mali_custom[] = {
	4, 0, 0, 0, 0, 0, 1, 0,
	0, 0x01, 0x01, 0, 0x00, 0x03,
};

struct test_case {
	const char *name;
	const uint8_t *prog;
	size_t len;
	struct iopt_run_opts opts;
};

#define PROG(p)	.prog = p, .len = sizeof(p)
/* planted in both builds alike: what no side-against-side list shows */
#define BOTH(f, v)	.opts.drv_plant[IOPT_ROLE_KERNEL].f = v, \
			.opts.drv_plant[IOPT_ROLE_HYP].f = v

static const struct test_case cases[] = {
	{ "clean", PROG(prog_s2) },
	{ "clean-strict", PROG(prog_s2), .opts.strict_known = true },
	{ "clean-64k", PROG(prog_s2_64k) },
	{ "clean-tlb", PROG(prog_tlb) },
	{ "clean-walk", PROG(prog_walk) },
	{ "clean-faults", PROG(prog_faults) },
	{ "clean-dirty", PROG(prog_dirty) },
	{ "clean-dirty-long", PROG(prog_dirty_long) },
	{ "clean-ns", PROG(prog_ns) },
	{ "clean-recreate", PROG(prog_recreate) },
	{ "clean-free", PROG(prog_free) },
	{ "clean-v3cfg", PROG(prog_v3cfg) },
	{ "clean-v3walk", PROG(prog_v3walk) },
	{ "clean-v3create", PROG(prog_v3create) },
	{ "clean-edge", PROG(prog_edge) },
	{ "clean-edge-unmap", PROG(prog_edge_unmap) },
	{ "clean-block", PROG(prog_block) },
	{ "clean-split", PROG(prog_split) },
	{ "clean-atomic", PROG(prog_atomic_map) },
	{ "clean-split-1g", PROG(prog_split_1g) },
	{ "clean-split-failed", PROG(prog_split_failed) },
	{ "clean-split-two", PROG(prog_split_two) },
	/* clean, or the known bug of trees that split blocks */
	{ "split-strict", PROG(prog_split), .opts.strict_known = true },
	{ "clean-many", PROG(prog_many) },
	{ "clean-mali", PROG(prog_mali) },
	/* known upstream bugs the config check finds: reported at the end */
	{ "s2-start-level", PROG(prog_s2_pa) },
	{ "s2-start-level-strict", PROG(prog_s2_pa), .opts.strict_known = true },
	{ "mali-cfg-alloc", PROG(prog_mali_custom) },
	{ "mali-cfg-alloc-strict", PROG(prog_mali_custom), .opts.strict_known = true },
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
	/* a block's tlb_add_page with a page's granule: the block stays cached */
	{ "add-page-granule", PROG(prog_block), .opts.drv_plant[IOPT_ROLE_KERNEL].add_page_granule_nth = 1 },
	{ "add-page-granule-hyp", PROG(prog_block), .opts.drv_plant[IOPT_ROLE_HYP].add_page_granule_nth = 1 },
	/* ... where blocks split: the split's lost, or of another granule */
	{ "skip-add-page-split", PROG(prog_split), .opts.drv_plant[IOPT_ROLE_KERNEL].skip_add_page_nth = 1 },
	{ "skip-add-page-split-two", PROG(prog_split_two), .opts.drv_plant[IOPT_ROLE_KERNEL].skip_add_page_nth = 2 },
	{ "add-page-granule-split", PROG(prog_split_1g), .opts.drv_plant[IOPT_ROLE_KERNEL].add_page_granule_nth = 1 },
	/* ... of the 100th page: beyond what the IOMMU model caches */
	{ "skip-add-page-late", PROG(prog_many), .opts.drv_plant[IOPT_ROLE_KERNEL].skip_add_page_nth = 100 },
	/* a walk flush over half the freed table: its pointer goes, not the rest */
	{ "flush-walk-short", PROG(prog_free), .opts.drv_plant[IOPT_ROLE_KERNEL].flush_walk_short_nth = 1 },
	/* ... or by the table's span as granule, not the table granule */
	{ "flush-walk-granule", PROG(prog_free), .opts.drv_plant[IOPT_ROLE_HYP].flush_walk_granule_nth = 1 },
	{ "leak-table-kernel", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].leak_page_nth = 1 },
	{ "leak-table-hyp", PROG(prog_s2), .opts.knobs[IOPT_ROLE_HYP].leak_page_nth = 1 },
	{ "misalign-kernel", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].misalign_nth = 1 },
	{ "misalign-hyp", PROG(prog_s2), .opts.knobs[IOPT_ROLE_HYP].misalign_nth = 2 },

	/* one per check kind the ones above do not reach */
	{ "fail-alloc-pgd", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].fail_alloc_nth = 1 },
	{ "fail-alloc-table", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].fail_alloc_nth = 2 },
	{ "map-twice", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_KERNEL].map_twice = true },
	{ "narrow-pgsizes", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].narrow_pgsizes = true },
	/* ... of a bitmap with stray sizes, whose largest the kernel keeps */
	{ "narrow-pgsizes-v3cfg", PROG(prog_v3cfg), .opts.drv_plant[IOPT_ROLE_HYP].narrow_pgsizes = true },
	{ "i2p-page-only", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].i2p_page_only = true },
	{ "skip-dirty", PROG(prog_dirty), .opts.drv_plant[IOPT_ROLE_KERNEL].skip_dirty_nth = 1 },
	/*
	 * the 36th of 300 ranges recorded one length up: their number
	 * unchanged (the kernel port's: an EL2 side may not build stage 1)
	 */
	{ "move-dirty-long", PROG(prog_dirty_long), .opts.drv_plant[IOPT_ROLE_KERNEL].move_dirty_nth = 36 },
	{ "walk-zero-l3", PROG(prog_v3walk), .opts.drv_plant[IOPT_ROLE_HYP].walk_zero_l3 = true },
	/* the pgtable data not freed when the top table's allocation fails */
	{ "leak-slab-v3create", PROG(prog_v3create), .opts.knobs[IOPT_ROLE_KERNEL].leak_slab_nth = 1 },
	{ "table-bit", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].table_bit = 57 },
	/* ... and the in-place image walk blind to it: the built images see it */
	{ "table-bit-selfcheck", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].table_bit = 57,
	  .opts.plant_image_same = true },
	/*
	 * the per-op in-place comparison of a range blind to a leaf the hyp
	 * side maps with IOMMU_CACHE flipped: the skipped model check, run
	 * besides, sees it; blind on clean tables, it stays silent
	 */
	{ "prot-flip-selfcheck", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].prot_flip = true,
	  .opts.plant_range_same = true },
	{ "clean-range-same", PROG(prog_s2), .opts.plant_range_same = true },
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
	/* at the edges: PA bits 51:48 lost; no range checks in map or unmap */
	{ "pa-hi-drop", PROG(prog_edge), .opts.drv_plant[IOPT_ROLE_KERNEL].edge_bug = IOPT_EDGE_PA_HI_DROP },
	{ "range-unchecked-map", PROG(prog_edge), .opts.drv_plant[IOPT_ROLE_HYP].edge_bug = IOPT_EDGE_UNCHECKED },
	{ "range-unchecked-unmap", PROG(prog_edge_unmap), .opts.drv_plant[IOPT_ROLE_KERNEL].edge_bug = IOPT_EDGE_UNCHECKED },
	/* a CMO of a negative length: a detection, not a sanitizer's crash */
	{ "neg-cmo", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].neg_cmo_nth = 3 },
	/* a table's allocation with its node and gfp swapped */
	{ "swap-node-gfp", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].swap_node_gfp_nth = 2 },
	/* the configuration alloc_io_pgtable_ops wrote back, one field corrupted */
	{ "cfg-t0sz", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_KERNEL].cfg_plant = IOPT_CFG_PLANT_T0SZ },
	{ "cfg-sl0-hyp", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_HYP].cfg_plant = IOPT_CFG_PLANT_SL0 },
	{ "cfg-mair", PROG(prog_tlb), .opts.drv_plant[IOPT_ROLE_KERNEL].cfg_plant = IOPT_CFG_PLANT_MAIR },
	{ "cfg-transtab", PROG(prog_mali), .opts.drv_plant[IOPT_ROLE_KERNEL].cfg_plant = IOPT_CFG_PLANT_TRANSTAB },
	/* a WARN at the end of the creation, of each iova_to_phys, of the free */
	{ "warn-alloc", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_KERNEL].warn_after = IOPT_WARN_ALLOC },
	{ "warn-i2p", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_KERNEL].warn_after = IOPT_WARN_IOVA_TO_PHYS },
	{ "warn-free", PROG(prog_s2), .opts.drv_plant[IOPT_ROLE_KERNEL].warn_after = IOPT_WARN_FREE },
	/*
	 * a new table's first clean done at the end of the map (both builds
	 * alike): its descriptor reaches the PoC first; a leaf's sync done
	 * late instead, silent (at the op's end all is clean either way)
	 */
	{ "late-clean", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].late_clean_nth = 2,
	  .opts.knobs[IOPT_ROLE_HYP].late_clean_nth = 2 },
	{ "late-clean-pte", PROG(prog_s2), .opts.knobs[IOPT_ROLE_KERNEL].late_clean_nth = 3,
	  .opts.knobs[IOPT_ROLE_HYP].late_clean_nth = 3 },
	/*
	 * a table allocation that may sleep (the gfp lost) for an atomic
	 * caller: a GFP_ATOMIC map's second page allocation (its first
	 * table); the same of a GFP_KERNEL map, silent; a split's (unmap)
	 */
	{ "sleep-alloc-map", PROG(prog_atomic_map), .opts.knobs[IOPT_ROLE_KERNEL].sleep_alloc_nth = 2 },
	{ "sleep-alloc-kernel-map", PROG(prog_kernel_map), .opts.knobs[IOPT_ROLE_KERNEL].sleep_alloc_nth = 2 },
	{ "sleep-alloc-split", PROG(prog_split), .opts.knobs[IOPT_ROLE_KERNEL].sleep_alloc_nth = 4 },
	/* iova_to_phys doing more than read, after the first op */
	{ "lookup-cmo", PROG(prog_s2), BOTH(lookup_effect, IOPT_LOOKUP_CMO) },
	{ "lookup-flush", PROG(prog_s2), BOTH(lookup_effect, IOPT_LOOKUP_FLUSH) },
	{ "lookup-alloc", PROG(prog_s2), BOTH(lookup_effect, IOPT_LOOKUP_ALLOC) },
	/* ... in the op itself, before any probe */
	{ "lookup-cmo-op", PROG(prog_i2p_first), BOTH(lookup_effect, IOPT_LOOKUP_CMO) },
	{ "lookup-flush-walk", PROG(prog_walk_first), BOTH(lookup_effect, IOPT_LOOKUP_FLUSH) },
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
