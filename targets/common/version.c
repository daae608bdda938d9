// SPDX-License-Identifier: GPL-2.0-only
/* --version for every binary: the kernel tree and the files compiled. */
#include <stdio.h>
#include <string.h>

#include <iopt_contract_config.h>
#include <iopt_tree_config.h>
#include <iopt/version.h>

static const struct {
	const char *path;
	const char *sha256;
} tree_files[] = { IOPT_TREE_FILES };

void iopt_print_version(FILE *f)
{
	fprintf(f, "iopt-fuzz %s\n", IOPT_VERSION);
	fprintf(f, "kernel tree: %s (%s)\n", IOPT_TREE_VERSION,
		IOPT_TREE_SOURCE);
	fprintf(f, "contract: %s (chosen by %s)\n", IOPT_CONTRACT_NAME,
		IOPT_CONTRACT_CHOSEN_BY);
	for (size_t i = 0; i < sizeof(tree_files) / sizeof(tree_files[0]); i++)
		fprintf(f, "  sha256 %s  %s\n", tree_files[i].sha256,
			tree_files[i].path);
}

const char *iopt_tree_version(void)
{
	return IOPT_TREE_VERSION;
}

bool iopt_version_arg(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--version")) {
			iopt_print_version(stdout);
			return true;
		}
	}
	return false;
}
