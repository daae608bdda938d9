/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Included by each port's runtime.c: the parts of a port that are the
 * same in every port, so that a runtime.c holds only what differs. The
 * names resolve inside the port's own object.
 */
#ifndef IOPT_PORT_IMPL_H
#define IOPT_PORT_IMPL_H

#include <iopt/env.h>
#include <iopt/port.h>
#include <iopt_kunit.h>
#include <linux/io-pgtable.h>

#include "decode.h"	/* enum iopt_fmt, for fmt_mask */
#include <iopt_contract_config.h>
#include <iopt/kernel_cfg.h>

/* The IOMMU driver stand-in of every port (targets/common/driver.c). */
extern const struct iopt_driver iopt_port_driver;

/* The tree this port is built from (cmake/probe-tree.sh). */
static const struct iopt_tree iopt_port_tree = {
	.version	= IOPT_TREE_VERSION,
	.version_code	= IOPT_TREE_VERSION_CODE,
	.source		= IOPT_TREE_SOURCE,
	.contract	= IOPT_CONTRACT_NAME,
	.selftest		= IOPT_TREE_SELFTEST,
	.has_legacy_map		= IOPT_TREE_HAS_LEGACY_MAP,
	.has_pgtable_walk	= IOPT_TREE_HAS_PGTABLE_WALK,
	.has_dirty		= IOPT_TREE_HAS_DIRTY,
	.has_cfg_alloc		= IOPT_TREE_HAS_CFG_ALLOC,
	.has_quirk_hd		= IOPT_TREE_HAS_QUIRK_HD,
	.has_quirk_s2fwb	= IOPT_TREE_HAS_QUIRK_S2FWB,
	.has_quirk_no_warn	= IOPT_TREE_HAS_QUIRK_NO_WARN,
	/* lib/kunit, not probed: v6.8 added it */
	.has_kunit_device	= IOPT_TREE_VERSION_CODE >= IOPT_VERSION_CODE(6, 8, 0),
	.cfg_fields		= iopt_kernel_cfg_fields,
};

/* Set the env up on first use; the harness picks the policies. */
static inline int iopt_port_env_setup(struct iopt_env *env, const char *name,
				      uint64_t phys_base, uint64_t size)
{
	if (env->arena)
		return 0;
	if (iopt_env_init(env, name, phys_base, size, PAGE_SHIFT))
		return -1;
	env->warn_policy = IOPT_POLICY_COUNT;
	env->detect_policy = IOPT_POLICY_COUNT;
	return 0;
}

static inline struct io_pgtable_ops *iopt_port_alloc_ops(int fmt,
					struct io_pgtable_cfg *cfg,
					void *cookie)
{
	return alloc_io_pgtable_ops((enum io_pgtable_fmt)fmt, cfg, cookie);
}

/*
 * Run the tree's selftests, whichever way the tree registers them: an
 * in-file subsys_initcall (6.1/6.12) or a KUnit suite (v6.19+). A port
 * built for a KUnit reproducer (IOPT_KUNIT_REPRO, cmake/IoptKunit.cmake)
 * runs the reproducer's suite instead.
 */
extern int (*iopt_initcall)(void) __attribute__((weak));
extern struct kunit_suite *iopt_kunit_suite __attribute__((weak));
extern const struct iopt_port *const iopt_this_port;

/* Every expectation of a KUnit case: the tables clean at the PoC (iopt/kunit.h). */
void iopt_kunit_checkpoint(struct kunit *test, const char *file, int line)
{
	char why[320];

	if (test->poc_reported || !iopt_kunit_poc_check(iopt_this_port->env,
							why, sizeof(why)))
		return;
	test->poc_reported = true;
	iopt_kunit_fail_at(&test->failed, test->name, file, line,
			   "iopt-fuzz's KUnit shim: %s", why);
}

/*
 * Each case on a fresh env with the planted knobs, then the checks after
 * it: no detection, the WARNs it declares, nothing left allocated.
 */
static inline int iopt_port_kunit(struct kunit_suite *suite)
{
	struct iopt_env *env = iopt_this_port->env;
	struct iopt_knobs planted = env->knobs;
	unsigned int n = 0;
	int ret = 0;

	for (struct kunit_case *c = suite->test_cases; c && c->run_case; c++) {
		struct kunit test = { .name = c->name };
		char why[320];

		iopt_env_reset(env);
		env->knobs = planted;
		iopt_kunit_running = c->name;
		iopt_kunit_running_n = n + 1;
		c->run_case(&test);
		iopt_kunit_cleanup(&test);
		iopt_kunit_running = NULL;
		if (iopt_kunit_env_check(env, test.expected_warns, why,
					 sizeof(why)))
			iopt_kunit_fail_at(&test.failed, test.name, NULL, 0,
					   "iopt-fuzz's KUnit shim: %s", why);
		iopt_kunit_result(++n, c->name, test.failed);
		if (test.failed)
			ret = -EFAULT;
	}
	iopt_env_reset(env);
	env->knobs = planted;
	return ret;
}

static inline int iopt_port_selftest(void)
{
#ifndef IOPT_KUNIT_REPRO
	if (&iopt_initcall && iopt_initcall)
		return iopt_initcall();
#endif
	if (!&iopt_kunit_suite || !iopt_kunit_suite)
		return -EOPNOTSUPP;
	return iopt_port_kunit(iopt_kunit_suite);
}

#endif /* IOPT_PORT_IMPL_H */
