/* ringbuf.c: consumes a BPF ring buffer from its mmap'ed pages, as kernel/bpf/ringbuf.c lays them out.
 * Page 0: consumer_pos (we write). Page 1: producer_pos (kernel writes). Then the data, mapped twice. */
#include "ringbuf.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

/* Each record starts with an 8-byte header: u32 len (with two flag bits), u32 page offset. */
#define RB_HDR_SIZE 8
#define RB_BUSY_BIT (1u << 31)    /* BPF_RINGBUF_BUSY_BIT: reserved, not yet committed */
#define RB_DISCARD_BIT (1u << 30) /* BPF_RINGBUF_DISCARD_BIT: committed, but dropped */

int ringbuf_open(struct ringbuf *rb, int map_fd, uint32_t data_size)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = map_fd };
	void *p;

	memset(rb, 0, sizeof(*rb));
	rb->map_fd = map_fd;
	rb->epoll_fd = -1;
	rb->page_size = (size_t)sysconf(_SC_PAGESIZE);
	if (data_size == 0 || (data_size & (data_size - 1)) || data_size % rb->page_size)
		return -EINVAL;
	rb->mask = data_size - 1;

	p = mmap(NULL, rb->page_size, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	rb->consumer_pos = p;
	/* The kernel maps the data pages twice after the producer page, so a record that runs past the
	 * end of the ring can be read in one piece. Read-only: only the kernel produces. */
	p = mmap(NULL, rb->page_size + 2 * (size_t)data_size, PROT_READ, MAP_SHARED, map_fd,
		 (off_t)rb->page_size);
	if (p == MAP_FAILED) {
		int err = -errno;
		ringbuf_close(rb);
		return err;
	}
	rb->producer_pos = p;
	rb->data = (uint8_t *)p + rb->page_size;

	rb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (rb->epoll_fd < 0 || epoll_ctl(rb->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev) < 0) {
		int err = -errno;
		ringbuf_close(rb);
		return err;
	}
	return 0;
}

int ringbuf_watch_fd(struct ringbuf *rb, int fd)
{
	struct epoll_event ev = { .events = 0, .data.fd = fd }; /* EPOLLERR and EPOLLHUP are implied */

	return epoll_ctl(rb->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

int ringbuf_wait(struct ringbuf *rb, int timeout_ms)
{
	struct epoll_event ev[2];
	int n = epoll_wait(rb->epoll_fd, ev, 2, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++)
		if (ev[i].data.fd != rb->map_fd)
			return 2;
	return n > 0;
}

long ringbuf_consume(struct ringbuf *rb, ringbuf_record_fn fn, void *ctx)
{
	/* Only this thread writes consumer_pos, so a plain read of our own value is enough. */
	uint64_t cons = *rb->consumer_pos;
	long count = 0;
	int stop = 0;

	while (!stop) {
		/* Acquire pairs with the kernel's release of producer_pos: records below it are visible. */
		uint64_t prod = __atomic_load_n(rb->producer_pos, __ATOMIC_ACQUIRE);

		if (cons >= prod)
			break;
		while (cons < prod) {
			const uint8_t *hdr = rb->data + (cons & rb->mask);
			/* Acquire pairs with the commit that clears the busy bit (bpf_ringbuf_submit). */
			uint32_t len = __atomic_load_n((const uint32_t *)hdr, __ATOMIC_ACQUIRE);

			if (len & RB_BUSY_BIT) {
				stop = 1; /* reserved but not yet committed: records after it wait too */
				break;
			}
			uint32_t size = len & ~(RB_BUSY_BIT | RB_DISCARD_BIT);
			cons += (RB_HDR_SIZE + size + 7) & ~7ull;
			if (!(len & RB_DISCARD_BIT)) {
				int r = fn(ctx, hdr + RB_HDR_SIZE, size);
				count++;
				if (r < 0) {
					__atomic_store_n(rb->consumer_pos, cons, __ATOMIC_RELEASE);
					return r;
				}
			}
		}
		/* Release: the kernel may reuse the space only after we are done reading it. */
		__atomic_store_n(rb->consumer_pos, cons, __ATOMIC_RELEASE);
	}
	return count;
}

void ringbuf_close(struct ringbuf *rb)
{
	if (rb->producer_pos)
		munmap(rb->producer_pos, rb->page_size + 2 * (rb->mask + 1));
	if (rb->consumer_pos)
		munmap(rb->consumer_pos, rb->page_size);
	if (rb->epoll_fd >= 0)
		close(rb->epoll_fd);
	rb->producer_pos = rb->consumer_pos = NULL;
	rb->epoll_fd = -1;
}
