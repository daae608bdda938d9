# SPDX-License-Identifier: GPL-2.0-only
#
# iopt-kunit: a KUnit reproducer of iopt-replay --repro (fuzz/kunit_gen.c)
# built into a port of its own and run in our KUnit shim, the way the
# tree's own KUnit selftests are built into the ports: the kernel port's
# runtime and the tree's files, compiled unmodified, plus the case as a
# kernel file, with the reproducer's interposer (targets/common/kunit_repro.c).
#
# The case lives at ${IOPT_KUNIT_CASE}; scripts/kunit-case.sh copies one
# there, rebuilds iopt-kunit (only the case recompiles) and runs it. Until
# then a placeholder stands there that fails, saying so.

set(IOPT_KUNIT_CASE ${CMAKE_BINARY_DIR}/kunit-case/kunit.c)
if(NOT EXISTS ${IOPT_KUNIT_CASE})
	file(WRITE ${IOPT_KUNIT_CASE}
"// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder: scripts/kunit-case.sh BUILD_DIR KUNIT_C copies a case here. */
#include <kunit/test.h>

static void iopt_kunit_no_case(struct kunit *test)
{
	KUNIT_FAIL(test, \"no KUnit case here yet: run scripts/kunit-case.sh\");
}

static struct kunit_case iopt_kunit_placeholder_cases[] = {
	KUNIT_CASE(iopt_kunit_no_case),
	{}
};

static struct kunit_suite iopt_kunit_placeholder = {
	.name = \"iopt-kunit-placeholder\",
	.test_cases = iopt_kunit_placeholder_cases,
};
kunit_test_suite(iopt_kunit_placeholder);
")
endif()

# The tree's kernel files but its own KUnit file (a second suite).
set(kunit_kfiles ${IOPT_KERNEL_FILES})
list(FILTER kunit_kfiles EXCLUDE REGEX "io-pgtable-arm-selftests\\.c$")
iopt_add_port(iopt_kunit_port SYMBOL iopt_kernel_port
	SOURCES ${IOPT_KERNEL_PORT_SOURCES} targets/common/kunit_repro.c
	KERNEL_SOURCES ${kunit_kfiles} ${IOPT_KUNIT_CASE}
	DEFINES IOPT_KUNIT_REPRO)
set_property(SOURCE ${IOPT_KUNIT_CASE} TARGET_DIRECTORY iopt_kunit_port_objs
	APPEND PROPERTY COMPILE_DEFINITIONS
	alloc_io_pgtable_ops=iopt_kunit_alloc_io_pgtable_ops)
unset(kunit_kfiles)

add_executable(iopt-kunit tests/kunit_main.c fuzz/plant.c)
target_include_directories(iopt-kunit PRIVATE ${CMAKE_SOURCE_DIR}/fuzz
	${CMAKE_SOURCE_DIR}/oracle ${CMAKE_SOURCE_DIR}/targets/common/include)
target_link_libraries(iopt-kunit iopt_kunit_port iopt_common iopt_oracle)
