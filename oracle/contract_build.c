// SPDX-License-Identifier: GPL-2.0-only
/*
 * The contract of this build's oracle: chosen at configure time from the
 * tree's version, or by IOPT_CONTRACT (cmake/IoptContract.cmake), which
 * checked that the name exists. Kept apart from contract.c, whose table
 * does not depend on the tree.
 */
#include <iopt_contract_config.h>

#include "contract.h"

const struct iopt_contract *iopt_build_contract(void)
{
	return iopt_contract_by_name(IOPT_CONTRACT_NAME);
}
