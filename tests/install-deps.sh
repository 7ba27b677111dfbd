#!/bin/sh
# install-deps.sh: installs, from Debian's packages, everything the build and the tests need (as root).
# The build: clang, llvm, musl-tools, linux-libc-dev, the arm64 cross tools. Tests: qemu, busybox, bpftool,
# libclang-rt-dev (clang's libFuzzer and sanitizer runtimes, only recommended by clang: the fuzz targets).
# libbpf-dev: the headers (bpf/bpf_helpers.h) of the libbpf-style test objects in tests/fixtures, never linked.
# make bench: bpftrace (the peer it is measured against) and strace (its cross-check of the detach time).
set -eu
# arm64: the cross compiler, musl's arm64 libc, and qemu for Debian's arm64 kernels (ARCH=arm64).
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
pkgs="gcc-aarch64-linux-gnu libc6-dev-arm64-cross musl-dev:arm64 qemu-system-arm make gcc clang libclang-rt-dev llvm musl-tools linux-libc-dev libc6-dev file binutils cpio busybox-static qemu-system-x86 util-linux bpftool libbpf-dev xz-utils bpftrace strace"
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
