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

#endif /* IOPT_FUZZ_KERNEL_CFG_H */
