/* kernel_btf.h: the running kernel's own BTF (/sys/kernel/btf/vmlinux), read when a feature needs it:
 * function ids for fentry, struct member offsets for file names. Freed as soon as the answer is known. */
#ifndef TUX_KERNEL_BTF_H
#define TUX_KERNEL_BTF_H

#include <stdint.h>

#include "btf.h"
#include "tuxscope_events.h"

struct kernel_btf {
	struct btf btf;
	uint8_t *data;
};

/* 0, -ENODEV (the kernel has no BTF), -EBADMSG (not understood), or another -errno. */
int kernel_btf_load(struct kernel_btf *kb);
void kernel_btf_free(struct kernel_btf *kb);

/* Fills cfg's off_* fields (struct file, dentry, inode, super_block members) from the kernel's BTF.
 * On failure *missing names what was not found. */
int kernel_file_offsets(struct tux_config *cfg, const char **missing);

#endif
