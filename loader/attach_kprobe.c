/* attach_kprobe.c: kprobes through the kprobe PMU (Linux 4.17+): one perf_event_open names the function,
 * no tracefs needed; the probe disappears with its fd, so even SIGKILL leaves nothing behind. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "explain.h"
#include "files.h"

#define KPROBE_PMU "/sys/bus/event_source/devices/kprobe/"

/* Reads a small sysfs file of the PMU; 0 or -ENODEV. */
static int read_pmu_file(const char *name, char *buf, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), KPROBE_PMU "%s", name);
	return read_text_file(path, buf, size) > 0 ? 0 : -ENODEV;
}

/* The PMU's dynamic type number: it differs between kernels (6 on 6.1, 8 on 6.12), so it is read. */
static int kprobe_pmu_type(void)
{
	char buf[32], *end;
	long type;

	if (read_pmu_file("type", buf, sizeof(buf)))
		return -ENODEV;
	type = strtol(buf, &end, 10);
	return (end == buf || type < 0 || type > INT32_MAX) ? -ENODEV : (int)type;
}

/* format/retprobe says which config bit asks for a return probe: "config:0". */
static int kprobe_retprobe_bit(void)
{
	char buf[32], *end;
	long bit;

	if (read_pmu_file("format/retprobe", buf, sizeof(buf)) || strncmp(buf, "config:", 7) != 0)
		return -ENODEV;
	bit = strtol(buf + 7, &end, 10);
	return (end == buf + 7 || bit < 0 || bit > 63) ? -ENODEV : (int)bit;
}

static int pmu_type = -1;

/* Before any program is loaded: is there a kprobe PMU at all? */
static int kprobe_prepare(struct probe *probes, size_t n, size_t *failed)
{
	(void)probes;
	(void)n;
	*failed = 0;
	pmu_type = kprobe_pmu_type();
	explain("read " KPROBE_PMU "type -> %s (the kprobe PMU's perf type number)",
		pmu_type < 0 ? "missing: this kernel has no kprobe PMU" : explain_rc(pmu_type));
	return pmu_type < 0 ? pmu_type : 0;
}

static int kprobe_attach(struct probe *p)
{
	struct perf_event_attr attr;
	int type = pmu_type;

	if (type < 0)
		return -ENODEV;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = (uint32_t)type;
	if (p->retprobe) {
		int bit = kprobe_retprobe_bit();
		explain("read " KPROBE_PMU "format/retprobe -> %s", bit < 0 ? "missing" : "config bit");
		if (bit < 0)
			return bit;
		attr.config = 1ull << bit;
	}
	attr.kprobe_func = (uint64_t)(uintptr_t)p->target; /* config1: the function's name */
	attr.probe_offset = 0;                              /* config2: at its entry */
	int fd = perf_event_attach_bpf(&attr, p->prog_fd);
	if (fd < 0)
		return fd;
	p->fd = fd;
	return 0;
}

static const char *kprobe_hint(int err)
{
	switch (err) {
	case -ENODEV:
		return "no kprobe PMU";
	case -ENOENT:
	case -EINVAL:
		return "function not in this kernel?";
	default:
		return NULL;
	}
}

const struct attach_provider kprobe_provider = {
	.name = "kprobe",
	.section_prefix = "kprobe/",
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.prepare = kprobe_prepare,
	.attach = kprobe_attach,
	.detach = probe_close_fd,
	.hint = kprobe_hint,
};
