/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct iopt_cfg_regs - the format-specific part of io_pgtable_cfg that
 * alloc_io_pgtable_ops() writes back for the IOMMU driver to program,
 * tree-neutral: the driver stand-in (targets/common/driver.c) copies it
 * out of the tree's io_pgtable_cfg, the model (oracle/model_cfg.c)
 * predicts it, and fuzz/config_check.c compares the two and checks it
 * against the architecture's rules.
 *
 * The TCR/VTCR fields keep the kernel's VMSAv8-64 encodings, also for the
 * 32-bit LPAE formats (io-pgtable-arm writes the same fields for them).
 */
#ifndef IOPT_CFG_REGS_H
#define IOPT_CFG_REGS_H

#include <stdint.h>

struct iopt_cfg_regs {
	/* TTBR (stage 1), VTTBR (stage 2), TRANSTAB (Mali), as written */
	uint64_t ttbr;
	/* MAIR (stage 1), MEMATTR (Mali); 0 at stage 2 */
	uint64_t mair;
	/* TCR / VTCR fields; 0 for Mali, which has none of them */
	uint8_t tsz;		/* T0SZ: 64 - ias */
	uint8_t sl;		/* VTCR.SL0: the starting level (stage 2) */
	uint8_t tg;		/* TG0 (TG1's encoding with the TTBR1 quirk) */
	uint8_t sh;		/* SH0: 0 non-, 2 outer, 3 inner shareable */
	uint8_t irgn, orgn;	/* 0 NC, 1 WBWA, 2 WT, 3 WB */
	uint8_t ps;		/* IPS / PS: the output size */
};

/* Planted: alloc_io_pgtable_ops' written-back configuration corrupted. */
enum iopt_cfg_plant {
	IOPT_CFG_PLANT_NONE,
	IOPT_CFG_PLANT_T0SZ,		/* T0SZ one more */
	IOPT_CFG_PLANT_SL0,		/* SL0 one level off */
	IOPT_CFG_PLANT_MAIR,		/* MAIR's byte 1 changed */
	IOPT_CFG_PLANT_TRANSTAB,	/* bit 3 of Mali's TRANSTAB set */
};

#endif /* IOPT_CFG_REGS_H */
