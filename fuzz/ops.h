/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What one op of a program asks of a port, with nothing compared: its
 * arguments in the geometry the kernel chose, whether it breaks a caller
 * precondition (then it is not run), the call into the port, and the
 * fault it arms. The differential executor (run.c) and iopt-bare
 * (bare.c, bench/ratio.sh) share these, so that both run the same kernel
 * work for the same program.
 */
#ifndef IOPT_FUZZ_OPS_H
#define IOPT_FUZZ_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <iopt/port.h>
#include "input.h"
#include "model.h"

/* What the current op works on. */
struct op_args {
	uint64_t iova, pa;
	size_t pgsize, count;
	int prot;
	bool atomic;		/* map: an atomic caller's, with GFP_ATOMIC */
};

/* The op's arguments: its slots turned into addresses for geometry g. */
void iopt_op_args(const struct iopt_model_geom *g, unsigned int quirks,
		  const struct iopt_op *op, struct op_args *a);

/*
 * The caller precondition a map, unmap or read_and_clear_dirty breaks
 * (P1-P4 of oracle/model.h, looked at after the kernel's own argument
 * checks, and a dirty op in a tree without it), or NULL: the reason the
 * model gives for p->violation, from the configuration and geometry alone.
 */
const char *iopt_op_precondition(const struct iopt_model_cfg *cfg,
				 const struct iopt_model_geom *g,
				 const struct iopt_op *op,
				 const struct op_args *a);

/*
 * Run a map, unmap, iova_to_phys or read_and_clear_dirty on a port's
 * driver: what it returns (unmap: bytes; iova_to_phys: the address),
 * *mapped for a map, each dirty range to record(ctx, iova, len).
 */
long iopt_op_call(const struct iopt_driver *d, const struct iopt_op *op,
		  const struct op_args *a, size_t *mapped,
		  void (*record)(void *ctx, uint64_t iova, uint64_t len),
		  void *ctx);

/*
 * Fault injection on one port: its nth table allocation from now fails
 * the way kind says if the port can take that fault (its traits), else
 * its allocator fails; with a coherent walk there is no DMA API on the
 * path, so always the allocator.
 */
void iopt_op_arm_fault(const struct iopt_port *port, enum iopt_fault_kind kind,
		       unsigned int nth, bool coherent_walk);

#endif /* IOPT_FUZZ_OPS_H */
