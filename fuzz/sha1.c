// SPDX-License-Identifier: GPL-2.0-only
/* SHA-1 of a buffer, as 40 lower-case hex digits (sha1.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sha1.h"

static uint32_t rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (int i = 0; i < 80; i++) {
		uint32_t f, k, t;

		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void iopt_sha1_hex(const void *data, size_t n, char hex[IOPT_SHA1_HEX])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
			  0xc3d2e1f0 };
	const uint8_t *p = data;
	uint8_t tail[128] = { 0 };
	uint64_t bits = (uint64_t)n * 8;
	size_t rest = n % 64, len;

	for (size_t i = 0; i + 64 <= n; i += 64)
		sha1_block(h, p + i);
	/* The last bytes, a 1 bit, zeros, the length in bits: 1 or 2 blocks. */
	if (rest)
		memcpy(tail, p + n - rest, rest);
	tail[rest] = 0x80;
	len = rest < 56 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[len - 1 - i] = bits >> (8 * i);
	for (size_t i = 0; i < len; i += 64)
		sha1_block(h, tail + i);
	for (int i = 0; i < 5; i++)
		snprintf(hex + 8 * i, 9, "%08x", h[i]);
}
