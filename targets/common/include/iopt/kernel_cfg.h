/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Our format and quirk numbering (oracle/model.h) in the terms of the
 * tree's io-pgtable.h. Harness code only: include after <linux/io-pgtable.h>.
 *
 * A quirk the tree does not know is passed as its upstream bit, which the
 * tree rejects like any unknown quirk, as the model predicts.
 */
#ifndef IOPT_FUZZ_KERNEL_CFG_H
#define IOPT_FUZZ_KERNEL_CFG_H

#include "model.h"	/* oracle/: our numbering */
#include <iopt/cfg_regs.h>

#ifndef IO_PGTABLE_QUIRK_ARM_HD
#define IO_PGTABLE_QUIRK_ARM_HD		BIT(7)
#endif
#ifndef IO_PGTABLE_QUIRK_ARM_S2FWB
#define IO_PGTABLE_QUIRK_ARM_S2FWB	BIT(8)
#endif
#ifndef IO_PGTABLE_QUIRK_NO_WARN
#define IO_PGTABLE_QUIRK_NO_WARN	BIT(9)
#endif

static const enum io_pgtable_fmt iopt_kernel_fmt[IOPT_FMT_COUNT] = {
	[IOPT_FMT_ARM_32_S1]	= ARM_32_LPAE_S1,
	[IOPT_FMT_ARM_32_S2]	= ARM_32_LPAE_S2,
	[IOPT_FMT_ARM_64_S1]	= ARM_64_LPAE_S1,
	[IOPT_FMT_ARM_64_S2]	= ARM_64_LPAE_S2,
	[IOPT_FMT_MALI]		= ARM_MALI_LPAE,
};

static inline unsigned long iopt_kernel_quirks(unsigned int q)
{
	return (q & IOPT_Q_ARM_NS ? IO_PGTABLE_QUIRK_ARM_NS : 0) |
	       (q & IOPT_Q_ARM_TTBR1 ? IO_PGTABLE_QUIRK_ARM_TTBR1 : 0) |
	       (q & IOPT_Q_ARM_OUTER_WBWA ? IO_PGTABLE_QUIRK_ARM_OUTER_WBWA : 0) |
	       (q & IOPT_Q_ARM_HD ? IO_PGTABLE_QUIRK_ARM_HD : 0) |
	       (q & IOPT_Q_ARM_S2FWB ? IO_PGTABLE_QUIRK_ARM_S2FWB : 0) |
	       (q & IOPT_Q_NO_WARN ? IO_PGTABLE_QUIRK_NO_WARN : 0);
}

/* ... and back: the quirks of ours that the tree's bits kq hold. */
static inline unsigned int iopt_model_quirks_of(unsigned long kq)
{
	unsigned int q = 0;

	for (unsigned int b = 0; b < 32; b++) {
		unsigned long k = iopt_kernel_quirks(1u << b);

		if (k && (kq & k) == k)
			q |= 1u << b;
	}
	return q;
}

/*
 * The registers alloc_io_pgtable_ops() writes back into the tree's
 * io_pgtable_cfg (its format part is a union: Mali's TRANSTAB and MEMATTR
 * overlay the stage-1 TTBR and TCR), per format: X(field, member of
 * struct iopt_cfg_regs, member of struct io_pgtable_cfg). The one place
 * that says where each lives: read by iopt_kernel_cfg_regs(), written as
 * text into the KUnit reproducers (iopt_kernel_cfg_fields).
 */
#define IOPT_KERNEL_CFG_S1(X)					\
	X(TTBR, ttbr, arm_lpae_s1_cfg.ttbr)			\
	X(MAIR, mair, arm_lpae_s1_cfg.mair)			\
	X(TSZ, tsz, arm_lpae_s1_cfg.tcr.tsz)			\
	X(TG, tg, arm_lpae_s1_cfg.tcr.tg)			\
	X(SH, sh, arm_lpae_s1_cfg.tcr.sh)			\
	X(IRGN, irgn, arm_lpae_s1_cfg.tcr.irgn)			\
	X(ORGN, orgn, arm_lpae_s1_cfg.tcr.orgn)			\
	X(PS, ps, arm_lpae_s1_cfg.tcr.ips)

#define IOPT_KERNEL_CFG_S2(X)					\
	X(TTBR, ttbr, arm_lpae_s2_cfg.vttbr)			\
	X(TSZ, tsz, arm_lpae_s2_cfg.vtcr.tsz)			\
	X(SL, sl, arm_lpae_s2_cfg.vtcr.sl)			\
	X(TG, tg, arm_lpae_s2_cfg.vtcr.tg)			\
	X(SH, sh, arm_lpae_s2_cfg.vtcr.sh)			\
	X(IRGN, irgn, arm_lpae_s2_cfg.vtcr.irgn)		\
	X(ORGN, orgn, arm_lpae_s2_cfg.vtcr.orgn)		\
	X(PS, ps, arm_lpae_s2_cfg.vtcr.ps)

#define IOPT_KERNEL_CFG_MALI(X)					\
	X(TTBR, ttbr, arm_mali_lpae_cfg.transtab)		\
	X(MAIR, mair, arm_mali_lpae_cfg.memattr)

#define IOPT_KERNEL_CFG_READ(id, field, member)	r->field = c->member;
#define IOPT_KERNEL_CFG_TEXT(id, field, member)	[IOPT_CF_##id] = #member,

/* ... in our tree-neutral form (iopt/cfg_regs.h) */
static inline void iopt_kernel_cfg_regs(const struct io_pgtable_cfg *c,
					enum iopt_fmt fmt,
					struct iopt_cfg_regs *r)
{
	memset(r, 0, sizeof(*r));
	switch (fmt) {
	case IOPT_FMT_ARM_64_S2:
	case IOPT_FMT_ARM_32_S2:
		IOPT_KERNEL_CFG_S2(IOPT_KERNEL_CFG_READ)
		break;
	case IOPT_FMT_MALI:
		IOPT_KERNEL_CFG_MALI(IOPT_KERNEL_CFG_READ)
		break;
	default:
		IOPT_KERNEL_CFG_S1(IOPT_KERNEL_CFG_READ)
		break;
	}
}

/*
 * The top table the kernel built, which the decoder walks. Mali's
 * TRANSTAB ORs flags into its address: ADRMODE (bits 1:0), READ_INNER
 * (2), SHARE_OUTER (4); only they are cleared (bit 3 is the address's).
 * Whether the register can name that table at all (Mali takes bits 63:12
 * as the address: a 4K-aligned table) is the config check's
 * (fuzz/config_check.c).
 */
static inline uint64_t iopt_kernel_table_base(enum iopt_fmt fmt,
					      const struct iopt_cfg_regs *r)
{
	return fmt == IOPT_FMT_MALI ? r->ttbr & ~0x17ULL : r->ttbr;
}

/* ... and as text, by our format numbering */
static const struct iopt_cfg_fields iopt_kernel_cfg_fields[IOPT_FMT_COUNT] = {
	[IOPT_FMT_ARM_32_S1] = { { IOPT_KERNEL_CFG_S1(IOPT_KERNEL_CFG_TEXT) } },
	[IOPT_FMT_ARM_32_S2] = { { IOPT_KERNEL_CFG_S2(IOPT_KERNEL_CFG_TEXT) } },
	[IOPT_FMT_ARM_64_S1] = { { IOPT_KERNEL_CFG_S1(IOPT_KERNEL_CFG_TEXT) } },
	[IOPT_FMT_ARM_64_S2] = { { IOPT_KERNEL_CFG_S2(IOPT_KERNEL_CFG_TEXT) } },
	[IOPT_FMT_MALI]      = { { IOPT_KERNEL_CFG_MALI(IOPT_KERNEL_CFG_TEXT) } },
};

/*
 * Planted (enum iopt_cfg_plant): one written-back field corrupted, as a
 * buggy format would; by the driver stand-in and the KUnit shim alike.
 */
static inline void iopt_kernel_cfg_plant(struct io_pgtable_cfg *c,
					 enum iopt_fmt fmt, int plant)
{
	bool s2 = fmt == IOPT_FMT_ARM_64_S2 || fmt == IOPT_FMT_ARM_32_S2;

	switch (plant) {
	case IOPT_CFG_PLANT_T0SZ:
		if (s2)
			c->arm_lpae_s2_cfg.vtcr.tsz++;
		else if (fmt != IOPT_FMT_MALI)
			c->arm_lpae_s1_cfg.tcr.tsz++;
		break;
	case IOPT_CFG_PLANT_SL0:
		if (s2)
			c->arm_lpae_s2_cfg.vtcr.sl ^= 1;
		break;
	case IOPT_CFG_PLANT_MAIR:
		if (!s2 && fmt != IOPT_FMT_MALI)
			c->arm_lpae_s1_cfg.mair ^= 0x0fULL << 8;
		break;
	case IOPT_CFG_PLANT_TRANSTAB:
		if (fmt == IOPT_FMT_MALI)
			c->arm_mali_lpae_cfg.transtab |= 1ULL << 3;
		break;
	}
}

#endif /* IOPT_FUZZ_KERNEL_CFG_H */
