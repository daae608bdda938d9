// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-golden-cfg: the configuration alloc_io_pgtable_ops() writes back
 * (oracle/model_cfg.c), against expectations written by hand:
 *
 *   1. what the model predicts, under every contract generation: T0SZ,
 *      TG0/TG1, SL0, SH/IRGN/ORGN, IPS/PS, MAIR, and Mali's TRANSTAB
 *      flags and MEMATTR, from include/linux/io-pgtable.h's fields and
 *      the VMSAv8-64 encodings (Arm ARM, TCR_EL1 and VTCR_EL2);
 *   2. the architecture's rules on hand-written registers: encodings,
 *      the stage-2 starting level (AArch64.S2InvalidSL: a level-0 start
 *      with 4K, or a level-1 start with 16K or 64K, needs a PA size of
 *      44, 42, 44 bits; AArch64.S2InconsistentSL: the start level
 *      resolves 1 to stride + 4 bits), the TTBR's alignment, Mali's
 *      TRANSTAB (address in bits 63:12, flags in 4:0).
 *
 * usage: test-golden-cfg
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "contract.h"
#include "model_cfg.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

#define SZ_4K	(1UL << 12)
#define SZ_16K	(1UL << 14)
#define SZ_64K	(1UL << 16)
#define G4K	(SZ_4K | (1UL << 21) | (1UL << 30))
#define G16K	(SZ_16K | (1UL << 25))
#define G64K	(SZ_64K | (1UL << 29))

/* TCR/VTCR field encodings (Arm ARM: TCR_EL1, VTCR_EL2) */
#define TG0_4K		0
#define TG0_64K		1
#define TG0_16K		2
#define TG1_16K		1
#define TG1_4K		2
#define TG1_64K		3
#define SH_OS		2
#define SH_IS		3
#define RGN_NC		0
#define RGN_WBWA	1
#define PS_32		0
#define PS_40		2
#define PS_42		3
#define PS_44		4
#define PS_48		5
#define PS_52		6
/*
 * MAIR: index 0 Normal Non-cacheable (0x44), 1 Normal Write-Back RW-
 * allocate inner and outer (0xff), 2 Device-nGnRE (0x04), 3 Normal inner
 * Non-cacheable, outer Write-Back (0xf4): the indices the stage-1
 * descriptors' AttrIndx select for the prots (test-golden).
 */
#define MAIR_S1		0xf404ff44ULL
/* Mali MEMATTR: implementation-defined caching for 0 and 2, write-allocate for 1 */
#define MEMATTR_MALI	0x888d88ULL
/* Mali TRANSTAB: ADRMODE 1:0 = 3 (table), READ_INNER 2, SHARE_OUTER 4 */
#define TT_TABLE	0x3ULL
#define TT_INNER	0x4ULL
#define TT_OUTER	0x10ULL

struct predict {
	const char *name;
	struct iopt_model_cfg cfg;
	struct iopt_cfg_regs want;
	bool noncoherent;		/* the walk is not coherent */
};

#define CFG(f, p, i, o, ...)	{ .fmt = IOPT_FMT_##f, .pgsize_bitmap = (p), .ias = (i), \
				  .oas = (o), __VA_ARGS__ }
#define S1(...)			{ .mair = MAIR_S1, __VA_ARGS__ }

static const struct predict predictions[] = {
	{ .name = "s1 4K 48/48 coherent", .cfg = CFG(ARM_64_S1, G4K, 48, 48),
	  .want = S1(.tsz = 16, .tg = TG0_4K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA, .ps = PS_48) },
	/* a non-coherent walk: non-cacheable, outer shareable */
	{ .name = "s1 4K 32/40 non-coherent", .cfg = CFG(ARM_64_S1, G4K, 32, 40),
	  .want = S1(.tsz = 32, .tg = TG0_4K, .sh = SH_OS, .irgn = RGN_NC, .orgn = RGN_NC, .ps = PS_40),
	  .noncoherent = true },
	/* ... with OUTER_WBWA: the outer walk cacheable */
	{ .name = "s1 outer WBWA", .cfg = CFG(ARM_64_S1, G4K, 48, 44, .quirks = IOPT_Q_ARM_OUTER_WBWA),
	  .want = S1(.tsz = 16, .tg = TG0_4K, .sh = SH_OS, .irgn = RGN_NC, .orgn = RGN_WBWA, .ps = PS_44),
	  .noncoherent = true },
	/* TTBR1: TG1's encoding */
	{ .name = "s1 TTBR1 4K", .cfg = CFG(ARM_64_S1, G4K, 48, 48, .quirks = IOPT_Q_ARM_TTBR1),
	  .want = S1(.tsz = 16, .tg = TG1_4K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA, .ps = PS_48) },
	{ .name = "s1 TTBR1 16K", .cfg = CFG(ARM_64_S1, G16K, 47, 42, .quirks = IOPT_Q_ARM_TTBR1),
	  .want = S1(.tsz = 17, .tg = TG1_16K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA, .ps = PS_42) },
	{ .name = "s1 TTBR1 64K", .cfg = CFG(ARM_64_S1, G64K, 48, 48, .quirks = IOPT_Q_ARM_TTBR1),
	  .want = S1(.tsz = 16, .tg = TG1_64K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA, .ps = PS_48) },
	/* 64K, 52 bits in and out (FEAT_LVA, FEAT_LPA) */
	{ .name = "s1 64K 52/52", .cfg = CFG(ARM_64_S1, G64K, 52, 52),
	  .want = S1(.tsz = 12, .tg = TG0_64K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA, .ps = PS_52) },
	/* ias clamped to 48 with 16K: T0SZ says what was kept */
	{ .name = "s1 16K ias 52 kept 48", .cfg = CFG(ARM_64_S1, G16K, 52, 48),
	  .want = S1(.tsz = 16, .tg = TG0_16K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA, .ps = PS_48) },
	/* the 32-bit format: the same fields */
	{ .name = "arm32 s1 32/40", .cfg = CFG(ARM_32_S1, G4K, 32, 40),
	  .want = S1(.tsz = 32, .tg = TG0_4K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA, .ps = PS_40) },
	/* stage 2: no MAIR; SL0 2 is level 0 with 4K, level 1 with 16K/64K */
	{ .name = "s2 4K 48/48: level 0", .cfg = CFG(ARM_64_S2, G4K, 48, 48),
	  .want = { .tsz = 16, .sl = 2, .tg = TG0_4K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA,
	    .ps = PS_48 } },
	{ .name = "s2 4K 32/32 non-coherent: level 1", .cfg = CFG(ARM_64_S2, G4K, 32, 32),
	  .want = { .tsz = 32, .sl = 1, .tg = TG0_4K, .sh = SH_OS, .irgn = RGN_NC, .orgn = RGN_NC,
	    .ps = PS_32 }, .noncoherent = true },
	/* 2 level-1 tables concatenated instead of a 2-entry level 0 */
	{ .name = "s2 4K 40/40: concatenated at level 1", .cfg = CFG(ARM_64_S2, G4K, 40, 40),
	  .want = { .tsz = 24, .sl = 1, .tg = TG0_4K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA,
	    .ps = PS_40 } },
	{ .name = "s2 16K 48/48: concatenated at level 1", .cfg = CFG(ARM_64_S2, G16K, 48, 48),
	  .want = { .tsz = 16, .sl = 2, .tg = TG0_16K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA,
	    .ps = PS_48 } },
	{ .name = "s2 64K 48/48: level 1", .cfg = CFG(ARM_64_S2, G64K, 48, 48),
	  .want = { .tsz = 16, .sl = 2, .tg = TG0_64K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA,
	    .ps = PS_48 } },
	{ .name = "s2 64K 42/48: level 2", .cfg = CFG(ARM_64_S2, G64K, 42, 48),
	  .want = { .tsz = 22, .sl = 1, .tg = TG0_64K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA,
	    .ps = PS_48 } },
	{ .name = "arm32 s2 40/40: concatenated at level 1", .cfg = CFG(ARM_32_S2, G4K, 40, 40),
	  .want = { .tsz = 24, .sl = 1, .tg = TG0_4K, .sh = SH_IS, .irgn = RGN_WBWA, .orgn = RGN_WBWA,
	    .ps = PS_40 } },
	/* Mali: TRANSTAB flags and MEMATTR only */
	{ .name = "mali coherent", .cfg = CFG(MALI, G4K, 48, 40),
	  .want = { .ttbr = TT_TABLE | TT_INNER | TT_OUTER, .mair = MEMATTR_MALI } },
	{ .name = "mali non-coherent", .cfg = CFG(MALI, G4K, 32, 32),
	  .want = { .ttbr = TT_TABLE | TT_INNER, .mair = MEMATTR_MALI }, .noncoherent = true },
};

struct rule {
	const char *name;
	enum iopt_fmt fmt;
	bool ttbr1;
	struct iopt_cfg_regs r;
	const char *broken;		/* NULL: legal */
	int start_level;		/* legal: the walk the registers describe */
	unsigned int entries;
};

#define OK(sl, n)	.broken = NULL, .start_level = (sl), .entries = (n)
#define VT(t, s, g, p, b)	{ .tsz = (t), .sl = (s), .tg = (g), .sh = SH_IS, .irgn = 1, \
				  .orgn = 1, .ps = (p), .ttbr = (b) }
#define TC(t, g, p, b, m)	{ .tsz = (t), .tg = (g), .sh = SH_IS, .irgn = 1, .orgn = 1, \
				  .ps = (p), .ttbr = (b), .mair = (m) }

static const struct rule rules[] = {
	/* ---- stage 2: SL0 against T0SZ, PS and the 16-table limit ---- */
	{ "4K ias 40 from level 1: 2 tables", IOPT_FMT_ARM_64_S2, false,
	  VT(24, 1, TG0_4K, PS_40, 0x2000), OK(1, 1024) },
	{ "4K ias 48 from level 0 with a 44-bit PA", IOPT_FMT_ARM_64_S2, false,
	  VT(16, 2, TG0_4K, PS_44, 0x1000), OK(0, 512) },
	{ "4K ias 48 from level 0 with a 40-bit PA", IOPT_FMT_ARM_64_S2, false,
	  VT(16, 2, TG0_4K, PS_40, 0x1000), .broken = "sl0-pa-size" },
	{ "4K ias 43 from level 1: 16 tables", IOPT_FMT_ARM_64_S2, false,
	  VT(21, 1, TG0_4K, PS_48, 0x10000), OK(1, 8192) },
	{ "4K ias 44 from level 1: 32 tables", IOPT_FMT_ARM_64_S2, false,
	  VT(20, 1, TG0_4K, PS_48, 0x20000), .broken = "sl0-t0sz" },
	{ "4K ias 32 from level 2: 4 tables", IOPT_FMT_ARM_64_S2, false,
	  VT(32, 0, TG0_4K, PS_32, 0x4000), OK(2, 2048) },
	{ "4K ias 40 from level 2: 512 tables", IOPT_FMT_ARM_64_S2, false,
	  VT(24, 0, TG0_4K, PS_40, 0x1000), .broken = "sl0-t0sz" },
	{ "4K ias 30 from level 1: nothing to resolve", IOPT_FMT_ARM_64_S2, false,
	  VT(34, 1, TG0_4K, PS_40, 0x1000), .broken = "sl0-t0sz" },
	{ "4K SL0 3 (level 3 needs FEAT_TTST)", IOPT_FMT_ARM_64_S2, false,
	  VT(30, 3, TG0_4K, PS_40, 0x1000), .broken = "sl0-reserved" },
	{ "16K ias 48 from level 1 with a 42-bit PA: 2 tables", IOPT_FMT_ARM_64_S2, false,
	  VT(16, 2, TG0_16K, PS_42, 0x8000), OK(1, 4096) },
	{ "16K ias 48 from level 1 with a 40-bit PA", IOPT_FMT_ARM_64_S2, false,
	  VT(16, 2, TG0_16K, PS_40, 0x8000), .broken = "sl0-pa-size" },
	{ "16K SL0 3 (level 0 needs FEAT_LPA2)", IOPT_FMT_ARM_64_S2, false,
	  VT(16, 3, TG0_16K, PS_48, 0x4000), .broken = "sl0-reserved" },
	{ "64K ias 48 from level 1 with a 40-bit PA", IOPT_FMT_ARM_64_S2, false,
	  VT(16, 2, TG0_64K, PS_40, 0x10000), .broken = "sl0-pa-size" },
	{ "64K ias 42 from level 2: one full table", IOPT_FMT_ARM_64_S2, false,
	  VT(22, 1, TG0_64K, PS_40, 0x10000), OK(2, 8192) },
	{ "arm32 ias 40 from level 0", IOPT_FMT_ARM_32_S2, false,
	  VT(24, 2, TG0_4K, PS_40, 0x1000), .broken = "sl0-pa-size" },
	/* ---- encodings ---- */
	{ "TG0 3 is reserved", IOPT_FMT_ARM_64_S1, false,
	  TC(16, 3, PS_48, 0x1000, MAIR_S1), .broken = "tg" },
	{ "TG1 0 is reserved", IOPT_FMT_ARM_64_S1, true,
	  TC(16, 0, PS_48, 0x1000, MAIR_S1), .broken = "tg" },
	{ "TG1 2 is 4K", IOPT_FMT_ARM_64_S1, true,
	  TC(16, TG1_4K, PS_48, 0x1000, MAIR_S1), OK(0, 512) },
	{ "the 32-bit format has no 16K granule", IOPT_FMT_ARM_32_S1, false,
	  TC(32, TG0_16K, PS_40, 0x1000, MAIR_S1), .broken = "tg" },
	{ "PS 7 is reserved", IOPT_FMT_ARM_64_S1, false,
	  TC(16, TG0_4K, 7, 0x1000, MAIR_S1), .broken = "ps" },
	{ "a 52-bit PA needs the 64K granule", IOPT_FMT_ARM_64_S1, false,
	  TC(16, TG0_4K, PS_52, 0x1000, MAIR_S1), .broken = "ps" },
	{ "T0SZ 12 with 64K: 52 bits in", IOPT_FMT_ARM_64_S1, false,
	  TC(12, TG0_64K, PS_52, 0x2000, MAIR_S1), OK(1, 1024) },
	{ "T0SZ 15 with 4K", IOPT_FMT_ARM_64_S1, false,
	  TC(15, TG0_4K, PS_48, 0x1000, MAIR_S1), .broken = "t0sz" },
	{ "T0SZ 40: 24 bits in", IOPT_FMT_ARM_64_S1, false,
	  TC(40, TG0_4K, PS_48, 0x1000, MAIR_S1), .broken = "t0sz" },
	{ "the 32-bit stage 1 takes 32 bits in at most", IOPT_FMT_ARM_32_S1, false,
	  TC(24, TG0_4K, PS_40, 0x1000, MAIR_S1), .broken = "t0sz" },
	{ "SH 1 is reserved", IOPT_FMT_ARM_64_S1, false,
	  { .tsz = 16, .sh = 1, .ps = PS_48, .ttbr = 0x1000, .mair = MAIR_S1 }, .broken = "sh" },
	/* MAIR: Device with 3:0 in {0, 4, 8, c}; Normal with 3:0 not 0 */
	{ "MAIR with sign-extended upper attributes (0xff)", IOPT_FMT_ARM_64_S1, false,
	  TC(16, TG0_4K, PS_48, 0x1000, 0xfffffffff404ff44ULL), OK(0, 512) },
	{ "MAIR Normal with inner 0", IOPT_FMT_ARM_64_S1, false,
	  TC(16, TG0_4K, PS_48, 0x1000, 0xf404f044ULL), .broken = "mair" },
	{ "MAIR Device with bit 0", IOPT_FMT_ARM_64_S1, false,
	  TC(16, TG0_4K, PS_48, 0x1000, 0xf405ff44ULL), .broken = "mair" },
	/* ---- the TTBR: its top table's alignment, 64 bytes at least ---- */
	{ "a 4-entry top table at 32 bytes", IOPT_FMT_ARM_64_S1, false,
	  TC(32, TG0_4K, PS_40, 0x40000020, MAIR_S1), .broken = "ttbr-align" },
	{ "a 4-entry top table at 64 bytes", IOPT_FMT_ARM_64_S1, false,
	  TC(32, TG0_4K, PS_40, 0x40000040, MAIR_S1), OK(1, 4) },
	{ "2 concatenated tables at 4K", IOPT_FMT_ARM_64_S2, false,
	  VT(24, 1, TG0_4K, PS_40, 0x1000), .broken = "ttbr-align" },
	{ "a TTBR beyond the output size", IOPT_FMT_ARM_64_S1, false,
	  TC(32, TG0_4K, PS_32, 0x200000000ULL, MAIR_S1), .broken = "ttbr-oas" },
	/* ---- Mali's TRANSTAB ---- */
	{ "Mali TRANSTAB, coherent", IOPT_FMT_MALI, false,
	  { .ttbr = 0x80001000ULL | TT_TABLE | TT_INNER | TT_OUTER, .mair = MEMATTR_MALI },
	  OK(0, 0) },
	{ "Mali TRANSTAB bit 3", IOPT_FMT_MALI, false,
	  { .ttbr = 0x80001008ULL | TT_TABLE | TT_INNER, .mair = MEMATTR_MALI },
	  .broken = "transtab-align" },
	{ "Mali top table 64-byte aligned", IOPT_FMT_MALI, false,
	  { .ttbr = 0x80001040ULL | TT_TABLE | TT_INNER, .mair = MEMATTR_MALI },
	  .broken = "transtab-align" },
	{ "Mali ADRMODE identity", IOPT_FMT_MALI, false,
	  { .ttbr = 0x80001000ULL | 2 | TT_INNER, .mair = MEMATTR_MALI },
	  .broken = "transtab-adrmode" },
};

static int failures;

static void predict_one(const struct predict *p, const struct iopt_contract *k)
{
	struct iopt_model_cfg cfg = p->cfg;
	struct iopt_model_geom g;
	struct iopt_cfg_regs got;
	char why[448];

	cfg.contract = k;
	cfg.page_shift = 12;
	cfg.coherent_walk = !p->noncoherent;
	iopt_model_geometry(&cfg, &g);
	if (!CHECK(!g.rejected)) {
		fprintf(stderr, "FAIL: %s (contract %s): rejected (%s)\n", p->name, k->name, g.why);
		failures++;
		return;
	}
	iopt_model_cfg_regs(&cfg, &g, &got);
	if (!CHECK(!iopt_cfg_regs_diff(cfg.fmt, &got, &p->want, why, sizeof(why)))) {
		fprintf(stderr, "FAIL: %s (contract %s): the model's %s\n", p->name, k->name, why);
		failures++;
	}
	/* and the model's own registers are legal (with an aligned top table) */
	got.ttbr |= 0x40000000;
	if (!CHECK(!iopt_cfg_regs_rule(cfg.fmt, cfg.quirks & IOPT_Q_ARM_TTBR1, &got,
				       &(struct iopt_cfg_walk){ 0 }, why, sizeof(why)))) {
		fprintf(stderr, "FAIL: %s (contract %s): the model's registers break a rule: %s\n",
			p->name, k->name, why);
		failures++;
	}
}

static void rule_one(const struct rule *c)
{
	struct iopt_cfg_walk w;
	const char *got;
	char why[448];

	got = iopt_cfg_regs_rule(c->fmt, c->ttbr1, &c->r, &w, why, sizeof(why));
	if (!CHECK((!got && !c->broken) || (got && c->broken && !strcmp(got, c->broken)))) {
		fprintf(stderr, "FAIL: %s: rule %s (%s), expected %s\n", c->name,
			got ? got : "none", got ? why : "", c->broken ? c->broken : "none");
		failures++;
		return;
	}
	if (!got && c->fmt != IOPT_FMT_MALI &&
	    !CHECK(w.start_level == c->start_level && w.pgd_entries == c->entries)) {
		fprintf(stderr, "FAIL: %s: walk from level %d, %u entries; expected %d, %u\n",
			c->name, w.start_level, w.pgd_entries, c->start_level, c->entries);
		failures++;
	}
}

int main(void)
{
	unsigned int runs = 0;

	for (size_t i = 0; i < ARRAY_LEN(predictions); i++)
		for (int g = 0; iopt_contracts[g]; g++, runs++)
			predict_one(&predictions[i], iopt_contracts[g]);
	for (size_t i = 0; i < ARRAY_LEN(rules); i++)
		rule_one(&rules[i]);
	printf("golden-cfg: %zu predictions (%u runs over the contract generations), %zu rule cases, %d failed\n",
	       ARRAY_LEN(predictions), runs, ARRAY_LEN(rules), failures);
	return TEST_DONE();
}
