/* attach.c: what every attach provider shares: the load-then-attach sequence for a set of probes, its
 * undoing, and attaching a program to a perf event. The mechanisms live in attach_*.c. */
#include "attach.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "explain.h"
#include "sys.h"

int perf_event_attach_bpf(struct perf_event_attr *attr, int prog_fd)
{
	/* pid -1, cpu 0: a trace event (kprobe, tracepoint) runs its program on every CPU for every
	 * task; perf_event_open only needs one valid CPU to accept pid -1. */
	int fd = sys_perf_event_open(attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);

	if (attr->type == PERF_TYPE_TRACEPOINT)
		explain("perf_event_open type=%u (PERF_TYPE_TRACEPOINT) config=%llu (the event's id) pid=-1 "
			"cpu=0 -> %s", attr->type, (unsigned long long)attr->config, explain_fd(fd));
	else
		explain("perf_event_open type=%u (kprobe) config=%#llx%s config1=\"%s\" pid=-1 cpu=0 -> %s",
			attr->type, (unsigned long long)attr->config, attr->config ? " (retprobe)" : "",
			(const char *)(uintptr_t)attr->kprobe_func, explain_fd(fd));
	if (fd < 0)
		return fd;
	int r = ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0 ? -errno : 0;
	explain("ioctl(fd %d, PERF_EVENT_IOC_SET_BPF, prog fd %d) -> %s", fd, prog_fd, explain_rc(r));
	if (r == 0) {
		r = ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0 ? -errno : 0;
		explain("ioctl(fd %d, PERF_EVENT_IOC_ENABLE) -> %s%s", fd, explain_rc(r),
			r ? "" : ": the program now runs on every hit");
	}
	if (r) {
		close(fd);
		return r;
	}
	return fd;
}

void probe_close_fd(struct probe *p)
{
	if (p->fd >= 0) {
		uint64_t t0 = explain_clock_ns();
		close(p->fd);
		explain("close(fd %d): the last reference to %s's perf event or link, so the kernel "
			"detaches it (%s ms)", p->fd, p->target, explain_ms(t0));
	}
	p->fd = -1;
}

static const char *generic_hint(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return "run as root, or with CAP_BPF and CAP_PERFMON";
	case -ENOENT:
		return "function not in this kernel?";
	case -EBUSY:
	case -EEXIST:
		return "another program is attached there already";
	default:
		return "";
	}
}

static int fail(const struct attach_provider *prov, struct attach_failure *why, const char *step,
		const char *target, int err)
{
	const char *hint = prov->hint ? prov->hint(err) : NULL;

	*why = (struct attach_failure){ step, target, err, hint ? hint : generic_hint(err) };
	return err;
}

int attach_all(struct tux_object *obj, const struct attach_provider *prov, struct probe *probes,
	       size_t n, struct attach_failure *why)
{
	size_t bad = 0;
	int err;

	for (size_t i = 0; i < n; i++) {
		probes[i].fd = -1;
		probes[i].prog_fd = -1;
		probes[i].event[0] = 0;
	}
	if (prov->prepare && (err = prov->prepare(probes, n, &bad)))
		return fail(prov, why, "prepare", probes[bad < n ? bad : 0].target, err);
	for (size_t i = 0; i < n; i++) {
		int fd = -1;

		for (size_t j = 0; j < i; j++) /* one program may serve several tracepoints */
			if (strcmp(probes[j].section, probes[i].section) == 0)
				fd = probes[j].prog_fd;
		if (fd < 0)
			fd = object_load_prog(obj, probes[i].section, prov->prog_type,
					      probes[i].retprobe ? prov->expected_attach_type_ret
								 : prov->expected_attach_type,
					      probes[i].btf_id);
		if (fd < 0) {
			detach_all(obj, prov, probes, n);
			return fail(prov, why, "load", probes[i].section, fd);
		}
		probes[i].prog_fd = fd;
		if ((err = prov->attach(&probes[i]))) {
			detach_all(obj, prov, probes, n);
			return fail(prov, why, "attach", probes[i].target, err);
		}
	}
	return 0;
}

struct detach_job {
	const struct attach_provider *prov;
	struct probe *probe;
	pthread_t thread;
	int started;
};

static void *detach_one(void *arg)
{
	struct detach_job *job = arg;

	job->prov->detach(job->probe);
	return NULL;
}

void detach_all(struct tux_object *obj, const struct attach_provider *prov, struct probe *probes,
		size_t n)
{
	struct detach_job jobs[64];

	/* Detach every probe before unloading any program, so none runs half torn down. Releasing a
	 * perf event waits for an RCU grace period (about 60 ms each, measured with --explain on 6.18):
	 * ten tracepoints one after the other made exit take most of a second. One thread each, the
	 * waits overlap and share grace periods. */
	for (size_t i = 0; i < n; i++) {
		if (i < 64) {
			jobs[i] = (struct detach_job){ prov, &probes[i], 0, 0 };
			jobs[i].started = pthread_create(&jobs[i].thread, NULL, detach_one, &jobs[i]) == 0;
		}
		if (i >= 64 || !jobs[i].started)
			prov->detach(&probes[i]); /* no thread: the slow way, still correct */
	}
	for (size_t i = 0; i < n && i < 64; i++)
		if (jobs[i].started)
			pthread_join(jobs[i].thread, NULL);
	for (size_t i = 0; i < n; i++) {
		object_unload_prog(obj, probes[i].section);
		probes[i].prog_fd = -1;
	}
}
