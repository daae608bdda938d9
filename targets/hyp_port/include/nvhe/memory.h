/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvhe/memory.h: the hypervisor's own linear map. At EL2 a physical
 * address is the hyp VA plus hyp_physvirt_offset (__hyp_pa/__hyp_va), not
 * the kernel's __pa/__va. The hyp port's pool sits at its own physical
 * base (targets/hyp_port/runtime.c), away from the kernel port's arena.
 */
#ifndef IOPT_HYP_NVHE_MEMORY_H
#define IOPT_HYP_NVHE_MEMORY_H

#include <iopt_shim.h>
#include <asm/kvm_mmu.h>

phys_addr_t hyp_virt_to_phys(void *addr);
void *hyp_phys_to_virt(phys_addr_t phys);

#define __hyp_pa(virt)	hyp_virt_to_phys((void *)(virt))
#define __hyp_va(phys)	hyp_phys_to_virt((phys_addr_t)(phys))

#endif /* IOPT_HYP_NVHE_MEMORY_H */
