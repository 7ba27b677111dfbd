/* instances.h: the other tuxscope runs on this system, found by pid in /proc: what a killed run left
 * behind may be cleaned only once no live run could still be using it. */
#ifndef TUX_INSTANCES_H
#define TUX_INSTANCES_H

/* 1 if pid is this process or a live tuxscope (a reused pid running something else does not count). */
int tuxscope_alive(long pid);
/* 1 if a tuxscope other than this process is running. */
int other_tuxscope_running(void);

#endif
