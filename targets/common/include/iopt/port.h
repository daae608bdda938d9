/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct iopt_port - one build of the kernel's io-pgtable code.
 *
 * Each port is linked into a single relocatable object (the kernel files,
 * compiled unmodified, plus the port's runtime.c and the driver stand-in,
 * driver.c) in which every symbol but its descriptor is made local
 * (objcopy --keep-global-symbol). Ports therefore live side by side in one
 * binary, each with its own statics, its own copy of the kernel code and
 * its own env.
 *
 * The descriptor says how the executor drives the port (struct
 * iopt_driver: tree-neutral, so the executor needs none of the tree's
 * headers) and what the executor must expect to differ from one port to
 * another (struct iopt_port_traits). Together with docs/design.md's table,
 * the two port descriptors are where a reader sees "kernel vs hyp".
 */
#ifndef IOPT_PORT_H
#define IOPT_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOPT_WALK_LEVELS	4	/* struct arm_lpae_io_pgtable_walk_data's ptes[] */
#include <iopt/cfg_regs.h>

struct iopt_env;
struct io_pgtable_cfg;
struct io_pgtable_ops;

/* The environment a port emulates; planted bugs are aimed at a role. */
enum iopt_role {
	IOPT_ROLE_KERNEL,
	IOPT_ROLE_HYP,
	IOPT_ROLES,
};

/* How a table allocation can be made to fail (fuzz input, op 6). */
enum iopt_fault_kind {
	IOPT_FAULT_ALLOC,	/* the allocator fails (EL2: the pool runs dry) */
	IOPT_FAULT_DMA_MAP,	/* dma_map_single fails */
	IOPT_FAULT_DMA_ADDR,	/* the DMA address is not the phys one */
	IOPT_FAULT_KINDS,
};

/* ---- The IOMMU driver's side of io-pgtable, tree-neutral ------------- */

/* What the driver asks alloc_io_pgtable_ops for. */
struct iopt_drv_cfg {
	int fmt;			/* enum iopt_fmt (oracle/decode.h) */
	unsigned long pgsize_bitmap;
	unsigned int ias, oas;
	unsigned int quirks;		/* IOPT_Q_* (oracle/model.h) */
	bool coherent_walk;
	/*
	 * Tables from cfg->alloc (where the tree and the port have it),
	 * aligned to the size asked for exactly and no more.
	 */
	bool custom_alloc;
	/* planted in the driver's TLB callbacks: the Nth one is lost entirely */
	long skip_add_page_nth, skip_flush_walk_nth, skip_flush_all_nth;
	long widen_add_page_nth;	/* planted: the Nth tlb_add_page flushes all */
	long defer_flush_walk_nth;	/* planted: the Nth tlb_flush_walk comes after
					 * the unmap's end, its tables freed */
	long add_page_granule_nth;	/* planted: the Nth tlb_add_page of a block
					 * gives the smallest page size as granule */
	long flush_walk_short_nth;	/* planted: the Nth tlb_flush_walk covers
					 * the first half of its range only */
	long flush_walk_granule_nth;	/* planted: the Nth tlb_flush_walk gives
					 * its size as granule, not the table's */
	bool narrow_pgsizes;		/* planted: asks for all sizes but the largest */
	bool prot_flip;			/* planted: map with IOMMU_CACHE flipped */
	bool map_twice;			/* planted: a map that worked is tried again */
	bool i2p_page_only;		/* planted: iova_to_phys loses the page offset */
	long skip_dirty_nth;		/* planted: the Nth dirty range is not recorded */
	long move_dirty_nth;		/* planted: ... recorded one length up */
	/*
	 * planted: the first map flips this bit of the top table's first
	 * table descriptor (57: ignored; 63: NSTable; 46: an address outside
	 * simulated memory); 0: off
	 */
	int table_bit;
	bool walk_zero_l3;		/* planted: pgtable_walk's level-3 slot comes back 0 */
	int edge_bug;			/* planted: enum iopt_edge_bug; 0: off */
	/* planted: a written-back field corrupted (enum iopt_cfg_plant) */
	int cfg_plant;
	int warn_after;			/* planted: enum iopt_warn_plant; 0: off */
	int lookup_effect;		/* planted: enum iopt_lookup_plant; 0: off */
};

/* Planted (narrow_pgsizes): what a driver asks for, but its largest size. */
static inline unsigned long iopt_narrow_pgsizes(unsigned long pgsizes)
{
	return pgsizes ? pgsizes & ~(1UL << (63 - __builtin_clzl(pgsizes))) : 0;
}

/*
 * Planted: a WARN in the kernel code's call (at its end), where the
 * contract has none, in a call the executor makes outside an op's
 * comparisons: the creation, every iova_to_phys, the free.
 */
enum iopt_warn_plant {
	IOPT_WARN_NONE,
	IOPT_WARN_ALLOC,		/* alloc_io_pgtable_ops */
	IOPT_WARN_IOVA_TO_PHYS,		/* iova_to_phys */
	IOPT_WARN_FREE,			/* free_io_pgtable_ops */
};

/* Planted: the lookups, iova_to_phys and pgtable_walk, do more than read (at their end). */
enum iopt_lookup_plant {
	IOPT_LOOKUP_READS,
	IOPT_LOOKUP_CMO,			/* a clean of the top table's first line */
	IOPT_LOOKUP_FLUSH,			/* a tlb_flush_all */
	IOPT_LOOKUP_ALLOC,			/* a page allocated and freed */
};

/*
 * Planted bugs at the edges of the address sizes (input extension bit 0),
 * each what a map or unmap would do without the kernel's own handling:
 */
enum iopt_edge_bug {
	IOPT_EDGE_OK,
	IOPT_EDGE_PA_HI_DROP,		/* map_pages loses PA bits 51:48 */
	IOPT_EDGE_UNCHECKED,		/* map_pages and unmap_pages are given
					 * the IOVA and PA cut to ias and oas:
					 * no -ERANGE, no WARN */
};

/* The TLB maintenance the page-table code asks of the driver. */
struct iopt_drv_hooks {
	void *ctx;
	void (*flush_all)(void *ctx);
	void (*flush_walk)(void *ctx, uint64_t iova, uint64_t size,
			   uint64_t granule);
	void (*add_page)(void *ctx, bool gather, uint64_t iova,
			 uint64_t granule);
};

/* What alloc_io_pgtable_ops wrote back, and what the driver saw. */
struct iopt_drv_state {
	uint64_t ttbr;			/* physical address of the top table */
	/* the format's registers, as written back (iopt/cfg_regs.h) */
	struct iopt_cfg_regs regs;
	/* the page sizes, ias and oas alloc_io_pgtable_ops kept */
	unsigned long pgsize_bitmap;
	unsigned int ias, oas;
	bool custom;			/* the tables come from cfg->alloc */
	/* the first cfg->alloc request (the top table): its size and address */
	size_t first_custom_size;
	uint64_t first_custom_pa;
	/* the first cfg->free of a wrong size: what was asked, what is given */
	size_t bad_free_asked, bad_free_given;
	/*
	 * Undefined behaviour trapped in the kernel code (UBSan builds: the
	 * kernel files trap, driver.c catches it): the call it happened in
	 * and where. The page table is then abandoned, not freed.
	 */
	bool trapped;
	char trap_where[160];
};

/*
 * Every call runs the kernel code; the state passed to create() stays the
 * driver's to update (st->trapped) until destroy().
 */
struct iopt_driver {
	/* alloc_io_pgtable_ops(); false when it returns NULL */
	bool (*create)(const struct iopt_drv_cfg *cfg,
		       const struct iopt_drv_hooks *hooks,
		       struct iopt_drv_state *st);
	void (*destroy)(void);		/* free_io_pgtable_ops(); none is fine */
	/* atomic: with GFP_ATOMIC, an atomic caller's (else GFP_KERNEL) */
	int (*map)(uint64_t iova, uint64_t pa, size_t pgsize, size_t pgcount,
		   int prot, bool atomic, size_t *mapped);
	size_t (*unmap)(uint64_t iova, size_t pgsize, size_t pgcount,
			bool gather, bool queued);
	uint64_t (*iova_to_phys)(uint64_t iova);
	/*
	 * iova_to_phys of iova[0..n), in order, into got[], under one guard:
	 * it stops after the first answer that is not want[k] or whose call
	 * made a detection of the runtime (a trap leaves got[k] 0; a WARN
	 * that is not fatal is no detection). Returns how many ran.
	 */
	unsigned int (*iova_to_phys_each)(const uint64_t *iova,
					  const uint64_t *want, uint64_t *got,
					  unsigned int n);
	/*
	 * ops->pgtable_walk: the descriptor at each level it visits goes to
	 * ptes[level]; the others are left as they were. -EOPNOTSUPP when
	 * the tree has no pgtable_walk.
	 */
	int (*pgtable_walk)(uint64_t iova, uint64_t ptes[IOPT_WALK_LEVELS]);
	/* -EOPNOTSUPP when the tree has no read_and_clear_dirty */
	int (*read_and_clear_dirty)(uint64_t iova, size_t size, bool no_clear,
				    void (*record)(void *ctx, uint64_t iova,
						   uint64_t len),
				    void *ctx);
	/*
	 * The live allocation that holds pa, as the table walker finds it
	 * (a cfg->alloc block, or a block of the env), seen by the CPU or at
	 * the point of coherency; NULL when pa is in none.
	 */
	const void *(*lookup)(uint64_t pa, uint64_t *base, uint64_t *size,
			      bool poc);
};

/* ---- What the executor must expect to differ between ports ------------ */

struct iopt_port_traits {
	/* One line: the environment, for reports and docs. */
	const char *env;
	/* The pgtable data struct: slab objects and page blocks it holds. */
	unsigned int data_slab, data_blocks;
	/* Whether the port's glue allocates tables through cfg->alloc. */
	bool honours_cfg_alloc;
	/*
	 * The formats this build can create: bit n is enum iopt_fmt n
	 * (oracle/decode.h). A format outside the mask is not built by this
	 * port at all, so there is nothing of it to compare.
	 */
	unsigned int fmt_mask;
	/*
	 * The entry must only be given a configuration the format accepts
	 * (the series' kvm_alloc_io_pgtable_ops() writes through NULL when
	 * the format refuses it; docs/design.md, "Split trees").
	 */
	bool cfg_unchecked;
	/* The faults it can take (1 << enum iopt_fault_kind); others fail the allocator. */
	unsigned int faults;
	/* A WARN is fatal there (EL2 panics): predicted WARNs are counted. */
	bool warn_fatal;
	/*
	 * Its allocators can sleep (the kernel's; nothing sleeps at EL2): an
	 * atomic caller's call may not allocate with direct reclaim
	 * (env->atomic).
	 */
	bool allocs_sleep;
};

/* How the tree runs its own io-pgtable-arm selftests. */
enum iopt_tree_selftest {
	IOPT_SELFTEST_NONE,
	IOPT_SELFTEST_INITCALL,		/* in io-pgtable-arm.c, a subsys_initcall (6.1, 6.12) */
	IOPT_SELFTEST_KUNIT,		/* io-pgtable-arm-selftests.c, a KUnit suite (v6.19+) */
};

/* The kernel tree a port was built from. */
struct iopt_tree {
	const char *version;		/* e.g. "7.3.4" */
	unsigned int version_code;	/* (VERSION << 16) + (PATCHLEVEL << 8) + SUBLEVEL */
	const char *source;		/* the directory, tarball or git revision */
	const char *contract;		/* its oracle's contract generation (oracle/contract.h) */
	/*
	 * What code written against the tree's API may use (the KUnit
	 * reproducers of fuzz/kunit_gen.c): the io_pgtable_ops and cfg
	 * members it has, the quirks it names, and the KUnit helpers.
	 */
	enum iopt_tree_selftest selftest;
	bool has_legacy_map;		/* ops->map / ops->unmap besides map_pages (6.1) */
	bool has_pgtable_walk;		/* ops->pgtable_walk and struct arm_lpae_io_pgtable_walk_data */
	bool has_dirty;			/* ops->read_and_clear_dirty */
	bool has_cfg_alloc;		/* cfg->alloc / cfg->free */
	bool has_quirk_hd, has_quirk_s2fwb, has_quirk_no_warn;
	bool has_kunit_device;		/* kunit_device_register() (v6.8+) */
	/* where io_pgtable_cfg holds what is written back, by enum iopt_fmt */
	const struct iopt_cfg_fields *cfg_fields;
};

#define IOPT_VERSION_CODE(v, p, s)	(((v) << 16) + ((p) << 8) + (s))

/* fmt_mask of a port that builds every format of its tree. */
#define IOPT_PORT_ALL_FMTS	(~0u)

struct iopt_port {
	const char *name;
	enum iopt_role role;
	const struct iopt_tree *tree;
	struct iopt_env *env;
	const struct iopt_port_traits *traits;
	const struct iopt_driver *drv;
	/* Set up the env on first use; 0 on success. */
	int (*init)(void);
	/* alloc_io_pgtable_ops() / free_io_pgtable_ops() of this build. */
	struct io_pgtable_ops *(*alloc_ops)(int fmt, struct io_pgtable_cfg *cfg,
					    void *cookie);
	void (*free_ops)(struct io_pgtable_ops *ops);
	/* The tree's own selftests; NULL when this build has none. */
	int (*selftest)(void);
};

extern const struct iopt_port iopt_kernel_port;
extern const struct iopt_port iopt_hyp_port;

/*
 * The nth table allocation from now on port fails the way kind says, or
 * by its allocator where the port cannot take that fault (its traits).
 * Any fault armed before is dropped. (targets/common/env.c)
 */
void iopt_port_arm_fault(const struct iopt_port *port,
			 enum iopt_fault_kind kind, long nth);

#endif /* IOPT_PORT_H */
