/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A KUnit test case from a (minimized) program and its report, in the
 * style of the tree's own io-pgtable-arm selftests: alloc_io_pgtable_ops()
 * with the program's configuration and a recording iommu_flush_ops, the
 * ops in order with their arguments, and KUNIT_EXPECT_*s on what the
 * contract requires (the reference model's predictions). A comment says
 * what goes wrong and, where the io-pgtable API cannot show it, how
 * iopt-fuzz's KUnit shim still fails the case (docs/reproducers.md).
 */
#ifndef IOPT_FUZZ_KUNIT_GEN_H
#define IOPT_FUZZ_KUNIT_GEN_H

#include <stdio.h>

#include "exec.h"
#include "input.h"

struct iopt_kunit_report {
	const char *signature;		/* "iopt: <check>/<op>/<fmt>" or "known:<id>" */
	const char *check;		/* the check that failed */
	const char *side;		/* the port it failed on, "" between ports */
	const char *what;		/* the report's "what differs" text */
	const char *plant;		/* IOPT_PLANT of the run, or NULL */
	/*
	 * A review's difference that no oracle reported: the program runs
	 * clean on this tree (the base) and the case checks what differs,
	 * so that it fails on the patched tree (IOPT_KUNIT_*).
	 */
	unsigned int base_checks;
};

/* The page allocations, which no contract fixes: pinned after each op. */
#define IOPT_KUNIT_PIN_ALLOCS	(1u << 0)
/* The TLB callbacks: every unmapped IOVA invalidated, as the contract says. */
#define IOPT_KUNIT_CHECK_TLB	(1u << 1)

/*
 * Write the case for prog to f: runs prog once more under opts, with the
 * model watching each op. Returns 0, or -1 if prog no longer gives the
 * report's signature.
 */
int iopt_kunit_generate(FILE *f, const struct iopt_prog *prog,
			const struct iopt_run_opts *opts,
			const struct iopt_kunit_report *rep);

#endif /* IOPT_FUZZ_KUNIT_GEN_H */
