/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The io_pgtable_ops contract of io-pgtable-arm, by generation: what each
 * op must do where the kernel's behaviour changed over time. The reference
 * model (model.h) takes one of these at run time, so that a build can hold
 * two oracles (a base tree and a patched one), and so that the oracle comes
 * from the tree's version and the kernel's history, not from the text of
 * the tree under test: a patch that changes one of these behaviours is
 * then reported, not silently followed.
 *
 * The generations, their first versions and the evidence for each boundary
 * (a commit, or "inferred") are in docs/contracts.md; the table itself is
 * in contract.c. Each behaviour also has a text probe (cmake/probe-tree.sh)
 * that configure compares with the chosen generation, one notice per
 * disagreement.
 */
#ifndef IOPT_ORACLE_CONTRACT_H
#define IOPT_ORACLE_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A kernel version as the probe encodes it (KERNEL_VERSION, sublevel capped at 255) */
#define IOPT_KVER(a, b, c)	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

struct iopt_contract {
	const char *name;		/* "6.12", "6.13", ...: the tree it was read from */
	unsigned int first;		/* IOPT_KVER() of the first release it applies to */

	/* alloc_io_pgtable_ops */
	bool quirk_hd;			/* stage 1 accepts IO_PGTABLE_QUIRK_ARM_HD (DBM leaves) */
	bool quirk_s2fwb;		/* stage 2 accepts IO_PGTABLE_QUIRK_ARM_S2FWB */
	bool quirk_no_warn;		/* stages 1 and 2 accept IO_PGTABLE_QUIRK_NO_WARN, which
					 * silences the WARNs on -EEXIST and on an unmap's hole */
	/*
	 * Stage-2 concatenation of the top level: false, whenever a level-0
	 * PGD has at most 16 entries; true, only where the architecture makes
	 * it mandatory, with a WARN and NULL when that needs more than 16.
	 */
	bool s2_concat_mandatory;
	bool pgd_min_64;		/* the top table is allocated at max(size, 64) */
	/*
	 * A table from the page allocator whose DMA address is not its
	 * physical address (a DMA layer that translates or bounces) is
	 * refused with a WARN (iommu_pages_start_incoherent(), iommu-pages
	 * 7.2), not only with an error message (io-pgtable-arm.c before).
	 */
	bool dma_translate_warns;
	/*
	 * For a non-coherent walk, the DMA API maps a table's whole
	 * allocation (iommu_pages_start_incoherent(), 7.2), not just the
	 * table (dma_map_single() of its size before): a top table smaller
	 * than a page is cleaned to the PoC whole-page. cfg->alloc's tables
	 * are still mapped at their size.
	 */
	bool dma_map_whole_alloc;
	bool pgd_free_min_64;		/* ... and freed at max(size, 64) too (else at its
					 * own size: what cfg->free is told) */

	/* unmap_pages */
	bool unmap_splits_blocks;	/* partial unmap of a block splits it; else WARN, 0 */
	bool unmap_hole_enoent;		/* an empty entry above pgsize's level: (size_t)-ENOENT
					 * instead of 0 */

	/* read_and_clear_dirty */
	bool has_dirty;			/* the op exists */
	bool dirty_hole_warns;		/* a hole in the range WARNs (as well as -EINVAL) */

	/* pgtable_walk */
	bool has_pgtable_walk;		/* the op exists: the descriptor at each level for an IOVA */

	/*
	 * The contiguous hint (a proposal: no release has it). Each granule's
	 * contiguous sizes at levels 2 and 3 (a group of 16, 32 or 128 entries,
	 * as the architecture defines them) are page sizes: alloc adds them to
	 * pgsize_bitmap, a map of one writes its group's entries with the
	 * contiguous bit (52), an unmap of one removes them, and an unmap
	 * that removes some entries of a group leaves the group's other
	 * entries without the contiguous bit (it is no longer whole); a group
	 * it removed nothing from keeps it.
	 */
	bool cont_hint;
};

/* The generations, oldest first; NULL-terminated. */
extern const struct iopt_contract *const iopt_contracts[];
/*
 * Contracts a patch declares, not a release: chosen only by name
 * (IOPT_CONTRACT, IOPT_PATCHED_CONTRACT), never by version; NULL-terminated.
 */
extern const struct iopt_contract *const iopt_contract_proposals[];

/* The generation for a kernel version (IOPT_KVER), or NULL if it is older than all. */
const struct iopt_contract *iopt_contract_for_version(unsigned int code);
/* The generation or proposal of that name, or NULL. */
const struct iopt_contract *iopt_contract_by_name(const char *name);
/* The contract this build's oracle uses (configure: the tree's version, or IOPT_CONTRACT). */
const struct iopt_contract *iopt_build_contract(void);

/*
 * The behaviours a text probe can cross-check, by the probe's key (the
 * IOPT_TEXT_<KEY> of tree.cmake, lower case here).
 */
struct iopt_contract_fact {
	const char *key;		/* "split", "enoent", ... */
	const char *probe;		/* what the text probe looks for */
	const char *yes, *no;		/* what a contract with and without it does */
	size_t field;			/* offsetof the bool in struct iopt_contract */
};

extern const struct iopt_contract_fact iopt_contract_facts[];
extern const size_t iopt_contract_nfacts;

static inline bool iopt_contract_fact(const struct iopt_contract *c,
				      const struct iopt_contract_fact *f)
{
	return *(const bool *)((const char *)c + f->field);
}

/* One line per behaviour: "  unmap_splits_blocks  yes  splits ..." */
void iopt_contract_print(const struct iopt_contract *c, FILE *out);

#endif /* IOPT_ORACLE_CONTRACT_H */
