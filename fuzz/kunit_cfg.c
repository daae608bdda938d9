// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the tree's API reports of its tables, in the KUnit reproducer
 * (kunit_gen.c): of a `config` report, the configuration; of a `walk`
 * report, each pgtable_walk's descriptors.
 *
 * A `config` report's case: after each
 * alloc_io_pgtable_ops(), the fields it writes back into io_pgtable_cfg
 * as the model predicts them (oracle/model_cfg.c), each compared where the
 * configured tree holds it (struct iopt_tree's cfg_fields: the text
 * iopt_kernel_cfg_regs() reads, iopt/kernel_cfg.h).
 *
 *   TTBR / VTTBR   aligned to the top table (its size, 64 bytes at least)
 *   TRANSTAB       its flags in bits 11:0, the rest the 4K-aligned address
 *   MAIR           the attributes of indices 0-3, the ones descriptors select
 *   MEMATTR        all of it
 *   TCR / VTCR     T0SZ, SL0, TG, SH, IRGN, ORGN, (I)PS: equal
 *
 * Where the model's registers break an architectural rule, as the tree's
 * do (the known bug s2-start-level-pa-size: the model predicts the tree's
 * geometry), the field the rule names is expected as the architecture
 * allows it: SL0 at the first start level the output size permits.
 */
#include <string.h>

#include "kunit_gen_internal.h"
#include "model_cfg.h"
#include "run.h"		/* WALK_UNTOUCHED */

static const char *const rgn_names[] = {
	"Non-cacheable", "Write-Back Write-Allocate", "Write-Through",
	"Write-Back no Write-Allocate",
};

static const char *const sh_names[] = {
	"Non-shareable", "reserved", "Outer Shareable", "Inner Shareable",
};

static bool fmt_s2(enum iopt_fmt fmt)
{
	return fmt == IOPT_FMT_ARM_64_S2 || fmt == IOPT_FMT_ARM_32_S2;
}

static const unsigned int ps_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

/* One TCR/VTCR field: (u32) as the tree's are bitfields, which typeof refuses. */
static void put_field(struct gen *g, const char *indent, const char *expr,
		      unsigned int want, const char *what)
{
	out(g, "%s/* %s */\n", indent, what);
	out(g, "%sKUNIT_EXPECT_EQ(test, (u32)cfg.%s, %uU);\n", indent, expr, want);
}

static void put_ttbr(struct gen *g, const char *indent, const char *expr,
		     const struct iopt_cfg_regs *want)
{
	uint64_t bytes = (uint64_t)g->geom.pgd_entries * 8;

	if (g->prog->cfg.fmt == IOPT_FMT_MALI) {
		out(g, "%s/* TRANSTAB: flags 0x%llx in bits 4:0 (ADRMODE 3: a table walk; READ_INNER%s), the 4K-aligned top table's address in bits 63:12 */\n",
		    indent, (unsigned long long)want->ttbr,
		    want->ttbr & 0x10 ? ", SHARE_OUTER" : "");
		out(g, "%sKUNIT_EXPECT_EQ(test, cfg.%s & 0xfffULL, 0x%llxULL);\n",
		    indent, expr, (unsigned long long)want->ttbr);
		return;
	}
	if (bytes < 64)
		bytes = 64;
	out(g, "%s/* %s: the top table's address, aligned to its size (%llu bytes, 64 at least) */\n",
	    indent, fmt_s2(g->prog->cfg.fmt) ? "VTTBR" : "TTBR",
	    (unsigned long long)bytes);
	out(g, "%sKUNIT_EXPECT_EQ(test, cfg.%s & 0x%llxULL, 0ULL);\n", indent,
	    expr, (unsigned long long)(bytes - 1));
}

static void put_mair(struct gen *g, const char *indent, const char *expr,
		     const struct iopt_cfg_regs *want)
{
	if (g->prog->cfg.fmt == IOPT_FMT_MALI) {
		out(g, "%s/* MEMATTR: the attributes of the descriptors' indices (implementation defined, write-allocate) */\n",
		    indent);
		out(g, "%sKUNIT_EXPECT_EQ(test, cfg.%s, 0x%llxULL);\n", indent,
		    expr, (unsigned long long)want->mair);
		return;
	}
	out(g, "%s/* MAIR: attributes 0-3, the ones descriptors select (Normal NC, Normal WB, Device-nGnRE, inner NC outer WB) */\n",
	    indent);
	out(g, "%sKUNIT_EXPECT_EQ(test, cfg.%s & 0xffffffffULL, 0x%llxULL);\n",
	    indent, expr, (unsigned long long)want->mair);
}

/* SL0 as the model predicts it, or as the architecture allows it */
/*
 * The architecture's start level for the model's S2 configuration when
 * the model's own breaks AArch64.S2InvalidSL (rule "sl0-pa-size"): a
 * level, -1 where none can start the walk, or -2 where the model's is
 * allowed.
 */
static int arch_sl(const struct gen *g, const struct iopt_cfg_regs *want)
{
	struct iopt_cfg_regs r = *want;
	struct iopt_cfg_walk w;
	const char *rule;
	char why[160];

	r.ttbr = 0;	/* (the address is the tree's) */
	rule = iopt_cfg_regs_rule(g->prog->cfg.fmt, false, &r, &w, why, sizeof(why));
	if (!rule || strcmp(rule, "sl0-pa-size"))
		return -2;
	return iopt_cfg_s2_arch_sl(&g->geom);
}

bool cfg_refusal_expected(const struct gen *g)
{
	struct iopt_cfg_regs want;

	if (g->ck != CK_CONFIG || !fmt_s2(g->prog->cfg.fmt))
		return false;
	iopt_model_cfg_regs(&g->prog->cfg, &g->geom, &want);
	return arch_sl(g, &want) == -1;
}

static void put_sl(struct gen *g, const char *indent, const char *expr,
		   const struct iopt_cfg_regs *want)
{
	const struct iopt_model_geom *geom = &g->geom;
	unsigned int base = geom->granule_shift == 12 ? 2 : 3;
	char what[200];
	int sl = arch_sl(g, want);

	if (sl < 0) {	/* -1: put_alloc() expects the refusal instead */
		snprintf(what, sizeof(what), "VTCR.SL0: the walk starts at level %d",
			 geom->start_level);
		put_field(g, indent, expr, want->sl, what);
		return;
	}
	snprintf(what, sizeof(what),
		 "VTCR.SL0: level %d needs a larger output size than %u bits (AArch64.S2InvalidSL): the walk starts at level %u, its tables concatenated",
		 geom->start_level, geom->oas, base - (unsigned int)sl);
	put_field(g, indent, expr, (unsigned int)sl, what);
}

void put_cfg_expect(struct gen *g, const char *indent)
{
	enum iopt_fmt fmt = g->prog->cfg.fmt;
	const char *const *expr = g->tree->cfg_fields[fmt].expr;
	bool s2 = fmt_s2(fmt);
	const char *tcr = s2 ? "VTCR" : "TCR";
	bool tg1 = !s2 && (g->prog->cfg.quirks & IOPT_Q_ARM_TTBR1);
	struct iopt_cfg_regs want;
	char what[160];

	iopt_model_cfg_regs(&g->prog->cfg, &g->geom, &want);
	out(g, "%s/* what alloc_io_pgtable_ops() wrote back for the IOMMU driver to program */\n",
	    indent);
	if (expr[IOPT_CF_TTBR])
		put_ttbr(g, indent, expr[IOPT_CF_TTBR], &want);
	if (expr[IOPT_CF_MAIR])
		put_mair(g, indent, expr[IOPT_CF_MAIR], &want);
	if (expr[IOPT_CF_TSZ]) {
		snprintf(what, sizeof(what), "%s.T0SZ: 64 - ias, a %u-bit input size",
			 tcr, 64 - want.tsz);
		put_field(g, indent, expr[IOPT_CF_TSZ], want.tsz, what);
	}
	if (expr[IOPT_CF_SL])
		put_sl(g, indent, expr[IOPT_CF_SL], &want);
	if (expr[IOPT_CF_TG]) {
		snprintf(what, sizeof(what), "%s.%s: the %uK granule", tcr,
			 tg1 ? "TG1" : "TG0", 1u << (g->geom.granule_shift - 10));
		put_field(g, indent, expr[IOPT_CF_TG], want.tg, what);
	}
	if (expr[IOPT_CF_SH]) {
		snprintf(what, sizeof(what), "%s.SH0: the table walk is %s", tcr,
			 sh_names[want.sh & 3]);
		put_field(g, indent, expr[IOPT_CF_SH], want.sh, what);
	}
	if (expr[IOPT_CF_IRGN]) {
		snprintf(what, sizeof(what), "%s.IRGN0: the walk's inner cacheability, %s",
			 tcr, rgn_names[want.irgn & 3]);
		put_field(g, indent, expr[IOPT_CF_IRGN], want.irgn, what);
	}
	if (expr[IOPT_CF_ORGN]) {
		snprintf(what, sizeof(what), "%s.ORGN0: the walk's outer cacheability, %s",
			 tcr, rgn_names[want.orgn & 3]);
		put_field(g, indent, expr[IOPT_CF_ORGN], want.orgn, what);
	}
	if (expr[IOPT_CF_PS]) {
		snprintf(what, sizeof(what), "%s.%s: a %u-bit output size", tcr,
			 s2 ? "PS" : "IPS",
			 want.ps < 7 ? ps_bits[want.ps] : 0);
		put_field(g, indent, expr[IOPT_CF_PS], want.ps, what);
	}
}

/*
 * pgtable_walk: its result and, of a walk report, the descriptor at each
 * level as the model predicts it: none above the start level or below the
 * level the walk ends at (the slots keep the case's fill, as the
 * executor's keep WALK_UNTOUCHED), a table
 * descriptor on the way (its address is the tree's), and where it ends
 * the contract's leaf descriptor, or 0 (an empty entry).
 */
void put_walk(struct gen *g, const struct op_rec *r)
{
	const struct iopt_model_walk *w = &r->walk;
	int start = g->geom.start_level;

	out(g, "\t{\n\t\tstruct arm_lpae_io_pgtable_walk_data wd = {};\n\n");
	if (!r->walk_rec) {
		out(g, "\t\tKUNIT_EXPECT_EQ(test, ops->pgtable_walk(ops, 0x%llx, &wd), %ld);\n\t}\n",
		    (unsigned long long)r->v.iova, r->v.ret);
		return;
	}
	out(g, "\t\t/* a level the walk does not reach keeps what was there */\n");
	out(g, "\t\tmemset(&wd, 0x%02x, sizeof(wd));\n", (unsigned int)(WALK_UNTOUCHED & 0xff));
	out(g, "\t\tKUNIT_EXPECT_EQ(test, ops->pgtable_walk(ops, 0x%llx, &wd), %ld);\n",
	    (unsigned long long)r->v.iova, r->v.ret);
	out(g, "\t\t/* the descriptor met at each level, from level %d to level %d */\n",
	    start, w->last);
	for (int l = 0; l < 4; l++) {
		if (l < start || l > w->last)
			out(g, "\t\tKUNIT_EXPECT_EQ(test, wd.ptes[%d], (u64)0x%016llxULL);\t/* level %d: not walked */\n",
			    l, (unsigned long long)WALK_UNTOUCHED, l);
		else if (l < w->last)
			out(g, "\t\tKUNIT_EXPECT_EQ(test, wd.ptes[%d] & 3ULL, 3ULL);\t/* level %d: a table descriptor */\n",
			    l, l);
		else if (w->leaf)
			out(g, "\t\t/* level %d: the leaf descriptor the contract documents for this prot and format */\n\t\tKUNIT_EXPECT_EQ(test, wd.ptes[%d], (u64)0x%016llxULL);\n",
			    l, l, (unsigned long long)w->pte);
		else
			out(g, "\t\tKUNIT_EXPECT_EQ(test, wd.ptes[%d], (u64)0);\t/* level %d: the empty entry the walk ends at */\n",
			    l, l);
	}
	out(g, "\t}\n");
}
