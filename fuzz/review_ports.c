// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ports of a review build: base (this build's tree, iopt_tree_ports)
 * and patched (IOPT_PATCHED_SRC), each a kernel port and a hyp port.
 */
#include <iopt/port.h>

#include "review.h"

extern const struct iopt_port iopt_patched_kernel_port;
extern const struct iopt_port iopt_patched_hyp_port;

const struct iopt_port *const iopt_patched_ports[] = {
	&iopt_patched_kernel_port,
	&iopt_patched_hyp_port,
	NULL,
};
