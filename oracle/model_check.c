// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reference model (model.h): decoded tables against the shadow, every
 * leaf (IOVA, level, output address and the exact descriptor) and the
 * number of tables per level, over a range of IOVAs.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model_internal.h"

/* ---- Comparing decoded tables ---- */

struct cmp {
	const struct iopt_model *m;
	uint64_t hi;		/* the decoder's upper-half IOVA bits */
	uint64_t lo_va, hi_va;	/* the IOVA range compared, in walk bits */
	size_t next;		/* next model entry to match */
	unsigned int tables[4];	/* decoded tables per level */
	const struct iopt_dec_visitor *also;	/* told each table too */
	int diffs;
	char *why;
	size_t n;
};

static void note(struct cmp *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->diffs++ && c->n) {
		va_start(ap, fmt);
		vsnprintf(c->why, c->n, fmt, ap);
		va_end(ap);
	}
}

static uint64_t ment_end(const struct iopt_model *m, const struct ment *e)
{
	return e->iova + (blk(m, e->level) - 1);
}

/* The next model leaf in the compared range, or NULL. */
static const struct ment *next_leaf(struct cmp *c)
{
	const struct ment *e;

	for (; c->next < c->m->n; c->next++) {
		e = &c->m->e[c->next];
		if (e->iova > c->hi_va)
			return NULL;
		if (!e->table && ment_end(c->m, e) >= c->lo_va)
			return e;
	}
	return NULL;
}

static void note_missing(struct cmp *c, const struct ment *e)
{
	note(c, "model leaf L%d iova 0x%" PRIx64 " -> pa 0x%" PRIx64 " is not in the tables",
	     e->level, e->iova | c->hi, e->pa);
	c->next++;
}

/* Does model leaf e come before decoded leaf l, in (iova, level) order? */
static bool before(const struct cmp *c, const struct ment *e, const struct iopt_leaf *l)
{
	uint64_t iova = e->iova | c->hi;

	return iova < l->iova || (iova == l->iova && e->level < l->level);
}

static void cmp_leaf(void *ctx, const struct iopt_leaf *l)
{
	struct cmp *c = ctx;
	const struct ment *e;
	char buf[256];
	uint64_t want;

	while ((e = next_leaf(c)) && before(c, e, l))
		note_missing(c, e);
	if (!e || (e->iova | c->hi) != l->iova || e->level != l->level) {
		iopt_leaf_snprint(buf, sizeof(buf), l, c->m->cfg.fmt);
		note(c, "leaf not in the model: %s", buf);
		return;
	}
	c->next++;
	want = iopt_model_leaf_pte(c->m, e->level, e->pa, e->prot, e->dirty, e->cont);
	if (l->pte == want)
		return;
	iopt_leaf_snprint(buf, sizeof(buf), l, c->m->cfg.fmt);
	note(c, "leaf differs (bits 0x%016" PRIx64 "): model pte 0x%016" PRIx64
	     " (prot 0x%x%s), tables: %s", l->pte ^ want, want, e->prot,
	     e->dirty ? ", dirty" : "", buf);
}

static void cmp_table(void *ctx, uint64_t pa, int level, unsigned int entries,
		      uint64_t iova)
{
	struct cmp *c = ctx;

	if (level >= 0 && level < 4)
		c->tables[level]++;
	if (c->also && c->also->table)
		c->also->table(c->also->ctx, pa, level, entries, iova);
}

static void cmp_problem(void *ctx, const struct iopt_problem *p)
{
	struct cmp *c = ctx;
	char buf[200];

	iopt_prob_snprint(buf, sizeof(buf), p);
	note(c, "decoder: %s", buf);
}

int iopt_model_check_range_also(const struct iopt_model *m,
				const struct iopt_dec_cfg *dec,
				const struct iopt_dec_mem *mem, uint64_t lo,
				uint64_t hi, const struct iopt_dec_visitor *also,
				char *why, size_t n)
{
	struct cmp c = {
		.m = m, .hi = iopt_dec_iova_hi(dec), .why = why, .n = n,
		.also = also,
	};
	struct iopt_dec_visitor v = {
		.ctx = &c, .leaf = cmp_leaf, .table = cmp_table, .problem = cmp_problem,
	};
	unsigned int want[4] = { 0 };
	const struct ment *e;
	size_t i;
	int lvl, r;

	c.lo_va = lo & ~c.hi;
	c.hi_va = hi & ~c.hi;
	if (c.hi_va > m->walk_mask)
		c.hi_va = m->walk_mask;
	if (c.lo_va > c.hi_va) {	/* as the decoder: all of it */
		c.lo_va = 0;
		c.hi_va = m->walk_mask;
	}
	c.next = lower(m, c.lo_va & ~(blk(m, m->g.start_level) - 1), 0);
	if (n)
		why[0] = '\0';
	r = iopt_dec_walk_range(dec, mem, lo, hi, &v);
	if (r < 0) {
		snprintf(why, n, "decoder failed: %d", r);
		return r;
	}
	while ((e = next_leaf(&c)))
		note_missing(&c, e);
	/* tables whose parent entry meets the range, as the walk visits them */
	want[m->g.start_level] = 1;
	for (i = lower(m, c.lo_va & ~(blk(m, m->g.start_level) - 1), 0);
	     i < m->n && m->e[i].iova <= c.hi_va; i++)
		if (m->e[i].table && ment_end(m, &m->e[i]) >= c.lo_va)
			want[m->e[i].level + 1]++;
	for (lvl = 0; lvl < 4; lvl++)
		if (want[lvl] != c.tables[lvl])
			note(&c, "%u tables at level %d, the model has %u", c.tables[lvl], lvl,
			     want[lvl]);
	return c.diffs;
}

int iopt_model_check_range(const struct iopt_model *m, const struct iopt_dec_cfg *dec,
			   const struct iopt_dec_mem *mem, uint64_t lo, uint64_t hi,
			   char *why, size_t n)
{
	return iopt_model_check_range_also(m, dec, mem, lo, hi, NULL, why, n);
}

int iopt_model_check_tables(const struct iopt_model *m, const struct iopt_dec_cfg *dec,
			    const struct iopt_dec_mem *mem, char *why, size_t n)
{
	return iopt_model_check_range(m, dec, mem, 0, ~0ULL, why, n);
}
