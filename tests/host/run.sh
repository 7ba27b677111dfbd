#!/bin/sh
# run.sh: tests of the static binary on this machine's own kernel (root): build facts, usage errors,
# and what tuxscope says where the kernel lacks a mechanism. Prints "ok - NAME" / "not ok - NAME: why".
set -u
bin=${1:-build/tuxscope}
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

# --- what this kernel can't do, said in one line (no kprobes here: CONFIG_KPROBES off)
if [ -e /sys/bus/event_source/devices/kprobe/type ]; then
	ok "kprobe PMU present on this kernel: the no-PMU error is tested in the VMs"
else
	expect_error "no kprobe PMU: clear error" 1 "attach kprobe vfs_read: .*no kprobe PMU" \
		"$bin" fileio --duration 0
fi

# --- not root: the first bpf() call that needs privileges is refused, and the line says so
if command -v setpriv >/dev/null 2>&1; then
	expect_error "not root: clear error" 1 "Operation not permitted \\(run as root" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$bin" fileio
else
	nok "not root" "setpriv (util-linux) is missing"
fi

[ "$fails" -eq 0 ]
