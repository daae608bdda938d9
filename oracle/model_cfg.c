// SPDX-License-Identifier: GPL-2.0-only
/*
 * The configuration alloc_io_pgtable_ops() writes back (model_cfg.h):
 *
 *   - what the model predicts: the TCR/VTCR fields, MAIR and Mali's
 *     TRANSTAB flags and MEMATTR, from the geometry it predicts and the
 *     walk's coherency, as include/linux/io-pgtable.h documents them;
 *   - the architecture's rules, read from the registers alone: the
 *     encodings each field may hold, the stage-2 starting level against
 *     the input and output sizes (the Arm ARM's AArch64.S2InvalidSL and
 *     AArch64.S2InconsistentSL: a level that resolves 1 to stride + 4
 *     bits, so at most 16 concatenated tables, and levels 0 (4K) or 1
 *     (16K, 64K) only with a large enough output size), a TTBR aligned
 *     to its top table, and Mali's TRANSTAB layout.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "model_cfg.h"
#include "model_internal.h"

/* TCR/VTCR encodings (VMSAv8-64) */
#define TCR_SH_OS		2
#define TCR_SH_IS		3
#define TCR_RGN_NC		0
#define TCR_RGN_WBWA		1

/* MAIR attributes of the indices the descriptors use (ATTRIDX_*) */
#define MAIR_NC			0x44	/* Normal, inner and outer Non-cacheable */
#define MAIR_WB			0xff	/* Normal, inner and outer WB RW-allocate */
#define MAIR_DEV		0x04	/* Device-nGnRE */
#define MAIR_INC_OWB		0xf4	/* Normal, inner NC, outer WB RW-allocate (index 3) */

/* Mali: TRANSTAB flags, MEMATTR attributes (implementation defined; write-allocate) */
#define MALI_ADRMODE_TABLE	0x3ULL
#define MALI_READ_INNER		(1ULL << 2)
#define MALI_SHARE_OUTER	(1ULL << 4)
#define MALI_TRANSTAB_ADDR	(~0xfffULL)
#define MALI_ATTR_IMP_DEF	0x88ULL
#define MALI_ATTR_WRITE_ALLOC	0x8dULL

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const unsigned int ps_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

static unsigned int ps_of(unsigned int oas)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(ps_bits); i++)
		if (ps_bits[i] == oas)
			return i;
	return 7;	/* reserved: the model rejects such an oas */
}

/* TG0: 4K 0, 64K 1, 16K 2; TG1: 16K 1, 4K 2, 64K 3 */
static unsigned int tg_of(unsigned int granule_shift, bool tg1)
{
	switch (granule_shift) {
	case 12:
		return tg1 ? 2 : 0;
	case 14:
		return tg1 ? 1 : 2;
	default:
		return tg1 ? 3 : 1;
	}
}

static unsigned int granule_of_tg(unsigned int tg, bool tg1)
{
	static const unsigned int tg0[] = { 12, 16, 14, 0 }, tg1s[] = { 0, 14, 12, 16 };

	return tg1 ? tg1s[tg & 3] : tg0[tg & 3];
}

void iopt_model_cfg_regs(const struct iopt_model_cfg *c,
			 const struct iopt_model_geom *g,
			 struct iopt_cfg_regs *want)
{
	bool s1 = is_s1(c->fmt);

	memset(want, 0, sizeof(*want));
	if (c->fmt == IOPT_FMT_MALI) {
		want->ttbr = MALI_ADRMODE_TABLE | MALI_READ_INNER |
			     (c->coherent_walk ? MALI_SHARE_OUTER : 0);
		want->mair = MALI_ATTR_IMP_DEF | MALI_ATTR_WRITE_ALLOC << 8 |
			     MALI_ATTR_IMP_DEF << 16;
		return;
	}
	/* a coherent walk is a cacheable, inner-shareable one */
	if (c->coherent_walk) {
		want->sh = TCR_SH_IS;
		want->irgn = want->orgn = TCR_RGN_WBWA;
	} else {
		want->sh = TCR_SH_OS;
		want->irgn = want->orgn = TCR_RGN_NC;
		if (s1 && (c->quirks & IOPT_Q_ARM_OUTER_WBWA))
			want->orgn = TCR_RGN_WBWA;
	}
	want->tg = tg_of(g->granule_shift, s1 && (c->quirks & IOPT_Q_ARM_TTBR1));
	want->ps = ps_of(g->oas);
	want->tsz = 64 - g->ias;
	if (s1)
		want->mair = MAIR_NC | MAIR_WB << 8 | MAIR_DEV << 16 |
			     (uint64_t)MAIR_INC_OWB << 24;
	else	/* SL0 counts down from level 0 (4K) or level 1 (16K, 64K), mod 4 */
		want->sl = ((g->granule_shift == 12 ? 2 : 3) - g->start_level) & 3;
}

static void add(char *buf, size_t n, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*len >= n)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *len, n - *len, fmt, ap);
	va_end(ap);
	if (k > 0)
		*len += (size_t)k;
}

int iopt_cfg_regs_diff(enum iopt_fmt fmt, const struct iopt_cfg_regs *got,
		       const struct iopt_cfg_regs *want, char *buf, size_t n)
{
	/* Mali's TRANSTAB flags; its other low bits are the rules' (mali_rule) */
	uint64_t low = fmt == IOPT_FMT_MALI ? 3 | MALI_READ_INNER | MALI_SHARE_OUTER : 0;
	const char *ttbr = fmt == IOPT_FMT_MALI ? "TRANSTAB flags" : "TTBR low bits";
	const char *mair = fmt == IOPT_FMT_MALI ? "MEMATTR" : "MAIR";
	/*
	 * MAIR: the attributes of the indices a descriptor can select (0-3);
	 * 4-7 are held to the architecture's encodings only (the kernel
	 * writes 0xff there: 0xf4 << 24 is an int, sign-extended into the
	 * u64; harmless, a valid Normal WB attribute no descriptor selects).
	 */
	uint64_t mair_mask = fmt == IOPT_FMT_MALI ? ~0ULL : 0xffffffffULL;
	size_t len = 0;
	int diffs = 0;

#define FIELD(name, f) do {						\
		if (got->f != want->f) {				\
			add(buf, n, &len, "%s%s %u, expected %u",	\
			    diffs++ ? "; " : "", name,			\
			    (unsigned int)got->f, (unsigned int)want->f); \
		}							\
	} while (0)
	if (n)
		buf[0] = 0;
	if ((got->ttbr & low) != want->ttbr)
		add(buf, n, &len, "%s%s 0x%" PRIx64 ", expected 0x%" PRIx64,
		    diffs++ ? "; " : "", ttbr, got->ttbr & low, want->ttbr);
	if ((got->mair & mair_mask) != want->mair)
		add(buf, n, &len, "%s%s 0x%" PRIx64 ", expected 0x%" PRIx64 " in bits 0x%" PRIx64,
		    diffs++ ? "; " : "", mair, got->mair, want->mair,
		    mair_mask);
	FIELD("T0SZ", tsz);
	FIELD("SL0", sl);
	FIELD("TG", tg);
	FIELD("SH", sh);
	FIELD("IRGN", irgn);
	FIELD("ORGN", orgn);
	FIELD("PS", ps);
#undef FIELD
	return diffs;
}

/* ---- the architecture's rules --------------------------------------------- */

static const char *broken(const char *rule, char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static const char *broken(const char *rule, char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return rule;
}

/*
 * Mali's TRANSTAB: ADRMODE (1:0) 3 is a table walk; READ_INNER (2) and
 * SHARE_OUTER (4) are flags; the table's address is bits 63:12, so the
 * top table must be 4K-aligned and bits 11:5 and 3 clear.
 */
static const char *mali_rule(const struct iopt_cfg_regs *r, struct iopt_cfg_walk *w,
			     char *why, size_t n)
{
	w->granule_shift = 12;
	w->base = r->ttbr & MALI_TRANSTAB_ADDR;
	if ((r->ttbr & 3) != MALI_ADRMODE_TABLE)
		return broken("transtab-adrmode", why, n,
			      "TRANSTAB 0x%" PRIx64 ": ADRMODE %u, not a table walk (3)",
			      r->ttbr, (unsigned int)(r->ttbr & 3));
	if (r->ttbr & ~MALI_TRANSTAB_ADDR & ~(3 | MALI_READ_INNER | MALI_SHARE_OUTER))
		return broken("transtab-align", why, n,
			      "TRANSTAB 0x%" PRIx64 ": bits 0x%" PRIx64 " set, which are neither flags nor the table's address (bits 63:12): the top table is not 4K-aligned, or a reserved bit is set",
			      r->ttbr, r->ttbr & 0xfe8);
	return NULL;
}

/*
 * A MAIR attribute: Device (7:4 zero) with 3:0 one of 0, 4, 8, 0xc, or
 * Normal (7:4 non-zero) with 3:0 non-zero; the others are UNPREDICTABLE
 * or need features (FEAT_XS, FEAT_MTE) an SMMU table walk has no use of.
 */
static bool mair_attr_ok(unsigned int a)
{
	return (a >> 4) ? (a & 0xf) != 0 : !(a & 3);
}

/*
 * The stage-2 starting level SL0 encodes, or -1 when it is reserved
 * (3: without FEAT_TTST or FEAT_LPA2). ARMv7's LPAE has SL0 0 and 1
 * only: its 2 (level 0) is left to the PA-size rule, which no 32-bit
 * output size meets.
 */
static int s2_start_level(unsigned int sl, unsigned int gs)
{
	if (sl == 3)
		return -1;
	return (gs == 12 ? 2 : 3) - (int)sl;
}

/*
 * AArch64.S2InvalidSL: without FEAT_TTST or FEAT_LPA2, a walk starts at
 * level 0 (4K) or level 1 (16K: PA of 42 bits; 64K: 44) only with a
 * large enough PA size: here the output size the configuration gives.
 */
static unsigned int s2_min_pa(unsigned int gs, int start)
{
	if (gs == 12)
		return start == 0 ? 44 : 0;
	if (start == 1)
		return gs == 14 ? 42 : 44;
	return 0;
}

int iopt_cfg_s2_arch_sl(const struct iopt_model_geom *g)
{
	unsigned int gs = g->granule_shift, bpl = gs - 3;

	for (int s = g->start_level < 0 ? 0 : g->start_level; s <= 3; s++) {
		int bits = (int)g->ias - (int)(gs + bpl * (3 - s));
		int sl = (gs == 12 ? 2 : 3) - s;	/* 3: reserved */

		if (sl >= 0 && sl < 3 && g->oas >= s2_min_pa(gs, s) &&
		    bits >= 1 && bits <= (int)bpl + 4)
			return sl;
	}
	return -1;
}

static const char *s2_rule(const struct iopt_cfg_regs *r, bool lpae32,
			   struct iopt_cfg_walk *w, char *why, size_t n)
{
	unsigned int bpl = w->granule_shift - 3;
	int bits;

	w->start_level = s2_start_level(r->sl, w->granule_shift);
	if (w->start_level < 0)
		return broken("sl0-reserved", why, n, "VTCR.SL0 %u is reserved with the %uK granule",
			      r->sl, 1u << (w->granule_shift - 10));
	if (w->oas < s2_min_pa(w->granule_shift, w->start_level))
		return broken("sl0-pa-size", why, n,
			      "VTCR.SL0 %u starts the %uK-granule walk at level %d, which needs a PA size of %u bits; PS gives %u%s",
			      r->sl, 1u << (w->granule_shift - 10), w->start_level,
			      s2_min_pa(w->granule_shift, w->start_level), w->oas,
			      lpae32 ? " (ARMv7's LPAE has no level 0)" : "");
	/* AArch64.S2InconsistentSL: the start level resolves 1 to bpl + 4 bits */
	bits = (int)w->ias - (int)(w->granule_shift + bpl * (3 - w->start_level));
	if (bits < 1 || bits > (int)bpl + 4)
		return broken("sl0-t0sz", why, n,
			      "VTCR.SL0 %u (level %d) with T0SZ %u (ias %u): the start level would resolve %d bits, %s",
			      r->sl, w->start_level, r->tsz, w->ias, bits,
			      bits < 1 ? "none" : "more than 16 concatenated tables hold");
	w->pgd_entries = 1u << bits;
	return NULL;
}

const char *iopt_cfg_regs_rule(enum iopt_fmt fmt, bool ttbr1,
			       const struct iopt_cfg_regs *r,
			       struct iopt_cfg_walk *w, char *why, size_t n)
{
	bool lpae32 = fmt == IOPT_FMT_ARM_32_S1 || fmt == IOPT_FMT_ARM_32_S2;
	unsigned int max_ias, bpl;
	uint64_t bytes;
	const char *rule;

	memset(w, 0, sizeof(*w));
	if (fmt == IOPT_FMT_MALI)
		return mali_rule(r, w, why, n);
	w->base = r->ttbr;
	w->granule_shift = granule_of_tg(r->tg, is_s1(fmt) && ttbr1);
	if (!w->granule_shift || (lpae32 && w->granule_shift != 12))
		return broken("tg", why, n, "%s %u is %s", ttbr1 ? "TG1" : "TG0", r->tg,
			      w->granule_shift ? "not the 4K granule of the 32-bit LPAE format" :
						 "reserved");
	w->ias = 64 - r->tsz;
	max_ias = fmt == IOPT_FMT_ARM_32_S1 ? 32 : lpae32 ? 40 :
		  w->granule_shift == 16 ? 52 : 48;
	if (r->tsz > 64 || w->ias < 25 || w->ias > max_ias)
		return broken("t0sz", why, n, "T0SZ %u: an input size of %u bits, outside 25 to %u",
			      r->tsz, w->ias, max_ias);
	if (r->ps >= ARRAY_SIZE(ps_bits))
		return broken("ps", why, n, "PS %u is reserved", r->ps);
	w->oas = ps_bits[r->ps];
	if ((w->oas == 52 && w->granule_shift != 16) || (lpae32 && w->oas > 40))
		return broken("ps", why, n, "PS %u (%u bits) with the %uK granule%s", r->ps, w->oas,
			      1u << (w->granule_shift - 10),
			      lpae32 ? " of the 32-bit LPAE format" : "");
	if (r->sh == 1)
		return broken("sh", why, n, "SH 1 is reserved");
	bpl = w->granule_shift - 3;
	if (is_s2(fmt)) {
		rule = s2_rule(r, lpae32, w, why, n);
		if (rule)
			return rule;
	} else {	/* stage 1: T0SZ alone sets the start level */
		int levels = (int)(w->ias - w->granule_shift + bpl - 1) / (int)bpl;

		w->start_level = 4 - levels;
		w->pgd_entries = 1u << (w->ias - w->granule_shift - bpl * (levels - 1));
		for (int i = 0; i < 8; i++)
			if (!mair_attr_ok((r->mair >> (8 * i)) & 0xff))
				return broken("mair", why, n,
					      "MAIR 0x%016" PRIx64 ": attribute %d (0x%02x) is not a valid encoding",
					      r->mair, i, (unsigned int)((r->mair >> (8 * i)) & 0xff));
	}
	/* the table base: aligned to the top table's size, 64 bytes at least */
	bytes = (uint64_t)w->pgd_entries * 8;
	if (bytes < 64)
		bytes = 64;
	if (r->ttbr & (bytes - 1))
		return broken("ttbr-align", why, n,
			      "TTBR 0x%" PRIx64 " is not aligned to its top table (%u entries: %" PRIu64 " bytes)",
			      r->ttbr, w->pgd_entries, bytes);
	if (w->oas < 64 && (r->ttbr >> w->oas))
		return broken("ttbr-oas", why, n, "TTBR 0x%" PRIx64 " is beyond the %u-bit output size",
			      r->ttbr, w->oas);
	return NULL;
}
