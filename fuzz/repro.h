/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iopt-replay --repro DIR FILE: minimize the report FILE ends in and write
 * a reproducer into DIR (docs/reproducers.md):
 *
 *   input      the minimized program (input format v2)
 *   original   a copy of FILE
 *   trace.txt  the op trace and the full report of the minimized input
 *   kunit.c    a KUnit test case for the tree (fuzz/kunit_gen.c)
 *   README     the signature, the tree and its file hashes, the command
 *              that made it, and how to replay it
 *
 * DIR is created if missing and must be empty if it exists. FILE must be
 * readable and end in a report (under the planted bug and format of the
 * environment, IOPT_PLANT and IOPT_FORMAT). Otherwise one line on stderr
 * and exit status 2; 0 when the reproducer is written.
 */
#ifndef IOPT_FUZZ_REPRO_H
#define IOPT_FUZZ_REPRO_H

#include "exec.h"

/*
 * Which tree the KUnit case is written for, and the signature it must
 * show there: NULL (this binary's tree, the report's signature), or in a
 * review build the tree whose oracle failed (fuzz/review_judge.c; it
 * points iopt_run_ports at that tree's ports). Returning NULL from it: no
 * tree breaks its contract, so no KUnit case can show the difference. When
 * a case written from the base's clean run can (allocations, TLB
 * callbacks), it points iopt_run_ports at the base, sets *base_checks
 * (IOPT_KUNIT_*, kunit_gen.h) and returns the review's signature.
 */
extern const char *(*iopt_repro_kunit_target)(const uint8_t *data, size_t size,
					       const struct iopt_run_opts *opts,
					       unsigned int *base_checks);

/* argv: DIR FILE (what follows --repro); opts: from the environment. */
int iopt_repro_main(int argc, char **argv, const struct iopt_run_opts *opts);

#endif /* IOPT_FUZZ_REPRO_H */
