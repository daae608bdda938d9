// SPDX-License-Identifier: GPL-2.0-only
/*
 * Coherency: with a non-coherent table walker, what the IOMMU reads at the
 * point of coherency (the env's PoC view, which a CMO brings up to date)
 * must be what the CPU wrote; and every side must do the same cache
 * maintenance on the tables an op touched, named canonically (the level
 * and first IOVA of the table, an offset and a length), so that where the
 * tables live, the CMO's kind (clean or clean+invalidate) and a flush of a
 * table being freed do not count.
 */
#include <stdlib.h>
#include <string.h>

#include "run.h"

struct table_ref {
	uint64_t pa, bytes;
	uint64_t iova;			/* with the level, the canonical name */
	int level;
};


/* The touched tables: as many as there are (no limit to skip at). */
struct table_list {
	struct table_ref *t;
	unsigned int n, cap;
};

static void collect_table(void *ctx, uint64_t pa, int level,
			  unsigned int entries, uint64_t iova)
{
	struct table_list *tl = ctx;

	tl->t = list_room(tl->t, tl->n, &tl->cap, sizeof(*tl->t), 512);
	tl->t[tl->n++] = (struct table_ref){ pa, entries * 8ULL, iova, level };
}

static int by_pa(const void *a, const void *b)
{
	const struct table_ref *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

/* The tables whose span meets the op's range, by physical address. */
static void touched_tables(struct run *r, struct side *s, struct table_list *tl)
{
	struct iopt_dec_visitor v = { .ctx = tl, .table = collect_table };
	struct iopt_dec_mem mem = side_mem(s);

	tl->n = 0;
	iopt_dec_walk_range(&s->dec, &mem, r->lo, r->hi, &v);
	if (tl->n)
		qsort(tl->t, tl->n, sizeof(tl->t[0]), by_pa);
}

/* Each side's touched tables, listed by the model check's walk or walked here. */
static struct table_list touched[IOPT_MAX_SIDES];
static struct iopt_dec_visitor listing[IOPT_MAX_SIDES];

const struct iopt_dec_visitor *tables_listing(struct run *r, int i)
{
	touched[i].n = 0;
	listing[i] = (struct iopt_dec_visitor){ .ctx = &touched[i],
						.table = collect_table };
	return &listing[i];
}

#ifdef IOPT_MODEL_CHECKS
/* Debug and sanitizer builds: the list is what a walk of its own finds. */
static bool listed_as_walked(struct run *r, int i)
{
	static struct table_list w;
	const struct table_list *tl = &touched[i];
	bool same;

	touched_tables(r, &r->side[i], &w);
	same = w.n == tl->n;
	for (unsigned int k = 0; same && k < w.n; k++)
		same = w.t[k].pa == tl->t[k].pa &&
		       w.t[k].bytes == tl->t[k].bytes &&
		       w.t[k].iova == tl->t[k].iova &&
		       w.t[k].level == tl->t[k].level;
	if (!same)
		report(r, &r->side[i], "selfcheck",
		       "the model check's walk listed %u of %s's tables, a walk of the range %u (or others)",
		       tl->n, r->side[i].port->name, w.n);
	return same;
}
#endif

/* Side i's touched tables, by physical address; NULL after a report. */
static struct table_list *list_touched(struct run *r, int i)
{
	struct table_list *tl = &touched[i];

	if (!(r->tables_listed & 1u << i)) {
		touched_tables(r, &r->side[i], tl);
		return tl;
	}
	if (r->opts->plant_list_short && tl->n)
		tl->n--;	/* planted: the listing lost a table */
	if (tl->n)
		qsort(tl->t, tl->n, sizeof(tl->t[0]), by_pa);
#ifdef IOPT_MODEL_CHECKS
	if (!listed_as_walked(r, i))
		return NULL;
#endif
	return tl;
}

static const struct table_ref *table_of(const struct table_list *tl,
					uint64_t pa)
{
	long lo = 0, hi = (long)tl->n - 1;

	while (lo <= hi) {
		long mid = (lo + hi) / 2;
		const struct table_ref *t = &tl->t[mid];

		if (pa < t->pa)
			hi = mid - 1;
		else if (pa >= t->pa + t->bytes)
			lo = mid + 1;
		else
			return t;
	}
	return NULL;
}

/*
 * The side's CMOs of this op, one at a time, named by the touched table
 * they hit; others (e.g. a flush of a table being freed) are skipped, or
 * with all kept unnamed, as table level -1. Two logs are compared as they
 * are read, as long as they are: no list to keep, so nothing cut.
 */
struct cmo_cursor {
	const struct side *s;
	const struct table_list *tl;
	size_t i;
	bool all;
};

static bool next_cmo(struct cmo_cursor *cur, struct norm_cmo *out)
{
	const struct iopt_env *e = cur->s->port->env;

	for (; cur->i < e->cmo_n; cur->i++) {
		const struct iopt_cmo *c = &e->cmo_log[cur->i];
		const struct table_ref *t = table_of(cur->tl, c->phys);

		if (!t && !cur->all)
			continue;
		if (t)
			*out = (struct norm_cmo){ t->iova, t->level,
				c->phys - t->pa, c->len, c->kind, c->via };
		else
			*out = (struct norm_cmo){ 0, -1, 0, c->len, c->kind,
						  c->via };
		cur->i++;
		return true;
	}
	return false;
}

unsigned int side_cmos(struct run *r, struct side *s, struct norm_cmo *out)
{
	static struct table_list tl;
	struct cmo_cursor cur = { s, &tl, s->cmo_mark, true };
	struct norm_cmo c;
	unsigned int n = 0;

	touched_tables(r, s, &tl);
	while (next_cmo(&cur, &c))
		out[n++] = c;
	return n;
}

static bool same_cmo(const struct norm_cmo *a, const struct norm_cmo *b)
{
	return a->iova == b->iova && a->level == b->level &&
	       a->off == b->off && a->len == b->len;
}

static void describe_cmo(char *buf, size_t n, const struct norm_cmo *c,
			 bool any)
{
	if (!any) {
		snprintf(buf, n, "did nothing, L0 table of iova 0x0 +0x0 len 0");
		return;
	}
	snprintf(buf, n, "cleaned L%d table of iova 0x%llx +0x%llx len %llu",
		 c->level, (unsigned long long)c->iova,
		 (unsigned long long)c->off, (unsigned long long)c->len);
}

/*
 * The env's CMO log holds LOG_MAX CMOs a run (targets/common/log.c): an op
 * that ran past its end has lost the rest. Where the two logs end depends
 * on the CMOs of earlier ops, those of freed tables too, which the ports
 * may legitimately make differently (a flush on free at EL2): from there
 * on, neither list nor count is the op's.
 */
static bool log_lost(const struct side *s)
{
	return s->port->env->cmo_lost != s->cmo_lost_mark;
}

static unsigned int count_cmos(const struct side *s, const struct table_list *tl)
{
	struct cmo_cursor cur = { s, tl, s->cmo_mark, false };
	struct norm_cmo c;
	unsigned int n = 0;

	while (next_cmo(&cur, &c))
		n++;
	return n;
}

/* Side i's CMOs against side 0's, in order, every one. */
static bool cmp_cmos_with(struct run *r, struct table_list **tl, int i)
{
	struct side *a = &r->side[0], *b = &r->side[i];
	struct cmo_cursor ca = { a, tl[0], a->cmo_mark, false };
	struct cmo_cursor cb = { b, tl[i], b->cmo_mark, false };
	bool lost = log_lost(a) || log_lost(b);
	struct norm_cmo x, y;
	char da[128], db[128];

	if (a->port->env->cmo_n == a->cmo_mark &&
	    b->port->env->cmo_n == b->cmo_mark && !lost)
		return true;	/* neither did any maintenance */
	iopt_stats.cmo_cut += lost;
	for (unsigned int k = 0;; k++) {
		bool ga = next_cmo(&ca, &x), gb = next_cmo(&cb, &y);

		if (!ga && !gb)
			return true;
		if (ga && gb && same_cmo(&x, &y))
			continue;
		if (lost && (!ga || !gb))
			return true;	/* a log ended there */
		describe_cmo(da, sizeof(da), &x, ga);
		describe_cmo(db, sizeof(db), &y, gb);
		report(r, NULL, "cmo",
		       "cache maintenance differs at CMO #%u of the op: %s %s, %s %s (on the touched tables: %s %u CMOs, %s %u%s)",
		       k, a->port->name, da, b->port->name, db,
		       a->port->name, count_cmos(a, tl[0]), b->port->name,
		       count_cmos(b, tl[i]),
		       lost ? ", logged before the CMO log was full" : "");
		return false;
	}
}

/*
 * Non-coherent walk: every entry of a touched table reads the same at the
 * PoC as in the CPU's cache, but for the bits the walker ignores or owns.
 */
static void describe_entry(char *buf, size_t n, const struct side *s,
			   int level, uint64_t pte)
{
	static const char *const type[] = {
		[IOPT_ENT_HOLE] = "hole", [IOPT_ENT_TABLE] = "table",
		[IOPT_ENT_LEAF] = "leaf", [IOPT_ENT_BAD] = "bad",
	};
	struct iopt_ent e;

	iopt_dec_entry(&s->dec, level, pte, &e);
	snprintf(buf, n, "%s -> 0x%llx", type[e.type], (unsigned long long)e.addr);
}

/* The first entry from i on, before n, that differs between a and b, or n. */
static unsigned int next_diff(const unsigned char *a, const unsigned char *b,
			      unsigned int i, unsigned int n)
{
	for (; i < n; i++) {
		/* 64 entries at once where they are the same */
		while (!(i & 63) && n - i >= 64 &&
		       !memcmp(a + (size_t)i * 8, b + (size_t)i * 8, 64 * 8))
			i += 64;
		if (i < n && iopt_dec_load(a, i) != iopt_dec_load(b, i))
			return i;
	}
	return n;
}

static bool cmp_poc_table(struct run *r, struct side *s,
			  const struct table_ref *t)
{
	unsigned int n = t->bytes / 8;
	const unsigned char *c, *p;
	uint64_t base, size;
	char cs[64], ps[64];

	c = s->port->drv->lookup(t->pa, &base, &size, false);
	p = s->port->drv->lookup(t->pa, &base, &size, true);
	if (!c || !p || !memcmp(c, p, t->bytes))
		return true;
	for (unsigned int i = next_diff(c, p, 0, n); i < n;
	     i = next_diff(c, p, i + 1, n)) {
		uint64_t cv = iopt_dec_load(c, i), pv = iopt_dec_load(p, i);

		if (cv == pv || !((cv ^ pv) & ~iopt_device_volatile_bits(cv)))
			continue;
		describe_entry(cs, sizeof(cs), s, t->level, cv);
		describe_entry(ps, sizeof(ps), s, t->level, pv);
		report(r, s, "stale",
		       "stale entry visible to the IOMMU in %s: L%d table of iova 0x%llx at pa 0x%llx, entry %u (line +0x%x): CPU 0x%016llx (%s), PoC 0x%016llx (%s)",
		       s->port->name, t->level, (unsigned long long)t->iova,
		       (unsigned long long)t->pa, i, (i * 8) & ~(IOPT_CACHE_LINE - 1),
		       (unsigned long long)cv, cs, (unsigned long long)pv, ps);
		return false;
	}
	return true;
}

static bool cmp_poc(struct run *r, struct side *s, const struct table_list *tl)
{
	if (s->coherent_walk)
		return true;
	for (unsigned int i = 0; i < tl->n; i++)
		if (!cmp_poc_table(r, s, &tl->t[i]))
			return false;
	return true;
}

bool did_maintenance(const struct run *r)
{
	for (int i = 0; i < r->nsides; i++)
		if (r->side[i].port->env->cmo_n != r->side[i].cmo_mark)
			return true;
	return false;
}

/*
 * After an op that changed tables or did maintenance: each side against
 * the hardware (what the IOMMU would see), then the sides' CMOs against
 * each other.
 */
bool check_touched(struct run *r)
{
	static struct table_list none[IOPT_MAX_SIDES];
	struct table_list *tl[IOPT_MAX_SIDES];
	/* the tables serve the PoC check and the CMO comparison only */
	bool need = !r->prog->cfg.coherent_walk || did_maintenance(r);

	for (int i = 0; i < r->nsides; i++) {
		tl[i] = need ? list_touched(r, i) : &none[i];
		if (!tl[i])
			return false;
	}
	r->tables_listed = 0;
	for (int i = 0; i < r->nsides; i++)
		if (!cmp_poc(r, &r->side[i], tl[i]) ||
		    !check_caches(r, &r->side[i]))
			return false;
	for (int i = 1; i < r->nsides; i++)
		if (!cmp_cmos_with(r, tl, i))
			return false;
	return true;
}

/* Every table of every side at the PoC: at the end and before re-create. */
bool check_poc_whole(struct run *r)
{
	const struct table_list *tl;
	bool ok = true;

	if (r->prog->cfg.coherent_walk)
		ok = true;	/* no PoC view to compare */
	else
		for (int i = 0; ok && i < r->nsides; i++)
			ok = (tl = list_touched(r, i)) &&
			     cmp_poc(r, &r->side[i], tl);
	r->tables_listed = 0;
	return ok;
}
