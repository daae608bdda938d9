# SPDX-License-Identifier: GPL-2.0-only
#
# iopt_trial_port(NAME WHAT SOURCES ... KERNEL_SOURCES ... [DEFINES ...]
#                 [INCLUDES ...])
#
# At configure time, compile a port's files as iopt_add_port() will
# (cmake/IoptPort.cmake) and link them with the common runtime into a
# trial executable, so that a tree needing an API the shim lacks fails
# here, with one line naming the missing symbols and the tree files that
# use them, and not at build time after configure said the tree was fine:
#
#   iopt: 7.3.4: the shim lacks iommu_pages_start_incoherent, iommu_pages_free_incoherent (used by drivers/iommu/io-pgtable-arm.c)
#
# WHAT names what lacks them ("the shim", "the EL2 glue"). A symbol that
# is not declared fails the compile (-Werror=implicit-function-declaration);
# one declared but defined nowhere fails the link. Both give that line.
# The trial lives in <build>/trial/NAME and is skipped when nothing it
# depends on changed since the last one that passed.

set(IOPT_TRIAL_DIR ${CMAKE_BINARY_DIR}/trial)

# The common runtime the ports link with (the iopt_common library).
set(IOPT_TRIAL_COMMON env.c physmem.c poc.c slab.c dma.c log.c guard.c
	version.c kunit.c)

# _iopt_trial_fail(LINE): the one line, then stop configuring.
macro(_iopt_trial_fail line)
	message(NOTICE "${line}")
	message(FATAL_ERROR "iopt: the shim does not build this tree (IOPT_KERNEL_SRC)")
endmacro()

# _iopt_trial_lacks(OUT OUTPUT): the symbols the compiler or the linker
# says are missing, in the order first met.
function(_iopt_trial_lacks out text)
	set(syms "")
	string(REGEX MATCHALL
		"(implicit declaration of function|call to undeclared function|use of undeclared identifier|undefined reference to) ['`][A-Za-z_0-9]+'"
		hits "${text}")
	foreach(h IN LISTS hits)
		string(REGEX REPLACE ".*['`]([A-Za-z_0-9]+)'$" "\\1" s "${h}")
		list(APPEND syms ${s})
	endforeach()
	list(REMOVE_DUPLICATES syms)
	set(${out} "${syms}" PARENT_SCOPE)
endfunction()

# _iopt_trial_name(OUT FILE): a tree file by its path in the tree, ours by
# its path in this repository.
function(_iopt_trial_name out file)
	file(RELATIVE_PATH rel ${IOPT_KTREE} ${file})
	if(rel MATCHES "^\\.\\./")
		file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${file})
	endif()
	set(${out} ${rel} PARENT_SCOPE)
endfunction()

# _iopt_trial_compile(OBJ SRC FLAGS...): compile, or fail configuring.
function(_iopt_trial_compile obj src what)
	execute_process(
		COMMAND ${CMAKE_C_COMPILER} ${ARGN} -c ${src} -o ${obj}
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
	if(NOT rc)
		return()
	endif()
	_iopt_trial_name(name ${src})
	_iopt_trial_lacks(syms "${out}")
	if(syms)
		list(JOIN syms ", " syms)
		_iopt_trial_fail("iopt: ${IOPT_TREE_VERSION}: ${what} lacks ${syms} (used by ${name})")
	endif()
	string(REGEX MATCH "[^\n]*error[^\n]*" first "${out}")
	_iopt_trial_fail("iopt: ${IOPT_TREE_VERSION}: ${name} does not compile against ${what}: ${first}")
endfunction()

function(iopt_trial_port name what)
	cmake_parse_arguments(P "" "" "SOURCES;KERNEL_SOURCES;DEFINES;INCLUDES"
		${ARGN})
	set(dir ${IOPT_TRIAL_DIR}/${name})

	set(flags -std=gnu11 -Wall -Wextra -Wno-unused-parameter
		-Wno-sign-compare -DIOPT_PAGE_SHIFT=${IOPT_PAGE_SHIFT})
	foreach(d IN LISTS P_DEFINES)
		list(APPEND flags -D${d})
	endforeach()
	foreach(i IN LISTS P_INCLUDES ITEMS
		  ${CMAKE_SOURCE_DIR}/targets/common/include
		  ${CMAKE_SOURCE_DIR}/oracle
		  ${CMAKE_SOURCE_DIR}/targets/common/shim
		  ${IOPT_GENERATED} ${IOPT_KTREE}/include)
		list(APPEND flags -I${i})
	endforeach()
	set(kflags ${IOPT_KERNEL_CFLAGS})
	list(REMOVE_ITEM kflags -fsanitize=fuzzer-no-link
		-fno-sanitize=shift-base -fsanitize-trap=undefined)

	# Skip the trial when its inputs are those of the last one that passed.
	set(srcs "")
	set(ksrcs "")
	# (every port has the driver stand-in, as iopt_add_port() gives it)
	foreach(s IN LISTS P_SOURCES ITEMS targets/common/driver.c
		  LISTS P_KERNEL_SOURCES)
		get_filename_component(s ${s} ABSOLUTE BASE_DIR ${CMAKE_SOURCE_DIR})
		list(APPEND srcs ${s})
	endforeach()
	foreach(s IN LISTS P_KERNEL_SOURCES)
		get_filename_component(s ${s} ABSOLUTE BASE_DIR ${CMAKE_SOURCE_DIR})
		list(APPEND ksrcs ${s})
	endforeach()
	file(GLOB_RECURSE deps ${CMAKE_SOURCE_DIR}/targets/*.[ch]
		${CMAKE_SOURCE_DIR}/oracle/*.h
		${IOPT_KTREE}/*.[ch] ${IOPT_GENERATED}/*.h)
	set(stamp "${CMAKE_C_COMPILER} ${flags} ${kflags} ${srcs}")
	foreach(f IN LISTS deps)
		file(SHA256 ${f} h)
		string(APPEND stamp " ${h}")
	endforeach()
	string(SHA256 stamp "${stamp}")
	if(EXISTS ${dir}/passed)
		file(READ ${dir}/passed last)
		if(last STREQUAL stamp)
			return()
		endif()
	endif()
	file(REMOVE_RECURSE ${dir})
	file(MAKE_DIRECTORY ${dir})

	set(objs "")
	set(i 0)
	foreach(s IN LISTS srcs)
		get_filename_component(base ${s} NAME_WE)
		set(obj ${dir}/${i}-${base}.o)
		math(EXPR i "${i} + 1")
		if(s IN_LIST ksrcs)
			_iopt_trial_compile(${obj} ${s} "${what}" ${flags} ${kflags})
		else()
			_iopt_trial_compile(${obj} ${s} "${what}" ${flags})
		endif()
		list(APPEND objs ${obj})
	endforeach()
	# The common runtime: once per configure run, for every port.
	get_property(common_done GLOBAL PROPERTY IOPT_TRIAL_COMMON_DONE)
	foreach(c IN LISTS IOPT_TRIAL_COMMON)
		# (shared by every tree's trials: one directory)
		set(obj ${CMAKE_BINARY_DIR}/trial/common-${c}.o)
		if(NOT common_done)
			_iopt_trial_compile(${obj}
				${CMAKE_SOURCE_DIR}/targets/common/${c}
				"the common runtime" ${flags})
		endif()
		list(APPEND objs ${obj})
	endforeach()
	set_property(GLOBAL PROPERTY IOPT_TRIAL_COMMON_DONE TRUE)
	file(WRITE ${dir}/main.c "int main(void) { return 0; }\n")
	list(APPEND objs ${dir}/main.c)

	execute_process(
		COMMAND ${CMAKE_C_COMPILER} -o ${dir}/trial ${objs}
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
	if(rc)
		# Which files need each missing symbol: nm -u of each object.
		_iopt_trial_lacks(syms "${out}")
		if(NOT syms)
			string(REGEX MATCH "[^\n]*error[^\n]*" first "${out}")
			_iopt_trial_fail("iopt: ${IOPT_TREE_VERSION}: the ${name} port does not link: ${first}")
		endif()
		set(by "")
		list(LENGTH srcs n)
		math(EXPR n "${n} - 1")
		foreach(k RANGE ${n})
			list(GET srcs ${k} s)
			list(GET objs ${k} obj)
			execute_process(COMMAND ${CMAKE_NM} -u ${obj}
				OUTPUT_VARIABLE undef)
			set(mine "")
			foreach(sym IN LISTS syms)
				if(undef MATCHES "[ \n]${sym}\n")
					list(APPEND mine ${sym})
				endif()
			endforeach()
			if(mine)
				list(REMOVE_ITEM syms ${mine})
				list(JOIN mine ", " mine)
				_iopt_trial_name(fname ${s})
				list(APPEND by "${mine} (used by ${fname})")
			endif()
		endforeach()
		if(syms)
			list(JOIN syms ", " syms)
			list(APPEND by "${syms}")
		endif()
		list(JOIN by "; " by)
		_iopt_trial_fail("iopt: ${IOPT_TREE_VERSION}: ${what} lacks ${by}")
	endif()
	file(WRITE ${dir}/passed "${stamp}")
endfunction()

# Both ports of the tree being configured, from the variables the port
# lists set (cmake/IoptPort.cmake); a review build calls it again for the
# patched tree, with its own IOPT_TRIAL_DIR.
function(iopt_trial_ports)
	iopt_trial_port(kernel "the shim"
		SOURCES ${IOPT_KERNEL_PORT_SOURCES}
		KERNEL_SOURCES ${IOPT_KERNEL_FILES})
	iopt_trial_port(hyp "the EL2 glue"
		SOURCES ${IOPT_HYP_SOURCES}
		KERNEL_SOURCES ${IOPT_HYP_KERNEL_FILES}
		INCLUDES ${IOPT_HYP_INCLUDES}
		DEFINES ${IOPT_HYP_DEFINES})
endfunction()
