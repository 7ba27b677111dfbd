/* tuxscope_events.h: the records and settings shared by the BPF programs and the loader.
 * Fixed-width types and explicit padding only, so both sides agree on every byte. */
#ifndef TUXSCOPE_EVENTS_H
#define TUXSCOPE_EVENTS_H

#include <linux/types.h>

#define TUX_COMM_LEN 16
#define TUX_NAME_LEN 128 /* file names are shown whole up to 127 bytes, then marked as cut */

enum tux_op {
	TUX_OP_READ = 0,
	TUX_OP_WRITE = 1,
};

enum tux_event_flags {
	TUX_EV_RET = 1,      /* ret holds what the call returned (--actual) */
	TUX_EV_FILE = 2,     /* ino and mode are set, and a name follows the record */
	TUX_EV_NAME_CUT = 4, /* the name was longer than TUX_NAME_LEN - 1 bytes */
};

/* One vfs_read/vfs_write call (or read/write system call), as sent through the ring buffer. */
struct fileio_event {
	__u64 timestamp_ns; /* bpf_ktime_get_ns() at the call: CLOCK_MONOTONIC */
	__u64 bytes;        /* the count argument: bytes requested */
	__s64 ret;          /* TUX_EV_RET: bytes moved, or -errno */
	__u64 ino;          /* TUX_EV_FILE: the file's inode number */
	__u32 pid;          /* tgid */
	__u32 tid;
	__u16 mode;         /* TUX_EV_FILE: the inode's i_mode (its S_IFMT bits say pipe, socket, ...) */
	__u8 op;            /* enum tux_op */
	__u8 flags;         /* enum tux_event_flags */
	__u32 pad;
	char comm[TUX_COMM_LEN] __attribute__((aligned(8)));
};

/* The record with TUX_EV_FILE: the file's name (d_name of its dentry), NUL-terminated. */
struct fileio_event_named {
	struct fileio_event e;
	char name[TUX_NAME_LEN];
};

enum tux_mode {
	TUX_MODE_STREAM = 0, /* one ring buffer record per call */
	TUX_MODE_TOP = 1,    /* totals in the "totals" hash, nothing per call */
};

/* Settings the loader writes into the one-entry "config" array before attaching. */
struct tux_config {
	__u32 self_pid;     /* tuxscope's own tgid: never reported */
	__u32 filter_pids;  /* 1: only pids present in the "pids" hash */
	__u32 filter_comm;  /* 1: only tasks whose comm equals comm[] */
	__u32 wakeup_bytes; /* wake the reader once this much data waits in the ring */
	char comm[TUX_COMM_LEN];
	__u32 mode;         /* enum tux_mode */
	__u32 want_file;    /* 1: read the file's name and inode (needs the offsets below) */
	__u32 want_actual;  /* 1: report at return, with what the call returned */
	__u32 top_by_file;  /* 1: totals per process and file, not per process */
	__u64 last_wake_ns; /* written by the programs: when they last woke the reader */
	/* Member offsets of the running kernel's structs, from its BTF: never compiled in. */
	__u32 off_file_dentry; /* file.f_path.dentry */
	__u32 off_dentry_name; /* dentry.d_name.name */
	__u32 off_dentry_len;  /* dentry.d_name.len */
	__u32 off_file_inode;  /* file.f_inode */
	__u32 off_inode_mode;  /* inode.i_mode */
	__u32 off_inode_ino;   /* inode.i_ino */
	__u32 off_inode_sb;    /* inode.i_sb */
	__u32 off_sb_dev;      /* super_block.s_dev */
};

/* `tuxscope top`: what the programs add up, per process (ino = dev = 0) or per process and file. */
struct top_key {
	__u32 pid;
	__u32 dev;
	__u64 ino;
};

struct top_value {
	__u64 reads;
	__u64 writes;
	__u64 read_bytes;
	__u64 write_bytes;
	__u16 mode;
	__u8 pad[6];
	char comm[TUX_COMM_LEN];
	char name[TUX_NAME_LEN];
};

/* Counters kept by the programs, one slot each in the "stats" array. */
enum tux_stat {
	TUX_STAT_LOST = 0,     /* ring buffer full: event dropped */
	TUX_STAT_TOP_FULL = 1, /* totals map full: a new process or file not counted */
	TUX_STAT_NO_RETURN = 2, /* --actual: a call's return was never seen (kretprobe instances ran out) */
	TUX_STAT_MAX,
};

#endif
