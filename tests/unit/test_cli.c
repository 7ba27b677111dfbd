/* test_cli.c: loader/cli.c: fileio_parse_args defaults, every option form, every rejected value,
 * --filename/--actual, --attach and its conflict with --functions, and the strict number parsers
 * parse_u64 and parse_seconds_ms at their edges. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"

static struct fileio_opts opts;
static char err[256];

/* fileio_parse_args on "fileio" followed by the NULL-terminated arguments. */
static int parse(const char *first, ...)
{
	char *argv[200];
	int argc = 0;
	va_list ap;

	argv[argc++] = "fileio";
	va_start(ap, first);
	for (const char *a = first; a && argc < 199; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	memset(err, 0, sizeof(err));
	memset(&opts, 0xa5, sizeof(opts)); /* the parser must set every field itself */
	return fileio_parse_args(argc, argv, &opts, err, sizeof(err));
}

#define OK(...)                                                                                \
	do {                                                                                   \
		int rc_ = parse(__VA_ARGS__, (const char *)NULL);                              \
		CHECK(rc_ == 0, "%s: rc %d, err '%s'", #__VA_ARGS__, rc_, err);                 \
	} while (0)

/* An error: -EINVAL and an err line starting with prefix. */
#define BAD(prefix, ...)                                                                       \
	do {                                                                                   \
		int rc_ = parse(__VA_ARGS__, (const char *)NULL);                              \
		CHECK(rc_ == -EINVAL && err[0] && strncmp(err, prefix, strlen(prefix)) == 0,   \
		      "%s: rc %d, err '%s' (want it to start with '%s')", #__VA_ARGS__, rc_, err, \
		      prefix);                                                                 \
	} while (0)

static void test_defaults(void)
{
	char *argv[] = { "fileio", NULL };

	check_begin("cli: defaults");
	memset(&opts, 0xa5, sizeof(opts));
	int rc = fileio_parse_args(1, argv, &opts, err, sizeof(err));
	CHECK(rc == 0, "rc %d", rc);
	CHECK(opts.format == OUT_TABLE, "format %d", (int)opts.format);
	CHECK(opts.npids == 0, "npids %zu", opts.npids);
	CHECK(opts.comm[0] == 0, "comm '%.16s'", opts.comm);
	CHECK(opts.count == 0, "count %llu", opts.count);
	CHECK(opts.duration_ms == -1, "duration %lld", opts.duration_ms);
	CHECK(opts.read_func && strcmp(opts.read_func, "vfs_read") == 0, "read_func");
	CHECK(opts.write_func && strcmp(opts.write_func, "vfs_write") == 0, "write_func");
	CHECK(opts.help == 0, "help %d", opts.help);
	CHECK(opts.attach && strcmp(opts.attach, "auto") == 0, "attach '%s'", opts.attach ? opts.attach : "(null)");
	CHECK(opts.filename == 0 && opts.actual == 0, "filename %d, actual %d", opts.filename, opts.actual);
	CHECK(opts.funcs[0] == 0, "funcs '%.20s'", opts.funcs);
	check_end();
}

static void test_options(void)
{
	check_begin("cli: --pid, -p, --pid=");
	OK("--pid", "1", "-p", "2", "--pid=3");
	CHECK(opts.npids == 3 && opts.pids[0] == 1 && opts.pids[1] == 2 && opts.pids[2] == 3,
	      "npids %zu: %u %u %u", opts.npids, opts.pids[0], opts.pids[1], opts.pids[2]);
	OK("--pid", "4194304");
	CHECK(opts.npids == 1 && opts.pids[0] == 4194304, "pid_max: %zu %u", opts.npids, opts.pids[0]);
	OK("--pid", "007");
	CHECK(opts.npids == 1 && opts.pids[0] == 7, "leading zeros: %u", opts.pids[0]);
	{
		char *argv[2 + 2 * CLI_MAX_PIDS];
		char nums[CLI_MAX_PIDS][12];
		int argc = 0;

		argv[argc++] = "fileio";
		for (int i = 0; i < CLI_MAX_PIDS; i++) {
			snprintf(nums[i], sizeof(nums[i]), "%d", 100 + i);
			argv[argc++] = "-p";
			argv[argc++] = nums[i];
		}
		argv[argc] = NULL;
		int rc = fileio_parse_args(argc, argv, &opts, err, sizeof(err));
		CHECK(rc == 0 && opts.npids == CLI_MAX_PIDS && opts.pids[CLI_MAX_PIDS - 1] == 100 + CLI_MAX_PIDS - 1,
		      "64 pids: rc %d (%s), npids %zu", rc, err, opts.npids);
	}
	check_end();

	check_begin("cli: --comm, --comm=, -c");
	OK("--comm", "dd");
	CHECK(strcmp(opts.comm, "dd") == 0, "'%.16s'", opts.comm);
	OK("--comm=dd");
	CHECK(strcmp(opts.comm, "dd") == 0, "'%.16s'", opts.comm);
	OK("-c", "dd");
	CHECK(strcmp(opts.comm, "dd") == 0, "'%.16s'", opts.comm);
	OK("-c", "abcdefghijklmno");
	CHECK(memcmp(opts.comm, "abcdefghijklmno", 16) == 0, "15 chars: '%.16s'", opts.comm);
	OK("--comm", "a=b");
	CHECK(strcmp(opts.comm, "a=b") == 0, "'%.16s'", opts.comm);
	OK("--comm", "-x");
	CHECK(strcmp(opts.comm, "-x") == 0, "a value starting with '-': '%.16s'", opts.comm);
	check_end();

	check_begin("cli: --count, --duration");
	OK("--count", "5");
	CHECK(opts.count == 5, "count %llu", opts.count);
	OK("-n", "18446744073709551615");
	CHECK(opts.count == 18446744073709551615ull, "count %llu", opts.count);
	OK("--count=1");
	CHECK(opts.count == 1, "count %llu", opts.count);
	OK("--duration", "1.5");
	CHECK(opts.duration_ms == 1500, "1.5: %lld", opts.duration_ms);
	OK("--duration", "0");
	CHECK(opts.duration_ms == 0, "0: %lld", opts.duration_ms);
	OK("--duration", "2");
	CHECK(opts.duration_ms == 2000, "2: %lld", opts.duration_ms);
	OK("-d", "0.001");
	CHECK(opts.duration_ms == 1, "0.001: %lld", opts.duration_ms);
	OK("--duration=10.25");
	CHECK(opts.duration_ms == 10250, "10.25: %lld", opts.duration_ms);
	check_end();

	check_begin("cli: --format, -f, --functions, --help");
	OK("--format", "json");
	CHECK(opts.format == OUT_JSON, "json: %d", (int)opts.format);
	OK("-f", "table");
	CHECK(opts.format == OUT_TABLE, "table: %d", (int)opts.format);
	OK("--format=json", "-f", "table");
	CHECK(opts.format == OUT_TABLE, "the last one wins: %d", (int)opts.format);
	OK("--functions", "a,b");
	CHECK(opts.read_func && opts.write_func && strcmp(opts.read_func, "a") == 0 &&
	      strcmp(opts.write_func, "b") == 0, "'%s' '%s'", opts.read_func ? opts.read_func : "(null)",
	      opts.write_func ? opts.write_func : "(null)");
	OK("--functions=ksys_read,ksys_write");
	CHECK(strcmp(opts.read_func, "ksys_read") == 0 && strcmp(opts.write_func, "ksys_write") == 0,
	      "'%s' '%s'", opts.read_func, opts.write_func);
	OK("--help");
	CHECK(opts.help == 1, "--help: %d", opts.help);
	OK("-h");
	CHECK(opts.help == 1, "-h: %d", opts.help);
	OK("--pid", "9", "--comm", "cp", "--count", "3", "--duration", "4", "--format", "json");
	CHECK(opts.npids == 1 && opts.pids[0] == 9 && strcmp(opts.comm, "cp") == 0 && opts.count == 3 &&
	      opts.duration_ms == 4000 && opts.format == OUT_JSON, "combined");
	check_end();
}

static void test_columns(void)
{
	check_begin("cli: --filename, -F, --actual, -A");
	OK("--filename");
	CHECK(opts.filename == 1 && opts.actual == 0, "--filename: %d %d", opts.filename, opts.actual);
	OK("-F");
	CHECK(opts.filename == 1 && opts.actual == 0, "-F: %d %d", opts.filename, opts.actual);
	OK("--actual");
	CHECK(opts.actual == 1 && opts.filename == 0, "--actual: %d %d", opts.actual, opts.filename);
	OK("-A");
	CHECK(opts.actual == 1 && opts.filename == 0, "-A: %d %d", opts.actual, opts.filename);
	OK("-F", "-A", "-F");
	CHECK(opts.filename == 1 && opts.actual == 1, "-F -A -F: %d %d", opts.filename, opts.actual);
	OK("-F");
	CHECK(opts.explain == 0, "no --explain: %d", opts.explain);
	OK("--explain", "-c", "dd");
	CHECK(opts.explain == 1 && strcmp(opts.comm, "dd") == 0, "--explain: %d", opts.explain);
	BAD("unknown option '--explain=yes'", "--explain=yes");
	OK("--filename", "--actual", "--format", "json", "--pid", "5", "--attach", "fentry");
	CHECK(opts.filename == 1 && opts.actual == 1 && opts.format == OUT_JSON && opts.npids == 1 &&
	      strcmp(opts.attach, "fentry") == 0, "combined");
	/* both work with every attach mode, tracepoint included (the system call view has no names: the
	 * command says so at run time, the parser does not refuse it) */
	OK("--attach", "tracepoint", "--actual", "--filename");
	CHECK(opts.filename == 1 && opts.actual == 1 && strcmp(opts.attach, "tracepoint") == 0, "tracepoint");
	/* flags take no value */
	BAD("unknown option", "--filename=yes");
	BAD("unknown option", "--actual=1");
	BAD("unexpected argument", "-F", "name");
	BAD("unexpected argument", "--actual", "1");
	BAD("unknown option", "-FA");
	BAD("unknown option", "--file");
	BAD("--attach", "-f", "table", "-a");
	check_end();
}

static void test_attach(void)
{
	static const char *const modes[] = { "auto", "kprobe", "fentry", "kprobe-legacy", "tracepoint" };

	check_begin("cli: --attach");
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char eq[64];

		OK("--attach", modes[i]);
		CHECK(opts.attach && strcmp(opts.attach, modes[i]) == 0, "--attach %s: '%s'", modes[i],
		      opts.attach ? opts.attach : "(null)");
		snprintf(eq, sizeof(eq), "--attach=%s", modes[i]);
		OK(eq);
		CHECK(opts.attach && strcmp(opts.attach, modes[i]) == 0, "%s: '%s'", eq,
		      opts.attach ? opts.attach : "(null)");
	}
	OK("-a", "fentry");
	CHECK(opts.attach && strcmp(opts.attach, "fentry") == 0, "-a fentry");
	OK("--attach", "kprobe", "--functions", "a,b");
	BAD("--attach", "--attach", "uprobe");
	BAD("--attach", "--attach", "");
	BAD("--attach", "--attach", "Kprobe");
	BAD("--attach", "--attach");
	BAD("--functions", "--attach", "tracepoint", "--functions", "a,b");
	BAD("--functions", "--functions", "a,b", "--attach", "tracepoint");
	BAD("--functions", "-a", "tracepoint", "--functions=vfs_read,vfs_write");
	BAD("--attach", "--attach=");
	BAD("--attach", "-a", "kprobe legacy");
	BAD("--attach", "-a", "tracepoints");
	BAD("--attach", "-a", "auto ");
	BAD("--attach", "--attach", "fentry", "--attach", "bogus");
	/* the last --attach counts, also for the --functions check */
	OK("--attach", "tracepoint", "--attach", "kprobe", "--functions", "a,b");
	CHECK(strcmp(opts.attach, "kprobe") == 0 && strcmp(opts.read_func, "a") == 0, "'%s'", opts.attach);
	BAD("--functions", "--attach", "kprobe", "--functions", "a,b", "--attach", "tracepoint");
	OK("--attach", "tracepoint", "--pid", "3");
	CHECK(strcmp(opts.attach, "tracepoint") == 0 && strcmp(opts.read_func, "vfs_read") == 0,
	      "tracepoint without --functions");
	/* the value is kept as one of the parser's own strings, not a pointer into argv */
	{
		char mode[] = "fentry";
		char *argv[] = { "fileio", "--attach", mode, NULL };
		int rc = fileio_parse_args(3, argv, &opts, err, sizeof(err));
		mode[0] = 'X';
		CHECK(rc == 0 && opts.attach && strcmp(opts.attach, "fentry") == 0, "rc %d, attach '%s'", rc,
		      opts.attach ? opts.attach : "(null)");
	}
	check_end();
}

static void test_errors(void)
{
	check_begin("cli: bad --pid values");
	BAD("--pid", "--pid", "abc");
	BAD("--pid", "--pid", "0");
	BAD("--pid", "--pid", "-1");
	BAD("--pid", "--pid", "4194305");
	BAD("--pid", "--pid", "12abc");
	BAD("--pid", "--pid", "");
	BAD("--pid", "--pid=");
	BAD("--pid", "--pid", " 1");
	BAD("--pid", "--pid", "+1");
	BAD("--pid", "--pid", "0x10");
	BAD("--pid", "--pid", "99999999999999999999999");
	BAD("--pid", "--pid");
	BAD("--pid", "-p");
	BAD("--pid", "--comm", "x", "--pid");
	{
		char *argv[4 + 2 * CLI_MAX_PIDS];
		char nums[CLI_MAX_PIDS + 1][12];
		int argc = 0;

		argv[argc++] = "fileio";
		for (int i = 0; i <= CLI_MAX_PIDS; i++) {
			snprintf(nums[i], sizeof(nums[i]), "%d", 100 + i);
			argv[argc++] = "--pid";
			argv[argc++] = nums[i];
		}
		argv[argc] = NULL;
		err[0] = 0;
		int rc = fileio_parse_args(argc, argv, &opts, err, sizeof(err));
		CHECK(rc == -EINVAL && strncmp(err, "--pid", 5) == 0, "65 pids: rc %d, err '%s'", rc, err);
	}
	check_end();

	check_begin("cli: bad --count and --duration values");
	BAD("--count", "--count", "-1");
	BAD("--count", "--count", "0");
	BAD("--count", "--count", "99999999999999999999999");
	BAD("--count", "--count", "18446744073709551616");
	BAD("--count", "--count", "1e3");
	BAD("--count", "--count", "");
	BAD("--count", "--count");
	BAD("--duration", "--duration", "-1");
	BAD("--duration", "--duration", "1.2345");
	BAD("--duration", "--duration", "abc");
	BAD("--duration", "--duration", ".5");
	BAD("--duration", "--duration", "1.");
	BAD("--duration", "--duration", "1.5.5");
	BAD("--duration", "--duration", "1.-5");
	BAD("--duration", "--duration", "1,5");
	BAD("--duration", "--duration", "");
	BAD("--duration", "--duration", "1000000001");
	BAD("--duration", "--duration");
	check_end();

	check_begin("cli: bad --format, --comm, --functions values");
	BAD("--format", "--format", "xml");
	BAD("--format", "--format", "JSON");
	BAD("--format", "--format", "");
	BAD("--format", "-f");
	BAD("--comm", "--comm", "");
	BAD("--comm", "--comm=");
	BAD("--comm", "--comm", "abcdefghijklmnop");
	BAD("--comm", "--comm");
	BAD("--functions", "--functions", "a");
	BAD("--functions", "--functions", ",b");
	BAD("--functions", "--functions", "a,");
	BAD("--functions", "--functions", ",");
	BAD("--functions", "--functions", "a,b,c");
	BAD("--functions", "--functions", "");
	BAD("--functions", "--functions");
	{
		char longf[200];
		memset(longf, 'f', sizeof(longf) - 1);
		longf[sizeof(longf) - 1] = 0;
		longf[60] = ',';
		BAD("--functions", "--functions", longf);
		longf[128] = 0; /* 128 characters: no room for the NUL in funcs[128] */
		BAD("--functions", "--functions", longf);
		longf[127] = 0; /* 127 characters: fits */
		OK("--functions", longf);
		CHECK(strlen(opts.read_func) == 60 && strlen(opts.write_func) == 66, "127 chars: %zu, %zu",
		      strlen(opts.read_func), strlen(opts.write_func));
	}
	check_end();

	check_begin("cli: unknown options and stray arguments");
	BAD("unknown option", "--bogus");
	BAD("unknown option", "-x");
	BAD("unknown option", "--pidx", "1");
	BAD("unknown option", "-p=1");
	BAD("unknown option", "--");
	BAD("unknown option", "-");
	BAD("unknown option", "--PID", "1");
	BAD("unknown option", "--pid", "1", "--bogus");
	/* a positional argument: the parser says "unexpected argument" */
	BAD("unexpected argument", "stray");
	BAD("unexpected argument", "--pid", "1", "2");
	check_end();

	check_begin("cli: a short err buffer is truncated, not overrun");
	{
		char *argv[] = { "fileio", "--format", "a-very-long-format-name-indeed", NULL };
		char small[8];
		memset(small, 'z', sizeof(small));
		int rc = fileio_parse_args(3, argv, &opts, small, sizeof(small));
		CHECK(rc == -EINVAL && memchr(small, 0, sizeof(small)) && strncmp(small, "--forma", 7) == 0,
		      "rc %d", rc);
	}
	check_end();
}

static void test_numbers(void)
{
	unsigned long long v;
	long long ms;

	check_begin("cli: parse_u64");
	v = 42;
	CHECK(parse_u64("0", 10, &v) == 0 && v == 0, "'0': %llu", v);
	CHECK(parse_u64("10", 10, &v) == 0 && v == 10, "'10' max 10: %llu", v);
	CHECK(parse_u64("11", 10, &v) == -ERANGE, "'11' max 10 accepted");
	CHECK(parse_u64("18446744073709551615", ~0ull, &v) == 0 && v == ~0ull, "ULLONG_MAX: %llu", v);
	CHECK(parse_u64("18446744073709551616", ~0ull, &v) == -ERANGE, "ULLONG_MAX+1 accepted");
	CHECK(parse_u64("18446744073709551620", ~0ull, &v) == -ERANGE, "ULLONG_MAX+5 accepted");
	CHECK(parse_u64("99999999999999999999999", ~0ull, &v) == -ERANGE, "huge accepted");
	CHECK(parse_u64("00000000000000000000000000042", 100, &v) == 0 && v == 42, "leading zeros: %llu", v);
	CHECK(parse_u64("4194304", 4194304, &v) == 0 && v == 4194304, "pid_max");
	CHECK(parse_u64("4194305", 4194304, &v) == -ERANGE, "pid_max+1 accepted");
	CHECK(parse_u64("", 10, &v) == -EINVAL, "'' accepted");
	CHECK(parse_u64(NULL, 10, &v) == -EINVAL, "NULL accepted");
	CHECK(parse_u64("-1", 10, &v) == -EINVAL, "'-1' accepted");
	CHECK(parse_u64("+1", 10, &v) == -EINVAL, "'+1' accepted");
	CHECK(parse_u64(" 1", 10, &v) == -EINVAL, "' 1' accepted");
	CHECK(parse_u64("1 ", 10, &v) == -EINVAL, "'1 ' accepted");
	CHECK(parse_u64("1a", 10, &v) == -EINVAL, "'1a' accepted");
	CHECK(parse_u64("0x1", 10, &v) == -EINVAL, "'0x1' accepted");
	v = 42;
	CHECK(parse_u64("7x", 10, &v) == -EINVAL && v == 42, "*out written on error: %llu", v);
	check_end();

	/* A one-digit value above a max below 9: (max - d) wraps around in the range check. */
	check_begin("cli: parse_u64 with a max below 9");
	v = 42;
	int rc = parse_u64("5", 3, &v);
	CHECK(rc == -ERANGE, "parse_u64(\"5\", max 3) = %d, value %llu (want -ERANGE)", rc, v);
	rc = parse_u64("1", 0, &v);
	CHECK(rc == -ERANGE, "parse_u64(\"1\", max 0) = %d, value %llu (want -ERANGE)", rc, v);
	rc = parse_u64("3", 3, &v);
	CHECK(rc == 0 && v == 3, "parse_u64(\"3\", max 3) = %d, value %llu", rc, v);
	rc = parse_u64("0", 0, &v);
	CHECK(rc == 0 && v == 0, "parse_u64(\"0\", max 0) = %d, value %llu", rc, v);
	check_end();

	check_begin("cli: parse_seconds_ms");
	static const struct { const char *s; long long ms; } good[] = {
		{ "0", 0 }, { "1", 1000 }, { "1.5", 1500 }, { "1.50", 1500 }, { "1.500", 1500 },
		{ "0.001", 1 }, { "0.01", 10 }, { "0.1", 100 }, { "0.999", 999 }, { "00.5", 500 },
		{ "1000000000", 1000000000000ll }, { "1000000000.999", 1000000000999ll }, { "2.05", 2050 },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ms = -42;
		rc = parse_seconds_ms(good[i].s, &ms);
		CHECK(rc == 0 && ms == good[i].ms, "'%s': rc %d, %lld ms, want %lld", good[i].s, rc, ms,
		      good[i].ms);
	}
	static const char *const bad[] = {
		"", ".", ".5", "1.", "-1", "+1", "1.2345", "1.0000", "abc", "1.5.5", "1.-5", "1.+5", "1,5",
		" 1", "1 ", "1.5 ", "1e3", "0x10", "1000000001", "99999999999999999999999",
		"1..5", "1.a",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ms = -42;
		rc = parse_seconds_ms(bad[i], &ms);
		CHECK(rc < 0 && ms == -42, "'%s': rc %d, %lld ms", bad[i], rc, ms);
	}
	ms = -42;
	CHECK(parse_seconds_ms(NULL, &ms) < 0 && ms == -42, "NULL accepted");
	check_end();
}

void test_cli(void)
{
	test_defaults();
	test_options();
	test_columns();
	test_attach();
	test_errors();
	test_numbers();
}
