/* files.h: reading the small text files the kernel exposes (sysfs, procfs, tracefs) in one piece.
 * One helper for every such read, so each caller keeps only its path and its parsing. */
#ifndef TUX_FILES_H
#define TUX_FILES_H

#include <stddef.h>
#include <stdint.h>

/* Reads all of path into buf and NUL-terminates it; the length, or -errno (-E2BIG: buf too small). */
long read_text_file(const char *path, char *buf, size_t size);

/* Reads all of path, to its end (sysfs files may not say their size), into a malloc'ed *data the caller
 * frees; 0 or -errno: -EISDIR for a directory, -EFBIG past max bytes. */
int read_file_alloc(const char *path, size_t max, uint8_t **data, size_t *size);

#endif
