// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lookups, after each op (compare.c's compare_op(), items 3 and 4,
 * and the walk's result in item 1):
 *
 *   - a lookup op, iova_to_phys or pgtable_walk, did nothing but read;
 *   - iova_to_phys on the op's range and at fixed IOVAs, each side against
 *     the model, under one guard per side and with a memo of the IOVAs
 *     found right since the last op that could change a table;
 *   - the descriptors pgtable_walk gave, level by level, against the
 *     model's walk and the decoder's view of the side's memory.
 */
#include "run.h"

/*
 * The memo's set of PROBED_WAYS slots for iova: its page number's bits,
 * mixed. A set holds the first PROBED_WAYS IOVAs probed into it since
 * the last forget, and after that the newest in its last slot: any
 * subset of the IOVAs found right is a sound memo.
 */
static struct probed_iova *probe_set(struct run *r, uint64_t iova)
{
	uint64_t h = (iova >> 12) ^ (iova >> 30) ^ (iova >> 48);
	unsigned int set = (unsigned int)((h * 0x9e3779b97f4a7c15ULL) >> 56);

	return &r->probed[(set % (PROBED / PROBED_WAYS)) * PROBED_WAYS];
}

static bool probed(struct run *r, uint64_t iova)
{
	struct probed_iova *p = probe_set(r, iova);

	for (unsigned int w = 0; w < PROBED_WAYS; w++)
		if (p[w].gen == r->probe_gen && p[w].iova == iova)
			return true;
	return false;
}

static void probed_add(struct run *r, uint64_t iova)
{
	struct probed_iova *p = probe_set(r, iova);
	unsigned int w = 0;

	while (w < PROBED_WAYS - 1 && p[w].gen == r->probe_gen)
		w++;
	p[w].iova = iova;
	p[w].gen = r->probe_gen;
}

/*
 * The lookups, iova_to_phys and pgtable_walk, only read, by the contract
 * (they have no gfp, no gather, nothing to maintain): no cache
 * maintenance, no allocation or free, no TLB callback since b, and with
 * warns, no WARN (an op's WARNs are cmp_warns_predicted()'s, against the
 * model). A probe's are nobody else's (the next op's comparisons count
 * from after it); an op's, the same on every side, no side-against-side
 * list shows.
 */
static bool only_read(struct run *r, struct side *s, const struct effects *b,
		      const char *call, bool warns)
{
	struct effects a = side_effects(s);

	if (warns && !cmp_no_warn(r, s, b->warns, call))
		return false;
	if (a.cmos == b->cmos && a.allocs == b->allocs &&
	    a.frees == b->frees && a.tlb == b->tlb)
		return true;
	report(r, s, "lookup",
	       "%s's %s did %ld CMOs, %ld allocations, %ld frees, %lu TLB callbacks; the contract: none",
	       s->port->name, call, a.cmos - b->cmos, a.allocs - b->allocs,
	       a.frees - b->frees, a.tlb - b->tlb);
	return false;
}

/* An op that is a lookup: each side only read (WARNs: cmp_warns_predicted()). */
bool cmp_lookup(struct run *r, const struct iopt_op *op)
{
	if (op->kind != IOPT_OP_IOVA_TO_PHYS && op->kind != IOPT_OP_WALK)
		return true;
	for (int i = 0; i < r->nsides; i++)
		if (!only_read(r, &r->side[i], &r->side[i].fx_mark,
			       iopt_op_name(op->kind), false))
			return false;
	return true;
}

/* An op's probes: the IOVAs, in the order they are probed, and the model's answers. */
#define PROBES_MAX	(3 + FIXED_PROBES)

struct probes {
	uint64_t iova[PROBES_MAX], want[PROBES_MAX];
	unsigned int n;
};

/*
 * iova_to_phys(iova) is probed on each side, against the model, unless it
 * already agreed since the last op that could change a table (r->probed):
 * iova_to_phys only reads, and the same walks of the same tables give the
 * same answers. A table changed against the contract by an op that may
 * not change one is the whole-tree check's to report, as it is for the
 * per-op table check that such an op skips (changes_tables()).
 */
static void probe_add(struct run *r, struct probes *p, uint64_t iova)
{
	if (probed(r, iova))
		return;
	for (unsigned int k = 0; k < p->n; k++)
		if (p->iova[k] == iova)
			return;
	p->iova[p->n] = iova;
	p->want[p->n++] = iopt_model_iova_to_phys(r->model, iova);
}

/*
 * The probes, each side's under one guard (iova_to_phys_each). What is
 * reported is what probing one IOVA at a time on every side would have
 * found first: a side runs only the probes before the first that went
 * wrong on a side before it, and stops at its own first. Where a later
 * side goes wrong earlier, a side before it has run probes that the one
 * at a time order would not have: the report is the later side's, but
 * what those probes did (a detection, a WARN, a planted lookup's CMO)
 * stays in that side's logs, which a failing run's digest covers.
 */
static bool probe_run(struct run *r, const struct probes *p)
{
	uint64_t got[IOPT_MAX_SIDES][PROBES_MAX];
	unsigned int lim = p->n;
	struct side *bad = NULL;

	for (int i = 0; i < r->nsides && lim; i++) {
		struct side *s = &r->side[i];
		const struct iopt_driver *drv = s->port->drv;
		unsigned int ran = drv->iova_to_phys_each(p->iova, p->want,
							  got[i], lim);

		if (ran && (got[i][ran - 1] != p->want[ran - 1] ||
			    s->port->env->report_total)) {
			lim = ran - 1;
			bad = s;
		}
	}
	r->call.what = IOPT_CALL_IOVA_TO_PHYS;
	r->call.iova = p->iova[bad ? lim : p->n - 1];
	if (!bad) {
		for (unsigned int k = 0; k < p->n; k++)
			probed_add(r, p->iova[k]);
		return true;
	}
	if (!side_undetected(r, bad))
		return false;
	report(r, bad, "iova_to_phys",
	       "%s translates iova 0x%llx to 0x%llx, the model to 0x%llx",
	       bad->port->name, (unsigned long long)p->iova[lim],
	       (unsigned long long)got[bad - r->side][lim],
	       (unsigned long long)p->want[lim]);
	return false;
}

/*
 * The seven fixed probes of an op of page size pg: slots 0x00 to 0xde
 * (0xde, with edge addresses: past ias, the IOVA the walk indexes). They
 * depend on the program's geometry and on pg only: kept for the last pg.
 */
static const uint64_t *fixed_probes(struct run *r, size_t pg)
{
	bool edge = r->prog->ext & IOPT_EXT_EDGE;

	if (r->fixed_pg == pg)
		return r->fixed_iova;
	for (unsigned int k = 0; k < FIXED_PROBES; k++)
		r->fixed_iova[k] = iopt_slot_iova_edge(&r->geom,
						       r->prog->cfg.quirks,
						       k * 0x25, pg, edge);
	r->fixed_pg = pg;
	return r->fixed_iova;
}

/* The op's range (its first, middle and last byte) and the fixed probes, after every op. */
static bool probe_all(struct run *r, const struct op_args *a)
{
	uint64_t len = a->pgsize * (a->count ? a->count : 1);
	const uint64_t *fixed = fixed_probes(r, a->pgsize ? a->pgsize : 4096);
	struct probes p = { .n = 0 };

	probe_add(r, &p, a->iova);
	probe_add(r, &p, a->iova + len / 2);
	probe_add(r, &p, a->iova + len - 1);
	for (unsigned int k = 0; k < FIXED_PROBES; k++)
		probe_add(r, &p, fixed[k]);
	return !p.n || probe_run(r, &p);
}

/* The probes, which only read, as every lookup (counted for them all at once). */
bool cmp_translations(struct run *r, const struct op_args *a,
			     bool changed)
{
	struct effects before[IOPT_MAX_SIDES];

	if (changed)
		probe_forget(r);
	for (int i = 0; i < r->nsides; i++)
		before[i] = side_effects(&r->side[i]);
	if (!probe_all(r, a))
		return false;
	for (int i = 0; i < r->nsides; i++)
		if (!only_read(r, &r->side[i], &before[i],
			       "iova_to_phys probes after the op", true))
			return false;
	return true;
}

/* The table each table descriptor of a hardware walk points to, by level. */
static void walk_step(void *ctx, int level, uint64_t iova, uint64_t table_pa)
{
	uint64_t *next = ctx;

	if (level >= 0 && level < IOPT_WALK_LEVELS)
		next[level] = table_pa;
}

/*
 * What one level of a side's pgtable_walk must hold: nothing written
 * outside the walk, the model's leaf (or 0) at its end, and on the way a
 * table descriptor pointing to the table our decoder's walk of the side's
 * memory goes down to (the tables themselves are checked against the
 * model by cmp_tables).
 */
static bool walk_level_ok(const struct run *r, struct side *s, int l,
			  const uint64_t *next)
{
	const struct iopt_model_walk *w = &r->walk;
	struct iopt_ent e;

	if (l < r->geom.start_level || l > w->last)
		return s->walk[l] == WALK_UNTOUCHED;
	if (l == w->last)
		return s->walk[l] == w->pte;
	iopt_dec_entry(&s->dec, l, s->walk[l], &e);
	return e.type == IOPT_ENT_TABLE && !e.prob && e.addr == next[l + 1];
}

/* pgtable_walk: each side's descriptors, level by level. */
bool cmp_walk(struct run *r, const struct op_args *a)
{
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];
		struct iopt_dec_mem mem = side_mem(s);
		struct iopt_dec_step step = { .table = walk_step };
		uint64_t next[IOPT_WALK_LEVELS] = { 0 };
		struct iopt_leaf leaf;

		iopt_dec_translate(&s->dec, &mem, a->iova, s->dec.start_level,
				   s->dec.ttbr, &step, next, &leaf);
		for (int l = 0; l < IOPT_WALK_LEVELS; l++) {
			if (walk_level_ok(r, s, l, next))
				continue;
			report(r, s, "walk",
			       "%s's pgtable_walk of iova 0x%llx gave 0x%016llx at level %d; the model: a walk from level %d to %s at level %d (0x%016llx)",
			       s->port->name, (unsigned long long)a->iova,
			       (unsigned long long)s->walk[l], l,
			       r->geom.start_level,
			       r->walk.leaf ? "a leaf" : "an empty entry",
			       r->walk.last, (unsigned long long)r->walk.pte);
			return false;
		}
	}
	return true;
}
