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
/* log may be NULL; with a log the kernel writes the verifier's trace of the program into it. */
int bpf_prog_load(uint32_t type, const void *insns, size_t insn_cnt, const char *license,
		  uint32_t kern_version, const char *name, char *log, size_t log_size);

#endif
