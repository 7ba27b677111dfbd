/* rusage.c: runs a command and reports its wall time, exit status and wait4() resource use (peak RSS).
 * The benchmarks' stopwatch: one key=value line, to stderr or to the file given with -o. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double tv_ms(struct timeval tv)
{
	return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

int main(int argc, char **argv)
{
	const char *outpath = NULL;
	struct rusage ru;
	int argi = 1, status;
	double t0, t1;
	pid_t pid;
	FILE *out = stderr;

	if (argc > 2 && strcmp(argv[1], "-o") == 0) {
		outpath = argv[2];
		argi = 3;
	}
	if (argi >= argc) {
		fprintf(stderr, "usage: rusage [-o FILE] COMMAND [ARG...]\n"
				"Runs COMMAND; then prints: pid= status= wall_ms= maxrss_kb= user_ms= sys_ms=\n");
		return 2;
	}
	if (outpath && !(out = fopen(outpath, "w"))) {
		fprintf(stderr, "rusage: %s: %s\n", outpath, strerror(errno));
		return 2;
	}
	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rusage: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		execvp(argv[argi], argv + argi);
		fprintf(stderr, "rusage: %s: %s\n", argv[argi], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "rusage: wait4: %s\n", strerror(errno));
			return 2;
		}
	}
	t1 = now_ms();
	/* ru_maxrss: the child's peak resident set over all its images and waited-for children, in KB */
	fprintf(out, "pid=%d status=%d wall_ms=%.3f maxrss_kb=%ld user_ms=%.3f sys_ms=%.3f\n", (int)pid,
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), t1 - t0, ru.ru_maxrss,
		tv_ms(ru.ru_utime), tv_ms(ru.ru_stime));
	if (outpath)
		fclose(out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
