/* sys.c: the only file that calls syscall(2): bpf() and perf_event_open() have no libc wrapper.
 * Field names follow union bpf_attr in include/uapi/linux/bpf.h. */
#define _GNU_SOURCE
#include "sys.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int ret_errno(long r)
{
	return r < 0 ? -errno : (int)r;
}

int sys_bpf(int cmd, union bpf_attr *attr, unsigned size)
{
	return ret_errno(syscall(__NR_bpf, cmd, attr, size));
}

int sys_perf_event_open(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
			unsigned long flags)
{
	return ret_errno(syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags));
}

/* The kernel accepts object names of up to BPF_OBJ_NAME_LEN - 1 characters from [A-Za-z0-9_.]. */
static void copy_obj_name(char dst[BPF_OBJ_NAME_LEN], const char *name)
{
	size_t n = 0;

	for (; name && name[n] && n < BPF_OBJ_NAME_LEN - 1; n++) {
		char c = name[n];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '_' || c == '.';
		dst[n] = ok ? c : '_';
	}
	dst[n] = 0;
}

int bpf_map_create(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries,
		   uint32_t flags, const char *name)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.map_flags = flags;
	copy_obj_name(attr.map_name, name);
	fd = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd == -EINVAL && name) {
		/* map_name came in 4.15: an older kernel rejects the non-zero tail. Retry without it. */
		memset(attr.map_name, 0, sizeof(attr.map_name));
		fd = sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	}
	return fd;
}

int bpf_map_update_elem(int map_fd, const void *key, const void *value, uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map_fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)value;
	attr.flags = flags;
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr));
}

int bpf_map_lookup_elem(int map_fd, const void *key, void *value)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map_fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.value = (uint64_t)(uintptr_t)value;
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr));
}

int bpf_map_delete_elem(int map_fd, const void *key)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map_fd;
	attr.key = (uint64_t)(uintptr_t)key;
	return sys_bpf(BPF_MAP_DELETE_ELEM, &attr, sizeof(attr));
}

int bpf_map_get_next_key(int map_fd, const void *key, void *next_key)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map_fd;
	attr.key = (uint64_t)(uintptr_t)key;
	attr.next_key = (uint64_t)(uintptr_t)next_key;
	return sys_bpf(BPF_MAP_GET_NEXT_KEY, &attr, sizeof(attr));
}

int bpf_prog_load(const struct prog_load_args *a)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = a->prog_type;
	attr.expected_attach_type = a->expected_attach_type;
	attr.attach_btf_id = a->attach_btf_id;
	attr.kern_version = a->kern_version;
	attr.insns = (uint64_t)(uintptr_t)a->insns;
	attr.insn_cnt = (uint32_t)a->insn_cnt;
	attr.license = (uint64_t)(uintptr_t)a->license;
	copy_obj_name(attr.prog_name, a->name);
	if (a->log && a->log_size) {
		a->log[0] = 0;
		attr.log_buf = (uint64_t)(uintptr_t)a->log;
		attr.log_size = (uint32_t)a->log_size;
		attr.log_level = a->log_level ? a->log_level : 1;
	}
	return sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
}

int bpf_raw_tracepoint_open(const char *name, int prog_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = (uint64_t)(uintptr_t)name; /* NULL for fentry: the target is in the prog */
	attr.raw_tracepoint.prog_fd = (uint32_t)prog_fd;
	return sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
}
