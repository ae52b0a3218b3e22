// SPDX-License-Identifier: GPL-2.0
/* Programs `make compare` times: arena alloc/free, recovered kernel faults,
 * and how long a faulting program keeps running. */
#define BPF_NO_KFUNC_PROTOTYPES
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define ARENA_PAGES 4096

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, ARENA_PAGES);
} arena SEC(".maps");

void *bpf_arena_alloc_pages(void *map, void *addr, __u32 page_cnt, int node_id,
			    __u64 flags) __ksym;
void bpf_arena_free_pages(void *map, void *ptr, __u32 page_cnt) __ksym;
/* bpf_testmod's; only the patched kernel survives what it is used for */
void bpf_kfunc_arena_memset(void *p__map, __s64 off, int c, __u32 len) __ksym __weak;

/* alloc_free: this many alloc+free pairs of this many pages */
__u32 iters, pages;
__u32 alloc_failed;

static int alloc_free_one(__u32 i, void *ctx)
{
	void *p = bpf_arena_alloc_pages(&arena, NULL, pages, -1, 0);

	if (!p) {
		alloc_failed++;
		return 1;
	}
	bpf_arena_free_pages(&arena, p, pages);
	return 0;
}

SEC("?syscall")
int alloc_free(void *ctx)
{
	bpf_loop(iters, alloc_free_one, NULL, 0);
	return 0;
}

/* kfault: one kfunc call that touches len bytes of never-allocated pages */
__s64 off;
__u32 len;

SEC("?syscall")
int kfault(void *ctx)
{
	bpf_kfunc_arena_memset(&arena, off, 0, len);
	return 0;
}

/* latency: the first run faults; every run stamps the time */
int target_pid;
__u64 fault_ns, last_run_ns, detached_ns;

SEC("?raw_tp/sys_enter")
int victim(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	last_run_ns = bpf_ktime_get_ns();
	if (!fault_ns) {
		fault_ns = last_run_ns;
		bpf_kfunc_arena_memset(&arena, off, 0, 8);
	}
	return 0;
}

SEC("?kretprobe/bpf_raw_tp_link_detach")
int BPF_KRETPROBE(detached)
{
	if (!detached_ns)
		detached_ns = bpf_ktime_get_ns();
	return 0;
}

/* perf-ioc: set on thousands of events, never run */
SEC("?perf_event")
int on_event(void *ctx)
{
	return 0;
}

/* latency-crowded: links that have nothing to do with the victim */
SEC("?iter/bpf_map")
int bystander(struct bpf_iter__bpf_map *ctx)
{
	return 0;
}

/* key: the count of bpf_prog_disable_key, the disabled programs not yet
 * freed (patched kernel only) */
extern const void bpf_prog_disable_key __ksym __weak;
int key_cnt;

SEC("?syscall")
int read_key(void *ctx)
{
	if (!&bpf_prog_disable_key)
		return -1;
	return bpf_probe_read_kernel(&key_cnt, sizeof(key_cnt), &bpf_prog_disable_key);
}

char _license[] SEC("license") = "GPL";
