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

/* Append to the formatted trace; past TRACE_BYTES - 1 bytes, nothing more. */
static void append(struct run *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->trace + r->trace_len, TRACE_BYTES - r->trace_len,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		r->trace_len = r->trace_len + n < TRACE_BYTES ?
			       r->trace_len + n : TRACE_BYTES - 1;
}

/*
 * A kept record's line (an op's, a re-create's, an access's), written
 * through emit: append() when it is formatted for a report, trace() when
 * verbose prints it as it runs.
 */
static void format_rec(struct run *r, const struct trace_rec *t,
		       void (*emit)(struct run *r, const char *fmt, ...))
{
	if (t->kind == TRACE_RECREATE) {
		emit(r, "  #%u recreate\n", t->index);
		return;
	}
	if (t->kind == TRACE_ACCESS) {
		emit(r, "  #%u access iova 0x%llx%s -> model 0x%llx\n", t->index,
		     (unsigned long long)t->iova,
		     t->flags & IOPT_OPF_WRITE ? " (write)" : "",
		     (unsigned long long)t->pa);
		return;
	}
	emit(r, "  #%u %s iova 0x%llx pa 0x%llx pgsize 0x%zx count %zu prot 0x%x flags 0x%x%s -> model %ld/0x%zx%s",
	     t->index, t->name, (unsigned long long)t->iova,
	     (unsigned long long)t->pa, t->pgsize, t->count, t->prot,
	     t->flags, t->atomic ? " GFP_ATOMIC" : "", t->ret, t->mapped,
	     t->warn ? " (WARN)" : "");
	for (int i = 0; i < r->nsides; i++)
		emit(r, ", %s %ld/0x%zx", r->side[i].port->name,
		     t->side_ret[i], t->side_mapped[i]);
	emit(r, "\n");
}

/*
 * Format the kept lines into r->trace, as if each had been formatted when
 * it was traced (the same text, cut at the same byte).
 */
const char *trace_text(struct run *r)
{
	for (unsigned int k = 0; k < r->trace_nrec; k++) {
		const struct trace_rec *t = &r->trace_rec[k];

		if (t->kind == TRACE_TEXT)
			append(r, "%.*s", (int)t->len, r->trace_pool + t->off);
		else
			format_rec(r, t, append);
	}
	r->trace_nrec = 0;
	r->trace_pool_len = 0;
	return r->trace;
}

void trace_reset(struct run *r)
{
	r->trace_len = 0;
	r->trace[0] = 0;
	r->trace_nrec = 0;
	r->trace_pool_len = 0;
}

static struct trace_rec *trace_rec(struct run *r)
{
	if (r->trace_nrec == TRACE_RECS)
		trace_text(r);
	return &r->trace_rec[r->trace_nrec++];
}

/* A line of the trace, formatted now (verbose: printed now). */
void trace(struct run *r, const char *fmt, ...)
{
	struct trace_rec *t = trace_rec(r);	/* first: it may empty the pool */
	size_t room = TRACE_BYTES - r->trace_pool_len;
	va_list ap;
	int n;

	*t = (struct trace_rec){ .kind = TRACE_TEXT, .off = r->trace_pool_len };
	va_start(ap, fmt);
	if (r->opts->verbose) {
		va_list aq;

		va_copy(aq, ap);
		vfprintf(out_of(r), fmt, aq);
		va_end(aq);
	}
	n = vsnprintf(r->trace_pool + r->trace_pool_len, room, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	/* cut here, the text is cut at least as early (the pool holds less) */
	if ((size_t)n >= room)
		n = room - 1;
	t->len = n;
	r->trace_pool_len += n;
}

/*
 * A line kept as a record, formatted when a report needs it; verbose:
 * printed now, and kept as text like any traced line.
 */
static void trace_keep(struct run *r, const struct trace_rec *rec)
{
	if (r->opts->verbose)
		format_rec(r, rec, trace);
	else
		*trace_rec(r) = *rec;
}

void trace_op(struct run *r, const struct op_args *a, const struct iopt_op *op,
	      const struct iopt_model_pred *p)
{
	struct trace_rec t = {
		.kind = TRACE_OP,
		.index = r->op_index, .flags = op->flags, .name = r->op_name,
		.iova = a->iova, .pa = a->pa, .pgsize = a->pgsize,
		.count = a->count, .prot = a->prot, .warn = p->warn,
		.atomic = a->atomic, .ret = p->ret, .mapped = p->mapped,
	};

	for (int i = 0; i < r->nsides; i++) {
		t.side_ret[i] = r->side[i].ret;
		t.side_mapped[i] = r->side[i].mapped;
	}
	trace_keep(r, &t);
}

void trace_recreate(struct run *r)
{
	trace_keep(r, &(struct trace_rec){ .kind = TRACE_RECREATE,
					   .index = r->op_index });
}

/* A device access at iova (flags: the op's), the model's answer pa. */
void trace_access(struct run *r, uint64_t iova, unsigned int flags,
		  uint64_t pa)
{
	trace_keep(r, &(struct trace_rec){ .kind = TRACE_ACCESS,
					   .index = r->op_index, .iova = iova,
					   .flags = flags, .pa = pa });
}

static void print_header(struct run *r, FILE *f)
{
	const struct iopt_model_cfg *c = &r->prog->cfg;

	fprintf(f, "tree %s; %s, pgsizes 0x%lx (kept 0x%lx), ias %u (%u), oas %u (%u), quirks 0x%x, %s walk\n",
		r->side[0].port->tree->version, iopt_dec_fmt_name(c->fmt),
		c->pgsize_bitmap, r->geom.pgsize_bitmap, c->ias, r->geom.ias,
		c->oas, r->geom.oas, c->quirks,
		c->coherent_walk ? "coherent" : "non-coherent");
	fprintf(f, "ops up to the failing one:\n%s", trace_text(r));
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
	k = r->known_hint ? r->known_hint : known_match(r, s, check);
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
