// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel code that touches an unpopulated page of a BPF arena on a
 * program's behalf used to oops.  The kernel now installs the arena's
 * scratch page and the access completes.  Check where that works, and
 * that the scratch page never stands in for a real page: not for a later
 * allocation, not for user space.
 */
#include <test_progs.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#include "arena_kfault.skel.h"
#include "cgroup_helpers.h"

#define MARKER 0x5ca7c4ba5ca7c4baULL
#define ARENA_PAGES 48
/* The kernel range of an arena: 4 GiB with a 32 KiB guard on each side. */
#define KERN_RANGE BIT_ULL(32)
#define GUARD_HALF (32 * 1024)
/* Copies of the reader and of the writer in progs/arena_kfault.c */
#define KFAULT_COPIES 8

static long page_size;

static int run(struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	return err ?: opts.retval;
}

/*
 * @optional: load also the programs not loaded by default whose names start
 * with it, or none if NULL.
 */
static struct arena_kfault *load(__u32 extra_flags, const char *optional, char **area)
{
	struct arena_kfault *skel;
	struct bpf_program *prog;
	size_t sz;

	skel = arena_kfault__open();
	if (!ASSERT_OK_PTR(skel, "arena_kfault__open"))
		return NULL;
	bpf_map__set_map_flags(skel->maps.arena,
			       bpf_map__map_flags(skel->maps.arena) | extra_flags);
	bpf_object__for_each_program(prog, skel->obj)
		if (optional && !strncmp(bpf_program__name(prog), optional, strlen(optional)))
			bpf_program__set_autoload(prog, true);
	if (!ASSERT_OK(arena_kfault__load(skel), "arena_kfault__load")) {
		arena_kfault__destroy(skel);
		return NULL;
	}
	*area = bpf_map__initial_value(skel->maps.arena, &sz);
	return skel;
}

static __u64 user_read(char *area, int page)
{
	return READ_ONCE(*(__u64 *)(area + page * page_size));
}

static void user_write(char *area, int page, __u64 val)
{
	WRITE_ONCE(*(__u64 *)(area + page * page_size), val);
}

/* Offset of an arena page in the arena's kernel mapping. */
static __s64 page_off(char *area, int page)
{
	return (__u32)(unsigned long)(area + page * page_size);
}

/*
 * The kernel disables a program at its first recovered fault: pick a copy
 * of the reader or writer that has not faulted yet.
 */
static struct bpf_program *unfaulted(struct arena_kfault *skel, const char *base)
{
	struct bpf_prog_info info;
	struct bpf_program *prog;
	__u32 len;
	char name[16];
	int i;

	for (i = 0; i < KFAULT_COPIES; i++) {
		snprintf(name, sizeof(name), "%s%d", base, i);
		prog = bpf_object__find_program_by_name(skel->obj, name);
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len) &&
		    !info.fault_cnt)
			return prog;
	}
	PRINT_FAIL("every copy of %s has faulted\n", base);
	return NULL;
}

static bool kwrite(struct arena_kfault *skel, __s64 off, __u64 val)
{
	struct bpf_program *prog = unfaulted(skel, "kwrite");

	skel->bss->off = off;
	skel->bss->val = val;
	return prog && ASSERT_OK(run(prog), "kwrite");
}

static __u64 kread(struct arena_kfault *skel, __s64 off)
{
	struct bpf_program *prog = unfaulted(skel, "kread");

	skel->bss->off = off;
	skel->bss->got = ~0ULL;
	if (prog)
		ASSERT_OK(run(prog), "kread");
	return skel->bss->got;
}

static bool alloc_page(struct arena_kfault *skel, char *area, int page)
{
	skel->bss->uaddr = (unsigned long)(area + page * page_size);
	skel->bss->alloc_ret = 0;
	return ASSERT_OK(run(skel->progs.alloc_page), "alloc_page") &&
	       ASSERT_EQ(skel->bss->alloc_ret, skel->bss->uaddr, "alloc_ret");
}

static void free_page(struct arena_kfault *skel, char *area, int page)
{
	skel->bss->uaddr = (unsigned long)(area + page * page_size);
	ASSERT_OK(run(skel->progs.free_page), "free_page");
}

/* Recovered reads and writes, anywhere in the arena's kernel range. */
static void test_recover(void)
{
	struct arena_kfault *skel;
	char *area;
	int i;

	skel = load(0, NULL, &area);
	if (!skel)
		return;
	struct {
		const char *where;
		__s64 off;
	} at[] = {
		{ "first page", page_off(area, 0) },
		{ "last page", page_off(area, ARENA_PAGES - 1) },
		{ "end of the 4 GiB range", KERN_RANGE - 8 },
		{ "lower guard", -GUARD_HALF },
		{ "upper guard", KERN_RANGE + GUARD_HALF - 8 },
	};

	/* A fresh scratch page reads as zeros. */
	ASSERT_EQ(kread(skel, at[0].off), 0, "first read");
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		if (!kwrite(skel, at[i].off, MARKER + i))
			break;
		/* The write went through a mapping: it reads back. */
		ASSERT_EQ(kread(skel, at[i].off), MARKER + i, at[i].where);
	}
	skel->bss->off = page_off(area, 1);
	skel->bss->val = 0xa5;
	ASSERT_OK(run(skel->progs.kmemset), "kmemset");
	ASSERT_EQ(kread(skel, page_off(area, 1) + 8), 0xa5a5a5a5a5a5a5a5ULL, "memset");
	arena_kfault__destroy(skel);
}

/* The scratch page never stands in for a real page. */
static void test_alloc_after_fault(void)
{
	struct arena_kfault *skel;
	char *area;

	skel = load(0, NULL, &area);
	if (!skel)
		return;
	if (!kwrite(skel, page_off(area, 3), MARKER))
		goto out;
	if (!alloc_page(skel, area, 3))
		goto out;
	ASSERT_EQ(kread(skel, page_off(area, 3)), 0, "kernel view of the new page");
	ASSERT_EQ(user_read(area, 3), 0, "user view of the new page");
	user_write(area, 3, 42);
	ASSERT_EQ(kread(skel, page_off(area, 3)), 42, "kernel and user share the page");
out:
	arena_kfault__destroy(skel);
}

static void test_free_after_fault(void)
{
	struct arena_kfault *skel;
	char *area;

	skel = load(0, NULL, &area);
	if (!skel)
		return;
	/* Free a slot that holds the scratch page: it stays scratch. */
	kwrite(skel, page_off(area, 5), MARKER);
	free_page(skel, area, 5);
	ASSERT_EQ(kread(skel, page_off(area, 5)), MARKER, "still the scratch page");
	/* Free a real page, then fault on its slot. */
	if (!alloc_page(skel, area, 6))
		goto out;
	kwrite(skel, page_off(area, 6), 7);
	free_page(skel, area, 6);
	ASSERT_EQ(kread(skel, page_off(area, 6)), MARKER, "scratch after free");
	if (alloc_page(skel, area, 5))
		ASSERT_EQ(kread(skel, page_off(area, 5)), 0, "real page after scratch");
out:
	arena_kfault__destroy(skel);
}

/*
 * Free 43 pages at once: 40 real ones, each mapped to user space, a slot
 * that holds the scratch page and two empty ones.  The kernel clears and
 * frees them in windows of up to 16 slots, also cut where a page table
 * ends (in this range or not, depending on where the arena lies); every
 * real page must be gone from the kernel range, probed at the edges of
 * 16-slot windows, and from user space.  Then free one page mapped to user space, which free zaps
 * on its own.  With DEBUG_VM, teardown also checks that each page was
 * freed once.
 */
static void test_free_batches(void)
{
	const int real = 40, scratch = 41, cnt = 43;
	const int probe[] = { 0, 15, 16, 31, 32, 39 };
	struct arena_kfault *skel;
	char *area;
	int i;

	skel = load(0, NULL, &area);
	if (!skel)
		return;
	skel->bss->npages = real;
	if (!alloc_page(skel, area, 0))
		goto out;
	for (i = 0; i < real; i++)
		user_write(area, i, i + 1);
	ASSERT_EQ(kread(skel, page_off(area, real - 1)), real, "kernel and user share the pages");
	kwrite(skel, page_off(area, scratch), MARKER);
	skel->bss->npages = cnt;
	free_page(skel, area, 0);
	skel->bss->npages = 0;
	for (i = 0; i < ARRAY_SIZE(probe); i++)
		ASSERT_EQ(kread(skel, page_off(area, probe[i])), MARKER,
			  "freed: the kernel gets the scratch page");
	for (i = 0; i < real; i++)
		if (!ASSERT_EQ(user_read(area, i), 0, "freed: user space gets a new page"))
			break;
	/* One page, mapped to user space: no bulk zap, free zaps it alone. */
	if (!alloc_page(skel, area, cnt))
		goto out;
	user_write(area, cnt, MARKER);
	free_page(skel, area, cnt);
	ASSERT_EQ(user_read(area, cnt), 0, "one freed page: user space gets a new one");
out:
	arena_kfault__destroy(skel);
}

static void test_user_view(void)
{
	struct arena_kfault *skel;
	char *area;

	skel = load(0, NULL, &area);
	if (!skel)
		return;
	if (!kwrite(skel, page_off(area, 7), MARKER))
		goto out;
	/* User space faults in a fresh page, never the scratch page. */
	ASSERT_EQ(user_read(area, 7), 0, "user view");
	ASSERT_EQ(kread(skel, page_off(area, 7)), 0, "kernel view after user fault");
	user_write(area, 7, 43);
	ASSERT_EQ(kread(skel, page_off(area, 7)), 43, "kernel and user share the page");
out:
	arena_kfault__destroy(skel);
}

/* Recovery from tracing programs: a raw tracepoint and a kprobe. */
static void test_from_tracing(void)
{
	struct bpf_link *tp = NULL, *kp = NULL;
	struct arena_kfault *skel;
	char *area;

	skel = load(0, NULL, &area);
	if (!skel)
		return;
	skel->bss->off = page_off(area, 9);
	skel->bss->val = MARKER;
	skel->bss->target_pid = getpid();

	tp = bpf_program__attach(skel->progs.tp_kwrite);
	if (!ASSERT_OK_PTR(tp, "attach raw_tp"))
		goto out;
	usleep(1);
	bpf_link__destroy(tp);
	tp = NULL;
	ASSERT_GE(skel->bss->tp_runs, 1, "raw_tp runs");
	ASSERT_EQ(kread(skel, page_off(area, 9)), MARKER, "raw_tp write landed");

	kp = bpf_program__attach(skel->progs.kprobe_kwrite);
	if (!ASSERT_OK_PTR(kp, "attach kprobe"))
		goto out;
	skel->bss->off = page_off(area, 10);
	getpgid(0);
	ASSERT_EQ(skel->bss->kprobe_runs, 1, "kprobe runs");
	ASSERT_EQ(kread(skel, page_off(area, 10)), MARKER + 1, "kprobe write landed");
out:
	bpf_link__destroy(kp);
	bpf_link__destroy(tp);
	arena_kfault__destroy(skel);
}

static sigjmp_buf segv_jmp;

static void segv_handler(int sig)
{
	siglongjmp(segv_jmp, 1);
}

static void test_user_view_segv(void)
{
	struct sigaction sa = { .sa_handler = segv_handler }, old;
	struct arena_kfault *skel;
	char *area;

	skel = load(BPF_F_SEGV_ON_FAULT, NULL, &area);
	if (!skel)
		return;
	if (!kwrite(skel, page_off(area, 2), MARKER))
		goto out;
	sigaction(SIGSEGV, &sa, &old);
	if (!sigsetjmp(segv_jmp, 1)) {
		/* Read before PRINT_FAIL: it marks the test failed first. */
		__u64 got = user_read(area, 2);

		PRINT_FAIL("user space read 0x%llx instead of SIGSEGV\n", (unsigned long long)got);
	}
	sigaction(SIGSEGV, &old, NULL);
out:
	arena_kfault__destroy(skel);
}

/*
 * bpf_arena_map_kern_vm_start() of a map that is not an arena is 0, which
 * the test kfuncs check: nothing is touched, nothing faults.
 */
static void test_not_an_arena(void)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	struct arena_kfault *skel;
	char *area;

	skel = load(0, NULL, &area);
	if (!skel)
		return;
	skel->bss->off = 0;
	skel->bss->got = ~0ULL;
	ASSERT_OK(run(skel->progs.kread_not_arena), "kread_not_arena");
	ASSERT_EQ(skel->bss->got, 0, "read nothing");
	if (ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(skel->progs.kread_not_arena),
					      &info, &len), "info"))
		ASSERT_EQ(info.fault_cnt, 0, "no fault");
	arena_kfault__destroy(skel);
}

static __u32 fault_cnt(struct bpf_program *prog)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (!ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len), "info"))
		return ~0U;
	return info.fault_cnt;
}

/*
 * A fault in a leaf kfunc is charged to the program that called it, also
 * when that program runs nested in another program's kfunc call.
 */
/* Run direct_rw on @page: return what it read, then store @val unless 0. */
static __u64 direct_rw(struct arena_kfault *skel, char *area, int page, __u64 val)
{
	skel->bss->uaddr = (unsigned long)(area + page * page_size);
	skel->bss->val = val;
	skel->bss->got = ~0ULL;
	if (!ASSERT_OK(run(skel->progs.direct_rw), "direct_rw"))
		return ~0ULL;
	return skel->bss->got;
}

/*
 * What a well-behaved program sharing the arena sees once another program
 * made kernel code fault on two slots: both hold the one scratch page, so
 * its loads there read what was written through either, not 0, and its
 * stores land there too.  An empty slot still reads 0 and drops stores; user
 * space still gets a fresh page.  Documented in arena.rst, "What other
 * users of the arena see".
 */
static void test_shared_view(void)
{
	struct arena_kfault *skel;
	char *area;

	skel = load(0, NULL, &area);
	if (!skel)
		return;
	if (!kwrite(skel, page_off(area, 20), MARKER) ||
	    !ASSERT_EQ(kread(skel, page_off(area, 21)), MARKER, "kread of another scratched slot"))
		goto out;

	ASSERT_EQ(direct_rw(skel, area, 22, 0), 0, "empty slot reads 0");
	ASSERT_EQ(direct_rw(skel, area, 20, 0), MARKER, "scratched slot reads the kfunc's write");
	ASSERT_EQ(direct_rw(skel, area, 21, MARKER + 1), MARKER, "so does the other one");
	ASSERT_EQ(direct_rw(skel, area, 20, 0), MARKER + 1, "a store there shows in the first");
	direct_rw(skel, area, 22, MARKER + 2);
	ASSERT_EQ(direct_rw(skel, area, 22, 0), 0, "a store to an empty slot is dropped");

	ASSERT_EQ(user_read(area, 20), 0, "user space gets a fresh page");
	ASSERT_EQ(direct_rw(skel, area, 20, 0), 0, "and so does the program, in that slot");
	ASSERT_EQ(direct_rw(skel, area, 21, 0), MARKER + 1, "the other one is still scratched");

out:
	arena_kfault__destroy(skel);
}

static void test_leaf_kfunc(void)
{
	struct bpf_link *link;
	struct arena_kfault *skel;
	char *area;

	skel = load(0, "leaf_inner", &area);
	if (!skel)
		return;
	skel->bss->off = page_off(area, 11);
	skel->bss->got = ~0ULL;
	ASSERT_OK(run(skel->progs.kread_leaf), "kread_leaf");
	ASSERT_EQ(skel->bss->got, 0, "read the scratch page");
	ASSERT_EQ(fault_cnt(skel->progs.kread_leaf), 1, "charged to the caller");

	link = bpf_program__attach(skel->progs.leaf_inner);
	if (ASSERT_OK_PTR(link, "attach leaf_inner")) {
		skel->bss->off = page_off(area, 12);
		ASSERT_OK(run(skel->progs.leaf_outer), "leaf_outer");
		ASSERT_EQ(fault_cnt(skel->progs.leaf_inner), 1, "charged to the inner program");
		ASSERT_EQ(fault_cnt(skel->progs.leaf_outer), 0, "not to the outer one");
		bpf_link__destroy(link);
	}
	arena_kfault__destroy(skel);
}

static int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

struct held_fault {
	struct arena_kfault *skel;
	int err;
};

/* On CPU 1: a fault that hold_fault keeps in the fault path. */
static void *held_fault(void *arg)
{
	struct held_fault *h = arg;
	int err;

	err = pin_to_cpu(1);
	if (!err) {
		h->skel->data->hold_tid = sys_gettid();
		err = run(h->skel->progs.kread0);
	}
	/* Set only here: a thread that never got here leaves -1. */
	h->err = err;
	return NULL;
}

/*
 * One try at two CPUs faulting on one slot, the second installing the
 * scratch page while the first is still in the fault path.  Return whether
 * the faults met that way.  The first one's hold may time out instead,
 * when kernel work on CPU 0 waits for CPU 1, where the hold keeps
 * interrupts off (text patching for a static key, a TLB flush): user
 * space on CPU 0 cannot run its fault in time, CPU 1 installs the scratch
 * page itself and CPU 0's access then finds it.  Such a try proves nothing
 * about the second fault.
 */
static bool two_cpus_one_slot(void)
{
	struct held_fault h = { .err = -1 };
	struct arena_kfault *skel;
	struct bpf_link *hold = NULL, *release = NULL;
	pthread_t thread;
	bool met = false;
	char *area;
	int i;

	skel = load(0, "hold_fault", &area);
	if (!skel)
		return false;
	h.skel = skel;
	hold = bpf_program__attach(skel->progs.hold_fault);
	release = bpf_program__attach(skel->progs.hold_fault_release);
	if (!ASSERT_OK_PTR(hold, "attach hold_fault") ||
	    !ASSERT_OK_PTR(release, "attach hold_fault_release"))
		goto out;
	skel->bss->off = page_off(area, 13);
	skel->data->release_tid = sys_gettid();
	if (!ASSERT_OK(pthread_create(&thread, NULL, held_fault, &h), "pthread_create"))
		goto out;
	/* Holding, or held until the deadline already. */
	for (i = 0; i < 10000 && !READ_ONCE(skel->bss->holding) &&
	     !READ_ONCE(skel->bss->timed_out); i++)
		usleep(1000);
	ASSERT_LT(i, 10000, "CPU 1's fault held");
	ASSERT_OK(run(skel->progs.kread1), "CPU 0's access");
	/* Released already, unless CPU 0's fault was not recovered. */
	WRITE_ONCE(skel->bss->released, 1);
	pthread_join(thread, NULL);
	ASSERT_OK(h.err, "CPU 1's fault");
	ASSERT_EQ(fault_cnt(skel->progs.kread0), 1, "CPU 1's fault charged");
	if (!skel->bss->timed_out) {
		ASSERT_EQ(fault_cnt(skel->progs.kread1), 1, "CPU 0's fault charged");
		met = skel->bss->held_then;
	}
out:
	bpf_link__destroy(release);
	bpf_link__destroy(hold);
	arena_kfault__destroy(skel);
	return met;
}

/*
 * Two CPUs fault on one slot, and the second installs the scratch page
 * while the first is still in the fault path: the first must neither take
 * its fault for a spurious one (arm64 warns about those) nor oops, and
 * each fault is charged to the program that made it.  Each try waits 2 s
 * first, for work that earlier tests left behind (a static key's deferred
 * disable); one in which the faults did not meet is made again.
 */
static void test_two_cpus_one_slot(void)
{
	cpu_set_t saved;
	bool met = false;
	int tries;

	if (libbpf_num_possible_cpus() < 2 || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		test__skip();
		return;
	}
	if (!ASSERT_OK(sched_getaffinity(0, sizeof(saved), &saved), "getaffinity") ||
	    !ASSERT_OK(pin_to_cpu(0), "pin to CPU 0"))
		return;
	for (tries = 1; tries <= 3 && !met; tries++) {
		sleep(2);
		met = two_cpus_one_slot();
	}
	ASSERT_TRUE(met, "CPU 1's fault still held when CPU 0's was charged");
	if (met && tries > 2)
		printf("%s: the faults met at try %d\n", __func__, tries - 1);
	sched_setaffinity(0, sizeof(saved), &saved);
}

/*
 * bpf_prog_info's fault fields are output only: what user space passes in
 * them is overwritten, not refused (6.12.y refuses anything but 0 after
 * attach_btf_id), while what follows them must be 0, as for any field the
 * kernel does not know.
 */
static void test_prog_info_in(void)
{
	size_t end = offsetofend(struct bpf_prog_info, disabled_reason);
	struct {
		struct bpf_prog_info info;
		__u64 more;
	} buf;
	struct arena_kfault *skel;
	char *area;
	__u32 len;
	int fd;

	skel = load(0, NULL, &area);
	if (!skel)
		return;
	fd = bpf_program__fd(skel->progs.kread2);

	memset(&buf, 0, sizeof(buf));
	buf.info.fault_cnt = ~0U;
	buf.info.first_fault_addr = ~0ULL;
	buf.info.disabled_reason = ~0U;
	len = sizeof(buf.info);
	if (ASSERT_OK(bpf_prog_get_info_by_fd(fd, &buf.info, &len), "fault fields passed in")) {
		ASSERT_EQ(buf.info.fault_cnt, 0, "fault_cnt overwritten");
		ASSERT_EQ(buf.info.first_fault_addr, 0, "first_fault_addr overwritten");
		ASSERT_EQ(buf.info.disabled_reason, BPF_PROG_NOT_DISABLED,
			  "disabled_reason overwritten");
	}

	memset(&buf, 0, sizeof(buf));
	buf.more = 1;
	len = sizeof(buf);
	ASSERT_EQ(bpf_prog_get_info_by_fd(fd, &buf.info, &len), -E2BIG, "a field after the struct");

	if (end < sizeof(buf.info)) {
		memset(&buf, 0, sizeof(buf));
		((char *)&buf.info)[end] = 1;
		len = sizeof(buf.info);
		ASSERT_EQ(bpf_prog_get_info_by_fd(fd, &buf.info, &len), -E2BIG,
			  "the padding after disabled_reason");
	}
	arena_kfault__destroy(skel);
}

/* The memory usage the kernel reports for map @fd, or 0. */
static __u64 map_memlock(int fd)
{
	unsigned long long memlock = 0;
	char path[64], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!ASSERT_OK_PTR(f, "fdinfo"))
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %llu", &memlock) == 1)
			break;
	fclose(f);
	return memlock;
}

/* A PTE table maps this many bytes. */
static __u64 pte_table_span(void)
{
	return page_size / 8 * page_size;
}

/*
 * An arena has page tables of its own only where pages can be mapped, plus
 * one table shared by the rest of its kernel range, and reports them.
 */
static void test_pgtables_usage(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
	struct arena_kfault *skel;
	__u64 before, after;
	char *area;
	void *p;
	int fd;

	skel = load(0, NULL, &area);
	if (!skel)
		return;
	/* The scratch page and at least the shared table; not 4 GiB's worth */
	after = map_memlock(bpf_map__fd(skel->maps.arena));
	ASSERT_GE(after, 2 * page_size, "48 pages: scratch page and page tables counted");
	ASSERT_LE(after, 16 * page_size, "48 pages: a few page tables");
	arena_kfault__destroy(skel);

	/* No user range yet, so no page tables; mmap() picks it. */
	fd = bpf_map_create(BPF_MAP_TYPE_ARENA, "arena_1p", 0, 0, 1, &opts);
	if (!ASSERT_OK_FD(fd, "create 1-page arena"))
		return;
	before = map_memlock(fd);
	ASSERT_LT(before, 2 * page_size, "before mmap: no page tables");
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ASSERT_NEQ(p, MAP_FAILED, "mmap")) {
		after = map_memlock(fd);
		ASSERT_GT(after, before, "after mmap: page tables");
		ASSERT_LE(after, before + 4 * page_size, "after mmap: a few page tables");
		munmap(p, page_size);
	}
	close(fd);
}

static __s64 cgroup_read(int cgfd, const char *file, const char *key)
{
	long long val = -1;
	char line[256];
	size_t len = strlen(key);
	FILE *f;
	int fd;

	fd = openat(cgfd, file, O_RDONLY);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && sscanf(line + len, "%lld", &val) == 1)
			break;
	if (f)
		fclose(f);
	else
		close(fd);
	return val;
}

/* Poll @file's @key until it is at least @want, for up to 3 s. */
static __s64 cgroup_wait_ge(int cgfd, const char *file, const char *key, __s64 want)
{
	__s64 val = -1;
	int i;

	for (i = 0; i < 60; i++) {
		val = cgroup_read(cgfd, file, key);
		if (val >= want)
			break;
		usleep(50000);
	}
	return val;
}

/*
 * The page tables of an arena are charged to the memcg of its creator, as
 * page tables, and uncharged when it is freed: for an arena whose user
 * range map_extra gives (tables made at creation, when the map has no
 * memcg yet) and for one whose first mmap() picks it.  A 4 GiB arena has
 * one PTE table of its own per PTE table span of its kernel range, 8 MiB
 * with 4 KiB pages; a few may be vmalloc's instead, left behind in the
 * range by an earlier area.
 */
static void test_pgtables_memcg(void)
{
	__s64 expect = (1ULL << 32) / pte_table_span() * page_size;
	__s64 cur0, cur, tables0, tables;
	int cgfd = -1, fd, i, mapped;
	void *p;

	if (page_size != 4096) {
		/* 128 KiB of tables, less than memcg's per-CPU charge batch */
		printf("%s:SKIP:needs 4 KiB pages\n", __func__);
		test__skip();
		return;
	}
	if (!ASSERT_OK(setup_cgroup_environment(), "setup_cgroup_environment"))
		return;
	cgfd = create_and_get_cgroup("/arena_kfault_pgtables");
	if (!ASSERT_OK_FD(cgfd, "create cgroup"))
		goto out;
	if (!ASSERT_OK(join_cgroup("/arena_kfault_pgtables"), "join cgroup"))
		goto out;

	for (mapped = 0; mapped < 2; mapped++) {
		LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE,
			    .map_extra = mapped ? 0 : 1ULL << 32);
		const char *how = mapped ? "tables at mmap" : "tables at creation";

		cur0 = cgroup_read(cgfd, "memory.current", "");
		tables0 = cgroup_read(cgfd, "memory.stat", "pagetables ");
		if (!ASSERT_GE(cur0, 0, "memory.current") || !ASSERT_GE(tables0, 0, "pagetables"))
			goto out;

		fd = bpf_map_create(BPF_MAP_TYPE_ARENA, "arena_4g", 0, 0,
				    (1ULL << 32) / page_size, &opts);
		if (!ASSERT_OK_FD(fd, how))
			goto out;
		p = NULL;
		if (mapped) {
			p = mmap(NULL, 1ULL << 32, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (!ASSERT_NEQ(p, MAP_FAILED, "mmap 4 GiB")) {
				close(fd);
				goto out;
			}
		}
		cur = cgroup_read(cgfd, "memory.current", "");
		tables = cgroup_wait_ge(cgfd, "memory.stat", "pagetables ",
					tables0 + expect * 3 / 4);
		if (!ASSERT_GE(cur - cur0, expect * 3 / 4, how) ||
		    !ASSERT_GE(tables - tables0, expect * 3 / 4, "memory.stat pagetables") ||
		    !ASSERT_GE(map_memlock(fd), expect * 3 / 4, "memlock: the page tables counted"))
			printf("%s: %s: charged %lld, page tables %lld, memlock %llu of %lld\n",
			       __func__, how, cur - cur0, tables - tables0,
			       (unsigned long long)map_memlock(fd), expect);
		if (p)
			munmap(p, 1ULL << 32);
		close(fd);

		/* The map is freed by a work item: wait for the charge to go. */
		for (i = 0; i < 200; i++) {
			cur = cgroup_read(cgfd, "memory.current", "");
			if (cur - cur0 < expect / 4)
				break;
			usleep(50000);
		}
		ASSERT_LT(cur - cur0, expect / 4, "memory.current: uncharged once freed");
	}
out:
	if (cgfd >= 0)
		close(cgfd);
	cleanup_cgroup_environment();
}

void test_arena_kfault(void)
{
	page_size = sysconf(_SC_PAGESIZE);
	if (test__start_subtest("recover"))
		test_recover();
	if (test__start_subtest("alloc_after_fault"))
		test_alloc_after_fault();
	if (test__start_subtest("free_after_fault"))
		test_free_after_fault();
	if (test__start_subtest("free_batches"))
		test_free_batches();
	if (test__start_subtest("user_view"))
		test_user_view();
	if (test__start_subtest("user_view_segv"))
		test_user_view_segv();
	if (test__start_subtest("from_tracing"))
		test_from_tracing();
	if (test__start_subtest("not_an_arena"))
		test_not_an_arena();
	if (test__start_subtest("shared_view"))
		test_shared_view();
	if (test__start_subtest("leaf_kfunc"))
		test_leaf_kfunc();
	if (test__start_subtest("two_cpus_one_slot"))
		test_two_cpus_one_slot();
	if (test__start_subtest("prog_info_in"))
		test_prog_info_in();
	if (test__start_subtest("pgtables_usage"))
		test_pgtables_usage();
	if (test__start_subtest("pgtables_memcg"))
		test_pgtables_memcg();
}

/*
 * Negative controls: recovery is precise.  A kernel access just below the
 * arena's range, an instruction fetch from an unpopulated page inside it,
 * and a read of such a page by an interrupt that interrupted the program's
 * kfunc, with the program on the stack, still oops.  That takes the kernel
 * down, so each runs only in a guest of its own, which sets
 * KFAULT_EXPECT_OOPS=1 and then looks for the oops.
 */
static struct arena_kfault *load_to_oops(const char *test, char **area)
{
	page_size = sysconf(_SC_PAGESIZE);
	if (!getenv("KFAULT_EXPECT_OOPS")) {
		printf("%s:SKIP:oopses the kernel, runs in a throwaway guest\n", test);
		test__skip();
		return NULL;
	}
	return load(0, NULL, area);
}

void test_kfault_outside_arena(void)
{
	struct arena_kfault *skel;
	char *area;

	skel = load_to_oops(__func__, &area);
	if (!skel)
		return;
	kread(skel, -GUARD_HALF - page_size);
	PRINT_FAIL("the kernel recovered an access outside the arena\n");
	arena_kfault__destroy(skel);
}

/* Run @prog_name on the arena's page @page, which no arena recovers. */
static void run_to_oops(const char *test, const char *prog_name, int page, const char *what)
{
	struct arena_kfault *skel;
	char *area;

	skel = load_to_oops(test, &area);
	if (!skel)
		return;
	skel->bss->off = page_off(area, page);
	run(bpf_object__find_program_by_name(skel->obj, prog_name));
	PRINT_FAIL("the kernel recovered %s\n", what);
	arena_kfault__destroy(skel);
}

void test_kfault_exec_arena(void)
{
	run_to_oops(__func__, "kexec", 14, "an instruction fetch from the arena");
}

void test_kfault_irq_arena(void)
{
	run_to_oops(__func__, "kread_irq", 15,
		    "an interrupt's access, blaming the program it interrupted");
}
