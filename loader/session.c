/* session.c: what every command does before and after its own loop: open the embedded object, size and
 * create its maps, write the filters, attach (trying mechanisms in order), and tear it all down. */
#include "session.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "errnames.h"
#include "explain.h"
#include "kernel_btf.h"
#include "sys.h"
#include "tracefs.h"

/* The system calls of the tracepoint mode, and which program serves each (by the argument that
 * holds the count: the third, or an iovec array). */
static const struct {
	const char *name;
	int vectored;
} syscalls[] = { { "read", 0 },   { "write", 0 },  { "pread64", 0 }, { "pwrite64", 0 },
		 { "readv", 1 },  { "writev", 1 }, { "preadv", 1 },  { "pwritev", 1 },
		 { "preadv2", 1 }, { "pwritev2", 1 } };
#define NSYSCALLS (sizeof(syscalls) / sizeof(syscalls[0]))

/* The order auto tries: cheapest and most complete first. */
static const struct attach_provider *const providers[] = { &kprobe_provider, &fentry_provider,
							   &kprobe_legacy_provider,
							   &tracepoint_provider };
/* With --actual, return probes matter: fexit has no instance limit, a legacy kretprobe can ask for
 * many instances, a kprobe PMU kretprobe gets the kernel's small default. */
static const struct attach_provider *const providers_actual[] = { &fentry_provider,
								  &kprobe_legacy_provider,
								  &kprobe_provider,
								  &tracepoint_provider };
#define NPROVIDERS (sizeof(providers) / sizeof(providers[0]))

static void add_probe(struct session *s, const char *section, const char *target, int retprobe)
{
	size_t i = s->nprobes++;

	snprintf(s->sections[i], sizeof(s->sections[i]), "%s", section);
	snprintf(s->targets[i], sizeof(s->targets[i]), "%s", target);
	s->probes[i] = (struct probe){ .section = s->sections[i], .target = s->targets[i],
				       .retprobe = retprobe, .prog_fd = -1, .fd = -1 };
}

/* The probes a mechanism needs: the two VFS functions, or the system call tracepoints; and with
 * --actual their returns too. The section names are those of bpf/fileio.bpf.c. */
static void plan_probes(struct session *s, const struct attach_provider *prov, const struct session_opts *o)
{
	char buf[64];

	s->nprobes = 0;
	if (prov == &tracepoint_provider) {
		/* The vectored calls go last: their program's iovec loop takes the verifier some 30 ms,
		 * and a caller that streams meanwhile (o->background) already shows the others. */
		for (int vectored = 0; vectored < 2; vectored++) {
			for (size_t i = 0; i < NSYSCALLS; i++) {
				if (syscalls[i].vectored != vectored)
					continue;
				snprintf(buf, sizeof(buf), "syscalls/sys_enter_%s", syscalls[i].name);
				add_probe(s, vectored ? "tracepoint/syscalls/sys_enter_rwv"
						      : "tracepoint/syscalls/sys_enter_rw", buf, 0);
			}
			for (size_t i = 0; !vectored && o->want_actual && i < NSYSCALLS; i++) {
				snprintf(buf, sizeof(buf), "syscalls/sys_exit_%s", syscalls[i].name);
				add_probe(s, "tracepoint/syscalls/sys_exit_rw", buf, 1);
			}
			if (!vectored)
				s->nnow = o->background ? s->nprobes : 0;
		}
		if (!o->background)
			s->nnow = s->nprobes;
		return;
	}
	snprintf(buf, sizeof(buf), "%svfs_read", prov->section_prefix);
	s->nnow = o->want_actual ? 4 : 2;
	add_probe(s, buf, o->read_func, 0);
	snprintf(buf, sizeof(buf), "%svfs_write", prov->section_prefix);
	add_probe(s, buf, o->write_func, 0);
	if (!o->want_actual)
		return;
	int fexit = prov == &fentry_provider;
	add_probe(s, fexit ? "fexit/vfs_read" : "kretprobe/vfs_rw", o->read_func, 1);
	add_probe(s, fexit ? "fexit/vfs_write" : "kretprobe/vfs_rw", o->write_func, 1);
}

/* The line on stderr that says what is in use and why the better ones were skipped. */
static void say_attached(const struct session *s)
{
	if (s->prov == &tracepoint_provider)
		fprintf(stderr, "tuxscope: attached tracepoint syscalls read/write family: the system "
			"call view, kernel-internal VFS I/O is not seen");
	else
		fprintf(stderr, "tuxscope: attached %s %s, %s", s->prov->name, s->probes[0].target,
			s->probes[1].target);
	fprintf(stderr, s->skipped[0] ? " (skipped %s)\n" : "\n", s->skipped);
}

/* A load the verifier refused (not a lack of privilege) is a bug of ours: its reasons go out whole. */
static void say_verifier_log(const struct session *s, const struct attach_failure *why)
{
	if (why->step[0] == 'l' && s->obj.log && s->obj.log[0] && why->err != -EPERM)
		fprintf(stderr, "%s", s->obj.log);
}

static void say_failed(const struct session *s, const struct attach_provider *prov,
		       const struct attach_failure *why)
{
	say_verifier_log(s, why);
	fprintf(stderr, "tuxscope: %s %s %s: %s%s%s%s\n", why->step, prov->name, why->target,
		tux_strerror(-why->err), why->hint[0] ? " (" : "", why->hint, why->hint[0] ? ")" : "");
}

/* Attaches with the chosen mechanism, or with the first of `providers` that works; 0, or 1 after
 * saying what failed. */
static int attach(struct session *s, const struct session_opts *o)
{
	char *skipped = s->skipped;
	size_t len = 0;
	struct attach_failure why;
	int forced = strcmp(o->attach, "auto") != 0;

	for (size_t i = 0; i < NPROVIDERS; i++) {
		const struct attach_provider *prov = o->want_actual ? providers_actual[i] : providers[i];

		if (forced && strcmp(prov->name, o->attach) != 0)
			continue;
		if (!forced && prov == &tracepoint_provider && o->vfs_only)
			break; /* system calls are no stand-in for struct file or named functions */
		plan_probes(s, prov, o);
		explain("attach with %s: %zu probes (%s%s)", prov->name, s->nprobes,
			forced ? "--attach " : "auto tries kprobe, fentry, kprobe-legacy, tracepoint: ",
			forced ? prov->name : (i ? "the ones before did not work" : "the first"));
		if (attach_all(&s->obj, prov, s->probes, s->nnow, &why) == 0) {
			s->prov = prov;
			break;
		}
		explain("%s failed at %s %s: %s%s%s: everything it loaded or attached is undone", prov->name,
			why.step, why.target, tux_strerror(-why.err), why.hint[0] ? "; " : "", why.hint);
		if (forced) {
			say_failed(s, prov, &why);
			return 1;
		}
		say_verifier_log(s, &why);
		if (why.hint[0] && why.err == -ENODEV)
			len += (size_t)snprintf(skipped + len, sizeof(s->skipped) - len, "%s%s: %s",
						len ? "; " : "", prov->name, why.hint);
		else
			len += (size_t)snprintf(skipped + len, sizeof(s->skipped) - len, "%s%s: %s (%s)",
						len ? "; " : "", prov->name,
						why.hint[0] ? why.hint : why.step, tux_strerror(-why.err));
		if (len >= sizeof(s->skipped))
			len = sizeof(s->skipped) - 1;
	}
	if (!s->prov) {
		if (o->vfs_only)
			fprintf(stderr, "tuxscope: %s needs a VFS mechanism; none attaches on this kernel: "
				"%s\n", o->vfs_only, skipped);
		else
			fprintf(stderr, "tuxscope: no way to attach on this kernel: %s\n", skipped);
		return 1;
	}
	if (s->nnow == s->nprobes)
		say_attached(s);
	return 0;
}

int session_attach_rest(struct session *s)
{
	struct attach_failure why;

	if (s->nnow == s->nprobes)
		return 0; /* session_open attached them all, and said so */
	if (attach_all(&s->obj, s->prov, s->probes + s->nnow, s->nprobes - s->nnow, &why)) {
		say_failed(s, s->prov, &why);
		return 1;
	}
	s->nnow = s->nprobes;
	say_attached(s);
	return 0;
}

static const char *map_hint(int err)
{
	struct rlimit rl;

	switch (err) {
	case -ENOSYS:
		return " (this kernel has no bpf() system call: CONFIG_BPF_SYSCALL off)";
	case -EPERM:
	case -EACCES:
		/* main() tried to lift the limit; if it could not (no CAP_SYS_RESOURCE), a kernel
		 * before 5.11, which charges BPF maps to RLIMIT_MEMLOCK, refuses them with EPERM. */
		if (geteuid() == 0 && getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
			return " (as root: RLIMIT_MEMLOCK is limited and could not be raised; kernels before "
			       "5.11 count BPF maps against it: run with ulimit -l unlimited or "
			       "CAP_SYS_RESOURCE)";
		return " (run as root, or with CAP_BPF and CAP_PERFMON)";
	default:
		return "";
	}
}

static void set_max_entries(struct session *s, const char *map, uint32_t n)
{
	int i = bpf_object_map_index(&s->obj.desc, map);

	if (i >= 0)
		s->obj.desc.maps[i].def.max_entries = n;
}

/* Writes the settings and the --pid set into the kernel's maps; the programs read them each call. */
static int configure(struct session *s, const struct session_opts *o)
{
	uint32_t zero = 0;
	uint8_t one = 1;
	int err;

	s->cfg.self_pid = (uint32_t)getpid();
	s->cfg.wakeup_bytes = s->ring_size / 4;
	s->cfg.filter_pids = o->npids > 0;
	s->cfg.filter_comm = o->comm[0] != 0;
	snprintf(s->cfg.comm, sizeof(s->cfg.comm), "%s", o->comm);
	s->cfg.mode = o->mode;
	s->cfg.want_actual = (uint32_t)o->want_actual;
	s->cfg.want_file = o->mode == TUX_MODE_STREAM && o->want_file;
	s->cfg.top_by_file = o->mode == TUX_MODE_TOP && o->want_file;
	for (size_t i = 0; i < o->npids; i++) {
		err = bpf_map_update_elem(session_map_fd(s, "pids"), &o->pids[i], &one, BPF_ANY);
		explain("BPF_MAP_UPDATE_ELEM map pids key=%u value=1 flags=BPF_ANY -> %s", o->pids[i],
			explain_rc(err));
		if (err)
			return err;
	}
	err = bpf_map_update_elem(session_map_fd(s, "config"), &zero, &s->cfg, BPF_ANY);
	explain("BPF_MAP_UPDATE_ELEM map config key=0 value={self_pid=%u mode=%s filter_pids=%u "
		"filter_comm=%u comm=\"%s\" want_file=%u want_actual=%u wakeup_bytes=%u} -> %s: the "
		"programs read their settings from it on every call", s->cfg.self_pid,
		o->mode == TUX_MODE_TOP ? "top" : "stream", s->cfg.filter_pids, s->cfg.filter_comm,
		s->cfg.comm, s->cfg.want_file, s->cfg.want_actual, s->cfg.wakeup_bytes, explain_rc(err));
	return err;
}

int session_open(struct session *s, const struct session_opts *o)
{
	const char *failed = "?";
	int err;

	s->skipped[0] = 0;
	if (object_open(&s->obj, tux_bpf_object, (size_t)(tux_bpf_object_end - tux_bpf_object))) {
		fprintf(stderr, "tuxscope: embedded BPF object: %s\n", s->obj.err);
		return 1;
	}
	if (o->want_file && (err = kernel_file_offsets(&s->cfg, &failed))) {
		fprintf(stderr, "tuxscope: file names need the kernel's BTF: %s: %s\n", failed,
			err == -ENODEV ? "not there (CONFIG_DEBUG_INFO_BTF off)" : strerror(-err));
		return 1;
	}
	/* Maps a command does not use are created with one entry: hash maps preallocate. */
	if (!o->want_actual)
		set_max_entries(s, "inflight", 1);
	if (o->mode != TUX_MODE_TOP)
		set_max_entries(s, "totals", 1);
	s->ring_size = s->obj.desc.maps[bpf_object_map_index(&s->obj.desc, "events")].def.max_entries;
	if ((err = object_create_maps(&s->obj, &failed))) {
		int is_ring = strcmp(failed, "events") == 0 && err == -EINVAL;
		fprintf(stderr, "tuxscope: create map %s: %s%s\n", failed, strerror(-err),
			is_ring ? " (no BPF ring buffer: tuxscope needs Linux 5.8 or later)"
				: map_hint(err));
		return 1;
	}
	if ((err = configure(s, o))) {
		fprintf(stderr, "tuxscope: configure filters: %s\n", strerror(-err));
		return 1;
	}
	/* Whatever mode is used now, a killed earlier run's legacy kprobes go (best effort). */
	kprobe_legacy_remove_stale();
	int rc = attach(s, o);
	kernel_btf_release(); /* 5 MB that neither the offsets nor the fentry ids need any more */
	/* The stale-entry sweep may have mounted tracefs; a mechanism that does not use it should not
	 * keep it mounted for the whole run (nor leave it behind if killed). */
	if (rc == 0 && s->prov != &kprobe_legacy_provider && s->prov != &tracepoint_provider)
		tracefs_release();
	return rc;
}

int session_map_fd(const struct session *s, const char *name)
{
	return object_map_fd(&s->obj, name);
}

int session_has_files(const struct session *s)
{
	return s->prov && s->prov != &tracepoint_provider;
}

void session_report_losses(const struct session *s)
{
	static const char *const what[TUX_STAT_MAX] = {
		[TUX_STAT_LOST] = "events lost (ring buffer full)",
		[TUX_STAT_TOP_FULL] = "processes or files not counted (totals map full)",
		[TUX_STAT_NO_RETURN] = "or more records lost: the return probe missed those calls' "
				       "returns (too few kretprobe instances while many tasks were "
				       "blocked in a call; fentry has no such limit)",
	};

	for (uint32_t key = 0; key < TUX_STAT_MAX; key++) {
		uint64_t n = 0;
		if (bpf_map_lookup_elem(session_map_fd(s, "stats"), &key, &n) == 0 && n)
			fprintf(stderr, "tuxscope: %llu %s\n", (unsigned long long)n, what[key]);
	}
}

void session_close(struct session *s)
{
	uint64_t t0 = explain_clock_ns();
	int attached = s->prov != NULL;

	/* Detach first, so no program runs while its maps go away; then the fds. */
	if (s->prov)
		detach_all(&s->obj, s->prov, s->probes, s->nprobes);
	s->prov = NULL;
	kernel_btf_release();
	tracefs_release();
	object_close(&s->obj);
	if (attached)
		explain("detach total: %s ms (probes detached, then every program and map fd closed: "
			"the kernel frees them with their last reference)", explain_ms(t0));
}
