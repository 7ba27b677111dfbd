/* attach.h: ways to make a loaded program run when a kernel function is called.
 * Each mechanism is one provider with attach and detach; adding a mechanism adds one provider. */
#ifndef TUX_ATTACH_H
#define TUX_ATTACH_H

struct probe {
	const char *func;   /* the kernel function, e.g. "vfs_read" */
	int retprobe;       /* 1: on return instead of on entry */
	int prog_fd;
	int perf_fd;        /* the perf event the program is attached to, or -1 */
};

struct attach_provider {
	const char *name;   /* as said to the user: "kprobe" */
	unsigned prog_type; /* enum bpf_prog_type the programs must be loaded as */
	const char *section_prefix; /* which programs of the object it attaches: "kprobe/" */
	int (*attach)(struct probe *p);
	void (*detach)(struct probe *p);
};

extern const struct attach_provider kprobe_provider;

/* Says, after an attach failure with err, a few words on the likely cause, or "". */
const char *attach_hint(int err);

#endif
