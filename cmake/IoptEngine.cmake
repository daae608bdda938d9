# SPDX-License-Identifier: GPL-2.0-only
#
# The fuzzing engine iopt-fuzz (fuzz/libfuzzer.c) is linked with, and how
# coverage is collected. IOPT_FUZZ_ENGINE:
#
#   libfuzzer  clang's libFuzzer (the default with clang). The kernel files
#              alone get -fsanitize=fuzzer-no-link (cmake/IoptPort.cmake):
#              instrumenting the oracle's table walks cost 70 % of the time
#              and guides the fuzzer towards nothing of interest.
#   afl        AFL++ (CMAKE_C_COMPILER=afl-clang-fast). AFL's pass sees the
#              kernel files only (AFL_LLVM_ALLOWLIST); iopt-fuzz is linked
#              with AFL++'s driver (IOPT_FUZZ_ENGINE_LIB, by default
#              libAFLDriver.a: persistent mode, shared-memory input).
#              IOPT_AFL_CMPLOG=ON builds the CMPLOG binary for afl-fuzz -c.
#   external   OSS-Fuzz / ClusterFuzzLite: the instrumentation comes from
#              CFLAGS (or from afl-clang-fast), the engine from
#              IOPT_FUZZ_ENGINE_LIB ($LIB_FUZZING_ENGINE); iopt-fuzz is
#              linked by the C++ compiler. Coverage stays on the kernel
#              files (a sancov allowlist, or AFL_LLVM_ALLOWLIST).
#   none       no iopt-fuzz (e.g. with gcc).
#
# Sets IOPT_LIBFUZZER (kernel files get -fsanitize=fuzzer-no-link) and
# defines iopt_link_fuzz_engine(target).

if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
	set(iopt_engine_default libfuzzer)
else()
	set(iopt_engine_default none)
endif()
get_filename_component(iopt_cc_name "${CMAKE_C_COMPILER}" NAME)
if(iopt_cc_name MATCHES "^afl-")
	set(iopt_cc_afl ON)
	set(iopt_engine_default afl)
endif()

set(IOPT_FUZZ_ENGINE ${iopt_engine_default} CACHE STRING
	"Fuzzing engine for iopt-fuzz: libfuzzer, afl, external or none")
set_property(CACHE IOPT_FUZZ_ENGINE PROPERTY STRINGS
	libfuzzer afl external none)
set(IOPT_FUZZ_ENGINE_LIB "" CACHE STRING
	"What links the engine into iopt-fuzz (afl: libAFLDriver.a; external: $LIB_FUZZING_ENGINE)")
option(IOPT_AFL_CMPLOG "AFL++: build the CMPLOG binary (AFL_LLVM_CMPLOG=1)" OFF)
option(IOPT_COVERAGE_KERNEL_ONLY
	"afl/external: collect coverage on the kernel files only" ON)

# The kernel files, in both allowlist dialects. AFL++ matches the end of
# each function's debug-info file name, which clang makes relative to the
# build directory ("ktree/drivers/...": an absolute pattern would miss all
# but 51 of io-pgtable-arm.c's 388 locations). Clang's sancov list matches
# the absolute name of the translation unit, and needs fun: too.
set(iopt_allow_afl ${CMAKE_BINARY_DIR}/coverage-allowlist.afl)
set(iopt_allow_sancov ${CMAKE_BINARY_DIR}/coverage-allowlist.sancov)
file(WRITE ${iopt_allow_afl}
	"# the kernel files only (cmake/IoptEngine.cmake)\nsrc: ktree/drivers/iommu/*\n")
file(WRITE ${iopt_allow_sancov}
	"# the kernel files only (cmake/IoptEngine.cmake)\nsrc:${IOPT_KTREE}/drivers/iommu/*\nfun:*\n")

set(IOPT_LIBFUZZER OFF)
set(iopt_afl_env "")
if(IOPT_FUZZ_ENGINE STREQUAL "libfuzzer")
	if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang" OR iopt_cc_afl)
		message(FATAL_ERROR "iopt: IOPT_FUZZ_ENGINE=libfuzzer needs clang (not ${iopt_cc_name})")
	endif()
	set(IOPT_LIBFUZZER ON)
	add_link_options(-fsanitize=fuzzer-no-link)
	set(iopt_engine_link -fsanitize=fuzzer)
elseif(IOPT_FUZZ_ENGINE STREQUAL "afl")
	if(NOT iopt_cc_afl)
		message(FATAL_ERROR "iopt: IOPT_FUZZ_ENGINE=afl needs CMAKE_C_COMPILER=afl-clang-fast (not ${iopt_cc_name})")
	endif()
	if(NOT IOPT_FUZZ_ENGINE_LIB)
		find_file(IOPT_AFL_DRIVER libAFLDriver.a
			PATHS /usr/lib/afl /usr/local/lib/afl NO_DEFAULT_PATH)
		if(NOT IOPT_AFL_DRIVER)
			message(FATAL_ERROR "iopt: no libAFLDriver.a in /usr/lib/afl or /usr/local/lib/afl: set IOPT_FUZZ_ENGINE_LIB")
		endif()
		set(IOPT_FUZZ_ENGINE_LIB ${IOPT_AFL_DRIVER})
	endif()
	set(iopt_engine_link ${IOPT_FUZZ_ENGINE_LIB})
	if(IOPT_AFL_CMPLOG)
		list(APPEND iopt_afl_env AFL_LLVM_CMPLOG=1)
	endif()
elseif(IOPT_FUZZ_ENGINE STREQUAL "external")
	if(NOT IOPT_FUZZ_ENGINE_LIB)
		message(FATAL_ERROR "iopt: IOPT_FUZZ_ENGINE=external needs IOPT_FUZZ_ENGINE_LIB (OSS-Fuzz: $LIB_FUZZING_ENGINE)")
	endif()
	enable_language(CXX)
	separate_arguments(iopt_engine_link UNIX_COMMAND "${IOPT_FUZZ_ENGINE_LIB}")
	if(IOPT_COVERAGE_KERNEL_ONLY AND NOT iopt_cc_afl AND
	   CMAKE_C_FLAGS MATCHES "-fsanitize=fuzzer-no-link|-fsanitize-coverage=")
		string(APPEND CMAKE_C_FLAGS
			" -fsanitize-coverage-allowlist=${iopt_allow_sancov}")
	endif()
elseif(NOT IOPT_FUZZ_ENGINE STREQUAL "none")
	message(FATAL_ERROR "iopt: IOPT_FUZZ_ENGINE must be libfuzzer, afl, external or none (not '${IOPT_FUZZ_ENGINE}')")
endif()

# afl-clang-fast reads its settings from the environment of each compile.
if(iopt_cc_afl AND NOT IOPT_FUZZ_ENGINE STREQUAL "none")
	if(IOPT_COVERAGE_KERNEL_ONLY)
		list(APPEND iopt_afl_env AFL_LLVM_ALLOWLIST=${iopt_allow_afl})
	endif()
	if(iopt_afl_env)
		set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env ${iopt_afl_env})
	endif()
endif()
if(iopt_engine_link)
	message(STATUS "iopt: fuzzing engine ${IOPT_FUZZ_ENGINE} (${iopt_engine_link})")
else()
	message(STATUS "iopt: fuzzing engine ${IOPT_FUZZ_ENGINE}")
endif()

function(iopt_link_fuzz_engine target)
	target_link_libraries(${target} ${iopt_engine_link})
	if(IOPT_FUZZ_ENGINE STREQUAL "external")
		set_target_properties(${target} PROPERTIES LINKER_LANGUAGE CXX)
	endif()
endfunction()
