/* kernel_btf.c: reads /sys/kernel/btf/vmlinux and answers what the programs need from it.
 * Offsets come from the kernel that runs, so one binary reads struct file right on 6.1 and 6.12. */
#include "kernel_btf.h"

#include "explain.h"
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

static struct btf cached;
static uint8_t *cached_data; /* the blob cached's tables point into; NULL: nothing cached */

const struct btf *kernel_btf(int *err)
{
	size_t size = 0;

	if (cached_data)
		return &cached;
	uint64_t t0 = explain_clock_ns();
	if ((*err = read_file_alloc(VMLINUX_BTF, (size_t)1 << 30, &cached_data, &size))) {
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
		"(%s ms)", size, cached.ntypes, explain_ms(t0));
	return &cached;
}

/* A window onto the BTF file for reading it front to back without holding it: pread refills it. */
struct btf_stream {
	int fd;
	uint8_t buf[64 * 1024];
	uint64_t start; /* file offset of buf[0] */
	size_t len;
};

/* Points *p at `need` bytes at file offset off (need <= sizeof(buf)); 0, -EBADMSG past the end. */
static int stream_at(struct btf_stream *s, uint64_t off, size_t need, const uint8_t **p)
{
	if (off < s->start || off + need > s->start + s->len) {
		s->start = off;
		s->len = 0;
		while (s->len < sizeof(s->buf)) { /* sysfs gives at most a page per read */
			ssize_t n = pread(s->fd, s->buf + s->len, sizeof(s->buf) - s->len,
					  (off_t)(off + s->len));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -errno;
			if (n == 0)
				break;
			s->len += (size_t)n;
		}
		if (need > s->len)
			return -EBADMSG;
	}
	*p = s->buf + (off - s->start);
	return 0;
}

/* Finds the BTF_KIND_FUNC id of each name without holding the 5 MB blob (the 4 MB peak-memory budget of
 * a plain start-up): one pass over the string section learns each name's offset, one pass over the type
 * section finds the FUNC records that use it. 0, or -ENOENT with *missing set, or another -errno. */
static int stream_func_ids(const char *const *names, uint32_t *ids, size_t n, size_t *missing)
{
	static struct btf_stream s;
	uint32_t name_off[8];
	struct btf_header h;
	const uint8_t *p;
	int err;

	if (n > 8)
		return -E2BIG;
	if ((s.fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	s.start = s.len = 0;
	if ((err = stream_at(&s, 0, sizeof(h), &p)))
		goto out;
	memcpy(&h, p, sizeof(h));
	err = -EBADMSG;
	if (h.magic != 0xeB9F || h.version != 1 || h.hdr_len < sizeof(h) || h.type_off % 4)
		goto out;

	/* Strings: NUL-terminated, back to back; a name matches a whole string. */
	uint64_t strs = (uint64_t)h.hdr_len + h.str_off, cur = 0;
	char word[64];
	size_t wlen = 0;
	for (size_t i = 0; i < n; i++)
		name_off[i] = UINT32_MAX;
	for (uint64_t off = 0; off < h.str_len;) {
		size_t chunk = h.str_len - off < sizeof(s.buf) ? (size_t)(h.str_len - off) : sizeof(s.buf);
		if ((err = stream_at(&s, strs + off, chunk, &p)))
			goto out;
		for (const uint8_t *q = p, *end = p + chunk; q < end;) {
			const uint8_t *nul = memchr(q, 0, (size_t)(end - q));
			size_t part = (size_t)((nul ? nul : end) - q);
			/* A string may span two windows: word keeps its first bytes (longer ones match nothing). */
			if (wlen + part <= sizeof(word))
				memcpy(word + wlen, q, part);
			wlen += part;
			if (!nul)
				break;
			for (size_t i = 0; i < n; i++)
				if (name_off[i] == UINT32_MAX && wlen <= sizeof(word) &&
				    wlen == strlen(names[i]) && memcmp(word, names[i], wlen) == 0)
					name_off[i] = (uint32_t)cur;
			cur = off + (uint64_t)(nul - p) + 1;
			wlen = 0;
			q = nul + 1;
		}
		off += chunk;
	}

	/* Types: each record is a struct btf_type and its kind's entries; ids count from 1. */
	uint64_t types = (uint64_t)h.hdr_len + h.type_off;
	size_t found = 0;
	for (size_t i = 0; i < n; i++)
		ids[i] = 0;
	uint32_t id = 1;
	for (uint64_t off = 0; off + sizeof(struct btf_type) <= h.type_len && found < n; id++) {
		struct btf_type t;
		if ((err = stream_at(&s, types + off, sizeof(t), &p)))
			goto out;
		memcpy(&t, p, sizeof(t));
		long extra = btf_extra_size(&t);
		err = -EBADMSG;
		if (extra < 0)
			goto out;
		if (BTF_INFO_KIND(t.info) == BTF_KIND_FUNC)
			for (size_t i = 0; i < n; i++)
				if (!ids[i] && t.name_off == name_off[i]) {
					ids[i] = id;
					found++;
				}
		off += sizeof(t) + (uint64_t)extra;
	}
	err = 0;
	for (size_t i = 0; i < n && !err; i++)
		if (!ids[i]) {
			*missing = i;
			err = -ENOENT;
		}
out:
	close(s.fd);
	return err;
}

int kernel_btf_func_ids(const char *const *names, uint32_t *ids, size_t n, size_t *missing)
{
	uint64_t t0 = explain_clock_ns();

	if (cached_data) { /* --filename read the whole of it already */
		for (size_t i = 0; i < n; i++) {
			long id = btf_find(&cached, names[i], BTF_KIND_FUNC);
			if (id < 0) {
				*missing = i;
				return (int)id;
			}
			ids[i] = (uint32_t)id;
		}
		return 0;
	}
	int err = stream_func_ids(names, ids, n, missing);
	explain("read " VMLINUX_BTF " front to back in 64 KB windows (the kernel's type information, "
		"not kept): %s (%s ms)", err ? explain_rc(err) : "found the functions' ids",
		explain_ms(t0));
	return err;
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
