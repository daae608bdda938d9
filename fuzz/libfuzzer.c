// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-fuzz: the libFuzzer target. A divergence prints its report and one
 * signature line "iopt: <check>/<op>/<format>", then aborts, so that the
 * fuzzer keeps the input as a crash and deduplicates by signature.
 * IOPT_PLANT, IOPT_FORMAT and IOPT_VERBOSE: see plant.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <iopt/version.h>
#include "exec.h"
#include "plant.h"

static struct iopt_run_opts opts = { .abort_on_report = true };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (iopt_version_arg(*argc, *argv))
		exit(0);
	if (iopt_opts_from_env(&opts, "iopt-fuzz"))
		exit(2);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	iopt_run(data, size, &opts);
	return 0;
}
