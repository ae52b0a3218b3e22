#!/usr/bin/env bash
# Build test_progs and the test modules (bpf_testmod.ko, ...) from the
# assembled tree against the kernel in $OBJ, with clang-19 for BPF; and a
# full bpftool for the guest (the selftests build only a bootstrap one).
. "$(dirname "$0")/lib.sh"

say "building the BPF selftests (log: $SELFTESTS/build.log)"
# Not O=: the tools' Makefiles take it for their output directory.
args=(-C "$SELFTESTS" -j"$JOBS" OUTPUT="$SELFTESTS" KDIR="$OBJ" VMLINUX_BTF="$OBJ/vmlinux"
      GENDIR="$OBJ/include/generated")
# clang, llc, llvm-strip, bpftool's clang: all of them version $LLVM_VER.
if ! PATH=/usr/lib/llvm-$LLVM_VER/bin:$PATH make "${args[@]}" test_progs > "$SELFTESTS/build.log" 2>&1; then
	grep -E 'error|Error' "$SELFTESTS/build.log" | head -20 >&2
	die "BPF selftests build failed (log: $SELFTESTS/build.log)"
fi
if ! PATH=/usr/lib/llvm-$LLVM_VER/bin:$PATH make -C "$BPFTOOL_DIR" -j"$JOBS" \
	> "$BPFTOOL_DIR/build.log" 2>&1; then
	grep -E 'error|Error' "$BPFTOOL_DIR/build.log" | head -20 >&2
	die "bpftool build failed (log: $BPFTOOL_DIR/build.log)"
fi
say "selftests: $SELFTESTS/test_progs, $BPFTOOL_DIR/bpftool"
