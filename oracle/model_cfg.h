/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The configuration alloc_io_pgtable_ops() writes back (struct
 * iopt_cfg_regs): what the model predicts for an accepted configuration,
 * and the architecture's rules any written-back configuration must keep
 * (oracle/model_cfg.c).
 */
#ifndef IOPT_ORACLE_MODEL_CFG_H
#define IOPT_ORACLE_MODEL_CFG_H

#include <stdbool.h>
#include <stddef.h>

#include <iopt/cfg_regs.h>

#include "model.h"

/*
 * The registers for configuration c, accepted with geometry g: every
 * field but the top table's address (ttbr holds only the bits that go
 * with it: Mali's TRANSTAB flags; 0 for the others).
 */
void iopt_model_cfg_regs(const struct iopt_model_cfg *c,
			 const struct iopt_model_geom *g,
			 struct iopt_cfg_regs *want);

/*
 * The fields of got that differ from want (the address bits of ttbr
 * aside), named with both values in buf; the number of them.
 */
int iopt_cfg_regs_diff(enum iopt_fmt fmt, const struct iopt_cfg_regs *got,
		       const struct iopt_cfg_regs *want, char *buf, size_t n);

/* The top table as the registers describe it to the walker. */
struct iopt_cfg_walk {
	unsigned int granule_shift, ias, oas;
	int start_level;
	unsigned int pgd_entries;	/* concatenated tables included */
	uint64_t base;			/* the top table's address */
};

/*
 * The architecture's rules (VMSAv8-64 for the 64-bit formats, ARMv7's
 * LPAE for the 32-bit ones, Mali's TRANSTAB/MEMATTR): NULL when the
 * registers keep them (and *w says what they describe), else the id of
 * the first rule broken, why saying how. ttbr1: the TTBR1 quirk (TG is
 * then TG1's encoding).
 */
const char *iopt_cfg_regs_rule(enum iopt_fmt fmt, bool ttbr1,
			       const struct iopt_cfg_regs *r,
			       struct iopt_cfg_walk *w, char *why, size_t n);

/*
 * Stage 2, where the start level of geometry g breaks AArch64.S2InvalidSL
 * (its output size too small for it): the first level below it the
 * architecture allows, resolving at most 16 concatenated tables, as its
 * VTCR.SL0 encoding; -1 when there is none (the configuration is then
 * one to refuse).
 */
int iopt_cfg_s2_arch_sl(const struct iopt_model_geom *g);

#endif /* IOPT_ORACLE_MODEL_CFG_H */
