// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-seedgen OUTDIR: write the seed programs (input format v3,
 * docs/input-format.md) into a new or empty directory, one named file
 * each. It never overwrites a file. scripts/make-seeds.sh minimises them
 * with libFuzzer's merge into corpus/seeds/.
 *
 * The seeds: every format and page-size set, coherent and not, with every
 * op and fault kind; each quirk; the cfg->alloc mode; and what real users
 * do: streaming DMA (a scatter-list mapped and unmapped page by page), a
 * hypervisor's identity map (RAM at PAGE_SIZE, MMIO as blocks), huge
 * pages with partial unmaps. Format v3's extensions: page-size bitmaps
 * with stray sizes, raw address sizes (clamped, refused, start levels 2
 * and 3), pgtable_walk over leaves, holes and a dirty leaf, failures
 * inside alloc_io_pgtable_ops, and the edges of ias and oas.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"

struct seed {
	uint8_t b[1024];
	size_t n;
};

static const char *outdir;
static unsigned int written;

static void put(struct seed *s, int nbytes, ...)
{
	va_list ap;

	va_start(ap, nbytes);
	for (int i = 0; i < nbytes && s->n < sizeof(s->b); i++)
		s->b[s->n++] = (uint8_t)va_arg(ap, int);
	va_end(ap);
}

/* Header: format, page-size set, ias, oas (indices), quirks, flags, alloc. */
static void hdr(struct seed *s, int fmt, int pgset, int ias, int oas,
		int quirks, int noncoh, int alloc)
{
	s->n = 0;
	put(s, 8, fmt, pgset, ias, oas, quirks, noncoh, alloc, 0);
}

/* ... with extension flags (header byte 7) and 8 extension bytes, all 0 */
static void hdr_ext(struct seed *s, int fmt, int pgset, int ias, int oas,
		    int quirks, int noncoh, int ext)
{
	s->n = 0;
	put(s, 8, fmt, pgset, ias, oas, quirks, noncoh, 0, ext);
	put(s, 8, 0, 0, 0, 0, 0, 0, 0, 0);
}

static void map(struct seed *s, int iova, int pa, int pg, int count, int prot)
{
	put(s, 6, IOPT_OP_MAP, iova, pa, pg, count, prot);
}

static void unmap(struct seed *s, int iova, int pg, int count, int flags)
{
	put(s, 5, IOPT_OP_UNMAP, iova, pg, count, flags);
}

static void i2p(struct seed *s, int iova, int off)
{
	put(s, 3, IOPT_OP_IOVA_TO_PHYS, iova, off);
}

static void dirty(struct seed *s, int iova, int pg, int count, int flags)
{
	put(s, 5, IOPT_OP_DIRTY, iova, pg, count, flags);
}

static void dev_access(struct seed *s, int iova, int off, int write)
{
	put(s, 4, IOPT_OP_ACCESS, iova, off, write);
}

static void fault(struct seed *s, int kind, int nth)
{
	put(s, 3, IOPT_OP_FAULT, kind, nth - 1);
}

static void recreate(struct seed *s)
{
	put(s, 1, IOPT_OP_RECREATE);
}

static void walk(struct seed *s, int iova, int off)
{
	put(s, 3, IOPT_OP_WALK, iova, off);
}

static int emit(const struct seed *s, const char *fmt, ...)
{
	char name[256], path[512];
	va_list ap;
	int fd;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write(fd, s->b, s->n) != (ssize_t)s->n) {
		fprintf(stderr, "iopt-seedgen: cannot create '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	close(fd);
	written++;
	return 0;
}

#define RW	0x03
#define RWC	0x07
#define MMIO	0x13

/* Every op and fault kind on one configuration. */
static void basic(struct seed *s)
{
	map(s, 0x01, 0x01, 0, 3, RW);		/* 4 pages */
	dev_access(s, 0x01, 0, 0);
	map(s, 0x21, 0x22, 1, 0, RWC);		/* a block of the next size */
	dev_access(s, 0x21, 0x10, 1);
	i2p(s, 0x02, 0x08);
	unmap(s, 0x01, 0, 1, 0x01);		/* 2 pages, gather */
	dev_access(s, 0x01, 0, 0);
	dirty(s, 0x00, 1, 2, 0);
	fault(s, IOPT_FAULT_ALLOC, 2);
	map(s, 0x41, 0x41, 0, 0, RW);
	fault(s, IOPT_FAULT_DMA_MAP, 1);
	map(s, 0x61, 0x61, 0, 0, RW);
	fault(s, IOPT_FAULT_DMA_ADDR, 1);
	map(s, 0x81, 0x61, 0, 0, RW);
	map(s, 0x81, 0x61, 0, 0, RW);
	unmap(s, 0x21, 1, 0, 0x03);		/* the block, queued gather */
	unmap(s, 0x00, 2, 0, 0x01);		/* the top block size: frees tables */
	dev_access(s, 0x02, 0, 0);
	recreate(s);
	map(s, 0xc0, 0x05, 0, 0xf8, RW);	/* 300 pages: crosses table pages */
	unmap(s, 0xc0, 0, 0xf8, 0x00);
	map(s, 0xff, 0x05, 0, 0, RW);		/* the last page below the IAS */
	dev_access(s, 0xff, 0, 0);
}

static const char *const fmt_names[] = {
	"arm32-s1", "arm32-s2", "arm64-s1", "arm64-s2", "mali",
};

static int gen_configs(void)
{
	static const int pgsets[] = { 0, 1, 2, 3, 6 };
	static const char *const pg_names[] = { "4k", "16k", "64k", "all", "64k-4t" };
	struct seed s;

	for (int f = 0; f < 5; f++)
		for (int p = 0; p < 5; p++)
			for (int nc = 0; nc < 2; nc++) {
				hdr(&s, f, pgsets[p], 5, 5, 0, nc, 0);
				basic(&s);
				if (emit(&s, "cfg-%s-%s-%s", fmt_names[f], pg_names[p],
					 nc ? "noncoherent" : "coherent"))
					return -1;
			}
	return 0;
}

static int gen_quirks(void)
{
	static const struct { int bit; const char *name; } q[] = {
		{ IOPT_Q_ARM_NS, "ns" }, { IOPT_Q_ARM_TTBR1, "ttbr1" },
		{ IOPT_Q_ARM_OUTER_WBWA, "outer-wbwa" }, { IOPT_Q_ARM_HD, "hd" },
		{ IOPT_Q_ARM_S2FWB, "s2fwb" }, { IOPT_Q_NO_WARN, "no-warn" },
	};
	struct seed s;

	for (int f = 2; f <= 3; f++)
		for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
			hdr(&s, f, 0, 5, 5, q[i].bit, 0, 0);
			basic(&s);
			map(&s, 0xa1, 0xa1, 0, 3, RW);	/* writable: DBM under HD */
			dev_access(&s, 0xa1, 0, 1);	/* a write: dirty */
			dirty(&s, 0xa0, 1, 0, 0x04);	/* read, no clear */
			dirty(&s, 0xa0, 1, 0, 0);
			if (emit(&s, "quirk-%s-%s", fmt_names[f], q[i].name))
				return -1;
		}
	return 0;
}

static int gen_alloc_and_sizes(void)
{
	struct seed s;

	for (int f = 0; f < 5; f++) {
		hdr(&s, f, 0, 0, 0, 0, 1, 1);	/* ias/oas 32, cfg->alloc */
		basic(&s);
		if (emit(&s, "alloc-custom-%s-ias32", fmt_names[f]))
			return -1;
	}
	for (int ias = 0; ias < 7; ias++) {
		hdr(&s, 3, 0, ias, 6 - ias, 0, 1, 0);	/* S2: concatenated PGDs */
		basic(&s);
		if (emit(&s, "sizes-arm64-s2-ias%d-oas%d", ias, 6 - ias))
			return -1;
	}
	return 0;
}

/*
 * Edge addresses (extension bit 0): IOVA slot region 6 past ias, PA
 * region 6 the last pages below 2^oas, region 7 past oas.
 */
static void edges(struct seed *s)
{
	map(s, 0x01, 0xc1, 0, 3, RW);		/* the last pages below 2^oas */
	dev_access(s, 0x02, 0x10, 0);
	i2p(s, 0x03, 0x08);
	map(s, 0x20, 0xdf, 1, 0, RW);		/* a block: the last below 2^oas */
	dev_access(s, 0x20, 0x08, 1);
	map(s, 0x40, 0xdf, 2, 0, RWC);		/* one of the third size */
	dev_access(s, 0x40, 0, 0);
	map(s, 0x61, 0xe0, 0, 0, RW);		/* PA 2^oas: -ERANGE */
	map(s, 0x62, 0xff, 0, 0, RW);		/* past it */
	map(s, 0xc1, 0x01, 0, 0, RW);		/* IOVA 2^ias + a page: -ERANGE */
	map(s, 0xc0, 0xe1, 1, 0, RW);		/* both past */
	i2p(s, 0xc2, 0x08);			/* past ias: what the walk indexes */
	dev_access(s, 0xc2, 0, 0);
	unmap(s, 0xc1, 0, 0, 0x01);		/* past ias: 0, WARN */
	unmap(s, 0xc0, 1, 0, 0x00);
	dirty(s, 0xc0, 0, 0, 0);		/* past ias: -EINVAL, WARN */
	unmap(s, 0x01, 0, 3, 0x01);
	unmap(s, 0x20, 1, 0, 0x03);
	unmap(s, 0x40, 2, 0, 0x01);
}

static int gen_edges(void)
{
	static const struct {
		int fmt, pgset, ias, oas, quirks, noncoh;
		const char *name;
	} e[] = {
		{ 2, 6, 5, 6, 0, 0, "arm64-s1-64k-4t-oas52" },
		{ 3, 6, 5, 6, 0, 1, "arm64-s2-64k-4t-oas52-noncoherent" },
		{ 2, 0, 5, 5, IOPT_Q_ARM_TTBR1, 0, "arm64-s1-ttbr1" },
		{ 2, 0, 5, 5, IOPT_Q_NO_WARN, 0, "arm64-s1-no-warn" },
		{ 3, 0, 0, 0, 0, 0, "arm64-s2-ias32-oas32" },
		{ 0, 0, 0, 0, 0, 0, "arm32-s1-ias32" },
		{ 4, 0, 0, 0, 0, 0, "mali-ias32" },
	};
	struct seed s;

	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		hdr_ext(&s, e[i].fmt, e[i].pgset, e[i].ias, e[i].oas,
			e[i].quirks, e[i].noncoh, IOPT_EXT_EDGE);
		edges(&s);
		if (emit(&s, "edge-%s", e[i].name))
			return -1;
	}
	return 0;
}

/* A driver's streaming DMA: a scatter-list mapped page by page, then torn down. */
static int gen_streaming(void)
{
	struct seed s;

	for (int q = 0; q < 2; q++) {
		hdr(&s, 2, 0, 5, 5, 0, 1, 0);
		for (int i = 0; i < 16; i++) {
			map(&s, 0x40 + i, 0x20 + 3 * i, 0, 0, RW);
			dev_access(&s, 0x40 + i, i, i & 1);
		}
		for (int i = 0; i < 16; i++)
			unmap(&s, 0x40 + i, 0, 0, q ? 0x03 : 0x01);
		for (int i = 0; i < 16; i += 5)
			dev_access(&s, 0x40 + i, 0, 0);
		if (emit(&s, "real-streaming-dma-%s", q ? "flush-queue" : "strict"))
			return -1;
	}
	return 0;
}

/* A hypervisor's identity map: RAM in PAGE_SIZE pages, MMIO as blocks. */
static int gen_identity(void)
{
	struct seed s;

	for (int nc = 0; nc < 2; nc++) {
		hdr(&s, 3, 0, 5, 5, 0, nc, 0);
		map(&s, 0x20, 0x20, 0, 0xf9, RWC);	/* 600 pages of RAM */
		map(&s, 0x40, 0x40, 1, 7, MMIO);	/* 8 x 2M of MMIO */
		dev_access(&s, 0x20, 0, 1);
		dev_access(&s, 0x25, 0x40, 0);
		dev_access(&s, 0x41, 0, 0);
		unmap(&s, 0x22, 0, 3, 0x01);		/* give back 4 pages */
		dev_access(&s, 0x22, 0, 0);
		unmap(&s, 0x40, 1, 7, 0x01);
		dev_access(&s, 0x41, 0, 0);
		if (emit(&s, "real-hyp-identity-%s", nc ? "noncoherent" : "coherent"))
			return -1;
	}
	return 0;
}

/* Huge pages, then partial unmaps of them (split, or refused in newer trees). */
static int gen_huge(void)
{
	struct seed s;

	for (int f = 2; f <= 3; f++) {
		hdr(&s, f, 0, 5, 5, 0, 1, 0);
		map(&s, 0x20, 0x20, 2, 0, RW);		/* 1G */
		map(&s, 0x40, 0x41, 1, 3, RW);		/* 4 x 2M */
		dev_access(&s, 0x20, 0x20, 0);
		dev_access(&s, 0x41, 0, 1);
		unmap(&s, 0x25, 0, 0, 0x01);		/* 4K out of the 1G block */
		dev_access(&s, 0x25, 0, 0);
		dev_access(&s, 0x26, 0, 0);
		unmap(&s, 0x41, 0, 1, 0x01);		/* 8K out of a 2M block */
		fault(&s, IOPT_FAULT_ALLOC, 1);
		unmap(&s, 0x42, 0, 0, 0x01);		/* a split that fails */
		dev_access(&s, 0x42, 0, 0);
		unmap(&s, 0x40, 1, 3, 0x01);
		if (emit(&s, "real-huge-partial-%s", fmt_names[f]))
			return -1;
	}
	return 0;
}

/*
 * Format v3: byte 7 holds the extension flags, then bytes 8-13 the page
 * sizes (bit 1), 14 and 15 ias and oas (bit 2); bytes 1-3 as hdr() leaves
 * them (4K set, 48 bits) where an extension does not override them.
 */
static void hdr_v3(struct seed *s, int fmt, int quirks, int noncoh, int ext,
		   unsigned long pgsizes, int ias, int oas)
{
	hdr(s, fmt, 0, 5, 5, quirks, noncoh, 0);
	s->b[7] = ext;
	for (int i = 0; i < 6; i++)
		put(s, 1, (int)((pgsizes >> (8 * i)) & 0xff));
	put(s, 2, ias, oas);
}

#define PG(n)		(1UL << (n))
#define EXT_SIZES	(IOPT_EXT_PGSIZES | IOPT_EXT_ADDR_BITS)

static int gen_v3_cfg(void)
{
	static const struct {
		const char *name;
		int fmt, ext;
		unsigned long pgsizes;
		int ias, oas;
	} c[] = {
		/* the kernel keeps 4K|2M of 4K|8K|1M|2M|4T|2^47 */
		{ "pgsizes-stray-arm64-s1", 2, IOPT_EXT_PGSIZES,
		  PG(12) | PG(13) | PG(20) | PG(21) | PG(42) | PG(47), 0, 0 },
		/* no 4K: the smallest size above it, 16K, alone */
		{ "pgsizes-16k-only-arm64-s2", 3, EXT_SIZES,
		  PG(14) | PG(15) | PG(16) | PG(29) | PG(42), 47, 44 },
		/* 2K, below PAGE_SIZE, is chosen over 16K: no granule, refused */
		{ "pgsizes-below-page-arm64-s1", 2, IOPT_EXT_PGSIZES,
		  PG(11) | PG(14) | PG(25), 0, 0 },
		{ "addr-arm64-s1-ias63-oas63", 2, IOPT_EXT_ADDR_BITS, 0, 63, 63 },
		/* 64K: cut to 52 bits; an oas above 48 keeps 4T */
		{ "addr-arm64-s1-64k-ias60-oas53", 2, EXT_SIZES,
		  PG(16) | PG(29) | PG(42), 60, 53 },
		{ "addr-arm64-s1-oas41", 2, IOPT_EXT_ADDR_BITS, 0, 48, 41 },
		{ "addr-arm64-s2-oas33", 3, IOPT_EXT_ADDR_BITS, 0, 40, 33 },
		/* 4K, ias 43: exactly 16 level-0 entries, concatenated */
		{ "addr-arm64-s2-ias43", 3, IOPT_EXT_ADDR_BITS, 0, 43, 48 },
		{ "addr-arm64-s1-ias25", 2, IOPT_EXT_ADDR_BITS, 0, 25, 40 },
		{ "addr-arm64-s2-ias25", 3, IOPT_EXT_ADDR_BITS, 0, 25, 36 },
		{ "addr-arm32-s1-ias31-oas36", 0, IOPT_EXT_ADDR_BITS, 0, 31, 36 },
		{ "addr-mali-ias20-oas37", 4, IOPT_EXT_ADDR_BITS, 0, 20, 37 },
	};
	struct seed s;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		hdr_v3(&s, c[i].fmt, 0, 1, c[i].ext, c[i].pgsizes,
		       c[i].ias, c[i].oas);
		basic(&s);
		if (emit(&s, "v3-%s", c[i].name))
			return -1;
	}
	return 0;
}

/* pgtable_walk (bit 4) over a page, a block, holes, and a dirty leaf (HD). */
static int gen_v3_walk(void)
{
	static const struct { int fmt, pgset, quirks; const char *name; } c[] = {
		{ 2, 0, IOPT_Q_ARM_HD, "arm64-s1-hd" },
		{ 3, 2, 0, "arm64-s2-64k" },
		{ 4, 0, 0, "mali" },
	};
	struct seed s;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		hdr_v3(&s, c[i].fmt, c[i].quirks, 0, IOPT_EXT_MORE_OPS, 0, 0, 0);
		s.b[1] = c[i].pgset;
		map(&s, 0x01, 0x01, 0, 3, RW);		/* 4 pages */
		map(&s, 0x20, 0x22, 1, 0, RWC);		/* a block */
		walk(&s, 0x01, 0x10);
		walk(&s, 0x20, 0x10);
		walk(&s, 0x41, 0x00);			/* a hole high up */
		walk(&s, 0xff, 0xff);			/* the top of the space */
		dev_access(&s, 0x02, 0x00, 1);		/* a write: dirty under HD */
		walk(&s, 0x02, 0x00);
		unmap(&s, 0x01, 0, 0, 0x01);
		walk(&s, 0x01, 0x00);			/* the hole it left */
		unmap(&s, 0x20, 1, 0, 0x00);
		walk(&s, 0x20, 0x00);
		if (emit(&s, "v3-walk-%s", c[i].name))
			return -1;
	}
	return 0;
}

/*
 * Failures inside alloc_io_pgtable_ops (bit 3): the leading fault op
 * fails the initial creation, later ones the next re-create; each way
 * the fault op can fail the top table, and the pgtable data's.
 */
static int gen_v3_create(void)
{
	static const struct { int fmt, noncoh, kind; const char *name; } c[] = {
		{ 2, 0, IOPT_FAULT_ALLOC, "arm64-s1-alloc" },
		{ 3, 1, IOPT_FAULT_DMA_MAP, "arm64-s2-dma-map" },
		{ 2, 1, IOPT_FAULT_DMA_ADDR, "arm64-s1-dma-addr" },
		{ 4, 0, IOPT_FAULT_ALLOC, "mali-alloc" },
	};
	struct seed s;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		hdr_v3(&s, c[i].fmt, 0, c[i].noncoh, IOPT_EXT_CREATE_FAULT, 0, 0, 0);
		if (c[i].fmt == 4)
			s.b[3] = 2;			/* Mali: oas 40 */
		fault(&s, c[i].kind, 2);		/* the top table */
		map(&s, 0x01, 0x01, 0, 3, RW);		/* no table: skipped */
		recreate(&s);
		map(&s, 0x01, 0x01, 0, 3, RW);
		fault(&s, IOPT_FAULT_ALLOC, 1);		/* the pgtable data */
		recreate(&s);
		i2p(&s, 0x01, 0);			/* no table: skipped */
		fault(&s, c[i].kind, 3);		/* the top table again */
		recreate(&s);
		recreate(&s);
		map(&s, 0x01, 0x01, 0, 3, RW);
		unmap(&s, 0x01, 0, 3, 0x01);
		if (emit(&s, "v3-create-fault-%s", c[i].name))
			return -1;
	}
	return 0;
}

/*
 * Atomic callers (bit 5): maps with prot bit 6 (GFP_ATOMIC) that allocate
 * tables, 300 pages over new table pages, a GFP_KERNEL map beside them,
 * then a block split by a partial unmap (6.1 and 6.12 allocate its table
 * with GFP_ATOMIC: every unmap is an atomic caller's). Coverage of
 * the kernel files cannot tell a gfp from another: corpus/seeds.keep.
 */
static int gen_v3_atomic(void)
{
	static const struct { int fmt, noncoh; const char *name; } c[] = {
		{ 2, 0, "arm64-s1" },
		{ 3, 1, "arm64-s2-noncoherent" },
	};
	const int at = IOPT_PROT_ATOMIC;
	struct seed s;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		hdr_v3(&s, c[i].fmt, 0, c[i].noncoh, IOPT_EXT_ATOMIC, 0, 0, 0);
		map(&s, 0x01, 0x01, 0, 3, RW | at);	/* 4 pages, new tables */
		map(&s, 0x20, 0x22, 1, 0, RWC | at);	/* a block */
		map(&s, 0xc0, 0x05, 0, 0xf8, RW | at);	/* 300 pages */
		map(&s, 0x41, 0x41, 0, 0, RW);		/* GFP_KERNEL */
		i2p(&s, 0xc1, 0x08);
		unmap(&s, 0xc0, 0, 0xf8, 0x01);
		/* last: 6.1 and 6.12 end at their split's known TLB bug */
		unmap(&s, 0x20, 0, 0, 0x01);		/* a page of the block */
		i2p(&s, 0x20, 0x40);
		if (emit(&s, "v3-atomic-%s", c[i].name))
			return -1;
	}
	return 0;
}

/*
 * A page larger than the top level's blocks: with the 64K granule, ias 42
 * and oas 52, the walk starts at level 2 and a 4T page has no level; the
 * kernel must WARN and refuse it (-EINVAL) at the last level.
 */
static int gen_page_above_top(void)
{
	struct seed s;

	hdr(&s, 2, 6, 3, 6, 0, 1, 0);		/* arm64-s1, 64K|512M|4T, ias 42, oas 52 */
	map(&s, 0x00, 0x00, 2, 0, RW);		/* one 4T page at 0 */
	map(&s, 0x01, 0x01, 0, 0, RW);		/* and a 64K one that fits */
	if (emit(&s, "page-above-top-arm64-s1-64k-4t"))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: iopt-seedgen OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0755) && errno != EEXIST) {
		fprintf(stderr, "iopt-seedgen: cannot create '%s': %s\n", outdir,
			strerror(errno));
		return 2;
	}
	if (gen_configs() || gen_quirks() || gen_alloc_and_sizes() ||
	    gen_streaming() || gen_identity() || gen_huge() || gen_v3_cfg() ||
	    gen_v3_walk() || gen_v3_create() || gen_v3_atomic() ||
	    gen_edges() || gen_page_above_top())
		return 1;
	printf("iopt-seedgen: %u seeds in %s\n", written, outdir);
	return 0;
}
