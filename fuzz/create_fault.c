// SPDX-License-Identifier: GPL-2.0-only
/*
 * Input format v3, extension bit 3 (docs/input-format.md): failures
 * inside alloc_io_pgtable_ops itself, armed by a fault op for the next
 * (re-)create (run.c's create()), and what a side must hold after one.
 */
#include "run.h"

/*
 * Extension bit 3: an allocation of alloc_io_pgtable_ops itself fails,
 * counted from the env reset: the pgtable data (nth 1: a slab object in
 * the kernel, a pool page at EL2), else the top table, the way the fault
 * op says if the port can take it (a coherent walk has no DMA API). Not
 * on a port whose entry must not be given a failing creation (port
 * traits: cfg_unchecked); then no side is.
 */
bool create_fault_arm(struct run *r)
{
	enum iopt_fault_kind kind = r->create_fault.kind;

	r->create_fault.armed = false;
	if (r->prog->cfg.coherent_walk)
		kind = IOPT_FAULT_ALLOC;
	for (int i = 0; i < r->nsides; i++) {
		if (!r->side[i].port->traits->cfg_unchecked)
			continue;
		trace(r, "  alloc_io_pgtable_ops: fails nothing (%s's entry must not be given a failing creation)\n",
		      r->side[i].port->name);
		return false;
	}
	for (int i = 0; i < r->nsides; i++) {
		const struct iopt_port *port = r->side[i].port;
		const struct iopt_port_traits *t = port->traits;
		enum iopt_fault_kind k = t->faults & (1u << kind) ? kind :
					 IOPT_FAULT_ALLOC;

		if (r->create_fault.nth == 1 && t->data_slab)
			port->env->knobs.fail_slab_nth = 1;
		else if (r->create_fault.nth == 1)
			port->env->knobs.fail_alloc_nth = 1;
		else
			iopt_port_arm_fault(port, k, k == IOPT_FAULT_ALLOC ?
					    1 + t->data_blocks : 1);
	}
	trace(r, "  alloc_io_pgtable_ops: its %s allocation fails\n",
	      r->create_fault.nth == 1 ? "pgtable data's" : "top table's");
	return true;
}

/* After a creation that failed: nothing held, nothing leaked. */
bool create_holds_nothing(struct run *r)
{
	for (int i = 0; i < r->nsides; i++) {
		const struct side *s = &r->side[i];
		const struct iopt_env *e = s->port->env;

		if (!e->stats.live_blocks && !e->stats.live_slab &&
		    !e->stats.live_dma_maps)
			continue;
		report(r, s, "accounting",
		       "%s holds %ld page blocks, %ld slab objects, %ld DMA maps after alloc_io_pgtable_ops failed",
		       s->port->name, e->stats.live_blocks, e->stats.live_slab,
		       e->stats.live_dma_maps);
		return false;
	}
	return true;
}
