/* explain.h: the --explain narrative: each step of a load, numbered, on stderr, naming the system call,
 * its key arguments and its result, so a learner can follow the whole load next to the README. */
#ifndef TUX_EXPLAIN_H
#define TUX_EXPLAIN_H

#include <stdint.h>

extern int explain_on; /* set by --explain; explain() does nothing otherwise */

/* One numbered step: "  7. BPF_MAP_CREATE type=RINGBUF max_entries=262144 -> fd 4". */
void explain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* CLOCK_MONOTONIC in nanoseconds, for the steps that say how long the kernel took. */
uint64_t explain_clock_ns(void);

#endif
