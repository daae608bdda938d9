# SPDX-License-Identifier: GPL-2.0-only
#
# iopt_add_port(NAME SYMBOL sym [RENAME sym2] SOURCES ... KERNEL_SOURCES ...
#               [DEFINES ...] [INCLUDES ...])
#
# Builds one port: the kernel files (compiled unmodified, kbuild-style with
# the shim force-included), the port's own runtime and the IOMMU driver
# stand-in every port has (targets/common/driver.c), partially linked
# into NAME.o in which every symbol except SYMBOL is local. The result is a
# static library NAME holding that one object, so two ports of the same
# kernel code link into one binary without clashing.

set(IOPT_KERNEL_CFLAGS
	-include iopt_shim.h
	-D__KERNEL__
	-DCONFIG_IOMMU_IO_PGTABLE_LPAE=1
	-DCONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST=1
	# As kbuild: signed overflow and shifts wrap; the MAIR set-up relies
	# on it (0xf4 << 24), so UBSan's shift-base check is off for kernel
	# files only (docs/design.md).
	-fno-strict-overflow -fno-strict-aliasing -fno-common
	# Warnings on, as -Wall -Wextra for everything (CMakeLists.txt), and
	# what kbuild makes an error is one here too: a call the shim does
	# not declare, or declares with other types, is a shim that lacks
	# the tree's API (the configure-time trial, cmake/IoptTrial.cmake,
	# names it). No warning of 6.1, 6.12, 7.2 or 7.3 is silenced.
	-Werror=implicit-function-declaration -Werror=implicit-int
	-Werror=int-conversion -Werror=incompatible-pointer-types
	-Werror=return-type)
if(IOPT_LIBFUZZER)
	list(APPEND IOPT_KERNEL_CFLAGS -fsanitize=fuzzer-no-link)
endif()
# (also when OSS-Fuzz's CFLAGS bring UBSan's shift check)
if("${IOPT_SANITIZE} ${CMAKE_C_FLAGS}" MATCHES "undefined|shift")
	list(APPEND IOPT_KERNEL_CFLAGS -fno-sanitize=shift-base)
	# Undefined behaviour in the kernel code traps (SIGILL) instead of
	# aborting the harness: targets/common/driver.c turns the trap into a
	# detection that the executor reports with the op trace, and that a
	# known upstream bug can match (docs/design.md).
	list(APPEND IOPT_KERNEL_CFLAGS -fsanitize-trap=undefined)
endif()

function(iopt_add_port name)
	cmake_parse_arguments(P "" "SYMBOL;RENAME"
		"SOURCES;KERNEL_SOURCES;DEFINES;INCLUDES" ${ARGN})
	add_library(${name}_objs OBJECT ${P_SOURCES}
		${CMAKE_SOURCE_DIR}/targets/common/driver.c ${P_KERNEL_SOURCES})
	target_include_directories(${name}_objs BEFORE PRIVATE
		${P_INCLUDES}
		${CMAKE_SOURCE_DIR}/targets/common/include
		${CMAKE_SOURCE_DIR}/oracle
		${CMAKE_SOURCE_DIR}/targets/common/shim
		${IOPT_GENERATED}
		${IOPT_KTREE}/include)
	target_compile_definitions(${name}_objs PRIVATE
		IOPT_PAGE_SHIFT=${IOPT_PAGE_SHIFT} ${P_DEFINES})
	# (a property of the source file, shared by the ports that compile
	# it: set, not appended, or every port would add the flags again)
	foreach(src IN LISTS P_KERNEL_SOURCES)
		set_property(SOURCE ${src} TARGET_DIRECTORY ${name}_objs
			PROPERTY COMPILE_OPTIONS ${IOPT_KERNEL_CFLAGS})
	endforeach()

	# RENAME: the descriptor's global name in this object (a second tree's
	# ports, whose runtime.c defines the same descriptor names).
	set(rename "")
	if(P_RENAME)
		set(rename --redefine-sym ${P_SYMBOL}=${P_RENAME})
	endif()
	set(obj ${CMAKE_BINARY_DIR}/${name}.o)
	add_custom_command(OUTPUT ${obj}
		COMMAND ${CMAKE_LINKER} -r -o ${obj}.r $<TARGET_OBJECTS:${name}_objs>
		COMMAND ${CMAKE_OBJCOPY} --keep-global-symbol=${P_SYMBOL} ${rename}
			${obj}.r ${obj}
		DEPENDS ${name}_objs $<TARGET_OBJECTS:${name}_objs>
		COMMAND_EXPAND_LISTS VERBATIM
		COMMENT "Linking port ${name} (only ${P_SYMBOL} stays global)")
	set_source_files_properties(${obj} PROPERTIES
		EXTERNAL_OBJECT TRUE GENERATED TRUE)
	add_library(${name} STATIC ${obj})
	set_target_properties(${name} PROPERTIES LINKER_LANGUAGE C)
endfunction()
