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
#include "bpf_experimental.h"
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

/* In test_progs, which the test calls; uprobes can use arenas too. */
SEC("?uprobe.multi//proc/self/exe:arena_kfault_uprobe_target")
int bad_umulti(void *ctx)
{
	return bad();
}

SEC("?uprobe.multi//proc/self/exe:arena_kfault_uprobe_target")
int good_umulti(void *ctx)
{
	return good();
}

/* tcx links can be updated to another program: see link_update_*. */
SEC("?tcx/ingress")
int bad_tcx(struct __sk_buff *skb)
{
	return bad();
}

SEC("?tcx/ingress")
int good_tcx(struct __sk_buff *skb)
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

/*
 * Inside bpf_arena_free_pages(), which holds the arena's lock here while it
 * zaps the user mapping of the page it frees.
 */
SEC("?kprobe/zap_page_range_single")
int bad_free(void *ctx)
{
	return bad();
}

SEC("?kprobe/zap_page_range_single")
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
#endif
#define NMI_MASK 0x00f00000 /* include/linux/preempt.h */

#ifdef __TARGET_ARCH_x86
static __always_inline __u64 in_nmi(void)
{
	return !!(((struct pcpu_hot *)bpf_this_cpu_ptr(&pcpu_hot))->preempt_count & NMI_MASK);
}
#elif defined(__TARGET_ARCH_arm64)
static __always_inline __u64 in_nmi(void)
{
	return !!(bpf_get_current_task_btf()->thread_info.preempt_count & NMI_MASK);
}
#else
static __always_inline __u64 in_nmi(void)
{
	return 0;
}
#endif

/*
 * In NMI: an NMI backtrace request runs this handler on every other CPU.
 * arm64 has no handler of its own: the test attaches there to show_regs(),
 * which nmi_cpu_backtrace() calls, in NMI with pseudo-NMIs, in an IPI
 * without.  Whatever task the NMI interrupted is current, so there is no
 * filter; the test is alone in making these requests.
 */
SEC("?fentry/nmi_cpu_backtrace_handler")
int BPF_PROG(bad_nmi)
{
	/* The run that faults, the first, is the one that counts. */
	if (__sync_fetch_and_add(&bad_runs, 1) == 0)
		bad_in_nmi = in_nmi();
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

/*
 * The skip itself: bpf_kfunc_kfault_hook_loop() fires these hooks several
 * times in a row, with no chance for the unload to run in between.
 */
__u32 loop_n;

SEC("?syscall")
int kfault_loop(void *ctx)
{
	bpf_kfunc_kfault_hook_loop(loop_n);
	return 0;
}

SEC("?fentry/bpf_testmod_kfault_hook")
int BPF_PROG(skip_fentry)
{
	return bad();
}

SEC("?kprobe/bpf_testmod_kfault_hook")
int skip_kprobe(void *ctx)
{
	return bad();
}

SEC("?raw_tp/bpf_testmod_kfault_loop")
int skip_raw_tp(void *ctx)
{
	return bad();
}

/*
 * The count of bpf_prog_disable_key, the disabled programs not yet freed:
 * the atomic_t its struct static_key starts with.
 */
extern const void bpf_prog_disable_key __ksym __weak;
int disable_key_cnt;

SEC("?syscall")
int read_disable_key(void *ctx)
{
	if (!&bpf_prog_disable_key)
		return -1;
	return bpf_probe_read_kernel(&disable_key_cnt, sizeof(disable_key_cnt),
				     &bpf_prog_disable_key);
}

/* Callbacks that fault and re-arm themselves, from a bpf_timer and a bpf_wq. */
#define CLOCK_MONOTONIC 1

struct timer_elem {
	struct bpf_timer t;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct timer_elem);
} timers SEC(".maps");

struct wq_elem {
	struct bpf_wq w;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct wq_elem);
} wqs SEC(".maps");

__u64 cb_runs;

static int timer_cb(void *map, int *key, struct timer_elem *e)
{
	cb_runs++;
	fault();
	bpf_timer_start(&e->t, 1000000, 0);
	return 0;
}

SEC("?tc")
int bad_timer(struct __sk_buff *skb)
{
	struct timer_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&timers, &key);
	if (!e || bpf_timer_init(&e->t, &timers, CLOCK_MONOTONIC) ||
	    bpf_timer_set_callback(&e->t, timer_cb))
		return 0;
	bpf_timer_start(&e->t, 0, 0);
	return 0;
}

static int wq_cb(void *map, int *key, void *value)
{
	struct wq_elem *e = value;

	cb_runs++;
	fault();
	bpf_wq_start(&e->w, 0);
	return 0;
}

SEC("?tc")
int bad_wq(struct __sk_buff *skb)
{
	struct wq_elem *e;
	int key = 0;

	e = bpf_map_lookup_elem(&wqs, &key);
	if (!e || bpf_wq_init(&e->w, &wqs, 0) || bpf_wq_set_callback(&e->w, wq_cb, 0))
		return 0;
	bpf_wq_start(&e->w, 0);
	return 0;
}

/*
 * Attachments made while the unload runs.  bad_raced is attached from
 * another thread, which a hold_* program holds half way until user space
 * lets it go, while BPF_PROG_TEST_RUN makes it fault.
 */
int hold_armed;
int hold_release;
int hold_state;	/* 1 while holding, 2 once let go, 3 if it timed out */
int probe_regs;

SEC("?raw_tp")
int bad_raced(void *ctx)
{
	return bad();
}

/* Spin until user space lets go, at most 5 s, once, where @match. */
static __always_inline void hold(bool match)
{
	__u64 start = bpf_ktime_get_ns();
	int i, j;

	if (!match || !hold_armed)
		return;
	hold_armed = 0;
	hold_state = 1;
	/* A numbers iterator runs at most BPF_MAX_LOOPS (8M) times: nest two. */
	bpf_for(i, 0, 1 << 20) {
		bpf_for(j, 0, 1 << 10) {
			barrier(); /* read hold_release afresh */
			if (hold_release) {
				hold_state = 2;
				return;
			}
		}
		if (bpf_ktime_get_ns() - start > 5000000000ULL)
			break;
	}
	hold_state = 3;
}

/* After bpf_link_prime(), before the probe is registered. */
SEC("?fentry/tracepoint_probe_register_prio_may_exist")
int BPF_PROG(hold_register)
{
	hold(mine());
	return 0;
}

/* After the prog array update got the program, before it writes the slot. */
SEC("?fexit/prog_fd_array_get_ptr")
int BPF_PROG(hold_prog_array_insert)
{
	hold(mine());
	return 0;
}

/*
 * In the unload work, between its check that a link holds the disabled
 * program and the detach of that link: the program whose id this is.
 */
__u32 hold_link_prog_id;

SEC("?fentry/tcx_link_detach")
int BPF_PROG(hold_link_detach, struct bpf_link *link)
{
	hold(link->prog && link->prog->aux->id == hold_link_prog_id);
	return 0;
}

/* The unload found a link of the program still being attached. */
int unsettled_seen;

SEC("?fexit/bpf_prog_has_unsettled_links")
int BPF_PROG(count_unsettled, const struct bpf_prog *prog, bool ret)
{
	if (ret)
		unsettled_seen++;
	return 0;
}

SEC("?syscall")
int read_probe_regs(void *ctx)
{
	probe_regs = bpf_kfunc_kfault_probe_regs();
	return 0;
}

/* freplace: a tc program whose global function an extension replaces. */
__noinline int ext_target_fn(struct __sk_buff *skb)
{
	return skb->len ? 1 : 0;
}

SEC("?tc")
int ext_target(struct __sk_buff *skb)
{
	return ext_target_fn(skb);
}

SEC("?freplace/ext_target_fn")
int ext_replacement(struct __sk_buff *skb)
{
	return 2;
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

/* What kernel code reads at uaddr. */
__u64 read_got;

/* Faults on uaddr, once: the scratch page goes there. */
SEC("?syscall")
int touch_scratch(void *ctx)
{
	bpf_kfunc_arena_read(&arena, (__u32)uaddr);
	return 0;
}

SEC("?syscall")
int read_back(void *ctx)
{
	read_got = bpf_kfunc_arena_read(&arena, (__u32)uaddr);
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
__u64 stress_got[32];

static __always_inline int stress_read(int n)
{
	stress_got[n] = bpf_kfunc_arena_read(&arena, stress_off[n]);
	return 0;
}

#define FAULTER(n)						\
SEC("?syscall")							\
int faulter##n(void *ctx)					\
{								\
	return stress_read(n);					\
}

FAULTER(0) FAULTER(1) FAULTER(2) FAULTER(3) FAULTER(4) FAULTER(5) FAULTER(6) FAULTER(7)
FAULTER(8) FAULTER(9) FAULTER(10) FAULTER(11) FAULTER(12) FAULTER(13) FAULTER(14) FAULTER(15)
FAULTER(16) FAULTER(17) FAULTER(18) FAULTER(19) FAULTER(20) FAULTER(21) FAULTER(22) FAULTER(23)
FAULTER(24) FAULTER(25) FAULTER(26) FAULTER(27) FAULTER(28) FAULTER(29) FAULTER(30) FAULTER(31)

/*
 * kernel.bpf_fault_disable: a program of each class, counting its runs in
 * bad_runs, and on tcx a program behind the policy one.  Packets and
 * sockets of the test's own network namespace and cgroup only, whatever
 * task they run in.
 */
__u64 next_runs;

SEC("?syscall")
int policy_sys(void *ctx)
{
	bad_runs++;
	fault();
	return 0;
}

SEC("?tc")
int policy_tc(struct __sk_buff *skb)
{
	bad_runs++;
	fault();
	return TCX_DROP;
}

SEC("?tc")
int policy_tc_next(struct __sk_buff *skb)
{
	next_runs++;
	return TCX_PASS;
}

SEC("?cgroup/sock_create")
int policy_sock(struct bpf_sock *sk)
{
	bad_runs++;
	fault();
	return 1;
}

SEC("?xdp")
int policy_xdp(struct xdp_md *ctx)
{
	bad_runs++;
	fault();
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
