/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal test helpers: CHECK() counts, TEST_DONE() prints the closing
 * "N passed, N failed" line that CI reads, and returns the exit status.
 *
 * Why not a test framework from Debian (cmocka, check): our tests are
 * tables of cases in KUnit's EXPECT style, where a failed expectation is
 * counted and the case goes on, so one run shows every disagreement;
 * cmocka's assert_*() end the test at the first one, and either would be a
 * new dependency for these fifty lines.
 */
#ifndef IOPT_TESTS_CHECK_H
#define IOPT_TESTS_CHECK_H

#include <stdio.h>

static int check_pass, check_fail;

#define CHECK(cond) check_one(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(a, b) check_eq((unsigned long long)(a),		\
				(unsigned long long)(b), #a, #b,	\
				__FILE__, __LINE__)

static inline int check_one(int ok, const char *what, const char *file,
			    int line)
{
	if (ok) {
		check_pass++;
		return 1;
	}
	check_fail++;
	fprintf(stderr, "%s:%d: FAIL: %s\n", file, line, what);
	return 0;
}

static inline int check_eq(unsigned long long a, unsigned long long b,
			   const char *sa, const char *sb, const char *file,
			   int line)
{
	if (a == b) {
		check_pass++;
		return 1;
	}
	check_fail++;
	fprintf(stderr, "%s:%d: FAIL: %s == %s (0x%llx != 0x%llx)\n",
		file, line, sa, sb, a, b);
	return 0;
}

#define TEST_DONE()							\
	({								\
		printf("%d passed, %d failed\n", check_pass, check_fail); \
		check_fail ? 1 : 0;					\
	})

#endif /* IOPT_TESTS_CHECK_H */
