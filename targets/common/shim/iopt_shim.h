/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iopt_shim.h - the userspace stand-in for the kernel headers that
 * drivers/iommu/io-pgtable-arm.c and io-pgtable.c include.
 *
 * Every <linux/...> and <asm/...> include of the kernel files lands here
 * (see the forwarding headers beside this file). The tree's own
 * include/linux/io-pgtable.h, drivers/iommu/io-pgtable-arm.h and
 * drivers/iommu/iommu-pages.h are used as they are; iopt_mm.h provides
 * what iommu-pages needs (struct page, folios, lists, vmstat).
 *
 * Like tools/testing/vma/vma_internal.h, the header is split in three:
 *
 *   1. stubs: attributes and annotations that compile to nothing;
 *   2. duplicated definitions: types, bit and math helpers, errnos, the
 *      iommu.h pieces, written to the kernel's documented semantics;
 *   3. customised definitions: the environment (memory, DMA, WARN, printk).
 *      They are declared here and implemented by a *port*: the kernel port
 *      (targets/kernel_port/runtime.c) or the hypervisor port
 *      (targets/hyp_port/runtime.c). They record what the tests observe.
 *
 * No libc header is included: the kernel files see only this.
 */
#ifndef IOPT_SHIM_H
#define IOPT_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <iopt_tree_config.h>

/* ====================================================================
 * 1. Stubs
 * ==================================================================== */
#define __init
#define __exit
#define __initdata
#define __initconst
#define __read_mostly
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
#define noinline		__attribute__((noinline))
#define __maybe_unused		__attribute__((unused))
#define __always_unused		__attribute__((unused))
#define __must_check		__attribute__((warn_unused_result))
#ifndef __attribute_const__
#define __attribute_const__	__attribute__((const))
#endif
#define __aligned(x)		__attribute__((aligned(x)))
#define __packed		__attribute__((packed))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __cold			__attribute__((cold))
#define __user
#define __iomem
#define __rcu
#define __force
#define __bitwise
#define fallthrough		__attribute__((fallthrough))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define might_sleep()		do { } while (0)
#define lockdep_assert_held(l)	do { (void)(l); } while (0)
#define EXPORT_SYMBOL(sym)	extern typeof(sym) sym
#define EXPORT_SYMBOL_GPL(sym)	extern typeof(sym) sym
#define MODULE_LICENSE(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_AUTHOR(x)

/*
 * Initcalls: the port runtime finds the selftest entry point through this
 * one global name (each port object keeps its own, see docs/design.md).
 */
#define subsys_initcall(fn)	int (*iopt_initcall)(void) = fn
#define module_init(fn)		subsys_initcall(fn)
#define module_exit(fn)		extern int iopt_module_exit_unused

/* ====================================================================
 * 2. Duplicated definitions
 * ==================================================================== */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned int gfp_t;
typedef long ssize_t;
typedef struct { int counter; } atomic_t;

#define BITS_PER_LONG		64
#define BITS_PER_LONG_LONG	64
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		(((~0UL) << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ALIGN(x, a)		(((x) + ((typeof(x))(a) - 1)) & ~((typeof(x))(a) - 1))
/* <linux/math.h>: y a power of two */
#define __round_mask(x, y)	((__typeof__(x))((y) - 1))
#define round_up(x, y)		((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y)	((x) & ~__round_mask(x, y))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define BUILD_BUG_ON(c)		((void)sizeof(char[1 - 2 * !!(c)]))
/* static_assert(expr) or static_assert(expr, msg), as linux/build_bug.h */
#define static_assert(expr, ...) __iopt_static_assert(expr, ##__VA_ARGS__, #expr)
#define __iopt_static_assert(expr, msg, ...) _Static_assert(expr, msg)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define min(a, b)	({ typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b)	({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define umin(a, b)	min((u64)(a), (u64)(b))
#define umax(a, b)	max((u64)(a), (u64)(b))
#define min_t(t, a, b)	({ t _a = (a); t _b = (b); _a < _b ? _a : _b; })
#define max_t(t, a, b)	({ t _a = (a); t _b = (b); _a > _b ? _a : _b; })
#define clamp(v, lo, hi) min(max(v, lo), hi)

#define SZ_1	0x00000001
#define SZ_2	0x00000002
#define SZ_4	0x00000004
#define SZ_8	0x00000008
#define SZ_16	0x00000010
#define SZ_32	0x00000020
#define SZ_64	0x00000040
#define SZ_128	0x00000080
#define SZ_256	0x00000100
#define SZ_512	0x00000200
#define SZ_1K	0x00000400
#define SZ_2K	0x00000800
#define SZ_4K	0x00001000
#define SZ_8K	0x00002000
#define SZ_16K	0x00004000
#define SZ_32K	0x00008000
#define SZ_64K	0x00010000
#define SZ_128K	0x00020000
#define SZ_256K	0x00040000
#define SZ_512K	0x00080000
#define SZ_1M	0x00100000
#define SZ_2M	0x00200000
#define SZ_4M	0x00400000
#define SZ_8M	0x00800000
#define SZ_16M	0x01000000
#define SZ_32M	0x02000000
#define SZ_64M	0x04000000
#define SZ_128M	0x08000000
#define SZ_256M	0x10000000
#define SZ_512M	0x20000000
#define SZ_1G	0x40000000
#define SZ_2G	0x80000000
#define SZ_4G	_AC(0x100000000, ULL)
#define SZ_8G	_AC(0x200000000, ULL)
#define SZ_16G	_AC(0x400000000, ULL)
#define SZ_64T	_AC(0x400000000000, ULL)
#define _AC(x, y)	(x##y)

/* errno values as in include/uapi/asm-generic/errno*.h */
#define ENOENT		2
#define EIO		5
#define ENOMEM		12
#define EFAULT		14
#define EEXIST		17
#define EINVAL		22
#define ERANGE		34
#define EOPNOTSUPP	95
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR_VALUE(ptr); }

/* The emulated kernel PAGE_SIZE (it picks the granule): IOPT_PAGE_SHIFT. */
#ifndef IOPT_PAGE_SHIFT
#define IOPT_PAGE_SHIFT 12
#endif
#define PAGE_SHIFT	IOPT_PAGE_SHIFT
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define NUMA_NO_NODE	(-1)

/* Bit operations */
#define __ffs(x)	((unsigned long)__builtin_ctzl(x))
#define __fls(x)	((unsigned long)(BITS_PER_LONG - 1 - __builtin_clzl(x)))
#define ffs(x)		__builtin_ffs(x)
static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
#define ilog2(n)	((int)(63 - __builtin_clzll((unsigned long long)(n))))
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))
#define BITS_TO_LONGS(n) DIV_ROUND_UP(n, BITS_PER_LONG)

static inline unsigned long find_next_bit(const unsigned long *addr,
					  unsigned long size,
					  unsigned long bit)
{
	for (; bit < size; bit++)
		if (addr[bit / BITS_PER_LONG] & (1UL << (bit % BITS_PER_LONG)))
			return bit;
	return size;
}
#define find_first_bit(addr, size)	find_next_bit(addr, size, 0)
#define for_each_set_bit(bit, addr, size)				\
	for ((bit) = find_first_bit((addr), (size));			\
	     (bit) < (size);						\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[nr / BITS_PER_LONG], 1UL << (nr % BITS_PER_LONG),
			  __ATOMIC_RELAXED);
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[nr / BITS_PER_LONG],
			   ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_RELAXED);
}

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (addr[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

/*
 * get_order() as in include/asm-generic/getorder.h: the smallest order
 * whose block holds size bytes. IOPT_PLANT_GET_ORDER_LOW is the negative
 * control of the selftest tests: a variant that rounds one order too low.
 */
static inline int get_order(unsigned long size)
{
	int order;

	size--;
	size >>= PAGE_SHIFT;
	order = fls64(size);
#ifdef IOPT_PLANT_GET_ORDER_LOW
	if (order > 0)
		order--;
#endif
	return order;
}

/* Accessors and barriers: a single-threaded userspace needs no fences. */
#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	do { *(volatile typeof(x) *)&(x) = (v); } while (0)
#define barrier()		__asm__ __volatile__("" ::: "memory")
#define mb()			barrier()
#define rmb()			barrier()
#define wmb()			barrier()
#define dma_wmb()		barrier()
#define dma_rmb()		barrier()
#define smp_mb()		barrier()
#define smp_wmb()		barrier()
#define smp_rmb()		barrier()

/* Returns the value *ptr had before, whether or not it was replaced. */
#define cmpxchg64_relaxed(ptr, old, new) ({				\
	typeof(*(ptr)) __old = (old);					\
	__atomic_compare_exchange_n((ptr), &__old, (new), false,	\
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED); \
	__old;								\
})
#define cmpxchg64(ptr, old, new)	cmpxchg64_relaxed(ptr, old, new)
#define cmpxchg_relaxed(ptr, old, new)	cmpxchg64_relaxed(ptr, old, new)

#define memset		__builtin_memset
#define memcpy		__builtin_memcpy

/* IS_ENABLED(CONFIG_FOO): true when CONFIG_FOO is defined to 1. */
#define __iopt_placeholder_1 0,
#define __iopt_second(ignored, val, ...) val
#define __iopt_defined3(junk) __iopt_second(junk 1, 0, 0)
#define __iopt_defined2(val) __iopt_defined3(__iopt_placeholder_##val)
#define IS_ENABLED(option)	__iopt_defined2(option)
#define IS_BUILTIN(option)	IS_ENABLED(option)
#define IS_REACHABLE(option)	IS_ENABLED(option)

/* GFP flags: values only need to be distinct; they are recorded. */
#define ___GFP_DMA		0x01u
#define ___GFP_HIGHMEM		0x02u
#define ___GFP_DMA32		0x04u
#define ___GFP_HIGH		0x20u
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_ZERO		0x100u
#define ___GFP_DIRECT_RECLAIM	0x400u
#define ___GFP_KSWAPD_RECLAIM	0x800u
#define ___GFP_NOWARN		0x2000u
#define ___GFP_ACCOUNT		0x400000u
#define ___GFP_KNOWN		(___GFP_DMA | ___GFP_HIGHMEM | ___GFP_DMA32 | \
				 ___GFP_HIGH | ___GFP_IO | ___GFP_FS | \
				 ___GFP_ZERO | ___GFP_DIRECT_RECLAIM | \
				 ___GFP_KSWAPD_RECLAIM | ___GFP_NOWARN | \
				 ___GFP_ACCOUNT)
#define __GFP_DMA		___GFP_DMA
#define __GFP_HIGHMEM		___GFP_HIGHMEM
#define __GFP_DMA32		___GFP_DMA32
#define __GFP_HIGH		___GFP_HIGH
#define __GFP_IO		___GFP_IO
#define __GFP_FS		___GFP_FS
#define __GFP_ZERO		___GFP_ZERO
#define __GFP_NOWARN		___GFP_NOWARN
#define __GFP_ACCOUNT		___GFP_ACCOUNT
#define __GFP_KSWAPD_RECLAIM	___GFP_KSWAPD_RECLAIM
#define __GFP_RECLAIM		(___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM)
#define GFP_ATOMIC		(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT		(__GFP_KSWAPD_RECLAIM)

/* Lists, struct page and folios, the page allocator, vmstat. */
#include <iopt_mm.h>

/*
 * Devices: io-pgtable asks for the NUMA node; the DMA API, for a DMA mask
 * (dma_map_single() of a device without one fails, as upstream).
 */
struct device {
	int numa_node;
	u64 *dma_mask;
	u64 coherent_dma_mask;
};

static inline int dev_to_node(struct device *dev)
{
	return dev ? dev->numa_node : NUMA_NO_NODE;
}

static inline void set_dev_node(struct device *dev, int node)
{
	if (dev)
		dev->numa_node = node;
}

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};
#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)

/* include/linux/iommu.h: the parts io-pgtable uses. */
#define IOMMU_READ	(1 << 0)
#define IOMMU_WRITE	(1 << 1)
#define IOMMU_CACHE	(1 << 2)
#define IOMMU_NOEXEC	(1 << 3)
#define IOMMU_MMIO	(1 << 4)
#define IOMMU_PRIV	(1 << 5)

struct iommu_iotlb_gather {
	unsigned long start;
	unsigned long end;
	size_t pgsize;
	bool queued;
};

static inline bool iommu_iotlb_gather_queued(struct iommu_iotlb_gather *gather)
{
	return gather && gather->queued;
}

/* Pages freed together (iommu-pages.h, 6.16+). */
struct iommu_pages_list {
	struct list_head pages;
};

#define IOMMU_PAGES_LIST_INIT(name) \
	((struct iommu_pages_list){ .pages = LIST_HEAD_INIT(name.pages) })

/*
 * Dirty tracking (6.12+). The harness owns the iova_bitmap: a recorder
 * that is told each dirty range, in the order the walk reports them.
 */
#define IOMMU_DIRTY_NO_CLEAR	(1 << 0)

struct iova_bitmap {
	void (*record)(struct iova_bitmap *bitmap, unsigned long iova,
		       unsigned long length);
};

struct iommu_dirty_bitmap {
	struct iova_bitmap *bitmap;
	struct iommu_iotlb_gather *gather;
};

static inline void iommu_dirty_bitmap_record(struct iommu_dirty_bitmap *dirty,
					     unsigned long iova,
					     unsigned long length)
{
	if (dirty->bitmap && dirty->bitmap->record)
		dirty->bitmap->record(dirty->bitmap, iova, length);
}

/* ====================================================================
 * 3. Customised: the environment, implemented by each port's runtime.c
 * ==================================================================== */
/* Simulated physical memory: an exact bijection, fatal outside it. */
phys_addr_t virt_to_phys(const volatile void *addr);
void *phys_to_virt(phys_addr_t pa);
#define __pa(x)		virt_to_phys((const void *)(x))
#define __va(x)		phys_to_virt((phys_addr_t)(x))

/* Slab */
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *obj);
#define kmalloc_obj(obj, ...) \
	((typeof(obj) *)kmalloc(sizeof(obj), (GFP_KERNEL, ##__VA_ARGS__)))
#define kzalloc_obj(obj, ...) \
	((typeof(obj) *)kzalloc(sizeof(obj), (GFP_KERNEL, ##__VA_ARGS__)))

/* DMA API */
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir);
int dma_mapping_error(struct device *dev, dma_addr_t dma);
void dma_unmap_single(struct device *dev, dma_addr_t dma, size_t size,
		      enum dma_data_direction dir);
void dma_sync_single_for_device(struct device *dev, dma_addr_t dma,
				size_t size, enum dma_data_direction dir);

/* WARN and BUG: recorded with file:line; the port's policy decides. */
bool iopt_warn(const char *file, int line, const char *what);
void iopt_bug(const char *file, int line, const char *what)
	__attribute__((noreturn));
int iopt_printk(int level, const char *fmt, ...) __printf(2, 3);

#define WARN_ON(cond) ({						\
	bool __w = !!(cond);						\
	if (unlikely(__w))						\
		iopt_warn(__FILE__, __LINE__, #cond);			\
	unlikely(__w);							\
})
#define WARN(cond, fmt...) ({						\
	bool __w = !!(cond);						\
	if (unlikely(__w)) {						\
		iopt_warn(__FILE__, __LINE__, #cond);			\
		iopt_printk(4, fmt);					\
	}								\
	unlikely(__w);							\
})
/* "Once" is per run: the env reset re-arms it, so runs stay deterministic. */
#define WARN_ON_ONCE(cond)		WARN_ON(cond)
#define WARN_ONCE(cond, fmt...)		WARN(cond, fmt)
#define BUG()			iopt_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		iopt_bug(__FILE__, __LINE__, #cond);			\
} while (0)
/* Built as with CONFIG_DEBUG_VM=y: the check is evaluated. */
#define VM_BUG_ON(cond)		BUG_ON(cond)
#define VM_WARN_ON(cond)	WARN_ON(cond)

#define KERN_ERR	""
#define KERN_WARNING	""
#define KERN_INFO	""
#define printk(fmt, ...)	iopt_printk(6, fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	iopt_printk(3, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	iopt_printk(4, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	iopt_printk(6, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { if (0) iopt_printk(7, fmt, ##__VA_ARGS__); } while (0)
#define dev_err(dev, fmt, ...)	((void)(dev), iopt_printk(3, fmt, ##__VA_ARGS__))
#define dev_warn(dev, fmt, ...)	((void)(dev), iopt_printk(4, fmt, ##__VA_ARGS__))
#define dev_info(dev, fmt, ...)	((void)(dev), iopt_printk(6, fmt, ##__VA_ARGS__))

#endif /* IOPT_SHIM_H */

/*
 * pr_fmt: a file may define its own before its first #include, as the
 * kernel's printk.h gives the default only when included. The shim is
 * force-included before the file's first line, so the default is given
 * from the second inclusion on (the forwarding headers), not the first.
 */
#ifdef IOPT_SHIM_SEEN
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#endif
#define IOPT_SHIM_SEEN
