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

/* The fields of struct iopt_cfg_regs, one by one. */
enum iopt_cfg_field {
	IOPT_CF_TTBR, IOPT_CF_MAIR, IOPT_CF_TSZ, IOPT_CF_SL, IOPT_CF_TG,
	IOPT_CF_SH, IOPT_CF_IRGN, IOPT_CF_ORGN, IOPT_CF_PS, IOPT_CF_COUNT,
};

/*
 * Where a format's io_pgtable_cfg holds each field, as C over the tree's
 * struct io_pgtable_cfg (e.g. "arm_lpae_s2_cfg.vtcr.sl"); NULL where the
 * format has no such field. The same text iopt_kernel_cfg_regs() reads
 * (iopt/kernel_cfg.h), for code written against the tree's API (the
 * KUnit reproducers of fuzz/kunit_gen.c).
 */
struct iopt_cfg_fields {
	const char *expr[IOPT_CF_COUNT];
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
