/* top.c: the `tuxscope top` command: per-process (or per-file) totals kept in a BPF hash map, read every
 * interval and shown like biotop/filetop, beside each process's block I/O from /proc/PID/io. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "explain.h"
#include "files.h"
#include "output.h"
#include "session.h"
#include "signals.h"
#include "sys.h"

static const char top_usage[] =
	"usage: tuxscope top [options] [interval [count]]\n"
	"Every interval (seconds, default 1), the processes with the most file I/O in it: VFS reads and\n"
	"writes and their bytes (counted in the kernel), and the bytes the block layer moved for each\n"
	"process (/proc/PID/io): a read served from the page cache has VFS bytes but no block bytes.\n"
	"\n"
	"  -s, --sort KEY         all (read+write bytes, default), reads, writes, rbytes, wbytes\n"
	"  -r, --rows N           show at most N rows (default 20)\n"
	"  -C, --noclear          do not clear the screen between intervals\n"
	"      --by-file          a row per process and file (needs a VFS mechanism, not tracepoint)\n"
	"  -p, --pid PID          only this process (repeatable)\n"
	"  -c, --comm NAME        only tasks named NAME\n"
	"  -f, --format FORMAT    table (default) or json (one object per interval)\n"
	"  -a, --attach MODE      auto (default), kprobe, fentry, kprobe-legacy or tracepoint\n"
	"      --explain          first narrate each step of the load on stderr\n"
	"  -h, --help             this text\n";

struct row {
	struct top_key key;
	struct top_value now;  /* totals so far, from the map */
	struct top_value was;  /* totals at the previous interval (zero if new) */
	long long blk_read, blk_write; /* block bytes in this interval; -1: unknown */
};

struct blk { /* one process's /proc/PID/io read_bytes, write_bytes */
	uint32_t pid;
	unsigned long long rb, wb;
};

struct top_run {
	struct top_opts opts;
	struct session session;
	struct out out;
	struct row *rows, *prev;
	size_t nrows, nprev, cap;
	struct blk *blk, *blk_prev;
	size_t nblk, nblk_prev;
};

static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct top_key));
}

static int blk_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct blk *)a)->pid, y = ((const struct blk *)b)->pid;

	return x < y ? -1 : x > y;
}

/* read_bytes and write_bytes of /proc/PID/io: what the block layer moved for this process. */
static int read_proc_io(uint32_t pid, unsigned long long *rb, unsigned long long *wb)
{
	char path[64], buf[512];
	int found = 0;
	long n;

	snprintf(path, sizeof(path), "/proc/%u/io", pid);
	if ((n = read_text_file(path, buf, sizeof(buf))) <= 0)
		return n < 0 ? (int)n : -EIO;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "read_bytes: ", 12) == 0 && ++found)
			*rb = strtoull(line + 12, NULL, 10);
		else if (strncmp(line, "write_bytes: ", 13) == 0 && ++found)
			*wb = strtoull(line + 13, NULL, 10);
	}
	return found == 2 ? 0 : -EIO;
}

/* Takes /proc/PID/io of every process: the baseline against which the next interval is measured.
 * A process missing from the previous snapshot started during the interval: its baseline is 0. */
static void snapshot_blk(struct top_run *run)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t cap = 0;

	free(run->blk_prev);
	run->blk_prev = run->blk;
	run->nblk_prev = run->nblk;
	run->blk = NULL;
	run->nblk = 0;
	while (d && (de = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);
		struct blk b = { .pid = (uint32_t)pid };

		if (*end || pid == 0 || read_proc_io(b.pid, &b.rb, &b.wb))
			continue;
		if (run->nblk == cap) {
			struct blk *n = realloc(run->blk, (cap = cap ? cap * 2 : 256) * sizeof(*n));
			if (!n)
				break;
			run->blk = n;
		}
		run->blk[run->nblk++] = b;
	}
	if (d)
		closedir(d);
	qsort(run->blk, run->nblk, sizeof(*run->blk), blk_cmp);
}

static void block_delta(const struct top_run *run, struct row *r)
{
	struct blk k = { .pid = r->key.pid };
	const struct blk *now = bsearch(&k, run->blk, run->nblk, sizeof(k), blk_cmp);
	const struct blk *was = bsearch(&k, run->blk_prev, run->nblk_prev, sizeof(k), blk_cmp);

	r->blk_read = r->blk_write = -1;
	if (!now)
		return; /* it has exited: its last block I/O can no longer be read */
	r->blk_read = (long long)(now->rb - (was ? was->rb : 0));
	r->blk_write = (long long)(now->wb - (was ? was->wb : 0));
}

/* Reads every entry of the totals map into run->rows, sorted by key. */
static int read_totals(struct top_run *run)
{
	int fd = session_map_fd(&run->session, "totals");
	struct top_key key, next;
	const void *cursor = NULL;

	run->nrows = 0;
	while (bpf_map_get_next_key(fd, cursor, &next) == 0) {
		key = next;
		cursor = &key;
		if (run->nrows == run->cap) {
			size_t cap = run->cap ? run->cap * 2 : 256;
			struct row *a = realloc(run->rows, cap * sizeof(*a));
			struct row *b = realloc(run->prev, cap * sizeof(*b));
			if (a)
				run->rows = a;
			if (b)
				run->prev = b;
			if (!a || !b)
				return -ENOMEM;
			run->cap = cap;
		}
		struct row *r = &run->rows[run->nrows];
		memset(r, 0, sizeof(*r));
		r->key = key;
		if (bpf_map_lookup_elem(fd, &key, &r->now) == 0)
			run->nrows++; /* else deleted meanwhile */
	}
	qsort(run->rows, run->nrows, sizeof(*run->rows), key_cmp);
	return 0;
}

static unsigned long long sort_value(const struct top_run *run, const struct row *r)
{
	const struct top_value *a = &r->now, *b = &r->was;

	switch (run->opts.sort) {
	case TOP_SORT_READS:
		return a->reads - b->reads;
	case TOP_SORT_WRITES:
		return a->writes - b->writes;
	case TOP_SORT_RBYTES:
		return a->read_bytes - b->read_bytes;
	case TOP_SORT_WBYTES:
		return a->write_bytes - b->write_bytes;
	default:
		return a->read_bytes - b->read_bytes + a->write_bytes - b->write_bytes;
	}
}

static const struct top_run *sort_run; /* qsort has no context argument */
static int by_sort_key(const void *a, const void *b)
{
	unsigned long long x = sort_value(sort_run, a), y = sort_value(sort_run, b);

	if (x != y)
		return x < y ? 1 : -1;
	return key_cmp(a, b); /* ties in a stable order */
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *put_num_col(char *p, long long v, size_t w)
{
	char num[24];

	if (v < 0)
		return fmt_pad(p, "-", 1, w);
	return fmt_pad(p, num, (size_t)(fmt_u64(num, (unsigned long long)v) - num), w);
}

/* The file of a --by-file row, as fileio shows it. */
static char *put_file(char *p, const struct row *r)
{
	struct fileio_event e = { .ino = r->key.ino, .mode = r->now.mode };
	char name[TUX_NAME_LEN];

	memcpy(name, r->now.name, sizeof(name));
	name[TUX_NAME_LEN - 1] = 0;
	if (r->key.ino == 0 && r->now.mode == 0 && !name[0])
		return put_str(p, "?");
	return fmt_file(p, &e, name);
}

static void print_interval(struct top_run *run, size_t nshown, long long now_ns)
{
	struct out *o = &run->out;
	int by_file = run->opts.by_file;
	char *p = out_reserve(o);

	if (run->opts.format == OUT_JSON) {
		p = put_str(p, "{\"timestamp_ns\":");
		p = fmt_u64(p, (unsigned long long)now_ns);
		p = put_str(p, ",\"interval_ms\":");
		p = fmt_u64(p, (unsigned long long)run->opts.interval_ms);
		p = put_str(p, ",\"rows\":[");
	} else {
		/* UTC, computed here: the C library's local time would read time zone files, which an
		 * initramfs rarely has, and costs as much code as this whole command. */
		time_t t = time(NULL) % 86400;
		char when[16] = "00:00:00 UTC";

		for (int f = 0, v = (int)(t / 3600); f < 3; f++) {
			when[f * 3] = (char)('0' + v / 10);
			when[f * 3 + 1] = (char)('0' + v % 10);
			v = f == 0 ? (int)(t / 60 % 60) : (int)(t % 60);
		}
		if (!run->opts.noclear && isatty(STDOUT_FILENO))
			p = put_str(p, "\033[H\033[2J");
		p = put_str(p, when);
		p = put_str(p, by_file ? "  per process and file\n" : "  VFS beside block I/O, bytes\n");
		p = fmt_pad(p, "PID", 3, 6);
		p = fmt_pad(p, "COMM", 4, 16);
		p = fmt_pad(p, "READS", 5, 9);
		p = fmt_pad(p, "WRITES", 6, 9);
		p = fmt_pad(p, "R_BYTES", 7, 12);
		p = fmt_pad(p, "W_BYTES", 7, 12);
		if (by_file) {
			p = put_str(p, "FILE\n");
		} else {
			p = fmt_pad(p, "BLK_R_BYTES", 11, 12);
			p = put_str(p, "BLK_W_BYTES\n");
		}
	}
	out_commit(o, p);

	for (size_t i = 0; i < nshown; i++) {
		const struct row *r = &run->rows[i];
		unsigned long long reads = r->now.reads - r->was.reads, writes = r->now.writes - r->was.writes;
		unsigned long long rb = r->now.read_bytes - r->was.read_bytes;
		unsigned long long wb = r->now.write_bytes - r->was.write_bytes;
		char comm[TUX_COMM_LEN + 1];

		memcpy(comm, r->now.comm, TUX_COMM_LEN);
		comm[TUX_COMM_LEN] = 0;
		p = out_reserve(o);
		if (run->opts.format == OUT_JSON) {
			p = put_str(p, i ? ",{\"pid\":" : "{\"pid\":");
			p = fmt_u64(p, r->key.pid);
			p = put_str(p, ",\"comm\":");
			p = fmt_json_string(p, comm, TUX_COMM_LEN);
			p = put_str(p, ",\"reads\":");
			p = fmt_u64(p, reads);
			p = put_str(p, ",\"writes\":");
			p = fmt_u64(p, writes);
			p = put_str(p, ",\"read_bytes\":");
			p = fmt_u64(p, rb);
			p = put_str(p, ",\"write_bytes\":");
			p = fmt_u64(p, wb);
			if (by_file) {
				char file[TUX_NAME_LEN + 48], *q = put_file(file, r);
				p = put_str(p, ",\"file\":");
				p = fmt_json_string(p, file, (size_t)(q - file));
			} else if (r->blk_read < 0) {
				p = put_str(p, ",\"blk_read_bytes\":null,\"blk_write_bytes\":null");
			} else {
				p = put_str(p, ",\"blk_read_bytes\":");
				p = fmt_u64(p, (unsigned long long)r->blk_read);
				p = put_str(p, ",\"blk_write_bytes\":");
				p = fmt_u64(p, (unsigned long long)r->blk_write);
			}
			*p++ = '}';
		} else {
			size_t n = strlen(comm);
			for (size_t c = 0; c < n; c++)
				if (comm[c] < 0x20 || comm[c] == 0x7f)
					comm[c] = '?';
			p = put_num_col(p, r->key.pid, 6);
			p = fmt_pad(p, comm, n, 16);
			p = put_num_col(p, (long long)reads, 9);
			p = put_num_col(p, (long long)writes, 9);
			p = put_num_col(p, (long long)rb, 12);
			p = put_num_col(p, (long long)wb, 12);
			if (by_file) {
				char file[TUX_NAME_LEN + 48], *q = put_file(file, r);
				for (char *c = file; c < q; c++)
					*p++ = ((unsigned char)*c >= 0x20 && *c != 0x7f) ? *c : '?';
			} else {
				p = put_num_col(p, r->blk_read, 12);
				p = r->blk_write < 0 ? put_str(p, "-") : fmt_u64(p, (unsigned long long)r->blk_write);
			}
			*p++ = '\n';
		}
		out_commit(o, p);
	}
	p = out_reserve(o);
	p = put_str(p, run->opts.format == OUT_JSON ? "]}\n" : "\n");
	out_commit(o, p);
}

/* A process that has exited will not add to its totals again. */
static int process_gone(uint32_t pid)
{
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* One interval: read the totals, take the differences to the previous ones, keep the active rows
 * first in run->rows; returns how many are active, or -errno. Rows of exited processes are
 * removed from the map once their last interval is counted, so the map does not fill up. */
static int tick(struct top_run *run)
{
	int fd = session_map_fd(&run->session, "totals");
	size_t active = 0, kept = 0;
	int err;

	if ((err = read_totals(run)))
		return err;
	if (!run->opts.by_file)
		snapshot_blk(run);
	for (size_t i = 0; i < run->nrows; i++) {
		struct row *r = &run->rows[i];
		const struct row *old = bsearch(&r->key, run->prev, run->nprev, sizeof(*old), key_cmp);

		if (old)
			r->was = old->now;
	}
	/* These totals are the next interval's "previous" ones, but not those of the dead. */
	for (size_t i = 0; i < run->nrows; i++) {
		if (process_gone(run->rows[i].key.pid))
			bpf_map_delete_elem(fd, &run->rows[i].key);
		else
			run->prev[kept++] = run->rows[i];
	}
	run->nprev = kept;
	for (size_t i = 0; i < run->nrows; i++) {
		struct row *r = &run->rows[i];

		if (r->now.reads == r->was.reads && r->now.writes == r->was.writes)
			continue; /* nothing in this interval */
		if (!run->opts.by_file)
			block_delta(run, r);
		run->rows[active++] = *r;
	}
	return (int)active;
}

int cmd_top(int argc, char **argv)
{
	static struct top_run run;
	struct top_opts *o = &run.opts;
	char err[256];
	int rc;

	if (top_parse_args(argc, argv, o, err, sizeof(err))) {
		fprintf(stderr, "tuxscope: %s\n", err);
		return 2;
	}
	explain_on = o->explain;
	if (o->help) {
		fputs(top_usage, stdout);
		return 0;
	}
	struct session_opts so = {
		.attach = o->attach, .pids = o->pids, .npids = o->npids, .comm = o->comm,
		.read_func = "vfs_read", .write_func = "vfs_write", .mode = TUX_MODE_TOP,
		.want_file = o->by_file, .vfs_only = o->by_file ? "--by-file" : NULL,
	};
	if (o->by_file && strcmp(o->attach, "tracepoint") == 0) {
		fprintf(stderr, "tuxscope: top --by-file needs struct file: not available with --attach "
				"tracepoint (the system call view)\n");
		return 2;
	}
	out_init(&run.out, STDOUT_FILENO, 0);
	run.out.stop = &stop_requested;
	signals_install();
	/* The first interval's block I/O baseline, taken before the "attached" line: a workload started
	 * on that line must not do its I/O before the baseline and vanish from the first interval. */
	if (!o->by_file)
		snapshot_blk(&run);
	rc = session_open(&run.session, &so);
	for (unsigned long long n = 0; rc == 0 && (!o->count || n < o->count); n++) {
		struct timespec ts = { o->interval_ms / 1000, (o->interval_ms % 1000) * 1000000 };
		struct timespec now;

		/* nanosleep returns early on SIGINT/SIGTERM/SIGHUP: then print what we have and stop. */
		nanosleep(&ts, NULL);
		int active = tick(&run);
		if (active < 0) {
			fprintf(stderr, "tuxscope: read totals: %s\n", strerror(-active));
			rc = 1;
			break;
		}
		sort_run = &run;
		qsort(run.rows, (size_t)active, sizeof(*run.rows), by_sort_key);
		clock_gettime(CLOCK_MONOTONIC, &now);
		print_interval(&run, (size_t)active < o->rows ? (size_t)active : o->rows,
			       (long long)now.tv_sec * 1000000000 + now.tv_nsec);
		if (out_flush(&run.out) || stop_requested)
			break; /* a closed pipe or a signal: a normal end */
	}
	if (rc == 0)
		session_report_losses(&run.session);
	session_close(&run.session);
	free(run.rows);
	free(run.prev);
	free(run.blk);
	free(run.blk_prev);
	return rc;
}
