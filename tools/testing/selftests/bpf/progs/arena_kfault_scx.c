// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately buggy sched_ext scheduler: a global FIFO whose enqueue
 * operation hands a bpf_testmod kfunc a pointer to an arena page that was
 * never allocated, for the test's tasks.
 */
#define BPF_NO_KFUNC_PROTOTYPES
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_arena_common.h"
#include "../bpf_testmod/bpf_testmod_kfunc.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16);
} arena SEC(".maps");

/*
 * sched_ext's own types and constants, so that the object builds from a
 * vmlinux.h without sched_ext (the selftests' config does not enable it);
 * libbpf matches struct sched_ext_ops___kfault with the kernel's type,
 * member by member.  The test skips itself where sched_ext is absent.
 */
#define SCX_OPS_NAME_LEN 128
#define SCX_SLICE_DFL (20 * 1000000ULL)
#define SCX_DSQ_GLOBAL ((1ULL << 63) | 1)

struct sched_ext_ops___kfault {
	void (*enqueue)(struct task_struct *p, u64 enq_flags);
	char name[SCX_OPS_NAME_LEN];
};

void scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;

int target_pid;
__s64 bad_off;
__u64 enqueues;
__u64 bad_enqueues;

SEC("struct_ops/kfault_enqueue")
void BPF_PROG(kfault_enqueue, struct task_struct *p, u64 enq_flags)
{
	enqueues++;
	if (p->tgid == target_pid) {
		bad_enqueues++;
		bpf_kfunc_arena_read(&arena, bad_off);
	}
	scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops___kfault kfault_ops = {
	.enqueue = (void *)kfault_enqueue,
	.name = "arena_kfault",
};

char _license[] SEC("license") = "GPL";
