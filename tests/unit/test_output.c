/* test_output.c: loader/output.c byte for byte: the table header and rows, JSON lines and escaping,
 * fmt_u64, buffering over 100000 events through a pipe, and -EPIPE when the reader has gone. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "output.h"

static struct out *o; /* malloc'd: ASan sees a write past buf[] */
static const char header[] = "PID    COMM             OP     BYTES            TIMESTAMP_NS\n";

/* An event in a buffer of exactly its size, so reading past comm[] is caught. */
static struct fileio_event *ev_new(uint32_t pid, uint8_t op, uint64_t bytes, uint64_t ts, const void *comm,
				   size_t commlen)
{
	struct fileio_event *e = calloc(1, sizeof(*e));

	if (!e)
		abort();
	e->pid = pid;
	e->op = op;
	e->bytes = bytes;
	e->timestamp_ns = ts;
	memcpy(e->comm, comm, commlen < TUX_COMM_LEN ? commlen : TUX_COMM_LEN);
	return e;
}

/* Formats e alone and checks the bytes equal want (or want2, when it is not NULL). */
static void expect_event(enum out_format fmt, struct fileio_event *e, const char *want, const char *want2)
{
	char a[700], b[700];

	out_init(o, -1);
	out_fileio_event(o, fmt, e);
	int same = o->len == strlen(want) && memcmp(o->buf, want, o->len) == 0;
	if (want2 && !same)
		same = o->len == strlen(want2) && memcmp(o->buf, want2, o->len) == 0;
	CHECK(same, "got '%s', want '%s'", check_escape(a, sizeof(a), o->buf, o->len),
	      check_escape(b, sizeof(b), want, strlen(want)));
	CHECK(o->len <= OUT_LINE_MAX, "line of %zu bytes > OUT_LINE_MAX", o->len);
	CHECK(o->err == 0, "err %d", o->err);
	free(e);
}

static void test_format(void)
{
	char a[200];

	check_begin("output: table header");
	out_init(o, -1);
	out_fileio_header(o, OUT_TABLE);
	CHECK(o->len == sizeof(header) - 1 && memcmp(o->buf, header, o->len) == 0, "got '%s'",
	      check_escape(a, sizeof(a), o->buf, o->len));
	out_init(o, -1);
	out_fileio_header(o, OUT_JSON);
	CHECK(o->len == 0, "JSON has a header of %zu bytes", o->len);
	check_end();

	check_begin("output: table rows");
	expect_event(OUT_TABLE, ev_new(5102, TUX_OP_READ, 131072, 9824200293847ull, "cp", 2),
		     "5102   cp               read   131072           9824200293847\n", NULL);
	expect_event(OUT_TABLE, ev_new(5102, TUX_OP_WRITE, 131072, 9824200312054ull, "cp", 2),
		     "5102   cp               write  131072           9824200312054\n", NULL);
	expect_event(OUT_TABLE, ev_new(1, TUX_OP_READ, 1, 2, "abcdefghijklmno", 15),
		     "1      abcdefghijklmno  read   1                2\n", NULL);
	/* all 16 bytes used, no NUL: stops at 16 (the event is exactly sized, ASan catches comm[16]) */
	expect_event(OUT_TABLE, ev_new(4294967295u, TUX_OP_WRITE, UINT64_MAX, UINT64_MAX, "abcdefghijklmnop", 16),
		     "4294967295 abcdefghijklmnop write  18446744073709551615 18446744073709551615\n", NULL);
	expect_event(OUT_TABLE, ev_new(7, 9, 0, 0, "", 0),
		     "7      " "                 " "?      " "0                0\n", NULL);
	check_end();

	check_begin("output: table replaces non-printable comm bytes by '?'");
	expect_event(OUT_TABLE, ev_new(7, 9, 0, 0, "a\"b\\c\x01\x7f\xe9", 8),
		     "7      a\"b\\c???         ?      0                0\n", NULL);
	expect_event(OUT_TABLE, ev_new(7, TUX_OP_READ, 0, 0, "\t\n\x1b[31m\x80\xff", 10),
		     "7      ???[31m??        read   0                0\n", NULL);
	check_end();

	check_begin("output: JSON lines");
	expect_event(OUT_JSON, ev_new(5102, TUX_OP_WRITE, 131072, 9824200293847ull, "cp", 2),
		     "{\"pid\":5102,\"op\":\"write\",\"bytes\":131072,\"comm\":\"cp\",\"timestamp_ns\":9824200293847}\n",
		     NULL);
	expect_event(OUT_JSON, ev_new(5102, TUX_OP_READ, 131072, 9824200293847ull, "cp", 2),
		     "{\"pid\":5102,\"op\":\"read\",\"bytes\":131072,\"comm\":\"cp\",\"timestamp_ns\":9824200293847}\n",
		     NULL);
	expect_event(OUT_JSON, ev_new(1, TUX_OP_READ, 0, 0, "abcdefghijklmno", 15),
		     "{\"pid\":1,\"op\":\"read\",\"bytes\":0,\"comm\":\"abcdefghijklmno\",\"timestamp_ns\":0}\n", NULL);
	expect_event(OUT_JSON, ev_new(4294967295u, TUX_OP_WRITE, UINT64_MAX, UINT64_MAX, "abcdefghijklmnop", 16),
		     "{\"pid\":4294967295,\"op\":\"write\",\"bytes\":18446744073709551615,\"comm\":\"abcdefghijklmnop\","
		     "\"timestamp_ns\":18446744073709551615}\n", NULL);
	expect_event(OUT_JSON, ev_new(3, TUX_OP_READ, 5, 6, "", 0),
		     "{\"pid\":3,\"op\":\"read\",\"bytes\":5,\"comm\":\"\",\"timestamp_ns\":6}\n", NULL);
	check_end();

	check_begin("output: JSON escaping");
	/* 0x7f is not a control character for JSON (RFC 8259 escapes only U+0000..U+001F): raw or \u007f */
	expect_event(OUT_JSON, ev_new(7, TUX_OP_READ, 1, 2, "a\"b\\c\x01\x7f\xe9", 8),
		     "{\"pid\":7,\"op\":\"read\",\"bytes\":1,\"comm\":\"a\\\"b\\\\c\\u0001\x7f\\u00e9\",\"timestamp_ns\":2}\n",
		     "{\"pid\":7,\"op\":\"read\",\"bytes\":1,\"comm\":\"a\\\"b\\\\c\\u0001\\u007f\\u00e9\",\"timestamp_ns\":2}\n");
	expect_event(OUT_JSON, ev_new(7, TUX_OP_READ, 1, 2, "\x1f\x20\n\x80\xff", 5),
		     "{\"pid\":7,\"op\":\"read\",\"bytes\":1,\"comm\":\"\\u001f \\u000a\\u0080\\u00ff\",\"timestamp_ns\":2}\n",
		     NULL);
	/* the worst case, 16 bytes each escaped to 6, still fits a line */
	expect_event(OUT_JSON, ev_new(4294967295u, 9, UINT64_MAX, UINT64_MAX,
				      "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 16),
		     "{\"pid\":4294967295,\"op\":\"?\",\"bytes\":18446744073709551615,\"comm\":\""
		     "\\u00ff\\u00ff\\u00ff\\u00ff\\u00ff\\u00ff\\u00ff\\u00ff"
		     "\\u00ff\\u00ff\\u00ff\\u00ff\\u00ff\\u00ff\\u00ff\\u00ff"
		     "\",\"timestamp_ns\":18446744073709551615}\n", NULL);
	check_end();

	check_begin("output: fmt_json_string");
	char buf[128], *end;
	end = fmt_json_string(buf, "abcdef", 3);
	CHECK(end - buf == 5 && memcmp(buf, "\"abc\"", 5) == 0, "max 3: '%.*s'", (int)(end - buf), buf);
	end = fmt_json_string(buf, "ab\0cd", 5);
	CHECK(end - buf == 4 && memcmp(buf, "\"ab\"", 4) == 0, "embedded NUL: '%.*s'", (int)(end - buf), buf);
	end = fmt_json_string(buf, "x", 0);
	CHECK(end - buf == 2 && memcmp(buf, "\"\"", 2) == 0, "max 0: '%.*s'", (int)(end - buf), buf);
	char *s3 = malloc(3); /* no NUL within max: must not read s[max] */
	if (CHECK(s3 != NULL, "malloc")) {
		memcpy(s3, "q\"\\", 3);
		end = fmt_json_string(buf, s3, 3);
		CHECK(end - buf == 7 && memcmp(buf, "\"q\\\"\\\\\"", 7) == 0, "'%.*s'", (int)(end - buf), buf);
		free(s3);
	}
	check_end();

	check_begin("output: fmt_u64");
	static const struct { unsigned long long v; const char *s; } nums[] = {
		{ 0, "0" }, { 1, "1" }, { 9, "9" }, { 10, "10" }, { 1000000, "1000000" },
		{ 4294967296ull, "4294967296" }, { 18446744073709551615ull, "18446744073709551615" },
		{ 9999999999999999999ull, "9999999999999999999" }, { 10000000000000000000ull, "10000000000000000000" },
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		char *u = malloc(20); /* exactly the longest: ASan catches a 21st byte */
		if (!CHECK(u != NULL, "malloc"))
			break;
		memset(u, 'x', 20);
		end = fmt_u64(u, nums[i].v);
		CHECK((size_t)(end - u) == strlen(nums[i].s) && memcmp(u, nums[i].s, strlen(nums[i].s)) == 0,
		      "%llu: got '%.*s'", nums[i].v, (int)(end - u), u);
		free(u);
	}
	check_end();
}

/* ---- many events: the buffer is flushed at the right moments and nothing is lost or repeated ---- */

#define MANY 100000

static void many_event(unsigned i, struct fileio_event *e, enum out_format *fmt)
{
	memset(e, 0, sizeof(*e));
	e->pid = (uint32_t)((i * 7919u) % 4194304u + 1);
	e->op = (uint8_t)(i & 1);
	e->bytes = i % 97 == 0 ? UINT64_MAX : (uint64_t)i * 1000003u;
	e->timestamp_ns = 1000000000000ull + (uint64_t)i * 12345u;
	if (i % 5 == 0)
		memcpy(e->comm, "fifteen-chars-x", 15);
	else
		snprintf(e->comm, sizeof(e->comm), "proc%u", i % 1000);
	*fmt = i % 3 == 0 ? OUT_JSON : OUT_TABLE;
}

/* What the event must look like, by printf. */
static int many_expected(char *dst, size_t n, const struct fileio_event *e, enum out_format fmt)
{
	const char *op = e->op ? "write" : "read";

	if (fmt == OUT_JSON)
		return snprintf(dst, n, "{\"pid\":%u,\"op\":\"%s\",\"bytes\":%llu,\"comm\":\"%s\",\"timestamp_ns\":%llu}\n",
				e->pid, op, (unsigned long long)e->bytes, e->comm,
				(unsigned long long)e->timestamp_ns);
	return snprintf(dst, n, "%-6u %-16s %-6s %-16llu %llu\n", e->pid, e->comm, op,
			(unsigned long long)e->bytes, (unsigned long long)e->timestamp_ns);
}

/* The reader: compares the stream with want, reports (bytes read, first mismatch or -1) on res. */
static void drain_and_compare(int rfd, int res, const char *want, size_t want_len)
{
	char buf[65536];
	long long got = 0, mismatch = -1;
	ssize_t n;

	while ((n = read(rfd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (ssize_t i = 0; i < n && mismatch < 0; i++)
			if ((size_t)got + (size_t)i >= want_len || buf[i] != want[got + i])
				mismatch = got + i;
		got += n;
	}
	long long r[2] = { got, mismatch };
	if (write(res, r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(2);
}

static void test_many(void)
{
	const size_t cap = (size_t)MANY * 160 + 100;
	char *want = malloc(cap);
	size_t want_len = 0;
	int data[2], res[2];
	pid_t child;

	check_begin("output: 100000 mixed events through a pipe arrive whole and in order");
	if (!CHECK(want != NULL, "malloc") || !CHECK(pipe(data) == 0 && pipe(res) == 0, "pipe: %s",
						      strerror(errno))) {
		free(want);
		check_end();
		return;
	}
	memcpy(want, header, sizeof(header) - 1);
	want_len = sizeof(header) - 1;
	for (unsigned i = 0; i < MANY; i++) {
		struct fileio_event e;
		enum out_format fmt;

		many_event(i, &e, &fmt);
		int n = many_expected(want + want_len, cap - want_len, &e, fmt);
		if (!CHECK(n > 0 && n < 160, "event %u: %d bytes", i, n))
			break;
		want_len += (size_t)n;
	}

	child = fork();
	if (child == 0) {
		close(data[1]);
		close(res[0]);
		drain_and_compare(data[0], res[1], want, want_len);
		_exit(0);
	}
	close(data[0]);
	close(res[1]);
	if (CHECK(child > 0, "fork: %s", strerror(errno))) {
		size_t lens = 0, max_len = 0;

		out_init(o, data[1]);
		out_fileio_header(o, OUT_TABLE);
		for (unsigned i = 0; i < MANY; i++) {
			struct fileio_event e;
			enum out_format fmt;
			size_t before = o->len;

			many_event(i, &e, &fmt);
			out_fileio_event(o, fmt, &e);
			/* either appended in place, or flushed first and then appended */
			if (o->len > before)
				lens += o->len - before;
			else
				lens += o->len;
			if (o->len > max_len)
				max_len = o->len;
		}
		int rc = out_flush(o);
		close(data[1]);
		long long r[2] = { -1, -1 };
		ssize_t n = read(res[0], r, sizeof(r));
		int status = 0;
		waitpid(child, &status, 0);

		CHECK(rc == 0 && o->err == 0 && o->len == 0, "out_flush %d, err %d, len %zu", rc, o->err, o->len);
		CHECK(max_len <= OUT_BUF_SIZE, "buffer held %zu bytes", max_len);
		CHECK(n == (ssize_t)sizeof(r) && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "reader: read %zd, status 0x%x", n, status);
		CHECK(lens + sizeof(header) - 1 == want_len, "formatted %zu bytes, printf says %zu",
		      lens + sizeof(header) - 1, want_len);
		CHECK(r[0] == (long long)want_len, "the reader got %lld bytes, want %zu", r[0], want_len);
		CHECK(r[1] == -1, "the stream differs from the expected one at byte %lld", r[1]);
	} else {
		close(data[1]);
	}
	close(res[0]);
	free(want);
	check_end();
}

static void test_epipe(void)
{
	int p[2];
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	check_begin("output: out_flush to a closed pipe is -EPIPE, and stays so");
	if (!CHECK(pipe(p) == 0, "pipe: %s", strerror(errno))) {
		check_end();
		return;
	}
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	close(p[0]);
	out_init(o, p[1]);
	CHECK(out_flush(o) == 0, "flushing nothing failed");
	out_fileio_header(o, OUT_TABLE);
	int rc = out_flush(o);
	CHECK(rc == -EPIPE && o->err == -EPIPE && o->len == 0, "out_flush %d, err %d, len %zu", rc, o->err,
	      o->len);
	/* keeps accepting events (several buffers' worth) without overflowing, writing nothing */
	struct fileio_event e;
	enum out_format fmt;
	for (unsigned i = 0; i < 20000; i++) {
		many_event(i, &e, &fmt);
		out_fileio_event(o, fmt, &e);
		if (!CHECK(o->len <= OUT_BUF_SIZE, "len %zu after event %u", o->len, i))
			break;
	}
	rc = out_flush(o);
	CHECK(rc == -EPIPE && o->err == -EPIPE && o->len == 0, "second out_flush %d, err %d", rc, o->err);
	close(p[1]);
	sigaction(SIGPIPE, &old, NULL);
	check_end();
}

void test_output(void)
{
	o = malloc(sizeof(*o));
	if (!o) {
		printf("not ok - output: malloc\n");
		check_state.failed_groups++;
		return;
	}
	test_format();
	test_many();
	test_epipe();
	free(o);
}
