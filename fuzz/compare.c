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
 *      nothing but read either (3 and 4, and the walk's result: lookup.c);
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
bool side_undetected(struct run *r, struct side *s)
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
