/* attach.c: what is common to every attach provider: the words that explain an attach failure.
 * The providers themselves live in attach_*.c, one mechanism per file. */
#include "attach.h"

#include <errno.h>

const char *attach_hint(int err)
{
	switch (err) {
	case -ENODEV:
		return " (no kprobe PMU in this kernel: CONFIG_KPROBES off?)";
	case -ENOENT:
	case -EINVAL:
		return " (function not in this kernel?)";
	case -EPERM:
	case -EACCES:
		return " (run as root, or with CAP_BPF and CAP_PERFMON)";
	case -EEXIST:
	case -EBUSY:
		return " (another program is attached there already)";
	default:
		return "";
	}
}
