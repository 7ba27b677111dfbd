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
# once per forced mode (--attach kprobe, fentry, kprobe-legacy, tracepoint; fentry only where this kernel offers
# it, which one forced attach decides); the forced runs' names carry the mode: "fileio[fentry] ...". Nothing here
# depends on the architecture (x86_64 and arm64 guests run the same file). /bin/rwload (tests/tools/rwload.c) makes exact read/write-family system calls.
#
# Then, per forced mode: fileio --filename/--actual (names of files the tests made, a 200-byte name cut to 127
# bytes and "...", a pipe, a short read at end of file, EISDIR, the exact-count dd), --actual while 24 other
# tasks are blocked in read(), and tuxscope top (its totals against fileio's stream, --by-file, the plain table
# when piped, --rows, --sort, the exit after COUNT intervals and on SIGINT). Last, VFS against block bytes:
# minix on a loop device (this kernel's loop.ko and minix.ko, from /lib/modules/$TUXSCOPE_KERNEL/, and a minix
# image from the host, /img/minix.img.gz, both put there by run-matrix.sh); "# measured" lines give the numbers.
#
# Then the hard edges: SIGKILL once attached in every mode, fileio and top (nothing left but a legacy run's
# kprobe_events entries, which no longer fire and which the next run of any mode removes, also when the killed run
# is still a zombie; tracefs mounted by a killed run; a live run's mount and entries left alone), the ring buffer
# overflowing behind a stalled reader (printed + lost = every call; SIGINT still ends it), and in private mount
# namespaces (busybox unshare -m) no tracefs at all, no kprobe PMU or BTF either, and a read-only /sys; last, not root.

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
LOST_LINE='^tuxscope: [0-9]+ events lost \(ring buffer full\)$' # the README's wording, allowed beside the attached line

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

# $W/stop is created however the helper ends: held workloads (held_rwload) and work_until_stop end on it.
helper() {
	helper_run
	touch "$W/stop"
}
helper_run() {
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
		note "still running $LIMIT s after $h_what; killed it (SIGKILL); $(grep -E '^(State|SigBlk|SigIgn|SigCgt)' /proc/"$h_p"/status 2>/dev/null | tr -s '\t\n' '  ')wchan $(cat /proc/"$h_p"/wchan 2>/dev/null); syscall $(cut -d' ' -f1-3 /proc/"$h_p"/syscall 2>/dev/null); stack: $(cut -d' ' -f2 /proc/"$h_p"/stack 2>/dev/null | head -n 12 | tr '\n' ' ')"
		kill -9 "$h_p" 2>/dev/null
	fi
	touch "$W/stop"
	wait # the workload's own background jobs, which end once $W/stop exists
}

# ---------------------------------------------------------------- workloads (run by helper)

work_none() { :; }
settle_file() { # FILE: until FILE has not grown for 300 ms (5 s at most)
	sf_prev=-1 sf_same=0 sf_end=$(($(now_cs) + 500))
	while [ "$(now_cs)" -lt "$sf_end" ]; do
		sf_size=$(wc -c <"$1" 2>/dev/null)
		if [ "$sf_size" = "$sf_prev" ]; then
			sf_same=$((sf_same + 1))
			[ "$sf_same" -lt 6 ] || return 0
		else
			sf_same=0 sf_prev=$sf_size
		fi
		usleep 50000
	done
}
settle() { settle_file "$W/out"; } # tuxscope has printed what the workload did
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
	cs_other=$(grep -vxF "$cs_want" "$W/err" | grep -cvE "$LOST_LINE")
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
	# ftrace's view: a kprobe on ftrace (x86_64) and a BPF trampoline (fentry) hook the function through it
	grep -E '^vfs_(read|write)[^a-z_0-9]' "$T/enabled_functions" 2>/dev/null | sed 's/^/enabled_functions: /'
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
	# $arg3 (the third argument, count) rather than a register name (%dx on x86_64, %x2 on arm64): the same line
	# on every architecture.
	echo 'p:tuxcal_r vfs_read count=$arg3:u64' >>"$T/kprobe_events" &&
		echo 'p:tuxcal_w vfs_write count=$arg3:u64' >>"$T/kprobe_events" || {
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
	result "usage error: tuxscope ${*:-(no arguments)} exits 2" "$uw" "$W/err" "$W/out"
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
# the rest of the command line, as a user mistypes it: each a usage error of one line, exit 2, nothing attached
usage_error
usage_error fileio --attach
usage_error fileio --attach kprobe_legacy
usage_error fileio --functions vfs_read
usage_error fileio --functions vfs_read,vfs_write,vfs_readv
usage_error top --attach nosuch
usage_error top --attach
usage_error top --bogus
usage_error top --sort nosuch
usage_error top abc
usage_error top 1 0
usage_error top 1 2 3
usage_error top --functions vfs_read,vfs_write
detached "usage errors: nothing attached"

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

# ================================================================ which attach modes this kernel offers
# fentry needs BPF trampolines on kernel functions, which some kernels lack (Debian's arm64 6.1 refuses them;
# arm64 has the ftrace direct calls they need since 6.4). Decided by trying, not by kernel version or architecture: a forced fentry run
# that fails with exactly the one-line ENOTSUPP refusal means fentry is not offered, and that clear error is the
# one result; the fentry runs of MODES below are then left out (not reported). Any other outcome keeps fentry in
# MODES, so whatever is wrong with it fails there by name. The --functions error tests still run fentry: a
# missing function is named before anything is attached, on every kernel.
FENTRY_REFUSED='tuxscope: attach fentry vfs_read: Not supported by this kernel (ENOTSUPP) (refused by this kernel)'
timeout 60 "$TUX" fileio --attach fentry --duration 0 >"$W/out" 2>"$W/err"
RC=$?
if [ "$RC" = 1 ] && [ ! -s "$W/out" ] && [ "$(cat "$W/err")" = "$FENTRY_REFUSED" ]; then
	MODES=$(echo $MODES | sed 's/ *fentry//')
	fw=
	wait_for 5 detach_clean || fw="still attached after exit: $(detach_problems | head -n 3 | tr '\n' ';')"
	result "fentry not offered by this kernel: clear one-line error, exit 1, nothing left attached" "$fw"
	timeout 60 "$TUX" top --attach fentry 0.1 1 >"$W/out" 2>"$W/err"
	RC=$?
	fw=
	[ "$RC" = 1 ] || fw="exit status $RC, expected 1"
	[ -s "$W/out" ] && fw="${fw:+$fw; }output on stdout"
	[ "$(cat "$W/err")" = "$FENTRY_REFUSED" ] || fw="${fw:+$fw; }stderr is not exactly '$FENTRY_REFUSED'"
	result "top --attach fentry, not offered by this kernel: the same one line, exit 1" "$fw" "$W/err" "$W/out"
	detached "top --attach fentry, not offered by this kernel: nothing left attached"
fi

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

# ================================================================ fileio --filename (-F) and --actual (-A)
# Six workloads in one run, each filtered by its pid: rwload reading a file of ours (R1), rwload reading a
# file with a 200-byte name (R2), rwload reading a pipe (P), busybox dd reading a 1000-byte file with bs=4096
# (D: read 4096 -> 1000, read 4096 -> 0, write 1000; strace of this busybox shows it), busybox cat of a
# directory (C: sendfile fails with EINVAL, then read() fails with EISDIR) and the exact-count dd (X).
INFILE=tux-in.dat # 20480 bytes: rwload reads it as 5 x 4096
SHORTF=f1000      # 1000 bytes
ADIR=adir         # a directory
BYFILE=tux-byfile.dat
LONGNAME=$(awk 'BEGIN { for (i = 0; i < 200; i++) printf "%c", 97 + i % 26 }')
LONGSHOWN="$(echo "$LONGNAME" | cut -c1-127)..."
TP_NOTE='file names are not available in the system call view'
HDR_AF='PID    COMM             OP     BYTES            ACTUAL           TIMESTAMP_NS     FILE'
HDR_A='PID    COMM             OP     BYTES            ACTUAL           TIMESTAMP_NS'
JSON_AF='^[{]"pid":[0-9]+,"op":"(read|write)","bytes":[0-9]+,"comm":"([^"\\]|\\.)*","timestamp_ns":[0-9]+,"actual":([0-9]+|null),"error":(null|"[A-Z0-9]+"),"file":(null|"([^"\\]|\\.)*")[}]$'

fa_setup() {
	dd if=/dev/zero of="$W/$INFILE" bs=4096 count=5 status=none &&
		dd if=/dev/zero of="$W/$SHORTF" bs=1000 count=1 status=none &&
		dd if=/dev/zero of="$W/$LONGNAME" bs=100 count=1 status=none &&
		dd if=/dev/zero of="$W/$BYFILE" bs=4096 count=1 status=none &&
		mkdir -p "$W/$ADIR" || echo "cannot create the files"
	[ "${#LONGNAME}" -eq 200 ] && [ -f "$W/$LONGNAME" ] || echo "no file with a 200-byte name"
	[ "$(wc -c <"$W/$INFILE")" -eq 20480 ] && [ "$(wc -c <"$W/$SHORTF")" -eq 1000 ] || echo "wrong file sizes"
}
result "fileio -F/-A: the workloads' files (a 200-byte name among them)" "$(fa_setup)"

is_tp() { case $MODE_ARGS in *tracepoint*) return 0 ;; esac; return 1; }
fname() { if is_tp; then echo null; else echo "$1"; fi; } # the "file" --filename must show in this mode
rep() { # N LINE: LINE, N times
	rp_i=0
	while [ $rp_i -lt "$1" ]; do
		echo "$2"
		rp_i=$((rp_i + 1))
	done
}

gated_rwload() { # RWLOAD-ARGS...: rwload --wait $GATE ARGS in the background; GPID = its pid
	"$RWLOAD" --wait "$GATE" "$@" </dev/null &
	GPID=$!
}
pipe_comm_is_rwload() { [ "$(cat /proc/"$GPID"/comm 2>/dev/null)" = rwload ]; }
pipe_rwload() { # rwload reads 4 bytes from a pipe (its stdin, reopened as /proc/self/fd/0); GPID, PIPE_LINK
	printf abcd | "$RWLOAD" --wait "$GATE" --in /proc/self/fd/0 read:4:1 &
	GPID=$!
	PIPE_LINK=
	wait_for 10 pipe_comm_is_rwload && PIPE_LINK=$(readlink /proc/"$GPID"/fd/0)
}
gated_cat_dir() { # busybox cat of the directory $W/$ADIR behind the gate; GPID
	sh -c 'while [ ! -e "$0" ]; do usleep 20000; done; exec cat "$1"' "$GATE" "$W/$ADIR" </dev/null >/dev/null 2>"$W/cat.err" &
	GPID=$!
}

# jsonaf2fields FILE: "PID COMM OP BYTES TS ACTUAL ERROR FILE" per line of fileio -A -F --format json
jsonaf2fields() {
	sed -nE 's/^[{]"pid":([0-9]+),"op":"([a-z]+)","bytes":([0-9]+),"comm":"(.*)","timestamp_ns":([0-9]+),"actual":([0-9]+|null),"error":(null|"[A-Z0-9]+"),"file":(null|".*")[}]$/\1 \4 \2 \3 \5 \6 \7 \8/p' "$1" | tr -d '"'
}

# check_set NAME FIELDS PID OP AWK-FIELDS WANT: PID's events (of OP, or all), printed as AWK-FIELDS, are exactly
# WANT's lines, in any order
check_set() {
	awk -v p="$3" -v o="$4" '$1 == p && (o == "all" || $3 == o) { print '"$5"' }' "$2" | sort >"$W/got"
	printf '%s\n' "$6" | grep . | sort >"$W/want"
	cs_why=
	if ! cmp -s "$W/want" "$W/got"; then
		cs_why="pid $3: expected {$(uniq -c <"$W/want" | sed 's/^ *//' | tr '\n' ';')} got {$(uniq -c <"$W/got" | sed 's/^ *//' | tr '\n' ';')}$(lost_note)"
	fi
	result "$1" "$cs_why" "$W/out" "$W/err"
}

# check_stderr_fa NAME: the attached line once, in the tracepoint mode also the --filename note once, nothing else
check_stderr_fa() {
	if is_tp; then
		sf_n=$(grep -cF "$TP_NOTE" "$W/err")
		sf_why=
		[ "$(grep -cxF "$EXPECT_ATTACHED" "$W/err")" -eq 1 ] || sf_why="the attached line is not there once"
		[ "$sf_n" -eq 1 ] || sf_why="${sf_why:+$sf_why; }'$TP_NOTE' appears $sf_n times, expected once"
		sf_o=$(grep -vxF "$EXPECT_ATTACHED" "$W/err" | grep -vF "$TP_NOTE" | grep -cvE "$LOST_LINE")
		[ "$sf_o" -eq 0 ] || sf_why="${sf_why:+$sf_why; }$sf_o unexpected stderr lines"
		result "$1" "$sf_why" "$W/err"
	else
		check_stderr "$1"
	fi
}

t_names_actual() { # fileio --actual --filename --format json, the six workloads
	rm -f "$GATE"
	gated_rwload --in "$W/$INFILE" read:4096:5 write:100:3
	R1=$GPID
	gated_rwload --in "$W/$LONGNAME" read:10:2
	R2=$GPID
	pipe_rwload
	P=$GPID
	gated_dd if="$W/$SHORTF" of=/dev/null bs=4096
	D=$GPID
	gated_cat_dir
	C=$GPID
	gated_dd if=/dev/zero of=/dev/null bs=512 count=37
	X=$GPID
	GATED="$R1 $R2 $P $D $C $X" WORK=work_gated STOP=INT LIMIT=15
	run_tux fileio $MODE_ARGS --actual --filename --format json --pid "$R1" --pid "$R2" --pid "$P" --pid "$D" --pid "$C" --pid "$X"
	check_exit "$TAG -A -F json: SIGINT after the workload, exit 0"
	check_stderr_fa "$TAG -A -F json: stderr is the attached line once$(is_tp && echo ", and '$TP_NOTE' once")"
	fb=$(grep -cvE "$JSON_AF" "$W/out")
	fe=$(grep -E '"error":"' "$W/out" | grep -cv '"actual":0,"error":"')
	fw=
	[ "$fb" -eq 0 ] || fw="$fb lines are not {pid,op,bytes,comm,timestamp_ns,actual,error,file}, first: '$(grep -vE "$JSON_AF" "$W/out" | head -n 1 | cut -c1-160)'"
	[ "$fe" -eq 0 ] || fw="${fw:+$fw; }$fe lines with an error but an actual other than 0"
	result "$TAG -A -F json: every line is {pid,op,bytes,comm,timestamp_ns,actual,error,file} in that order" "$fw" "$W/out"
	jsonaf2fields "$W/out" >"$W/fields"
	F='$3, $4, $6, $7, $8'
	check_set "$TAG -A -F: rwload --in $INFILE: 5 reads of 4096 (actual 4096, file $(fname "$INFILE")), 3 writes of 100 (file $(fname null))" \
		"$W/fields" "$R1" all "$F" "$(rep 5 "read 4096 4096 null $(fname "$INFILE")"; rep 3 "write 100 100 null $(fname null)")"
	if is_tp; then
		check_set "$TAG -A -F: rwload reading the file with a 200-byte name: 2 reads, file null" \
			"$W/fields" "$R2" all "$F" "$(rep 2 "read 10 10 null null")"
	else
		check_set "$TAG -A -F: a 200-byte file name is shown as its first 127 bytes and '...'" \
			"$W/fields" "$R2" all "$F" "$(rep 2 "read 10 10 null $LONGSHOWN")"
	fi
	case $PIPE_LINK in
	pipe:\[[0-9]*\])
		check_set "$TAG -A -F: rwload reading a pipe: file $(is_tp && echo null || echo "$PIPE_LINK (as /proc/PID/fd shows it)")" \
			"$W/fields" "$P" all "$F" "read 4 4 null $(fname "$PIPE_LINK")"
		;;
	*) result "$TAG -A -F: rwload reading a pipe" "its stdin is '$PIPE_LINK', not a pipe (/proc/$P/comm: $(cat /proc/"$P"/comm 2>/dev/null))" ;;
	esac
	check_set "$TAG -A -F: dd bs=4096 of a 1000-byte file: read 4096 -> 1000, read 4096 -> 0, write 1000 -> 1000" \
		"$W/fields" "$D" all "$F" "read 4096 1000 null $(fname "$SHORTF")
read 4096 0 null $(fname "$SHORTF")
write 1000 1000 null $(fname null)"
	check_set "$TAG -A -F: cat of a directory: one read, \"actual\":0,\"error\":\"EISDIR\", file $(fname "$ADIR")" \
		"$W/fields" "$C" read '$3, $6, $7, $8' "read 0 EISDIR $(fname "$ADIR")"
	check_set "$TAG -A -F: dd bs=512 count=37: exactly 37 reads and 37 writes, each actual 512" \
		"$W/fields" "$X" all "$F" "$(rep 37 "read 512 512 null $(fname zero)"; rep 37 "write 512 512 null $(fname null)")"
	check_timestamps "$TAG -A -F: dd's timestamps increase (the call's start, printed at its return)" "$W/fields" "$X"
	detached "$TAG -A -F json: nothing left attached"
}

t_names_table() { # fileio -A -F, table: the ACTUAL and FILE columns
	rm -f "$GATE"
	gated_rwload --in "$W/$INFILE" read:4096:5 write:100:3
	R1=$GPID
	gated_dd if="$W/$SHORTF" of=/dev/null bs=4096
	D=$GPID
	gated_cat_dir
	C=$GPID
	GATED="$R1 $D $C" WORK=work_gated STOP=INT LIMIT=15
	run_tux fileio $MODE_ARGS -A -F --pid "$R1" --pid "$D" --pid "$C"
	check_exit "$TAG -A -F table: exit 0"
	tw=
	[ "$(head -n 1 "$W/out")" = "$HDR_AF" ] || tw="line 1 is not '$HDR_AF'"
	[ "$(grep -cxF "$HDR_AF" "$W/out")" -eq 1 ] || tw="${tw:+$tw; }the header is not there once"
	tb=$(awk 'NR > 1 && (NF != 7 || $0 != sprintf("%-6s %-16s %-6s %-16s %-16s %-16s %s", $1, $2, $3, $4, $5, $6, $7)) { n++; if (n == 1) f = $0 } END { if (n) printf "%d lines not in the %%-6s %%-16s %%-6s %%-16s %%-16s %%-16s %%s layout, first: \"%s\"", n, f }' "$W/out")
	[ -z "$tb" ] || tw="${tw:+$tw; }$tb"
	result "$TAG -A -F table: header with ACTUAL and FILE, exact column layout" "$tw" "$W/out"
	sed 1d "$W/out" >"$W/fields"
	tf() { if is_tp; then echo -; else echo "$1"; fi; }
	F='$3, $4, $5, $7'
	check_set "$TAG -A -F table: rwload's lines (FILE $(tf "$INFILE") and $(tf null))" "$W/fields" "$R1" all "$F" \
		"$(rep 5 "read 4096 4096 $(tf "$INFILE")"; rep 3 "write 100 100 $(tf null)")"
	check_set "$TAG -A -F table: dd's short read at end of file: ACTUAL 1000, then 0" "$W/fields" "$D" all "$F" \
		"read 4096 1000 $(tf "$SHORTF")
read 4096 0 $(tf "$SHORTF")
write 1000 1000 $(tf null)"
	check_set "$TAG -A -F table: cat of a directory: ACTUAL -EISDIR" "$W/fields" "$C" read '$3, $5, $7' "read -EISDIR $(tf "$ADIR")"
	detached "$TAG -A -F table: nothing left attached"
}

# --actual while other tasks are blocked inside read(), as on any busy system (shells, pipes, daemons): each
# such call holds a return probe instance (kretprobe) until it returns. A kretprobe registered without maxactive
# has max(10, 2 * CPUs) instances, or only num_possible_cpus() without CONFIG_PREEMPTION (Debian's 5.10: the
# kernel lists tuxscope's as "r2:tuxscope/vfs_read_ret_PID"); when they are all taken, returns are missed.
# With 24 tasks blocked, every call of the workload must still get its record, or the loss must be said on
# stderr (never silent).
NBLOCK=24
blockers_start() { # N: N busybox cat's blocked in read() of a pipe until $W/unblock exists (60 s at most); BL_PIDS
	rm -f "$W/unblock"
	bl_i=0 BL_PIDS=
	while [ $bl_i -lt "$1" ]; do
		(
			bl_end=$(($(now_cs) + 6000))
			while [ ! -e "$W/unblock" ] && [ "$(now_cs)" -lt "$bl_end" ]; do usleep 50000; done
		) | cat >/dev/null &
		BL_PIDS="$BL_PIDS $!"
		bl_i=$((bl_i + 1))
	done
}
case $(uname -m) in aarch64) NR_READ=63 ;; *) NR_READ=0 ;; esac
blockers_in_read() { # each of BL_PIDS is in the read system call (busybox cat tries sendfile first: EINVAL)
	for bl_p in $BL_PIDS; do
		read -r bl_nr bl_rest 2>/dev/null </proc/"$bl_p"/syscall || return 1
		[ "$bl_nr" = "$NR_READ" ] || return 1
	done
}
work_blocked() {
	blockers_start "$NBLOCK"
	wait_for 20 blockers_in_read ||
		note "the blockers were not all in read() after 20 s: $(for p in $BL_PIDS; do echo "$p: $(cut -d' ' -f1 /proc/"$p"/syscall 2>&1)"; done | tr '\n' ';')"
	touch "$W/go2"
	wait_gone $GATED
	settle
	touch "$W/unblock"
	wait # the blockers
}
t_actual_blocked() {
	rm -f "$GATE" "$W/go2"
	"$RWLOAD" --wait "$W/go2" read:4096:20 write:100:5 </dev/null &
	R=$!
	GATED=$R WORK=work_blocked STOP=INT LIMIT=15
	run_tux fileio $MODE_ARGS --actual --pid "$R"
	check_exit "$TAG --actual, $NBLOCK other tasks blocked in read(): exit 0"
	sed 1d "$W/out" >"$W/fields"
	ab_n=$(awk -v p="$R" '$1 == p' "$W/fields" | wc -l)
	ab_lost=$(grep -ciE 'lost|missed' "$W/err")
	if [ "$ab_n" -lt 25 ] && [ "$ab_lost" -gt 0 ]; then
		result "$TAG --actual, $NBLOCK other tasks blocked in read(): rwload's 20 reads and 5 writes each get their record (or the loss is reported)" "" "$W/err"
	else
		check_set "$TAG --actual, $NBLOCK other tasks blocked in read(): rwload's 20 reads and 5 writes each get their record (or the loss is reported)" \
			"$W/fields" "$R" all '$3, $4, $5' "$(rep 20 "read 4096 4096"; rep 5 "write 100 100")"
	fi
	detached "$TAG --actual, $NBLOCK other tasks blocked in read(): nothing left attached"
}

# ================================================================ tuxscope top
TOP_HDR='PID    COMM             READS     WRITES    R_BYTES      W_BYTES      BLK_R_BYTES  BLK_W_BYTES'
TOP_ROW='[{]"pid":[0-9]+,"comm":"([^"\\]|\\.)*","reads":[0-9]+,"writes":[0-9]+,"read_bytes":[0-9]+,"write_bytes":[0-9]+,"blk_read_bytes":([0-9]+|null),"blk_write_bytes":([0-9]+|null)[}]'
TOP_FROW='[{]"pid":[0-9]+,"comm":"([^"\\]|\\.)*","reads":[0-9]+,"writes":[0-9]+,"read_bytes":[0-9]+,"write_bytes":[0-9]+,"file":"([^"\\]|\\.)*"[}]'

# check_top_json NAME FILE MS ROW-RE: at least one line, each {"timestamp_ns":N,"interval_ms":MS,"rows":[ROW,...]}
check_top_json() {
	tj_n=$(grep -c . "$2")
	tj_b=$(grep -cvE "^[{]\"timestamp_ns\":[0-9]+,\"interval_ms\":$3,\"rows\":\\[($4(,$4)*)?\\][}]\$" "$2")
	tj_why=
	[ "$tj_n" -gt 0 ] || tj_why="no intervals printed"
	[ "$tj_b" -eq 0 ] || tj_why="${tj_why:+$tj_why; }$tj_b malformed lines, first: '$(grep -vE "^[{]\"timestamp_ns\":[0-9]+,\"interval_ms\":$3,\"rows\":\\[($4(,$4)*)?\\][}]\$" "$2" | head -n 1 | cut -c1-200)'"
	result "$1" "$tj_why" "$2"
}

# top_rows FILE: one line per row of each interval of top --format json:
# "INTERVAL PID READS WRITES READ_BYTES WRITE_BYTES BLK_READ BLK_WRITE FILE" ("-" for a key not there)
top_rows() {
	awk '{
		s = $0
		sub(/^[{]"timestamp_ns":[0-9]+,"interval_ms":[0-9]+,"rows":\[/, "", s)
		sub(/][}]$/, "", s)
		if (s == "") next
		m = split(s, rows, /[}],[{]/)
		for (i = 1; i <= m; i++) {
			r = rows[i]
			gsub(/[{}"]/, "", r)
			n = split(r, kv, ",")
			split("", f)
			for (j = 1; j <= n; j++) { c = index(kv[j], ":"); f[substr(kv[j], 1, c - 1)] = substr(kv[j], c + 1) }
			print NR, f["pid"], f["reads"], f["writes"], f["read_bytes"], f["write_bytes"], \
				(("blk_read_bytes" in f) ? f["blk_read_bytes"] : "-"), (("blk_write_bytes" in f) ? f["blk_write_bytes"] : "-"), \
				(("file" in f) ? f["file"] : "-")
		}
	}' "$1"
}


# A second tuxscope beside the one run_tux runs: a double fork (run_tux's "wait" must not wait for it), ended
# with SIGTERM (a "&" job ignores SIGINT). Output in $W/bg.out and $W/bg.err; BG is its pid once attached.
bg_is_attached() { grep -q '^tuxscope: attached ' "$W/bg.err" 2>/dev/null; }
bg_start() { # ARGS...
	rm -f "$W/bg.pid" "$W/bg.rc" "$W/bg.err" "$W/bg.out"
	(sh -c '"$@" & echo $! >"'"$W"'/bg.pid"; wait $!; echo $? >"'"$W"'/bg.rc"' sh \
		"$TUX" "$@" >"$W/bg.out" 2>"$W/bg.err" </dev/null &)
	BG=
	if wait_for "$ATTACH_WAIT" bg_is_attached; then
		BG=$(cat "$W/bg.pid")
	else
		[ -s "$W/bg.pid" ] && kill -9 "$(cat "$W/bg.pid")" 2>/dev/null
	fi
}
bg_stop() { # SIGTERM; BG_RC is its exit status
	kill -TERM "$BG" 2>/dev/null
	wait_for 15 test -s "$W/bg.rc" || kill -9 "$BG" 2>/dev/null
	wait_for 5 test -s "$W/bg.rc"
	BG_RC=$(cat "$W/bg.rc" 2>/dev/null)
}

work_top_beside() { # the gated workloads end, fileio beside has printed them all
	wait_gone $GATED
	settle_file "$W/bg.out"
}
work_wait_gated() { wait_gone $GATED; }

# held_rwload RWLOAD-ARGS...: rwload --hold ARGS, killed once $W/stop exists (bounded to 120 s), so its
# /proc/PID/io is readable until tuxscope has exited; RPID is rwload's pid
held_rwload() {
	rm -f "$W/rw.pid" "$W/stop"
	(
		"$RWLOAD" --hold "$@" </dev/null &
		echo $! >"$W/rw.pid"
		hr_end=$(($(now_cs) + 12000))
		while [ ! -e "$W/stop" ] && [ "$(now_cs)" -lt "$hr_end" ]; do usleep 50000; done
		kill $!
		wait
	) &
	wait_for 10 test -s "$W/rw.pid"
	RPID=$(cat "$W/rw.pid" 2>/dev/null)
}

# run_tux_piped ARGS...: "tuxscope ARGS | cat >out" in the foreground, with the helper (see run_tux_head3)
run_tux_piped() {
	rm -f "$W/out" "$W/err" "$W/pid" "$W/why" "$W/rc" "$GATE" "$W/stop" "$W/attached_at"
	helper &
	RUN_START=$(now_cs)
	(
		sh -c 'echo $$ >"$0"; exec "$@"' "$W/pid" "$TUX" "$@" 2>"$W/err"
		echo $? >"$W/rc"
	) | cat >"$W/out"
	RUN_END=$(now_cs)
	wait
	RC=$(cat "$W/rc" 2>/dev/null)
	TPID=$(cat "$W/pid" 2>/dev/null)
	WHY=$(cat "$W/why" 2>/dev/null)
}

# (a) top's totals against fileio's stream, the same rwload, both attached before it starts; top is in the
# foreground and ends on SIGINT (its last interval counts what came before the signal)
t_top_sums() {
	rm -f "$GATE"
	gated_rwload read:1000:30 write:3000:20 pread:100:7 pwrite:200:6
	R=$GPID
	bg_start fileio $MODE_ARGS --pid "$R" --format json
	if [ -z "$BG" ]; then
		result "$TTAG beside fileio: fileio attaches" "no attached line within $ATTACH_WAIT s" "$W/bg.err"
		touch "$GATE"
		wait_gone "$R"
		return
	fi
	GATED=$R WORK=work_top_beside STOP=INT LIMIT=15
	run_tux top -C $MODE_ARGS --pid "$R" --format json 0.5 120
	bg_stop
	check_exit "$TTAG -C --pid --format json 0.5: SIGINT after the workload, exit 0"
	check_stderr "$TTAG: stderr is the attached line once"
	check_top_json "$TTAG --format json: one {timestamp_ns,interval_ms:500,rows:[{pid,comm,reads,writes,read_bytes,write_bytes,blk_read_bytes,blk_write_bytes}]} per interval" "$W/out" 500 "$TOP_ROW"
	result "$TTAG beside fileio: fileio ends with exit 0 on SIGTERM" \
		"$([ "$BG_RC" = 0 ] || echo "exit status '$BG_RC'")" "$W/bg.err"
	json2fields "$W/bg.out" >"$W/fields"
	ts_stream=$(awk -v p="$R" '$1 == p && $3 == "read" { r++; rb += $4 } $1 == p && $3 == "write" { w++; wb += $4 } END { print r + 0, w + 0, rb + 0, wb + 0 }' "$W/fields")
	top_rows "$W/out" >"$W/rows"
	ts_top=$(awk -v p="$R" '$2 == p { r += $3; w += $4; rb += $5; wb += $6 } END { print r + 0, w + 0, rb + 0, wb + 0 }' "$W/rows")
	ts_other=$(awk -v p="$R" '$2 != p' "$W/rows" | wc -l)
	ts_want="37 26 30700 61200"
	ts_why=
	[ "$ts_stream" = "$ts_want" ] || ts_why="fileio's stream: reads writes read_bytes write_bytes = $ts_stream, expected $ts_want$(grep 'events lost' "$W/bg.err" | head -n 1)"
	[ "$ts_top" = "$ts_stream" ] || ts_why="${ts_why:+$ts_why; }top's sums over intervals $ts_top, the stream's $ts_stream"
	[ "$ts_top" = "$ts_want" ] || ts_why="${ts_why:+$ts_why; }top's sums $ts_top, expected $ts_want"
	[ "$ts_other" -eq 0 ] || ts_why="${ts_why:+$ts_why; }$ts_other rows of other pids"
	result "$TTAG: sums of reads, writes, read_bytes, write_bytes over intervals equal fileio's counts and byte sums ($ts_want)" \
		"$ts_why" "$W/out" "$W/bg.out"
	detached "$TTAG beside fileio: nothing left attached"
}

# (b) --by-file: a row per process and file
t_top_byfile() {
	rm -f "$GATE"
	gated_rwload --in "$W/$BYFILE" read:100:5 write:10:3
	R=$GPID
	GATED=$R WORK=work_wait_gated STOP=INT LIMIT=15
	run_tux top -C $MODE_ARGS --by-file --pid "$R" --format json 0.5 120
	check_exit "$TTAG --by-file: SIGINT after the workload, exit 0"
	check_top_json "$TTAG --by-file --format json: rows {pid,comm,reads,writes,read_bytes,write_bytes,file}" "$W/out" 500 "$TOP_FROW"
	top_rows "$W/out" >"$W/rows"
	awk -v p="$R" '$2 == p { r[$9] += $3; w[$9] += $4; rb[$9] += $5; wb[$9] += $6 } END { for (f in r) print f, r[f], w[f], rb[f], wb[f] }' "$W/rows" | sort >"$W/got"
	printf '%s 5 0 500 0\nnull 0 3 0 30\n' "$BYFILE" | sort >"$W/want"
	bf_other=$(awk -v p="$R" '$2 != p' "$W/rows" | wc -l)
	bf_why=
	cmp -s "$W/want" "$W/got" || bf_why="per file (name reads writes read_bytes write_bytes): expected {$(tr '\n' ';' <"$W/want")} got {$(tr '\n' ';' <"$W/got")}"
	[ "$bf_other" -eq 0 ] || bf_why="${bf_why:+$bf_why; }$bf_other rows of other pids"
	result "$TTAG --by-file: rwload's rows name $BYFILE (5 reads, 500 bytes) and null (3 writes, 30 bytes), no other file" \
		"$bf_why" "$W/out"
	detached "$TTAG --by-file: nothing left attached"
}

# (c) plain table when piped, --rows 1, --sort writes; (d) exits by itself after COUNT intervals.
# A makes 300 writes of 1 byte, B 10 of 64 KiB: B moves more bytes (first by the default sort), A makes more
# calls (first by --sort writes).
TOP_TIME_RE='^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] UTC  VFS beside block I/O, bytes$'
top_table_rows() { # FILE: "INTERVAL PID COMM READS WRITES R_BYTES W_BYTES BLK_R BLK_W" per row; "bad LINE" for a misfit
	awk -v hdr="$TOP_HDR" '
		$0 == hdr { iv++; next }
		/^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] UTC  VFS beside block I\/O, bytes$/ || $0 == "" { next }
		NF == 8 && $0 == sprintf("%-6s %-16s %-9s %-9s %-12s %-12s %-12s %s", $1, $2, $3, $4, $5, $6, $7, $8) { print iv, $0; next }
		{ print "bad", $0 }' "$1"
}
t_top_plain() {
	rm -f "$GATE"
	gated_rwload write:1:300
	A=$GPID
	gated_rwload write:65536:10
	B=$GPID
	GATED="$A $B" WORK=work_wait_gated STOP=none LIMIT=20
	run_tux_piped top $MODE_ARGS --rows 1 --sort writes --pid "$A" --pid "$B" 1 2
	pw=
	[ "$RC" = 0 ] || pw="exit status '$RC'"
	[ -z "$WHY" ] || pw="${pw:+$pw; }$(echo "$WHY" | tr '\n' ';')"
	at=$(cat "$W/attached_at" 2>/dev/null)
	[ -n "$at" ] && { [ $((RUN_END - at)) -lt 150 ] || [ $((RUN_END - at)) -gt 700 ]; } &&
		pw="${pw:+$pw; }exited $((RUN_END - at)) cs after attaching, expected about 200"
	result "$TTAG 1 2: exits 0 by itself after 2 intervals" "$pw" "$W/err"
	pw=
	pe=$(tr -dc '\033' <"$W/out" | wc -c)
	[ "$pe" -eq 0 ] || pw="$pe ESC bytes in the output"
	ph=$(grep -cxF "$TOP_HDR" "$W/out")
	pt=$(grep -cE "$TOP_TIME_RE" "$W/out")
	[ "$ph" -eq 2 ] && [ "$pt" -eq 2 ] || pw="${pw:+$pw; }$ph header lines and $pt time lines, expected 2 of each (2 intervals)"
	top_table_rows "$W/out" >"$W/rows"
	pb=$(grep -c '^bad' "$W/rows")
	[ "$pb" -eq 0 ] || pw="${pw:+$pw; }$pb lines neither time, header, blank nor a row in the %-6s %-16s %-9s %-9s %-12s %-12s %-12s %s layout, first: '$(grep '^bad' "$W/rows" | head -n 1 | cut -c5-120)'"
	result "$TTAG | cat: plain text, no ESC byte, a time line and '$TOP_HDR' per interval" "$pw" "$W/out"
	pm=$(awk '$1 != "bad" { n[$1]++ } END { for (i in n) if (n[i] > m) m = n[i]; print m + 0 }' "$W/rows")
	result "$TTAG --rows 1: at most one row per interval" "$([ "$pm" -le 1 ] || echo "$pm rows in one interval")" "$W/out"
	pr=$(awk '$1 != "bad" { print $2, $3, $4, $5, $6, $7 }' "$W/rows" | tr '\n' ';')
	result "$TTAG --sort writes: the heavier writer by calls (300 writes of 1 byte) is the row shown, not the one with more bytes" \
		"$([ "$pr" = "$A rwload 0 300 0 300;" ] || echo "rows (pid comm reads writes r_bytes w_bytes) '$pr', expected '$A rwload 0 300 0 300;' (B is $B)")" "$W/out"
	detached "$TTAG --rows 1 --sort writes: nothing left attached"
}
t_top_default_sort() { # the control for --sort writes: by default (read + write bytes) B comes first
	rm -f "$GATE"
	gated_rwload write:1:300
	A=$GPID
	gated_rwload write:65536:10
	B=$GPID
	GATED="$A $B" WORK=work_wait_gated STOP=none LIMIT=20
	run_tux_piped top --pid "$A" --pid "$B" 1 1
	check_exit "top --pid A --pid B 1 1: exits 0 by itself"
	top_table_rows "$W/out" >"$W/rows"
	pr=$(awk '$1 != "bad" { print $2, $5, $7 }' "$W/rows" | tr '\n' ';')
	result "top, default sort (read + write bytes): the writer of more bytes first" \
		"$([ "$pr" = "$B 10 655360;$A 300 300;" ] || echo "rows (pid writes w_bytes) '$pr', expected '$B 10 655360;$A 300 300;'")" "$W/out"
}

# ================================================================ VFS against block I/O: minix on a loop device
# The guest's root is an initramfs: nothing reaches a block device. loop.ko and minix.ko of this kernel
# (run-matrix.sh puts them in /lib/modules/NAME/) give one: a minix image (mkfs.minix on the host) on loop,
# backed by a file in /tmp. rwload's reads of a 1 MiB file after drop_caches make loop reads of about 1 MiB
# from rwload itself (submit_bio accounts them to the submitting task; the loop worker then reads the backing
# file from tmpfs, which is no block I/O); the second pass, after rewind, comes from the page cache.
MNT=/mnt/minix
BIG=$MNT/big.dat
blk_setup() { # prints why it failed, or nothing
	bs_dir=/lib/modules/$TUXSCOPE_KERNEL
	for bs_m in loop minix; do
		grep -q "^$bs_m " /proc/modules && continue
		insmod "$bs_dir/$bs_m.ko" 2>"$W/insmod.err" || { echo "insmod $bs_dir/$bs_m.ko: $(tr '\n' ' ' <"$W/insmod.err")"; return; }
	done
	[ -s /img/minix.img.gz ] || { echo "no /img/minix.img.gz in the initramfs (mkfs.minix missing on the host?)"; return; }
	gunzip -c /img/minix.img.gz >"$W/minix.img" || { echo "gunzip of the minix image failed"; return; }
	wait_for 10 test -e /dev/loop-control || { echo "no /dev/loop-control after insmod loop"; return; }
	LOOPDEV=$(losetup -f 2>"$W/losetup.err")
	case $LOOPDEV in /dev/loop[0-9]*) ;; *) echo "losetup -f: '$LOOPDEV' $(cat "$W/losetup.err")"; return ;; esac
	wait_for 10 test -b "$LOOPDEV" || { echo "$LOOPDEV did not appear"; return; }
	losetup "$LOOPDEV" "$W/minix.img" 2>"$W/losetup.err" || { echo "losetup $LOOPDEV: $(cat "$W/losetup.err")"; return; }
	mkdir -p "$MNT"
	mount -t minix "$LOOPDEV" "$MNT" 2>"$W/mount.err" || { echo "mount -t minix $LOOPDEV: $(cat "$W/mount.err")"; return; }
	dd if=/dev/urandom of="$BIG" bs=65536 count=16 status=none || { echo "writing $BIG failed"; return; }
	sync
	[ "$(wc -c <"$BIG")" -eq 1048576 ] || echo "$BIG is $(wc -c <"$BIG") bytes, expected 1048576"
}
blk_teardown() {
	umount "$MNT" 2>/dev/null
	[ -n "${LOOPDEV:-}" ] && losetup -d "$LOOPDEV" 2>/dev/null
	rm -f "$W/minix.img"
}
rw_opened_big() { [ "$(readlink /proc/"$RPID"/fd/3 2>/dev/null)" = "$BIG" ]; }
work_blk() {
	wait_for 60 test -e "$W/rwdone" || note "rwload did not finish its reads within 60 s (a short read?)"
}
t_blk() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	rm -f "$GATE" "$W/rwdone"
	held_rwload --in "$BIG" --wait "$GATE" --done "$W/rwdone" read:65536:16 rewind:0:1 read:65536:16
	R=$RPID
	# rwload has opened the file (directory and inode blocks read) before top takes its first baseline
	if ! wait_for 10 rw_opened_big; then
		result "$TTAG minix on loop: rwload opens $BIG" "its fd 3 is '$(readlink /proc/"$R"/fd/3 2>/dev/null)'"
	fi
	WORK=work_blk STOP=INT LIMIT=15
	run_tux top -C $MODE_ARGS --pid "$R" --format json 1 120
	check_exit "$TTAG minix on loop: SIGINT after the reads, exit 0"
	check_top_json "$TTAG minix on loop: well-formed json" "$W/out" 1000 "$TOP_ROW"
	top_rows "$W/out" >"$W/rows"
	bk=$(awk -v p="$R" '$2 == p { r += $3; rb += $5; if ($7 == "null") nul++; else br += $7 } END { print r + 0, rb + 0, br + 0, nul + 0 }' "$W/rows")
	set -- $bk
	echo "# measured [$TUXSCOPE_KERNEL] $TTAG minix on loop, 1 MiB file read twice after drop_caches: reads $1, read_bytes $2, blk_read_bytes $3 (intervals: $(awk -v p="$R" '$2 == p { printf "%s/%s ", $5, $7 }' "$W/rows"))"
	bw=
	[ "$1" -eq 32 ] && [ "$2" -eq 2097152 ] || bw="reads $1, read_bytes $2: expected 32 reads, 2097152 bytes"
	[ "$3" -ge 1048576 ] && [ "$3" -le $((1048576 + 65536)) ] || bw="${bw:+$bw; }blk_read_bytes $3, expected 1048576..1114112 (the file once, plus read-ahead and metadata)"
	[ "$4" -eq 0 ] || bw="${bw:+$bw; }$4 intervals with blk_read_bytes null (rwload is held alive)"
	result "$TTAG minix on loop: summed over intervals, read_bytes 2097152 (two passes), blk_read_bytes about 1 MiB (the first only)" \
		"$bw" "$W/out"
	detached "$TTAG minix on loop: nothing left attached"
}

# ---- run them: every mode forced
for mode in $MODES; do
	set_mode "$mode"
	TTAG="top[$mode]"
	t_names_actual
	t_names_table
	t_actual_blocked
	t_top_sums
	[ "$mode" = tracepoint ] || t_top_byfile
	t_top_plain
done
set_mode ''

# ---- the default mode: -F alone and -A alone, the default sort
rm -f "$GATE"
gated_rwload --in "$W/$INFILE" read:4096:5 write:100:3
R1=$GPID
GATED=$R1 WORK=work_gated STOP=INT LIMIT=15
run_tux fileio --filename --format json --pid "$R1"
check_exit "fileio --filename json: exit 0"
fw=$(grep -cvxE "[{]\"pid\":$R1,\"op\":\"(read|write)\",\"bytes\":[0-9]+,\"comm\":\"rwload\",\"timestamp_ns\":[0-9]+,\"file\":\"[^\"]*\"[}]" "$W/out")
result "fileio --filename json: \"file\" right after timestamp_ns, no actual or error key" \
	"$([ "$fw" -eq 0 ] || echo "$fw lines do not match, first: '$(head -n 1 "$W/out" | cut -c1-160)'")" "$W/out"
sed -nE 's/^[{]"pid":([0-9]+),"op":"([a-z]+)","bytes":([0-9]+),"comm":"(.*)","timestamp_ns":([0-9]+),"file":"(.*)"[}]$/\1 \4 \2 \3 \5 \6/p' "$W/out" >"$W/fields"
check_set "fileio --filename json: 5 reads name $INFILE, 3 writes name null" "$W/fields" "$R1" all '$3, $4, $6' \
	"$(rep 5 "read 4096 $INFILE"; rep 3 "write 100 null")"
detached "fileio --filename json: nothing left attached"

rm -f "$GATE"
gated_dd if="$W/$SHORTF" of=/dev/null bs=4096
D=$GPID
GATED=$D WORK=work_gated STOP=INT LIMIT=15
run_tux fileio --actual --pid "$D"
check_exit "fileio --actual table: exit 0"
aw=
[ "$(head -n 1 "$W/out")" = "$HDR_A" ] || aw="line 1 is not '$HDR_A'"
ab=$(awk 'NR > 1 && (NF != 6 || $0 != sprintf("%-6s %-16s %-6s %-16s %-16s %s", $1, $2, $3, $4, $5, $6)) { n++ } END { print n + 0 }' "$W/out")
[ "$ab" -eq 0 ] || aw="${aw:+$aw; }$ab lines not in the %-6s %-16s %-6s %-16s %-16s %s layout"
result "fileio --actual table: header with ACTUAL before TIMESTAMP_NS, exact column layout" "$aw" "$W/out"
sed 1d "$W/out" >"$W/fields"
check_set "fileio --actual table: dd bs=4096 of 1000 bytes: read 4096 -> 1000, read 4096 -> 0, write 1000" "$W/fields" "$D" all '$3, $4, $5' \
	"read 4096 1000
read 4096 0
write 1000 1000"
detached "fileio --actual table: nothing left attached"
t_top_default_sort

# ---- top --by-file in the system call view: refused from the arguments alone (a usage conflict, as
# fileio --attach tracepoint --functions): one line, nothing attached
run_bounded top --attach tracepoint --by-file 1 1
one_line_error "top --attach tracepoint --by-file: exit 2, one line naming --by-file" 2 "tuxscope: " "--by-file"
detached "top --attach tracepoint --by-file: nothing left attached"

# ---- VFS against block I/O, every mode
blk_setup >"$W/blk.why" 2>&1
bs_why=$(cat "$W/blk.why")
result "block I/O setup: insmod loop and minix, a minix file system on a loop device, a 1 MiB file" "$bs_why" "$W/insmod.err"
if [ -z "$bs_why" ]; then
	for mode in $MODES; do
		set_mode "$mode"
		TTAG="top[$mode]"
		t_blk
	done
	set_mode ''
fi
blk_teardown

# ================================================================ hard edges: SIGKILL, a full ring buffer, no tracefs, read-only /sys
# ---- SIGKILL once attached, in every mode this kernel offers, fileio and top. SIGKILL cannot be caught: what the
# kernel releases with the process (perf events, BPF links and programs: every fd) must be all there is, except a
# legacy kprobe's kprobe_events entries, which stay until the next run, of any mode, removes them (DESIGN.md).

# killed_ok NAME: RC 137 (SIGKILL), the helper had nothing to say, stderr is exactly the attached line
killed_ok() {
	ko_why=
	[ "$RC" = 137 ] || ko_why="exit status $RC, expected 137 (SIGKILL)"
	[ -z "$WHY" ] || ko_why="${ko_why:+$ko_why; }$(echo "$WHY" | tr '\n' ';')"
	# "Killed" is this shell's own report of the signal (ash writes it while the command's redirection holds)
	[ "$(grep -vx Killed "$W/err")" = "$EXPECT_ATTACHED" ] || ko_why="${ko_why:+$ko_why; }stderr is not exactly '$EXPECT_ATTACHED'"
	result "$1" "$ko_why" "$W/err"
}
# no_tux_events: why kprobe_events or events/ still hold something of tuxscope, or nothing
no_tux_events() {
	ne_l=$(tux_entries | tr '\n' ';')
	[ -z "$ne_l" ] || echo "kprobe_events still has '$ne_l'"
	[ ! -e "$T/events/tuxscope" ] || echo "$T/events/tuxscope still exists"
}
# killed_legacy_stays NAME: the killed run's (KPID) two entries are in kprobe_events, and they no longer fire: their
# hit counts in kprobe_profile do not move while dd reads and writes (the perf events that enabled them are gone)
killed_legacy_stays() {
	legacy_entries "$KPID" | sort >"$W/want"
	tux_entries >"$W/left"
	result "$1" "$(cmp -s "$W/want" "$W/left" || echo "kprobe_events has '$(tr '\n' ';' <"$W/left")', expected '$(tr '\n' ';' <"$W/want")'")"
	kl_hits() { awk -v r="vfs_read_$KPID" -v w="vfs_write_$KPID" '$1 == r || $1 == w { printf "%s=%s ", $1, $2 }' "$T/kprobe_profile"; }
	kl_before=$(kl_hits)
	work_small
	kl_after=$(kl_hits)
	result "$1: the entries no longer fire (kprobe_profile hits unchanged over a dd)" \
		"$([ -n "$kl_before" ] && [ "$kl_before" = "$kl_after" ] || echo "hits before '$kl_before', after '$kl_after'")"
}
# next_run NAME MODE CMD: after a killed kprobe-legacy run (KPID), CMD (fileio or top) --attach MODE attaches and
# ends by itself (fileio --duration 0, top 0.1 1): exit 0, stderr the attached line, and afterwards no tuxscope
# entry in kprobe_events and no events/tuxscope
next_run() {
	nr_name=$1
	set_mode "$2"
	if [ "$3" = top ]; then
		run_bounded top -C $MODE_ARGS 0.1 1
	else
		run_bounded fileio $MODE_ARGS --duration 0
	fi
	nr_why=
	[ "$RC" = 0 ] || nr_why="exit status $RC, expected 0"
	[ "$(cat "$W/err")" = "$EXPECT_ATTACHED" ] || nr_why="${nr_why:+$nr_why; }stderr is not exactly '$EXPECT_ATTACHED'"
	nr_left=$(no_tux_events | tr '\n' ';')
	[ -z "$nr_left" ] || nr_why="${nr_why:+$nr_why; }$nr_left (the killed run was pid $KPID)"
	result "$nr_name: exit 0, attached, and the killed run's entries and events/tuxscope are gone" "$nr_why" "$W/err"
	detached "$nr_name: nothing left after it"
}

NEXT_AFTER_FILEIO=kprobe NEXT_AFTER_TOP=tracepoint
work_kill_snap() { # the kernel's own view of the probes while attached (not the fds), then a small dd workload
	detach_problems | grep -v '^open fd: ' >"$W/during"
	work_small
}
for mode in $MODES; do
	for cmd in fileio top; do
		set_mode "$mode"
		WORK=work_kill_snap STOP=KILL LIMIT=15
		if [ "$cmd" = top ]; then
			KTAG="top[$mode]"
			run_tux top -C $MODE_ARGS 1
		else
			KTAG=$TAG
			run_tux fileio $MODE_ARGS
		fi
		KPID=$TPID
		killed_ok "$KTAG SIGKILL once attached: exit 137, stderr the attached line only"
		# The control: while attached, the kernel lists both probes where the check after the kill looks (the
		# tracepoint mode has no such list: its fds, and kallsyms once all runs are over, are the check)
		case $mode in
		kprobe) kv_src='debug kprobes list' ;;
		fentry) kv_src=enabled_functions ;;
		kprobe-legacy) kv_src=kprobe_events ;;
		*) kv_src= ;;
		esac
		if [ -n "$kv_src" ]; then
			kv_r=$(grep -c "^$kv_src: .*vfs_read" "$W/during")
			kv_w=$(grep -c "^$kv_src: .*vfs_write" "$W/during")
			result "$KTAG while attached: the kernel lists both probes in $kv_src (the control for the check after the kill)" \
				"$([ "$kv_r" -gt 0 ] && [ "$kv_w" -gt 0 ] || echo "$kv_r lines for vfs_read, $kv_w for vfs_write; seen: $(tr '\n' ';' <"$W/during")")"
		fi
		if [ "$mode" != kprobe-legacy ]; then
			detached "$KTAG SIGKILL: nothing left (kprobes, kprobe_events, ftrace, perf and BPF fds)"
			continue
		fi
		killed_legacy_stays "$KTAG SIGKILL: its two kprobe_events entries stay until the next run"
		if [ "$cmd" = top ]; then
			next_run "top[$NEXT_AFTER_TOP] after a killed $KTAG run" "$NEXT_AFTER_TOP" top
		else
			next_run "fileio[$NEXT_AFTER_FILEIO] after a killed $KTAG run" "$NEXT_AFTER_FILEIO" fileio
		fi
	done
done
case " $MODES " in
*" fentry "*)
	set_mode kprobe-legacy
	WORK=work_small STOP=KILL LIMIT=15
	run_tux fileio $MODE_ARGS
	KPID=$TPID
	killed_ok "fileio[kprobe-legacy] SIGKILL (before an fentry run): exit 137, stderr the attached line only"
	next_run "top[fentry] after a killed fileio[kprobe-legacy] run" fentry top
	;;
esac
set_mode ''

# A killed run whose parent has not reaped it yet is a zombie: its fds (perf events) are closed, its /proc/PID/comm
# still says tuxscope. It is no live tuxscope: the next run removes its entries all the same.
rm -f "$W/z.pid" "$W/z.err"
sh -c '"$0" fileio --attach kprobe-legacy --comm nosuchcomm >/dev/null 2>"$1" </dev/null & echo $! >"$2"; exec sleep 60' \
	"$TUX" "$W/z.err" "$W/z.pid" </dev/null &
ZP=$! # the parent, which never reaps: sleep
z_attached() { grep -q '^tuxscope: attached ' "$W/z.err" 2>/dev/null; }
is_zombie() { read -r z_s 2>/dev/null </proc/"$1"/stat && case ${z_s##*") "} in Z*) return 0 ;; esac; return 1; }
if wait_for "$ATTACH_WAIT" z_attached && KPID=$(cat "$W/z.pid") && kill -9 "$KPID" && wait_for 10 is_zombie "$KPID"; then
	next_run "fileio[kprobe] after a killed kprobe-legacy run that is still a zombie (parent not reaping)" kprobe fileio
else
	result "fileio[kprobe-legacy] killed and left a zombie: set up" "no attached line, or pid $(cat "$W/z.pid" 2>/dev/null) did not become a zombie" "$W/z.err"
	[ -s "$W/z.pid" ] && kill -9 "$(cat "$W/z.pid")" 2>/dev/null
fi
kill "$ZP" 2>/dev/null
wait "$ZP" 2>/dev/null
set_mode ''

# ---- tracefs not mounted, and a run that mounted it is SIGKILLed: the mount it made outlives it (or never was
# visible outside it, in a private mount namespace). Either way the next run leaves things as they were before the
# killed run: tracefs not mounted, no tuxscope entry. (The kprobe PMU needs no tracefs, but every run mounts it to
# look for a killed run's kprobe_events entries.)
for spec in "kprobe-legacy:fileio:auto" "kprobe:top:tracepoint"; do
	IFS=:
	set -- $spec
	IFS=$DEFAULT_IFS
	km_mode=$1 km_cmd=$2 km_next=$3
	km_name="$km_cmd[$km_mode] SIGKILL, tracefs not mounted before it; then fileio[$km_next]"
	if ! unmount_tracing; then
		result "$km_name: unmount tracefs and debugfs first" "still mounted: $(trace_mounts | tr '\n' ';')"
		remount_tracing
		continue
	fi
	set_mode "$km_mode"
	WORK=work_small STOP=KILL LIMIT=15
	if [ "$km_cmd" = top ]; then run_tux top -C $MODE_ARGS 1; else run_tux fileio $MODE_ARGS; fi
	KPID=$TPID
	km_left=$(trace_mounts | tr '\n' ';')
	killed_ok "$km_cmd[$km_mode] SIGKILL, tracefs not mounted before it: exit 137, stderr the attached line only"
	if [ "$km_next" = auto ]; then set_mode ''; else set_mode "$km_next"; fi
	run_bounded fileio $MODE_ARGS --duration 0
	km_after=$(trace_mounts | tr '\n' ';')
	remount_tracing
	km_why=
	[ "$RC" = 0 ] || km_why="exit status $RC, expected 0"
	[ "$(cat "$W/err")" = "$EXPECT_ATTACHED" ] || km_why="${km_why:+$km_why; }stderr is not exactly '$EXPECT_ATTACHED'"
	result "$km_name: the next run attaches, exit 0" "$km_why" "$W/err"
	result "$km_name: tracefs is not mounted after the next run (as before the killed one)" \
		"$([ -z "$km_after" ] || echo "mounted after the next run: $km_after (after the kill: ${km_left:-nothing})")"
	result "$km_name: no tuxscope entry or events/tuxscope left" "$(no_tux_events | tr '\n' ';')"
	detached "$km_name: nothing left attached"
done
set_mode ''

# A live run that mounted tracefs is not a killed one: a second run beside it must leave its mount and its entries
# alone (the first still needs them to remove its entries at exit), and the first then unmounts as usual.
if unmount_tracing; then
	bg_start fileio --attach kprobe-legacy --comm nosuchcomm
	if [ -n "$BG" ]; then
		set_mode kprobe-legacy
		run_bounded fileio --attach kprobe-legacy --duration 0
		lv_why=
		[ "$RC" = 0 ] || lv_why="exit status $RC, expected 0"
		[ "$(cat "$W/err")" = "$EXPECT_ATTACHED" ] || lv_why="${lv_why:+$lv_why; }stderr is not exactly '$EXPECT_ATTACHED'"
		result "fileio[kprobe-legacy] beside a live run that mounted tracefs: attaches, exit 0" "$lv_why" "$W/err"
		# look from a mount of our own elsewhere: the one at /sys/kernel/tracing is the live run's
		mkdir -p /tmp/tfs
		if mount -t tracefs nodev /tmp/tfs; then
			legacy_entries "$BG" | sort >"$W/want"
			grep -E '^[a-z0-9]+:tuxscope/' /tmp/tfs/kprobe_events 2>/dev/null | sort >"$W/left"
			umount /tmp/tfs
			result "fileio[kprobe-legacy] beside a live run that mounted tracefs: the live run's entries are intact" \
				"$(cmp -s "$W/want" "$W/left" || echo "kprobe_events has '$(tr '\n' ';' <"$W/left")', expected '$(tr '\n' ';' <"$W/want")'")"
		else
			result "fileio[kprobe-legacy] beside a live run that mounted tracefs: the live run's entries are intact" "cannot mount tracefs at /tmp/tfs to look"
		fi
		lv_mid=$(trace_mounts | tr '\n' ';')
		bg_stop
		lv_after=$(trace_mounts | tr '\n' ';')
		remount_tracing
		lv_why=
		[ "$BG_RC" = 0 ] || lv_why="exit status '$BG_RC', expected 0 after SIGTERM"
		[ "$(cat "$W/bg.err")" = "$EXPECT_ATTACHED" ] || lv_why="${lv_why:+$lv_why; }stderr is not exactly the attached line"
		[ -z "$lv_after" ] || lv_why="${lv_why:+$lv_why; }mounted after both ended: $lv_after (while the first ran: ${lv_mid:-nothing})"
		lv_left=$(no_tux_events | tr '\n' ';')
		[ -z "$lv_left" ] || lv_why="${lv_why:+$lv_why; }$lv_left"
		result "fileio[kprobe-legacy] that mounted tracefs, with a second run beside it: ends with exit 0, its entries removed, tracefs unmounted" \
			"$lv_why" "$W/bg.err"
		detached "fileio[kprobe-legacy] that mounted tracefs, with a second run beside it: nothing left attached"
	else
		remount_tracing
		result "fileio[kprobe-legacy], tracefs not mounted, in the background: attaches" "no attached line within $ATTACH_WAIT s" "$W/bg.err"
	fi
	set_mode ''
else
	result "fileio[kprobe-legacy] beside a live run that mounted tracefs: unmount tracefs and debugfs first" "still mounted: $(trace_mounts | tr '\n' ';')"
	remount_tracing
fi

# ---- once the SIGKILL runs are over: no BPF program or trampoline is left loaded (kallsyms, about 2 s)
if [ "$(cat /proc/sys/net/core/bpf_jit_kallsyms 2>/dev/null)" = 1 ]; then
	no_bpf_syms() { ! grep -q '\[bpf\]$' /proc/kallsyms; }
	if wait_for 10 no_bpf_syms; then
		result "after the SIGKILL runs: no BPF program or trampoline left loaded (kallsyms)" ""
	else
		result "after the SIGKILL runs: no BPF program or trampoline left loaded (kallsyms)" \
			"$(grep -c '\[bpf\]$' /proc/kallsyms) [bpf] symbols: $(grep '\[bpf\]$' /proc/kallsyms | awk '{ print $3 }' | head -n 4 | tr '\n' ' ')"
	fi
fi

# ---- --explain in every mode: the numbered steps name each system call with its arguments and results, and
# the values they give agree with the kernel's (the PMU's type, the event ids, the fds used later). The kprobe
# narrative is printed whole as "# explain:" lines (the README's sample comes from such a run).
t_explain() { # MODE
	ex_m=$1
	timeout 60 "$TUX" fileio --explain --attach "$ex_m" --comm tux_none --duration 0 >"$W/out" 2>"$W/err"
	ex_rc=$?
	ex_why=
	[ "$ex_rc" = 0 ] || ex_why="exit status $ex_rc"
	grep -E '^ *[0-9]+\. ' "$W/err" | sed -E 's/^ *([0-9]+)\. .*/\1/' >"$W/steps"
	ex_n=$(wc -l <"$W/steps")
	[ "$ex_n" -ge 10 ] && [ "$(seq 1 "$ex_n")" = "$(cat "$W/steps")" ] || ex_why="${ex_why:+$ex_why; }steps not numbered 1..N ($ex_n)"
	exl() { grep -E "^ *[0-9]+\. $1" "$W/err"; }
	ex_ring=$(exl 'BPF_MAP_CREATE map_name=events map_type=RINGBUF .* -> fd [0-9]+$' | sed -E 's/.* -> fd //')
	[ -n "$ex_ring" ] && exl "mmap\(events fd $ex_ring, " >/dev/null || ex_why="${ex_why:+$ex_why; }no ring buffer create and mmap of one fd"
	case $ex_m in
	kprobe|kprobe-legacy) ex_prog=trace_vfs_read ;;
	fentry) ex_prog=fentry_vfs_read ;;
	tracepoint) ex_prog=sys_enter_rw ;;
	esac
	ex_pfd=$(exl "BPF_PROG_LOAD prog_name=$ex_prog .* -> fd [0-9]+ " | sed -E 's/.* -> fd ([0-9]+) .*/\1/')
	[ -n "$ex_pfd" ] && grep -qE '^ +verifier: processed [0-9]+ insns' "$W/err" &&
		exl "link \.text \([0-9]+ insns\) after " >/dev/null || ex_why="${ex_why:+$ex_why; }no BPF_PROG_LOAD of $ex_prog with the verifier's totals and the .text link"
	case $ex_m in
	kprobe)
		ex_type=$(cat /sys/bus/event_source/devices/kprobe/type)
		exl "read /sys/bus/event_source/devices/kprobe/type -> $ex_type " >/dev/null &&
			ex_fd=$(exl "perf_event_open type=$ex_type \(kprobe\) config=0 config1=\"vfs_read\" pid=-1 cpu=0 -> fd [0-9]+$" |
				sed -E 's/.* -> fd //') && [ -n "$ex_fd" ] &&
			exl "ioctl\(fd $ex_fd, PERF_EVENT_IOC_SET_BPF, prog fd $ex_pfd\) -> 0$" >/dev/null &&
			exl "ioctl\(fd $ex_fd, PERF_EVENT_IOC_ENABLE\) -> 0" >/dev/null &&
			exl "close\(fd $ex_fd\): the last reference to vfs_read's perf event" >/dev/null ||
			ex_why="${ex_why:+$ex_why; }kprobe steps: PMU type $ex_type, perf_event_open, SET_BPF of fd $ex_pfd, ENABLE, close"
		;;
	fentry)
		ex_id=$(exl 'BTF: vfs_read is BTF_KIND_FUNC id [0-9]+ ' | sed -E 's/.* id ([0-9]+) .*/\1/')
		[ -n "$ex_id" ] && exl "BPF_PROG_LOAD prog_name=fentry_vfs_read prog_type=TRACING expected_attach_type=[0-9]+ attach_btf_id=$ex_id " >/dev/null &&
			exl "BPF_RAW_TRACEPOINT_OPEN name=NULL prog_fd=$ex_pfd .* -> link fd [0-9]+$" >/dev/null ||
			ex_why="${ex_why:+$ex_why; }fentry steps: BTF id '$ex_id', the load with it, BPF_RAW_TRACEPOINT_OPEN of fd $ex_pfd"
		;;
	kprobe-legacy)
		ex_ev=$(exl "write \"p:tuxscope/vfs_read_[0-9]+ vfs_read\" to $T/kprobe_events -> 0$" | sed -E 's/.*p:tuxscope\/(vfs_read_[0-9]+) .*/\1/')
		ex_id=$(exl "read $T/events/tuxscope/$ex_ev/id -> [0-9]+$" | sed -E 's/.* -> //')
		[ -n "$ex_ev" ] && [ -n "$ex_id" ] &&
			exl "perf_event_open type=2 \(PERF_TYPE_TRACEPOINT\) config=$ex_id " >/dev/null &&
			exl "write \"-:tuxscope/$ex_ev\" to $T/kprobe_events -> 0$" >/dev/null ||
			ex_why="${ex_why:+$ex_why; }kprobe_events steps: event '$ex_ev', id '$ex_id', perf_event_open, the removal"
		;;
	tracepoint)
		ex_id=$(cat $T/events/syscalls/sys_enter_read/id 2>/dev/null)
		exl "perf_event_open type=2 \(PERF_TYPE_TRACEPOINT\) config=$ex_id \(the event's id\)" >/dev/null ||
			ex_why="${ex_why:+$ex_why; }no perf_event_open of sys_enter_read's id ${ex_id:-?}"
		;;
	esac
	tail -n 1 "$W/err" | grep -qE '^ *[0-9]+\. detach total: [0-9]+\.[0-9]{3} ms' || ex_why="${ex_why:+$ex_why; }the last line is not the detach total"
	result "fileio[$ex_m] --explain: numbered steps, each system call's arguments and results agree with the kernel" "$ex_why" "$W/err"
	if [ "$ex_m" = kprobe ]; then
		sed 's/^/# explain: /' "$W/err"
	fi
	detached "fileio[$ex_m] --explain: nothing left attached"
}
for mode in $MODES; do
	t_explain "$mode"
done

# ---- the ring buffer overflows: the reader of tuxscope's output stalls while a dd storm runs (the pipe, the
# output buffer and the 1 MiB ring fill: about 16,000 events fit). The events lost are counted and said at exit in
# one line, and every one of dd's calls is either printed or counted: printed + lost = 2 x COUNT, exactly.
OV_COUNT=20000
# run_tux_stalled ARGS...: "(tuxscope ARGS; echo $? >rc) | READER" in the foreground with the helper; READER reads
# nothing until $W/drain exists (60 s at most), then copies it all to $W/out
run_tux_stalled() {
	rm -f "$W/out" "$W/err" "$W/pid" "$W/why" "$W/rc" "$GATE" "$W/stop" "$W/attached_at" "$W/drain"
	helper &
	RUN_START=$(now_cs)
	(
		sh -c 'echo $$ >"$0"; exec "$@"' "$W/pid" "$TUX" "$@" 2>"$W/err"
		echo $? >"$W/rc"
	) | {
		sr_end=$(($(now_cs) + 6000))
		while [ ! -e "$W/drain" ] && [ "$(now_cs)" -lt "$sr_end" ]; do usleep 50000; done
		cat >"$W/out"
	}
	RUN_END=$(now_cs)
	wait
	RC=$(cat "$W/rc" 2>/dev/null)
	TPID=$(cat "$W/pid" 2>/dev/null)
	WHY=$(cat "$W/why" 2>/dev/null)
}
work_overload() { # the storm runs to its end while nothing is read, then the reader drains
	wait_gone $GATED
	touch "$W/drain"
	settle
}
t_overload() {
	rm -f "$GATE"
	gated_dd if=/dev/zero of=/dev/null bs=1 count=$OV_COUNT
	A=$GPID
	GATED=$A WORK=work_overload STOP=INT LIMIT=20
	run_tux_stalled fileio $MODE_ARGS --pid "$A"
	check_exit "$TAG ring buffer overflow (reader stalled, dd bs=1 count=$OV_COUNT): SIGINT, exit 0"
	ov_lost=$(sed -nE 's/^tuxscope: ([0-9]+) events lost \(ring buffer full\)$/\1/p' "$W/err")
	ov_n=$(grep -cE "$LOST_LINE" "$W/err")
	ov_other=$(grep -vxF "$EXPECT_ATTACHED" "$W/err" | grep -cvE "$LOST_LINE")
	ov_why=
	[ "$ov_n" -eq 1 ] && [ "${ov_lost:-0}" -gt 0 ] || ov_why="no one line 'tuxscope: N events lost (ring buffer full)' with N > 0 ($ov_n such lines)"
	[ "$(grep -cxF "$EXPECT_ATTACHED" "$W/err")" -eq 1 ] || ov_why="${ov_why:+$ov_why; }the attached line is not there once"
	[ "$ov_other" -eq 0 ] || ov_why="${ov_why:+$ov_why; }$ov_other other stderr lines"
	result "$TAG ring buffer overflow: stderr is the attached line and 'tuxscope: N events lost (ring buffer full)', N > 0" "$ov_why" "$W/err"
	ov_printed=$(awk -v p="$A" '$1 == p' "$W/out" | wc -l)
	echo "# measured [$TUXSCOPE_KERNEL] $TAG overflow: $ov_printed of dd's $((OV_COUNT * 2)) calls printed, ${ov_lost:-?} lost"
	result "$TAG ring buffer overflow: printed + lost = dd's $((OV_COUNT * 2)) calls exactly" \
		"$([ $((ov_printed + ${ov_lost:-0})) -eq $((OV_COUNT * 2)) ] || echo "$ov_printed printed + ${ov_lost:-no} lost = $((ov_printed + ${ov_lost:-0}))")" "$W/err"
	check_table "$TAG ring buffer overflow: the output is still whole lines, header once"
	detached "$TAG ring buffer overflow: nothing left attached"
}
# One run per BPF program that writes the ring: kprobe-legacy runs the kprobe mode's programs.
for mode in $MODES; do
	[ "$mode" = kprobe-legacy ] && continue
	set_mode "$mode"
	t_overload
done
set_mode ''

# SIGINT while tuxscope is blocked writing to a reader that does not read: it ends (exit 0, losses said) without
# waiting for the reader, which here starts reading 4 s after the signal.
work_stalled_int() {
	wait_gone $GATED
	usleep 300000
	kill -INT "$h_p"
	wait_for 3 gone "$h_p" || note "still running 3 s after SIGINT while its reader did not read"
	touch "$W/drain"
	wait_for 10 gone "$h_p"
}
rm -f "$GATE"
gated_dd if=/dev/zero of=/dev/null bs=1 count=$OV_COUNT
A=$GPID
GATED=$A WORK=work_stalled_int STOP=none LIMIT=20
run_tux_stalled fileio --pid "$A"
check_exit "fileio, blocked on a full pipe: SIGINT ends it within 3 s, exit 0 (the reader reads nothing until 3 s later)"
si_why=
grep -qE "$LOST_LINE" "$W/err" || si_why="no 'events lost' line"
result "fileio, blocked on a full pipe, SIGINT: the events lost are still said" "$si_why" "$W/err"
detached "fileio, blocked on a full pipe, SIGINT: nothing left attached"

# ---- tracefs nowhere: in a private mount namespace (busybox unshare -m) /sys/kernel is covered by an empty read-only
# tmpfs, so neither /sys/kernel/tracing nor /sys/kernel/debug/tracing exists and mounting tracefs fails (ENOENT);
# /sys/kernel/btf stays (bound back) for fentry. The modes that need tracefs fail in one line that names tracefs;
# auto takes the kprobe PMU. Then also without the kprobe PMU and BTF: no mechanism at all, one line naming each.
# ---- read-only /sys (a read-only bind of /sys in the namespace): with tracefs mounted read-write every mode works;
# with tracefs read-only as well only kprobe-legacy (which writes kprobe_events) fails, in one line; with tracefs not
# mounted tuxscope mounts it on the read-only /sys and unmounts it again.
cat >"$W/ns.sh" <<'EOF_NS'
# sh ns.sh KIND DIR TUX RUN...: inside "unshare -m": sets KIND up, then runs "TUX RUN" for each RUN (split at spaces),
# stdout, stderr and status to DIR/I.out, .err, .rc, and the tracefs and debugfs mounts before and after to
# DIR/I.before, .after. DIR/setup says what the setup saw (or why it failed: then no run).
kind=$1 dir=$2 tux=$3
shift 3
tm() { awk '$3 == "tracefs" || $3 == "debugfs" { print $2, $3 }' /proc/mounts; }
fail() { echo "setup $kind: $*" >"$dir/setup.failed"; exit 1; }
hide_kernel() { # KEEP_BTF: /sys/kernel becomes an empty read-only tmpfs, with btf/ bound back if KEEP_BTF=1
	mkdir -p /tmp/ns-btf
	[ "$1" = 1 ] && { mount -o bind /sys/kernel/btf /tmp/ns-btf || fail "bind /sys/kernel/btf"; }
	mount -t tmpfs -o size=64k,mode=755 tuxtest-empty /sys/kernel || fail "tmpfs on /sys/kernel"
	if [ "$1" = 1 ]; then
		mkdir /sys/kernel/btf && mount -o bind /tmp/ns-btf /sys/kernel/btf || fail "bind btf back"
		[ -r /sys/kernel/btf/vmlinux ] || fail "no /sys/kernel/btf/vmlinux after binding it back"
	fi
	mount -o remount,ro /sys/kernel || fail "remount /sys/kernel read-only"
	[ ! -e /sys/kernel/tracing ] && [ ! -e /sys/kernel/debug ] || fail "/sys/kernel/tracing or /sys/kernel/debug still there"
	if mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; then
		umount /sys/kernel/tracing
		fail "tracefs can still be mounted"
	fi
}
unmount_all() { # tracefs and debugfs, deepest first
	for p in $(awk '$3 == "tracefs" || $3 == "debugfs" { print $2 }' /proc/mounts | sort -r); do
		umount "$p" 2>/dev/null || umount -l "$p" || fail "umount $p"
	done
}
ro_sys() {
	mount -o remount,bind,ro /sys || fail "remount,bind,ro /sys"
	grep -q '^[^ ]* /sys sysfs ro[, ]' /proc/mounts || fail "/sys is not read-only: $(grep ' /sys sysfs ' /proc/mounts)"
}
case $kind in
notracefs) hide_kernel 1 ;;
nothing)
	hide_kernel 0
	mount -t tmpfs -o ro,size=4k tuxtest-empty /sys/bus/event_source/devices || fail "tmpfs on /sys/bus/event_source/devices"
	[ ! -e /sys/bus/event_source/devices/kprobe ] || fail "the kprobe PMU is still there"
	;;
rosys) ro_sys ;;
rosys-rotracefs)
	ro_sys
	mount -o remount,bind,ro /sys/kernel/tracing || fail "remount,bind,ro /sys/kernel/tracing"
	if grep -q ' /sys/kernel/debug debugfs ' /proc/mounts; then
		mount -o remount,bind,ro /sys/kernel/debug || fail "remount,bind,ro /sys/kernel/debug"
	fi
	;;
rosys-unmounted)
	unmount_all
	ro_sys
	;;
*) fail "unknown kind" ;;
esac
tm | tr '\n' ';' >"$dir/setup"
i=0
for run; do
	i=$((i + 1))
	tm >"$dir/$i.before"
	timeout 60 "$tux" $run >"$dir/$i.out" 2>"$dir/$i.err" </dev/null
	echo $? >"$dir/$i.rc"
	tm >"$dir/$i.after"
done
EOF_NS

# ns_run KIND RUN...: the runs in a fresh private mount namespace set up as KIND; NS_WHY: why the setup failed
ns_run() {
	IFS=$DEFAULT_IFS
	rm -rf "$W/ns" && mkdir -p "$W/ns"
	ns_kind=$1
	shift
	timeout 240 unshare -m sh "$W/ns.sh" "$ns_kind" "$W/ns" "$TUX" "$@" >"$W/ns/unshare.out" 2>&1
	# the namespace is gone: /sys and tracefs are as they were out here
	NS_WHY=$(cat "$W/ns/setup.failed" 2>/dev/null)
	[ -e "$W/ns/setup" ] || [ -n "$NS_WHY" ] || NS_WHY="unshare -m failed: $(head -c 200 "$W/ns/unshare.out")"
	grep -q '^[^ ]* /sys sysfs rw[,]' /proc/mounts || NS_WHY="${NS_WHY:+$NS_WHY; }/sys is no longer read-write out here"
}
# ns_check NAME I RC LINE [STRING...]: run I of the last ns_run exited RC; for RC 0 stderr is exactly LINE, else
# nothing is on stdout and stderr is one line starting with LINE that contains each STRING; and it left the
# tracefs and debugfs mounts as it found them
ns_check() {
	nc_name=$1 nc_i=$2 nc_rc=$3 nc_line=$4
	shift 4
	cp "$W/ns/$nc_i.err" "$W/err" 2>/dev/null || : >"$W/err"
	if [ -n "$NS_WHY" ]; then
		result "$nc_name" "namespace setup ($ns_kind): $NS_WHY"
		return
	fi
	nc_why=
	nc_got=$(cat "$W/ns/$nc_i.rc" 2>/dev/null)
	[ "$nc_got" = "$nc_rc" ] || nc_why="exit status $nc_got, expected $nc_rc"
	if [ "$nc_rc" = 0 ]; then
		[ "$(cat "$W/err")" = "$nc_line" ] || nc_why="${nc_why:+$nc_why; }stderr is not exactly '$nc_line'"
	else
		[ -s "$W/ns/$nc_i.out" ] && nc_why="${nc_why:+$nc_why; }output on stdout"
		[ "$(wc -l <"$W/err")" -eq 1 ] || nc_why="${nc_why:+$nc_why; }$(wc -l <"$W/err") stderr lines, expected 1"
		case $(head -n 1 "$W/err") in "$nc_line"*) ;; *) nc_why="${nc_why:+$nc_why; }stderr does not start with '$nc_line'" ;; esac
		for nc_s; do
			grep -qF -- "$nc_s" "$W/err" || nc_why="${nc_why:+$nc_why; }stderr does not mention '$nc_s'"
		done
	fi
	cmp -s "$W/ns/$nc_i.before" "$W/ns/$nc_i.after" ||
		nc_why="${nc_why:+$nc_why; }tracefs/debugfs mounts before '$(tr '\n' ';' <"$W/ns/$nc_i.before")', after '$(tr '\n' ';' <"$W/ns/$nc_i.after")'"
	result "$nc_name" "$nc_why" "$W/err"
}
ns_attached() { # MODE: the attached line of a forced MODE
	case $1 in tracepoint) echo "$ATTACHED_TP" ;; *) echo "tuxscope: attached $1 vfs_read, vfs_write" ;; esac
}
has_fentry() { case " $MODES " in *" fentry "*) return 0 ;; esac; return 1; }

NT='no tracefs (none mounted, none mountable)'
ns_runs="fileio --attach kprobe-legacy --duration 0|fileio --attach tracepoint --duration 0|top --attach tracepoint 0.1 1|fileio --duration 0|top -C 0.1 1"
has_fentry && ns_runs="$ns_runs|fileio --attach fentry --duration 0"
IFS='|'
ns_run notracefs $ns_runs
IFS=$DEFAULT_IFS
ns_check "fileio --attach kprobe-legacy, $NT: exit 1, one line naming tracefs" 1 1 "tuxscope: " tracefs
ns_check "fileio --attach tracepoint, $NT: exit 1, one line naming tracefs" 2 1 "tuxscope: " tracefs
ns_check "top --attach tracepoint, $NT: exit 1, one line naming tracefs" 3 1 "tuxscope: " tracefs
ns_check "fileio (auto), $NT: the kprobe PMU, stderr the attached line only" 4 0 "$ATTACHED"
ns_check "top (auto), $NT: the kprobe PMU, stderr the attached line only" 5 0 "$ATTACHED"
has_fentry && ns_check "fileio --attach fentry, $NT: attaches (BTF is there)" 6 0 "$(ns_attached fentry)"
result "$NT: nothing left out here" "$(no_tux_events | tr '\n' ';')"
detached "$NT: nothing left attached"

ns_run nothing "fileio --duration 0" "top 0.1 1"
NN='no tracefs, no kprobe PMU, no BTF'
ns_check "fileio (auto), $NN: exit 1, one line 'no way to attach' with each mechanism's reason, tracefs named" 1 1 \
	"tuxscope: no way to attach on this kernel: " "kprobe: no kprobe PMU" "fentry: " "kprobe-legacy: " "tracepoint: " tracefs
ns_check "top (auto), $NN: exit 1, the same one line" 2 1 "tuxscope: no way to attach on this kernel: " "kprobe: no kprobe PMU" tracefs
detached "$NN: nothing left attached"

RO='/sys read-only'
ns_runs=
for mode in $MODES; do ns_runs="$ns_runs${ns_runs:+|}fileio --attach $mode --duration 0"; done
IFS='|'
ns_run rosys $ns_runs
IFS=$DEFAULT_IFS
i=0
for mode in $MODES; do
	i=$((i + 1))
	ns_check "fileio --attach $mode, $RO (tracefs read-write): attaches, exit 0" $i 0 "$(ns_attached "$mode")"
done
result "$RO: no tuxscope entry left" "$(no_tux_events | tr '\n' ';')"

ns_run rosys-rotracefs "fileio --attach kprobe-legacy --duration 0" "fileio --attach tracepoint --duration 0" "top -C 0.1 1"
ns_check "fileio --attach kprobe-legacy, $RO and tracefs read-only: exit 1, one line naming kprobe-legacy and the read-only file system" 1 1 \
	"tuxscope: " kprobe-legacy "Read-only file system"
ns_check "fileio --attach tracepoint, $RO and tracefs read-only: attaches (it only reads tracefs)" 2 0 "$ATTACHED_TP"
ns_check "top (auto), $RO and tracefs read-only: the kprobe PMU" 3 0 "$ATTACHED"
result "$RO and tracefs read-only: no tuxscope entry left" "$(no_tux_events | tr '\n' ';')"

ns_run rosys-unmounted "fileio --attach kprobe-legacy --duration 0" "fileio --attach tracepoint --duration 0"
ns_check "fileio --attach kprobe-legacy, $RO, tracefs not mounted: mounts it, attaches, unmounts it again" 1 0 "$(ns_attached kprobe-legacy)"
ns_check "fileio --attach tracepoint, $RO, tracefs not mounted: mounts it, attaches, unmounts it again" 2 0 "$ATTACHED_TP"
result "$RO, tracefs not mounted: no tuxscope entry left" "$(no_tux_events | tr '\n' ';')"
detached "$RO: nothing left attached"

# ================================================================ not root
nr_id=$(timeout 20 su -s /bin/sh -c 'id -u' nobody 2>&1)
if [ "$nr_id" = 65534 ]; then
	timeout 60 su -s /bin/sh -c "exec $TUX fileio --duration 5" nobody >"$W/out" 2>"$W/err" </dev/null
	RC=$?
	one_line_error "fileio as uid 65534 (not root): exit 1, one line with 'Operation not permitted' and 'run as root'" \
		1 "tuxscope: " "Operation not permitted" "run as root"
	one_line_error "fileio as uid 65534 (not root): the line names CAP_BPF and CAP_PERFMON" \
		1 "tuxscope: " "CAP_BPF" "CAP_PERFMON"
	detached "fileio as uid 65534: nothing left attached"
	timeout 60 su -s /bin/sh -c "exec $TUX top 0.1 1" nobody >"$W/out" 2>"$W/err" </dev/null
	RC=$?
	one_line_error "top as uid 65534 (not root): exit 1, one line with 'run as root' and CAP_BPF, CAP_PERFMON" \
		1 "tuxscope: " "run as root" "CAP_BPF" "CAP_PERFMON"
	# tracefs not mounted: not root cannot mount it, and must not get as far as trying
	if unmount_tracing; then
		timeout 60 su -s /bin/sh -c "exec $TUX fileio --attach kprobe-legacy --duration 0" nobody >"$W/out" 2>"$W/err" </dev/null
		RC=$?
		nr_mounts=$(trace_mounts | tr '\n' ';')
		remount_tracing
		one_line_error "fileio --attach kprobe-legacy as uid 65534, tracefs not mounted: exit 1, one line with 'run as root'" \
			1 "tuxscope: " "run as root"
		result "fileio --attach kprobe-legacy as uid 65534, tracefs not mounted: still not mounted after it" \
			"$([ -z "$nr_mounts" ] || echo "mounted after it: $nr_mounts")"
	else
		remount_tracing
	fi
	detached "top as uid 65534: nothing left attached"
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
