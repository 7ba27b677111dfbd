#!/bin/sh
# tests/vm/run-matrix.sh [--arch arm64] [BINARY [RWLOAD]]: boots BINARY (default build/tuxscope) in each kernel
# fetch-kernels.sh lists, with the workload tool RWLOAD (default: rwload beside BINARY, `make build/rwload`) as
# /bin/rwload. Owns the initramfs build, the qemu boots and the re-printing of the guests' "ok -"/"not ok -" lines
# per kernel.
#
# --arch arm64: the arm64 pass instead: BINARY and RWLOAD are the aarch64 builds (default build/arm64/tuxscope,
# `make ARCH=arm64 all build/arm64/rwload`), the kernels and the aarch64 busybox-static are the ones
# `fetch-kernels.sh arm64` lists, booted under qemu-system-aarch64 (-M virt -cpu cortex-a57); its own initramfs
# and logs are in build/vm/arm64/, and the result names carry "[arm64 NAME]" instead of "[NAME]".
#
# Environment: TUXSCOPE_VM_TIMEOUT (seconds per boot, default 480: arm64 6.12 takes about 4 minutes),
# TUXSCOPE_VM_SERIAL=1 (boot one kernel at a time instead of all at once), TUXSCOPE_VM_KERNELS="6.12" (only these
# kernel names), BUSYBOX (the x86_64 pass's busybox, default /bin/busybox). Results go to stdout, diagnostics to
# stderr; logs in build/vm/NAME.log (build/vm/arm64/NAME.log). Exit status 0 when every result is "ok".
set -u

arch=x86_64
if [ "${1:-}" = --arch ]; then
	arch=${2:-}
	shift 2 2>/dev/null || shift
fi
case $arch in
x86_64 | amd64) arch=x86_64 ;;
arm64 | aarch64) arch=arm64 ;;
*)
	echo "not ok - vm: --arch ${arch:-(none)}: use x86_64 or arm64"
	exit 1
	;;
esac

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1
root=$(CDPATH= cd -- "$here/../.." && pwd) || exit 1
if [ "$arch" = arm64 ]; then
	bin=${1:-$root/build/arm64/tuxscope}
	vm=$root/build/vm/arm64
	qemu=qemu-system-aarch64
	qemu_machine="-M virt -cpu cortex-a57"
	console=ttyAMA0
	elf_machine=AArch64
	tag="arm64 " # the result names' prefix: "[arm64 6.1]"
else
	bin=${1:-$root/build/tuxscope}
	vm=$root/build/vm
	qemu=qemu-system-x86_64
	qemu_machine=
	console=ttyS0
	elf_machine=X86-64
	tag=
fi
rwload=${2:-$(dirname -- "$bin")/rwload}
busybox=${BUSYBOX:-/bin/busybox} # the guest's; the arm64 pass takes fetch-kernels.sh's
host_busybox=${BUSYBOX:-/bin/busybox} # one that runs here: the applet list and cpio when the guest's cannot
boot_timeout=${TUXSCOPE_VM_TIMEOUT:-480}
# The guest gives up a minute before the host does, so a hung test is still reported by name.
guest_timeout=$((boot_timeout > 120 ? boot_timeout - 60 : boot_timeout * 3 / 4))

fail() { # reason: the harness itself cannot run
	echo "not ok - vm: $*"
	exit 1
}

for b in "$bin" "$rwload"; do
	[ -f "$b" ] && [ -x "$b" ] || fail "binary: $b is not an executable file (make build/$(basename -- "$b"))"
	if command -v readelf >/dev/null 2>&1 && readelf -l "$b" 2>/dev/null | grep -q 'program interpreter'; then
		fail "binary: $b is dynamically linked; the guest has no libraries (build it static)"
	fi
	if command -v readelf >/dev/null 2>&1 && ! readelf -h "$b" 2>/dev/null | grep -q "Machine:.*$elf_machine"; then
		fail "binary: $b is not an $arch executable (readelf -h: $(readelf -h "$b" 2>/dev/null | sed -n 's/^ *Machine: *//p'))"
	fi
done
command -v "$qemu" >/dev/null 2>&1 || fail "$qemu not found"
mkdir -p "$vm" || fail "cannot create $vm"
# Two runs would overwrite each other's initramfs and logs: the second waits (bounded) for the first.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$vm/lock"
	flock -w 600 9 || fail "another run-matrix.sh has held $vm/lock for 10 minutes"
fi

# 1. Kernels (and for arm64 the busybox: fetch-kernels.sh's last line, "busybox PATH").
if [ "$arch" = arm64 ]; then
	kernels=$(sh "$here/fetch-kernels.sh" arm64 2>"$vm/fetch.err")
else
	kernels=$(sh "$here/fetch-kernels.sh" 2>"$vm/fetch.err")
fi
rc=$?
if [ $rc -ne 0 ]; then
	reason=$(grep -v '^[[:space:]]*$' "$vm/fetch.err" | tail -n 1)
	fail "fetch kernels: ${reason:-fetch-kernels.sh exited with status $rc}"
fi
if [ "$arch" = arm64 ]; then
	busybox=$(echo "$kernels" | sed -n 's/^busybox //p')
	[ -n "$busybox" ] || fail "fetch kernels: fetch-kernels.sh arm64 listed no busybox"
	kernels=$(echo "$kernels" | grep -v '^busybox ')
fi
[ -x "$busybox" ] || fail "busybox: $busybox not found (install busybox-static)"
if command -v readelf >/dev/null 2>&1 && readelf -l "$busybox" 2>/dev/null | grep -q 'program interpreter'; then
	fail "busybox: $busybox is dynamically linked (install busybox-static)"
fi
[ -n "$kernels" ] || fail "fetch kernels: fetch-kernels.sh listed no kernel"
if [ -n "${TUXSCOPE_VM_KERNELS:-}" ]; then
	kernels=$(echo "$kernels" | while read -r name path; do
		case " $TUXSCOPE_VM_KERNELS " in *" $name "*) echo "$name $path" ;; esac
	done)
	[ -n "$kernels" ] || fail "fetch kernels: none of TUXSCOPE_VM_KERNELS=$TUXSCOPE_VM_KERNELS is listed"
fi
echo "$kernels" | while read -r name path; do
	[ -s "$path" ] || { echo "not ok - vm: fetch kernels: $name: $path is missing or empty"; exit 1; }
done || exit 1

# 2. One initramfs for all kernels: busybox with its applet links, /bin/tuxscope, /bin/rwload, /init, /tests.sh,
# an /etc/passwd with nobody (uid 65534) for the not-root test (busybox su), each kernel's loop and minix
# modules and a minix image.
ird=$vm/initramfs
initrd=$vm/initramfs.cpio.gz
rm -rf "$ird" "$initrd"
for d in bin dev etc proc sys tmp run; do mkdir -p "$ird/$d" || fail "initramfs: cannot create $ird/$d"; done
cp "$busybox" "$ird/bin/busybox" || fail "initramfs: cannot copy $busybox"
# The arm64 busybox cannot run here: its applet list comes from the host's busybox (the same Debian version).
applets=$("$busybox" --list 2>/dev/null) || applets=$("$host_busybox" --list 2>/dev/null)
[ -n "$applets" ] || fail "busybox: neither $busybox nor $host_busybox runs here to list its applets (install busybox-static)"
for applet in $applets; do
	case $applet in busybox | tuxscope | rwload) continue ;; esac
	ln -s busybox "$ird/bin/$applet"
done
cp "$bin" "$ird/bin/tuxscope" && chmod 755 "$ird/bin/tuxscope" || fail "initramfs: cannot copy $bin"
cp "$rwload" "$ird/bin/rwload" && chmod 755 "$ird/bin/rwload" || fail "initramfs: cannot copy $rwload"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$ird/etc/passwd" &&
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$ird/etc/group" || fail "initramfs: cannot write /etc/passwd"
cp "$here/guest-init.sh" "$ird/init" && cp "$here/guest-tests.sh" "$ird/tests.sh" || fail "initramfs: cannot copy the guest scripts"
chmod 755 "$ird/init" "$ird/tests.sh"
# Block I/O for top's BLK columns (the root is an initramfs, which has none): each kernel's loop.ko and minix.ko
# (fetch-kernels.sh keeps them beside its vmlinuz) in /lib/modules/NAME/, where the guest finds them by its
# tuxscope.kernel=NAME, and a 16 MiB minix image made here (busybox has no mkfs.minix), gzipped (~20 KB).
while read -r name path; do
	mods=${path%.vmlinuz}.modules
	mkdir -p "$ird/lib/modules/$name" || fail "initramfs: cannot create $ird/lib/modules/$name"
	for m in loop minix; do
		[ -s "$mods/$m.ko" ] || fail "modules: $mods/$m.ko is missing (rm the kernel from the cache and fetch again)"
		cp "$mods/$m.ko" "$ird/lib/modules/$name/$m.ko" || fail "initramfs: cannot copy $mods/$m.ko"
	done
done <<EOF_KERNELS
$kernels
EOF_KERNELS
mkdir -p "$ird/img"
mkfs_minix=$(command -v mkfs.minix || ls /sbin/mkfs.minix /usr/sbin/mkfs.minix 2>/dev/null | head -n 1)
if [ -n "$mkfs_minix" ]; then
	# Without it the guest's block I/O tests fail and say why; every other test still runs.
	rm -f "$vm/minix.img" && truncate -s 16M "$vm/minix.img" && "$mkfs_minix" "$vm/minix.img" >/dev/null 2>&1 &&
		gzip -9 -c "$vm/minix.img" >"$ird/img/minix.img.gz" || fail "initramfs: $mkfs_minix $vm/minix.img failed"
	rm -f "$vm/minix.img"
else
	echo "# vm: mkfs.minix (util-linux) not found: the block I/O tests will fail" >&2
fi
# Without a console node the kernel starts /init without stdio; /init then reopens it after mounting devtmpfs.
mknod "$ird/dev/console" c 5 1 2>/dev/null
if command -v cpio >/dev/null 2>&1; then
	(cd "$ird" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 > "$initrd"
else
	(cd "$ird" && find . | LC_ALL=C sort | "$host_busybox" cpio -o -H newc 2>/dev/null) | gzip -1 > "$initrd"
fi
[ -s "$initrd" ] || fail "initramfs: building $initrd failed"

# 3. Boot every kernel (all at once unless TUXSCOPE_VM_SERIAL=1: each qemu uses one host thread).
# timeout(1) puts itself in its own process group, out of reach of a terminal's ^C: on INT/TERM/HUP the trap
# ends each timeout by pid (it passes the signal on to its qemu), then the boot subshells.
pids=
cleanup() {
	for f in "$vm"/*.tpid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -f "$vm"/*.tpid
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

boot() { # name vmlinuz: writes "QEMU-STATUS SECONDS" to build/vm/NAME.status
	start=$(date +%s)
	# shellcheck disable=SC2086 # qemu_machine is two options or none
	timeout -k 10 "$boot_timeout" "$qemu" $qemu_machine -accel tcg,thread=single -m 1024 -smp 2 \
		-nographic -no-reboot -kernel "$2" -initrd "$initrd" \
		-append "console=$console quiet panic=-1 tuxscope.kernel=$1 tuxscope.timeout=$guest_timeout" \
		</dev/null >"$vm/$1.log" 2>&1 &
	echo $! >"$vm/$1.tpid"
	wait $!
	echo "$? $(($(date +%s) - start))" >"$vm/$1.status"
	rm -f "$vm/$1.tpid"
}

matrix_start=$(date +%s)
echo "$kernels" >"$vm/kernels"
while read -r name path; do
	rm -f "$vm/$name.log" "$vm/$name.status"
	if [ "${TUXSCOPE_VM_SERIAL:-0}" = 1 ]; then
		boot "$name" "$path"
	else
		boot "$name" "$path" &
		pids="$pids $!"
	fi
done <"$vm/kernels"
for p in $pids; do wait "$p"; done
pids=

# 4. Results, kernel by kernel.
status=0
while read -r name path; do
	log=$vm/$name.log
	rel=${log#"$root"/}
	read -r qrc secs <"$vm/$name.status" 2>/dev/null || { qrc=?; secs=?; }
	tr -d '\r' <"$log" | awk -v k="$tag$name" -v rel="$rel" '
		# A "# " line after a "not ok" line is that failure'"'"'s diagnostic: shown on stderr.
		/^#/ { if (indiag) print "# [" k "] " substr($0, 2) > "/dev/stderr"; next }
		/TUXSCOPE-GUEST-DONE/ { done = 1 }
		{
			j = index($0, "ok - ")
			if (j == 0) next
			r = substr($0, j + 5)
			n++
			if (j > 4 && substr($0, j - 4, 4) == "not ") {
				print "not ok - [" k "] " r; bad = 1; indiag = 1
			} else {
				print "ok - [" k "] " r; indiag = 0
			}
		}
		END {
			if (!done) { print "not ok - [" k "] vm boot: no completion marker (see " rel ")"; exit 2 }
			if (n == 0) { print "not ok - [" k "] vm guest: no test results (see " rel ")"; exit 1 }
			exit bad
		}'
	arc=$?
	[ $arc -eq 0 ] || status=1
	if [ $arc -eq 2 ]; then
		echo "# [$tag$name] qemu exit status $qrc after $secs s; last 30 lines of $rel:" >&2
		tr -d '\r' <"$log" | tail -n 30 | sed "s/^/# [$tag$name] /" >&2
	fi
	echo "# [$tag$name] booted and tested in $secs s" >&2
done <"$vm/kernels"
echo "# vm matrix${tag:+ ($arch)}: $(($(date +%s) - matrix_start)) s of boots" >&2
exit $status
