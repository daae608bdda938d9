/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the KUnit reproducer generator (kunit_gen.h): kunit_gen.c watches
 * the run and writes the code; kunit_words.c names things in the kernel's
 * terms and writes the comment of what goes wrong.
 */
#ifndef IOPT_FUZZ_KUNIT_GEN_INTERNAL_H
#define IOPT_FUZZ_KUNIT_GEN_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>

#include "known.h"
#include "kunit_gen.h"

enum ck {
	CK_RESULT, CK_TRANSLATION, CK_TABLES, CK_POC, CK_TLB, CK_ALLOC,
	CK_LEAK, CK_RUNTIME, CK_WARN, CK_CMO, CK_CONFIG, CK_WALK, CK_PUBLISH,
	CK_LOOKUP, CK_OTHER,
};


#define LEAVES_MAX	4
#define GONE_RUNS	16

struct gone_run {			/* leaves of one size, IOVAs in a row */
	uint64_t iova, size, n;
};

/* One op as it ran, with what the model said of it. */
struct op_rec {
	struct iopt_op_view v;		/* .model and .op cleared */
	struct iopt_op op;
	uint64_t probe[2], want[2];	/* translations after the op */
	unsigned int nprobe;
	uint64_t leaf_iova[LEAVES_MAX], leaf_pte[LEAVES_MAX];
	unsigned int nleaf;
	int leaf_level;
	bool fail_probe;		/* the translation that failed, after this op */
	uint64_t fail_iova, fail_want;
	bool fail_leaf;			/* the leaf that differed, after this op */
	int fail_leaf_level;
	uint64_t fail_leaf_iova, fail_leaf_pte;
	struct iopt_page_totals pages;	/* since the creation, after the op */
	bool walk_rec;			/* pgtable_walk: what the model says it reports */
	struct iopt_model_walk walk;
	/* an unmap, where the case records TLB maintenance: the leaves it removed */
	struct gone_run gone[GONE_RUNS];
	unsigned int ngone;
	bool gone_cut;			/* more than are listed */
};

struct gen {
	FILE *f;
	const struct iopt_prog *prog;
	const struct iopt_kunit_report *rep;
	const struct iopt_tree *tree;
	const struct known_bug *known;
	const struct known_bug *unplanted_known;	/* met without the plant too */
	struct iopt_model_geom geom;
	enum ck ck;
	bool between;			/* the check compares the builds */
	bool want_fail_probe;
	uint64_t fail_iova;
	bool want_fail_leaf;		/* a tables report names a leaf that differs */
	int fail_leaf_level;
	uint64_t fail_leaf_iova;
	struct op_rec rec[IOPT_MAX_OPS];
	unsigned int nrec;
	int failed_at;			/* rec index, -1: at alloc or teardown */
	bool custom, tlb_rec;
	unsigned int warns;
};

static inline void out(struct gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline void out(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(g->f, fmt, ap);
	va_end(ap);
}

/* kunit_cfg.c: the configuration written back, as the model predicts it */
void put_cfg_expect(struct gen *g, const char *indent);
/* A config report where no start level is allowed: the fix refuses it. */
bool cfg_refusal_expected(const struct gen *g);
/* ... and a pgtable_walk's descriptors, level by level */
void put_walk(struct gen *g, const struct op_rec *r);

/* kunit_tlb.c: the TLB maintenance recorded, and what an unmap must invalidate */
void tlb_before(struct gen *g, const struct iopt_op_view *v);
void tlb_after(struct gen *g, struct op_rec *r);
void put_tlb_ops(struct gen *g);
void put_unmap_tlb(struct gen *g, const struct op_rec *r);

/* kunit_words.c */
extern const char *const fmt_names[IOPT_FMT_COUNT];
const char *errno_name(long e);
void op_phrase(const struct gen *g, unsigned int i, char *buf, size_t n);
const char *ordinal(unsigned int n, char *buf, size_t len);
void put_bitmap(struct gen *g, unsigned long bm);
void put_header(struct gen *g);
void put_lines(struct gen *g, const char *prefix, char *text);
void put_prot(struct gen *g, int prot);
void put_quirks(struct gen *g, unsigned int q);
void put_ret(struct gen *g, long ret);
void put_size(struct gen *g, uint64_t s);
const char *ttbr_expr(enum iopt_fmt fmt);

#endif /* IOPT_FUZZ_KUNIT_GEN_INTERNAL_H */
