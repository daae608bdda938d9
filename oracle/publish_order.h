/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Publication order, for a non-coherent table walker: a table descriptor
 * may reach the point of coherency only once the table it points to has
 * (each line of it cleaned since it was allocated). Otherwise a walker
 * that reads the descriptor then, in the middle of the call, finds memory
 * nobody wrote to the PoC and follows it. At the call's end the table is
 * clean either way, so no end-of-call comparison sees the order: this
 * check is told of each clean as it happens.
 *
 * Its user (the executor's sides, fuzz/publish.c; the KUnit shim's calls,
 * targets/common/kunit_repro.c) gives it the decoder's view of the page
 * table, the memory as the CPU and as the PoC hold it, and where lines
 * were never cleaned; then around each map or unmap: begin, each clean,
 * each table freed, end. The first descriptor published too early is
 * described in why.
 */
#ifndef IOPT_PUBLISH_ORDER_H
#define IOPT_PUBLISH_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

struct iopt_pub_table {
	uint64_t pa, bytes;
	int level;
};

struct iopt_pub {
	/* the user's: the page table, and the memory */
	const struct iopt_dec_cfg *dec;
	struct iopt_dec_mem cpu, poc;
	uint64_t line;		/* bytes a clean brings to the PoC at once */
	/* whether [pa, pa + len) holds a line never cleaned since its allocation (*line: the first) */
	bool (*uncleaned)(void *ctx, uint64_t pa, uint64_t len,
			  uint64_t *line);
	void *uncleaned_ctx;
	/*
	 * The tables the call can write in, each known to hold no
	 * never-cleaned line: those of its range before the call, with their
	 * levels, and those whose descriptors the call publishes (one level
	 * down), once checked; a table freed during the call leaves the list.
	 */
	struct iopt_pub_table *t;
	unsigned int n, cap;
	bool on;		/* in a call */
	char why[320];		/* the first descriptor published too early */
};

/* A call over [lo, hi] begins: the tables there are listed, why emptied. */
void iopt_pub_begin(struct iopt_pub *p, uint64_t lo, uint64_t hi);
/* A clean of [phys, phys + len) reached the PoC during the call. */
void iopt_pub_on_clean(struct iopt_pub *p, uint64_t phys, uint64_t len);
/* A table freed during the call: no longer one it writes in. */
void iopt_pub_forget(struct iopt_pub *p, uint64_t phys, uint64_t size);
void iopt_pub_end(struct iopt_pub *p);

#endif
