// SPDX-License-Identifier: GPL-2.0-only
/*
 * The op trace, the report of the first divergence with its signature
 * line "iopt: <check>/<op>/<format>", and the digest of what a program did
 * (iopt-replay --digest).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "known.h"
#include "run.h"

static FILE *out_of(const struct run *r)
{
	return r->opts->out ? r->opts->out : stderr;
}

void trace(struct run *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (r->opts->verbose) {
		va_list aq;

		va_copy(aq, ap);
		vfprintf(out_of(r), fmt, aq);
		va_end(aq);
	}
	n = vsnprintf(r->trace + r->trace_len, TRACE_BYTES - r->trace_len,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		r->trace_len = r->trace_len + n < TRACE_BYTES ?
			       r->trace_len + n : TRACE_BYTES - 1;
}

static void print_header(struct run *r, FILE *f)
{
	const struct iopt_model_cfg *c = &r->prog->cfg;

	fprintf(f, "tree %s; %s, pgsizes 0x%lx (kept 0x%lx), ias %u (%u), oas %u (%u), quirks 0x%x, %s walk\n",
		r->side[0].port->tree->version, iopt_dec_fmt_name(c->fmt),
		c->pgsize_bitmap, r->geom.pgsize_bitmap, c->ias, r->geom.ias,
		c->oas, r->geom.oas, c->quirks,
		c->coherent_walk ? "coherent" : "non-coherent");
	fprintf(f, "ops up to the failing one:\n%s", r->trace);
	fprintf(f, "what differs at op #%u (%s): ", r->op_index, r->op_name);
}

/*
 * The first failed check: a known upstream bug ends the program quietly
 * (verbose: with its account) unless opts->strict_known; anything else is
 * reported with the config, the ops so far, what differs and the
 * signature line. The run keeps the signature, the check and what differs
 * (a review compares them between trees); opts->quiet prints nothing.
 */
void report(struct run *r, const struct side *s, const char *check,
	    const char *fmt, ...)
{
	const struct known_bug *k;
	FILE *f = out_of(r);
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	r->check = check;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	snprintf(iopt_stats.last_check, sizeof(iopt_stats.last_check), "%s",
		 check);
	snprintf(iopt_stats.last_side, sizeof(iopt_stats.last_side), "%s",
		 s ? s->port->name : "");
	k = known_match(r, s, check);
	if (k && !r->opts->strict_known) {
		r->known = k;
		iopt_stats.known++;
		snprintf(r->sig, sizeof(r->sig), "known:%s", k->id);
	} else {
		iopt_stats.reports++;
		snprintf(r->sig, sizeof(r->sig), "iopt: %s/%s/%s", check,
			 r->op_name, iopt_dec_fmt_name(r->prog->cfg.fmt));
	}
	memcpy(iopt_stats.last_signature, r->sig, sizeof(r->sig));
	if (r->opts->quiet || (r->known && !r->opts->verbose))
		return;
	if (r->known)
		fprintf(f, "==== iopt-fuzz: known upstream bug '%s' (check '%s' on %s) ====\n%s; %s%s%s\n",
			k->id, check, s->port->name, k->what, k->versions,
			k->fix ? "; fixed by " : "", k->fix ? k->fix : "");
	else
		fprintf(f, "==== iopt-fuzz: divergence in check '%s' ====\n%s",
			check, k ? "(this is known upstream bug '" : "");
	if (!r->known && k)
		fprintf(f, "%s', reported because known bugs are strict)\n", k->id);
	print_header(r, f);
	fprintf(f, "%s\n%s\n", r->why, r->sig);
	fflush(f);
	if (r->opts->abort_on_report && !r->known)
		abort();
}

/* ---- the digest ---------------------------------------------------------- */

static XXH3_state_t *digest;
static bool digest_on;

static void dig(uint64_t v)
{
	XXH3_64bits_update(digest, &v, sizeof(v));
}

void digest_begin(bool on)
{
	digest_on = on;
	if (!on)
		return;
	if (!digest)
		digest = XXH3_createState();
	XXH3_64bits_reset(digest);
}

/* The records of each side's env since its last reset, field by field. */
void digest_envs(struct run *r)
{
	if (!digest_on)
		return;
	for (int i = 0; i < r->nsides; i++) {
		const struct iopt_env *e = r->side[i].port->env;

		dig(e->alloc_n);
		for (size_t k = 0; k < e->alloc_n; k++) {
			const struct iopt_alloc_rec *a = &e->alloc_log[k];

			dig(a->kind); dig(a->free); dig(a->nid); dig(a->gfp);
			dig(a->order); dig(a->size); dig(a->align); dig(a->phys);
		}
		dig(e->cmo_n);
		for (size_t k = 0; k < e->cmo_n; k++) {
			dig(e->cmo_log[k].phys); dig(e->cmo_log[k].len);
			dig(e->cmo_log[k].kind); dig(e->cmo_log[k].via);
		}
		dig(e->warn_total);
		dig(e->report_total);
	}
}

/* An op's results and TLB callbacks on each side. */
void digest_op(struct run *r)
{
	if (!digest_on)
		return;
	for (int i = 0; i < r->nsides; i++) {
		const struct side *s = &r->side[i];

		dig(s->ret); dig(s->mapped); dig(s->dirty.n);
		for (unsigned int k = 0; k < s->dirty.n && k < DIRTY_MAX; k++) {
			dig(s->dirty.r[k][0]);
			dig(s->dirty.r[k][1]);
		}
		dig(s->tlb_total);
		for (unsigned int k = 0; k < s->ntlb; k++) {
			dig(s->tlb[k].kind); dig(s->tlb[k].iova);
			dig(s->tlb[k].size); dig(s->tlb[k].granule);
		}
	}
}

/* The final images and the verdict. */
void digest_end(struct run *r)
{
	iopt_stats.digest = 0;
	if (!digest_on)
		return;
	digest_envs(r);
	for (int i = 0; i < r->nsides; i++)
		dig(iopt_image_hash(&r->side[i].img));
	dig(r->failed);
	XXH3_64bits_update(digest, r->sig, r->failed ? strlen(r->sig) : 0);
	iopt_stats.digest = XXH3_64bits_digest(digest);
}
