/* explain.c: numbers and prints the --explain steps; one place, so every file narrates the same way.
 * Unbuffered stderr keeps the steps in order with the error line a failed step is followed by. */
#include "explain.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

int explain_on;

void explain(const char *fmt, ...)
{
	static unsigned step;
	va_list ap;

	if (!explain_on)
		return;
	if (step == 0)
		fputs("tuxscope: --explain: each step of the load, as it happens\n", stderr);
	fprintf(stderr, "%3u. ", ++step);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

uint64_t explain_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
