/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the reference model (model.h): its state and the helpers its
 * files share. model_geom.c: what alloc_io_pgtable_ops makes of a
 * configuration, and the descriptors the kernel documents; model.c: the
 * shadow and the ops; model_check.c: decoded tables against the shadow.
 */
#ifndef IOPT_ORACLE_MODEL_INTERNAL_H
#define IOPT_ORACLE_MODEL_INTERNAL_H

#include <stdio.h>
#include <stdlib.h>

#include "model.h"

#define SZ_4K	(1ul << 12)
#define SZ_16K	(1ul << 14)
#define SZ_64K	(1ul << 16)
#define SZ_2M	(1ul << 21)
#define SZ_32M	(1ul << 25)
#define SZ_512M	(1ul << 29)
#define SZ_1G	(1ul << 30)
#define SZ_4T	(1ul << 42)

#define BITS(hi, lo)	((~0ULL >> (63 - (hi))) & (~0ULL << (lo)))

/* Descriptor bits (VMSAv8-64 / LPAE) */
#define PTE_TYPE_BLOCK		1ULL		/* levels 0-2, and Mali's level 3 */
#define PTE_TYPE_PAGE		3ULL		/* level 3 */
#define PTE_ATTRINDX(n)		((uint64_t)(n) << 2)	/* stage 1, Mali */
#define PTE_MEMATTR(n)		((uint64_t)(n) << 2)	/* stage 2 */
#define PTE_NS			(1ULL << 5)
#define PTE_AP_UNPRIV		(1ULL << 6)	/* AP[1] */
#define PTE_AP_RDONLY		(1ULL << 7)	/* AP[2] */
#define PTE_HAP_READ		(1ULL << 6)	/* S2AP[0] */
#define PTE_HAP_WRITE		(1ULL << 7)	/* S2AP[1] */
#define PTE_SH_OS		(2ULL << 8)
#define PTE_SH_IS		(3ULL << 8)
#define PTE_AF			(1ULL << 10)
#define PTE_NG			(1ULL << 11)
#define PTE_DBM			(1ULL << 51)
#define PTE_CONT		(1ULL << 52)	/* contiguous hint (contract cont_hint) */
#define PTE_XN			(3ULL << 53)	/* PXN+UXN, or XN[1:0] */

/* The MAIR indices io-pgtable programs, and the stage-2 MemAttr codes */
#define ATTRIDX_NC		0
#define ATTRIDX_CACHE		1
#define ATTRIDX_DEV		2
#define MEMATTR_DEV		0x1
#define MEMATTR_NC		0x5
#define MEMATTR_FWB_WB		0x6
#define MEMATTR_OIWB		0xf

struct ment {
	uint64_t iova;		/* first IOVA covered, within the walked bits */
	uint64_t pa;		/* leaf: output address */
	int level;
	bool table;		/* a table descriptor, else a leaf */
	bool dirty;		/* leaf with DBM and AP[2] clear */
	bool cont;		/* leaf in a whole contiguous group (contract cont_hint) */
	int prot;		/* leaf: the IOMMU_* prot it was mapped with */
};

struct iopt_model {
	struct iopt_model_cfg cfg;
	const struct iopt_contract *k;	/* cfg.contract */
	struct iopt_model_geom g;
	uint64_t walk_mask;	/* the IOVA bits the walk indexes with */
	struct ment *e;		/* sorted by (iova, level) */
	size_t n, cap;
	unsigned int tables;	/* table descriptors, i.e. non-top tables */
	unsigned long fail_alloc;	/* the nth table allocation from now fails */
};

static inline bool is_s1(enum iopt_fmt f)
{
	return f == IOPT_FMT_ARM_64_S1 || f == IOPT_FMT_ARM_32_S1;
}

static inline bool is_s2(enum iopt_fmt f)
{
	return f == IOPT_FMT_ARM_64_S2 || f == IOPT_FMT_ARM_32_S2;
}

/* The generation the model follows: every configuration must name one. */
static inline const struct iopt_contract *contract_of(const struct iopt_model_cfg *cfg)
{
	if (!cfg->contract) {
		fprintf(stderr, "iopt model: a configuration without a contract\n");
		abort();
	}
	return cfg->contract;
}

/* ---- The shadow's arithmetic ---- */

static inline unsigned int lvl_shift(const struct iopt_model *m, int lvl)
{
	return m->g.granule_shift + (3 - lvl) * (m->g.granule_shift - 3);
}

static inline uint64_t blk(const struct iopt_model *m, int lvl)
{
	return 1ULL << lvl_shift(m, lvl);
}

static inline unsigned int ptes_per_table(const struct iopt_model *m)
{
	return 1u << (m->g.granule_shift - 3);
}

/* Slots from addr's to the end of its table page (concatenated PGDs: one granule per page). */
static inline size_t entries_left(const struct iopt_model *m, int lvl, uint64_t addr)
{
	unsigned int ppt = ptes_per_table(m);

	return ppt - ((addr >> lvl_shift(m, lvl)) & (ppt - 1));
}

/* Index of the first entry at or after (iova, level). */
static inline size_t lower(const struct iopt_model *m, uint64_t iova, int level)
{
	size_t lo = 0, hi = m->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->e[mid].iova < iova ||
		    (m->e[mid].iova == iova && m->e[mid].level < level))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entry of the level-lvl slot that covers addr, or -1 if that slot is empty. */
static inline long find(const struct iopt_model *m, int lvl, uint64_t addr)
{
	uint64_t base = addr & ~(blk(m, lvl) - 1);
	size_t i = lower(m, base, lvl);

	if (i < m->n && m->e[i].iova == base && m->e[i].level == lvl)
		return (long)i;
	return -1;
}

#endif /* IOPT_ORACLE_MODEL_INTERNAL_H */
