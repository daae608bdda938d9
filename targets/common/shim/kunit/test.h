/* SPDX-License-Identifier: GPL-2.0-only */
#include <iopt_kunit.h>
