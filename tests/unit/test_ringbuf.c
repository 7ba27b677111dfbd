/* test_ringbuf.c: loader/ringbuf.c's ringbuf_consume against a fake ring in ordinary memory, laid out as
 * the kernel maps it (data twice in a row); records written as the kernel writes them. No kernel needed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ringbuf.h"

#define BUSY (1u << 31)
#define DISCARD (1u << 30)
#define HDR 8

struct fake {
	uint64_t size;
	uint8_t *data; /* 2 * size bytes, exactly: ASan catches a read past the mirror */
	uint64_t cons, prod;
	struct ringbuf rb;
};

static void fake_init(struct fake *f, uint64_t size, uint64_t start)
{
	memset(f, 0, sizeof(*f));
	f->size = size;
	f->data = malloc(2 * size);
	if (!f->data)
		abort();
	memset(f->data, 0xee, 2 * size);
	f->cons = f->prod = start;
	f->rb.map_fd = -1;
	f->rb.epoll_fd = -1;
	f->rb.page_size = 4096;
	f->rb.mask = size - 1;
	f->rb.consumer_pos = &f->cons;
	f->rb.producer_pos = &f->prod;
	f->rb.data = f->data;
}

static void fake_free(struct fake *f)
{
	free(f->data);
	f->data = NULL;
}

/* Writes bytes at ring position pos: both mappings of the page see them. */
static void ring_put(struct fake *f, uint64_t pos, const void *src, size_t n)
{
	const uint8_t *b = src;

	for (size_t i = 0; i < n; i++) {
		uint64_t at = (pos + i) & (f->size - 1);
		f->data[at] = b[i];
		f->data[at + f->size] = b[i];
	}
}

/* The payload byte i of the record at ring offset off (position & mask). */
static uint8_t pattern(uint64_t off, size_t i)
{
	return (uint8_t)(off * 31 + i * 7 + 1);
}

/* Reserves a record of len payload bytes at the producer position, as bpf_ringbuf_reserve does, with
 * flags (BUSY: not yet committed; DISCARD: committed, then dropped). Returns its position. */
static uint64_t produce(struct fake *f, uint32_t len, uint32_t flags)
{
	uint64_t pos = f->prod;
	uint32_t hdr[2] = { len | flags, (uint32_t)(pos >> 12) /* pg_off: unused by the consumer */ };
	uint8_t payload[4096];

	for (uint32_t i = 0; i < len && i < sizeof(payload); i++)
		payload[i] = pattern(pos & (f->size - 1), i);
	ring_put(f, pos, hdr, sizeof(hdr));
	ring_put(f, pos + HDR, payload, len);
	f->prod = pos + ((HDR + len + 7) & ~7ull);
	return pos;
}

/* Commits a record reserved BUSY: clears the bit, as bpf_ringbuf_submit does. */
static void commit(struct fake *f, uint64_t pos)
{
	uint32_t len;

	memcpy(&len, f->data + (pos & (f->size - 1)), sizeof(len));
	len &= ~BUSY;
	ring_put(f, pos, &len, sizeof(len));
}

struct seen {
	struct fake *f;
	int n;
	uint32_t len[64];
	uint64_t off[64];   /* the record's ring offset, from its payload pointer */
	int bad_payload;    /* records whose bytes differ from what was produced */
	int stop_at;        /* return -7 on this call (0-based), or -1 */
};

static int on_record(void *ctx, const void *record, uint32_t len)
{
	struct seen *s = ctx;
	const uint8_t *p = record;
	uint64_t off = (uint64_t)(p - HDR - s->f->data);
	int call = s->n;

	if (s->n < 64) {
		s->len[s->n] = len;
		s->off[s->n] = off;
	}
	s->n++;
	/* the whole payload is readable in one piece, wrapping or not */
	if (off >= s->f->size || off + HDR + len > 2 * s->f->size) {
		s->bad_payload++;
	} else {
		for (uint32_t i = 0; i < len; i++)
			if (p[i] != pattern(off, i)) {
				s->bad_payload++;
				break;
			}
	}
	return call == s->stop_at ? -7 : (int)len;
}

static void seen_init(struct seen *s, struct fake *f, int stop_at)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->stop_at = stop_at;
}

/* The records delivered are exactly want_pos[0..n) (positions), with lengths want_len. */
static void expect_seen(const struct seen *s, struct fake *f, const uint64_t *want_pos, const uint32_t *want_len,
			int n, const char *what)
{
	CHECK(s->n == n, "%s: %d records delivered, want %d", what, s->n, n);
	CHECK(s->bad_payload == 0, "%s: %d records with wrong bytes", what, s->bad_payload);
	for (int i = 0; i < n && i < s->n && i < 64; i++)
		CHECK(s->off[i] == (want_pos[i] & (f->size - 1)) && s->len[i] == want_len[i],
		      "%s: record %d at offset %llu len %u, want offset %llu len %u", what, i,
		      (unsigned long long)s->off[i], s->len[i],
		      (unsigned long long)(want_pos[i] & (f->size - 1)), want_len[i]);
}

static void test_in_order(void)
{
	static const uint32_t lens[] = { 1, 7, 8, 9, 16, 40, 0, 100, 255, 3 };
	const int n = (int)(sizeof(lens) / sizeof(lens[0]));
	uint64_t pos[16];
	struct fake f;
	struct seen s;
	long rc;

	check_begin("ringbuf: records delivered in order with their lengths; a drain ends at producer_pos");
	fake_init(&f, 4096, 0);
	seen_init(&s, &f, -1);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 0 && s.n == 0 && f.cons == 0, "empty ring: rc %ld, %d records, cons %llu", rc, s.n,
	      (unsigned long long)f.cons);
	for (int i = 0; i < n; i++)
		pos[i] = produce(&f, lens[i], 0);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == n, "rc %ld, want %d", rc, n);
	expect_seen(&s, &f, pos, lens, n, "first drain");
	CHECK(f.cons == f.prod, "consumer_pos %llu, producer_pos %llu", (unsigned long long)f.cons,
	      (unsigned long long)f.prod);
	/* more records later, from where the last drain stopped */
	seen_init(&s, &f, -1);
	pos[0] = produce(&f, 24, 0);
	pos[1] = produce(&f, 5, 0);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 2, "second drain: rc %ld", rc);
	expect_seen(&s, &f, pos, (const uint32_t[]){ 24, 5 }, 2, "second drain");
	CHECK(f.cons == f.prod, "second drain: consumer_pos %llu, producer_pos %llu",
	      (unsigned long long)f.cons, (unsigned long long)f.prod);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 0 && s.n == 2, "drained ring: rc %ld, %d records", rc, s.n);
	fake_free(&f);

	/* positions are 64-bit and only grow: far past 2^32, after many laps of the ring */
	fake_init(&f, 4096, (5ull << 32) + 4096 * 3 + 512);
	seen_init(&s, &f, -1);
	pos[0] = produce(&f, 32, 0);
	pos[1] = produce(&f, 33, 0);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 2 && f.cons == f.prod, "past 2^32: rc %ld, cons %llu, prod %llu", rc,
	      (unsigned long long)f.cons, (unsigned long long)f.prod);
	expect_seen(&s, &f, pos, (const uint32_t[]){ 32, 33 }, 2, "past 2^32");
	fake_free(&f);

	/* a full ring: records fill all of it */
	fake_init(&f, 4096, 4096 * 7);
	seen_init(&s, &f, -1);
	for (int i = 0; i < 16; i++)
		pos[i] = produce(&f, 256 - HDR, 0);
	uint32_t full_lens[16];
	for (int i = 0; i < 16; i++)
		full_lens[i] = 256 - HDR;
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(f.prod - 4096 * 7 == 4096 && rc == 16 && f.cons == f.prod, "full ring: rc %ld, cons %llu",
	      rc, (unsigned long long)f.cons);
	expect_seen(&s, &f, pos, full_lens, 16, "full ring");
	fake_free(&f);
	check_end();
}

static void test_discard(void)
{
	struct fake f;
	struct seen s;
	uint64_t pos[4];
	long rc;

	check_begin("ringbuf: a discarded record is skipped but consumed");
	fake_init(&f, 4096, 64);
	seen_init(&s, &f, -1);
	pos[0] = produce(&f, 16, 0);
	produce(&f, 40, DISCARD);
	pos[1] = produce(&f, 12, 0);
	produce(&f, 3, DISCARD); /* the last one discarded: still consumed */
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 2, "rc %ld, want 2 (discarded records are not counted)", rc);
	expect_seen(&s, &f, pos, (const uint32_t[]){ 16, 12 }, 2, "discard");
	CHECK(f.cons == f.prod, "consumer_pos %llu, producer_pos %llu", (unsigned long long)f.cons,
	      (unsigned long long)f.prod);
	fake_free(&f);
	check_end();
}

static void test_busy(void)
{
	struct fake f;
	struct seen s;
	uint64_t pos[4];
	long rc;

	check_begin("ringbuf: a busy (uncommitted) record stops consumption there");
	fake_init(&f, 4096, 0);
	seen_init(&s, &f, -1);
	pos[0] = produce(&f, 20, 0);
	pos[1] = produce(&f, 30, BUSY);
	pos[2] = produce(&f, 10, 0); /* committed, but behind a busy one */
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 1, "rc %ld, want 1", rc);
	expect_seen(&s, &f, pos, (const uint32_t[]){ 20 }, 1, "before commit");
	CHECK(f.cons == pos[1], "consumer_pos %llu, want %llu (the busy record)", (unsigned long long)f.cons,
	      (unsigned long long)pos[1]);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 0 && s.n == 1 && f.cons == pos[1], "still busy: rc %ld, %d records, cons %llu", rc, s.n,
	      (unsigned long long)f.cons);
	commit(&f, pos[1]);
	seen_init(&s, &f, -1);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 2 && f.cons == f.prod, "after commit: rc %ld, cons %llu, prod %llu", rc,
	      (unsigned long long)f.cons, (unsigned long long)f.prod);
	expect_seen(&s, &f, pos + 1, (const uint32_t[]){ 30, 10 }, 2, "after commit");
	fake_free(&f);

	/* a busy record that is also marked discarded is still busy */
	fake_init(&f, 4096, 128);
	seen_init(&s, &f, -1);
	pos[0] = produce(&f, 8, BUSY | DISCARD);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 0 && s.n == 0 && f.cons == 128, "busy|discard: rc %ld, %d records, cons %llu", rc, s.n,
	      (unsigned long long)f.cons);
	fake_free(&f);
	check_end();
}

static void test_wrap(void)
{
	struct fake f;
	struct seen s;
	uint64_t pos[4];
	long rc;

	check_begin("ringbuf: a record that wraps past the end is delivered whole, through the mirror");
	/* a small ring (the consumer only needs a power of two); together the records fit in it */
	fake_init(&f, 256, 3 * 256 + 232);
	seen_init(&s, &f, -1);
	pos[0] = produce(&f, 48, 0);  /* header at 232..240, payload 240..288: wraps */
	pos[1] = produce(&f, 100, 0); /* then from offset 32 to 144 */
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 2 && f.cons == f.prod, "rc %ld, cons %llu, prod %llu", rc, (unsigned long long)f.cons,
	      (unsigned long long)f.prod);
	expect_seen(&s, &f, pos, (const uint32_t[]){ 48, 100 }, 2, "wrap");
	fake_free(&f);

	fake_init(&f, 256, 5 * 256 + 240);
	seen_init(&s, &f, -1);
	pos[0] = produce(&f, 233, 0); /* header at 240..248, payload 248..481: nearly the whole ring */
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 1 && f.cons == f.prod && f.prod - pos[0] == 248, "long wrap: rc %ld, cons %llu", rc,
	      (unsigned long long)f.cons);
	expect_seen(&s, &f, pos, (const uint32_t[]){ 233 }, 1, "long wrap");
	fake_free(&f);

	fake_init(&f, 256, 248);
	seen_init(&s, &f, -1);
	pos[0] = produce(&f, 64, 0); /* header in the last 8 bytes; the payload wholly in the mirror */
	pos[1] = produce(&f, 4, 0);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 2 && f.cons == f.prod, "header at the end: rc %ld", rc);
	expect_seen(&s, &f, pos, (const uint32_t[]){ 64, 4 }, 2, "header at the end");
	fake_free(&f);
	check_end();
}

static void test_callback_stop(void)
{
	struct fake f;
	struct seen s;
	uint64_t pos[4];
	long rc;

	check_begin("ringbuf: a negative callback return stops after that record and is returned");
	fake_init(&f, 4096, 1024);
	seen_init(&s, &f, 1);
	pos[0] = produce(&f, 10, 0);
	pos[1] = produce(&f, 20, 0);
	pos[2] = produce(&f, 30, 0);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == -7, "rc %ld, want -7", rc);
	expect_seen(&s, &f, pos, (const uint32_t[]){ 10, 20 }, 2, "stopped");
	CHECK(f.cons == pos[2], "consumer_pos %llu, want %llu (after the stopping record)",
	      (unsigned long long)f.cons, (unsigned long long)pos[2]);
	seen_init(&s, &f, -1);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == 1 && f.cons == f.prod, "resumed: rc %ld, cons %llu", rc, (unsigned long long)f.cons);
	expect_seen(&s, &f, pos + 2, (const uint32_t[]){ 30 }, 1, "resumed");
	fake_free(&f);

	/* stopping on the very last record leaves the ring drained */
	fake_init(&f, 4096, 0);
	seen_init(&s, &f, 0);
	pos[0] = produce(&f, 10, 0);
	rc = ringbuf_consume(&f.rb, on_record, &s);
	CHECK(rc == -7 && f.cons == f.prod, "last record: rc %ld, cons %llu", rc, (unsigned long long)f.cons);
	fake_free(&f);
	check_end();
}

void test_ringbuf(void)
{
	test_in_order();
	test_discard();
	test_busy();
	test_wrap();
	test_callback_stop();
}
