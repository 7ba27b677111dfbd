/* output.h: formats events as table rows or JSON lines into a large buffer, written out in batches.
 * Formatting is by hand, not printf: at millions of events a second the formatter is the hot path. */
#ifndef TUX_OUTPUT_H
#define TUX_OUTPUT_H

#include <signal.h>
#include <stddef.h>

#include "tuxscope_events.h"

#define OUT_BUF_SIZE (256 * 1024)
#define OUT_LINE_MAX 1536 /* no single record formats to more than this (a 127-byte name escaped: 762) */

enum out_format { OUT_TABLE, OUT_JSON };

/* Optional columns of fileio, after the DESIGN.md ones (JSON: keys after timestamp_ns). */
enum out_columns {
	OUT_COL_ACTUAL = 1, /* ACTUAL / "actual", "error" */
	OUT_COL_FILE = 2,   /* FILE / "file" */
};

struct out {
	int fd;
	unsigned cols;   /* enum out_columns */
	int err;         /* first write error (-errno), after which nothing more is written */
	/* If set and non-zero when a write is interrupted by a signal, out_flush gives up with -EINTR:
	 * a reader that stopped reading must not keep a stopped tracer from exiting. */
	const volatile sig_atomic_t *stop;
	size_t len;
	char buf[OUT_BUF_SIZE];
};

void out_init(struct out *o, int fd, unsigned cols);
int out_flush(struct out *o); /* 0 or -errno (-EPIPE: the reader went away) */
void out_fileio_header(struct out *o, enum out_format fmt);
/* name: the record's file name (TUX_EV_FILE), or NULL. */
void out_fileio_event(struct out *o, enum out_format fmt, const struct fileio_event *e, const char *name);
/* Room for one more line of at most OUT_LINE_MAX bytes, flushing first if needed; commit with
 * out_commit(o, end). */
char *out_reserve(struct out *o);
void out_commit(struct out *o, const char *end);

/* Building blocks, exposed for the tests: each appends at p and returns the new end. */
char *fmt_u64(char *p, unsigned long long v);
char *fmt_json_string(char *p, const char *s, size_t max);
/* The file as users know it: its name, or pipe:[ino], socket:[ino], anon_inode:NAME; "..." marks a cut. */
char *fmt_file(char *p, const struct fileio_event *e, const char *name);
/* s, left-aligned in a column of width w, then one space. */
char *fmt_pad(char *p, const char *s, size_t n, size_t w);

#endif
