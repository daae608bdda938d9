// SPDX-License-Identifier: GPL-2.0-only
/*
 * The differential executor (in the manner of Cryptofuzz's executor and
 * wasmtime's differential oracles): every op runs on the reference model,
 * the kernel port and the hyp port; then, in this order, we compare
 *
 *   1. return values and *mapped (model, kernel, hyp);
 *   2. WARNs: each build WARNs exactly when the contract says so;
 *   3. iova_to_phys on the touched range and fixed probes;
 *   4. the decoded tables against the model (the canonical image hash
 *      of kernel vs hyp is compared at the end and before re-create);
 *   5. cache maintenance, normalised to (canonical table, offset, length)
 *      on the tables reachable after the op, in order;
 *   6. allocator accounting: live tables per build against the model;
 *   7. TLB callbacks, kernel vs hyp;
 * and after teardown, that each env is empty. The first difference is
 * reported with the ops that led to it and one stable signature line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iopt/env.h>
#include <iopt/port.h>
#include <iopt/version.h>
#include "exec.h"
#include "image.h"
#include "input.h"
#include "model.h"

#include <iopt_shim.h>
#include <linux/io-pgtable.h>
#include "kernel_cfg.h"

#define NR_SIDES	2
#define TLB_EVENTS	64
#define TRACE_BYTES	16384

struct tlb_event {
	uint8_t kind;			/* 0 flush_all, 1 flush_walk, 2 add_page */
	uint64_t iova, size, granule;
};

struct side {
	const struct iopt_port *port;
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	struct iopt_dec_cfg dec;
	struct iopt_image img;
	struct tlb_event tlb[TLB_EVENTS];
	unsigned int ntlb;
	unsigned long tlb_total;
	size_t cmo_mark;
	unsigned long warn_mark;
	/* results of the current op */
	long ret;
	size_t mapped;
	uint64_t dirty[32][2];
	unsigned int ndirty;
};

struct run {
	const struct iopt_run_opts *opts;
	const struct iopt_prog *prog;
	struct iopt_model_geom geom;
	struct iopt_model *model;
	struct side side[NR_SIDES];
	unsigned int op_index;
	const char *op_name;
	char trace[TRACE_BYTES];
	size_t trace_len;
	bool failed;
};

static struct iopt_run_stats stats;

const struct iopt_run_stats *iopt_run_stats(void)
{
	return &stats;
}

static FILE *out_of(const struct run *r)
{
	return r->opts->out ? r->opts->out : stderr;
}

/* ---- traces and reports --------------------------------------------- */

static void trace(struct run *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (r->opts->verbose) {
		va_list aq;

		va_copy(aq, ap);
		vfprintf(out_of(r), fmt, aq);
		va_end(aq);
	}
	n = vsnprintf(r->trace + r->trace_len, TRACE_BYTES - r->trace_len,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		r->trace_len = r->trace_len + n < TRACE_BYTES ?
			       r->trace_len + n : TRACE_BYTES - 1;
}

static const char *fmt_name(enum iopt_fmt fmt)
{
	return iopt_dec_fmt_name(fmt);
}

/* Report the first divergence: config, ops so far, what differs, signature. */
static void report(struct run *r, const char *check, const char *fmt, ...)
{
	const struct iopt_model_cfg *c = &r->prog->cfg;
	FILE *f = out_of(r);
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	stats.reports++;
	snprintf(stats.last_signature, sizeof(stats.last_signature),
		 "iopt: %s/%s/%s", check, r->op_name, fmt_name(c->fmt));
	fprintf(f, "==== iopt-fuzz: divergence in check '%s' ====\n", check);
	fprintf(f, "tree %s; %s, pgsizes 0x%lx (kept 0x%lx), ias %u (%u), oas %u (%u), quirks 0x%x, %s walk\n",
		iopt_tree_version(), fmt_name(c->fmt), c->pgsize_bitmap,
		r->geom.pgsize_bitmap, c->ias, r->geom.ias, c->oas, r->geom.oas,
		c->quirks, c->coherent_walk ? "coherent" : "non-coherent");
	fprintf(f, "ops up to the failing one:\n%s", r->trace);
	fprintf(f, "what differs at op #%u (%s): ", r->op_index, r->op_name);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fprintf(f, "\n%s\n", stats.last_signature);
	fflush(f);
	if (r->opts->abort_on_report)
		abort();
}

/* ---- TLB callbacks: each side logs its own ---------------------------- */

static void tlb_log(struct side *s, uint8_t kind, uint64_t iova,
		    uint64_t size, uint64_t granule)
{
	if (s->ntlb < TLB_EVENTS)
		s->tlb[s->ntlb++] = (struct tlb_event){ kind, iova, size, granule };
	s->tlb_total++;
}

static void tlb_flush_all(void *cookie)
{
	tlb_log(cookie, 0, 0, 0, 0);
}

static void tlb_flush_walk(unsigned long iova, size_t size, size_t granule,
			   void *cookie)
{
	tlb_log(cookie, 1, iova, size, granule);
}

static void tlb_add_page(struct iommu_iotlb_gather *gather,
			 unsigned long iova, size_t granule, void *cookie)
{
	tlb_log(cookie, 2, iova, granule, granule);
}

static const struct iommu_flush_ops tlb_ops = {
	.tlb_flush_all	= tlb_flush_all,
	.tlb_flush_walk	= tlb_flush_walk,
	.tlb_add_page	= tlb_add_page,
};

/* ---- setting up a side -------------------------------------------------- */

static uint64_t side_ttbr(const struct side *s, enum iopt_fmt fmt)
{
	switch (fmt) {
	case IOPT_FMT_ARM_64_S2:
	case IOPT_FMT_ARM_32_S2:
		return s->cfg.arm_lpae_s2_cfg.vttbr;
	case IOPT_FMT_MALI:
		return s->cfg.arm_mali_lpae_cfg.transtab & ~0x1fULL;
	default:
		return s->cfg.arm_lpae_s1_cfg.ttbr;
	}
}

static void apply_knobs(struct run *r)
{
	r->side[0].port->env->knobs = r->opts->kernel_knobs;
	r->side[1].port->env->knobs = r->opts->hyp_knobs;
}

static bool side_create(struct run *r, struct side *s)
{
	const struct iopt_model_cfg *c = &r->prog->cfg;
	static struct device dev = { .numa_node = NUMA_NO_NODE };

	memset(&s->cfg, 0, sizeof(s->cfg));
	s->cfg.quirks = iopt_kernel_quirks(c->quirks);
	s->cfg.pgsize_bitmap = c->pgsize_bitmap;
	s->cfg.ias = c->ias;
	s->cfg.oas = c->oas;
	s->cfg.coherent_walk = c->coherent_walk;
	s->cfg.tlb = &tlb_ops;
	s->cfg.iommu_dev = &dev;
	s->ops = s->port->alloc_ops(iopt_kernel_fmt[c->fmt], &s->cfg, s);
	if (s->ops && r->model)
		iopt_model_dec_cfg(r->model, side_ttbr(s, c->fmt), &s->dec);
	return s->ops != NULL;
}

static void side_destroy(struct side *s)
{
	if (s->ops)
		s->port->free_ops(s->ops);
	s->ops = NULL;
}

/* ---- the memory the decoder reads ------------------------------------- */

static const void *env_lookup(void *ctx, uint64_t pa, uint64_t *base,
			      uint64_t *size)
{
	return iopt_phys_lookup(ctx, pa, base, size);
}

static struct iopt_dec_mem side_mem(const struct side *s)
{
	return (struct iopt_dec_mem){ .ctx = s->port->env, .lookup = env_lookup };
}

/* ---- running one op ------------------------------------------------------ */

struct op_args {
	uint64_t iova, pa;
	size_t pgsize, count;
	int prot;
};

struct dirty_rec {
	struct iova_bitmap bm;
	struct side *s;
};

static void dirty_record(struct iova_bitmap *bm, unsigned long iova,
			 unsigned long len)
{
	struct side *s = ((struct dirty_rec *)bm)->s;

	if (s->ndirty < 32) {
		s->dirty[s->ndirty][0] = iova;
		s->dirty[s->ndirty][1] = len;
	}
	s->ndirty++;
}

static void side_op(struct run *r, struct side *s, const struct iopt_op *op,
		    const struct op_args *a, int side_index)
{
	struct iommu_iotlb_gather gather = {
		.queued = op->flags & IOPT_OPF_QUEUED,
	};
	int prot = a->prot;

	s->ret = 0;
	s->mapped = 0;
	s->ndirty = 0;
	if (side_index == 1 && r->opts->hyp_prot_flip)
		prot ^= IOMMU_CACHE;
	switch (op->kind) {
	case IOPT_OP_MAP:
		s->ret = s->ops->map_pages(s->ops, a->iova, a->pa, a->pgsize,
					   a->count, prot, GFP_KERNEL,
					   &s->mapped);
		break;
	case IOPT_OP_UNMAP:
		s->ret = (long)s->ops->unmap_pages(s->ops, a->iova, a->pgsize,
			a->count, op->flags & IOPT_OPF_GATHER ? &gather : NULL);
		break;
	case IOPT_OP_IOVA_TO_PHYS:
		s->ret = (long)s->ops->iova_to_phys(s->ops, a->iova);
		break;
#if IOPT_TREE_HAS_DIRTY
	case IOPT_OP_DIRTY: {
		struct dirty_rec rec = { .bm.record = dirty_record, .s = s };
		struct iommu_dirty_bitmap dirty = { .bitmap = &rec.bm };

		s->ret = s->ops->read_and_clear_dirty(s->ops, a->iova,
			a->pgsize * a->count,
			op->flags & IOPT_OPF_NO_CLEAR ? IOMMU_DIRTY_NO_CLEAR : 0,
			&dirty);
		break;
	}
#endif
	default:
		break;
	}
}

struct model_dirty {
	uint64_t r[32][2];
	unsigned int n;
};

static void model_dirty_record(void *ctx, uint64_t iova, uint64_t len)
{
	struct model_dirty *d = ctx;

	if (d->n < 32) {
		d->r[d->n][0] = iova;
		d->r[d->n][1] = len;
	}
	d->n++;
}

/* Predict the op; false if it breaks a caller precondition (not run). */
static bool model_op(struct run *r, const struct iopt_op *op,
		     const struct op_args *a, struct iopt_model_pred *p,
		     struct model_dirty *md)
{
	memset(p, 0, sizeof(*p));
	switch (op->kind) {
	case IOPT_OP_MAP:
		iopt_model_map(r->model, a->iova, a->pa, a->pgsize, a->count,
			       a->prot, 0, p);
		break;
	case IOPT_OP_UNMAP:
		iopt_model_unmap(r->model, a->iova, a->pgsize, a->count, p);
		break;
	case IOPT_OP_IOVA_TO_PHYS:
		p->ret = (long)iopt_model_iova_to_phys(r->model, a->iova);
		break;
	case IOPT_OP_DIRTY:
		if (!IOPT_TREE_HAS_DIRTY)
			return false;
		iopt_model_read_and_clear_dirty(r->model, a->iova,
			a->pgsize * a->count,
			op->flags & IOPT_OPF_NO_CLEAR ? 1 : 0,
			model_dirty_record, md, p);
		break;
	default:
		break;
	}
	return !p->violation;
}

/* ---- comparisons --------------------------------------------------------- */

static bool cmp_results(struct run *r, const struct iopt_op *op,
			const struct iopt_model_pred *p,
			const struct model_dirty *md)
{
	for (int i = 0; i < NR_SIDES; i++) {
		struct side *s = &r->side[i];

		if (s->ret != p->ret || (op->kind == IOPT_OP_MAP &&
					 s->mapped != p->mapped)) {
			report(r, "result",
			       "%s returned %ld (mapped 0x%zx), the contract says %ld (mapped 0x%zx)%s%s",
			       s->port->name, s->ret, s->mapped, p->ret,
			       p->mapped, p->why ? ": " : "",
			       p->why ? p->why : "");
			return false;
		}
		if (op->kind == IOPT_OP_DIRTY &&
		    (s->ndirty != md->n ||
		     memcmp(s->dirty, md->r, sizeof(md->r[0]) *
			    (md->n < 32 ? md->n : 32)))) {
			report(r, "dirty",
			       "%s recorded %u dirty ranges, the model %u",
			       s->port->name, s->ndirty, md->n);
			return false;
		}
	}
	return true;
}

static bool cmp_warns(struct run *r, const struct iopt_model_pred *p)
{
	for (int i = 0; i < NR_SIDES; i++) {
		struct side *s = &r->side[i];
		bool warned = s->port->env->warn_total != s->warn_mark;

		if (warned != p->warn) {
			const struct iopt_env *e = s->port->env;
			const struct iopt_warn_site *w =
				e->nr_warn_sites ? &e->warns[e->nr_warn_sites - 1] : NULL;

			report(r, "warn", "%s %s, the contract says it %s%s%s%s",
			       s->port->name,
			       warned ? "WARNed" : "did not WARN",
			       p->warn ? "WARNs" : "does not",
			       w && warned ? " (last at " : "",
			       w && warned ? w->what : "",
			       w && warned ? ")" : "");
			return false;
		}
	}
	if (p->warn)
		stats.predicted_warns++;
	return true;
}

static bool probe(struct run *r, uint64_t iova)
{
	uint64_t want = iopt_model_iova_to_phys(r->model, iova);

	for (int i = 0; i < NR_SIDES; i++) {
		struct side *s = &r->side[i];
		uint64_t got = s->ops->iova_to_phys(s->ops, iova);

		if (got != want) {
			report(r, "iova_to_phys",
			       "%s translates iova 0x%llx to 0x%llx, the model to 0x%llx",
			       s->port->name, (unsigned long long)iova,
			       (unsigned long long)got, (unsigned long long)want);
			return false;
		}
	}
	return true;
}

static bool cmp_translations(struct run *r, const struct op_args *a)
{
	uint64_t len = a->pgsize * (a->count ? a->count : 1);

	if (!probe(r, a->iova) || !probe(r, a->iova + len / 2) ||
	    !probe(r, a->iova + len - 1))
		return false;
	for (uint8_t slot = 0; slot < 0xff; slot += 0x25)
		if (!probe(r, iopt_slot_iova(&r->geom, r->prog->cfg.quirks,
					     slot, a->pgsize ? a->pgsize : 4096)))
			return false;
	return true;
}

/* Decode both images, name the first differing entry. */
static void report_image_diff(struct run *r)
{
	struct side *k = &r->side[0], *h = &r->side[1];
	long w = iopt_image_first_diff(&k->img, &h->img);
	unsigned int id = 0, idx = 0;
	int lvl = 0;

	if (w >= 0)
		iopt_image_locate(&k->img, w, &id, &lvl, &idx);
	report(r, "image",
	       "canonical images differ (kernel %016llx, hyp %016llx): first at table #%u level %d entry %u: kernel %016llx, hyp %016llx",
	       (unsigned long long)k->img.hash, (unsigned long long)h->img.hash,
	       id, lvl, idx,
	       (unsigned long long)(w >= 0 && (size_t)w < k->img.n ? k->img.words[w] : 0),
	       (unsigned long long)(w >= 0 && (size_t)w < h->img.n ? h->img.words[w] : 0));
}

/* Each build's decoded tables against the model (after every op). */
static bool cmp_tables(struct run *r)
{
	char why[256];

	for (int i = 0; i < NR_SIDES; i++) {
		struct side *s = &r->side[i];
		struct iopt_dec_mem mem = side_mem(s);

		if (iopt_model_check_tables(r->model, &s->dec, &mem, why,
					    sizeof(why))) {
			report(r, "tables", "%s's tables: %s", s->port->name, why);
			return false;
		}
	}
	return true;
}

/* The canonical images of kernel vs hyp: at the end and before re-create. */
static bool cmp_images(struct run *r)
{
	for (int i = 0; i < NR_SIDES; i++) {
		struct side *s = &r->side[i];
		struct iopt_dec_mem mem = side_mem(s);

		iopt_image_build(&s->img, &s->dec, &mem);
	}
	if (r->side[0].img.hash != r->side[1].img.hash) {
		report_image_diff(r);
		return false;
	}
	return true;
}

/* ---- CMOs, normalised ------------------------------------------------- */

struct table_ref {
	uint64_t pa, bytes;
	unsigned int id;
};

struct norm_cmo {
	unsigned int id;
	uint64_t off, len;
};

struct table_list {
	struct table_ref t[512];
	unsigned int n;
	bool overflow;
};

static void collect_table(void *ctx, uint64_t pa, int level,
			  unsigned int entries)
{
	struct table_list *tl = ctx;

	if (tl->n == 512) {
		tl->overflow = true;
		return;
	}
	tl->t[tl->n] = (struct table_ref){ pa, entries * 8ULL, tl->n };
	tl->n++;
}

static int by_pa(const void *a, const void *b)
{
	const struct table_ref *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

/* The side's CMOs of this op on tables reachable now; returns the count. */
static unsigned int norm_cmos(struct side *s, struct table_list *tl,
			      struct norm_cmo *out, unsigned int max)
{
	struct iopt_dec_visitor v = { .ctx = tl, .table = collect_table };
	struct iopt_dec_mem mem = side_mem(s);
	const struct iopt_env *e = s->port->env;
	unsigned int n = 0;

	tl->n = 0;
	tl->overflow = false;
	iopt_dec_walk(&s->dec, &mem, &v);
	qsort(tl->t, tl->n, sizeof(tl->t[0]), by_pa);
	for (size_t i = s->cmo_mark; i < e->cmo_n && n < max; i++) {
		const struct iopt_cmo *c = &e->cmo_log[i];
		long lo = 0, hi = (long)tl->n - 1;

		while (lo <= hi) {
			long mid = (lo + hi) / 2;
			const struct table_ref *t = &tl->t[mid];

			if (c->phys < t->pa) {
				hi = mid - 1;
			} else if (c->phys >= t->pa + t->bytes) {
				lo = mid + 1;
			} else {
				out[n++] = (struct norm_cmo){ t->id,
					c->phys - t->pa, c->len };
				break;
			}
		}
	}
	return n;
}

static bool cmp_cmos(struct run *r)
{
	static struct table_list tl[NR_SIDES];
	static struct norm_cmo c[NR_SIDES][1024];
	unsigned int n[NR_SIDES];

	if (r->side[0].port->env->cmo_n == r->side[0].cmo_mark &&
	    r->side[1].port->env->cmo_n == r->side[1].cmo_mark)
		return true;	/* neither build did any maintenance */
	for (int i = 0; i < NR_SIDES; i++)
		n[i] = norm_cmos(&r->side[i], &tl[i], c[i], 1024);
	if (tl[0].overflow || tl[1].overflow)
		return true;	/* too many tables to normalise: skip */
	for (unsigned int i = 0; i < n[0] || i < n[1]; i++) {
		if (i < n[0] && i < n[1] && !memcmp(&c[0][i], &c[1][i], sizeof(c[0][i])))
			continue;
		report(r, "cmo",
		       "cache maintenance differs at CMO #%u of the op: kernel %s table #%u +0x%llx len %llu, hyp %s table #%u +0x%llx len %llu (kernel made %u reachable table ranges visible, hyp %u)",
		       i, i < n[0] ? "cleaned" : "did nothing,",
		       i < n[0] ? c[0][i].id : 0,
		       (unsigned long long)(i < n[0] ? c[0][i].off : 0),
		       (unsigned long long)(i < n[0] ? c[0][i].len : 0),
		       i < n[1] ? "cleaned" : "did nothing,",
		       i < n[1] ? c[1][i].id : 0,
		       (unsigned long long)(i < n[1] ? c[1][i].off : 0),
		       (unsigned long long)(i < n[1] ? c[1][i].len : 0),
		       n[0], n[1]);
		return false;
	}
	return true;
}

/*
 * Accounting: each build holds one block per live table. The documented
 * difference: the pgtable data struct is a slab object in the kernel and
 * a whole pool page at EL2.
 */
static bool cmp_accounting(struct run *r)
{
	long want = iopt_model_nr_tables(r->model);
	const struct iopt_env *k = r->side[0].port->env;
	const struct iopt_env *h = r->side[1].port->env;

	if (k->stats.live_blocks != want || k->stats.live_slab != 1) {
		report(r, "accounting",
		       "kernel holds %ld page blocks and %ld slab objects, the model %ld tables and 1 data struct",
		       k->stats.live_blocks, k->stats.live_slab, want);
		return false;
	}
	if (h->stats.live_blocks != want + 1) {
		report(r, "accounting",
		       "hyp holds %ld pool blocks, the model %ld tables plus the data page",
		       h->stats.live_blocks, want);
		return false;
	}
	return true;
}

static bool cmp_tlb(struct run *r)
{
	struct side *k = &r->side[0], *h = &r->side[1];

	if (k->tlb_total == h->tlb_total &&
	    !memcmp(k->tlb, h->tlb, k->ntlb * sizeof(k->tlb[0])))
		return true;
	report(r, "tlb", "TLB callbacks differ: kernel made %lu, hyp %lu",
	       k->tlb_total, h->tlb_total);
	return false;
}

static bool cmp_detections(struct run *r)
{
	for (int i = 0; i < NR_SIDES; i++) {
		const struct iopt_env *e = r->side[i].port->env;

		if (e->report_total) {
			report(r, "runtime", "%s: %s: %s", r->side[i].port->name,
			       iopt_detect_name(e->reports[0].kind),
			       e->reports[0].msg);
			return false;
		}
	}
	return true;
}

/* ---- the program ------------------------------------------------------- */

static void op_args(const struct run *r, const struct iopt_op *op,
		    struct op_args *a)
{
	a->pgsize = iopt_slot_pgsize(&r->geom, op->pgsize_idx);
	a->count = iopt_slot_count(op->count);
	a->iova = iopt_slot_iova(&r->geom, r->prog->cfg.quirks, op->iova_slot,
				 a->pgsize ? a->pgsize : 4096);
	a->pa = iopt_slot_pa(&r->geom, op->pa_slot, a->pgsize ? a->pgsize : 4096);
	a->prot = op->prot & 0x3f;
	if (op->kind == IOPT_OP_IOVA_TO_PHYS)
		a->iova += op->pa_slot * 8ULL;
}

static void mark(struct run *r)
{
	for (int i = 0; i < NR_SIDES; i++) {
		struct side *s = &r->side[i];

		s->cmo_mark = s->port->env->cmo_n;
		s->warn_mark = s->port->env->warn_total;
		s->ntlb = 0;
		s->tlb_total = 0;
	}
}

/*
 * Whether the op can have changed a table, by the contract: lookups never
 * do, nor does an op that failed without adding or freeing a table. The
 * others get a full walk now; every program gets one at the end anyway.
 */
static bool changes_tables(const struct iopt_op *op,
			   const struct iopt_model_pred *p)
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

static bool compare_all(struct run *r, const struct iopt_op *op,
			const struct op_args *a,
			const struct iopt_model_pred *p,
			const struct model_dirty *md)
{
	return cmp_results(r, op, p, md) && cmp_warns(r, p) &&
	       cmp_detections(r) && cmp_translations(r, a) &&
	       (!changes_tables(op, p) || cmp_tables(r)) && cmp_cmos(r) &&
	       cmp_accounting(r) && cmp_tlb(r);
}

static bool teardown(struct run *r)
{
	if (r->model && r->side[0].ops && r->side[1].ops &&
	    (!cmp_tables(r) || !cmp_images(r)))
		return false;
	for (int i = 0; i < NR_SIDES; i++) {
		struct side *s = &r->side[i];
		struct iopt_env *e = s->port->env;
		long leaks;

		side_destroy(s);
		leaks = e->stats.live_blocks + e->stats.live_slab +
			e->stats.live_dma_maps;
		if (leaks || e->report_total) {
			report(r, "teardown",
			       "%s holds %ld blocks, %ld slab objects, %ld DMA maps after free_io_pgtable_ops%s%s",
			       s->port->name, e->stats.live_blocks,
			       e->stats.live_slab, e->stats.live_dma_maps,
			       e->report_total ? "; " : "",
			       e->report_total ? e->reports[0].msg : "");
			return false;
		}
	}
	return true;
}

static bool create(struct run *r)
{
	bool ok[NR_SIDES];

	r->op_name = "alloc";
	for (int i = 0; i < NR_SIDES; i++) {
		iopt_env_reset(r->side[i].port->env);
		ok[i] = side_create(r, &r->side[i]);
	}
	apply_knobs(r);
	if (ok[0] != !r->geom.rejected || ok[1] != !r->geom.rejected) {
		report(r, "alloc",
		       "alloc_io_pgtable_ops: kernel %s, hyp %s, the model says %s",
		       ok[0] ? "accepted" : "rejected",
		       ok[1] ? "accepted" : "rejected",
		       r->geom.rejected ? "rejected" : "accepted");
		return false;
	}
	return true;
}

static void run_op(struct run *r, const struct iopt_op *op)
{
	struct iopt_model_pred p;
	struct model_dirty md = { 0 };
	struct op_args a;

	r->op_name = iopt_op_name(op->kind);
	if (op->kind == IOPT_OP_RECREATE) {
		if (!teardown(r))
			return;
		iopt_model_free(r->model);
		r->model = iopt_model_new(&r->prog->cfg);
		if (create(r))
			trace(r, "  #%u recreate\n", r->op_index);
		return;
	}
	op_args(r, op, &a);
	if (!model_op(r, op, &a, &p, &md)) {
		stats.skipped_violations++;
		trace(r, "  #%u %s iova 0x%llx pgsize 0x%zx count %zu: skipped, breaks a caller precondition (%s)\n",
		      r->op_index, r->op_name, (unsigned long long)a.iova,
		      a.pgsize, a.count, p.why ? p.why : "?");
		return;
	}
	mark(r);
	for (int i = 0; i < NR_SIDES; i++)
		side_op(r, &r->side[i], op, &a, i);
	stats.ops++;
	trace(r, "  #%u %s iova 0x%llx pa 0x%llx pgsize 0x%zx count %zu prot 0x%x flags 0x%x -> model %ld/0x%zx%s, kernel %ld/0x%zx, hyp %ld/0x%zx\n",
	      r->op_index, r->op_name, (unsigned long long)a.iova,
	      (unsigned long long)a.pa, a.pgsize, a.count, a.prot, op->flags,
	      p.ret, p.mapped, p.warn ? " (WARN)" : "", r->side[0].ret,
	      r->side[0].mapped, r->side[1].ret, r->side[1].mapped);
	compare_all(r, op, &a, &p, &md);
}

enum iopt_verdict iopt_run(const uint8_t *data, size_t size,
			   const struct iopt_run_opts *opts)
{
	static struct iopt_prog prog;
	static struct run run;
	struct run *r = &run;

	iopt_decode(data, size, &prog);
	for (int i = 0; i < NR_SIDES; i++) {
		struct iopt_image keep = r->side[i].img;

		memset(&r->side[i], 0, sizeof(r->side[i]));
		r->side[i].img = keep;
	}
	r->side[0].port = &iopt_kernel_port;
	r->side[1].port = &iopt_hyp_port;
	r->opts = opts;
	r->prog = &prog;
	r->failed = false;
	r->trace_len = 0;
	r->trace[0] = 0;
	r->op_index = 0;
	stats.inputs++;
	for (int i = 0; i < NR_SIDES; i++)
		if (r->side[i].port->init())
			abort();

	iopt_model_geometry(&prog.cfg, &r->geom);
	r->model = r->geom.rejected ? NULL : iopt_model_new(&prog.cfg);
	/*
	 * A degenerate cfg (ias not above the granule shift) is accepted by
	 * the kernel but builds nonsense: a caller precondition, not run.
	 */
	if (!create(r) || !r->model) {
		stats.rejected_cfgs += r->geom.rejected;
		stats.skipped_violations += r->geom.degenerate;
		teardown(r);
		goto out;
	}
	for (r->op_index = 0; r->op_index < prog.nops && !r->failed; r->op_index++)
		run_op(r, &prog.ops[r->op_index]);
	r->op_name = "teardown";
	if (!r->failed)
		teardown(r);
out:
	iopt_model_free(r->model);
	r->model = NULL;
	for (int i = 0; i < NR_SIDES; i++) {
		side_destroy(&r->side[i]);
		iopt_env_reset(r->side[i].port->env);
	}
	return r->failed ? IOPT_DIVERGENCE : IOPT_CLEAN;
}
