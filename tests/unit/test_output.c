/* test_output.c: loader/output.c byte for byte: the table header and rows, JSON lines and escaping, the
 * ACTUAL and FILE columns (and their JSON keys), fmt_u64, fmt_pad, fmt_file, out_reserve/out_commit,
 * buffering over 100000 events through a pipe, -EPIPE when the reader has gone; loader/errnames.c. */
#define _GNU_SOURCE /* strerrorname_np: the C library's errno names, to check errnames.c against */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "errnames.h"
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

	out_init(o, -1, 0);
	out_fileio_event(o, fmt, e, NULL);
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
	out_init(o, -1, 0);
	out_fileio_header(o, OUT_TABLE);
	CHECK(o->len == sizeof(header) - 1 && memcmp(o->buf, header, o->len) == 0, "got '%s'",
	      check_escape(a, sizeof(a), o->buf, o->len));
	out_init(o, -1, 0);
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
	/* UTF-8 is kept whole: 2, 3 and 4 bytes; what is not UTF-8 is escaped byte by byte */
	static const struct {
		const char *in, *out;
	} utf8[] = {
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "\xe2\x82\xac\xf0\x9f\x98\x80", "\"\xe2\x82\xac\xf0\x9f\x98\x80\"" },
		{ "\xc3", "\"\\u00c3\"" },                           /* cut short by the end */
		{ "\xc3(", "\"\\u00c3(\"" },                         /* not a continuation byte */
		{ "\xc0\xaf", "\"\\u00c0\\u00af\"" },                /* overlong '/' */
		{ "\xe0\x80\xaf", "\"\\u00e0\\u0080\\u00af\"" },       /* overlong, 3 bytes */
		{ "\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"" },       /* a UTF-16 surrogate */
		{ "\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"" }, /* past U+10FFFF */
		{ "\xf0\x9f\x98", "\"\\u00f0\\u009f\\u0098\"" },       /* 4-byte lead, 3 bytes left */
	};
	for (size_t i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
		end = fmt_json_string(buf, utf8[i].in, strlen(utf8[i].in));
		CHECK((size_t)(end - buf) == strlen(utf8[i].out) && memcmp(buf, utf8[i].out, strlen(utf8[i].out)) == 0,
		      "case %zu: '%.*s'", i, (int)(end - buf), buf);
	}
	/* a sequence is not read past max, even when more bytes follow */
	end = fmt_json_string(buf, "\xc3\xa9", 1);
	CHECK(end - buf == 8 && memcmp(buf, "\"\\u00c3\"", 8) == 0, "max inside a sequence: '%.*s'",
	      (int)(end - buf), buf);
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
	/* against snprintf: 0..100000, each power of ten and its neighbours, and a walk over the range */
	char want[24], got[24];
	unsigned long long v = 0, bad = 0, checked = 0;
	for (int step = 0; step < 3; step++) {
		for (unsigned long long k = 0; k < 100000 && !bad; k++, checked++) {
			v = step == 0 ? k : step == 1 ? (k % 3 ? 1 : 10) : k * 184467440737095ull + k;
			if (step == 1) { /* 10^e - 1, 10^e, 10^e + 1 */
				unsigned long long p10 = 1;
				for (unsigned e = 0; e < k % 20; e++)
					p10 *= 10;
				v = p10 + (k % 3) - 1;
			}
			int n = snprintf(want, sizeof(want), "%llu", v);
			if ((int)(fmt_u64(got, v) - got) != n || memcmp(got, want, (size_t)n) != 0)
				bad = v + 1;
		}
	}
	CHECK(!bad, "%llu: got '%.20s'", bad - 1, got);
	CHECK(checked == 300000, "checked %llu", checked);
	check_end();
}

/* ---- the optional columns: ACTUAL (--actual) and FILE (--filename) ---- */

/* An event with the --actual and --filename fields set as the BPF side sets them. */
static struct fileio_event *ev_more(uint32_t pid, uint8_t op, uint64_t bytes, uint64_t ts, const char *comm,
				    uint8_t flags, int64_t ret, uint16_t mode, uint64_t ino)
{
	struct fileio_event *e = ev_new(pid, op, bytes, ts, comm, strlen(comm));

	e->flags = flags;
	e->ret = ret;
	e->mode = mode;
	e->ino = ino;
	return e;
}

/* The name in a buffer of exactly n bytes (NUL only if among them): ASan catches a read past it. */
static char *name_new(const void *s, size_t n)
{
	char *c = malloc(n ? n : 1);

	if (!c)
		abort();
	memcpy(c, s, n);
	return c;
}

/* Formats e with columns cols and name (may be NULL); the bytes must equal want (or want2). Frees e. */
static void expect_cols(unsigned cols, enum out_format fmt, struct fileio_event *e, const char *name,
			const char *want, const char *want2)
{
	char a[1400], b[1400];

	out_init(o, -1, cols);
	out_fileio_event(o, fmt, e, name);
	int same = o->len == strlen(want) && memcmp(o->buf, want, o->len) == 0;
	if (want2 && !same)
		same = o->len == strlen(want2) && memcmp(o->buf, want2, o->len) == 0;
	CHECK(same, "cols %u: got '%s', want '%s'", cols, check_escape(a, sizeof(a), o->buf, o->len),
	      check_escape(b, sizeof(b), want, strlen(want)));
	CHECK(o->len <= OUT_LINE_MAX, "line of %zu bytes > OUT_LINE_MAX", o->len);
	CHECK(o->err == 0, "err %d", o->err);
	free(e);
}

/* As expect_cols, with the name given as n exact bytes. */
static void expect_named(unsigned cols, enum out_format fmt, struct fileio_event *e, const void *name, size_t n,
			 const char *want, const char *want2)
{
	char *c = name_new(name, n);

	expect_cols(cols, fmt, e, c, want, want2);
	free(c);
}

#define RET TUX_EV_RET
#define FIL TUX_EV_FILE
#define CUT TUX_EV_NAME_CUT
#define COL_A OUT_COL_ACTUAL
#define COL_F OUT_COL_FILE
#define REG (S_IFREG | 0644)

static void test_columns(void)
{
	char a[300], name[200];
	static const struct {
		unsigned cols;
		const char *want;
	} headers[] = {
		{ 0, "PID    COMM             OP     BYTES            TIMESTAMP_NS\n" },
		{ COL_A, "PID    COMM             OP     BYTES            ACTUAL           TIMESTAMP_NS\n" },
		{ COL_F, "PID    COMM             OP     BYTES            TIMESTAMP_NS     FILE\n" },
		{ COL_A | COL_F, "PID    COMM             OP     BYTES            ACTUAL           TIMESTAMP_NS     FILE\n" },
	};

	check_begin("output: table headers with ACTUAL and FILE; JSON has none");
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		out_init(o, -1, headers[i].cols);
		out_fileio_header(o, OUT_TABLE);
		CHECK(o->len == strlen(headers[i].want) && memcmp(o->buf, headers[i].want, o->len) == 0,
		      "cols %u: got '%s'", headers[i].cols, check_escape(a, sizeof(a), o->buf, o->len));
		out_init(o, -1, headers[i].cols);
		out_fileio_header(o, OUT_JSON);
		CHECK(o->len == 0, "cols %u: JSON header of %zu bytes", headers[i].cols, o->len);
	}
	check_end();

	check_begin("output: table ACTUAL: bytes moved, -ERRNAME, -NUMBER, '-' without a return");
	expect_cols(COL_A, OUT_TABLE, ev_more(5102, TUX_OP_READ, 131072, 9824200293847ull, "cp", RET, 4096, 0, 0), NULL,
		    "5102   cp               read   131072           4096             9824200293847\n", NULL);
	expect_cols(COL_A, OUT_TABLE, ev_more(5102, TUX_OP_READ, 131072, 9824200293847ull, "cp", RET, 0, 0, 0), NULL,
		    "5102   cp               read   131072           0                9824200293847\n", NULL);
	expect_cols(COL_A, OUT_TABLE, ev_more(77, TUX_OP_READ, 8, 5, "cat", RET, -11, 0, 0), NULL,
		    "77     cat              read   8                -EAGAIN          5\n", NULL);
	expect_cols(COL_A, OUT_TABLE, ev_more(77, TUX_OP_WRITE, 8, 5, "cat", RET, -21, 0, 0), NULL,
		    "77     cat              write  8                -EISDIR          5\n", NULL);
	expect_cols(COL_A, OUT_TABLE, ev_more(77, TUX_OP_READ, 8, 5, "cat", RET, -512, 0, 0), NULL,
		    "77     cat              read   8                -ERESTARTSYS     5\n", NULL);
	expect_cols(COL_A, OUT_TABLE, ev_more(77, TUX_OP_READ, 8, 5, "cat", RET, -4000, 0, 0), NULL,
		    "77     cat              read   8                -4000            5\n", NULL);
	expect_cols(COL_A, OUT_TABLE, ev_more(77, TUX_OP_READ, 8, 5, "cat", RET, -41, 0, 0), NULL, /* a gap */
		    "77     cat              read   8                -41              5\n", NULL);
	expect_cols(COL_A, OUT_TABLE, ev_more(77, TUX_OP_READ, 8, 5, "cat", RET, INT64_MIN + 1, 0, 0), NULL,
		    "77     cat              read   8                -9223372036854775807 5\n", NULL);
	/* no TUX_EV_RET: the return was not seen, whatever ret holds */
	expect_cols(COL_A, OUT_TABLE, ev_more(77, TUX_OP_READ, 8, 5, "cat", 0, 4096, 0, 0), NULL,
		    "77     cat              read   8                -                5\n", NULL);
	expect_cols(COL_A, OUT_TABLE, ev_more(77, TUX_OP_READ, 8, 5, "cat", FIL, -11, REG, 1), NULL,
		    "77     cat              read   8                -                5\n", NULL);
	/* wider than its column: the value whole, then one space */
	expect_cols(COL_A, OUT_TABLE, ev_more(1, TUX_OP_READ, UINT64_MAX, UINT64_MAX, "x", RET, INT64_MAX, 0, 0), NULL,
		    "1      x                read   18446744073709551615 9223372036854775807 18446744073709551615\n",
		    NULL);
	/* without OUT_COL_ACTUAL a returned record prints as before */
	expect_cols(0, OUT_TABLE, ev_more(5102, TUX_OP_READ, 131072, 9824200293847ull, "cp", RET, -11, 0, 0), NULL,
		    "5102   cp               read   131072           9824200293847\n", NULL);
	check_end();

	check_begin("output: table FILE: name, pipe:[INO], socket:[INO], anon_inode:NAME, ?, ..., -");
	expect_cols(COL_F, OUT_TABLE, ev_more(5102, TUX_OP_WRITE, 4096, 9824200293847ull, "cp", FIL, 0, REG, 42),
		    "data.bin", "5102   cp               write  4096             9824200293847    data.bin\n", NULL);
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 1, 2, "sh", FIL, 0, S_IFIFO | 0600, 123456), "",
		    "9      sh               read   1                2                pipe:[123456]\n", NULL);
	/* a pipe or a socket is shown by kind and inode, whatever its dentry's name */
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 1, 2, "sh", FIL, 0, S_IFIFO | 0600, 7), "fifo-name",
		    "9      sh               read   1                2                pipe:[7]\n", NULL);
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_WRITE, 1, 2, "sshd", FIL, 0, S_IFSOCK | 0777, 99), "TCP",
		    "9      sshd             write  1                2                socket:[99]\n", NULL);
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_WRITE, 1, 2, "sshd", FIL, 0, S_IFSOCK, UINT64_MAX), "",
		    "9      sshd             write  1                2                socket:[18446744073709551615]\n",
		    NULL);
	/* anon_inode_getfile() files have no type bits in i_mode */
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 8, 2, "systemd", FIL, 0, 0600, 5), "[eventfd]",
		    "9      systemd          read   8                2                anon_inode:[eventfd]\n", NULL);
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 8, 2, "systemd", FIL, 0, 0, 5), "",
		    "9      systemd          read   8                2                anon_inode:?\n", NULL);
	/* other kinds are shown by name */
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_WRITE, 8, 2, "bash", FIL, 0, S_IFCHR | 0620, 3), "pts/0",
		    "9      bash             write  8                2                pts/0\n", NULL);
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 8, 2, "ls", FIL, 0, S_IFDIR | 0755, 3), "/",
		    "9      ls               read   8                2                /\n", NULL);
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 8, 2, "ls", FIL, 0, REG, 3), "",
		    "9      ls               read   8                2                ?\n", NULL);
	/* NULL: the record has no name (the system call view) */
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 8, 2, "ls", 0, 0, 0, 0), NULL,
		    "9      ls               read   8                2                -\n", NULL);
	/* a timestamp of more than 16 digits: whole, then one space */
	expect_cols(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 8, UINT64_MAX, "ls", FIL, 0, REG, 3), "f",
		    "9      ls               read   8                18446744073709551615 f\n", NULL);
	/* without OUT_COL_FILE the name is not shown */
	expect_cols(0, OUT_TABLE, ev_more(5102, TUX_OP_WRITE, 4096, 9824200293847ull, "cp", FIL, 0, REG, 42),
		    "data.bin", "5102   cp               write  4096             9824200293847\n", NULL);
	check_end();

	check_begin("output: table FILE: a cut name ends in '...', 127 bytes at most are read, controls are '?'");
	memset(name, 'n', 127);
	expect_named(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 1, 2, "x", FIL | CUT, 0, REG, 3), name, 127,
		     "9      x                read   1                2                "
		     "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		     "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...\n", NULL);
	expect_named(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 1, 2, "x", FIL | CUT, 0, 0, 3), "[x]", 4,
		     "9      x                read   1                2                anon_inode:[x]...\n", NULL);
	/* pipes and sockets have no name to cut */
	expect_named(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 1, 2, "x", FIL | CUT, 0, S_IFIFO, 3), "", 1,
		     "9      x                read   1                2                pipe:[3]\n", NULL);
	/* ASCII controls and DEL become '?' (a name can hold any byte but '/' and NUL) */
	expect_named(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 1, 2, "x", FIL, 0, REG, 3), "a\tb\x1b[31mc\x7f\n\r\x01", 14,
		     "9      x                read   1                2                a?b?[31mc????\n", NULL);
	expect_named(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 1, 2, "x", FIL, 0, 0, 3), "\x1b]0;t\x07", 7,
		     "9      x                read   1                2                anon_inode:?]0;t?\n", NULL);
	/* printable UTF-8 is shown as it is */
	expect_named(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 1, 2, "x", FIL, 0, REG, 3), "caf\xc3\xa9.txt", 10,
		     "9      x                read   1                2                caf\xc3\xa9.txt\n", NULL);
	/* no NUL within the record's 128 bytes (the BPF side always writes one): 127 bytes, not more */
	memset(name, 'm', 128);
	expect_named(COL_F, OUT_TABLE, ev_more(9, TUX_OP_READ, 1, 2, "x", FIL, 0, REG, 3), name, 128,
		     "9      x                read   1                2                "
		     "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
		     "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm\n", NULL);
	check_end();

	check_begin("output: table with ACTUAL and FILE");
	expect_cols(COL_A | COL_F, OUT_TABLE,
		    ev_more(5102, TUX_OP_READ, 131072, 9824200293847ull, "cp", RET | FIL, 65536, REG, 42), "data.bin",
		    "5102   cp               read   131072           65536            9824200293847    data.bin\n", NULL);
	expect_cols(COL_A | COL_F, OUT_TABLE, ev_more(33, TUX_OP_READ, 16, 1, "nginx", RET | FIL, -11, S_IFSOCK, 8), "",
		    "33     nginx            read   16               -EAGAIN          1                socket:[8]\n", NULL);
	expect_cols(COL_A | COL_F, OUT_TABLE, ev_more(33, TUX_OP_WRITE, 16, 1, "nginx", 0, 0, 0, 0), NULL,
		    "33     nginx            write  16               -                1                -\n", NULL);
	check_end();

	check_begin("output: JSON actual and error");
	expect_cols(COL_A, OUT_JSON, ev_more(5102, TUX_OP_READ, 131072, 9824200293847ull, "cp", RET, 4096, 0, 0), NULL,
		    "{\"pid\":5102,\"op\":\"read\",\"bytes\":131072,\"comm\":\"cp\",\"timestamp_ns\":9824200293847,"
		    "\"actual\":4096,\"error\":null}\n", NULL);
	expect_cols(COL_A, OUT_JSON, ev_more(1, TUX_OP_WRITE, 1, 2, "cp", RET, 0, 0, 0), NULL,
		    "{\"pid\":1,\"op\":\"write\",\"bytes\":1,\"comm\":\"cp\",\"timestamp_ns\":2,"
		    "\"actual\":0,\"error\":null}\n", NULL);
	expect_cols(COL_A, OUT_JSON, ev_more(1, TUX_OP_READ, 1, 2, "cp", RET, INT64_MAX, 0, 0), NULL,
		    "{\"pid\":1,\"op\":\"read\",\"bytes\":1,\"comm\":\"cp\",\"timestamp_ns\":2,"
		    "\"actual\":9223372036854775807,\"error\":null}\n", NULL);
	expect_cols(COL_A, OUT_JSON, ev_more(1, TUX_OP_READ, 1, 2, "cp", RET, -11, 0, 0), NULL,
		    "{\"pid\":1,\"op\":\"read\",\"bytes\":1,\"comm\":\"cp\",\"timestamp_ns\":2,"
		    "\"actual\":0,\"error\":\"EAGAIN\"}\n", NULL);
	expect_cols(COL_A, OUT_JSON, ev_more(1, TUX_OP_READ, 1, 2, "cp", RET, -512, 0, 0), NULL,
		    "{\"pid\":1,\"op\":\"read\",\"bytes\":1,\"comm\":\"cp\",\"timestamp_ns\":2,"
		    "\"actual\":0,\"error\":\"ERESTARTSYS\"}\n", NULL);
	/* an errno without a name: its number (as a string like the names, or as a number) */
	expect_cols(COL_A, OUT_JSON, ev_more(1, TUX_OP_READ, 1, 2, "cp", RET, -4000, 0, 0), NULL,
		    "{\"pid\":1,\"op\":\"read\",\"bytes\":1,\"comm\":\"cp\",\"timestamp_ns\":2,"
		    "\"actual\":0,\"error\":\"4000\"}\n",
		    "{\"pid\":1,\"op\":\"read\",\"bytes\":1,\"comm\":\"cp\",\"timestamp_ns\":2,"
		    "\"actual\":0,\"error\":4000}\n");
	expect_cols(COL_A, OUT_JSON, ev_more(1, TUX_OP_READ, 1, 2, "cp", FIL, 77, REG, 3), NULL,
		    "{\"pid\":1,\"op\":\"read\",\"bytes\":1,\"comm\":\"cp\",\"timestamp_ns\":2,"
		    "\"actual\":null,\"error\":null}\n", NULL);
	/* without OUT_COL_ACTUAL: the line of before, byte for byte */
	expect_cols(0, OUT_JSON, ev_more(5102, TUX_OP_WRITE, 131072, 9824200293847ull, "cp", RET, -11, 0, 0), NULL,
		    "{\"pid\":5102,\"op\":\"write\",\"bytes\":131072,\"comm\":\"cp\",\"timestamp_ns\":9824200293847}\n", NULL);
	check_end();

	check_begin("output: JSON file");
	expect_cols(COL_F, OUT_JSON, ev_more(5102, TUX_OP_WRITE, 4096, 7, "cp", FIL, 0, REG, 42), "data.bin",
		    "{\"pid\":5102,\"op\":\"write\",\"bytes\":4096,\"comm\":\"cp\",\"timestamp_ns\":7,"
		    "\"file\":\"data.bin\"}\n", NULL);
	expect_cols(COL_F, OUT_JSON, ev_more(5102, TUX_OP_WRITE, 4096, 7, "cp", 0, 0, 0, 0), NULL,
		    "{\"pid\":5102,\"op\":\"write\",\"bytes\":4096,\"comm\":\"cp\",\"timestamp_ns\":7,"
		    "\"file\":null}\n", NULL);
	expect_cols(COL_F, OUT_JSON, ev_more(5, TUX_OP_READ, 1, 7, "sh", FIL, 0, S_IFIFO | 0600, 123456), "",
		    "{\"pid\":5,\"op\":\"read\",\"bytes\":1,\"comm\":\"sh\",\"timestamp_ns\":7,"
		    "\"file\":\"pipe:[123456]\"}\n", NULL);
	expect_cols(COL_F, OUT_JSON, ev_more(5, TUX_OP_READ, 1, 7, "sh", FIL, 0, S_IFSOCK, 9), "x",
		    "{\"pid\":5,\"op\":\"read\",\"bytes\":1,\"comm\":\"sh\",\"timestamp_ns\":7,"
		    "\"file\":\"socket:[9]\"}\n", NULL);
	expect_cols(COL_F, OUT_JSON, ev_more(5, TUX_OP_READ, 1, 7, "sh", FIL | CUT, 0, 0, 9), "[timerfd]",
		    "{\"pid\":5,\"op\":\"read\",\"bytes\":1,\"comm\":\"sh\",\"timestamp_ns\":7,"
		    "\"file\":\"anon_inode:[timerfd]...\"}\n", NULL);
	expect_cols(COL_F, OUT_JSON, ev_more(5, TUX_OP_READ, 1, 7, "sh", FIL, 0, REG, 9), "",
		    "{\"pid\":5,\"op\":\"read\",\"bytes\":1,\"comm\":\"sh\",\"timestamp_ns\":7,"
		    "\"file\":\"?\"}\n", NULL);
	/* escaped as comm is: quotes, backslashes, controls; UTF-8 kept; 0x7f raw or escaped */
	expect_named(COL_F, OUT_JSON, ev_more(5, TUX_OP_READ, 1, 7, "sh", FIL, 0, REG, 9), "a\"b\\c\x01\n\xc3\xa9\x7f", 11,
		     "{\"pid\":5,\"op\":\"read\",\"bytes\":1,\"comm\":\"sh\",\"timestamp_ns\":7,"
		     "\"file\":\"a\\\"b\\\\c\\u0001\\u000a\xc3\xa9\x7f\"}\n",
		     "{\"pid\":5,\"op\":\"read\",\"bytes\":1,\"comm\":\"sh\",\"timestamp_ns\":7,"
		     "\"file\":\"a\\\"b\\\\c\\u0001\\u000a\xc3\xa9\\u007f\"}\n");
	check_end();

	check_begin("output: JSON actual, error and file together, in that order");
	expect_cols(COL_A | COL_F, OUT_JSON, ev_more(5, TUX_OP_READ, 10, 7, "sh", RET | FIL, -9, REG, 9), "log",
		    "{\"pid\":5,\"op\":\"read\",\"bytes\":10,\"comm\":\"sh\",\"timestamp_ns\":7,"
		    "\"actual\":0,\"error\":\"EBADF\",\"file\":\"log\"}\n", NULL);
	expect_cols(COL_A | COL_F, OUT_JSON, ev_more(5, TUX_OP_WRITE, 10, 7, "sh", RET, 10, 0, 0), NULL,
		    "{\"pid\":5,\"op\":\"write\",\"bytes\":10,\"comm\":\"sh\",\"timestamp_ns\":7,"
		    "\"actual\":10,\"error\":null,\"file\":null}\n", NULL);
	check_end();

	/* The longest lines there can be: every byte escaped, the longest error name, a cut anon name. */
	check_begin("output: the longest table and JSON lines fit OUT_LINE_MAX");
	memset(name, 0xff, 128);
	for (int f = 0; f < 2; f++) {
		struct fileio_event *e = ev_more(4294967295u, 9, UINT64_MAX, UINT64_MAX, "", RET | FIL | CUT,
						 -131 /* ENOTRECOVERABLE */, 0, UINT64_MAX);
		memset(e->comm, 0xff, TUX_COMM_LEN);
		char *nm = name_new(name, 128);
		out_init(o, -1, COL_A | COL_F);
		out_fileio_event(o, f ? OUT_JSON : OUT_TABLE, e, nm);
		CHECK(o->len <= OUT_LINE_MAX && o->len > 100 && o->buf[o->len - 1] == '\n',
		      "%s: %zu bytes, OUT_LINE_MAX %d", f ? "JSON" : "table", o->len, OUT_LINE_MAX);
		if (f)
			CHECK(o->len == strlen("{\"pid\":4294967295,\"op\":\"?\",\"bytes\":18446744073709551615,"
					       "\"comm\":\"\",\"timestamp_ns\":18446744073709551615,\"actual\":0,"
					       "\"error\":\"ENOTRECOVERABLE\",\"file\":\"anon_inode:...\"}\n") +
					   16 * 6 + 127 * 6,
			      "JSON: %zu bytes", o->len);
		free(nm);
		free(e);
	}
	check_end();
}

/* The UBSan-visible case: ret = INT64_MIN has no positive counterpart. In a child, so a sanitizer abort is
 * reported as this test failing rather than ending the run. */
static void test_ret_min(void)
{
	int p[2];
	pid_t child;
	char got[200] = "", esc[400];
	ssize_t n = 0;
	int status = 0;

	check_begin("output: ACTUAL of ret = INT64_MIN is -9223372036854775808, without undefined behaviour");
	if (!CHECK(pipe(p) == 0, "pipe: %s", strerror(errno))) {
		check_end();
		return;
	}
	fflush(stdout);
	child = fork();
	if (child == 0) {
		struct fileio_event *e = ev_more(1, TUX_OP_READ, 1, 2, "x", RET, INT64_MIN, 0, 0);

		close(p[0]); /* a sanitizer report goes to stderr, where the runner shows it */
		out_init(o, p[1], COL_A);
		out_fileio_event(o, OUT_TABLE, e, NULL);
		out_fileio_event(o, OUT_JSON, e, NULL);
		out_flush(o);
		_exit(0);
	}
	close(p[1]);
	if (CHECK(child > 0, "fork: %s", strerror(errno))) {
		for (ssize_t r; (r = read(p[0], got + n, sizeof(got) - 1 - (size_t)n)) > 0;)
			n += r;
		got[n > 0 ? n : 0] = 0;
		waitpid(child, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "formatting it ended the process (status 0x%x: a sanitizer report; output.c fmt_actual negates "
		      "e->ret, which overflows for INT64_MIN)", status);
		/* the table form is specified (-NUMBER); JSON only needs "actual":0 and some error */
		CHECK(!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
		      (strncmp(got, "1      x                read   1                -9223372036854775808 2\n", 71) == 0 &&
		       strstr(got, ",\"actual\":0,\"error\":") != NULL),
		      "got '%s'", check_escape(esc, sizeof(esc), got, (size_t)n));
	}
	close(p[0]);
	check_end();
}

static void test_helpers(void)
{
	char buf[300], *end;

	check_begin("output: fmt_pad");
	end = fmt_pad(buf, "ab", 2, 6);
	CHECK(end - buf == 7 && memcmp(buf, "ab     ", 7) == 0, "'ab' in 6: '%.*s'", (int)(end - buf), buf);
	end = fmt_pad(buf, "abcdef", 6, 6);
	CHECK(end - buf == 7 && memcmp(buf, "abcdef ", 7) == 0, "exactly 6: '%.*s'", (int)(end - buf), buf);
	end = fmt_pad(buf, "abcdefgh", 8, 6);
	CHECK(end - buf == 9 && memcmp(buf, "abcdefgh ", 9) == 0, "wider: '%.*s'", (int)(end - buf), buf);
	end = fmt_pad(buf, "abcdefgh", 3, 4); /* n bytes of s, not up to its NUL */
	CHECK(end - buf == 5 && memcmp(buf, "abc  ", 5) == 0, "n 3: '%.*s'", (int)(end - buf), buf);
	end = fmt_pad(buf, "", 0, 0);
	CHECK(end - buf == 1 && buf[0] == ' ', "empty in 0: '%.*s'", (int)(end - buf), buf);
	end = fmt_pad(buf, "", 0, 16);
	CHECK(end - buf == 17 && memcmp(buf, "                 ", 17) == 0, "empty in 16: %zd bytes",
	      end - buf);
	check_end();

	check_begin("output: fmt_file");
	static const struct {
		uint16_t mode;
		uint8_t flags;
		uint64_t ino;
		const char *name, *want;
	} files[] = {
		{ REG, FIL, 1, "a.txt", "a.txt" },
		{ REG, FIL | CUT, 1, "a.txt", "a.txt..." },
		{ REG, FIL, 1, "", "?" },
		{ REG, FIL | CUT, 1, "", "?..." },
		{ S_IFDIR | 0755, FIL, 1, "etc", "etc" },
		{ S_IFLNK | 0777, FIL, 1, "l", "l" },
		{ S_IFBLK | 0660, FIL, 1, "sda", "sda" },
		{ S_IFCHR | 0666, FIL, 1, "null", "null" },
		{ S_IFIFO, FIL, 0, "", "pipe:[0]" },
		{ S_IFIFO | 0777, FIL | CUT, 4026531840ull, "p", "pipe:[4026531840]" },
		{ S_IFSOCK, FIL, 12, "", "socket:[12]" },
		{ 0, FIL, 1, "[eventfd]", "anon_inode:[eventfd]" },
		{ 0777, FIL, 1, "inotify", "anon_inode:inotify" },
		{ 0, FIL, 1, "", "anon_inode:?" },
		{ 0, FIL | CUT, 1, "x", "anon_inode:x..." },
		/* the name as it is: bytes are the caller's to escape */
		{ REG, FIL, 1, "a\tb", "a\tb" },
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct fileio_event e;
		char *nm = name_new(files[i].name, strlen(files[i].name) + 1);

		memset(&e, 0, sizeof(e));
		e.mode = files[i].mode;
		e.flags = files[i].flags;
		e.ino = files[i].ino;
		memset(buf, '#', sizeof(buf));
		end = fmt_file(buf, &e, nm);
		CHECK((size_t)(end - buf) == strlen(files[i].want) && memcmp(buf, files[i].want, (size_t)(end - buf)) == 0 &&
		      buf[end - buf] == '#', "mode 0%o flags %u name '%s': got '%.*s', want '%s'", files[i].mode,
		      files[i].flags, files[i].name, (int)(end - buf), buf, files[i].want);
		free(nm);
	}
	check_end();

	check_begin("output: out_reserve and out_commit; a reserve flushes when less than OUT_LINE_MAX is left");
	out_init(o, -1, 0);
	char *p = out_reserve(o);
	CHECK(p == o->buf && o->len == 0, "empty: %p, len %zu", (void *)p, o->len);
	memcpy(p, "abc", 3);
	out_commit(o, p + 3);
	CHECK(o->len == 3 && out_reserve(o) == o->buf + 3, "after 3 bytes: len %zu", o->len);
	o->len = OUT_BUF_SIZE - OUT_LINE_MAX; /* exactly a line's room left: no flush */
	p = out_reserve(o);
	CHECK(p == o->buf + OUT_BUF_SIZE - OUT_LINE_MAX && o->err == 0 && o->len == OUT_BUF_SIZE - OUT_LINE_MAX,
	      "with OUT_LINE_MAX left: flushed (len %zu, err %d)", o->len, o->err);
	o->len = OUT_BUF_SIZE - OUT_LINE_MAX + 1; /* one byte short: flushed first (fd -1: -EBADF) */
	p = out_reserve(o);
	CHECK(p == o->buf && o->len == 0 && o->err == -EBADF, "one byte short: len %zu, err %d", o->len, o->err);
	out_commit(o, p + 5);
	CHECK(o->len == 5, "commit: len %zu", o->len);
	check_end();
}

static void test_errnames(void)
{
	check_begin("errnames: errno_name");
	const char *s;
	CHECK((s = errno_name(11)) && strcmp(s, "EAGAIN") == 0, "11: %s", s ? s : "(null)");
	CHECK((s = errno_name(21)) && strcmp(s, "EISDIR") == 0, "21: %s", s ? s : "(null)");
	CHECK((s = errno_name(EINTR)) && strcmp(s, "EINTR") == 0, "EINTR: %s", s ? s : "(null)");
	CHECK((s = errno_name(1)) && strcmp(s, "EPERM") == 0, "1: %s", s ? s : "(null)");
	CHECK((s = errno_name(133)) && strcmp(s, "EHWPOISON") == 0, "133: %s", s ? s : "(null)");
	CHECK((s = errno_name(512)) && strcmp(s, "ERESTARTSYS") == 0, "512: %s", s ? s : "(null)");
	CHECK((s = errno_name(524)) && strcmp(s, "ENOTSUPP") == 0, "524: %s", s ? s : "(null)");
	static const long none[] = { 0, -1, -11, -512, 134, 511, 513, 4095, 100000, 2147483648l, LONG_MAX, LONG_MIN };
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		CHECK(errno_name(none[i]) == NULL, "%ld: '%s', want NULL", none[i], errno_name(none[i]));
	/* every name it knows is the C library's name for that number (EAGAIN, not EWOULDBLOCK, etc.) */
	for (long e = 1; e < 512; e++) {
		const char *lib = strerrorname_np((int)e);
		s = errno_name(e);
		if (s)
			CHECK(lib && strcmp(s, lib) == 0, "%ld: '%s', the C library says '%s'", e, s,
			      lib ? lib : "(null)");
	}
	/* what read and write return, at least */
	static const int rw[] = { EAGAIN, EBADF, EFAULT, EINTR, EINVAL, EIO, EISDIR, ENOSPC, EPIPE, EFBIG,
				  EDQUOT, EPERM, ENXIO, EOVERFLOW, ESPIPE, ECONNRESET, ENOTCONN, ETIMEDOUT,
				  ENOMEM, ENOBUFS, EOPNOTSUPP, EROFS, ENODEV, EACCES, ESTALE, EDEADLK, ENOLCK };
	for (size_t i = 0; i < sizeof(rw) / sizeof(rw[0]); i++)
		CHECK(errno_name(rw[i]) != NULL, "%d (%s) has no name", rw[i], strerrorname_np(rw[i]));
	check_end();
}

/* ---- many events with the optional columns, against a printf model ---- */

#define MANY_COLS 20000

static void cols_event(unsigned i, struct fileio_event *e, char *name, const char **namep)
{
	static const uint16_t modes[] = { S_IFREG | 0644, S_IFIFO | 0600, S_IFSOCK | 0777, 0600, S_IFCHR | 0620,
					  S_IFDIR | 0755 };
	static const int64_t rets[] = { 0, 1, 4096, -EAGAIN, -EINTR, -EBADF, -EISDIR, -EFAULT, -EIO, -ENOSPC,
					9223372036854775807ll, -133 };

	memset(e, 0, sizeof(*e));
	e->pid = i * 31u % 4194304u + 1;
	e->tid = e->pid + 1;
	e->op = (uint8_t)(i & 1);
	e->bytes = i % 89 == 0 ? UINT64_MAX : (uint64_t)i * 977u;
	e->timestamp_ns = i % 101 == 0 ? UINT64_MAX : 123456789ull * i;
	snprintf(e->comm, sizeof(e->comm), i % 7 ? "w%u" : "fifteen-chars-%u", i % 10);
	if (i % 3)
		e->flags |= TUX_EV_RET;
	e->ret = rets[i % (sizeof(rets) / sizeof(rets[0]))];
	*namep = NULL;
	if (i % 5) {
		e->flags |= TUX_EV_FILE;
		e->mode = modes[i % (sizeof(modes) / sizeof(modes[0]))];
		e->ino = (uint64_t)i * 7919u;
		unsigned len = i % 11 == 0 ? 127 : i % 13 == 0 ? 0 : i % 40 + 1;
		for (unsigned k = 0; k < len; k++)
			name[k] = (char)('a' + (i + k) % 26);
		name[len] = 0;
		if (len == 127 && i % 2)
			e->flags |= TUX_EV_NAME_CUT;
		*namep = name;
	}
}

/* The row by printf, from the rules: ACTUAL and FILE as the README describes them. */
static int cols_expected(char *dst, size_t n, const struct fileio_event *e, const char *name, unsigned cols,
			 enum out_format fmt)
{
	char actual[64], file[200], filej[200];
	const char *op = e->op ? "write" : "read";
	const char *err = NULL;
	int k = 0;

	if (!(e->flags & TUX_EV_RET))
		snprintf(actual, sizeof(actual), "-");
	else if (e->ret >= 0)
		snprintf(actual, sizeof(actual), "%lld", (long long)e->ret);
	else if ((err = strerrorname_np((int)-e->ret)))
		snprintf(actual, sizeof(actual), "-%s", err);
	else
		snprintf(actual, sizeof(actual), "%lld", (long long)e->ret);
	if (!name)
		snprintf(file, sizeof(file), "-");
	else if ((e->mode & S_IFMT) == S_IFIFO)
		snprintf(file, sizeof(file), "pipe:[%llu]", (unsigned long long)e->ino);
	else if ((e->mode & S_IFMT) == S_IFSOCK)
		snprintf(file, sizeof(file), "socket:[%llu]", (unsigned long long)e->ino);
	else
		snprintf(file, sizeof(file), "%s%s%s", (e->mode & S_IFMT) ? "" : "anon_inode:", name[0] ? name : "?",
			 (e->flags & TUX_EV_NAME_CUT) ? "..." : "");
	snprintf(filej, sizeof(filej), name ? "\"%s\"" : "null", file);

	if (fmt == OUT_JSON) {
		k += snprintf(dst + k, n - (size_t)k,
			      "{\"pid\":%u,\"op\":\"%s\",\"bytes\":%llu,\"comm\":\"%s\",\"timestamp_ns\":%llu", e->pid, op,
			      (unsigned long long)e->bytes, e->comm, (unsigned long long)e->timestamp_ns);
		if (cols & OUT_COL_ACTUAL) {
			if (!(e->flags & TUX_EV_RET))
				k += snprintf(dst + k, n - (size_t)k, ",\"actual\":null,\"error\":null");
			else if (e->ret >= 0)
				k += snprintf(dst + k, n - (size_t)k, ",\"actual\":%lld,\"error\":null", (long long)e->ret);
			else
				k += snprintf(dst + k, n - (size_t)k, ",\"actual\":0,\"error\":\"%s\"", actual + 1);
		}
		if (cols & OUT_COL_FILE)
			k += snprintf(dst + k, n - (size_t)k, ",\"file\":%s", filej);
		return k + snprintf(dst + k, n - (size_t)k, "}\n");
	}
	k += snprintf(dst + k, n - (size_t)k, "%-6u %-16s %-6s %-16llu ", e->pid, e->comm, op,
		      (unsigned long long)e->bytes);
	if (cols & OUT_COL_ACTUAL)
		k += snprintf(dst + k, n - (size_t)k, "%-16s ", actual);
	if (cols & OUT_COL_FILE)
		return k + snprintf(dst + k, n - (size_t)k, "%-16llu %s\n", (unsigned long long)e->timestamp_ns, file);
	return k + snprintf(dst + k, n - (size_t)k, "%llu\n", (unsigned long long)e->timestamp_ns);
}

static void test_many_cols(void)
{
	char want[1024], got[1600], name[TUX_NAME_LEN];

	check_begin("output: 20000 varied events in each column set and format match the printf model");
	for (unsigned i = 0; i < MANY_COLS; i++) {
		struct fileio_event e;
		const char *nm;
		unsigned cols = i % 4;
		enum out_format fmt = (i / 4) % 2 ? OUT_JSON : OUT_TABLE;

		cols_event(i, &e, name, &nm);
		int n = cols_expected(want, sizeof(want), &e, nm, cols, fmt);
		out_init(o, -1, cols);
		out_fileio_event(o, fmt, &e, nm);
		if (!CHECK(o->len == (size_t)n && memcmp(o->buf, want, o->len) == 0,
			   "event %u (cols %u, %s): got '%s', want '%s'", i, cols, fmt == OUT_JSON ? "JSON" : "table",
			   check_escape(got, sizeof(got), o->buf, o->len), want))
			break;
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

		out_init(o, data[1], 0);
		out_fileio_header(o, OUT_TABLE);
		for (unsigned i = 0; i < MANY; i++) {
			struct fileio_event e;
			enum out_format fmt;
			size_t before = o->len;

			many_event(i, &e, &fmt);
			out_fileio_event(o, fmt, &e, NULL);
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
	out_init(o, p[1], 0);
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
		out_fileio_event(o, fmt, &e, NULL);
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
	test_columns();
	test_ret_min();
	test_helpers();
	test_errnames();
	test_many_cols();
	test_many();
	test_epipe();
	free(o);
}
