// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generations of the io-pgtable-arm contract (contract.h), from the
 * kernel's history: Debian's 6.1.192, 6.12.117, 7.2.13 and 7.3.4 read
 * directly, the boundaries in between from upstream commits where known,
 * else inferred (docs/contracts.md gives the evidence for each). Each
 * generation repeats every field: a row reads on its own.
 */
#include <stddef.h>
#include <string.h>

#include "contract.h"

/* 6.1.192: no HD, no dirty op, no cfg->alloc; splits blocks. */
static const struct iopt_contract c_6_1 = {
	.name = "6.1", .first = IOPT_KVER(6, 1, 0),
	.quirk_hd = false, .quirk_s2fwb = false, .quirk_no_warn = false,
	.s2_concat_mandatory = false, .pgd_min_64 = false, .pgd_free_min_64 = false,
	.dma_translate_warns = false,
	.dma_map_whole_alloc = false,
	.unmap_splits_blocks = true, .unmap_hole_enoent = false,
	.has_dirty = false, .dirty_hole_warns = false,
	.has_pgtable_walk = false,
};

/*
 * 6.12.117: HD and read_and_clear_dirty (whose walk WARNs on a hole). They
 * came somewhere after 6.1; that boundary is not pinned, so a tree in
 * between gets 6.1 and the text cross-check names what it has.
 */
static const struct iopt_contract c_6_12 = {
	.name = "6.12", .first = IOPT_KVER(6, 12, 0),
	.quirk_hd = true, .quirk_s2fwb = false, .quirk_no_warn = false,
	.s2_concat_mandatory = false, .pgd_min_64 = false, .pgd_free_min_64 = false,
	.dma_translate_warns = false,
	.dma_map_whole_alloc = false,
	.unmap_splits_blocks = true, .unmap_hole_enoent = false,
	.has_dirty = true, .dirty_hole_warns = true,
	.has_pgtable_walk = false,
};

/*
 * 6.13: partial unmap of a block refused (33729a5fc0ca, in the 6.13 Arm
 * SMMU pull). Inferred to the same release: S2FWB, the architecture's
 * mandatory stage-2 concatenation, the generic walker (no WARN on a hole)
 * and ops->pgtable_walk, which came with it (the series that made
 * iova_to_phys use the walker; not pinned, perhaps 6.14).
 */
static const struct iopt_contract c_6_13 = {
	.name = "6.13", .first = IOPT_KVER(6, 13, 0),
	.quirk_hd = true, .quirk_s2fwb = true, .quirk_no_warn = false,
	.s2_concat_mandatory = true, .pgd_min_64 = false, .pgd_free_min_64 = false,
	.dma_translate_warns = false,
	.dma_map_whole_alloc = false,
	.unmap_splits_blocks = false, .unmap_hole_enoent = false,
	.has_dirty = true, .dirty_hole_warns = false,
	.has_pgtable_walk = true,
};

/*
 * 6.16 (inferred): the top table allocated at max(size, 64) but freed at
 * its own size; NO_WARN, whose commit (3318f7b5cefb) also made an unmap
 * meeting a hole return -ENOENT.
 */
static const struct iopt_contract c_6_16 = {
	.name = "6.16", .first = IOPT_KVER(6, 16, 0),
	.quirk_hd = true, .quirk_s2fwb = true, .quirk_no_warn = true,
	.s2_concat_mandatory = true, .pgd_min_64 = true, .pgd_free_min_64 = false,
	.dma_translate_warns = false,
	.dma_map_whole_alloc = false,
	.unmap_splits_blocks = false, .unmap_hole_enoent = true,
	.has_dirty = true, .dirty_hole_warns = false,
	.has_pgtable_walk = true,
};

/* 7.0: an unmap meeting a hole returns 0 again (374e7af6). */
static const struct iopt_contract c_7_0 = {
	.name = "7.0", .first = IOPT_KVER(7, 0, 0),
	.quirk_hd = true, .quirk_s2fwb = true, .quirk_no_warn = true,
	.s2_concat_mandatory = true, .pgd_min_64 = true, .pgd_free_min_64 = false,
	.dma_translate_warns = false,
	.dma_map_whole_alloc = false,
	.unmap_splits_blocks = false, .unmap_hole_enoent = false,
	.has_dirty = true, .dirty_hole_warns = false,
	.has_pgtable_walk = true,
};

/* 7.2.13 (and 7.3.4): the same sizes to allocate and free (4315401bad65). */
static const struct iopt_contract c_7_2 = {
	.name = "7.2", .first = IOPT_KVER(7, 2, 0),
	.quirk_hd = true, .quirk_s2fwb = true, .quirk_no_warn = true,
	.s2_concat_mandatory = true, .pgd_min_64 = true, .pgd_free_min_64 = true,
	.dma_translate_warns = true,
	.dma_map_whole_alloc = true,
	.unmap_splits_blocks = false, .unmap_hole_enoent = false,
	.has_dirty = true, .dirty_hole_warns = false,
	.has_pgtable_walk = true,
};

/*
 * 7.2 with the contiguous hint: "iommu/io-pgtable-arm: Add support for
 * contiguous hint bit" (v1, 2026-06-18, under review), as its commit
 * message and Kconfig help declare it (contiguous sizes advertised in
 * pgsize_bitmap, mapped with the CONT bit) and as the architecture
 * requires (a group broken by an unmap is no longer contiguous).
 */
static const struct iopt_contract c_7_2_cont = {
	.name = "7.2+cont-hint", .first = IOPT_KVER(7, 2, 0),
	.quirk_hd = true, .quirk_s2fwb = true, .quirk_no_warn = true,
	.s2_concat_mandatory = true, .pgd_min_64 = true, .pgd_free_min_64 = true,
	.dma_translate_warns = true,
	.dma_map_whole_alloc = true,
	.unmap_splits_blocks = false, .unmap_hole_enoent = false,
	.has_dirty = true, .dirty_hole_warns = false,
	.has_pgtable_walk = true,
	.cont_hint = true,
};

const struct iopt_contract *const iopt_contracts[] = {
	&c_6_1, &c_6_12, &c_6_13, &c_6_16, &c_7_0, &c_7_2, NULL,
};

const struct iopt_contract *const iopt_contract_proposals[] = {
	&c_7_2_cont, NULL,
};

const struct iopt_contract *iopt_contract_for_version(unsigned int code)
{
	const struct iopt_contract *found = NULL;
	size_t i;

	for (i = 0; iopt_contracts[i]; i++)
		if (iopt_contracts[i]->first <= code)
			found = iopt_contracts[i];
	return found;
}

const struct iopt_contract *iopt_contract_by_name(const char *name)
{
	size_t i;

	for (i = 0; name && iopt_contracts[i]; i++)
		if (!strcmp(iopt_contracts[i]->name, name))
			return iopt_contracts[i];
	for (i = 0; name && iopt_contract_proposals[i]; i++)
		if (!strcmp(iopt_contract_proposals[i]->name, name))
			return iopt_contract_proposals[i];
	return NULL;
}

#define FACT(k, f, p, y, n) \
	{ .key = k, .probe = p, .yes = y, .no = n, .field = offsetof(struct iopt_contract, f) }

const struct iopt_contract_fact iopt_contract_facts[] = {
	FACT("split", unmap_splits_blocks,
	     "__arm_lpae_unmap() returning arm_lpae_split_blk_unmap()",
	     "splits a block on partial unmap", "refuses partial unmaps"),
	FACT("enoent", unmap_hole_enoent,
	     "return -ENOENT in __arm_lpae_unmap()",
	     "returns -ENOENT from an unmap that meets a hole",
	     "returns 0 from an unmap that meets a hole"),
	FACT("pgd_min_64", pgd_min_64,
	     "max(size, 64) in __arm_lpae_alloc_pages()",
	     "allocates the top table at 64 bytes or more",
	     "allocates the top table at its own size"),
	FACT("pgd_free_min_64", pgd_free_min_64,
	     "max(size, 64) in __arm_lpae_free_pages()",
	     "frees the top table at 64 bytes or more",
	     "frees the top table at its own size"),
	FACT("dma_translate_warns", dma_translate_warns,
	     "WARN_ON(dma != virt_to_phys(...)) in iommu_pages_start_incoherent()",
	     "WARNs when the DMA API translates a table's address",
	     "refuses a translated table address without a WARN"),
	FACT("dma_map_whole_alloc", dma_map_whole_alloc,
	     "dma_map_single(..., ioptdesc_mem_size(...)) in iommu_pages_start_incoherent()",
	     "maps a table's whole allocation for the DMA API",
	     "maps a table's own size for the DMA API"),
	FACT("concat_mandatory", s2_concat_mandatory,
	     "arm_lpae_concat_mandatory() in arm_64_lpae_alloc_pgtable_s2()",
	     "concatenates stage-2 top tables only where the architecture requires it",
	     "concatenates stage-2 top tables whenever level 0 has at most 16 entries"),
	FACT("quirk_hd", quirk_hd,
	     "IO_PGTABLE_QUIRK_ARM_HD in arm_64_lpae_alloc_pgtable_s1()",
	     "accepts the HD quirk", "rejects the HD quirk"),
	FACT("quirk_s2fwb", quirk_s2fwb,
	     "IO_PGTABLE_QUIRK_ARM_S2FWB in arm_64_lpae_alloc_pgtable_s2()",
	     "accepts the S2FWB quirk", "rejects the S2FWB quirk"),
	FACT("quirk_no_warn", quirk_no_warn,
	     "IO_PGTABLE_QUIRK_NO_WARN in both arm_64_lpae_alloc_pgtable_s1() and _s2()",
	     "accepts the NO_WARN quirk", "rejects the NO_WARN quirk"),
	FACT("dirty", has_dirty,
	     ".read_and_clear_dirty in the io_pgtable_ops of io-pgtable-arm.c",
	     "has read_and_clear_dirty", "has no read_and_clear_dirty"),
	FACT("pgtable_walk", has_pgtable_walk,
	     ".pgtable_walk in the io_pgtable_ops of io-pgtable-arm.c",
	     "has pgtable_walk", "has no pgtable_walk"),
	FACT("dirty_hole_warns", dirty_hole_warns,
	     "WARN_ON(!iopte_table(...)) in the dirty walk's visitor",
	     "WARNs on a hole in the dirty walk", "does not WARN on a hole in the dirty walk"),
	FACT("cont_hint", cont_hint,
	     "ARM_LPAE_PTE_CONT in io-pgtable-arm.c",
	     "maps the contiguous sizes with the contiguous hint",
	     "has no contiguous hint (contract 7.2+cont-hint declares one: IOPT_CONTRACT, review.sh --patched-contract)"),
};

const size_t iopt_contract_nfacts = sizeof(iopt_contract_facts) / sizeof(iopt_contract_facts[0]);

void iopt_contract_print(const struct iopt_contract *c, FILE *out)
{
	size_t i;

	for (i = 0; i < iopt_contract_nfacts; i++) {
		const struct iopt_contract_fact *f = &iopt_contract_facts[i];

		fprintf(out, "  %-17s %s\n", f->key, iopt_contract_fact(c, f) ? f->yes : f->no);
	}
}
