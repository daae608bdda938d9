// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KUnit reproducer (kunit_gen.h): sizes, prots, quirks, errnos and ops
 * named in the kernel's terms, and the comment that says what goes wrong
 * (kunit_gen_internal.h).
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "encode.h"
#include "kunit_gen_internal.h"
#include "plant.h"

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
void put_size(struct gen *g, uint64_t s)
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

void put_bitmap(struct gen *g, unsigned long bm)
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

void put_prot(struct gen *g, int prot)
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

void put_quirks(struct gen *g, unsigned int q)
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

/* The tree's enum io_pgtable_fmt names of our formats. */
const char *const fmt_names[IOPT_FMT_COUNT] = {
	[IOPT_FMT_ARM_32_S1] = "ARM_32_LPAE_S1",
	[IOPT_FMT_ARM_32_S2] = "ARM_32_LPAE_S2",
	[IOPT_FMT_ARM_64_S1] = "ARM_64_LPAE_S1",
	[IOPT_FMT_ARM_64_S2] = "ARM_64_LPAE_S2",
	[IOPT_FMT_MALI] = "ARM_MALI_LPAE",
};

/* Where alloc_io_pgtable_ops writes the top table's address. */
const char *ttbr_expr(enum iopt_fmt fmt)
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

const char *errno_name(long e)
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

void put_ret(struct gen *g, long ret)
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
	case IOPT_OP_WALK: return "pgtable_walk";
	default: return "fault injection";
	}
}

const char *ordinal(unsigned int n, char *buf, size_t len)
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
void op_phrase(const struct gen *g, unsigned int i, char *buf, size_t n)
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
	else if (r->v.kind == IOPT_OP_IOVA_TO_PHYS || r->v.kind == IOPT_OP_ACCESS ||
		 r->v.kind == IOPT_OP_WALK)
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
void put_lines(struct gen *g, const char *prefix, char *text)
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
		say(p, "The case records the TLB maintenance io-pgtable asks of the driver (its iommu_flush_ops) and expects every leaf that unmap_pages with a gather (not queued) removes to be invalidated at its own level: by a tlb_add_page in it with its size as granule (the granule tells an SMMUv3's range invalidation the level), a tlb_flush_walk over it or a tlb_flush_all; and a table an unmap frees (with a gather or without) to be flushed from the walk cache (tlb_flush_walk of the table granule, or tlb_flush_all). The device access that filled the TLB in iopt-fuzz's run is not expressible here.");
		break;
	case CK_LEAK:
		say(p, "After %s, the page-table memory does not add up (iopt-fuzz: \"%s\"). ", op, what);
		say(p, "Allocations are not observable through the io-pgtable API (kmemleak may report a leak later). In iopt-fuzz's KUnit shim the case fails: nothing may be left allocated after it, and a page table that is created again must start from nothing.");
		break;
	case CK_RUNTIME:
		say(p, "During %s the code misuses the kernel API underneath it (iopt-fuzz: \"%s\"). ", op, what);
		if (strstr(what, "sleep-in-atomic"))
			say(p, "This is not observable through the io-pgtable API (CONFIG_DEBUG_ATOMIC_SLEEP sees it where the caller really is atomic). iopt-fuzz's KUnit shim takes a map without direct reclaim in its gfp, and every unmap, for an atomic caller's, and fails the case on the runtime's detection.");
		else
			say(p, "This is not observable through the io-pgtable API (CONFIG_DMA_API_DEBUG, KASAN or UBSAN may see it). iopt-fuzz's KUnit shim fails the case on the runtime's detection.");
		break;
	case CK_WARN:
		if (strstr(what, " WARNed in "))	/* a call outside the op's */
			say(p, "At or after %s, the code WARNs in a call that the contract has no WARN in (iopt-fuzz: \"%s\"). ", op, what);
		else
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
		say(p, "For this configuration, alloc_io_pgtable_ops disagrees with the contract (iopt-fuzz: \"%s\"). The case expects what the contract predicts: whether it returns a page table, and then the page sizes, input and output sizes it keeps in cfg; the one at fault fails.", what);
		break;
	case CK_CONFIG:
		say(p, "The configuration %s wrote back into io_pgtable_cfg for the IOMMU driver to program is not what the contract and the architecture require (iopt-fuzz: \"%s\"). ", op, what);
		say(p, "After each alloc_io_pgtable_ops the case expects each field written back as the model predicts it: the table base aligned to its top table, the attributes, and the translation control fields; the one at fault fails.");
		break;
	case CK_CMO:
		say(p, "The kernel's build and the EL2 (pKVM hypervisor) build of the same code do different cache maintenance in %s (iopt-fuzz: \"%s\"). ", op, what);
		break;
	case CK_PUBLISH:
		say(p, "With a non-coherent table walk, %s makes a table descriptor visible at the point of coherency before the table it points to has been cleaned there (iopt-fuzz: \"%s\"): a walker reading the tables during the op would follow it into memory nobody wrote to the point of coherency. ", op, what);
		say(p, "The order of cache maintenance within an op is not observable through the io-pgtable API: upstream the case shows the ops, and iopt-fuzz's report names the descriptor and the table. iopt-fuzz's KUnit shim follows each clean as it comes, as iopt-fuzz does, and fails the case there.");
		break;
	case CK_LOOKUP:
		say(p, "At or after %s, a lookup (iova_to_phys or pgtable_walk) does more than read (iopt-fuzz: \"%s\"): it has no gfp, no gather and nothing to maintain. ", op, what);
		say(p, "This is not observable through the io-pgtable API: upstream the case shows the ops. iopt-fuzz's KUnit shim counts what each lookup does, as iopt-fuzz does, and fails the case there.");
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

/* Whether our KUnit shim fails a case on what a report of this kind is about. */
static bool shim_checks(enum ck ck)
{
	return ck != CK_CMO && ck != CK_OTHER;
}

/*
 * Whether our KUnit shim plants the bug IOPT_PLANT=spec names (plant.h):
 * 1 yes, 0 no (in the driver stand-in), -1 a spec that does not parse.
 */
static int plant_in_kunit(const char *spec)
{
	struct iopt_run_opts o = { 0 };
	char why[160];

	if (iopt_plant_parse(spec, &o, why, sizeof(why)))
		return -1;
	return iopt_plant_in_kunit(&o.drv_plant[IOPT_ROLE_KERNEL]);
}

void put_header(struct gen *g)
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
	if ((g->rep->base_checks & IOPT_KUNIT_PIN_ALLOCS))
		say(&p, "The base and the patched tree allocate their tables differently, each within its contract: %s. No contract of io_pgtable_ops fixes the allocations, so this case pins the base tree's: after each op, the page allocations and frees since alloc_io_pgtable_ops() and the bytes asked for. Only iopt-fuzz's KUnit shim sees the page allocator, so upstream the case documents the ops and passes on both trees; in the shim it passes on the base and fails on the patched tree.",
		    g->rep->what && *g->rep->what ? g->rep->what : "see trace.txt");
	else
		explain_check(g, &p, op);
	if (g->rep->plant && *g->rep->plant && strstr(g->rep->plant, "@hyp"))
		say(&p, " The bug is one iopt-fuzz plants in the EL2 build (IOPT_PLANT=%s).",
		    g->rep->plant);
	else if (g->rep->plant && *g->rep->plant && !g->between &&
		 shim_checks(g->ck) && plant_in_kunit(g->rep->plant) == 1)
		say(&p, " The bug is one iopt-fuzz plants (IOPT_PLANT=%s): run the case in iopt-fuzz's shim with the same for it to fail.",
		    g->rep->plant);
	else if (g->rep->plant && *g->rep->plant && !g->between &&
		 plant_in_kunit(g->rep->plant) == 0)
		say(&p, " The bug is one iopt-fuzz plants in its IOMMU driver stand-in (IOPT_PLANT=%s), which the case's calls do not go through: the case shows the ops, and fails only where the code itself has the bug.",
		    g->rep->plant);
	else if (g->rep->plant && *g->rep->plant)
		say(&p, " The bug is one iopt-fuzz plants (IOPT_PLANT=%s).",
		    g->rep->plant);
	if (g->unplanted_known && g->unplanted_known != g->known)
		say(&p, " Without it, the program still meets the known upstream bug '%s' on this tree: there the case fails without the plant too, on what that bug breaks.",
		    g->unplanted_known->id);
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
	if (!g->prog->cfg.coherent_walk && !g->tree->has_kunit_device)
		say(&p, " A non-coherent walk needs a device that is not DMA-coherent with a DMA mask: this tree has no kunit_device_register(), so the case registers a root device (not DMA-coherent on arm64), gives it a 64-bit mask, and KUnit releases it after the case.");
	put_lines(g, " * ", p.text);
	out(g, " */\n");
}

