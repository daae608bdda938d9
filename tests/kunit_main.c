// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-kunit [-v]: run the KUnit case built into this binary (a
 * reproducer of iopt-replay --repro, copied in by scripts/kunit-case.sh;
 * cmake/IoptKunit.cmake) in our KUnit shim, in the kernel's build of the
 * tree, with the bug IOPT_PLANT names planted (fuzz/plant.h). Exit 0
 * when every case passes, 1 when one fails, 2 on a usage error.
 *
 * Undefined behaviour in the kernel code traps (UBSan in trap mode) where
 * the kernel's UBSan would print a report: the case has failed, and says
 * so, rather than the binary dying of SIGILL.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <iopt/env.h>
#include <iopt/kunit.h>
#include <iopt/port.h>
#include <iopt/version.h>
#include "plant.h"

struct iopt_kunit_plant iopt_kunit_plant;

static bool planted(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return true;
	return false;
}

static void trapped(int sig)
{
	(void)sig;
	if (iopt_kunit_running)
		printf("    # %s: the case trapped: undefined behaviour (UBSan) in the code under test\n    not ok %u %s\n",
		       iopt_kunit_running, iopt_kunit_running_n, iopt_kunit_running);
	printf("not ok 1 iopt-kunit\niopt-kunit: FAIL\n");
	fflush(stdout);
	_exit(1);
}

int main(int argc, char **argv)
{
	const struct iopt_port *port = &iopt_kernel_port;
	const char *plant = getenv("IOPT_PLANT");
	struct iopt_run_opts opts = { 0 };
	int ret;

	if (iopt_version_arg(argc, argv))
		return 0;
	if (iopt_opts_from_env(&opts, "iopt-kunit"))
		return 2;
	if (planted(&opts.knobs[IOPT_ROLE_HYP], sizeof(opts.knobs[0])) ||
	    planted(&opts.drv_plant[IOPT_ROLE_HYP], sizeof(opts.drv_plant[0]))) {
		fprintf(stderr, "iopt-kunit: IOPT_PLANT: a KUnit case runs the kernel's build; a bug planted @hyp does not reach it\n");
		return 2;
	}
	if (!iopt_plant_in_kunit(&opts.drv_plant[IOPT_ROLE_KERNEL])) {
		fprintf(stderr, "iopt-kunit: IOPT_PLANT: '%s' acts in the executor's IOMMU driver stand-in, which a KUnit case's calls do not go through\n",
			plant);
		return 2;
	}
	iopt_kunit_plant.knobs = opts.knobs[IOPT_ROLE_KERNEL];
	iopt_kunit_plant.skip_add_page_nth =
		opts.drv_plant[IOPT_ROLE_KERNEL].skip_add_page_nth;
	iopt_kunit_plant.skip_flush_walk_nth =
		opts.drv_plant[IOPT_ROLE_KERNEL].skip_flush_walk_nth;
	iopt_kunit_plant.add_page_granule_nth =
		opts.drv_plant[IOPT_ROLE_KERNEL].add_page_granule_nth;
	iopt_kunit_plant.flush_walk_granule_nth =
		opts.drv_plant[IOPT_ROLE_KERNEL].flush_walk_granule_nth;
	iopt_kunit_plant.cfg_plant = opts.drv_plant[IOPT_ROLE_KERNEL].cfg_plant;
	iopt_kunit_plant.walk_zero_l3 = opts.drv_plant[IOPT_ROLE_KERNEL].walk_zero_l3;
	iopt_kunit_plant.narrow_pgsizes =
		opts.drv_plant[IOPT_ROLE_KERNEL].narrow_pgsizes;
	iopt_kunit_plant.warn_after = opts.drv_plant[IOPT_ROLE_KERNEL].warn_after;
	iopt_kunit_plant.lookup_effect = opts.drv_plant[IOPT_ROLE_KERNEL].lookup_effect;
	iopt_kunit_plant.unmap_leaf_bit_nth =
		opts.drv_plant[IOPT_ROLE_KERNEL].unmap_leaf_bit_nth;
	if (port->init()) {
		fprintf(stderr, "iopt-kunit: cannot set up the kernel port's environment\n");
		return 2;
	}
	port->env->verbose = argc > 1 && !strcmp(argv[1], "-v");
	port->env->knobs = iopt_kunit_plant.knobs;
	signal(SIGILL, trapped);
	signal(SIGTRAP, trapped);
	printf("KTAP version 1\n# iopt-kunit: kernel tree %s, IOPT_PLANT=%s\n1..1\n",
	       iopt_tree_version(), plant && *plant ? plant : "(none)");
	ret = port->selftest();
	if (ret == -95) {
		fprintf(stderr, "iopt-kunit: no KUnit suite in this build\n");
		return 2;
	}
	printf("%s 1 iopt-kunit\niopt-kunit: %s\n", ret ? "not ok" : "ok",
	       ret ? "FAIL" : "PASS");
	return ret ? 1 : 0;
}
