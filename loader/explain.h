/* explain.h: the --explain narrative: each step of a load, numbered, on stderr, naming the system call,
 * its key arguments and its result, so a learner can follow the whole load next to the README. */
#ifndef TUX_EXPLAIN_H
#define TUX_EXPLAIN_H

#include <stdint.h>

extern int explain_on; /* set by --explain; explain() does nothing otherwise */

/* One numbered step: "  7. BPF_MAP_CREATE type=RINGBUF max_entries=262144 -> fd 4". */
void explain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An indented, unnumbered line that belongs to the step before it (a list, a detail). */
void explain_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Milliseconds since start_ns (from explain_clock_ns) as text, "0.123", for "(%s ms)" at the end of a
 * step; valid until the thread's next call. */
const char *explain_ms(uint64_t start_ns);

/* A system call's result as the narrative states it: "fd 4" (or "0") for r >= 0, else the error's name
 * and text, "EPERM (Operation not permitted)". Valid until the thread's next call. */
const char *explain_fd(int r);
const char *explain_rc(int r);

/* CLOCK_MONOTONIC in nanoseconds, for the steps that say how long the kernel took. */
uint64_t explain_clock_ns(void);

#endif
