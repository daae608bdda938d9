// SPDX-License-Identifier: GPL-2.0-only
/*
 * Review mode: what does a patch change? Two trees, base and patched, each
 * run by run.c on its own ports with its own oracle, in lockstep over the
 * same program. After the tables are created, after every op and after
 * the teardown, each port of base is compared with the port of the same
 * role in patched, on normalised observations, in this order:
 *
 *   result   return value, *mapped, the dirty ranges recorded
 *   warn     whether it WARNed, and how often
 *   tlb      the TLB callbacks, in order
 *   alloc    allocations and frees: kind, size, order, alignment, gfp
 *   cmo      cache maintenance: the table (level, first IOVA), offset,
 *            length, kind and the way it was done (DMA map, DMA sync,
 *            flush, arch_sync_dma_*)
 *   image    the canonical image of the tables (after an op that changed
 *            them)
 *   oracle   each tree's own verdict against its contract (the class:
 *            "oracle-<the check that reported>")
 *
 * A difference that the two trees' contracts predict (the oracles of two
 * generations foresee different results, WARNs, geometry or top-table
 * sizes for this step, and each tree keeps its own contract) is a contract
 * change: it is recorded as "known:contract-<what>/<op>/<format>" and the
 * program goes on; once such a change has made the two trees' states
 * differ (other results, other tables), only the oracles are compared.
 * An op only one tree's contract has (pgtable_walk before 6.13) runs on
 * that tree alone, judged by its oracle: "known:contract-op/<op>/<fmt>".
 * Any other difference ends the program and is reported as a class,
 * "iopt: review-<what>/<op>/<format>", with what each tree did side by
 * side and each tree's oracle verdict. A bug both trees share (the same
 * verdict at the same op) is no difference: the verdict is IOPT_SHARED,
 * "known:both-<its signature>".
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"
#include "known.h"
#include "review.h"
#include "review_internal.h"

static const char *fmt_of(const struct review *v)
{
	return iopt_dec_fmt_name(v->b->prog->cfg.fmt);
}

/*
 * A contract change: "known:contract-<what>/<op>/<format>", or for a known
 * upstream bug of one tree, "known:<base|patched>-<id>".
 */
static void explained(struct review *v, const char *what, const char *desc)
{
	const struct run *k = v->b->known ? v->b : v->p;
	char sig[96];

	if (!strcmp(what, "known-bug"))
		snprintf(sig, sizeof(sig), "known:%s-%s",
			 k == v->b ? "base" : "patched", k->known->id);
	else
		snprintf(sig, sizeof(sig), "known:contract-%s/%s/%s", what,
			 v->stage, fmt_of(v));
	for (unsigned int i = 0; i < v->nexplained; i++)
		if (!strcmp(v->explained[i], sig))
			return;
	if (v->nexplained == EXPLAINED_MAX)
		return;
	if (!v->nexplained)
		snprintf(v->first_desc, sizeof(v->first_desc),
			 "%s (explained: %s)", desc, v->explain);
	memcpy(v->explained[v->nexplained++], sig, sizeof(sig));
	if (v->opts->verbose && !v->opts->quiet)
		fprintf(v->opts->out ? v->opts->out : stderr,
			"iopt-review: %s at op #%u: %s (explained: %s)\n",
			sig, v->op_index, desc, v->explain);
}

/* An observation differs: a contract change if explained, else the end. */
void differ(struct review *v, const char *what, const char *fmt, ...)
{
	char desc[sizeof(v->desc)];
	va_list ap;

	if (v->differs)
		return;
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	if (v->explain[0]) {
		explained(v, what, desc);
		return;
	}
	/*
	 * Before calling it a change: does either tree already break its
	 * contract where no check has looked yet (e.g. a top table the
	 * walker cannot use, seen only by the whole-table checks)? Then the
	 * verdicts decide (compare()), not this consequence.
	 */
	if (!v->b->failed && !v->p->failed) {
		if (v->b->model)
			compare_whole(v->b);
		if (v->p->model)
			compare_whole(v->p);
		if (v->b->failed || v->p->failed)
			return;
	}
	v->differs = true;
	snprintf(v->what, sizeof(v->what), "%s", what);
	memcpy(v->desc, desc, sizeof(desc));
}

/* The side of run r in the given role, or NULL. */
static struct side *side_of(struct run *r, enum iopt_role role)
{
	for (int i = 0; i < r->nsides; i++)
		if (r->side[i].port->role == role)
			return &r->side[i];
	return NULL;
}

/* ---- what the two contracts predict ---------------------------------------- */

static void explain(struct review *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void explain(struct review *v, const char *fmt, ...)
{
	size_t n = strlen(v->explain);
	va_list ap;

	if (n + 2 >= sizeof(v->explain))
		return;
	if (n)
		v->explain[n++] = ';', v->explain[n++] = ' ';
	va_start(ap, fmt);
	vsnprintf(v->explain + n, sizeof(v->explain) - n, fmt, ap);
	va_end(ap);
}

/*
 * The WARN each side's environment adds where the two contracts, given
 * their oracles' predictions pb and pp, disagree on it; what follows the
 * WARN in the explanation ("" for an op's own).
 */
static void explain_side_warns(struct review *v, const struct iopt_model_pred *pb,
			       const struct iopt_model_pred *pp, const char *what)
{
	for (enum iopt_role role = 0; role < IOPT_ROLES; role++) {
		struct side *b = side_of(v->b, role), *p = side_of(v->p, role);
		bool wb, wp;

		if (!b || !p)
			continue;
		wb = side_warns(v->b, b, pb);
		wp = side_warns(v->p, p, pp);
		if (wb != wp)
			explain(v, "contract %s says %s %s%s, %s that it %s",
				v->b->cfg.contract->name, b->port->name,
				wb ? "WARNs" : "does not WARN", what,
				v->p->cfg.contract->name,
				wp ? "WARNs" : "does not");
	}
}

/*
 * The WARNs of a creation besides the configuration's (the same on both
 * here): a tree whose iommu-pages WARNs on a translated table address
 * (contract dma_translate_warns) against one that only logs it, when a
 * side was handed one (fault injection, extension bit 3 included).
 */
static void predict_create_warns(struct review *v)
{
	struct iopt_model_pred pb = { .warn = v->b->geom.warn };
	struct iopt_model_pred pp = { .warn = v->p->geom.warn };

	explain_side_warns(v, &pb, &pp, " on a translated table address");
}

/*
 * Creating the tables: the two oracles' geometry (acceptance, the page
 * sizes and address sizes kept, start level, top table), the WARNs of the table allocator (a failing creation too),
 * and the top table's size as asked for, as freed and as
 * cleaned for a non-coherent walk. A different acceptance or geometry
 * makes the states differ.
 */
static void predict_create(struct review *v)
{
	const struct iopt_model_geom *gb = &v->b->geom, *gp = &v->p->geom;
	struct side *sb = side_of(v->b, IOPT_ROLE_KERNEL);
	struct side *sp = side_of(v->p, IOPT_ROLE_KERNEL);
	size_t ab, fb, ap, fp, mb, mp;

	if (gb->rejected != gp->rejected || gb->warn != gp->warn ||
	    (gb->why && gp->why && strcmp(gb->why, gp->why))) {
		explain(v, "contract %s %s this configuration%s%s%s, %s %s it%s%s%s",
			v->b->cfg.contract->name, gb->rejected ? "refuses" : "accepts",
			gb->warn ? " with a WARN" : "", gb->why ? " for " : "",
			gb->why ? gb->why : "", v->p->cfg.contract->name,
			gp->rejected ? "refuses" : "accepts",
			gp->warn ? " with a WARN" : "", gp->why ? " for " : "",
			gp->why ? gp->why : "");
		v->diverging = true;
		return;
	}
	predict_create_warns(v);
	/* from the geometry: a creation that failed asked for its top table too */
	if (gb->rejected || gb->degenerate || gp->degenerate)
		return;
	if (gb->pgsize_bitmap != gp->pgsize_bitmap || gb->ias != gp->ias ||
	    gb->oas != gp->oas) {
		/* (the programs' page sizes and IOVAs come from them: other ops) */
		explain(v, "contract %s keeps page sizes 0x%lx, ias %u, oas %u, %s 0x%lx, %u, %u",
			v->b->cfg.contract->name, gb->pgsize_bitmap, gb->ias, gb->oas,
			v->p->cfg.contract->name, gp->pgsize_bitmap, gp->ias, gp->oas);
		v->diverging = true;
	}
	if (gb->start_level != gp->start_level ||
	    gb->pgd_entries != gp->pgd_entries) {
		explain(v, "contract %s starts at level %d with a %u-entry top table, %s at level %d with %u entries",
			v->b->cfg.contract->name, gb->start_level, gb->pgd_entries,
			v->p->cfg.contract->name, gp->start_level, gp->pgd_entries);
		v->diverging = true;
	}
	iopt_geom_pgd_sizes(&v->b->cfg, gb, &ab, &fb);
	iopt_geom_pgd_sizes(&v->p->cfg, gp, &ap, &fp);
	if (ab != ap || fb != fp)
		explain(v, "contract %s asks for a %zu-byte top table and frees %zu, %s asks for %zu and frees %zu",
			v->b->cfg.contract->name, ab, fb,
			v->p->cfg.contract->name, ap, fp);
	mb = iopt_geom_pgd_map_len(&v->b->cfg, gb, sb && sb->st.custom);
	mp = iopt_geom_pgd_map_len(&v->p->cfg, gp, sp && sp->st.custom);
	if (!v->b->cfg.coherent_walk && mb != mp)
		explain(v, "contract %s maps %zu bytes of the top table for the DMA API, %s %zu",
			v->b->cfg.contract->name, mb, v->p->cfg.contract->name, mp);
}

/*
 * An op one tree's contract forbids (a caller precondition: an op the tree
 * does not have, as pgtable_walk before 6.13) and the other's allows: each
 * tree is judged by its own contract (the one that ran it by its oracle),
 * nothing is compared (the other has nothing to show), and it is a
 * contract change, "known:contract-op/<op>/<format>". An op that may
 * change the tables makes the states differ; a lookup does not. Skipped
 * on both: nothing to compare either.
 */
static void predict_one_sided(struct review *v, const struct iopt_op *op)
{
	const struct run *skip = v->b->skipped_why ? v->b : v->p;
	const struct run *ran = skip == v->b ? v->p : v->b;

	if (v->b->skipped_why && v->p->skipped_why)
		return;
	snprintf(v->one_sided, sizeof(v->one_sided),
		 "base %s, patched %s (%s)",
		 skip == v->b ? "skipped it" : "ran it",
		 skip == v->p ? "skipped it" : "ran it", skip->skipped_why);
	explain(v, "contract %s forbids this op (%s), %s allows it",
		skip->cfg.contract->name, skip->skipped_why,
		ran->cfg.contract->name);
	if (op->kind != IOPT_OP_WALK && op->kind != IOPT_OP_IOVA_TO_PHYS)
		v->diverging = true;
}

/*
 * An op: the two oracles' predictions (result, *mapped, WARNs, tables
 * added and freed), and the WARN each side's environment adds. Another
 * result or other tables make the states differ.
 */
static void predict_op(struct review *v, const struct iopt_op *op)
{
	const struct iopt_model_pred *pb = &v->b->pred, *pp = &v->p->pred;

	if (v->b->skipped_why || v->p->skipped_why) {
		predict_one_sided(v, op);
		return;
	}
	if (!v->b->predicted || !v->p->predicted)
		return;
	if (pb->ret != pp->ret || pb->mapped != pp->mapped ||
	    pb->tables_added != pp->tables_added ||
	    pb->tables_freed != pp->tables_freed) {
		explain(v, "contract %s predicts %ld (mapped 0x%zx, %u tables added, %u freed), %s predicts %ld (0x%zx, %u, %u)",
			v->b->cfg.contract->name, pb->ret, pb->mapped,
			pb->tables_added, pb->tables_freed,
			v->p->cfg.contract->name, pp->ret, pp->mapped,
			pp->tables_added, pp->tables_freed);
		v->diverging = true;
	}
	explain_side_warns(v, pb, pp, "");
}

/* Tearing down: the top table's size as freed. */
static void predict_teardown(struct review *v)
{
	size_t ab, fb, ap, fp;

	if (!v->b->model || !v->p->model)
		return;
	iopt_model_pgd_sizes(v->b->model, &ab, &fb);
	iopt_model_pgd_sizes(v->p->model, &ap, &fp);
	if (fb != fp)
		explain(v, "contract %s frees the top table at %zu bytes, %s at %zu",
			v->b->cfg.contract->name, fb, v->p->cfg.contract->name, fp);
}

/* ---- the stages ------------------------------------------------------------- */

static void mark_both(struct review *v)
{
	mark(v->b);
	mark(v->p);
}

/* What alloc_io_pgtable_ops did on a side whose tables are gone or never were. */
static const char *alloc_outcome(const struct side *s)
{
	if (s->live)
		return "accepted";
	return s->accepted ? "accepted, and its oracle's report ended the run there" :
			     "refused";
}

/*
 * An oracle's report as a class: "oracle-<check>", the check of the tree
 * whose oracle reported (the patched tree's if both did), so that two
 * faults met in one op (a result, a table) are two classes.
 */
static void oracle_what(const struct review *v, char *buf, size_t n)
{
	const char *s = (v->p->failed ? v->p : v->b)->sig, *slash;

	if (!strncmp(s, "iopt: ", 6))
		s += 6;
	slash = strchr(s, '/');
	snprintf(buf, n, "oracle-%.*s", slash ? (int)(slash - s) : (int)strlen(s), s);
}

/*
 * Every observation of every role both trees ran (unless a contract change
 * has made their states differ, or a known upstream bug ended one tree's
 * run: it explains what follows from it): the first that differs names
 * the class, whatever the verdicts. Then the verdicts: a known upstream
 * bug in one tree only is explained (fuzz/known.c); any other failure in
 * one tree, or other failures in both, is a difference ("oracle-<check>"
 * when no observation differed).
 * images: the tables may have changed (and both sides still have them).
 */
static void compare(struct review *v, bool images)
{
	/* a known bug explains what follows from it; a real failure does not */
	bool failed, known = v->b->known || v->p->known;
	bool one_sided = v->one_sided[0];
	char what[32];

	if (one_sided && !v->diverged)	/* explained: a contract change */
		differ(v, "op", "%s", v->one_sided);
	v->one_sided[0] = '\0';
	for (enum iopt_role role = 0; role < IOPT_ROLES && !v->differs &&
	     !v->diverged && !known && !one_sided; role++) {
		struct side *b = side_of(v->b, role), *p = side_of(v->p, role);

		if (!b || !p)
			continue;
		if (b->live != p->live) {
			differ(v, "alloc", "%s: alloc_io_pgtable_ops: base %s, patched %s",
			       b->port->name, alloc_outcome(b), alloc_outcome(p));
			break;
		}
		cmp_results(v, b, p);
		cmp_warns(v, b, p);
		cmp_tlb(v, b, p);
		cmp_allocs(v, b, p);
		if (v->b->model && v->p->model)
			cmp_cmos(v, b, p);
		if (images && b->live && v->b->model && v->p->model &&
		    !v->b->failed && !v->p->failed)
			cmp_images(v, b, p);
	}
	v->explain[0] = '\0';
	v->diverged |= v->diverging;
	failed = v->b->failed || v->p->failed;
	if (v->differs || !failed)
		return;
	if (v->b->failed && v->p->failed && !strcmp(v->b->sig, v->p->sig))
		return;		/* a bug both share: not a change */
	if ((!v->b->failed || v->b->known) && (!v->p->failed || v->p->known))
		explain(v, "a known upstream bug (fuzz/known.c)");
	oracle_what(v, what, sizeof(what));
	differ(v, v->explain[0] ? "known-bug" : what,
	       "base: %s; patched: %s",
	       v->b->failed ? v->b->sig : "keeps its contract",
	       v->p->failed ? v->p->sig : "keeps its contract");
	v->explain[0] = '\0';
}

/* The review's report: both trees, the ops, the class, each oracle's view. */
static void print_review(struct review *v, unsigned int op_index)
{
	FILE *f = v->opts->out ? v->opts->out : stderr;
	const struct run *r[2] = { v->b, v->p };
	static const char *const name[2] = { "base", "patched" };

	fprintf(f, "==== iopt-fuzz review: the trees differ in '%s' at op #%u (%s) ====\n",
		v->what, op_index, v->stage);
	for (int i = 0; i < 2; i++)
		fprintf(f, "%s: tree %s (%s)\n", name[i],
			r[i]->side[0].port->tree->version,
			r[i]->side[0].port->tree->source);
	fprintf(f, "ops (base's trace):\n%s", trace_text(v->b));
	/* once the states differed, the same input may be other ops on patched */
	if (v->diverged)
		fprintf(f, "ops (patched's trace):\n%s", trace_text(v->p));
	fprintf(f, "what differs: %s\n", v->desc);
	for (int i = 0; i < 2; i++)
		fprintf(f, "%s's oracle: %s%s%s\n", name[i],
			r[i]->failed ? r[i]->sig : "keeps its contract",
			r[i]->failed ? ": " : "", r[i]->failed ? r[i]->why : "");
	for (unsigned int i = 0; i < v->nexplained; i++)
		fprintf(f, "before it, a contract change: %s\n", v->explained[i]);
	fprintf(f, "iopt: review-%s/%s/%s\n", v->what, v->stage, fmt_of(v));
	fflush(f);
}

/*
 * IOPT_DIVERGENCE "review: ..." for a difference the contracts do not
 * explain (or the oracles disagree); IOPT_KNOWN "contract: ..." (the first
 * contract change) when there were only explained ones; IOPT_SHARED
 * "both: <signature>" when both trees failed alike; IOPT_CLEAN.
 */
static enum iopt_verdict verdict(struct review *v, unsigned int op_index)
{
	char *sig = iopt_stats.last_signature;

	if (v->differs) {
		snprintf(sig, sizeof(iopt_stats.last_signature),
			 "iopt: review-%s/%s/%s", v->what, v->stage, fmt_of(v));
		iopt_stats.reports++;
		if (!v->opts->quiet)
			print_review(v, op_index);
		if (v->opts->abort_on_report)
			abort();
		return IOPT_DIVERGENCE;
	}
	if (v->nexplained) {
		snprintf(sig, sizeof(iopt_stats.last_signature), "%s",
			 v->explained[0]);
		return IOPT_KNOWN;
	}
	if (v->b->failed) {	/* and patched, the same way */
		const char *b = v->b->sig;

		b += !strncmp(b, "known:", 6) ? 6 : !strncmp(b, "iopt: ", 6) ? 6 : 0;
		snprintf(sig, sizeof(iopt_stats.last_signature), "known:both-%s", b);
		return IOPT_SHARED;
	}
	return IOPT_CLEAN;
}

static struct run rb, rp;

void iopt_review_oracles(char *base, char *patched, size_t n)
{
	snprintf(base, n, "%s", rb.failed ? rb.sig : "");
	snprintf(patched, n, "%s", rp.failed ? rp.sig : "");
}

static struct review v;

const char *iopt_review_difference(void)
{
	return v.differs ? v.desc : "";
}

enum iopt_verdict iopt_review(const uint8_t *data, size_t size,
			      const struct iopt_run_opts *opts,
			      const struct iopt_port *const *base,
			      const struct iopt_port *const *patched)
{
	static struct iopt_prog prog;
	static struct iopt_run_opts o, op;
	enum iopt_verdict res;
	bool lb, lp;

	o = *opts;
	memset(&v, 0, sizeof(v));
	v.b = &rb;
	v.p = &rp;
	v.opts = opts;
	o.quiet = true;
	o.verbose = false;
	o.abort_on_report = false;
	op = o;
	if (opts->patched_plant) {	/* IOPT_PLANT_PATCHED (plant.h) */
		memcpy(op.knobs, opts->patched_knobs, sizeof(op.knobs));
		memcpy(op.drv_plant, opts->patched_drv_plant, sizeof(op.drv_plant));
	}
	digest_begin(opts->digest);
	run_decode(data, size, &o, &prog);
	run_begin(&rb, &prog, &o, base);
	run_begin(&rp, &prog, &op, patched);
	v.stage = "alloc";
	lb = run_create(&rb);
	lp = run_create(&rp);
	predict_create(&v);
	compare(&v, lb && lp);
	v.op_index = rb.first_op;	/* the same on both: the same program */
	for (; lb && lp && !v.differs && !rb.failed && !rp.failed &&
	       v.op_index < prog.nops; v.op_index++) {
		rb.op_index = rp.op_index = v.op_index;
		v.stage = iopt_op_name(prog.ops[v.op_index].kind);
		mark_both(&v);	/* (ops the model does not predict too) */
		run_op(&rb, &prog.ops[v.op_index]);
		run_op(&rp, &prog.ops[v.op_index]);
		if (prog.ops[v.op_index].kind == IOPT_OP_RECREATE)
			predict_create(&v);
		else
			predict_op(&v, &prog.ops[v.op_index]);
		compare(&v, true);
	}
	if (lb && lp && !v.differs && !rb.failed && !rp.failed) {
		v.stage = "teardown";
		mark_both(&v);
		run_teardown(&rb);
		run_teardown(&rp);
		predict_teardown(&v);
		compare(&v, false);
	}
	res = verdict(&v, v.op_index);
	run_finish(&rb);
	run_finish(&rp);
	return res;
}
