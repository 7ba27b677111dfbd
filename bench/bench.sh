#!/bin/sh
# bench.sh: `make bench`: measures tuxscope against a peer measured in the same run (bpftrace, its own
# counting floor, a naive formatter) and prints FIGURE | tuxscope | peer | ratio | target | result.
#
# usage: sh bench/bench.sh TUXSCOPE TOOLDIR   (TOOLDIR: build/bench, holding the bench/*.c tools; the raw
# numbers of every repeat are written there too). Knobs, from the environment:
#   BENCH_REPEAT=5          repeats of every figure; the median is quoted
#   BENCH_FIGURES="storm first start size fmt"   which figures to run
#   BENCH_DD_COUNT=1000000  dd's count in the event storm (2 events per byte)
#   BENCH_OUTDIR=/var/tmp   where the tracers' outputs go in the event storm (a real file system)
#   BENCH_FMT_SECONDS=0.5   length of each formatter measurement
#   BENCH_IGNORE_FAIL=1     exit 0 even if a target is missed
set -u

bin=${1:?usage: bench.sh TUXSCOPE TOOLDIR}
tools=${2:?usage: bench.sh TUXSCOPE TOOLDIR}
REPEAT=${BENCH_REPEAT:-5}
FIGURES=${BENCH_FIGURES:-storm first start size fmt}
DD_COUNT=${BENCH_DD_COUNT:-1000000}
OUTDIR=${BENCH_OUTDIR:-/var/tmp}
FMT_SECONDS=${BENCH_FMT_SECONDS:-0.5}
logs=$tools/logs
MARKER=tsb_marker # the task name the time-to-first-event workload runs under

if [ "$(id -u)" != 0 ]; then
	echo "bench: must run as root (it loads BPF programs: tuxscope and bpftrace); try: sudo make bench" >&2
	exit 1
fi
case $REPEAT in '' | *[!0-9]* | 0) echo "bench: BENCH_REPEAT=$REPEAT: want a positive number" >&2; exit 2 ;; esac
mkdir -p "$logs" "$OUTDIR" || exit 1
rm -f "$tools"/*.txt "$logs"/*

have_bt=1
command -v bpftrace >/dev/null 2>&1 || have_bt=0
[ $have_bt = 1 ] || echo "bench: bpftrace not found (apt-get install bpftrace, or make deps): its cells are n/a" >&2

# --- process handling: every tracer we start is stopped with SIGINT and waited for, also on ^C
live=""
big_files=""
cleanup() {
	for p in $live; do
		kill -INT "$p" 2>/dev/null
	done
	for p in $live; do
		stop_wait "$p" 10
	done
	# shellcheck disable=SC2086
	[ -n "$big_files" ] && rm -f $big_files
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM HUP

# stop_wait PID SECS: waits up to SECS for child PID to end (a zombie counts: we are its parent), then
# SIGKILLs it; its exit status in sw_rc. Never in $(...): only this shell can wait for its children.
stop_wait() {
	sw_n=0
	while [ $sw_n -lt $(($2 * 20)) ]; do
		sw_state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
		[ -z "$sw_state" ] || [ "$sw_state" = Z ] && break
		sleep 0.05
		sw_n=$((sw_n + 1))
	done
	[ "${sw_state:-}" = Z ] || [ -z "${sw_state:-}" ] || kill -KILL "$1" 2>/dev/null
	wait "$1"
	sw_rc=$?
	nl=""
	for p in $live; do [ "$p" = "$1" ] || nl="$nl $p"; done
	live=$nl
}

# stop PID: SIGINT, then wait (fileio drains its ring on SIGINT; bpftrace prints its maps); sw_rc.
stop() {
	kill -INT "$1" 2>/dev/null
	stop_wait "$1" 120
}

# Waits until file $2 matches pattern $3 while tracer $1 runs (at most 60 s); with $4, runs it meanwhile
# (the bpftrace readiness trigger). 0 when seen, 1 when the tracer died or the time ran out.
wait_for() {
	wf_n=0
	while ! grep -q -e "$3" "$2" 2>/dev/null; do
		sw_state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
		if [ -z "$sw_state" ] || [ "$sw_state" = Z ] || [ $wf_n -gt 6000 ]; then
			return 1
		fi
		[ -n "${4:-}" ] && "$4" /dev/null
		sleep 0.01
		wf_n=$((wf_n + 1))
	done
	return 0
}

# bpftrace, in a mount namespace of its own with tracefs: sh "$bt_ns" ARGS (see bpftrace-ns.sh)
bt_ns=$(dirname "$0")/bpftrace-ns.sh
# The readiness probe, declared last: bpftrace 0.17 runs BEGIN before it attaches the other probes
# ("Attaching N probes..." is printed earlier still), and attaches tracepoints in the order written,
# so once this one fires the probes before it are in place. $tools/tsb_ready is cat under that name.
BT_READY='tracepoint:syscalls:sys_enter_openat /comm == "tsb_ready"/ { printf("tsb_ready attached\n"); }'
BT_COUNT='tracepoint:syscalls:sys_enter_read,tracepoint:syscalls:sys_enter_write { @[comm] = count(); }'
BT_PRINTF='tracepoint:syscalls:sys_enter_read,tracepoint:syscalls:sys_enter_write { printf("%d %s %d\n", pid, comm, args->count); }'
ln -sf "$(command -v cat)" "$tools/tsb_ready"

# --- numbers
# median FILE COLUMN: the median of a column of a whitespace table (header line skipped); n/a if none
median() {
	awk -v c="$2" 'NR > 1 && $c ~ /^[0-9.e+-]+$/ { print $c }' "$1" | sort -g |
		awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2];
			else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# div A B [FORMAT]: A / B, or n/a
div() {
	awk -v a="$1" -v b="$2" -v f="${3:-%.3f}" 'BEGIN { if (a ~ /^[0-9.e+-]+$/ && b ~ /^[0-9.e+-]+$/ && b + 0 > 0)
		printf f "\n", a / b; else print "n/a" }'
}
# kv FILE KEY: the value of KEY=value in a rusage/first_event line
kv() {
	sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" "$1" 2>/dev/null | tail -n 1
}
# ms FILE: wall_ms of a rusage line, or n/a unless the command exited 0
ms() {
	if [ "$(kv "$1" status)" = 0 ]; then kv "$1" wall_ms; else echo n/a; fi
}
# cpu_ms FILE: user + system time of a rusage line
cpu_ms() {
	awk -v u="$(kv "$1" user_ms)" -v s="$(kv "$1" sys_ms)" 'BEGIN { if (u ~ /^[0-9.]+$/ && s ~ /^[0-9.]+$/)
		printf "%.3f\n", u + s; else print "n/a" }'
}
# fmt A FORMAT: A printed with FORMAT, or n/a
fmt() {
	awk -v a="$1" -v f="$2" 'BEGIN { if (a ~ /^[0-9.e+-]+$/) printf f "\n", a; else print "n/a" }'
}

rows=$tools/rows.txt
: >"$rows"
fails=0
# row FIGURE TUXSCOPE PEER RATIO TARGET RESULT: one line of the final table (tab-separated)
row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" >>"$rows"
	[ "$6" = FAIL ] && fails=$((fails + 1))
	return 0
}
# check VALUE OP LIMIT: PASS or FAIL (n/a fails)
check() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v !~ /^[0-9.e+-]+$/) { print "FAIL"; exit }
		ok = (op == "<=") ? (v + 0 <= l + 0) : (v + 0 >= l + 0); print ok ? "PASS" : "FAIL" }'
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "bench: $("$bin" --version 2>/dev/null | head -n 1), kernel $(uname -r), $(nproc) CPUs, load $(load)," \
	"BENCH_REPEAT=$REPEAT; raw numbers in $tools/"
echo "bench: machine load at start: $(load)" >"$tools/machine.txt"
{ uname -a; nproc; grep -m1 'model name' /proc/cpuinfo; [ $have_bt = 1 ] && bpftrace --version; } \
	>>"$tools/machine.txt" 2>&1

want() { case " $FIGURES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# ============================================================================================== 1. storm
# dd if=/dev/zero of=/dev/null bs=1: 2 events per byte. dd's wall time untraced, then under each tracer,
# started and attached before dd and stopped with SIGINT after it.
storm_dd() { # storm_dd NAME REPEAT: runs dd under rusage; prints dd's pid
	"$tools/rusage" -o "$logs/dd.$1.$2" dd if=/dev/zero of=/dev/null bs=1 count="$DD_COUNT" 2>/dev/null
	kv "$logs/dd.$1.$2" pid
}
storm_run() { # storm_run REPEAT: one line of storm.txt
	i=$1
	storm_dd base "$i" >/dev/null
	# the floor: tuxscope top counts in a BPF hash, nothing per event crosses to user space
	"$bin" top 3600 >/dev/null 2>"$logs/top.$i.err" &
	t=$!
	live="$live $t"
	if wait_for $t "$logs/top.$i.err" '^tuxscope: attached'; then storm_dd top "$i" >/dev/null; fi
	stop $t
	top_rc=$sw_rc
	# fileio --format json: every event of the system into a file
	out=$OUTDIR/tuxscope-bench.$$.json
	big_files="$big_files $out"
	"$bin" fileio --format json >"$out" 2>"$logs/fileio.$i.err" &
	t=$!
	live="$live $t"
	fio_pid=n/a
	if wait_for $t "$logs/fileio.$i.err" '^tuxscope: attached'; then fio_pid=$(storm_dd fileio "$i"); fi
	stop $t
	fio_rc=$sw_rc
	fio_recs=$(grep -c -F "{\"pid\":$fio_pid,\"" "$out")
	fio_lost=$(sed -n 's/^tuxscope: \([0-9]*\) events lost.*/\1/p' "$logs/fileio.$i.err")
	fio_lost=${fio_lost:-0}
	fio_bytes=$(stat -c %s "$out")
	rm -f "$out"
	btc_ms=n/a btp_ms=n/a btc_dd=n/a btp_dd=n/a btp_lost=n/a
	if [ $have_bt = 1 ]; then
		sh "$bt_ns" -e "$BT_COUNT $BT_READY" >"$logs/btcount.$i.out" 2>"$logs/btcount.$i.err" &
		t=$!
		live="$live $t"
		bp=n/a
		if wait_for $t "$logs/btcount.$i.out" 'tsb_ready attached' "$tools/tsb_ready"; then
			bp=$(storm_dd btcount "$i")
			btc_ms=$(ms "$logs/dd.btcount.$i")
		fi
		stop $t
		btc_dd=$(sed -n 's/^@\[dd\]: \([0-9]*\)/\1/p' "$logs/btcount.$i.out")
		out=$OUTDIR/tuxscope-bench.$$.bt
		big_files="$big_files $out"
		sh "$bt_ns" -e "$BT_PRINTF $BT_READY" >"$out" 2>"$logs/btprintf.$i.err" &
		t=$!
		live="$live $t"
		bp=n/a
		if wait_for $t "$out" 'tsb_ready attached' "$tools/tsb_ready"; then
			bp=$(storm_dd btprintf "$i")
			btp_ms=$(ms "$logs/dd.btprintf.$i")
		fi
		stop $t
		btp_dd=$(grep -c "^$bp dd " "$out")
		btp_lost=$(awk '/^Lost [0-9]+ events/ { n += $2 } END { print n + 0 }' "$out")
		rm -f "$out"
	fi
	base_ms=$(ms "$logs/dd.base.$i")
	top_ms=$(ms "$logs/dd.top.$i")
	fio_ms=$(ms "$logs/dd.fileio.$i")
	[ "$top_rc" = 0 ] || top_ms=n/a
	[ "$fio_rc" = 0 ] || fio_ms=n/a
	# dd's CPU time (user + system; the BPF programs run in its system calls): less sensitive than wall
	# time to other processes taking turns on the CPUs
	base_cpu=$(cpu_ms "$logs/dd.base.$i") top_cpu=$(cpu_ms "$logs/dd.top.$i")
	fileio_cpu=$(cpu_ms "$logs/dd.fileio.$i") btcount_cpu=$(cpu_ms "$logs/dd.btcount.$i")
	btprintf_cpu=$(cpu_ms "$logs/dd.btprintf.$i")
	[ "$base_ms" = n/a ] && base_cpu=n/a
	[ "$top_ms" = n/a ] && top_cpu=n/a
	[ "$fio_ms" = n/a ] && fileio_cpu=n/a
	[ "$btc_ms" = n/a ] && btcount_cpu=n/a
	[ "$btp_ms" = n/a ] && btprintf_cpu=n/a
	echo "$i ${base_ms:-n/a} ${top_ms:-n/a} ${fio_ms:-n/a} ${btc_ms:-n/a} ${btp_ms:-n/a}" \
		"$(div "$fio_ms" "$top_ms" %.4f) $(div "$btc_ms" "$top_ms" %.4f) $(div "$btp_ms" "$top_ms" %.4f)" \
		"$(div "$btp_ms" "$fio_ms" %.4f) $base_cpu $top_cpu $fileio_cpu $btcount_cpu $btprintf_cpu" \
		"$(div "$fileio_cpu" "$top_cpu" %.4f) $fio_recs $fio_lost $fio_bytes $btc_dd $btp_dd $btp_lost"
}
if want storm; then
	f=$tools/storm.txt
	echo "repeat dd_ms top_ms fileio_ms btcount_ms btprintf_ms fileio/top btcount/top btprintf/top" \
		"btprintf/fileio dd_cpu_ms top_cpu_ms fileio_cpu_ms btcount_cpu_ms btprintf_cpu_ms" \
		"fileio/top_cpu fileio_dd_records fileio_lost fileio_json_bytes btcount_dd btprintf_dd_lines" \
		"btprintf_lost" >"$f"
	fs=$(df -T "$OUTDIR" | awk 'NR == 2 { print $2 }')
	echo "bench: event storm: dd bs=1 count=$DD_COUNT ($((DD_COUNT * 2)) events); outputs in $OUTDIR ($fs)"
	i=1
	while [ $i -le "$REPEAT" ]; do
		storm_run $i >>"$f"
		echo "  repeat $i: $(tail -n 1 "$f" | cut -d' ' -f2-10,16-18,22) (load $(load))"
		i=$((i + 1))
	done
	base=$(median "$f" 2) top=$(median "$f" 3) fio=$(median "$f" 4) btc=$(median "$f" 5) btp=$(median "$f" 6)
	r_fio=$(median "$f" 7) r_btc=$(median "$f" 8) r_btp=$(median "$f" 9) r_btp_fio=$(median "$f" 10)
	s_top=$(div "$top" "$base" %.2f) s_fio=$(div "$fio" "$base" %.2f)
	s_btc=$(div "$btc" "$base" %.2f) s_btp=$(div "$btp" "$base" %.2f)
	res=$(check "$r_fio" "<=" 1.3)
	row "storm: fileio json slowdown / floor's" "${s_fio}x ($(fmt "$fio" %.0f) ms)" \
		"top ${s_top}x ($(fmt "$top" %.0f) ms)" "$(fmt "$r_fio" %.2f)" "<= 1.3" "$res"
	min_recs=$(awk 'NR > 1 { print $17 + 0 }' "$f" | sort -n | head -n 1)
	max_lost=$(awk 'NR > 1 { print $18 + 0 }' "$f" | sort -n | tail -n 1)
	res=PASS
	[ "${min_recs:-0}" -ge $((DD_COUNT * 2)) ] && [ "${max_lost:-1}" = 0 ] || res=FAIL
	row "storm: fileio json lost / dd records" "$max_lost / $min_recs (worst)" "-" "-" \
		"0 / >= $((DD_COUNT * 2))" "$res"
	row "storm: the same by dd's CPU time" "fileio $(fmt "$(median "$f" 13)" %.0f) ms" \
		"top $(fmt "$(median "$f" 12)" %.0f) ms" "$(fmt "$(median "$f" 16)" %.2f)" "-" "info"
	row "storm: bpftrace count slowdown / floor's" "top ${s_top}x" "bpftrace ${s_btc}x" \
		"$(fmt "$r_btc" %.2f)" "-" "info"
	btp_lost=$(median "$f" 22)
	row "storm: bpftrace printf slowdown / floor's" "top ${s_top}x" \
		"bpftrace ${s_btp}x, $(div "$btp_lost" 1000 %.0f)k lost" \
		"$(fmt "$r_btp" %.2f)" "-" "info"
	row "storm: bpftrace printf / fileio json" "fileio ${s_fio}x" "bpftrace ${s_btp}x" \
		"$(fmt "$r_btp_fio" %.2f)" "-" "info"
fi

# ====================================================================================== 2. first event
if want first; then
	f=$tools/first_event.txt
	echo "repeat tuxscope_ms bpftrace_ms ratio" >"$f"
	echo "bench: time to first event ($MARKER reads 4 bytes every ms)"
	i=1
	while [ $i -le "$REPEAT" ]; do
		"$tools/first_event" -e "$logs/first.tux.$i.err" "$MARKER" "$bin" fileio --comm "$MARKER" \
			>"$logs/first.tux.$i" 2>&1
		tms=$(kv "$logs/first.tux.$i" first_event_ms)
		bms=n/a
		if [ $have_bt = 1 ]; then
			"$tools/first_event" -e "$logs/first.bt.$i.err" "$MARKER" sh "$bt_ns" -e \
				"tracepoint:syscalls:sys_enter_read,tracepoint:syscalls:sys_enter_write /comm == \"$MARKER\"/ { printf(\"%d %s %d\\n\", pid, comm, args->count); }" \
				>"$logs/first.bt.$i" 2>&1
			bms=$(kv "$logs/first.bt.$i" first_event_ms)
		fi
		echo "$i ${tms:-n/a} ${bms:-n/a} $(div "${tms:-n/a}" "${bms:-n/a}" %.4f)" >>"$f"
		echo "  repeat $i: $(tail -n 1 "$f" | cut -d' ' -f2-) (load $(load))"
		i=$((i + 1))
	done
	tms=$(median "$f" 2) bms=$(median "$f" 3) r=$(median "$f" 4)
	row "time to first event" "$(fmt "$tms" %.1f) ms" "bpftrace $(fmt "$bms" %.1f) ms" "$(fmt "$r" %.3f)" \
		"<= 0.05" "$(check "$r" "<=" 0.05)"
fi

# ========================================================================== 3. --duration 0: start, stop
# The strace view of detaching: every close() of a perf event fd (the tracepoint attachments), summed,
# and their span from the first start to the last end (the detach runs them in parallel threads).
strace_close() {
	awk '
	function secs(t,  a) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
	/perf_event_open\(/ && /= [0-9]+ </ { fd = $0; sub(/.*= /, "", fd); sub(/ .*/, "", fd); perf[fd] = 1 }
	/ close\([0-9]+/ {
		fd = $0; sub(/.* close\(/, "", fd); sub(/[^0-9].*/, "", fd)
		if (!(fd in perf)) next
		delete perf[fd]
		if ($0 ~ /unfinished/) { pend[$1] = secs($2); next }
		d = $0; sub(/.*</, "", d); sub(/>.*/, "", d)
		add(secs($2), d)
	}
	/<\.\.\. close resumed>/ && ($1 in pend) {
		d = $0; sub(/.*</, "", d); sub(/>.*/, "", d)
		add(pend[$1], d); delete pend[$1]
	}
	function add(start, d) { n++; sum += d; if (!first || start < first) first = start
		if (start + d > last) last = start + d }
	END { printf "%d %.3f %.3f\n", n, sum * 1000, n ? (last - first) * 1000 : 0 }' "$1"
}
if want start; then
	f=$tools/start.txt
	echo "repeat tux_wall_ms tux_maxrss_kb bt_wall_ms bt_maxrss_kb wall_ratio rss_ratio explain_wall_ms" \
		"detach_ms detach_share" >"$f"
	echo "bench: fileio --duration 0 (attach, then exit at once), beside bpftrace with BEGIN { exit(); }"
	i=1
	while [ $i -le "$REPEAT" ]; do
		"$tools/rusage" -o "$logs/start.tux.$i" "$bin" fileio --duration 0 >/dev/null 2>"$logs/start.tux.$i.err"
		tw=$(ms "$logs/start.tux.$i") tr=$(kv "$logs/start.tux.$i" maxrss_kb)
		[ "$tw" = n/a ] && tr=n/a
		bw=n/a br=n/a
		if [ $have_bt = 1 ]; then
			"$tools/rusage" -o "$logs/start.bt.$i" sh "$bt_ns" -e "$BT_PRINTF BEGIN { exit(); }" \
				>"$logs/start.bt.$i.out" 2>"$logs/start.bt.$i.err"
			bw=$(ms "$logs/start.bt.$i") br=$(kv "$logs/start.bt.$i" maxrss_kb)
			[ "$bw" = n/a ] && br=n/a
		fi
		# --explain: the lead's step "NN. detach total: X.XXX ms ...", in a run of its own
		"$tools/rusage" -o "$logs/start.explain.$i" "$bin" fileio --duration 0 --explain \
			>/dev/null 2>"$logs/start.explain.$i.err"
		ew=$(ms "$logs/start.explain.$i")
		dm=$(sed -n 's/.*detach total: \([0-9.]*\) ms.*/\1/p' "$logs/start.explain.$i.err" | tail -n 1)
		echo "$i ${tw:-n/a} ${tr:-n/a} ${bw:-n/a} ${br:-n/a} $(div "$tw" "$bw" %.4f) $(div "$tr" "$br" %.4f)" \
			"${ew:-n/a} ${dm:-n/a} $(div "${dm:-n/a}" "${ew:-n/a}" %.4f)" >>"$f"
		echo "  repeat $i: $(tail -n 1 "$f" | cut -d' ' -f2-) (load $(load))"
		i=$((i + 1))
	done
	tw=$(median "$f" 2) tr=$(median "$f" 3) bw=$(median "$f" 4) br=$(median "$f" 5)
	row "fileio --duration 0: wall time" "$(fmt "$tw" %.1f) ms" "bpftrace $(fmt "$bw" %.1f) ms" \
		"$(fmt "$(median "$f" 6)" %.3f)" "-" "info"
	row "fileio --duration 0: peak RSS" "$(fmt "$tr" %.0f) KB" "bpftrace $(fmt "$br" %.0f) KB" \
		"$(fmt "$(median "$f" 7)" %.3f)" "<= 4096 KB" "$(check "$tr" "<=" 4096)"
	dm=$(median "$f" 9) ew=$(median "$f" 8)
	row "fileio --duration 0: detach (--explain)" "$(fmt "$dm" %.1f) ms" "of $(fmt "$ew" %.1f) ms wall" \
		"$(fmt "$(median "$f" 10)" %.2f)" "-" "info"
	if command -v strace >/dev/null 2>&1; then
		strace -f -T -tt -e trace=perf_event_open,close -o "$logs/strace.txt" \
			"$bin" fileio --duration 0 >/dev/null 2>&1
		# shellcheck disable=SC2046 # three numbers
		set -- $(strace_close "$logs/strace.txt")
		echo "perf_event_fds_closed=$1 close_sum_ms=$2 close_span_ms=$3" >"$tools/strace_close.txt"
		row "  cross-check: strace close(perf fds)" "$1 closes, span $(fmt "$3" %.1f) ms" \
			"sum $(fmt "$2" %.1f) ms" "-" "-" "info"
	fi
fi

# ============================================================================================== 4. size
if want size; then
	f=$tools/size.txt
	btbin=n/a btsize=n/a btlibs=n/a
	if [ $have_bt = 1 ]; then
		btbin=$(readlink -f "$(command -v bpftrace)")
		btsize=$(stat -c %s "$btbin")
		# with the shared libraries it loads (informative: tuxscope has none)
		btlibs=$(ldd "$btbin" 2>/dev/null | awk '/=> \// { print $3 }' | xargs readlink -f |
			xargs stat -c %s | awk -v s="$btsize" '{ s += $1 } END { print s }')
	fi
	: >"$f"
	for b in "$bin" "$(dirname "$bin")/arm64/tuxscope"; do
		[ -f "$b" ] || continue
		case $b in */arm64/*) arch=arm64 strip=aarch64-linux-gnu-strip ;; *) arch=x86_64 strip=strip ;; esac
		command -v $strip >/dev/null 2>&1 || strip=llvm-strip
		$strip -o "$logs/stripped.$arch" "$b" 2>/dev/null || cp "$b" "$logs/stripped.$arch"
		size=$(stat -c %s "$logs/stripped.$arch")
		echo "$arch $b stripped_bytes=$size bpftrace=$btbin bytes=$btsize with_shared_libs=$btlibs" >>"$f"
		row "size: stripped static binary ($arch)" "$size B" "bpftrace $btsize B" \
			"$(div "$size" "$btsize" %.4f)" "<= 153600 B" "$(check "$size" "<=" 153600)"
	done
	[ "$btlibs" = n/a ] || row "  bpftrace with its shared libraries" "-" "$btlibs B" \
		"$(div "$(stat -c %s "$logs/stripped.x86_64")" "$btlibs" %.5f)" "-" "info"
fi

# =========================================================================================== 5. format
if want fmt; then
	f=$tools/fmt.txt
	echo "repeat build format tuxscope_eps naive_eps ratio" >"$f"
	echo "bench: formatting throughput (no kernel), ${FMT_SECONDS}s per measurement"
	i=1
	while [ $i -le "$REPEAT" ]; do
		for b in ship O2; do
			tool=$tools/fmt_bench
			[ $b = O2 ] && tool=$tools/fmt_bench_O2
			"$tool" "$FMT_SECONDS" >"$logs/fmt.$b.$i" 2>&1 || echo "error" >>"$logs/fmt.$b.$i"
			for fm in json table; do
				te=$(sed -n "s/^format=$fm .*tuxscope_eps=\\([0-9]*\\).*/\\1/p" "$logs/fmt.$b.$i")
				ne=$(sed -n "s/^format=$fm .*naive_eps=\\([0-9]*\\).*/\\1/p" "$logs/fmt.$b.$i")
				echo "$i $b $fm ${te:-n/a} ${ne:-n/a} $(div "${te:-n/a}" "${ne:-n/a}" %.3f)" >>"$f"
			done
		done
		echo "  repeat $i: $(awk -v i=$i '$1 == i { printf "%s/%s %s vs %s; ", $2, $3, $4, $5 }' "$f")"
		i=$((i + 1))
	done
	for b in ship O2; do
		for fm in json table; do
			awk -v b=$b -v fm=$fm 'NR == 1 || ($2 == b && $3 == fm)' "$f" >"$logs/fmt.sel"
			te=$(median "$logs/fmt.sel" 4) ne=$(median "$logs/fmt.sel" 5) r=$(median "$logs/fmt.sel" 6)
			if [ $b = ship ] && [ $fm = json ]; then
				tgt=">= 10 M/s" res=$(check "$te" ">=" 10000000)
			else
				tgt="-" res=info
			fi
			what="as shipped: ${BENCH_CFLAGS:-CFLAGS}"
			[ $b = O2 ] && what="-O2"
			row "format $fm, events/s ($what)" "$(fmt "$te" %.0f)" "fprintf $(fmt "$ne" %.0f)" \
				"$(fmt "$r" %.2f)" "$tgt" "$res"
		done
	done
fi

# ============================================================================================== table
echo "bench: machine load at end: $(load)" >>"$tools/machine.txt"
{
	printf '%-46s %-24s %-28s %-7s %-15s %s\n' FIGURE tuxscope peer ratio target result
	awk -F '\t' '{ printf "%-46s %-24s %-28s %-7s %-15s %s\n", $1, $2, $3, $4, $5, $6 }' "$rows"
} | tee "$tools/results.txt"
{
	echo "| figure | tuxscope | peer | ratio | target | result |"
	echo "|---|---|---|---|---|---|"
	awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$rows"
} >"$tools/results.md"
echo "bench: $REPEAT repeats, medians; load at start and end: $(head -n 1 "$tools/machine.txt" | sed 's/.*: //')" \
	"/ $(load); results in $tools/results.txt and results.md"
if [ $fails -gt 0 ]; then
	echo "bench: $fails target(s) missed"
	[ "${BENCH_IGNORE_FAIL:-0}" = 1 ] && exit 0
	exit 1
fi
echo "bench: every target met"
