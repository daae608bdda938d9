// SPDX-License-Identifier: GPL-2.0-only
/*
 * The comparisons after each op, in the order of wasmtime's differential
 * oracles (results first, then state, then memory images), each side
 * against the reference model and against the other sides:
 *
 *   0. a call left by a fatal detection: that detection;
 *   1. return values, *mapped and the dirty ranges recorded (and after
 *      the walk's result, the descriptors pgtable_walk gave);
 *   2. WARNs: each side WARNs exactly when the contract says so;
 *   3. the runtime's own detections (bad frees, DMA API misuse, ...);
 *      a lookup op (iova_to_phys, pgtable_walk) did nothing but read;
 *   4. iova_to_phys on the touched range and fixed probes, which did
 *      nothing but read either;
 *   5. the decoded tables against the model, over the touched range;
 *   6. the order table descriptors reached the PoC in (publish.c),
 *      coherency and the IOMMU's caches (coherency.c, hw.c);
 *   7. allocator accounting: live tables per side against the model;
 *   8. TLB callbacks, side against side.
 * The whole tables, the canonical images and the PoC view are compared at
 * the end and before each re-create.
 */
#include <string.h>

#include "contract.h"
#include "run.h"

static bool cmp_results(struct run *r, const struct iopt_op *op,
			const struct iopt_model_pred *p,
			const struct dirty_ranges *md)
{
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];

		if (s->ret != p->ret || (op->kind == IOPT_OP_MAP &&
					 s->mapped != p->mapped)) {
			report(r, s, "result",
			       "%s returned %ld (mapped 0x%zx), the contract says %ld (mapped 0x%zx)%s%s",
			       s->port->name, s->ret, s->mapped, p->ret,
			       p->mapped, p->why ? ": " : "",
			       p->why ? p->why : "");
			return false;
		}
		if (op->kind == IOPT_OP_DIRTY && !same_dirty(&s->dirty, md)) {
			report(r, s, "dirty",
			       "%s recorded %u dirty ranges, the model %u%s",
			       s->port->name, s->dirty.n, md->n,
			       s->dirty.n == md->n ? ", not the same" : "");
			return false;
		}
	}
	return true;
}

/*
 * Besides the op's own WARNs (the model's), the table allocator's: on trees
 * whose iommu-pages WARNs when the DMA API translates a table's address
 * (contract), a side that was handed such an address (fault injection) on
 * the page allocator's path (not cfg->alloc's) WARNs too.
 */
bool side_warns(const struct run *r, const struct side *s,
		const struct iopt_model_pred *p)
{
	return p->warn ||
	       (r->cfg.contract->dma_translate_warns && !s->st.custom &&
		s->port->env->stats.dma_translated != s->dma_translated_mark);
}

/* (run.h) */
bool cmp_no_warn(struct run *r, struct side *s, unsigned long warns,
		 const char *call)
{
	const struct iopt_env *e = s->port->env;

	if (e->warn_total == warns)
		return true;
	report(r, s, "warn", "%s WARNed in %s (last new site %s), the contract says it does not",
	       s->port->name, call,
	       e->nr_warn_sites ? e->warns[e->nr_warn_sites - 1].what : "?");
	return false;
}

bool cmp_warns_predicted(struct run *r, const struct iopt_model_pred *p)
{
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];
		const struct iopt_env *e = s->port->env;
		bool warned = e->warn_total != s->fx_mark.warns;
		bool want = side_warns(r, s, p);
		const struct iopt_warn_site *w;

		if (warned == want)
			continue;
		w = e->nr_warn_sites ? &e->warns[e->nr_warn_sites - 1] : NULL;
		report(r, s, "warn", "%s %s, the contract says it %s%s%s%s",
		       s->port->name, warned ? "WARNed" : "did not WARN",
		       want ? "WARNs" : "does not",
		       w && warned ? " (last at " : "",
		       w && warned ? w->what : "",
		       w && warned ? ")" : "");
		return false;
	}
	if (p->warn)
		iopt_stats.predicted_warns++;
	return true;
}

/* Side s's runtime detected nothing (else its first detection is reported). */
static bool side_undetected(struct run *r, struct side *s)
{
	const struct iopt_env *e = s->port->env;

	if (!e->report_total)
		return true;
	report(r, s, "runtime", "%s: %s: %s", s->port->name,
	       iopt_detect_name(e->reports[0].kind), e->reports[0].msg);
	return false;
}

bool cmp_detections(struct run *r)
{
	for (int i = 0; i < r->nsides; i++)
		if (!side_undetected(r, &r->side[i]))
			return false;
	return true;
}

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
static bool cmp_lookup(struct run *r, const struct iopt_op *op)
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
static bool cmp_translations(struct run *r, const struct op_args *a,
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
static bool cmp_walk(struct run *r, const struct op_args *a)
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

/*
 * A side whose tables are side 0's, entry for entry (but for where its
 * tables are), differs from the model where side 0 does: debug and
 * sanitizer builds check it all the same ("selfcheck" if it differs),
 * others skip it. walk: the in-place walk that found it the same.
 */
static bool cmp_tables_skipped(struct run *r, struct side *s,
			       const char *walk)
{
#ifdef IOPT_MODEL_CHECKS
	struct iopt_dec_mem mem = side_mem(s);
	char why[256];

	if (iopt_model_check_range(r->model, &s->dec, &mem, r->lo, r->hi,
				   why, sizeof(why))) {
		report(r, s, "selfcheck",
		       "the in-place %s walk found %s's tables the same as %s's, the model check finds: %s",
		       walk, s->port->name, r->side[0].port->name, why);
		return false;
	}
#endif
	return true;
}

/*
 * Whether side i's tables over the op's range are side 0's, listing them
 * for the PoC and CMO checks as the model check's walk would
 * (iopt_image_same_range() visits and tells the tables the range walk
 * does). Planted (plant_range_same): a blind comparison, which lists the
 * tables right and says "the same" whatever they hold.
 */
static bool range_same_as_first(struct run *r, int i)
{
	struct iopt_dec_mem m0 = side_mem(&r->side[0]);
	struct iopt_dec_mem mem = side_mem(&r->side[i]);

	if (r->opts->plant_range_same) {
		iopt_dec_walk_range(&r->side[i].dec, &mem, r->lo, r->hi,
				    tables_listing(r, i));
		return true;
	}
	return iopt_image_same_range(&r->side[0].dec, &m0, &r->side[i].dec,
				     &mem, r->lo, r->hi, tables_listing(r, i));
}

/*
 * Each side's decoded tables against the model, over [r->lo, r->hi], but
 * for the sides in skip (bit i: side i) that are side 0's; the walk lists
 * the tables for the PoC and CMO checks (r->tables_listed).
 *
 * by_range (after an op): a side from 1 on whose tables in the range are
 * side 0's, as found in place (range_same_as_first()), skips its model
 * check too. The model check sees only what the range walk reports: each
 * leaf (its IOVA, level and descriptor, not where the entry is), each
 * problem and how many tables per level. Side 0's walk ran first and
 * passed; the same entries, table descriptors but for their address,
 * make the same report on side i: no problem, the same leaves, the same
 * tables. So the check would pass on side i too, and the comparison has
 * listed side i's tables as its walk would.
 */
static bool cmp_tables(struct run *r, unsigned int skip, bool by_range)
{
	char why[256];

	r->tables_listed = 0;
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];
		struct iopt_dec_mem mem = side_mem(s);

		if (skip & 1u << i) {
			if (!cmp_tables_skipped(r, s, "image"))
				return false;
			continue;
		}
		if (by_range && i && range_same_as_first(r, i)) {
			r->tables_listed |= 1u << i;
			if (!cmp_tables_skipped(r, s, "range"))
				return false;
			continue;
		}
		if (iopt_model_check_range_also(r->model, &s->dec, &mem, r->lo,
						r->hi, tables_listing(r, i),
						why, sizeof(why))) {
			report(r, s, "tables", "%s's tables: %s", s->port->name, why);
			return false;
		}
		r->tables_listed |= 1u << i;
	}
	return true;
}

/* Decode two images, name the first differing entry. */
static void report_image_diff(struct run *r, struct side *a, struct side *b)
{
	long w = iopt_image_first_diff(&a->img, &b->img);
	unsigned int id = 0, idx = 0;
	int lvl = 0;

	if (w >= 0)
		iopt_image_locate(&a->img, w, &id, &lvl, &idx);
	report(r, NULL, "image",
	       "canonical images differ (%s %016llx, %s %016llx): first at table #%u level %d entry %u: %s %016llx, %s %016llx",
	       a->port->name, (unsigned long long)iopt_image_hash(&a->img),
	       b->port->name, (unsigned long long)iopt_image_hash(&b->img), id, lvl, idx,
	       a->port->name,
	       (unsigned long long)(w >= 0 && (size_t)w < a->img.n ? a->img.words[w] : 0),
	       b->port->name,
	       (unsigned long long)(w >= 0 && (size_t)w < b->img.n ? b->img.words[w] : 0));
}

/*
 * Whether the whole-tree walks (the model check's and the PoC check's, of
 * [0, ~0]) visit every entry, as iopt_image_same_range() of everything
 * does: not where the top table indexes IOVA bits above ias under TTBR1.
 */
static bool whole_is_all(const struct iopt_dec_cfg *c)
{
	struct iopt_dec_span range, all;

	if (iopt_dec_cfg_check(c))
		return false;
	iopt_dec_span(c, 0, ~0ULL, false, &range);
	iopt_dec_span(c, 0, ~0ULL, true, &all);
	return range.lo_va == all.lo_va && range.hi_va == all.hi_va;
}

/*
 * The sides (bit i: side i, from 1) whose image is side 0's, found by
 * walking the tables in place (iopt_image_same_range() of every entry,
 * lo > hi), which lists them too, in *listed, for the PoC check, where
 * that is what the model check's walk would list (whole_is_all()); none
 * for the digest, which needs the images built. Planted
 * (plant_image_same): a blind walk, which lists nothing.
 */
static unsigned int same_as_first(struct run *r, unsigned int *listed)
{
	struct iopt_dec_mem m0 = side_mem(&r->side[0]);
	unsigned int same = 0;

	*listed = 0;
	for (int i = 1; i < r->nsides; i++) {
		struct iopt_dec_mem mem = side_mem(&r->side[i]);
		unsigned int list = whole_is_all(&r->side[i].dec);

		if (r->opts->plant_image_same) {
			same |= 1u << i;
		} else if (!r->opts->digest &&
			   iopt_image_same_range(&r->side[0].dec, &m0,
						 &r->side[i].dec, &mem, 1, 0,
						 list ? tables_listing(r, i) :
							NULL)) {
			same |= 1u << i;
			*listed |= list << i;
		}
	}
	return same;
}

/*
 * The canonical images of the sides: at the end and before re-create;
 * built and compared only if some side is not in same (same_as_first()).
 * Debug and sanitizer builds (IOPT_MODEL_CHECKS) build and compare them
 * always, and hold the in-place walk to what they say: a "selfcheck"
 * report if it found the same images where they differ.
 */
static bool cmp_images(struct run *r, unsigned int same_mask)
{
#ifndef IOPT_MODEL_CHECKS
	if ((same_mask | 1u) == (1u << r->nsides) - 1)
		return true;
#endif
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];
		struct iopt_dec_mem mem = side_mem(s);

		iopt_image_build(&s->img, &s->dec, &mem);
	}
	for (int i = 1; i < r->nsides; i++) {
		if (!iopt_image_equal(&r->side[0].img, &r->side[i].img)) {
			if (same_mask & 1u << i)
				report(r, NULL, "selfcheck",
				       "the in-place image walk found %s's tables the same as %s's, their canonical images differ",
				       r->side[i].port->name, r->side[0].port->name);
			else
				report_image_diff(r, &r->side[0], &r->side[i]);
			return false;
		}
	}
	return true;
}

/*
 * Accounting: each side holds one block per live table, plus what its
 * pgtable data struct takes (port traits: a slab object in the kernel, a
 * whole pool page at EL2).
 */
static bool cmp_accounting(struct run *r)
{
	long want = iopt_model_nr_tables(r->model);

	for (int i = 0; i < r->nsides; i++) {
		const struct side *s = &r->side[i];
		const struct iopt_port_traits *t = s->port->traits;
		const struct iopt_env *e = s->port->env;

		if (e->stats.live_blocks == want + t->data_blocks &&
		    e->stats.live_slab == t->data_slab)
			continue;
		report(r, s, "accounting",
		       "%s holds %ld page blocks and %ld slab objects, the model %ld tables and a data struct of %u blocks and %u slab objects",
		       s->port->name, e->stats.live_blocks, e->stats.live_slab,
		       want, t->data_blocks, t->data_slab);
		return false;
	}
	return true;
}

/*
 * The first TLB_EVENTS callbacks one by one, all of them by their number
 * and a 64-bit hash of each in order (hw.c's tlb_log()).
 */
static unsigned int first_tlb_diff(const struct side *a, const struct side *b)
{
	unsigned int k;

	for (k = 0; k < a->ntlb && k < b->ntlb; k++)
		if (a->tlb[k].kind != b->tlb[k].kind ||
		    a->tlb[k].iova != b->tlb[k].iova ||
		    a->tlb[k].size != b->tlb[k].size ||
		    a->tlb[k].granule != b->tlb[k].granule)
			break;
	return k;
}

static bool same_tlb(const struct side *a, const struct side *b)
{
	return a->tlb_total == b->tlb_total && a->tlb_hash == b->tlb_hash &&
	       first_tlb_diff(a, b) == a->ntlb;
}

static bool cmp_tlb(struct run *r)
{
	for (int i = 1; i < r->nsides; i++) {
		const struct side *a = &r->side[0], *b = &r->side[i];

		if (same_tlb(a, b))
			continue;
		report(r, NULL, "tlb", "TLB callbacks differ from #%u: %s made %lu, %s %lu",
		       first_tlb_diff(a, b), a->port->name, a->tlb_total,
		       b->port->name, b->tlb_total);
		return false;
	}
	return true;
}

/*
 * Whether the op can have changed a table, by the contract: lookups never
 * do, nor does an op that failed without adding or freeing a table.
 */
bool changes_tables(const struct iopt_op *op, const struct iopt_model_pred *p)
{
	if (p->tables_added || p->tables_freed)
		return true;
	switch (op->kind) {
	case IOPT_OP_MAP:
		return p->mapped != 0;
	case IOPT_OP_UNMAP:
		return p->ret != 0;
	case IOPT_OP_DIRTY:
		return !(op->flags & IOPT_OPF_NO_CLEAR);
	default:
		return false;
	}
}

/*
 * A call that a fatal detection left (a trap, a BUG, a VM_BUG_ON in the
 * runtime) returned no result of its own, only the driver's placeholder:
 * the detection is what to report, before any result.
 */
static bool cmp_trapped(struct run *r)
{
	for (int i = 0; i < r->nsides; i++)
		if (r->side[i].st.trapped)
			return cmp_detections(r);
	return true;
}

bool compare_op(struct run *r, const struct iopt_op *op,
		const struct op_args *a, const struct iopt_model_pred *p,
		const struct dirty_ranges *md)
{
	bool changed = changes_tables(op, p);

	r->tables_listed = 0;
	return cmp_trapped(r) && cmp_results(r, op, p, md) &&
	       cmp_warns_predicted(r, p) && cmp_detections(r) &&
	       cmp_lookup(r, op) &&
	       (op->kind != IOPT_OP_WALK || cmp_walk(r, a)) &&
	       cmp_translations(r, a, changed) &&
	       (!changed || cmp_tables(r, 0, true)) && cmp_publish(r) &&
	       (!(changed || did_maintenance(r)) || check_touched(r)) &&
	       cmp_accounting(r) && cmp_tlb(r) && check_split_left(r);
}

/* Everything, over the whole IOVA space: at the end and before re-create. */
bool compare_whole(struct run *r)
{
	unsigned int same, listed;

	r->lo = 0;
	r->hi = ~0ULL;
	same = same_as_first(r, &listed);
	if (!cmp_tables(r, same, false))
		return false;
	r->tables_listed |= listed;
	return cmp_images(r, same) && check_poc_whole(r);
}
