# SPDX-License-Identifier: GPL-2.0-only
#
# A review build (IOPT_PATCHED_SRC set): a second tree, "patched", beside
# the base tree (IOPT_KERNEL_SRC), with its own two ports, so that one
# binary runs the same program on both trees (fuzz/review.c).
#
# The patched tree is probed into <build>/patched/{ktree,generated} and its
# ports are built exactly as the base tree's (cmake/IoptTreeFiles.cmake,
# cmake/IoptTrial.cmake, cmake/IoptPort.cmake), in a function scope so that
# its IOPT_TREE_* variables do not replace the base tree's. Their
# descriptors are renamed iopt_patched_kernel_port and
# iopt_patched_hyp_port (port.h's names are the base tree's).

function(iopt_add_patched_tree src)
	set(out ${CMAKE_BINARY_DIR}/patched)
	execute_process(
		COMMAND ${CMAKE_COMMAND} -E env IOPT_KCONFIG=${IOPT_KCONFIG}
			bash ${CMAKE_SOURCE_DIR}/cmake/probe-tree.sh ${src} ${out}
		RESULT_VARIABLE rc
		OUTPUT_VARIABLE probe_out ERROR_VARIABLE probe_err
		OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_STRIP_TRAILING_WHITESPACE)
	if(rc)
		message(NOTICE "${probe_err}")
		message(FATAL_ERROR "iopt: no usable patched tree (IOPT_PATCHED_SRC)")
	endif()
	message(STATUS "patched: ${probe_out}")
	set(IOPT_KERNEL_SRC ${src})
	set(IOPT_KTREE ${out}/ktree)
	set(IOPT_GENERATED ${out}/generated)
	include(${IOPT_GENERATED}/tree.cmake)
	iopt_kconfig_notices("the patched tree's ")
	# its own oracle: its version's contract, its text cross-checked
	# (a notice for each behaviour the patch changes)
	set(IOPT_CONTRACT "${IOPT_PATCHED_CONTRACT}")
	set(iopt_contract_option IOPT_PATCHED_CONTRACT)
	include(${CMAKE_SOURCE_DIR}/cmake/IoptContract.cmake)
	include(${CMAKE_SOURCE_DIR}/cmake/IoptTreeFiles.cmake)
	set(IOPT_PATCHED_TREE_VERSION ${IOPT_TREE_VERSION} PARENT_SCOPE)
	set(IOPT_PATCHED_CONTRACT_NAME ${IOPT_CONTRACT_NAME} PARENT_SCOPE)
	set(IOPT_PATCHED_CONTRACT_FACTS ${IOPT_CONTRACT_FACTS} PARENT_SCOPE)

	set(IOPT_TRIAL_DIR ${out}/trial)
	iopt_trial_ports()
	iopt_add_port(iopt_patched_kernel_port SYMBOL iopt_kernel_port
		RENAME iopt_patched_kernel_port
		SOURCES ${IOPT_KERNEL_PORT_SOURCES}
		KERNEL_SOURCES ${IOPT_KERNEL_FILES})
	iopt_add_port(iopt_patched_hyp_port SYMBOL iopt_hyp_port
		RENAME iopt_patched_hyp_port
		SOURCES ${IOPT_HYP_SOURCES}
		KERNEL_SOURCES ${IOPT_HYP_KERNEL_FILES}
		INCLUDES ${IOPT_HYP_INCLUDES}
		DEFINES ${IOPT_HYP_DEFINES})
	# a reproducer's KUnit case for this tree: iopt-kunit-patched
	iopt_add_kunit(-patched)
endfunction()
