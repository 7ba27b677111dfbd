/* tracefs.c: finds or mounts tracefs and reads and writes its files.
 * Older systems mount it only under debugfs; both places are tried before mounting it ourselves.
 * Our mount's source is named "tuxscope", so one a killed run left behind is recognised and removed. */
#include "tracefs.h"

#include "explain.h"
#include "files.h"
#include "instances.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const candidates[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
static const char *found;
static int missing; /* the last tracefs_dir found none and could not mount one */
#define MOUNT_SOURCE "tuxscope" /* shows in /proc/self/mounts: "tuxscope /sys/kernel/tracing tracefs" */

static int has_events(const char *dir)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events", dir);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *tracefs_dir(int *err)
{
	if (found)
		return found;
	missing = 0;
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		if (has_events(candidates[i])) {
			explain("tracefs: found at %s", candidates[i]);
			return found = candidates[i];
		}
	}
	int r = mount(MOUNT_SOURCE, candidates[0], "tracefs", 0, NULL) < 0 ? -errno : 0;
	explain("mount(\"" MOUNT_SOURCE "\", \"%s\", \"tracefs\") -> %s (it was not mounted: "
		"unmounted again at exit)", candidates[0], explain_rc(r));
	if (r) {
		missing = 1;
		*err = r;
		return NULL;
	}
	if (!has_events(candidates[0])) {
		tracefs_release();
		missing = 1;
		*err = -ENODEV;
		return NULL;
	}
	return found = candidates[0];
}

int tracefs_missing(void)
{
	return missing;
}

/* Is tracefs mounted at candidates[0] by a tuxscope (this run, or one killed before its exit)? */
static int mounted_by_tuxscope(void)
{
	static char mounts[64 * 1024];
	char line_start[128];

	if (read_text_file("/proc/self/mounts", mounts, sizeof(mounts)) < 0)
		return 0;
	snprintf(line_start, sizeof(line_start), MOUNT_SOURCE " %s tracefs ", candidates[0]);
	for (char *line = mounts; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, line_start, strlen(line_start)) == 0)
			return 1;
	return 0;
}

void tracefs_release(void)
{
	/* A mount another live run may still be using stays: the last run to exit removes it. */
	if (mounted_by_tuxscope() && !other_tuxscope_running()) {
		int r = umount2(candidates[0], MNT_DETACH) < 0 ? -errno : 0;
		explain("umount2(\"%s\", MNT_DETACH) -> %s: the tracefs mount a tuxscope made is removed",
			candidates[0], explain_rc(r));
	}
	found = NULL;
}

/* Reads the file at tracefs-relative path into buf; 0 or -errno. */
static int read_tracefs_file(const char *rel, char *buf, size_t size)
{
	char path[512];
	int err = 0;
	const char *dir = tracefs_dir(&err);

	if (!dir)
		return err;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	long n = read_text_file(path, buf, size);
	return n < 0 ? (int)n : 0;
}

long tracefs_event_id(const char *group, const char *name)
{
	char rel[256], buf[32], *end;
	int err;

	snprintf(rel, sizeof(rel), "events/%s/%s/id", group, name);
	if ((err = read_tracefs_file(rel, buf, sizeof(buf))))
		return err;
	long id = strtol(buf, &end, 10);
	if (end == buf || id < 0)
		return -EINVAL;
	explain("read %s/%s -> %ld", found, rel, id);
	return id;
}

long tracefs_field_offset(const char *group, const char *name, const char *field)
{
	char rel[256], buf[4096], pat[80];
	int err;

	snprintf(rel, sizeof(rel), "events/%s/%s/format", group, name);
	if ((err = read_tracefs_file(rel, buf, sizeof(buf))))
		return err;
	/* Lines look like "\tfield:size_t count;\toffset:32;\tsize:8;\tsigned:0;" */
	snprintf(pat, sizeof(pat), " %s;", field);
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *f = strstr(line, pat), *o;
		if (!f || !(o = strstr(f, "offset:")))
			continue;
		long off = strtol(o + 7, NULL, 10);
		explain("read %s/%s: field %s at offset %ld", found, rel, field, off);
		return off;
	}
	return -ENOENT;
}

int tracefs_kprobe_events_write(const char *line)
{
	char path[256];
	int err = 0, fd;
	const char *dir = tracefs_dir(&err);

	if (!dir)
		return err;
	snprintf(path, sizeof(path), "%s/kprobe_events", dir);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	ssize_t n = write(fd, line, strlen(line));
	err = n < 0 ? -errno : 0;
	close(fd);
	explain("write \"%s\" to %s -> %s", line, path, explain_rc(err));
	return err;
}

int tracefs_kprobe_events_read(char *buf, size_t size)
{
	int err = 0;

	if (!tracefs_dir(&err))
		return err; /* tracefs_missing() says so */
	err = read_tracefs_file("kprobe_events", buf, size);
	return err == -ENOENT ? -ENODEV : err; /* tracefs without it: CONFIG_KPROBE_EVENTS off */
}
