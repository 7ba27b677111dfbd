/* instances.c: tells live tuxscope processes from dead ones by their task name in /proc/PID/comm.
 * Used to clean up after runs killed with SIGKILL: stale kprobe_events entries, a tracefs mount. */
#include "instances.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"

int tuxscope_alive(long pid)
{
	char path[64], stat[512];

	if (pid == getpid())
		return 1;
	if (pid <= 0)
		return 0;
	/* "PID (COMM) STATE ...": a zombie (Z) or a dead task (X) has closed its fds already, and what it
	 * left is as stale as if it were gone. comm may hold ')', so the state follows the last one. */
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (read_text_file(path, stat, sizeof(stat)) <= 0)
		return 0;
	const char *open = strchr(stat, '('), *close = strrchr(stat, ')');
	if (!open || !close || close < open || strncmp(open + 1, "tuxscope", 8) != 0)
		return 0;
	return close[1] == ' ' && close[2] != 'Z' && close[2] != 'X';
}

int other_tuxscope_running(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *d;
	int found = 0;

	if (!proc)
		return 1; /* can't tell: assume one is, and leave things in place */
	while (!found && (d = readdir(proc))) {
		char *end;
		long pid = strtol(d->d_name, &end, 10);
		if (*end == 0 && pid != getpid() && tuxscope_alive(pid))
			found = 1;
	}
	closedir(proc);
	return found;
}
