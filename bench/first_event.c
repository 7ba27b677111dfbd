/* first_event.c: time to first event: starts a tracer with stdout on a pipe while a child named MARKER
 * reads a few bytes every millisecond, and prints the ms from the tracer's start until MARKER is output. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void usage(void)
{
	fprintf(stderr, "usage: first_event [-t TIMEOUT_MS] [-e STDERR_FILE] MARKER TRACER [ARG...]\n"
			"Prints first_event_ms=X: from the start of TRACER (stdout on a pipe) until MARKER\n"
			"appears on it, while a process named MARKER reads 4 bytes of /dev/zero every 1 ms.\n");
	exit(2);
}

/* The marker workload: a process whose comm is MARKER, reading every millisecond until killed. */
static pid_t start_marker(const char *marker)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, marker);
	int fd = open("/dev/zero", O_RDONLY);
	char buf[4];
	struct timespec ms = { 0, 1000000 };
	for (;;) {
		if (fd < 0 || read(fd, buf, sizeof(buf)) < 0)
			_exit(1);
		nanosleep(&ms, NULL);
	}
}

/* Waits for pid up to ms milliseconds, reading (and dropping) what arrives on fd meanwhile so the
 * tracer never blocks on a full pipe; then SIGKILL. Returns the exit status. */
static int reap(pid_t pid, int fd, int ms)
{
	double end = now_ms() + ms;
	char buf[65536];
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return status;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (fd >= 0 && poll(&p, 1, 10) > 0) {
			if (read(fd, buf, sizeof(buf)) <= 0) {
				close(fd);
				fd = -1;
			}
		} else if (fd < 0) {
			usleep(10000);
		}
	}
}

int main(int argc, char **argv)
{
	const char *errpath = "/dev/null";
	int timeout_ms = 30000, argi = 1, pfd[2], found = 0;
	char buf[65536 + 64];
	size_t keep = 0, mlen;
	double t0, t1 = 0;
	pid_t tracer, marker;

	while (argi + 1 < argc && argv[argi][0] == '-') {
		if (strcmp(argv[argi], "-t") == 0)
			timeout_ms = atoi(argv[argi + 1]);
		else if (strcmp(argv[argi], "-e") == 0)
			errpath = argv[argi + 1];
		else
			usage();
		argi += 2;
	}
	if (argc - argi < 2)
		usage();
	const char *m = argv[argi];
	mlen = strlen(m);
	if (mlen == 0 || mlen > 15) {
		fprintf(stderr, "first_event: MARKER must be 1 to 15 characters (a task name)\n");
		return 2;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		perror("first_event: pipe");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);

	t0 = now_ms();
	tracer = fork();
	if (tracer < 0) {
		perror("first_event: fork");
		return 2;
	}
	if (tracer == 0) {
		int efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(pfd[1], STDOUT_FILENO);
		if (efd >= 0)
			dup2(efd, STDERR_FILENO);
		signal(SIGINT, SIG_DFL);
		execvp(argv[argi + 1], argv + argi + 1);
		fprintf(stderr, "first_event: %s: %s\n", argv[argi + 1], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	marker = start_marker(m);

	while (!found) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		int left = (int)(t0 + timeout_ms - now_ms());
		if (left <= 0)
			break;
		int r = poll(&p, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		ssize_t n = read(pfd[0], buf + keep, sizeof(buf) - keep - 1);
		if (n <= 0)
			break; /* the tracer closed its stdout: it exited */
		size_t len = keep + (size_t)n;
		if (memmem(buf, len, m, mlen)) {
			t1 = now_ms();
			found = 1;
			break;
		}
		/* keep the tail: the marker may be split between two reads */
		keep = len < mlen - 1 ? len : mlen - 1;
		memmove(buf, buf + len - keep, keep);
	}

	kill(marker, SIGKILL);
	waitpid(marker, NULL, 0);
	kill(tracer, SIGINT);
	int status = reap(tracer, pfd[0], 20000);
	if (!found) {
		fprintf(stderr, "first_event: '%s' not seen on the tracer's stdout within %d ms (tracer %s %d)\n",
			m, timeout_ms, WIFEXITED(status) ? "exit" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return 1;
	}
	printf("first_event_ms=%.3f\n", t1 - t0);
	return 0;
}
