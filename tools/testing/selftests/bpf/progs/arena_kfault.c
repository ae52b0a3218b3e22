// SPDX-License-Identifier: GPL-2.0
/*
 * Programs that make kernel code (bpf_testmod's arena kfuncs) touch arena
 * memory that may not be populated.
 */
#define BPF_NO_KFUNC_PROTOTYPES
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf_arena_common.h"
#include "../bpf_testmod/bpf_testmod_kfunc.h"

#define ARENA_PAGES 48

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, ARENA_PAGES);
} arena SEC(".maps");

/* In: offset from the start of the arena's kernel mapping, value. */
__s64 off;
__u64 val;
/* In: arena pointer (user view) to alloc or free. */
__u64 uaddr;
/* Out */
__u64 got;
__u64 alloc_ret;
/* How many pages alloc_page and free_page take; 0 for one */
__u32 npages;

/*
 * A program is disabled at its first recovered fault, so there are copies
 * of the reader and of the writer: the test uses one that has not faulted.
 */
#define KREAD_KWRITE(n)						\
SEC("syscall")							\
int kread##n(void *ctx)						\
{								\
	got = bpf_kfunc_arena_read(&arena, off);		\
	return 0;						\
}								\
								\
SEC("syscall")							\
int kwrite##n(void *ctx)					\
{								\
	bpf_kfunc_arena_write(&arena, off, val);		\
	return 0;						\
}

KREAD_KWRITE(0)
KREAD_KWRITE(1)
KREAD_KWRITE(2)
KREAD_KWRITE(3)
KREAD_KWRITE(4)
KREAD_KWRITE(5)
KREAD_KWRITE(6)
KREAD_KWRITE(7)

/* The arena kfunc handed a map that is not an arena. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, __u64);
} not_arena SEC(".maps");

SEC("syscall")
int kread_not_arena(void *ctx)
{
	got = bpf_kfunc_arena_read(&not_arena, off);
	return 0;
}

SEC("syscall")
int kexec(void *ctx)
{
	bpf_kfunc_arena_exec(&arena, off);
	return 0;
}

/*
 * A well-behaved program's own access to the arena, which the JIT fixes up
 * when the page is missing: read the u64 at @uaddr into @got, then store
 * @val there unless it is 0.
 */
SEC("syscall")
int direct_rw(void *ctx)
{
	__u64 __arena *p = (__u64 __arena *)uaddr;
	void *map = &arena;

	/* Loads the map's address: what ties the program to the arena. */
	asm volatile("" : : "r"(map));
	got = *p;
	if (val)
		*p = val;
	return 0;
}

SEC("syscall")
int kread_irq(void *ctx)
{
	bpf_kfunc_arena_read_from_irq(&arena, off);
	return 0;
}

SEC("syscall")
int kmemset(void *ctx)
{
	bpf_kfunc_arena_memset(&arena, off, val, 4096);
	return 0;
}

SEC("syscall")
int alloc_page(void *ctx)
{
	alloc_ret = (__u64)bpf_arena_alloc_pages(&arena, (void __arena *)uaddr, npages ?: 1,
						 NUMA_NO_NODE, 0);
	return 0;
}

SEC("syscall")
int free_page(void *ctx)
{
	bpf_arena_free_pages(&arena, (void __arena *)uaddr, npages ?: 1);
	return 0;
}

/* The same write from tracing programs, for the test's own process only. */
int target_pid;
__u64 tp_runs;
__u64 kprobe_runs;

SEC("raw_tp/sys_enter")
int tp_kwrite(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	bpf_kfunc_arena_write(&arena, off, val);
	tp_runs++;
	return 0;
}

SEC("ksyscall/getpgid")
int BPF_KSYSCALL(kprobe_kwrite, pid_t pid)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	bpf_kfunc_arena_write(&arena, off, val + 1);
	kprobe_runs++;
	return 0;
}

/*
 * Who is blamed for a fault in a leaf kfunc: the program that called it,
 * also when that program runs nested in another one's kfunc call.  Both
 * use the arena, so blaming the outer one would not be caught by the
 * address check.
 */
SEC("syscall")
int kread_leaf(void *ctx)
{
	bpf_kfunc_arena_leaf_base(&arena);
	got = bpf_kfunc_arena_read_leaf(off);
	return 0;
}

SEC("syscall")
int leaf_outer(void *ctx)
{
	bpf_kfunc_arena_leaf_base(&arena);
	bpf_kfunc_kfault_hook_loop(1);
	return 0;
}

SEC("?raw_tp/bpf_testmod_kfault_loop")
int leaf_inner(void *ctx)
{
	bpf_kfunc_arena_leaf_base(&arena);
	got = bpf_kfunc_arena_read_leaf(off);
	return 0;
}

/*
 * Two CPUs fault on one slot.  The fault of the first, that of thread
 * hold_tid, waits in the fault path, where the exception tables are
 * searched before the arena's handler runs.  The fault of the second, that
 * of thread release_tid, releases it once it has installed the scratch
 * page, from where it is charged: still in its fault path, so nothing the
 * second CPU may run afterwards (an unload work that patches text and waits
 * for the first CPU, with interrupts off there) stands in between.
 */
int hold_tid = -1;
int release_tid = -1;
int holding;
int released;
/* The hold ended by its deadline, not by the second fault. */
int timed_out;
/* The first fault was still held when the second was charged. */
int held_then;

SEC("?fentry/search_bpf_extables")
int BPF_PROG(hold_fault, unsigned long addr)
{
	__u64 end;
	int i, j;

	if ((__u32)bpf_get_current_pid_tgid() != hold_tid)
		return 0;
	hold_tid = -1;
	holding = 1;
	/*
	 * Give up after 5 s, not after a number of iterations, which a fast
	 * machine runs through sooner: the test then fails, it does not hang.
	 */
	end = bpf_ktime_get_ns() + 5000000000ULL;
	bpf_for(j, 0, 1 << 10) {
		bpf_for(i, 0, 1 << 20) {
			barrier();
			if (released)
				goto done;
			if (bpf_ktime_get_ns() > end)
				goto late;
		}
	}
late:
	timed_out = 1;
done:
	holding = 0;
	return 0;
}

SEC("?fentry/bpf_prog_report_fault")
int BPF_PROG(hold_fault_release, struct bpf_prog *prog, __u32 reason, __u64 addr)
{
	if ((__u32)bpf_get_current_pid_tgid() != release_tid)
		return 0;
	release_tid = -1;
	held_then = holding;
	released = 1;
	return 0;
}

char _license[] SEC("license") = "GPL";
