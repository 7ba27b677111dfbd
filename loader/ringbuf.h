/* ringbuf.h: the user-space side of a BPF_MAP_TYPE_RINGBUF: map its pages, wait, and consume records.
 * Written from the kernel's layout (kernel/bpf/ringbuf.c), with no library in between. */
#ifndef TUX_RINGBUF_H
#define TUX_RINGBUF_H

#include <stddef.h>
#include <stdint.h>

struct ringbuf {
	int map_fd;
	int epoll_fd;
	size_t page_size;
	uint64_t mask;            /* data size - 1: the size is a power of two */
	uint64_t *consumer_pos;   /* first page, ours to write */
	uint64_t *producer_pos;   /* next page, the kernel's, read-only to us */
	uint8_t *data;            /* the ring, mapped twice in a row so a record never wraps */
};

/* Returns the record's length handled, or a negative number to stop consuming after this record. */
typedef int (*ringbuf_record_fn)(void *ctx, const void *record, uint32_t len);

int ringbuf_open(struct ringbuf *rb, int map_fd, uint32_t data_size);
/* Adds another fd to the ring's epoll set, woken only by its errors and hangups (e.g. stdout). */
int ringbuf_watch_fd(struct ringbuf *rb, int fd);
/* Waits up to timeout_ms. 1: data, 2: a watched fd failed or hung up, 0: timeout or signal, -errno. */
int ringbuf_wait(struct ringbuf *rb, int timeout_ms);
/* Hands every committed record to fn, in order; returns how many, or fn's negative value. */
long ringbuf_consume(struct ringbuf *rb, ringbuf_record_fn fn, void *ctx);
void ringbuf_close(struct ringbuf *rb);

#endif
