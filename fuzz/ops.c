// SPDX-License-Identifier: GPL-2.0-only
/*
 * What one op asks of a port, nothing compared (ops.h): shared by the
 * differential executor and iopt-bare.
 */
#include <limits.h>

#include <iopt/env.h>
#include "ops.h"

void iopt_op_args(const struct iopt_model_geom *g, unsigned int quirks,
		  const struct iopt_op *op, struct op_args *a)
{
	a->pgsize = iopt_slot_pgsize(g, op->pgsize_idx);
	a->count = iopt_slot_count(op->count);
	a->iova = iopt_slot_iova_edge(g, quirks, op->iova_slot,
				      a->pgsize ? a->pgsize : 4096, op->edge);
	a->pa = iopt_slot_pa_edge(g, op->pa_slot, a->pgsize ? a->pgsize : 4096,
				  op->edge);
	a->prot = op->prot & 0x3f;
	a->atomic = op->kind == IOPT_OP_MAP && op->atomic;
	if (op->kind == IOPT_OP_IOVA_TO_PHYS || op->kind == IOPT_OP_ACCESS ||
	    op->kind == IOPT_OP_WALK)
		a->iova += op->pa_slot * 8ULL;
}

/* ---- caller preconditions ------------------------------------------------ */

/* The kernel's own checks: a size of the bitmap, an IOVA the walk takes. */
static bool kernel_takes(const struct iopt_model_cfg *cfg,
			 const struct iopt_model_geom *g, const struct op_args *a)
{
	uint64_t ext = cfg->quirks & IOPT_Q_ARM_TTBR1 ? ~0ULL >> g->ias : 0;

	return a->pgsize && !(a->pgsize & ~g->pgsize_bitmap) &&
	       a->iova >> g->ias == ext;
}

/* P1-P4 (oracle/model.h) for a range of count pages from iova (and pa). */
static const char *range_broken(const struct iopt_model_geom *g,
				const struct op_args *a, bool with_pa)
{
	uint64_t in_top = 1ULL << g->ias, out_top = 1ULL << g->oas;
	uint64_t offset = a->iova & (in_top - 1);

	if (a->pgsize & (a->pgsize - 1))	/* several sizes: the kernel WARNs */
		return NULL;
	if (a->count > INT_MAX)
		return "P4: pgcount does not fit an int";
	if ((a->iova & (a->pgsize - 1)) ||
	    (with_pa && (a->pa & (a->pgsize - 1))))
		return "P1: iova or paddr not aligned to pgsize";
	if (a->count > (in_top - offset) / a->pgsize)
		return "P2: the range goes past the input address size";
	if (with_pa && a->count > (out_top - a->pa) / a->pgsize)
		return "P3: the output range goes past the output address size";
	return NULL;
}

const char *iopt_op_precondition(const struct iopt_model_cfg *cfg,
				 const struct iopt_model_geom *g,
				 const struct iopt_op *op,
				 const struct op_args *a)
{
	switch (op->kind) {
	case IOPT_OP_MAP:
		if (!kernel_takes(cfg, g, a) || a->pa >> g->oas ||
		    !(a->prot & (IOPT_PROT_READ | IOPT_PROT_WRITE)))
			return NULL;
		return range_broken(g, a, true);
	case IOPT_OP_UNMAP:
		if (!kernel_takes(cfg, g, a) || !a->count)
			return NULL;
		return range_broken(g, a, false);
	case IOPT_OP_DIRTY:
		return cfg->contract->has_dirty ? NULL :
		       "this tree has no read_and_clear_dirty";
	case IOPT_OP_WALK:
		return cfg->contract->has_pgtable_walk ? NULL :
		       "this tree has no pgtable_walk";
	default:
		return NULL;
	}
}

/* ---- the call --------------------------------------------------------------- */

long iopt_op_call(const struct iopt_driver *d, const struct iopt_op *op,
		  const struct op_args *a, size_t *mapped,
		  void (*record)(void *ctx, uint64_t iova, uint64_t len),
		  void *ctx)
{
	switch (op->kind) {
	case IOPT_OP_MAP:
		return d->map(a->iova, a->pa, a->pgsize, a->count, a->prot,
			      a->atomic, mapped);
	case IOPT_OP_UNMAP:
		return (long)d->unmap(a->iova, a->pgsize, a->count,
				      op->flags & IOPT_OPF_GATHER,
				      op->flags & IOPT_OPF_QUEUED);
	case IOPT_OP_IOVA_TO_PHYS:
		return (long)d->iova_to_phys(a->iova);
	case IOPT_OP_DIRTY:
		return d->read_and_clear_dirty(a->iova, a->pgsize * a->count,
					       op->flags & IOPT_OPF_NO_CLEAR,
					       record, ctx);
	case IOPT_OP_WALK: {
		uint64_t ptes[IOPT_WALK_LEVELS];

		/* ctx: where the descriptors go (run.c), else dropped */
		return d->pgtable_walk(a->iova, ctx ? ctx : ptes);
	}
	default:
		return 0;
	}
}

void iopt_op_arm_fault(const struct iopt_port *port, enum iopt_fault_kind kind,
		       unsigned int nth, bool coherent_walk)
{
	/* a coherent walk has no DMA API on the path: the allocator fails */
	iopt_port_arm_fault(port, coherent_walk ? IOPT_FAULT_ALLOC : kind, nth);
}
