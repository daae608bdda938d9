/* SPDX-License-Identifier: GPL-2.0-only */
/* Forwarding header: everything the kernel files need is in iopt_shim.h. */
#include <iopt_shim.h>
