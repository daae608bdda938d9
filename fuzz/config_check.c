// SPDX-License-Identifier: GPL-2.0-only
/*
 * The `config` check (config_check.h): what alloc_io_pgtable_ops() wrote
 * back into io_pgtable_cfg for the IOMMU driver to program (TTBR/VTTBR,
 * the TCR/VTCR fields, MAIR; Mali's TRANSTAB and MEMATTR), per side:
 *
 *   1. against the model's prediction (oracle/model_cfg.c), every field
 *      but the top table's address; as every side is held to the model,
 *      the sides are held to each other too;
 *   2. against the architecture's rules, read from the registers alone
 *      (encodings, the stage-2 starting level against T0SZ, PS and the
 *      concatenation limit, the TTBR's alignment);
 *   3. the TTBR names the top table the side built and the decoder
 *      walks: the start of a live allocation that holds it whole.
 *
 * Reported as `iopt: config/<alloc|recreate>/<fmt>`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "config_check.h"
#include "known.h"
#include "model_cfg.h"
#include "run.h"

static const char *rule_of(const struct run *r, const struct side *s,
			   struct iopt_cfg_walk *w, char *why, size_t n)
{
	return iopt_cfg_regs_rule(r->cfg.fmt, r->cfg.quirks & IOPT_Q_ARM_TTBR1,
				  &s->st.regs, w, why, n);
}

const char *config_rule(const struct run *r, const struct side *s)
{
	struct iopt_cfg_walk w;
	char why[8];

	if (!s)
		return NULL;
	return rule_of(r, s, &w, why, sizeof(why));
}

/* The TTBR starts a live allocation holding the whole top table. */
static bool names_top_table(struct run *r, struct side *s, char *why, size_t n)
{
	uint64_t need = (uint64_t)r->geom.pgd_entries * 8, base = 0, size = 0;
	uint64_t ttbr = s->st.ttbr;

	if (s->port->drv->lookup(ttbr, &base, &size, false) && base == ttbr &&
	    size >= need)
		return true;
	snprintf(why, n,
		 "alloc_io_pgtable_ops: %s's TTBR 0x%" PRIx64 " does not name its top table (%" PRIu64 " bytes): %s",
		 s->port->name, ttbr, need,
		 !size ? "no live allocation holds it" :
		 base != ttbr ? "it is inside an allocation, not at its start" :
				"the allocation is smaller");
	return false;
}

/* false: the side's configuration fails, why says how */
static bool side_config(struct run *r, struct side *s,
			const struct iopt_cfg_regs *want, char *why, size_t n)
{
	struct iopt_cfg_walk w;
	const char *rule;
	char d[448];

	if (iopt_cfg_regs_diff(r->cfg.fmt, &s->st.regs, want, d, sizeof(d))) {
		snprintf(why, n, "alloc_io_pgtable_ops: %s wrote %s", s->port->name, d);
		return false;
	}
	rule = rule_of(r, s, &w, d, sizeof(d));
	if (rule) {
		snprintf(why, n,
			 "alloc_io_pgtable_ops: %s wrote what the architecture forbids (%s): %s",
			 s->port->name, rule, d);
		return false;
	}
	/* the registers describe the walk the model (and the decoder) takes */
	if (r->cfg.fmt != IOPT_FMT_MALI &&
	    (w.start_level != r->geom.start_level ||
	     w.pgd_entries != r->geom.pgd_entries)) {
		snprintf(why, n,
			 "alloc_io_pgtable_ops: %s's registers describe a walk from level %d with %u top entries; the model's from level %d with %u",
			 s->port->name, w.start_level, w.pgd_entries,
			 r->geom.start_level, r->geom.pgd_entries);
		return false;
	}
	return names_top_table(r, s, why, n);
}

bool check_config(struct run *r)
{
	struct iopt_cfg_regs want;
	char why[sizeof(r->config_deferred.why)];
	const struct known_bug *k;

	if (r->geom.rejected || r->geom.degenerate)
		return true;
	iopt_model_cfg_regs(&r->cfg, &r->geom, &want);
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];

		if (!s->live || side_config(r, s, &want, why, sizeof(why)))
			continue;
		k = known_match(r, s, "config");
		if (!r->opts->strict_known && k) {
			if (r->config_deferred.side < 0) {
				r->config_deferred.side = i;
				r->config_deferred.known = k;
				r->config_deferred.op = r->op_name;
				memcpy(r->config_deferred.why, why, sizeof(why));
			}
			continue;
		}
		report(r, s, "config", "%s", why);
		return false;
	}
	return true;
}

void config_report_deferred(struct run *r)
{
	const char *op = r->op_name;
	int i = r->config_deferred.side;

	if (i < 0)
		return;
	r->config_deferred.side = -1;
	if (r->failed)
		return;
	r->op_name = r->config_deferred.op;
	/* later re-creates may have changed the side's registers */
	r->known_hint = r->config_deferred.known;
	report(r, &r->side[i], "config", "%s", r->config_deferred.why);
	r->known_hint = NULL;
	r->op_name = op;
}
