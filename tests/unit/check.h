/* check.h: the unit tests' tiny harness: named groups of checks, each printing "ok - NAME" or
 * "not ok - NAME: detail" (the first failed CHECK's file:line, condition and message) on stdout. */
#ifndef TUX_CHECK_H
#define TUX_CHECK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct check_state {
	const char *group;   /* the open group, or NULL */
	int group_failures;  /* failed CHECKs in the open group */
	int failed_groups;   /* over the whole run: main exits 1 if nonzero */
	char detail[600];    /* the open group's first failure */
};
extern struct check_state check_state; /* defined in main.c */

static inline void check_begin(const char *group)
{
	check_state.group = group;
	check_state.group_failures = 0;
	check_state.detail[0] = 0;
}

__attribute__((format(printf, 4, 5)))
static inline void check_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	if (check_state.group_failures++ == 0) {
		char msg[400];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		snprintf(check_state.detail, sizeof(check_state.detail), "%s:%d: %s%s%s", file, line, cond,
			 msg[0] ? ": " : "", msg);
	}
}

/* Prints the group's one line; returns 1 if it passed. */
static inline int check_end(void)
{
	if (!check_state.group)
		return 1;
	if (check_state.group_failures == 0) {
		printf("ok - %s\n", check_state.group);
	} else {
		for (char *c = check_state.detail; *c; c++) /* one line, whatever the detail holds */
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		check_state.failed_groups++;
		if (check_state.group_failures > 1)
			printf("not ok - %s: %s (and %d more failed checks)\n", check_state.group,
			       check_state.detail, check_state.group_failures - 1);
		else
			printf("not ok - %s: %s\n", check_state.group, check_state.detail);
	}
	check_state.group = NULL;
	return check_state.group_failures == 0;
}

/* Evaluates to cond (1 or 0), recording a failure with the detail fmt, ... when it is false. */
#define CHECK(cond, fmt, ...)                                                                  \
	((cond) ? 1 : (check_fail(__FILE__, __LINE__, #cond, fmt, ##__VA_ARGS__), 0))

/* A printable rendering of n bytes (C escapes), for details; returns out. */
static inline const char *check_escape(char *out, size_t outlen, const void *bytes, size_t n)
{
	const unsigned char *b = bytes;
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < outlen; i++) {
		if (b[i] == '\n' || b[i] == '\\') {
			out[o++] = '\\';
			out[o++] = b[i] == '\n' ? 'n' : '\\';
		} else if (b[i] < 0x20 || b[i] >= 0x7f) {
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", b[i]);
		} else {
			out[o++] = (char)b[i];
		}
	}
	if (outlen)
		out[o < outlen ? o : outlen - 1] = 0;
	return out;
}

/* Each test file's entry point, called by main.c. */
void test_elf(const char *obj_path);
void test_output(void);
void test_cli(void);
void test_ringbuf(void);
void test_btf(void);

#endif
