/* kernel_btf.h: the running kernel's own BTF (/sys/kernel/btf/vmlinux), read when a feature needs it:
 * function ids for fentry, struct member offsets for file names. Released once the session has attached. */
#ifndef TUX_KERNEL_BTF_H
#define TUX_KERNEL_BTF_H

#include <stdint.h>

#include "btf.h"
#include "tuxscope_events.h"

/* The kernel's BTF, read and indexed on first use and kept until kernel_btf_release(), so the users in one
 * start-up (file offsets, fentry ids) read the 5 MB blob once. NULL with *err = -ENODEV (the kernel has
 * no BTF), -EBADMSG (not understood) or another -errno. */
const struct btf *kernel_btf(int *err);
void kernel_btf_release(void);

/* The BTF_KIND_FUNC ids of up to 8 functions (fentry's attach_btf_id), read without keeping the blob
 * unless kernel_btf() has it already. 0, or -ENOENT with *missing = the index not found, -ENODEV (no
 * kernel BTF), -EBADMSG (not understood). */
int kernel_btf_func_ids(const char *const *names, uint32_t *ids, size_t n, size_t *missing);

/* Fills cfg's off_* fields (struct file, dentry, inode, super_block members) from the kernel's BTF.
 * On failure *missing names what was not found. */
int kernel_file_offsets(struct tux_config *cfg, const char **missing);

#endif
