/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The verdict on one input, the same for every entry point (iopt-fuzz,
 * iopt-replay, iopt-campaign): clean, a divergence (a report), or a known
 * upstream bug (not a report: the fuzzer goes on), with its signature:
 * "-", "iopt: <check>/<op>/<format>" or "known:<id>".
 *
 * IOPT_KNOWN_PLANT=<check>[/<op>[/<format>]][,...], for the tests of
 * what handles known bugs: while a bug is planted (IOPT_PLANT), a
 * divergence whose signature begins so stands for the known bug
 * "known:plant-<check>[-<op>[-<format>]]". Without IOPT_PLANT it is
 * refused: it can never hide a real divergence.
 */
#ifndef IOPT_FUZZ_VERDICT_H
#define IOPT_FUZZ_VERDICT_H

#include "exec.h"

#define IOPT_SIG_MAX	128

/* Read IOPT_KNOWN_PLANT; on a bad value one line "<who>: ..." and -1. */
int iopt_verdict_init(const char *who);

/* Run one input; its verdict, and its signature in sig. */
enum iopt_verdict iopt_judge(const uint8_t *data, size_t size,
			     const struct iopt_run_opts *opts,
			     char sig[IOPT_SIG_MAX]);

#endif /* IOPT_FUZZ_VERDICT_H */
