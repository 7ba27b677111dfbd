/* cli.h: the options of each command, parsed into plain structs with no side effects (unit-testable).
 * A parse error fills err with one line and returns -EINVAL: the caller exits 2. */
#ifndef TUX_CLI_H
#define TUX_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "tuxscope_events.h"

#define CLI_MAX_PIDS 64 /* the "pids" map's max_entries */

struct fileio_opts {
	enum out_format format;
	uint32_t pids[CLI_MAX_PIDS];
	size_t npids;
	char comm[TUX_COMM_LEN]; /* "" = any */
	unsigned long long count; /* 0 = no limit */
	long long duration_ms;    /* -1 = no limit */
	const char *read_func;    /* default "vfs_read" */
	const char *write_func;   /* default "vfs_write" */
	char funcs[128];          /* storage for --functions READ,WRITE */
	const char *attach;       /* "auto" or a provider's name */
	int filename;             /* --filename */
	int actual;               /* --actual */
	int explain;              /* --explain: narrate the load on stderr */
	int help;
};

int fileio_parse_args(int argc, char **argv, struct fileio_opts *o, char *err, size_t errlen);

enum top_sort { TOP_SORT_ALL, TOP_SORT_READS, TOP_SORT_WRITES, TOP_SORT_RBYTES, TOP_SORT_WBYTES };

struct top_opts {
	enum out_format format;
	uint32_t pids[CLI_MAX_PIDS];
	size_t npids;
	char comm[TUX_COMM_LEN];
	const char *attach;
	enum top_sort sort;       /* --sort: all (read+write bytes, default), reads, writes, rbytes, wbytes */
	unsigned rows;            /* --rows, default 20 */
	long long interval_ms;    /* positional interval, default 1 s */
	unsigned long long count; /* positional count, 0 = until stopped */
	int noclear;              /* -C */
	int by_file;              /* --by-file */
	int explain;              /* --explain */
	int help;
};

int top_parse_args(int argc, char **argv, struct top_opts *o, char *err, size_t errlen);

/* Strict number parsing: the whole string, decimal, in range; 0 or -EINVAL / -ERANGE. */
int parse_u64(const char *s, unsigned long long max, unsigned long long *out);
/* Seconds with up to three decimals ("1.5") into milliseconds. */
int parse_seconds_ms(const char *s, long long *ms);

#endif
