// SPDX-License-Identifier: GPL-2.0-only
/*
 * A planted bug for the campaign runner's tests (tests/campaign-test.sh
 * planted): the hyp port skips its second cache clean after every env
 * reset. The first one is the PGD's, made while the page table is created,
 * before the first op; so most non-coherent programs whose first map
 * allocates a table diverge in check 'cmo', with one signature per format:
 * many inputs, few signatures.
 *
 * test-planted-fuzz: as fuzz/libfuzzer.c (print the report and the
 * signature line, then abort) with the bug.
 * test-planted-replay: fuzz/replay.c, unmodified, built with
 * -Diopt_run=iopt_run_planted, so that its iopt_run() call comes here.
 */
#include <stdint.h>
#include <stdlib.h>

#include "exec.h"

#define PLANTED_DROP_CMO_NTH	2

enum iopt_verdict iopt_run_planted(const uint8_t *data, size_t size,
				   const struct iopt_run_opts *opts);

enum iopt_verdict iopt_run_planted(const uint8_t *data, size_t size,
				   const struct iopt_run_opts *opts)
{
	struct iopt_run_opts o = *opts;

	o.hyp_knobs.drop_cmo_nth = PLANTED_DROP_CMO_NTH;
	return iopt_run(data, size, &o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct iopt_run_opts opts = { .abort_on_report = true };

	iopt_run_planted(data, size, &opts);
	return 0;
}
