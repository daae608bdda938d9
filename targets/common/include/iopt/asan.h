/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IOPT_ASAN: this file is built under AddressSanitizer (clang's feature
 * test, else gcc's macro), and ASan's interface (__asan_* calls, the
 * poisoning macros, which do nothing without ASan) declared. For the
 * runtime and the decoder alike.
 */
#ifndef IOPT_ASAN_H
#define IOPT_ASAN_H

#include <sanitizer/asan_interface.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IOPT_ASAN 1
#endif
#elif defined(__SANITIZE_ADDRESS__)
#define IOPT_ASAN 1
#endif

#endif
