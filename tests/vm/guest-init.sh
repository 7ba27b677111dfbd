#!/bin/sh
# tests/vm/guest-init.sh: /init of the initramfs that tests/vm/run-matrix.sh boots (busybox sh, PID 1).
# Owns the guest's setup (mounts, console, watchdog): runs /tests.sh, prints TUXSCOPE-GUEST-DONE, powers off.
PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# If the initramfs had no /dev/console node, the kernel started us without stdio: take the console now.
exec </dev/console >/dev/console 2>&1
mount -t tracefs tracefs /sys/kernel/tracing || echo "# init: mounting tracefs failed"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || echo "# init: mounting debugfs failed"
mkdir -p /tmp /run
mount -t tmpfs tmpfs /tmp
# "quiet" already keeps the console at KERN_ERR and worse: warnings stay out of the results, oopses and panics show.
echo 4 > /proc/sys/kernel/printk

arg() { sed -n "s/.*[[:space:]]tuxscope\.$1=\([^[:space:]]*\).*/\1/p" /proc/cmdline; }
TUXSCOPE_KERNEL=$(arg kernel)
guest_timeout=$(arg timeout)
export TUXSCOPE_KERNEL
echo "# init: kernel ${TUXSCOPE_KERNEL:-?} ($(uname -r)), tests start at $(cut -d' ' -f1 /proc/uptime) s"

# The watchdog runs in the background; /tests.sh must run in the foreground, or its children would start with
# SIGINT ignored (as every "&" job of a non-interactive shell does) and the signal tests would be meaningless.
(
	sleep "${guest_timeout:-240}"
	echo "not ok - guest: /tests.sh still running after ${guest_timeout:-240} s"
	ps | grep -v ' \[[^]]*\]$' | sed 's/^/#   /'
	echo TUXSCOPE-GUEST-DONE
	poweroff -f
) &
watchdog=$!

sh /tests.sh
echo "# init: /tests.sh exited with status $? at $(cut -d' ' -f1 /proc/uptime) s"
kill "$watchdog" 2>/dev/null
echo TUXSCOPE-GUEST-DONE
sync
poweroff -f
