// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KUnit reproducer (kunit_gen.h). The program runs once more with
 * the executor telling us each op (struct iopt_op_view): its arguments,
 * resolved, and the reference model's prediction, from which the
 * expectations are written. What the case checks follows the check that
 * failed:
 *
 *   result, dirty        return values and *mapped (every case has them)
 *   iova_to_phys         translations, the one that failed among them
 *   tables, image        leaf descriptors through ops->pgtable_walk where
 *                        the tree has it; translations and the top
 *                        table's alignment otherwise
 *   tlb-stale, device,   the TLB callbacks the case's own iommu_flush_ops
 *   tlb                  record: every unmapped IOVA invalidated
 *   alloc                whether alloc_io_pgtable_ops returns NULL
 *   stale, teardown,     not observable through the API: said so in the
 *   accounting, runtime, comment; our KUnit shim checks the environment
 *   warn                 (iopt/kunit.h) and fails the case
 *   cmo (and image, tlb) a difference between the kernel's build and the
 *                        EL2 build: one KUnit run builds the code once
 *   any other check      the ops and their results, and the report
 *
 * Written against the tree's API as struct iopt_tree describes it
 * (map_pages, pgtable_walk, cfg->alloc, the quirks, kunit_device_register).
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "encode.h"
#include "known.h"
#include "kunit_gen.h"

enum ck {
	CK_RESULT, CK_TRANSLATION, CK_TABLES, CK_POC, CK_TLB, CK_ALLOC,
	CK_LEAK, CK_RUNTIME, CK_WARN, CK_CMO, CK_OTHER,
};

static const struct {
	const char *check;
	enum ck ck;
} checks[] = {
	{ "result", CK_RESULT }, { "dirty", CK_RESULT },
	{ "iova_to_phys", CK_TRANSLATION },
	{ "tables", CK_TABLES }, { "image", CK_TABLES },
	{ "stale", CK_POC },
	{ "tlb-stale", CK_TLB }, { "device", CK_TLB }, { "tlb", CK_TLB },
	{ "alloc", CK_ALLOC },
	{ "teardown", CK_LEAK }, { "accounting", CK_LEAK },
	{ "runtime", CK_RUNTIME }, { "warn", CK_WARN }, { "cmo", CK_CMO },
};

#define LEAVES_MAX	4

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
};

struct gen {
	FILE *f;
	const struct iopt_prog *prog;
	const struct iopt_kunit_report *rep;
	const struct iopt_tree *tree;
	const struct known_bug *known;
	struct iopt_model_geom geom;
	enum ck ck;
	bool between;			/* the check compares the builds */
	bool want_fail_probe;
	uint64_t fail_iova;
	struct op_rec rec[IOPT_MAX_OPS];
	unsigned int nrec;
	int failed_at;			/* rec index, -1: at alloc or teardown */
	bool custom, tlb_rec;
	unsigned int warns;
};

static void out(struct gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(g->f, fmt, ap);
	va_end(ap);
}

/* ---- watching the run ------------------------------------------------------ */

/* The level whose leaves are pgsize, -1 if none is. */
static int leaf_level(const struct iopt_model_geom *geom, size_t pgsize)
{
	unsigned int gs = geom->granule_shift, bits = gs - 3;
	int shift = pgsize ? __builtin_ctzll(pgsize) : 0;

	if (!pgsize || (pgsize & (pgsize - 1)) || shift < (int)gs ||
	    (shift - gs) % bits)
		return -1;
	return 3 - (int)((shift - gs) / bits);
}

static void record_leaves(struct gen *g, struct op_rec *r,
			  const struct iopt_model *m)
{
	size_t n = r->v.mapped / (r->v.pgsize ? r->v.pgsize : 1);

	r->leaf_level = leaf_level(&g->geom, r->v.pgsize);
	if (r->leaf_level < 0)
		return;
	for (size_t i = 0; i < n && i < LEAVES_MAX; i++) {
		r->leaf_iova[i] = r->v.iova + i * r->v.pgsize;
		r->leaf_pte[i] = iopt_model_leaf_pte(m, r->leaf_level,
						     r->v.pa + i * r->v.pgsize,
						     r->v.prot, false);
		r->nleaf++;
	}
}

static void on_op(void *ctx, const struct iopt_op_view *v)
{
	struct gen *g = ctx;
	struct op_rec *r = &g->rec[g->nrec++];
	const struct iopt_model *m = v->model;
	uint64_t len = v->pgsize * (uint64_t)(v->count ? v->count : 1);

	memset(r, 0, sizeof(*r));
	r->v = *v;
	r->v.model = NULL;
	r->v.op = NULL;
	r->op = *(const struct iopt_op *)v->op;
	if (v->failed && g->failed_at < 0)
		g->failed_at = g->nrec - 1;
	if (!v->ran || !m)
		return;
	g->warns += v->warn;
	if ((v->kind == IOPT_OP_MAP || v->kind == IOPT_OP_UNMAP) && len) {
		r->probe[r->nprobe++] = v->iova;
		if (len > 1 && v->iova + (len - 1) > v->iova)
			r->probe[r->nprobe++] = v->iova + (len - 1);
		for (unsigned int i = 0; i < r->nprobe; i++)
			r->want[i] = iopt_model_iova_to_phys(m, r->probe[i]);
	}
	if (v->kind == IOPT_OP_MAP && g->ck == CK_TABLES &&
	    g->tree->has_pgtable_walk)
		record_leaves(g, r, m);
	if (v->failed && g->want_fail_probe) {
		r->fail_probe = true;
		r->fail_iova = g->fail_iova;
		r->fail_want = iopt_model_iova_to_phys(m, g->fail_iova);
	}
}

/* ---- names in the kernel's terms ------------------------------------------- */

static const char *size_name(uint64_t s)
{
	static const char *const names[] = {
		"SZ_1K", "SZ_2K", "SZ_4K", "SZ_8K", "SZ_16K", "SZ_32K",
		"SZ_64K", "SZ_128K", "SZ_256K", "SZ_512K", "SZ_1M", "SZ_2M",
		"SZ_4M", "SZ_8M", "SZ_16M", "SZ_32M", "SZ_64M", "SZ_128M",
		"SZ_256M", "SZ_512M", "SZ_1G", "SZ_2G",
	};
	int b = s ? __builtin_ctzll(s) : 0;

	if (s && !(s & (s - 1)) && b >= 10 && b <= 31)
		return names[b - 10];
	return NULL;
}

/* A size as C: SZ_* where there is one. */
static void put_size(struct gen *g, uint64_t s)
{
	const char *n = size_name(s);

	if (n)
		out(g, "%s", n);
	else
		out(g, "0x%llx", (unsigned long long)s);
}

/* A size as words: "4K", "2M", "1G", or hex. */
static const char *size_words(uint64_t s, char *buf, size_t n)
{
	const char *name = size_name(s);

	if (name)
		snprintf(buf, n, "%s", name + 3);
	else
		snprintf(buf, n, "0x%llx bytes", (unsigned long long)s);
	return buf;
}

static void put_bitmap(struct gen *g, unsigned long bm)
{
	bool first = true;

	for (int b = 0; b < 64; b++) {
		if (!(bm & (1UL << b)))
			continue;
		out(g, "%s", first ? "" : " | ");
		if (size_name(1ULL << b))
			put_size(g, 1ULL << b);
		else
			out(g, "(1UL << %d)", b);
		first = false;
	}
	if (first)
		out(g, "0");
}

static void put_prot(struct gen *g, int prot)
{
	static const char *const names[] = {
		"IOMMU_READ", "IOMMU_WRITE", "IOMMU_CACHE", "IOMMU_NOEXEC",
		"IOMMU_MMIO", "IOMMU_PRIV",
	};
	bool first = true;

	for (int b = 0; b < 6; b++) {
		if (prot & (1 << b)) {
			out(g, "%s%s", first ? "" : " | ", names[b]);
			first = false;
		}
	}
	if (first)
		out(g, "0");
}

static void put_quirks(struct gen *g, unsigned int q)
{
	const struct iopt_tree *t = g->tree;
	const struct {
		unsigned int bit;
		const char *name;
		bool have;
		int upstream;		/* its bit upstream, for a tree without it */
	} quirks[] = {
		{ IOPT_Q_ARM_NS, "IO_PGTABLE_QUIRK_ARM_NS", true, 0 },
		{ IOPT_Q_ARM_TTBR1, "IO_PGTABLE_QUIRK_ARM_TTBR1", true, 0 },
		{ IOPT_Q_ARM_OUTER_WBWA, "IO_PGTABLE_QUIRK_ARM_OUTER_WBWA", true, 0 },
		{ IOPT_Q_ARM_HD, "IO_PGTABLE_QUIRK_ARM_HD", t->has_quirk_hd, 7 },
		{ IOPT_Q_ARM_S2FWB, "IO_PGTABLE_QUIRK_ARM_S2FWB", t->has_quirk_s2fwb, 8 },
		{ IOPT_Q_NO_WARN, "IO_PGTABLE_QUIRK_NO_WARN", t->has_quirk_no_warn, 9 },
	};
	bool first = true;

	for (size_t i = 0; i < sizeof(quirks) / sizeof(quirks[0]); i++) {
		if (!(q & quirks[i].bit))
			continue;
		out(g, "%s", first ? "" : " | ");
		if (quirks[i].have)
			out(g, "%s", quirks[i].name);
		else	/* as the executor passes it: the tree rejects it */
			out(g, "BIT(%d) /* %s, which this tree does not know */",
			    quirks[i].upstream, quirks[i].name);
		first = false;
	}
	if (first)
		out(g, "0");
}

static const char *const fmt_names[IOPT_FMT_COUNT] = {
	[IOPT_FMT_ARM_32_S1] = "ARM_32_LPAE_S1",
	[IOPT_FMT_ARM_32_S2] = "ARM_32_LPAE_S2",
	[IOPT_FMT_ARM_64_S1] = "ARM_64_LPAE_S1",
	[IOPT_FMT_ARM_64_S2] = "ARM_64_LPAE_S2",
	[IOPT_FMT_MALI] = "ARM_MALI_LPAE",
};

/* Where alloc_io_pgtable_ops writes the top table's address. */
static const char *ttbr_expr(enum iopt_fmt fmt)
{
	switch (fmt) {
	case IOPT_FMT_ARM_32_S2:
	case IOPT_FMT_ARM_64_S2:
		return "cfg.arm_lpae_s2_cfg.vttbr";
	case IOPT_FMT_MALI:	/* without the attributes in bits 0-2 and 4 */
		return "(cfg.arm_mali_lpae_cfg.transtab & ~0x17ULL)";
	default:
		return "cfg.arm_lpae_s1_cfg.ttbr";
	}
}

static const char *errno_name(long e)
{
	switch (e) {
	case -2: return "-ENOENT";
	case -12: return "-ENOMEM";
	case -14: return "-EFAULT";
	case -17: return "-EEXIST";
	case -22: return "-EINVAL";
	case -34: return "-ERANGE";
	case -95: return "-EOPNOTSUPP";
	default: return NULL;
	}
}

static void put_ret(struct gen *g, long ret)
{
	const char *e = errno_name(ret);

	if (e)
		out(g, "%s", e);
	else
		out(g, "%ld", ret);
}

static const char *api_name(int kind)
{
	switch (kind) {
	case IOPT_OP_MAP: return "map_pages";
	case IOPT_OP_UNMAP: return "unmap_pages";
	case IOPT_OP_IOVA_TO_PHYS: return "iova_to_phys";
	case IOPT_OP_DIRTY: return "read_and_clear_dirty";
	case IOPT_OP_RECREATE: return "re-creation of the page table";
	case IOPT_OP_ACCESS: return "device access";
	default: return "fault injection";
	}
}

static const char *ordinal(unsigned int n, char *buf, size_t len)
{
	static const char *const words[] = {
		"first", "second", "third", "fourth", "fifth", "sixth",
		"seventh", "eighth", "ninth", "tenth",
	};

	if (n >= 1 && n <= 10)
		snprintf(buf, len, "%s", words[n - 1]);
	else
		snprintf(buf, len, "%uth", n);
	return buf;
}

/* "the second map_pages (iova 0x1000, 4 pages of 4K)" */
static void op_phrase(const struct gen *g, unsigned int i, char *buf, size_t n)
{
	const struct op_rec *r = &g->rec[i];
	unsigned int nth = 0, same = 0;
	char ord[16], sz[32];

	for (unsigned int k = 0; k < g->nrec; k++) {
		nth += k <= i && g->rec[k].v.kind == r->v.kind;
		same += g->rec[k].v.kind == r->v.kind;
	}
	if (same > 1)
		snprintf(buf, n, "the %s %s", ordinal(nth, ord, sizeof(ord)),
			 api_name(r->v.kind));
	else
		snprintf(buf, n, "%s%s", r->v.kind == IOPT_OP_RECREATE ||
			 r->v.kind == IOPT_OP_ACCESS ? "the " : "",
			 api_name(r->v.kind));
	if (r->v.kind == IOPT_OP_MAP || r->v.kind == IOPT_OP_UNMAP ||
	    r->v.kind == IOPT_OP_DIRTY)
		snprintf(buf + strlen(buf), n - strlen(buf),
			 " (iova 0x%llx, %zu page%s of %s)",
			 (unsigned long long)r->v.iova, r->v.count,
			 r->v.count == 1 ? "" : "s",
			 size_words(r->v.pgsize, sz, sizeof(sz)));
	else if (r->v.kind == IOPT_OP_IOVA_TO_PHYS || r->v.kind == IOPT_OP_ACCESS)
		snprintf(buf + strlen(buf), n - strlen(buf), " (iova 0x%llx)",
			 (unsigned long long)r->v.iova);
}

/* ---- the comment: what goes wrong -------------------------------------------- */

struct para {
	char text[4096];
	size_t len;
};

static void say(struct para *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct para *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (p->len < sizeof(p->text))
		p->len += vsnprintf(p->text + p->len, sizeof(p->text) - p->len,
				    fmt, ap);
	va_end(ap);
	if (p->len >= sizeof(p->text))
		p->len = sizeof(p->text) - 1;
}

/* A paragraph of a block comment, each line prefix + text, wrapped at 72 columns. */
static void put_lines(struct gen *g, const char *prefix, char *text)
{
	const char *p = text;
	char *w = text;

	for (const char *r = text; *r; r++)	/* one space between sentences */
		if (*r != ' ' || r[1] != ' ')
			*w++ = *r;
	*w = 0;

	while (*p) {
		size_t n = strlen(p), cut = n;

		if (n > 72) {
			cut = 72;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (!cut)
				cut = strcspn(p, " ");
		}
		out(g, "%s%.*s\n", prefix, (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

/*
 * Where it goes wrong: "the second map_pages (...)"; alloc_io_pgtable_ops;
 * or the checks of the whole tables before free_io_pgtable_ops, and that.
 */
static void when(const struct gen *g, char *buf, size_t n)
{
	if (g->failed_at >= 0)
		op_phrase(g, g->failed_at, buf, n);
	else if (g->ck == CK_LEAK && !strstr(g->rep->signature, "/alloc/"))
		snprintf(buf, n, "free_io_pgtable_ops");
	else if (!g->nrec)
		snprintf(buf, n, "alloc_io_pgtable_ops");
	else
		snprintf(buf, n, "the ops above");
}

/* The stale-entry report in a reviewer's words, if it has the usual form. */
static bool poc_words(struct gen *g, struct para *p, const char *op)
{
	unsigned int level, entry;
	unsigned long long iova, pa, cpu, poc;
	char cd[64], pd[64];

	if (sscanf(g->rep->what,
		   "stale entry visible to the IOMMU in %*[^:]: L%u table of iova 0x%llx at pa 0x%llx, entry %u (line +0x%*x): CPU 0x%llx (%63[^)]), PoC 0x%llx (%63[^)])",
		   &level, &iova, &pa, &entry, &cpu, cd, &poc, pd) != 8)
		return false;
	say(p, "With a non-coherent table walk, %s leaves entry %u of the level-%u table for IOVA 0x%llx unclean at the point of coherency: the CPU wrote 0x%016llx (%s), but a walker reading memory finds 0x%016llx (%s). ",
	    op, entry, level, iova, cpu, cd, poc, pd);
	return true;
}

/* The stale TLB or walk-cache entry, in a reviewer's words. */
static bool tlb_words(struct gen *g, struct para *p, const char *op)
{
	unsigned long long iova, size, pa, span;
	char sz[32];
	int level;

	if (sscanf(g->rep->what, "%*[^:]: stale TLB entry: iova 0x%llx (L%d, size 0x%llx) still translates to 0x%llx",
		   &iova, &level, &size, &pa) == 4) {
		say(p, "After %s, the IOMMU's TLB still translates IOVA 0x%llx (a level-%d leaf of %s) to 0x%llx, which the tables no longer do: nothing invalidated it. ",
		    op, iova, level, size_words(size, sz, sizeof(sz)), pa);
		return true;
	}
	if (sscanf(g->rep->what, "%*[^:]: stale walk-cache entry: the level-%d table for iova 0x%llx (span 0x%llx) is still cached at pa 0x%llx",
		   &level, &iova, &span, &pa) == 4) {
		say(p, "After %s, the IOMMU's walk cache still holds the level-%d table for IOVA 0x%llx (it spans %s) at pa 0x%llx, which the tables no longer hold: the walk was not flushed, and a freed table stays walkable. ",
		    op, level, iova, size_words(span, sz, sizeof(sz)), pa);
		return true;
	}
	return false;
}

static void explain_check(struct gen *g, struct para *p, const char *op)
{
	const char *what = g->rep->what;

	switch (g->ck) {
	case CK_POC:
		if (!poc_words(g, p, op))
			say(p, "With a non-coherent table walk, %s leaves a table unclean at the point of coherency (iopt-fuzz: \"%s\"). ",
			    op, what);
		say(p, "Cache maintenance is not observable through the io-pgtable API, so upstream this case passes on the buggy tree too and only documents the ops. In iopt-fuzz's KUnit shim it fails: there each expectation also checks that every DMA-mapped table reads the same at the point of coherency as in the CPU's cache, but for the bits the walker ignores.");
		break;
	case CK_TLB:
		if (!tlb_words(g, p, op))
			say(p, "After %s, a stale entry stays in the IOMMU's TLB or walk cache (iopt-fuzz: \"%s\"). ",
			    op, what);
		say(p, "The case records the TLB maintenance io-pgtable asks of the driver (its iommu_flush_ops) and expects every IOVA that unmap_pages with a gather (not queued) unmaps to be invalidated, by a tlb_add_page of it, a tlb_flush_walk over it or a tlb_flush_all, and a table it frees to be flushed from the walk cache (tlb_flush_walk or tlb_flush_all). The device access that filled the TLB in iopt-fuzz's run is not expressible here.");
		break;
	case CK_LEAK:
		say(p, "After %s, the page-table memory does not add up (iopt-fuzz: \"%s\"). ", op, what);
		say(p, "Allocations are not observable through the io-pgtable API (kmemleak may report a leak later). In iopt-fuzz's KUnit shim the case fails: nothing may be left allocated after it, and a page table that is created again must start from nothing.");
		break;
	case CK_RUNTIME:
		say(p, "During %s the code misuses the kernel API underneath it (iopt-fuzz: \"%s\"). ", op, what);
		say(p, "This is not observable through the io-pgtable API (CONFIG_DMA_API_DEBUG, KASAN or UBSAN may see it). iopt-fuzz's KUnit shim fails the case on the runtime's detection.");
		break;
	case CK_WARN:
		say(p, "The contract and %s disagree about a WARN (iopt-fuzz: \"%s\"). ", op, what);
		say(p, "KUnit cannot expect a WARN in this tree; the lines under IOPT_KUNIT_SHIM tell iopt-fuzz's shim how many WARNs the contract predicts, and the shim fails the case on any other number.");
		break;
	case CK_RESULT:
		say(p, "The result of %s is not what the contract allows (iopt-fuzz: \"%s\"); its expectation fails.", op, what);
		break;
	case CK_TRANSLATION:
		say(p, "After %s, iova_to_phys gives a translation the contract does not allow (iopt-fuzz: \"%s\"); its expectation fails.", op, what);
		break;
	case CK_TABLES:
		say(p, "After %s, the page tables are not what the contract requires (iopt-fuzz: \"%s\"). ", op, what);
		if (g->tree->has_pgtable_walk)
			say(p, "The case reads the new leaf descriptors back with ops->pgtable_walk and expects those the contract documents, and the top table aligned as the walker needs.");
		else
			say(p, "This tree has no ops->pgtable_walk, so the case checks what its API shows: the translations, and the top table's alignment (a walker needs it aligned to its size and to 64 bytes at least).");
		break;
	case CK_ALLOC:
		say(p, "For this configuration, alloc_io_pgtable_ops disagrees with the contract (iopt-fuzz: \"%s\"); its expectation fails.", what);
		break;
	case CK_CMO:
		say(p, "The kernel's build and the EL2 (pKVM hypervisor) build of the same code do different cache maintenance in %s (iopt-fuzz: \"%s\"). ", op, what);
		break;
	default:
		say(p, "The check '%s' of iopt-fuzz fails in %s (iopt-fuzz: \"%s\"). The case shows the ops and the results the contract requires of them.",
		    g->rep->check, op, what);
		break;
	}
	if (g->between)
		say(p, " One KUnit run builds the code once, so the difference between the builds itself is for iopt-fuzz to show (iopt-replay -v); the case checks what the contract requires of each.");
	else if (!strcmp(g->rep->side, "hyp"))
		say(p, " It fails in the EL2 (pKVM hypervisor) build, which KUnit does not run: in the kernel's build this case passes.");
}

static void put_header(struct gen *g)
{
	struct para p = { .len = 0 };
	char op[160];

	when(g, op, sizeof(op));
	out(g, "// SPDX-License-Identifier: GPL-2.0-only\n/*\n");
	say(&p, "KUnit reproducer of %s on Linux %s, generated by iopt-fuzz (iopt-replay --repro) from a minimized input.",
	    g->rep->signature, g->tree->version);
	put_lines(g, " * ", p.text);
	out(g, " *\n");
	p.len = 0;
	if (g->known)
		say(&p, "This is the known upstream bug '%s': %s (%s%s%s). ",
		    g->known->id, g->known->what, g->known->versions,
		    g->known->fix ? "; fixed by " : "",
		    g->known->fix ? g->known->fix : "");
	explain_check(g, &p, op);
	if (g->rep->plant && *g->rep->plant && strstr(g->rep->plant, "@hyp"))
		say(&p, " The bug is one iopt-fuzz plants in the EL2 build (IOPT_PLANT=%s).",
		    g->rep->plant);
	else if (g->rep->plant && *g->rep->plant && !g->between)
		say(&p, " The bug is one iopt-fuzz plants (IOPT_PLANT=%s): run the case in iopt-fuzz's shim with the same for it to fail.",
		    g->rep->plant);
	else if (g->rep->plant && *g->rep->plant)
		say(&p, " The bug is one iopt-fuzz plants (IOPT_PLANT=%s).",
		    g->rep->plant);
	put_lines(g, " * ", p.text);
	out(g, " *\n");
	p.len = 0;
	p.text[0] = 0;
	say(&p, "The expectations are what the io_pgtable_ops contract requires, as iopt-fuzz's reference model predicts it. ");
	if (g->tree->selftest == IOPT_SELFTEST_KUNIT)
		say(&p, "Upstream, paste the case into drivers/iommu/io-pgtable-arm-selftests.c, or build this file as a KUnit suite of its own. ");
	else
		say(&p, "Upstream, build this file as a KUnit suite beside io-pgtable-arm.c (this tree's own selftests are not KUnit: they run at boot from io-pgtable-arm.c). ");
	say(&p, "In iopt-fuzz's userspace KUnit shim: bash scripts/kunit-case.sh BUILD_DIR kunit.c. Lines under IOPT_KUNIT_SHIM are for that shim only.");
	if (!g->prog->cfg.coherent_walk && g->tree->has_kunit_device)
		say(&p, " A non-coherent walk needs a device that is not DMA-coherent (a KUnit device on arm64) with a 64-bit DMA mask.");
	if (!g->tree->has_kunit_device)
		say(&p, " This tree has no kunit_device_register(): the case uses a device on the stack, for which the DMA API cannot map, so upstream only a coherent walk can run.");
	put_lines(g, " * ", p.text);
	out(g, " */\n");
}

/* ---- the code ---------------------------------------------------------------- */

static void put_includes(struct gen *g)
{
	out(g, "#include <kunit/test.h>\n");
	if (g->tree->has_kunit_device)
		out(g, "#include <kunit/device.h>\n");
	if (!g->prog->cfg.coherent_walk && g->tree->has_kunit_device)
		out(g, "#include <linux/dma-mapping.h>\n");
	if (g->custom)
		out(g, "#include <linux/gfp.h>\n#include <linux/mm.h>\n");
	out(g, "#include <linux/io-pgtable.h>\n#include <linux/iommu.h>\n#include <linux/sizes.h>\n\n");
}

static void put_tlb_ops(struct gen *g)
{
	if (!g->tlb_rec) {
		out(g, "static void repro_tlb_flush_all(void *cookie)\n{\n}\n\n");
		out(g, "static void repro_tlb_flush_walk(unsigned long iova, size_t size,\n\t\t\t\t size_t granule, void *cookie)\n{\n}\n\n");
		out(g, "static void repro_tlb_add_page(struct iommu_iotlb_gather *gather,\n\t\t\t       unsigned long iova, size_t granule, void *cookie)\n{\n}\n\n");
	} else {
		out(g, "/* The TLB maintenance io-pgtable asks of the driver, as it asks. */\n");
		out(g, "#define REPRO_TLB_MAX\t256\n\n");
		out(g, "static struct {\n\tunsigned int n;\n\tstruct {\n\t\tunsigned long iova;\n\t\tsize_t size;\t\t/* 0: everything (tlb_flush_all) */\n\t\tbool leaf;\t\t/* tlb_add_page: leaf entries only */\n\t} ev[REPRO_TLB_MAX];\n} repro_tlb;\n\n");
		out(g, "static void repro_tlb_record(unsigned long iova, size_t size, bool leaf)\n{\n");
		out(g, "\tif (repro_tlb.n < REPRO_TLB_MAX) {\n\t\trepro_tlb.ev[repro_tlb.n].iova = iova;\n\t\trepro_tlb.ev[repro_tlb.n].size = size;\n\t\trepro_tlb.ev[repro_tlb.n].leaf = leaf;\n\t}\n\trepro_tlb.n++;\n}\n\n");
		out(g, "static void repro_tlb_flush_all(void *cookie)\n{\n\trepro_tlb_record(0, 0, false);\n}\n\n");
		out(g, "static void repro_tlb_flush_walk(unsigned long iova, size_t size,\n\t\t\t\t size_t granule, void *cookie)\n{\n\trepro_tlb_record(iova, size, false);\n}\n\n");
		out(g, "static void repro_tlb_add_page(struct iommu_iotlb_gather *gather,\n\t\t\t       unsigned long iova, size_t granule, void *cookie)\n{\n\trepro_tlb_record(iova, granule, true);\n}\n\n");
		out(g, "/*\n * Whether what was recorded since repro_tlb.n = 0 invalidates all of\n * [iova, iova + size): its leaves, or (walk) its table pointers too.\n */\n");
		out(g, "static bool repro_tlb_covers(unsigned long iova, size_t size, bool walk)\n{\n");
		out(g, "\tunsigned long last = iova + size - 1;\n\n");
		out(g, "\tif (repro_tlb.n > REPRO_TLB_MAX)\n\t\treturn true;\t/* too many to tell */\n");
		out(g, "\tfor (;;) {\n\t\tunsigned long end;\n\t\tunsigned int i;\n\n");
		out(g, "\t\tfor (i = 0; i < repro_tlb.n; i++) {\n");
		out(g, "\t\t\tif (walk && repro_tlb.ev[i].leaf)\n\t\t\t\tcontinue;\n");
		out(g, "\t\t\tif (!repro_tlb.ev[i].size)\n\t\t\t\treturn true;\n");
		out(g, "\t\t\tif (repro_tlb.ev[i].iova <= iova &&\n\t\t\t    iova - repro_tlb.ev[i].iova < repro_tlb.ev[i].size)\n\t\t\t\tbreak;\n\t\t}\n");
		out(g, "\t\tif (i == repro_tlb.n)\n\t\t\treturn false;\n");
		out(g, "\t\tend = repro_tlb.ev[i].iova + (repro_tlb.ev[i].size - 1);\n");
		out(g, "\t\tif (end >= last)\n\t\t\treturn true;\n\t\tiova = end + 1;\n\t}\n}\n\n");
	}
	out(g, "static const struct iommu_flush_ops repro_tlb_ops = {\n");
	out(g, "\t.tlb_flush_all\t= repro_tlb_flush_all,\n\t.tlb_flush_walk\t= repro_tlb_flush_walk,\n\t.tlb_add_page\t= repro_tlb_add_page,\n};\n\n");
}

static void put_custom_alloc(struct gen *g)
{
	if (!g->custom)
		return;
	out(g, "/* cfg->alloc: memory aligned to the size asked for exactly, and no more. */\n");
	out(g, "#define REPRO_ALLOCS\t256\n\n");
	out(g, "static struct kunit *repro_test;\n\n");
	out(g, "static struct {\n\tvoid *va;\n\tstruct page *page;\n\tunsigned int order;\n\tsize_t size;\n} repro_allocs[REPRO_ALLOCS];\n\n");
	out(g, "static void *repro_alloc(void *cookie, size_t size, gfp_t gfp)\n{\n");
	out(g, "\tsize_t align = 1;\n\tstruct page *page;\n\tunsigned int i;\n\n");
	out(g, "\twhile (align < size)\n\t\talign <<= 1;\n");
	out(g, "\tfor (i = 0; i < REPRO_ALLOCS && repro_allocs[i].va; i++)\n\t\t;\n");
	out(g, "\tif (i == REPRO_ALLOCS)\n\t\treturn NULL;\n");
	out(g, "\tpage = alloc_pages_node(NUMA_NO_NODE, gfp | __GFP_ZERO,\n\t\t\t\tget_order(2 * align));\n");
	out(g, "\tif (!page)\n\t\treturn NULL;\n");
	out(g, "\trepro_allocs[i].page = page;\n\trepro_allocs[i].order = get_order(2 * align);\n\trepro_allocs[i].size = size;\n");
	out(g, "\trepro_allocs[i].va = page_address(page) + align;\n\treturn repro_allocs[i].va;\n}\n\n");
	out(g, "static void repro_free(void *cookie, void *pages, size_t size)\n{\n\tunsigned int i;\n\n");
	out(g, "\tfor (i = 0; i < REPRO_ALLOCS; i++) {\n\t\tif (repro_allocs[i].va != pages)\n\t\t\tcontinue;\n");
	out(g, "\t\tKUNIT_EXPECT_EQ_MSG(repro_test, size, repro_allocs[i].size,\n\t\t\t\t    \"cfg->free is given another size than cfg->alloc was asked for\");\n");
	out(g, "\t\t__free_pages(repro_allocs[i].page, repro_allocs[i].order);\n\t\trepro_allocs[i].va = NULL;\n\t\treturn;\n\t}\n");
	out(g, "\tKUNIT_FAIL(repro_test, \"cfg->free(%%p): not an allocation of cfg->alloc\", pages);\n}\n\n");
}

static void put_cfg(struct gen *g)
{
	const struct iopt_model_cfg *c = &g->prog->cfg;

	out(g, "\tstruct io_pgtable_cfg cfg = {\n\t\t.pgsize_bitmap\t= ");
	put_bitmap(g, c->pgsize_bitmap);
	out(g, ",\n\t\t.ias\t\t= %u,\n\t\t.oas\t\t= %u,\n\t\t.quirks\t\t= ", c->ias, c->oas);
	put_quirks(g, c->quirks);
	out(g, ",\n\t\t.coherent_walk\t= %s,\n\t\t.tlb\t\t= &repro_tlb_ops,\n",
	    c->coherent_walk ? "true" : "false");
	if (g->custom)
		out(g, "\t\t.alloc\t\t= repro_alloc,\n\t\t.free\t\t= repro_free,\n");
	out(g, "\t};\n");
}

static bool uses(const struct gen *g, int kind, bool gather)
{
	for (unsigned int i = 0; i < g->nrec; i++)
		if (g->rec[i].v.kind == kind && g->rec[i].v.ran &&
		    (!gather || (g->rec[i].op.flags & IOPT_OPF_GATHER)))
			return true;
	return false;
}

static void put_alloc(struct gen *g, const char *indent)
{
	unsigned int pgd = g->geom.pgd_entries * 8;

	out(g, "%sops = alloc_io_pgtable_ops(%s, &cfg, &cfg);\n", indent,
	    fmt_names[g->prog->cfg.fmt]);
	if (g->geom.rejected) {
		out(g, "%sKUNIT_EXPECT_NULL(test, ops);\n", indent);
		return;
	}
	out(g, "%sKUNIT_ASSERT_NOT_NULL(test, ops);\n", indent);
	if (g->ck == CK_TABLES)
		out(g, "%s/* the walker needs the top table aligned to its size, and to 64 bytes */\n%sKUNIT_EXPECT_EQ(test, %s & 0x%xULL, 0ULL);\n",
		    indent, indent, ttbr_expr(g->prog->cfg.fmt),
		    (pgd > 64 ? pgd : 64) - 1);
}

static void put_probes(struct gen *g, const struct op_rec *r)
{
	for (unsigned int i = 0; i < r->nprobe; i++)
		out(g, "\tKUNIT_EXPECT_EQ(test, ops->iova_to_phys(ops, 0x%llx), (phys_addr_t)0x%llx);\n",
		    (unsigned long long)r->probe[i], (unsigned long long)r->want[i]);
}

static void put_leaves(struct gen *g, const struct op_rec *r)
{
	if (!r->nleaf)
		return;
	out(g, "\t/* the leaf descriptors the contract documents for this prot and format */\n");
	for (unsigned int i = 0; i < r->nleaf; i++) {
		out(g, "\tmemset(&walk, 0, sizeof(walk));\n");
		out(g, "\tops->pgtable_walk(ops, 0x%llx, &walk);\n",
		    (unsigned long long)r->leaf_iova[i]);
		out(g, "\tKUNIT_EXPECT_EQ(test, walk.ptes[%d], (u64)0x%016llxULL);\n",
		    r->leaf_level, (unsigned long long)r->leaf_pte[i]);
	}
}

static void put_map(struct gen *g, const struct op_rec *r)
{
	out(g, "\tmapped = 0;\n\tKUNIT_EXPECT_EQ(test, ops->map_pages(ops, 0x%llx, 0x%llx, ",
	    (unsigned long long)r->v.iova, (unsigned long long)r->v.pa);
	put_size(g, r->v.pgsize);
	out(g, ", %zu,\n\t\t\t\t\t       ", r->v.count);
	put_prot(g, r->v.prot);
	out(g, ", GFP_KERNEL, &mapped), ");
	put_ret(g, r->v.ret);
	out(g, ");\n\tKUNIT_EXPECT_EQ(test, mapped, (size_t)0x%zx);\n", r->v.mapped);
	put_probes(g, r);
	put_leaves(g, r);
}

static void put_unmap(struct gen *g, const struct op_rec *r)
{
	bool gather = r->op.flags & IOPT_OPF_GATHER;
	bool queued = gather && (r->op.flags & IOPT_OPF_QUEUED);
	bool check_tlb = g->tlb_rec && gather && !queued && r->v.ret > 0;

	if (gather)
		out(g, "\tiommu_iotlb_gather_init(&gather);\n");
	if (queued)
		out(g, "\tgather.queued = true;\t/* a flush queue: the driver flushes all later */\n");
	if (g->tlb_rec)
		out(g, "\trepro_tlb.n = 0;\n");
	out(g, "\tKUNIT_EXPECT_EQ(test, ops->unmap_pages(ops, 0x%llx, ",
	    (unsigned long long)r->v.iova);
	put_size(g, r->v.pgsize);
	out(g, ", %zu, %s), ", r->v.count, gather ? "&gather" : "NULL");
	if (r->v.ret < 0)
		out(g, "(size_t)%s);\n", errno_name(r->v.ret) ? errno_name(r->v.ret) : "-1");
	else
		out(g, "(size_t)0x%lx);\n", r->v.ret);
	if (check_tlb)
		out(g, "\tKUNIT_EXPECT_TRUE_MSG(test, repro_tlb_covers(0x%llx, 0x%lx, false),\n\t\t\t      \"unmapped IOVAs stay in the IOTLB: no invalidation covers them\");\n",
		    (unsigned long long)r->v.iova, r->v.ret);
	/* one entry, and it held a table: freed now, so out of the walk cache too */
	if (check_tlb && r->v.count == 1 && r->v.tables_freed)
		out(g, "\tKUNIT_EXPECT_TRUE_MSG(test, repro_tlb_covers(0x%llx, 0x%zx, true),\n\t\t\t      \"the freed table stays in the walk cache: no tlb_flush_walk covers it\");\n",
		    (unsigned long long)r->v.iova, r->v.pgsize);
	put_probes(g, r);
}

static void put_dirty(struct gen *g, const struct op_rec *r)
{
	out(g, "\tKUNIT_EXPECT_EQ(test, ops->read_and_clear_dirty(ops, 0x%llx, 0x%llx, %s, &dirty), ",
	    (unsigned long long)r->v.iova,
	    (unsigned long long)(r->v.pgsize * (uint64_t)r->v.count),
	    r->op.flags & IOPT_OPF_NO_CLEAR ? "IOMMU_DIRTY_NO_CLEAR" : "0");
	put_ret(g, r->v.ret);
	out(g, ");\t/* the dirty ranges are not recorded here */\n");
}

static void put_fault(struct gen *g, const struct op_rec *r)
{
	static const char *const kinds[] = {
		"the page allocator fails", "dma_map_single() fails",
		"the DMA address is not the physical one",
	};
	char ord[16], text[256];
	int kind = g->prog->cfg.coherent_walk ? 0 : r->op.flags;

	snprintf(text, sizeof(text), "iopt-fuzz's shim only: the %s table allocation from here fails (%s). Without it, as upstream, the results below differ.",
		 ordinal(r->op.count, ord, sizeof(ord)), kinds[kind]);
	out(g, "\t/*\n");
	put_lines(g, "\t * ", text);
	out(g, "\t */\n");
	out(g, "#ifdef IOPT_KUNIT_SHIM\n\tiopt_kunit_fail_alloc(test, %d, %u);\n#endif\n",
	    kind, r->op.count);
}

static void put_op(struct gen *g, unsigned int i)
{
	const struct op_rec *r = &g->rec[i];
	char what[200];

	op_phrase(g, i, what, sizeof(what));
	if (r->v.kind == IOPT_OP_ACCESS) {
		out(g, "\n\t/*\n\t * #%u: the device %s iova 0x%llx through the IOMMU, whose TLB\n\t * then holds it: not expressible here%s\n\t */\n",
		    r->v.index, r->op.flags & IOPT_OPF_WRITE ? "writes" : "reads",
		    (unsigned long long)r->v.iova,
		    (int)i == g->failed_at ? " (where it goes wrong)" : "");
		return;
	}
	out(g, "\n\t/* #%u: %s%s */\n", r->v.index, what,
	    (int)i == g->failed_at ? ": where it goes wrong" : "");
	if (r->v.skipped) {
		out(g, "\t/* not run: it breaks a precondition the IOMMU core guarantees */\n");
		return;
	}
	switch (r->v.kind) {
	case IOPT_OP_MAP:
		put_map(g, r);
		break;
	case IOPT_OP_UNMAP:
		put_unmap(g, r);
		break;
	case IOPT_OP_IOVA_TO_PHYS:
		out(g, "\tKUNIT_EXPECT_EQ(test, ops->iova_to_phys(ops, 0x%llx), (phys_addr_t)0x%lx);\n",
		    (unsigned long long)r->v.iova, r->v.ret);
		break;
	case IOPT_OP_DIRTY:
		put_dirty(g, r);
		break;
	case IOPT_OP_RECREATE:
		out(g, "\tfree_io_pgtable_ops(ops);\n");
		put_alloc(g, "\t");
		break;
	default:
		put_fault(g, r);
		break;
	}
	if (r->fail_probe)
		out(g, "\tKUNIT_EXPECT_EQ(test, ops->iova_to_phys(ops, 0x%llx), (phys_addr_t)0x%llx);\n",
		    (unsigned long long)r->fail_iova, (unsigned long long)r->fail_want);
}

static void case_name(const struct gen *g, char *buf, size_t n)
{
	const char *s = g->rep->signature;
	size_t k;

	snprintf(buf, n, "iopt_repro_");
	if (!strncmp(s, "iopt: ", 6))
		s += 6;
	k = strlen(buf);
	for (; *s && k + 1 < n; s++)
		buf[k++] = isalnum((unsigned char)*s) ? *s : '_';
	buf[k] = 0;
}

static void put_case(struct gen *g, const char *name)
{
	const struct iopt_model_cfg *c = &g->prog->cfg;
	unsigned int allocs = 1;

	out(g, "static void %s(struct kunit *test)\n{\n", name);
	put_cfg(g);
	out(g, "\tstruct io_pgtable_ops *ops;\n");
	if (uses(g, IOPT_OP_MAP, false))
		out(g, "\tsize_t mapped;\n");
	if (uses(g, IOPT_OP_UNMAP, true))
		out(g, "\tstruct iommu_iotlb_gather gather;\n");
	if (uses(g, IOPT_OP_DIRTY, false))
		out(g, "\tstruct iommu_dirty_bitmap dirty = {};\n");
	for (unsigned int i = 0; i < g->nrec; i++) {
		allocs += g->rec[i].v.kind == IOPT_OP_RECREATE;
		if (g->rec[i].nleaf) {
			out(g, "\tstruct arm_lpae_io_pgtable_walk_data walk;\n");
			break;
		}
	}
	if (!g->tree->has_kunit_device)
		out(g, "\tstruct device dev = {};\n");
	out(g, "\n");
	if (g->tree->has_kunit_device) {
		out(g, "\tcfg.iommu_dev = kunit_device_register(test, \"iopt-repro\");\n");
		out(g, "\tKUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg.iommu_dev);\n");
		if (!c->coherent_walk)
			out(g, "\tKUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(cfg.iommu_dev, DMA_BIT_MASK(64)), 0);\n");
	} else {
		out(g, "\tset_dev_node(&dev, NUMA_NO_NODE);\n\tcfg.iommu_dev = &dev;\n");
	}
	if (g->custom)
		out(g, "\trepro_test = test;\n");
	g->warns += g->geom.warn * allocs;
	if (g->warns)
		out(g, "#ifdef IOPT_KUNIT_SHIM\n\t/* the WARNs the contract predicts of these ops */\n\tiopt_kunit_expect_warns(test, %u);\n#endif\n",
		    g->warns);
	put_alloc(g, "\t");
	if (g->geom.rejected) {
		out(g, "\tif (ops)\n\t\tfree_io_pgtable_ops(ops);\n}\n\n");
		return;
	}
	for (unsigned int i = 0; i < g->nrec; i++)
		put_op(g, i);
	out(g, "\n\tfree_io_pgtable_ops(ops);\n}\n\n");
}

static void put_suite(struct gen *g, const char *name)
{
	out(g, "static struct kunit_case io_pgtable_arm_repro_cases[] = {\n\tKUNIT_CASE(%s),\n\t{}\n};\n\n", name);
	out(g, "static struct kunit_suite io_pgtable_arm_repro = {\n\t.name = \"io-pgtable-arm-iopt-repro\",\n\t.test_cases = io_pgtable_arm_repro_cases,\n};\n\n");
	out(g, "kunit_test_suite(io_pgtable_arm_repro);\n\n");
	out(g, "MODULE_DESCRIPTION(\"io-pgtable-arm: a reproducer from iopt-fuzz\");\nMODULE_LICENSE(\"GPL\");\n");
}

/* ---- the whole ----------------------------------------------------------------- */

static void classify(struct gen *g)
{
	const char *sig = g->rep->signature;
	unsigned long long iova = 0;

	g->ck = CK_OTHER;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (!strcmp(checks[i].check, g->rep->check))
			g->ck = checks[i].ck;
	g->between = !*g->rep->side;
	g->known = NULL;
	if (!strncmp(sig, "known:", 6))
		for (unsigned int i = 0; i < nr_known_bugs; i++)
			if (!strcmp(known_bugs[i].id, sig + 6))
				g->known = &known_bugs[i];
	g->want_fail_probe = g->ck == CK_TRANSLATION &&
		sscanf(g->rep->what, "%*s translates iova 0x%llx", &iova) == 1;
	g->fail_iova = iova;
}

int iopt_kunit_generate(FILE *f, const struct iopt_prog *prog,
			const struct iopt_run_opts *opts,
			const struct iopt_kunit_report *rep)
{
	static struct gen g;
	struct iopt_run_opts o = *opts;
	static uint8_t buf[IOPT_ENCODE_MAX];
	static FILE *quiet;
	char name[96];
	long n;

	memset(&g, 0, sizeof(g));
	g.f = f;
	g.prog = prog;
	g.rep = rep;
	g.tree = iopt_kernel_port.tree;
	g.failed_at = -1;
	classify(&g);
	iopt_model_geometry(&prog->cfg, &g.geom);
	g.custom = prog->alloc_mode == IOPT_ALLOC_CUSTOM && g.tree->has_cfg_alloc;
	g.tlb_rec = g.ck == CK_TLB;
	if (!quiet)
		quiet = fopen("/dev/null", "w");
	o.verbose = false;
	o.abort_on_report = false;
	o.force_fmt = 0;
	o.out = quiet;
	o.observe = on_op;
	o.observe_ctx = &g;
	n = iopt_encode(prog, buf);
	if (n < 0 || iopt_run(buf, n, &o) == IOPT_CLEAN ||
	    strcmp(iopt_run_stats()->last_signature, rep->signature))
		return -1;
	case_name(&g, name, sizeof(name));
	put_header(&g);
	put_includes(&g);
	put_tlb_ops(&g);
	put_custom_alloc(&g);
	put_case(&g, name);
	put_suite(&g, name);
	return 0;
}
