#!/bin/sh
# regress.sh: the committed fuzz corpus as a test: each target once over tests/fuzz/corpus/TARGET, printing
# "ok - fuzz corpus TARGET: ..." or "not ok - ...: why". Usage: regress.sh [FUZZ_DIR] (default build/fuzz).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
dir=${1:-build/fuzz}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

for t in elf btf; do
	bin=$dir/fuzz_$t
	corpus=tests/fuzz/corpus/$t
	n=$(find "$corpus" -type f 2>/dev/null | wc -l)
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz corpus $t: $bin is not built (make fuzz-bins)"
		status=1
		continue
	fi
	if [ "$n" -eq 0 ]; then
		echo "not ok - fuzz corpus $t: $corpus holds no inputs"
		status=1
		continue
	fi
	# Inputs given as files run once each, whole (no -max_len cut), with no fuzzing.
	# shellcheck disable=SC2046 # corpus file names are hashes: no spaces
	"$bin" -timeout=30 $(find "$corpus" -type f | sort) >"$log" 2>&1
	rc=$?
	ran=$(grep -c '^Executed ' "$log")
	if [ "$rc" -ne 0 ]; then
		at=$(grep '^Running: ' "$log" | tail -n 1 | sed 's/^Running: //')
		# The harness's own assertion says most; else the sanitizer's one-line summary.
		why=$( (grep -E '^fuzz_[a-z]+: ' "$log"; grep -E '^SUMMARY: ' "$log") | head -n 1)
		echo "not ok - fuzz corpus $t: exit $rc on $at: ${why:-no report}"
		grep -vE '^(INFO|Running|Executed|\*\*\*)' "$log" | head -n 30 >&2
		status=1
	elif [ "$ran" -ne "$n" ]; then
		echo "not ok - fuzz corpus $t: ran $ran of $n inputs"
		status=1
	else
		echo "ok - fuzz corpus $t: $n inputs, no crash or sanitizer report"
	fi
done
exit "$status"
