/* attach.h: the ways to make a loaded program run at a kernel function or tracepoint.
 * Each mechanism is one provider (attach_*.c) with the same few operations; adding one touches one file. */
#ifndef TUX_ATTACH_H
#define TUX_ATTACH_H

#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>

#include "object.h"

struct probe {
	const char *section; /* the program, e.g. "kprobe/vfs_read" */
	const char *target;  /* a function ("vfs_read") or a tracepoint ("syscalls/sys_enter_read") */
	int retprobe;        /* 1: at the function's return (kretprobe, fexit) */
	uint32_t btf_id;     /* fentry: the target's id in vmlinux BTF, found by prepare */
	int prog_fd;
	int fd;              /* what keeps it attached: a perf event or a BPF link; -1 if none */
	char event[64];      /* legacy kprobes: the kprobe_events entry we created, "" if none */
};

struct attach_provider {
	const char *name;            /* as said to the user: "kprobe", "fentry", ... */
	const char *section_prefix;  /* the programs it attaches: "kprobe/", "fentry/", "tracepoint/" */
	uint32_t prog_type;          /* enum bpf_prog_type they are loaded as */
	uint32_t expected_attach_type;     /* for entry probes */
	uint32_t expected_attach_type_ret; /* for return probes */
	/* Optional: work done once for all probes before loading (BTF ids, stale entries). On failure
	 * *failed is the index of the probe at fault. */
	int (*prepare)(struct probe *probes, size_t n, size_t *failed);
	int (*attach)(struct probe *p);
	void (*detach)(struct probe *p);
	/* A few words on what an error of this provider usually means, or NULL. */
	const char *(*hint)(int err);
};

extern const struct attach_provider kprobe_provider;
extern const struct attach_provider fentry_provider;
extern const struct attach_provider kprobe_legacy_provider;
extern const struct attach_provider tracepoint_provider;

/* Removes kprobe_events entries left by tuxscope runs that are gone (killed with SIGKILL, say).
 * 0, or -ENODEV if this kernel has no kprobe_events. */
int kprobe_legacy_remove_stale(void);

/* What went wrong in attach_all: the step ("prepare", "load", "attach"), the probe, the error. */
struct attach_failure {
	const char *step;
	const char *target;
	int err;
	const char *hint; /* the provider's explanation, or a generic one, or "" */
};

/* Loads and attaches every probe with prov (probes with the same section share one program); on
 * failure nothing stays attached or loaded. */
int attach_all(struct tux_object *obj, const struct attach_provider *prov, struct probe *probes,
	       size_t n, struct attach_failure *why);
void detach_all(struct tux_object *obj, const struct attach_provider *prov, struct probe *probes,
		size_t n);

/* The detach of mechanisms whose probe lives exactly as long as its fd (perf event or BPF link):
 * the kernel removes it with the last reference. */
void probe_close_fd(struct probe *p);

/* perf_event_open(attr) on every CPU's behalf, then PERF_EVENT_IOC_SET_BPF and ENABLE; fd or -errno. */
int perf_event_attach_bpf(struct perf_event_attr *attr, int prog_fd);

#endif
