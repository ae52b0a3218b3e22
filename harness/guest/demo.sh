#!/bin/sh
# Runs inside the guest for `make run`: shows what the patched kernel does
# when a BPF program makes kernel code touch unpopulated arena memory.
# $1: the selftests directory, $2: bpftool's.
set -u
selftests=$1
cd "$selftests" || exit 1
# The full bpftool first: the selftests directory has a bootstrap one.
export PATH="$2:$selftests:$PATH"
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
mountpoint -q /sys/fs/bpf || mount -t bpf none /sys/fs/bpf

step() { printf '\n### %s\n' "$*"; }

step "kernel: $(uname -r)"
step "BPF programs hand kernel code (bpf_testmod's arena kfuncs) arena addresses with no page behind them"
./test_progs -v -t arena_kfault/recover 2>&1 | grep -E '^(#|Summary)|ASSERT|FAIL'

step "what the kernel logged (dmesg | grep 'bpf: arena fault')"
# Indented: the host strips lines that look like console messages.
dmesg | grep 'bpf: arena fault' | head -8 | sed 's/^/  /'

step "BPF programs loaded now (bpftool prog show): test_progs has exited"
bpftool prog show | head -20

step "not there yet"
cat <<'MSG'
The faulting program is recovered but keeps running: disabling it on every
hook and unloading it, and the faulting tracepoint program this demo will
load to show that, are the next patches of the series.
MSG

step "the machine is alive"
uptime
echo "demo: done"
