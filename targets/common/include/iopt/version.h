/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef IOPT_VERSION_H
#define IOPT_VERSION_H

#include <stdbool.h>
#include <stdio.h>

#define IOPT_VERSION "0.1.0"

void iopt_print_version(FILE *f);
const char *iopt_tree_version(void);
/* true (after printing the version) if argv holds --version */
bool iopt_version_arg(int argc, char **argv);

#endif /* IOPT_VERSION_H */
