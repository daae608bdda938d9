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

/* The IOMMU driver stand-in of every port (targets/common/driver.c). */
extern const struct iopt_driver iopt_port_driver;

/* The tree this port is built from (cmake/probe-tree.sh). */
static const struct iopt_tree iopt_port_tree = {
	.version	= IOPT_TREE_VERSION,
	.version_code	= IOPT_TREE_VERSION_CODE,
	.source		= IOPT_TREE_SOURCE,
	.contract	= IOPT_CONTRACT_NAME,
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
 * in-file subsys_initcall (6.1/6.12) or a KUnit suite (v6.19+).
 */
extern int (*iopt_initcall)(void) __attribute__((weak));
extern struct kunit_suite *iopt_kunit_suite __attribute__((weak));

static inline int iopt_port_selftest(void)
{
	struct kunit_case *c;
	int ret = 0;

	if (&iopt_initcall && iopt_initcall)
		return iopt_initcall();
	if (!&iopt_kunit_suite || !iopt_kunit_suite)
		return -EOPNOTSUPP;
	for (c = iopt_kunit_suite->test_cases; c && c->run_case; c++) {
		struct kunit test = { .name = c->name };

		c->run_case(&test);
		if (test.failed)
			ret = -EFAULT;
	}
	return ret;
}

#endif /* IOPT_PORT_IMPL_H */
