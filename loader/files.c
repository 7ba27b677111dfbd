/* files.c: reads a whole file, into a caller's buffer (small text files, NUL-terminated) or a grown one
 * (objects, BTF), retrying interrupted reads. Pseudo-files may report size 0: both read until EOF. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

long read_text_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	long err = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		len += (size_t)n;
		if (len == size - 1) {
			err = -E2BIG;
			break;
		}
	}
	close(fd);
	buf[len] = 0;
	return err ? err : (long)len;
}

int read_file_alloc(const char *path, size_t max, uint8_t **data, size_t *size)
{
	struct stat st;
	size_t len = 0, cap;
	uint8_t *buf = NULL;
	int err = 0, fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (S_ISDIR(st.st_mode))
		err = -EISDIR;
	else if ((uint64_t)st.st_size > max)
		err = -EFBIG;
	/* The size it reports, +1 so the loop sees the end without growing; a guess if it reports none. */
	cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 64 * 1024;
	if (!err && !(buf = malloc(cap)))
		err = -ENOMEM;
	while (!err) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		len += (size_t)n;
		if (len > max) {
			err = -EFBIG;
		} else if (len == cap) {
			uint8_t *bigger = realloc(buf, cap * 2);
			if (!bigger)
				err = -ENOMEM;
			else
				buf = bigger, cap *= 2;
		}
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*data = buf;
	*size = len;
	return 0;
}
