// SPDX-License-Identifier: GPL-2.0-only
/*
 * The minimizer (minimize.h): our own delta debugging, in three passes
 * repeated until none changes the program:
 *
 *   1. ops: ddmin (Zeller and Hildebrandt) over the op list, each chunk
 *      alone, then each complement, at finer and finer granularity down
 *      to single ops; a re-create or a fault that does not matter goes
 *      like any other op;
 *   2. the header: each byte toward the canonical configuration
 *      (arm64-s1, 4K|2M|1G, ias and oas 48, no quirks, coherent walk,
 *      the kernel's own allocator);
 *   3. values: an IOVA slot several ops share toward 0, all of them at
 *      once; then each field of each op toward a simpler value.
 *
 * A candidate is kept when it gives the same verdict and the same
 * signature line as the original program, whatever check produced it, so
 * any signature (a future check's too) is preserved. Every candidate is
 * smaller than what it replaces (fewer ops, a smaller byte, an earlier
 * rank), so the passes end.
 */
#include <stdio.h>
#include <string.h>

#include "encode.h"
#include "minimize.h"

struct min_ctx {
	struct iopt_run_opts opts;	/* the caller's, quiet */
	enum iopt_verdict verdict;
	char sig[96];
	unsigned long runs;
	uint8_t buf[IOPT_ENCODE_MAX];
};

/* Does p end in the same report? */
static bool reproduces(struct min_ctx *m, const struct iopt_prog *p)
{
	long n = iopt_encode(p, m->buf);

	if (n < 0)
		return false;
	m->runs++;
	return iopt_judge_run(m->buf, n, &m->opts) == m->verdict &&
	       !strcmp(iopt_run_stats()->last_signature, m->sig);
}

/* ---- 1. ops: ddmin --------------------------------------------------------- */

/* Keep ops [from, to) (inside) or all but them; p becomes that if it reproduces. */
static bool try_ops(struct min_ctx *m, struct iopt_prog *p, unsigned int from,
		    unsigned int to, bool inside)
{
	static struct iopt_prog c;

	c.cfg = p->cfg;
	c.alloc_mode = p->alloc_mode;
	c.ext = p->ext;
	memcpy(c.ext_bytes, p->ext_bytes, sizeof(c.ext_bytes));
	c.nops = 0;
	for (unsigned int i = 0; i < p->nops; i++)
		if ((i >= from && i < to) == inside)
			c.ops[c.nops++] = p->ops[i];
	if (c.nops == p->nops || !reproduces(m, &c))
		return false;
	*p = c;
	return true;
}

static bool ddmin_ops(struct min_ctx *m, struct iopt_prog *p)
{
	unsigned int n = 2, before = p->nops;

	if (p->nops && try_ops(m, p, 0, 0, true))	/* no op at all */
		return true;
	while (p->nops >= 2) {
		unsigned int len = p->nops, k;
		bool reduced = false;

		if (n > len)
			n = len;
		for (k = 0; k < n && !reduced; k++)
			reduced = try_ops(m, p, k * len / n, (k + 1) * len / n,
					  true);
		if (reduced) {
			n = 2;
			continue;
		}
		for (k = 0; n > 2 && k < n && !reduced; k++)
			reduced = try_ops(m, p, k * len / n, (k + 1) * len / n,
					  false);
		if (reduced) {
			n = n - 1 > 2 ? n - 1 : 2;
			continue;
		}
		if (n >= len)
			break;
		n = 2 * n < len ? 2 * n : len;
	}
	return p->nops != before;
}

/* ---- candidates: simpler values, best first, each below the current one ---- */

#define CANDS_MAX	300

struct cands {
	unsigned int v[CANDS_MAX];
	unsigned int n;
	unsigned int below;		/* only values under this one */
};

static void cand(struct cands *c, unsigned int v)
{
	if (v >= c->below || c->n == CANDS_MAX)
		return;
	for (unsigned int i = 0; i < c->n; i++)
		if (c->v[i] == v)
			return;
	c->v[c->n++] = v;
}

/* The bits that mean something kept, then none, then one bit fewer. */
static void cand_bits(struct cands *c, unsigned int v, unsigned int meaning)
{
	cand(c, v & meaning);
	cand(c, 0);
	for (int b = 7; b >= 0; b--)
		if (v & (1u << b))
			cand(c, v & ~(1u << b));
}

/* A slot: 0, page 0 of its region, region 0, then one bit fewer. */
static void cand_slot(struct cands *c, unsigned int v)
{
	cand(c, 0);
	cand(c, v & 0xe0);
	cand(c, v & 0x1f);
	cand_bits(c, v, 0xff);
}

/* Smallest first. */
static void cand_up(struct cands *c, unsigned int from, unsigned int to)
{
	for (unsigned int x = from; x < to; x++)
		cand(c, x);
}

/* A count byte: 1..16 pages first (b & 15), then the large ones. */
static void cand_count(struct cands *c)
{
	cand_up(c, 0, 16);
	cand_up(c, 0xf8, 0x100);
}

/* A page-size index: the smallest sizes first, then what means the same. */
static void cand_pgsize(struct cands *c, const struct iopt_prog *p,
			unsigned int v)
{
	struct iopt_model_geom g;
	unsigned int n;

	iopt_model_geometry(&p->cfg, &g);
	n = __builtin_popcountl(g.pgsize_bitmap);
	cand_up(c, 0, n ? n : 1);
	if (n && v < 0xfc)
		cand(c, v % n);
	cand_up(c, 0xfc, 0x100);
}

/* ---- 3. values --------------------------------------------------------------- */

enum field { F_IOVA, F_PA, F_OFFSET, F_PGSIZE, F_COUNT, F_PROT, F_FLAGS,
	     F_FAULT_KIND, F_FAULT_NTH, F_END };

static const enum field op_fields[IOPT_OP_KINDS][6] = {
	[IOPT_OP_MAP] = { F_COUNT, F_PGSIZE, F_IOVA, F_PA, F_PROT, F_END },
	[IOPT_OP_UNMAP] = { F_FLAGS, F_COUNT, F_PGSIZE, F_IOVA, F_END },
	[IOPT_OP_IOVA_TO_PHYS] = { F_IOVA, F_OFFSET, F_END },
	[IOPT_OP_DIRTY] = { F_FLAGS, F_COUNT, F_PGSIZE, F_IOVA, F_END },
	[IOPT_OP_RECREATE] = { F_END },
	[IOPT_OP_ACCESS] = { F_FLAGS, F_IOVA, F_OFFSET, F_END },
	[IOPT_OP_FAULT] = { F_FAULT_KIND, F_FAULT_NTH, F_END },
	[IOPT_OP_WALK] = { F_IOVA, F_OFFSET, F_END },
};

static uint8_t *field_of(struct iopt_op *op, enum field f)
{
	switch (f) {
	case F_IOVA:
		return &op->iova_slot;
	case F_PA:
	case F_OFFSET:
		return &op->pa_slot;
	case F_PGSIZE:
		return &op->pgsize_idx;
	case F_COUNT:
	case F_FAULT_NTH:
		return &op->count;
	case F_PROT:
		return &op->prot;
	default:
		return &op->flags;
	}
}

/* The flag bits each op reads (input.h). */
static unsigned int flag_bits(enum iopt_op_kind kind)
{
	switch (kind) {
	case IOPT_OP_UNMAP:
		return IOPT_OPF_GATHER | IOPT_OPF_QUEUED;
	case IOPT_OP_DIRTY:
		return IOPT_OPF_NO_CLEAR;
	default:
		return IOPT_OPF_WRITE;
	}
}

static void field_cands(struct cands *c, const struct iopt_prog *p,
			const struct iopt_op *op, enum field f, unsigned int v)
{
	c->n = 0;
	c->below = v;
	switch (f) {
	case F_IOVA:
	case F_PA:
		cand_slot(c, v);
		break;
	case F_OFFSET:
		cand_bits(c, v, 0xff);
		break;
	case F_PGSIZE:
		cand_pgsize(c, p, v);
		break;
	case F_COUNT:
		cand_count(c);
		break;
	case F_PROT:
		cand_bits(c, v, 0x3f);
		break;
	case F_FLAGS:
		cand_bits(c, v, flag_bits(op->kind));
		break;
	case F_FAULT_KIND:
		cand_up(c, 0, v);
		break;
	case F_FAULT_NTH:
		cand_up(c, 1, v);	/* the nth allocation: 1..4 */
		break;
	default:
		break;
	}
}

/* The simplest value of one field that still reproduces. */
static bool min_field(struct min_ctx *m, struct iopt_prog *p, unsigned int i,
		      enum field f)
{
	static struct iopt_prog c;
	struct cands cs;
	bool changed = false, again = true;

	while (again) {
		uint8_t *v = field_of(&p->ops[i], f);

		again = false;
		field_cands(&cs, p, &p->ops[i], f, *v);
		for (unsigned int k = 0; k < cs.n && !again; k++) {
			c = *p;
			*field_of(&c.ops[i], f) = cs.v[k];
			if (reproduces(m, &c)) {
				*p = c;
				changed = again = true;
			}
		}
	}
	return changed;
}

/*
 * An IOVA slot several ops share (a map, the access and the unmap of the
 * same page) moves as one: every op that has it takes the candidate.
 */
static bool min_shared_iova(struct min_ctx *m, struct iopt_prog *p,
			    unsigned int i)
{
	static struct iopt_prog c;
	uint8_t v = p->ops[i].iova_slot;
	bool changed = false, again = true;
	unsigned int users = 0;
	struct cands cs;

	for (unsigned int j = 0; j < p->nops; j++)
		users += p->ops[j].kind != IOPT_OP_RECREATE &&
			 p->ops[j].kind != IOPT_OP_FAULT &&
			 p->ops[j].iova_slot == v;
	if (users < 2)
		return false;
	while (again) {
		again = false;
		field_cands(&cs, p, &p->ops[i], F_IOVA, v);
		for (unsigned int k = 0; k < cs.n && !again; k++) {
			c = *p;
			for (unsigned int j = 0; j < c.nops; j++)
				if (c.ops[j].kind != IOPT_OP_RECREATE &&
				    c.ops[j].kind != IOPT_OP_FAULT &&
				    c.ops[j].iova_slot == v)
					c.ops[j].iova_slot = cs.v[k];
			if (reproduces(m, &c)) {
				*p = c;
				v = cs.v[k];
				changed = again = true;
			}
		}
	}
	return changed;
}

static bool min_values(struct min_ctx *m, struct iopt_prog *p)
{
	bool changed = false;

	for (unsigned int i = 0; i < p->nops; i++)
		changed |= min_shared_iova(m, p, i);

	for (unsigned int i = 0; i < p->nops; i++)
		for (const enum field *f = op_fields[p->ops[i].kind]; *f != F_END; f++)
			changed |= min_field(m, p, i, *f);
	return changed;
}

/* ---- 2. the header ------------------------------------------------------------ */

/* Formats, canonical first: where a reviewer expects a reproducer. */
static const uint8_t fmt_rank[] = {
	IOPT_FMT_ARM_64_S1, IOPT_FMT_ARM_64_S2, IOPT_FMT_ARM_32_S1,
	IOPT_FMT_ARM_32_S2, IOPT_FMT_MALI,
};

static void header_cands(struct cands *c, int pos, unsigned int v)
{
	unsigned int r = 0;

	c->n = 0;
	c->below = 0x100;
	switch (pos) {
	case 0:			/* format: those ranked before it */
		while (r < sizeof(fmt_rank) && fmt_rank[r] != v)
			r++;
		for (unsigned int k = 0; k < r; k++)
			cand(c, fmt_rank[k]);
		break;
	case 1:			/* page sizes: 4K|2M|1G is set 0 */
		c->below = v;
		cand_up(c, 0, v);
		break;
	case 2:			/* ias, oas: 48 (byte 5; 7 decodes the same) */
	case 3:
		if (v != 5 && v != 7)
			cand(c, 5);
		break;
	case 4:			/* quirks: fewer */
		c->below = v;
		cand_bits(c, v, 0xff);
		break;
	default:		/* a coherent walk, the kernel's allocator, 0 */
		c->below = v;
		cand(c, 0);
		break;
	}
}

static bool min_header(struct min_ctx *m, struct iopt_prog *p)
{
	static struct iopt_prog c;
	static uint8_t bytes[IOPT_ENCODE_MAX];
	bool changed = false;

	for (int pos = 0; pos < 8; pos++) {
		bool again = true;

		while (again) {
			long n = iopt_encode(p, bytes);
			struct cands cs;

			again = false;
			if (n < 0)
				return changed;
			header_cands(&cs, pos, bytes[pos]);
			for (unsigned int k = 0; k < cs.n && !again; k++) {
				bytes[pos] = cs.v[k];
				iopt_decode(bytes, n, &c);
				/*
				 * only a byte that changes the program: one an
				 * extension overrides (ias under bit 2) would
				 * be taken again and again
				 */
				if (!iopt_prog_equal(&c, p) && reproduces(m, &c)) {
					*p = c;
					changed = again = true;
				}
			}
		}
	}
	return changed;
}

/* ---- the whole ---------------------------------------------------------------- */

int iopt_minimize(struct iopt_prog *prog, const struct iopt_run_opts *opts,
		  struct iopt_min_result *res)
{
	static struct min_ctx m;
	static FILE *quiet;
	long n;

	memset(res, 0, sizeof(*res));
	if (!quiet)
		quiet = fopen("/dev/null", "w");
	m.opts = *opts;
	m.opts.verbose = false;
	m.opts.abort_on_report = false;
	m.opts.observe = NULL;
	m.opts.observe_before = NULL;
	m.opts.out = quiet;
	/* the format a forced run used is the program's from now on */
	if (m.opts.force_fmt)
		prog->cfg.fmt = m.opts.force_fmt - 1;
	m.opts.force_fmt = 0;
	m.runs = 1;
	n = iopt_encode(prog, m.buf);
	if (n < 0)
		return -1;
	m.verdict = iopt_judge_run(m.buf, n, &m.opts);
	if (m.verdict == IOPT_CLEAN)
		return -1;
	snprintf(m.sig, sizeof(m.sig), "%s", iopt_run_stats()->last_signature);
	res->verdict = m.verdict;
	snprintf(res->signature, sizeof(res->signature), "%s", m.sig);
	res->ops_before = prog->nops;
	for (int round = 0; round < 8; round++) {
		bool changed = ddmin_ops(&m, prog);

		changed |= min_header(&m, prog);
		changed |= min_values(&m, prog);
		if (!changed)
			break;
	}
	res->ops_after = prog->nops;
	res->runs = m.runs;
	return 0;
}
