/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the hyp port: the env of the EL2 build, shared by runtime.c (the
 * EL2 primitives) and stock_glue.c (the kernel APIs of a tree without the
 * pKVM series' EL2 glue). Every symbol but the port descriptor is made
 * local to the port's object (cmake/IoptPort.cmake).
 */
#ifndef IOPT_HYP_PORT_HYP_H
#define IOPT_HYP_PORT_HYP_H

#include <iopt/env.h>

extern struct iopt_env iopt_hyp_env;

#endif /* IOPT_HYP_PORT_HYP_H */
