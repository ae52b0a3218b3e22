#!/usr/bin/env bash
# What `make compare` measures with, built once from the patched tree and
# used on both kernels: the selftests' bench, this project's arena_bench,
# and bpf_testmod.ko for each production kernel that needs it.
. "$(dirname "$0")/lib.sh"

BENCH=$CACHE/bench
mkdir -p "$BENCH"
log=$BENCH/build.log
: > "$log"
export PATH=/usr/lib/llvm-$LLVM_VER/bin:$PATH

say "building the selftests' bench (log: $log)"
make -C "$SELFTESTS" -j"$JOBS" OUTPUT="$SELFTESTS" KDIR="$OBJ" VMLINUX_BTF="$OBJ/vmlinux" \
	GENDIR="$OBJ/include/generated" bench >> "$log" 2>&1 ||
	die "bench build failed (log: $log)"

say "building arena_bench"
src=$REPO/harness/bench
inc=$SELFTESTS/tools/include
{
	clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"$inc" \
		-c "$src/arena_bench.bpf.c" -o "$BENCH/arena_bench.bpf.o" &&
	"$SELFTESTS/tools/sbin/bpftool" gen skeleton "$BENCH/arena_bench.bpf.o" name arena_bench \
		> "$BENCH/arena_bench.skel.h" &&
	gcc -O2 -Wall -I"$BENCH" -I"$inc" -I"$TREE/tools/include/uapi" "$src/arena_bench.c" \
		"$SELFTESTS/tools/build/libbpf/libbpf.a" -lelf -lz -o "$BENCH/arena_bench"
} >> "$log" 2>&1 || die "arena_bench build failed (log: $log)"

# bpf_testmod.ko for the patched production kernel: a module loads only
# into the kernel it was built against.
mod=$BENCH/bpf_testmod-prod
say "building bpf_testmod.ko for $CACHE/patched/obj-prod"
rm -rf "$mod"
mkdir -p "$mod"
cp "$SELFTESTS"/bpf_testmod/{*.c,*.h,Makefile} "$mod"/
make -C "$CACHE/patched/obj-prod" M="$mod" modules >> "$log" 2>&1 ||
	die "bpf_testmod build for the production kernel failed (log: $log)"
say "bench: $SELFTESTS/bench, $BENCH/arena_bench, $mod/bpf_testmod.ko"
