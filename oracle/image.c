// SPDX-License-Identifier: GPL-2.0-only
/*
 * Canonical table image (see image.h), built with one preorder walk that
 * uses the descriptor rules of decode.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "image.h"

struct img_build {
	struct iopt_image *img;
	const struct iopt_dec_cfg *cfg;
	const struct iopt_dec_mem *mem;
	struct iopt_pa_set seen;
	unsigned int next_id;
	int nprob, err;
};

static uint64_t img_header(unsigned int tag, int level, unsigned int entries,
			   unsigned int id)
{
	return (uint64_t)tag << 56 | (uint64_t)(level & 0xf) << 52 |
	       (uint64_t)(entries & 0xfffff) << 32 | id;
}

static int img_reserve(struct iopt_image *img, size_t more)
{
	size_t cap = img->cap ? img->cap : 512;
	uint64_t *words;

	if (img->n + more <= img->cap)
		return 0;
	while (cap < img->n + more)
		cap *= 2;
	words = realloc(img->words, cap * sizeof(*words));
	if (!words)
		return -ENOMEM;
	img->words = words;
	img->cap = cap;
	return 0;
}

static void img_table(struct img_build *b, const unsigned char *host, int level,
		      unsigned int n, unsigned int id)
{
	struct iopt_image *img = b->img;
	uint64_t gran = 1ULL << b->cfg->granule_shift;
	const unsigned char *child = NULL;
	struct iopt_ent e;
	unsigned int i, cid;
	size_t base;
	int r;

	if (img_reserve(img, 1 + (size_t)n)) {
		b->err = -ENOMEM;
		return;
	}
	img->words[img->n++] = img_header(IOPT_IMG_TAG_TABLE, level, n, id);
	base = img->n;
	/* the entries as iopt_dec_load() reads them: the CPU's byte order */
	memcpy(&img->words[base], host, (size_t)n * 8);
	img->n += n;
	img->ntables++;

	/* img->words may move while children are appended: index, never cache */
	/* holes have nothing to follow: skipped */
	for (i = iopt_dec_next_used(host, 0, n); i < n && !b->err;
	     i = iopt_dec_next_used(host, i + 1, n)) {
		uint64_t pte = img->words[base + i];

		iopt_dec_entry(b->cfg, level, pte, &e);
		r = e.prob;
		if (e.type == IOPT_ENT_TABLE && !r)
			r = iopt_dec_open_table(b->mem, &b->seen, e.addr, gran,
						&child);
		if (r < 0) {
			b->err = r;
			break;
		}
		if (r > 0 || (e.type == IOPT_ENT_TABLE &&
			      !iopt_dec_table_attrs_ok(b->cfg, pte)))
			b->nprob++;
		if (e.type != IOPT_ENT_TABLE)
			continue;
		cid = r ? IOPT_IMG_BAD_ID | (unsigned int)r : b->next_id++;
		img->words[base + i] = (pte & ~IOPT_TABLE_ADDR_MASK) |
				       (uint64_t)cid << 12;
		if (!r)
			img_table(b, child, level + 1, gran / 8, cid);
	}
}

int iopt_image_build(struct iopt_image *img, const struct iopt_dec_cfg *cfg,
		     const struct iopt_dec_mem *mem)
{
	struct img_build b = { .img = img, .cfg = cfg, .mem = mem, .next_id = 1 };
	const unsigned char *top;
	int r;

	img->n = 0;
	img->ntables = 0;
	img->hash = 0;
	img->hashed = true;	/* 0 until it builds */
	if (iopt_dec_cfg_check(cfg))
		return -EINVAL;
	r = iopt_dec_open_table(mem, &b.seen, cfg->ttbr, cfg->pgd_entries * 8ULL,
				&top);
	if (r < 0) {
		b.err = r;
	} else if (r > 0) {
		b.nprob++;
		if (img_reserve(img, 1))
			b.err = -ENOMEM;
		else
			img->words[img->n++] = img_header(IOPT_IMG_TAG_BAD_TTBR,
							  cfg->start_level, 0, r);
	} else {
		img_table(&b, top, cfg->start_level, cfg->pgd_entries, 0);
	}
	iopt_pa_set_free(&b.seen);
	if (b.err) {
		img->n = 0;	/* a failed build: no words, hash 0 */
		return b.err;
	}
	img->hashed = false;	/* hashed when asked: comparing needs no hash */
	return b.nprob;
}

/* ---- two trees' images compared without building them ---- */

struct img_pair {
	const struct iopt_dec_cfg *cfg;
	const struct iopt_dec_mem *mem[2];
	struct iopt_pa_set seen[2];
};

/*
 * A pair of table descriptors that iopt_image_build() would write as the
 * same image word, each to a table it opens and walks: their bits but the
 * address are the same and both are tables without a problem.
 */
static bool same_table_desc(struct img_pair *p, int level, uint64_t a,
			    uint64_t b, const unsigned char *child[2],
			    uint64_t child_pa[2])
{
	uint64_t gran = 1ULL << p->cfg->granule_shift;
	uint64_t pte[2] = { a, b };
	struct iopt_ent e;

	if ((a ^ b) & ~IOPT_TABLE_ADDR_MASK)
		return false;
	for (int k = 0; k < 2; k++) {
		iopt_dec_entry(p->cfg, level, pte[k], &e);
		if (e.type != IOPT_ENT_TABLE || e.prob ||
		    iopt_dec_open_table(p->mem[k], &p->seen[k], e.addr, gran,
					&child[k]))
			return false;
		child_pa[k] = e.addr;
	}
	return true;
}

/* Two valid configurations the same in all but the TTBR. */
static bool cfg_alike(const struct iopt_dec_cfg *ca,
		      const struct iopt_dec_cfg *cb)
{
	return ca->fmt == cb->fmt && ca->granule_shift == cb->granule_shift &&
	       ca->ias == cb->ias && ca->oas == cb->oas &&
	       ca->start_level == cb->start_level &&
	       ca->pgd_entries == cb->pgd_entries && ca->ttbr1 == cb->ttbr1 &&
	       ca->table_attrs == cb->table_attrs &&
	       !iopt_dec_cfg_check(ca) && !iopt_dec_cfg_check(cb);
}

/* ---- two trees compared in place over a range of IOVAs ---- */

struct range_pair {
	struct img_pair p;
	struct iopt_dec_span sp;	/* as iopt_dec_walk_range() has it */
	const struct iopt_dec_visitor *also_b;
};

/*
 * Two tables at the same place of their trees: the entries the range walk
 * looks at (those whose span meets the range) the same, but for the
 * address of table descriptors both follow, and their children compared
 * likewise. Side b's table is told to rp->also_b first, as the walk's
 * table callback tells it (preorder, with the first IOVA it covers).
 */
static bool range_same_table(struct range_pair *rp, const unsigned char *a,
			     const unsigned char *b, uint64_t pa_b, int level,
			     unsigned int n, uint64_t iova)
{
	const struct iopt_dec_cfg *cfg = rp->p.cfg;
	unsigned int shift = iopt_dec_level_shift(cfg, level);
	unsigned int gran_n = (1U << cfg->granule_shift) / 8;
	unsigned int first, last, i, ia, ib;
	const unsigned char *child[2];
	uint64_t child_pa[2];
	struct iopt_ent e;

	if (rp->also_b && rp->also_b->table)
		rp->also_b->table(rp->also_b->ctx, pa_b, level, n,
				  iova | rp->sp.hi);
	if (!iopt_dec_entries_in_span(&rp->sp, iova, shift, n, &first, &last))
		return true;
	/*
	 * No table descriptor to tell apart: the same words decode to the
	 * same leaves and problems (but for where the entry is).
	 */
	if (!iopt_dec_level_has_tables(level))
		return !memcmp(a + (size_t)first * 8, b + (size_t)first * 8,
			       (size_t)(last - first + 1) * 8);
	ia = iopt_dec_next_used(a, first, last + 1);
	ib = iopt_dec_next_used(b, first, last + 1);
	while (ia <= last || ib <= last) {
		uint64_t wa, wb;

		if (ia != ib)
			return false;	/* a hole against an entry */
		i = ia;
		wa = iopt_dec_load(a, i);
		wb = iopt_dec_load(b, i);
		if (wa == wb) {
			iopt_dec_entry(cfg, level, wa, &e);
			if (e.type != IOPT_ENT_TABLE)
				goto next;	/* the same leaf or problem */
		}
		/*
		 * The walk opens a child table when it meets its
		 * descriptor, before the entries after it: so does this,
		 * so that each side's set of opened tables (which tells a
		 * shared table) is the walk's at each step. Table
		 * attributes not the configuration's are a problem.
		 */
		if (!iopt_dec_table_attrs_ok(cfg, wa) ||
		    !same_table_desc(&rp->p, level, wa, wb, child, child_pa) ||
		    !range_same_table(rp, child[0], child[1], child_pa[1],
				      level + 1, gran_n,
				      iova + ((uint64_t)i << shift)))
			return false;
next:
		ia = iopt_dec_next_used(a, i + 1, last + 1);
		ib = iopt_dec_next_used(b, i + 1, last + 1);
	}
	return true;
}

bool iopt_image_same_range(const struct iopt_dec_cfg *ca,
			   const struct iopt_dec_mem *ma,
			   const struct iopt_dec_cfg *cb,
			   const struct iopt_dec_mem *mb, uint64_t lo,
			   uint64_t hi, const struct iopt_dec_visitor *also_b)
{
	struct range_pair rp = { .p = { .cfg = ca, .mem = { ma, mb } },
				 .also_b = also_b };
	const unsigned char *top[2];
	bool same = false;

	if (!cfg_alike(ca, cb))
		return false;
	iopt_dec_span(ca, lo, hi, false, &rp.sp);
	if (!iopt_dec_open_table(ma, &rp.p.seen[0], ca->ttbr,
				 ca->pgd_entries * 8ULL, &top[0]) &&
	    !iopt_dec_open_table(mb, &rp.p.seen[1], cb->ttbr,
				 cb->pgd_entries * 8ULL, &top[1]))
		same = range_same_table(&rp, top[0], top[1], cb->ttbr,
					ca->start_level, ca->pgd_entries, 0);
	iopt_pa_set_free(&rp.p.seen[0]);
	iopt_pa_set_free(&rp.p.seen[1]);
	return same;
}

uint64_t iopt_image_hash(struct iopt_image *img)
{
	if (!img->hashed) {
		img->hash = XXH3_64bits(img->words, img->n * sizeof(*img->words));
		img->hashed = true;
	}
	return img->hash;
}

bool iopt_image_equal(const struct iopt_image *a, const struct iopt_image *b)
{
	return a->n == b->n &&
	       (!a->n || !memcmp(a->words, b->words, a->n * sizeof(*a->words)));
}

void iopt_image_free(struct iopt_image *img)
{
	free(img->words);
	memset(img, 0, sizeof(*img));
}

long iopt_image_first_diff(const struct iopt_image *a, const struct iopt_image *b)
{
	size_t i, n = a->n < b->n ? a->n : b->n;

	for (i = 0; i < n; i++)
		if (a->words[i] != b->words[i])
			return (long)i;
	return a->n == b->n ? -1 : (long)n;
}

int iopt_image_locate(const struct iopt_image *img, size_t word,
		      unsigned int *table_id, int *level, unsigned int *index)
{
	size_t pos = 0;

	while (pos < img->n) {
		uint64_t h = img->words[pos];
		unsigned int n = (h >> 32) & 0xfffff;

		if (word <= pos + n) {
			*table_id = (unsigned int)h;
			*level = (h >> 52) & 0xf;
			*index = word == pos ? 0 : (unsigned int)(word - pos - 1);
			return word == pos;
		}
		pos += 1 + (size_t)n;
	}
	return -1;
}
