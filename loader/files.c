/* files.c: reads a whole small file into a caller's buffer, retrying interrupted reads, always ending
 * the text with a NUL. Pseudo-files report size 0, so it reads until EOF rather than by st_size. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
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
