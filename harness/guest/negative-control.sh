#!/bin/sh
# Runs inside a throwaway guest: a kernel access that no arena recovers,
# with the BPF program on the stack, must still oops; the host looks for
# it in the console.  $1: the selftests directory, $2: the test.
set -u
cd "$1" || exit 1
mountpoint -q /sys/fs/bpf || mount -t bpf none /sys/fs/bpf
echo "guest: negative control $2: expecting an oops"
KFAULT_EXPECT_OOPS=1 ./test_progs -t "$2"
echo "guest: negative control: the kernel survived"
