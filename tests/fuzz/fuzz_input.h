/* fuzz_input.h: what both fuzz targets check about a reader's results: every pointer it returns lies inside
 * the input and every byte there can be read (ASan checks each read); a broken check is a crash too. */
#ifndef TUX_FUZZ_INPUT_H
#define TUX_FUZZ_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t *in_lo, *in_hi; /* the input, set by the target before calling the reader */
static volatile uint8_t sink;         /* reads through it cannot be optimised away */

/* libFuzzer saves the input that made abort() run, as for any crash. */
#define FUZZ_ASSERT(cond, ...)                                                           \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond);       \
			fprintf(stderr, __VA_ARGS__);                                    \
			fputc('\n', stderr);                                             \
			abort();                                                         \
		}                                                                        \
	} while (0)

/* An exact-size copy of the input, which the checks below take as the input: a read one byte past it is a
 * heap overflow ASan reports. NULL if out of memory; the caller frees it. */
static inline uint8_t *fuzz_input_copy(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);

	if (buf) {
		memcpy(buf, data, size);
		in_lo = buf;
		in_hi = buf + size;
	}
	return buf;
}

/* n bytes at p lie inside the input; read each of them. */
static inline void touch(const void *p, size_t n, const char *what)
{
	const uint8_t *b = p;

	FUZZ_ASSERT(b >= in_lo && b <= in_hi && n <= (size_t)(in_hi - b), "%s: %zu bytes at %p outside the "
		    "input [%p, %p)", what, n, p, (const void *)in_lo, (const void *)in_hi);
	for (size_t i = 0; i < n; i++)
		sink ^= b[i];
}

/* A string inside the input, NUL-terminated inside it (strlen would run off the end otherwise). */
static inline void touch_string(const char *s, const char *what)
{
	const uint8_t *b = (const uint8_t *)s;

	FUZZ_ASSERT(b >= in_lo && b < in_hi, "%s: string at %p outside the input", what, (const void *)s);
	FUZZ_ASSERT(memchr(b, 0, (size_t)(in_hi - b)), "%s: string not terminated inside the input", what);
	touch(s, strlen(s) + 1, what);
}

#endif
