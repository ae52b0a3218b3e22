#!/usr/bin/env bash
# Boot the built kernel under virtme-ng and run a command in it.
#   boot.sh LOGDIR TIMEOUT COMMAND...   run COMMAND, console to LOGDIR/console.log
#   boot.sh --interactive               a shell on the guest
# The guest sees the host's file system read-only, and LOGDIR read-write.
# KVM is used only where a probe boot showed it works; else single-threaded
# TCG (see below).
. "$(dirname "$0")/lib.sh"

KIMAGE=$OBJ/$KIMAGE
[ -f "$KIMAGE" ] || die "no kernel in $OBJ: run 'make prepare' first"
GUEST_CPUS=${GUEST_CPUS:-2}
GUEST_MEM=${GUEST_MEM:-4G}

# Does a KVM guest boot here?  Some hosts open /dev/kvm fine, yet the guest
# hangs while decompressing the kernel.  One probe per host boot.
accel() {
	local stamp
	stamp=$CACHE/kvm-probe.$(cat /proc/sys/kernel/random/boot_id)
	if [ ! -f "$stamp" ]; then
		local verdict=tcg
		if [ -w /dev/kvm ] && grep -q kvm-probe-ok <<<"$(timeout 60 "$REPO/harness/virtme" \
		   vng --run "$KIMAGE" --memory 1G --cpus 1 --exec 'echo kvm-probe-ok' \
		   </dev/null 2>/dev/null)"; then
			verdict=kvm
		fi
		rm -f "$CACHE"/kvm-probe.*
		echo "$verdict" > "$stamp"
	fi
	cat "$stamp"
}

if [ "$GUEST_ARCH" = arm64 ]; then
	ACCEL=tcg
else
	ACCEL=$(accel)
fi
common=(--run "$KIMAGE" --cpus "$GUEST_CPUS" --memory "$GUEST_MEM")
# Multi-threaded TCG (QEMU 7.2) runs stale code after the kernel patches
# itself: the unpatched base dies with "Oops: int3" in __schedule() within
# 40 toggles of the sched_switch tracepoint's static key.  One thread for
# all vCPUs ran 90 toggles without it.  See MEASUREMENTS.md.
# TCG_THREAD=multi brings that back, for harness/guest/static-key-toggle.sh.
TCG_THREAD=${TCG_THREAD:-single}
# ICOUNT=N: the guest's clock counts executed instructions, 2^N ns each,
# for benchmarks (see MEASUREMENTS.md, "Two clocks").  TCG only.
qemu_opts="-accel tcg,thread=$TCG_THREAD${ICOUNT:+ -icount shift=$ICOUNT}"
# arm64: vng's default CPU, cortex-a57, has no LSE atomics, which the JIT
# needs for arena atomics; "max" is about 4x slower (pointer
# authentication).  GICv3 for pseudo-NMIs, so perf overflows run in NMI.
# A foreign guest runs the init of its own root file system, not the host's.
GUEST_REPO=/tmp/arena/repo GUEST_SELFTESTS=/tmp/arena/selftests GUEST_LOG=/tmp/arena/log
if [ "$GUEST_ARCH" = arm64 ]; then
	qemu_opts+=" -cpu neoverse-n1 -machine virt,gic-version=3"
	common+=(--arch arm64 --root "$ARM64_ROOT" --append irqchip.gicv3_pseudo_nmi=1
		 --rodir "$GUEST_REPO=$REPO" --rodir "$GUEST_SELFTESTS=$SELFTESTS")
fi
[ "$ACCEL" = kvm ] || common+=(--disable-kvm "--qemu-opts=$qemu_opts")

if [ "${1:-}" = --interactive ]; then
	if [ "$GUEST_ARCH" = arm64 ]; then
		# Its own root: the host's paths are not there, only the mounts.
		say "guest shell ($ACCEL) in $GUEST_SELFTESTS, which is $SELFTESTS: ./test_progs; bpftool is ./tools/sbin/bpftool"
		# vng takes the directory as a path under the root, on the host.
		exec "$REPO/harness/virtme" vng "${common[@]}" --cwd "$ARM64_ROOT$GUEST_SELFTESTS"
	fi
	say "guest shell ($ACCEL) in $SELFTESTS: ./test_progs; bpftool is $BPFTOOL_DIR/bpftool"
	cd "$SELFTESTS"
	exec "$REPO/harness/virtme" vng "${common[@]}"
fi

logdir=$1 limit=$2
shift 2
mkdir -p "$logdir"
logdir=$(cd "$logdir" && pwd)
say "booting $(cat "$OBJ/include/config/kernel.release") ($ACCEL${ICOUNT:+, icount}, $GUEST_CPUS vCPUs, limit ${limit}s); console: $logdir/console.log"
# Through a pipe: QEMU reopens its stdout for the console, and a reopened
# file would start writing at offset 0, over the guest's own output.
# An x86_64 guest sees the host's paths; an arm64 one, with a root of its
# own, sees them under /tmp (the only place with room for mount points).
guest_cmd=("$@") guest_log=$logdir
if [ "$GUEST_ARCH" = arm64 ]; then
	guest_log=$GUEST_LOG
	for i in "${!guest_cmd[@]}"; do
		a=${guest_cmd[$i]}
		case $a in
		"$logdir"*) a=$GUEST_LOG${a#"$logdir"} ;;
		"$SELFTESTS"*) a=$GUEST_SELFTESTS${a#"$SELFTESTS"} ;;
		"$REPO"*) a=$GUEST_REPO${a#"$REPO"} ;;
		esac
		guest_cmd[$i]=$a
	done
fi
set +e
timeout --kill-after=30 "$limit" "$REPO/harness/virtme" vng \
	"${common[@]}" --verbose --rwdir "$guest_log=$logdir" --exec "${guest_cmd[*]}" </dev/null 2>&1 |
	cat > "$logdir/console.log"
rc=${PIPESTATUS[0]}
set -e
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "guest timed out after ${limit}s" >> "$logdir/console.log"
	warn "the guest did not finish within ${limit}s (console: $logdir/console.log)"
fi
exit $rc
