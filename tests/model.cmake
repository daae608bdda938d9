# SPDX-License-Identifier: GPL-2.0-only
# The reference model (oracle/model.c) against the kernel port of this tree.
add_executable(test-model test_model.c)
target_include_directories(test-model PRIVATE ${IOPT_HARNESS_INCLUDES}
	${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/fuzz)
target_link_libraries(test-model iopt_kernel_port iopt_common iopt_oracle)

add_test(NAME model-geometry COMMAND test-model geometry)
add_test(NAME model-sequences COMMAND test-model sequences)
add_test(NAME model-planted COMMAND test-model planted)

# The contract generations (oracle/contract.h, docs/contracts.md): each
# one's predictions against a hand-derived table, on the model alone.
add_test(NAME model-contracts COMMAND test-model contracts)

# IOPT_CONTRACT: an unknown name is one clear line; another generation is
# taken, and each of its differences from this tree's text is a notice.
# Configured from this build's extracted tree (no tarball to unpack).
add_test(NAME contract-rejects-unknown-name
	COMMAND ${EXPECT_FAIL} "^iopt: IOPT_CONTRACT=no-such: no such contract generation \\(known: 6.1 "
		${CMAKE_COMMAND} -S ${CMAKE_SOURCE_DIR}
		-B ${CMAKE_BINARY_DIR}/contract-no-such -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
		-DIOPT_KERNEL_SRC=${IOPT_KTREE} -DIOPT_CONTRACT=no-such)
if(IOPT_CONTRACT_NAME STREQUAL "7.2")
	set(other_contract 6.12)
else()
	set(other_contract 7.2)
endif()
add_test(NAME contract-explicit
	COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/contract-test.sh explicit ${CMAKE_SOURCE_DIR}
		${CMAKE_BINARY_DIR} ${CMAKE_C_COMPILER} ${other_contract})

# A patch that changes a behaviour of the contract (applied to a copy of
# this tree in the build directory) is noticed at configure and reported
# by iopt-replay on a shipped seed, which this build replays clean
# (tests/contract-test.sh).
if(TARGET iopt-replay)
	set(patches "")
	if("split=1" IN_LIST IOPT_CONTRACT_FACTS)
		list(APPEND patches refuse)
	endif()
	if("enoent=0" IN_LIST IOPT_CONTRACT_FACTS)
		list(APPEND patches enoent)
	endif()
	foreach(p IN LISTS patches)
		add_test(NAME contract-patched-${p}
			COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/contract-test.sh ${p}
				${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${CMAKE_C_COMPILER}
				"${IOPT_SANITIZE}" ${IOPT_PAGE_SHIFT}
				${CMAKE_SOURCE_DIR}/corpus/seeds/real-huge-partial-arm64-s1)
		set_tests_properties(contract-patched-${p} PROPERTIES TIMEOUT 300)
	endforeach()
endif()
