#!/bin/sh
# Runs inside a throwaway guest: a kernel access just outside an arena, with
# the BPF program on the stack, must still oops; the host looks for it in
# the console.  $1: the selftests directory.
set -u
cd "$1" || exit 1
mountpoint -q /sys/fs/bpf || mount -t bpf none /sys/fs/bpf
echo "guest: negative control: expecting an oops"
KFAULT_EXPECT_OOPS=1 ./test_progs -t kfault_outside_arena
echo "guest: negative control: the kernel survived"
