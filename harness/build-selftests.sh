#!/usr/bin/env bash
# Build test_progs and the test modules (bpf_testmod.ko, ...) from the
# assembled tree against the kernel in $OBJ, with clang-19 for BPF; and a
# full bpftool for the guest (the selftests build only a bootstrap one).
. "$(dirname "$0")/lib.sh"

log=$CACHE/$KIND/selftests-build.log
tool_log=$CACHE/$KIND/bpftool-build.log
say "building the BPF selftests (log: $log)"
# Not O=: the tools' Makefiles take it for their output directory.
args=(-C "$SELFTESTS" -j"$JOBS" OUTPUT="$SELFTESTS" KDIR="$OBJ" VMLINUX_BTF="$OBJ/vmlinux"
      GENDIR="$OBJ/include/generated")
# clang, llc, llvm-strip, bpftool's clang: all of them version $LLVM_VER.
if ! PATH=/usr/lib/llvm-$LLVM_VER/bin:$PATH make "${args[@]}" test_progs > "$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -20 >&2
	die "BPF selftests build failed (log: $log)"
fi
if ! PATH=/usr/lib/llvm-$LLVM_VER/bin:$PATH make -C "$BPFTOOL_DIR" -j"$JOBS" \
	> "$tool_log" 2>&1; then
	grep -E 'error|Error' "$tool_log" | head -20 >&2
	die "bpftool build failed (log: $tool_log)"
fi
say "selftests: $SELFTESTS/test_progs, $BPFTOOL_DIR/bpftool"
