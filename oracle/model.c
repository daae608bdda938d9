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

#include "model_internal.h"

/* ---- The shadow ---- */

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
		       size_t count, int prot, bool cont)
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
				      .dirty = has_dbm(m, prot), .cont = cont, .prot = prot };
}

/*
 * Contract cont_hint: the leaves left in every contiguous group that
 * [addr, addr + count slots) meets lose the contiguous bit (the group is
 * no longer whole). count: the slots an unmap removed, so that a group
 * it did not touch (past a hole that ended it) stays whole.
 */
static void break_groups(struct iopt_model *m, int lvl, uint64_t addr, size_t count)
{
	uint64_t group = blk(m, lvl) * iopt_cont_entries(m->g.granule_shift, lvl);
	uint64_t lo = addr & ~(group - 1);
	uint64_t hi = (addr + count * blk(m, lvl) + group - 1) & ~(group - 1);
	size_t i;

	if (!m->k->cont_hint || !count)
		return;
	for (i = lower(m, lo, lvl); i < m->n && m->e[i].iova < hi; i++)
		if (m->e[i].level == lvl)
			m->e[i].cont = false;
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
	/* (no contract both splits blocks and has contiguous groups) */
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

void iopt_geom_pgd_sizes(const struct iopt_model_cfg *cfg,
			 const struct iopt_model_geom *g, size_t *alloc,
			 size_t *freed)
{
	const struct iopt_contract *k = contract_of(cfg);
	size_t size = (size_t)g->pgd_entries * 8;

	*alloc = k->pgd_min_64 && size < 64 ? 64 : size;
	*freed = k->pgd_free_min_64 && size < 64 ? 64 : size;
}

size_t iopt_geom_pgd_map_len(const struct iopt_model_cfg *cfg,
			     const struct iopt_model_geom *g, bool custom)
{
	size_t alloc, freed, block = (size_t)1 << cfg->page_shift;

	iopt_geom_pgd_sizes(cfg, g, &alloc, &freed);
	if (custom || !contract_of(cfg)->dma_map_whole_alloc)
		return alloc;
	while (block < alloc)
		block <<= 1;
	return block;
}

void iopt_model_pgd_sizes(const struct iopt_model *m, size_t *alloc, size_t *freed)
{
	iopt_geom_pgd_sizes(&m->cfg, &m->g, alloc, freed);
}

size_t iopt_model_pgd_map_len(const struct iopt_model *m, bool custom)
{
	return iopt_geom_pgd_map_len(&m->cfg, &m->g, custom);
}

void iopt_model_geom_dec_cfg(const struct iopt_model_cfg *cfg,
			     const struct iopt_model_geom *g, uint64_t ttbr,
			     struct iopt_dec_cfg *dec)
{
	memset(dec, 0, sizeof(*dec));
	dec->fmt = cfg->fmt;
	dec->granule_shift = g->granule_shift;
	dec->ias = g->ias;
	dec->oas = g->oas;
	dec->start_level = g->start_level;
	dec->pgd_entries = g->pgd_entries;
	dec->ttbr = ttbr;
	dec->ttbr1 = cfg->quirks & IOPT_Q_ARM_TTBR1;
	/* NSTable with the NS quirk (a stage-1 quirk), no other attribute */
	dec->table_attrs = cfg->quirks & IOPT_Q_ARM_NS ? 1ULL << 63 : 0;
}

void iopt_model_dec_cfg(const struct iopt_model *m, uint64_t ttbr, struct iopt_dec_cfg *dec)
{
	iopt_model_geom_dec_cfg(&m->cfg, &m->g, ttbr, dec);
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

bool iopt_model_plant_break(struct iopt_model *m, enum iopt_model_break how)
{
	struct ment t;

	switch (how) {
	case IOPT_BREAK_COUNT:		/* a table counted that is not there */
		m->tables++;
		return true;
	case IOPT_BREAK_ORDER:		/* the first two entries swapped */
		if (m->n < 2)
			return false;
		t = m->e[0];
		m->e[0] = m->e[1];
		m->e[1] = t;
		return true;
	case IOPT_BREAK_ALIGN:		/* the last entry half a granule off */
		if (!m->n)
			return false;
		m->e[m->n - 1].iova += blk(m, 3) / 2;
		return true;
	}
	return false;
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

/* A contiguous group's entries at lvl under this contract (1: no groups there). */
static size_t cont_at(const struct iopt_model *m, int lvl)
{
	return m->k->cont_hint ? iopt_cont_entries(m->g.granule_shift, lvl) : 1;
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
	uint64_t addr = iova & m->walk_mask, sz;
	const char *broken;
	size_t num, k, per = 1;
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
		if (blk(m, lvl) * cont_at(m, lvl) == pgsize) {
			/* a contiguous size: its group's entries at this level */
			per = cont_at(m, lvl);
			break;
		}
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
	sz = blk(m, lvl);
	num = entries_left(m, lvl, addr);
	num = pgcount * per < num ? pgcount * per : num;
	for (k = 0; k < num; k++) {
		x = find(m, lvl, addr + k * sz);
		if (x >= 0 && !m->e[x].table) {
			p->tables_freed += clear_slots(m, lvl, addr, k, sz);
			return fail(p, -EEXIST, loud(m), "a leaf is already mapped in the range");
		}
	}
	p->tables_freed += clear_slots(m, lvl, addr, num, sz);
	put_leaves(m, lvl, addr, paddr, num, prot, per > 1);
	p->mapped += num * sz;
	return 0;
}

void iopt_model_map(struct iopt_model *m, uint64_t iova, uint64_t paddr, size_t pgsize,
		    size_t pgcount, int prot, size_t mapped_before, struct iopt_model_pred *p)
{
	memset(p, 0, sizeof(*p));
	p->mapped = mapped_before;
	p->ret = map(m, iova, paddr, pgsize, pgcount, prot, p);
}

/*
 * At the level of pgsize's leaves (sz each, count of them): clear slots up
 * to the end of the table page, stopping at a hole.
 */
static long unmap_slots(struct iopt_model *m, int lvl, uint64_t addr, size_t sz,
			size_t count, struct iopt_model_pred *p)
{
	size_t num = entries_left(m, lvl, addr), i = 0;

	num = count < num ? count : num;
	while (i < num && find(m, lvl, addr + i * sz) >= 0)
		i++;
	if (i < num)
		fail(p, 0, loud(m), "a hole in the range");
	break_groups(m, lvl, addr, i);
	p->tables_freed += clear_slots(m, lvl, addr, i, sz);
	return (long)(i * sz);
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
		if (blk(m, lvl) * cont_at(m, lvl) == pgsize)	/* a contiguous size */
			return unmap_slots(m, lvl, addr, blk(m, lvl),
					   pgcount * cont_at(m, lvl), p);
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
