#!/bin/sh
# install-deps.sh: installs, from Debian's packages, everything the build and the tests need (as root).
# The build: clang and llvm (BPF object), musl-tools, linux-libc-dev. The tests: qemu, busybox, cpio, bpftool.
set -eu
pkgs="make gcc clang llvm musl-tools linux-libc-dev libc6-dev file binutils cpio busybox-static qemu-system-x86 util-linux bpftool xz-utils"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# The kernel matrix resolves Debian's kernel package names with apt-cache: the lists must be fresh.
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
