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
 * and against a model of the hardware (device.c, and the env's point of
 * coherency view), on each build alone:
 *   8. with a non-coherent walker, every table line the op touched is
 *      clean: what the IOMMU reads at the PoC is what the CPU wrote;
 *   9. no TLB or walk-cache entry is stale where the op touched, once the
 *      op and the driver's iotlb sync are done;
 * and after teardown, that each env is empty. The first difference is
 * reported with the ops that led to it and one stable signature line.
 *
 * Checks after an op cover the IOVA range it touched (a range-limited
 * walk); the whole tables and images are compared at the end and before
 * each re-create.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iopt/env.h>
#include <iopt/port.h>
#include <iopt/version.h>
#include "device.h"
#include "exec.h"
#include "image.h"
#include "input.h"
#include "model.h"

#include <xxhash.h>

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

struct custom_block {		/* one cfg->alloc allocation */
	uint64_t pa, size;		/* what the kernel got */
	void *block;			/* the env block behind it */
	unsigned int order;
};

#define CUSTOM_MAX	2048

struct side {
	const struct iopt_port *port;
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	struct iopt_dec_cfg dec;
	struct iopt_image img;
	struct iopt_device dev;		/* the IOMMU's caches */
	const struct iopt_run_opts *opts;
	long nth_add_page, nth_flush_walk;
	struct custom_block custom[CUSTOM_MAX];
	unsigned int ncustom;
	bool custom_mode;
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
	int nsides;			/* 1: the hyp port cannot build this program */
	uint64_t lo, hi;		/* the IOVAs the current op touched */
	unsigned int op_index;
	const char *op_name;
	char trace[TRACE_BYTES];
	size_t trace_len;
	bool failed;
};

static struct iopt_run_stats stats;
static XXH3_state_t *digest;

static void dig(uint64_t v)
{
	XXH3_64bits_update(digest, &v, sizeof(v));
}

/* The records of each build since its last reset, field by field. */
static void digest_envs(struct run *r)
{
	for (int i = 0; i < r->nsides; i++) {
		const struct iopt_env *e = r->side[i].port->env;

		dig(e->alloc_n);
		for (size_t k = 0; k < e->alloc_n; k++) {
			const struct iopt_alloc_rec *a = &e->alloc_log[k];

			dig(a->kind); dig(a->free); dig(a->nid); dig(a->gfp);
			dig(a->order); dig(a->size); dig(a->align); dig(a->phys);
		}
		dig(e->cmo_n);
		for (size_t k = 0; k < e->cmo_n; k++) {
			dig(e->cmo_log[k].phys); dig(e->cmo_log[k].len);
			dig(e->cmo_log[k].kind); dig(e->cmo_log[k].via);
		}
		dig(e->warn_total);
		dig(e->report_total);
	}
}

/* An op's results and TLB callbacks on each build. */
static void digest_op(struct run *r)
{
	for (int i = 0; i < r->nsides; i++) {
		const struct side *s = &r->side[i];

		dig(s->ret); dig(s->mapped); dig(s->ndirty);
		for (unsigned int k = 0; k < s->ndirty && k < 32; k++) {
			dig(s->dirty[k][0]);
			dig(s->dirty[k][1]);
		}
		dig(s->tlb_total);
		for (unsigned int k = 0; k < s->ntlb; k++) {
			dig(s->tlb[k].kind); dig(s->tlb[k].iova);
			dig(s->tlb[k].size); dig(s->tlb[k].granule);
		}
	}
}

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

/*
 * Each callback is logged, then done to the side's IOMMU model. The
 * skip_* knobs plant the bug of a page-table code that forgets one.
 */
static void tlb_flush_all(void *cookie)
{
	struct side *s = cookie;

	tlb_log(s, 0, 0, 0, 0);
	iopt_device_flush_all(&s->dev);
}

static void tlb_flush_walk(unsigned long iova, size_t size, size_t granule,
			   void *cookie)
{
	struct side *s = cookie;

	tlb_log(s, 1, iova, size, granule);
	if (++s->nth_flush_walk == s->port->env->knobs.skip_flush_walk_nth)
		return;
	iopt_device_inv(&s->dev, iova, size, false);
}

static void tlb_add_page(struct iommu_iotlb_gather *gather,
			 unsigned long iova, size_t granule, void *cookie)
{
	struct side *s = cookie;

	tlb_log(s, 2, iova, granule, granule);
	if (++s->nth_add_page == s->port->env->knobs.skip_add_page_nth)
		return;
	if (gather)
		iopt_device_gather_add(&s->dev, iova, granule);
	else
		iopt_device_inv(&s->dev, iova, granule, true);
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

/* ---- cfg->alloc: blocks aligned to their size exactly, and no more ------- */

static long custom_find(const struct side *s, uint64_t pa)
{
	for (unsigned int i = 0; i < s->ncustom; i++)
		if (pa >= s->custom[i].pa && pa - s->custom[i].pa < s->custom[i].size)
			return i;
	return -1;
}

#if IOPT_TREE_HAS_CFG_ALLOC

static uint64_t pow2_ceil(uint64_t x)
{
	return x <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(x - 1));
}

static void *custom_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct side *s = cookie;
	struct iopt_env *e = s->port->env;
	uint64_t a = pow2_ceil(size), page = 1ULL << e->page_shift;
	unsigned int order = 0;
	struct custom_block *c;
	uint8_t *block;

	/*
	 * Known bug of trees before the fix (docs/design.md): a PGD smaller
	 * than 64 bytes is asked for at its own size, so an allocator that
	 * aligns exactly breaks the walker's 64-byte minimum. Shown by a
	 * test (show_small_pgd_bug); campaigns get 64-byte alignment.
	 */
	if (!IOPT_TREE_PGD_MIN_64 && !s->opts->show_small_pgd_bug && a < 64)
		a = 64;

	while ((page << order) < 2 * a)
		order++;
	if (s->ncustom == CUSTOM_MAX)
		return NULL;
	block = iopt_pages_alloc(e, order, gfp, NUMA_NO_NODE);
	if (!block)
		return NULL;
	c = &s->custom[s->ncustom++];
	*c = (struct custom_block){
		.pa = iopt_virt_to_phys(e, block) + a, .size = size,
		.block = block, .order = order,
	};
	return block + a;
}

static void custom_free(void *cookie, void *pages, size_t size)
{
	struct side *s = cookie;
	struct iopt_env *e = s->port->env;
	uint64_t pa = iopt_virt_to_phys(e, pages);
	long i = custom_find(s, pa);

	/*
	 * Known bug of the trees with the 64-byte fix (docs/design.md): the
	 * PGD is asked for at max(size, 64) but freed at its own size.
	 */
	if (IOPT_TREE_PGD_MIN_64 && i >= 0 && size < 64 && s->custom[i].size == 64)
		size = 64;
	if (i < 0 || s->custom[i].pa != pa || s->custom[i].size != size) {
		iopt_detect(e, IOPT_DET_BAD_FREE,
			    "cfg->free(0x%llx, %zu): not an allocation of cfg->alloc",
			    (unsigned long long)pa, size);
		return;
	}
	iopt_pages_free(e, s->custom[i].block, s->custom[i].order);
	s->custom[i] = s->custom[--s->ncustom];
}
#endif

/* ---- the memory the decoder and the device read ---------------------- */

static const void *lookup(const struct side *s, uint64_t pa, uint64_t *base,
			  uint64_t *size, bool poc)
{
	const struct iopt_env *e = s->port->env;
	const uint8_t *host;
	uint64_t b, sz;
	long i;

	if (!s->custom_mode)
		return poc ? iopt_phys_lookup_poc(e, pa, base, size) :
			     iopt_phys_lookup(e, pa, base, size);
	i = custom_find(s, pa);
	if (i < 0)
		return NULL;
	host = poc ? iopt_phys_lookup_poc(e, s->custom[i].pa, &b, &sz) :
		     iopt_phys_lookup(e, s->custom[i].pa, &b, &sz);
	if (!host)
		return NULL;
	*base = s->custom[i].pa;
	*size = s->custom[i].size;
	return host + (*base - b);
}

static const void *cpu_lookup(void *ctx, uint64_t pa, uint64_t *base,
			      uint64_t *size)
{
	return lookup(ctx, pa, base, size, false);
}

static const void *poc_lookup(void *ctx, uint64_t pa, uint64_t *base,
			      uint64_t *size)
{
	return lookup(ctx, pa, base, size, true);
}

/* What the CPU sees. */
static struct iopt_dec_mem side_mem(struct side *s)
{
	return (struct iopt_dec_mem){ .ctx = s, .lookup = cpu_lookup };
}

/* What the IOMMU's table walker reads: the PoC, unless the walk is coherent. */
static struct iopt_dec_mem device_mem(struct side *s)
{
	return (struct iopt_dec_mem){
		.ctx = s, .lookup = s->cfg.coherent_walk ? cpu_lookup : poc_lookup,
	};
}

static bool side_create(struct run *r, struct side *s)
{
	const struct iopt_model_cfg *c = &r->prog->cfg;
	static struct device dev = { .numa_node = NUMA_NO_NODE };

	memset(&s->cfg, 0, sizeof(s->cfg));
	iopt_device_reset(&s->dev);
	s->opts = r->opts;
	s->ncustom = 0;
	s->nth_add_page = s->nth_flush_walk = 0;
	s->custom_mode = IOPT_TREE_HAS_CFG_ALLOC &&
			 r->prog->alloc_mode == IOPT_ALLOC_CUSTOM;
	s->cfg.quirks = iopt_kernel_quirks(c->quirks);
	s->cfg.pgsize_bitmap = c->pgsize_bitmap;
	s->cfg.ias = c->ias;
	s->cfg.oas = c->oas;
	s->cfg.coherent_walk = c->coherent_walk;
	s->cfg.tlb = &tlb_ops;
	s->cfg.iommu_dev = &dev;
#if IOPT_TREE_HAS_CFG_ALLOC
	if (s->custom_mode) {
		s->cfg.alloc = custom_alloc;
		s->cfg.free = custom_free;
	}
#endif
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

/* ---- running one op ------------------------------------------------------ */

struct op_args {
	uint64_t iova, pa;
	size_t pgsize, count;
	int prot;
};

#if IOPT_TREE_HAS_DIRTY
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
#endif

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
		/* the driver's iotlb sync; without a gather, a full one */
		if (op->flags & IOPT_OPF_GATHER)
			iopt_device_sync(&s->dev, gather.queued);
		else
			iopt_device_flush_all(&s->dev);
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
	for (int i = 0; i < r->nsides; i++) {
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
	for (int i = 0; i < r->nsides; i++) {
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

	for (int i = 0; i < r->nsides; i++) {
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

/* Each build's decoded tables against the model, over [r->lo, r->hi]. */
static bool cmp_tables(struct run *r)
{
	char why[256];

	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];
		struct iopt_dec_mem mem = side_mem(s);

		if (iopt_model_check_range(r->model, &s->dec, &mem, r->lo, r->hi,
					   why, sizeof(why))) {
			report(r, "tables", "%s's tables: %s", s->port->name, why);
			return false;
		}
	}
	return true;
}

/* The canonical images of kernel vs hyp: at the end and before re-create. */
static bool cmp_images(struct run *r)
{
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];
		struct iopt_dec_mem mem = side_mem(s);

		iopt_image_build(&s->img, &s->dec, &mem);
	}
	if (r->nsides > 1 && r->side[0].img.hash != r->side[1].img.hash) {
		report_image_diff(r);
		return false;
	}
	return true;
}

/* ---- the tables an op touched: CMOs and the point of coherency ------- */

struct table_ref {
	uint64_t pa, bytes;
	uint64_t iova;			/* with the level, the canonical name */
	int level;
};

struct norm_cmo {			/* a CMO on a table, named canonically */
	uint64_t iova;
	int level;
	uint64_t off, len;
};

#define TABLES_MAX	512

struct table_list {
	struct table_ref t[TABLES_MAX];
	unsigned int n;
	bool overflow;
};

static void collect_table(void *ctx, uint64_t pa, int level,
			  unsigned int entries, uint64_t iova)
{
	struct table_list *tl = ctx;

	if (tl->n == TABLES_MAX) {
		tl->overflow = true;
		return;
	}
	tl->t[tl->n++] = (struct table_ref){ pa, entries * 8ULL, iova, level };
}

static int by_pa(const void *a, const void *b)
{
	const struct table_ref *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

/* The tables whose span meets the op's range, by physical address. */
static void touched_tables(struct run *r, struct side *s, struct table_list *tl)
{
	struct iopt_dec_visitor v = { .ctx = tl, .table = collect_table };
	struct iopt_dec_mem mem = side_mem(s);

	tl->n = 0;
	tl->overflow = false;
	iopt_dec_walk_range(&s->dec, &mem, r->lo, r->hi, &v);
	qsort(tl->t, tl->n, sizeof(tl->t[0]), by_pa);
}

static const struct table_ref *table_of(const struct table_list *tl,
					uint64_t pa)
{
	long lo = 0, hi = (long)tl->n - 1;

	while (lo <= hi) {
		long mid = (lo + hi) / 2;
		const struct table_ref *t = &tl->t[mid];

		if (pa < t->pa)
			hi = mid - 1;
		else if (pa >= t->pa + t->bytes)
			lo = mid + 1;
		else
			return t;
	}
	return NULL;
}

/* The side's CMOs of this op on the touched tables; returns the count. */
static unsigned int norm_cmos(const struct side *s, const struct table_list *tl,
			      struct norm_cmo *out, unsigned int max)
{
	const struct iopt_env *e = s->port->env;
	unsigned int n = 0;

	for (size_t i = s->cmo_mark; i < e->cmo_n && n < max; i++) {
		const struct iopt_cmo *c = &e->cmo_log[i];
		const struct table_ref *t = table_of(tl, c->phys);

		if (t)
			out[n++] = (struct norm_cmo){ t->iova, t->level,
						      c->phys - t->pa, c->len };
	}
	return n;
}

static bool cmp_cmos(struct run *r, struct table_list *tl)
{
	static struct norm_cmo c[NR_SIDES][1024];
	unsigned int n[NR_SIDES];

	if (r->nsides < 2)
		return true;
	if (r->side[0].port->env->cmo_n == r->side[0].cmo_mark &&
	    r->side[1].port->env->cmo_n == r->side[1].cmo_mark)
		return true;	/* neither build did any maintenance */
	if (tl[0].overflow || tl[1].overflow)
		return true;	/* too many tables to normalise: skip */
	for (int i = 0; i < r->nsides; i++)
		n[i] = norm_cmos(&r->side[i], &tl[i], c[i], 1024);
	for (unsigned int i = 0; i < n[0] || i < n[1]; i++) {
		if (i < n[0] && i < n[1] && !memcmp(&c[0][i], &c[1][i], sizeof(c[0][i])))
			continue;
		report(r, "cmo",
		       "cache maintenance differs at CMO #%u of the op: kernel %s L%d table of iova 0x%llx +0x%llx len %llu, hyp %s L%d table of iova 0x%llx +0x%llx len %llu (on the touched tables: kernel %u CMOs, hyp %u)",
		       i, i < n[0] ? "cleaned" : "did nothing,",
		       i < n[0] ? c[0][i].level : 0,
		       (unsigned long long)(i < n[0] ? c[0][i].iova : 0),
		       (unsigned long long)(i < n[0] ? c[0][i].off : 0),
		       (unsigned long long)(i < n[0] ? c[0][i].len : 0),
		       i < n[1] ? "cleaned" : "did nothing,",
		       i < n[1] ? c[1][i].level : 0,
		       (unsigned long long)(i < n[1] ? c[1][i].iova : 0),
		       (unsigned long long)(i < n[1] ? c[1][i].off : 0),
		       (unsigned long long)(i < n[1] ? c[1][i].len : 0),
		       n[0], n[1]);
		return false;
	}
	return true;
}

/*
 * Non-coherent walk: every entry of a touched table reads the same at the
 * PoC as in the CPU's cache, but for the bits the walker ignores or owns.
 */
static void describe_entry(char *buf, size_t n, const struct side *s,
			   int level, uint64_t pte)
{
	static const char *const type[] = {
		[IOPT_ENT_HOLE] = "hole", [IOPT_ENT_TABLE] = "table",
		[IOPT_ENT_LEAF] = "leaf", [IOPT_ENT_BAD] = "bad",
	};
	struct iopt_ent e;

	iopt_dec_entry(&s->dec, level, pte, &e);
	snprintf(buf, n, "%s -> 0x%llx", type[e.type], (unsigned long long)e.addr);
}

static bool cmp_poc_table(struct run *r, struct side *s,
			  const struct table_ref *t)
{
	struct iopt_dec_mem cpu = side_mem(s), poc = device_mem(s);
	const unsigned char *c, *p;
	uint64_t base, size;
	char cs[64], ps[64];

	c = cpu.lookup(cpu.ctx, t->pa, &base, &size);
	p = poc.lookup(poc.ctx, t->pa, &base, &size);
	if (!c || !p || !memcmp(c, p, t->bytes))
		return true;
	for (unsigned int i = 0; i < t->bytes / 8; i++) {
		uint64_t cv = iopt_dec_load(c, i), pv = iopt_dec_load(p, i);

		if (!((cv ^ pv) & ~iopt_device_volatile_bits(cv)))
			continue;
		describe_entry(cs, sizeof(cs), s, t->level, cv);
		describe_entry(ps, sizeof(ps), s, t->level, pv);
		report(r, "stale",
		       "stale entry visible to the IOMMU in %s: L%d table of iova 0x%llx at pa 0x%llx, entry %u (line +0x%x): CPU 0x%016llx (%s), PoC 0x%016llx (%s)",
		       s->port->name, t->level, (unsigned long long)t->iova,
		       (unsigned long long)t->pa, i, (i * 8) & ~(IOPT_CACHE_LINE - 1),
		       (unsigned long long)cv, cs, (unsigned long long)pv, ps);
		return false;
	}
	return true;
}

static bool cmp_poc(struct run *r, struct side *s, const struct table_list *tl)
{
	if (s->cfg.coherent_walk)
		return true;
	for (unsigned int i = 0; i < tl->n; i++)
		if (!cmp_poc_table(r, s, &tl->t[i]))
			return false;
	return true;
}

/* The IOMMU's caches hold nothing stale where the op touched. */
static bool cmp_device(struct run *r, struct side *s)
{
	struct iopt_dec_mem mem = device_mem(s);
	char why[320];

	if (!iopt_device_check(&s->dev, &s->dec, &mem, r->lo, r->hi, why,
			       sizeof(why)))
		return true;
	report(r, "tlb-stale", "%s: %s", s->port->name, why);
	return false;
}

static bool did_maintenance(const struct run *r)
{
	for (int i = 0; i < r->nsides; i++)
		if (r->side[i].port->env->cmo_n != r->side[i].cmo_mark)
			return true;
	return false;
}

/*
 * After an op that changed tables: each side against the hardware (what
 * the IOMMU would see), then the two sides' CMOs against each other.
 */
static bool cmp_touched(struct run *r)
{
	static struct table_list tl[NR_SIDES];
	/* the tables serve the PoC check and the CMO comparison only */
	bool need = !r->prog->cfg.coherent_walk || did_maintenance(r);

	for (int i = 0; i < r->nsides; i++) {
		tl[i].n = 0;
		if (need)
			touched_tables(r, &r->side[i], &tl[i]);
	}
	for (int i = 0; i < r->nsides; i++)
		if (!cmp_poc(r, &r->side[i], &tl[i]) ||
		    !cmp_device(r, &r->side[i]))
			return false;
	return cmp_cmos(r, tl);
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
	if (r->nsides > 1 && h->stats.live_blocks != want + 1) {
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

	if (r->nsides < 2)
		return true;
	if (k->tlb_total == h->tlb_total &&
	    !memcmp(k->tlb, h->tlb, k->ntlb * sizeof(k->tlb[0])))
		return true;
	report(r, "tlb", "TLB callbacks differ: kernel made %lu, hyp %lu",
	       k->tlb_total, h->tlb_total);
	return false;
}

static bool cmp_detections(struct run *r)
{
	for (int i = 0; i < r->nsides; i++) {
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

static void op_args(struct run *r, const struct iopt_op *op,
		    struct op_args *a)
{
	uint64_t len;

	a->pgsize = iopt_slot_pgsize(&r->geom, op->pgsize_idx);
	a->count = iopt_slot_count(op->count);
	a->iova = iopt_slot_iova(&r->geom, r->prog->cfg.quirks, op->iova_slot,
				 a->pgsize ? a->pgsize : 4096);
	a->pa = iopt_slot_pa(&r->geom, op->pa_slot, a->pgsize ? a->pgsize : 4096);
	a->prot = op->prot & 0x3f;
	if (op->kind == IOPT_OP_IOVA_TO_PHYS || op->kind == IOPT_OP_ACCESS)
		a->iova += op->pa_slot * 8ULL;
	len = (a->pgsize ? a->pgsize : 4096) * (uint64_t)(a->count ? a->count : 1);
	r->lo = a->iova;
	r->hi = a->iova + (len - 1) < a->iova ? ~0ULL : a->iova + (len - 1);
}

static void mark(struct run *r)
{
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];

		s->cmo_mark = s->port->env->cmo_n;
		s->warn_mark = s->port->env->warn_total;
		s->ntlb = 0;
		s->tlb_total = 0;
	}
}

/*
 * Whether the op can have changed a table, by the contract: lookups never
 * do, nor does an op that failed without adding or freeing a table.
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
	bool changed = changes_tables(op, p);

	return cmp_results(r, op, p, md) && cmp_warns(r, p) &&
	       cmp_detections(r) && cmp_translations(r, a) &&
	       (!changed || cmp_tables(r)) &&
	       (!(changed || did_maintenance(r)) || cmp_touched(r)) &&
	       cmp_accounting(r) && cmp_tlb(r);
}

/* Everything, over the whole IOVA space: at the end and before re-create. */
static bool cmp_whole(struct run *r)
{
	static struct table_list tl;

	r->lo = 0;
	r->hi = ~0ULL;
	if (!cmp_tables(r) || !cmp_images(r))
		return false;
	if (r->prog->cfg.coherent_walk)
		return true;	/* no PoC view to compare */
	for (int i = 0; i < r->nsides; i++) {
		touched_tables(r, &r->side[i], &tl);
		if (!cmp_poc(r, &r->side[i], &tl))
			return false;
	}
	return true;
}

static bool teardown(struct run *r)
{
	if (r->model && r->side[0].ops && (r->nsides < 2 || r->side[1].ops) &&
	    !cmp_whole(r))
		return false;
	for (int i = 0; i < r->nsides; i++) {
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
	digest_envs(r);
	for (int i = 0; i < r->nsides; i++)
		iopt_env_reset(r->side[i].port->env);
	apply_knobs(r);		/* the Nth of anything counts from the reset */
	for (int i = 0; i < r->nsides; i++)
		ok[i] = side_create(r, &r->side[i]);
	if (r->nsides < 2)
		ok[1] = ok[0];
	if (ok[0] != !r->geom.rejected || ok[1] != !r->geom.rejected) {
		report(r, "alloc",
		       "alloc_io_pgtable_ops: kernel %s, hyp %s, the model says %s",
		       ok[0] ? "accepted" : "rejected",
		       r->nsides < 2 ? "not run" : ok[1] ? "accepted" : "rejected",
		       r->geom.rejected ? "rejected" : "accepted");
		return false;
	}
	return true;
}

/*
 * Fault injection: the nth table allocation from now fails in both builds
 * and in the model. The kernel build fails it the way the op says (with a
 * coherent walk there is no DMA API on the path: the allocator fails);
 * the hyp build's pool runs dry, the only way allocation fails at EL2.
 */
static void arm_fault(struct run *r, const struct iopt_op *op)
{
	struct iopt_knobs *k = &r->side[0].port->env->knobs;
	struct iopt_knobs *h = &r->side[1].port->env->knobs;
	const struct iopt_env *ke = r->side[0].port->env;
	const struct iopt_env *he = r->side[1].port->env;
	enum iopt_fault_kind kind = op->flags;
	static const char *const names[IOPT_FAULT_KINDS] = {
		"page allocation fails", "dma_map_single fails",
		"DMA address differs from phys",
	};

	if (r->prog->cfg.coherent_walk)
		kind = IOPT_FAULT_ALLOC;
	iopt_model_fail_alloc(r->model, op->count);
	k->fail_alloc_nth = k->fail_dma_map_nth = k->bad_dma_nth = 0;
	switch (kind) {
	case IOPT_FAULT_DMA_MAP:
		k->fail_dma_map_nth = ke->nth_dma_map + op->count;
		break;
	case IOPT_FAULT_DMA_ADDR:
		k->bad_dma_nth = ke->nth_dma_map + op->count;
		break;
	default:
		k->fail_alloc_nth = ke->nth_alloc + op->count;
		break;
	}
	h->fail_alloc_nth = he->nth_alloc + op->count;
	trace(r, "  #%u fault: table allocation #%u from now fails (kernel: %s; hyp: pool dry)\n",
	      r->op_index, op->count, names[kind]);
}

/*
 * Under HTTU, a write through a DBM leaf marks it dirty: the SMMU clears
 * AP[2] of the descriptor in memory, the one a fresh walk finds (a TLB
 * entry may still hold a block that a split has replaced by a table).
 * (Whether a TLB entry that still says "dirty" lets the write through
 * unrecorded is the caller's business: iommufd invalidates the ranges
 * read_and_clear_dirty reported.)
 */
static void hw_dirty(struct side *s, const struct iopt_leaf *l)
{
	uint64_t base, size, pte;
	uint8_t *host;

	host = (uint8_t *)cpu_lookup(s, l->entry_pa, &base, &size);
	if (!host)
		return;
	host += l->entry_pa - base;
	memcpy(&pte, host, 8);
	if (!(pte & IOPT_PTE_DBM) || !(pte & IOPT_PTE_AP_RDONLY))
		return;
	pte &= ~IOPT_PTE_AP_RDONLY;
	memcpy(host, &pte, 8);
}

/* A device access through each build's IOMMU: its caches, then a walk. */
static void device_access(struct run *r, const struct iopt_op *op,
			  const struct op_args *a)
{
	const struct iopt_model_cfg *c = &r->prog->cfg;
	uint64_t want = iopt_model_iova_to_phys(r->model, a->iova);
	bool dirties = (op->flags & IOPT_OPF_WRITE) &&
		       (c->quirks & IOPT_Q_ARM_HD) && c->coherent_walk;

	stats.ops++;
	trace(r, "  #%u access iova 0x%llx%s -> model 0x%llx\n", r->op_index,
	      (unsigned long long)a->iova, op->flags & IOPT_OPF_WRITE ?
	      " (write)" : "", (unsigned long long)want);
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];
		struct iopt_dec_mem mem = device_mem(s);
		struct iopt_leaf l;
		int res = iopt_device_access(&s->dev, &s->dec, &mem, a->iova, &l);
		uint64_t got = res == IOPT_DEC_HIT ? l.pa + (a->iova - l.iova) : 0;

		if (got != want) {
			report(r, "device",
			       "%s's IOMMU translates iova 0x%llx to 0x%llx%s, the model to 0x%llx",
			       s->port->name, (unsigned long long)a->iova,
			       (unsigned long long)got,
			       res == IOPT_DEC_HIT ? "" : " (a fault)",
			       (unsigned long long)want);
			return;
		}
		/* HTTU updates the descriptor the tables hold now: walk afresh */
		if (dirties && res == IOPT_DEC_HIT &&
		    iopt_dec_translate(&s->dec, &mem, a->iova, s->dec.start_level,
				       s->dec.ttbr, NULL, NULL, &l) == IOPT_DEC_HIT)
			hw_dirty(s, &l);
	}
	if (dirties)	/* want may be 0 for a page mapped at PA 0 */
		iopt_model_set_dirty(r->model, a->iova);
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
	if (op->kind == IOPT_OP_FAULT) {
		arm_fault(r, op);
		return;
	}
	op_args(r, op, &a);
	if (op->kind == IOPT_OP_ACCESS) {
		device_access(r, op, &a);
		return;
	}
	if (!model_op(r, op, &a, &p, &md)) {
		stats.skipped_violations++;
		trace(r, "  #%u %s iova 0x%llx pgsize 0x%zx count %zu: skipped, breaks a caller precondition (%s)\n",
		      r->op_index, r->op_name, (unsigned long long)a.iova,
		      a.pgsize, a.count, p.why ? p.why : "?");
		return;
	}
	mark(r);
	for (int i = 0; i < r->nsides; i++)
		side_op(r, &r->side[i], op, &a, i);
	stats.ops++;
	trace(r, "  #%u %s iova 0x%llx pa 0x%llx pgsize 0x%zx count %zu prot 0x%x flags 0x%x -> model %ld/0x%zx%s, kernel %ld/0x%zx, hyp %ld/0x%zx\n",
	      r->op_index, r->op_name, (unsigned long long)a.iova,
	      (unsigned long long)a.pa, a.pgsize, a.count, a.prot, op->flags,
	      p.ret, p.mapped, p.warn ? " (WARN)" : "", r->side[0].ret,
	      r->side[0].mapped, r->side[1].ret, r->side[1].mapped);
	compare_all(r, op, &a, &p, &md);
	digest_op(r);
}

/*
 * Whether the hyp port builds this program at all: a tree with the pKVM
 * series' own EL2 glue builds ARM_64_LPAE_S2 only, and its entry must not
 * be given a configuration the format refuses (port.h). Otherwise the
 * program runs on the model and the kernel port alone.
 */
static bool hyp_builds(const struct iopt_prog *prog,
		       const struct iopt_model_geom *geom)
{
	const struct iopt_port *h = &iopt_hyp_port;

	if (!(h->fmt_mask & (1u << iopt_kernel_fmt[prog->cfg.fmt])))
		return false;
	return !(h->cfg_unchecked && (geom->rejected || geom->warn));
}

enum iopt_verdict iopt_run(const uint8_t *data, size_t size,
			   const struct iopt_run_opts *opts)
{
	static struct iopt_prog prog;
	static struct run run;
	struct run *r = &run;

	if (!digest)
		digest = XXH3_createState();
	XXH3_64bits_reset(digest);
	iopt_decode(data, size, &prog);
	if (opts->force_fmt)
		prog.cfg.fmt = opts->force_fmt - 1;
	for (int i = 0; i < NR_SIDES; i++) {
		struct iopt_image keep = r->side[i].img;

		memset(&r->side[i], 0, sizeof(r->side[i]));
		r->side[i].img = keep;
		r->side[i].img.hash = 0;
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
	r->nsides = hyp_builds(&prog, &r->geom) ? 2 : 1;
	if (r->nsides < 2)
		stats.kernel_only++;
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
	digest_envs(r);
	for (int i = 0; i < r->nsides; i++)
		dig(r->side[i].img.hash);
	dig(r->failed);
	XXH3_64bits_update(digest, stats.last_signature,
			   r->failed ? strlen(stats.last_signature) : 0);
	stats.digest = XXH3_64bits_digest(digest);
	iopt_model_free(r->model);
	r->model = NULL;
	for (int i = 0; i < NR_SIDES; i++) {
		side_destroy(&r->side[i]);
		iopt_env_reset(r->side[i].port->env);
	}
	return r->failed ? IOPT_DIVERGENCE : IOPT_CLEAN;
}
