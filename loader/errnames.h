/* errnames.h: the symbolic name of an errno value ("EAGAIN"), as users of strace and bpftrace read it.
 * musl has no strerrorname_np; this small table covers what read and write return. */
#ifndef TUX_ERRNAMES_H
#define TUX_ERRNAMES_H

/* The name, or NULL for a number this table does not know. */
const char *errno_name(long err);
/* strerror(err), and words for the kernel-internal codes libc does not know (ENOTSUPP 524). */
const char *tux_strerror(int err);

#endif
