// SPDX-License-Identifier: GPL-2.0-only
/* Planted bugs by name (plant.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "plant.h"

struct plant {
	const char *name;
	bool drv;		/* in the driver stand-in, else in the env */
	size_t field;		/* offsetof the long in that struct */
	int flag;		/* 1: a bool there, set; 2: an int, set to value */
	int value;
};

#define KNOB(f)	false, offsetof(struct iopt_knobs, f), 0, 0
#define DRV(f)	true, offsetof(struct iopt_drv_plant, f), 0, 0
#define DRVB(f)	true, offsetof(struct iopt_drv_plant, f), 1, 0
#define DRVI(f, v) true, offsetof(struct iopt_drv_plant, f), 2, v

static const struct plant plants[] = {
	{ "skip-cmo", KNOB(drop_cmo_nth) },		/* a missing cache clean */
	{ "short-cmo", KNOB(short_cmo_nth) },		/* one PTE short */
	{ "skip-add-page", DRV(skip_add_page_nth) },	/* a missing TLB invalidation */
	{ "skip-flush-walk", DRV(skip_flush_walk_nth) },
	{ "leak-table", KNOB(leak_page_nth) },
	{ "misalign-table", KNOB(misalign_nth) },
	{ "leak-slab", KNOB(leak_slab_nth) },
	{ "neg-cmo", KNOB(neg_cmo_nth) },		/* a CMO of a negative length */
	{ "swap-node-gfp", KNOB(swap_node_gfp_nth) },	/* node and gfp swapped (kernel) */
	{ "sleep-alloc", KNOB(sleep_alloc_nth) },	/* may sleep, whatever gfp (kernel) */
	{ "late-clean", KNOB(late_clean_nth) },		/* a CMO at the call's end */
	{ "fail-alloc", KNOB(fail_alloc_nth) },		/* an allocation fails, unasked */
	{ "skip-flush-all", DRV(skip_flush_all_nth) },
	{ "widen-add-page", DRV(widen_add_page_nth) },	/* a full flush instead */
	{ "defer-flush-walk", DRV(defer_flush_walk_nth) }, /* after the free */
	{ "add-page-granule", DRV(add_page_granule_nth) }, /* a block's, as a page */
	{ "flush-walk-short", DRV(flush_walk_short_nth) }, /* half the table */
	{ "flush-walk-granule", DRV(flush_walk_granule_nth) }, /* its size */
	{ "skip-dirty", DRV(skip_dirty_nth) },		/* a dirty range not recorded */
	{ "move-dirty", DRV(move_dirty_nth) },		/* ... recorded elsewhere */
	{ "unmap-leaf-bit", DRV(unmap_leaf_bit_nth) },	/* a leaf an unmap left, changed */
	/* not bugs: what the review's cut and lost records are tested with */
	{ "log-max", KNOB(log_max) },			/* each log holds N records */
	{ "cmo-by-line", KNOB(cmo_by_line) },		/* CMOs line by line */
	/* on or off (N is ignored) */
	{ "map-twice", DRVB(map_twice) },		/* a map tried again: WARNs */
	{ "narrow-pgsizes", DRVB(narrow_pgsizes) },	/* the largest size not asked */
	{ "i2p-page-only", DRVB(i2p_page_only) },	/* iova_to_phys loses the offset */
	{ "walk-zero-l3", DRVB(walk_zero_l3) },		/* pgtable_walk loses level 3 */
	/* a bit of a table descriptor flipped: ignored, NSTable, an address bit */
	{ "table-bit", DRVI(table_bit, 57) },
	{ "table-ns-bit", DRVI(table_bit, 63) },
	{ "table-addr-bit", DRVI(table_bit, 46) },
	/* at the edges of ias and oas (input extension bit 0) */
	{ "pa-hi-drop", DRVI(edge_bug, IOPT_EDGE_PA_HI_DROP) },
	{ "range-unchecked", DRVI(edge_bug, IOPT_EDGE_UNCHECKED) },
	/* a field alloc_io_pgtable_ops wrote back corrupted (the config check) */
	{ "cfg-t0sz", DRVI(cfg_plant, IOPT_CFG_PLANT_T0SZ) },
	{ "cfg-sl0", DRVI(cfg_plant, IOPT_CFG_PLANT_SL0) },
	{ "cfg-mair", DRVI(cfg_plant, IOPT_CFG_PLANT_MAIR) },
	{ "cfg-transtab", DRVI(cfg_plant, IOPT_CFG_PLANT_TRANSTAB) },
	/* a WARN the contract does not have, in a call outside an op's */
	{ "warn-alloc", DRVI(warn_after, IOPT_WARN_ALLOC) },
	{ "warn-iova-to-phys", DRVI(warn_after, IOPT_WARN_IOVA_TO_PHYS) },
	{ "warn-free", DRVI(warn_after, IOPT_WARN_FREE) },
	/* a lookup (iova_to_phys, pgtable_walk) doing more than read */
	{ "lookup-cmo", DRVI(lookup_effect, IOPT_LOOKUP_CMO) },
	{ "lookup-flush", DRVI(lookup_effect, IOPT_LOOKUP_FLUSH) },
	{ "lookup-alloc", DRVI(lookup_effect, IOPT_LOOKUP_ALLOC) },
};

const char iopt_plant_names[] =
	"skip-cmo short-cmo skip-add-page skip-flush-walk leak-table misalign-table leak-slab neg-cmo swap-node-gfp sleep-alloc late-clean fail-alloc skip-flush-all widen-add-page defer-flush-walk add-page-granule flush-walk-short flush-walk-granule skip-dirty move-dirty unmap-leaf-bit log-max cmo-by-line map-twice narrow-pgsizes i2p-page-only walk-zero-l3 table-bit table-ns-bit table-addr-bit pa-hi-drop range-unchecked cfg-t0sz cfg-sl0 cfg-mair cfg-transtab warn-alloc warn-iova-to-phys warn-free lookup-cmo lookup-flush lookup-alloc, @kernel, @hyp or @all; model-invariant[:N]";

bool iopt_plant_in_kunit(const struct iopt_drv_plant *d)
{
	struct iopt_drv_plant rest;
	const unsigned char *b = (const unsigned char *)&rest;

	memcpy(&rest, d, sizeof(rest));
	rest.skip_add_page_nth = rest.skip_flush_walk_nth = 0;
	rest.add_page_granule_nth = rest.flush_walk_granule_nth = 0;
	rest.cfg_plant = 0;
	rest.walk_zero_l3 = false;
	rest.narrow_pgsizes = false;
	rest.warn_after = 0;
	rest.lookup_effect = 0;
	rest.unmap_leaf_bit_nth = 0;
	for (size_t i = 0; i < sizeof(rest); i++)
		if (b[i])
			return false;
	return true;
}

void iopt_plant_clear(struct iopt_run_opts *opts)
{
	memset(opts->knobs, 0, sizeof(opts->knobs));
	memset(opts->drv_plant, 0, sizeof(opts->drv_plant));
	memset(opts->patched_knobs, 0, sizeof(opts->patched_knobs));
	memset(opts->patched_drv_plant, 0, sizeof(opts->patched_drv_plant));
	opts->patched_plant = false;
	opts->plant_model_nth = 0;
	opts->plant_image_same = false;
	opts->plant_list_short = false;
	opts->plant_range_same = false;
}

/* In the model, not a build: its shadow broken at op N (a table miscounted). */
static int plant_model(const char *spec, struct iopt_run_opts *opts, char *why, size_t n)
{
#ifdef IOPT_MODEL_CHECKS
	char *end;
	long nth = 1;

	if (spec[15] == ':') {
		nth = strtol(spec + 16, &end, 10);
		if (*end || nth < 1) {
			snprintf(why, n, "IOPT_PLANT '%s': N must be a number from 1", spec);
			return -1;
		}
	}
	opts->plant_model_nth = nth;
	return 0;
#else
	snprintf(why, n, "IOPT_PLANT '%s': this build does not check the model (IOPT_MODEL_CHECKS is off)",
		 spec);
	return -1;
#endif
}

/* Plant p in the port of the role given, N nth. */
static void plant_in(const struct plant *p, struct iopt_run_opts *opts,
		     enum iopt_role role, long nth)
{
	char *base = p->drv ? (char *)&opts->drv_plant[role] :
			      (char *)&opts->knobs[role];

	if (p->flag == 1)
		*(bool *)(base + p->field) = true;
	else if (p->flag == 2)
		*(int *)(base + p->field) = p->value;
	else
		*(long *)(base + p->field) = nth;
}

int iopt_plant_parse(const char *spec, struct iopt_run_opts *opts,
		     char *why, size_t n)
{
	const char *at = strchr(spec, '@'), *colon;
	int role;	/* or IOPT_ROLES: every role */
	size_t len;
	long nth = 1;
	char *end;

	if (!strncmp(spec, "model-invariant", 15) && (!spec[15] || spec[15] == ':'))
		return plant_model(spec, opts, why, n);
	if (!at) {
		snprintf(why, n, "IOPT_PLANT '%s': expected <bug>@<kernel|hyp|all>[:N]", spec);
		return -1;
	}
	colon = strchr(at, ':');
	len = (colon ? (size_t)(colon - at) : strlen(at)) - 1;
	if (len == 6 && !strncmp(at + 1, "kernel", 6))
		role = IOPT_ROLE_KERNEL;
	else if (len == 3 && !strncmp(at + 1, "hyp", 3))
		role = IOPT_ROLE_HYP;
	else if (len == 3 && !strncmp(at + 1, "all", 3))
		role = IOPT_ROLES;
	else {
		snprintf(why, n, "IOPT_PLANT '%s': the build is 'kernel', 'hyp' or 'all'", spec);
		return -1;
	}
	if (colon) {
		nth = strtol(colon + 1, &end, 10);
		if (*end || nth < 1) {
			snprintf(why, n, "IOPT_PLANT '%s': N must be a number from 1", spec);
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof(plants) / sizeof(plants[0]); i++) {
		if (strlen(plants[i].name) == (size_t)(at - spec) &&
		    !strncmp(plants[i].name, spec, at - spec)) {
			for (int r = 0; r < IOPT_ROLES; r++)
				if (r == role || role == IOPT_ROLES)
					plant_in(&plants[i], opts, r, nth);
			return 0;
		}
	}
	snprintf(why, n, "IOPT_PLANT '%s': unknown bug (one of: %s)", spec,
		 iopt_plant_names);
	return -1;
}

/* A list of plants, separated by commas. */
static int plant_list(const char *list, struct iopt_run_opts *opts,
		      char *why, size_t n)
{
	char spec[128];

	while (*list) {
		size_t len = strcspn(list, ",");

		snprintf(spec, sizeof(spec), "%.*s", (int)len, list);
		if (iopt_plant_parse(spec, opts, why, n))
			return -1;
		list += len + !!list[len];
	}
	return 0;
}

/* IOPT_PLANT_PATCHED: planted in the patched tree only, on top of IOPT_PLANT. */
static int plant_patched(const char *list, struct iopt_run_opts *opts,
			 char *why, size_t n)
{
	static struct iopt_run_opts t;

	t = *opts;
	if (plant_list(list, &t, why, n))
		return -1;
	memcpy(opts->patched_knobs, t.knobs, sizeof(t.knobs));
	memcpy(opts->patched_drv_plant, t.drv_plant, sizeof(t.drv_plant));
	opts->patched_plant = true;
	return 0;
}

int iopt_opts_from_env(struct iopt_run_opts *opts, const char *who)
{
	const char *plant = getenv("IOPT_PLANT"), *fmt = getenv("IOPT_FORMAT");
	const char *patched = getenv("IOPT_PLANT_PATCHED");
	char why[256];

	opts->verbose = getenv("IOPT_VERBOSE") != NULL;
	opts->strict_known = getenv("IOPT_STRICT_KNOWN") != NULL &&
			     strcmp(getenv("IOPT_STRICT_KNOWN"), "0");
	if (plant && *plant && plant_list(plant, opts, why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", who, why);
		return -1;
	}
	if (patched && *patched && plant_patched(patched, opts, why, sizeof(why))) {
		fprintf(stderr, "%s: (IOPT_PLANT_PATCHED) %s\n", who, why);
		return -1;
	}
	if (!fmt || !*fmt)
		return 0;
	for (int f = 0; f < IOPT_FMT_COUNT; f++) {
		if (!strcmp(fmt, iopt_dec_fmt_name(f))) {
			opts->force_fmt = f + 1;
			return 0;
		}
	}
	fprintf(stderr, "%s: IOPT_FORMAT '%s': one of arm32-s1 arm32-s2 arm64-s1 arm64-s2 mali\n",
		who, fmt);
	return -1;
}
