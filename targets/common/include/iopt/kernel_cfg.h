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

/*
 * The registers alloc_io_pgtable_ops() wrote back into the tree's
 * io_pgtable_cfg (its format part is a union: Mali's TRANSTAB and MEMATTR
 * overlay the stage-1 TTBR and TCR), in our tree-neutral form
 * (iopt/cfg_regs.h).
 */
static inline void iopt_kernel_cfg_regs(const struct io_pgtable_cfg *c,
					enum iopt_fmt fmt,
					struct iopt_cfg_regs *r)
{
	memset(r, 0, sizeof(*r));
	switch (fmt) {
	case IOPT_FMT_ARM_64_S2:
	case IOPT_FMT_ARM_32_S2:
		r->ttbr = c->arm_lpae_s2_cfg.vttbr;
		r->tsz = c->arm_lpae_s2_cfg.vtcr.tsz;
		r->sl = c->arm_lpae_s2_cfg.vtcr.sl;
		r->tg = c->arm_lpae_s2_cfg.vtcr.tg;
		r->sh = c->arm_lpae_s2_cfg.vtcr.sh;
		r->irgn = c->arm_lpae_s2_cfg.vtcr.irgn;
		r->orgn = c->arm_lpae_s2_cfg.vtcr.orgn;
		r->ps = c->arm_lpae_s2_cfg.vtcr.ps;
		break;
	case IOPT_FMT_MALI:
		r->ttbr = c->arm_mali_lpae_cfg.transtab;
		r->mair = c->arm_mali_lpae_cfg.memattr;
		break;
	default:
		r->ttbr = c->arm_lpae_s1_cfg.ttbr;
		r->mair = c->arm_lpae_s1_cfg.mair;
		r->tsz = c->arm_lpae_s1_cfg.tcr.tsz;
		r->tg = c->arm_lpae_s1_cfg.tcr.tg;
		r->sh = c->arm_lpae_s1_cfg.tcr.sh;
		r->irgn = c->arm_lpae_s1_cfg.tcr.irgn;
		r->orgn = c->arm_lpae_s1_cfg.tcr.orgn;
		r->ps = c->arm_lpae_s1_cfg.tcr.ips;
		break;
	}
}

#endif /* IOPT_FUZZ_KERNEL_CFG_H */
