/* session.h: one tracing session, shared by the commands: the embedded object loaded, its maps created
 * and configured, the programs attached with the best mechanism the kernel offers; and its undoing. */
#ifndef TUX_SESSION_H
#define TUX_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "attach.h"
#include "object.h"
#include "tuxscope_events.h"

#define SESSION_MAX_PROBES 20 /* tracepoint mode with --actual: ten entries, ten exits */

struct session_opts {
	const char *attach;      /* "auto" or a provider's name */
	const uint32_t *pids;    /* --pid filter, npids of them */
	size_t npids;
	const char *comm;        /* --comm filter, "" for none */
	const char *read_func;   /* the functions the VFS mechanisms probe */
	const char *write_func;
	const char *vfs_only;    /* why only a VFS mechanism will do ("--functions"), or NULL */
	uint32_t mode;           /* enum tux_mode */
	int want_file;           /* file names (stream) or per-file totals (top) */
	int want_actual;         /* pair entry and return */
	int background;          /* the caller streams while session_attach_rest attaches the rest */
};

struct session {
	struct tux_object obj;
	struct tux_config cfg;
	const struct attach_provider *prov; /* the mechanism in use */
	struct probe probes[SESSION_MAX_PROBES];
	size_t nprobes;
	size_t nnow;             /* probes attached by session_open; the rest by session_attach_rest */
	char skipped[512];       /* the better mechanisms that did not work, and why */
	char sections[SESSION_MAX_PROBES][64];
	char targets[SESSION_MAX_PROBES][64];
	uint32_t ring_size;
};

/* 0, or 1 after printing the one error line. With o->background, probes whose program takes the verifier
 * long (the vectored system calls' loop) may be left to session_attach_rest. */
int session_open(struct session *s, const struct session_opts *o);
/* Attaches what session_open left (callable from another thread while the caller streams: it touches
 * only those probes and their program), then prints the "attached" line; 0, or 1 after the error line. */
int session_attach_rest(struct session *s);
int session_map_fd(const struct session *s, const char *name);
/* 1 if the attached mechanism sees struct file (not the system call view). */
int session_has_files(const struct session *s);
/* Prints the kernel-side counters that mean data was lost, if any. */
void session_report_losses(const struct session *s);
void session_close(struct session *s);

#endif
