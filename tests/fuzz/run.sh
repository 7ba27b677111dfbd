#!/bin/sh
# run.sh: `make fuzz`: gathers the seeds, runs each libFuzzer target FUZZ_SECONDS, fails (naming the saved
# inputs) if one crashed, hung or drew a sanitizer report. Usage: run.sh FUZZ_DIR OBJECT... (ELF seeds)
set -u
dir=$1
shift
secs=${FUZZ_SECONDS:-120}
here=$(cd "$(dirname "$0")" && pwd)
seeds=$dir/seeds
status=0

# Seeds are rebuilt each run (the objects change with the tree); the working corpus in $dir/corpus keeps
# what earlier runs found, so runs add up.
rm -rf "$seeds"
mkdir -p "$seeds/elf" "$seeds/btf" "$dir/corpus/elf" "$dir/corpus/btf" "$dir/crashes/elf" "$dir/crashes/btf"
for o in "$@"; do # each OBJECT is an ELF seed; its .BTF section, if it has one, a BTF seed
	[ -f "$o" ] || continue
	name=$(echo "$o" | tr / _)
	cp "$o" "$seeds/elf/$name"
	# --dump-section fails when there is no .BTF; the copy it writes besides is of no use.
	llvm-objcopy --dump-section ".BTF=$seeds/btf/$name.btf" "$o" "$seeds/objcopy.tmp" 2>/dev/null ||
		rm -f "$seeds/btf/$name.btf"
	rm -f "$seeds/objcopy.tmp"
done

# Inputs earlier runs saved: one that no longer crashes (the bug was fixed) moves to crashes-fixed/, one
# that still does fails this run as well.
for f in $(find "$dir/crashes" -type f | sort); do
	t=$(basename "$(dirname "$f")")
	if "$dir/fuzz_$t" -timeout=10 "$f" >/dev/null 2>&1; then
		mkdir -p "$dir/crashes-fixed/$t"
		mv "$f" "$dir/crashes-fixed/$t/"
		echo "fuzz: $f no longer crashes: moved to $dir/crashes-fixed/$t/"
	else
		echo "fuzz: $f from an earlier run still crashes"
	fi
done

# The largest seed, so no seed is cut short by -max_len (libFuzzer truncates longer inputs on loading).
max_len() { # dir...
	biggest=$(find "$@" -type f -printf '%s\n' 2>/dev/null | sort -n | tail -n 1)
	[ "${biggest:-0}" -gt 65536 ] && echo "$biggest" || echo 65536
}

fuzz() { # target max_len corpus-dirs...
	t=$1
	len=$2
	shift 2
	echo "fuzz: $t for ${secs}s, -max_len=$len, seeds: $(find "$@" -type f | wc -l) inputs"
	# -timeout: an input that runs 10 s is a hang (an unbounded loop on malformed input), saved as a crash.
	# -rss_limit_mb: the readers allocate per type id; 2 GB means a size taken from the input unchecked.
	"$dir/fuzz_$t" -max_total_time="$secs" -max_len="$len" -timeout=10 -rss_limit_mb=2048 \
		-dict="$here/$t.dict" -artifact_prefix="$dir/crashes/$t/" -print_final_stats=1 \
		"$dir/corpus/$t" "$@" >"$dir/fuzz_$t.log" 2>&1
	rc=$?
	grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$dir/fuzz_$t.log" | tail -n 2
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
		"$dir/fuzz_$t.log"
	if [ "$rc" -ne 0 ]; then
		status=1
		echo "fuzz: $t FAILED (exit $rc); log: $dir/fuzz_$t.log"
		grep -E 'ERROR: |SUMMARY: |^fuzz_[a-z]+: |Test unit written to' "$dir/fuzz_$t.log" | head -n 8
	fi
}

# The kernel's own BTF (5.5 MB) once, whole: too slow to mutate (about 200 ms a run under ASan, which would
# eat the fuzzing time), but the reader must handle the real thing cleanly.
if [ -r /sys/kernel/btf/vmlinux ]; then
	mkdir -p "$seeds/vmlinux"
	cp /sys/kernel/btf/vmlinux "$seeds/vmlinux/vmlinux"
	if "$dir/fuzz_btf" -timeout=60 -artifact_prefix="$dir/crashes/btf/vmlinux-" "$seeds/vmlinux/vmlinux" \
		>"$dir/vmlinux.log" 2>&1; then
		echo "fuzz: btf on /sys/kernel/btf/vmlinux: $(grep -o 'Executed .* in [0-9]* ms' "$dir/vmlinux.log")"
	else
		status=1
		echo "fuzz: btf on /sys/kernel/btf/vmlinux FAILED; log: $dir/vmlinux.log"
		grep -E 'ERROR: |SUMMARY: |^fuzz_btf: ' "$dir/vmlinux.log" | head -n 8
	fi
else
	echo "fuzz: /sys/kernel/btf/vmlinux is not readable: the kernel's BTF is not tried"
fi

fuzz elf "$(max_len "$seeds/elf" "$here/corpus/elf")" "$seeds/elf" "$here/corpus/elf"
fuzz btf "$(max_len "$seeds/btf" "$here/corpus/btf")" "$seeds/btf" "$here/corpus/btf"

crashes=$(find "$dir/crashes" -type f | sort)
if [ -n "$crashes" ]; then
	status=1
	echo "fuzz: saved crashing inputs (reproduce: $dir/fuzz_TARGET FILE; shrink: add -minimize_crash=1):"
	echo "$crashes" | sed 's/^/  /'
fi
exit "$status"
