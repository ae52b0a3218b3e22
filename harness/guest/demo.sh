#!/bin/sh
# Runs inside the guest for `make run`: shows what the patched kernel does
# when a BPF program makes kernel code touch unpopulated arena memory.
# $1: the selftests directory.
set -u
selftests=$1
cd "$selftests" || exit 1
export PATH="$selftests:$selftests/tools/sbin:$PATH"
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
mountpoint -q /sys/kernel/tracing || mount -t tracefs none /sys/kernel/tracing
mountpoint -q /sys/fs/bpf || mount -t bpf none /sys/fs/bpf

step() { printf '\n### %s\n' "$*"; }

step "kernel: $(uname -r)"
step "BPF arena programs at work (test_progs -v -t arena_list)"
./test_progs -v -t arena_list 2>&1 | grep -E 'arena_list|Summary|PASS|FAIL' | head -20

step "not there yet"
cat <<'MSG'
Kernel code that touches an unpopulated arena page on a BPF program's
behalf still oopses this kernel: the fault recovery, the disabling and
unloading of the guilty program, and the faulting test programs this demo
will load from a tracepoint are the next patches of the series.
MSG

step "loaded BPF programs now (bpftool prog show)"
bpftool prog show | head -20

step "the machine is alive"
uptime
echo "demo: done"
