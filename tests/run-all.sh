#!/bin/sh
# run-all.sh: the whole suite as CI runs it: unit tests, the fuzz corpus, host tests, the qemu kernel matrix.
# Each suite prints "ok - NAME" / "not ok - NAME: why"; this counts them and ends with "N passed, M failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

suite() { # name command...
	name=$1
	shift
	echo "# suite: $name"
	"$@" >"$log.out" 2>"$log.err"
	rc=$?
	cat "$log.out"
	grep -E '^(not )?ok - ' "$log.out" >>"$log"
	if [ "$rc" -ne 0 ]; then
		status=1
		# A suite that failed without saying which test did is a failure of its own.
		if ! grep -q '^not ok - ' "$log.out"; then
			echo "not ok - $name: suite exited $rc" | tee -a "$log"
		fi
		sed 's/^/# stderr: /' "$log.err" | tail -n 40
	fi
	rm -f "$log.out" "$log.err"
}

suite unit build/unit_tests build/fileio.bpf.o
suite fuzz-corpus sh tests/fuzz/regress.sh build/fuzz
suite host sh tests/host/run.sh build/tuxscope
suite vm sh tests/vm/run-matrix.sh build/tuxscope
suite vm-arm64 sh tests/vm/run-matrix.sh --arch arm64 build/arm64/tuxscope build/arm64/rwload

passed=$(grep -c '^ok - ' "$log")
failed=$(grep -c '^not ok - ' "$log")
[ "$failed" -eq 0 ] || status=1
[ "$passed" -gt 0 ] || status=1
echo "$passed passed, $failed failed"
exit "$status"
