/* output.c: the table and JSON forms of shared/DESIGN.md, byte for byte.
 * JSON strings escape quotes, backslashes and control bytes; other bytes >= 0x80 become \u00XX. */
#include "output.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static const char *const op_names[] = { [TUX_OP_READ] = "read", [TUX_OP_WRITE] = "write" };

static const char *op_name(unsigned op)
{
	return op < sizeof(op_names) / sizeof(op_names[0]) && op_names[op] ? op_names[op] : "?";
}

void out_init(struct out *o, int fd)
{
	o->fd = fd;
	o->err = 0;
	o->len = 0;
}

int out_flush(struct out *o)
{
	size_t done = 0;

	while (done < o->len && !o->err) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			o->err = -errno;
		else
			done += (size_t)n;
	}
	o->len = 0;
	return o->err;
}

/* Room for one more line, flushing first if needed. */
static char *out_reserve(struct out *o)
{
	if (OUT_BUF_SIZE - o->len < OUT_LINE_MAX)
		out_flush(o);
	return o->buf + o->len;
}

char *fmt_u64(char *p, unsigned long long v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

char *fmt_json_string(char *p, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";

	*p++ = '"';
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else if (c < 0x20 || c >= 0x80) {
			/* comm is bytes, not text: \u00XX keeps the line valid UTF-8 JSON whatever it holds */
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

/* s, left-aligned in a column of width w, then one space. */
static char *pad(char *p, const char *s, size_t n, size_t w)
{
	memcpy(p, s, n);
	p += n;
	while (n++ < w)
		*p++ = ' ';
	*p++ = ' ';
	return p;
}

void out_fileio_header(struct out *o, enum out_format fmt)
{
	static const char header[] = "PID    COMM             OP     BYTES            TIMESTAMP_NS\n";

	if (fmt != OUT_TABLE)
		return;
	char *p = out_reserve(o);
	memcpy(p, header, sizeof(header) - 1);
	o->len += sizeof(header) - 1;
}

void out_fileio_event(struct out *o, enum out_format fmt, const struct fileio_event *e)
{
	char *start = out_reserve(o), *p = start;
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
		memcpy(p, "}\n", 2);
		p += 2;
	} else {
		char num[24], comm[TUX_COMM_LEN];
		size_t n = 0;

		for (; n < TUX_COMM_LEN && e->comm[n]; n++) /* keep the terminal sane */
			comm[n] = (e->comm[n] >= 0x20 && e->comm[n] < 0x7f) ? e->comm[n] : '?';
		p = pad(p, num, (size_t)(fmt_u64(num, e->pid) - num), 6);
		p = pad(p, comm, n, 16);
		p = pad(p, op, strlen(op), 6);
		p = pad(p, num, (size_t)(fmt_u64(num, e->bytes) - num), 16);
		p = fmt_u64(p, e->timestamp_ns);
		*p++ = '\n';
	}
	o->len += (size_t)(p - start);
}
