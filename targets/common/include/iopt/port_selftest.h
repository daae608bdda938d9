/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Included by each port's runtime.c: run the tree's selftests, whichever
 * way the tree registers them (an in-file subsys_initcall in 6.1/6.12, a
 * KUnit suite in v6.19+). The names resolve inside the port's own object.
 */
#ifndef IOPT_PORT_SELFTEST_H
#define IOPT_PORT_SELFTEST_H

#include <iopt_kunit.h>

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

#endif /* IOPT_PORT_SELFTEST_H */
