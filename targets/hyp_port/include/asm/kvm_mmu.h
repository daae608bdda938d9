/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * asm/kvm_mmu.h at EL2: the one piece that io-pgtable's EL2 glue uses,
 * data cache maintenance to the point of coherency. As on arm64,
 * kvm_flush_dcache_to_poc(va, len) is dcache_clean_inval_poc() over
 * [va, va + len): clean and invalidate. targets/hyp_port/runtime.c
 * implements dcache_clean_inval_poc() on the hyp env (a logged CMO).
 */
#ifndef IOPT_HYP_ASM_KVM_MMU_H
#define IOPT_HYP_ASM_KVM_MMU_H

#include <iopt_shim.h>

void dcache_clean_inval_poc(unsigned long start, unsigned long end);

#define kvm_flush_dcache_to_poc(va, len)				\
	dcache_clean_inval_poc((unsigned long)(va),			\
			       (unsigned long)(va) + (len))

#endif /* IOPT_HYP_ASM_KVM_MMU_H */
