# SPDX-License-Identifier: GPL-2.0-only
# The oracle library's sources (included by the top-level CMakeLists.txt).
set(IOPT_ORACLE_SOURCES
	${CMAKE_SOURCE_DIR}/oracle/contract.c
	${CMAKE_SOURCE_DIR}/oracle/contract_build.c
	${CMAKE_SOURCE_DIR}/oracle/decode.c
	${CMAKE_SOURCE_DIR}/oracle/image.c
	${CMAKE_SOURCE_DIR}/oracle/model.c
	${CMAKE_SOURCE_DIR}/oracle/model_geom.c
	${CMAKE_SOURCE_DIR}/oracle/model_cfg.c
	${CMAKE_SOURCE_DIR}/oracle/model_check.c
	${CMAKE_SOURCE_DIR}/oracle/model_walk.c
	${CMAKE_SOURCE_DIR}/oracle/publish_order.c)
