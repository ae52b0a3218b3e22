// SPDX-License-Identifier: GPL-2.0
/*
 * For trying it by hand: a tracepoint program with the arena bug and a
 * well-behaved one on the same tracepoint.
 *
 *   bpftool prog loadall arena_kfault_demo.bpf.o /sys/fs/bpf/kfault autoattach
 *
 * The first getpgid() makes the kernel disable and unload demo_bad;
 * demo_good keeps counting.
 */
#define BPF_NO_KFUNC_PROTOTYPES
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "bpf_arena_common.h"
#include "../bpf_testmod/bpf_testmod_kfunc.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
} arena SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int demo_bad(void *ctx)
{
	/* The arena's first page was never allocated. */
	bpf_kfunc_arena_read(&arena, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int demo_good(void *ctx)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
