/* fileio.c: the `tuxscope fileio` command: open, load, attach, poll, clean up, in that order.
 * Each step is one call down; this file only sequences them and says what failed. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "cli.h"
#include "commands.h"
#include "object.h"
#include "output.h"
#include "ringbuf.h"
#include "signals.h"
#include "sys.h"
#include "tracefs.h"

#define POLL_MS 10 /* programs wake us only per batch; a trickle is picked up by this timeout */

static const char fileio_usage[] =
	"usage: tuxscope fileio [options]\n"
	"Print every vfs_read and vfs_write call: pid, task name, operation, bytes requested, time.\n"
	"\n"
	"  -p, --pid PID          only this process (repeatable, up to 64)\n"
	"  -c, --comm NAME        only tasks named NAME (exact, up to 15 characters)\n"
	"  -n, --count N          exit after N events\n"
	"  -d, --duration SECS    exit after SECS seconds (decimals allowed, 0 = attach and exit)\n"
	"  -f, --format FORMAT    table (default) or json (one object per line)\n"
	"  -a, --attach MODE      auto (default), kprobe, fentry, kprobe-legacy or tracepoint\n"
	"      --functions R,W    probe kernel functions R and W instead of vfs_read,vfs_write\n"
	"  -h, --help             this text\n"
	"\n"
	"Filters run in the kernel. Ends on SIGINT, SIGTERM, SIGHUP or a closed output, exit 0.\n"
	"auto tries kprobe (the kprobe PMU), fentry, kprobe-legacy (kprobe_events), then tracepoint:\n"
	"the read/write family of system calls, which does not see the kernel's own VFS I/O.\n";

/* Tracepoint mode: the system calls that reach vfs_read/vfs_write with a user's byte count. */
static const char *const syscalls[] = { "read",   "write",   "pread64", "pwrite64", "readv",
					"writev", "preadv", "pwritev", "preadv2",  "pwritev2" };
#define MAX_PROBES (sizeof(syscalls) / sizeof(syscalls[0]))

/* The order auto tries: cheapest and most complete first. */
static const struct attach_provider *const providers[] = { &kprobe_provider, &fentry_provider,
							   &kprobe_legacy_provider,
							   &tracepoint_provider };
#define NPROVIDERS (sizeof(providers) / sizeof(providers[0]))

struct fileio_run {
	struct fileio_opts opts;
	struct tux_object obj;
	const struct attach_provider *prov; /* the one attached */
	struct probe probes[MAX_PROBES];
	size_t nprobes;
	char sections[MAX_PROBES][64], targets[MAX_PROBES][64];
	struct ringbuf rb;
	struct out out;
	unsigned long long printed;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int on_event(void *ctx, const void *data, uint32_t len)
{
	struct fileio_run *run = ctx;
	struct fileio_event e;

	if (len < sizeof(e))
		return 0; /* not ours: a record this loader does not know */
	memcpy(&e, data, sizeof(e));
	out_fileio_event(&run->out, run->opts.format, &e);
	run->printed++;
	return run->opts.count && run->printed >= run->opts.count ? -1 : 0;
}

/* Writes the filters into the kernel's maps; the programs read them for every event. */
static int configure(struct fileio_run *run, uint32_t wakeup_bytes)
{
	struct tux_config cfg = { .self_pid = (uint32_t)getpid(), .wakeup_bytes = wakeup_bytes };
	uint32_t zero = 0;
	uint8_t one = 1;
	int err;

	cfg.filter_pids = run->opts.npids > 0;
	cfg.filter_comm = run->opts.comm[0] != 0;
	memcpy(cfg.comm, run->opts.comm, sizeof(cfg.comm));
	for (size_t i = 0; i < run->opts.npids; i++)
		if ((err = bpf_map_update_elem(object_map_fd(&run->obj, "pids"), &run->opts.pids[i],
					       &one, BPF_ANY)))
			return err;
	return bpf_map_update_elem(object_map_fd(&run->obj, "config"), &zero, &cfg, BPF_ANY);
}

static const char *map_hint(int err)
{
	switch (err) {
	case -ENOSYS:
		return " (this kernel has no bpf() system call: CONFIG_BPF_SYSCALL off)";
	case -EPERM:
	case -EACCES:
		return " (run as root, or with CAP_BPF and CAP_PERFMON)";
	default:
		return "";
	}
}

/* The probes a provider needs: the two VFS functions, or the syscall tracepoints. */
static void plan_probes(struct fileio_run *run, const struct attach_provider *prov)
{
	const char *funcs[2] = { run->opts.read_func, run->opts.write_func };
	const char *roles[2] = { "vfs_read", "vfs_write" };
	int tp = prov == &tracepoint_provider;

	run->nprobes = tp ? MAX_PROBES : 2;
	for (size_t i = 0; i < run->nprobes; i++) {
		if (tp) {
			snprintf(run->sections[i], sizeof(run->sections[i]),
				 "tracepoint/syscalls/sys_enter_%s", syscalls[i]);
			snprintf(run->targets[i], sizeof(run->targets[i]), "syscalls/sys_enter_%s",
				 syscalls[i]);
		} else {
			snprintf(run->sections[i], sizeof(run->sections[i]), "%s%s", prov->section_prefix,
				 roles[i]);
			snprintf(run->targets[i], sizeof(run->targets[i]), "%s", funcs[i]);
		}
		run->probes[i] = (struct probe){ .section = run->sections[i], .target = run->targets[i] };
	}
}

/* Attaches with the chosen mechanism, or with the first of `providers` that works; 0, or 1 after
 * saying what failed. The line on stderr says what is in use and why the others were skipped. */
static int attach(struct fileio_run *run)
{
	char skipped[512] = "";
	size_t len = 0;
	struct attach_failure why;
	int forced = strcmp(run->opts.attach, "auto") != 0;

	for (size_t i = 0; i < NPROVIDERS; i++) {
		const struct attach_provider *prov = providers[i];

		if (forced && strcmp(prov->name, run->opts.attach) != 0)
			continue;
		if (!forced && prov == &tracepoint_provider && run->opts.funcs[0])
			break; /* system calls are no stand-in for the functions the user named */
		plan_probes(run, prov);
		if (attach_all(&run->obj, prov, run->probes, run->nprobes, &why) == 0) {
			run->prov = prov;
			break;
		}
		if (why.step[0] == 'l' && run->obj.log && run->obj.log[0] && why.err != -EPERM)
			fprintf(stderr, "%s", run->obj.log); /* the verifier's reasons: a bug of ours */
		if (forced) {
			fprintf(stderr, "tuxscope: %s %s %s: %s%s%s%s\n", why.step, prov->name, why.target,
				strerror(-why.err), why.hint[0] ? " (" : "", why.hint,
				why.hint[0] ? ")" : "");
			return 1;
		}
		if (why.hint[0] && why.err == -ENODEV)
			len += (size_t)snprintf(skipped + len, sizeof(skipped) - len, "%s%s: %s",
						len ? "; " : "", prov->name, why.hint);
		else
			len += (size_t)snprintf(skipped + len, sizeof(skipped) - len, "%s%s: %s (%s)",
						len ? "; " : "", prov->name,
						why.hint[0] ? why.hint : why.step, strerror(-why.err));
		if (len >= sizeof(skipped))
			len = sizeof(skipped) - 1;
	}
	if (!run->prov) {
		fprintf(stderr, "tuxscope: no way to attach on this kernel: %s\n", skipped);
		return 1;
	}
	if (run->prov == &tracepoint_provider)
		fprintf(stderr, "tuxscope: attached tracepoint syscalls read/write family: the system "
			"call view, kernel-internal VFS I/O is not seen");
	else
		fprintf(stderr, "tuxscope: attached %s %s, %s", run->prov->name, run->probes[0].target,
			run->probes[1].target);
	fprintf(stderr, len ? " (skipped %s)\n" : "\n", skipped);
	return 0;
}

/* Loads the object, fills its maps, attaches, and maps the ring; 0, or 1 after saying what failed. */
static int setup(struct fileio_run *run)
{
	const char *failed = "?";
	int err;

	if (object_open(&run->obj, tux_bpf_object, (size_t)(tux_bpf_object_end - tux_bpf_object))) {
		fprintf(stderr, "tuxscope: embedded BPF object: %s\n", run->obj.err);
		return 1;
	}
	if ((err = object_create_maps(&run->obj, &failed))) {
		int is_ring = strcmp(failed, "events") == 0 && err == -EINVAL;
		fprintf(stderr, "tuxscope: create map %s: %s%s\n", failed, strerror(-err),
			is_ring ? " (no BPF ring buffer: tuxscope needs Linux 5.8 or later)"
				: map_hint(err));
		return 1;
	}
	uint32_t ring_size = run->obj.desc.maps[bpf_object_map_index(&run->obj.desc, "events")]
				     .def.max_entries;
	if ((err = configure(run, ring_size / 4))) {
		fprintf(stderr, "tuxscope: configure filters: %s\n", strerror(-err));
		return 1;
	}
	/* Whatever mode is used now, a killed earlier run's legacy kprobes go (best effort). */
	kprobe_legacy_remove_stale();
	if (attach(run))
		return 1;
	if ((err = ringbuf_open(&run->rb, object_map_fd(&run->obj, "events"), ring_size))) {
		fprintf(stderr, "tuxscope: map ring buffer: %s\n", strerror(-err));
		return 1;
	}
	ringbuf_watch_fd(&run->rb, STDOUT_FILENO); /* fails for files and /dev/null: nothing to watch */
	return 0;
}

/* Drains the ring until a stop condition; 0, or 1 after saying what failed. */
static int stream(struct fileio_run *run)
{
	long long deadline = run->opts.duration_ms >= 0 ? now_ms() + run->opts.duration_ms : -1;

	out_fileio_header(&run->out, run->opts.format);
	for (;;) {
		long long timeout = POLL_MS;
		if (deadline >= 0 && deadline - now_ms() < timeout)
			timeout = deadline - now_ms() > 0 ? deadline - now_ms() : 0;
		int woke = stop_requested ? 0 : ringbuf_wait(&run->rb, (int)timeout);
		long n = ringbuf_consume(&run->rb, on_event, run);
		int werr = out_flush(&run->out);

		if (werr == -EPIPE || woke == 2)
			return 0; /* the reader went away: a normal end, like `| head` */
		if (werr) {
			fprintf(stderr, "tuxscope: write output: %s\n", strerror(-werr));
			return 1;
		}
		if (n < 0 || stop_requested || (deadline >= 0 && now_ms() >= deadline))
			return 0;
		if (woke < 0) {
			fprintf(stderr, "tuxscope: wait for events: %s\n", strerror(-woke));
			return 1;
		}
	}
}

static void report_lost(struct fileio_run *run)
{
	uint32_t key = TUX_STAT_LOST;
	uint64_t lost = 0;

	if (bpf_map_lookup_elem(object_map_fd(&run->obj, "stats"), &key, &lost) == 0 && lost)
		fprintf(stderr, "tuxscope: %llu events lost (ring buffer full)\n",
			(unsigned long long)lost);
}

static void teardown(struct fileio_run *run)
{
	/* Detach first, so no program runs while its maps go away, then the ring, then the fds. */
	if (run->prov)
		detach_all(&run->obj, run->prov, run->probes, run->nprobes);
	tracefs_release();
	ringbuf_close(&run->rb);
	object_close(&run->obj);
}

int cmd_fileio(int argc, char **argv)
{
	static struct fileio_run run; /* large (output buffer): not on the stack */
	char err[256];
	int rc;

	if (fileio_parse_args(argc, argv, &run.opts, err, sizeof(err))) {
		fprintf(stderr, "tuxscope: %s\n", err);
		return 2;
	}
	if (run.opts.help) {
		fputs(fileio_usage, stdout);
		return 0;
	}
	run.rb.epoll_fd = -1;
	out_init(&run.out, STDOUT_FILENO);
	signals_install();
	rc = setup(&run);
	if (rc == 0)
		rc = stream(&run);
	if (rc == 0)
		report_lost(&run);
	teardown(&run);
	return rc;
}
