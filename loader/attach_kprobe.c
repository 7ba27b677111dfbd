/* attach_kprobe.c: kprobes through the kprobe PMU (Linux 4.17+): one perf_event_open names the function,
 * no tracefs needed; the probe disappears with its fd, so even SIGKILL leaves nothing behind. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "attach.h"
#include "sys.h"

#define KPROBE_PMU_DIR "/sys/bus/event_source/devices/kprobe"

/* Reads a small sysfs file into buf as a string; 0 or -errno. */
static int read_small_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	int err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	buf[n] = 0;
	return 0;
}

/* The PMU's dynamic type number (it differs between kernels: 6 on 6.1, 8 on 6.12). */
static int kprobe_pmu_type(void)
{
	char buf[32];
	char *end;
	long type;

	if (read_small_file(KPROBE_PMU_DIR "/type", buf, sizeof(buf)) < 0)
		return -ENODEV;
	type = strtol(buf, &end, 10);
	return (end == buf || type < 0 || type > INT32_MAX) ? -ENODEV : (int)type;
}

/* format/retprobe says which config bit asks for a return probe: "config:0". */
static int kprobe_retprobe_bit(void)
{
	char buf[32];
	int bit;

	if (read_small_file(KPROBE_PMU_DIR "/format/retprobe", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "config:%d", &bit) != 1 || bit < 0 || bit > 63)
		return -ENODEV;
	return bit;
}

static int kprobe_attach(struct probe *p)
{
	struct perf_event_attr attr;
	int type = kprobe_pmu_type();
	int fd;

	p->perf_fd = -1;
	if (type < 0)
		return type;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = (uint32_t)type;
	if (p->retprobe) {
		int bit = kprobe_retprobe_bit();
		if (bit < 0)
			return bit;
		attr.config = 1ull << bit;
	}
	attr.kprobe_func = (uint64_t)(uintptr_t)p->func; /* config1 */
	attr.probe_offset = 0;                            /* config2 */
	/* pid -1, cpu 0: a kprobe event fires on every CPU for every task; the cpu only has to be a
	 * valid one for perf_event_open to accept pid -1. */
	fd = sys_perf_event_open(&attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return fd;
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, p->prog_fd) < 0 ||
	    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	p->perf_fd = fd;
	return 0;
}

static void kprobe_detach(struct probe *p)
{
	if (p->perf_fd >= 0) {
		ioctl(p->perf_fd, PERF_EVENT_IOC_DISABLE, 0);
		close(p->perf_fd);
	}
	p->perf_fd = -1;
}

const struct attach_provider kprobe_provider = {
	.name = "kprobe",
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.section_prefix = "kprobe/",
	.attach = kprobe_attach,
	.detach = kprobe_detach,
};
