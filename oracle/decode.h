/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Independent decoder for VMSAv8-64 / ARMv7 LPAE long-descriptor translation
 * tables, as used by io-pgtable-arm. Written from the architecture's table
 * format; the caller supplies the walk geometry and the physical memory.
 */
#ifndef IOPT_ORACLE_DECODE_H
#define IOPT_ORACLE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum iopt_fmt {
	IOPT_FMT_ARM_32_S1,
	IOPT_FMT_ARM_32_S2,
	IOPT_FMT_ARM_64_S1,
	IOPT_FMT_ARM_64_S2,
	IOPT_FMT_MALI,
	IOPT_FMT_COUNT
};

struct iopt_dec_cfg {
	enum iopt_fmt fmt;
	unsigned int granule_shift;	/* 12, 14 or 16 */
	unsigned int ias, oas;		/* bits */
	int start_level;		/* 0..3 */
	/* 8-byte entries in the top table, concatenation included; Mali may be 1 */
	unsigned int pgd_entries;
	uint64_t ttbr;			/* physical address of the top table */
	bool ttbr1;			/* upper-half IOVAs: report iova with bits above ias set */
	/*
	 * The attributes (bits 63:59: NSTable, APTable, XNTable/UXNTable,
	 * PXNTable) every table descriptor must hold: NSTable for a stage 1
	 * with the NS quirk, none otherwise (RES0 at stage 2).
	 */
	uint64_t table_attrs;
};

struct iopt_dec_mem {
	void *ctx;
	/*
	 * Host pointer to the live allocation that contains physical address
	 * pa, with its base and size; NULL if pa is in no live allocation.
	 */
	const void *(*lookup)(void *ctx, uint64_t pa, uint64_t *base, uint64_t *size);
};

/*
 * A valid leaf. Every field below is extracted from pte for every format;
 * which ones are meaningful depends on the stage:
 *   all formats:       sh (9:8), af (10), dbm (51), contig (52)
 *   stage 1 and Mali:  attrindx (4:2), ns (5), ap = AP[2:1] (7:6), ng (11),
 *                      pxn (53), xn = UXN/XN (54)
 *   stage 2:           memattr (5:2), s2ap (7:6), s2xn = XN[1:0] (54:53)
 */
struct iopt_leaf {
	uint64_t iova;		/* TTBR1: bits from ias upward set */
	uint64_t pa;		/* output address, aligned to size */
	uint64_t size;
	uint64_t pte;
	uint64_t entry_pa;	/* where the descriptor is: table pa + index * 8 */
	int level;
	uint8_t sh, af, dbm, contig;
	uint8_t attrindx, ns, ap, ng, pxn, xn;
	uint8_t memattr, s2ap, s2xn;
};

enum iopt_prob_kind {
	IOPT_PROB_NONE,
	IOPT_PROB_BAD_TABLE_PTR,	/* table address is not the base of a live allocation */
	IOPT_PROB_TABLE_MISALIGNED,	/* table address not aligned to max(table size, 64) */
	IOPT_PROB_TABLE_TOO_SMALL,	/* allocation smaller than the table */
	IOPT_PROB_TABLE_SHARED,		/* table already referenced elsewhere in the walk */
	IOPT_PROB_RESERVED_TYPE,	/* 0b01 at level 3 (0b11 for Mali) */
	IOPT_PROB_BLOCK_NOT_ALLOWED,	/* block at a level the granule does not allow */
	IOPT_PROB_RES0_BITS,		/* non-zero RES0 bits in the address field */
	IOPT_PROB_OA_RANGE,		/* output/table address at or beyond 2^oas */
	IOPT_PROB_BAD_TTBR,		/* TTBR not live, too small or misaligned */
	IOPT_PROB_TABLE_ATTRS,		/* table attributes not the configuration's (walked on) */
	IOPT_PROB_COUNT
};

/*
 * level:    level of the entry holding the descriptor (start level for TTBR)
 * entry_pa: table pa + index * 8 (the TTBR value for BAD_TTBR)
 * pte:      raw descriptor (0 for BAD_TTBR)
 * iova:     first IOVA the entry covers
 */
struct iopt_problem {
	enum iopt_prob_kind kind;
	/* BAD_TTBR: the check the top table failed (misaligned, not live, too small, shared) */
	enum iopt_prob_kind why;
	int level;
	uint64_t entry_pa;
	uint64_t pte;
	uint64_t iova;
};

/* Any callback may be NULL. */
struct iopt_dec_visitor {
	void *ctx;
	void (*leaf)(void *ctx, const struct iopt_leaf *l);		/* IOVA order */
	/* preorder; iova: the first IOVA the table covers */
	void (*table)(void *ctx, uint64_t pa, int level, unsigned int entries,
		      uint64_t iova);
	void (*problem)(void *ctx, const struct iopt_problem *p);
};

/*
 * Walk the whole tree. Returns the number of problems, -EINVAL for an
 * invalid cfg, -ENOMEM if bookkeeping memory runs out. Safe for any table
 * contents: reads only within what lookup returned.
 */
int iopt_dec_walk(const struct iopt_dec_cfg *cfg, const struct iopt_dec_mem *mem,
		  const struct iopt_dec_visitor *v);

/*
 * The same, but only the entries whose IOVA span meets [lo, hi] (inclusive,
 * upper-half bits ignored): every table on the way is still visited.
 */
int iopt_dec_walk_range(const struct iopt_dec_cfg *cfg, const struct iopt_dec_mem *mem,
			uint64_t lo, uint64_t hi, const struct iopt_dec_visitor *v);

/*
 * The first leaf, in IOVA order, whose span meets [lo, hi], into *l:
 * false when there is none (or the walk cannot be made). For the planted
 * bugs that corrupt a leaf an op left (fuzz/run.c, the KUnit shim).
 */
bool iopt_dec_first_leaf(const struct iopt_dec_cfg *cfg,
			 const struct iopt_dec_mem *mem, uint64_t lo,
			 uint64_t hi, struct iopt_leaf *l);

/*
 * A hardware walk of one IOVA, as a device's table walker does it: from the
 * table at table_pa on level (the TTBR and start level, or a walk-cache
 * hit), following table descriptors, reading memory through mem (which may
 * be the point-of-coherency view). Each table descriptor followed is shown
 * to step->table with the level and first IOVA of the table it points to.
 * Unlike iopt_dec_walk, the table pointer is used as the hardware uses it:
 * any address inside a live allocation is read.
 */
enum iopt_dec_result {
	IOPT_DEC_HIT,			/* *leaf filled */
	IOPT_DEC_FAULT_HOLE,		/* translation fault */
	IOPT_DEC_FAULT_BAD_ENTRY,	/* reserved or malformed descriptor */
	IOPT_DEC_FAULT_BAD_TABLE,	/* table pointer into no live memory */
};

struct iopt_dec_step {
	void (*table)(void *ctx, int level, uint64_t iova, uint64_t table_pa);
};

int iopt_dec_translate(const struct iopt_dec_cfg *cfg, const struct iopt_dec_mem *mem,
		       uint64_t iova, int level, uint64_t table_pa,
		       const struct iopt_dec_step *step, void *ctx, struct iopt_leaf *leaf);

const char *iopt_dec_fmt_name(enum iopt_fmt fmt);
const char *iopt_prob_name(enum iopt_prob_kind kind);
int iopt_leaf_snprint(char *buf, size_t n, const struct iopt_leaf *l, enum iopt_fmt fmt);
int iopt_prob_snprint(char *buf, size_t n, const struct iopt_problem *p);

/* ---- Lower-level helpers, shared with image.c ---- */

#define IOPT_TABLE_ADDR_MASK	0x000ffffffffff000ULL	/* descriptor bits 51:12 */

int iopt_dec_cfg_check(const struct iopt_dec_cfg *cfg);	/* 0 or -EINVAL */
unsigned int iopt_dec_level_shift(const struct iopt_dec_cfg *cfg, int level);
uint64_t iopt_dec_iova_hi(const struct iopt_dec_cfg *cfg);	/* bits ORed into TTBR1 IOVAs */

/*
 * The IOVAs a range walk of [lo, hi] looks at (iopt_dec_walk_range()), in
 * the bits the walk indexes: upper-half bits stripped, hi clamped to what
 * the walk indexes (the concatenated PGD included), and all of them when
 * all is set or lo is then above hi. Shared with image.c's range
 * comparison, which must visit exactly the walk's tables and entries.
 */
struct iopt_dec_span {
	uint64_t hi;			/* iopt_dec_iova_hi(): ORed into IOVAs */
	uint64_t lo_va, hi_va;
};

void iopt_dec_span(const struct iopt_dec_cfg *cfg, uint64_t lo, uint64_t hi,
		   bool all, struct iopt_dec_span *sp);
/* The entries [*first, *last] of a table at iova whose span meets sp's range. */
bool iopt_dec_entries_in_span(const struct iopt_dec_span *sp, uint64_t iova,
			      unsigned int shift, unsigned int n,
			      unsigned int *first, unsigned int *last);

enum iopt_ent_type { IOPT_ENT_HOLE, IOPT_ENT_TABLE, IOPT_ENT_LEAF, IOPT_ENT_BAD };

struct iopt_ent {
	enum iopt_ent_type type;
	enum iopt_prob_kind prob;	/* first problem found, IOPT_PROB_NONE if none */
	uint64_t addr;			/* next-level table or output address */
};

/*
 * Whether a table descriptor's attributes (63:59) are cfg->table_attrs;
 * when not, IOPT_PROB_TABLE_ATTRS, and the table is still followed.
 */
bool iopt_dec_table_attrs_ok(const struct iopt_dec_cfg *cfg, uint64_t pte);

/*
 * Classify one descriptor. A TABLE with prob set must not be followed; a
 * LEAF with prob set (RES0 bits, OA range) is still a decodable leaf whose
 * addr has the RES0 bits cleared; BAD entries translate nothing.
 */
void iopt_dec_entry(const struct iopt_dec_cfg *cfg, int level, uint64_t pte,
		    struct iopt_ent *e);
void iopt_dec_leaf(const struct iopt_dec_cfg *cfg, int level, uint64_t pte,
		   uint64_t addr, uint64_t iova, struct iopt_leaf *l);

/* Entry index of a table as the CPU reads it (inline: every walk's inner loop). */
static inline uint64_t iopt_dec_load(const unsigned char *table,
				     unsigned int index)
{
	uint64_t v;

	memcpy(&v, table + (size_t)index * 8, sizeof(v));
	return v;
}

/* Whether a table of this level can hold table descriptors (not the last). */
static inline bool iopt_dec_level_has_tables(int level)
{
	return level < 3;
}

/*
 * The hole scan reads a table its caller found live and whole:
 * iopt_dec_open_table() (which, in an ASan build, checks it unpoisoned),
 * or a port's lookup of a live block (the publication-order check's:
 * the allocator unpoisons a live block whole). ASan's check of each load
 * and UBSan's of each pointer step cannot fail there, and they kept the
 * compiler from making vector code of it, a fifth of the executor's time
 * in the sanitizer builds campaigns run (docs/performance.md).
 */
#define IOPT_DEC_NO_SANITIZE \
	__attribute__((no_sanitize("address", "undefined")))

/* The OR of n entries from p on (a pointer and a size_t count: vector ORs). */
static inline IOPT_DEC_NO_SANITIZE uint64_t
iopt_dec_or_run(const unsigned char *p, size_t n)
{
	uint64_t any = 0;

	for (size_t k = 0; k < n; k++) {
		uint64_t v;

		memcpy(&v, p + k * 8, sizeof(v));
		any |= v;
	}
	return any;
}

/*
 * Whether n entries from index on are holes (zero): the walks' inner
 * loop, which skips eight holes at a time, or 64. Tables are 64-byte
 * aligned in practice: there the vector ORs take their loads directly.
 */
static inline IOPT_DEC_NO_SANITIZE bool
iopt_dec_zero_run(const unsigned char *table, unsigned int index,
		  unsigned int n)
{
	const unsigned char *p = table + (size_t)index * 8;

	if (!((uintptr_t)p & 63))
		return !iopt_dec_or_run(__builtin_assume_aligned(p, 64), n);
	return !iopt_dec_or_run(p, n);
}

static inline unsigned int iopt_dec_next_used(const unsigned char *table,
					      unsigned int index,
					      unsigned int end)
{
	while (index < end) {
		/* a run of 64 holes (a cache line's worth times eight) at once */
		while (!(index & 63) && end - index >= 64 &&
		       iopt_dec_zero_run(table, index, 64))
			index += 64;
		if (index >= end)
			break;
		if (!(index & 7) && end - index >= 8 &&
		    iopt_dec_zero_run(table, index, 8)) {
			index += 8;
			continue;
		}
		if (iopt_dec_load(table, index))
			return index;
		index++;
	}
	return end;
}

#define IOPT_PA_SET_INLINE	32

/*
 * Set of table addresses already visited: an open-addressed hash table,
 * in inl[] until it needs more room (a walk rarely opens more than a few
 * tables: no allocation per walk). Zero-initialised is empty.
 */
struct iopt_pa_set {
	uint64_t *slot;
	size_t cap, n;
	uint64_t inl[IOPT_PA_SET_INLINE];
};

void iopt_pa_set_free(struct iopt_pa_set *s);

/*
 * Open a table of size bytes at pa: checks alignment, liveness, size and
 * sharing (and records pa as visited). Returns 0 with *host set, a problem
 * kind (> 0), or -ENOMEM.
 */
int iopt_dec_open_table(const struct iopt_dec_mem *mem, struct iopt_pa_set *seen,
			uint64_t pa, uint64_t size, const unsigned char **host);

#endif /* IOPT_ORACLE_DECODE_H */
