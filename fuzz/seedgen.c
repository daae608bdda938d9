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
 * pages with partial unmaps; and the edges of ias and oas (extension bit 0).
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
	    gen_streaming() || gen_identity() || gen_huge() || gen_edges())
		return 1;
	printf("iopt-seedgen: %u seeds in %s\n", written, outdir);
	return 0;
}
