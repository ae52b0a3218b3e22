#!/usr/bin/env bash
# Install the Debian packages the harness needs, or say how to.
. "$(dirname "$0")/lib.sh"

PACKAGES=(
	# kernel build
	gcc make flex bison bc libelf-dev libssl-dev dwarves ccache cpio kmod
	rsync xz-utils zstd git curl python3
	# BPF selftests
	"clang-$LLVM_VER" "llvm-$LLVM_VER" "lld-$LLVM_VER" libcap-dev zlib1g-dev libzstd-dev
	# booting the guest with virtme-ng (run with the host's python3)
	qemu-system-x86 busybox-static python3-argcomplete python3-requests
	python3-pkg-resources file
	# the guest runs the host's udevd, which names the virtio-serial ports
	# virtme-ng passes the test output through
	udev
	# checkpatch.pl
	python3-ply python3-git codespell
	# documentation
	python3-sphinx python3-sphinx-rtd-theme graphviz
	# arm64 cross-compile of the objects the series touches
	gcc-aarch64-linux-gnu
)
# make check-arm64: an arm64 guest under TCG, its Debian root made with
# debootstrap and qemu-user, test_progs cross-built against that root.
[ "$GUEST_ARCH" = arm64 ] && PACKAGES+=(qemu-system-arm qemu-user-static binfmt-support
	debootstrap libc6-dev-arm64-cross)

missing=()
for p in "${PACKAGES[@]}"; do
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	die "missing host packages: ${missing[*]}
Run as root:  $cmd
then run make again."
fi
say "installing host packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -qq update || die "apt-get update failed; fix the host's apt configuration, then: $cmd"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
	die "apt-get install failed (see above); fix it, then: $cmd"
