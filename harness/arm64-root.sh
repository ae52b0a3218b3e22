#!/usr/bin/env bash
# The arm64 guest's root file system, made once and cached: a minimal Debian
# from the host's own archive (debootstrap --foreign, second stage under
# qemu-user-static).  virtme-ng runs a foreign guest's init from its root,
# and the cross build of test_progs links against the libraries in it.
. "$(dirname "$0")/lib.sh"

# What the guest runs (virtme-ng's init wants busybox, udevd and poweroff)
# and what test_progs links against (the -dev packages; libgcc's for
# clang, which looks for gcc's start files in the sysroot).
PACKAGES=busybox-static,udev,kmod,iproute2,procps,libelf-dev,zlib1g-dev,libzstd-dev,libcap-dev,libssl-dev,libgcc-12-dev
# Made again whenever this recipe changes.
stamp=$ARM64_ROOT/.arena-root
recipe=$(sha256sum < "$0")
[ "$(cat "$stamp" 2>/dev/null)" = "$recipe" ] && exit 0

[ "$(id -u)" -eq 0 ] || die "making the arm64 root file system ($ARM64_ROOT) needs root (debootstrap, chroot): run make as root"

# The second stage runs arm64 binaries through binfmt_misc.
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
	mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
		die "binfmt_misc is not mounted and mounting it failed; run: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc"
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
	update-binfmts --enable qemu-aarch64 ||
		die "no binfmt_misc handler for arm64 binaries; run: update-binfmts --enable qemu-aarch64 (package qemu-user-static)"
fi

read -r uri keyring < <(host_archive)
[ -r "$keyring" ] || keyring=/usr/share/keyrings/debian-archive-keyring.gpg
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
tmp=$ARM64_ROOT.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
log=$CACHE/arm64-root.log
say "making the arm64 root file system ($suite, minbase) in $ARM64_ROOT (log: $log)"
{
	debootstrap --arch=arm64 --foreign --variant=minbase --keyring="$keyring" \
		--include="$PACKAGES" "$suite" "$tmp" "$uri" &&
	cp /usr/bin/qemu-aarch64-static "$tmp/usr/bin/" &&
	chroot "$tmp" /debootstrap/debootstrap --second-stage
} > "$log" 2>&1 || { tail -20 "$log" >&2; die "debootstrap of the arm64 root failed (log: $log)"; }
rm -f "$tmp/usr/bin/qemu-aarch64-static" "$tmp"/var/cache/apt/archives/*.deb
echo "127.0.0.1 localhost" > "$tmp/etc/hosts"
ln -sf /bin/busybox "$tmp/usr/sbin/poweroff"
# The root names nobody's archive: empty every file that mentions it.
host=$(echo "$uri" | sed -E 's|^[a-z]+://([^/]+).*|\1|')
grep -rlIF --exclude-dir=proc --exclude-dir=sys "$host" "$tmp" 2>/dev/null |
	while IFS= read -r f; do : > "$f"; done
echo "$recipe" > "$tmp/.arena-root"
rm -rf "$ARM64_ROOT"
mv "$tmp" "$ARM64_ROOT"
say "arm64 root: $ARM64_ROOT ($(du -sh "$ARM64_ROOT" | cut -f1))"
