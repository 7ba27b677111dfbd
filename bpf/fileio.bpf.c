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
