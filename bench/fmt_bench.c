/* fmt_bench.c: formatting throughput without a kernel: the real ring buffer consumer and formatter
 * (loader/ringbuf.c, loader/output.c) on a fake ring in memory, against a plain fprintf formatter. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "ringbuf.h"

#define RING_SIZE (256 * 1024) /* the "events" map of bpf/fileio.bpf.c */
#define PAGE 4096
#define HDR 8

/* The fake ring, laid out as the kernel maps it: the consumer page, the producer page, the data twice. */
struct fake_ring {
	uint8_t *mem;
	struct ringbuf rb;
	uint64_t filled; /* bytes of records written, from position 0 */
	long nrecords;
};

static void ring_put(struct fake_ring *f, uint64_t pos, const void *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t at = (pos + i) & (RING_SIZE - 1);
		f->rb.data[at] = ((const uint8_t *)src)[i];
		f->rb.data[at + RING_SIZE] = ((const uint8_t *)src)[i];
	}
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* Fills the ring with records as bpf_ringbuf_submit leaves them: realistic names, pids and sizes. */
static void fake_fill(struct fake_ring *f)
{
	static const char *const comms[] = { "dd", "postgres", "nginx", "systemd-journal", "cc1", "python3",
					     "kworker/u8:3", "java", "sshd", "rsyslogd", "qemu-system-x86",
					     "cat" };
	static const uint64_t sizes[] = { 1, 8, 512, 832, 4096, 8192, 65536, 131072 };
	uint64_t ts = 10176740612103ull;
	struct fileio_event e;
	uint64_t pos = 0;

	memset(f, 0, sizeof(*f));
	f->mem = aligned_alloc(PAGE, 2 * PAGE + 2 * (size_t)RING_SIZE);
	if (!f->mem)
		abort();
	memset(f->mem, 0, 2 * PAGE + 2 * (size_t)RING_SIZE);
	f->rb.map_fd = -1;
	f->rb.epoll_fd = -1;
	f->rb.page_size = PAGE;
	f->rb.mask = RING_SIZE - 1;
	f->rb.consumer_pos = (uint64_t *)f->mem;
	f->rb.producer_pos = (uint64_t *)(f->mem + PAGE);
	f->rb.data = f->mem + 2 * PAGE;
	while (pos + HDR + sizeof(e) <= RING_SIZE) {
		uint32_t hdr[2] = { sizeof(e), (uint32_t)(pos >> 12) };
		unsigned c = rnd() % (sizeof(comms) / sizeof(comms[0]));

		memset(&e, 0, sizeof(e));
		ts += 200 + rnd() % 5000;
		e.timestamp_ns = ts;
		e.bytes = sizes[rnd() % (sizeof(sizes) / sizeof(sizes[0]))];
		e.pid = 1 + (c * 7919 + rnd() % 3) % 4194304;
		e.tid = e.pid + rnd() % 4;
		e.op = rnd() % 10 < 6 ? TUX_OP_READ : TUX_OP_WRITE;
		strncpy(e.comm, comms[c], sizeof(e.comm) - 1);
		ring_put(f, pos, hdr, sizeof(hdr));
		ring_put(f, pos + HDR, &e, sizeof(e));
		pos += (HDR + sizeof(e) + 7) & ~7ull;
		f->nrecords++;
	}
	f->filled = pos;
}

/* Makes every record unread again: the kernel's producer has just filled the ring once more. */
static void fake_rewind(struct fake_ring *f)
{
	*f->rb.consumer_pos = 0;
	__atomic_store_n(f->rb.producer_pos, f->filled, __ATOMIC_RELEASE);
}

/* --- tuxscope's path: on_event as in loader/fileio.c, then out_flush after each drain */
struct tux_ctx {
	struct out out;
	enum out_format fmt;
};

static int tux_event(void *ctx, const void *data, uint32_t len)
{
	struct tux_ctx *t = ctx;
	struct fileio_event_named n;
	const char *name = NULL;

	if (len < sizeof(n.e))
		return 0;
	memcpy(&n, data, len < sizeof(n) ? len : sizeof(n));
	if ((n.e.flags & TUX_EV_FILE) && len >= sizeof(n)) {
		n.name[TUX_NAME_LEN - 1] = 0;
		name = n.name;
	}
	out_fileio_event(&t->out, t->fmt, &n.e, name);
	return 0;
}

/* --- the naive peer: fprintf into a stdio buffer as large as tuxscope's. On these records (ASCII task
 * names, as nearly all are) it writes the same bytes as tuxscope: same_output() checks it. */
struct naive_ctx {
	FILE *f;
	enum out_format fmt;
};

static int naive_event(void *ctx, const void *data, uint32_t len)
{
	struct naive_ctx *nv = ctx;
	struct fileio_event e;
	char comm[TUX_COMM_LEN * 6 + 1], *p = comm;

	if (len < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	const char *op = e.op == TUX_OP_READ ? "read" : e.op == TUX_OP_WRITE ? "write" : "?";
	for (size_t i = 0; i < TUX_COMM_LEN && e.comm[i]; i++) {
		unsigned char c = (unsigned char)e.comm[i];
		if (nv->fmt == OUT_TABLE)
			*p++ = c >= 0x20 && c < 0x7f ? (char)c : '?';
		else if (c == '"' || c == '\\')
			p += sprintf(p, "\\%c", c);
		else if (c < 0x20)
			p += sprintf(p, "\\u%04x", c);
		else
			*p++ = (char)c; /* bytes from 0x80 up copied as they are: the records are ASCII */
	}
	*p = 0;
	if (nv->fmt == OUT_JSON)
		fprintf(nv->f, "{\"pid\":%u,\"op\":\"%s\",\"bytes\":%llu,\"comm\":\"%s\",\"timestamp_ns\":%llu}\n",
			e.pid, op, (unsigned long long)e.bytes, comm, (unsigned long long)e.timestamp_ns);
	else
		fprintf(nv->f, "%-6u %-16s %-6s %-16llu %llu\n", e.pid, comm, op, (unsigned long long)e.bytes,
			(unsigned long long)e.timestamp_ns);
	return 0;
}

/* The CPU time of this thread (user and system): other processes taking turns on the CPU (the machine
 * is shared) do not count, as wall time would count them. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One drain of the whole ring through one formatter, as loader/fileio.c's stream() does it. */
static void drain(struct fake_ring *f, int naive, void *ctx)
{
	fake_rewind(f);
	if (naive) {
		ringbuf_consume(&f->rb, naive_event, ctx);
		fflush(((struct naive_ctx *)ctx)->f);
	} else {
		ringbuf_consume(&f->rb, tux_event, ctx);
		out_flush(&((struct tux_ctx *)ctx)->out);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Events per CPU second: the median over slices of at least SLICE_S each, for `seconds` in all. */
#define SLICE_S 0.01
#define MAX_SLICES 4096
static double measure(struct fake_ring *f, int naive, enum out_format fmt, int fd, double seconds)
{
	static struct tux_ctx t;
	static double rate[MAX_SLICES];
	struct naive_ctx nv = { NULL, fmt };
	int nslices = 0;
	double start, t0, t1;

	if (naive) {
		nv.f = fdopen(dup(fd), "w");
		if (!nv.f || setvbuf(nv.f, NULL, _IOFBF, OUT_BUF_SIZE))
			abort();
	} else {
		out_init(&t.out, fd, 0);
		t.fmt = fmt;
	}
	void *ctx = naive ? (void *)&nv : (void *)&t;
	drain(f, naive, ctx); /* warm the caches and the stdio buffer */
	start = t1 = now_s();
	do {
		long events = 0;
		t0 = t1;
		do {
			drain(f, naive, ctx);
			events += f->nrecords;
			t1 = now_s();
		} while (t1 - t0 < SLICE_S);
		rate[nslices++] = (double)events / (t1 - t0);
	} while (t1 - start < seconds && nslices < MAX_SLICES);
	if (naive)
		fclose(nv.f);
	qsort(rate, (size_t)nslices, sizeof(rate[0]), cmp_double);
	return nslices % 2 ? rate[nslices / 2] : (rate[nslices / 2 - 1] + rate[nslices / 2]) / 2;
}

/* Both formatters must write the same bytes, or the comparison means nothing. */
static int same_output(struct fake_ring *f, enum out_format fmt)
{
	char a[] = "/tmp/fmt_bench.XXXXXX", b[] = "/tmp/fmt_bench.XXXXXX";
	int fa = mkstemp(a), fb = mkstemp(b), same = 0;
	static struct tux_ctx t;
	struct naive_ctx nv = { NULL, fmt };

	if (fa < 0 || fb < 0)
		return 0;
	unlink(a);
	unlink(b);
	out_init(&t.out, fa, 0);
	t.fmt = fmt;
	drain(f, 0, &t);
	nv.f = fdopen(fb, "w");
	drain(f, 1, &nv);
	off_t la = lseek(fa, 0, SEEK_END), lb = lseek(fb, 0, SEEK_END);
	if (la > 0 && la == lb) {
		char *x = malloc((size_t)la), *y = malloc((size_t)lb);
		if (x && y && pread(fa, x, (size_t)la, 0) == la && pread(fb, y, (size_t)lb, 0) == lb)
			same = memcmp(x, y, (size_t)la) == 0;
		free(x);
		free(y);
	}
	close(fa);
	fclose(nv.f);
	return same;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0.5;
	static const struct {
		const char *name;
		enum out_format fmt;
	} fmts[] = { { "json", OUT_JSON }, { "table", OUT_TABLE } };
	struct fake_ring f;
	int fd = open("/dev/null", O_WRONLY);

	if (fd < 0 || seconds <= 0) {
		fprintf(stderr, "usage: fmt_bench [SECONDS per measurement, default 0.5]\n"
				"Prints events per CPU second (median of 10 ms slices) of tuxscope's and a naive\n"
				"formatter, each for SECONDS of CPU time.\n");
		return 2;
	}
	fake_fill(&f);
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		if (!same_output(&f, fmts[i].fmt)) {
			fprintf(stderr, "fmt_bench: %s: tuxscope's and the naive formatter's bytes differ\n",
				fmts[i].name);
			return 1;
		}
		double tux = measure(&f, 0, fmts[i].fmt, fd, seconds);
		double naive = measure(&f, 1, fmts[i].fmt, fd, seconds);
		printf("format=%s records_per_drain=%ld tuxscope_eps=%.0f naive_eps=%.0f\n", fmts[i].name,
		       f.nrecords, tux, naive);
	}
	return 0;
}
