/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvhe/iommu.h: the EL2 IOMMU page pool, as the pKVM SMMUv3 series'
 * pkvm/io-pgtable-arm-hyp.c uses it.
 *
 *   kvm_iommu_donate_pages(order)  a naturally aligned block of 2^order
 *                                  zeroed pages from the pool the host
 *                                  donated (hyp_alloc_pages()); NULL when
 *                                  the pool is dry
 *   kvm_iommu_reclaim_pages(ptr)   the block back to the pool
 *                                  (hyp_put_page()): the pool knows its
 *                                  order, the caller does not pass one
 *
 * The real header reaches asm/kvm_mmu.h (kvm_flush_dcache_to_poc) and
 * nvhe/memory.h (hyp_virt_to_phys) through asm/kvm_host.h; this one
 * includes them directly. targets/hyp_port/runtime.c implements all of it.
 */
#ifndef IOPT_HYP_NVHE_IOMMU_H
#define IOPT_HYP_NVHE_IOMMU_H

#include <iopt_shim.h>
#include <asm/kvm_mmu.h>
#include <nvhe/memory.h>

void *kvm_iommu_donate_pages(u8 order);
void kvm_iommu_reclaim_pages(void *ptr);

#endif /* IOPT_HYP_NVHE_IOMMU_H */
