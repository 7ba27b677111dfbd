/* rwload.c: a workload that makes exactly the read/write-family system calls it is told to, and no others
 * of that family, so tests know how many events of what size each tracer must report. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* usage: rwload [--wait FILE] [--hold] OP:BYTES:COUNT...
 *   OP: read write pread pwrite readv writev preadv pwritev preadv2 pwritev2 (reads from /dev/zero,
 *   writes to /dev/null; vectored calls split BYTES over three iovecs).
 *   --in FILE: read from FILE instead of /dev/zero; op rewind:0:1 seeks it back to the start.
 *   --wait FILE: before the first call, sleep until FILE exists (stat, not read: no event).
 *   --done FILE: after the last call, create FILE (open/close, not write: no event).
 *   --hold: after the last call, sleep until killed (so /proc/PID/io can be read). */

static char buf[1 << 20];

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

static ssize_t one_call(const char *op, int zero, int null, size_t n)
{
	size_t a = n / 3, b = n / 3, c = n - a - b;
	struct iovec iov[3] = { { buf, a }, { buf + a, b }, { buf + a + b, c } };

	if (!strcmp(op, "rewind"))
		return lseek(zero, 0, SEEK_SET) == 0 ? (ssize_t)n : -1;
	if (!strcmp(op, "read"))
		return read(zero, buf, n);
	if (!strcmp(op, "write"))
		return write(null, buf, n);
	if (!strcmp(op, "pread"))
		return pread(zero, buf, n, 0);
	if (!strcmp(op, "pwrite"))
		return pwrite(null, buf, n, 0);
	if (!strcmp(op, "readv"))
		return readv(zero, iov, 3);
	if (!strcmp(op, "writev"))
		return writev(null, iov, 3);
	if (!strcmp(op, "preadv"))
		return preadv(zero, iov, 3, 0);
	if (!strcmp(op, "pwritev"))
		return pwritev(null, iov, 3, 0);
	if (!strcmp(op, "preadv2"))
		return syscall(SYS_preadv2, zero, iov, 3, 0L, 0L, 0); /* musl has no wrapper */
	if (!strcmp(op, "pwritev2"))
		return syscall(SYS_pwritev2, null, iov, 3, 0L, 0L, 0);
	errno = EINVAL;
	return -1;
}

int main(int argc, char **argv)
{
	const char *wait_file = NULL, *done_file = NULL;
	int hold = 0, i = 1;
	int zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (zero < 0 || null < 0)
		return 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--in") && i + 1 < argc) {
			close(zero);
			if ((zero = open(argv[++i], O_RDONLY | O_CLOEXEC)) < 0)
				return 1;
		} else if (!strcmp(argv[i], "--wait") && i + 1 < argc)
			wait_file = argv[++i];
		else if (!strcmp(argv[i], "--done") && i + 1 < argc)
			done_file = argv[++i];
		else if (!strcmp(argv[i], "--hold"))
			hold = 1;
		else
			return 2;
	}
	if (wait_file) {
		struct stat st;
		for (int t = 0; stat(wait_file, &st) != 0; t++) {
			if (t > 6000) /* 60 s */
				return 3;
			nap(10);
		}
	}
	for (; i < argc; i++) {
		char op[16];
		unsigned long bytes, count;

		if (sscanf(argv[i], "%15[a-z0-9]:%lu:%lu", op, &bytes, &count) != 3 ||
		    bytes > sizeof(buf))
			return 2;
		for (unsigned long k = 0; k < count; k++)
			if (one_call(op, zero, null, bytes) != (ssize_t)bytes)
				return 4; /* a short or failed call would break the tests' arithmetic */
	}
	if (done_file)
		close(open(done_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	while (hold)
		nap(1000);
	return 0;
}
