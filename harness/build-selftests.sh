#!/usr/bin/env bash
# Build test_progs and the test modules (bpf_testmod.ko, ...) from the
# assembled tree against the kernel in $OBJ, with clang-19 for BPF; and a
# full bpftool for an x86_64 guest (the selftests build only a bootstrap
# one).  For arm64: cross-built in the second work tree, linked against the
# libraries of the guest's root file system.
. "$(dirname "$0")/lib.sh"

log=$CACHE/$KIND/selftests-build.log
[ "$GUEST_ARCH" = x86_64 ] || log=$CACHE/$KIND/selftests-build-$GUEST_ARCH.log
tool_log=$CACHE/$KIND/bpftool-build.log
say "building the BPF selftests for $GUEST_ARCH (log: $log)"
# Not O=: the tools' Makefiles take it for their output directory.
args=(-C "$SELFTESTS" -j"$JOBS" OUTPUT="$SELFTESTS" KDIR="$OBJ" VMLINUX_BTF="$OBJ/vmlinux"
      GENDIR="$OBJ/include/generated")
if [ "$GUEST_ARCH" = arm64 ]; then
	# The same commit as the tree; a checkout touches only what changed.
	head=$(git -C "$TREE" rev-parse HEAD)
	if [ "$(git -C "$SELFTESTS_TREE" rev-parse --git-common-dir 2>/dev/null)" != "$TREE/.git" ]; then
		rm -rf "$SELFTESTS_TREE"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$SELFTESTS_TREE" "$head"
	fi
	git -C "$SELFTESTS_TREE" checkout -q --detach -f "$head"
	args+=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	       CC="aarch64-linux-gnu-gcc --sysroot=$ARM64_ROOT" CXX="aarch64-linux-gnu-g++ --sysroot=$ARM64_ROOT"
	       CLANG="clang --sysroot=$ARM64_ROOT")
fi
# clang, llc, llvm-strip, bpftool's clang: all of them version $LLVM_VER.
if ! PATH=/usr/lib/llvm-$LLVM_VER/bin:$PATH make "${args[@]}" test_progs > "$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -20 >&2
	die "BPF selftests build failed (log: $log)"
fi
if [ "$GUEST_ARCH" = x86_64 ] && ! PATH=/usr/lib/llvm-$LLVM_VER/bin:$PATH make -C "$BPFTOOL_DIR" -j"$JOBS" \
	> "$tool_log" 2>&1; then
	grep -E 'error|Error' "$tool_log" | head -20 >&2
	die "bpftool build failed (log: $tool_log)"
fi
say "selftests: $SELFTESTS/test_progs"
