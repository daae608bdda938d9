// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-selftest: run the kernel's own io-pgtable-arm selftests in the
 * kernel port and judge the environment afterwards: they must pass with no
 * WARN, no detection, and nothing left allocated.
 *
 * usage: iopt-selftest [-v] [--version]
 */
#include <stdio.h>
#include <string.h>

#include <iopt/env.h>
#include <iopt/port.h>
#include <iopt/version.h>

struct kselftest_result {
	int pass, fail;
	bool seen;
};

static void grab_summary(struct iopt_env *env, int level, const char *msg)
{
	struct kselftest_result *r = env->hook_data;
	const char *p = strstr(msg, "selftest: completed with ");

	if (p && sscanf(p, "selftest: completed with %d PASS %d FAIL",
			&r->pass, &r->fail) == 2)
		r->seen = true;
}

int main(int argc, char **argv)
{
	const struct iopt_port *port = &iopt_kernel_port;
	struct kselftest_result res = { 0 };
	struct iopt_env *env = port->env;
	long live_pages, live_slab, live_dma, leaks;
	unsigned long warns, dets;
	bool ok;
	int ret;

	if (iopt_version_arg(argc, argv))
		return 0;
	if (port->init()) {
		fprintf(stderr, "iopt-selftest: cannot set up the kernel port\n");
		return 2;
	}
	env->verbose = argc > 1 && !strcmp(argv[1], "-v");
	env->warn_policy = env->verbose ? IOPT_POLICY_PRINT : IOPT_POLICY_COUNT;
	env->detect_policy = IOPT_POLICY_PRINT;
	env->printk_hook = grab_summary;
	env->hook_data = &res;

	printf("iopt-selftest: kernel tree %s, %s port\n", iopt_tree_version(),
	       port->name);
	ret = port->selftest();
	if (ret == -95) {
		printf("  this tree has no in-file selftests to run\n");
		return 0;
	}

	warns = iopt_warn_count(env);
	dets = env->report_total;
	live_pages = env->stats.live_pages;
	live_slab = env->stats.live_slab;
	live_dma = env->stats.live_dma_maps;
	printf("  kernel selftests: %s (returned %d)", ret ? "FAIL" : "PASS", ret);
	if (res.seen)
		printf(", %d configurations passed, %d failed", res.pass, res.fail);
	printf("\n  allocations: %lu, frees: %lu, peak %ld pages\n",
	       env->stats.allocs, env->stats.frees, env->stats.peak_pages);
	printf("  afterwards: %lu WARNs, %lu detections, %ld live pages, %ld live slab objects, %ld DMA maps\n",
	       warns, dets, live_pages, live_slab, live_dma);
	if (warns || dets)
		iopt_env_summary(env, stdout);
	leaks = iopt_env_reset(env);

	ok = !ret && !warns && !dets && !leaks && res.seen && !res.fail;
	printf("result: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
