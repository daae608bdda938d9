// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KUnit reproducer's TLB maintenance (kunit_gen_internal.h): the
 * case's iommu_flush_ops record what io-pgtable asks of the driver, and
 * after an unmap with a gather (not queued) the case expects what the
 * executor's check (fuzz/inval.c) does:
 *
 *   - every unmapped IOVA invalidated (a tlb_add_page, a tlb_flush_walk
 *     or a tlb_flush_all over it);
 *   - every leaf the unmap removed, as the model held it before the op,
 *     invalidated at its own level: a tlb_add_page in it with its size as
 *     granule, a tlb_flush_walk one of whose steps meets it, or a
 *     tlb_flush_all. A block that a split replaced, invalidated only by
 *     the split's tlb_add_page of a page, fails here, as on the device:
 *     the granule names the level an SMMUv3's range invalidation drops;
 *   - a table the unmap freed out of the walk cache: tlb_flush_walk of the
 *     table granule (or tlb_flush_all) over all it spans.
 */
#include <string.h>

#include "kunit_gen_internal.h"

#define PRE_MAX		4096	/* leaves of the unmap's range, before it */

static struct iopt_model_leaf pre[PRE_MAX];
static size_t npre;

/* Before an unmap: the leaves of its range, as the model holds them. */
void tlb_before(struct gen *g, const struct iopt_op_view *v)
{
	uint64_t len = v->pgsize * (uint64_t)(v->count ? v->count : 1);

	npre = 0;
	if (!g->tlb_rec || v->kind != IOPT_OP_UNMAP || !v->model)
		return;
	npre = iopt_model_leaves(v->model, v->iova, len, pre, PRE_MAX + 1);
}

/* After it: those of them it unmapped, in runs of one size (r->gone). */
void tlb_after(struct gen *g, struct op_rec *r)
{
	uint64_t lo = r->v.iova, last = r->v.iova + ((uint64_t)r->v.ret - 1);

	if (!g->tlb_rec || r->v.kind != IOPT_OP_UNMAP || r->v.ret <= 0)
		return;
	r->gone_cut = npre > PRE_MAX;
	for (size_t i = 0; i < npre && i < PRE_MAX; i++) {
		const struct iopt_model_leaf *l = &pre[i];
		struct gone_run *run = r->ngone ? &r->gone[r->ngone - 1] : NULL;

		if (l->iova > last || l->iova + (l->size - 1) < lo)
			continue;
		if (run && run->size == l->size &&
		    run->iova + run->n * run->size == l->iova) {
			run->n++;
			continue;
		}
		if (r->ngone == GONE_RUNS) {
			r->gone_cut = true;
			break;
		}
		r->gone[r->ngone++] = (struct gone_run){ l->iova, l->size, 1 };
	}
	npre = 0;
}

static void put_recorder(struct gen *g)
{
	out(g, "/* The TLB maintenance io-pgtable asks of the driver, as it asks. */\n");
	out(g, "#define REPRO_TLB_MAX\t1024\n\n");
	out(g, "static struct {\n\tunsigned int n;\n\tstruct {\n\t\tunsigned long iova;\n\t\tsize_t size;\t\t/* 0: everything (tlb_flush_all) */\n\t\tsize_t granule;\n\t\tbool leaf;\t\t/* tlb_add_page: leaf entries only */\n\t} ev[REPRO_TLB_MAX];\n} repro_tlb;\n\n");
	out(g, "static void repro_tlb_record(unsigned long iova, size_t size,\n\t\t\t     size_t granule, bool leaf)\n{\n");
	out(g, "\tif (repro_tlb.n < REPRO_TLB_MAX) {\n\t\trepro_tlb.ev[repro_tlb.n].iova = iova;\n\t\trepro_tlb.ev[repro_tlb.n].size = size;\n\t\trepro_tlb.ev[repro_tlb.n].granule = granule;\n\t\trepro_tlb.ev[repro_tlb.n].leaf = leaf;\n\t}\n\trepro_tlb.n++;\n}\n\n");
	out(g, "static void repro_tlb_flush_all(void *cookie)\n{\n\trepro_tlb_record(0, 0, 0, false);\n}\n\n");
	out(g, "static void repro_tlb_flush_walk(unsigned long iova, size_t size,\n\t\t\t\t size_t granule, void *cookie)\n{\n\trepro_tlb_record(iova, size, granule, false);\n}\n\n");
	out(g, "static void repro_tlb_add_page(struct iommu_iotlb_gather *gather,\n\t\t\t       unsigned long iova, size_t granule, void *cookie)\n{\n\trepro_tlb_record(iova, granule, granule, true);\n}\n\n");
}

static void put_covers(struct gen *g)
{
	out(g, "/*\n * Whether what was recorded since repro_tlb.n = 0 invalidates all of\n * [iova, iova + size): its leaves (walk 0), or its table pointers too\n * (walk: by tlb_flush_walk of that granule, or tlb_flush_all).\n */\n");
	out(g, "static bool repro_tlb_covers(unsigned long iova, size_t size, size_t walk)\n{\n");
	out(g, "\tunsigned long last = iova + size - 1;\n\n");
	out(g, "\tif (repro_tlb.n > REPRO_TLB_MAX)\n\t\treturn true;\t/* too many to tell */\n");
	out(g, "\tfor (;;) {\n\t\tunsigned long end;\n\t\tunsigned int i;\n\n");
	out(g, "\t\tfor (i = 0; i < repro_tlb.n; i++) {\n");
	out(g, "\t\t\tif (!repro_tlb.ev[i].size)\n\t\t\t\treturn true;\n");
	out(g, "\t\t\tif (walk && (repro_tlb.ev[i].leaf ||\n\t\t\t\t     repro_tlb.ev[i].granule != walk))\n\t\t\t\tcontinue;\n");
	out(g, "\t\t\tif (repro_tlb.ev[i].iova <= iova &&\n\t\t\t    iova - repro_tlb.ev[i].iova < repro_tlb.ev[i].size)\n\t\t\t\tbreak;\n\t\t}\n");
	out(g, "\t\tif (i == repro_tlb.n)\n\t\t\treturn false;\n");
	out(g, "\t\tend = repro_tlb.ev[i].iova + (repro_tlb.ev[i].size - 1);\n");
	out(g, "\t\tif (end >= last)\n\t\t\treturn true;\n\t\tiova = end + 1;\n\t}\n}\n\n");
}

static void put_leaves_gone(struct gen *g)
{
	out(g, "/*\n * Whether recorded event i invalidates the entry [lo, lo + len) at its\n * own level: a tlb_flush_all; a tlb_add_page in it with len as granule\n * (an SMMUv3's range invalidation takes the level from the granule); a\n * tlb_flush_walk that starts in it, or one of whose steps (of its granule)\n * falls in it (an SMMU without range invalidation invalidates each step).\n */\n");
	out(g, "static bool repro_tlb_hits(unsigned int i, unsigned long lo, size_t len)\n{\n");
	out(g, "\tunsigned long iova = repro_tlb.ev[i].iova, off, first;\n");
	out(g, "\tsize_t size = repro_tlb.ev[i].size, granule = repro_tlb.ev[i].granule;\n\n");
	out(g, "\tif (!size)\n\t\treturn true;\n");
	out(g, "\tif (repro_tlb.ev[i].leaf)\n\t\treturn granule == len && iova - lo < len;\n");
	out(g, "\tif (lo > iova + (size - 1) || iova > lo + (len - 1))\n\t\treturn false;\n");
	out(g, "\tif (lo <= iova)\n\t\treturn true;\n");
	out(g, "\tif (!granule || granule >= size)\n\t\treturn false;\n");
	out(g, "\toff = lo - iova;\n\tfirst = (off + granule - 1) / granule * granule;\n");
	out(g, "\treturn first >= off && first < size && first - off < len;\n}\n\n");
	out(g, "/* Whether each of n leaves of size size from iova is invalidated at its level. */\n");
	out(g, "static bool repro_tlb_leaves_gone(unsigned long iova, size_t size,\n\t\t\t\t  unsigned long n)\n{\n");
	out(g, "\tunsigned long k;\n\tunsigned int i;\n\n");
	out(g, "\tif (repro_tlb.n > REPRO_TLB_MAX)\n\t\treturn true;\t/* too many to tell */\n");
	out(g, "\tfor (k = 0; k < n; k++, iova += size) {\n");
	out(g, "\t\tfor (i = 0; i < repro_tlb.n; i++)\n\t\t\tif (repro_tlb_hits(i, iova, size))\n\t\t\t\tbreak;\n");
	out(g, "\t\tif (i == repro_tlb.n)\n\t\t\treturn false;\n\t}\n\treturn true;\n}\n\n");
}

/* An unmap whose TLB maintenance the case checks: with a gather, not queued. */
static bool checks_unmap(const struct gen *g, const struct op_rec *r)
{
	bool gather = r->op.flags & IOPT_OPF_GATHER;

	return g->tlb_rec && r->v.kind == IOPT_OP_UNMAP && !r->v.skipped &&
	       r->v.ret > 0 && gather && !(r->op.flags & IOPT_OPF_QUEUED);
}

/* ... and one that frees the table its one entry held. */
static bool checks_free(const struct gen *g, const struct op_rec *r)
{
	return g->tlb_rec && r->v.kind == IOPT_OP_UNMAP && !r->v.skipped &&
	       r->v.ret > 0 && r->v.count == 1 && r->v.tables_freed;
}

/* Which helpers the case calls (an unused static one fails a -Werror build). */
static void helpers_used(const struct gen *g, bool *covers, bool *gone)
{
	*covers = *gone = false;
	for (unsigned int i = 0; i < g->nrec; i++) {
		const struct op_rec *r = &g->rec[i];

		*covers |= checks_unmap(g, r) || checks_free(g, r);
		*gone |= checks_unmap(g, r) && r->ngone && !r->gone_cut;
	}
}

void put_tlb_ops(struct gen *g)
{
	bool covers, gone;

	helpers_used(g, &covers, &gone);
	if (!g->tlb_rec) {
		out(g, "static void repro_tlb_flush_all(void *cookie)\n{\n}\n\n");
		out(g, "static void repro_tlb_flush_walk(unsigned long iova, size_t size,\n\t\t\t\t size_t granule, void *cookie)\n{\n}\n\n");
		out(g, "static void repro_tlb_add_page(struct iommu_iotlb_gather *gather,\n\t\t\t       unsigned long iova, size_t granule, void *cookie)\n{\n}\n\n");
	} else {
		put_recorder(g);
		if (covers)
			put_covers(g);
		if (gone)
			put_leaves_gone(g);
	}
	out(g, "static const struct iommu_flush_ops repro_tlb_ops = {\n");
	out(g, "\t.tlb_flush_all\t= repro_tlb_flush_all,\n\t.tlb_flush_walk\t= repro_tlb_flush_walk,\n\t.tlb_add_page\t= repro_tlb_add_page,\n};\n\n");
}

/* After an unmap_pages (repro_tlb.n = 0 before it): what it must have invalidated. */
void put_unmap_tlb(struct gen *g, const struct op_rec *r)
{
	if (checks_unmap(g, r)) {
		out(g, "\tKUNIT_EXPECT_TRUE_MSG(test, repro_tlb_covers(0x%llx, 0x%lx, 0),\n\t\t\t      \"unmapped IOVAs stay in the IOTLB: no invalidation covers them\");\n",
		    (unsigned long long)r->v.iova, r->v.ret);
		if (r->gone_cut)
			out(g, "\t/* (more leaves went than are listed here: not each checked) */\n");
		for (unsigned int i = 0; i < r->ngone && !r->gone_cut; i++)
			out(g, "\tKUNIT_EXPECT_TRUE_MSG(test, repro_tlb_leaves_gone(0x%llx, 0x%llx, %llu),\n\t\t\t      \"a removed leaf stays in the IOTLB: no invalidation of its size over it\");\n",
			    (unsigned long long)r->gone[i].iova,
			    (unsigned long long)r->gone[i].size,
			    (unsigned long long)r->gone[i].n);
	}
	/*
	 * one entry, and it held a table: freed now, so out of the walk cache
	 * too (io-pgtable flushes the walk before the free, gather or not)
	 */
	if (checks_free(g, r))
		out(g, "\tKUNIT_EXPECT_TRUE_MSG(test, repro_tlb_covers(0x%llx, 0x%zx, 0x%llx),\n\t\t\t      \"the freed table stays in the walk cache: no tlb_flush_walk of the table granule covers it\");\n",
		    (unsigned long long)r->v.iova, r->v.pgsize,
		    1ULL << g->geom.granule_shift);
}
