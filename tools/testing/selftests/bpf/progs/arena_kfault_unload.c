// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberately buggy programs: each hands a bpf_testmod kfunc a pointer to
 * an arena page that was never allocated, from a different hook.  Next to
 * each, a well-behaved program on the same hook uses the same arena.  The
 * test enables one pair at a time.
 */
#define BPF_NO_KFUNC_PROTOTYPES
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpf_misc.h"
#include "bpf_arena_common.h"
#include "../bpf_testmod/bpf_testmod_kfunc.h"

#define ARENA_PAGES 16

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, ARENA_PAGES);
} arena SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} jmp_table SEC(".maps");

/* In: whose events count, where the bug points, where good data lives. */
int target_pid;
__s64 bad_off;
__s64 good_off;
/* Out */
__u64 bad_runs;
__u64 good_runs;
__u64 good_got;
__u64 bad_in_nmi;

static __always_inline bool mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_pid;
}

/* The bug, in a subprogram: the main program gets the blame. */
static __noinline int fault(void)
{
	return bpf_kfunc_arena_read(&arena, bad_off) == 1;
}

static int fault_cb(__u32 i, void *data)
{
	fault();
	return 1;
}

static __always_inline int bad(void)
{
	if (mine()) {
		bad_runs++;
		fault();
	}
	return 0;
}

static __always_inline int good(void)
{
	if (mine()) {
		good_got = bpf_kfunc_arena_read(&arena, good_off);
		good_runs++;
	}
	return 0;
}

SEC("?raw_tp/sys_enter")
int bad_raw_tp(void *ctx)
{
	return bad();
}

SEC("?raw_tp/sys_enter")
int good_raw_tp(void *ctx)
{
	return good();
}

/* From a callback this time. */
SEC("?tracepoint/syscalls/sys_enter_getpgid")
int bad_tp(void *ctx)
{
	if (mine()) {
		bad_runs++;
		bpf_loop(1, fault_cb, NULL, 0);
	}
	return 0;
}

SEC("?tracepoint/syscalls/sys_enter_getpgid")
int good_tp(void *ctx)
{
	return good();
}

SEC("?kprobe/" SYS_PREFIX "sys_getpgid")
int bad_kprobe(void *ctx)
{
	return bad();
}

SEC("?kprobe/" SYS_PREFIX "sys_getpgid")
int good_kprobe(void *ctx)
{
	return good();
}

SEC("?kprobe.multi/" SYS_PREFIX "sys_getpgid")
int bad_kmulti(void *ctx)
{
	return bad();
}

SEC("?kprobe.multi/" SYS_PREFIX "sys_getpgid")
int good_kmulti(void *ctx)
{
	return good();
}

SEC("?fentry/" SYS_PREFIX "sys_getpgid")
int bad_fentry(void *ctx)
{
	return bad();
}

SEC("?fentry/" SYS_PREFIX "sys_getpgid")
int good_fentry(void *ctx)
{
	return good();
}

/* Sampling: in NMI where the PMU raises one, in hardirq otherwise. */
SEC("?perf_event")
int bad_perf(void *ctx)
{
	return bad();
}

SEC("?perf_event")
int good_perf(void *ctx)
{
	return good();
}

/* Inside bpf_arena_alloc_pages(), which holds the arena's lock here. */
SEC("?kprobe/bpf_map_alloc_pages")
int bad_alloc(void *ctx)
{
	return bad();
}

SEC("?kprobe/bpf_map_alloc_pages")
int good_alloc(void *ctx)
{
	return good();
}

/* Inside bpf_arena_free_pages(), which holds the arena's lock here. */
SEC("?kprobe/vm_area_unmap_pages")
int bad_free(void *ctx)
{
	return bad();
}

SEC("?kprobe/vm_area_unmap_pages")
int good_free(void *ctx)
{
	return good();
}

/* Inside vmalloc(), while it reserves kernel address space. */
SEC("?tp_btf/alloc_vmap_area")
int bad_vmalloc(void *ctx)
{
	return bad();
}

SEC("?tp_btf/alloc_vmap_area")
int good_vmalloc(void *ctx)
{
	return good();
}

#ifdef __TARGET_ARCH_x86
extern const struct pcpu_hot pcpu_hot __ksym;
#define NMI_MASK 0x00f00000 /* include/linux/preempt.h */

static __always_inline __u64 in_nmi(void)
{
	return !!(((struct pcpu_hot *)bpf_this_cpu_ptr(&pcpu_hot))->preempt_count & NMI_MASK);
}
#else
static __always_inline __u64 in_nmi(void)
{
	return 0;
}
#endif

/*
 * In NMI: an NMI backtrace request runs this handler on every other CPU.
 * Whatever task the NMI interrupted is current, so there is no filter; the
 * test is alone in making these requests.
 */
SEC("?fentry/nmi_cpu_backtrace_handler")
int BPF_PROG(bad_nmi)
{
	bad_in_nmi = in_nmi();
	bad_runs++;
	fault();
	return 0;
}

SEC("?fentry/nmi_cpu_backtrace_handler")
int BPF_PROG(good_nmi)
{
	good_got = bpf_kfunc_arena_read(&arena, good_off);
	good_runs++;
	return 0;
}

/* A tail-called program faults; the program that calls it is innocent. */
SEC("?raw_tp/sys_enter")
int bad_tailee(void *ctx)
{
	return bad();
}

SEC("?raw_tp/sys_enter")
int good_tailer(void *ctx)
{
	if (mine())
		bpf_tail_call(ctx, &jmp_table, 0);
	return good();
}

/* For the alloc and free hooks, and for the stress test. */
__u64 uaddr;
__u64 alloc_ret;

SEC("?syscall")
int alloc_page(void *ctx)
{
	alloc_ret = (__u64)bpf_arena_alloc_pages(&arena, (void __arena *)uaddr, 1,
						 NUMA_NO_NODE, 0);
	return 0;
}

SEC("?syscall")
int free_page(void *ctx)
{
	bpf_arena_free_pages(&arena, (void __arena *)uaddr, 1);
	return 0;
}

/* Stress: programs that each fault once, run from several CPUs at once. */
__s64 stress_off[32];

#define FAULTER(n)						\
SEC("?syscall")							\
int faulter##n(void *ctx)					\
{								\
	bpf_kfunc_arena_read(&arena, stress_off[n]);		\
	return 0;						\
}

FAULTER(0) FAULTER(1) FAULTER(2) FAULTER(3) FAULTER(4) FAULTER(5) FAULTER(6) FAULTER(7)
FAULTER(8) FAULTER(9) FAULTER(10) FAULTER(11) FAULTER(12) FAULTER(13) FAULTER(14) FAULTER(15)
FAULTER(16) FAULTER(17) FAULTER(18) FAULTER(19) FAULTER(20) FAULTER(21) FAULTER(22) FAULTER(23)
FAULTER(24) FAULTER(25) FAULTER(26) FAULTER(27) FAULTER(28) FAULTER(29) FAULTER(30) FAULTER(31)

char _license[] SEC("license") = "GPL";
