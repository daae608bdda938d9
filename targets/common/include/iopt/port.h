/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct iopt_port - one build of the kernel's io-pgtable code.
 *
 * Each port is linked into a single relocatable object (the kernel files,
 * compiled unmodified, plus the port's runtime.c) in which every symbol but
 * its descriptor is made local (objcopy --keep-global-symbol). Two ports of
 * the same tree therefore live side by side in one binary, each with its
 * own statics, its own copy of the kernel code and its own env.
 */
#ifndef IOPT_PORT_H
#define IOPT_PORT_H

#include <stdbool.h>

struct iopt_env;
struct io_pgtable_cfg;
struct io_pgtable_ops;

struct iopt_port {
	const char *name;
	struct iopt_env *env;
	/* Set up the env on first use; 0 on success. */
	int (*init)(void);
	/* alloc_io_pgtable_ops() / free_io_pgtable_ops() of this build. */
	struct io_pgtable_ops *(*alloc_ops)(int fmt, struct io_pgtable_cfg *cfg,
					    void *cookie);
	void (*free_ops)(struct io_pgtable_ops *ops);
	/* The tree's own selftests; NULL when this build has none. */
	int (*selftest)(void);
	/*
	 * The formats this build can create: bit n is the tree's
	 * enum io_pgtable_fmt value n, as passed to alloc_ops. A format
	 * outside the mask is not built by this port at all, so there is
	 * nothing of it to compare: the hyp port of a tree with the pKVM
	 * series' own EL2 glue builds ARM_64_LPAE_S2 only, as its
	 * kvm_alloc_io_pgtable_ops() does (docs/design.md).
	 */
	unsigned int fmt_mask;
	/*
	 * alloc_ops must only be given a configuration the format accepts:
	 * the series' kvm_alloc_io_pgtable_ops() does not check that
	 * arm_64_lpae_alloc_pgtable_s2() succeeded and writes through NULL
	 * when it fails (docs/design.md, "Split trees"). The executor does
	 * not give such a port a configuration the model says is rejected.
	 */
	bool cfg_unchecked;
};

/* fmt_mask of a port that builds every format of its tree. */
#define IOPT_PORT_ALL_FMTS	(~0u)

extern const struct iopt_port iopt_kernel_port;
extern const struct iopt_port iopt_hyp_port;

#endif /* IOPT_PORT_H */
