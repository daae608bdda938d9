// SPDX-License-Identifier: GPL-2.0-only
/*
 * Review mode's observations (review_internal.h): what the ports of the
 * same role in base and patched did in one stage, compared field by field
 * and described side by side when they differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review_internal.h"

void cmp_results(struct review *v, const struct side *b,
			const struct side *p)
{
	if (b->ret != p->ret || b->mapped != p->mapped)
		differ(v, "result",
		       "%s: base returned %ld (mapped 0x%zx), patched %ld (mapped 0x%zx)",
		       b->port->name, b->ret, b->mapped, p->ret, p->mapped);
	else if (!same_dirty(&b->dirty, &p->dirty))
		differ(v, "result",
		       "%s: base recorded %u dirty ranges, patched %u%s",
		       b->port->name, b->dirty.n, p->dirty.n,
		       b->dirty.n == p->dirty.n ? ", not the same" : "");
}

void cmp_warns(struct review *v, const struct side *b,
		      const struct side *p)
{
	unsigned long wb = b->port->env->warn_total - b->fx_mark.warns;
	unsigned long wp = p->port->env->warn_total - p->fx_mark.warns;

	if (wb != wp)
		differ(v, "warn", "%s: base WARNed %lu times, patched %lu",
		       b->port->name, wb, wp);
}

static const char *const tlb_names[] = {
	[TLB_FLUSH_ALL] = "tlb_flush_all", [TLB_FLUSH_WALK] = "tlb_flush_walk",
	[TLB_ADD_PAGE] = "tlb_add_page",
};

static void describe_tlb(char *buf, size_t n, const struct side *s,
			 unsigned int k)
{
	const struct tlb_event *e = &s->tlb[k];

	if (k >= s->ntlb)
		snprintf(buf, n, "nothing");
	else
		snprintf(buf, n, "%s(iova 0x%llx, size 0x%llx, granule 0x%llx)",
			 tlb_names[e->kind], (unsigned long long)e->iova,
			 (unsigned long long)e->size,
			 (unsigned long long)e->granule);
}

void cmp_tlb(struct review *v, const struct side *b,
		    const struct side *p)
{
	char db[96], dp[96];
	unsigned int k;

	for (k = 0; k < b->ntlb || k < p->ntlb; k++) {
		const struct tlb_event *x = &b->tlb[k], *y = &p->tlb[k];

		if (k < b->ntlb && k < p->ntlb && x->kind == y->kind &&
		    x->iova == y->iova && x->size == y->size &&
		    x->granule == y->granule)
			continue;
		break;
	}
	if (k == b->ntlb && k == p->ntlb && b->tlb_total == p->tlb_total &&
	    b->tlb_hash == p->tlb_hash)
		return;
	if (k == b->ntlb && k == p->ntlb && b->tlb_total == p->tlb_total) {
		differ(v, "tlb",
		       "%s: TLB callbacks differ past #%u (the first %u are the same; past them each is compared by a hash of all in order; %lu callbacks in all, patched %lu)",
		       b->port->name, k, k, b->tlb_total, p->tlb_total);
		return;
	}
	describe_tlb(db, sizeof(db), b, k);
	describe_tlb(dp, sizeof(dp), p, k);
	differ(v, "tlb",
	       "%s: TLB callback #%u: base %s, patched %s (%lu callbacks in all, patched %lu)",
	       b->port->name, k, db, dp, b->tlb_total, p->tlb_total);
}

/*
 * Allocations and frees, in order: kind, size, order, alignment and gfp
 * of page allocations (the tables); of slab objects (the pgtable data
 * struct, whose size is its layout, an implementation detail) the kind and
 * gfp only. Not the node: NUMA_NO_NODE and the local node (what
 * iommu-pages asks for since 6.16) are the same memory here.
 */
static bool same_alloc(const struct iopt_alloc_rec *x,
		       const struct iopt_alloc_rec *y)
{
	if (x->kind != y->kind || x->free != y->free || x->gfp != y->gfp)
		return false;
	return x->kind == IOPT_ALLOC_SLAB ||
	       (x->size == y->size && x->order == y->order &&
		x->align == y->align);
}

static void describe_alloc(char *buf, size_t n, const struct iopt_env *e,
			   size_t k)
{
	const struct iopt_alloc_rec *a;

	if (k >= e->alloc_n) {
		snprintf(buf, n, "nothing");
		return;
	}
	a = &e->alloc_log[k];
	snprintf(buf, n, "%s %s of %llu bytes (order %d, aligned 0x%llx, gfp 0x%x)",
		 a->kind == IOPT_ALLOC_SLAB ? "slab" : "pages",
		 a->free ? "free" : "allocation", (unsigned long long)a->size,
		 a->order, (unsigned long long)a->align, a->gfp);
}

/* An allocation log ran full since the mark: records from there on are lost. */
static bool allocs_lost(const struct side *s)
{
	return s->port->env->alloc_lost != s->alloc_lost_mark;
}

/*
 * In order. Where a log ran full (LOG_MAX, targets/common/log.c) depends
 * on earlier stages too: then up to where the first list ends, the counts
 * not at all, and the list counts as compared in part.
 */
void cmp_allocs(struct review *v, const struct side *b,
		       const struct side *p)
{
	const struct iopt_env *eb = b->port->env, *ep = p->port->env;
	size_t nb = eb->alloc_n - b->alloc_mark, np = ep->alloc_n - p->alloc_mark;
	bool lost = allocs_lost(b) || allocs_lost(p);
	char db[128], dp[128];
	size_t k;

	iopt_stats.alloc_cut += lost;
	for (k = 0; k < nb && k < np; k++)
		if (!same_alloc(&eb->alloc_log[b->alloc_mark + k],
				&ep->alloc_log[p->alloc_mark + k]))
			break;
	if (k == nb && k == np)
		return;
	if (lost && (k == nb || k == np))
		return;		/* a log ended there */
	describe_alloc(db, sizeof(db), eb, b->alloc_mark + k);
	describe_alloc(dp, sizeof(dp), ep, p->alloc_mark + k);
	differ(v, "alloc", "%s: allocator call #%zu: base %s, patched %s (%zu calls, patched %zu%s)",
	       b->port->name, k, db, dp, nb, np,
	       lost ? "; compared in part: logged before an allocation log was full" : "");
}

static const char *const via_names[] = {
	[IOPT_VIA_DMA_MAP] = "dma_map_single", [IOPT_VIA_DMA_SYNC] = "dma_sync_single_for_device",
	[IOPT_VIA_FLUSH] = "kvm_flush_dcache_to_poc",
};

static const char *via_name(unsigned int via)
{
	return via < sizeof(via_names) / sizeof(via_names[0]) && via_names[via] ?
	       via_names[via] : "?";
}

static void describe_cmo(char *buf, size_t n, const struct norm_cmo *c,
			 bool any)
{
	if (!any)
		snprintf(buf, n, "nothing");
	else if (c->level < 0)
		snprintf(buf, n, "%s %llu bytes of no live table via %s",
			 c->kind == IOPT_CMO_CLEAN ? "clean" : "clean+invalidate",
			 (unsigned long long)c->len, via_name(c->via));
	else
		snprintf(buf, n, "%s %llu bytes at +0x%llx of the L%d table of iova 0x%llx via %s",
			 c->kind == IOPT_CMO_CLEAN ? "clean" : "clean+invalidate",
			 (unsigned long long)c->len, (unsigned long long)c->off,
			 c->level, (unsigned long long)c->iova, via_name(c->via));
}

/* A CMO log ran full since the mark (coherency.c's log_lost). */
static bool cmos_lost(const struct side *s)
{
	return s->port->env->cmo_lost != s->cmo_lost_mark;
}

static bool same_norm_cmo(const struct norm_cmo *x, const struct norm_cmo *y)
{
	return x->iova == y->iova && x->level == y->level &&
	       x->off == y->off && x->len == y->len && x->kind == y->kind &&
	       x->via == y->via;
}

/* Side s's CMOs of this stage, all of them, in *buf (grown to fit). */
static unsigned int all_cmos(struct run *r, struct side *s,
			     struct norm_cmo **buf, size_t *cap)
{
	size_t n = s->port->env->cmo_n - s->cmo_mark;

	if (n > *cap) {
		*buf = realloc(*buf, n * sizeof(**buf));
		if (!*buf)
			abort();
		*cap = n;
	}
	return side_cmos(r, s, *buf);
}

/*
 * In order, every one (a list is as long as the log);
 * where a log ran full since the mark, up to where the first list ends
 * and the counts not at all (as check_touched compares the ports of one
 * tree), the list counted as compared in part (iopt_stats.cmo_cut).
 */
void cmp_cmos(struct review *v, struct side *b, struct side *p)
{
	static struct norm_cmo *cb, *cp;
	static size_t capb, capp;
	unsigned int nb = all_cmos(v->b, b, &cb, &capb);
	unsigned int np = all_cmos(v->p, p, &cp, &capp);
	bool lost = cmos_lost(b) || cmos_lost(p);
	char db[160], dp[160];
	unsigned int k;

	iopt_stats.cmo_cut += lost;
	for (k = 0; k < nb && k < np; k++)
		if (!same_norm_cmo(&cb[k], &cp[k]))
			break;
	if (k == nb && k == np)
		return;
	if (lost && (k == nb || k == np))
		return;		/* a log ended there */
	/* (a list never grown is NULL: no element of it taken) */
	describe_cmo(db, sizeof(db), k < nb ? &cb[k] : NULL, k < nb);
	describe_cmo(dp, sizeof(dp), k < np ? &cp[k] : NULL, k < np);
	differ(v, "cmo", "%s: CMO #%u: base %s; patched %s (%u CMOs, patched %u%s)",
	       b->port->name, k, db, dp, nb, np,
	       lost ? "; compared in part: logged before a CMO log was full" : "");
}

void cmp_images(struct review *v, struct side *b, struct side *p)
{
	struct iopt_dec_mem mb = side_mem(b), mp = side_mem(p);
	long w;

	iopt_image_build(&b->img, &b->dec, &mb);
	iopt_image_build(&p->img, &p->dec, &mp);
	if (iopt_image_equal(&b->img, &p->img))
		return;
	w = iopt_image_first_diff(&b->img, &p->img);
	{
		unsigned int id = 0, idx = 0;
		int lvl = 0;

		if (w >= 0)
			iopt_image_locate(&b->img, w, &id, &lvl, &idx);
		differ(v, "image",
		       "%s: the tables differ, first at table #%u (level %d) entry %u: base %016llx, patched %016llx",
		       b->port->name, id, lvl, idx,
		       (unsigned long long)(w >= 0 && (size_t)w < b->img.n ? b->img.words[w] : 0),
		       (unsigned long long)(w >= 0 && (size_t)w < p->img.n ? p->img.words[w] : 0));
	}
}
