#!/bin/sh
# run.sh: tests of the static binary on this machine's own kernel (root): build facts, usage errors,
# and what tuxscope says where the kernel lacks a mechanism. Prints "ok - NAME" / "not ok - NAME: why".
set -u
bin=${1:-build/tuxscope}
rwload=$(dirname "$bin")/rwload
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

ok() { echo "ok - host: $1"; }
nok() { echo "not ok - host: $1: $2"; fails=$((fails + 1)); }

# expect_error NAME EXIT PATTERN cmd...: exits EXIT, prints nothing on stdout and exactly one stderr
# line that starts with "tuxscope: " and matches PATTERN.
expect_error() {
	name=$1 want=$2 pat=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -ne "$want" ]; then
		nok "$name" "exit $rc, want $want ($(head -c 200 "$tmp/err"))"
	elif [ "$lines" -ne 1 ] || ! grep -q '^tuxscope: ' "$tmp/err"; then
		nok "$name" "want one 'tuxscope: ' line on stderr, got $lines: $(head -c 300 "$tmp/err")"
	elif ! grep -qE -e "$pat" "$tmp/err"; then
		nok "$name" "stderr does not match /$pat/: $(cat "$tmp/err")"
	elif [ -s "$tmp/out" ]; then
		nok "$name" "unexpected stdout: $(head -c 200 "$tmp/out")"
	else
		ok "$name"
	fi
}

if [ ! -x "$bin" ]; then
	nok "binary" "$bin is missing: run make"
	exit 1
fi

# --- what the build produced
if file "$bin" | grep -q 'statically linked'; then ok "binary is statically linked"; else
	nok "binary is statically linked" "$(file "$bin")"; fi
if strings "$bin" | grep -qiE 'libbpf|libelf'; then nok "no libbpf or libelf inside" "found"; else
	ok "no libbpf or libelf inside"; fi
strip -o "$tmp/stripped" "$bin" && size=$(stat -c %s "$tmp/stripped")
if [ "${size:-999999999}" -le 153600 ]; then ok "stripped size $size <= 150 KB"; else
	nok "stripped size <= 150 KB" "$size bytes"; fi

# the aarch64 build (make ARCH=arm64) is held to the same: static, no libbpf, <= 150 KB stripped
a64=$(dirname "$bin")/arm64/tuxscope
if [ -x "$a64" ]; then
	size=$(stat -c %s "$a64")
	if file "$a64" | grep -q 'ARM aarch64.*statically linked' && [ "$size" -le 153600 ] &&
		! strings "$a64" | grep -qiE 'libbpf|libelf'; then
		ok "arm64 binary: static aarch64, $size bytes <= 150 KB"
	else
		nok "arm64 binary: static aarch64, <= 150 KB" "$(file "$a64"), $size bytes"
	fi
else
	nok "arm64 binary" "$a64 is missing: make ARCH=arm64"
fi

# --- help and version
if "$bin" --version | grep -qE '^tuxscope [0-9]+\.[0-9]+'; then ok "--version"; else nok "--version" "bad"; fi
if "$bin" fileio --help | grep -q -- '--pid'; then ok "fileio --help"; else nok "fileio --help" "bad"; fi
if "$bin" --help | grep -q 'fileio'; then ok "--help"; else nok "--help" "bad"; fi

# --- usage errors: exit 2, one line
expect_error "--pid abc" 2 "--pid" "$bin" fileio --pid abc
expect_error "--pid 0" 2 "--pid" "$bin" fileio --pid 0
expect_error "--pid without value" 2 "--pid" "$bin" fileio --pid
expect_error "--count -1" 2 "--count" "$bin" fileio --count -1
expect_error "--count 0" 2 "--count" "$bin" fileio --count 0
expect_error "--duration abc" 2 "--duration" "$bin" fileio --duration abc
expect_error "--format xml" 2 "--format" "$bin" fileio --format xml
expect_error "--comm too long" 2 "--comm" "$bin" fileio --comm 0123456789abcdef
expect_error "unknown option" 2 "unknown option '--bogus'" "$bin" fileio --bogus
expect_error "unknown command" 2 "unknown command 'nosuch'" "$bin" nosuch
expect_error "stray argument" 2 "unexpected argument" "$bin" fileio extra


# --- not root: the first bpf() call that needs privileges is refused, and the line says so
if command -v setpriv >/dev/null 2>&1; then
	expect_error "not root: clear error" 1 "Operation not permitted \\(run as root" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$bin" fileio
else
	nok "not root" "setpriv (util-linux) is missing"
fi

# --- tracepoint mode: the mechanism this kernel offers (no kprobes, fentry refused)
tracefs_was_mounted=$(grep -c ' tracefs ' /proc/mounts)

# start_tracer ARGS...: tuxscope fileio ARGS in the background (pid in $tpid, stdout in $tmp/t.out,
# stderr in $tmp/t.err), returning once it says it is attached (10 s at most).
start_tracer() {
	rm -f "$tmp/t.out" "$tmp/t.err" # a stale "attached" from the last run must not count
	"$bin" fileio "$@" >"$tmp/t.out" 2>"$tmp/t.err" &
	tpid=$!
	i=0
	while ! grep -q 'attached' "$tmp/t.err" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$tpid" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
}

# stop_tracer SIGNAL: sends it and sets $trc to the tracer's exit status.
stop_tracer() {
	kill "-$1" "$tpid" 2>/dev/null
	wait "$tpid"
	trc=$?
}

# run_workload OPS...: rwload, held after its work so /proc/PID/io stays readable; pid in $wpid.
run_workload() {
	rm -f "$tmp/go" "$tmp/done"
	"$rwload" --wait "$tmp/go" --done "$tmp/done" --hold "$@" &
	wpid=$!
}
finish_workload() {
	touch "$tmp/go"
	i=0
	while [ ! -e "$tmp/done" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
	sleep 0.3 # let the tracer drain its 10 ms poll
}

# count_json OP BYTES: how many JSON events of that op and size in $tmp/t.out
count_json() {
	grep -c "^{\"pid\":$wpid,\"op\":\"$1\",\"bytes\":$2,\"comm\":\"rwload\",\"timestamp_ns\":[0-9]*}\$" "$tmp/t.out"
}

ops="read:4096:50 write:4096:40 pread:100:7 pwrite:200:6 readv:3000:5 writev:3001:4 preadv:999:3 pwritev:12:2 preadv2:4097:2 pwritev2:65536:1"
run_workload $ops
if start_tracer --pid "$wpid" --format json; then
	sleep 0.2
	# exec itself reads the binary's headers with kernel_read(), which counts in rchar but is no
	# system call: compare what the workload's calls add, from a baseline taken while it waits.
	rchar0=$(awk '/^rchar:/ {print $2}' "/proc/$wpid/io")
	wchar0=$(awk '/^wchar:/ {print $2}' "/proc/$wpid/io")
	finish_workload
	stop_tracer INT
	line=$(cat "$tmp/t.err")
	case "$line" in
	*"attached tracepoint"*"system call view"*"skipped kprobe: no kprobe PMU"*"fentry:"*"kprobe-legacy: no kprobe_events"*)
		ok "auto picks tracepoint and says why the others were skipped" ;;
	*) nok "auto picks tracepoint and says why the others were skipped" "$line" ;;
	esac
	[ "$trc" -eq 0 ] && ok "tracepoint: SIGINT ends it with 0" || nok "tracepoint: SIGINT ends it with 0" "exit $trc"
	bad=""
	for spec in $ops; do
		op=${spec%%:*} rest=${spec#*:}
		size=${rest%%:*} n=${rest#*:}
		case $op in *read*) kind=read ;; *) kind=write ;; esac
		got=$(count_json $kind "$size")
		[ "$got" -eq "$n" ] || bad="$bad $op:$size want $n got $got;"
	done
	total=$(grep -c . "$tmp/t.out")
	want=$(echo "$ops" | tr ' ' '\n' | awk -F: '{s += $3} END {print s}')
	[ "$total" -eq "$want" ] || bad="$bad $total events for the pid, want $want;"
	if [ -z "$bad" ]; then ok "tracepoint: exact events for each of the 10 system calls (vectored: iovec sums)"
	else nok "tracepoint: exact events for each of the 10 system calls" "$bad"; fi

	rchar=$(($(awk '/^rchar:/ {print $2}' "/proc/$wpid/io") - rchar0))
	wchar=$(($(awk '/^wchar:/ {print $2}' "/proc/$wpid/io") - wchar0))
	rsum=$(grep '"op":"read"' "$tmp/t.out" | sed 's/.*"bytes":\([0-9]*\).*/\1/' | awk '{s += $1} END {print s + 0}')
	wsum=$(grep '"op":"write"' "$tmp/t.out" | sed 's/.*"bytes":\([0-9]*\).*/\1/' | awk '{s += $1} END {print s + 0}')
	if [ "$rsum" = "$rchar" ] && [ "$wsum" = "$wchar" ]; then
		ok "tracepoint: byte totals equal /proc/PID/io (rchar $rchar, wchar $wchar)"
	else
		nok "tracepoint: byte totals equal /proc/PID/io" "read $rsum vs rchar $rchar, write $wsum vs wchar $wchar"
	fi
else
	nok "tracepoint: attach" "$(cat "$tmp/t.err")"
	finish_workload
fi
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null

# --comm: only the named task, while another task does I/O too
run_workload read:777:20 write:778:10
if start_tracer --comm rwload --format table; then
	dd if=/dev/zero of=/dev/null bs=779 count=30 2>/dev/null
	finish_workload
	stop_tracer TERM
	others=$(awk 'NR > 1 && $2 != "rwload"' "$tmp/t.out" | wc -l)
	reads=$(awk -v p="$wpid" '$1 == p && $3 == "read" && $4 == 777' "$tmp/t.out" | wc -l)
	writes=$(awk -v p="$wpid" '$1 == p && $3 == "write" && $4 == 778' "$tmp/t.out" | wc -l)
	dds=$(grep -c ' 779 ' "$tmp/t.out")
	if [ "$others" -eq 0 ] && [ "$reads" -eq 20 ] && [ "$writes" -eq 10 ] && [ "$dds" -eq 0 ] && [ "$trc" -eq 0 ]; then
		ok "tracepoint: --comm keeps only that task; SIGTERM exits 0"
	else
		nok "tracepoint: --comm" "others $others reads $reads/20 writes $writes/10 dd $dds exit $trc"
	fi
else
	nok "tracepoint: --comm attach" "$(cat "$tmp/t.err")"
fi
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null

# --count: exits by itself after exactly N events
run_workload write:5:100
if start_tracer --pid "$wpid" --count 3; then
	finish_workload
	i=0
	while kill -0 "$tpid" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
	stop_tracer KILL # only if it did not end by itself: then $trc is 137 and the test fails
	n=$(($(wc -l <"$tmp/t.out") - 1))
	[ "$trc" -eq 0 ] && [ "$n" -eq 3 ] && ok "tracepoint: --count 3 exits 0 after 3 events" ||
		nok "tracepoint: --count 3" "exit $trc, $n events"
else nok "tracepoint: --count attach" "$(cat "$tmp/t.err")"; fi
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null

# SIGHUP, and a closed output pipe
if start_tracer --duration 30; then
	stop_tracer HUP
	[ "$trc" -eq 0 ] && ok "tracepoint: SIGHUP exits 0" || nok "tracepoint: SIGHUP exits 0" "exit $trc"
else nok "tracepoint: SIGHUP" "no attach"; fi
( timeout 20 "$bin" fileio 2>/dev/null; echo $? >"$tmp/pipe.rc" ) | head -3 >/dev/null
[ "$(cat "$tmp/pipe.rc")" = 0 ] && ok "tracepoint: | head -3 ends it with 0" ||
	nok "tracepoint: | head -3 ends it with 0" "exit $(cat "$tmp/pipe.rc")"

# --duration: exits by itself
timeout 20 "$bin" fileio --duration 0.5 >/dev/null 2>&1
drc=$?
[ "$drc" -eq 0 ] && ok "tracepoint: --duration 0.5 exits 0" || nok "tracepoint: --duration 0.5" "exit $drc"

# never itself: its own output would otherwise feed it events
timeout 20 "$bin" fileio --comm tuxscope --duration 1 >"$tmp/self.out" 2>/dev/null
n=$(($(wc -l <"$tmp/self.out") - 1))
[ "$n" -eq 0 ] && ok "tracepoint: never reports itself" || nok "tracepoint: never reports itself" "$n events"

# forced mechanisms this kernel lacks: one clear line, exit 1
expect_error "--attach kprobe here: clear error" 1 "kprobe vfs_read: .*no kprobe PMU" "$bin" fileio --attach kprobe
expect_error "--attach fentry here: clear error" 1 "fentry" "$bin" fileio --attach fentry
expect_error "--attach kprobe-legacy here: clear error" 1 "kprobe-legacy .*no kprobe_events" "$bin" fileio --attach kprobe-legacy
expect_error "--attach nosuch" 2 "--attach" "$bin" fileio --attach nosuch
expect_error "--functions: no fallback to system calls" 1 "--functions needs a VFS mechanism" "$bin" fileio --functions vfs_read,vfs_write
expect_error "--functions with tracepoint" 2 "--functions" "$bin" fileio --attach tracepoint --functions a,b

# --- fileio --actual and --filename in the system call view
run_workload read:300:4 write:200:3
if start_tracer --pid "$wpid" --actual --filename --format json; then
	finish_workload
	stop_tracer INT
	good=$(grep -cE "^\{\"pid\":$wpid,\"op\":\"(read|write)\",\"bytes\":(300|200),\"comm\":\"rwload\",\"timestamp_ns\":[0-9]+,\"actual\":(300|200),\"error\":null,\"file\":null\}\$" "$tmp/t.out")
	if [ "$good" -eq 7 ] && grep -q 'file names are not available in the system call view' "$tmp/t.err"; then
		ok "tracepoint: --actual pairs each call with its return; --filename says names are not available"
	else
		nok "tracepoint: --actual/--filename" "$good of 7 lines right: $(head -c 300 "$tmp/t.out") / $(cat "$tmp/t.err")"
	fi
else nok "tracepoint: --actual attach" "$(cat "$tmp/t.err")"; fi
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null

# --actual shows a failing read by its error name (EISDIR: reading a directory)
if start_tracer --comm cat --actual --format json; then
	cat / 2>/dev/null
	sleep 0.3
	stop_tracer INT
	if grep -q '"actual":0,"error":"EISDIR"' "$tmp/t.out"; then ok "tracepoint: --actual names the error (EISDIR)"
	else nok "tracepoint: --actual names the error (EISDIR)" "$(head -c 300 "$tmp/t.out")"; fi
else nok "tracepoint: --actual EISDIR attach" "$(cat "$tmp/t.err")"; fi

# --- top: VFS bytes beside block bytes. A file read twice after dropping the page cache: the VFS
# sees both reads, the block layer only the first. This machine's disk is real; the VMs' root is
# an initramfs, where nothing ever reaches a block device.
data=/var/tmp/tuxscope-test.$$
head -c 1048576 /dev/urandom >"$data" && sync && echo 3 >/proc/sys/vm/drop_caches
rm -f "$tmp/go" "$tmp/done"
"$rwload" --in "$data" --wait "$tmp/go" --done "$tmp/done" --hold read:65536:16 rewind:0:1 read:65536:16 &
wpid=$!
"$bin" top -C --pid "$wpid" --format json 1 4 >"$tmp/top.out" 2>"$tmp/top.err" &
tpid=$!
sleep 0.5
touch "$tmp/go"
wait "$tpid"
trc=$?
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
rm -f "$data"
vfs=$(sed 's/.*"read_bytes":\([0-9]*\).*/\1/;t;d' "$tmp/top.out" | awk '{s += $1} END {print s + 0}')
blk=$(sed 's/.*"blk_read_bytes":\([0-9]*\).*/\1/;t;d' "$tmp/top.out" | awk '{s += $1} END {print s + 0}')
rows=$(grep -c '^{"timestamp_ns":[0-9]*,"interval_ms":1000,"rows":\[' "$tmp/top.out")
# the block layer may read ahead a little more than the file, never twice the file
if [ "$trc" -eq 0 ] && [ "$rows" -eq 4 ] && [ "$vfs" -eq 2097152 ] && [ "$blk" -ge 1048576 ] && [ "$blk" -lt 1572864 ]; then
	ok "top: file read twice after drop_caches: VFS $vfs bytes, block $blk bytes"
else
	nok "top: VFS against block bytes" "exit $trc, $rows intervals, VFS $vfs (want 2097152), block $blk (want ~1048576): $(head -c 400 "$tmp/top.out") $(cat "$tmp/top.err")"
fi

# top's totals equal the sum of the stream's events for the same workload
run_workload read:1000:30 write:3000:20 readv:999:5
"$bin" top -C --pid "$wpid" --format json 0.5 6 >"$tmp/top.out" 2>/dev/null &
topid=$!
if start_tracer --pid "$wpid" --format json; then
	sleep 0.5
	finish_workload
	stop_tracer INT
	wait "$topid"
	sr=$(grep -c '"op":"read"' "$tmp/t.out"); sw=$(grep -c '"op":"write"' "$tmp/t.out")
	srb=$(grep '"op":"read"' "$tmp/t.out" | sed 's/.*"bytes":\([0-9]*\).*/\1/' | awk '{s += $1} END {print s + 0}')
	swb=$(grep '"op":"write"' "$tmp/t.out" | sed 's/.*"bytes":\([0-9]*\).*/\1/' | awk '{s += $1} END {print s + 0}')
	tr=$(sed 's/.*"reads":\([0-9]*\).*/\1/;t;d' "$tmp/top.out" | awk '{s += $1} END {print s + 0}')
	tw=$(sed 's/.*"writes":\([0-9]*\).*/\1/;t;d' "$tmp/top.out" | awk '{s += $1} END {print s + 0}')
	trb=$(sed 's/.*"read_bytes":\([0-9]*\).*/\1/;t;d' "$tmp/top.out" | awk '{s += $1} END {print s + 0}')
	twb=$(sed 's/.*"write_bytes":\([0-9]*\).*/\1/;t;d' "$tmp/top.out" | awk '{s += $1} END {print s + 0}')
	if [ "$sr" = 35 ] && [ "$sr $sw $srb $swb" = "$tr $tw $trb $twb" ]; then
		ok "top: totals equal the stream's sums ($tr reads, $tw writes, $trb and $twb bytes)"
	else
		nok "top: totals equal the stream's sums" "stream $sr $sw $srb $swb, top $tr $tw $trb $twb"
	fi
else nok "top: totals attach" "$(cat "$tmp/t.err")"; wait "$topid"; fi
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null

# top: plain text when piped (no escape codes), sorted, rows limited, and its errors
run_workload write:10:50 read:20:10
touch "$tmp/go"
"$bin" top --rows 1 --sort writes --pid "$wpid" 0.5 2 >"$tmp/top.out" 2>/dev/null
trc=$?
if [ "$trc" -eq 0 ] && ! grep -q "$(printf '\033')" "$tmp/top.out" && grep -q '^PID    COMM             READS     WRITES    R_BYTES      W_BYTES      BLK_R_BYTES  BLK_W_BYTES$' "$tmp/top.out"; then
	ok "top: plain text when piped, with its header"
else
	nok "top: plain text when piped" "exit $trc: $(head -c 300 "$tmp/top.out" | od -c | head -5)"
fi
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
expect_error "top --by-file in the system call view" 1 "--by-file needs a VFS mechanism; none attaches on this kernel: kprobe: no kprobe PMU" "$bin" top --by-file 1 1
expect_error "top --sort nosuch" 2 "--sort" "$bin" top --sort nosuch
expect_error "top --rows 0" 2 "--rows" "$bin" top --rows 0
expect_error "top bad interval" 2 "interval" "$bin" top abc
expect_error "top bad count" 2 "count" "$bin" top 1 0
expect_error "top stray argument" 2 "unexpected argument" "$bin" top 1 2 3

# --- explain ---
# --explain: a numbered narrative on stderr of each system call of the load, then the usual output
"$bin" fileio --explain --comm tuxscope_none --duration 0 >"$tmp/ex.out" 2>"$tmp/ex.err"
exrc=$?
grep -E '^ *[0-9]+\. ' "$tmp/ex.err" | sed -E 's/^ *([0-9]+)\. .*/\1/' >"$tmp/ex.steps"
nsteps=$(wc -l <"$tmp/ex.steps")
if [ "$exrc" -eq 0 ] && [ "$nsteps" -ge 20 ] && [ "$(seq 1 "$nsteps")" = "$(cat "$tmp/ex.steps")" ] &&
	head -1 "$tmp/ex.err" | grep -q '^tuxscope: --explain: ' &&
	head -1 "$tmp/ex.out" | grep -q '^PID '; then
	ok "explain: steps numbered 1..$nsteps on stderr, output as usual on stdout"
else
	nok "explain: numbered steps" "exit $exrc, $nsteps steps: $(head -c 300 "$tmp/ex.err")"
fi
# each key step, with its arguments and result
exline() { grep -E "^ *[0-9]+\. $1" "$tmp/ex.err"; }
ring_fd=$(exline 'BPF_MAP_CREATE map_name=events map_type=RINGBUF key_size=0 value_size=0 max_entries=[0-9]+ map_flags=0 -> fd [0-9]+$' |
	sed -E 's/.* -> fd ([0-9]+)$/\1/')
if [ -n "$ring_fd" ] &&
	exline "parse the BPF ELF object \([0-9]+ bytes, embedded by loader/embed.S\): [0-9]+ program sections, 6 map definitions" >/dev/null &&
	exline "mmap\(events fd $ring_fd, 4096 bytes, PROT_READ\|PROT_WRITE" >/dev/null &&
	exline "mmap\(events fd $ring_fd, 4096 \+ 2 x [0-9]+ bytes, PROT_READ, MAP_SHARED, offset 4096\)" >/dev/null; then
	ok "explain: the ring buffer's BPF_MAP_CREATE and its two mmaps name the same fd ($ring_fd)"
else
	nok "explain: ring buffer steps" "$(grep -E 'events|mmap|parse' "$tmp/ex.err" | head -5)"
fi
prog_fd=$(exline 'BPF_PROG_LOAD prog_name=sys_enter_rw prog_type=TRACEPOINT .* insn_cnt=[0-9]+ license="GPL" .* -> fd [0-9]+ \([0-9.]+ ms\)$' |
	sed -E 's/.* -> fd ([0-9]+) .*/\1/')
if [ -n "$prog_fd" ] &&
	grep -qE '^ +verifier: processed [0-9]+ insns' "$tmp/ex.err" &&
	exline 'link \.text \([0-9]+ insns\) after tracepoint/syscalls/sys_enter_rw at insn [0-9]+' >/dev/null &&
	exline 'relocate \.text: [0-9]+ ld_imm64 instructions get a map.s fd' >/dev/null &&
	exline "ioctl\(fd [0-9]+, PERF_EVENT_IOC_SET_BPF, prog fd $prog_fd\) -> 0$" >/dev/null &&
	exline 'ioctl\(fd [0-9]+, PERF_EVENT_IOC_ENABLE\) -> 0' >/dev/null; then
	ok "explain: relocation, .text link, BPF_PROG_LOAD with the verifier's totals, SET_BPF of that fd"
else
	nok "explain: program steps" "$(grep -E 'PROG_LOAD|verifier|ioctl|link' "$tmp/ex.err" | head -5)"
fi
# the tracepoint's id in the perf_event_open step is the one tracefs gives
tp_id=$(exline 'read /sys/kernel(/debug)?/tracing/events/syscalls/sys_enter_read/id -> [0-9]+$' | sed -E 's/.* -> //')
if [ -n "$tp_id" ] && exline "perf_event_open type=2 \(PERF_TYPE_TRACEPOINT\) config=$tp_id \(the event's id\) pid=-1 cpu=0 -> fd [0-9]+" >/dev/null; then
	ok "explain: perf_event_open of sys_enter_read uses the id read from tracefs ($tp_id)"
else
	nok "explain: perf_event_open" "id '$tp_id': $(grep -E 'perf_event_open|/id' "$tmp/ex.err" | head -3)"
fi
# why the better mechanisms were not used, and the teardown with its timing
if exline 'kprobe failed at prepare vfs_read: No such device; no kprobe PMU' >/dev/null &&
	exline 'BPF_PROG_LOAD prog_type=TRACING attach_btf_id=0 insn_cnt=2 .* -> EPERM' >/dev/null &&
	[ "$(exline 'close\(fd [0-9]+\): the last reference to syscalls/sys_enter_[a-z0-9]+.s perf event' | wc -l)" -eq 10 ] &&
	tail -1 "$tmp/ex.err" | grep -qE '^ *[0-9]+\. detach total: [0-9]+\.[0-9]{3} ms'; then
	ok "explain: skipped mechanisms, ten timed closes, the detach total last"
else
	nok "explain: teardown" "$(tail -3 "$tmp/ex.err")"
fi
# without --explain, no narrative
"$bin" fileio --comm tuxscope_none --duration 0 >/dev/null 2>"$tmp/noex.err"
if [ "$(wc -l <"$tmp/noex.err")" -eq 1 ] && grep -q '^tuxscope: attached ' "$tmp/noex.err"; then
	ok "explain: off by default (stderr is the attached line only)"
else
	nok "explain: off by default" "$(head -3 "$tmp/noex.err")"
fi
# a failing load is narrated up to the failure, then the usual one error line, then the clean-up
"$bin" fileio --explain --attach kprobe --duration 0 >/dev/null 2>"$tmp/exf.err"
exfrc=$?
not_steps=$(sed -n '/^tuxscope: prepare/,$p' "$tmp/exf.err" | sed 1d | grep -cvE '^ *[0-9]+\. ')
if [ "$exfrc" -eq 1 ] && grep -q '^tuxscope: prepare kprobe vfs_read: No such device (no kprobe PMU)$' "$tmp/exf.err" &&
	[ "$(grep -c '^tuxscope: ' "$tmp/exf.err")" -eq 2 ] && [ "$not_steps" -eq 0 ]; then
	ok "explain: a forced mechanism that fails: the steps, one error line, the clean-up steps, exit 1"
else
	nok "explain: failure" "exit $exfrc: $(tail -2 "$tmp/exf.err")"
fi
"$bin" top --explain --comm tuxscope_none -C 0.1 1 >/dev/null 2>"$tmp/ext.err"
if grep -qE '^ *[0-9]+\. BPF_MAP_CREATE map_name=totals map_type=HASH key_size=16 value_size=[0-9]+ max_entries=10240' "$tmp/ext.err" &&
	grep -qE '^ *[0-9]+\. detach total: ' "$tmp/ext.err"; then
	ok "explain: top narrates too (totals sized for top)"
else
	nok "explain: top" "$(head -3 "$tmp/ext.err")"
fi

"$bin" inspect --explain --embedded >"$tmp/exi.out" 2>"$tmp/exi.err"
if [ $? -eq 0 ] && grep -qE '^  1\. embedded: [0-9]+ bytes in memory' "$tmp/exi.err" &&
	grep -qE '^  2\. bpf_object_parse .*no system call' "$tmp/exi.err" && grep -q '^object: embedded' "$tmp/exi.out"; then
	ok "explain: inspect --explain tells its two steps, then the report"
else
	nok "explain: inspect" "$(head -3 "$tmp/exi.err")"
fi

# nothing left behind
if command -v bpftool >/dev/null 2>&1; then
	left=$(bpftool prog show 2>/dev/null | grep -cE 'name (sys_enter_|trace_vfs_|fentry_vfs_)')
	[ "$left" -eq 0 ] && ok "no tuxscope program left loaded" || nok "no tuxscope program left loaded" "$left"
else
	nok "no tuxscope program left loaded" "bpftool is missing (make deps)"
fi
now_mounted=$(grep -c ' tracefs ' /proc/mounts)
[ "$now_mounted" -eq "$tracefs_was_mounted" ] && ok "tracefs mount state left as found" ||
	nok "tracefs mount state left as found" "was $tracefs_was_mounted mounts, now $now_mounted"

# --- inspect ---
# tuxscope inspect on the foreign objects of tests/fixtures (built by `make fixtures` beside the binary),
# on the embedded object, and on files it must refuse with one line and exit 1 (2 for usage errors).
fixdir=$(dirname "$bin")/fixtures

# inspect_ok NAME FILE...: `tuxscope inspect FILE...` exits 0 with nothing on stderr; stdout in $tmp/i.out
# with runs of spaces squeezed to one (the columns' widths follow the longest name) in $tmp/i.rows.
inspect_ok() {
	name=$1
	shift
	"$bin" inspect "$@" >"$tmp/i.out" 2>"$tmp/i.err"
	rc=$?
	sed 's/^ *//; s/  */ /g' "$tmp/i.out" >"$tmp/i.rows"
	if [ "$rc" -ne 0 ] || [ -s "$tmp/i.err" ]; then
		nok "$name" "exit $rc: $(head -c 300 "$tmp/i.err")"
		return 1
	fi
}

# rows_ok NAME LINE...: each LINE is a whole line of $tmp/i.rows
rows_ok() {
	name=$1
	shift
	missing=""
	for line in "$@"; do
		grep -qxF -e "$line" "$tmp/i.rows" || missing="$missing [$line]"
	done
	if [ -z "$missing" ]; then ok "$name"; else nok "$name" "missing rows:$missing"; fi
}

if [ ! -f "$fixdir/tux_style.bpf.o" ] || [ ! -f "$fixdir/rela.bpf.o" ]; then
	nok "inspect: fixtures" "$fixdir is missing objects: make fixtures"
fi

if inspect_ok "inspect tux_style.bpf.o" "$fixdir/tux_style.bpf.o"; then
	rows_ok "inspect tux_style.bpf.o: 4 programs, 4 legacy maps" \
		"programs (4):" "maps (4):" \
		"NAME TYPE KEY VALUE MAX_ENTRIES FLAGS DEFINED" \
		"opens HASH 4 8 4096 0 legacy (maps)" \
		"latency PERCPU_ARRAY 4 8 32 0 legacy (maps)" \
		"inflight LRU_HASH 8 8 10240 0 legacy (maps)" \
		"ring RINGBUF 0 0 65536 0 legacy (maps)"
	size=$(stat -c %s "$fixdir/tux_style.bpf.o")
	if grep -qE "^object: .*/tux_style\.bpf\.o \($size bytes\), license \"GPL\", BTF: yes \(\.BTF [0-9]+ bytes, \.BTF\.ext [0-9]+ bytes, CO-RE: no\)\$" "$tmp/i.rows" &&
		grep -qE '^kretprobe/do_sys_openat2 kretprobe KPROBE [0-9]+ open_return$' "$tmp/i.rows" &&
		grep -qE '^raw_tracepoint/sched_process_exit raw_tracepoint RAW_TRACEPOINT [0-9]+ exit_clean$' "$tmp/i.rows" &&
		grep -qE '^open_return [0-9]+ ring map ring$' "$tmp/i.rows" &&
		! sed -n '/^relocations/,$p' "$tmp/i.rows" | sed 1,2d | grep -qvE '^[a-z_]+ [0-9]+ [a-z_]+ map [a-z_]+$'; then
		ok "inspect tux_style.bpf.o: the object line, program rows, every relocation a map"
	else
		nok "inspect tux_style.bpf.o: the object line, program rows, every relocation a map" "$(head -c 600 "$tmp/i.out")"
	fi
fi

if inspect_ok "inspect libbpf_style.bpf.o" "$fixdir/libbpf_style.bpf.o"; then
	rows_ok "inspect libbpf_style.bpf.o: 12 programs (two in one section), BTF-defined maps, global data" \
		"programs (12):" "maps (8):" \
		"start HASH 4 16 8192 0 BTF (.maps)" \
		"bytes_by_cookie LRU_HASH 8 8 10240 0x2 BTF (.maps)" \
		"template ARRAY 4 72 1 0x80 BTF (.maps)" \
		"events RINGBUF 0 0 262144 0 BTF (.maps)" \
		".rodata ARRAY 4 16 1 0x80 global data" \
		".bss ARRAY 4 16 1 0 global data" \
		".data ARRAY 4 4 1 0 global data"
	if grep -q '^object: .*license "Dual BSD/GPL", BTF: yes (.*CO-RE: yes)$' "$tmp/i.rows" &&
		grep -qE '^xdp xdp XDP [0-9]+ xdp_pass$' "$tmp/i.rows" &&
		grep -qE '^xdp xdp XDP [0-9]+ xdp_drop_odd$' "$tmp/i.rows" &&
		grep -qE '^fentry/vfs_write fentry TRACING [0-9]+ fentry_vfs_write$' "$tmp/i.rows" &&
		grep -qE '^tc tc SCHED_CLS [0-9]+ tc_ingress$' "$tmp/i.rows" &&
		grep -qE '^socket socket SOCKET_FILTER [0-9]+ socket_filter$' "$tmp/i.rows" &&
		grep -qE '^kprobe_vfs_read [0-9]+ min_bytes map .rodata, value \+ 8$' "$tmp/i.rows"; then
		ok "inspect libbpf_style.bpf.o: types by section name, CO-RE, a global data relocation"
	else
		nok "inspect libbpf_style.bpf.o: types by section name, CO-RE, a global data relocation" "$(head -c 600 "$tmp/i.out")"
	fi
fi

if inspect_ok "inspect relocs.bpf.o" "$fixdir/relocs.bpf.o"; then
	nrel=$(sed -n 's/^relocations (\([0-9]*\)):$/\1/p' "$tmp/i.rows")
	rows=$(sed -n '/^relocations/,$p' "$tmp/i.rows" | sed 1,2d | grep -c .)
	rows_ok "inspect relocs.bpf.o: 4 programs and 4 functions in .text, 7 maps" \
		"programs (4):" "maps (7):" \
		"slots ARRAY 4 8 64 0 BTF (.maps)" \
		"hist PERCPU_HASH 8 16 1024 0 BTF (.maps)" \
		".bss ARRAY 4 512 1 0 global data"
	if [ "${nrel:-0}" -ge 250 ] && [ "$rows" -eq "$nrel" ] &&
		[ "$(grep -cE '^\.text subprogram - [0-9]+ (bump|mix|log_value|add_slot)$' "$tmp/i.rows")" -eq 4 ] &&
		grep -qE '^calls_and_data [0-9]+ \.text call mix \(\.text insn [0-9]+\)$' "$tmp/i.rows" &&
		grep -qE '^mix [0-9]+ bump call bump \(\.text insn 0\)$' "$tmp/i.rows" &&
		grep -qE '^calls_and_data [0-9]+ \.text address of add_slot \(\.text insn [0-9]+\)$' "$tmp/i.rows" &&
		grep -qE '^calls_and_data [0-9]+ LINUX_KERNEL_VERSION extern \(kernel\)$' "$tmp/i.rows" &&
		grep -qE '^log_value [0-9]+ \.rodata\.str1\.1 map \.rodata\.str1\.1, value \+ [0-9]+$' "$tmp/i.rows" &&
		grep -qE '^strings [0-9]+ \.rodata map \.rodata, value \+ [1-9][0-9]*$' "$tmp/i.rows"; then
		ok "inspect relocs.bpf.o: $nrel relocations: calls, a callback, an extern, strings, data in .text"
	else
		nok "inspect relocs.bpf.o: relocation rows" "$nrel relocations, $rows rows: $(sed -n '/^relocations/,+12p' "$tmp/i.out")"
	fi
fi

if inspect_ok "inspect --embedded" --embedded; then
	rows_ok "inspect --embedded: tuxscope's own object, 10 programs, 6 maps" "programs (10):" "maps (6):"
	if grep -q '^object: embedded ([0-9]* bytes), license "GPL", BTF: no' "$tmp/i.rows" &&
		grep -qE '^events RINGBUF 0 0 [0-9]+ 0 legacy \(maps\)$' "$tmp/i.rows" &&
		grep -qE '^kprobe/vfs_read kprobe KPROBE [0-9]+ trace_vfs_read$' "$tmp/i.rows" &&
		grep -qE '^kretprobe/vfs_rw kretprobe KPROBE [0-9]+ trace_vfs_rw_ret$' "$tmp/i.rows" &&
		grep -qE '^fentry/vfs_read fentry TRACING [0-9]+ fentry_vfs_read$' "$tmp/i.rows" &&
		grep -qE '^tracepoint/syscalls/sys_exit_rw tracepoint TRACEPOINT [0-9]+ sys_exit_rw$' "$tmp/i.rows"; then
		ok "inspect --embedded: the object line, program rows, legacy maps"
	else
		nok "inspect --embedded: the object line, program rows, legacy maps" "$(head -c 600 "$tmp/i.out")"
	fi
	# The relocation rows (FUNCTION INSN SYMBOL TARGET): each entry program has one, its call of on_call,
	# .text's only function, at .text's insn 0 (called through .text's own symbol: on_call is static); the
	# return programs and on_call itself refer to maps, events and config among them.
	sed -n '/^relocations/,$p' "$tmp/i.rows" | sed 1,2d >"$tmp/i.rel"
	nrel=$(sed -n 's/^relocations (\([0-9]*\)):$/\1/p' "$tmp/i.rows")
	why=""
	for f in trace_vfs_read trace_vfs_write fentry_vfs_read fentry_vfs_write sys_enter_rw sys_enter_rwv; do
		[ "$(grep -c "^$f " "$tmp/i.rel")" -eq 1 ] &&
			grep -qE "^$f [0-9]+ \.text call [^ ]+ \(\.text insn 0\)\$" "$tmp/i.rel" ||
			why="$why [$f: $(grep "^$f " "$tmp/i.rel" | tr '\n' ';')]"
	done
	[ "$(grep -c ' call ' "$tmp/i.rel")" -eq 6 ] || why="$why [$(grep -c ' call ' "$tmp/i.rel") call rows, want 6]"
	if [ -z "$why" ]; then ok "inspect --embedded: each entry program's one relocation, a call of .text insn 0"; else
		nok "inspect --embedded: each entry program's one relocation, a call of .text insn 0" "$why"; fi
	why=""
	for f in trace_vfs_rw_ret fexit_vfs_read fexit_vfs_write sys_exit_rw; do
		grep "^$f " "$tmp/i.rel" >"$tmp/i.f"
		[ -s "$tmp/i.f" ] && ! grep -qvE "^$f [0-9]+ ([a-z_]+) map \1\$" "$tmp/i.f" &&
			grep -qE "^$f [0-9]+ events map events\$" "$tmp/i.f" &&
			grep -qE "^$f [0-9]+ config map config\$" "$tmp/i.f" ||
			why="$why [$f: $(tr '\n' ';' <"$tmp/i.f" | head -c 200)]"
	done
	# every row a map or a call of .text, one row per relocation
	bad=$(grep -vcE '^[^ ]+ [0-9]+ (([a-z_]+) map [a-z_]+|\.text call [^ ]+ \(\.text insn 0\))$' "$tmp/i.rel")
	[ "${nrel:-0}" -gt 0 ] && [ "$(grep -c . "$tmp/i.rel")" -eq "$nrel" ] && [ "$bad" -eq 0 ] ||
		why="$why [$nrel relocations, $(grep -c . "$tmp/i.rel") rows, $bad neither a map nor a call of .text]"
	if [ -z "$why" ]; then ok "inspect --embedded: the return programs' relocations are maps, every row a map or a call"; else
		nok "inspect --embedded: the return programs' relocations are maps, every row a map or a call" "$why"; fi
	# .text: a row for on_call, the subprogram; its own relocations, named by it, are maps; the calls name it
	ntext=$(grep -cvE '^(trace_vfs_read|trace_vfs_write|trace_vfs_rw_ret|fentry_vfs_read|fentry_vfs_write|fexit_vfs_read|fexit_vfs_write|sys_enter_rw|sys_enter_rwv|sys_exit_rw) ' "$tmp/i.rel")
	if grep -qE '^\.text subprogram - [0-9]+ on_call$' "$tmp/i.rows" &&
		[ "$(grep -cE '^\.text subprogram ' "$tmp/i.rows")" -eq 1 ] && [ "$ntext" -gt 0 ] &&
		[ "$(grep -cE '^on_call [0-9]+ ([a-z_]+) map \1$' "$tmp/i.rel")" -eq "$ntext" ] &&
		grep -qE '^on_call [0-9]+ events map events$' "$tmp/i.rel" &&
		grep -qE '^on_call [0-9]+ config map config$' "$tmp/i.rel" &&
		[ "$(grep -cE ' \.text call on_call \(\.text insn 0\)$' "$tmp/i.rel")" -eq 6 ]; then
		ok "inspect --embedded: .text listed as the subprogram on_call, its map relocations, the calls of it"
	else
		nok "inspect --embedded: .text listed as the subprogram on_call, its map relocations, the calls of it" \
			"$(grep -E '^\.text ' "$tmp/i.rows" | head -3 | tr '\n' ';') $ntext relocations in .text: $(grep -vE '^(trace|fentry|fexit|sys)_' "$tmp/i.rel" | head -3 | tr '\n' ';') calls: $(grep ' call ' "$tmp/i.rel" | head -2 | tr '\n' ';')"
	fi
fi
if "$bin" inspect --help | grep -q '^usage: tuxscope inspect FILE.o'; then ok "inspect --help"; else
	nok "inspect --help" "no usage line"; fi
if command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$bin" inspect --embedded >/dev/null 2>&1; then
	ok "inspect needs no privileges"
else
	nok "inspect needs no privileges" "failed as nobody (or setpriv is missing)"
fi

# objects it can't read: one line, exit 1
: >"$tmp/empty.o"
head -c 4000 "$fixdir/libbpf_style.bpf.o" >"$tmp/truncated.o"
truncate -s 65M "$tmp/huge.o"
mkdir -p "$tmp/dir.o"
expect_error "inspect: a missing file" 1 "^tuxscope: inspect $tmp/nosuch.o: No such file or directory\$" \
	"$bin" inspect "$tmp/nosuch.o"
expect_error "inspect: a directory" 1 "^tuxscope: inspect $tmp/dir.o: Is a directory\$" "$bin" inspect "$tmp/dir.o"
expect_error "inspect: an empty file" 1 "^tuxscope: inspect $tmp/empty.o: empty file\$" "$bin" inspect "$tmp/empty.o"
expect_error "inspect: a truncated object" 1 "^tuxscope: inspect $tmp/truncated.o: malformed ELF headers or section table\$" \
	"$bin" inspect "$tmp/truncated.o"
expect_error "inspect: a file over 64 MB" 1 "^tuxscope: inspect $tmp/huge.o: larger than 64 MB\$" "$bin" inspect "$tmp/huge.o"
expect_error "inspect: an executable, not BPF" 1 \
	"^tuxscope: inspect /bin/true: not a 64-bit little-endian BPF relocatable ELF object\$" "$bin" inspect /bin/true
echo "not an object" >"$tmp/text.o"
expect_error "inspect: a text file" 1 "^tuxscope: inspect $tmp/text.o: not a 64-bit little-endian BPF relocatable ELF object\$" \
	"$bin" inspect "$tmp/text.o"
expect_error "inspect: RELA relocations" 1 \
	"^tuxscope: inspect $fixdir/rela.bpf.o: \.rel[^:]*: RELA relocations are not used by BPF\$" \
	"$bin" inspect "$fixdir/rela.bpf.o"
expect_error "inspect: no object named" 2 "^tuxscope: inspect: which object\? \(see --help\)\$" "$bin" inspect
expect_error "inspect: unknown option" 2 "^tuxscope: inspect --bogus: unexpected argument\$" "$bin" inspect --bogus
expect_error "inspect: two objects" 2 "^tuxscope: inspect b.o: unexpected argument\$" "$bin" inspect a.o b.o
# --- end of inspect ---

[ "$fails" -eq 0 ]
