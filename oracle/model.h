/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reference model of the io_pgtable_ops contract of io-pgtable-arm: a plain
 * shadow of what the tables hold (leaves and non-top tables) with the
 * documented semantics of alloc_io_pgtable_ops, map_pages, unmap_pages,
 * iova_to_phys and read_and_clear_dirty, for the contract generation its
 * configuration names (contract.h: a run-time choice, so that one binary
 * can hold the oracles of two trees).
 *
 * The model never calls the kernel code; the tests run both and compare.
 *
 * Caller preconditions. The IOMMU core guarantees these and io-pgtable does
 * not check them; an op that breaks one gets p->violation = true, leaves the
 * model unchanged and must not be run on the kernel. They are looked at only
 * after the kernel's own argument checks: an op those refuse is predicted.
 *
 *   P1 iova and paddr are aligned to pgsize. The walk indexes with the
 *      aligned-down IOVA and the PTE takes paddr's bits as they are, so a
 *      misaligned paddr gives a descriptor with RES0 bits set.
 *   P2 iova + pgcount * pgsize - 1 stays inside the input range (2^ias, the
 *      bits below ias under TTBR1). map_pages and unmap_pages check only the
 *      first IOVA; the number of entries is limited by the end of the table
 *      page, not by the end of a smaller top table, so a longer range writes
 *      (or reads) entries past the end of the PGD.
 *   P3 paddr + pgcount * pgsize - 1 stays below 2^oas. Only paddr is
 *      checked; later pages would get output addresses beyond the OAS.
 *   P4 pgcount fits an int. The entry count is min_t(int, pgcount, ...):
 *      larger values wrap, to 0 (nothing done, no WARN) or to a negative
 *      count that shrinks *mapped and syncs a negative length.
 * A pgsize of several sizes, all in the bitmap, passes the kernel's check;
 * it never reaches a leaf (map: -EINVAL with a WARN at the last level; unmap
 * splits blocks on the way, then WARNs and returns 0) and is modelled.
 *
 * Generations (struct iopt_contract): the quirks each format accepts (HD,
 * S2FWB, NO_WARN); stage-2 concatenation (at most 16 level-0 entries, or the
 * architecture's mandatory cases with a WARN when impossible); DBM and the
 * dirty op (has_dirty, quirk_hd); split of a block on partial unmap, or a
 * WARN and 0 (unmap_splits_blocks); -ENOENT from an unmap that meets a hole
 * (unmap_hole_enoent); the WARN on a hole in the dirty walk
 * (dirty_hole_warns); which WARNs NO_WARN silences; and the sizes of the
 * top table given to cfg->alloc and cfg->free (pgd_min_64,
 * pgd_free_min_64). selftest_running is never set outside the kernel's
 * selftests, so older trees always WARN.
 *
 * Not modelled: concurrent updates, the TLB maintenance calls, and
 * configurations whose ias is not above the granule shift (the kernel
 * accepts them but builds a nonsense geometry; see geom.degenerate).
 */
#ifndef IOPT_ORACLE_MODEL_H
#define IOPT_ORACLE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "contract.h"
#include "decode.h"

/* Our own quirk bits: tests map them onto the tree's IO_PGTABLE_QUIRK_* */
#define IOPT_Q_ARM_NS		(1u << 0)
#define IOPT_Q_ARM_TTBR1	(1u << 1)
#define IOPT_Q_ARM_OUTER_WBWA	(1u << 2)
#define IOPT_Q_ARM_HD		(1u << 3)
#define IOPT_Q_ARM_S2FWB	(1u << 4)
#define IOPT_Q_NO_WARN		(1u << 5)

/* The kernel's IOMMU_* prot bits */
#define IOPT_PROT_READ		(1 << 0)
#define IOPT_PROT_WRITE		(1 << 1)
#define IOPT_PROT_CACHE		(1 << 2)
#define IOPT_PROT_NOEXEC	(1 << 3)
#define IOPT_PROT_MMIO		(1 << 4)
#define IOPT_PROT_PRIV		(1 << 5)

/* read_and_clear_dirty flags: IOMMU_DIRTY_NO_CLEAR */
#define IOPT_DIRTY_NO_CLEAR	(1ul << 0)

struct iopt_model_cfg {		/* what the caller asks alloc_io_pgtable_ops for */
	enum iopt_fmt fmt;
	unsigned long pgsize_bitmap;
	unsigned int ias, oas;
	unsigned int quirks;		/* IOPT_Q_* */
	bool coherent_walk;
	unsigned int page_shift;	/* emulated kernel PAGE_SHIFT (12 or 16) */
	const struct iopt_contract *contract;	/* the generation to follow: required */
};

#define IOPT_MODEL_MIN_OAS	32	/* below: degenerate (the tables cannot be addressed) */
#define IOPT_MODEL_MIN_IAS	25	/* below: degenerate but for Mali (T0SZ above 39) */

struct iopt_model_geom {	/* what the kernel makes of it */
	bool rejected;		/* alloc_io_pgtable_ops returns NULL */
	bool warn;		/* ... and WARNs on the way (newer trees' concatenation check) */
	const char *why;	/* rejected: the check that refuses it */
	/*
	 * Accepted, but ias is not above the granule shift (but for Mali,
	 * which always walks four levels), ias is 0, or oas is below
	 * IOPT_MODEL_MIN_OAS: the level arithmetic goes negative, or the
	 * tables lie beyond the output size (Mali alone takes such an oas;
	 * the harness' memory starts at 1 GiB and ends below 4). Only the
	 * fields up to oas mean anything; iopt_model_new() refuses such a
	 * configuration and the executor does not create it.
	 */
	bool degenerate;
	unsigned int granule_shift;
	unsigned long pgsize_bitmap;	/* after restriction */
	unsigned int ias, oas;		/* after clamping */
	int start_level;
	unsigned int pgd_entries;	/* 8-byte entries in the top table, with concatenation */
};

/* What one op is predicted to do. */
struct iopt_model_pred {
	long ret;		/* map/dirty: 0 or -errno; unmap: bytes (or (long)-ENOENT) */
	size_t mapped;		/* map: *mapped afterwards */
	bool warn;		/* the kernel WARNs on this path (the tree's silencing applied) */
	bool violation;		/* a caller precondition is broken: do not run, do not compare */
	const char *why;	/* for violation/warn: a short reason */
	unsigned int tables_added, tables_freed;	/* tables this op allocates / frees */
};

struct iopt_model;

/* Predict alloc_io_pgtable_ops: rejection, or the geometry. */
void iopt_model_geometry(const struct iopt_model_cfg *cfg, struct iopt_model_geom *geom);
/*
 * The entries of a contiguous group at level 2 or 3 for a granule of
 * 2^granule_shift bytes, as the architecture defines them: 16 for 4K, 128
 * at level 3 and 32 at level 2 for 16K, 32 for 64K. 1 at levels 0 and 1,
 * where no contract has groups (the architecture's 4K level-1 group of
 * 16 is not among the proposal's sizes).
 */
unsigned int iopt_cont_entries(unsigned int granule_shift, int lvl);
/*
 * The level whose leaves a map of pgsize writes (-1: none), and in *per
 * how many per page: 1, or a contiguous group's entries where pgsize is
 * one of the geometry's contiguous sizes (contract cont_hint).
 */
int iopt_geom_leaf_level(const struct iopt_model_geom *g, size_t pgsize, unsigned int *per);

/* NULL if the kernel would reject cfg, if it is degenerate, or out of memory. */
struct iopt_model *iopt_model_new(const struct iopt_model_cfg *cfg);
void iopt_model_free(struct iopt_model *m);
const struct iopt_model_geom *iopt_model_get_geom(const struct iopt_model *m);
/*
 * The top table's size as the kernel asks cfg->alloc for it, and as it
 * tells cfg->free when freeing it (bytes).
 */
void iopt_model_pgd_sizes(const struct iopt_model *m, size_t *alloc, size_t *freed);
/*
 * How much of the top table a non-coherent walk's DMA mapping cleans to
 * the point of coherency when it is allocated: the table as asked for, or
 * its whole allocation (dma_map_whole_alloc), from the page allocator or
 * from cfg->alloc (custom).
 */
size_t iopt_model_pgd_map_len(const struct iopt_model *m, bool custom);
/* The same from a configuration and its geometry, with no model (a failed creation). */
void iopt_geom_pgd_sizes(const struct iopt_model_cfg *cfg,
			 const struct iopt_model_geom *g, size_t *alloc,
			 size_t *freed);
size_t iopt_geom_pgd_map_len(const struct iopt_model_cfg *cfg,
			     const struct iopt_model_geom *g, bool custom);
/* The decoder's view of the tables, given the top table's address. */
void iopt_model_dec_cfg(const struct iopt_model *m, uint64_t ttbr, struct iopt_dec_cfg *dec);
/* ... of a configuration and what the kernel makes of it (iopt_model_geometry()). */
void iopt_model_geom_dec_cfg(const struct iopt_model_cfg *cfg,
			     const struct iopt_model_geom *g, uint64_t ttbr,
			     struct iopt_dec_cfg *dec);

void iopt_model_map(struct iopt_model *m, uint64_t iova, uint64_t paddr, size_t pgsize,
		    size_t pgcount, int prot, size_t mapped_before, struct iopt_model_pred *p);
void iopt_model_unmap(struct iopt_model *m, uint64_t iova, size_t pgsize, size_t pgcount,
		      struct iopt_model_pred *p);
/*
 * PA | offset, or 0. IOVA bits above the walked range are ignored: above ias,
 * except for Mali with ias < 39, whose forced 4-level walk indexes 39 bits.
 */
uint64_t iopt_model_iova_to_phys(const struct iopt_model *m, uint64_t iova);
/*
 * read_and_clear_dirty: ret as the kernel returns; reports the dirty leaves
 * through record() in walk order, as the kernel does. In a tree without the
 * op, p->violation is set and ret is -EOPNOTSUPP.
 */
void iopt_model_read_and_clear_dirty(struct iopt_model *m, uint64_t iova, size_t size,
				     unsigned long flags,
				     void (*record)(void *ctx, uint64_t iova, uint64_t len),
				     void *ctx, struct iopt_model_pred *p);
/*
 * ops->pgtable_walk(iova): from the start level down, the descriptor at
 * each level the walk meets, to a leaf (ret 0) or to an empty entry (0
 * recorded, ret -EINVAL); the levels above the start and below the last
 * are not written. The walk indexes as iova_to_phys does. In a tree
 * without the op, p->violation is set and ret is -EOPNOTSUPP.
 */
struct iopt_model_walk {
	int last;		/* the deepest level recorded */
	bool leaf;		/* it holds a leaf, else an empty entry */
	uint64_t pte;		/* the descriptor there: the contract's leaf, or 0 */
};
void iopt_model_pgtable_walk(const struct iopt_model *m, uint64_t iova,
			     struct iopt_model_walk *w, struct iopt_model_pred *p);
/* A leaf of the shadow: the IOVAs it translates, and its level. */
struct iopt_model_leaf {
	uint64_t iova, size;
	int level;
};
/*
 * The leaves that meet [iova, iova + len), in IOVA order: the first max of
 * them in out (their IOVAs carry iova's bits above those the walk
 * indexes with), and how many there are.
 */
size_t iopt_model_leaves(const struct iopt_model *m, uint64_t iova,
			 uint64_t len, struct iopt_model_leaf *out, size_t max);
/* Emulate a hardware write under HD: the leaf covering iova becomes dirty if it has DBM. */
void iopt_model_set_dirty(struct iopt_model *m, uint64_t iova);
/*
 * Compare a decoded table walk against the model: every leaf (iova, level,
 * output address and the exact descriptor the kernel documents for its prot
 * and format), the number of tables at each level, and any problem the
 * decoder finds. Returns the number of differences (or a negative errno
 * from the decoder); writes the first one, readable, into why.
 */
int iopt_model_check_tables(const struct iopt_model *m, const struct iopt_dec_cfg *dec,
			    const struct iopt_dec_mem *mem, char *why, size_t n);
/*
 * The same, limited to the leaves and tables whose IOVA span meets
 * [lo, hi]: what an op on that range can have changed.
 */
int iopt_model_check_range(const struct iopt_model *m, const struct iopt_dec_cfg *dec,
			   const struct iopt_dec_mem *mem, uint64_t lo, uint64_t hi,
			   char *why, size_t n);
/*
 * The same, telling also->table (if set) each table the walk visits, as
 * iopt_dec_walk_range() over [lo, hi] would: one walk for two uses.
 */
int iopt_model_check_range_also(const struct iopt_model *m,
				const struct iopt_dec_cfg *dec,
				const struct iopt_dec_mem *mem, uint64_t lo,
				uint64_t hi, const struct iopt_dec_visitor *also,
				char *why, size_t n);
/*
 * Fault injection: the nth table allocation the kernel makes from now on
 * fails (0: none). map_pages then returns -ENOMEM, keeping the tables it
 * installed on the way and *mapped as it was; a split in an unmap (trees
 * that split) returns 0 and keeps the block.
 */
void iopt_model_fail_alloc(struct iopt_model *m, unsigned long nth);
/* Live tables, the top one included */
unsigned int iopt_model_nr_tables(const struct iopt_model *m);
size_t iopt_model_nr_leaves(const struct iopt_model *m);
/* The shadow's own invariants: order, alignment, a table above every entry. */
bool iopt_model_consistent(const struct iopt_model *m);
/*
 * Planted (IOPT_PLANT=model-invariant, test-model consistent): break the
 * shadow the way a bug in the model would, for iopt_model_consistent() to
 * see. False if there is nothing to break that way (ORDER needs two
 * entries, ALIGN one).
 */
enum iopt_model_break { IOPT_BREAK_COUNT, IOPT_BREAK_ORDER, IOPT_BREAK_ALIGN };
bool iopt_model_plant_break(struct iopt_model *m, enum iopt_model_break how);
/* Every entry of the shadow, for debugging. */
void iopt_model_dump(const struct iopt_model *m, FILE *f);
/*
 * The descriptor the model expects for a leaf of this prot (dirty: HD
 * state; cont: in a whole contiguous group).
 */
uint64_t iopt_model_leaf_pte(const struct iopt_model *m, int level, uint64_t pa, int prot,
			     bool dirty, bool cont);

#endif /* IOPT_ORACLE_MODEL_H */
