/* main.c: runs every unit test group; argv[1] is the BPF object the ELF tests parse.
 * Exits 1 if any group printed "not ok", 0 otherwise (the top-level runner counts the lines). */
#include <stdio.h>

#include "check.h"

struct check_state check_state;

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* each line out before a sanitizer abort or a fork */
	test_elf(argc > 1 ? argv[1] : "build/fileio.bpf.o");
	test_output();
	test_cli();
	test_ringbuf();
	test_btf();
	return check_state.failed_groups ? 1 : 0;
}
