/* explain.c: numbers and prints the --explain steps; one place, so every file narrates the same way.
 * Unbuffered stderr keeps the steps in order with the error line a failed step is followed by. */
#include "explain.h"

#include "errnames.h"

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
	flockfile(stderr); /* probes detach from threads of their own: one step, one line */
	if (step == 0)
		fputs("tuxscope: --explain: each step of the load, as it happens\n", stderr);
	fprintf(stderr, "%3u. ", ++step);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void explain_detail(const char *fmt, ...)
{
	va_list ap;

	if (!explain_on)
		return;
	fputs("       ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *explain_ms(uint64_t start_ns)
{
	static _Thread_local char buf[32];
	uint64_t us = (explain_clock_ns() - start_ns) / 1000;

	snprintf(buf, sizeof(buf), "%llu.%03llu", (unsigned long long)(us / 1000),
		 (unsigned long long)(us % 1000));
	return buf;
}

static const char *result(int r, const char *ok_fmt)
{
	static _Thread_local char buf[96]; /* probes attach and detach from threads of their own */

	if (r >= 0)
		snprintf(buf, sizeof(buf), ok_fmt, r);
	else
		snprintf(buf, sizeof(buf), "%s (%s)", errno_name(-r), tux_strerror(-r));
	return buf;
}

const char *explain_fd(int r)
{
	return result(r, "fd %d");
}

const char *explain_rc(int r)
{
	return result(r, "%d");
}

uint64_t explain_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
