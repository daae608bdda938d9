// SPDX-License-Identifier: GPL-2.0-only
/*
 * Publication order, for a non-coherent table walker: a table descriptor
 * may reach the point of coherency only once the table it points to has
 * (each line of it cleaned since it was allocated). Otherwise a walker
 * that reads the descriptor then, in the middle of the op, finds memory
 * nobody wrote to the PoC (IOPT_POC_STALE: low bits 0b11, a descriptor to
 * it) and follows it. At the op's end the table is clean either way, so
 * no end-of-op comparison sees the order; this check is told of each
 * clean as it happens (env->clean_hook) during a map or an unmap.
 *
 * The tables the op can write in, each known to hold no never-cleaned
 * line: those of its range before the call, with their levels, and those
 * whose descriptors the op publishes (one level down), once checked; a
 * table freed during the op leaves the list.
 */
#include <stdio.h>
#include <stdlib.h>

#include "run.h"

static void pub_add(struct side *s, uint64_t pa, uint64_t bytes, int level)
{
	struct pub_tables *p = &s->pub;

	p->t = list_room(p->t, p->n, &p->cap, sizeof(*p->t), 64);
	p->t[p->n++] = (struct pub_table){ pa, bytes, level };
}

/*
 * The tables before the op, over its range, from the level-level one at
 * pa (n entries, the first at iova): the end-of-op PoC check of the op
 * that made each held it to the CPU's view, never-cleaned lines included.
 * The last level's too: their descriptors are none, but a descriptor the
 * op publishes may point to one. A loop of descriptors ends at level 3.
 */
static void pub_seed(struct side *s, const struct iopt_dec_span *sp,
		     uint64_t pa, int level, unsigned int n, uint64_t iova)
{
	uint64_t base, size, gran = 1ULL << s->dec.granule_shift;
	unsigned int shift = iopt_dec_level_shift(&s->dec, level), i, last;
	const uint64_t *w = s->port->drv->lookup(pa, &base, &size, false);
	struct iopt_ent e;

	if (!w || pa + n * 8ULL > base + size || level > 3)
		return;
	pub_add(s, pa, n * 8ULL, level);
	if (!iopt_dec_level_has_tables(level) ||
	    !iopt_dec_entries_in_span(sp, iova, shift, n, &i, &last))
		return;
	w += (pa - base) / 8;
	for (i = iopt_dec_next_used((const void *)w, i, last + 1); i <= last;
	     i = iopt_dec_next_used((const void *)w, i + 1, last + 1)) {
		iopt_dec_entry(&s->dec, level, w[i], &e);
		if (e.type == IOPT_ENT_TABLE && !e.prob)
			pub_seed(s, sp, e.addr, level + 1, gran / 8,
				 iova + ((uint64_t)i << shift));
	}
}

void publish_begin(struct run *r, struct side *s, const struct iopt_op *op)
{
	struct iopt_dec_span sp;

	s->pub.n = 0;
	s->pub_why[0] = '\0';
	s->pub_on = !s->coherent_walk &&
		    (op->kind == IOPT_OP_MAP || op->kind == IOPT_OP_UNMAP) &&
		    !iopt_dec_cfg_check(&s->dec);
	if (!s->pub_on)
		return;
	iopt_dec_span(&s->dec, r->lo, r->hi, false, &sp);
	pub_seed(s, &sp, s->dec.ttbr, s->dec.start_level,
		 s->dec.pgd_entries, 0);
}

void publish_end(struct side *s)
{
	s->pub_on = false;
	s->pub.n = 0;
}

/* A table freed during the op: no longer one the op writes in. */
void publish_forget(struct side *s, uint64_t phys, uint64_t size)
{
	for (unsigned int i = 0; i < s->pub.n; i++)
		if (s->pub.t[i].pa >= phys && s->pub.t[i].pa < phys + size)
			s->pub.t[i--] = s->pub.t[--s->pub.n];
}

static const struct pub_table *pub_find(const struct side *s, uint64_t pa)
{
	for (unsigned int i = 0; i < s->pub.n; i++)
		if (pa >= s->pub.t[i].pa && pa - s->pub.t[i].pa < s->pub.t[i].bytes)
			return &s->pub.t[i];
	return NULL;
}

#define NOT_MEMORY	(-2)

/*
 * The offset of the first line never cleaned since its allocation of the
 * level-level table at pa (iopt_poc_uncleaned(): what the PoC holds there
 * is IOPT_POC_STALE), or of a table its descriptors at the PoC lead to
 * that is not in the list (*at: that table); -1 if none; NOT_MEMORY if pa
 * is in no live block (the walk checks report such a descriptor). depth
 * bounds the descent.
 */
static long stale_below(struct side *s, uint64_t pa, int level, int depth,
			uint64_t *at)
{
	uint64_t base, size, line, bytes = 1ULL << s->dec.granule_shift;
	const uint64_t *w = s->port->drv->lookup(pa, &base, &size, true);
	struct iopt_ent e;

	if (pub_find(s, pa))
		return -1;
	if (!w || pa + bytes > base + size)
		return NOT_MEMORY;
	w += (pa - base) / 8;
	*at = pa;
	if (iopt_poc_uncleaned(s->port->env, pa, bytes, &line))
		return (long)(line - pa);
	if (!depth || !iopt_dec_level_has_tables(level))
		return -1;
	for (unsigned int i = iopt_dec_next_used((const void *)w, 0, bytes / 8);
	     i < bytes / 8;
	     i = iopt_dec_next_used((const void *)w, i + 1, bytes / 8)) {
		long off;

		iopt_dec_entry(&s->dec, level, w[i], &e);
		if (e.type == IOPT_ENT_TABLE && !e.prob &&
		    (off = stale_below(s, e.addr, level + 1, depth - 1, at)) >= 0)
			return off;
	}
	return -1;
}

/* Entry i (pte) of the level-level table at tpa just reached the PoC. */
static void published(struct side *s, int level, uint64_t tpa, unsigned int i,
		      uint64_t pte)
{
	struct iopt_ent e;
	uint64_t at;
	long off;

	iopt_dec_entry(&s->dec, level, pte, &e);
	if (e.type != IOPT_ENT_TABLE || e.prob)
		return;
	off = stale_below(s, e.addr, level + 1, 2, &at);
	if (off == NOT_MEMORY)
		return;
	if (off < 0) {
		if (!pub_find(s, e.addr))
			pub_add(s, e.addr, 1ULL << s->dec.granule_shift,
				level + 1);
		return;
	}
	snprintf(s->pub_why, sizeof(s->pub_why),
		 "the L%d table at pa 0x%llx published entry %u (a table descriptor to pa 0x%llx) at the PoC while the table at pa 0x%llx still held a line never cleaned there (+0x%lx): a walker could follow it",
		 level, (unsigned long long)tpa, i,
		 (unsigned long long)e.addr, (unsigned long long)at,
		 (unsigned long)off);
}

/* The entries of table t that the lines [lo, hi) brought to the PoC. */
static void published_in(struct side *s, struct pub_table t, uint64_t lo,
			 uint64_t hi)
{
	uint64_t base, size, from, to;
	const uint64_t *w;

	if (!iopt_dec_level_has_tables(t.level) || hi <= t.pa ||
	    lo >= t.pa + t.bytes)
		return;
	w = s->port->drv->lookup(t.pa, &base, &size, true);
	if (!w)
		return;
	w += (t.pa - base) / 8;
	from = lo > t.pa ? (lo - t.pa) / 8 : 0;
	to = hi < t.pa + t.bytes ? (hi - t.pa) / 8 : t.bytes / 8;
	for (uint64_t i = from; i < to && !s->pub_why[0]; i++)
		if (w[i])
			published(s, t.level, t.pa, i, w[i]);
}

/*
 * A clean of [phys, phys + len): whole cache lines reach the PoC
 * (poc.c), so every entry of each listed table they hold is looked at.
 * (The list may grow meanwhile: the tables there when the clean came.)
 */
void side_on_clean(struct iopt_env *env, uint64_t phys, uint64_t len)
{
	struct side *s = env->clean_ctx;
	uint64_t lo = phys & ~(uint64_t)(IOPT_CACHE_LINE - 1);
	uint64_t hi = (phys + len + IOPT_CACHE_LINE - 1) &
		      ~(uint64_t)(IOPT_CACHE_LINE - 1);
	unsigned int n = s->pub.n;

	if (!s->pub_on)
		return;
	for (unsigned int k = 0; k < n && k < s->pub.n && !s->pub_why[0]; k++)
		published_in(s, s->pub.t[k], lo, hi);
}

bool cmp_publish(struct run *r)
{
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];

		if (!s->pub_why[0])
			continue;
		report(r, s, "publish", "%s: %s", s->port->name, s->pub_why);
		return false;
	}
	return true;
}
