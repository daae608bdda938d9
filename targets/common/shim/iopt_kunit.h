/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few KUnit pieces io-pgtable-arm-selftests.c (v6.19+) and the KUnit
 * reproducers of iopt-replay --repro (fuzz/kunit_gen.c) use: a suite of
 * cases, expectations and assertions, messages. kunit_test_suite()
 * records the suite under one global name for the port runtime to run
 * (iopt/port_impl.h), which also checks the environment after each case
 * (iopt/kunit.h).
 *
 * Unlike KUnit's, every expectation is also a checkpoint of the
 * environment (its operands are evaluated first: they are often the op
 * under test): with a non-coherent walk, the tables must be clean at the
 * point of coherency there. An assertion that fails returns from the
 * function it is in (KUnit's aborts the case): use assertions in the
 * case's own body only.
 */
#ifndef IOPT_KUNIT_H
#define IOPT_KUNIT_H

#include <iopt_shim.h>
#include <iopt/kunit.h>

/* Code meant for iopt-fuzz's shim only (a reproducer's extra checks). */
#define IOPT_KUNIT_SHIM	1

struct kunit_resource;

struct kunit {
	const char *name;
	bool failed;
	struct kunit_resource *resources;	/* the newest first */
	/* iopt-fuzz only: the WARNs the case must trigger (default none) */
	long expected_warns;
	bool poc_reported;		/* the PoC check failed once already */
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

/* The environment checkpoint of every expectation at file:line (iopt/port_impl.h). */
void iopt_kunit_checkpoint(struct kunit *test, const char *file, int line);

#define KUNIT_CASE(fn)		{ .run_case = fn, .name = #fn }
#define kunit_test_suite(s)	struct kunit_suite *iopt_kunit_suite = &(s)
#define kunit_info(t, fmt, ...)	iopt_printk(6, fmt, ##__VA_ARGS__)
#define kunit_err(t, fmt, ...)	iopt_printk(3, fmt, ##__VA_ARGS__)
#define KUNIT_FAIL(t, fmt, ...)						\
	iopt_kunit_fail_at(&(t)->failed, (t)->name, __FILE__, __LINE__,	\
			   fmt, ##__VA_ARGS__)

/*
 * "l op r", both evaluated once, then the checkpoint; on failure, ret.
 * The texts are taken where the test wrote them, before macros expand.
 */
#define IOPT_KUNIT_CMP(t, l, op, r, lt, rt, ret, fmt, ...) do {		\
	const typeof(l) __iopt_l = (l);					\
	const typeof(r) __iopt_r = (r);					\
									\
	iopt_kunit_checkpoint(t, __FILE__, __LINE__);			\
	if (!(__iopt_l op __iopt_r)) {					\
		iopt_kunit_cmp_failed(&(t)->failed, (t)->name, __FILE__,\
				      __LINE__, lt, #op, rt,		\
				      (unsigned long long)__iopt_l,	\
				      (unsigned long long)__iopt_r);	\
		iopt_kunit_note(fmt, ##__VA_ARGS__);			\
		ret;							\
	}								\
} while (0)

#define IOPT_KUNIT_COND(t, cond, text, what, ret, fmt, ...) do {	\
	bool __iopt_c = (cond);						\
									\
	iopt_kunit_checkpoint(t, __FILE__, __LINE__);			\
	if (!__iopt_c) {						\
		KUNIT_FAIL(t, "Expected %s %s", text, what);		\
		iopt_kunit_note(fmt, ##__VA_ARGS__);			\
		ret;							\
	}								\
} while (0)

#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...)				\
	IOPT_KUNIT_CMP(t, l, ==, r, #l, #r, , fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ(t, l, r)	IOPT_KUNIT_CMP(t, l, ==, r, #l, #r, , "")
#define KUNIT_EXPECT_NE(t, l, r)	IOPT_KUNIT_CMP(t, l, !=, r, #l, #r, , "")
#define KUNIT_ASSERT_EQ(t, l, r)	IOPT_KUNIT_CMP(t, l, ==, r, #l, #r, return, "")
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...)				\
	IOPT_KUNIT_COND(t, c, #c, "to be true", , fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE(t, c)		IOPT_KUNIT_COND(t, c, #c, "to be true", , "")
#define KUNIT_EXPECT_FALSE(t, c)	IOPT_KUNIT_COND(t, !(c), #c, "to be false", , "")
#define KUNIT_EXPECT_NULL(t, p)		IOPT_KUNIT_COND(t, (p) == NULL, #p, "to be NULL", , "")
#define KUNIT_EXPECT_NOT_NULL(t, p)	IOPT_KUNIT_COND(t, (p) != NULL, #p, "not to be NULL", , "")
#define KUNIT_ASSERT_NOT_NULL(t, p)	IOPT_KUNIT_COND(t, (p) != NULL, #p, "not to be NULL", return, "")
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p)				\
	IOPT_KUNIT_COND(t, !IS_ERR_OR_NULL(p), #p, "not to be an error or NULL", , "")
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p)				\
	IOPT_KUNIT_COND(t, !IS_ERR_OR_NULL(p), #p, "not to be an error or NULL", return, "")

/* A KUnit device has a 32-bit DMA mask until the test sets another. */
static inline struct device *kunit_device_register(struct kunit *test,
						   const char *name)
{
	static struct device dev;

	dev = (struct device){ .numa_node = NUMA_NO_NODE,
			       .dma_mask = &dev.coherent_dma_mask,
			       .coherent_dma_mask = 0xffffffffULL };
	return &dev;
}

/*
 * A root device (<linux/device.h>) has no DMA mask. A few at a time, from
 * a static pool (as the resources below): this header, compiled with the
 * kernel's files, allocates nothing of its own.
 */
#define IOPT_KUNIT_POOL	8

static struct {
	struct device dev;
	bool used;
} iopt_root_devices[IOPT_KUNIT_POOL] __maybe_unused;

static inline struct device *root_device_register(const char *name)
{
	for (int i = 0; i < IOPT_KUNIT_POOL; i++) {
		if (iopt_root_devices[i].used)
			continue;
		iopt_root_devices[i].used = true;
		iopt_root_devices[i].dev = (struct device){
			.numa_node = NUMA_NO_NODE };
		return &iopt_root_devices[i].dev;
	}
	return ERR_PTR(-ENOMEM);
}

static inline void root_device_unregister(struct device *dev)
{
	for (int i = 0; i < IOPT_KUNIT_POOL; i++)
		if (&iopt_root_devices[i].dev == dev)
			iopt_root_devices[i].used = false;
}

/*
 * Test-managed resources, as <kunit/resource.h> has them before
 * kunit_add_action() (v6.5): freed after the case, the newest first,
 * whether an assertion failed or not.
 */
typedef int (*kunit_resource_init_t)(struct kunit_resource *, void *);
typedef void (*kunit_resource_free_t)(struct kunit_resource *);

struct kunit_resource {
	void *data;
	kunit_resource_free_t free;
	struct kunit_resource *next;
	bool used;
};

static struct kunit_resource iopt_kunit_resources[IOPT_KUNIT_POOL] __maybe_unused;

static inline void *kunit_alloc_resource(struct kunit *test,
					 kunit_resource_init_t init,
					 kunit_resource_free_t free_fn,
					 gfp_t internal_gfp, void *context)
{
	struct kunit_resource *res = NULL;

	for (int i = 0; i < IOPT_KUNIT_POOL && !res; i++)
		if (!iopt_kunit_resources[i].used)
			res = &iopt_kunit_resources[i];
	if (!res)
		return NULL;
	*res = (struct kunit_resource){ .free = free_fn, .used = true };
	if (init && init(res, context)) {
		res->used = false;
		return NULL;
	}
	res->next = test->resources;
	test->resources = res;
	return res->data;
}

/* After each case (iopt/port_impl.h). */
static inline void iopt_kunit_cleanup(struct kunit *test)
{
	while (test->resources) {
		struct kunit_resource *res = test->resources;

		test->resources = res->next;
		if (res->free)
			res->free(res);
		res->used = false;
	}
}

/*
 * What the reproducers use of <linux/iommu.h> and <linux/dma-mapping.h>
 * beyond io-pgtable's needs. The emulated DMA API maps any address.
 */
static inline void iommu_iotlb_gather_init(struct iommu_iotlb_gather *gather)
{
	*gather = (struct iommu_iotlb_gather){ .start = ~0UL };
}

#define DMA_BIT_MASK(n)	(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

static inline int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	if (!dev->dma_mask)
		return -EIO;
	*dev->dma_mask = mask;
	dev->coherent_dma_mask = mask;
	return 0;
}

/* iopt-fuzz only: what a reproducer says of the case (fuzz/kunit_gen.c). */
#define iopt_kunit_expect_warns(t, n)	((t)->expected_warns = (n))
/* The nth table allocation from now fails, the way kind says (enum iopt_fault_kind). */
void iopt_kunit_fail_alloc(struct kunit *test, int kind, long nth);
/* The page allocations and frees since alloc_io_pgtable_ops(): count, bytes. */
struct iopt_kunit_pages {
	unsigned long allocs, frees;
	unsigned long long alloc_bytes, free_bytes;
};
struct iopt_kunit_pages iopt_kunit_pages(void);

#endif /* IOPT_KUNIT_H */
