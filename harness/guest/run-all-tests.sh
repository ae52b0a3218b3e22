#!/bin/sh
# Runs inside the guest for `make compare`: every test_progs test, one after
# the other, for at most $3 seconds; then a copy of the kernel log.
# $1: the selftests directory, $2: the results directory, $3: the limit.
set -u
selftests=$1 results=$2 limit=$3

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
mountpoint -q /sys/kernel/tracing || mount -t tracefs none /sys/kernel/tracing
mountpoint -q /sys/fs/bpf || mount -t bpf none /sys/fs/bpf

cd "$selftests" || exit 1
echo "guest: running every test_progs test for at most ${limit}s"
timeout -k 10 "$limit" ./test_progs > "$results/test_progs.log" 2>&1
echo "guest: test_progs exited $?"
dmesg > "$results/dmesg.log"
echo "guest: done"
