# SPDX-License-Identifier: GPL-2.0-only
#
# IOPT_COVERAGE=ON: clang source-based coverage for scripts/coverage.sh.
# The flags go to every target, the kernel files included (their own
# flags in cmake/IoptPort.cmake only add to these), and there is no
# fuzzing engine (IOPT_FUZZ_ENGINE=none: no -fsanitize=fuzzer-no-link, no
# iopt-fuzz): iopt-replay is the driver. Included before
# cmake/IoptEngine.cmake.
option(IOPT_COVERAGE "Build with clang source-based coverage (no fuzzing engine)" OFF)
if(IOPT_COVERAGE)
	if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
		message(FATAL_ERROR "iopt: IOPT_COVERAGE needs clang (-DCMAKE_C_COMPILER=clang-14)")
	endif()
	set(IOPT_FUZZ_ENGINE none CACHE STRING
		"Fuzzing engine for iopt-fuzz: libfuzzer, afl, external or none" FORCE)
	add_compile_options(-fprofile-instr-generate -fcoverage-mapping)
	add_link_options(-fprofile-instr-generate)
endif()
