/* main.c: picks the command from argv[1] and runs it; --help and --version.
 * Commands live in their own files; this one only dispatches. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "commands.h"

#ifndef TUX_VERSION
#define TUX_VERSION "0.1.0"
#endif

static const char usage[] =
	"usage: tuxscope COMMAND [options]\n"
	"Trace file I/O at the kernel's VFS layer with BPF: one static binary, no dependencies.\n"
	"\n"
	"Commands:\n"
	"  fileio     print every vfs_read and vfs_write call (tuxscope fileio --help)\n"
	"  top        the processes or files with the most I/O, every interval (tuxscope top --help)\n"
	"  inspect    the programs, maps and relocations in a BPF object file (tuxscope inspect --help)\n"
	"\n"
	"  -h, --help      this text\n"
	"  -V, --version   the version\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("tuxscope: no command: fileio, top or inspect (see tuxscope --help)\n", stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		puts("tuxscope " TUX_VERSION);
		return 0;
	}
	/* inspect only reads a file: no kernel, no privileges, no limits to raise */
	if (strcmp(argv[1], "inspect") == 0)
		return cmd_inspect(argc - 1, argv + 1);
	/* Before 5.11 BPF memory counts against RLIMIT_MEMLOCK; since then against the memory cgroup,
	 * and raising the limit may be refused (no CAP_SYS_RESOURCE): that is not an error. */
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	setrlimit(RLIMIT_MEMLOCK, &unlimited);

	if (strcmp(argv[1], "fileio") == 0)
		return cmd_fileio(argc - 1, argv + 1);
	if (strcmp(argv[1], "top") == 0)
		return cmd_top(argc - 1, argv + 1);
	fprintf(stderr, "tuxscope: unknown command '%s' (see tuxscope --help)\n", argv[1]);
	return 2;
}
