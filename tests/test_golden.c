// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-golden: the reference model against expectations written by hand
 * from the Arm architecture and the io-pgtable API, not from the kernel's
 * code nor the model's.
 *
 * test-model checks the model by agreeing with the kernel, so a rule both
 * get wrong the same way passes there; and parts of the model restate the
 * kernel's own logic (prot to descriptor attributes, the page-size
 * restriction). Here every expected value is built from the fields that
 * make it, each with the rule it comes from:
 *
 *   - the Arm ARM (DDI 0487), VMSAv8-64 translation table descriptors:
 *     bits 1:0 (block 0b01 at levels 1-2, page 0b11 at level 3), the
 *     stage-1 lower attributes (AttrIndx 4:2, NS 5, AP[2:1] 7:6, SH 9:8,
 *     AF 10, nG 11), the upper ones (DBM 51, PXN 53, UXN 54), the stage-2
 *     ones (MemAttr 5:2 with and without FEAT_S2FWB, S2AP 7:6, XN 54:53),
 *     the output address (47:12; with a 64K granule OA[51:48] in 15:12),
 *     the levels a granule resolves and blocks it allows, the PARange
 *     encodings, and stage-2 concatenation (up to 16 tables, mandatory
 *     where the start level would not be allowed, rule R_SRKBC);
 *   - include/linux/io-pgtable.h: what the prot bits (IOMMU_READ, WRITE,
 *     CACHE, NOEXEC, MMIO, PRIV) ask for, which quirks exist and what
 *     they do (NS: set NS and NSTABLE in stage-1 entries; ARM_HD: hardware
 *     dirty bit for stage 1; ARM_S2FWB: stage-2 forced write-back; ...),
 *     that alloc_io_pgtable_ops() writes the restricted pgsize_bitmap,
 *     ias and oas back; that iova_to_phys() gives the output address of
 *     the page or block covering the IOVA plus the offset in it, and 0
 *     where nothing is mapped (the IOMMU API's iommu_iova_to_phys());
 *   - what io-pgtable gives the driver to program: the MAIR (index 0
 *     Normal non-cacheable 0x44, 1 Normal write-back 0xff, 2 Device-nGnRE
 *     0x04), so a stage-1 AttrIndx is checked against the memory type the
 *     prot asks for.
 *
 * One table, in generic_pt's KUnit style: each case holds from the
 * contract generation in .from (inclusive) to .until (exclusive) and is
 * run under every generation in that range (the model alone, no kernel
 * code). A failed expectation prints the case, the generation, both
 * values and the bits that differ; the run goes on.
 *
 * usage: test-golden
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"

#define BIT64(n)	(1ULL << (n))
#define GENMASK64(h, l)	((~0ULL >> (63 - (h))) & (~0ULL << (l)))

/* ---- descriptor fields (Arm ARM D8.3, "Translation table descriptor formats") ---- */

#define BLOCK		0x1ULL		/* bits 1:0 = 0b01: a block, levels 1 and 2 */
#define PAGE		0x3ULL		/* bits 1:0 = 0b11 at level 3: a page */
#define MALI_ENTRY	0x1ULL		/* Mali LPAE: its level-3 leaves are 0b01 too */
/* stage 1 (and ARMv7 LPAE) */
#define ATTRIDX(n)	((uint64_t)(n) << 2)	/* AttrIndx[2:0]: the MAIR byte */
#define NS		BIT64(5)	/* output address in the Non-secure PA space */
#define AP_EL0		BIT64(6)	/* AP[1]: unprivileged (EL0) access too */
#define AP_RO		BIT64(7)	/* AP[2]: read-only */
#define SH_OS		(2ULL << 8)	/* SH[1:0] = 0b10: Outer Shareable */
#define SH_IS		(3ULL << 8)	/* SH[1:0] = 0b11: Inner Shareable */
#define AF		BIT64(10)	/* Access flag: set, no access fault */
#define NG		BIT64(11)	/* not global: TLB entries tagged by ASID */
#define DBM		BIT64(51)	/* Dirty Bit Modifier: AP[2] is a dirty state */
#define TABLE		0x3ULL		/* bits 1:0 = 0b11 at levels 0-2: a table */
#define NSTABLE		BIT64(63)	/* stage-1 table: next level in the Non-secure PA space */
#define PXN		BIT64(53)	/* privileged execute-never */
#define UXN		BIT64(54)	/* unprivileged execute-never */
/* stage 2 */
#define MEMATTR(n)	((uint64_t)(n) << 2)	/* MemAttr[3:0] */
#define S2AP_R		BIT64(6)	/* S2AP[0]: read */
#define S2AP_W		BIT64(7)	/* S2AP[1]: write */
#define S2XN		BIT64(54)	/* XN (XN[1] with FEAT_XNX) */
#define S2XN0		BIT64(53)	/* XN[0] with FEAT_XNX, else RES0 */

/* stage-2 MemAttr, HCR_EL2.FWB = 0: [3:2] outer, [1:0] inner (or Device type) */
#define MA_DEVICE_NGNRE	0x1	/* 0b00 Device, 0b01 nGnRE */
#define MA_NORMAL_NC	0x5	/* outer 0b01 NC, inner 0b01 NC */
#define MA_NORMAL_WB	0xf	/* outer 0b11 WB, inner 0b11 WB */
/* FEAT_S2FWB: MemAttr[2] = 1 Normal; [1:0] 0b01 Non-cacheable, 0b10 Write-Back */
#define MA_FWB_NC	0x5	/* 0b101 */
#define MA_FWB_WB	0x6	/* 0b110: forced Write-Back */

/* the MAIR io-pgtable returns in cfg->arm_lpae_s1_cfg.mair, byte by byte */
#define MAIR_NC		0	/* 0x44: Normal, inner and outer Non-cacheable */
#define MAIR_WB		1	/* 0xff: Normal, inner and outer Write-Back RW-allocate */
#define MAIR_DEV	2	/* 0x04: Device-nGnRE */

/* the output address: bits 47:12 (the page or block base, alignment below) */
#define OA(pa)		((pa) & GENMASK64(47, 12))
/* 64K granule with a 52-bit OA (FEAT_LPA): OA[51:48] go in bits 15:12 */
#define OA52(pa)	(((pa) & GENMASK64(47, 16)) | ((((pa) >> 48) & 0xf) << 12))

/* prot, the kernel's IOMMU_* bits */
#define R	IOPT_PROT_READ
#define W	IOPT_PROT_WRITE
#define C	IOPT_PROT_CACHE
#define NX	IOPT_PROT_NOEXEC
#define MMIO	IOPT_PROT_MMIO
#define PRIV	IOPT_PROT_PRIV

#define SZ_2K	(1UL << 11)
#define SZ_4K	(1UL << 12)
#define SZ_8K	(1UL << 13)
#define SZ_32K	(1UL << 15)
#define SZ_1M	(1UL << 20)
#define SZ_16K	(1UL << 14)
#define SZ_64K	(1UL << 16)
#define SZ_2M	(1UL << 21)
#define SZ_32M	(1UL << 25)
#define SZ_512M	(1UL << 29)
#define SZ_1G	(1UL << 30)
#define SZ_4T	(1UL << 42)
#define G4K	(SZ_4K | SZ_2M | SZ_1G)		/* 4K granule: 4K pages, 2M and 1G blocks */
#define G16K	(SZ_16K | SZ_32M)		/* 16K: 16K pages, 32M blocks (64G needs LPA2) */
#define G64K	(SZ_64K | SZ_512M)		/* 64K: 64K pages, 512M blocks */

/* addresses: a page, a 2M and a 1G block below 2^48; below 2^40 for LPAE; OA[51:48] set */
#define PA_4K	0x0000876543210000ULL
#define PA_2M	0x0000876543200000ULL
#define PA_1G	0x0000876540000000ULL
#define PA_40	0x00000089abcde000ULL
#define PA_64K	0x000a123456780000ULL
#define PA_512M	0x0003000020000000ULL
#define PA_4T	0x000b040000000000ULL

/* ---- configurations ---- */

/* a coherent walk unless the case says noncoherent; PAGE_SIZE 4K unless page_shift */
#define CFG(f, p, i, o, ...)	.cfg = { .fmt = IOPT_FMT_##f, .pgsize_bitmap = (p), .ias = (i), \
					 .oas = (o), __VA_ARGS__ }
#define S1_4K(...)	CFG(ARM_64_S1, G4K, 48, 48, __VA_ARGS__)
#define S1_64K(...)	CFG(ARM_64_S1, G64K | SZ_4T, 52, 52, __VA_ARGS__)
#define S2_4K(...)	CFG(ARM_64_S2, G4K, 48, 48, __VA_ARGS__)
#define S2_64K(...)	CFG(ARM_64_S2, G64K | SZ_4T, 52, 52, __VA_ARGS__)
#define S1_32		CFG(ARM_32_S1, G4K, 32, 40)
#define S2_32		CFG(ARM_32_S2, G4K, 40, 40)
#define MALI		CFG(MALI, G4K, 48, 40)

/* ---- the cases ---- */

enum golden_kind { K_LEAF, K_GEOM, K_TABLES, K_PHYS };

struct golden_geom {
	bool rejected, warn;
	bool degenerate;	/* accepted, but no walk can be built: not run */
	unsigned int granule_shift;
	unsigned long pgsizes;
	unsigned int ias, oas;
	int start_level;
	unsigned int pgd_entries;
};

struct golden {
	const char *name;
	enum golden_kind kind;
	const char *from, *until;	/* contract generations: [from, until), NULL = open */
	struct iopt_model_cfg cfg;
	bool noncoherent;		/* the table walk is not coherent */
	/* LEAF: iopt_model_leaf_pte(level, pa, prot, dirty) must be pte */
	int level;
	uint64_t pa;
	int prot;
	bool dirty;
	uint64_t pte;
	/* GEOM: iopt_model_geometry() */
	struct golden_geom geom;
	/*
	 * TABLES: a walk built by hand, TABLES_IOVA mapped by one page of prot
	 * at pa whose level-3 descriptor is pte, through level-1 and level-2
	 * table descriptors carrying tbl_attrs: the model's table check must
	 * find it right (or, with bad, find a difference).
	 */
	uint64_t tbl_attrs;
	bool bad;
	/*
	 * PHYS: map_pages(iova, pa, pgsize, pgcount, prot) with the map's
	 * return 0, then iova_to_phys(query) must be phys (0: unmapped)
	 */
	uint64_t iova, query, phys;
	size_t pgsize, pgcount;
};

#define LEAF(l, a, p)		.kind = K_LEAF, .level = (l), .pa = (a), .prot = (p)
#define ACCEPT(g, sizes, i, o, sl, n)	.kind = K_GEOM, .geom = { .granule_shift = (g), \
				.pgsizes = (sizes), .ias = (i), .oas = (o), .start_level = (sl), \
				.pgd_entries = (n) }
#define TABLES(p)		.kind = K_TABLES, .level = 3, .pa = PA_4K, .prot = (p)
#define PHYS(v, a, sz, n, q, want)	.kind = K_PHYS, .iova = (v), .pa = (a), .pgsize = (sz), \
				.pgcount = (n), .prot = R | W, .query = (q), .phys = (want)
#define REJECT			.kind = K_GEOM, .geom = { .rejected = true }
#define REJECT_WARN		.kind = K_GEOM, .geom = { .rejected = true, .warn = true }
#define DEGENERATE		.kind = K_GEOM, .geom = { .degenerate = true }

static const struct golden cases[] = {
	/* ==== stage-1 leaves (ARM_64_LPAE_S1, 4K granule) ==== */
	/* R|W|CACHE: Normal WB (MAIR 1), Inner Shareable, writable, EL0 too, ASID-tagged */
	{ "s1 page rw cache", S1_4K(), LEAF(3, PA_4K, R | W | C),
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | SH_IS | AF | NG | OA(PA_4K) },
	/* no IOMMU_WRITE: AP[2] read-only */
	{ "s1 page r cache", S1_4K(), LEAF(3, PA_4K, R | C),
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | AP_RO | SH_IS | AF | NG | OA(PA_4K) },
	/* stage 1 has no write-only: IOMMU_WRITE alone is read-write */
	{ "s1 page w", S1_4K(), LEAF(3, PA_4K, W),
	  .pte = PAGE | ATTRIDX(MAIR_NC) | AP_EL0 | SH_OS | AF | NG | OA(PA_4K) },
	/* no IOMMU_CACHE: Normal non-cacheable, which is Outer Shareable */
	{ "s1 2M block rw", S1_4K(), LEAF(2, PA_2M, R | W),
	  .pte = BLOCK | ATTRIDX(MAIR_NC) | AP_EL0 | SH_OS | AF | NG | OA(PA_2M) },
	/* IOMMU_MMIO: Device-nGnRE; Device memory is Outer Shareable */
	{ "s1 1G block rw mmio", S1_4K(), LEAF(1, PA_1G, R | W | MMIO),
	  .pte = BLOCK | ATTRIDX(MAIR_DEV) | AP_EL0 | SH_OS | AF | NG | OA(PA_1G) },
	/* MMIO wins over CACHE for the type; SH is ignored for Device memory and
	 * io-pgtable's follows IOMMU_CACHE: Inner Shareable as written */
	{ "s1 page rw mmio cache", S1_4K(), LEAF(3, PA_4K, R | W | MMIO | C),
	  .pte = PAGE | ATTRIDX(MAIR_DEV) | AP_EL0 | SH_IS | AF | NG | OA(PA_4K) },
	/* IOMMU_PRIV: privileged accesses only, AP[1] clear */
	{ "s1 page rw cache priv", S1_4K(), LEAF(3, PA_4K, R | W | C | PRIV),
	  .pte = PAGE | ATTRIDX(MAIR_WB) | SH_IS | AF | NG | OA(PA_4K) },
	/* IOMMU_NOEXEC: execute-never at both privileges */
	{ "s1 page r noexec", S1_4K(), LEAF(3, PA_4K, R | C | NX),
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | AP_RO | SH_IS | AF | NG | PXN | UXN |
		 OA(PA_4K) },
	/* IO_PGTABLE_QUIRK_ARM_NS: NS in every stage-1 leaf */
	{ "s1 NS page rw cache", S1_4K(.quirks = IOPT_Q_ARM_NS), LEAF(3, PA_4K, R | W | C),
	  .pte = PAGE | ATTRIDX(MAIR_WB) | NS | AP_EL0 | SH_IS | AF | NG | OA(PA_4K) },
	/* the upper half (TTBR1) changes no leaf bit */
	{ "s1 TTBR1 2M block r", S1_4K(.quirks = IOPT_Q_ARM_TTBR1), LEAF(2, PA_2M, R | C),
	  .pte = BLOCK | ATTRIDX(MAIR_WB) | AP_EL0 | AP_RO | SH_IS | AF | NG | OA(PA_2M) },
	/* IO_PGTABLE_QUIRK_ARM_HD: a writable leaf is DBM; AP[2] set is
	 * writable-clean, clear is writable-dirty */
	{ "s1 HD page rw clean", S1_4K(.quirks = IOPT_Q_ARM_HD), LEAF(3, PA_4K, R | W | C),
	  .from = "6.12",
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | AP_RO | SH_IS | AF | NG | DBM | OA(PA_4K) },
	{ "s1 HD page rw dirty", S1_4K(.quirks = IOPT_Q_ARM_HD), LEAF(3, PA_4K, R | W | C),
	  .from = "6.12", .dirty = true,
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | SH_IS | AF | NG | DBM | OA(PA_4K) },
	/* ... and a read-only one is not: no DBM, AP[2] read-only */
	{ "s1 HD page r", S1_4K(.quirks = IOPT_Q_ARM_HD), LEAF(3, PA_4K, R | C),
	  .from = "6.12",
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | AP_RO | SH_IS | AF | NG | OA(PA_4K) },
	/* 64K granule, 52-bit OA: OA[47:16] in place, OA[51:48] in bits 15:12 */
	{ "s1 64K page rw cache, OA[51:48]", S1_64K(), LEAF(3, PA_64K, R | W | C),
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | SH_IS | AF | NG | OA52(PA_64K) },
	{ "s1 64K 512M block r, OA[51:48]", S1_64K(), LEAF(2, PA_512M, R),
	  .pte = BLOCK | ATTRIDX(MAIR_NC) | AP_EL0 | AP_RO | SH_OS | AF | NG | OA52(PA_512M) },
	/* a level-1 block with a 64K granule: 4T, only with a 52-bit OA */
	{ "s1 64K 4T block rw, OA[51:48]", S1_64K(), LEAF(1, PA_4T, R | W),
	  .pte = BLOCK | ATTRIDX(MAIR_NC) | AP_EL0 | SH_OS | AF | NG | OA52(PA_4T) },
	/* ARMv7 LPAE stage 1: the same long-descriptor fields, a 40-bit OA */
	{ "s1-32 page rw cache", S1_32, LEAF(3, PA_40, R | W | C),
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | SH_IS | AF | NG | OA(PA_40) },
	{ "s1-32 1G block r noexec", S1_32, LEAF(1, 0x40000000, R | NX),
	  .pte = BLOCK | ATTRIDX(MAIR_NC) | AP_EL0 | AP_RO | SH_OS | AF | NG | PXN | UXN |
		 0x40000000 },

	/* ==== stage-2 leaves (ARM_64_LPAE_S2, 4K granule): no nG, no AP, S2AP ==== */
	/* CACHE: Normal outer and inner Write-Back */
	{ "s2 page rw cache", S2_4K(), LEAF(3, PA_4K, R | W | C),
	  .pte = PAGE | MEMATTR(MA_NORMAL_WB) | S2AP_R | S2AP_W | SH_IS | AF | OA(PA_4K) },
	{ "s2 page r", S2_4K(), LEAF(3, PA_4K, R),
	  .pte = PAGE | MEMATTR(MA_NORMAL_NC) | S2AP_R | SH_OS | AF | OA(PA_4K) },
	/* stage 2 can express write-only: S2AP = 0b10 */
	{ "s2 page w", S2_4K(), LEAF(3, PA_4K, W),
	  .pte = PAGE | MEMATTR(MA_NORMAL_NC) | S2AP_W | SH_OS | AF | OA(PA_4K) },
	{ "s2 2M block rw mmio", S2_4K(), LEAF(2, PA_2M, R | W | MMIO),
	  .pte = BLOCK | MEMATTR(MA_DEVICE_NGNRE) | S2AP_R | S2AP_W | SH_OS | AF | OA(PA_2M) },
	{ "s2 1G block r cache", S2_4K(), LEAF(1, PA_1G, R | C),
	  .pte = BLOCK | MEMATTR(MA_NORMAL_WB) | S2AP_R | SH_IS | AF | OA(PA_1G) },
	/* NOEXEC: XN (bit 54); io-pgtable writes XN[1:0] = 0b11, bit 53 as well */
	{ "s2 page rw cache noexec", S2_4K(), LEAF(3, PA_4K, R | W | C | NX),
	  .pte = PAGE | MEMATTR(MA_NORMAL_WB) | S2AP_R | S2AP_W | SH_IS | AF | S2XN | S2XN0 |
		 OA(PA_4K) },
	/* IOMMU_PRIV means nothing at stage 2 */
	{ "s2 page rw cache priv", S2_4K(), LEAF(3, PA_4K, R | W | C | PRIV),
	  .pte = PAGE | MEMATTR(MA_NORMAL_WB) | S2AP_R | S2AP_W | SH_IS | AF | OA(PA_4K) },
	/* IO_PGTABLE_QUIRK_ARM_S2FWB: the FWB encodings of MemAttr */
	{ "s2 FWB page rw cache", S2_4K(.quirks = IOPT_Q_ARM_S2FWB), LEAF(3, PA_4K, R | W | C),
	  .from = "6.13",
	  .pte = PAGE | MEMATTR(MA_FWB_WB) | S2AP_R | S2AP_W | SH_IS | AF | OA(PA_4K) },
	{ "s2 FWB page rw", S2_4K(.quirks = IOPT_Q_ARM_S2FWB), LEAF(3, PA_4K, R | W),
	  .from = "6.13",
	  .pte = PAGE | MEMATTR(MA_FWB_NC) | S2AP_R | S2AP_W | SH_OS | AF | OA(PA_4K) },
	{ "s2 FWB page r mmio", S2_4K(.quirks = IOPT_Q_ARM_S2FWB), LEAF(3, PA_4K, R | MMIO),
	  .from = "6.13",
	  .pte = PAGE | MEMATTR(MA_DEVICE_NGNRE) | S2AP_R | SH_OS | AF | OA(PA_4K) },
	{ "s2 64K page rw cache, OA[51:48]", S2_64K(), LEAF(3, PA_64K, R | W | C),
	  .pte = PAGE | MEMATTR(MA_NORMAL_WB) | S2AP_R | S2AP_W | SH_IS | AF | OA52(PA_64K) },
	{ "s2-32 page rw cache", S2_32, LEAF(3, PA_40, R | W | C),
	  .pte = PAGE | MEMATTR(MA_NORMAL_WB) | S2AP_R | S2AP_W | SH_IS | AF | OA(PA_40) },

	/* ==== Mali LPAE (io-pgtable's ARM_MALI_LPAE): level-3 leaves 0b01, read and
	 * write in the stage-2 positions, a MAIR-style index, always Outer
	 * Shareable, no AF ==== */
	{ "mali page rw cache", MALI, LEAF(3, PA_40, R | W | C),
	  .pte = MALI_ENTRY | ATTRIDX(MAIR_WB) | S2AP_R | S2AP_W | SH_OS | OA(PA_40) },
	{ "mali 2M block r", MALI, LEAF(2, 0x80200000, R),
	  .pte = BLOCK | ATTRIDX(MAIR_NC) | S2AP_R | SH_OS | 0x80200000 },

	/* ==== geometry: granule, page sizes kept, ias/oas, start level, top table ==== */
	/*
	 * A level resolves granule - 3 bits above the granule's; the walk
	 * takes ceil((ias - granule) / (granule - 3)) levels, ending at 3;
	 * the top table holds what is left: 2^(ias - granule - (levels - 1)
	 * * (granule - 3)) entries.
	 */
	{ "s1 4K ias 48: 4 levels", S1_4K(), ACCEPT(12, G4K, 48, 48, 0, 512) },
	{ "s1 4K ias 39: 3 levels", CFG(ARM_64_S1, G4K, 39, 48), ACCEPT(12, G4K, 39, 48, 1, 512) },
	{ "s1 4K ias 40: 2 entries at level 0", CFG(ARM_64_S1, G4K, 40, 40),
	  ACCEPT(12, G4K, 40, 40, 0, 2) },
	{ "s1 4K ias 32: 4 entries at level 1", CFG(ARM_64_S1, G4K, 32, 32),
	  ACCEPT(12, G4K, 32, 32, 1, 4) },
	{ "s1 16K ias 47: 3 levels", CFG(ARM_64_S1, G16K, 47, 48), ACCEPT(14, G16K, 47, 48, 1, 2048) },
	{ "s1 16K ias 48: 2 entries at level 0", CFG(ARM_64_S1, G16K, 48, 48),
	  ACCEPT(14, G16K, 48, 48, 0, 2) },
	{ "s1 64K ias 48: 64 entries at level 1", CFG(ARM_64_S1, G64K, 48, 48),
	  ACCEPT(16, G64K, 48, 48, 1, 64) },
	{ "s1 64K ias 42: 2 levels", CFG(ARM_64_S1, G64K, 42, 48), ACCEPT(16, G64K, 42, 48, 2, 8192) },
	/* a 4T level-1 block needs the 52-bit OA of FEAT_LPA */
	{ "s1 64K oas 52 keeps 4T", CFG(ARM_64_S1, G64K | SZ_4T, 52, 52),
	  ACCEPT(16, G64K | SZ_4T, 52, 52, 1, 1024) },
	{ "s1 64K oas 48 drops 4T", CFG(ARM_64_S1, G64K | SZ_4T, 48, 48),
	  ACCEPT(16, G64K, 48, 48, 1, 64) },
	/* the granule: PAGE_SIZE if offered; else the largest size below it;
	 * else the smallest above; the sizes are cut to what it has */
	{ "s1 every size, PAGE_SIZE 4K", CFG(ARM_64_S1, ~0xfffUL, 48, 48),
	  ACCEPT(12, G4K, 48, 48, 0, 512) },
	{ "s1 every size, PAGE_SIZE 16K", CFG(ARM_64_S1, ~0xfffUL, 48, 48, .page_shift = 14),
	  ACCEPT(14, G16K, 48, 48, 0, 2) },
	{ "s1 every size, PAGE_SIZE 64K", CFG(ARM_64_S1, ~0xfffUL, 48, 48, .page_shift = 16),
	  ACCEPT(16, G64K, 48, 48, 1, 64) },
	{ "s1 4K|16K|64K, PAGE_SIZE 64K", CFG(ARM_64_S1, SZ_4K | SZ_16K | SZ_64K, 48, 48,
					       .page_shift = 16),
	  ACCEPT(16, SZ_64K, 48, 48, 1, 64) },
	{ "s1 4K|16K, PAGE_SIZE 64K: the largest below", CFG(ARM_64_S1, SZ_4K | SZ_16K, 48, 48,
							      .page_shift = 16),
	  ACCEPT(14, SZ_16K, 48, 48, 0, 2) },
	{ "s1 16K|64K, PAGE_SIZE 4K: the smallest above", CFG(ARM_64_S1, SZ_16K | SZ_64K, 48, 48),
	  ACCEPT(14, SZ_16K, 48, 48, 0, 2) },
	{ "s1 2M|1G: no granule", CFG(ARM_64_S1, SZ_2M | SZ_1G, 48, 48), REJECT },
	/* ias and oas are cut to what the granule addresses: 48 bits, 52 with 64K */
	{ "s1 4K ias 56 oas 56", CFG(ARM_64_S1, G4K, 56, 56), ACCEPT(12, G4K, 48, 48, 0, 512) },
	{ "s1 64K ias 56 oas 56", CFG(ARM_64_S1, G64K, 56, 56), ACCEPT(16, G64K, 52, 52, 1, 1024) },
	/* the output size must be a PARange encoding: 32, 36, 40, 42, 44, 48, 52 */
	{ "s1 oas 36", CFG(ARM_64_S1, G4K, 48, 36), ACCEPT(12, G4K, 48, 36, 0, 512) },
	{ "s1 oas 41", CFG(ARM_64_S1, G4K, 48, 41), REJECT },
	{ "s1 oas 46", CFG(ARM_64_S1, G4K, 48, 46), REJECT },
	/* the quirks: the ARM ones at stage 1; OUTER_WBWA is for a non-coherent walk */
	{ "s1 NS TTBR1", S1_4K(.quirks = IOPT_Q_ARM_NS | IOPT_Q_ARM_TTBR1),
	  ACCEPT(12, G4K, 48, 48, 0, 512) },
	{ "s1 OUTER_WBWA coherent", S1_4K(.quirks = IOPT_Q_ARM_OUTER_WBWA), REJECT },
	{ "s1 OUTER_WBWA non-coherent", S1_4K(.quirks = IOPT_Q_ARM_OUTER_WBWA), .noncoherent = true,
	  ACCEPT(12, G4K, 48, 48, 0, 512) },
	{ "s1 S2FWB", S1_4K(.quirks = IOPT_Q_ARM_S2FWB), REJECT },
	{ "s2 NS", S2_4K(.quirks = IOPT_Q_ARM_NS), REJECT },
	{ "s2 HD", S2_4K(.quirks = IOPT_Q_ARM_HD), REJECT },
	{ "mali NS", CFG(MALI, G4K, 48, 40, .quirks = IOPT_Q_ARM_NS), REJECT },
	/* ARMv7 LPAE: a 32-bit input, 40-bit output, the 4K granule only */
	{ "s1-32 ias 32: 4 entries at level 1", S1_32, ACCEPT(12, G4K, 32, 40, 1, 4) },
	{ "s1-32 64K|4K: 4K only", CFG(ARM_32_S1, SZ_64K | SZ_4K, 32, 40),
	  ACCEPT(12, SZ_4K, 32, 40, 1, 4) },
	{ "s1-32 64K only", CFG(ARM_32_S1, SZ_64K | SZ_512M, 32, 40), REJECT },
	{ "s1-32 ias 33", CFG(ARM_32_S1, G4K, 33, 40), REJECT },
	{ "s1-32 oas 42", CFG(ARM_32_S1, G4K, 32, 42), REJECT },
	{ "s2-32 ias 41", CFG(ARM_32_S2, G4K, 41, 40), REJECT },
	/* Mali: a 48-bit input, 40-bit output, and always a 4-level walk */
	{ "mali ias 48", MALI, ACCEPT(12, G4K, 48, 40, 0, 512) },
	{ "mali ias 39: level 0 of 1 entry", CFG(MALI, G4K, 39, 40), ACCEPT(12, G4K, 39, 40, 0, 1) },
	{ "mali oas 41", CFG(MALI, G4K, 48, 41), REJECT },
	{ "mali 64K", CFG(MALI, G64K, 48, 40), REJECT },

	/*
	 * Page-size bitmaps with stray sizes (input format v3, extension bit
	 * 1). The granule is PAGE_SIZE if offered, else the largest offered
	 * size below PAGE_SIZE, else the smallest above; only 4K, 16K and 64K
	 * are granules, so any other choice is no granule at all, even when a
	 * granule is offered too. Then only the sizes that granule's
	 * descriptors give survive: 4K 2M 1G; 16K 32M; 64K 512M (and 4T with
	 * a 52-bit OA, asked for before the clamp).
	 */
	{ "s1 4K|8K|1M|2M: the 4K set", CFG(ARM_64_S1, SZ_4K | SZ_8K | SZ_1M | SZ_2M, 48, 48),
	  ACCEPT(12, SZ_4K | SZ_2M, 48, 48, 0, 512) },
	{ "s1 2K|8K|2M: 2K below PAGE_SIZE wins, no granule",
	  CFG(ARM_64_S1, SZ_2K | SZ_8K | SZ_2M, 48, 48), REJECT },
	{ "s1 2K|16K|32M: 2K wins over 16K", CFG(ARM_64_S1, SZ_2K | G16K, 48, 48), REJECT },
	{ "s1 bits 0-11 only", CFG(ARM_64_S1, 0xfffUL, 48, 48), REJECT },
	{ "s1 8K|16K|32K|32M: 8K, the smallest above, no granule",
	  CFG(ARM_64_S1, SZ_8K | SZ_16K | SZ_32K | SZ_32M, 48, 48), REJECT },
	{ "s1 16K|2M|32M|1G|4T: the 16K set", CFG(ARM_64_S1, SZ_16K | SZ_2M | SZ_32M | SZ_1G | SZ_4T,
						  48, 48),
	  ACCEPT(14, G16K, 48, 48, 0, 2) },
	{ "s1 64K|2M|1G|4T oas 52: 64K and 4T", CFG(ARM_64_S1, SZ_64K | SZ_2M | SZ_1G | SZ_4T, 52, 52),
	  ACCEPT(16, SZ_64K | SZ_4T, 52, 52, 1, 1024) },
	{ "s1 64K|4T oas 48: 64K only", CFG(ARM_64_S1, SZ_64K | SZ_4T, 48, 48),
	  ACCEPT(16, SZ_64K, 48, 48, 1, 64) },
	{ "s1 4K|4T: 4T is no 4K block", CFG(ARM_64_S1, SZ_4K | SZ_4T, 48, 48),
	  ACCEPT(12, SZ_4K, 48, 48, 0, 512) },
	{ "s1 4K|bit 47", CFG(ARM_64_S1, SZ_4K | (1UL << 47), 48, 48), ACCEPT(12, SZ_4K, 48, 48, 0, 512) },
	{ "s1 4K|8K|16K, PAGE_SIZE 64K: 16K, the largest below",
	  CFG(ARM_64_S1, SZ_4K | SZ_8K | SZ_16K, 48, 48, .page_shift = 16),
	  ACCEPT(14, SZ_16K, 48, 48, 0, 2) },
	{ "s1 4K|8K, PAGE_SIZE 64K: 8K, the largest below, no granule",
	  CFG(ARM_64_S1, SZ_4K | SZ_8K, 48, 48, .page_shift = 16), REJECT },
	{ "s2-32 4K|16K|64K: 4K", CFG(ARM_32_S2, SZ_4K | SZ_16K | SZ_64K, 40, 40),
	  ACCEPT(12, SZ_4K, 40, 40, 1, 1024) },
	{ "s2-32 8K|16K: nothing of 4K|2M|1G", CFG(ARM_32_S2, SZ_8K | SZ_16K, 40, 40), REJECT },
	{ "mali 64K|2M|1G: 2M, the smallest above, no granule",
	  CFG(MALI, SZ_64K | SZ_2M | SZ_1G, 48, 40), REJECT },

	/*
	 * Raw ias and oas (extension bit 2): cut to 48 bits, 52 with a 64K
	 * granule, and only then the OA must be a PARange value (stage 1
	 * and 2); the ARMv7 formats check 32/40 and 40/40 and Mali 48/40
	 * before anything, and Mali has no PARange check at all. A small
	 * ias starts the walk lower: ceil((ias - 12) / 9) levels for 4K.
	 */
	{ "s1 4K ias 63 oas 63", CFG(ARM_64_S1, G4K, 63, 63), ACCEPT(12, G4K, 48, 48, 0, 512) },
	{ "s1 4K oas 50: cut to 48", CFG(ARM_64_S1, G4K, 48, 50), ACCEPT(12, G4K, 48, 48, 0, 512) },
	{ "s1 64K oas 50: not a PARange", CFG(ARM_64_S1, G64K, 48, 50), REJECT },
	{ "s1 64K|4T ias 63 oas 53", CFG(ARM_64_S1, G64K | SZ_4T, 63, 53),
	  ACCEPT(16, G64K | SZ_4T, 52, 52, 1, 1024) },
	{ "s1 16K ias 60 oas 50", CFG(ARM_64_S1, G16K, 60, 50), ACCEPT(14, G16K, 48, 48, 0, 2) },
	{ "s1 oas 33", CFG(ARM_64_S1, G4K, 48, 33), REJECT },
	{ "s1 oas 0", CFG(ARM_64_S1, G4K, 48, 0), REJECT },
	/* T0SZ names 25 to 48 input bits (39 at most without FEAT_TTST): a
	 * smaller ias is accepted, but no IOMMU driver passes one */
	{ "s1 4K ias 13: under 25 bits", CFG(ARM_64_S1, G4K, 13, 48), DEGENERATE },
	{ "s1 4K ias 21: under 25 bits", CFG(ARM_64_S1, G4K, 21, 48), DEGENERATE },
	{ "s1 4K ias 24: under 25 bits", CFG(ARM_64_S1, G4K, 24, 48), DEGENERATE },
	{ "s1 4K ias 25: 16 at level 2", CFG(ARM_64_S1, G4K, 25, 48), ACCEPT(12, G4K, 25, 48, 2, 16) },
	{ "s1 64K ias 25: 512 at level 3", CFG(ARM_64_S1, G64K, 25, 48), ACCEPT(16, G64K, 25, 48, 3, 512) },
	{ "s1 64K ias 29: 8192 at level 3", CFG(ARM_64_S1, G64K, 29, 48), ACCEPT(16, G64K, 29, 48, 3, 8192) },
	{ "s1 4K ias 12: no level", CFG(ARM_64_S1, G4K, 12, 48), DEGENERATE },
	{ "s1 64K ias 2: no level", CFG(ARM_64_S1, G64K, 2, 48), DEGENERATE },
	{ "s2 4K ias 37 oas 36: 128 at level 1", CFG(ARM_64_S2, G4K, 37, 36),
	  ACCEPT(12, G4K, 37, 36, 1, 128) },
	{ "s2 4K ias 41 oas 40: 4 at level 0, concatenated", CFG(ARM_64_S2, G4K, 41, 40),
	  ACCEPT(12, G4K, 41, 40, 1, 2048) },
	{ "s2 oas 41", CFG(ARM_64_S2, G4K, 48, 41), REJECT },
	{ "s1-32 ias 31 oas 36: 2 at level 1", CFG(ARM_32_S1, G4K, 31, 36),
	  ACCEPT(12, G4K, 31, 36, 1, 2) },
	{ "s1-32 oas 38: not a PARange", CFG(ARM_32_S1, G4K, 32, 38), REJECT },
	{ "s2-32 ias 63", CFG(ARM_32_S2, G4K, 63, 40), REJECT },
	{ "mali oas 38: no PARange check", CFG(MALI, G4K, 48, 38), ACCEPT(12, G4K, 48, 38, 0, 512) },
	{ "mali ias 5: level 0 of 1 entry", CFG(MALI, G4K, 5, 40), ACCEPT(12, G4K, 5, 40, 0, 1) },
	{ "mali ias 49", CFG(MALI, G4K, 49, 40), REJECT },
	{ "mali oas 0: nothing to address", CFG(MALI, G4K, 48, 0), DEGENERATE },
	{ "mali oas 31: no table addressable", CFG(MALI, G4K, 48, 31), DEGENERATE },
	{ "mali oas 32", CFG(MALI, G4K, 48, 32), ACCEPT(12, G4K, 48, 32, 0, 512) },

	/*
	 * Stage-2 concatenation: the first level may be up to 16 tables side
	 * by side (one level down, 2^n times the entries). Up to 6.12 io-pgtable
	 * concatenates whenever a level-0 start has at most 16 entries; from
	 * 6.13 only where the architecture forbids the start level (R_SRKBC:
	 * 4K and a 40- or 42-bit PA at level 0; 16K and a 48-bit IPA or PA at
	 * level 0; 16K and a 40-bit PA at level 1), refusing with a WARN when
	 * that needs more than 16.
	 */
	{ "s2 4K ias 48", S2_4K(), ACCEPT(12, G4K, 48, 48, 0, 512) },
	{ "s2 4K ias 40 oas 40: 2 level-1 tables", CFG(ARM_64_S2, G4K, 40, 40),
	  ACCEPT(12, G4K, 40, 40, 1, 1024) },
	{ "s2 4K ias 40 oas 44: concatenated", CFG(ARM_64_S2, G4K, 40, 44), .until = "6.13",
	  ACCEPT(12, G4K, 40, 44, 1, 1024) },
	{ "s2 4K ias 40 oas 44: level 0", CFG(ARM_64_S2, G4K, 40, 44), .from = "6.13",
	  ACCEPT(12, G4K, 40, 44, 0, 2) },
	{ "s2 4K ias 42 oas 42: 8 level-1 tables", CFG(ARM_64_S2, G4K, 42, 42),
	  ACCEPT(12, G4K, 42, 42, 1, 4096) },
	{ "s2 4K ias 44 oas 40: 32 at level 0", CFG(ARM_64_S2, G4K, 44, 40), .until = "6.13",
	  ACCEPT(12, G4K, 44, 40, 0, 32) },
	{ "s2 4K ias 44 oas 40: 32 tables, refused", CFG(ARM_64_S2, G4K, 44, 40), .from = "6.13",
	  REJECT_WARN },
	{ "s2 16K ias 48: 2 level-1 tables", CFG(ARM_64_S2, G16K, 48, 48),
	  ACCEPT(14, G16K, 48, 48, 1, 4096) },
	{ "s2 16K ias 40 oas 40: 16 at level 1", CFG(ARM_64_S2, G16K, 40, 40), .until = "6.13",
	  ACCEPT(14, G16K, 40, 40, 1, 16) },
	{ "s2 16K ias 40 oas 40: 16 level-2 tables", CFG(ARM_64_S2, G16K, 40, 40), .from = "6.13",
	  ACCEPT(14, G16K, 40, 40, 2, 32768) },
	{ "s2 16K ias 36", CFG(ARM_64_S2, G16K, 36, 48), ACCEPT(14, G16K, 36, 48, 2, 2048) },
	{ "s2 64K ias 48", CFG(ARM_64_S2, G64K, 48, 48), ACCEPT(16, G64K, 48, 48, 1, 64) },
	{ "s2-32 ias 40: 2 level-1 tables", S2_32, ACCEPT(12, G4K, 40, 40, 1, 1024) },
	{ "s2 S2FWB", S2_4K(.quirks = IOPT_Q_ARM_S2FWB), .from = "6.13",
	  ACCEPT(12, G4K, 48, 48, 0, 512) },

	/* ==== a walk built by hand (ias 39: levels 1, 2, 3), as the model's table check sees it ==== */
	{ "s1 walk rw cache", CFG(ARM_64_S1, G4K, 39, 48), TABLES(R | W | C),
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | SH_IS | AF | NG | OA(PA_4K) },
	/* IO_PGTABLE_QUIRK_ARM_NS: NSTable in every stage-1 table descriptor, NS in the leaf */
	{ "s1 NS walk r", CFG(ARM_64_S1, G4K, 39, 48, .quirks = IOPT_Q_ARM_NS), TABLES(R | C),
	  .tbl_attrs = NSTABLE,
	  .pte = PAGE | ATTRIDX(MAIR_WB) | NS | AP_EL0 | AP_RO | SH_IS | AF | NG | OA(PA_4K) },
	{ "s2 walk rw mmio", CFG(ARM_64_S2, G4K, 39, 48), TABLES(R | W | MMIO),
	  .pte = PAGE | MEMATTR(MA_DEVICE_NGNRE) | S2AP_R | S2AP_W | SH_OS | AF | OA(PA_4K) },
	/* ... and the check sees a leaf that is not: no AF (an access fault) */
	{ "s1 walk, leaf without AF", CFG(ARM_64_S1, G4K, 39, 48), TABLES(R | W | C), .bad = true,
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | SH_IS | NG | OA(PA_4K) },

	/*
	 * ==== iova_to_phys (io-pgtable.h: "translate an iova to its physical
	 * address"): the output address of the page or block that covers it,
	 * plus the iova's offset in it; 0 where nothing is mapped ====
	 */
	{ "s1 4K page, offset kept", S1_4K(), PHYS(0x1000, PA_4K, SZ_4K, 1, 0x1abc, PA_4K | 0xabc) },
	{ "s1 4K 4 pages, the third", S1_4K(), PHYS(0x1000, 0x80000000, SZ_4K, 4, 0x3abc, 0x80002abc) },
	{ "s1 4K 4 pages, past the last", S1_4K(), PHYS(0x1000, 0x80000000, SZ_4K, 4, 0x5000, 0) },
	{ "s1 4K page, below it", S1_4K(), PHYS(0x1000, PA_4K, SZ_4K, 1, 0xfff, 0) },
	/* a block: the offset is the iova's low 21 (2M) or 30 (1G) bits */
	{ "s1 2M block, offset kept", S1_4K(), PHYS(0x40200000, PA_2M, SZ_2M, 1, 0x40212345,
						     PA_2M | 0x12345) },
	{ "s1 2M block, its last byte", S1_4K(), PHYS(0x40200000, PA_2M, SZ_2M, 1, 0x403fffff,
						       PA_2M | 0x1fffff) },
	{ "s1 2M block, the next 2M", S1_4K(), PHYS(0x40200000, PA_2M, SZ_2M, 1, 0x40400000, 0) },
	{ "s2 1G block, offset kept", S2_4K(), PHYS(0x80000000, PA_1G, SZ_1G, 1, 0xbedcba98,
						     PA_1G | 0x3edcba98) },
	/* the top of a 48-bit input range: level-0 index 511 */
	{ "s1 4K page at the top", S1_4K(), PHYS(0xfffffffff000ULL, PA_4K, SZ_4K, 1,
						  0xffffffffffffULL, PA_4K | 0xfff) },
	/* 64K granule, 52-bit OA: the address comes back whole, OA[51:48] included */
	{ "s1 64K page, OA[51:48]", S1_64K(), PHYS(0x10000, PA_64K, SZ_64K, 1, 0x1fedc,
						    PA_64K | 0xfedc) },
	{ "s2 64K 512M block, OA[51:48]", S2_64K(), PHYS(0x20000000, PA_512M, SZ_512M, 1,
							  0x3ffff000, PA_512M | 0x1ffff000) },
	{ "s1-32 1G block", S1_32, PHYS(0xc0000000, 0x40000000, SZ_1G, 1, 0xc0001234, 0x40001234) },
	{ "s2-32 page, 40-bit OA", S2_32, PHYS(0x1000000000ULL, PA_40, SZ_4K, 1, 0x1000000123ULL,
					       PA_40 | 0x123) },
	{ "mali 2M block", MALI, PHYS(0x200000, 0x80200000, SZ_2M, 1, 0x2fffff, 0x802fffff) },
#ifdef IOPT_GOLDEN_GAPS
	/*
	 * What the model's table check does not see today (docs/mutation.md,
	 * "Gaps"): it reads only the address of a table descriptor. Each of
	 * these fails until it does; build with -DIOPT_GOLDEN_GAPS to run them.
	 */
	/* io-pgtable.h: the NS quirk sets NSTABLE too; a walk without it reads Secure tables */
	{ "s1 NS walk without NSTable", CFG(ARM_64_S1, G4K, 39, 48, .quirks = IOPT_Q_ARM_NS),
	  TABLES(R | C), .bad = true,
	  .pte = PAGE | ATTRIDX(MAIR_WB) | NS | AP_EL0 | AP_RO | SH_IS | AF | NG | OA(PA_4K) },
	/* APTable[1] (bit 62): no write at any later level, so the leaf is read-only */
	{ "s1 walk, APTable read-only", CFG(ARM_64_S1, G4K, 39, 48), TABLES(R | W | C),
	  .bad = true, .tbl_attrs = BIT64(62),
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | SH_IS | AF | NG | OA(PA_4K) },
	/* UXNTable (bit 60): the leaf is execute-never, but the prot had no NOEXEC */
	{ "s1 walk, UXNTable", CFG(ARM_64_S1, G4K, 39, 48), TABLES(R | W | C),
	  .bad = true, .tbl_attrs = BIT64(60),
	  .pte = PAGE | ATTRIDX(MAIR_WB) | AP_EL0 | SH_IS | AF | NG | OA(PA_4K) },
#endif
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static int generation(const char *name)
{
	for (int i = 0; iopt_contracts[i]; i++)
		if (!strcmp(iopt_contracts[i]->name, name))
			return i;
	return -1;
}

static bool applies(const struct golden *c, int g)
{
	return (!c->from || g >= generation(c->from)) && (!c->until || g < generation(c->until));
}

static int failures;

/* One expectation, KUNIT_EXPECT_EQ-style: counted, printed with the case, and the run goes on. */
static void expect(const struct golden *c, int g, const char *what, uint64_t got, uint64_t want)
{
	if (got == want) {
		check_pass++;
		return;
	}
	check_fail++;
	failures++;
	fprintf(stderr, "FAIL: %s (contract %s): %s: model 0x%016" PRIx64 ", expected 0x%016" PRIx64
		" (bits 0x%016" PRIx64 ")\n", c->name, iopt_contracts[g]->name, what, got, want,
		got ^ want);
}

static void run_leaf(const struct golden *c, int g, struct iopt_model_cfg *cfg)
{
	struct iopt_model *m = iopt_model_new(cfg);
	uint64_t pte;

	if (!m) {
		expect(c, g, "the configuration is refused", 1, 0);
		return;
	}
	pte = iopt_model_leaf_pte(m, c->level, c->pa, c->prot, c->dirty, false);
	expect(c, g, "leaf descriptor", pte, c->pte);
	iopt_model_free(m);
}

static void run_geom(const struct golden *c, int g, struct iopt_model_cfg *cfg)
{
	const struct golden_geom *w = &c->geom;
	struct iopt_model_geom got;

	iopt_model_geometry(cfg, &got);
	expect(c, g, "rejected", got.rejected, w->rejected);
	expect(c, g, "WARN", got.warn, w->warn);
	expect(c, g, "degenerate", got.degenerate && !got.rejected, w->degenerate);
	if (got.rejected || w->rejected || w->degenerate)
		return;
	expect(c, g, "granule shift", got.granule_shift, w->granule_shift);
	expect(c, g, "pgsize_bitmap", got.pgsize_bitmap, w->pgsizes);
	expect(c, g, "ias", got.ias, w->ias);
	expect(c, g, "oas", got.oas, w->oas);
	expect(c, g, "start level", (uint64_t)got.start_level, (uint64_t)w->start_level);
	expect(c, g, "top-table entries", got.pgd_entries, w->pgd_entries);
}

/* ---- a walk in memory of our own: three tables at fixed physical addresses ---- */

#define TABLES_IOVA	0x40203000ULL	/* level-1 entry 1, level-2 entry 1, level-3 entry 3 */
#define TABLE_PA(l)	(0x80000000ULL + ((l) - 1) * 0x1000ULL)

static uint64_t *walk_tables[3];

static const void *walk_lookup(void *ctx, uint64_t pa, uint64_t *base, uint64_t *size)
{
	for (int l = 1; l <= 3; l++) {
		if (pa >= TABLE_PA(l) && pa < TABLE_PA(l) + 0x1000) {
			*base = TABLE_PA(l);
			*size = 0x1000;
			return walk_tables[l - 1];
		}
	}
	return NULL;
}

static void run_tables(const struct golden *c, int g, struct iopt_model_cfg *cfg)
{
	struct iopt_dec_mem mem = { .lookup = walk_lookup };
	struct iopt_model *m = iopt_model_new(cfg);
	struct iopt_model_pred p;
	struct iopt_dec_cfg dec;
	char why[400];
	int diffs;

	if (!m) {
		expect(c, g, "the configuration is refused", 1, 0);
		return;
	}
	for (int l = 0; l < 3; l++)
		walk_tables[l] = calloc(512, 8);
	walk_tables[0][1] = TABLE | TABLE_PA(2) | c->tbl_attrs;
	walk_tables[1][1] = TABLE | TABLE_PA(3) | c->tbl_attrs;
	walk_tables[2][3] = c->pte;
	iopt_model_map(m, TABLES_IOVA, c->pa, SZ_4K, 1, c->prot, 0, &p);
	expect(c, g, "the map's return", (uint64_t)p.ret, 0);
	iopt_model_dec_cfg(m, TABLE_PA(1), &dec);
	diffs = iopt_model_check_tables(m, &dec, &mem, why, sizeof(why));
	expect(c, g, c->bad ? "a difference found" : "no difference found", diffs > 0, c->bad);
	if (diffs && !c->bad)
		fprintf(stderr, "  the model: %s\n", why);
	for (int l = 0; l < 3; l++)
		free(walk_tables[l]);
	iopt_model_free(m);
}

static void run_phys(const struct golden *c, int g, struct iopt_model_cfg *cfg)
{
	struct iopt_model *m = iopt_model_new(cfg);
	struct iopt_model_pred p;

	if (!m) {
		expect(c, g, "the configuration is refused", 1, 0);
		return;
	}
	iopt_model_map(m, c->iova, c->pa, c->pgsize, c->pgcount, c->prot, 0, &p);
	expect(c, g, "the map's return", (uint64_t)p.ret, 0);
	expect(c, g, "bytes mapped", p.mapped, c->pgsize * c->pgcount);
	expect(c, g, "iova_to_phys", iopt_model_iova_to_phys(m, c->query), c->phys);
	iopt_model_free(m);
}

int main(void)
{
	unsigned int runs = 0;
	int ngen;

	for (ngen = 0; iopt_contracts[ngen]; ngen++)
		;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct golden *c = &cases[i];
		bool any = false;

		/* a generation named in a case must exist */
		CHECK(!c->from || generation(c->from) >= 0);
		CHECK(!c->until || generation(c->until) >= 0);
		for (int g = 0; g < ngen; g++) {
			struct iopt_model_cfg cfg = c->cfg;

			if (!applies(c, g))
				continue;
			cfg.contract = iopt_contracts[g];
			cfg.coherent_walk = !c->noncoherent;
			if (!cfg.page_shift)
				cfg.page_shift = 12;
			if (c->kind == K_LEAF)
				run_leaf(c, g, &cfg);
			else if (c->kind == K_TABLES)
				run_tables(c, g, &cfg);
			else if (c->kind == K_PHYS)
				run_phys(c, g, &cfg);
			else
				run_geom(c, g, &cfg);
			runs++;
			any = true;
		}
		if (!CHECK(any))
			fprintf(stderr, "FAIL: %s: under no generation\n", c->name);
	}
	printf("golden: %zu cases, %u runs over %d contract generations, %d failed%s\n",
	       ARRAY_LEN(cases), runs, ngen, failures,
#ifdef IOPT_GOLDEN_GAPS
	       " (with the model's known gaps)"
#else
	       "; 3 cases of the model's known gaps not run (IOPT_GOLDEN_GAPS)"
#endif
	       );
	return TEST_DONE();
}
