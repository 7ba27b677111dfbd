/* kernel_btf.c: reads /sys/kernel/btf/vmlinux and answers what the programs need from it.
 * Offsets come from the kernel that runs, so one binary reads struct file right on 6.1 and 6.12. */
#include "kernel_btf.h"

#include "explain.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/* Reads a whole file into a malloc'ed buffer; 0 or -errno. */
static int read_file(const char *path, uint8_t **data, size_t *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap;
	uint8_t *buf;

	if (fd < 0)
		return -errno;
	/* sysfs reports the BTF blob's size; +1 so the loop below sees the end without growing. */
	cap = (fstat(fd, &st) == 0 && st.st_size > 0) ? (size_t)st.st_size + 1 : 1 << 20;
	buf = malloc(cap);
	for (;;) {
		if (!buf) {
			close(fd);
			return -ENOMEM;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;
			free(buf);
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			uint8_t *bigger = realloc(buf, cap * 2);
			if (!bigger)
				free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	close(fd);
	*data = buf;
	*size = len;
	return 0;
}

static struct btf cached;
static uint8_t *cached_data; /* the blob cached's tables point into; NULL: nothing cached */

const struct btf *kernel_btf(int *err)
{
	size_t size = 0;

	if (cached_data)
		return &cached;
	uint64_t t0 = explain_clock_ns();
	if ((*err = read_file(VMLINUX_BTF, &cached_data, &size))) {
		explain("read " VMLINUX_BTF " -> %s", explain_rc(*err));
		*err = *err == -ENOENT ? -ENODEV : *err;
		cached_data = NULL;
		return NULL;
	}
	if (btf_open(&cached, cached_data, size)) {
		explain("read " VMLINUX_BTF ": %zu bytes, not BTF this reader understands", size);
		free(cached_data);
		cached_data = NULL;
		*err = -EBADMSG;
		return NULL;
	}
	explain("read " VMLINUX_BTF ", the kernel's own type information: %zu bytes, %u types, indexed "
		"(%.3f ms)", size, cached.ntypes, explain_ms_since(t0));
	return &cached;
}

void kernel_btf_release(void)
{
	if (!cached_data)
		return;
	btf_close(&cached);
	free(cached_data);
	cached_data = NULL;
}

/* Offset of the member path "a.b" starting at struct `type`, following no pointers; -ENOENT if absent. */
static long path_offset(const struct btf *btf, const char *type, const char *m1, const char *m2)
{
	uint32_t t;
	long id = btf_find(btf, type, BTF_KIND_STRUCT);
	long a, b = 0;

	if (id < 0 || (a = btf_member_offset(btf, (uint32_t)id, m1, &t)) < 0)
		return -ENOENT;
	if (m2 && (b = btf_member_offset(btf, t, m2, &t)) < 0)
		return -ENOENT;
	return a + b;
}

int kernel_file_offsets(struct tux_config *cfg, const char **missing)
{
	static const struct {
		const char *type, *m1, *m2, *what;
		size_t field;
	} want[] = {
		{ "file", "f_path", "dentry", "file.f_path.dentry", offsetof(struct tux_config, off_file_dentry) },
		{ "dentry", "d_name", "name", "dentry.d_name.name", offsetof(struct tux_config, off_dentry_name) },
		{ "dentry", "d_name", "len", "dentry.d_name.len", offsetof(struct tux_config, off_dentry_len) },
		{ "file", "f_inode", NULL, "file.f_inode", offsetof(struct tux_config, off_file_inode) },
		{ "inode", "i_mode", NULL, "inode.i_mode", offsetof(struct tux_config, off_inode_mode) },
		{ "inode", "i_ino", NULL, "inode.i_ino", offsetof(struct tux_config, off_inode_ino) },
		{ "inode", "i_sb", NULL, "inode.i_sb", offsetof(struct tux_config, off_inode_sb) },
		{ "super_block", "s_dev", NULL, "super_block.s_dev", offsetof(struct tux_config, off_sb_dev) },
	};
	int err = 0;
	const struct btf *btf = kernel_btf(&err);

	if (!btf) {
		*missing = "/sys/kernel/btf/vmlinux";
		return err;
	}
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		long off = path_offset(btf, want[i].type, want[i].m1, want[i].m2);
		if (off < 0) {
			*missing = want[i].what;
			err = -ENOENT;
			break;
		}
		uint32_t v = (uint32_t)off;
		memcpy((char *)cfg + want[i].field, &v, sizeof(v));
		explain("BTF: %s is at byte %ld (the program reads it there with bpf_probe_read_kernel)",
			want[i].what, off);
	}
	return err;
}
