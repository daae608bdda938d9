// SPDX-License-Identifier: GPL-2.0-only
/*
 * Input format v3 encoder (encode.h). The header is found by asking the
 * decoder: for each byte, the smallest value whose decoding gives the
 * program's setting, so the encoder can never disagree with the decoder
 * about what a byte means. Ops are written field by field, in the order
 * the decoder reads their argument bytes.
 */
#include <string.h>

#include "encode.h"

static bool same_cfg(const struct iopt_model_cfg *a,
		     const struct iopt_model_cfg *b)
{
	return a->fmt == b->fmt && a->pgsize_bitmap == b->pgsize_bitmap &&
	       a->ias == b->ias && a->oas == b->oas && a->quirks == b->quirks &&
	       a->coherent_walk == b->coherent_walk &&
	       a->page_shift == b->page_shift;
}

/*
 * Whether a and b agree on what header byte pos says. A byte that a's
 * extension flags override says nothing: 0 is its smallest value.
 */
static bool same_setting(int pos, const struct iopt_prog *a,
			 const struct iopt_prog *b)
{
	switch (pos) {
	case 0:
		return a->cfg.fmt == b->cfg.fmt;
	case 1:
		return (a->ext & IOPT_EXT_PGSIZES) ||
		       a->cfg.pgsize_bitmap == b->cfg.pgsize_bitmap;
	case 2:
		return (a->ext & IOPT_EXT_ADDR_BITS) || a->cfg.ias == b->cfg.ias;
	case 3:
		return (a->ext & IOPT_EXT_ADDR_BITS) || a->cfg.oas == b->cfg.oas;
	case 4:
		return a->cfg.quirks == b->cfg.quirks;
	case 5:
		return a->cfg.coherent_walk == b->cfg.coherent_walk;
	case 6:
		return a->alloc_mode == b->alloc_mode;
	default:
		return a->ext == b->ext;	/* 7: the extension flags */
	}
}

/*
 * Each header byte: the smallest value that gives the program's setting;
 * the extension bytes as they were read. Returns the header's length.
 */
static int encode_header(const struct iopt_prog *prog, uint8_t *hdr)
{
	static struct iopt_prog got;

	memset(hdr, 0, IOPT_HDR_LEN);
	for (int pos = 0; pos < IOPT_HDR_LEN; pos++) {
		int v;

		for (v = 0; v < 256; v++) {
			hdr[pos] = v;
			iopt_decode(hdr, 8, &got);
			if (same_setting(pos, prog, &got))
				break;
		}
		if (v == 256)
			return -1;
	}
	if (!prog->ext)
		return IOPT_HDR_LEN;
	memcpy(hdr + IOPT_HDR_LEN, prog->ext_bytes, IOPT_HDR_EXT_LEN);
	return IOPT_HDR_LEN + IOPT_HDR_EXT_LEN;
}

/* One op: its opcode byte, then its argument bytes as the decoder reads them. */
static size_t encode_op(const struct iopt_op *op, uint8_t *b)
{
	size_t n = 0;

	b[n++] = op->kind;
	switch (op->kind) {
	case IOPT_OP_MAP:
		b[n++] = op->iova_slot;
		b[n++] = op->pa_slot;
		b[n++] = op->pgsize_idx;
		b[n++] = op->count;
		b[n++] = op->prot;
		break;
	case IOPT_OP_UNMAP:
	case IOPT_OP_DIRTY:
		b[n++] = op->iova_slot;
		b[n++] = op->pgsize_idx;
		b[n++] = op->count;
		b[n++] = op->flags;
		break;
	case IOPT_OP_IOVA_TO_PHYS:
	case IOPT_OP_WALK:
		b[n++] = op->iova_slot;
		b[n++] = op->pa_slot;
		break;
	case IOPT_OP_ACCESS:
		b[n++] = op->iova_slot;
		b[n++] = op->pa_slot;
		b[n++] = op->flags;
		break;
	case IOPT_OP_FAULT:
		b[n++] = op->flags;
		b[n++] = op->count - 1;
		break;
	default:
		break;
	}
	return n;
}

long iopt_encode(const struct iopt_prog *prog, uint8_t *buf)
{
	static struct iopt_prog check;
	int hdr = encode_header(prog, buf);
	size_t n = hdr;

	if (prog->nops > IOPT_MAX_OPS || hdr < 0)
		return -1;
	for (unsigned int i = 0; i < prog->nops; i++)
		n += encode_op(&prog->ops[i], buf + n);
	/* a field out of what the decoder gives (e.g. a fault's count 0) */
	iopt_decode(buf, n, &check);
	return iopt_prog_equal(prog, &check) ? (long)n : -1;
}

static bool same_op(const struct iopt_op *a, const struct iopt_op *b)
{
	return a->kind == b->kind && a->iova_slot == b->iova_slot &&
	       a->pa_slot == b->pa_slot && a->pgsize_idx == b->pgsize_idx &&
	       a->count == b->count && a->prot == b->prot &&
	       a->flags == b->flags;
}

bool iopt_prog_equal(const struct iopt_prog *a, const struct iopt_prog *b)
{
	if (!same_cfg(&a->cfg, &b->cfg) || a->alloc_mode != b->alloc_mode ||
	    a->ext != b->ext ||
	    memcmp(a->ext_bytes, b->ext_bytes, sizeof(a->ext_bytes)) ||
	    a->nops != b->nops)
		return false;
	for (unsigned int i = 0; i < a->nops; i++)
		if (!same_op(&a->ops[i], &b->ops[i]))
			return false;
	return true;
}
