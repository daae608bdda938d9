// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reference model (model.h), what the kernel builds: the geometry
 * alloc_io_pgtable_ops() gives a configuration (or its refusal), and the
 * descriptor it writes for a leaf of each prot and format, as documented,
 * for the contract generation the configuration names.
 */
#include <string.h>

#include "model_internal.h"

/* ---- Geometry: alloc_io_pgtable_ops ---- */

static unsigned int accepted_quirks(const struct iopt_contract *k, enum iopt_fmt fmt)
{
	unsigned int q = k->quirk_no_warn ? IOPT_Q_NO_WARN : 0;

	if (is_s1(fmt))
		return q | IOPT_Q_ARM_NS | IOPT_Q_ARM_TTBR1 |
		       IOPT_Q_ARM_OUTER_WBWA | (k->quirk_hd ? IOPT_Q_ARM_HD : 0);
	if (is_s2(fmt))
		return q | (k->quirk_s2fwb ? IOPT_Q_ARM_S2FWB : 0);
	return 0;	/* Mali takes none */
}

/* The limits the 32-bit and Mali formats check on the requested sizes. */
static bool fmt_limits_ok(const struct iopt_model_cfg *c)
{
	switch (c->fmt) {
	case IOPT_FMT_ARM_32_S1:
		return c->ias <= 32 && c->oas <= 40;
	case IOPT_FMT_ARM_32_S2:
		return c->ias <= 40 && c->oas <= 40;
	case IOPT_FMT_MALI:
		return c->ias <= 48 && c->oas <= 40;
	default:
		return true;
	}
}

/*
 * The granule is PAGE_SIZE if offered, else the largest offered size below
 * it, else the smallest above; the page sizes are cut to that granule's,
 * and ias/oas clamped to what it can address.
 */
static void restrict_pgsizes(const struct iopt_model_cfg *c, unsigned long bitmap,
			     struct iopt_model_geom *g)
{
	unsigned long page = 1ul << c->page_shift, gran = 0, sizes = 0;
	unsigned int max_bits = 48;

	if (bitmap & page)
		gran = page;
	else if (bitmap & (page - 1))
		gran = 1ul << (63 - __builtin_clzl(bitmap & (page - 1)));
	else if (bitmap)
		gran = bitmap & -bitmap;

	if (gran == SZ_4K) {
		sizes = SZ_4K | SZ_2M | SZ_1G;
	} else if (gran == SZ_16K) {
		sizes = SZ_16K | SZ_32M;
	} else if (gran == SZ_64K) {
		sizes = SZ_64K | SZ_512M | (c->oas > 48 ? SZ_4T : 0);
		max_bits = 52;
	}
	g->pgsize_bitmap = bitmap & sizes;
	g->ias = c->ias < max_bits ? c->ias : max_bits;
	g->oas = c->oas < max_bits ? c->oas : max_bits;
}

unsigned int iopt_cont_entries(unsigned int granule_shift, int lvl)
{
	if (lvl < 2 || lvl > 3)
		return 1;
	if (granule_shift == 14)
		return lvl == 3 ? 128 : 32;
	return granule_shift == 16 ? 32 : 16;
}

/* A granule's contiguous sizes: a group at level 3, and one at level 2. */
static unsigned long cont_sizes(unsigned int gs)
{
	unsigned int bpl = gs - 3;

	return ((unsigned long)iopt_cont_entries(gs, 3) << gs) |
	       ((unsigned long)iopt_cont_entries(gs, 2) << (gs + bpl));
}

int iopt_geom_leaf_level(const struct iopt_model_geom *g, size_t pgsize, unsigned int *per)
{
	unsigned int gs = g->granule_shift, bits = gs - 3;
	int shift = pgsize ? __builtin_ctzll(pgsize) : 0, lvl;

	*per = 1;
	if (!pgsize || (pgsize & (pgsize - 1)) || shift < (int)gs)
		return -1;
	if (!((shift - gs) % bits))
		return 3 - (int)((shift - gs) / bits);
	if (!(pgsize & g->pgsize_bitmap))
		return -1;
	for (lvl = 3; lvl >= 2; lvl--) {
		if ((size_t)iopt_cont_entries(gs, lvl) << (gs + (3 - lvl) * bits) == pgsize) {
			*per = iopt_cont_entries(gs, lvl);
			return lvl;
		}
	}
	return -1;
}

static bool oas_encodable(unsigned int oas)
{
	return oas == 32 || oas == 36 || oas == 40 || oas == 42 ||
	       oas == 44 || oas == 48 || oas == 52;
}

/*
 * Stage 2 concatenates up to 16 top-level tables one level down. Older trees
 * do it whenever a level-0 PGD has at most 16 entries; newer ones only where
 * the architecture requires it, and refuse (with a WARN) if it cannot.
 */
static bool s2_concat(const struct iopt_contract *k, const struct iopt_model_geom *g,
		      int pgd_bits, bool *refuse)
{
	unsigned int gs = g->granule_shift;
	bool must;

	if (!k->s2_concat_mandatory)
		return g->start_level == 0 && pgd_bits <= 4;
	if (gs == 14 && g->start_level == 0)
		must = g->oas == 48 || g->ias == 48;
	else if (gs == 12 && g->start_level == 0)
		must = g->oas == 40 || g->oas == 42;
	else
		must = gs == 14 && g->start_level == 1 && g->oas == 40;
	*refuse = must && pgd_bits > 4;
	return must && !*refuse;
}

void iopt_model_geometry(const struct iopt_model_cfg *cfg, struct iopt_model_geom *g)
{
	const struct iopt_contract *k = contract_of(cfg);
	unsigned long bitmap = cfg->pgsize_bitmap;
	int bpl, va_bits, levels, pgd_bits = 0;
	bool refuse = false;

	memset(g, 0, sizeof(*g));
	g->rejected = true;
	g->why = "an unknown format, a quirk it does not take, or sizes beyond its limits";
	if ((unsigned int)cfg->fmt >= IOPT_FMT_COUNT ||
	    (cfg->quirks & ~accepted_quirks(k, cfg->fmt)) || !fmt_limits_ok(cfg))
		return;
	if (cfg->fmt != IOPT_FMT_ARM_64_S1 && cfg->fmt != IOPT_FMT_ARM_64_S2)
		bitmap &= SZ_4K | SZ_2M | SZ_1G;
	restrict_pgsizes(cfg, bitmap, g);
	g->why = "no usable granule";
	if (!(g->pgsize_bitmap & (SZ_4K | SZ_16K | SZ_64K)))
		return;
	g->why = "OUTER_WBWA with a coherent walk";
	if (is_s1(cfg->fmt) && cfg->coherent_walk && (cfg->quirks & IOPT_Q_ARM_OUTER_WBWA))
		return;

	g->granule_shift = __builtin_ctzl(g->pgsize_bitmap);
	bpl = g->granule_shift - 3;
	if (k->cont_hint)
		g->pgsize_bitmap |= cont_sizes(g->granule_shift);
	va_bits = (int)g->ias - (int)g->granule_shift;
	/*
	 * Mali walks four levels whatever ias, and takes any oas up to 40:
	 * below 32 bits no table of the harness' memory (1 GiB up) can be
	 * addressed, a caller's error (the formats with a PARange take 32 up).
	 * The other formats' T0SZ names at least 25 input bits (39 at most,
	 * without FEAT_TTST): a smaller ias is one no IOMMU driver passes,
	 * and the kernel writes a T0SZ the architecture forbids for it.
	 */
	g->degenerate = (va_bits <= 0 && cfg->fmt != IOPT_FMT_MALI) ||
			!g->ias || g->oas < IOPT_MODEL_MIN_OAS ||
			(g->ias < IOPT_MODEL_MIN_IAS && cfg->fmt != IOPT_FMT_MALI);
	if (va_bits > 0) {
		levels = (va_bits + bpl - 1) / bpl;
		g->start_level = 4 - levels;
		pgd_bits = va_bits - bpl * (levels - 1);
	}
	if (is_s2(cfg->fmt) && !g->degenerate && s2_concat(k, g, pgd_bits, &refuse)) {
		pgd_bits += bpl;
		g->start_level++;
	}
	g->why = "a concatenation of more than 16 top tables";
	if (refuse) {
		g->warn = true;
		return;
	}
	/* Mali always walks four levels, from a single-entry PGD if need be */
	if (cfg->fmt == IOPT_FMT_MALI && (va_bits <= 0 || g->start_level > 0)) {
		g->start_level = 0;
		pgd_bits = 0;
	}
	g->why = "an output size it cannot encode";
	if (cfg->fmt != IOPT_FMT_MALI && !oas_encodable(g->oas))
		return;
	g->rejected = false;
	g->why = NULL;
	if (g->degenerate)
		g->start_level = 0;
	else
		g->pgd_entries = 1u << pgd_bits;
}

/* ---- Descriptors: what the kernel documents for each prot and format ---- */

static uint64_t leaf_attrs(const struct iopt_model *m, int prot, bool dirty)
{
	enum iopt_fmt f = m->cfg.fmt;
	unsigned int q = m->cfg.quirks;
	uint64_t pte = 0;

	/* permissions: AP at stage 1; the stage-2 HAP bits at stage 2 and for Mali */
	if (is_s1(f)) {
		pte |= PTE_NG;
		if (!(prot & IOPT_PROT_WRITE))
			pte |= PTE_AP_RDONLY;
		else if (q & IOPT_Q_ARM_HD)
			pte |= PTE_DBM | (dirty ? 0 : PTE_AP_RDONLY);
		if (!(prot & IOPT_PROT_PRIV))
			pte |= PTE_AP_UNPRIV;
	} else {
		pte |= prot & IOPT_PROT_READ ? PTE_HAP_READ : 0;
		pte |= prot & IOPT_PROT_WRITE ? PTE_HAP_WRITE : 0;
	}
	/* memory type: MemAttr at stage 2; a MAIR index at stage 1 and for Mali */
	if (is_s2(f)) {
		if (prot & IOPT_PROT_MMIO)
			pte |= PTE_MEMATTR(MEMATTR_DEV);
		else if (prot & IOPT_PROT_CACHE)
			pte |= PTE_MEMATTR(q & IOPT_Q_ARM_S2FWB ? MEMATTR_FWB_WB : MEMATTR_OIWB);
		else
			pte |= PTE_MEMATTR(MEMATTR_NC);
	} else if (prot & IOPT_PROT_MMIO) {
		pte |= PTE_ATTRINDX(ATTRIDX_DEV);
	} else if (prot & IOPT_PROT_CACHE) {
		pte |= PTE_ATTRINDX(ATTRIDX_CACHE);
	} else {
		pte |= PTE_ATTRINDX(ATTRIDX_NC);
	}
	/* Mali is always outer shareable */
	pte |= (prot & IOPT_PROT_CACHE) && f != IOPT_FMT_MALI ? PTE_SH_IS : PTE_SH_OS;
	if (prot & IOPT_PROT_NOEXEC)
		pte |= PTE_XN;
	if (q & IOPT_Q_ARM_NS)
		pte |= PTE_NS;
	if (f != IOPT_FMT_MALI)
		pte |= PTE_AF;
	return pte;
}

/* The output address field: with a 64K granule, OA[51:48] sit in bits 15:12. */
static uint64_t oa_field(const struct iopt_model *m, uint64_t pa)
{
	if (m->g.granule_shift == 16)
		return (pa & BITS(47, 16)) | ((pa >> 36) & BITS(15, 12));
	return pa & BITS(47, 12);
}

uint64_t iopt_model_leaf_pte(const struct iopt_model *m, int level, uint64_t pa, int prot,
			     bool dirty, bool cont)
{
	bool page = level == 3 && m->cfg.fmt != IOPT_FMT_MALI;

	return leaf_attrs(m, prot, dirty) | (page ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK) |
	       oa_field(m, pa) | (cont ? PTE_CONT : 0);
}
