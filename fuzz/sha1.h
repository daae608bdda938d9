/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-1 (FIPS 180-4), for naming inputs as libFuzzer does: a corpus file
 * or a report input is named by the SHA-1 of its content, so a name that
 * does not match the content marks a file cut short.
 */
#ifndef IOPT_FUZZ_SHA1_H
#define IOPT_FUZZ_SHA1_H

#include <stddef.h>

#define IOPT_SHA1_HEX	41	/* 40 hex digits and a NUL */

void iopt_sha1_hex(const void *data, size_t n, char hex[IOPT_SHA1_HEX]);

#endif /* IOPT_FUZZ_SHA1_H */
