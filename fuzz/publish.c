// SPDX-License-Identifier: GPL-2.0-only
/*
 * Publication order on each side (oracle/publish_order.h), during a map or
 * an unmap with a non-coherent walk: the side's decoder view, the memory
 * as its CPU and its walker (the PoC) see it, and its env's never-cleaned
 * lines; each clean comes from the env (env->clean_hook), each table
 * freed from side_on_free() (hw.c).
 */
#include "run.h"

static bool side_uncleaned(void *ctx, uint64_t pa, uint64_t len,
			   uint64_t *line)
{
	const struct side *s = ctx;

	return iopt_poc_uncleaned(s->port->env, pa, len, line);
}

void publish_begin(struct run *r, struct side *s, const struct iopt_op *op)
{
	struct iopt_pub *p = &s->pub;

	p->on = false;
	p->why[0] = '\0';
	if (s->coherent_walk ||
	    (op->kind != IOPT_OP_MAP && op->kind != IOPT_OP_UNMAP) ||
	    iopt_dec_cfg_check(&s->dec))
		return;
	p->dec = &s->dec;
	p->cpu = side_mem(s);
	p->poc = device_mem(s);		/* the PoC: the walk is not coherent */
	p->line = IOPT_CACHE_LINE;
	p->uncleaned = side_uncleaned;
	p->uncleaned_ctx = s;
	iopt_pub_begin(p, r->lo, r->hi);
}

void publish_end(struct side *s)
{
	iopt_pub_end(&s->pub);
}

/* A table freed during the op: no longer one the op writes in. */
void publish_forget(struct side *s, uint64_t phys, uint64_t size)
{
	iopt_pub_forget(&s->pub, phys, size);
}

/* A clean of [phys, phys + len) during an op: what it published. */
void side_on_clean(struct iopt_env *env, uint64_t phys, uint64_t len)
{
	struct side *s = env->clean_ctx;

	iopt_pub_on_clean(&s->pub, phys, len);
}

bool cmp_publish(struct run *r)
{
	for (int i = 0; i < r->nsides; i++) {
		struct side *s = &r->side[i];

		if (!s->pub.why[0])
			continue;
		report(r, s, "publish", "%s: %s", s->port->name, s->pub.why);
		return false;
	}
	return true;
}
