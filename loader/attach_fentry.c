/* attach_fentry.c: fentry programs (BPF_PROG_TYPE_TRACING, Linux 5.5+): a BPF trampoline at the function's
 * entry, cheaper than a kprobe's breakpoint. The target is named by its id in the kernel's own BTF. */
#include <errno.h>
#include <linux/bpf.h>
#include <unistd.h>

#include "attach.h"
#include "explain.h"
#include "kernel_btf.h"
#include "sys.h"

/* Does this kernel load tracing programs at all? A two-instruction one with no target costs nothing: a
 * kernel that allows them says EINVAL (no attach_btf_id), one that refuses them (no CAP_BPF, or a policy
 * like this host's) says EPERM before looking, and then the 5 MB of BTF need not be read. */
static int tracing_refused(void)
{
	static const struct bpf_insn ret0[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct prog_load_args args = {
		.prog_type = BPF_PROG_TYPE_TRACING,
		.expected_attach_type = BPF_TRACE_FENTRY,
		.insns = ret0,
		.insn_cnt = 2,
		.license = "GPL",
		.name = "tux_probe",
	};
	int fd = bpf_prog_load(&args);

	explain("BPF_PROG_LOAD prog_type=TRACING attach_btf_id=0 insn_cnt=2 (a probe: are tracing programs "
		"allowed here?) -> %s", explain_fd(fd));
	if (fd >= 0)
		close(fd);
	return fd == -EPERM;
}

/* Finds each target's BTF_KIND_FUNC id in the kernel's BTF. */
static int fentry_prepare(struct probe *probes, size_t n, size_t *failed)
{
	const char *names[8];
	uint32_t ids[8];
	int err;

	*failed = 0;
	if (n > 8)
		return -E2BIG;
	if (tracing_refused())
		return -EPERM;
	for (size_t i = 0; i < n; i++)
		names[i] = probes[i].target;
	if ((err = kernel_btf_func_ids(names, ids, n, failed)))
		return err;
	for (size_t i = 0; i < n; i++) {
		probes[i].btf_id = ids[i];
		explain("BTF: %s is BTF_KIND_FUNC id %u (the program is loaded with attach_btf_id=%u)",
			probes[i].target, ids[i], ids[i]);
	}
	return 0;
}

static int fentry_attach(struct probe *p)
{
	/* BPF_RAW_TRACEPOINT_OPEN with no name attaches a tracing program to the target it was loaded
	 * for (attach_btf_id) and returns a link: closing it detaches. */
	int fd = bpf_raw_tracepoint_open(NULL, p->prog_fd);

	explain("BPF_RAW_TRACEPOINT_OPEN name=NULL prog_fd=%d (a tracing program attaches to its "
		"attach_btf_id: %s%s) -> link %s", p->prog_fd, p->retprobe ? "fexit " : "fentry ",
		p->target, explain_fd(fd));
	if (fd < 0)
		return fd;
	p->fd = fd;
	return 0;
}

static const char *fentry_hint(int err)
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
	.expected_attach_type_ret = BPF_TRACE_FEXIT,
	.prepare = fentry_prepare,
	.attach = fentry_attach,
	.detach = probe_close_fd,
	.hint = fentry_hint,
};
