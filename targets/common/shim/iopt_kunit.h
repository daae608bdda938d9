/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few KUnit pieces io-pgtable-arm-selftests.c (v6.19+) uses: a suite
 * of cases, failure marking and messages. kunit_test_suite() records the
 * suite under one global name for the port runtime to run.
 */
#ifndef IOPT_KUNIT_H
#define IOPT_KUNIT_H

#include <iopt_shim.h>

struct kunit {
	const char *name;
	bool failed;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(fn)		{ .run_case = fn, .name = #fn }
#define kunit_test_suite(s)	struct kunit_suite *iopt_kunit_suite = &(s)
#define kunit_info(t, fmt, ...)	iopt_printk(6, fmt, ##__VA_ARGS__)
#define kunit_err(t, fmt, ...)	iopt_printk(3, fmt, ##__VA_ARGS__)
#define KUNIT_FAIL(t, fmt, ...) do {					\
	(t)->failed = true;						\
	iopt_printk(3, fmt, ##__VA_ARGS__);				\
} while (0)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p) do {				\
	if (IS_ERR_OR_NULL(p))						\
		KUNIT_FAIL(t, "%s is an error or NULL\n", #p);		\
} while (0)

static inline struct device *kunit_device_register(struct kunit *test,
						   const char *name)
{
	static struct device dev = { .numa_node = NUMA_NO_NODE };

	return &dev;
}

#endif /* IOPT_KUNIT_H */
