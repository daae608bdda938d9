// SPDX-License-Identifier: GPL-2.0-only
/*
 * The registry of known upstream bugs (known.h). Each predicate looks at
 * what was observed: the check that failed, the side it failed on, the
 * call the executor made, the side's env and its driver's state; never at
 * the tree's text.
 */
#include <string.h>

#include "config_check.h"
#include "known.h"
#include "model_cfg.h"
#include "run.h"

/* The side holds exactly its pgtable data struct, and nothing else. */
static bool holds_only_data(const struct side *s)
{
	const struct iopt_port_traits *t = s->port->traits;
	const struct iopt_env *e = s->port->env;

	return e->stats.live_slab == t->data_slab &&
	       e->stats.live_blocks == t->data_blocks &&
	       e->stats.live_dma_maps == 0 && e->report_total == 0 &&
	       t->data_slab + t->data_blocks > 0;
}

/*
 * arm_64_lpae_alloc_pgtable_s2() returns NULL after the WARN of a
 * concatenation that would need more than 16 tables, without freeing
 * data: the alloc is refused as predicted, then the side still holds the
 * data struct (a slab object, or the EL2 data page) and nothing else.
 */
static bool s2_concat_leak(const struct run *r, const struct side *s,
			   const char *check)
{
	return !strcmp(check, "teardown") && !strcmp(r->op_name, "alloc") &&
	       r->geom.rejected && r->geom.warn && holds_only_data(s);
}

/*
 * arm_lpae_iova_to_phys() on the generic walker: for iova ULONG_MAX the
 * walk's end (iova + 1) wraps to 0, nothing is walked, and the result is
 * built from uninitialised locals: a wrong translation, or UBSan's shift
 * check trapped in that call. arm_lpae_pgtable_walk() ends its walk the
 * same way: it returns 0 having written nothing.
 */
static bool iova_to_phys_wrap(const struct run *r, const struct side *s,
			      const char *check)
{
	const struct iopt_env *e = s->port->env;

	if (r->call.iova + 1 != 0)
		return false;
	/* arm_lpae_pgtable_walk()'s walk ends at iova + 1 too: nothing written */
	if (r->call.what == IOPT_CALL_WALK)
		return !strcmp(check, "walk") || !strcmp(check, "result");
	if (r->call.what != IOPT_CALL_IOVA_TO_PHYS)
		return false;
	if (!strcmp(check, "iova_to_phys") || !strcmp(check, "result"))
		return true;
	return !strcmp(check, "runtime") && e->report_total &&
	       e->reports[0].kind == IOPT_DET_UB && s->st.trapped &&
	       !strncmp(s->st.trap_where, "iova_to_phys,", 13);
}

/*
 * A top table under 64 bytes asked of cfg->alloc at its own size: an
 * allocator that aligns to the size asked for gives a TTBR the walker
 * cannot use (it needs 64-byte alignment). Fixed by the 64-byte minimum.
 */
static bool small_pgd_cfg_alloc(const struct run *r, const struct side *s,
				const char *check)
{
	const char *rule = config_rule(r, s);

	return (!strcmp(check, "tables") ||
		(!strcmp(check, "config") && rule && !strcmp(rule, "ttbr-align"))) &&
	       s->st.custom &&
	       s->st.first_custom_size && s->st.first_custom_size < 64 &&
	       (s->st.first_custom_pa & 63);
}

/*
 * A creation that failed at its top table (create_fault.c) after
 * cfg->alloc gave it: the side holds exactly that table's block, which
 * cfg->free refused, and nothing else.
 */
static bool failed_create_holds_refused_top(const struct run *r,
					    const struct side *s)
{
	const struct iopt_env *e = s->port->env;

	return !strcmp(r->op_name, "alloc") && r->no_table &&
	       e->stats.live_blocks == 1 && !e->stats.live_slab &&
	       !e->stats.live_dma_maps;
}

/*
 * ... and the fix of that asked for max(size, 64) but freed the top table
 * at its own size: cfg->free is given less than cfg->alloc was asked for
 * (at teardown, or where alloc_io_pgtable_ops frees the table it could
 * not use: its DMA mapping failed).
 */
static bool cfg_free_size(const struct run *r, const struct side *s,
			  const char *check)
{
	const struct iopt_env *e = s->port->env;

	return (!strcmp(check, "teardown") || !strcmp(check, "runtime") ||
		(!strcmp(check, "accounting") &&
		 failed_create_holds_refused_top(r, s))) &&
	       s->st.custom && s->st.bad_free_asked == 64 &&
	       s->st.bad_free_given < 64 && e->report_total &&
	       e->reports[0].kind == IOPT_DET_BAD_FREE;
}

/*
 * The PTE sync of the pKVM series' later form (v6) calls its base's
 * iommu_pages_flush_incoherent(), which on non-x86 passes the table's CPU
 * address as the DMA handle of dma_sync_single_for_device(): the handle
 * names no mapping and the new entries are not cleaned. Observed: the
 * first detection is that sync, and its handle, taken as a CPU address,
 * is memory that one live DMA mapping holds (the table the PTEs are in).
 */
static bool sync_cpu_address(const struct run *r, const struct side *s,
			     const char *check)
{
	struct iopt_env *e = s->port->env;
	const struct iopt_report *rep = &e->reports[0];
	const void *va = (const void *)(uintptr_t)rep->addr;

	return !strcmp(check, "runtime") && e->report_total &&
	       rep->kind == IOPT_DET_DMA_BAD_SYNC && iopt_virt_valid(e, va) &&
	       iopt_dma_covers(e, iopt_virt_to_phys(e, va) + e->knobs.dma_offset,
			       rep->len);
}

/*
 * The stage-2 walk starts at level 0 (4K granule) or level 1 (16K, 64K)
 * with an output size below what the architecture requires for that
 * start (AArch64.S2InvalidSL: a PA size of 44 bits; 42 for 16K at level
 * 1): the kernel concatenates (or, from 6.13, refuses) only for some of
 * these sizes. Observed: the config check found the registers as the
 * model predicts them, and this rule the first they break.
 */
static bool s2_start_level_pa_size(const struct run *r, const struct side *s,
				   const char *check)
{
	const char *rule = config_rule(r, s);

	return !strcmp(check, "config") && rule && !strcmp(rule, "sl0-pa-size");
}

/*
 * Mali's TRANSTAB names its top table by bits 63:12, but a top table from
 * cfg->alloc (which the format accepts) is aligned only as asked: 8 or 16
 * bytes (its own size) or 64 (the 64-byte minimum, 6.16); its flags are
 * ORed over the address (SHARE_OUTER over a 16-byte table's bit 4).
 * Observed: the config check failed, TRANSTAB is exactly the first
 * cfg->alloc block's address (not 4K-aligned) ORed with the flags the
 * model predicts, and MEMATTR is the model's.
 */
static bool mali_transtab_cfg_alloc(const struct run *r, const struct side *s,
				    const char *check)
{
	uint64_t pa = s->st.first_custom_pa;
	struct iopt_cfg_regs want;

	if (strcmp(check, "config") || r->cfg.fmt != IOPT_FMT_MALI || !s->st.custom ||
	    !(pa & 0xfff))
		return false;
	iopt_model_cfg_regs(&r->cfg, &r->geom, &want);
	return s->st.regs.ttbr == (pa | want.ttbr) && s->st.regs.mair == want.mair;
}

/*
 * arm_lpae_split_blk_unmap() replaces a block by a table and invalidates
 * only the entries it unmapped, with their (smaller) size as granule; the
 * block itself is never invalidated at its level (nor when a nested split
 * fails and 0 is returned, the table left in place). An SMMUv3 with range
 * invalidation takes the granule as the TTL hint and need not drop the
 * block it cached. Observed: the only stale entries (or uninvalidated
 * leaves) are blocks where the tables now hold a table, under a contract
 * that splits, met in this unmap by tlb_add_page of its page size only,
 * one over each entry it unmapped there (inval.c, split_left;
 * check_caches).
 */
static bool split_tlb_ttl(const struct run *r, const struct side *s,
			  const char *check)
{
	return !strcmp(check, "tlb-stale") && !strcmp(r->op_name, "unmap") &&
	       r->cfg.contract->unmap_splits_blocks && s->stale_split;
}

const struct known_bug known_bugs[] = {
	{
		.id = "s2-concat-leak",
		.what = "arm_64_lpae_alloc_pgtable_s2() leaks its data struct when it refuses a concatenation of more than 16 tables (after its WARN)",
		.from = IOPT_VERSION_CODE(6, 13, 0), .until = 0,
		.versions = "6.13 (with mandatory concatenation; inferred) and later, unfixed",
		.match = s2_concat_leak,
	},
	{
		.id = "iova-to-phys-wrap",
		.what = "arm_lpae_iova_to_phys(ULONG_MAX) walks nothing (iova + 1 wraps to 0) and builds its result from uninitialised locals",
		.from = IOPT_VERSION_CODE(6, 13, 0), .until = 0,
		.versions = "6.13 (with the generic walker; inferred) and later, unfixed",
		.match = iova_to_phys_wrap,
	},
	{
		.id = "s2-start-level-pa-size",
		.what = "arm_64_lpae_alloc_pgtable_s2() starts the walk at level 0 (4K) or level 1 (16K, 64K) with an output size the architecture does not allow there (44 bits; 42 for 16K), instead of concatenating or refusing",
		.from = 0, .until = 0,
		.versions = "every tree (6.13's mandatory concatenation covers 4K with oas 40 or 42 and 16K with oas 40 only), unfixed",
		.match = s2_start_level_pa_size,
	},
	{
		.id = "mali-transtab-cfg-alloc",
		.what = "ARM_MALI_LPAE takes cfg->alloc, but TRANSTAB holds the top table's address in bits 63:12 (its flags in 4:0): a top table from cfg->alloc, aligned only to the size asked (8, 16 or 64 bytes), cannot be named",
		.from = 0, .until = 0,
		.versions = "trees where Mali takes cfg->alloc (6.12 on), unfixed",
		.match = mali_transtab_cfg_alloc,
	},
	{
		.id = "small-pgd-cfg-alloc",
		.what = "a top table under 64 bytes is asked of cfg->alloc at its own size, so an exactly aligned allocation gives an unusable TTBR",
		.from = 0, .until = IOPT_VERSION_CODE(6, 16, 0),
		.versions = "trees with cfg->alloc before 6.16",
		.fix = "the 64-byte minimum of __arm_lpae_alloc_pages() (6.16)",
		.match = small_pgd_cfg_alloc,
	},
	{
		.id = "cfg-free-size",
		.what = "a top table asked of cfg->alloc at max(size, 64) is given back to cfg->free at its own size",
		.from = IOPT_VERSION_CODE(6, 16, 0),
		.until = IOPT_VERSION_CODE(7, 2, 0),
		.versions = "6.16 to 7.1",
		.fix = "4315401bad65 (7.2: consistent sizes for allocation and freeing)",
		.match = cfg_free_size,
	},
	{
		.id = "flush-incoherent-cpu-address",
		.what = "iommu_pages_flush_incoherent() (non-x86) passes the table's CPU address as the DMA handle, so the PTE sync of the pKVM series' v6 io-pgtable-arm.c cleans nothing it wrote",
		.from = IOPT_VERSION_CODE(6, 19, 0),
		.until = IOPT_VERSION_CODE(7, 2, 0),
		.versions = "6.19 (inferred) to 7.1, reached through the pKVM series' v6 (7.1-rc1 base)",
		.fix = "7.2's iommu-pages.h passes virt_to_phys(virt) + offset",
		.match = sync_cpu_address,
	},
	{
		.id = "split-tlb-ttl",
		.what = "arm_lpae_split_blk_unmap() invalidates only what it unmapped, with the split's smaller granule, never the block it replaced: on an SMMUv3 with range invalidation the TTL hint names another level and the block may stay cached",
		.from = 0, .until = IOPT_VERSION_CODE(6, 13, 0),
		.versions = "trees that split a block on partial unmap (6.1, 6.12)",
		.fix = "33729a5fc0ca (6.13: a partial unmap of a block is refused, nothing split)",
		.match = split_tlb_ttl,
	},
};

const unsigned int nr_known_bugs = sizeof(known_bugs) / sizeof(known_bugs[0]);

const struct known_bug *known_match(const struct run *r, const struct side *s,
				    const char *check)
{
	unsigned int v;

	if (!s)
		return NULL;
	v = s->port->tree->version_code;
	for (unsigned int i = 0; i < nr_known_bugs; i++) {
		const struct known_bug *k = &known_bugs[i];

		if (v >= k->from && (!k->until || v < k->until) &&
		    k->match(r, s, check))
			return k;
	}
	return NULL;
}

const struct known_bug *known_of_signature(const char *sig)
{
	if (strncmp(sig, "known:", 6))
		return NULL;
	for (unsigned int i = 0; i < nr_known_bugs; i++)
		if (!strcmp(known_bugs[i].id, sig + 6))
			return &known_bugs[i];
	return NULL;
}
