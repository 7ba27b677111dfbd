/* sys.h: the raw system calls tuxscope makes (bpf, perf_event_open), each named after its kernel command.
 * Each returns a file descriptor or 0 on success, or a negative errno, and does nothing else. */
#ifndef TUX_SYS_H
#define TUX_SYS_H

#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>

int sys_bpf(int cmd, union bpf_attr *attr, unsigned size);
int sys_perf_event_open(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
			unsigned long flags);

int bpf_map_create(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries,
		   uint32_t flags, const char *name);
int bpf_map_update_elem(int map_fd, const void *key, const void *value, uint64_t flags);
int bpf_map_lookup_elem(int map_fd, const void *key, void *value);
int bpf_map_delete_elem(int map_fd, const void *key);
/* The key after `key` (or the first, if key is NULL); -ENOENT after the last. */
int bpf_map_get_next_key(int map_fd, const void *key, void *next_key);
struct prog_load_args {
	uint32_t prog_type;            /* enum bpf_prog_type */
	uint32_t expected_attach_type; /* enum bpf_attach_type, e.g. BPF_TRACE_FENTRY; else 0 */
	uint32_t attach_btf_id;        /* fentry: the target function's id in vmlinux BTF */
	uint32_t kern_version;         /* kprobes before 5.0 had to state LINUX_VERSION_CODE */
	const void *insns;
	size_t insn_cnt;
	const char *license;
	const char *name;
	char *log;                     /* NULL, or a buffer for the verifier's trace of the program */
	size_t log_size;
	uint32_t log_level;            /* with log: 1 (each step, default) or BPF_LOG_STATS (4, totals) */
};
int bpf_prog_load(const struct prog_load_args *a);
/* Attaches a tracing (fentry) program to the target it was loaded for; returns a link fd. */
int bpf_raw_tracepoint_open(const char *name, int prog_fd);

#endif
