/* fileio.bpf.c: the kernel side of `tuxscope fileio`: one record per vfs_read/vfs_write call.
 * Filters (own pid, --pid, --comm) run here, so unwanted events never reach the ring buffer. */
#include "tux_bpf.h"
#include "tux_arch.h"
#include "tuxscope_events.h"

char LICENSE[] SEC("license") = "GPL"; /* bpf_probe_read_kernel and friends are GPL-only */

TUX_MAP(events, BPF_MAP_TYPE_RINGBUF, 0, 0, 256 * 1024);
TUX_MAP(config, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(struct tux_config), 1);
TUX_MAP(pids, BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(__u8), 64);
TUX_MAP(stats, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u64), TUX_STAT_MAX);

static __always_inline void count_stat(__u32 which)
{
	__u64 *slot = bpf_map_lookup_elem(&stats, &which);

	if (slot)
		__sync_fetch_and_add(slot, 1);
}

static __always_inline int comm_equal(const char *a, const char *b)
{
	for (int i = 0; i < TUX_COMM_LEN; i++) {
		if (a[i] != b[i])
			return 0;
		if (a[i] == 0)
			return 1;
	}
	return 1;
}

static __always_inline int record(__u8 op, __u64 bytes)
{
	__u32 zero = 0;
	struct tux_config *cfg = bpf_map_lookup_elem(&config, &zero);
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	/* 8-byte aligned so the copy into the record below is two 64-bit moves, not sixteen byte stores */
	__u64 comm[TUX_COMM_LEN / 8] = {};

	if (!cfg || pid == cfg->self_pid)
		return 0;
	if (cfg->filter_pids && !bpf_map_lookup_elem(&pids, &pid))
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if (cfg->filter_comm && !comm_equal((const char *)comm, cfg->comm))
		return 0;

	struct fileio_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_stat(TUX_STAT_LOST);
		return 0;
	}
	e->timestamp_ns = bpf_ktime_get_ns();
	e->bytes = bytes;
	e->pid = pid;
	e->op = op;
	e->pad[0] = e->pad[1] = e->pad[2] = 0;
	__builtin_memcpy(e->comm, comm, TUX_COMM_LEN);

	/* Waking the reader for every event costs more than the event itself; wake it only once a batch
	 * has gathered. The reader also polls with a short timeout, so a quiet trickle still shows up. */
	__u64 flags = BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg->wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
	return 0;
}

/* kprobes (through the kprobe PMU or kprobe_events): the arguments are in the saved registers. */
SEC("kprobe/vfs_read")
int trace_vfs_read(void *ctx)
{
	return record(TUX_OP_READ, TUX_ARG3(ctx));
}

SEC("kprobe/vfs_write")
int trace_vfs_write(void *ctx)
{
	return record(TUX_OP_WRITE, TUX_ARG3(ctx));
}

/* fentry: the context is the function's arguments, each widened to u64. */
SEC("fentry/vfs_read")
int fentry_vfs_read(__u64 *ctx)
{
	return record(TUX_OP_READ, ctx[2]);
}

SEC("fentry/vfs_write")
int fentry_vfs_write(__u64 *ctx)
{
	return record(TUX_OP_WRITE, ctx[2]);
}

/* Syscall tracepoints, for kernels where no VFS probe attaches: the system call view. The record is
 * the common header, __syscall_nr, then the arguments as u64 (events/syscalls/.../format). */
struct syscall_enter {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	__u64 args[6];
};

struct tux_iovec {
	__u64 base;
	__u64 len;
};

#define UIO_MAXIOV 1024 /* the kernel refuses more iovecs than this, so no more need adding */

/* The bytes a vectored call requests: the sum of its iovec lengths, read from the caller's memory. */
static __always_inline __u64 iov_total(__u64 vec, __u64 vlen)
{
	__u64 total = 0;

	for (__u32 i = 0; i < UIO_MAXIOV && i < vlen; i++) {
		struct tux_iovec iov;

		if (bpf_probe_read_user(&iov, sizeof(iov), (const void *)(vec + i * sizeof(iov))))
			break;
		total += iov.len;
	}
	return total;
}

#define SYSCALL_PROG(call, op, bytes)                                          \
	SEC("tracepoint/syscalls/sys_enter_" #call)                          \
	int sys_enter_##call(struct syscall_enter *ctx)                      \
	{                                                                    \
		return record(op, bytes);                                    \
	}

SYSCALL_PROG(read, TUX_OP_READ, ctx->args[2])
SYSCALL_PROG(write, TUX_OP_WRITE, ctx->args[2])
SYSCALL_PROG(pread64, TUX_OP_READ, ctx->args[2])
SYSCALL_PROG(pwrite64, TUX_OP_WRITE, ctx->args[2])
SYSCALL_PROG(readv, TUX_OP_READ, iov_total(ctx->args[1], ctx->args[2]))
SYSCALL_PROG(writev, TUX_OP_WRITE, iov_total(ctx->args[1], ctx->args[2]))
SYSCALL_PROG(preadv, TUX_OP_READ, iov_total(ctx->args[1], ctx->args[2]))
SYSCALL_PROG(pwritev, TUX_OP_WRITE, iov_total(ctx->args[1], ctx->args[2]))
SYSCALL_PROG(preadv2, TUX_OP_READ, iov_total(ctx->args[1], ctx->args[2]))
SYSCALL_PROG(pwritev2, TUX_OP_WRITE, iov_total(ctx->args[1], ctx->args[2]))
