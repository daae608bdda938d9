// SPDX-License-Identifier: GPL-2.0-only
/*
 * Each side's page table, made and freed as the executor's program goes
 * (run.c): alloc_io_pgtable_ops on every side, held to what the model
 * says of the configuration (accepted or not, the geometry kept, its
 * WARN, the fields written back: config_check.c); and before each
 * re-create and at the end, the whole-table checks, then
 * free_io_pgtable_ops, after which each env must hold nothing.
 */
#include "config_check.h"
#include "run.h"

static void side_create(struct run *r, struct side *s)
{
	const struct iopt_model_cfg *c = &r->prog->cfg;
	const struct iopt_run_opts *o = r->opts;
	const struct iopt_drv_plant *pl = &o->drv_plant[s->port->role];
	struct iopt_drv_cfg cfg = {
		.fmt = c->fmt, .pgsize_bitmap = c->pgsize_bitmap,
		.ias = c->ias, .oas = c->oas, .quirks = c->quirks,
		.coherent_walk = c->coherent_walk,
		.custom_alloc = r->prog->alloc_mode == IOPT_ALLOC_CUSTOM,
		.skip_add_page_nth = pl->skip_add_page_nth,
		.skip_flush_walk_nth = pl->skip_flush_walk_nth,
		.skip_flush_all_nth = pl->skip_flush_all_nth,
		.widen_add_page_nth = pl->widen_add_page_nth,
		.defer_flush_walk_nth = pl->defer_flush_walk_nth,
		.add_page_granule_nth = pl->add_page_granule_nth,
		.flush_walk_short_nth = pl->flush_walk_short_nth,
		.flush_walk_granule_nth = pl->flush_walk_granule_nth,
		.narrow_pgsizes = pl->narrow_pgsizes,
		.prot_flip = pl->prot_flip,
		.map_twice = pl->map_twice,
		.i2p_page_only = pl->i2p_page_only,
		.walk_zero_l3 = pl->walk_zero_l3,
		.skip_dirty_nth = pl->skip_dirty_nth,
		.move_dirty_nth = pl->move_dirty_nth,
		.table_bit = pl->table_bit,
		.edge_bug = pl->edge_bug,
		.cfg_plant = pl->cfg_plant,
		.warn_after = pl->warn_after,
		.lookup_effect = pl->lookup_effect,
	};
	struct iopt_drv_hooks hooks = side_tlb_hooks;

	hooks.ctx = s;
	s->port->env->free_hook = side_on_free;
	s->port->env->free_ctx = s;
	s->port->env->clean_hook = side_on_clean;
	s->port->env->clean_ctx = s;
	/*
	 * The IOMMU's caches outlive a page table (s->dev is reset once per
	 * program, with the side): free_io_pgtable_ops' tlb_flush_all is what
	 * empties them before a re-create.
	 */
	s->coherent_walk = c->coherent_walk;
	s->nth_unmap = 0;
	s->live = s->accepted = s->port->drv->create(&cfg, &hooks, &s->st);
	if (s->live && r->model)
		iopt_model_dec_cfg(r->model, s->st.ttbr, &s->dec);
}

void side_destroy(struct side *s)
{
	if (s->live)
		s->port->drv->destroy();
	s->live = false;
	s->port->env->free_hook = NULL;
	s->port->env->clean_hook = NULL;
}

/* What each side's alloc_io_pgtable_ops kept: the model's geometry. */
static bool kept_as_predicted(struct run *r)
{
	const struct iopt_model_geom *g = &r->geom;

	for (int i = 0; i < r->nsides; i++) {
		const struct iopt_drv_state *st = &r->side[i].st;

		if (st->pgsize_bitmap == g->pgsize_bitmap &&
		    st->ias == g->ias && st->oas == g->oas)
			continue;
		report(r, &r->side[i], "alloc",
		       "alloc_io_pgtable_ops: %s kept pgsizes 0x%lx, ias %u, oas %u; the model 0x%lx, %u, %u",
		       r->side[i].port->name, st->pgsize_bitmap, st->ias,
		       st->oas, g->pgsize_bitmap, g->ias, g->oas);
		return false;
	}
	return true;
}

/* (run.h) */
bool tables_create(struct run *r)
{
	bool reject = r->geom.rejected, faulted = false;

	r->op_name = "alloc";
	r->call.what = IOPT_CALL_OP;
	digest_envs(r);
	for (int i = 0; i < r->nsides; i++) {
		struct iopt_env *e = r->side[i].port->env;

		iopt_env_reset(e);
		e->knobs = r->opts->knobs[r->side[i].port->role];
	}
	/*
	 * The model's Nth counts from here too: a leading fault op's table
	 * fault (run_create()) was armed in envs the reset cleared, and goes
	 * with the creation's fault, or, on an entry no side may give a
	 * failing creation (create_fault_arm()), with none.
	 */
	if (r->model)
		iopt_model_fail_alloc(r->model, 0);
	if (r->create_fault.armed && !reject)
		faulted = reject = create_fault_arm(r);
	r->create_fault.armed = false;
	r->no_table = faulted;
	if (faulted) {		/* the model: NULL, no table until the next */
		iopt_model_free(r->model);
		r->model = NULL;
	}
	mark(r);
	for (int i = 0; i < r->nsides; i++)
		side_create(r, &r->side[i]);
	for (int i = 0; i < r->nsides; i++) {
		if (r->side[i].live == !reject)
			continue;
		report(r, &r->side[i], "alloc",
		       "alloc_io_pgtable_ops: %s %s, the model says %s",
		       r->side[i].port->name,
		       r->side[i].live ? "accepted" : "rejected",
		       reject ? "rejected" : "accepted");
		return false;
	}
	if (!cmp_warns_predicted(r, &(struct iopt_model_pred){
					 .warn = r->geom.warn }))
		return false;
	if (faulted)
		return create_holds_nothing(r);
	return reject || (kept_as_predicted(r) && check_config(r));
}

/* (run.h) */
bool tables_teardown(struct run *r)
{
	bool all_live = true;

	for (int i = 0; i < r->nsides; i++)
		all_live &= r->side[i].live;
	if (r->model && all_live && !compare_whole(r))
		return false;
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];
		struct iopt_env *e = s->port->env;
		unsigned long warns = e->warn_total;
		long leaks;

		r->call.what = IOPT_CALL_OP;
		side_destroy(s);
		leaks = e->stats.live_blocks + e->stats.live_slab +
			e->stats.live_dma_maps;
		if (leaks || e->report_total) {
			report(r, s, "teardown",
			       "%s holds %ld blocks, %ld slab objects, %ld DMA maps after free_io_pgtable_ops%s%s",
			       s->port->name, e->stats.live_blocks,
			       e->stats.live_slab, e->stats.live_dma_maps,
			       e->report_total ? "; " : "",
			       e->report_total ? e->reports[0].msg : "");
			return false;
		}
		if (!cmp_no_warn(r, s, warns, "free_io_pgtable_ops"))
			return false;
	}
	return true;
}
