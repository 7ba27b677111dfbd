/* signals.h: how a running command learns it should stop: SIGINT, SIGTERM, SIGHUP set one flag.
 * Handlers are installed without SA_RESTART so a blocking wait returns at once. */
#ifndef TUX_SIGNALS_H
#define TUX_SIGNALS_H

#include <signal.h>

extern volatile sig_atomic_t stop_requested;

/* Also ignores SIGPIPE: a closed output pipe shows up as EPIPE from write(), handled as a normal end. */
void signals_install(void);

#endif
