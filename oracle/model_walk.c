// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reference model (model.h): what ops->pgtable_walk shows of the
 * tables for one IOVA, as include/linux/io-pgtable.h documents it (the
 * descriptor met at each level of the walk, in a struct
 * arm_lpae_io_pgtable_walk_data), on trees whose contract has the op; and
 * the leaves a range meets, on every tree.
 */
#include <errno.h>
#include <string.h>

#include "model_internal.h"

void iopt_model_pgtable_walk(const struct iopt_model *m, uint64_t iova,
			     struct iopt_model_walk *w, struct iopt_model_pred *p)
{
	uint64_t addr = iova & m->walk_mask;
	long x;

	memset(p, 0, sizeof(*p));
	memset(w, 0, sizeof(*w));
	if (!m->k->has_pgtable_walk) {
		p->ret = -EOPNOTSUPP;
		p->violation = true;
		p->why = "this tree has no pgtable_walk";
		return;
	}
	for (w->last = m->g.start_level; w->last <= 3; w->last++) {
		x = find(m, w->last, addr);
		if (x < 0)	/* an empty entry: recorded, and the walk fails */
			break;
		if (m->e[x].table)
			continue;
		w->leaf = true;
		w->pte = iopt_model_leaf_pte(m, w->last, m->e[x].pa,
					     m->e[x].prot, m->e[x].dirty, m->e[x].cont);
		return;
	}
	p->ret = -EINVAL;
	p->why = "no leaf translates the IOVA";
}

size_t iopt_model_leaves(const struct iopt_model *m, uint64_t iova,
			 uint64_t len, struct iopt_model_leaf *out, size_t max)
{
	uint64_t lo = iova & m->walk_mask, high = iova & ~m->walk_mask;
	uint64_t hi = lo + (len - 1), top = blk(m, m->g.start_level);
	size_t n = 0;

	if (!len)
		return 0;
	if (hi < lo || hi > m->walk_mask)
		hi = m->walk_mask;
	/* from the top-level slot that holds lo: a block there may cover it */
	for (size_t i = lower(m, lo & ~(top - 1), m->g.start_level);
	     i < m->n && m->e[i].iova <= hi; i++) {
		const struct ment *e = &m->e[i];

		if (e->table || e->iova + (blk(m, e->level) - 1) < lo)
			continue;
		if (n < max)
			out[n] = (struct iopt_model_leaf){
				high | e->iova, blk(m, e->level), e->level,
			};
		n++;
	}
	return n;
}
