/* output.h: formats events as table rows or JSON lines into a large buffer, written out in batches.
 * Formatting is by hand, not printf: at millions of events a second the formatter is the hot path. */
#ifndef TUX_OUTPUT_H
#define TUX_OUTPUT_H

#include <stddef.h>

#include "tuxscope_events.h"

#define OUT_BUF_SIZE (256 * 1024)
#define OUT_LINE_MAX 512 /* no single record formats to more than this */

enum out_format { OUT_TABLE, OUT_JSON };

struct out {
	int fd;
	int err;         /* first write error (-errno), after which nothing more is written */
	size_t len;
	char buf[OUT_BUF_SIZE];
};

void out_init(struct out *o, int fd);
int out_flush(struct out *o); /* 0 or -errno (-EPIPE: the reader went away) */
void out_fileio_header(struct out *o, enum out_format fmt);
void out_fileio_event(struct out *o, enum out_format fmt, const struct fileio_event *e);

/* Building blocks, exposed for the tests: each appends at p and returns the new end. */
char *fmt_u64(char *p, unsigned long long v);
char *fmt_json_string(char *p, const char *s, size_t max);

#endif
