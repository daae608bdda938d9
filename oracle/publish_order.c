// SPDX-License-Identifier: GPL-2.0-only
/*
 * Publication order (publish_order.h): what the walker could follow at
 * the PoC while a call runs, table descriptor by table descriptor, as
 * each clean brings it there. A table the walker would reach holds a
 * line never cleaned since its allocation (the PoC has whatever was there
 * before: IOPT_POC_STALE in our runtime, low bits 0b11, a descriptor to
 * it), or leads to one two levels down at most.
 */
#include <stdio.h>
#include <stdlib.h>

#include "publish_order.h"

static void pub_add(struct iopt_pub *p, uint64_t pa, uint64_t bytes,
		    int level)
{
	if (p->n == p->cap) {
		unsigned int cap = p->cap ? p->cap * 2 : 64;
		struct iopt_pub_table *t = realloc(p->t, cap * sizeof(*t));

		if (!t)
			abort();
		p->t = t;
		p->cap = cap;
	}
	p->t[p->n++] = (struct iopt_pub_table){ pa, bytes, level };
}

/*
 * The tables before the call, over its range, from the level-level one at
 * pa (n entries, the first at iova): the end-of-call PoC check of the call
 * that made each held it to the CPU's view, never-cleaned lines included.
 * The last level's too: their descriptors are none, but a descriptor the
 * call publishes may point to one. A loop of descriptors ends at level 3.
 */
static void pub_seed(struct iopt_pub *p, const struct iopt_dec_span *sp,
		     uint64_t pa, int level, unsigned int n, uint64_t iova)
{
	uint64_t base, size, gran = 1ULL << p->dec->granule_shift;
	unsigned int shift = iopt_dec_level_shift(p->dec, level), i, last;
	const uint64_t *w = p->cpu.lookup(p->cpu.ctx, pa, &base, &size);
	struct iopt_ent e;

	if (!w || pa + n * 8ULL > base + size || level > 3)
		return;
	pub_add(p, pa, n * 8ULL, level);
	if (!iopt_dec_level_has_tables(level) ||
	    !iopt_dec_entries_in_span(sp, iova, shift, n, &i, &last))
		return;
	w += (pa - base) / 8;
	for (i = iopt_dec_next_used((const void *)w, i, last + 1); i <= last;
	     i = iopt_dec_next_used((const void *)w, i + 1, last + 1)) {
		iopt_dec_entry(p->dec, level, w[i], &e);
		if (e.type == IOPT_ENT_TABLE && !e.prob)
			pub_seed(p, sp, e.addr, level + 1, gran / 8,
				 iova + ((uint64_t)i << shift));
	}
}

void iopt_pub_begin(struct iopt_pub *p, uint64_t lo, uint64_t hi)
{
	struct iopt_dec_span sp;

	p->n = 0;
	p->why[0] = '\0';
	p->on = true;
	iopt_dec_span(p->dec, lo, hi, false, &sp);
	pub_seed(p, &sp, p->dec->ttbr, p->dec->start_level,
		 p->dec->pgd_entries, 0);
}

void iopt_pub_end(struct iopt_pub *p)
{
	p->on = false;
	p->n = 0;
}

void iopt_pub_forget(struct iopt_pub *p, uint64_t phys, uint64_t size)
{
	for (unsigned int i = 0; i < p->n; i++)
		if (p->t[i].pa >= phys && p->t[i].pa < phys + size)
			p->t[i--] = p->t[--p->n];
}

static const struct iopt_pub_table *pub_find(const struct iopt_pub *p,
					     uint64_t pa)
{
	for (unsigned int i = 0; i < p->n; i++)
		if (pa >= p->t[i].pa && pa - p->t[i].pa < p->t[i].bytes)
			return &p->t[i];
	return NULL;
}

#define NOT_MEMORY	(-2)

/*
 * The offset of the first line never cleaned since its allocation of the
 * level-level table at pa, or of a table its descriptors at the PoC lead
 * to that is not in the list (*at: that table); -1 if none; NOT_MEMORY if
 * pa is in no live block (the walk checks report such a descriptor).
 * depth bounds the descent.
 */
static long stale_below(struct iopt_pub *p, uint64_t pa, int level, int depth,
			uint64_t *at)
{
	uint64_t base, size, line, bytes = 1ULL << p->dec->granule_shift;
	const uint64_t *w = p->poc.lookup(p->poc.ctx, pa, &base, &size);
	struct iopt_ent e;

	if (pub_find(p, pa))
		return -1;
	if (!w || pa + bytes > base + size)
		return NOT_MEMORY;
	w += (pa - base) / 8;
	*at = pa;
	if (p->uncleaned(p->uncleaned_ctx, pa, bytes, &line))
		return (long)(line - pa);
	if (!depth || !iopt_dec_level_has_tables(level))
		return -1;
	for (unsigned int i = iopt_dec_next_used((const void *)w, 0, bytes / 8);
	     i < bytes / 8;
	     i = iopt_dec_next_used((const void *)w, i + 1, bytes / 8)) {
		long off;

		iopt_dec_entry(p->dec, level, w[i], &e);
		if (e.type == IOPT_ENT_TABLE && !e.prob &&
		    (off = stale_below(p, e.addr, level + 1, depth - 1, at)) >= 0)
			return off;
	}
	return -1;
}

/* Entry i (pte) of the level-level table at tpa just reached the PoC. */
static void published(struct iopt_pub *p, int level, uint64_t tpa,
		      unsigned int i, uint64_t pte)
{
	struct iopt_ent e;
	uint64_t at;
	long off;

	iopt_dec_entry(p->dec, level, pte, &e);
	if (e.type != IOPT_ENT_TABLE || e.prob)
		return;
	off = stale_below(p, e.addr, level + 1, 2, &at);
	if (off == NOT_MEMORY)
		return;
	if (off < 0) {
		if (!pub_find(p, e.addr))
			pub_add(p, e.addr, 1ULL << p->dec->granule_shift,
				level + 1);
		return;
	}
	snprintf(p->why, sizeof(p->why),
		 "the L%d table at pa 0x%llx published entry %u (a table descriptor to pa 0x%llx) at the PoC while the table at pa 0x%llx still held a line never cleaned there (+0x%lx): a walker could follow it",
		 level, (unsigned long long)tpa, i,
		 (unsigned long long)e.addr, (unsigned long long)at,
		 (unsigned long)off);
}

/* The entries of table t that the lines [lo, hi) brought to the PoC. */
static void published_in(struct iopt_pub *p, struct iopt_pub_table t,
			 uint64_t lo, uint64_t hi)
{
	uint64_t base, size, from, to;
	const uint64_t *w;

	if (!iopt_dec_level_has_tables(t.level) || hi <= t.pa ||
	    lo >= t.pa + t.bytes)
		return;
	w = p->poc.lookup(p->poc.ctx, t.pa, &base, &size);
	if (!w)
		return;
	w += (t.pa - base) / 8;
	from = lo > t.pa ? (lo - t.pa) / 8 : 0;
	to = hi < t.pa + t.bytes ? (hi - t.pa) / 8 : t.bytes / 8;
	for (uint64_t i = from; i < to && !p->why[0]; i++)
		if (w[i])
			published(p, t.level, t.pa, i, w[i]);
}

/*
 * Whole cache lines reach the PoC, so every entry of each listed table
 * they hold is looked at. (The list may grow meanwhile: the tables there
 * when the clean came.)
 */
void iopt_pub_on_clean(struct iopt_pub *p, uint64_t phys, uint64_t len)
{
	uint64_t lo = phys & ~(p->line - 1);
	uint64_t hi = (phys + len + p->line - 1) & ~(p->line - 1);
	unsigned int n = p->n;

	if (!p->on)
		return;
	for (unsigned int k = 0; k < n && k < p->n && !p->why[0]; k++)
		published_in(p, p->t[k], lo, hi);
}
