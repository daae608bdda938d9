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
 *   oracle   each tree's own verdict against its contract
 *
 * A difference that the two trees' contracts predict (the oracles of two
 * generations foresee different results, WARNs, geometry or top-table
 * sizes for this step, and each tree keeps its own contract) is a contract
 * change: it is recorded as "known:contract-<what>/<op>/<format>" and the
 * program goes on; once such a change has made the two trees' states
 * differ (other results, other tables), only the oracles are compared.
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
#include "run.h"

#define EXPLAINED_MAX	8

struct review {
	struct run *b, *p;		/* base and patched */
	const struct iopt_run_opts *opts;
	const char *stage;		/* "alloc", the op's name, "teardown" */
	unsigned int op_index;
	/* the contracts predict this stage differently: how (else empty) */
	char explain[256];
	bool diverging;			/* ... and the states will differ after it */
	bool diverged;			/* they do: only the oracles are compared */
	/* the difference that ends the program */
	char what[32];			/* its class */
	char desc[2048];		/* what each tree did */
	bool differs;
	/* the contract changes seen, the first with its description */
	char explained[EXPLAINED_MAX][96];
	unsigned int nexplained;
	char first_desc[2048];
};

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

static void differ(struct review *v, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An observation differs: a contract change if explained, else the end. */
static void differ(struct review *v, const char *what, const char *fmt, ...)
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

/* ---- the observations ------------------------------------------------------ */

static void cmp_results(struct review *v, const struct side *b,
			const struct side *p)
{
	if (b->ret != p->ret || b->mapped != p->mapped)
		differ(v, "result",
		       "%s: base returned %ld (mapped 0x%zx), patched %ld (mapped 0x%zx)",
		       b->port->name, b->ret, b->mapped, p->ret, p->mapped);
	else if (b->dirty.n != p->dirty.n ||
		 memcmp(b->dirty.r, p->dirty.r, sizeof(b->dirty.r[0]) *
			(b->dirty.n < DIRTY_MAX ? b->dirty.n : DIRTY_MAX)))
		differ(v, "result",
		       "%s: base recorded %u dirty ranges, patched %u",
		       b->port->name, b->dirty.n, p->dirty.n);
}

static void cmp_warns(struct review *v, const struct side *b,
		      const struct side *p)
{
	unsigned long wb = b->port->env->warn_total - b->warn_mark;
	unsigned long wp = p->port->env->warn_total - p->warn_mark;

	if (wb != wp)
		differ(v, "warn", "%s: base WARNed %lu times, patched %lu",
		       b->port->name, wb, wp);
}

static const char *const tlb_names[] = {
	[TLB_FLUSH_ALL] = "tlb_flush_all", [TLB_FLUSH_WALK] = "tlb_flush_walk",
	[TLB_ADD_PAGE] = "tlb_add_page",
};

static void describe_tlb(char *buf, size_t n, const struct side *s,
			 unsigned int k)
{
	const struct tlb_event *e = &s->tlb[k];

	if (k >= s->ntlb)
		snprintf(buf, n, "nothing");
	else
		snprintf(buf, n, "%s(iova 0x%llx, size 0x%llx, granule 0x%llx)",
			 tlb_names[e->kind], (unsigned long long)e->iova,
			 (unsigned long long)e->size,
			 (unsigned long long)e->granule);
}

static void cmp_tlb(struct review *v, const struct side *b,
		    const struct side *p)
{
	char db[96], dp[96];
	unsigned int k;

	for (k = 0; k < b->ntlb || k < p->ntlb; k++) {
		const struct tlb_event *x = &b->tlb[k], *y = &p->tlb[k];

		if (k < b->ntlb && k < p->ntlb && x->kind == y->kind &&
		    x->iova == y->iova && x->size == y->size &&
		    x->granule == y->granule)
			continue;
		break;
	}
	if (k == b->ntlb && k == p->ntlb && b->tlb_total == p->tlb_total)
		return;
	describe_tlb(db, sizeof(db), b, k);
	describe_tlb(dp, sizeof(dp), p, k);
	differ(v, "tlb",
	       "%s: TLB callback #%u: base %s, patched %s (%lu callbacks in all, patched %lu)",
	       b->port->name, k, db, dp, b->tlb_total, p->tlb_total);
}

/*
 * Allocations and frees, in order: kind, size, order, alignment and gfp
 * of page allocations (the tables); of slab objects (the pgtable data
 * struct, whose size is its layout, an implementation detail) the kind and
 * gfp only. Not the node: NUMA_NO_NODE and the local node (what
 * iommu-pages asks for since 6.16) are the same memory here.
 */
static bool same_alloc(const struct iopt_alloc_rec *x,
		       const struct iopt_alloc_rec *y)
{
	if (x->kind != y->kind || x->free != y->free || x->gfp != y->gfp)
		return false;
	return x->kind == IOPT_ALLOC_SLAB ||
	       (x->size == y->size && x->order == y->order &&
		x->align == y->align);
}

static void describe_alloc(char *buf, size_t n, const struct iopt_env *e,
			   size_t k)
{
	const struct iopt_alloc_rec *a;

	if (k >= e->alloc_n) {
		snprintf(buf, n, "nothing");
		return;
	}
	a = &e->alloc_log[k];
	snprintf(buf, n, "%s %s of %llu bytes (order %d, aligned 0x%llx, gfp 0x%x)",
		 a->kind == IOPT_ALLOC_SLAB ? "slab" : "pages",
		 a->free ? "free" : "allocation", (unsigned long long)a->size,
		 a->order, (unsigned long long)a->align, a->gfp);
}

static void cmp_allocs(struct review *v, const struct side *b,
		       const struct side *p)
{
	const struct iopt_env *eb = b->port->env, *ep = p->port->env;
	size_t nb = eb->alloc_n - b->alloc_mark, np = ep->alloc_n - p->alloc_mark;
	char db[128], dp[128];
	size_t k;

	for (k = 0; k < nb && k < np; k++)
		if (!same_alloc(&eb->alloc_log[b->alloc_mark + k],
				&ep->alloc_log[p->alloc_mark + k]))
			break;
	if (k == nb && k == np)
		return;
	describe_alloc(db, sizeof(db), eb, b->alloc_mark + k);
	describe_alloc(dp, sizeof(dp), ep, p->alloc_mark + k);
	differ(v, "alloc", "%s: allocator call #%zu: base %s, patched %s (%zu calls, patched %zu)",
	       b->port->name, k, db, dp, nb, np);
}

static const char *const via_names[] = {
	[IOPT_VIA_DMA_MAP] = "dma_map_single", [IOPT_VIA_DMA_SYNC] = "dma_sync_single_for_device",
	[IOPT_VIA_FLUSH] = "kvm_flush_dcache_to_poc",
};

static const char *via_name(unsigned int via)
{
	return via < sizeof(via_names) / sizeof(via_names[0]) && via_names[via] ?
	       via_names[via] : "?";
}

static void describe_cmo(char *buf, size_t n, const struct norm_cmo *c,
			 bool any)
{
	if (!any)
		snprintf(buf, n, "nothing");
	else if (c->level < 0)
		snprintf(buf, n, "%s %llu bytes of no live table via %s",
			 c->kind == IOPT_CMO_CLEAN ? "clean" : "clean+invalidate",
			 (unsigned long long)c->len, via_name(c->via));
	else
		snprintf(buf, n, "%s %llu bytes at +0x%llx of the L%d table of iova 0x%llx via %s",
			 c->kind == IOPT_CMO_CLEAN ? "clean" : "clean+invalidate",
			 (unsigned long long)c->len, (unsigned long long)c->off,
			 c->level, (unsigned long long)c->iova, via_name(c->via));
}

static void cmp_cmos(struct review *v, struct side *b, struct side *p)
{
	static struct norm_cmo cb[CMOS_MAX], cp[CMOS_MAX];
	unsigned int nb = side_cmos(v->b, b, cb, CMOS_MAX);
	unsigned int np = side_cmos(v->p, p, cp, CMOS_MAX);
	char db[160], dp[160];
	unsigned int k;

	for (k = 0; k < nb && k < np; k++)
		if (cb[k].iova != cp[k].iova || cb[k].level != cp[k].level ||
		    cb[k].off != cp[k].off || cb[k].len != cp[k].len ||
		    cb[k].kind != cp[k].kind || cb[k].via != cp[k].via)
			break;
	if (k == nb && k == np)
		return;
	describe_cmo(db, sizeof(db), &cb[k], k < nb);
	describe_cmo(dp, sizeof(dp), &cp[k], k < np);
	differ(v, "cmo", "%s: CMO #%u: base %s; patched %s (%u CMOs, patched %u)",
	       b->port->name, k, db, dp, nb, np);
}

static void cmp_images(struct review *v, struct side *b, struct side *p)
{
	struct iopt_dec_mem mb = side_mem(b), mp = side_mem(p);
	long w;

	iopt_image_build(&b->img, &b->dec, &mb);
	iopt_image_build(&p->img, &p->dec, &mp);
	if (b->img.hash == p->img.hash)
		return;
	w = iopt_image_first_diff(&b->img, &p->img);
	{
		unsigned int id = 0, idx = 0;
		int lvl = 0;

		if (w >= 0)
			iopt_image_locate(&b->img, w, &id, &lvl, &idx);
		differ(v, "image",
		       "%s: the tables differ, first at table #%u (level %d) entry %u: base %016llx, patched %016llx",
		       b->port->name, id, lvl, idx,
		       (unsigned long long)(w >= 0 && (size_t)w < b->img.n ? b->img.words[w] : 0),
		       (unsigned long long)(w >= 0 && (size_t)w < p->img.n ? p->img.words[w] : 0));
	}
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
 * Creating the tables: the two oracles' geometry (acceptance, start level,
 * top table), and the top table's size as asked for, as freed and as
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
	if (!v->b->model || !v->p->model)
		return;
	if (gb->start_level != gp->start_level ||
	    gb->pgd_entries != gp->pgd_entries) {
		explain(v, "contract %s starts at level %d with a %u-entry top table, %s at level %d with %u entries",
			v->b->cfg.contract->name, gb->start_level, gb->pgd_entries,
			v->p->cfg.contract->name, gp->start_level, gp->pgd_entries);
		v->diverging = true;
	}
	iopt_model_pgd_sizes(v->b->model, &ab, &fb);
	iopt_model_pgd_sizes(v->p->model, &ap, &fp);
	if (ab != ap || fb != fp)
		explain(v, "contract %s asks for a %zu-byte top table and frees %zu, %s asks for %zu and frees %zu",
			v->b->cfg.contract->name, ab, fb,
			v->p->cfg.contract->name, ap, fp);
	mb = iopt_model_pgd_map_len(v->b->model, sb && sb->st.custom);
	mp = iopt_model_pgd_map_len(v->p->model, sp && sp->st.custom);
	if (!v->b->cfg.coherent_walk && mb != mp)
		explain(v, "contract %s maps %zu bytes of the top table for the DMA API, %s %zu",
			v->b->cfg.contract->name, mb, v->p->cfg.contract->name, mp);
}

/*
 * An op: the two oracles' predictions (result, *mapped, WARNs, tables
 * added and freed), and the WARN each side's environment adds. Another
 * result or other tables make the states differ.
 */
static void predict_op(struct review *v)
{
	const struct iopt_model_pred *pb = &v->b->pred, *pp = &v->p->pred;

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
	for (enum iopt_role role = 0; role < IOPT_ROLES; role++) {
		struct side *b = side_of(v->b, role), *p = side_of(v->p, role);
		bool wb, wp;

		if (!b || !p)
			continue;
		wb = side_warns(v->b, b, pb);
		wp = side_warns(v->p, p, pp);
		if (wb != wp)
			explain(v, "contract %s says %s %s, %s that it %s",
				v->b->cfg.contract->name, b->port->name,
				wb ? "WARNs" : "does not WARN",
				v->p->cfg.contract->name,
				wp ? "WARNs" : "does not");
	}
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


/*
 * Every observation of every role both trees ran (unless a contract change
 * has made their states differ, or a known upstream bug ended one tree's
 * run: it explains what follows from it): the first that differs names
 * the class, whatever the verdicts. Then the verdicts: a known upstream
 * bug in one tree only is explained (fuzz/known.c); any other failure in
 * one tree, or other failures in both, is a difference ("oracle" when no
 * observation differed).
 * images: the tables may have changed (and both sides still have them).
 */
static void compare(struct review *v, bool images)
{
	/* a known bug explains what follows from it; a real failure does not */
	bool failed, known = v->b->known || v->p->known;

	for (enum iopt_role role = 0; role < IOPT_ROLES && !v->differs &&
	     !v->diverged && !known; role++) {
		struct side *b = side_of(v->b, role), *p = side_of(v->p, role);

		if (!b || !p)
			continue;
		if (b->live != p->live) {
			differ(v, "alloc", "%s: alloc_io_pgtable_ops: base %s, patched %s",
			       b->port->name, b->live ? "accepted" : "refused",
			       p->live ? "accepted" : "refused");
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
	differ(v, v->explain[0] ? "known-bug" : "oracle",
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
	fprintf(f, "ops (base's trace):\n%s", v->b->trace);
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

enum iopt_verdict iopt_review(const uint8_t *data, size_t size,
			      const struct iopt_run_opts *opts,
			      const struct iopt_port *const *base,
			      const struct iopt_port *const *patched)
{
	static struct iopt_prog prog;
	static struct review v;
	struct iopt_run_opts o = *opts;
	enum iopt_verdict res;
	bool lb, lp;

	memset(&v, 0, sizeof(v));
	v.b = &rb;
	v.p = &rp;
	v.opts = opts;
	o.quiet = true;
	o.verbose = false;
	o.abort_on_report = false;
	digest_begin();
	run_decode(data, size, &o, &prog);
	run_begin(&rb, &prog, &o, base);
	run_begin(&rp, &prog, &o, patched);
	v.stage = "alloc";
	lb = run_create(&rb);
	lp = run_create(&rp);
	predict_create(&v);
	compare(&v, lb && lp);
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
			predict_op(&v);
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
