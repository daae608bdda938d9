/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * linux/device/faux.h: the faux bus device that the selftests register in
 * the io-pgtable-arm.c of 6.16-6.18 and in the pKVM series'
 * io-pgtable-arm-kernel.c. io-pgtable only asks &fdev->dev for its NUMA
 * node, so one static device does; nothing is allocated, nothing leaks.
 */
#ifndef IOPT_SHIM_LINUX_DEVICE_FAUX_H
#define IOPT_SHIM_LINUX_DEVICE_FAUX_H

#include <iopt_shim.h>

struct faux_device {
	struct device dev;
};

struct faux_device_ops;

static inline struct faux_device *
faux_device_create(const char *name, struct device *parent,
		   const struct faux_device_ops *faux_ops)
{
	static struct faux_device fdev;

	fdev.dev.numa_node = NUMA_NO_NODE;
	return &fdev;
}

static inline void faux_device_destroy(struct faux_device *fdev)
{
}

#endif /* IOPT_SHIM_LINUX_DEVICE_FAUX_H */
