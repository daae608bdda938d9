// SPDX-License-Identifier: GPL-2.0-only
/*
 * What an op's invalidations must cover, whatever a device cached
 * (device.h has the rules of each callback):
 *
 * - every leaf an unmap removed, after the op and the driver's sync: a
 *   tlb_add_page with the leaf's size as granule, a walk flush over it,
 *   or a full flush. A block the op split, where the contract splits
 *   blocks, that only the split's tlb_add_page of its smaller granule met
 *   is still cached: a known upstream bug (split-tlb-ttl, fuzz/known.c),
 *   reported apart (split_left);
 * - every table freed in an unmap or a map, at its free: walk flushes of
 *   the table granule (tlb_flush_walk's, ARM_LPAE_GRANULE) made in the op,
 *   or a full flush, over all the table spans.
 *
 * One side's op at a time (side_op): what the op's range held before it,
 * and the invalidations it made. Beyond what it keeps, a leaf or a table
 * is not checked (no false alarm).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

#define FC_TABLES	1024
#define FC_WALKS	256
#define FC_RUNS		256
#define FC_PAGES	1024

struct leaf_run {			/* leaves of one size, IOVAs in a row */
	uint64_t iova, size, n;
	int level;
};

static struct {
	bool on;
	bool splits;			/* an unmap, where the contract splits blocks */
	uint64_t granule;		/* ARM_LPAE_GRANULE: the walk flush's */
	uint64_t iova, pgsize;		/* the op's: a split's tlb_add_page granule */
	uint64_t unmapped;		/* what the unmap returned, once over */
	const struct iopt_dec_cfg *cfg;
	struct { uint64_t pa, iova, span; int level; } table[FC_TABLES];
	unsigned int ntables;
	struct leaf_run run[FC_RUNS];	/* the leaves before an unmap */
	unsigned int nruns;
	struct { uint64_t iova, size, granule; } walk[FC_WALKS];
	unsigned int nwalks;
	struct { uint64_t iova, granule; } page[FC_PAGES];
	unsigned int npages;
	bool walks_cut, pages_cut, flushed_all;
} fc;

/* ---- before the op: what the range holds -------------------------------- */

static void fc_table(void *ctx, uint64_t pa, int level, unsigned int entries,
		     uint64_t iova)
{
	if (level <= fc.cfg->start_level || fc.ntables == FC_TABLES)
		return;
	fc.table[fc.ntables].pa = pa;
	fc.table[fc.ntables].iova = iova;
	fc.table[fc.ntables].span =
		1ULL << iopt_dec_level_shift(fc.cfg, level - 1);
	fc.table[fc.ntables].level = level;
	fc.ntables++;
}

static void fc_leaf(void *ctx, const struct iopt_leaf *l)
{
	if (fc.nruns) {
		struct leaf_run *last = &fc.run[fc.nruns - 1];

		if (last->size == l->size && last->level == l->level &&
		    last->iova + last->n * last->size == l->iova) {
			last->n++;
			return;
		}
	}
	if (fc.nruns == FC_RUNS)
		return;
	fc.run[fc.nruns].iova = l->iova;
	fc.run[fc.nruns].size = l->size;
	fc.run[fc.nruns].n = 1;
	fc.run[fc.nruns].level = l->level;
	fc.nruns++;
}

/*
 * Before an unmap, or a map of a block (which may replace a table): the
 * tables [iova, iova + len) holds, as the CPU sees them, and for an
 * unmap its leaves: what the returned visitor is to be told, by a walk of
 * that range in the CPU's view (run.c's walk_before()); NULL: no walk.
 */
const struct iopt_dec_visitor *inval_op_begin(struct run *r, struct side *s,
					      const struct iopt_op *op,
					      const struct op_args *a)
{
	static const struct iopt_dec_visitor tables = { .table = fc_table };
	static const struct iopt_dec_visitor all = {
		.table = fc_table, .leaf = fc_leaf,
	};
	unsigned long pgsizes = s->st.pgsize_bitmap;

	s->inv_why[0] = '\0';
	s->inv_split = false;
	fc.on = false;
	fc.unmapped = 0;
	if (op->kind != IOPT_OP_UNMAP &&
	    (op->kind != IOPT_OP_MAP || a->pgsize <= (pgsizes & -pgsizes)))
		return NULL;
	fc.on = true;
	fc.splits = op->kind == IOPT_OP_UNMAP &&
		    r->cfg.contract->unmap_splits_blocks;
	fc.iova = a->iova;
	fc.pgsize = a->pgsize;
	fc.cfg = &s->dec;
	fc.granule = 1ULL << s->dec.granule_shift;
	fc.ntables = fc.nruns = fc.nwalks = fc.npages = 0;
	fc.walks_cut = fc.pages_cut = fc.flushed_all = false;
	if (op_removes_nothing(r, op))
		return NULL;	/* nothing to list: run.h */
	return op->kind == IOPT_OP_UNMAP ? &all : &tables;
}

/* ---- the invalidations the op makes (hw.c's callbacks) ------------------- */

void inval_flush_all(void)
{
	fc.flushed_all = true;
}

void inval_flush_walk(uint64_t iova, uint64_t size, uint64_t granule)
{
	if (!fc.on)
		return;
	if (fc.nwalks == FC_WALKS) {
		fc.walks_cut = true;
		return;
	}
	fc.walk[fc.nwalks].iova = iova;
	fc.walk[fc.nwalks].size = size;
	fc.walk[fc.nwalks].granule = granule;
	fc.nwalks++;
}

/* With a gather, done at the sync: inval_op_end comes after it. */
void inval_add_page(uint64_t iova, uint64_t granule)
{
	if (!fc.on)
		return;
	if (fc.npages == FC_PAGES) {
		fc.pages_cut = true;
		return;
	}
	fc.page[fc.npages].iova = iova;
	fc.page[fc.npages].granule = granule;
	fc.npages++;
}

/* ---- a table's free -------------------------------------------------------- */

/* A walk flush so far (of the table granule, or any) that holds iova, or -1. */
static int walk_at(uint64_t iova, bool any_granule)
{
	for (unsigned int i = 0; i < fc.nwalks; i++)
		if ((any_granule || fc.walk[i].granule == fc.granule) &&
		    iova - fc.walk[i].iova < fc.walk[i].size)
			return i;
	return -1;
}

/*
 * A table freed in the op: the walk flushes so far (or a full flush)
 * must cover all it spans, at the table granule, else the walk cache may
 * keep a pointer to it, or to a table below it, once it is reused.
 * 0, or 1 with why.
 */
int inval_check_free(uint64_t phys, uint64_t size, char *why, size_t n)
{
	unsigned int i;
	uint64_t at, rem;
	int w;

	if (!fc.on || fc.flushed_all || fc.walks_cut)
		return 0;
	for (i = 0; i < fc.ntables; i++)
		if (fc.table[i].pa - phys < size)
			break;
	if (i == fc.ntables)
		return 0;	/* not in the range before the op (or not kept) */
	for (at = fc.table[i].iova, rem = fc.table[i].span; rem; ) {
		uint64_t adv;

		w = walk_at(at, false);
		if (w < 0)
			break;
		adv = fc.walk[w].size - (at - fc.walk[w].iova);
		if (adv >= rem)
			return 0;
		at += adv;
		rem -= adv;
	}
	w = walk_at(at, true);
	snprintf(why, n,
		 "table pa 0x%" PRIx64 " (level %d, iova 0x%" PRIx64 ", span 0x%" PRIx64
		 ") freed with no walk flush of granule 0x%" PRIx64 " over iova 0x%" PRIx64 "%s",
		 fc.table[i].pa, fc.table[i].level, fc.table[i].iova,
		 fc.table[i].span, fc.granule, at,
		 w < 0 ? "" : " (only one of another granule)");
	return 1;
}

/* ---- after an unmap and its sync: every leaf it removed ------------------ */

static bool walked(uint64_t iova, uint64_t size, unsigned int *hint)
{
	for (unsigned int k = 0; k < fc.nwalks; k++) {
		unsigned int i = (*hint + k) % fc.nwalks;

		if (iopt_device_walk_hits(iova, size, fc.walk[i].iova,
					  fc.walk[i].size, fc.walk[i].granule)) {
			*hint = i;
			return true;
		}
	}
	return false;
}

/* A tlb_add_page with the leaf's size as granule over it; *other: another's. */
static bool paged(uint64_t iova, uint64_t size, unsigned int *hint,
		  uint64_t *other)
{
	for (unsigned int k = 0; k < fc.npages; k++) {
		unsigned int i = (*hint + k) % fc.npages;
		uint64_t g = fc.page[i].granule;

		if (!g || fc.page[i].iova - iova >= size)
			continue;
		if (g == size) {
			*hint = i;
			return true;
		}
		*other = g;
	}
	return false;
}

/* The tables now hold a table where this leaf was: it was split. */
static void note_split(void *ctx, int level, uint64_t iova, uint64_t table_pa)
{
	int *deepest = ctx;

	if (level > *deepest)
		*deepest = level;
}

static bool split_now(struct side *s, uint64_t iova, int level)
{
	static const struct iopt_dec_step step = { .table = note_split };
	struct iopt_dec_mem mem = device_mem(s);
	struct iopt_leaf l;
	int deepest = -1;

	iopt_dec_translate(&s->dec, &mem, iova, s->dec.start_level, s->dec.ttbr,
			   &step, &deepest, &l);
	return deepest > level;
}

/* A tlb_add_page of the op's page size as granule over iova. */
static bool paged_at(uint64_t iova, unsigned int *hint)
{
	for (unsigned int k = 0; k < fc.npages; k++) {
		unsigned int i = (*hint + k) % fc.npages;

		if (fc.page[i].granule == fc.pgsize &&
		    iova - fc.page[i].iova < fc.pgsize) {
			*hint = i;
			return true;
		}
	}
	return false;
}

/*
 * Whether a block (not invalidated: still cached, or removed and not
 * invalidated) is so only as upstream's split leaves it: the contract
 * splits blocks, and under it only a split puts a table where a block
 * was; the tables hold a table there now (split by this unmap, or by an
 * earlier one that replaced it and unmapped nothing, its nested split
 * failing); in this op, every tlb_add_page that met it had the op's page
 * size, smaller than the block, as granule (the split's, or that of
 * leaves of that size in the table that replaced it), and every such
 * entry the op unmapped within it had one. A split's tlb_add_page that a
 * plant skipped, or gave another granule, is not this.
 */
static bool split_left(struct side *s, uint64_t iova, uint64_t size,
		       int level)
{
	uint64_t lo, hi, at;
	unsigned int hint = 0;
	bool met = false;

	if (!fc.splits || fc.pages_cut || !fc.unmapped || fc.pgsize >= size)
		return false;
	for (unsigned int i = 0; i < fc.npages; i++) {
		if (!fc.page[i].granule || fc.page[i].iova - iova >= size)
			continue;
		if (fc.page[i].granule != fc.pgsize)
			return false;
		met = true;
	}
	if (!met || !iopt_device_overlaps(iova, size, fc.iova, fc.unmapped))
		return false;
	lo = fc.iova > iova ? fc.iova : iova;
	hi = fc.iova + (fc.unmapped - 1);
	if (hi > iova + (size - 1))
		hi = iova + (size - 1);
	for (at = lo; at >= lo && at <= hi; at += fc.pgsize)
		if (!paged_at(at, &hint))
			return false;
	return split_now(s, iova, level);
}

static bool device_left(void *ctx, const struct iopt_leaf *l)
{
	return split_left(ctx, l->iova, l->size, l->level);
}

static void leaf_why(struct side *s, uint64_t iova, int level, uint64_t size,
		     uint64_t other)
{
	char also[48] = "";

	if (other)
		snprintf(also, sizeof(also),
			 " (one of granule 0x%" PRIx64 ")", other);
	snprintf(s->inv_why, sizeof(s->inv_why),
		 "the leaf at iova 0x%" PRIx64 " (L%d, size 0x%" PRIx64
		 ") was removed and not invalidated: no tlb_add_page of granule 0x%" PRIx64
		 " there%s, no walk flush or full flush over it",
		 iova, level, size, size, also);
}

/*
 * The first leaf removed and not invalidated in inv_why; one that a
 * split left (split_left) only if there is no other (inv_split).
 */
static void check_leaves(struct side *s, uint64_t lo, uint64_t len)
{
	unsigned int wh = 0, ph = 0;

	for (unsigned int i = 0; i < fc.nruns; i++) {
		uint64_t size = fc.run[i].size, iova = fc.run[i].iova;
		int level = fc.run[i].level;

		for (uint64_t k = 0; k < fc.run[i].n; k++, iova += size) {
			uint64_t other = 0;

			if (!iopt_device_overlaps(iova, size, lo, len) ||
			    walked(iova, size, &wh) ||
			    paged(iova, size, &ph, &other))
				continue;
			if (!split_left(s, iova, size, level)) {
				leaf_why(s, iova, level, size, other);
				s->inv_split = false;
				return;
			}
			if (!s->inv_why[0]) {
				leaf_why(s, iova, level, size, other);
				s->inv_split = true;
			}
		}
	}
}

/*
 * After the op and the driver's sync: the cached blocks a split left
 * marked (device.h); after an unmap, every leaf removed must have been
 * invalidated, unless everything was (a full flush, the sync without a
 * gather or of a queued one).
 */
void inval_op_end(struct run *r, struct side *s, const struct iopt_op *op,
		  const struct op_args *a)
{
	uint64_t len = a->pgsize * (uint64_t)(a->count ? a->count : 1);
	bool on = fc.on;

	fc.on = false;
	/* what it unmapped: 0, a count of bytes, or an error */
	if (on && op->kind == IOPT_OP_UNMAP && s->ret > 0 &&
	    (uint64_t)s->ret <= len)
		fc.unmapped = (uint64_t)s->ret;
	iopt_device_mark(&s->dev, on ? device_left : NULL, s);
	iopt_device_mark(&s->every, on ? device_left : NULL, s);
	if (!on || !fc.unmapped || fc.flushed_all ||
	    !(op->flags & IOPT_OPF_GATHER) ||
	    (op->flags & IOPT_OPF_QUEUED) || fc.walks_cut || fc.pages_cut)
		return;
	check_leaves(s, a->iova, fc.unmapped);
}
