/* tuxscope_events.h: the records and settings shared by the BPF programs and the loader.
 * Fixed-width types and explicit padding only, so both sides agree on every byte. */
#ifndef TUXSCOPE_EVENTS_H
#define TUXSCOPE_EVENTS_H

#include <linux/types.h>

#define TUX_COMM_LEN 16

enum tux_op {
	TUX_OP_READ = 0,
	TUX_OP_WRITE = 1,
};

/* One vfs_read/vfs_write call, as sent through the ring buffer. */
struct fileio_event {
	__u64 timestamp_ns; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 bytes;        /* the count argument: bytes requested */
	__u32 pid;          /* tgid */
	__u8 op;            /* enum tux_op */
	__u8 pad[3];
	char comm[TUX_COMM_LEN] __attribute__((aligned(8)));
};

/* Settings the loader writes into the one-entry "config" array before attaching. */
struct tux_config {
	__u32 self_pid;     /* tuxscope's own tgid: never reported */
	__u32 filter_pids;  /* 1: only pids present in the "pids" hash */
	__u32 filter_comm;  /* 1: only tasks whose comm equals comm[] */
	__u32 wakeup_bytes; /* wake the reader once this much data waits in the ring */
	char comm[TUX_COMM_LEN];
};

/* Counters kept by the programs, one slot each in the "stats" array. */
enum tux_stat {
	TUX_STAT_LOST = 0,  /* ring buffer full: event dropped */
	TUX_STAT_MAX,
};

#endif
