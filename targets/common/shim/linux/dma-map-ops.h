/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/dma-map-ops.h: the architecture's cache maintenance for DMA by
 * physical address, with no mapping to track. A patch under review uses
 * it in io-pgtable-arm.c instead of the DMA API. As on arm64:
 *
 *   arch_sync_dma_for_device(paddr, size, dir)  clean to PoC, any dir
 *   arch_sync_dma_for_cpu(paddr, size, dir)     invalidate, unless the
 *                                               device only reads
 *                                               (DMA_TO_DEVICE: nothing)
 *
 * Each port records them as CMOs (via IOPT_VIA_ARCH_SYNC): the kernel
 * port's runtime.c; at EL2, our glue flushes (clean+invalidate).
 */
#ifndef IOPT_SHIM_LINUX_DMA_MAP_OPS_H
#define IOPT_SHIM_LINUX_DMA_MAP_OPS_H

#include <iopt_shim.h>

void arch_sync_dma_for_device(phys_addr_t paddr, size_t size,
			      enum dma_data_direction dir);
void arch_sync_dma_for_cpu(phys_addr_t paddr, size_t size,
			   enum dma_data_direction dir);

#endif /* IOPT_SHIM_LINUX_DMA_MAP_OPS_H */
