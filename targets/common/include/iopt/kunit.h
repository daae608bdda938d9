/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The harness side of our KUnit shim (targets/common/shim/iopt_kunit.h):
 * how a failed expectation is reported, and the environment checks the
 * shim's runner makes (targets/common/include/iopt/port_impl.h) for what
 * the io-pgtable API cannot show:
 *
 *   - at every expectation, with a non-coherent walk: every DMA-mapped
 *     table reads the same at the point of coherency as in the CPU's
 *     cache, but for the bits the walker ignores or owns;
 *   - after each case: no detection of the runtime (bad frees, DMA API
 *     misuse, ...), exactly the WARNs the case declares (none, unless it
 *     says otherwise), and nothing left allocated.
 *
 * A KUnit reproducer (fuzz/kunit_gen.c) fails in the shim for a bug the
 * API cannot show, and passes once the bug is fixed.
 */
#ifndef IOPT_KUNIT_ENV_H
#define IOPT_KUNIT_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include <iopt/env.h>

/* A failed expectation of test case name at file:line (NULL: after the case): printed, marked failed. */
void iopt_kunit_fail_at(bool *failed, const char *name, const char *file,
			int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* ... of a comparison "l op r", with both values. */
void iopt_kunit_cmp_failed(bool *failed, const char *name, const char *file,
			   int line, const char *l, const char *op,
			   const char *r, unsigned long long lv,
			   unsigned long long rv);
/* A further line of explanation of the failure just printed ("" none). */
void iopt_kunit_note(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* "ok N name" or "not ok N name", KTAP style. */
void iopt_kunit_result(unsigned int n, const char *name, bool failed);
/* The case running now (NULL between cases) and its number. */
extern const char *iopt_kunit_running;
extern unsigned int iopt_kunit_running_n;

/* 0, or 1 with what is wrong in why: the PoC check above. */
int iopt_kunit_poc_check(const struct iopt_env *env, char *why, size_t n);
/* 0, or 1 with what is wrong in why: the checks after a case. */
int iopt_kunit_env_check(const struct iopt_env *env, long expected_warns,
			 char *why, size_t n);

/*
 * Planted bugs for a KUnit reproducer (the iopt-kunit runner, from
 * IOPT_PLANT): in the env, and in the IOMMU driver's TLB callbacks,
 * here the test case's own (the Nth one is lost before the case sees it),
 * in the configuration alloc_io_pgtable_ops() writes back, in what
 * ops->pgtable_walk reports, and in what a lookup does besides reading.
 * Counted from each alloc_io_pgtable_ops, as the executor counts them.
 */
struct iopt_kunit_plant {
	struct iopt_knobs knobs;
	long skip_add_page_nth, skip_flush_walk_nth;
	long add_page_granule_nth;	/* a block's tlb_add_page names a page */
	long flush_walk_granule_nth;	/* a tlb_flush_walk's granule is its size */
	int cfg_plant;		/* a written-back field (enum iopt_cfg_plant) */
	bool walk_zero_l3;	/* pgtable_walk's level-3 slot comes back 0 */
	bool narrow_pgsizes;	/* the case's largest page size is not asked */
	int warn_after;		/* a call WARNs at its end (enum iopt_warn_plant) */
	int lookup_effect;	/* a lookup does more than read (enum iopt_lookup_plant) */
	long unmap_leaf_bit_nth;	/* a leaf the Nth unmap left, changed */
};

extern struct iopt_kunit_plant iopt_kunit_plant;

#endif /* IOPT_KUNIT_ENV_H */
