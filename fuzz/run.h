/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the differential executor: one program run on the reference model
 * and on every side (a port: a build of the tree's code in its emulated
 * environment), compared after every op. Shared by the executor's files:
 *
 *   run.c        the op loop: decode, create, each op on each side, compare
 *   ops.c        what an op asks of a port: arguments, call, fault (ops.h)
 *   compare.c    results, WARNs, detections, translations, tables against
 *                the model, canonical images, accounting, TLB callbacks
 *   coherency.c  what a non-coherent walker reads at the point of
 *                coherency, and the CMOs that put it there
 *   hw.c         the IOMMU's caches and accesses: TLB callbacks, device
 *                accesses, HTTU, stale TLB or walk-cache entries
 *   inval.c      what an op's invalidations must cover: every leaf an
 *                unmap removed, every table freed
 *   report.c     the op trace, reports and their signature, the digest
 */
#ifndef IOPT_FUZZ_RUN_H
#define IOPT_FUZZ_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iopt/env.h>
#include <iopt/port.h>
#include "decode.h"
#include "device.h"
#include "publish_order.h"
#include "exec.h"
#include "image.h"
#include "input.h"
#include "model.h"
#include "ops.h"

#define IOPT_MAX_SIDES	4
#define TLB_EVENTS	64	/* kept one by one; all hashed (tlb_hash) */
#define DIRTY_MAX	32
#define PROBED		256	/* slots of lookup.c's probe memo */
#define PROBED_WAYS	4	/* ... in sets of this many */
#define FIXED_PROBES	7	/* lookup.c's probes at fixed IOVAs, after each op */
#define TRACE_BYTES	16384

enum tlb_kind { TLB_FLUSH_ALL, TLB_FLUSH_WALK, TLB_ADD_PAGE };

struct tlb_event {
	uint8_t kind;			/* enum tlb_kind */
	uint64_t iova, size, granule;
};

/*
 * The dirty ranges read_and_clear_dirty reported, in order: the first
 * DIRTY_MAX one by one, all of them by their number and a hash of each.
 */
struct dirty_ranges {
	uint64_t r[DIRTY_MAX][2];
	unsigned int n;
	uint64_t hash;
};

/* The first DIRTY_MAX ranges one by one, all of them by number and hash. */
static inline bool same_dirty(const struct dirty_ranges *a,
			      const struct dirty_ranges *b)
{
	return a->n == b->n && a->hash == b->hash &&
	       !memcmp(a->r, b->r, sizeof(b->r[0]) *
		       (b->n < DIRTY_MAX ? b->n : DIRTY_MAX));
}

/*
 * What a side's calls did besides reading, counted: WARNs, TLB callbacks,
 * CMOs, allocations and frees (compare.c's only_read()).
 */
struct effects {
	unsigned long warns, tlb;
	long cmos, allocs, frees;
};

/* One port running the program: what the executor keeps of it. */
struct side {
	const struct iopt_port *port;
	struct iopt_drv_state st;	/* what alloc_io_pgtable_ops wrote back */
	bool live;			/* the page table exists */
	bool accepted;			/* the last alloc_io_pgtable_ops returned ops */
	bool coherent_walk;
	struct iopt_dec_cfg dec;
	bool in_op;			/* in a map or unmap: frees are checked */
	char freed_why[320];		/* the first table freed too early */
	char inv_why[320];		/* the first leaf an unmap left valid */
	bool inv_split;			/* ... and a split's TTL left it: no other */
	char split_why[400];		/* stale only as a split's TTL leaves it */
	bool stale_split;		/* reporting that (fuzz/known.c) */
	unsigned int ntlb;		/* in tlb[] */
	unsigned long tlb_total;
	uint64_t tlb_hash;		/* of every callback: past TLB_EVENTS too */
	size_t cmo_mark, alloc_mark;
	size_t cmo_lost_mark;		/* the env's cmo_lost at the mark */
	size_t alloc_lost_mark;		/* ... and its alloc_lost */
	unsigned long dma_translated_mark;
	struct effects fx_mark;		/* at the mark (its warns: WARNs so far) */
	/* results of the current op */
	long ret;
	size_t mapped;
	struct dirty_ranges dirty;
	uint64_t walk[IOPT_WALK_LEVELS];	/* pgtable_walk's descriptors */
	/*
	 * The large members, read only as far as their own counts and valid
	 * flags say: run_begin() resets those, not the 9 KB (side_reset()).
	 */
	struct iopt_image img;		/* its buffer reused */
	struct iopt_pub pub;		/* publication order: its list reused */
	struct iopt_device dev;		/* the IOMMU's caches */
	/* ... had it cached all an unmap's range held (reset per unmap) */
	struct iopt_device every;
	struct tlb_event tlb[TLB_EVENTS];
	/*
	 * Unmaps since the create, which zeroes it (the unmap-leaf-bit
	 * plant): past side_reset()'s clearing, which it would take over
	 * the size where memset() turns to rep stosb
	 */
	long nth_unmap;
};

/* What pgtable_walk leaves in a level it does not visit: this, as it was. */
#define WALK_UNTOUCHED	0x5a5a5a5a5a5a5a5aULL


/*
 * One line of the op trace, kept unformatted until a report or a review
 * asks for the text (trace_text()): an op run on every side, a re-create
 * or a device access (trace_op(), trace_recreate(), trace_access()), or a
 * line trace() already formatted into the run's trace_pool.
 */
enum trace_kind { TRACE_TEXT, TRACE_OP, TRACE_RECREATE, TRACE_ACCESS };

struct trace_rec {
	enum trace_kind kind;
	unsigned int off, len;		/* text: its bytes in trace_pool */
	unsigned int index, flags;	/* op, access: what is printed */
	const char *name;
	uint64_t iova, pa;
	size_t pgsize, count, mapped;
	int prot;
	bool warn, atomic;
	long ret;
	long side_ret[IOPT_MAX_SIDES];
	size_t side_mapped[IOPT_MAX_SIDES];
};

#define TRACE_RECS	(IOPT_MAX_OPS + 8)

/* The last call into the kernel code, for reports and known bugs. */
enum iopt_call { IOPT_CALL_NONE, IOPT_CALL_OP, IOPT_CALL_IOVA_TO_PHYS,
		 IOPT_CALL_WALK };

struct run {
	const struct iopt_run_opts *opts;
	const struct iopt_prog *prog;
	struct iopt_model_cfg cfg;	/* the program's, with this tree's contract */
	/* the model's prediction of the last op, if it made one */
	struct iopt_model_pred pred;
	struct iopt_model_walk walk;	/* ... of a pgtable_walk */
	bool predicted;
	const char *skipped_why;	/* the caller precondition the last op broke, or NULL */
	/*
	 * Extension bit 3: the failure a fault op arms for the next
	 * re-create (nth 1: the pgtable data; 2-4: the top table), and
	 * whether the last creation failed so (no table until the next).
	 */
	struct {
		bool armed;
		enum iopt_fault_kind kind;
		unsigned int nth;
	} create_fault;
	bool no_table;
	unsigned int first_op;		/* 1: op 0 was run before the creation */
	struct iopt_model_geom geom;
	struct iopt_model *model;
	struct side side[IOPT_MAX_SIDES];
	int nsides;
	int nports;			/* of the tree: sides may be fewer */
	uint64_t lo, hi;		/* the IOVAs the current op touched */
	/*
	 * The sides (bit i: side i) whose tables the model check's walk of
	 * [lo, hi] listed (compare.c's cmp_tables, coherency.c's
	 * tables_listing()): the PoC and CMO checks after it use them
	 * instead of walking again.
	 */
	unsigned int tables_listed;
	/*
	 * The IOVAs lookup.c's iova_to_phys probes found right since no op
	 * could change a table: probing one again would walk the same tables
	 * to the same answer. In sets by IOVA hash; a slot holds only while
	 * its generation is probe_gen, which probe_forget() moves on at each
	 * op that can change a table (64 bits: it never wraps round to an
	 * old slot's).
	 */
	struct probed_iova {
		uint64_t iova, gen;
	} probed[PROBED];
	uint64_t probe_gen;
	/* The fixed probes' IOVAs for ops of page size fixed_pg (0: none yet). */
	uint64_t fixed_iova[FIXED_PROBES];
	size_t fixed_pg;
	unsigned int op_index;
	const char *op_name;
	struct {
		enum iopt_call what;
		uint64_t iova;
	} call;
	/* the op trace: trace[0, trace_len) formatted, then trace_rec[] */
	char trace[TRACE_BYTES];
	size_t trace_len;
	struct trace_rec trace_rec[TRACE_RECS];
	unsigned int trace_nrec;
	char trace_pool[TRACE_BYTES];
	size_t trace_pool_len;
	bool failed;
	const struct known_bug *known;	/* the failure is this known bug */
	/*
	 * A config failure that is a known bug, reported at the end so that
	 * the program's ops are still checked (fuzz/config_check.c); side -1:
	 * none
	 */
	struct {
		int side;
		const char *op;
		char why[512];
		/* the known bug it matched then (the side's state may change) */
		const struct known_bug *known;
	} config_deferred;
	const struct known_bug *known_hint;	/* report(): the bug already matched */
	/* the failure: its signature, check and what differs (report()) */
	char sig[96];
	const char *check;
	char why[1024];
};

extern struct iopt_run_stats iopt_stats;

/* This binary's tree: its ports, NULL-terminated (fuzz/run.c). */
extern const struct iopt_port *const iopt_tree_ports[];


/*
 * run.c: one program on one tree, in steps, so that a review runs two
 * trees in lockstep (fuzz/review.c): decode, begin with the tree's ports,
 * create, each op, end (the verdict; check: tear down with the whole-table
 * checks, else just free).
 */
void run_decode(const uint8_t *data, size_t size,
		const struct iopt_run_opts *opts, struct iopt_prog *prog);
void run_begin(struct run *r, const struct iopt_prog *prog,
	       const struct iopt_run_opts *opts,
	       const struct iopt_port *const *ports);
bool run_create(struct run *r);
/*
 * tables.c: reset each env (the Nth of anything counts from here), then
 * create each side's page table, as the model says; the whole-table
 * checks, then free each side's tables (each env must be empty); a side's
 * tables freed, nothing checked.
 */
bool tables_create(struct run *r);
bool tables_teardown(struct run *r);
void side_destroy(struct side *s);
/*
 * create_fault.c: arm the failure of the creation's own allocations on
 * every side (false: not on these ports, nothing armed); after it, each
 * side must hold nothing.
 */
bool create_fault_arm(struct run *r);
bool create_holds_nothing(struct run *r);
/* Where the logs of each side stand: what an op does is what follows. */
void mark(struct run *r);
void run_op(struct run *r, const struct iopt_op *op);
enum iopt_verdict run_end(struct run *r, bool check);
/* run_end() in two steps, to look at what the teardown did in between. */
void run_teardown(struct run *r);
enum iopt_verdict run_finish(struct run *r);

/* report.c */
void trace(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An op run on every side, for the trace (formatted only if asked for). */
void trace_op(struct run *r, const struct op_args *a, const struct iopt_op *op,
	      const struct iopt_model_pred *p);
/* A re-create, a device access (flags: the op's; pa: the model's), the same way. */
void trace_recreate(struct run *r);
void trace_access(struct run *r, uint64_t iova, unsigned int flags,
		  uint64_t pa);
/* The op trace as text: what a report prints. */
const char *trace_text(struct run *r);
void trace_reset(struct run *r);
/* The first failed check ends the program: s is the side it failed on, or NULL. */
void report(struct run *r, const struct side *s, const char *check,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* on: iopt_run_opts.digest; off, the others do nothing and the digest is 0 */
void digest_begin(bool on);
void digest_envs(struct run *r);
void digest_op(struct run *r);
void digest_end(struct run *r);

/* compare.c */
bool cmp_detections(struct run *r);
/* Side s's runtime detected nothing (else its first detection is reported). */
bool side_undetected(struct run *r, struct side *s);
/* Whether the contract says side s WARNs in the op predicted p. */
bool side_warns(const struct run *r, const struct side *s,
		const struct iopt_model_pred *p);
/* Each side WARNed since mark() exactly when the contract says (p). */
bool cmp_warns_predicted(struct run *r, const struct iopt_model_pred *p);
/*
 * A WARN where the contract has none, in a call outside an op's (an
 * iova_to_phys probe, free_io_pgtable_ops): reported if side s WARNed
 * since its count was warns.
 */
bool cmp_no_warn(struct run *r, struct side *s, unsigned long warns,
		 const char *call);
bool compare_op(struct run *r, const struct iopt_op *op,
		const struct op_args *a, const struct iopt_model_pred *p,
		const struct dirty_ranges *md);
bool compare_whole(struct run *r);
bool changes_tables(const struct iopt_op *op, const struct iopt_model_pred *p);

/* lookup.c: what compare_op() asks of the lookups */
/* An op that is a lookup: each side only read. */
bool cmp_lookup(struct run *r, const struct iopt_op *op);
/* The iova_to_phys probes after the op (changed: it may have changed a table). */
bool cmp_translations(struct run *r, const struct op_args *a, bool changed);
/* A pgtable_walk op's descriptors, level by level. */
bool cmp_walk(struct run *r, const struct op_args *a);

/* publish.c: the order a non-coherent walker sees table descriptors in */
void publish_begin(struct run *r, struct side *s, const struct iopt_op *op);
void publish_end(struct side *s);
void publish_forget(struct side *s, uint64_t phys, uint64_t size);
void side_on_clean(struct iopt_env *env, uint64_t phys, uint64_t len);
bool cmp_publish(struct run *r);

/* coherency.c */
struct norm_cmo {			/* a CMO on a table, named canonically */
	uint64_t iova;
	int level;			/* -1: on no touched table */
	uint64_t off, len;
	uint8_t kind, via;		/* enum iopt_cmo_kind, enum iopt_cmo_via */
};

/*
 * Side s's CMOs of this op, on the tables of the op's range or not, all
 * in out (room for the env's cmo_n - cmo_mark); their count returned.
 */
unsigned int side_cmos(struct run *r, struct side *s, struct norm_cmo *out);
bool did_maintenance(const struct run *r);
/* A visitor that lists side i's tables for check_touched/check_poc_whole. */
const struct iopt_dec_visitor *tables_listing(struct run *r, int i);
bool check_touched(struct run *r);
bool check_poc_whole(struct run *r);

/* hw.c */
extern const struct iopt_drv_hooks side_tlb_hooks;
void device_access(struct run *r, const struct iopt_op *op,
		   const struct op_args *a);
bool check_caches(struct run *r, struct side *s);
bool check_split_left(struct run *r);

/* The memory of a side: as the CPU sees it, and as its IOMMU's walker reads it. */
struct iopt_dec_mem side_mem(struct side *s);
struct iopt_dec_mem device_mem(struct side *s);
void side_on_free(struct iopt_env *env, uint64_t phys, uint64_t size);

/*
 * An op the model predicts removes nothing: an unmap that returns 0, or a
 * map, and neither frees a table. The walks before it (what the IOMMU may
 * have cached, what the invalidations must cover) list the leaves an unmap
 * may remove and the tables an op may free: as the checks so far have it,
 * there is none of either to invalidate. A side that does remove or free
 * something gives another result than the model's, or holds other tables
 * than the model's count: reported by those checks, which come first.
 */
static inline bool op_removes_nothing(const struct run *r,
				      const struct iopt_op *op)
{
	return r->predicted && !r->pred.tables_freed &&
	       (op->kind == IOPT_OP_MAP ||
		(op->kind == IOPT_OP_UNMAP && !r->pred.ret));
}

/*
 * A list's array with room for one more (n used of *cap elements of elem
 * bytes): doubled, from first. The executor cannot go on without it.
 */
static inline void *list_room(void *t, unsigned int n, unsigned int *cap,
			      size_t elem, unsigned int first)
{
	unsigned int c;

	if (n < *cap)
		return t;
	c = *cap ? *cap * 2 : first;
	t = realloc(t, c * elem);
	if (!t)
		abort();
	*cap = c;
	return t;
}

static inline struct effects side_effects(const struct side *s)
{
	const struct iopt_env *e = s->port->env;
	struct iopt_env_effects x = iopt_env_effects(e);

	return (struct effects){
		.warns = e->warn_total, .tlb = s->tlb_total, .cmos = x.cmos,
		.allocs = x.allocs, .frees = x.frees,
	};
}

/* An op that can change a table, a device write, a fault, a re-create. */
static inline void probe_forget(struct run *r)
{
	r->probe_gen++;
}

/* inval.c: around a side's op, what its invalidations must cover */
const struct iopt_dec_visitor *inval_op_begin(struct run *r, struct side *s,
					      const struct iopt_op *op,
					      const struct op_args *a);
void inval_op_end(struct run *r, struct side *s, const struct iopt_op *op,
		  const struct op_args *a);	/* after the driver's sync */
void inval_flush_all(void);
void inval_flush_walk(uint64_t iova, uint64_t size, uint64_t granule);
void inval_add_page(uint64_t iova, uint64_t granule);
/* A table freed in the op: covered by its walk flushes? 0, or 1 with why. */
int inval_check_free(uint64_t phys, uint64_t size, char *why, size_t n);

#endif /* IOPT_FUZZ_RUN_H */
