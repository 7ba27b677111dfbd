#!/bin/sh
# tests/vm/guest-tests.sh: runs as /tests.sh inside each qemu guest (busybox sh) against /bin/tuxscope.
# Owns the in-guest tests of the CLI and of `tuxscope fileio`; prints "ok - NAME" or "not ok - NAME: reason".
#
# Diagnostics are printed only on failure, as "#" lines right after the "not ok" line. Every wait is bounded.
# The workload is busybox dd with status=none, which does exactly COUNT reads and COUNT writes of BS bytes
# (the first test checks that against the kernel's own kprobe trace). A dd is started behind a gate,
# `sh -c 'wait for the gate file; exec dd ...'`, so its pid is known before tuxscope starts and the wrapper does
# no read or write of its own before the exec (it only stat()s the gate).
#
# The exact-count tests run once with the default attach mode (auto, which must pick the kprobe PMU here) and
# once per forced mode (--attach kprobe, fentry, kprobe-legacy, tracepoint); the forced runs' names carry the
# mode: "fileio[fentry] ...". /bin/rwload (tests/tools/rwload.c) makes exact read/write-family system calls.

TUX=/bin/tuxscope
RWLOAD=/bin/rwload
DEFAULT_IFS=$IFS
T=/sys/kernel/tracing
W=/tmp/tuxtests
GATE=$W/gate
HDR='PID    COMM             OP     BYTES            TIMESTAMP_NS'
ATTACHED='tuxscope: attached kprobe vfs_read, vfs_write'
ATTACHED_TP='tuxscope: attached tracepoint syscalls read/write family: the system call view, kernel-internal VFS I/O is not seen'
MODES='kprobe fentry kprobe-legacy tracepoint'
JSON_DD='^[{]"pid":[0-9]+,"op":"(read|write)","bytes":[0-9]+,"comm":"[^"]*","timestamp_ns":[0-9]+[}]$'
JSON_ANY='^[{]"pid":[0-9]+,"op":"(read|write)","bytes":[0-9]+,"comm":"([^"\\]|\\.)*","timestamp_ns":[0-9]+[}]$'
TABLE_ANY='^[0-9]+ +.* +(read|write) +[0-9]+ +[0-9]+$' # check_table has it as an awk literal too
ATTACH_WAIT=30 # seconds for tuxscope to attach under emulation

rm -rf "$W" && mkdir -p "$W" && cd "$W" || {
	echo "not ok - guest setup: cannot create $W"
	exit 1
}

# ---------------------------------------------------------------- reporting

show() { # FILE [LINES]: the tail of FILE as diagnostics
	if [ -s "$1" ]; then
		echo "# $1 (last ${2:-10} of $(wc -l <"$1") lines):"
		tail -n "${2:-10}" "$1" | cut -c1-200 | sed 's/^/#   /'
	else
		echo "# $1: empty"
	fi
}

result() { # NAME REASON [FILE...]: "ok - NAME" when REASON is empty, else "not ok" and the FILEs' tails
	r_name=$1 r_why=$2
	shift 2
	if [ -z "$r_why" ]; then
		echo "ok - $r_name"
		return 0
	fi
	echo "not ok - $r_name: $r_why"
	for r_f; do show "$r_f"; done
	return 1
}

# ---------------------------------------------------------------- time and processes

now_cs() { # uptime in centiseconds
	read -r n_up n_rest </proc/uptime
	echo $((${n_up%.*} * 100 + 1${n_up#*.} - 100))
}

wait_for() { # SECONDS CMD...: polls CMD every 50 ms; status 0 once it succeeds, 1 if SECONDS pass first
	wf_end=$(($(now_cs) + $1 * 100))
	shift
	while ! "$@"; do
		[ "$(now_cs)" -lt "$wf_end" ] || return 1
		usleep 50000
	done
}

gone() { # PID: the process has exited (a zombie counts as exited)
	g_s=
	read -r g_s 2>/dev/null </proc/"$1"/stat || return 0
	case ${g_s##*") "} in Z* | X*) return 0 ;; esac
	return 1
}

# Waiting accepts any attached line (another wording must not stall every test); check_stderr checks the text.
attached() { grep -q '^tuxscope: attached ' "$W/err" 2>/dev/null; }
attached_or_gone() { attached || gone "$1"; }
note() { echo "$*" >>"$W/why"; }

gated_dd() { # DD-OPERANDS...: starts "dd OPERANDS status=none" held until $GATE exists; GPID = dd's pid
	sh -c 'while [ ! -e "$0" ]; do usleep 20000; done; exec dd "$@" status=none' "$GATE" "$@" </dev/null &
	GPID=$!
}

wait_gone() { # PID...: waits (bounded) until each has exited
	for wg_p; do wait_for 60 gone "$wg_p" || note "workload pid $wg_p still running after 60 s"; done
}

# ---------------------------------------------------------------- running tuxscope

# run_tux ARGS...: runs "tuxscope ARGS" in the FOREGROUND (a "&" job would start with SIGINT ignored), stdout to
# $W/out, stderr to $W/err. Meanwhile helper waits until the attached line appears, opens the gate, runs $WORK,
# then ends tuxscope with signal $STOP, or with STOP=none waits for it to exit by itself; after $LIMIT seconds
# it kills it (SIGKILL) and notes why. Sets RC, TPID, WHY, RUN_START and RUN_END (centiseconds).
run_tux() {
	rm -f "$W/out" "$W/err" "$W/pid" "$W/why" "$W/rc" "$GATE" "$W/stop" "$W/attached_at"
	helper &
	RUN_START=$(now_cs)
	sh -c 'echo $$ >"$0"; exec "$@"' "$W/pid" "$TUX" "$@" >"$W/out" 2>"$W/err"
	RC=$?
	RUN_END=$(now_cs)
	wait # the helper and the gated dd's, all bounded
	TPID=$(cat "$W/pid" 2>/dev/null)
	WHY=$(cat "$W/why" 2>/dev/null)
}

# run_tux_head3 ARGS...: "(tuxscope ARGS; echo $? >rc) | head -3 >out" in the foreground, same helper.
run_tux_head3() {
	rm -f "$W/out" "$W/err" "$W/pid" "$W/why" "$W/rc" "$GATE" "$W/stop" "$W/attached_at"
	helper &
	RUN_START=$(now_cs)
	(
		sh -c 'echo $$ >"$0"; exec "$@"' "$W/pid" "$TUX" "$@" 2>"$W/err"
		echo $? >"$W/rc"
	) | head -n 3 >"$W/out"
	RUN_END=$(now_cs)
	wait
	RC=$(cat "$W/rc" 2>/dev/null)
	TPID=$(cat "$W/pid" 2>/dev/null)
	WHY=$(cat "$W/why" 2>/dev/null)
}

helper() {
	if ! wait_for 10 test -s "$W/pid"; then
		note "tuxscope was not started"
		touch "$GATE"
		return
	fi
	h_p=$(cat "$W/pid")
	if ! wait_for "$ATTACH_WAIT" attached_or_gone "$h_p"; then
		note "no 'tuxscope: attached ...' line on stderr within $ATTACH_WAIT s; killed it (SIGKILL)"
		kill -9 "$h_p" 2>/dev/null
		touch "$GATE"
		return
	fi
	touch "$GATE"
	if ! attached; then return; fi # it exited before attaching: RC and stderr tell
	now_cs >"$W/attached_at"
	$WORK
	if [ "$STOP" = none ]; then
		h_what="the workload ended"
	elif gone "$h_p"; then
		note "tuxscope exited before SIG$STOP was sent"
		return
	else
		kill -s "$STOP" "$h_p"
		h_what="SIG$STOP"
	fi
	if ! wait_for "$LIMIT" gone "$h_p"; then
		note "still running $LIMIT s after $h_what; killed it (SIGKILL); $(grep -E '^(State|SigBlk|SigIgn|SigCgt)' /proc/"$h_p"/status 2>/dev/null | tr -s '\t\n' '  ')"
		kill -9 "$h_p" 2>/dev/null
	fi
	touch "$W/stop"
	wait # the workload's own background jobs, which end once $W/stop exists
}

# ---------------------------------------------------------------- workloads (run by helper)

work_none() { :; }
settle() { # until $W/out has not grown for 300 ms (5 s at most): tuxscope has printed what the workload did
	st_prev=-1 st_same=0 st_end=$(($(now_cs) + 500))
	while [ "$(now_cs)" -lt "$st_end" ]; do
		st_size=$(wc -c <"$W/out" 2>/dev/null)
		if [ "$st_size" = "$st_prev" ]; then
			st_same=$((st_same + 1))
			[ "$st_same" -lt 6 ] || return 0
		else
			st_same=0 st_prev=$st_size
		fi
		usleep 50000
	done
}
work_gated() { # the gated dd's (GATED: their pids) run to the end; then the events drain
	wait_gone $GATED
	settle
}
work_gated_cat() { # the gated dd's while cat reads /bin/busybox over and over
	(
		i=0
		while [ $i -lt 20 ] && [ ! -e "$W/stop" ]; do
			cat /bin/busybox >/dev/null
			i=$((i + 1))
		done
	) &
	wc_cat=$!
	wait_gone $GATED
	wait $wc_cat
	settle
}
work_small() { dd if=/dev/zero of=/dev/null bs=64 count=300 status=none; }
work_until_stop() { # dd until $W/stop exists (helper creates it once tuxscope is gone), bounded to 60 s
	(
		end=$(($(now_cs) + 6000))
		while [ ! -e "$W/stop" ] && [ "$(now_cs)" -lt "$end" ]; do
			dd if=/dev/zero of=/dev/null bs=512 count=500 status=none
		done
	) &
}
work_signal() { # a dd loop is running when the signal comes
	work_until_stop
	ws_loop=$!
	usleep 700000
	gone "$ws_loop" && note "the dd workload was no longer running when the signal was sent"
}

# ---------------------------------------------------------------- checks on the output

lost_note() { # the "events lost" line, if any, to append to a count mismatch
	ln_l=$(grep 'events lost' "$W/err" 2>/dev/null | head -n 1)
	[ -n "$ln_l" ] && echo " (stderr: $ln_l)"
}

# table2fields FILE / json2fields FILE: one "PID COMM OP BYTES TS" line per event line, in order
table2fields() { sed 1d "$1"; }
json2fields() {
	sed -nE 's/^[{]"pid":([0-9]+),"op":"([a-z]+)","bytes":([0-9]+),"comm":"(.*)","timestamp_ns":([0-9]+)[}]$/\1 \4 \2 \3 \5/p' "$1"
}

# count_ev FIELDS-FILE PID COMM OP BYTES: how many events match exactly
count_ev() {
	awk -v p="$2" -v c="$3" -v o="$4" -v b="$5" '$1 == p && $2 == c && $3 == o && $4 == b { n++ } END { print n + 0 }' "$1"
}

# check_pid_events NAME FIELDS-FILE PID BS COUNT: exactly COUNT reads and COUNT writes of BS by dd, and nothing
# else, from PID
check_pid_events() {
	ce_r=$(count_ev "$2" "$3" dd read "$4")
	ce_w=$(count_ev "$2" "$3" dd write "$4")
	ce_all=$(awk -v p="$3" '$1 == p { n++ } END { print n + 0 }' "$2")
	ce_why=
	if [ "$ce_r" -ne "$5" ] || [ "$ce_w" -ne "$5" ] || [ "$ce_all" -ne $(($5 * 2)) ]; then
		ce_why="pid $3 (dd bs=$4 count=$5): expected $5 reads and $5 writes of $4 bytes and nothing else, got $ce_r reads, $ce_w writes, $ce_all events in all$(lost_note)"
	fi
	result "$1" "$ce_why" "$W/out" "$W/err"
}

# check_timestamps NAME FIELDS-FILE PID: PID's timestamps strictly increase and fall inside the run
# (CLOCK_MONOTONIC, which /proc/uptime follows in a guest that never suspends)
check_timestamps() {
	ct_why=$(awk -v p="$3" -v lo="$RUN_START" -v hi="$RUN_END" '
		$1 != p { next }
		{
			ts = $5 + 0; n++
			if (ts < (lo - 100) * 1e7 || ts > (hi + 100) * 1e7) { printf "timestamp %s outside the run (%d..%d cs)", $5, lo, hi; exit }
			if (n > 1 && ts <= prev) { printf "timestamp %s not after the previous %s", $5, prevs; exit }
			prev = ts; prevs = $5
		}
		END { if (n == 0) printf "no events from pid %s", p }' "$2")
	result "$1" "$ct_why" "$W/out"
}

# check_exit NAME [WANT]: RC is WANT (default 0) and the helper had nothing to say
check_exit() {
	ck_why=
	[ "$RC" = "${2:-0}" ] || ck_why="exit status $RC, expected ${2:-0}"
	[ -z "$WHY" ] || ck_why="${ck_why:+$ck_why; }$(echo "$WHY" | tr '\n' ';')"
	result "$1" "$ck_why" "$W/err"
}

# check_stderr NAME [LINE]: stderr is LINE (default: the mode's attached line) once, plus at most an "events
# lost" line
check_stderr() {
	cs_want=${2:-$EXPECT_ATTACHED}
	cs_n=$(grep -cxF "$cs_want" "$W/err")
	cs_other=$(grep -vxF "$cs_want" "$W/err" | grep -cvE '^tuxscope: [0-9]+ events lost$')
	cs_why=
	[ "$cs_n" -eq 1 ] || cs_why="the line '$cs_want' appears $cs_n times, expected once"
	[ "$cs_other" -eq 0 ] || cs_why="${cs_why:+$cs_why; }$cs_other unexpected stderr lines"
	result "$1" "$cs_why" "$W/err"
}

# check_table NAME: header once as line 1, every other line a well-formed event, output ends with a newline
check_table() {
	tb_why=
	[ "$(head -n 1 "$W/out")" = "$HDR" ] || tb_why="line 1 is not the header"
	tb_h=$(grep -cxF "$HDR" "$W/out")
	[ "$tb_h" -eq 1 ] || tb_why="${tb_why:+$tb_why; }header appears $tb_h times"
	# $TABLE_ANY, as a literal: busybox awk matches 100,000 lines in under a second, grep -E takes 6 s here
	tb_bad=$(awk 'NR > 1 && !/^[0-9]+ +.* +(read|write) +[0-9]+ +[0-9]+$/ { n++ } END { print n + 0 }' "$W/out")
	[ "$tb_bad" -eq 0 ] || tb_why="${tb_why:+$tb_why; }$tb_bad malformed lines, first: '$(sed 1d "$W/out" | grep -vE "$TABLE_ANY" | head -n 1 | cut -c1-100)'"
	[ -z "$(tail -c 1 "$W/out")" ] || tb_why="${tb_why:+$tb_why; }last line not terminated (output cut off)"
	result "$1" "$tb_why" "$W/out"
}

# check_table_format NAME PID: PID's lines are exactly printf "%-6s %-16s %-6s %-16s %s"
check_table_format() {
	tf_bad=$(awk -v p="$2" '$1 == p && (NF != 5 || $0 != sprintf("%-6s %-16s %-6s %-16s %s", $1, $2, $3, $4, $5) || $4 !~ /^[0-9]+$/ || $5 !~ /^[0-9]+$/) { n++; if (n == 1) first = $0 } END { if (n) printf "%d lines not in the %%-6s %%-16s %%-6s %%-16s %%s layout, first: \"%s\"", n, first }' "$W/out")
	result "$1" "$tf_bad" "$W/out"
}

# detached NAME: nothing of tuxscope is left in the kernel once it has exited (polls up to 5 s)
detach_problems() {
	grep -E 'vfs_(read|write)|tuxscope' "$T/kprobe_events" 2>/dev/null | sed 's/^/kprobe_events: /'
	grep -E 'vfs_(read|write)|tuxscope' "$T/kprobe_profile" 2>/dev/null | sed 's/^/kprobe_profile: /'
	grep -E 'vfs_(read|write)' /sys/kernel/debug/kprobes/list 2>/dev/null | sed 's/^/debug kprobes list: /'
	ls -l /proc/[0-9]*/fd 2>/dev/null | awk '/^\/proc\// { d = $0 } /anon_inode:(\[perf_event\]|bpf)/ { print "open fd: " d " " $NF }'
}
detach_clean() { [ -z "$(detach_problems)" ]; }
detached() {
	dt_left=
	if ! wait_for 5 detach_clean; then
		dt_left=$(detach_problems)
	fi
	if [ -n "$dt_left" ]; then
		result "$1" "still attached after exit: $(echo "$dt_left" | head -n 3 | tr '\n' ';')"
	else
		result "$1" ""
	fi
}

# ---------------------------------------------------------------- attach modes

# set_mode MODE: '' for the default (no --attach), else a forced --attach MODE. Sets MODE_ARGS (to put after
# "fileio"), TAG (the test names' prefix) and EXPECT_ATTACHED (the one line stderr must have).
set_mode() {
	case $1 in
	'') MODE_ARGS='' TAG=fileio EXPECT_ATTACHED=$ATTACHED ;;
	tracepoint) MODE_ARGS="--attach tracepoint" TAG="fileio[tracepoint]" EXPECT_ATTACHED=$ATTACHED_TP ;;
	*) MODE_ARGS="--attach $1" TAG="fileio[$1]" EXPECT_ATTACHED="tuxscope: attached $1 vfs_read, vfs_write" ;;
	esac
}
set_mode ''

# Legacy kprobes: the entries a run owns, as "cat kprobe_events" shows them.
legacy_entries() { # PID
	printf 'p:tuxscope/vfs_read_%s vfs_read\np:tuxscope/vfs_write_%s vfs_write\n' "$1" "$1"
}
tux_entries() { grep -E '^[a-z]:tuxscope/' "$T/kprobe_events" 2>/dev/null | sort; }

# tracefs and debugfs (whose tracing/ is tracefs again), unmounted for the tests of tuxscope mounting tracefs.
trace_mounts() { awk '$3 == "tracefs" || $3 == "debugfs" { print $2 " (" $3 ")" }' /proc/mounts; }
unmount_tracing() { # deepest first: /sys/kernel/tracing, /sys/kernel/debug/tracing, /sys/kernel/debug
	for um_p in $(awk '$3 == "tracefs" || $3 == "debugfs" { print $2 }' /proc/mounts | sort -r); do
		umount "$um_p" 2>/dev/null || umount -l "$um_p"
	done
	[ -z "$(trace_mounts)" ]
}
remount_tracing() { # as /init mounted them
	grep -q ' /sys/kernel/tracing tracefs ' /proc/mounts || mount -t tracefs tracefs /sys/kernel/tracing
	grep -q ' /sys/kernel/debug debugfs ' /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug
}

# ---------------------------------------------------------------- tests run once per attach mode (set_mode)

t_table_pid() { # table, --pid: exact events of one dd while another dd runs; SIGINT after the workload
	rm -f "$GATE"
	gated_dd if=/dev/zero of=/dev/null bs=4096 count=200
	A=$GPID
	gated_dd if=/dev/zero of=/dev/null bs=512 count=37
	B=$GPID
	GATED="$A $B" WORK=work_gated STOP=INT LIMIT=15
	run_tux fileio $MODE_ARGS --pid "$A"
	check_exit "$TAG table --pid: SIGINT after the workload, exit 0"
	check_table "$TAG table: header once on line 1, well-formed lines"
	check_stderr "$TAG table: stderr is the attached line once"
	table2fields "$W/out" >"$W/fields"
	check_pid_events "$TAG table --pid: dd's 200 reads and 200 writes of 4096, nothing else" "$W/fields" "$A" 4096 200
	check_table_format "$TAG table: exact column layout" "$A"
	others=$(awk -v p="$A" '$1 != p' "$W/fields" | wc -l)
	result "$TAG --pid excludes other processes (concurrent dd bs=512)" \
		"$([ "$others" -eq 0 ] || echo "$others events from other pids")" "$W/out"
	check_timestamps "$TAG table: timestamps increase, CLOCK_MONOTONIC ns" "$W/fields" "$A"
	detached "$TAG table --pid: nothing left attached after SIGINT"
}

t_json_pid() { # json, --pid: exact events of one dd while another dd runs; SIGTERM after the workload
	rm -f "$GATE"
	gated_dd if=/dev/zero of=/dev/null bs=512 count=37
	A=$GPID
	gated_dd if=/dev/zero of=/dev/null bs=4096 count=20
	B=$GPID
	GATED="$A $B" WORK=work_gated STOP=TERM LIMIT=15
	run_tux fileio $MODE_ARGS --format json --pid "$A"
	check_exit "$TAG json --pid: SIGTERM after the workload, exit 0"
	jbad=$(grep -cvE "$JSON_DD" "$W/out")
	result "$TAG json: every line is {pid,op,bytes,comm,timestamp_ns} in that order" \
		"$([ "$jbad" -eq 0 ] || echo "$jbad lines do not match, first: '$(grep -vE "$JSON_DD" "$W/out" | head -n 1 | cut -c1-120)'")" "$W/out"
	json2fields "$W/out" >"$W/fields"
	check_pid_events "$TAG json --pid: dd's 37 reads and 37 writes of 512, nothing else" "$W/fields" "$A" 512 37
	others=$(awk -v p="$A" '$1 != p' "$W/fields" | wc -l)
	result "$TAG json --pid excludes other processes (concurrent dd bs=4096)" \
		"$([ "$others" -eq 0 ] || echo "$others events from other pids")" "$W/out"
	check_timestamps "$TAG json: timestamps increase, CLOCK_MONOTONIC ns" "$W/fields" "$A"
	detached "$TAG json --pid: nothing left attached after SIGTERM"
}

t_comm_dd() { # --comm dd while cat runs
	rm -f "$GATE"
	gated_dd if=/dev/zero of=/dev/null bs=4096 count=50
	A=$GPID
	GATED=$A WORK=work_gated_cat STOP=INT LIMIT=15
	run_tux fileio $MODE_ARGS --comm dd
	check_exit "$TAG --comm dd: exit 0"
	table2fields "$W/out" >"$W/fields"
	notdd=$(awk '$2 != "dd"' "$W/fields" | wc -l)
	result "$TAG --comm dd: only comm dd (cat running too)" \
		"$([ "$notdd" -eq 0 ] || echo "$notdd events of other comms: $(awk '$2 != "dd" { print $2 }' "$W/fields" | sort | uniq -c | head -n 3 | tr -s ' \n' ' ')")" "$W/out"
	check_pid_events "$TAG --comm dd: dd's 50 reads and 50 writes of 4096" "$W/fields" "$A" 4096 50
	detached "$TAG --comm dd: nothing left attached"
}

t_count5() { # --count 5 while dd's run: exits by itself
	WORK=work_until_stop STOP=none LIMIT=20
	run_tux fileio $MODE_ARGS --count 5
	check_exit "$TAG --count 5: exits 0 by itself"
	cw=
	[ "$(wc -l <"$W/out")" -eq 6 ] || cw="$(wc -l <"$W/out") lines, expected the header and 5 events"
	[ "$(head -n 1 "$W/out")" = "$HDR" ] || cw="${cw:+$cw; }line 1 is not the header"
	[ "$(sed 1d "$W/out" | grep -cE "$TABLE_ANY")" -eq 5 ] || cw="${cw:+$cw; }not 5 well-formed event lines"
	result "$TAG --count 5: header and exactly 5 events" "$cw" "$W/out"
	detached "$TAG --count 5: nothing left attached"
}

t_signal() { # SIG: the signal comes while a dd workload runs
	WORK=work_signal STOP=$1 LIMIT=15
	run_tux fileio $MODE_ARGS
	check_exit "$TAG: SIG$1 during a dd workload, exit 0"
	sw=
	[ "$(sed 1d "$W/out" | wc -l)" -gt 0 ] || sw="no events before SIG$1"
	result "$TAG: SIG$1 during a dd workload, events were printed" "$sw" "$W/out"
	check_table "$TAG: SIG$1 during a dd workload, output complete and well-formed"
	detached "$TAG: SIG$1 during a dd workload, nothing left attached"
}

# ================================================================ the tests

# ---- the environment and the workload itself
envwhy=
[ -x "$TUX" ] || envwhy="$TUX missing"
[ -x "$RWLOAD" ] || envwhy="${envwhy:+$envwhy; }$RWLOAD missing"
[ -e "$T/kprobe_events" ] || envwhy="${envwhy:+$envwhy; }no $T/kprobe_events (tracefs)"
[ -r /sys/bus/event_source/devices/kprobe/type ] || envwhy="${envwhy:+$envwhy; }no kprobe PMU"
[ -e /sys/kernel/debug/kprobes/list ] || envwhy="${envwhy:+$envwhy; }no debugfs kprobes/list"
result "guest environment (tracefs, debugfs, kprobe PMU, /bin/tuxscope, /bin/rwload)" "$envwhy"
dmesg_base=$(dmesg | grep -cE 'BUG:|WARNING:|Oops|general protection|Call Trace')

# busybox dd status=none, started behind the gate, does exactly COUNT reads and writes of BS from its own pid:
# checked against the kernel's own kprobe events, which are then removed again.
calib() {
	cw=
	echo 'p:tuxcal_r vfs_read count=%dx:u64' >>"$T/kprobe_events" &&
		echo 'p:tuxcal_w vfs_write count=%dx:u64' >>"$T/kprobe_events" || {
		echo "cannot add kprobe events"
		return
	}
	echo >"$T/trace"
	echo 1 >"$T/events/kprobes/enable"
	rm -f "$GATE"
	gated_dd if=/dev/zero of=/dev/null bs=4096 count=200
	c1=$GPID
	gated_dd if=/dev/zero of=/dev/null bs=512 count=37
	c2=$GPID
	usleep 100000
	touch "$GATE"
	wait_for 60 gone "$c1"
	wait_for 60 gone "$c2"
	wait
	echo 0 >"$T/events/kprobes/enable"
	grep -v '^#' "$T/trace" | sed -nE 's/^ *(.*)-([0-9]+) +\[.*(tuxcal_[rw]):.* count=([0-9]+).*/\2 \1 \3 \4/p' >"$W/calib"
	echo >"$T/trace"
	echo >"$T/kprobe_events"
	for spec in "$c1 4096 200" "$c2 512 37"; do
		set -- $spec
		n_r=$(awk -v p="$1" -v b="$2" '$1 == p && $2 == "dd" && $3 == "tuxcal_r" && $4 == b { n++ } END { print n + 0 }' "$W/calib")
		n_w=$(awk -v p="$1" -v b="$2" '$1 == p && $2 == "dd" && $3 == "tuxcal_w" && $4 == b { n++ } END { print n + 0 }' "$W/calib")
		n_a=$(awk -v p="$1" '$1 == p { n++ } END { print n + 0 }' "$W/calib")
		if [ "$n_r" -ne "$3" ] || [ "$n_w" -ne "$3" ] || [ "$n_a" -ne $(($3 * 2)) ]; then
			echo "dd bs=$2 count=$3: kernel saw $n_r reads, $n_w writes, $n_a events in all"
		fi
	done
	[ -s "$T/kprobe_events" ] && echo "could not remove the calibration probes"
}
result "workload: gated busybox dd does exactly COUNT reads and writes (kernel kprobe trace)" "$(calib)" "$W/calib"

# ---- CLI basics and usage errors
for a in --version --help; do
	timeout 20 "$TUX" $a >"$W/out" 2>"$W/err"
	RC=$?
	vw=
	[ "$RC" -eq 0 ] || vw="exit status $RC"
	[ -s "$W/out" ] || vw="${vw:+$vw; }nothing on stdout"
	result "tuxscope $a exits 0" "$vw" "$W/out" "$W/err"
done

usage_error() { # ARGS...: exit status 2, nothing on stdout, one stderr line starting "tuxscope: "
	timeout 20 "$TUX" "$@" >"$W/out" 2>"$W/err"
	RC=$?
	uw=
	[ "$RC" -eq 2 ] || uw="exit status $RC, expected 2"
	[ "$(wc -l <"$W/err")" -eq 1 ] && grep -q '^tuxscope: ' "$W/err" ||
		uw="${uw:+$uw; }stderr is not one line starting 'tuxscope: '"
	[ -s "$W/out" ] && uw="${uw:+$uw; }output on stdout"
	result "usage error: tuxscope $* exits 2" "$uw" "$W/err" "$W/out"
}
usage_error fileio --pid abc
usage_error fileio --count -1
usage_error fileio --bogus
usage_error --bogus
usage_error fileio --format xml
usage_error fileio --duration abc
usage_error fileio --pid
usage_error bogus-command
usage_error fileio --attach nosuch
detached "usage error --attach nosuch: nothing attached"
usage_error fileio --attach tracepoint --functions vfs_read,vfs_write

# ================================================================ the default mode (auto: the kprobe PMU here)
set_mode ''
t_table_pid
cp "$W/out" "$W/table.out"
t_json_pid
cp "$W/out" "$W/json.out"

# ---- repeated --pid
rm -f "$GATE"
gated_dd if=/dev/zero of=/dev/null bs=4096 count=30
A=$GPID
gated_dd if=/dev/zero of=/dev/null bs=512 count=37
B=$GPID
gated_dd if=/dev/zero of=/dev/null bs=1024 count=20
C=$GPID
GATED="$A $B $C" WORK=work_gated STOP=INT LIMIT=15
run_tux fileio --pid "$A" --pid "$B"
check_exit "fileio --pid A --pid B: exit 0"
table2fields "$W/out" >"$W/fields"
check_pid_events "fileio --pid A --pid B: A's 30 reads and writes of 4096" "$W/fields" "$A" 4096 30
check_pid_events "fileio --pid A --pid B: B's 37 reads and writes of 512" "$W/fields" "$B" 512 37
others=$(awk -v a="$A" -v b="$B" '$1 != a && $1 != b' "$W/fields" | wc -l)
result "fileio --pid A --pid B: nothing from C (dd bs=1024) or others" \
	"$([ "$others" -eq 0 ] || echo "$others events from other pids")" "$W/out"
detached "fileio --pid A --pid B: nothing left attached"

# ---- --comm dd while cat runs
t_comm_dd

# ---- --count, --duration: exit by themselves
t_count5

WORK=work_until_stop STOP=none LIMIT=20
run_tux fileio --duration 2 --comm dd
el=$((RUN_END - RUN_START))
dw=
[ "$RC" = 0 ] || dw="exit status $RC"
[ -z "$WHY" ] || dw="${dw:+$dw; }$(echo "$WHY" | tr '\n' ';')"
[ "$el" -ge 195 ] || dw="${dw:+$dw; }exited after $el cs, before 2 s"
# Whether the 2 s count from the start or from attaching, it must be over 2 s after attaching (3 s of slack).
at=$(cat "$W/attached_at" 2>/dev/null)
[ -n "$at" ] && [ $((RUN_END - at)) -gt 500 ] &&
	dw="${dw:+$dw; }exited $((RUN_END - at)) cs after attaching, expected about 200"
result "fileio --duration 2: exits 0 by itself after 2 s" "$dw" "$W/err"
detached "fileio --duration 2: nothing left attached"

# ---- signals while a dd workload runs
for sig in INT TERM HUP; do
	t_signal $sig
done

# ---- stdout closed: tuxscope fileio | head -3
WORK=work_until_stop STOP=none LIMIT=20
run_tux_head3 fileio
hw=
[ "$RC" = 0 ] || hw="tuxscope exit status '${RC}', expected 0"
[ -z "$WHY" ] || hw="${hw:+$hw; }$(echo "$WHY" | tr '\n' ';')"
result "fileio | head -3: tuxscope exits 0 when its stdout closes" "$hw" "$W/err"
hw=
[ "$(wc -l <"$W/out")" -eq 3 ] || hw="head got $(wc -l <"$W/out") lines"
[ "$(head -n 1 "$W/out")" = "$HDR" ] || hw="${hw:+$hw; }line 1 is not the header"
result "fileio | head -3: header and 2 events" "$hw" "$W/out"
detached "fileio | head -3: nothing left attached"

# ---- self-exclusion
WORK=work_small STOP=none LIMIT=20
run_tux fileio --comm tuxscope --duration 2
xw=
[ "$RC" = 0 ] || xw="exit status $RC"
[ -z "$WHY" ] || xw="${xw:+$xw; }$(echo "$WHY" | tr '\n' ';')"
[ "$(cat "$W/out")" = "$HDR" ] || xw="${xw:+$xw; }$(sed 1d "$W/out" | wc -l) event lines, expected none"
result "fileio --comm tuxscope: never reports its own reads and writes" "$xw" "$W/out" "$W/err"
detached "fileio --comm tuxscope: nothing left attached"

WORK=work_small STOP=none LIMIT=20
run_tux fileio --format json --duration 2
xw=
[ "$RC" = 0 ] || xw="exit status $RC"
[ -z "$WHY" ] || xw="${xw:+$xw; }$(echo "$WHY" | tr '\n' ';')"
[ "$(grep -c . "$W/out")" -gt 0 ] || xw="${xw:+$xw; }no events at all"
xn=$(grep -cE "^[{]\"pid\":$TPID,|\"comm\":\"tuxscope\"" "$W/out")
[ "$xn" -eq 0 ] || xw="${xw:+$xw; }$xn events of its own (pid $TPID)"
xb=$(grep -cvE "$JSON_ANY" "$W/out")
[ "$xb" -eq 0 ] || xw="${xw:+$xw; }$xb malformed json lines"
result "fileio unfiltered, json to a file: none of its own events, all lines well-formed" "$xw" "$W/out"
detached "fileio unfiltered json: nothing left attached"

# ---- runtime error: no file descriptor to spare
(
	ulimit -n 3
	exec "$TUX" fileio
) >"$W/out" 2>"$W/err" &
rp=$!
wait_for 20 gone "$rp" || kill -9 "$rp"
wait "$rp"
RC=$?
rw=
[ "$RC" -eq 1 ] || rw="exit status $RC, expected 1"
[ "$(wc -l <"$W/err")" -eq 1 ] && grep -q '^tuxscope: ' "$W/err" || rw="${rw:+$rw; }stderr is not one line starting 'tuxscope: '"
result "runtime error (ulimit -n 3): exit 1, one stderr line" "$rw" "$W/err" "$W/out"
detached "runtime error: nothing left attached"

# ---- --attach auto, said explicitly: the kprobe PMU, with nothing skipped before it
timeout 60 "$TUX" fileio --attach auto --duration 0 >"$W/out" 2>"$W/err"
RC=$? WHY=
check_exit "fileio --attach auto --duration 0: exit 0"
check_stderr "fileio --attach auto: stderr is exactly '$ATTACHED' (no skipped part)" "$ATTACHED"
detached "fileio --attach auto --duration 0: nothing left attached"

# ================================================================ every attach mode, forced
for mode in $MODES; do
	set_mode "$mode"
	t_table_pid
	t_json_pid
	t_comm_dd
	t_count5
	t_signal INT
done
set_mode ''

# ---- tracepoint mode: each call of the read/write family, with its requested byte count
# rwload OP:BYTES:COUNT, and the (op, bytes) tuxscope must report COUNT times: vectored calls report the sum
# of the iovec lengths (rwload splits BYTES over three iovecs).
RW_SPECS='read:4096:5:read write:4096:4:write pread:100:3:read pwrite:200:3:write readv:3000:2:read
writev:3001:2:write preadv:999:2:read pwritev:12:1:write preadv2:4097:1:read pwritev2:5000:1:write'
set_mode tracepoint
rm -f "$GATE" "$W/rwdone"
rw_args=$(for s in $RW_SPECS; do echo "${s%:*}"; done)
"$RWLOAD" --wait "$GATE" --done "$W/rwdone" $rw_args </dev/null &
R=$!
GATED=$R WORK=work_gated STOP=INT LIMIT=15
run_tux fileio --attach tracepoint --format json --pid "$R"
check_exit "fileio[tracepoint] rwload, ten kinds of call: SIGINT after the workload, exit 0"
check_stderr "fileio[tracepoint] rwload: stderr is the attached line once"
json2fields "$W/out" >"$W/fields"
rw_why=
[ -e "$W/rwdone" ] || rw_why="rwload did not finish its calls (a short or failed call?); "
rw_total=0
for s in $RW_SPECS; do
	IFS=:
	set -- $s
	IFS=$DEFAULT_IFS
	rw_call=$1 rw_bytes=$2 rw_n=$3 rw_op=$4
	rw_got=$(count_ev "$W/fields" "$R" rwload "$rw_op" "$rw_bytes")
	[ "$rw_got" -eq "$rw_n" ] || rw_why="$rw_why$rw_call($rw_bytes): $rw_got $rw_op events of $rw_bytes, expected $rw_n; "
	rw_total=$((rw_total + rw_n))
done
rw_all=$(awk -v p="$R" '$1 == p { n++ } END { print n + 0 }' "$W/fields")
[ "$rw_all" -eq "$rw_total" ] || rw_why="${rw_why}$rw_all events from pid $R in all, expected $rw_total$(lost_note)"
result "fileio[tracepoint] rwload: each of the ten calls exactly COUNT times with its byte count, nothing else" \
	"$rw_why" "$W/out" "$W/err"
others=$(awk -v p="$R" '$1 != p' "$W/fields" | wc -l)
result "fileio[tracepoint] rwload --pid: nothing from other processes" \
	"$([ "$others" -eq 0 ] || echo "$others events from other pids")" "$W/out"
detached "fileio[tracepoint] rwload: nothing left attached"
set_mode ''

# ================================================================ kprobe-legacy: its kprobe_events entries
work_snap() { # what kprobe_events holds while tuxscope is attached, then a small dd workload
	sort "$T/kprobe_events" >"$W/during" 2>&1
	work_small
}
snap_is() { # FILE-WANT [NOTE]: why $W/during is not exactly FILE-WANT, or nothing
	cmp -s "$1" "$W/during" ||
		echo "kprobe_events held '$(tr '\n' ';' <"$W/during")', expected '$(tr '\n' ';' <"$1")'${2:+ ($2)}"
}
legacy_killed() { # NAME: a kprobe-legacy run ended by SIGKILL; its two entries must stay. Sets KPID.
	WORK=work_small STOP=KILL LIMIT=15
	run_tux fileio --attach kprobe-legacy --comm dd
	KPID=$TPID
	check_exit "$1: SIGKILL ends it (exit status 137)" 137
	legacy_entries "$KPID" | sort >"$W/want"
	tux_entries >"$W/left"
	result "$1: its two entries stay in kprobe_events after SIGKILL" \
		"$(cmp -s "$W/want" "$W/left" || echo "kprobe_events has '$(tr '\n' ';' <"$W/left")', expected '$(tr '\n' ';' <"$W/want")'")"
}

set_mode kprobe-legacy
WORK=work_snap STOP=INT LIMIT=15
run_tux fileio --attach kprobe-legacy --comm dd
check_exit "fileio[kprobe-legacy] entries: SIGINT, exit 0"
legacy_entries "$TPID" | sort >"$W/want"
result "fileio[kprobe-legacy]: while attached, kprobe_events holds exactly its two tuxscope/FUNC_PID entries" \
	"$(snap_is "$W/want")" "$W/err"
detached "fileio[kprobe-legacy]: no entry left after SIGINT"

# A killed run's entries are removed by the next run, whatever its mode: (a) auto (the kprobe PMU here)
legacy_killed "fileio[kprobe-legacy] killed, then auto"
set_mode ''
WORK=work_snap STOP=INT LIMIT=15
run_tux fileio --attach auto --comm dd
check_exit "fileio --attach auto after a killed kprobe-legacy run: exit 0"
check_stderr "fileio --attach auto after a killed kprobe-legacy run: attached with the kprobe PMU"
: >"$W/want"
result "fileio --attach auto after a killed kprobe-legacy run: the killed run's entries are gone once it is attached" \
	"$(snap_is "$W/want" "the killed run was pid $KPID")"
detached "fileio --attach auto after a killed kprobe-legacy run: nothing left after exit"

# (b) kprobe-legacy again
legacy_killed "fileio[kprobe-legacy] killed, then kprobe-legacy"
set_mode kprobe-legacy
WORK=work_snap STOP=INT LIMIT=15
run_tux fileio --attach kprobe-legacy --comm dd
check_exit "fileio[kprobe-legacy] after a killed kprobe-legacy run: exit 0"
legacy_entries "$TPID" | sort >"$W/want"
result "fileio[kprobe-legacy] after a killed kprobe-legacy run: only its own entries while attached, the killed run's are gone" \
	"$(snap_is "$W/want" "the killed run was pid $KPID, this one $TPID")"
detached "fileio[kprobe-legacy] after a killed kprobe-legacy run: nothing left after exit"

# (c) the entries of a live tuxscope are not stale: a second run leaves them alone. The first runs in a
# double fork, so run_tux's "wait" does not wait for it; it is ended with SIGTERM (a "&" job ignores SIGINT).
rm -f "$W/bg.pid" "$W/bg.rc" "$W/bg.err"
(sh -c '"$@" & echo $! >"'"$W"'/bg.pid"; wait $!; echo $? >"'"$W"'/bg.rc"' sh \
	"$TUX" fileio --attach kprobe-legacy --comm nosuchcomm >/dev/null 2>"$W/bg.err" </dev/null &)
bg_attached() { grep -q '^tuxscope: attached ' "$W/bg.err" 2>/dev/null; }
if wait_for "$ATTACH_WAIT" bg_attached && BG=$(cat "$W/bg.pid"); then
	WORK=work_snap STOP=INT LIMIT=15
	run_tux fileio --attach kprobe-legacy --comm dd
	check_exit "fileio[kprobe-legacy] beside a live one: exit 0"
	{ legacy_entries "$BG"; legacy_entries "$TPID"; } | sort >"$W/want"
	result "fileio[kprobe-legacy] beside a live one: both runs' entries while both are attached" "$(snap_is "$W/want")"
	legacy_entries "$BG" | sort >"$W/want"
	tux_entries >"$W/left"
	result "fileio[kprobe-legacy] beside a live one: the live run's entries stay, the second run's are gone" \
		"$(cmp -s "$W/want" "$W/left" || echo "kprobe_events has '$(tr '\n' ';' <"$W/left")', expected '$(tr '\n' ';' <"$W/want")'")"
	kill -TERM "$BG"
	wait_for 15 test -s "$W/bg.rc" || kill -9 "$BG"
	wait_for 5 test -s "$W/bg.rc"
	bw=
	[ "$(cat "$W/bg.rc" 2>/dev/null)" = 0 ] || bw="the first run's exit status is '$(cat "$W/bg.rc" 2>/dev/null)', expected 0 after SIGTERM"
	[ "$(wc -l <"$W/bg.err")" -eq 1 ] || bw="${bw:+$bw; }first run's stderr has $(wc -l <"$W/bg.err") lines, expected the attached line only"
	result "fileio[kprobe-legacy] beside a live one: the first run still ends cleanly" "$bw" "$W/bg.err"
	detached "fileio[kprobe-legacy] beside a live one: nothing left once both ended"
else
	result "fileio[kprobe-legacy] beside a live one: the first run attaches" "no attached line within $ATTACH_WAIT s" "$W/bg.err"
	[ -s "$W/bg.pid" ] && kill -9 "$(cat "$W/bg.pid")" 2>/dev/null
fi
set_mode ''

# ================================================================ tracefs not mounted: tuxscope mounts it, and unmounts it again
for mode in kprobe-legacy tracepoint; do
	set_mode "$mode"
	if ! unmount_tracing; then
		result "$TAG, tracefs not mounted: unmount tracefs and debugfs first" "still mounted: $(trace_mounts | tr '\n' ';')"
		remount_tracing
		continue
	fi
	rm -f "$GATE"
	gated_dd if=/dev/zero of=/dev/null bs=512 count=37
	A=$GPID
	GATED=$A WORK=work_gated STOP=INT LIMIT=15
	run_tux fileio $MODE_ARGS --pid "$A"
	mounts_after=$(trace_mounts | tr '\n' ';')
	remount_tracing
	check_exit "$TAG, tracefs not mounted: exit 0"
	check_stderr "$TAG, tracefs not mounted: stderr is the attached line once"
	table2fields "$W/out" >"$W/fields"
	check_pid_events "$TAG, tracefs not mounted: dd's 37 reads and 37 writes of 512, nothing else" "$W/fields" "$A" 512 37
	result "$TAG, tracefs not mounted: not mounted after it exits (left as found)" \
		"$([ -z "$mounts_after" ] || echo "mounted after exit: $mounts_after")"
	detached "$TAG, tracefs not mounted: nothing left attached"
done
set_mode ''
if unmount_tracing; then
	timeout 60 "$TUX" fileio --attach auto --duration 0 >"$W/out" 2>"$W/err"
	RC=$? WHY=
	mounts_after=$(trace_mounts | tr '\n' ';')
	remount_tracing
	check_exit "fileio --attach auto, tracefs not mounted: exit 0"
	check_stderr "fileio --attach auto, tracefs not mounted: attached with the kprobe PMU"
	result "fileio --attach auto, tracefs not mounted: not mounted after it exits (left as found)" \
		"$([ -z "$mounts_after" ] || echo "mounted after exit: $mounts_after")"
	detached "fileio --attach auto, tracefs not mounted: nothing left attached"
else
	result "fileio --attach auto, tracefs not mounted: unmount tracefs and debugfs first" "still mounted: $(trace_mounts | tr '\n' ';')"
	remount_tracing
fi

# ================================================================ attach errors: one line, exit 1, nothing left
# one_line_error NAME WANT-RC PREFIX [STRING...]: RC is WANT-RC, nothing on stdout, stderr is one line that
# starts with PREFIX and contains each STRING (all fixed strings)
one_line_error() {
	oe_name=$1 oe_rc=$2 oe_pre=$3
	shift 3
	oe_why=
	[ "$RC" = "$oe_rc" ] || oe_why="exit status $RC, expected $oe_rc"
	[ -s "$W/out" ] && oe_why="${oe_why:+$oe_why; }output on stdout"
	oe_n=$(wc -l <"$W/err")
	[ "$oe_n" -eq 1 ] || oe_why="${oe_why:+$oe_why; }$oe_n stderr lines, expected 1"
	case $(head -n 1 "$W/err") in "$oe_pre"*) ;; *) oe_why="${oe_why:+$oe_why; }stderr does not start with '$oe_pre'" ;; esac
	for oe_s; do
		grep -qF -- "$oe_s" "$W/err" || oe_why="${oe_why:+$oe_why; }stderr does not mention '$oe_s'"
	done
	result "$oe_name" "$oe_why" "$W/err" "$W/out"
}
run_bounded() { # ARGS...: tuxscope ARGS (expected to fail at once), 60 s at most; RC
	timeout 60 "$TUX" "$@" >"$W/out" 2>"$W/err"
	RC=$?
}

run_bounded fileio --attach kprobe --functions nosuch_fn,vfs_write
one_line_error "fileio --attach kprobe --functions nosuch_fn,vfs_write: exit 1, one line naming nosuch_fn, 'function not in this kernel?'" \
	1 "tuxscope: " nosuch_fn "function not in this kernel?"
detached "fileio --attach kprobe --functions nosuch_fn,vfs_write: nothing left attached"
for mode in fentry kprobe-legacy; do
	run_bounded fileio --attach "$mode" --functions nosuch_fn,vfs_write
	one_line_error "fileio --attach $mode --functions nosuch_fn,vfs_write: exit 1, one line naming nosuch_fn" \
		1 "tuxscope: " nosuch_fn "function not in"
	detached "fileio --attach $mode --functions nosuch_fn,vfs_write: nothing left attached"
done
# The missing function second: the first probe is set up (a kprobe_events entry in kprobe-legacy mode) and
# must be undone; the line must name the function that is missing.
for mode in kprobe fentry kprobe-legacy; do
	run_bounded fileio --attach "$mode" --functions vfs_read,nosuch_fn
	one_line_error "fileio --attach $mode --functions vfs_read,nosuch_fn: exit 1, one line naming nosuch_fn" \
		1 "tuxscope: " nosuch_fn "function not in"
	detached "fileio --attach $mode --functions vfs_read,nosuch_fn: the first probe undone, nothing left"
done
# auto with --functions: the system call tracepoints are no stand-in for named functions, and the line says so.
run_bounded fileio --functions nosuch_fn,vfs_write
one_line_error "fileio (auto) --functions nosuch_fn,vfs_write: exit 1, one line 'none attaches on this kernel', each mechanism's reason" \
	1 "tuxscope: --functions needs a VFS mechanism; none attaches on this kernel: " "kprobe: " "fentry: " "kprobe-legacy: "
result "fileio (auto) --functions nosuch_fn,vfs_write: system call tracepoints not tried" \
	"$(grep -q tracepoint "$W/err" && echo "stderr mentions tracepoint")" "$W/err"
detached "fileio (auto) --functions nosuch_fn,vfs_write: nothing left attached"

# ================================================================ not root
nr_id=$(timeout 20 su -s /bin/sh -c 'id -u' nobody 2>&1)
if [ "$nr_id" = 65534 ]; then
	timeout 60 su -s /bin/sh -c "exec $TUX fileio --duration 5" nobody >"$W/out" 2>"$W/err" </dev/null
	RC=$?
	one_line_error "fileio as uid 65534 (not root): exit 1, one line with 'Operation not permitted' and 'run as root'" \
		1 "tuxscope: " "Operation not permitted" "run as root"
	detached "fileio as uid 65534: nothing left attached"
else
	result "fileio as uid 65534 (not root): switch user with su" "su -c 'id -u' nobody printed '$nr_id'"
fi

# ---- once every run has ended: no BPF program or trampoline of any run is still loaded (the per-run checks
# look at fds and kprobes; reading kallsyms takes about 2 s under emulation, so it is done once, here)
no_bpf_syms() { ! grep -q '\[bpf\]$' /proc/kallsyms; }
if [ "$(cat /proc/sys/net/core/bpf_jit_kallsyms 2>/dev/null)" != 1 ]; then
	result "kernel: no BPF program or trampoline left loaded (kallsyms)" "net.core.bpf_jit_kallsyms is not 1: cannot tell"
elif wait_for 10 no_bpf_syms; then
	result "kernel: no BPF program or trampoline left loaded (kallsyms)" ""
else
	result "kernel: no BPF program or trampoline left loaded (kallsyms)" \
		"$(grep -c '\[bpf\]$' /proc/kallsyms) [bpf] symbols: $(grep '\[bpf\]$' /proc/kallsyms | awk '{ print $3 }' | head -n 4 | tr '\n' ' ')"
fi

# ---- the kernel stayed healthy
dmesg >"$W/dmesg"
dn=$(grep -cE 'BUG:|WARNING:|Oops|general protection|Call Trace' "$W/dmesg")
if [ "$dn" -gt "$dmesg_base" ]; then
	result "kernel log: no new BUG, WARNING or Oops" "$((dn - dmesg_base)) new lines"
	grep -E -A8 'BUG:|WARNING:|Oops|general protection' "$W/dmesg" | head -n 40 | sed 's/^/#   /'
else
	result "kernel log: no new BUG, WARNING or Oops" ""
fi
