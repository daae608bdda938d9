/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Planted (enum iopt_lookup_plant, iopt/port.h): what a lookup that does
 * more than read does at its end, in the driver stand-in (driver.c) and
 * in the KUnit shim's calls (kunit_repro.c) alike: a clean of the top
 * table's first line (table: its address), the IOMMU driver's
 * tlb_flush_all (flush_all(ctx)), or a page allocated and freed. Harness
 * code of a port only: include after the shim's headers.
 */
#ifndef IOPT_PLANT_LOOKUP_H
#define IOPT_PLANT_LOOKUP_H

#include <iopt/env.h>
#include <iopt/port.h>

static inline void iopt_plant_lookup_effect(struct iopt_env *env, int plant,
					    uint64_t table,
					    void (*flush_all)(void *ctx),
					    void *ctx)
{
	void *page;

	switch (plant) {
	case IOPT_LOOKUP_CMO:
		iopt_cmo(env, table, 64, IOPT_CMO_CLEAN, IOPT_VIA_ARCH_SYNC);
		break;
	case IOPT_LOOKUP_FLUSH:
		flush_all(ctx);
		break;
	case IOPT_LOOKUP_ALLOC:
		page = iopt_pages_alloc(env, 0, GFP_KERNEL, NUMA_NO_NODE);
		if (page)
			iopt_pages_free(env, page, 0);
		break;
	}
}

#endif
