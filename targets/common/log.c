// SPDX-License-Identifier: GPL-2.0-only
/*
 * The records the harness compares: allocations, cache maintenance, WARNs
 * and detections; and the reset that returns an env to its initial state.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include <iopt/env.h>
#include "internal.h"

#define LOG_MAX		(1u << 16)	/* entries kept per log and run */

static const char *const det_names[IOPT_DET_COUNT] = {
	[IOPT_DET_OUTSIDE_ARENA]	= "outside-arena",
	[IOPT_DET_DOUBLE_FREE]		= "double-free",
	[IOPT_DET_BAD_FREE]		= "bad-free",
	[IOPT_DET_WRONG_SIZE_FREE]	= "wrong-size-free",
	[IOPT_DET_FREE_PAGE_WRITTEN]	= "free-page-written",
	[IOPT_DET_DMA_BAD_SYNC]		= "dma-bad-sync",
	[IOPT_DET_DMA_BAD_UNMAP]	= "dma-bad-unmap",
	[IOPT_DET_DMA_UNCHECKED]	= "dma-unchecked",
	[IOPT_DET_FREE_WHILE_MAPPED]	= "free-while-mapped",
	[IOPT_DET_LEAK]			= "leak",
	[IOPT_DET_BUG]			= "bug",
	[IOPT_DET_UB]			= "undefined-behaviour",
	[IOPT_DET_BAD_ALLOC_ARGS]	= "bad-alloc-args",
	[IOPT_DET_BAD_CMO]		= "bad-cmo",
	[IOPT_DET_SLEEP_IN_ATOMIC]	= "sleep-in-atomic",
	[IOPT_DET_PUBLISH_ORDER]	= "publish-order",
	[IOPT_DET_LOOKUP_EFFECT]	= "lookup-effect",
};

const char *iopt_detect_name(enum iopt_detect kind)
{
	return kind < IOPT_DET_COUNT ? det_names[kind] : "?";
}

bool iopt_grow(void **buf, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 64;
	p = realloc(*buf, ncap * elem);
	if (!p)
		return false;
	*buf = p;
	*cap = ncap;
	return true;
}

/* Records a log holds a run: LOG_MAX, or fewer where a test asks (knobs). */
static size_t log_max(const struct iopt_env *env)
{
	long n = env->knobs.log_max;

	return n > 0 && (unsigned long)n < LOG_MAX ? (size_t)n : LOG_MAX;
}

void iopt_log_cmo(struct iopt_env *env, const struct iopt_cmo *c)
{
	if (env->cmo_n >= log_max(env) ||
	    !iopt_grow((void **)&env->cmo_log, &env->cmo_cap, env->cmo_n,
		       sizeof(*env->cmo_log))) {
		env->cmo_lost++;
		return;
	}
	env->cmo_log[env->cmo_n++] = *c;
}

void iopt_log_alloc(struct iopt_env *env, const struct iopt_alloc_rec *rec)
{
	if (env->alloc_n >= log_max(env) ||
	    !iopt_grow((void **)&env->alloc_log, &env->alloc_cap,
		       env->alloc_n, sizeof(*env->alloc_log))) {
		env->alloc_lost++;
		return;
	}
	env->alloc_log[env->alloc_n] = *rec;
	env->alloc_log[env->alloc_n].seq = env->seq++;
	env->alloc_n++;
}

void iopt_env_page_totals(const struct iopt_env *env, size_t from,
			  struct iopt_page_totals *t)
{
	*t = (struct iopt_page_totals){ 0 };
	for (size_t i = from; i < env->alloc_n; i++) {
		const struct iopt_alloc_rec *a = &env->alloc_log[i];

		if (a->kind != IOPT_ALLOC_PAGES)
			continue;
		if (a->free) {
			t->frees++;
			t->free_bytes += a->size;
		} else {
			t->allocs++;
			t->alloc_bytes += a->size;
		}
	}
}

static void act(struct iopt_env *env, enum iopt_policy policy,
		const char *what, const char *msg)
{
	if (policy == IOPT_POLICY_COUNT)
		return;
	fprintf(stderr, "iopt[%s]: %s: %s\n", env->name, what, msg);
	if (policy == IOPT_POLICY_ABORT)
		abort();
}

bool iopt_env_warn(struct iopt_env *env, const char *file, int line,
		   const char *what)
{
	char msg[256];
	unsigned int i;

	env->warn_total++;
	for (i = 0; i < env->nr_warn_sites; i++)
		if (env->warns[i].line == line && !strcmp(env->warns[i].file, file))
			break;
	if (i == env->nr_warn_sites && i < IOPT_MAX_WARN_SITES)
		env->warns[env->nr_warn_sites++] = (struct iopt_warn_site){
			.file = file, .line = line, .what = what,
		};
	if (i < IOPT_MAX_WARN_SITES)
		env->warns[i].count++;
	snprintf(msg, sizeof(msg), "%s:%d: WARN_ON(%s)", file, line, what);
	act(env, env->warn_policy, "WARNING", msg);
	return true;
}

static void vdetect(struct iopt_env *env, enum iopt_detect kind,
		    uint64_t addr, uint64_t len, const char *fmt, va_list ap)
{
	char msg[160];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (env->report_total < IOPT_MAX_REPORTS) {
		struct iopt_report *r = &env->reports[env->report_total];

		r->kind = kind;
		memcpy(r->msg, msg, sizeof(msg));
		r->addr = addr;
		r->len = len;
	}
	env->report_total++;
	env->det_count[kind]++;
	act(env, env->detect_policy, iopt_detect_name(kind), msg);
}

void iopt_detect(struct iopt_env *env, enum iopt_detect kind,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdetect(env, kind, 0, 0, fmt, ap);
	va_end(ap);
}

void iopt_detect_at(struct iopt_env *env, enum iopt_detect kind,
		    uint64_t addr, uint64_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdetect(env, kind, addr, len, fmt, ap);
	va_end(ap);
}

void iopt_fatal(struct iopt_env *env, enum iopt_detect kind,
		const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* in a guarded call to the kernel code: a detection, the call left */
	iopt_detect(env, kind, "%s", msg);
	iopt_guard_leave();
	fprintf(stderr, "iopt[%s]: fatal: %s: %s\n", env->name,
		iopt_detect_name(kind), msg);
	abort();
}

void iopt_env_vprintk(struct iopt_env *env, int level, bool console,
		      const char *fmt, va_list ap)
{
	char msg[256];

	env->printk_total++;
	if (!console && !env->printk_hook)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (env->printk_hook)
		env->printk_hook(env, level, msg);
	if (console)
		fprintf(stderr, "[%s] <%d> %s", env->name, level, msg);
}

unsigned long iopt_detect_count(const struct iopt_env *env,
				enum iopt_detect kind)
{
	return env->det_count[kind];
}

unsigned long iopt_warn_count(const struct iopt_env *env)
{
	return env->warn_total;
}

/* The logs, WARNs, detections, counters and knobs, as after init (env.c). */
void iopt_log_reset(struct iopt_env *env)
{
	env->alloc_n = 0;
	env->cmo_n = 0;
	env->cmo_lost = 0;
	env->alloc_lost = 0;
	env->nr_warn_sites = 0;
	env->warn_total = 0;
	env->report_total = 0;
	env->printk_total = 0;
	memset(env->det_count, 0, sizeof(env->det_count));
	env->seq = 0;
	env->nth_alloc = env->nth_slab = env->nth_dma_map = 0;
	env->nth_cmo = env->nth_kfree = env->nth_free = 0;
	memset(&env->stats, 0, sizeof(env->stats));
	memset(&env->knobs, 0, sizeof(env->knobs));
}

void iopt_log_destroy(struct iopt_env *env)
{
	free(env->alloc_log);
	free(env->cmo_log);
}

void iopt_env_summary(const struct iopt_env *env, void *file)
{
	const struct iopt_stats *s = &env->stats;
	FILE *f = file;

	fprintf(f, "[%s] live: %ld pages in %ld blocks, %ld slab objects (%ld bytes), %ld DMA maps; "
		"peak %ld pages; %lu allocs, %lu frees, %lu failed; %zu CMOs; %lu WARNs; %lu detections\n",
		env->name, s->live_pages, s->live_blocks, s->live_slab,
		s->live_slab_bytes, s->live_dma_maps, s->peak_pages, s->allocs,
		s->frees, s->alloc_failures, env->cmo_n, env->warn_total,
		env->report_total);
	for (unsigned int i = 0; i < env->nr_warn_sites; i++)
		fprintf(f, "[%s]   WARN x%lu at %s:%d: %s\n", env->name,
			env->warns[i].count, env->warns[i].file,
			env->warns[i].line, env->warns[i].what);
	for (unsigned long i = 0; i < env->report_total && i < IOPT_MAX_REPORTS; i++)
		fprintf(f, "[%s]   %s: %s\n", env->name,
			iopt_detect_name(env->reports[i].kind),
			env->reports[i].msg);
}
