// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-selftest: run the kernel's own io-pgtable-arm selftests in each
 * port linked in (kernel, and hyp when IOPT_WITH_HYP) and judge the environment afterwards: they must pass with no
 * WARN, no detection, and nothing left allocated.
 *
 * usage: iopt-selftest [-v] [--version]
 *
 * Built as iopt-selftest-patched in a review build (IOPT_SELFTEST_PATCHED):
 * the same, in the patched tree's two ports.
 */
#include <stdio.h>
#include <string.h>

#ifdef IOPT_SELFTEST_PATCHED
#define iopt_kernel_port	iopt_patched_kernel_port
#define iopt_hyp_port		iopt_patched_hyp_port
#endif
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
	const char *p = strstr(msg, "completed with ");

	if (p && sscanf(p, "completed with %d PASS %d FAIL",
			&r->pass, &r->fail) == 2)
		r->seen = true;
}

static const struct iopt_port *const ports[] = {
	&iopt_kernel_port,
#ifdef IOPT_WITH_HYP
	&iopt_hyp_port,
#endif
};

/* Run the tree's selftests in one port; true if they pass cleanly. */
static bool run_port(const struct iopt_port *port, bool verbose)
{
	struct kselftest_result res = { 0 };
	struct iopt_env *env = port->env;
	unsigned long warns, dets;
	long leaks;
	int ret;

	if (port->init()) {
		printf("  %s port: cannot set up its environment\n", port->name);
		return false;
	}
	env->verbose = verbose;
	env->warn_policy = verbose ? IOPT_POLICY_PRINT : IOPT_POLICY_COUNT;
	env->detect_policy = IOPT_POLICY_PRINT;
	env->printk_hook = grab_summary;
	env->hook_data = &res;

	ret = port->selftest();
	if (ret == -95) {
		printf("  %s port: no selftests (the tree builds none for this side)\n", port->name);
		return true;
	}
	warns = iopt_warn_count(env);
	dets = env->report_total;
	printf("  %s port: kernel selftests %s (returned %d)", port->name,
	       ret ? "FAIL" : "PASS", ret);
	if (res.seen)
		printf(", %d configurations passed, %d failed", res.pass, res.fail);
	printf("\n");
	/* (a KUnit suite's runner checks and resets the env after each case) */
	if (port->tree->selftest != IOPT_SELFTEST_KUNIT)
		printf("    %lu allocations, %lu frees, peak %ld pages; afterwards %lu WARNs, %lu detections, "
		       "%ld live pages, %ld live slab objects, %ld DMA maps\n",
		       env->stats.allocs, env->stats.frees, env->stats.peak_pages,
		       warns, dets, env->stats.live_pages, env->stats.live_slab,
		       env->stats.live_dma_maps);
	if (warns || dets)
		iopt_env_summary(env, stdout);
	leaks = iopt_env_reset(env);
	return !ret && !warns && !dets && !leaks && res.seen && !res.fail;
}

int main(int argc, char **argv)
{
	bool verbose = argc > 1 && !strcmp(argv[1], "-v");
	bool ok = true;

	if (iopt_version_arg(argc, argv))
		return 0;
	printf("iopt-selftest: kernel tree %s\n", iopt_tree_version());
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		ok &= run_port(ports[i], verbose);
	printf("result: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
