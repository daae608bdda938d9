// SPDX-License-Identifier: GPL-2.0-only
/*
 * The differential executor (in the manner of Cryptofuzz's executor): one
 * decoded program, each op run on the reference model and on every side,
 * then compared (compare.c). A side is a port: a build of the tree's code
 * in its emulated environment, described by its struct iopt_port (what it
 * is, how to drive it, what may differ). The first difference is reported
 * with the ops that led to it and one stable signature line (report.c).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "config_check.h"
#include "contract.h"
#include "run.h"
#include <iopt/plant_leaf.h>

struct iopt_run_stats iopt_stats;

const struct iopt_run_stats *iopt_run_stats(void)
{
	return &iopt_stats;
}

/* This binary's tree: its ports, the first the one the others are compared with. */
const struct iopt_port *const iopt_tree_ports[] = {
	&iopt_kernel_port,
	&iopt_hyp_port,
	NULL,
};

/* The ports iopt_run() runs (a review build's KUnit reproducer may point it at patched's). */
const struct iopt_port *const *iopt_run_ports = iopt_tree_ports;

/* What judges an input: iopt_run, or in a review build the review (exec.h). */
enum iopt_verdict (*iopt_judge_run)(const uint8_t *data, size_t size,
				   const struct iopt_run_opts *opts) = iopt_run;

/* ---- one op ---------------------------------------------------------------- */

static void op_args(struct run *r, const struct iopt_op *op,
		    struct op_args *a)
{
	iopt_op_args(&r->geom, r->prog->cfg.quirks, op, a);
	r->lo = a->iova;
	r->hi = iopt_op_last_byte(a->iova, a->pgsize, a->count);
}

/* The dirty ranges read_and_clear_dirty reports, the model's or a side's. */
static void record_dirty(void *ctx, uint64_t iova, uint64_t len)
{
	struct dirty_ranges *d = ctx;
	uint64_t w[2] = { iova, len };

	if (d->n < DIRTY_MAX) {
		d->r[d->n][0] = iova;
		d->r[d->n][1] = len;
	}
	d->n++;
	d->hash = XXH3_64bits_withSeed(w, sizeof(w), d->hash);
}

/*
 * The walks before an op, of its range: before an unmap, the IOMMU as if
 * it had cached every leaf and table the range holds (the first of each,
 * device.h), as its walker reads them, so that check_caches sees an
 * invalidation missing whatever the device happened to walk; and what
 * inval.c lists (inval, or NULL), as the CPU sees it. With a coherent
 * walk the two read the same memory, and one walk tells both.
 */
static void walk_before(struct run *r, struct side *s, const struct iopt_op *op,
			const struct op_args *a,
			const struct iopt_dec_visitor *inval)
{
	struct iopt_dec_mem cpu = side_mem(s), dev = device_mem(s);
	uint64_t len = a->pgsize * (uint64_t)(a->count ? a->count : 1);
	uint64_t hi = a->iova + (len ? len - 1 : 0);
	bool fill = op->kind == IOPT_OP_UNMAP && !op_removes_nothing(r, op);

	if (hi < a->iova)
		hi = ~0ULL;
	if (op->kind == IOPT_OP_UNMAP)
		iopt_device_reset(&s->every);
	if (fill && s->coherent_walk) {
		iopt_device_fill_range(&s->every, &s->dec, &cpu, a->iova, hi,
				       inval);
		return;
	}
	if (fill)
		iopt_device_fill_range(&s->every, &s->dec, &dev, a->iova, hi,
				       NULL);
	if (inval)
		iopt_dec_walk_range(&s->dec, &cpu, a->iova, hi, inval);
}

/*
 * Planted (unmap-leaf-bit): after the side's Nth unmap since its create, a
 * leaf the unmap left in its range changed, in the op as a kernel bug
 * would, as the KUnit shim's unmap changes it (iopt/plant_leaf.h).
 */
static void plant_unmap_leaf(struct run *r, struct side *s,
			     const struct iopt_op *op)
{
	long nth = r->opts->drv_plant[s->port->role].unmap_leaf_bit_nth;
	struct iopt_dec_mem mem;

	if (op->kind != IOPT_OP_UNMAP || !nth || ++s->nth_unmap != nth ||
	    !r->model)
		return;
	mem = side_mem(s);
	iopt_plant_leaf_bit(&s->dec, &mem, r->lo, r->hi);
}

static void side_op(struct run *r, struct side *s, const struct iopt_op *op,
		    const struct op_args *a)
{
	s->mapped = 0;
	s->dirty.n = 0;
	s->dirty.hash = 0;
	s->freed_why[0] = '\0';
	s->split_why[0] = '\0';
	s->in_op = op->kind == IOPT_OP_MAP || op->kind == IOPT_OP_UNMAP;
	for (int l = 0; l < IOPT_WALK_LEVELS; l++)
		s->walk[l] = WALK_UNTOUCHED;
	walk_before(r, s, op, a, inval_op_begin(r, s, op, a));
	publish_begin(r, s, op);
	s->ret = iopt_op_call(s->port->drv, op, a, &s->mapped, record_dirty,
			      op->kind == IOPT_OP_WALK ? (void *)s->walk :
							 (void *)&s->dirty);
	plant_unmap_leaf(r, s, op);
	publish_end(s);
	s->in_op = false;
	/* the driver's iotlb sync after an unmap; without a gather, a full one */
	if (op->kind == IOPT_OP_UNMAP && (op->flags & IOPT_OPF_GATHER)) {
		iopt_device_sync(&s->dev, op->flags & IOPT_OPF_QUEUED);
		iopt_device_sync(&s->every, op->flags & IOPT_OPF_QUEUED);
	} else if (op->kind == IOPT_OP_UNMAP) {
		iopt_device_flush_all(&s->dev);
		iopt_device_flush_all(&s->every);
	}
	inval_op_end(r, s, op, a);
}

/* Predict the op; false if it breaks a caller precondition (not run). */
static bool model_op(struct run *r, const struct iopt_op *op,
		     const struct op_args *a, struct iopt_model_pred *p,
		     struct dirty_ranges *md)
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
		iopt_model_read_and_clear_dirty(r->model, a->iova,
			a->pgsize * a->count,
			op->flags & IOPT_OPF_NO_CLEAR ? IOPT_DIRTY_NO_CLEAR : 0,
			record_dirty, md, p);
		break;
	case IOPT_OP_WALK:
		iopt_model_pgtable_walk(r->model, a->iova, &r->walk, p);
		break;
	default:
		break;
	}
#ifdef IOPT_MODEL_CHECKS	/* debug and sanitizer builds: CMakeLists.txt */
	if (r->op_index + 1 == r->opts->plant_model_nth)
		iopt_model_plant_break(r->model, IOPT_BREAK_COUNT);
	if (!iopt_model_consistent(r->model))
		report(r, NULL, "model", "the model broke its own invariants "
		       "(iopt_model_consistent) after this %s", r->op_name);
#endif
	return !p->violation;
}

void mark(struct run *r)
{
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];

		s->cmo_mark = s->port->env->cmo_n;
		s->cmo_lost_mark = s->port->env->cmo_lost;
		s->alloc_lost_mark = s->port->env->alloc_lost;
		s->alloc_mark = s->port->env->alloc_n;
		s->dma_translated_mark = s->port->env->stats.dma_translated;
		s->ntlb = 0;
		s->tlb_total = 0;
		s->tlb_hash = 0;
		s->fx_mark = side_effects(s);
		/* this stage's results: none until an op call gives some */
		s->ret = 0;
		s->mapped = 0;
		s->dirty.n = 0;
		s->dirty.hash = 0;
	}
}

/*
 * Extension bit 3: a fault op also arms the failure of the next
 * re-create's own allocations (create_fault.c); a leading one, of the
 * creation (run_create(): the table fault it would arm besides is
 * cleared by the creation's env reset, so it arms only this).
 */
static void arm_create_fault(struct run *r, const struct iopt_op *op)
{
	if (!(r->prog->ext & IOPT_EXT_CREATE_FAULT))
		return;
	r->create_fault.armed = true;
	r->create_fault.kind = op->flags;
	r->create_fault.nth = op->count;
}

/*
 * Fault injection: the nth table allocation from now fails on every side
 * and in the model. A side fails it the way the op says if its port can
 * take that fault (port traits), else its allocator fails (at EL2, the pool
 * runs dry); with a coherent walk there is no DMA API on the path.
 */
static void arm_fault(struct run *r, const struct iopt_op *op)
{
	static const char *const names[IOPT_FAULT_KINDS] = {
		"page allocation fails", "dma_map_single fails",
		"DMA address differs from phys",
	};
	enum iopt_fault_kind kind = op->flags;

	arm_create_fault(r, op);	/* and the next re-create */
	if (r->prog->cfg.coherent_walk)
		kind = IOPT_FAULT_ALLOC;
	if (!r->model) {	/* no table: only the re-create's */
		trace(r, "  #%u fault: armed for the next re-create\n",
		      r->op_index);
		return;
	}
	iopt_model_fail_alloc(r->model, op->count);
	for (int i = 0; i < r->nsides; i++)
		iopt_op_arm_fault(r->side[i].port, kind, op->count,
				  r->prog->cfg.coherent_walk);
	trace(r, "  #%u fault: table allocation #%u from now fails (kernel: %s; hyp: pool dry)\n",
	      r->op_index, op->count, names[kind]);
}

/*
 * Tell whoever asked (opts->observe) what the op was and what the model
 * said; before (opts->observe_before), what it is and the model before it.
 */
static void observe_at(struct run *r, const struct iopt_op *op,
		       const struct op_args *a, const struct iopt_model_pred *p,
		       bool before)
{
	void (*tell)(void *ctx, const struct iopt_op_view *v) =
		before ? r->opts->observe_before : r->opts->observe;
	struct iopt_op_view v;

	if (!tell)
		return;
	v = (struct iopt_op_view){
		.index = r->op_index, .kind = op->kind, .op = op,
		.model = r->model, .failed = r->failed,
	};
	if (a) {
		v.iova = a->iova;
		v.pa = a->pa;
		v.pgsize = a->pgsize;
		v.count = a->count;
		v.prot = a->prot;
	}
	if (p) {
		v.ran = !p->violation;
		v.skipped = p->violation;
		v.ret = p->ret;
		v.mapped = p->mapped;
		v.warn = p->warn;
		v.tables_added = p->tables_added;
		v.tables_freed = p->tables_freed;
	}
	tell(r->opts->observe_ctx, &v);
}

static void observe(struct run *r, const struct iopt_op *op,
		    const struct op_args *a, const struct iopt_model_pred *p)
{
	observe_at(r, op, a, p, false);
}

void run_op(struct run *r, const struct iopt_op *op)
{
	struct dirty_ranges md = { 0 };
	struct iopt_model_pred p;
	struct op_args a;

	r->op_name = iopt_op_name(op->kind);
	r->predicted = false;
	r->skipped_why = NULL;
	/* new tables, a device's dirtying: probe everything again (compare.c) */
	if (op->kind == IOPT_OP_RECREATE || op->kind == IOPT_OP_FAULT ||
	    op->kind == IOPT_OP_ACCESS)
		probe_forget(r);
	if (op->kind == IOPT_OP_RECREATE) {
		if (tables_teardown(r)) {
			iopt_model_free(r->model);
			r->model = iopt_model_new(&r->cfg);
			if (tables_create(r))
				trace_recreate(r);
		}
		observe(r, op, NULL, NULL);
		return;
	}
	if (op->kind == IOPT_OP_FAULT) {
		arm_fault(r, op);
		observe(r, op, NULL, NULL);
		return;
	}
	if (r->no_table) {	/* the creation failed: until a re-create */
		iopt_stats.skipped_violations++;
		trace(r, "  #%u %s: skipped, no page table (alloc_io_pgtable_ops failed)\n",
		      r->op_index, r->op_name);
		observe(r, op, NULL, NULL);
		return;
	}
	op_args(r, op, &a);
	if (op->kind == IOPT_OP_ACCESS) {
		device_access(r, op, &a);
		observe(r, op, &a, NULL);
		return;
	}
	observe_at(r, op, &a, NULL, true);
	if (!model_op(r, op, &a, &p, &md)) {
		iopt_stats.skipped_violations++;
		trace(r, "  #%u %s iova 0x%llx pgsize 0x%zx count %zu: skipped, breaks a caller precondition (%s)\n",
		      r->op_index, r->op_name, (unsigned long long)a.iova,
		      a.pgsize, a.count, p.why ? p.why : "?");
		r->skipped_why = p.why ? p.why : "?";
		observe(r, op, &a, &p);
		return;
	}
	r->pred = p;
	r->predicted = true;
	mark(r);
	r->call.what = op->kind == IOPT_OP_IOVA_TO_PHYS ? IOPT_CALL_IOVA_TO_PHYS :
		       op->kind == IOPT_OP_WALK ? IOPT_CALL_WALK : IOPT_CALL_OP;
	r->call.iova = a.iova;
	for (int i = 0; i < r->nsides; i++)
		side_op(r, &r->side[i], op, &a);
	iopt_stats.ops++;
	trace_op(r, &a, op, &p);
	compare_op(r, op, &a, &p, &md);
	digest_op(r);
	observe(r, op, &a, &p);
}

/* ---- the program ------------------------------------------------------------ */

/*
 * Whether a port builds this program at all: the formats it can create,
 * and no configuration the format refuses for an entry that does not check
 * (port traits). Otherwise the program runs without that side.
 */
static bool port_builds(const struct iopt_port *port,
			const struct iopt_prog *prog,
			const struct iopt_model_geom *geom)
{
	const struct iopt_port_traits *t = port->traits;

	if (!(t->fmt_mask & (1u << prog->cfg.fmt)))
		return false;
	return !(t->cfg_unchecked && (geom->rejected || geom->warn));
}

/*
 * A side as new: every member up to the large ones zeroed, and those as
 * empty as their counts and valid flags say (struct side); the image's
 * and the publication list's buffers kept for reuse.
 */
static void side_reset(struct side *s)
{
	memset(s, 0, offsetof(struct side, img));
	s->pub.on = false;
	s->pub.why[0] = '\0';
	s->img.hash = 0;
	s->img.hashed = true;	/* no image yet: 0 */
	iopt_device_reset(&s->dev);
	iopt_device_reset(&s->every);
}

void run_begin(struct run *r, const struct iopt_prog *prog,
	       const struct iopt_run_opts *opts,
	       const struct iopt_port *const *ports)
{
	r->opts = opts;
	r->prog = prog;
	r->failed = false;
	r->known = NULL;
	r->create_fault.armed = false;
	r->no_table = false;
	r->first_op = 0;
	r->config_deferred.side = -1;
	r->check = NULL;
	r->sig[0] = r->why[0] = 0;
	r->call.what = IOPT_CALL_NONE;
	trace_reset(r);
	r->tables_listed = 0;
	probe_forget(r);
	r->fixed_pg = 0;
	r->op_index = 0;
	/* the oracle of the tree these ports are built from */
	r->cfg = prog->cfg;
	r->cfg.contract = iopt_contract_by_name(ports[0]->tree->contract);
	if (!r->cfg.contract)
		abort();
	iopt_model_geometry(&r->cfg, &r->geom);
	r->model = r->geom.rejected ? NULL : iopt_model_new(&r->cfg);
	r->nsides = 0;
	r->nports = 0;
	for (size_t i = 0; ports[i]; i++) {
		struct side *s = &r->side[r->nsides];

		if (ports[i]->init())
			abort();
		r->nports++;
		if (!port_builds(ports[i], prog, &r->geom))
			continue;
		side_reset(s);
		s->port = ports[i];
		r->nsides++;
	}
}

/*
 * Create the page tables; false when there is nothing more to run (the
 * model or a side refused). A degenerate config the kernel accepts
 * (model.h: an ias not above the granule shift, or a zero ias or oas)
 * breaks a caller precondition: it builds nonsense (below ias 3 a PGD
 * size shifted by a negative count), so it is not created at all.
 */
bool run_create(struct run *r)
{
	const struct iopt_prog *prog = r->prog;
	bool degenerate = r->geom.degenerate && !r->geom.rejected;

	if (r->nsides < r->nports)
		iopt_stats.kernel_only++;
	/* extension bit 3: a leading fault op fails the creation itself */
	if ((prog->ext & IOPT_EXT_CREATE_FAULT) && prog->nops &&
	    prog->ops[0].kind == IOPT_OP_FAULT && !degenerate) {
		arm_create_fault(r, &prog->ops[0]);
		trace(r, r->geom.rejected ?
		      "  #0 fault: nothing to fail (alloc_io_pgtable_ops refuses the configuration)\n" :
		      "  #0 fault: armed for alloc_io_pgtable_ops\n");
		observe(r, &prog->ops[0], NULL, NULL);
		r->first_op = 1;
	}
	if (!degenerate && tables_create(r) && (r->model || r->no_table))
		return true;
	iopt_stats.rejected_cfgs += r->geom.rejected;
	iopt_stats.degenerate_cfgs += degenerate;
	tables_teardown(r);
	return false;
}

/* Tear down (whole-table checks first) unless the program failed. */
void run_teardown(struct run *r)
{
	r->op_name = "teardown";
	if (!r->failed)
		tables_teardown(r);
	config_report_deferred(r);
}

/* Free everything, reset each env: the verdict. */
enum iopt_verdict run_finish(struct run *r)
{
	digest_end(r);
	iopt_model_free(r->model);
	r->model = NULL;
	for (int i = 0; i < r->nsides; i++) {
		side_destroy(&r->side[i]);
		iopt_env_reset(r->side[i].port->env);
	}
	if (!r->failed)
		return IOPT_CLEAN;
	return r->known ? IOPT_KNOWN : IOPT_DIVERGENCE;
}

enum iopt_verdict run_end(struct run *r, bool check)
{
	if (check)
		run_teardown(r);
	return run_finish(r);
}

/* The program as the opts say: every input in one format, if asked. */
void run_decode(const uint8_t *data, size_t size,
		const struct iopt_run_opts *opts, struct iopt_prog *prog)
{
	iopt_decode(data, size, prog);
	if (opts->force_fmt)
		prog->cfg.fmt = opts->force_fmt - 1;
	iopt_stats.inputs++;
}

enum iopt_verdict iopt_run(const uint8_t *data, size_t size,
			   const struct iopt_run_opts *opts)
{
	static struct iopt_prog prog;
	static struct run run;
	struct run *r = &run;
	bool live;

	digest_begin(opts->digest);
	run_decode(data, size, opts, &prog);
	run_begin(r, &prog, opts, iopt_run_ports);
	live = run_create(r);
	for (r->op_index = r->first_op; live && r->op_index < prog.nops &&
	     !r->failed; r->op_index++)
		run_op(r, &prog.ops[r->op_index]);
	return run_end(r, live);
}
