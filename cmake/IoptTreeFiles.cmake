# SPDX-License-Identifier: GPL-2.0-only
#
# Which files of the tree (cmake/probe-tree.sh copied them into IOPT_KTREE)
# and of ours each port compiles. Sets:
#
#   IOPT_KERNEL_FILES      the kernel port's kernel files
#   IOPT_HYP_KERNEL_FILES  the hyp port's kernel files
#   IOPT_HYP_SOURCES       the hyp port's own sources
#   IOPT_HYP_INCLUDES      the hyp port's EL2 headers (nvhe/, asm/kvm_mmu.h)
#   IOPT_HYP_DEFINES       the nVHE hypervisor build's defines, when they apply
#
# The kernel side is io-pgtable-arm.c and io-pgtable.c, plus the KUnit
# selftests file (v6.19+), iommu-pages.c (v6.16+: the table allocator,
# kernel port only) and, in a tree with the pKVM series' split,
# io-pgtable-arm-kernel.c (the kernel glue and the selftests).
#
# The EL2 side, when the tree brings its own EL2 glue, is what the pKVM
# series links into the hypervisor, and no io-pgtable.c (its entry is
# kvm_alloc_io_pgtable_ops()):
#
#   - the split (drivers/iommu/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c):
#     io-pgtable-arm.c and that glue;
#   - the later form (an EL2 half of drivers/iommu/iommu-pages.h, the entry
#     at the end of io-pgtable-arm.c): io-pgtable-arm.c alone, over the
#     tree's iommu-pages.h.
#
# Any other tree runs its kernel files at EL2 through our glue,
# stock_glue.c.
#
# The nVHE defines select a tree's EL2 branches. A tree in the middle of
# the series (io-pgtable-arm-kernel.c, but no EL2 glue yet) has an
# io-pgtable-arm.h whose EL2 branch is empty (no __arm_lpae_virt_to_phys):
# the series builds none of it at EL2, so its hyp port compiles the files
# as the kernel does and runs them on our glue.

set(kt ${IOPT_KTREE}/drivers/iommu)

# The kernel port's own sources (every variant of it: the negative
# control, the KUnit reproducer's, a review's patched tree).
set(IOPT_KERNEL_PORT_SOURCES targets/kernel_port/runtime.c
	targets/common/port_mm.c)

set(IOPT_KERNEL_FILES ${kt}/io-pgtable-arm.c ${kt}/io-pgtable.c)
if(IOPT_TREE_PKVM_SPLIT)
	list(APPEND IOPT_KERNEL_FILES ${kt}/io-pgtable-arm-kernel.c)
endif()
if(IOPT_TREE_SELFTEST EQUAL 2)	# v6.19+: KUnit suite in its own file
	list(APPEND IOPT_KERNEL_FILES ${kt}/io-pgtable-arm-selftests.c)
endif()
# At EL2 the iommu-pages functions are the glue's, over the pool.
set(IOPT_HYP_STOCK_FILES ${IOPT_KERNEL_FILES})
if(IOPT_TREE_IOMMU_PAGES_C)
	list(APPEND IOPT_KERNEL_FILES ${kt}/iommu-pages.c)
endif()

# (and the tree's drivers/iommu, for our glue to include iommu-pages.h)
set(IOPT_HYP_INCLUDES ${CMAKE_SOURCE_DIR}/targets/hyp_port/include ${kt})
if(IOPT_TREE_PKVM_HYP_GLUE)
	set(IOPT_HYP_KERNEL_FILES ${kt}/io-pgtable-arm.c
		${kt}/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c)
	set(IOPT_HYP_SOURCES targets/hyp_port/runtime.c
		targets/common/port_mm.c)
elseif(IOPT_TREE_PKVM_PAGES_EL2)
	set(IOPT_HYP_KERNEL_FILES ${kt}/io-pgtable-arm.c)
	set(IOPT_HYP_SOURCES targets/hyp_port/runtime.c
		targets/common/port_mm.c)
else()
	set(IOPT_HYP_KERNEL_FILES ${IOPT_HYP_STOCK_FILES})
	set(IOPT_HYP_SOURCES targets/hyp_port/runtime.c
		targets/hyp_port/stock_glue.c targets/common/port_mm.c)
endif()
set(IOPT_HYP_DEFINES __KVM_NVHE_HYPERVISOR__ __DISABLE_EXPORTS
	__DISABLE_TRACE_MMIO__)
if(IOPT_TREE_PKVM_SPLIT AND NOT IOPT_TREE_PKVM_HYP_GLUE)
	set(IOPT_HYP_DEFINES "")
endif()

# A source directory: re-probe when its glue files change too.
if(IS_DIRECTORY "${IOPT_KERNEL_SRC}")
	foreach(f drivers/iommu/io-pgtable-arm-kernel.c
		  drivers/iommu/arm/arm-smmu-v3/pkvm/io-pgtable-arm-hyp.c
		  drivers/iommu/iommu-pages.h)
		if(EXISTS ${IOPT_KERNEL_SRC}/${f})
			set_property(DIRECTORY APPEND PROPERTY
				CMAKE_CONFIGURE_DEPENDS ${IOPT_KERNEL_SRC}/${f})
		endif()
	endforeach()
endif()
unset(IOPT_HYP_STOCK_FILES)
unset(kt)
