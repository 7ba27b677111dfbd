/* attach_tracepoint.c: programs on tracepoints (events/GROUP/NAME in tracefs), through a perf event.
 * Tracepoints are a stable ABI; the record layout is checked against the format file all the same. */
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>

#include "attach.h"
#include "tracefs.h"

/* The programs read a syscall's arguments as u64 args[6] (at exit: its return value) at offset 16 of
 * the record, after the common fields and __syscall_nr. Refuse if this kernel lays it out otherwise. */
#define SYSCALL_ARGS_OFFSET 16

static int split(const char *target, char *group, size_t gsize, const char **name)
{
	const char *slash = strchr(target, '/');

	if (!slash || (size_t)(slash - target) >= gsize)
		return -EINVAL;
	memcpy(group, target, (size_t)(slash - target));
	group[slash - target] = 0;
	*name = slash + 1;
	return 0;
}

static int tracepoint_attach(struct probe *p)
{
	struct perf_event_attr attr;
	char group[64];
	const char *name;
	long id;
	int fd;

	if (split(p->target, group, sizeof(group), &name))
		return -EINVAL;
	if ((id = tracefs_event_id(group, name)) < 0)
		return (int)id;
	if (strcmp(group, "syscalls") == 0 &&
	    tracefs_field_offset(group, name, p->retprobe ? "ret" : "fd") != SYSCALL_ARGS_OFFSET)
		return -EPROTO;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = (uint64_t)id;
	if ((fd = perf_event_attach_bpf(&attr, p->prog_fd)) < 0)
		return fd;
	p->fd = fd;
	return 0;
}

static const char *tracepoint_hint(int err)
{
	if (tracefs_missing())
		return TRACEFS_MISSING_HINT;
	switch (err) {
	case -ENOENT:
		return "no such tracepoint (CONFIG_FTRACE_SYSCALLS off?)";
	case -EPROTO:
		return "unexpected tracepoint record layout";
	case -ENODEV:
		return "no tracefs";
	default:
		return NULL;
	}
}

const struct attach_provider tracepoint_provider = {
	.name = "tracepoint",
	.section_prefix = "tracepoint/",
	.prog_type = BPF_PROG_TYPE_TRACEPOINT,
	.attach = tracepoint_attach,
	.detach = probe_close_fd,
	.hint = tracepoint_hint,
};
