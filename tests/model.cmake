# SPDX-License-Identifier: GPL-2.0-only
# The reference model (oracle/model.c) against the kernel port of this tree.
add_executable(test-model test_model.c)
target_include_directories(test-model PRIVATE ${IOPT_HARNESS_INCLUDES}
	${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/fuzz)
target_link_libraries(test-model iopt_kernel_port iopt_common iopt_oracle)

add_test(NAME model-geometry COMMAND test-model geometry)
add_test(NAME model-sequences COMMAND test-model sequences)
add_test(NAME model-planted COMMAND test-model planted)
