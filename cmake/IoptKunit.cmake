# SPDX-License-Identifier: GPL-2.0-only
#
# iopt-kunit: a KUnit reproducer of iopt-replay --repro (fuzz/kunit_gen.c)
# built into a port of its own and run in our KUnit shim, the way the
# tree's own KUnit selftests are built into the ports: the kernel port's
# runtime and the tree's files, compiled unmodified, plus the case as a
# kernel file, with the reproducer's interposer (targets/common/kunit_repro.c).
#
# iopt_add_kunit(SUFFIX): iopt-kunit${SUFFIX}, for the tree being built
# (a review build has iopt-kunit for base and iopt-kunit-patched). The
# case lives at <build>/kunit-case${SUFFIX}/kunit.c; scripts/kunit-case.sh
# copies one there, rebuilds (only the case recompiles) and runs it. Until
# then a placeholder stands there that fails, saying so.

function(iopt_add_kunit suffix)
	set(case ${CMAKE_BINARY_DIR}/kunit-case${suffix}/kunit.c)
	string(REPLACE "-" "_" sym "${suffix}")
	if(NOT EXISTS ${case})
		file(WRITE ${case}
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
	set(kfiles ${IOPT_KERNEL_FILES})
	list(FILTER kfiles EXCLUDE REGEX "io-pgtable-arm-selftests\\.c$")
	iopt_add_port(iopt_kunit_port${sym} SYMBOL iopt_kernel_port
		SOURCES ${IOPT_KERNEL_PORT_SOURCES} targets/common/kunit_repro.c
		KERNEL_SOURCES ${kfiles} ${case}
		DEFINES IOPT_KUNIT_REPRO)
	set_property(SOURCE ${case} TARGET_DIRECTORY iopt_kunit_port${sym}_objs
		APPEND PROPERTY COMPILE_DEFINITIONS
		alloc_io_pgtable_ops=iopt_kunit_alloc_io_pgtable_ops
		free_io_pgtable_ops=iopt_kunit_free_io_pgtable_ops)
	# Every warning of the case an error, as in a kernel built with
	# CONFIG_WERROR (the default of a KUnit build of 7.x): an unused
	# static helper would stop the build a reviewer pastes it into.
	set_property(SOURCE ${case} TARGET_DIRECTORY iopt_kunit_port${sym}_objs
		APPEND PROPERTY COMPILE_OPTIONS -Werror)

	add_executable(iopt-kunit${suffix} ${CMAKE_SOURCE_DIR}/tests/kunit_main.c
		${CMAKE_SOURCE_DIR}/fuzz/plant.c)
	target_include_directories(iopt-kunit${suffix} PRIVATE
		${CMAKE_SOURCE_DIR}/fuzz ${CMAKE_SOURCE_DIR}/oracle
		${CMAKE_SOURCE_DIR}/targets/common/include)
	target_link_libraries(iopt-kunit${suffix} iopt_kunit_port${sym}
		iopt_common iopt_oracle)
endfunction()
