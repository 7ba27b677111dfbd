/* signals.c: the stop flag and the handlers that set it.
 * Nothing else happens in a handler; cleanup runs on the normal path, so it always runs. */
#include "signals.h"

#include <string.h>
#include <unistd.h>

volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	stop_requested = sig;
	/* A write blocked on a reader that stopped reading would keep us from exiting: a second from
	 * now SIGALRM interrupts it (no SA_RESTART), and out_flush gives up once stopped. */
	alarm(1);
}

static void on_alarm(int sig)
{
	(void)sig; /* only there to interrupt a blocked system call */
}

void signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}
