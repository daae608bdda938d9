// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reference model of the io_pgtable_ops contract of io-pgtable-arm (see
 * model.h), written from the documented behaviour, for the contract
 * generation its configuration names (contract.h).
 *
 * The state is a shadow of the valid descriptors below the top table: one
 * entry per leaf (IOVA, level, output address, the prot it was mapped with,
 * its dirty state) and one per table descriptor (IOVA, level: the table it
 * points to is at level + 1). Entries are kept sorted by (IOVA, level), so
 * a table's subtree, and any run of slots in one table page, is a
 * contiguous range of the array.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static bool is_s1(enum iopt_fmt f)
{
	return f == IOPT_FMT_ARM_64_S1 || f == IOPT_FMT_ARM_32_S1;
}

static bool is_s2(enum iopt_fmt f)
{
	return f == IOPT_FMT_ARM_64_S2 || f == IOPT_FMT_ARM_32_S2;
}

/* The generation the model follows: every configuration must name one. */
static const struct iopt_contract *contract_of(const struct iopt_model_cfg *cfg)
{
	if (!cfg->contract) {
		fprintf(stderr, "iopt model: a configuration without a contract\n");
		abort();
	}
	return cfg->contract;
}

/* ---- Geometry: alloc_io_pgtable_ops ---- */

static unsigned int accepted_quirks(const struct iopt_contract *k, enum iopt_fmt fmt)
{
	unsigned int q = k->quirk_no_warn ? IOPT_Q_NO_WARN : 0;

	if (is_s1(fmt))
		return q | IOPT_Q_ARM_NS | IOPT_Q_ARM_TTBR1 |
		       IOPT_Q_ARM_OUTER_WBWA | (k->quirk_hd ? IOPT_Q_ARM_HD : 0);
	if (is_s2(fmt))
		return q | (k->quirk_s2fwb ? IOPT_Q_ARM_S2FWB : 0);
	return 0;	/* Mali takes none */
}

/* The limits the 32-bit and Mali formats check on the requested sizes. */
static bool fmt_limits_ok(const struct iopt_model_cfg *c)
{
	switch (c->fmt) {
	case IOPT_FMT_ARM_32_S1:
		return c->ias <= 32 && c->oas <= 40;
	case IOPT_FMT_ARM_32_S2:
		return c->ias <= 40 && c->oas <= 40;
	case IOPT_FMT_MALI:
		return c->ias <= 48 && c->oas <= 40;
	default:
		return true;
	}
}

/*
 * The granule is PAGE_SIZE if offered, else the largest offered size below
 * it, else the smallest above; the page sizes are cut to that granule's,
 * and ias/oas clamped to what it can address.
 */
static void restrict_pgsizes(const struct iopt_model_cfg *c, unsigned long bitmap,
			     struct iopt_model_geom *g)
{
	unsigned long page = 1ul << c->page_shift, gran = 0, sizes = 0;
	unsigned int max_bits = 48;

	if (bitmap & page)
		gran = page;
	else if (bitmap & (page - 1))
		gran = 1ul << (63 - __builtin_clzl(bitmap & (page - 1)));
	else if (bitmap)
		gran = bitmap & -bitmap;

	if (gran == SZ_4K) {
		sizes = SZ_4K | SZ_2M | SZ_1G;
	} else if (gran == SZ_16K) {
		sizes = SZ_16K | SZ_32M;
	} else if (gran == SZ_64K) {
		sizes = SZ_64K | SZ_512M | (c->oas > 48 ? SZ_4T : 0);
		max_bits = 52;
	}
	g->pgsize_bitmap = bitmap & sizes;
	g->ias = c->ias < max_bits ? c->ias : max_bits;
	g->oas = c->oas < max_bits ? c->oas : max_bits;
}

static bool oas_encodable(unsigned int oas)
{
	return oas == 32 || oas == 36 || oas == 40 || oas == 42 ||
	       oas == 44 || oas == 48 || oas == 52;
}

/*
 * Stage 2 concatenates up to 16 top-level tables one level down. Older trees
 * do it whenever a level-0 PGD has at most 16 entries; newer ones only where
 * the architecture requires it, and refuse (with a WARN) if it cannot.
 */
static bool s2_concat(const struct iopt_contract *k, const struct iopt_model_geom *g,
		      int pgd_bits, bool *refuse)
{
	unsigned int gs = g->granule_shift;
	bool must;

	if (!k->s2_concat_mandatory)
		return g->start_level == 0 && pgd_bits <= 4;
	if (gs == 14 && g->start_level == 0)
		must = g->oas == 48 || g->ias == 48;
	else if (gs == 12 && g->start_level == 0)
		must = g->oas == 40 || g->oas == 42;
	else
		must = gs == 14 && g->start_level == 1 && g->oas == 40;
	*refuse = must && pgd_bits > 4;
	return must && !*refuse;
}

void iopt_model_geometry(const struct iopt_model_cfg *cfg, struct iopt_model_geom *g)
{
	const struct iopt_contract *k = contract_of(cfg);
	unsigned long bitmap = cfg->pgsize_bitmap;
	int bpl, va_bits, levels, pgd_bits = 0;
	bool refuse = false;

	memset(g, 0, sizeof(*g));
	g->rejected = true;
	g->why = "an unknown format, a quirk it does not take, or sizes beyond its limits";
	if ((unsigned int)cfg->fmt >= IOPT_FMT_COUNT ||
	    (cfg->quirks & ~accepted_quirks(k, cfg->fmt)) || !fmt_limits_ok(cfg))
		return;
	if (cfg->fmt != IOPT_FMT_ARM_64_S1 && cfg->fmt != IOPT_FMT_ARM_64_S2)
		bitmap &= SZ_4K | SZ_2M | SZ_1G;
	restrict_pgsizes(cfg, bitmap, g);
	g->why = "no usable granule";
	if (!(g->pgsize_bitmap & (SZ_4K | SZ_16K | SZ_64K)))
		return;
	g->why = "OUTER_WBWA with a coherent walk";
	if (is_s1(cfg->fmt) && cfg->coherent_walk && (cfg->quirks & IOPT_Q_ARM_OUTER_WBWA))
		return;

	g->granule_shift = __builtin_ctzl(g->pgsize_bitmap);
	bpl = g->granule_shift - 3;
	va_bits = (int)g->ias - (int)g->granule_shift;
	g->degenerate = va_bits <= 0 && cfg->fmt != IOPT_FMT_MALI;
	if (va_bits > 0) {
		levels = (va_bits + bpl - 1) / bpl;
		g->start_level = 4 - levels;
		pgd_bits = va_bits - bpl * (levels - 1);
	}
	if (is_s2(cfg->fmt) && !g->degenerate && s2_concat(k, g, pgd_bits, &refuse)) {
		pgd_bits += bpl;
		g->start_level++;
	}
	g->why = "a concatenation of more than 16 top tables";
	if (refuse) {
		g->warn = true;
		return;
	}
	/* Mali always walks four levels, from a single-entry PGD if need be */
	if (cfg->fmt == IOPT_FMT_MALI && (va_bits <= 0 || g->start_level > 0)) {
		g->start_level = 0;
		pgd_bits = 0;
	}
	g->why = "an output size it cannot encode";
	if (cfg->fmt != IOPT_FMT_MALI && !oas_encodable(g->oas))
		return;
	g->rejected = false;
	g->why = NULL;
	if (g->degenerate)
		g->start_level = 0;
	else
		g->pgd_entries = 1u << pgd_bits;
}

/* ---- The shadow ---- */

static unsigned int lvl_shift(const struct iopt_model *m, int lvl)
{
	return m->g.granule_shift + (3 - lvl) * (m->g.granule_shift - 3);
}

static uint64_t blk(const struct iopt_model *m, int lvl)
{
	return 1ULL << lvl_shift(m, lvl);
}

static unsigned int ptes_per_table(const struct iopt_model *m)
{
	return 1u << (m->g.granule_shift - 3);
}

/* Slots from addr's to the end of its table page (concatenated PGDs: one granule per page). */
static size_t entries_left(const struct iopt_model *m, int lvl, uint64_t addr)
{
	unsigned int ppt = ptes_per_table(m);

	return ppt - ((addr >> lvl_shift(m, lvl)) & (ppt - 1));
}

/* Index of the first entry at or after (iova, level). */
static size_t lower(const struct iopt_model *m, uint64_t iova, int level)
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
static long find(const struct iopt_model *m, int lvl, uint64_t addr)
{
	uint64_t base = addr & ~(blk(m, lvl) - 1);
	size_t i = lower(m, base, lvl);

	if (i < m->n && m->e[i].iova == base && m->e[i].level == lvl)
		return (long)i;
	return -1;
}

/* Make room for count entries at index at; returns the first. */
static struct ment *open_gap(struct iopt_model *m, size_t at, size_t count)
{
	if (m->n + count > m->cap) {
		size_t cap = m->cap * 2 > m->n + count ? m->cap * 2 : m->n + count + 64;
		struct ment *e = realloc(m->e, cap * sizeof(*e));

		if (!e) {
			fprintf(stderr, "iopt model: out of memory\n");
			abort();
		}
		m->e = e;
		m->cap = cap;
	}
	memmove(&m->e[at + count], &m->e[at], (m->n - at) * sizeof(*m->e));
	m->n += count;
	return &m->e[at];
}

/* Empty count slots of size bytes from addr at level lvl, and all below: returns tables freed */
static unsigned int clear_slots(struct iopt_model *m, int lvl, uint64_t addr, size_t count,
				uint64_t size)
{
	size_t from, to, i;
	unsigned int tables = 0;

	if (!count)
		return 0;
	from = lower(m, addr, lvl);
	to = lower(m, addr + count * size, 0);
	if (from == to)
		return 0;
	for (i = from; i < to; i++)
		tables += m->e[i].table;
	memmove(&m->e[from], &m->e[to], (m->n - to) * sizeof(*m->e));
	m->n -= to - from;
	m->tables -= tables;
	return tables;
}

static void put_table(struct iopt_model *m, int lvl, uint64_t addr)
{
	uint64_t base = addr & ~(blk(m, lvl) - 1);
	struct ment *x = open_gap(m, lower(m, base, lvl), 1);

	*x = (struct ment){ .iova = base, .level = lvl, .table = true };
	m->tables++;
}

/* Under HD, a writable stage-1 leaf has DBM set: it is dirty-tracked. */
static bool has_dbm(const struct iopt_model *m, int prot)
{
	return is_s1(m->cfg.fmt) && (m->cfg.quirks & IOPT_Q_ARM_HD) && (prot & IOPT_PROT_WRITE);
}

static void put_leaves(struct iopt_model *m, int lvl, uint64_t addr, uint64_t pa,
		       size_t count, int prot)
{
	uint64_t sz = blk(m, lvl);
	struct ment *x;
	size_t k;

	if (!count)
		return;
	x = open_gap(m, lower(m, addr, lvl), count);

	/* writable leaves under HD start out dirty (DBM set, AP[2] clear) */
	for (k = 0; k < count; k++)
		x[k] = (struct ment){ .iova = addr + k * sz, .pa = pa + k * sz, .level = lvl,
				      .dirty = has_dbm(m, prot), .prot = prot };
}

/* Turn the block at index i into a table of next-level blocks, same output and attributes */
static void split_block(struct iopt_model *m, size_t i)
{
	struct ment b = m->e[i];
	uint64_t sz = blk(m, b.level + 1);
	unsigned int k, ppt = ptes_per_table(m);
	struct ment *x;

	m->e[i].table = true;
	m->tables++;
	x = open_gap(m, i + 1, ppt);
	for (k = 0; k < ppt; k++)
		x[k] = (struct ment){ .iova = b.iova + k * sz, .pa = b.pa + k * sz,
				      .level = b.level + 1, .dirty = b.dirty, .prot = b.prot };
}

/* The leaf that translates addr (its level in *lvl), or -1. */
static long leaf_at(const struct iopt_model *m, uint64_t addr, int *lvl)
{
	long x;

	for (*lvl = m->g.start_level; *lvl <= 3; (*lvl)++) {
		x = find(m, *lvl, addr);
		if (x < 0 || !m->e[x].table)
			return x;
	}
	return -1;
}

struct iopt_model *iopt_model_new(const struct iopt_model_cfg *cfg)
{
	struct iopt_model *m;
	unsigned int bits;

	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->cfg = *cfg;
	m->k = contract_of(cfg);
	iopt_model_geometry(cfg, &m->g);
	if (m->g.rejected || m->g.degenerate) {
		free(m);
		return NULL;
	}
	bits = lvl_shift(m, m->g.start_level) + __builtin_ctz(m->g.pgd_entries);
	m->walk_mask = bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
	return m;
}

void iopt_model_free(struct iopt_model *m)
{
	if (m)
		free(m->e);
	free(m);
}

const struct iopt_model_geom *iopt_model_get_geom(const struct iopt_model *m)
{
	return &m->g;
}

void iopt_model_pgd_sizes(const struct iopt_model *m, size_t *alloc, size_t *freed)
{
	size_t size = (size_t)m->g.pgd_entries * 8;

	*alloc = m->k->pgd_min_64 && size < 64 ? 64 : size;
	*freed = m->k->pgd_free_min_64 && size < 64 ? 64 : size;
}

size_t iopt_model_pgd_map_len(const struct iopt_model *m, bool custom)
{
	size_t alloc, freed, page = (size_t)1 << m->cfg.page_shift, block = page;

	iopt_model_pgd_sizes(m, &alloc, &freed);
	if (custom || !m->k->dma_map_whole_alloc)
		return alloc;
	while (block < alloc)
		block <<= 1;
	return block;
}

void iopt_model_dec_cfg(const struct iopt_model *m, uint64_t ttbr, struct iopt_dec_cfg *dec)
{
	memset(dec, 0, sizeof(*dec));
	dec->fmt = m->cfg.fmt;
	dec->granule_shift = m->g.granule_shift;
	dec->ias = m->g.ias;
	dec->oas = m->g.oas;
	dec->start_level = m->g.start_level;
	dec->pgd_entries = m->g.pgd_entries;
	dec->ttbr = ttbr;
	dec->ttbr1 = m->cfg.quirks & IOPT_Q_ARM_TTBR1;
}

unsigned int iopt_model_nr_tables(const struct iopt_model *m)
{
	return 1 + m->tables;
}

size_t iopt_model_nr_leaves(const struct iopt_model *m)
{
	return m->n - m->tables;
}

bool iopt_model_consistent(const struct iopt_model *m)
{
	long last[4] = { -1, -1, -1, -1 };	/* latest entry seen at each level */
	unsigned int tables = 0;
	const struct ment *e, *up;
	size_t i;

	for (i = 0; i < m->n; i++) {
		e = &m->e[i];
		if (i && (e[-1].iova > e->iova ||
			  (e[-1].iova == e->iova && e[-1].level >= e->level)))
			return false;	/* out of order */
		if (e->level < m->g.start_level || e->level > 3 || (e->table && e->level == 3) ||
		    (e->iova & (blk(m, e->level) - 1)) || (e->iova & ~m->walk_mask))
			return false;
		/* in this order, an entry's parent is the latest one a level up */
		if (e->level > m->g.start_level) {
			if (last[e->level - 1] < 0)
				return false;
			up = &m->e[last[e->level - 1]];
			if (!up->table || e->iova - up->iova >= blk(m, up->level))
				return false;
		}
		last[e->level] = (long)i;
		tables += e->table;
	}
	return tables == m->tables;
}

void iopt_model_dump(const struct iopt_model *m, FILE *f)
{
	size_t i;

	fprintf(f, "model: %s, start level %d, %u PGD entries, %u tables, %zu leaves\n",
		iopt_dec_fmt_name(m->cfg.fmt), m->g.start_level, m->g.pgd_entries,
		iopt_model_nr_tables(m), iopt_model_nr_leaves(m));
	for (i = 0; i < m->n; i++) {
		const struct ment *e = &m->e[i];

		if (e->table)
			fprintf(f, "  L%d 0x%" PRIx64 ": table\n", e->level, e->iova);
		else
			fprintf(f, "  L%d 0x%" PRIx64 " -> 0x%" PRIx64 " prot 0x%x%s\n", e->level,
				e->iova, e->pa, e->prot, e->dirty ? " dirty" : "");
	}
}

/* ---- Descriptors: what the kernel documents for each prot and format ---- */

static uint64_t leaf_attrs(const struct iopt_model *m, int prot, bool dirty)
{
	enum iopt_fmt f = m->cfg.fmt;
	unsigned int q = m->cfg.quirks;
	uint64_t pte = 0;

	/* permissions: AP at stage 1; the stage-2 HAP bits at stage 2 and for Mali */
	if (is_s1(f)) {
		pte |= PTE_NG;
		if (!(prot & IOPT_PROT_WRITE))
			pte |= PTE_AP_RDONLY;
		else if (q & IOPT_Q_ARM_HD)
			pte |= PTE_DBM | (dirty ? 0 : PTE_AP_RDONLY);
		if (!(prot & IOPT_PROT_PRIV))
			pte |= PTE_AP_UNPRIV;
	} else {
		pte |= prot & IOPT_PROT_READ ? PTE_HAP_READ : 0;
		pte |= prot & IOPT_PROT_WRITE ? PTE_HAP_WRITE : 0;
	}
	/* memory type: MemAttr at stage 2; a MAIR index at stage 1 and for Mali */
	if (is_s2(f)) {
		if (prot & IOPT_PROT_MMIO)
			pte |= PTE_MEMATTR(MEMATTR_DEV);
		else if (prot & IOPT_PROT_CACHE)
			pte |= PTE_MEMATTR(q & IOPT_Q_ARM_S2FWB ? MEMATTR_FWB_WB : MEMATTR_OIWB);
		else
			pte |= PTE_MEMATTR(MEMATTR_NC);
	} else if (prot & IOPT_PROT_MMIO) {
		pte |= PTE_ATTRINDX(ATTRIDX_DEV);
	} else if (prot & IOPT_PROT_CACHE) {
		pte |= PTE_ATTRINDX(ATTRIDX_CACHE);
	} else {
		pte |= PTE_ATTRINDX(ATTRIDX_NC);
	}
	/* Mali is always outer shareable */
	pte |= (prot & IOPT_PROT_CACHE) && f != IOPT_FMT_MALI ? PTE_SH_IS : PTE_SH_OS;
	if (prot & IOPT_PROT_NOEXEC)
		pte |= PTE_XN;
	if (q & IOPT_Q_ARM_NS)
		pte |= PTE_NS;
	if (f != IOPT_FMT_MALI)
		pte |= PTE_AF;
	return pte;
}

/* The output address field: with a 64K granule, OA[51:48] sit in bits 15:12. */
static uint64_t oa_field(const struct iopt_model *m, uint64_t pa)
{
	if (m->g.granule_shift == 16)
		return (pa & BITS(47, 16)) | ((pa >> 36) & BITS(15, 12));
	return pa & BITS(47, 12);
}

uint64_t iopt_model_leaf_pte(const struct iopt_model *m, int level, uint64_t pa, int prot,
			     bool dirty)
{
	bool page = level == 3 && m->cfg.fmt != IOPT_FMT_MALI;

	return leaf_attrs(m, prot, dirty) | (page ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK) |
	       oa_field(m, pa);
}

/* ---- Ops ---- */

/* Each op's body returns what the kernel returns; these note WARNs and reasons on the way. */
static long fail(struct iopt_model_pred *p, long ret, bool warn, const char *why)
{
	p->warn |= warn;
	p->why = why;
	return ret;
}

static long violation(struct iopt_model_pred *p, const char *why)
{
	p->violation = true;
	p->why = why;
	return 0;
}

/* Whether the table allocation the kernel makes now fails (fault injection). */
static bool alloc_fails(struct iopt_model *m)
{
	return m->fail_alloc && !--m->fail_alloc;
}

/* The WARNs that NO_WARN silences, in trees that have it (selftest_running is never set here). */
static bool loud(const struct iopt_model *m)
{
	return !(m->k->quirk_no_warn && (m->cfg.quirks & IOPT_Q_NO_WARN));
}

/* Bits above ias must be a sign extension: all 0, or all 1 under TTBR1. */
static bool iova_in_range(const struct iopt_model *m, uint64_t iova)
{
	int64_t ext = (int64_t)iova >> m->g.ias;

	if (m->cfg.quirks & IOPT_Q_ARM_TTBR1)
		ext = ~ext;
	return !ext;
}

static bool pgsize_ok(const struct iopt_model *m, size_t pgsize)
{
	return pgsize && (pgsize & m->g.pgsize_bitmap) == pgsize;
}

/* P1-P4 of model.h; paddr only when has_pa. NULL when all hold. */
static const char *broken_precondition(const struct iopt_model *m, uint64_t iova, uint64_t paddr,
				       size_t pgsize, size_t pgcount, bool has_pa)
{
	uint64_t in_room = (1ULL << m->g.ias) - (iova & ((1ULL << m->g.ias) - 1));

	/* several sizes at once pass the kernel's check, but never reach a leaf */
	if (pgsize & (pgsize - 1))
		return NULL;
	if (pgcount > INT_MAX)
		return "P4: pgcount does not fit an int";
	if ((iova | (has_pa ? paddr : 0)) & (pgsize - 1))
		return "P1: iova or paddr not aligned to pgsize";
	if (pgcount > in_room / pgsize)
		return "P2: the range goes past the input address size";
	if (has_pa && pgcount > ((1ULL << m->g.oas) - paddr) / pgsize)
		return "P3: the output range goes past the output address size";
	return NULL;
}

static long map(struct iopt_model *m, uint64_t iova, uint64_t paddr, size_t pgsize,
		size_t pgcount, int prot, struct iopt_model_pred *p)
{
	uint64_t addr = iova & m->walk_mask;
	const char *broken;
	size_t num, k;
	int lvl;
	long x;

	if (!pgsize_ok(m, pgsize))
		return fail(p, -EINVAL, true, "pgsize is not one supported page size");
	if (!iova_in_range(m, iova) || paddr >> m->g.oas)
		return fail(p, -ERANGE, true, "iova or paddr out of range");
	if (!(prot & (IOPT_PROT_READ | IOPT_PROT_WRITE)))
		return fail(p, -EINVAL, false, "prot has neither READ nor WRITE");
	broken = broken_precondition(m, iova, paddr, pgsize, pgcount, true);
	if (broken)
		return violation(p, broken);

	/* Walk down to the level of pgsize, installing missing tables (kept on failure). */
	for (lvl = m->g.start_level; blk(m, lvl) != pgsize; lvl++) {
		if (lvl == 3)
			return fail(p, -EINVAL, true, "pgsize is above the top level");
		x = find(m, lvl, addr);
		if (x < 0) {
			if (alloc_fails(m))
				return fail(p, -ENOMEM, false, "table allocation failed");
			put_table(m, lvl, addr);
			p->tables_added++;
		} else if (!m->e[x].table) {
			return fail(p, -EEXIST, loud(m), "a block already covers the range");
		}
	}

	/* Up to the end of this table page; tables in the slots are freed in order. */
	num = entries_left(m, lvl, addr);
	num = pgcount < num ? pgcount : num;
	for (k = 0; k < num; k++) {
		x = find(m, lvl, addr + k * pgsize);
		if (x >= 0 && !m->e[x].table) {
			p->tables_freed += clear_slots(m, lvl, addr, k, pgsize);
			return fail(p, -EEXIST, loud(m), "a leaf is already mapped in the range");
		}
	}
	p->tables_freed += clear_slots(m, lvl, addr, num, pgsize);
	put_leaves(m, lvl, addr, paddr, num, prot);
	p->mapped += num * pgsize;
	return 0;
}

void iopt_model_map(struct iopt_model *m, uint64_t iova, uint64_t paddr, size_t pgsize,
		    size_t pgcount, int prot, size_t mapped_before, struct iopt_model_pred *p)
{
	memset(p, 0, sizeof(*p));
	p->mapped = mapped_before;
	p->ret = map(m, iova, paddr, pgsize, pgcount, prot, p);
}

/* At the level of pgsize: clear slots up to the end of the table page, stopping at a hole. */
static long unmap_slots(struct iopt_model *m, int lvl, uint64_t addr, size_t pgsize,
			size_t pgcount, struct iopt_model_pred *p)
{
	size_t num = entries_left(m, lvl, addr), i = 0;

	num = pgcount < num ? pgcount : num;
	while (i < num && find(m, lvl, addr + i * pgsize) >= 0)
		i++;
	if (i < num)
		fail(p, 0, loud(m), "a hole in the range");
	p->tables_freed += clear_slots(m, lvl, addr, i, pgsize);
	return (long)(i * pgsize);
}

static long unmap(struct iopt_model *m, uint64_t iova, size_t pgsize, size_t pgcount,
		  struct iopt_model_pred *p)
{
	uint64_t addr = iova & m->walk_mask;
	const char *broken;
	int lvl;
	long x;

	if (!pgsize_ok(m, pgsize) || !pgcount)
		return fail(p, 0, true, "bad pgsize, or pgcount 0");
	if (!iova_in_range(m, iova))
		return fail(p, 0, true, "iova out of range");
	broken = broken_precondition(m, iova, 0, pgsize, pgcount, false);
	if (broken)
		return violation(p, broken);

	for (lvl = m->g.start_level; lvl <= 3; lvl++) {
		x = find(m, lvl, addr);
		if (x < 0)
			return fail(p, m->k->unmap_hole_enoent ? -ENOENT : 0, loud(m),
				    "nothing mapped at iova");
		if (blk(m, lvl) == pgsize)
			return unmap_slots(m, lvl, addr, pgsize, pgcount, p);
		if (m->e[x].table)
			continue;
		/* a block larger than pgsize covers iova */
		if (!m->k->unmap_splits_blocks)
			return fail(p, 0, true, "partial unmap of a block");
		if (lvl == 3)
			return fail(p, 0, true, "no level left to split the page into");
		/* one level per step; the loop then meets the piece that covers iova */
		if (alloc_fails(m))
			return fail(p, 0, false, "the split's table allocation failed");
		split_block(m, x);
		p->tables_added++;
	}
	return 0;
}

void iopt_model_unmap(struct iopt_model *m, uint64_t iova, size_t pgsize, size_t pgcount,
		      struct iopt_model_pred *p)
{
	memset(p, 0, sizeof(*p));
	p->ret = unmap(m, iova, pgsize, pgcount, p);
}

void iopt_model_fail_alloc(struct iopt_model *m, unsigned long nth)
{
	m->fail_alloc = nth;
}

uint64_t iopt_model_iova_to_phys(const struct iopt_model *m, uint64_t iova)
{
	int lvl;
	long x = leaf_at(m, iova & m->walk_mask, &lvl);

	return x < 0 ? 0 : m->e[x].pa | (iova & (blk(m, lvl) - 1));
}

void iopt_model_set_dirty(struct iopt_model *m, uint64_t iova)
{
	int lvl;
	long x = leaf_at(m, iova & m->walk_mask, &lvl);

	if (x >= 0 && has_dbm(m, m->e[x].prot))
		m->e[x].dirty = true;
}

struct dirty_walk {
	uint64_t addr, end;
	unsigned long flags;
	void (*record)(void *ctx, uint64_t iova, uint64_t len);
	void *ctx;
	struct iopt_model_pred *p;
};

/*
 * The kernel's walk: from the slot holding addr to the end of the table (hi)
 * or of the range; each leaf advances addr by its size, whatever addr's
 * offset in it (an unaligned start stays unaligned, and is recorded so).
 * Leaves before a hole are reported and cleared before the walk fails.
 */
static long walk_dirty(struct iopt_model *m, int lvl, uint64_t hi, struct dirty_walk *w)
{
	uint64_t sz = blk(m, lvl);
	long x, r;

	while (w->addr < hi && w->addr < w->end) {
		x = find(m, lvl, w->addr);
		if (x < 0)
			return fail(w->p, -EINVAL, m->k->dirty_hole_warns, "a hole in the range");
		if (m->e[x].table) {
			r = walk_dirty(m, lvl + 1, m->e[x].iova + sz, w);
			if (r)
				return r;
			continue;
		}
		if (m->e[x].dirty) {
			w->record(w->ctx, w->addr, sz);
			if (!(w->flags & IOPT_DIRTY_NO_CLEAR))
				m->e[x].dirty = false;
		}
		w->addr += sz;
	}
	return 0;
}

static long read_and_clear_dirty(struct iopt_model *m, struct dirty_walk *w)
{
	if (!m->k->has_dirty) {
		violation(w->p, "this tree has no read_and_clear_dirty");
		return -EOPNOTSUPP;
	}
	if (w->end == w->addr)
		return fail(w->p, -EINVAL, true, "size 0");
	/* no TTBR1 inversion here: upper-half IOVAs always fail */
	if ((w->end - 1) & ~((1ULL << m->g.ias) - 1))
		return fail(w->p, -EINVAL, true, "range beyond ias");
	if (m->cfg.fmt != IOPT_FMT_ARM_64_S1)
		return fail(w->p, -EINVAL, false, "not ARM_64_LPAE_S1");
	return walk_dirty(m, m->g.start_level, m->walk_mask + 1, w);
}

void iopt_model_read_and_clear_dirty(struct iopt_model *m, uint64_t iova, size_t size,
				     unsigned long flags,
				     void (*record)(void *ctx, uint64_t iova, uint64_t len),
				     void *ctx, struct iopt_model_pred *p)
{
	struct dirty_walk w = {
		.addr = iova, .end = iova + size, .flags = flags,
		.record = record, .ctx = ctx, .p = p,
	};

	memset(p, 0, sizeof(*p));
	p->ret = read_and_clear_dirty(m, &w);
}

/* ---- Comparing decoded tables ---- */

struct cmp {
	const struct iopt_model *m;
	uint64_t hi;		/* the decoder's upper-half IOVA bits */
	uint64_t lo_va, hi_va;	/* the IOVA range compared, in walk bits */
	size_t next;		/* next model entry to match */
	unsigned int tables[4];	/* decoded tables per level */
	int diffs;
	char *why;
	size_t n;
};

static void note(struct cmp *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->diffs++ && c->n) {
		va_start(ap, fmt);
		vsnprintf(c->why, c->n, fmt, ap);
		va_end(ap);
	}
}

static uint64_t ment_end(const struct iopt_model *m, const struct ment *e)
{
	return e->iova + (blk(m, e->level) - 1);
}

/* The next model leaf in the compared range, or NULL. */
static const struct ment *next_leaf(struct cmp *c)
{
	const struct ment *e;

	for (; c->next < c->m->n; c->next++) {
		e = &c->m->e[c->next];
		if (e->iova > c->hi_va)
			return NULL;
		if (!e->table && ment_end(c->m, e) >= c->lo_va)
			return e;
	}
	return NULL;
}

static void note_missing(struct cmp *c, const struct ment *e)
{
	note(c, "model leaf L%d iova 0x%" PRIx64 " -> pa 0x%" PRIx64 " is not in the tables",
	     e->level, e->iova | c->hi, e->pa);
	c->next++;
}

/* Does model leaf e come before decoded leaf l, in (iova, level) order? */
static bool before(const struct cmp *c, const struct ment *e, const struct iopt_leaf *l)
{
	uint64_t iova = e->iova | c->hi;

	return iova < l->iova || (iova == l->iova && e->level < l->level);
}

static void cmp_leaf(void *ctx, const struct iopt_leaf *l)
{
	struct cmp *c = ctx;
	const struct ment *e;
	char buf[256];
	uint64_t want;

	while ((e = next_leaf(c)) && before(c, e, l))
		note_missing(c, e);
	if (!e || (e->iova | c->hi) != l->iova || e->level != l->level) {
		iopt_leaf_snprint(buf, sizeof(buf), l, c->m->cfg.fmt);
		note(c, "leaf not in the model: %s", buf);
		return;
	}
	c->next++;
	want = iopt_model_leaf_pte(c->m, e->level, e->pa, e->prot, e->dirty);
	if (l->pte == want)
		return;
	iopt_leaf_snprint(buf, sizeof(buf), l, c->m->cfg.fmt);
	note(c, "leaf differs (bits 0x%016" PRIx64 "): model pte 0x%016" PRIx64
	     " (prot 0x%x%s), tables: %s", l->pte ^ want, want, e->prot,
	     e->dirty ? ", dirty" : "", buf);
}

static void cmp_table(void *ctx, uint64_t pa, int level, unsigned int entries,
		      uint64_t iova)
{
	struct cmp *c = ctx;

	if (level >= 0 && level < 4)
		c->tables[level]++;
}

static void cmp_problem(void *ctx, const struct iopt_problem *p)
{
	struct cmp *c = ctx;
	char buf[200];

	iopt_prob_snprint(buf, sizeof(buf), p);
	note(c, "decoder: %s", buf);
}

int iopt_model_check_range(const struct iopt_model *m, const struct iopt_dec_cfg *dec,
			   const struct iopt_dec_mem *mem, uint64_t lo, uint64_t hi,
			   char *why, size_t n)
{
	struct cmp c = { .m = m, .hi = iopt_dec_iova_hi(dec), .why = why, .n = n };
	struct iopt_dec_visitor v = {
		.ctx = &c, .leaf = cmp_leaf, .table = cmp_table, .problem = cmp_problem,
	};
	unsigned int want[4] = { 0 };
	const struct ment *e;
	size_t i;
	int lvl, r;

	c.lo_va = lo & ~c.hi;
	c.hi_va = hi & ~c.hi;
	if (c.hi_va > m->walk_mask)
		c.hi_va = m->walk_mask;
	if (c.lo_va > c.hi_va) {	/* as the decoder: all of it */
		c.lo_va = 0;
		c.hi_va = m->walk_mask;
	}
	c.next = lower(m, c.lo_va & ~(blk(m, m->g.start_level) - 1), 0);
	if (n)
		why[0] = '\0';
	r = iopt_dec_walk_range(dec, mem, lo, hi, &v);
	if (r < 0) {
		snprintf(why, n, "decoder failed: %d", r);
		return r;
	}
	while ((e = next_leaf(&c)))
		note_missing(&c, e);
	/* tables whose parent entry meets the range, as the walk visits them */
	want[m->g.start_level] = 1;
	for (i = lower(m, c.lo_va & ~(blk(m, m->g.start_level) - 1), 0);
	     i < m->n && m->e[i].iova <= c.hi_va; i++)
		if (m->e[i].table && ment_end(m, &m->e[i]) >= c.lo_va)
			want[m->e[i].level + 1]++;
	for (lvl = 0; lvl < 4; lvl++)
		if (want[lvl] != c.tables[lvl])
			note(&c, "%u tables at level %d, the model has %u", c.tables[lvl], lvl,
			     want[lvl]);
	return c.diffs;
}

int iopt_model_check_tables(const struct iopt_model *m, const struct iopt_dec_cfg *dec,
			    const struct iopt_dec_mem *mem, char *why, size_t n)
{
	return iopt_model_check_range(m, dec, mem, 0, ~0ULL, why, n);
}
