/* fileio.bpf.c: the kernel side of `tuxscope fileio` and `tuxscope top`: every vfs_read/vfs_write call
 * (or read/write system call) is filtered here, then streamed to the ring buffer or added to totals. */
#include "tux_bpf.h"
#include "tux_arch.h"
#include "tuxscope_events.h"

char LICENSE[] SEC("license") = "GPL"; /* bpf_probe_read_kernel and friends are GPL-only */

TUX_MAP(events, BPF_MAP_TYPE_RINGBUF, 0, 0, 1024 * 1024);
TUX_MAP(config, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(struct tux_config), 1);
TUX_MAP(pids, BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(__u8), 64);
TUX_MAP(stats, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u64), TUX_STAT_MAX);
/* --actual: the call's record from entry to return, per thread. LRU, so entries whose return never
 * came (a killed task) are recycled rather than filling the map. The loader sizes it to 1 when unused. */
TUX_MAP(inflight, BPF_MAP_TYPE_LRU_HASH, sizeof(__u32), sizeof(struct fileio_event_named), 10240);
/* top: totals per process or per process and file. */
TUX_MAP(totals, BPF_MAP_TYPE_HASH, sizeof(struct top_key), sizeof(struct top_value), 10240);

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

static __always_inline struct tux_config *get_config(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&config, &zero);
}

#define WAKE_IDLE_NS 1000000 /* a reader that has caught up is woken at once, at most once a ms */
#define CAUGHT_UP_BYTES 256  /* no more than this record waits: the reader has read all the rest */
#define WAKE_EVERY_SHIFT 12  /* a lagging reader is woken each 4 KB of records, not for each */
#define RB_HDR 8             /* BPF_RINGBUF_HDR_SZ */
#define RB_REC(size) ((RB_HDR + (size) + 7) & ~7ull)

/* Waking the reader costs an IPI (irq_work), more than the record itself: wake it once a batch has
 * gathered, and while it lags behind that only each 4 KB of new records. A reader that has caught up is
 * woken at once for the first record that follows, so a quiet system's events show without delay; at
 * most once a millisecond, so a storm stays batched. The reader also polls every 10 ms. rec is this
 * record's room in the ring; reserved says whether the producer position already counts it; now is the
 * record's own timestamp when it was just taken (0: read the clock), which spares a second clock read
 * per event while the reader keeps up. */
static __always_inline __u64 wakeup_flags(struct tux_config *cfg, __u64 rec, int reserved, __u64 now)
{
	__u64 prod = bpf_ringbuf_query(&events, BPF_RB_PROD_POS) + (reserved ? 0 : rec);
	__u64 avail = prod - bpf_ringbuf_query(&events, BPF_RB_CONS_POS);

	if (avail >= cfg->wakeup_bytes) /* other CPUs' records may be in avail too: no exact crossing */
		return ((prod ^ (prod - rec)) >> WAKE_EVERY_SHIFT) ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	if (avail <= CAUGHT_UP_BYTES) {
		if (!now)
			now = bpf_ktime_get_ns();
		if (now - cfg->last_wake_ns >= WAKE_IDLE_NS && now >= cfg->last_wake_ns) {
			cfg->last_wake_ns = now; /* racy between CPUs: at worst one more wake-up */
			return BPF_RB_FORCE_WAKEUP;
		}
	}
	return BPF_RB_NO_WAKEUP;
}

/* The file's inode number, type and device, and if name is not NULL its name, through the member
 * offsets the loader found in this kernel's BTF. Each step is a checked read: a bad pointer gives
 * zeros, never a fault. */
static __always_inline void read_file(const struct tux_config *cfg, __u64 file, __u64 *ino, __u16 *mode,
				      __u32 *dev, char *name, __u8 *flags)
{
	__u64 dentry = 0, name_ptr = 0, inode = 0, sb = 0;
	__u32 len = 0;

	bpf_probe_read_kernel(&inode, sizeof(inode), (const void *)(file + cfg->off_file_inode));
	bpf_probe_read_kernel(ino, sizeof(*ino), (const void *)(inode + cfg->off_inode_ino));
	bpf_probe_read_kernel(mode, sizeof(*mode), (const void *)(inode + cfg->off_inode_mode));
	if (dev) {
		bpf_probe_read_kernel(&sb, sizeof(sb), (const void *)(inode + cfg->off_inode_sb));
		bpf_probe_read_kernel(dev, sizeof(*dev), (const void *)(sb + cfg->off_sb_dev));
	}
	if (!name)
		return;
	bpf_probe_read_kernel(&dentry, sizeof(dentry), (const void *)(file + cfg->off_file_dentry));
	bpf_probe_read_kernel(&name_ptr, sizeof(name_ptr), (const void *)(dentry + cfg->off_dentry_name));
	bpf_probe_read_kernel(&len, sizeof(len), (const void *)(dentry + cfg->off_dentry_len));
	if (bpf_probe_read_kernel_str(name, TUX_NAME_LEN, (const void *)name_ptr) < 0)
		name[0] = 0;
	*flags |= TUX_EV_FILE | (len >= TUX_NAME_LEN ? TUX_EV_NAME_CUT : 0);
}

/* top: add one call to its process's (or process and file's) totals. */
static __always_inline int add_to_totals(const struct tux_config *cfg, __u32 pid, __u8 op, __u64 bytes,
					 __u64 file, const __u64 *comm)
{
	struct top_key key = { .pid = pid };
	struct top_value *v;
	__u16 mode = 0;
	__u8 flags = 0;

	if (cfg->top_by_file && file)
		read_file(cfg, file, &key.ino, &mode, &key.dev, NULL, &flags);
	v = bpf_map_lookup_elem(&totals, &key);
	if (!v) {
		struct top_value init = { .mode = mode };

		__builtin_memcpy(init.comm, comm, TUX_COMM_LEN);
		if (cfg->top_by_file && file)
			read_file(cfg, file, &key.ino, &init.mode, &key.dev, init.name, &flags);
		/* NOEXIST: if another CPU added it meanwhile, keep theirs and add to it below. */
		if (bpf_map_update_elem(&totals, &key, &init, BPF_NOEXIST) == -7 /* -E2BIG: full */)
			count_stat(TUX_STAT_TOP_FULL);
		v = bpf_map_lookup_elem(&totals, &key);
		if (!v)
			return 0;
	}
	if (op == TUX_OP_READ) {
		__sync_fetch_and_add(&v->reads, 1);
		__sync_fetch_and_add(&v->read_bytes, bytes);
	} else {
		__sync_fetch_and_add(&v->writes, 1);
		__sync_fetch_and_add(&v->write_bytes, bytes);
	}
	return 0;
}

/* A call starts: file is the struct file * or 0 where there is none (system call tracepoints).
 * A function of its own (a BPF-to-BPF call, in .text), not inlined: seven programs call it, and one
 * copy instead of seven takes 13 KB off the binary. The loader links it after each caller. */
static __attribute__((noinline)) int on_call(__u8 op, __u64 bytes, __u64 file)
{
	struct tux_config *cfg = get_config();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = id >> 32;
	/* 8-byte aligned so the copy into the record below is two 64-bit moves, not sixteen byte stores */
	__u64 comm[TUX_COMM_LEN / 8] = {};

	if (!cfg || pid == cfg->self_pid)
		return 0;
	if (cfg->filter_pids && !bpf_map_lookup_elem(&pids, &pid))
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if (cfg->filter_comm && !comm_equal((const char *)comm, cfg->comm))
		return 0;
	if (cfg->mode == TUX_MODE_TOP)
		return add_to_totals(cfg, pid, op, bytes, file, comm);

	if (cfg->want_actual || (cfg->want_file && file)) {
		/* The longer record, built whole first: kept until the return, or sent now. */
		struct fileio_event_named n = {};

		n.e.timestamp_ns = bpf_ktime_get_ns();
		n.e.bytes = bytes;
		n.e.pid = pid;
		n.e.tid = (__u32)id;
		n.e.op = op;
		__builtin_memcpy(n.e.comm, comm, TUX_COMM_LEN);
		if (cfg->want_file && file)
			read_file(cfg, file, &n.e.ino, &n.e.mode, NULL, n.name, &n.e.flags);
		if (cfg->want_actual) {
			/* A record still kept for this thread means its last call returned unseen: a
			 * kretprobe has a fixed number of instances, and calls beyond them return unseen. */
			if (bpf_map_lookup_elem(&inflight, &n.e.tid))
				count_stat(TUX_STAT_NO_RETURN);
			bpf_map_update_elem(&inflight, &n.e.tid, &n, BPF_ANY);
			return 0;
		}
		if (bpf_ringbuf_output(&events, &n, sizeof(n), wakeup_flags(cfg, RB_REC(sizeof(n)), 0, n.e.timestamp_ns)))
			count_stat(TUX_STAT_LOST);
		return 0;
	}

	/* The common case, the hot path: reserve in the ring and fill in place, no copy. */
	struct fileio_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_stat(TUX_STAT_LOST);
		return 0;
	}
	e->timestamp_ns = bpf_ktime_get_ns();
	e->bytes = bytes;
	e->ret = 0;
	e->ino = 0;
	e->pid = pid;
	e->tid = (__u32)id;
	e->mode = 0;
	e->op = op;
	e->flags = 0;
	e->pad = 0;
	__builtin_memcpy(e->comm, comm, TUX_COMM_LEN);
	bpf_ringbuf_submit(e, wakeup_flags(cfg, RB_REC(sizeof(*e)), 1, e->timestamp_ns));
	return 0;
}

/* The call returns (--actual): send the record kept at entry, with what the call returned. */
static __always_inline int on_return(__s64 ret)
{
	struct tux_config *cfg = get_config();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct fileio_event_named *n = bpf_map_lookup_elem(&inflight, &tid);
	long err;

	if (!cfg || !n)
		return 0; /* filtered out at entry, or entered before we attached */
	n->e.ret = ret;
	n->e.flags |= TUX_EV_RET;
	if (n->e.flags & TUX_EV_FILE)
		err = bpf_ringbuf_output(&events, n, sizeof(*n), wakeup_flags(cfg, RB_REC(sizeof(*n)), 0, 0));
	else
		err = bpf_ringbuf_output(&events, n, sizeof(n->e), wakeup_flags(cfg, RB_REC(sizeof(n->e)), 0, 0));
	if (err)
		count_stat(TUX_STAT_LOST);
	bpf_map_delete_elem(&inflight, &tid);
	return 0;
}

/* kprobes (through the kprobe PMU or kprobe_events): the arguments are in the saved registers. */
SEC("kprobe/vfs_read")
int trace_vfs_read(void *ctx)
{
	return on_call(TUX_OP_READ, TUX_ARG3(ctx), TUX_ARG1(ctx));
}

SEC("kprobe/vfs_write")
int trace_vfs_write(void *ctx)
{
	return on_call(TUX_OP_WRITE, TUX_ARG3(ctx), TUX_ARG1(ctx));
}

SEC("kretprobe/vfs_rw")
int trace_vfs_rw_ret(void *ctx)
{
	return on_return((__s64)TUX_RET(ctx));
}

/* fentry/fexit: the context is the function's arguments, each widened to u64, then (fexit) its
 * return value. The struct file * is read through a helper so the verifier treats it as a plain
 * number: the name is reached through offsets known only at run time. */
static __always_inline __u64 plain_arg(__u64 *ctx, int i)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &ctx[i]);
	return v;
}

SEC("fentry/vfs_read")
int fentry_vfs_read(__u64 *ctx)
{
	return on_call(TUX_OP_READ, ctx[2], plain_arg(ctx, 0));
}

SEC("fentry/vfs_write")
int fentry_vfs_write(__u64 *ctx)
{
	return on_call(TUX_OP_WRITE, ctx[2], plain_arg(ctx, 0));
}

/* vfs_read and vfs_write take four arguments: the return value follows them. */
SEC("fexit/vfs_read")
int fexit_vfs_read(__u64 *ctx)
{
	return on_return((__s64)ctx[4]);
}

SEC("fexit/vfs_write")
int fexit_vfs_write(__u64 *ctx)
{
	return on_return((__s64)ctx[4]);
}

/* Syscall tracepoints, for kernels where no VFS probe attaches: the system call view. The record is
 * the common header, __syscall_nr, then the arguments (or, at exit, the return value) as 64-bit
 * fields (events/syscalls/.../format). */
struct syscall_enter {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	__u64 args[6];
};

struct syscall_exit {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	__s64 ret;
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

/* Two programs serve the ten calls: one where the count is the third argument (read, write, pread64,
 * pwrite64), one for the vectored calls; the system call number says whether it reads or writes. */
SEC("tracepoint/syscalls/sys_enter_rw")
int sys_enter_rw(struct syscall_enter *ctx)
{
	return on_call(TUX_SYSCALL_IS_WRITE(ctx->syscall_nr) ? TUX_OP_WRITE : TUX_OP_READ, ctx->args[2], 0);
}

SEC("tracepoint/syscalls/sys_enter_rwv")
int sys_enter_rwv(struct syscall_enter *ctx)
{
	return on_call(TUX_SYSCALL_IS_WRITE(ctx->syscall_nr) ? TUX_OP_WRITE : TUX_OP_READ,
		       iov_total(ctx->args[1], ctx->args[2]), 0);
}

/* One program for the exit of all ten: the record kept at entry says which call it was. */
SEC("tracepoint/syscalls/sys_exit_rw")
int sys_exit_rw(struct syscall_exit *ctx)
{
	return on_return(ctx->ret);
}
