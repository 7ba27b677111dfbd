/* attach_kprobe_legacy.c: kprobes through tracefs's kprobe_events, for kernels without the kprobe PMU.
 * Entries are named tuxscope/FUNC_PID so instances never clash and stale ones can be found and removed. */
#include <errno.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "instances.h"
#include "tracefs.h"

#define GROUP "tuxscope"

int kprobe_legacy_remove_stale(void)
{
	static char buf[64 * 1024];
	int err = tracefs_kprobe_events_read(buf, sizeof(buf));

	if (err)
		return err;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		/* "p:tuxscope/vfs_read_1234 vfs_read"; return probes "r:" or "rMAXACTIVE:" */
		char *ev = strchr(line, ':'), *end, *us;
		char cmd[128];

		if (!ev || strncmp(ev + 1, GROUP "/", sizeof(GROUP)) != 0)
			continue;
		ev += 1;
		if ((end = strchr(ev, ' ')))
			*end = 0;
		if (!(us = strrchr(ev, '_')) || tuxscope_alive(strtol(us + 1, NULL, 10)))
			continue;
		snprintf(cmd, sizeof(cmd), "-:%s", ev);
		tracefs_kprobe_events_write(cmd); /* best effort: a busy one stays for its owner */
	}
	return 0;
}

static int legacy_prepare(struct probe *probes, size_t n, size_t *failed)
{
	(void)probes;
	(void)n;
	*failed = 0;
	return kprobe_legacy_remove_stale(); /* also says whether kprobe_events exists at all */
}

static int legacy_attach(struct probe *p)
{
	struct perf_event_attr attr;
	char cmd[256], event[64];
	long id;
	int err, fd;

	/* Event names allow [A-Za-z0-9_]; a function like foo.isra.0 needs its dots replaced. */
	snprintf(event, sizeof(event), "%.40s_%s%d", p->target, p->retprobe ? "ret_" : "", (int)getpid());
	for (char *c = event; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			*c = '_';
	/* A return probe tracks each call in flight with one of "maxactive" preallocated instances;
	 * the default (the CPU count before 5.x rethook, 10 or 2 per CPU after) is too few when many
	 * tasks sit blocked in read(). KRETPROBE_MAXACTIVE_MAX is 4096. */
	if (p->retprobe)
		snprintf(cmd, sizeof(cmd), "r4096:" GROUP "/%s %s", event, p->target);
	else
		snprintf(cmd, sizeof(cmd), "p:" GROUP "/%s %s", event, p->target);
	if ((err = tracefs_kprobe_events_write(cmd)))
		return err;
	snprintf(p->event, sizeof(p->event), "%s", event);

	if ((id = tracefs_event_id(GROUP, event)) < 0)
		return (int)id; /* the caller's detach removes the entry */
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = (uint64_t)id;
	if ((fd = perf_event_attach_bpf(&attr, p->prog_fd)) < 0)
		return fd;
	p->fd = fd;
	return 0;
}

static void legacy_detach(struct probe *p)
{
	char cmd[128];

	/* The kernel refuses to remove a kprobe event that is still open: close the fd first. */
	probe_close_fd(p);
	if (p->event[0]) {
		snprintf(cmd, sizeof(cmd), "-:" GROUP "/%s", p->event);
		tracefs_kprobe_events_write(cmd);
		p->event[0] = 0;
	}
}

static const char *legacy_hint(int err)
{
	if (tracefs_missing())
		return TRACEFS_MISSING_HINT;
	switch (err) {
	case -ENODEV:
		return "no kprobe_events";
	case -ENOENT:
	case -EINVAL:
		return "function not in this kernel?";
	default:
		return NULL;
	}
}

const struct attach_provider kprobe_legacy_provider = {
	.name = "kprobe-legacy",
	.section_prefix = "kprobe/",
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.prepare = legacy_prepare,
	.attach = legacy_attach,
	.detach = legacy_detach,
	.hint = legacy_hint,
};
