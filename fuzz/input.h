/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Input format v3 (docs/input-format.md): an 8-byte config header, 8 more
 * header bytes when byte 7 (the extension flags) is not zero, then a
 * stream of ops. Every byte string decodes to a valid program; missing
 * bytes read as zero and trailing bytes of a truncated op are dropped.
 * An input whose byte 7 is zero means what it meant in v2.
 */
#ifndef IOPT_FUZZ_INPUT_H
#define IOPT_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <iopt/port.h>	/* enum iopt_fault_kind */
#include "model.h"

#define IOPT_MAX_OPS	128

enum iopt_op_kind {
	IOPT_OP_MAP,
	IOPT_OP_UNMAP,
	IOPT_OP_IOVA_TO_PHYS,
	IOPT_OP_DIRTY,
	IOPT_OP_RECREATE,
	IOPT_OP_ACCESS,		/* a device access through the IOMMU */
	IOPT_OP_FAULT,		/* arm a failure of a later table allocation */
	IOPT_OP_WALK,		/* ops->pgtable_walk (extension bit 4 only) */
	IOPT_OP_KINDS,
};

#define IOPT_OP_KINDS_V2	IOPT_OP_WALK	/* the opcode's modulus without bit 4 */

struct iopt_op {
	enum iopt_op_kind kind;
	uint8_t iova_slot, pa_slot, pgsize_idx, count, prot, flags;
	bool edge;		/* extension bit 0: the slots reach the edges */
	bool atomic;		/* map, extension bit 5: prot bit 6, GFP_ATOMIC */
};

#define IOPT_OPF_GATHER		0x01	/* unmap: with a gather */
#define IOPT_OPF_QUEUED		0x02	/* unmap: the gather is queued */
#define IOPT_OPF_NO_CLEAR	0x04	/* dirty: IOMMU_DIRTY_NO_CLEAR */
#define IOPT_OPF_WRITE		0x01	/* access: a write */
#define IOPT_PROT_ATOMIC	0x40	/* map, with IOPT_EXT_ATOMIC: GFP_ATOMIC */


enum iopt_alloc_mode {
	IOPT_ALLOC_DEFAULT,	/* the kernel's own allocator */
	IOPT_ALLOC_CUSTOM,	/* cfg->alloc, exactly size-aligned (trees that have it) */
};

#define IOPT_HDR_LEN		8
#define IOPT_HDR_EXT_LEN	8	/* more header bytes when byte 7 is set */

/* Header byte 7, the extension flags (docs/input-format.md) */
#define IOPT_EXT_EDGE		0x01	/* edge addresses: slots at ias and oas */
#define IOPT_EXT_PGSIZES	0x02	/* bytes 8-13: the page-size bitmap, 48 bits LE */
#define IOPT_EXT_ADDR_BITS	0x04	/* bytes 14, 15: ias, oas (& 63) */
#define IOPT_EXT_CREATE_FAULT	0x08	/* a fault op also fails the next re-create */
#define IOPT_EXT_MORE_OPS	0x10	/* opcodes mod 8: op 7 is pgtable_walk */
#define IOPT_EXT_ATOMIC		0x20	/* a map's prot bit 6: an atomic caller's */

struct iopt_prog {
	struct iopt_model_cfg cfg;
	enum iopt_alloc_mode alloc_mode;
	uint8_t ext;			/* header byte 7: extension flags */
	uint8_t ext_bytes[IOPT_HDR_EXT_LEN];	/* header bytes 8-15, if ext */
	unsigned int nops;
	struct iopt_op ops[IOPT_MAX_OPS];
};

void iopt_decode(const uint8_t *data, size_t size, struct iopt_prog *prog);
const char *iopt_op_name(enum iopt_op_kind kind);

/* Turn slots into addresses for the geometry the kernel chose. */
uint64_t iopt_slot_iova(const struct iopt_model_geom *g, unsigned int quirks,
			uint8_t slot, size_t pgsize);
uint64_t iopt_slot_pa(const struct iopt_model_geom *g, uint8_t slot,
		      size_t pgsize);
/*
 * The same with extension bit 0 (edge): a few regions reach the edges of
 * the address sizes, at and past them; the others are as above.
 */
uint64_t iopt_slot_iova_edge(const struct iopt_model_geom *g,
			     unsigned int quirks, uint8_t slot, size_t pgsize,
			     bool edge);
uint64_t iopt_slot_pa_edge(const struct iopt_model_geom *g, uint8_t slot,
			   size_t pgsize, bool edge);
size_t iopt_slot_pgsize(const struct iopt_model_geom *g, uint8_t idx);
size_t iopt_slot_count(uint8_t b);

#endif /* IOPT_FUZZ_INPUT_H */
