/* commands.h: the entry point of each tuxscope command, called by main with argv[0] = its name.
 * Each returns the process exit status: 0 success, 1 runtime failure, 2 usage error. */
#ifndef TUX_COMMANDS_H
#define TUX_COMMANDS_H

int cmd_fileio(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_inspect(int argc, char **argv);

#endif
