/* fileio.c: the `tuxscope fileio` command: open a session, stream its ring buffer, clean up.
 * The session (session.c) does the loading and attaching; this file drains records and prints them. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "explain.h"
#include "commands.h"
#include "output.h"
#include "ringbuf.h"
#include "session.h"
#include "signals.h"

#define POLL_MS 10 /* programs wake us only per batch; a trickle is picked up by this timeout */

static const char fileio_usage[] =
	"usage: tuxscope fileio [options]\n"
	"Print every vfs_read and vfs_write call: pid, task name, operation, bytes requested, time.\n"
	"\n"
	"  -p, --pid PID          only this process (repeatable, up to 64)\n"
	"  -c, --comm NAME        only tasks named NAME (exact, up to 15 characters)\n"
	"  -n, --count N          exit after N events\n"
	"  -d, --duration SECS    exit after SECS seconds (decimals allowed, 0 = attach and exit)\n"
	"  -f, --format FORMAT    table (default) or json (one object per line)\n"
	"  -F, --filename         add the file's name (FILE, \"file\")\n"
	"  -A, --actual           add what the call returned: bytes moved or the error (ACTUAL,\n"
	"                         \"actual\" and \"error\"); the record is printed when the call returns\n"
	"  -a, --attach MODE      auto (default), kprobe, fentry, kprobe-legacy or tracepoint\n"
	"      --functions R,W    probe kernel functions R and W instead of vfs_read,vfs_write\n"
	"      --explain          first narrate each step of the load on stderr (system calls,\n"
	"                         arguments, results), then run as usual\n"
	"  -h, --help             this text\n"
	"\n"
	"Filters run in the kernel. Ends on SIGINT, SIGTERM, SIGHUP or a closed output, exit 0.\n"
	"auto tries kprobe (the kprobe PMU), fentry, kprobe-legacy (kprobe_events), then tracepoint:\n"
	"the read/write family of system calls, which does not see the kernel's own VFS I/O.\n";

struct fileio_run {
	struct fileio_opts opts;
	struct session session;
	struct ringbuf rb;
	struct out out;
	unsigned long long printed;
	pthread_t attacher;      /* session_attach_rest, while stream() already runs */
	int attaching;           /* the thread was started and not yet joined */
	int attach_rc;           /* its result: -1 while it runs, then 0 or 1 */
};

/* The probes whose program the verifier takes long over attach on this thread, so the first events
 * show as soon as the others are live (time to first event: issue 6). */
static void *attach_rest(void *arg)
{
	struct fileio_run *run = arg;

	__atomic_store_n(&run->attach_rc, session_attach_rest(&run->session), __ATOMIC_RELEASE);
	return NULL;
}

/* Waits for the attaching thread; its result. */
static int join_attacher(struct fileio_run *run)
{
	if (run->attaching) {
		pthread_join(run->attacher, NULL);
		run->attaching = 0;
	}
	return run->attach_rc;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int on_event(void *ctx, const void *data, uint32_t len)
{
	struct fileio_run *run = ctx;
	struct fileio_event_named n;
	const char *name = NULL;

	if (len < sizeof(n.e))
		return 0; /* not ours: a record this loader does not know */
	memcpy(&n, data, len < sizeof(n) ? len : sizeof(n));
	if ((n.e.flags & TUX_EV_FILE) && len >= sizeof(n)) {
		n.name[TUX_NAME_LEN - 1] = 0;
		name = n.name;
	}
	out_fileio_event(&run->out, run->opts.format, &n.e, name);
	run->printed++;
	return run->opts.count && run->printed >= run->opts.count ? -1 : 0;
}

/* Drains the ring until a stop condition; 0, or 1 after saying what failed. */
static int stream(struct fileio_run *run)
{
	long long deadline = run->opts.duration_ms >= 0 ? now_ms() + run->opts.duration_ms : -1;

	out_fileio_header(&run->out, run->opts.format);
	for (;;) {
		long long timeout = POLL_MS;
		if (deadline >= 0 && deadline - now_ms() < timeout)
			timeout = deadline - now_ms() > 0 ? deadline - now_ms() : 0;
		int woke = stop_requested ? 0 : ringbuf_wait(&run->rb, (int)timeout);
		long n = ringbuf_consume(&run->rb, on_event, run);
		int werr = out_flush(&run->out);

		if (werr == -EPIPE || woke == 2 || (werr == -EINTR && stop_requested))
			return 0; /* the reader went away (`| head`), or we were stopped while it stalled */
		if (werr) {
			fprintf(stderr, "tuxscope: write output: %s\n", strerror(-werr));
			return 1;
		}
		if (__atomic_load_n(&run->attach_rc, __ATOMIC_ACQUIRE) > 0)
			return 1; /* the rest did not attach: its error line is out */
		if (n < 0 || stop_requested || (deadline >= 0 && now_ms() >= deadline))
			return 0;
		if (woke < 0) {
			fprintf(stderr, "tuxscope: wait for events: %s\n", strerror(-woke));
			return 1;
		}
	}
}

int cmd_fileio(int argc, char **argv)
{
	static struct fileio_run run; /* large (output buffer): not on the stack */
	struct fileio_opts *o = &run.opts;
	char err[256];
	int rc;

	if (fileio_parse_args(argc, argv, o, err, sizeof(err))) {
		fprintf(stderr, "tuxscope: %s\n", err);
		return 2;
	}
	if (o->help) {
		fputs(fileio_usage, stdout);
		return 0;
	}
	explain_on = o->explain;
	struct session_opts so = {
		.attach = o->attach, .pids = o->pids, .npids = o->npids, .comm = o->comm,
		.read_func = o->read_func, .write_func = o->write_func, .vfs_only = o->funcs[0] ? "--functions" : NULL,
		.mode = TUX_MODE_STREAM, .want_file = o->filename, .want_actual = o->actual,
		.background = 1,
	};
	run.rb.epoll_fd = -1;
	out_init(&run.out, STDOUT_FILENO,
		 (o->actual ? OUT_COL_ACTUAL : 0) | (o->filename ? OUT_COL_FILE : 0));
	run.out.stop = &stop_requested;
	signals_install();
	rc = session_open(&run.session, &so);
	if (rc == 0 && o->filename && !session_has_files(&run.session))
		fprintf(stderr, "tuxscope: --filename: file names are not available in the system call "
				"view (FILE shows -)\n");
	if (rc == 0 && (rc = -ringbuf_open(&run.rb, session_map_fd(&run.session, "events"),
					   run.session.ring_size))) {
		fprintf(stderr, "tuxscope: map ring buffer: %s\n", strerror(rc));
		rc = 1;
	}
	run.attach_rc = rc ? 1 : 0;
	if (rc == 0 && run.session.nnow < run.session.nprobes) {
		sigset_t all, old;
		run.attach_rc = -1;
		/* Signals go to this thread, whose blocked write they must be able to interrupt. */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		if (pthread_create(&run.attacher, NULL, attach_rest, &run) == 0)
			run.attaching = 1;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (!run.attaching)
			run.attach_rc = session_attach_rest(&run.session); /* no thread: attach all first */
	}
	if (rc == 0 && run.attach_rc > 0)
		rc = 1;
	if (rc == 0) {
		explain("mmap(events fd %d, %zu bytes, PROT_READ|PROT_WRITE, MAP_SHARED, offset 0): the "
			"consumer_pos page, which we advance", session_map_fd(&run.session, "events"),
			run.rb.page_size);
		explain("mmap(events fd %d, %zu + 2 x %u bytes, PROT_READ, MAP_SHARED, offset %zu): the "
			"producer_pos page, then the %u data bytes mapped twice in a row, so a record that "
			"wraps around the end reads in one piece", session_map_fd(&run.session, "events"),
			run.rb.page_size, run.session.ring_size, run.rb.page_size, run.session.ring_size);
		explain("epoll_create1 + epoll_ctl(EPOLL_CTL_ADD, events fd, EPOLLIN) -> fd %d: the "
			"programs wake it (BPF_RB_FORCE_WAKEUP, else BPF_RB_NO_WAKEUP) once a quarter of the "
			"ring (%u bytes) is waiting, or at once if it had read everything; a %d ms timeout "
			"picks up the rest", run.rb.epoll_fd, run.session.ring_size / 4, POLL_MS);
		ringbuf_watch_fd(&run.rb, STDOUT_FILENO); /* fails for files and /dev/null: no matter */
		rc = stream(&run);
	}
	if (join_attacher(&run) > 0)
		rc = 1;
	if (rc == 0)
		session_report_losses(&run.session);
	session_close(&run.session);
	ringbuf_close(&run.rb);
	return rc;
}
