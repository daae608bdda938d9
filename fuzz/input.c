// SPDX-License-Identifier: GPL-2.0-only
/* Input format v3 decoder: total over all byte strings. */
#include <string.h>

#include "input.h"

static const unsigned long pgsize_sets[] = {
	0x40201000UL,	/* 4K | 2M | 1G */
	0x02004000UL,	/* 16K | 32M */
	0x20010000UL,	/* 64K | 512M */
	0x62215000UL,	/* everything: the kernel picks by PAGE_SIZE */
	0x00001000UL,	/* 4K only */
	0x40200000UL,	/* no granule at all: rejected */
	0x20010000UL | (1UL << 42),	/* 64K | 512M | 4T */
	0x02004000UL | 0x20010000UL,	/* 16K and 64K */
};
static const unsigned char addr_bits[] = { 32, 36, 40, 42, 44, 48, 52, 48 };
static const unsigned char op_len[IOPT_OP_KINDS] = {
	[IOPT_OP_MAP] = 5, [IOPT_OP_UNMAP] = 4, [IOPT_OP_IOVA_TO_PHYS] = 2,
	[IOPT_OP_DIRTY] = 4, [IOPT_OP_RECREATE] = 0, [IOPT_OP_ACCESS] = 3,
	[IOPT_OP_FAULT] = 2, [IOPT_OP_WALK] = 2,
};
static const char *const op_names[IOPT_OP_KINDS] = {
	"map", "unmap", "iova_to_phys", "read_and_clear_dirty", "recreate",
	"access", "fault", "pgtable_walk",
};

const char *iopt_op_name(enum iopt_op_kind kind)
{
	return kind < IOPT_OP_KINDS ? op_names[kind] : "?";
}

static uint8_t byte_at(const uint8_t *d, size_t size, size_t i)
{
	return i < size ? d[i] : 0;
}

static void decode_cfg(const uint8_t *d, size_t size,
		       struct iopt_model_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->fmt = byte_at(d, size, 0) % IOPT_FMT_COUNT;
	cfg->pgsize_bitmap = pgsize_sets[byte_at(d, size, 1) % 8];
	cfg->ias = addr_bits[byte_at(d, size, 2) % 8];
	cfg->oas = addr_bits[byte_at(d, size, 3) % 8];
	cfg->quirks = byte_at(d, size, 4) & (IOPT_Q_ARM_NS | IOPT_Q_ARM_TTBR1 |
					     IOPT_Q_ARM_OUTER_WBWA |
					     IOPT_Q_ARM_HD | IOPT_Q_ARM_S2FWB |
					     IOPT_Q_NO_WARN);
	cfg->coherent_walk = !(byte_at(d, size, 5) & 1);
	cfg->page_shift = IOPT_PAGE_SHIFT;	/* the build's emulated PAGE_SIZE */
	cfg->contract = iopt_build_contract();	/* the build's oracle (oracle/contract.h) */
}

/*
 * Extension bits 1 and 2: the page sizes and address sizes as the bytes
 * say, whatever the kernel makes of them (the model predicts it).
 */
static void decode_ext_cfg(struct iopt_prog *prog)
{
	const uint8_t *x = prog->ext_bytes;

	if (prog->ext & IOPT_EXT_PGSIZES) {
		prog->cfg.pgsize_bitmap = 0;
		for (int i = 5; i >= 0; i--)
			prog->cfg.pgsize_bitmap = prog->cfg.pgsize_bitmap << 8 | x[i];
	}
	if (prog->ext & IOPT_EXT_ADDR_BITS) {
		prog->cfg.ias = x[6] & 63;
		prog->cfg.oas = x[7] & 63;
	}
}

/*
 * Extension bit 0: every op's slots reach the edges of ias and oas; bit
 * 5: a map whose prot has bit 6 is an atomic caller's.
 */
static void decode_op_ext(struct iopt_prog *prog)
{
	for (unsigned int i = 0; i < prog->nops; i++) {
		struct iopt_op *op = &prog->ops[i];

		op->edge = prog->ext & IOPT_EXT_EDGE;
		op->atomic = op->kind == IOPT_OP_MAP &&
			     prog->ext & IOPT_EXT_ATOMIC &&
			     op->prot & IOPT_PROT_ATOMIC;
	}
}

void iopt_decode(const uint8_t *data, size_t size, struct iopt_prog *prog)
{
	size_t pos = IOPT_HDR_LEN;
	unsigned int nkinds;

	decode_cfg(data, size, &prog->cfg);
	prog->alloc_mode = byte_at(data, size, 6) & 1;
	prog->ext = byte_at(data, size, 7);
	memset(prog->ext_bytes, 0, sizeof(prog->ext_bytes));
	if (prog->ext) {
		for (int i = 0; i < IOPT_HDR_EXT_LEN; i++)
			prog->ext_bytes[i] = byte_at(data, size, pos + i);
		pos += IOPT_HDR_EXT_LEN;
		decode_ext_cfg(prog);
	}
	nkinds = prog->ext & IOPT_EXT_MORE_OPS ? IOPT_OP_KINDS : IOPT_OP_KINDS_V2;
	prog->nops = 0;
	while (pos < size && prog->nops < IOPT_MAX_OPS) {
		struct iopt_op *op = &prog->ops[prog->nops];
		enum iopt_op_kind kind = data[pos++] % nkinds;
		uint8_t a[5] = { 0 };

		if (pos + op_len[kind] > size)
			break;
		memcpy(a, data + pos, op_len[kind]);
		pos += op_len[kind];
		*op = (struct iopt_op){ .kind = kind };
		switch (kind) {
		case IOPT_OP_MAP:
			op->iova_slot = a[0];
			op->pa_slot = a[1];
			op->pgsize_idx = a[2];
			op->count = a[3];
			op->prot = a[4];
			break;
		case IOPT_OP_UNMAP:
		case IOPT_OP_DIRTY:
			op->iova_slot = a[0];
			op->pgsize_idx = a[1];
			op->count = a[2];
			op->flags = a[3];
			break;
		case IOPT_OP_IOVA_TO_PHYS:
		case IOPT_OP_WALK:
			op->iova_slot = a[0];
			op->pa_slot = a[1];	/* offset within the page */
			break;
		case IOPT_OP_ACCESS:
			op->iova_slot = a[0];
			op->pa_slot = a[1];	/* offset, as for iova_to_phys */
			op->flags = a[2] & IOPT_OPF_WRITE;
			break;
		case IOPT_OP_FAULT:
			op->flags = a[0] % IOPT_FAULT_KINDS;
			op->count = 1 + a[1] % 4;	/* the nth allocation */
			break;
		default:
			break;
		}
		prog->nops++;
	}
	decode_op_ext(prog);
}

/* The page sizes the kernel kept, smallest first; a few out-of-set sizes. */
size_t iopt_slot_pgsize(const struct iopt_model_geom *g, uint8_t idx)
{
	unsigned long bm = g->pgsize_bitmap;
	unsigned int n = __builtin_popcountl(bm);

	if (idx >= 0xfc || !n)	/* rare: not a supported size */
		return idx == 0xff ? 0 : (size_t)1 << (idx & 3 ? 13 : 20);
	for (idx %= n; idx; idx--)
		bm &= bm - 1;
	return (size_t)1 << __builtin_ctzl(bm);
}

/* 1..16 mostly; 0 and counts that cross table pages now and then. */
size_t iopt_slot_count(uint8_t b)
{
	if (b >= 0xf8)
		return b == 0xff ? 0 : (size_t)(b - 0xf7) * 300;
	return 1 + (b & 15);
}

/*
 * IOVAs collide on purpose: 8 regions, each a multiple of the largest
 * block size the geometry has, 32 pages of the op's size into each.
 */
uint64_t iopt_slot_iova(const struct iopt_model_geom *g, unsigned int quirks,
			uint8_t slot, size_t pgsize)
{
	uint64_t top = g->pgsize_bitmap ? 1ULL << (63 - __builtin_clzl(g->pgsize_bitmap)) : 0;
	uint64_t mask = g->ias >= 64 ? ~0ULL : (1ULL << g->ias) - 1;
	uint64_t iova = (slot >> 5) * top + (slot & 31) * (uint64_t)pgsize;

	if ((slot >> 5) == 7)	/* the last pages below the input limit */
		iova = mask + 1 - (32 - (slot & 31)) * (uint64_t)pgsize;
	iova &= mask;
	if (quirks & IOPT_Q_ARM_TTBR1)
		iova |= ~mask;
	return iova;
}

uint64_t iopt_slot_pa(const struct iopt_model_geom *g, uint8_t slot,
		      size_t pgsize)
{
	uint64_t mask = (1ULL << g->oas) - 1;

	return ((slot >> 5) * 0x40000000ULL + (slot & 31) * (uint64_t)pgsize) & mask;
}

/*
 * Edge slots (extension bit 0). IOVA region 6 is at and just past the
 * input limit: 2^ias plus (b & 31) pages, which map_pages refuses with
 * -ERANGE and unmap_pages with 0, both WARNing, and which iova_to_phys
 * and a device's walk read as the IOVA below 2^ias they index. Under
 * TTBR1 the range is the top 2^ias, and region 6 the (b & 31) + 1 pages
 * just below it. PA region 6 is the last 32 pages below 2^oas (with a 64K
 * granule and oas 52: PA bits 51:48 set, held in descriptor bits 15:12),
 * region 7 at and just past 2^oas (-ERANGE, WARN). Other regions as
 * without the extension.
 */
uint64_t iopt_slot_iova_edge(const struct iopt_model_geom *g,
			     unsigned int quirks, uint8_t slot, size_t pgsize,
			     bool edge)
{
	uint64_t top = g->ias >= 64 ? 0 : 1ULL << g->ias;
	uint64_t pages = (slot & 31) * (uint64_t)pgsize;

	if (!edge || slot >> 5 != 6 || !top)
		return iopt_slot_iova(g, quirks, slot, pgsize);
	if (quirks & IOPT_Q_ARM_TTBR1)
		return -top - pages - pgsize;
	return top + pages;
}

uint64_t iopt_slot_pa_edge(const struct iopt_model_geom *g, uint8_t slot,
			   size_t pgsize, bool edge)
{
	uint64_t top = g->oas >= 64 ? 0 : 1ULL << g->oas;
	uint64_t pages = (slot & 31) * (uint64_t)pgsize;

	if (!edge || slot >> 5 < 6 || !top)
		return iopt_slot_pa(g, slot, pgsize);
	if (slot >> 5 == 6)
		return (top - 32 * (uint64_t)pgsize + pages) & (top - 1);
	return top + pages;
}
