/* tracefs.h: the kernel's tracing filesystem: where it is (mounting it if needed), event ids, and the
 * kprobe_events control file. Used by the legacy kprobe and the tracepoint attach providers. */
#ifndef TUX_TRACEFS_H
#define TUX_TRACEFS_H

#include <stddef.h>

/* The tracefs directory ("/sys/kernel/tracing" or ".../debug/tracing"), mounting tracefs at
 * /sys/kernel/tracing if neither is there; NULL with *err = -errno if it can't be had. */
const char *tracefs_dir(int *err);
/* 1 if the last tracefs_dir failed because there is no tracefs to be had (not mounted, and mounting it
 * failed): the error it returned is the mount's. For the providers' hints. */
int tracefs_missing(void);
#define TRACEFS_MISSING_HINT "no tracefs: not mounted, and it could not be mounted at /sys/kernel/tracing"

/* Unmounts tracefs if a tuxscope mounted it (this run, or one killed before it could) and no other
 * run is alive, so the system is left as it was found. */
void tracefs_release(void);

/* The id of event GROUP/NAME (events/GROUP/NAME/id): >= 0, or -errno. */
long tracefs_event_id(const char *group, const char *name);
/* The byte offset of field `field` in the event's record (from its format file), or -errno. */
long tracefs_field_offset(const char *group, const char *name, const char *field);
/* Appends one line to kprobe_events ("p:GROUP/EVENT FUNC" or "-:GROUP/EVENT"); 0 or -errno. */
int tracefs_kprobe_events_write(const char *line);
/* Reads kprobe_events into buf (NUL-terminated); 0 or -errno. */
int tracefs_kprobe_events_read(char *buf, size_t size);

#endif
