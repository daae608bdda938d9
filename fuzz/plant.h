/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Planted bugs by name, for campaigns that must show a detector works:
 * IOPT_PLANT="<bug>@<build>[:N]" in the environment of iopt-fuzz or
 * iopt-replay, e.g. "skip-cmo@hyp" or "leak-table@kernel:2". The Nth
 * event since each alloc_io_pgtable_ops goes wrong (N defaults to 1).
 * "@all" plants it in every build; several, separated by commas, all. In a review build (fuzz/review.h),
 * IOPT_PLANT applies to both trees, IOPT_PLANT_PATCHED to the patched
 * tree only (on top of IOPT_PLANT): a difference between them.
 */
#ifndef IOPT_FUZZ_PLANT_H
#define IOPT_FUZZ_PLANT_H

#include "exec.h"

/* 0, or -1 with a one-line reason in why (unknown bug or build, bad N). */
int iopt_plant_parse(const char *spec, struct iopt_run_opts *opts,
		     char *why, size_t n);
/* The bug names, for usage messages. */
extern const char iopt_plant_names[];
/*
 * Whether a KUnit case in our shim plants the driver plants d holds too
 * (targets/common/kunit_repro.c): the others act in the executor's driver
 * stand-in, which a case's calls do not go through. Compares d's bytes,
 * padding too: d must come from a zero-initialised struct (as every
 * struct iopt_run_opts the entry points fill is).
 */
bool iopt_plant_in_kunit(const struct iopt_drv_plant *d);
/* Nothing planted in opts any more (IOPT_PLANT's and IOPT_PLANT_PATCHED's). */
void iopt_plant_clear(struct iopt_run_opts *opts);

/*
 * The options the entry points take from the environment: IOPT_PLANT and
 * IOPT_PLANT_PATCHED as above, IOPT_FORMAT=<arm32-s1|arm32-s2|arm64-s1|arm64-s2|mali> to run
 * every input in one format, IOPT_VERBOSE to trace, IOPT_STRICT_KNOWN=1
 * to report known upstream bugs as ordinary divergences (fuzz/known.h).
 * On a bad value: one line "<who>: ..." on stderr and -1.
 */
int iopt_opts_from_env(struct iopt_run_opts *opts, const char *who);

#endif /* IOPT_FUZZ_PLANT_H */
