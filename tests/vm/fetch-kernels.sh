#!/bin/sh
# Fetches Debian's 5.10, 6.1 and 6.12 amd64 kernel images (or with argument arm64: the arm64 6.1 and 6.12 ones
# and arm64 busybox-static) into a cache, resolving package names at run time.
# Prints one "NAME PATH" line per kernel; fails loudly if any cannot be had. Beside each PATH.vmlinuz,
# PATH.modules/ holds the two modules the block I/O tests need (loop, minix), decompressed. For arm64 a last
# line "busybox PATH" names the arm64 static busybox.
set -eu
arch=${1:-amd64}
cache=${TUXSCOPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tuxscope}
mkdir -p "$cache"
cd "$cache"

# Package names move with security updates, so they are looked up each time, never pinned.
pkg61=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-6\.1\.[^ ]*-amd64\)$/\1/p' | head -n1)
pkg612=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb[0-9]+-amd64$' 2>/dev/null |
	awk '{print $1}' | sort -V | tail -n1)

suffix= # ":arm64" when fetching another architecture's packages
fetch() { # name package [download command: apt-get, or a function that runs it]
	name=$1 pkg=$2
	if [ -z "$pkg" ]; then
		echo "fetch-kernels: no package found for kernel $name (run apt-get update?)" >&2
		exit 1
	fi
	if [ ! -s "$pkg.vmlinuz" ] || [ ! -s "$pkg.modules/minix.ko" ]; then
		rm -rf "$pkg.tmp" && mkdir "$pkg.tmp"
		(cd "$pkg.tmp" && ${3:-apt-get} download -q "$pkg$suffix" >/dev/null 2>&1) || {
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
if [ "$arch" = arm64 ]; then
	# Needs `dpkg --add-architecture arm64` and apt-get update (tests/install-deps.sh does both).
	suffix=:arm64
	pkg61=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-image-6\.1\.[^ :]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n1)
	pkg612=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb[0-9]+-arm64$' 2>/dev/null |
		awk '{print $1}' | sort -V | tail -n1)
	fetch 6.1 "$pkg61"
	fetch 6.12 "$pkg612"
	bb=$(apt-cache show busybox-static:arm64 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
	if [ ! -s "busybox-arm64-$bb" ]; then
		rm -rf bb.tmp && mkdir bb.tmp
		(cd bb.tmp && apt-get download -q busybox-static:arm64 >/dev/null 2>&1) || {
			echo "fetch-kernels: apt-get download busybox-static:arm64 failed" >&2; exit 1; }
		dpkg -x bb.tmp/*.deb bb.tmp/x && cp bb.tmp/x/bin/busybox "busybox-arm64-$bb"
		rm -rf bb.tmp
	fi
	echo "busybox $cache/busybox-arm64-$bb"
	exit 0
fi

# ---- Kernel 5.10 (Debian 11, bullseye) ----------------------------------------------------------------
# This machine's apt sources list only Debian 12's suites. A sources list, index lists and apt cache of our own,
# kept in $cache/apt-bullseye, reach bullseye without touching the system's apt state. Both bullseye and
# bullseye-security are listed: the point release froze at 5.10.0-32 (5.10.223); every later 5.10 build
# (Debian LTS) is published only in bullseye-security, and that is what bullseye machines run.
a510=$(pwd -P)/apt-bullseye # absolute: fetch() runs apt in another directory (cwd is $cache here)
# The Debian mirrors the system itself uses (same URLs), from its own sources; deb.debian.org if none is listed.
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
mirror=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 2>/dev/null |
	awk -v c="$codename" '$1 == c { sub("/$", "", $2); print $2; exit }')
secmirror=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 2>/dev/null |
	awk -v c="$codename-security" '$1 == c { sub("/$", "", $2); print $2; exit }')
mirror=${mirror:-http://deb.debian.org/debian} secmirror=${secmirror:-http://deb.debian.org/debian-security}
apt510() { # apt-get or apt-cache, then its arguments, against the private bullseye state only
	tool=$1
	shift
	"$tool" -o Dir::Etc::sourcelist="$a510/sources.list" -o Dir::Etc::sourceparts="$a510/parts" \
		-o Dir::State::Lists="$a510/lists" -o Dir::Cache="$a510/cache" -o APT::Sandbox::User=root "$@"
}
apt510get() { apt510 apt-get "$@"; } # fetch()'s download command for this kernel
mkdir -p "$a510/lists/partial" "$a510/cache/archives/partial" "$a510/parts"
# Runs from other work trees share this cache: one at a time here (apt would refuse a second with a lock error).
# fd 8: run-matrix.sh holds its own lock on fd 9.
if command -v flock >/dev/null 2>&1; then
	exec 8>"$a510/lock"
	flock -w 600 8 || { echo "fetch-kernels: $a510/lock held for 10 minutes" >&2; exit 1; }
fi
{
	printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s bullseye main\n' "$mirror"
	printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s bullseye-security main\n' "$secmirror"
} >"$a510/sources.list"
# Refresh the index at most once a day (apt then re-fetches only what changed); any index that fails is an error.
if [ -z "$(find "$a510/updated" -mmin -1440 2>/dev/null)" ] || ! ls "$a510/lists/"*_Packages* >/dev/null 2>&1; then
	rm -f "$a510/updated"
	apt510 apt-get -q -o APT::Update::Error-Mode=any update >"$a510/update.log" 2>&1 || {
		sed 's/^/fetch-kernels: /' "$a510/update.log" >&2
		echo "fetch-kernels: apt-get update of bullseye ($mirror, $secmirror) failed" >&2
		exit 1
	}
	touch "$a510/updated"
fi
# The newest plain flavour: linux-image-5.10.0-N-amd64; not -rt-/-cloud-, not -unsigned/-dbg.
pkg510=$(apt510 apt-cache search --names-only '^linux-image-5\.10\.0-[0-9]+-amd64$' 2>/dev/null |
	awk '{print $1}' | sort -V | tail -n1)
fetch 5.10 "$pkg510" apt510get
exec 8>&-
fetch 6.1 "$pkg61"
fetch 6.12 "$pkg612"
