#!/bin/sh
# Runs inside the guest: the selected test_progs tests, then a copy of the
# kernel log.  $1: the selftests directory, $2: the results directory,
# $3: the test list file.
set -u
selftests=$1 results=$2 list=$3

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
mountpoint -q /sys/kernel/tracing || mount -t tracefs none /sys/kernel/tracing
mountpoint -q /sys/fs/bpf || mount -t bpf none /sys/fs/bpf

tests=$(grep -v '^#' "$list" | grep -v '^$' | paste -sd, -)
cd "$selftests" || exit 1
echo "guest: running test_progs -t $tests"
./test_progs -t "$tests" > "$results/test_progs.log" 2>&1
echo "guest: test_progs exited $?"
cat "$results/test_progs.log"
dmesg > "$results/dmesg.log"
echo "guest: done"
