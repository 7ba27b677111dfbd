#!/bin/sh
# Fetches Debian's 6.1 and 6.12 amd64 kernel images into a cache, resolving package names at run time.
# Prints one "NAME PATH" line per kernel; fails loudly if any cannot be had. Beside each PATH.vmlinuz,
# PATH.modules/ holds the two modules the block I/O tests need (loop, minix), decompressed.
set -eu
cache=${TUXSCOPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tuxscope}
mkdir -p "$cache"
cd "$cache"

# Package names move with security updates, so they are looked up each time, never pinned.
pkg61=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-6\.1\.[^ ]*-amd64\)$/\1/p' | head -n1)
pkg612=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb[0-9]+-amd64$' 2>/dev/null |
	awk '{print $1}' | sort -V | tail -n1)

fetch() { # name package
	name=$1 pkg=$2
	if [ -z "$pkg" ]; then
		echo "fetch-kernels: no package found for kernel $name (run apt-get update?)" >&2
		exit 1
	fi
	if [ ! -s "$pkg.vmlinuz" ] || [ ! -s "$pkg.modules/minix.ko" ]; then
		rm -rf "$pkg.tmp" && mkdir "$pkg.tmp"
		(cd "$pkg.tmp" && apt-get download -q "$pkg" >/dev/null 2>&1) || {
			echo "fetch-kernels: apt-get download $pkg failed" >&2; exit 1; }
		dpkg -x "$pkg.tmp"/*.deb "$pkg.tmp/x"
		# Every block driver and file system is a module in Debian's kernels: loop and minix are
		# the two smallest that give a real block device (6.12 ships them xz-compressed).
		rm -rf "$pkg.modules" && mkdir "$pkg.modules"
		for m in drivers/block/loop fs/minix/minix; do
			f=$(ls "$pkg.tmp"/x/lib/modules/*/kernel/$m.ko* 2>/dev/null | head -n1)
			[ -n "$f" ] || { echo "fetch-kernels: $pkg has no $m module" >&2; exit 1; }
			case $f in
			*.xz) xz -dc "$f" >"$pkg.modules/${m##*/}.ko" ;;
			*.zst) zstd -qdc "$f" >"$pkg.modules/${m##*/}.ko" ;;
			*) cp "$f" "$pkg.modules/${m##*/}.ko" ;;
			esac
		done
		cp "$pkg.tmp"/x/boot/vmlinuz-* "$pkg.vmlinuz.part" && mv "$pkg.vmlinuz.part" "$pkg.vmlinuz"
		rm -rf "$pkg.tmp"
	fi
	echo "$name $cache/$pkg.vmlinuz"
}
fetch 6.1 "$pkg61"
fetch 6.12 "$pkg612"
