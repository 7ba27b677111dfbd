#!/bin/sh
# bpftrace-ns.sh: runs bpftrace with ARGS in a private mount namespace of its own, with tracefs mounted.
# The pid stays bpftrace's (unshare and both shells exec), so SIGINT and wait4() reach bpftrace itself.
#
# bpftrace needs tracefs; tuxscope mounts and unmounts its own: neither may see the other's mount, nor
# may the tests others run on this machine.
exec unshare -m --propagation private sh -c \
	'mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing || exit 1
	exec bpftrace "$@"' sh "$@"
