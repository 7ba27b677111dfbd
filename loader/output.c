/* output.c: the table and JSON forms of shared/DESIGN.md, byte for byte.
 * JSON strings escape quotes, backslashes and control bytes, keep valid UTF-8, and write any other byte
 * >= 0x80 as \u00XX. */
#include "output.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errnames.h"

static const char *const op_names[] = { [TUX_OP_READ] = "read", [TUX_OP_WRITE] = "write" };

static const char *op_name(unsigned op)
{
	return op < sizeof(op_names) / sizeof(op_names[0]) && op_names[op] ? op_names[op] : "?";
}

void out_init(struct out *o, int fd, unsigned cols)
{
	o->fd = fd;
	o->cols = cols;
	o->err = 0;
	o->stop = NULL;
	o->len = 0;
}

int out_flush(struct out *o)
{
	size_t done = 0;

	while (done < o->len && !o->err) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);
		if (n < 0 && errno == EINTR && !(o->stop && *o->stop))
			continue;
		if (n < 0)
			o->err = -errno;
		else
			done += (size_t)n;
	}
	o->len = 0;
	return o->err;
}

char *out_reserve(struct out *o)
{
	if (OUT_BUF_SIZE - o->len < OUT_LINE_MAX)
		out_flush(o);
	return o->buf + o->len;
}

void out_commit(struct out *o, const char *end)
{
	o->len = (size_t)(end - o->buf);
}

/* Division by constants as multiplications (exact for every 64-bit value: gcc's own sequences): at -Os
 * gcc emits a divide instruction instead, and numbers were 30% of the formatter's time (make bench). */
static unsigned long long div100(unsigned long long v)
{
	return (unsigned long long)(((unsigned __int128)(v >> 2) * 0x28f5c28f5c28f5c3ull) >> 66);
}

char *fmt_u64(char *p, unsigned long long v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536"
				    "37383940414243444546474849505152535455565758596061626364656667686970717273"
				    "7475767778798081828384858687888990919293949596979899";
	char tmp[20], *t = tmp + sizeof(tmp);

	while (v >= 100) { /* two digits per step */
		unsigned long long q = div100(v);
		t -= 2;
		memcpy(t, pairs + 2 * (v - q * 100), 2);
		v = q;
	}
	if (v >= 10) {
		t -= 2;
		memcpy(t, pairs + 2 * v, 2);
	} else {
		*--t = (char)('0' + v);
	}
	memcpy(p, t, (size_t)(tmp + sizeof(tmp) - t));
	return p + (tmp + sizeof(tmp) - t);
}

/* The length of the valid UTF-8 sequence at s (at most max bytes), or 0 if it is not one: the lead byte's
 * length, continuation bytes 0x80..0xbf, and no overlong form, surrogate or code point past U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t max)
{
	unsigned char c = s[0];
	size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	unsigned char lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
	unsigned char hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;

	if (n == 0 || n > max || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

char *fmt_json_string(char *p, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;

	*p++ = '"';
	for (size_t i = 0; i < max && u[i]; i++) {
		unsigned char c = u[i];
		size_t n;

		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else if (c >= 0x80 && (n = utf8_len(u + i, strnlen(s + i, max - i)))) {
			memcpy(p, s + i, n); /* a name in UTF-8 stays readable */
			p += n;
			i += n - 1;
		} else if (c < 0x20 || c >= 0x80) {
			/* comm and names are bytes, not text: \u00XX keeps the line valid JSON whatever
			 * they hold (a byte that is not UTF-8 reads as its Latin-1 character) */
			memcpy(p, "\\u00", 4);
			p[4] = hex[c >> 4];
			p[5] = hex[c & 15];
			p += 6;
		} else {
			*p++ = (char)c;
		}
	}
	*p++ = '"';
	return p;
}

char *fmt_pad(char *p, const char *s, size_t n, size_t w)
{
	memcpy(p, s, n);
	p += n;
	while (n++ < w)
		*p++ = ' ';
	*p++ = ' ';
	return p;
}

char *fmt_file(char *p, const struct fileio_event *e, const char *name)
{
	size_t n = strnlen(name, TUX_NAME_LEN - 1);

	switch (e->mode & S_IFMT) {
	case S_IFIFO:
	case S_IFSOCK: /* their dentries have no name of their own: shown as /proc/PID/fd shows them */
		memcpy(p, (e->mode & S_IFMT) == S_IFIFO ? "pipe:[" : "socket:[", (e->mode & S_IFMT) == S_IFIFO ? 6 : 8);
		p += (e->mode & S_IFMT) == S_IFIFO ? 6 : 8;
		p = fmt_u64(p, e->ino);
		*p++ = ']';
		return p;
	case 0: /* anon_inode_getfile() files (eventfd, timerfd, ...) have no file type bits */
		memcpy(p, "anon_inode:", 11);
		p += 11;
		break;
	}
	if (n == 0)
		*p++ = '?';
	memcpy(p, name, n);
	p += n;
	if (e->flags & TUX_EV_NAME_CUT) {
		memcpy(p, "...", 3);
		p += 3;
	}
	return p;
}

/* The --actual value: the bytes moved, or -ENAME when the call failed. */
static char *fmt_actual(char *p, const struct fileio_event *e)
{
	if (!(e->flags & TUX_EV_RET)) {
		*p++ = '-';
		return p;
	}
	if (e->ret >= 0)
		return fmt_u64(p, (unsigned long long)e->ret);
	/* 0 - ret in unsigned arithmetic: -INT64_MIN does not fit a signed 64-bit number */
	unsigned long long err = 0ull - (unsigned long long)e->ret;
	const char *name = err < 4096 ? errno_name((long)err) : NULL;
	*p++ = '-';
	if (!name)
		return fmt_u64(p, err);
	memcpy(p, name, strlen(name));
	return p + strlen(name);
}

void out_fileio_header(struct out *o, enum out_format fmt)
{
	char *p;

	if (fmt != OUT_TABLE)
		return;
	p = out_reserve(o);
	p = fmt_pad(p, "PID", 3, 6);
	p = fmt_pad(p, "COMM", 4, 16);
	p = fmt_pad(p, "OP", 2, 6);
	p = fmt_pad(p, "BYTES", 5, 16);
	if (o->cols & OUT_COL_ACTUAL)
		p = fmt_pad(p, "ACTUAL", 6, 16);
	if (o->cols & OUT_COL_FILE) {
		p = fmt_pad(p, "TIMESTAMP_NS", 12, 16);
		memcpy(p, "FILE", 4);
		p += 4;
	} else {
		memcpy(p, "TIMESTAMP_NS", 12);
		p += 12;
	}
	*p++ = '\n';
	out_commit(o, p);
}

void out_fileio_event(struct out *o, enum out_format fmt, const struct fileio_event *e, const char *name)
{
	char *p = out_reserve(o);
	const char *op = op_name(e->op);

	if (fmt == OUT_JSON) {
		memcpy(p, "{\"pid\":", 7);
		p = fmt_u64(p + 7, e->pid);
		memcpy(p, ",\"op\":\"", 7);
		p += 7;
		memcpy(p, op, strlen(op));
		p += strlen(op);
		memcpy(p, "\",\"bytes\":", 10);
		p = fmt_u64(p + 10, e->bytes);
		memcpy(p, ",\"comm\":", 8);
		p = fmt_json_string(p + 8, e->comm, TUX_COMM_LEN);
		memcpy(p, ",\"timestamp_ns\":", 16);
		p = fmt_u64(p + 16, e->timestamp_ns);
		if (o->cols & OUT_COL_ACTUAL) {
			if (!(e->flags & TUX_EV_RET)) {
				memcpy(p, ",\"actual\":null,\"error\":null", 27);
				p += 27;
			} else if (e->ret >= 0) {
				memcpy(p, ",\"actual\":", 10);
				p = fmt_u64(p + 10, (unsigned long long)e->ret);
				memcpy(p, ",\"error\":null", 13);
				p += 13;
			} else {
				char err[32], *q = fmt_actual(err, e);
				memcpy(p, ",\"actual\":0,\"error\":", 20);
				p = fmt_json_string(p + 20, err + 1, (size_t)(q - err - 1)); /* without the '-' */
			}
		}
		if (o->cols & OUT_COL_FILE) {
			memcpy(p, ",\"file\":", 8);
			p += 8;
			if (name) {
				char file[TUX_NAME_LEN + 48], *q = fmt_file(file, e, name);
				p = fmt_json_string(p, file, (size_t)(q - file));
			} else {
				memcpy(p, "null", 4);
				p += 4;
			}
		}
		memcpy(p, "}\n", 2);
		p += 2;
	} else {
		char num[TUX_NAME_LEN + 48], *q;
		char comm[TUX_COMM_LEN];
		size_t n = 0;

		for (; n < TUX_COMM_LEN && e->comm[n]; n++) /* keep the terminal sane */
			comm[n] = (e->comm[n] >= 0x20 && e->comm[n] < 0x7f) ? e->comm[n] : '?';
		p = fmt_pad(p, num, (size_t)(fmt_u64(num, e->pid) - num), 6);
		p = fmt_pad(p, comm, n, 16);
		p = fmt_pad(p, op, strlen(op), 6);
		p = fmt_pad(p, num, (size_t)(fmt_u64(num, e->bytes) - num), 16);
		if (o->cols & OUT_COL_ACTUAL)
			p = fmt_pad(p, num, (size_t)(fmt_actual(num, e) - num), 16);
		if (o->cols & OUT_COL_FILE) {
			p = fmt_pad(p, num, (size_t)(fmt_u64(num, e->timestamp_ns) - num), 16);
			if (!name) {
				*p++ = '-';
			} else {
				q = fmt_file(num, e, name);
				for (char *c = num; c < q; c++)
					*p++ = ((unsigned char)*c >= 0x20 && *c != 0x7f) ? *c : '?';
			}
		} else {
			p = fmt_u64(p, e->timestamp_ns);
		}
		*p++ = '\n';
	}
	out_commit(o, p);
}
