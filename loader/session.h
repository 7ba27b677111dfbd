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
};

struct session {
	struct tux_object obj;
	struct tux_config cfg;
	const struct attach_provider *prov; /* the mechanism in use */
	struct probe probes[SESSION_MAX_PROBES];
	size_t nprobes;
	char sections[SESSION_MAX_PROBES][64];
	char targets[SESSION_MAX_PROBES][64];
	uint32_t ring_size;
};

/* 0, or 1 after printing the one error line. */
int session_open(struct session *s, const struct session_opts *o);
int session_map_fd(const struct session *s, const char *name);
/* 1 if the attached mechanism sees struct file (not the system call view). */
int session_has_files(const struct session *s);
/* Prints the kernel-side counters that mean data was lost, if any. */
void session_report_losses(const struct session *s);
void session_close(struct session *s);

#endif
