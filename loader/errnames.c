/* errnames.c: errno numbers to names, from the kernel's include/uapi/asm-generic/errno-base.h and
 * errno.h (the same numbers on x86_64 and arm64), plus the kernel-internal ones a syscall may leak. */
#include "errnames.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#define E(x) [x] = #x
static const char *const names[] = {
	E(EPERM),  E(ENOENT), E(ESRCH),  E(EINTR),   E(EIO),     E(ENXIO),   E(E2BIG),  E(ENOEXEC),
	E(EBADF),  E(ECHILD), E(EAGAIN), E(ENOMEM),  E(EACCES),  E(EFAULT),  E(EBUSY),  E(EEXIST),
	E(EXDEV),  E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL),  E(ENFILE),  E(EMFILE), E(ENOTTY),
	E(EFBIG),  E(ENOSPC), E(ESPIPE), E(EROFS),   E(EMLINK),  E(EPIPE),   E(EDOM),   E(ERANGE),
	E(EDEADLK), E(ENOLCK), E(ENOSYS), E(ENODATA), E(ENOLINK), E(EPROTO), E(EBADMSG), E(EOVERFLOW),
	E(EILSEQ), E(ENOTSOCK), E(EMSGSIZE), E(EOPNOTSUPP), E(ECONNRESET), E(ENOBUFS), E(ENOTCONN),
	E(ESHUTDOWN), E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS),
	E(ESTALE), E(EDQUOT), E(ECANCELED), E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ENOKEY),
	E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED), E(ERFKILL), E(EHWPOISON),
};
#undef E

const char *errno_name(long err)
{
	if (err == 512) /* ERESTARTSYS: seen at a return probe when a signal interrupts the call */
		return "ERESTARTSYS";
	if (err == 524)
		return "ENOTSUPP";
	if (err <= 0 || (size_t)err >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[err];
}

const char *tux_strerror(int err)
{
	if (err == 524) /* a BPF feature this kernel or architecture lacks, e.g. fentry trampolines */
		return "Not supported by this kernel (ENOTSUPP)";
	return strerror(err);
}
