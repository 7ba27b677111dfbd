/* attach_fentry.c: fentry programs (BPF_PROG_TYPE_TRACING, Linux 5.5+): a BPF trampoline at the function's
 * entry, cheaper than a kprobe's breakpoint. The target is named by its id in the kernel's own BTF. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "btf.h"
#include "sys.h"

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

/* Finds each target's BTF_KIND_FUNC id; the blob is only needed for that, so it is freed at once. */
static int fentry_prepare(struct probe *probes, size_t n)
{
	uint8_t *data = NULL;
	size_t size = 0;
	struct btf btf;
	int err = read_file(VMLINUX_BTF, &data, &size);

	if (err)
		return err == -ENOENT ? -ENODEV : err;
	if ((err = btf_open(&btf, data, size)) == 0) {
		for (size_t i = 0; i < n && !err; i++) {
			long id = btf_find(&btf, probes[i].target, BTF_KIND_FUNC);
			if (id < 0)
				err = (int)id;
			else
				probes[i].btf_id = (uint32_t)id;
		}
		btf_close(&btf);
	} else {
		err = -EBADMSG; /* the kernel's BTF is not what this reader understands */
	}
	free(data);
	return err;
}

static int fentry_attach(struct probe *p)
{
	/* BPF_RAW_TRACEPOINT_OPEN with no name attaches a tracing program to the target it was loaded
	 * for (attach_btf_id) and returns a link: closing it detaches. */
	int fd = bpf_raw_tracepoint_open(NULL, p->prog_fd);

	if (fd < 0)
		return fd;
	p->fd = fd;
	return 0;
}

static void fentry_detach(struct probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

static const char *fentry_explain(int err)
{
	switch (err) {
	case -ENODEV:
		return "no kernel BTF";
	case -ENOENT:
		return "function not in the kernel's BTF";
	case -EBADMSG:
		return "kernel BTF not understood";
	case -EPERM:
	case -EINVAL:
	case -524: /* ENOTSUPP, the kernel-internal code for no trampoline on this arch */
		return "refused by this kernel";
	default:
		return NULL;
	}
}

const struct attach_provider fentry_provider = {
	.name = "fentry",
	.section_prefix = "fentry/",
	.prog_type = BPF_PROG_TYPE_TRACING,
	.expected_attach_type = BPF_TRACE_FENTRY,
	.prepare = fentry_prepare,
	.attach = fentry_attach,
	.detach = fentry_detach,
	.explain = fentry_explain,
};
