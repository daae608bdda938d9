/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The inverse of the input decoder (input.h): a decoded program back into
 * bytes of input format v3 (docs/input-format.md), such that decoding the
 * bytes gives the same program. Each header byte is the smallest value
 * that decodes to the program's setting, each op the bytes its fields
 * came from, so a program has one encoding.
 */
#ifndef IOPT_FUZZ_ENCODE_H
#define IOPT_FUZZ_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input.h"

/* 16 header bytes at most and at most 6 per op. */
#define IOPT_ENCODE_MAX	(IOPT_HDR_LEN + IOPT_HDR_EXT_LEN + 6 * IOPT_MAX_OPS)

/*
 * Encode prog into buf (IOPT_ENCODE_MAX bytes); returns the length, or
 * -1 when prog holds a setting no input decodes to (then it did not come
 * from iopt_decode()).
 */
long iopt_encode(const struct iopt_prog *prog, uint8_t *buf);

/* Field by field: what a program is, whatever the struct's padding. */
bool iopt_prog_equal(const struct iopt_prog *a, const struct iopt_prog *b);

#endif /* IOPT_FUZZ_ENCODE_H */
