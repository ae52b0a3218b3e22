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

step "a tracepoint program with the same bug, next to a well-behaved one (bpftool prog loadall ... autoattach)"
mountpoint -q /sys/kernel/tracing || mount -t tracefs none /sys/kernel/tracing
insmod bpf_testmod.ko
sysctl -q kernel.bpf_stats_enabled=1
echo 1 > /sys/kernel/tracing/events/bpf/bpf_prog_disabled/enable
bpftool prog loadall arena_kfault_demo.bpf.o /sys/fs/bpf/kfault autoattach
getpgid() { python3 -c "import os
for i in range($1): os.getpgid(0)"; }
getpgid 100
sleep 1

step "what the kernel logged"
dmesg | grep -E 'bpf: (arena fault|prog).*demo_bad' | sed 's/^/  /'

step "what tools watching the bpf:bpf_prog_disabled tracepoint saw"
grep bpf_prog_disabled /sys/kernel/tracing/trace | sed 's/^ */  /'

step "100 more getpgid(): demo_bad's run count stays, demo_good's grows (bpftool prog show)"
bpftool prog show name demo_bad
getpgid 100
bpftool prog show name demo_bad
bpftool prog show name demo_good

step "its link is detached, but user space still holds it (ls /sys/fs/bpf/kfault; bpftool link show)"
ls /sys/fs/bpf/kfault
bpftool link show

step "user space lets go (rm -r /sys/fs/bpf/kfault): demo_bad is gone"
rm -r /sys/fs/bpf/kfault
sleep 1
bpftool prog show name demo_bad 2>&1 || true
bpftool prog show | grep -c demo_ | sed 's/^/programs named demo_*: /'

step "the machine is alive"
uptime
echo "demo: done"
