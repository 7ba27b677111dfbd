/* cli.c: option parsing by hand: --name VALUE, --name=VALUE and the short forms, nothing global.
 * Every value is checked completely; "12abc", "-1" and "" are errors, not 12, a huge number or 0. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int usage_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		unsigned d = (unsigned)(*s - '0');
		if (d > max || v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_seconds_ms(const char *s, long long *ms)
{
	char whole[24];
	const char *dot = s ? strchr(s, '.') : NULL;
	size_t n = dot ? (size_t)(dot - s) : (s ? strlen(s) : 0);
	unsigned long long sec, frac = 0;

	if (!s || n == 0 || n >= sizeof(whole))
		return -EINVAL;
	memcpy(whole, s, n);
	whole[n] = 0;
	if (parse_u64(whole, 1000000000ull, &sec))
		return -EINVAL;
	if (dot) {
		size_t fl = strlen(dot + 1);
		if (fl == 0 || fl > 3 || parse_u64(dot + 1, 999, &frac))
			return -EINVAL;
		for (; fl < 3; fl++)
			frac *= 10;
	}
	*ms = (long long)(sec * 1000 + frac);
	return 0;
}

/* If argv[*i] is option `name` (long) or `shortname`, sets *val to its value (from "=..." or the
 * next argument) and returns 1; 0 if it is another option; -EINVAL if the value is missing. */
static int take(int argc, char **argv, int *i, const char *name, const char *shortname,
		const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) == 0 && a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (strcmp(a, name) != 0 && !(shortname && strcmp(a, shortname) == 0))
		return 0;
	if (*i + 1 >= argc)
		return -EINVAL;
	*val = argv[++*i];
	return 1;
}

/* --pid, --comm, --format, --attach and --explain are the same for every command. 1 if argv[*i] was
 * one of them, 0 if not, or -EINVAL after filling err. */
static int common_option(int argc, char **argv, int *i, uint32_t *pids, size_t *npids, char *comm,
			 enum out_format *format, const char **attach, int *explain, char *err,
			 size_t errlen)
{
	const char *v = NULL;
	unsigned long long num;
	int t;

	if (strcmp(argv[*i], "--explain") == 0) {
		*explain = 1;
	} else if ((t = take(argc, argv, i, "--pid", "-p", &v))) {
		if (t < 0)
			return usage_error(err, errlen, "--pid needs a process id");
		/* PID_MAX_LIMIT is 4194304 (2^22) on 64-bit kernels */
		if (parse_u64(v, 4194304, &num) || num == 0)
			return usage_error(err, errlen, "--pid: '%s' is not a process id", v);
		if (*npids == CLI_MAX_PIDS)
			return usage_error(err, errlen, "--pid: at most %d pids", CLI_MAX_PIDS);
		pids[(*npids)++] = (uint32_t)num;
	} else if ((t = take(argc, argv, i, "--comm", "-c", &v))) {
		if (t < 0)
			return usage_error(err, errlen, "--comm needs a task name");
		if (!*v || strlen(v) >= TUX_COMM_LEN)
			return usage_error(err, errlen, "--comm: '%s' must be 1 to %d characters "
					   "(the kernel keeps %d of a task's name)", v, TUX_COMM_LEN - 1,
					   TUX_COMM_LEN - 1);
		memcpy(comm, v, strlen(v) + 1);
	} else if ((t = take(argc, argv, i, "--format", "-f", &v))) {
		if (t < 0)
			return usage_error(err, errlen, "--format needs table or json");
		if (strcmp(v, "table") == 0)
			*format = OUT_TABLE;
		else if (strcmp(v, "json") == 0)
			*format = OUT_JSON;
		else
			return usage_error(err, errlen, "--format: '%s' is not table or json", v);
	} else if ((t = take(argc, argv, i, "--attach", "-a", &v))) {
		static const char *const modes[] = { "auto", "kprobe", "fentry", "kprobe-legacy",
						     "tracepoint" };
		if (t < 0)
			return usage_error(err, errlen, "--attach needs a mechanism (auto, kprobe, "
					   "fentry, kprobe-legacy, tracepoint)");
		*attach = NULL;
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
			if (strcmp(v, modes[m]) == 0)
				*attach = modes[m];
		if (!*attach)
			return usage_error(err, errlen, "--attach: '%s' is not auto, kprobe, fentry, "
					   "kprobe-legacy or tracepoint", v);
	} else {
		return 0;
	}
	return 1;
}

int top_parse_args(int argc, char **argv, struct top_opts *o, char *err, size_t errlen)
{
	int npositional = 0;

	memset(o, 0, sizeof(*o));
	o->format = OUT_TABLE;
	o->attach = "auto";
	o->rows = 20;
	o->interval_ms = 1000;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		unsigned long long num;
		int t = common_option(argc, argv, &i, o->pids, &o->npids, o->comm, &o->format, &o->attach,
				      &o->explain, err, errlen);

		if (t < 0)
			return t;
		if (t > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			o->help = 1;
		} else if (strcmp(a, "-C") == 0 || strcmp(a, "--noclear") == 0) {
			o->noclear = 1;
		} else if (strcmp(a, "--by-file") == 0) {
			o->by_file = 1;
		} else if ((t = take(argc, argv, &i, "--sort", "-s", &v))) {
			static const char *const keys[] = { "all", "reads", "writes", "rbytes", "wbytes" };
			size_t k = 0;
			while (t > 0 && k < sizeof(keys) / sizeof(keys[0]) && strcmp(v, keys[k]) != 0)
				k++;
			if (t < 0 || k == sizeof(keys) / sizeof(keys[0]))
				return usage_error(err, errlen, "--sort needs all, reads, writes, rbytes or "
						   "wbytes");
			o->sort = (enum top_sort)k;
		} else if ((t = take(argc, argv, &i, "--rows", "-r", &v))) {
			if (t < 0 || parse_u64(v, 100000, &num) || num == 0)
				return usage_error(err, errlen, "--rows needs a positive number");
			o->rows = (unsigned)num;
		} else if (a[0] == '-' && a[1]) {
			return usage_error(err, errlen, "unknown option '%s' (see tuxscope top --help)", a);
		} else if (npositional == 0) {
			if (parse_seconds_ms(a, &o->interval_ms) || o->interval_ms < 10)
				return usage_error(err, errlen, "interval: '%s' is not a number of seconds "
						   "of at least 0.01", a);
			npositional++;
		} else if (npositional == 1) {
			if (parse_u64(a, ~0ull, &num) || num == 0)
				return usage_error(err, errlen, "count: '%s' is not a positive number", a);
			o->count = num;
			npositional++;
		} else {
			return usage_error(err, errlen, "unexpected argument '%s' (see tuxscope top --help)", a);
		}
	}
	return 0;
}

int fileio_parse_args(int argc, char **argv, struct fileio_opts *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	o->format = OUT_TABLE;
	o->duration_ms = -1;
	o->read_func = "vfs_read";
	o->write_func = "vfs_write";
	o->attach = "auto";

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		unsigned long long num;
		int t;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			o->help = 1;
		} else if (strcmp(a, "-F") == 0 || strcmp(a, "--filename") == 0) {
			o->filename = 1;
		} else if (strcmp(a, "-A") == 0 || strcmp(a, "--actual") == 0) {
			o->actual = 1;
		} else if ((t = common_option(argc, argv, &i, o->pids, &o->npids, o->comm, &o->format,
					      &o->attach, &o->explain, err, errlen))) {
			if (t < 0)
				return t;
		} else if ((t = take(argc, argv, &i, "--count", "-n", &v))) {
			if (t < 0)
				return usage_error(err, errlen, "--count needs a number");
			if (parse_u64(v, ~0ull, &num) || num == 0)
				return usage_error(err, errlen, "--count: '%s' is not a positive number", v);
			o->count = num;
		} else if ((t = take(argc, argv, &i, "--duration", "-d", &v))) {
			if (t < 0)
				return usage_error(err, errlen, "--duration needs seconds");
			if (parse_seconds_ms(v, &o->duration_ms))
				return usage_error(err, errlen, "--duration: '%s' is not a number of seconds "
						   "(e.g. 10 or 0.5)", v);
		} else if ((t = take(argc, argv, &i, "--functions", NULL, &v))) {
			char *comma;
			if (t < 0 || strlen(v) >= sizeof(o->funcs) ||
			    !(comma = strchr(strcpy(o->funcs, v), ',')) || comma == o->funcs || !comma[1] ||
			    strchr(comma + 1, ','))
				return usage_error(err, errlen, "--functions needs READ_FUNC,WRITE_FUNC");
			*comma = 0;
			o->read_func = o->funcs;
			o->write_func = comma + 1;
		} else if (a[0] == '-') {
			return usage_error(err, errlen, "unknown option '%s' (see tuxscope fileio --help)", a);
		} else {
			return usage_error(err, errlen, "unexpected argument '%s' (see tuxscope fileio --help)", a);
		}
	}
	if (strcmp(o->attach, "tracepoint") == 0 && o->funcs[0])
		return usage_error(err, errlen, "--functions does not apply to --attach tracepoint "
				   "(it traces system calls, not kernel functions)");
	return 0;
}
