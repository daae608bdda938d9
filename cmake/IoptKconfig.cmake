# SPDX-License-Identifier: GPL-2.0-only
#
# iopt_kconfig_notices(WHOSE): one notice per Kconfig symbol the tree's
# compiled files test beyond the ones iopt-fuzz sets by itself
# (IOPT_TREE_KCONFIG, from cmake/probe-tree.sh): a patch that adds an
# option is built with it on or off, and the review report says which
# (scripts/review.sh collects the notices). iopt_kconfig_check(), once
# every tree is probed: each symbol IOPT_KCONFIG names is one a tree
# tests.

function(iopt_kconfig_notices whose)
	foreach(kv IN LISTS IOPT_TREE_KCONFIG)
		string(REGEX MATCH "^([A-Z0-9_]+)=([yn]) (.*)$" m "${kv}")
		set_property(GLOBAL APPEND PROPERTY IOPT_KCONFIG_TESTED ${CMAKE_MATCH_1})
		if(CMAKE_MATCH_2 STREQUAL "y")
			set(state "on")
		else()
			set(state "off")
		endif()
		message(NOTICE "iopt: notice: ${whose}files test CONFIG_${CMAKE_MATCH_1}, which iopt-fuzz does not set by itself: built ${state}, =${CMAKE_MATCH_2} ${CMAKE_MATCH_3}; -DIOPT_KCONFIG=${CMAKE_MATCH_1}=y or =n chooses")
	endforeach()
endfunction()

function(iopt_kconfig_check)
	if(IOPT_KCONFIG_UNCHECKED)
		return()
	endif()
	get_property(tested GLOBAL PROPERTY IOPT_KCONFIG_TESTED)
	string(REPLACE "," ";" wanted "${IOPT_KCONFIG}")
	foreach(kv IN LISTS wanted)
		string(REGEX REPLACE "=.*" "" sym "${kv}")
		if(NOT sym IN_LIST tested)
			message(NOTICE "iopt: IOPT_KCONFIG: no compiled file of the tree tests CONFIG_${sym}")
			message(FATAL_ERROR "iopt: IOPT_KCONFIG names a symbol no file tests")
		endif()
	endforeach()
endfunction()
