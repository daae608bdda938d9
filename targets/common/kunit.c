// SPDX-License-Identifier: GPL-2.0-only
/*
 * Our KUnit shim's harness side (iopt/kunit.h): failure reports in the
 * manner of KUnit's, and the environment checks of its runner.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <iopt/kunit.h>

void iopt_kunit_fail_at(bool *failed, const char *name, const char *file,
			int line, const char *fmt, ...)
{
	va_list ap;

	*failed = true;
	if (file)
		printf("    # %s: EXPECTATION FAILED at %s:%d\n    ", name, file,
		       line);
	else
		printf("    # %s: FAILED after the case\n    ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!*fmt || fmt[strlen(fmt) - 1] != '\n')
		printf("\n");
	fflush(stdout);
}

void iopt_kunit_cmp_failed(bool *failed, const char *name, const char *file,
			   int line, const char *l, const char *op,
			   const char *r, unsigned long long lv,
			   unsigned long long rv)
{
	iopt_kunit_fail_at(failed, name, file, line,
			   "Expected %s %s %s, but\n        %s == %lld (0x%llx)\n        %s == %lld (0x%llx)",
			   l, op, r, l, lv, lv, r, rv, rv);
}

void iopt_kunit_note(const char *fmt, ...)
{
	va_list ap;

	if (!*fmt)
		return;
	printf("    ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (fmt[strlen(fmt) - 1] != '\n')
		printf("\n");
	fflush(stdout);
}

const char *iopt_kunit_running;
unsigned int iopt_kunit_running_n;

void iopt_kunit_result(unsigned int n, const char *name, bool failed)
{
	printf("    %s %u %s\n", failed ? "not ok" : "ok", n, name);
	fflush(stdout);
}

/* The bits a walker ignores (software's, 58:55) or owns (AP[2] of a DBM leaf). */
static uint64_t walker_volatile(uint64_t pte)
{
	return (0xfULL << 55) | (pte & (1ULL << 51) ? 1ULL << 7 : 0);
}

static int poc_check_map(const struct iopt_env *env,
			 const struct iopt_dma_map *m, char *why, size_t n)
{
	uint64_t base, size, pbase, psize;
	const uint8_t *cpu = iopt_phys_lookup(env, m->phys, &base, &size);
	const uint8_t *poc = iopt_phys_lookup_poc(env, m->phys, &pbase, &psize);

	if (!cpu || !poc)
		return 0;	/* freed while mapped: the runtime reports that */
	cpu += m->phys - base;
	poc += m->phys - pbase;
	for (uint64_t off = 0; off + 8 <= m->len; off += 8) {
		uint64_t c, p;

		memcpy(&c, cpu + off, 8);
		memcpy(&p, poc + off, 8);
		if (!((c ^ p) & ~walker_volatile(c)))
			continue;
		snprintf(why, n, "a non-coherent table walk reads a stale descriptor: table at pa 0x%llx (DMA-mapped, %llu bytes), entry %llu: CPU 0x%016llx, point of coherency 0x%016llx",
			 (unsigned long long)m->phys, (unsigned long long)m->len,
			 (unsigned long long)(off / 8), (unsigned long long)c,
			 (unsigned long long)p);
		return 1;
	}
	return 0;
}

int iopt_kunit_poc_check(const struct iopt_env *env, char *why, size_t n)
{
	for (size_t i = 0; i < env->dma_n; i++)
		if (poc_check_map(env, &env->dma[i], why, n))
			return 1;
	return 0;
}

int iopt_kunit_env_check(const struct iopt_env *env, long expected_warns,
			 char *why, size_t n)
{
	const struct iopt_stats *s = &env->stats;

	if (env->report_total) {
		snprintf(why, n, "the runtime detected %s: %s",
			 iopt_detect_name(env->reports[0].kind),
			 env->reports[0].msg);
		return 1;
	}
	if ((long)env->warn_total != expected_warns) {
		const struct iopt_warn_site *w = env->nr_warn_sites ?
			&env->warns[env->nr_warn_sites - 1] : NULL;
		char last[160] = "";

		if (w)
			snprintf(last, sizeof(last), " (the last: %s at %s:%d)",
				 w->what, w->file, w->line);
		snprintf(why, n, "%lu WARNs%s, where the case expects %ld",
			 env->warn_total, last, expected_warns);
		return 1;
	}
	if (s->live_blocks || s->live_slab || s->live_dma_maps) {
		snprintf(why, n, "left allocated: %ld page blocks, %ld slab objects, %ld DMA mappings",
			 s->live_blocks, s->live_slab, s->live_dma_maps);
		return 1;
	}
	return 0;
}
