// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KUnit reproducer (kunit_gen.h). The program runs once more with
 * the executor telling us each op (struct iopt_op_view): its arguments,
 * resolved, and the reference model's prediction, from which the
 * expectations are written. What the case checks follows the check that
 * failed:
 *
 *   result, dirty        return values and *mapped (every case has them)
 *   iova_to_phys         translations, the one that failed among them
 *   tables, image        leaf descriptors through ops->pgtable_walk where
 *                        the tree has it; translations and the top
 *                        table's alignment otherwise
 *   tlb-stale, device,   the TLB callbacks the case's own iommu_flush_ops
 *   tlb, free-order      record: every leaf an unmap removed invalidated
 *                        at its level, freed tables at the table granule
 *                        (kunit_tlb.c)
 *   alloc                whether alloc_io_pgtable_ops returns NULL
 *   config               after each alloc_io_pgtable_ops, the fields it
 *                        wrote back into cfg, as the model predicts them
 *                        (kunit_cfg.c)
 *   walk                 each pgtable_walk's descriptors, level by level
 *                        (kunit_cfg.c)
 *   stale, teardown,     not observable through the API: said so in the
 *   accounting, runtime, comment; our KUnit shim checks the environment
 *   warn                 (iopt/kunit.h) and fails the case
 *   cmo (and image, tlb) a difference between the kernel's build and the
 *                        EL2 build: one KUnit run builds the code once
 *   a review's alloc     two trees that allocate differently, each within
 *                        its contract: the base's page allocations pinned
 *                        after each op, in our KUnit shim only
 *   a review's tlb       the TLB callbacks recorded, as for tlb, in a case
 *                        written from the base's clean run
 *   any other check      the ops and their results, and the report
 *
 * Written against the tree's API as struct iopt_tree describes it
 * (map_pages, pgtable_walk, cfg->alloc, the quirks, kunit_device_register).
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "encode.h"
#include "kunit_gen_internal.h"
#include "plant.h"

static const struct {
	const char *check;
	enum ck ck;
} checks[] = {
	{ "result", CK_RESULT }, { "dirty", CK_RESULT },
	{ "iova_to_phys", CK_TRANSLATION },
	{ "tables", CK_TABLES }, { "image", CK_TABLES },
	{ "stale", CK_POC },
	{ "tlb-stale", CK_TLB }, { "device", CK_TLB }, { "tlb", CK_TLB },
	{ "free-order", CK_TLB },
	{ "alloc", CK_ALLOC },
	{ "teardown", CK_LEAK }, { "accounting", CK_LEAK },
	{ "runtime", CK_RUNTIME }, { "warn", CK_WARN }, { "cmo", CK_CMO },
	{ "config", CK_CONFIG }, { "walk", CK_WALK },
	{ "publish", CK_PUBLISH }, { "lookup", CK_LOOKUP },
};

/* ---- watching the run ------------------------------------------------------ */

static void record_leaves(struct gen *g, struct op_rec *r,
			  const struct iopt_model *m)
{
	unsigned int per;
	size_t sz, n;

	r->leaf_level = iopt_geom_leaf_level(&g->geom, r->v.pgsize, &per);
	if (r->leaf_level < 0)
		return;
	sz = r->v.pgsize / per;
	n = r->v.mapped / sz;
	for (size_t i = 0; i < n && i < LEAVES_MAX; i++) {
		r->leaf_iova[i] = r->v.iova + i * sz;
		r->leaf_pte[i] = iopt_model_leaf_pte(m, r->leaf_level,
						     r->v.pa + i * sz,
						     r->v.prot, false, per > 1);
		r->nleaf++;
	}
}

/*
 * The leaf a tables report names (at any op: an unmap's neighbours too),
 * as the contract documents it, if the model has a leaf there.
 */
static void record_fail_leaf(struct gen *g, struct op_rec *r, const struct iopt_model *m)
{
	struct iopt_model_walk w;
	struct iopt_model_pred p;

	for (unsigned int i = 0; i < r->nleaf; i++)
		if (r->leaf_iova[i] == g->fail_leaf_iova)
			return;		/* (a map's leaves: read back already) */
	iopt_model_pgtable_walk(m, g->fail_leaf_iova, &w, &p);
	if (p.ret || !w.leaf || w.last != g->fail_leaf_level)
		return;
	r->fail_leaf = true;
	r->fail_leaf_iova = g->fail_leaf_iova;
	r->fail_leaf_level = w.last;
	r->fail_leaf_pte = w.pte;
}

static void on_op(void *ctx, const struct iopt_op_view *v)
{
	struct gen *g = ctx;
	struct op_rec *r = &g->rec[g->nrec++];
	const struct iopt_model *m = v->model;
	uint64_t len = v->pgsize * (uint64_t)(v->count ? v->count : 1);

	memset(r, 0, sizeof(*r));
	r->v = *v;
	r->v.model = NULL;
	r->v.op = NULL;
	r->op = *(const struct iopt_op *)v->op;
	if (v->failed && g->failed_at < 0)
		g->failed_at = g->nrec - 1;
	if (!v->ran || !m)
		return;
	/* (the executor reset the env at the creation: its log starts there) */
	iopt_env_page_totals(iopt_run_ports[0]->env, 0, &r->pages);
	g->warns += v->warn;
	if ((v->kind == IOPT_OP_MAP || v->kind == IOPT_OP_UNMAP) && len) {
		r->probe[r->nprobe++] = v->iova;
		if (len > 1 && v->iova + (len - 1) > v->iova)
			r->probe[r->nprobe++] = v->iova + (len - 1);
		for (unsigned int i = 0; i < r->nprobe; i++)
			r->want[i] = iopt_model_iova_to_phys(m, r->probe[i]);
	}
	if (v->kind == IOPT_OP_WALK && g->ck == CK_WALK) {
		struct iopt_model_pred p;

		iopt_model_pgtable_walk(m, v->iova, &r->walk, &p);
		r->walk_rec = true;
	}
	if (v->kind == IOPT_OP_MAP && g->ck == CK_TABLES &&
	    g->tree->has_pgtable_walk)
		record_leaves(g, r, m);
	tlb_after(g, r);
	if (v->failed && g->want_fail_probe) {
		r->fail_probe = true;
		r->fail_iova = g->fail_iova;
		r->fail_want = iopt_model_iova_to_phys(m, g->fail_iova);
	}
	if (v->failed && g->want_fail_leaf)
		record_fail_leaf(g, r, m);
}

static void on_before(void *ctx, const struct iopt_op_view *v)
{
	tlb_before(ctx, v);
}

/* ---- the code ---------------------------------------------------------------- */

/*
 * The device cfg.iommu_dev names. A non-coherent walk DMA-maps its tables:
 * a KUnit device with a 64-bit mask (v6.8+), or before kunit_device_register()
 * a root device given one, released by KUnit after the case (a resource, as
 * 6.1's KUnit has them). A coherent walk needs only a NUMA node.
 */
static bool stack_device(const struct gen *g)
{
	return !g->tree->has_kunit_device && g->prog->cfg.coherent_walk;
}

static bool root_device(const struct gen *g)
{
	return !g->tree->has_kunit_device && !g->prog->cfg.coherent_walk;
}

static void put_root_device(struct gen *g)
{
	if (!root_device(g))
		return;
	out(g, "/* A device that can DMA-map: this tree has no kunit_device_register(). */\n");
	out(g, "static int repro_dev_init(struct kunit_resource *res, void *context)\n{\n");
	out(g, "\tstruct device *dev = root_device_register(\"iopt-repro\");\n\n");
	out(g, "\tif (IS_ERR(dev))\n\t\treturn PTR_ERR(dev);\n");
	out(g, "\tdev->coherent_dma_mask = DMA_BIT_MASK(64);\n");
	out(g, "\tdev->dma_mask = &dev->coherent_dma_mask;\n");
	out(g, "\tres->data = dev;\n\treturn 0;\n}\n\n");
	out(g, "static void repro_dev_free(struct kunit_resource *res)\n{\n");
	out(g, "\troot_device_unregister(res->data);\n}\n\n");
}

static void put_device(struct gen *g)
{
	if (g->tree->has_kunit_device) {
		out(g, "\tcfg.iommu_dev = kunit_device_register(test, \"iopt-repro\");\n");
		out(g, "\tKUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg.iommu_dev);\n");
		if (!g->prog->cfg.coherent_walk)
			out(g, "\tKUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(cfg.iommu_dev, DMA_BIT_MASK(64)), 0);\n");
	} else if (root_device(g)) {
		out(g, "\tcfg.iommu_dev = kunit_alloc_resource(test, repro_dev_init, repro_dev_free,\n\t\t\t\t\t     GFP_KERNEL, NULL);\n");
		out(g, "\tKUNIT_ASSERT_NOT_NULL(test, cfg.iommu_dev);\n");
	} else {
		out(g, "\tset_dev_node(&dev, NUMA_NO_NODE);\n\tcfg.iommu_dev = &dev;\n");
	}
}

static void put_includes(struct gen *g)
{
	out(g, "#include <kunit/test.h>\n");
	if (g->tree->has_kunit_device)
		out(g, "#include <kunit/device.h>\n");
	if (root_device(g))
		out(g, "#include <linux/device.h>\n");
	if (!g->prog->cfg.coherent_walk)
		out(g, "#include <linux/dma-mapping.h>\n");
	if (g->custom)
		out(g, "#include <linux/gfp.h>\n#include <linux/mm.h>\n");
	out(g, "#include <linux/io-pgtable.h>\n#include <linux/iommu.h>\n#include <linux/sizes.h>\n\n");
}

static void put_custom_alloc(struct gen *g)
{
	if (!g->custom)
		return;
	out(g, "/* cfg->alloc: memory aligned to the size asked for exactly, and no more. */\n");
	out(g, "#define REPRO_ALLOCS\t256\n\n");
	out(g, "static struct kunit *repro_test;\n\n");
	out(g, "static struct {\n\tvoid *va;\n\tstruct page *page;\n\tunsigned int order;\n\tsize_t size;\n} repro_allocs[REPRO_ALLOCS];\n\n");
	out(g, "static void *repro_alloc(void *cookie, size_t size, gfp_t gfp)\n{\n");
	out(g, "\tsize_t align = 1;\n\tstruct page *page;\n\tunsigned int i;\n\n");
	out(g, "\twhile (align < size)\n\t\talign <<= 1;\n");
	out(g, "\tfor (i = 0; i < REPRO_ALLOCS && repro_allocs[i].va; i++)\n\t\t;\n");
	out(g, "\tif (i == REPRO_ALLOCS)\n\t\treturn NULL;\n");
	out(g, "\tpage = alloc_pages_node(NUMA_NO_NODE, gfp | __GFP_ZERO,\n\t\t\t\tget_order(2 * align));\n");
	out(g, "\tif (!page)\n\t\treturn NULL;\n");
	out(g, "\trepro_allocs[i].page = page;\n\trepro_allocs[i].order = get_order(2 * align);\n\trepro_allocs[i].size = size;\n");
	out(g, "\trepro_allocs[i].va = page_address(page) + align;\n\treturn repro_allocs[i].va;\n}\n\n");
	out(g, "static void repro_free(void *cookie, void *pages, size_t size)\n{\n\tunsigned int i;\n\n");
	out(g, "\tfor (i = 0; i < REPRO_ALLOCS; i++) {\n\t\tif (repro_allocs[i].va != pages)\n\t\t\tcontinue;\n");
	out(g, "\t\tKUNIT_EXPECT_EQ_MSG(repro_test, size, repro_allocs[i].size,\n\t\t\t\t    \"cfg->free is given another size than cfg->alloc was asked for\");\n");
	out(g, "\t\t__free_pages(repro_allocs[i].page, repro_allocs[i].order);\n\t\trepro_allocs[i].va = NULL;\n\t\treturn;\n\t}\n");
	out(g, "\tKUNIT_FAIL(repro_test, \"cfg->free(%%p): not an allocation of cfg->alloc\", pages);\n}\n\n");
}

/* A review's case: the base's page allocations, pinned after each op. */
static void put_pin_helper(struct gen *g)
{
	if (!(g->rep->base_checks & IOPT_KUNIT_PIN_ALLOCS))
		return;
	out(g, "#ifdef IOPT_KUNIT_SHIM\n/*\n * The base tree's page allocations since alloc_io_pgtable_ops(): how\n * many, the bytes asked for, and the same of the frees.\n */\n");
	out(g, "static void repro_expect_pages(struct kunit *test, unsigned long allocs,\n\t\t\t       unsigned long long bytes, unsigned long frees,\n\t\t\t       unsigned long long freed)\n{\n");
	out(g, "\tstruct iopt_kunit_pages p = iopt_kunit_pages();\n\n");
	out(g, "\tKUNIT_EXPECT_EQ(test, p.allocs, allocs);\n\tKUNIT_EXPECT_EQ(test, p.alloc_bytes, bytes);\n");
	out(g, "\tKUNIT_EXPECT_EQ(test, p.frees, frees);\n\tKUNIT_EXPECT_EQ(test, p.free_bytes, freed);\n}\n#endif\n\n");
}

static void put_pin(struct gen *g, const struct op_rec *r)
{
	const struct iopt_page_totals *t = &r->pages;

	if (!(g->rep->base_checks & IOPT_KUNIT_PIN_ALLOCS) || !r->v.ran)
		return;
	out(g, "#ifdef IOPT_KUNIT_SHIM\n\trepro_expect_pages(test, %lu, 0x%llx, %lu, 0x%llx);\n#endif\n",
	    t->allocs, (unsigned long long)t->alloc_bytes, t->frees,
	    (unsigned long long)t->free_bytes);
}

static void put_cfg(struct gen *g)
{
	const struct iopt_model_cfg *c = &g->prog->cfg;

	out(g, "\tstruct io_pgtable_cfg cfg = {\n\t\t.pgsize_bitmap\t= ");
	put_bitmap(g, c->pgsize_bitmap);
	out(g, ",\n\t\t.ias\t\t= %u,\n\t\t.oas\t\t= %u,\n\t\t.quirks\t\t= ", c->ias, c->oas);
	put_quirks(g, c->quirks);
	out(g, ",\n\t\t.coherent_walk\t= %s,\n\t\t.tlb\t\t= &repro_tlb_ops,\n",
	    c->coherent_walk ? "true" : "false");
	if (g->custom)
		out(g, "\t\t.alloc\t\t= repro_alloc,\n\t\t.free\t\t= repro_free,\n");
	out(g, "\t};\n");
}

static bool uses(const struct gen *g, int kind, bool gather)
{
	for (unsigned int i = 0; i < g->nrec; i++)
		if (g->rec[i].v.kind == kind && g->rec[i].v.ran &&
		    (!gather || (g->rec[i].op.flags & IOPT_OPF_GATHER)))
			return true;
	return false;
}

/* What alloc_io_pgtable_ops keeps of cfg's page sizes and address sizes. */
static void put_kept(struct gen *g, const char *indent)
{
	out(g, "%s/* the page sizes and the address sizes it keeps */\n", indent);
	out(g, "%sKUNIT_EXPECT_EQ(test, cfg.pgsize_bitmap, 0x%lxUL);\n", indent,
	    g->geom.pgsize_bitmap);
	out(g, "%sKUNIT_EXPECT_EQ(test, cfg.ias, %uU);\n", indent, g->geom.ias);
	out(g, "%sKUNIT_EXPECT_EQ(test, cfg.oas, %uU);\n", indent, g->geom.oas);
}

static void put_alloc(struct gen *g, const char *indent)
{
	unsigned int pgd = g->geom.pgd_entries * 8;

	out(g, "%sops = alloc_io_pgtable_ops(%s, &cfg, &cfg);\n", indent,
	    fmt_names[g->prog->cfg.fmt]);
	if (g->geom.rejected) {
		out(g, "%sKUNIT_EXPECT_NULL(test, ops);\n", indent);
		return;
	}
	if (cfg_refusal_expected(g)) {
		out(g, "%s/* VTCR.SL0: no level can start this walk with a %u-bit output size (AArch64.S2InvalidSL): the configuration is one to refuse */\n",
		    indent, g->geom.oas);
		out(g, "%sKUNIT_EXPECT_NULL(test, ops);\n", indent);
		return;
	}
	out(g, "%sKUNIT_ASSERT_NOT_NULL(test, ops);\n", indent);
	if (g->ck == CK_ALLOC)
		put_kept(g, indent);
	if (g->ck == CK_CONFIG)
		put_cfg_expect(g, indent);
	if (g->ck == CK_TABLES)
		out(g, "%s/* the walker needs the top table aligned to its size, and to 64 bytes */\n%sKUNIT_EXPECT_EQ(test, %s & 0x%xULL, 0ULL);\n",
		    indent, indent, ttbr_expr(g->prog->cfg.fmt),
		    (pgd > 64 ? pgd : 64) - 1);
}

static void put_probes(struct gen *g, const struct op_rec *r)
{
	for (unsigned int i = 0; i < r->nprobe; i++)
		out(g, "\tKUNIT_EXPECT_EQ(test, ops->iova_to_phys(ops, 0x%llx), (phys_addr_t)0x%llx);\n",
		    (unsigned long long)r->probe[i], (unsigned long long)r->want[i]);
}

static void put_walk_expect(struct gen *g, uint64_t iova, int level, uint64_t pte)
{
	out(g, "\tmemset(&walk, 0, sizeof(walk));\n");
	out(g, "\tops->pgtable_walk(ops, 0x%llx, &walk);\n", (unsigned long long)iova);
	out(g, "\tKUNIT_EXPECT_EQ(test, walk.ptes[%d], (u64)0x%016llxULL);\n", level,
	    (unsigned long long)pte);
}

static void put_leaves(struct gen *g, const struct op_rec *r)
{
	if (!r->nleaf)
		return;
	out(g, "\t/* the leaf descriptors the contract documents for this prot and format */\n");
	for (unsigned int i = 0; i < r->nleaf; i++)
		put_walk_expect(g, r->leaf_iova[i], r->leaf_level, r->leaf_pte[i]);
}

static void put_map(struct gen *g, const struct op_rec *r)
{
	out(g, "\tmapped = 0;\n\tKUNIT_EXPECT_EQ(test, ops->map_pages(ops, 0x%llx, 0x%llx, ",
	    (unsigned long long)r->v.iova, (unsigned long long)r->v.pa);
	put_size(g, r->v.pgsize);
	out(g, ", %zu,\n\t\t\t\t\t       ", r->v.count);
	put_prot(g, r->v.prot);
	out(g, r->op.atomic ? ", GFP_ATOMIC, &mapped), " : ", GFP_KERNEL, &mapped), ");
	put_ret(g, r->v.ret);
	out(g, ");\n\tKUNIT_EXPECT_EQ(test, mapped, (size_t)0x%zx);\n", r->v.mapped);
	put_probes(g, r);
	put_leaves(g, r);
}

static void put_unmap(struct gen *g, const struct op_rec *r)
{
	bool gather = r->op.flags & IOPT_OPF_GATHER;
	bool queued = gather && (r->op.flags & IOPT_OPF_QUEUED);

	if (gather)
		out(g, "\tiommu_iotlb_gather_init(&gather);\n");
	if (queued)
		out(g, "\tgather.queued = true;\t/* a flush queue: the driver flushes all later */\n");
	if (g->tlb_rec)
		out(g, "\trepro_tlb.n = 0;\n");
	out(g, "\tKUNIT_EXPECT_EQ(test, ops->unmap_pages(ops, 0x%llx, ",
	    (unsigned long long)r->v.iova);
	put_size(g, r->v.pgsize);
	out(g, ", %zu, %s), ", r->v.count, gather ? "&gather" : "NULL");
	if (r->v.ret < 0)
		out(g, "(size_t)%s);\n", errno_name(r->v.ret) ? errno_name(r->v.ret) : "-1");
	else
		out(g, "(size_t)0x%lx);\n", r->v.ret);
	put_unmap_tlb(g, r);
	put_probes(g, r);
}

static void put_dirty(struct gen *g, const struct op_rec *r)
{
	out(g, "\tKUNIT_EXPECT_EQ(test, ops->read_and_clear_dirty(ops, 0x%llx, 0x%llx, %s, &dirty), ",
	    (unsigned long long)r->v.iova,
	    (unsigned long long)(r->v.pgsize * (uint64_t)r->v.count),
	    r->op.flags & IOPT_OPF_NO_CLEAR ? "IOMMU_DIRTY_NO_CLEAR" : "0");
	put_ret(g, r->v.ret);
	out(g, ");\t/* the dirty ranges are not recorded here */\n");
}

static void put_fault(struct gen *g, const struct op_rec *r)
{
	static const char *const kinds[] = {
		"the page allocator fails", "dma_map_single() fails",
		"the DMA address is not the physical one",
	};
	char ord[16], text[256];
	int kind = g->prog->cfg.coherent_walk ? 0 : r->op.flags;

	snprintf(text, sizeof(text), "iopt-fuzz's shim only: the %s table allocation from here fails (%s). Without it, as upstream, the results below differ.",
		 ordinal(r->op.count, ord, sizeof(ord)), kinds[kind]);
	out(g, "\t/*\n");
	put_lines(g, "\t * ", text);
	out(g, "\t */\n");
	out(g, "#ifdef IOPT_KUNIT_SHIM\n\tiopt_kunit_fail_alloc(test, %d, %u);\n#endif\n",
	    kind, r->op.count);
}

static void put_op(struct gen *g, unsigned int i)
{
	const struct op_rec *r = &g->rec[i];
	char what[200];

	op_phrase(g, i, what, sizeof(what));
	if (r->v.kind == IOPT_OP_ACCESS) {
		out(g, "\n\t/*\n\t * #%u: the device %s iova 0x%llx through the IOMMU, whose TLB\n\t * then holds it: not expressible here%s\n\t */\n",
		    r->v.index, r->op.flags & IOPT_OPF_WRITE ? "writes" : "reads",
		    (unsigned long long)r->v.iova,
		    (int)i == g->failed_at ? " (where it goes wrong)" : "");
		return;
	}
	out(g, "\n\t/* #%u: %s%s */\n", r->v.index, what,
	    (int)i == g->failed_at ? ": where it goes wrong" : "");
	if (r->v.skipped) {
		out(g, "\t/* not run: it breaks a precondition the IOMMU core guarantees */\n");
		return;
	}
	switch (r->v.kind) {
	case IOPT_OP_MAP:
		put_map(g, r);
		break;
	case IOPT_OP_UNMAP:
		put_unmap(g, r);
		break;
	case IOPT_OP_IOVA_TO_PHYS:
		out(g, "\tKUNIT_EXPECT_EQ(test, ops->iova_to_phys(ops, 0x%llx), (phys_addr_t)0x%lx);\n",
		    (unsigned long long)r->v.iova, r->v.ret);
		break;
	case IOPT_OP_DIRTY:
		put_dirty(g, r);
		break;
	case IOPT_OP_RECREATE:
		out(g, "\tfree_io_pgtable_ops(ops);\n");
		put_alloc(g, "\t");
		break;
	case IOPT_OP_WALK:	/* run only on trees that have it (contract) */
		put_walk(g, r);
		break;
	default:
		put_fault(g, r);
		break;
	}
	if (r->fail_probe)
		out(g, "\tKUNIT_EXPECT_EQ(test, ops->iova_to_phys(ops, 0x%llx), (phys_addr_t)0x%llx);\n",
		    (unsigned long long)r->fail_iova, (unsigned long long)r->fail_want);
	if (r->fail_leaf) {
		out(g, "\t/* the descriptor the contract documents where iopt-fuzz saw another */\n");
		put_walk_expect(g, r->fail_leaf_iova, r->fail_leaf_level, r->fail_leaf_pte);
	}
	put_pin(g, r);
}

static void case_name(const struct gen *g, char *buf, size_t n)
{
	const char *s = g->rep->signature;
	size_t k;

	snprintf(buf, n, "iopt_repro_");
	if (!strncmp(s, "iopt: ", 6))
		s += 6;
	k = strlen(buf);
	for (; *s && k + 1 < n; s++)
		buf[k++] = isalnum((unsigned char)*s) ? *s : '_';
	buf[k] = 0;
}

static void put_case(struct gen *g, const char *name)
{
	unsigned int allocs = 1;
	bool walk = false;

	out(g, "static void %s(struct kunit *test)\n{\n", name);
	put_cfg(g);
	out(g, "\tstruct io_pgtable_ops *ops;\n");
	if (uses(g, IOPT_OP_MAP, false))
		out(g, "\tsize_t mapped;\n");
	if (uses(g, IOPT_OP_UNMAP, true))
		out(g, "\tstruct iommu_iotlb_gather gather;\n");
	if (uses(g, IOPT_OP_DIRTY, false))
		out(g, "\tstruct iommu_dirty_bitmap dirty = {};\n");
	for (unsigned int i = 0; i < g->nrec; i++) {
		allocs += g->rec[i].v.kind == IOPT_OP_RECREATE;
		walk |= g->rec[i].nleaf || g->rec[i].fail_leaf;
	}
	if (walk)
		out(g, "\tstruct arm_lpae_io_pgtable_walk_data walk;\n");
	if (stack_device(g))
		out(g, "\tstruct device dev = {};\n");
	out(g, "\n");
	put_device(g);
	if (g->custom)
		out(g, "\trepro_test = test;\n");
	g->warns += g->geom.warn * allocs;
	if (g->warns)
		out(g, "#ifdef IOPT_KUNIT_SHIM\n\t/* the WARNs the contract predicts of these ops */\n\tiopt_kunit_expect_warns(test, %u);\n#endif\n",
		    g->warns);
	put_alloc(g, "\t");
	if (g->geom.rejected || cfg_refusal_expected(g)) {
		out(g, "\tif (ops)\n\t\tfree_io_pgtable_ops(ops);\n}\n\n");
		return;
	}
	for (unsigned int i = 0; i < g->nrec; i++)
		put_op(g, i);
	out(g, "\n\tfree_io_pgtable_ops(ops);\n}\n\n");
}

static void put_suite(struct gen *g, const char *name)
{
	out(g, "static struct kunit_case io_pgtable_arm_repro_cases[] = {\n\tKUNIT_CASE(%s),\n\t{}\n};\n\n", name);
	out(g, "static struct kunit_suite io_pgtable_arm_repro = {\n\t.name = \"io-pgtable-arm-iopt-repro\",\n\t.test_cases = io_pgtable_arm_repro_cases,\n};\n\n");
	out(g, "kunit_test_suite(io_pgtable_arm_repro);\n\n");
	out(g, "MODULE_DESCRIPTION(\"io-pgtable-arm: a reproducer from iopt-fuzz\");\nMODULE_LICENSE(\"GPL\");\n");
}

/* ---- the whole ----------------------------------------------------------------- */

static void classify(struct gen *g)
{
	const char *sig = g->rep->signature, *leaf;
	unsigned long long iova = 0;

	g->ck = CK_OTHER;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (!strcmp(checks[i].check, g->rep->check))
			g->ck = checks[i].ck;
	g->between = !*g->rep->side;
	g->known = known_of_signature(sig);
	g->want_fail_probe = g->ck == CK_TRANSLATION &&
		sscanf(g->rep->what, "%*s translates iova 0x%llx", &iova) == 1;
	g->fail_iova = iova;
	/* "...: leaf differs (...): model pte ... (...), tables: L3 iova 0x40000 -> ..." */
	leaf = strstr(g->rep->what, "leaf differs") ?
	       strstr(g->rep->what, "), tables: L") : NULL;
	g->want_fail_leaf = g->ck == CK_TABLES && g->tree->has_pgtable_walk && leaf &&
		sscanf(leaf, "), tables: L%d iova 0x%llx", &g->fail_leaf_level, &iova) == 2;
	g->fail_leaf_iova = iova;
}

/*
 * A planted bug's program run without it: the known upstream bug it still
 * meets on this tree, if any (its case fails there without the plant too).
 */
static const struct known_bug *unplanted_known(const struct iopt_run_opts *opts,
					       const uint8_t *buf, long n)
{
	struct iopt_run_opts o = *opts;

	iopt_plant_clear(&o);
	o.observe = NULL;
	o.observe_before = NULL;
	if (iopt_run(buf, n, &o) != IOPT_KNOWN)
		return NULL;
	return known_of_signature(iopt_run_stats()->last_signature);
}

int iopt_kunit_generate(FILE *f, const struct iopt_prog *prog,
			const struct iopt_run_opts *opts,
			const struct iopt_kunit_report *rep)
{
	static struct gen g;
	struct iopt_run_opts o = *opts;
	static uint8_t buf[IOPT_ENCODE_MAX];
	static FILE *quiet;
	char name[96];
	long n;

	memset(&g, 0, sizeof(g));
	g.f = f;
	g.prog = prog;
	g.rep = rep;
	g.tree = iopt_run_ports[0]->tree;
	g.failed_at = -1;
	classify(&g);
	iopt_model_geometry(&prog->cfg, &g.geom);
	g.custom = prog->alloc_mode == IOPT_ALLOC_CUSTOM && g.tree->has_cfg_alloc;
	g.tlb_rec = g.ck == CK_TLB || (rep->base_checks & IOPT_KUNIT_CHECK_TLB);
	if (!quiet)
		quiet = fopen("/dev/null", "w");
	o.verbose = false;
	o.abort_on_report = false;
	o.force_fmt = 0;
	o.out = quiet;
	o.observe = on_op;
	o.observe_before = on_before;
	o.observe_ctx = &g;
	n = iopt_encode(prog, buf);
	if (n < 0)
		return -1;
	if (rep->plant && *rep->plant && !rep->base_checks)
		g.unplanted_known = unplanted_known(&o, buf, n);
	/* the case fails where the run does, or (pinned) runs clean */
	if (rep->base_checks ? iopt_run(buf, n, &o) != IOPT_CLEAN :
	    iopt_run(buf, n, &o) == IOPT_CLEAN ||
	    strcmp(iopt_run_stats()->last_signature, rep->signature))
		return -1;
	case_name(&g, name, sizeof(name));
	put_header(&g);
	put_includes(&g);
	put_tlb_ops(&g);
	put_root_device(&g);
	put_custom_alloc(&g);
	put_pin_helper(&g);
	put_case(&g, name);
	put_suite(&g, name);
	return 0;
}

