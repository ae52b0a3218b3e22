// SPDX-License-Identifier: GPL-2.0
/*
 * A program whose kernel-side arena access faulted is disabled at once and
 * unloaded: for each hook, check that the kernel says so, that the program
 * stops running, that its link (or perf event, or prog array slot) lets go
 * of it, that its id goes away once user space lets go of it, and that a
 * well-behaved program on the same hook, using the same arena, keeps
 * running.  And that kernel.bpf_fault_disable chooses which programs a
 * fault disables, and a disabled program with a verdict leaves its hook
 * as if it were not attached.
 */
#include <test_progs.h>
#include <linux/compiler.h>
#include <linux/if_link.h>
#include <linux/perf_event.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "arena_kfault_unload.skel.h"
#include "arena_kfault_scx.skel.h"
#include "cap_helpers.h"
#include "network_helpers.h"

#define GOOD_PAGE 0
#define BAD_PAGE 12
/* Where a program disabled before the subtest faulted: not on BAD_PAGE */
#define FIRST_BAD_PAGE 13
#define ALLOC_PAGE 5
/* Four pages that only arena_kfault_policy/modes faults on */
#define POLICY_PAGE 8
#define GOOD_VAL 0x600dULL
/* How long the kernel gets to unload a program, in 10 ms steps */
#define UNLOAD_STEPS 1000

static long page_size;

struct hook {
	const char *name;
	const char *bad, *good;
	void (*trigger)(struct arena_kfault_unload *skel);
	/* Attached to a perf event of this thread, opened by this; */
	int (*open_event)(void);
	/* with PERF_EVENT_IOC_SET_BPF, not a link. */
	bool ioc;
	/* Prog array slots the unload clears: tail called, not attached. */
	unsigned int slots;
};

static void trigger_syscall(struct arena_kfault_unload *skel)
{
	syscall(__NR_getpgid, 0);
}

static int run(struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	return bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) ?: opts.retval;
}

static __u64 page_addr(char *area, int page)
{
	return (unsigned long)(area + page * page_size);
}

/* Where the uprobe_multi programs are attached. */
noinline void arena_kfault_uprobe_target(void)
{
	asm volatile ("");
}

static void trigger_uprobe(struct arena_kfault_unload *skel)
{
	arena_kfault_uprobe_target();
}

/*
 * The kernel takes the arena's lock for both: the hooks run under it.  The
 * page is mapped to user space, so that free zaps it.
 */
static void trigger_alloc_free(struct arena_kfault_unload *skel)
{
	char *area = bpf_map__initial_value(skel->maps.arena, &(size_t){0});

	skel->bss->uaddr = page_addr(area, ALLOC_PAGE);
	skel->bss->alloc_ret = 0;
	ASSERT_OK(run(skel->progs.alloc_page), "alloc_page");
	ASSERT_EQ(skel->bss->alloc_ret, skel->bss->uaddr, "alloc under a faulting hook");
	WRITE_ONCE(*(__u64 *)(area + ALLOC_PAGE * page_size), GOOD_VAL);
	ASSERT_OK(run(skel->progs.free_page), "free_page");
}

/* An array map this large is vmalloc()ed. */
static void trigger_vmalloc(struct arena_kfault_unload *skel)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 1 << 16, 4, NULL);

	if (ASSERT_OK_FD(fd, "vmalloc()ed map"))
		close(fd);
}

/*
 * Whether a backtrace request interrupts the other CPUs with an NMI: on
 * x86 it does; arm64 has pseudo-NMIs only when asked for on the command
 * line (and with GICv3, which make check-arm64's guest has), else an IPI.
 */
static int backtrace_in_nmi(void)
{
#if defined(__x86_64__)
	return 1;
#elif defined(__aarch64__)
	char cmdline[4096] = {};
	int fd = open("/proc/cmdline", O_RDONLY);

	if (fd >= 0) {
		if (read(fd, cmdline, sizeof(cmdline) - 1) < 0)
			cmdline[0] = 0;
		close(fd);
	}
	return !!strstr(cmdline, "irqchip.gicv3_pseudo_nmi=1");
#else
	return 0;
#endif
}

/*
 * Every other CPU handles an NMI: sysrq's "show backtrace of all CPUs".
 * Idle ones too: an idle CPU skips show_regs(), arm64's hook for this
 * test, unless nmi_backtrace.backtrace_idle is set.
 */
static void trigger_nmi(struct arena_kfault_unload *skel)
{
	int idle = open("/sys/module/nmi_backtrace/parameters/backtrace_idle", O_RDWR);
	int fd = open("/proc/sysrq-trigger", O_WRONLY);
	char old = 'N';

	if (idle >= 0 && (pread(idle, &old, 1, 0) != 1 || pwrite(idle, "Y", 1, 0) != 1))
		old = 'N';
	if (ASSERT_OK_FD(fd, "open /proc/sysrq-trigger")) {
		ASSERT_EQ(write(fd, "l", 1), 1, "sysrq l");
		close(fd);
	}
	if (idle >= 0) {
		if (pwrite(idle, &old, 1, 0) != 1)
			printf("%s: backtrace_idle not restored\n", __func__);
		close(idle);
	}
}

static void trigger_cpu(struct arena_kfault_unload *skel)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do
		clock_gettime(CLOCK_MONOTONIC, &now);
	while ((now.tv_sec - start.tv_sec) * 1000000000L + now.tv_nsec - start.tv_nsec < 20000000L);
}

/* A sampling event on this thread: cycles (NMI) if the CPU counts them. */
static int open_sampling_event(void)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_HARDWARE,
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.freq = 1,
		.sample_freq = 1000,
	};
	int fd;

	fd = syscall(__NR_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd >= 0)
		return fd;
	printf("%s: no cycles event (%s): sampling the CPU clock, not in NMI\n",
	       __func__, strerror(errno));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	return syscall(__NR_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

/* The sys_enter_getpgid tracepoint, for this thread. */
static int open_tracepoint_event(void)
{
	static const char *const paths[] = {
		"/sys/kernel/tracing/events/syscalls/sys_enter_getpgid/id",
		"/sys/kernel/debug/tracing/events/syscalls/sys_enter_getpgid/id",
	};
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_TRACEPOINT,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	unsigned int i;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		f = fopen(paths[i], "r");
		if (!f)
			continue;
		if (fscanf(f, "%llu", &attr.config) != 1)
			attr.config = 0;
		fclose(f);
		if (attr.config)
			return syscall(__NR_perf_event_open, &attr, 0, -1, -1,
				       PERF_FLAG_FD_CLOEXEC);
	}
	return -1;
}

/* Attach @prog to the hook: with a link in *@link, or to a perf event in *@pfd. */
static bool hook_attach(struct bpf_program *prog, const struct hook *h,
			struct bpf_link **link, int *pfd)
{
	if (!h->open_event) {
		*link = bpf_program__attach(prog);
		/* arm64 has no fprobe in 6.12: it needs ftrace with regs. */
		if (!*link && errno == EOPNOTSUPP &&
		    bpf_program__expected_attach_type(prog) == BPF_TRACE_KPROBE_MULTI) {
			printf("%s:SKIP:no kprobe_multi links on this kernel\n", __func__);
			test__skip();
			return false;
		}
		return ASSERT_OK_PTR(*link, "attach");
	}
	*pfd = h->open_event();
	if (!ASSERT_OK_FD(*pfd, "perf_event_open"))
		return false;
	if (!h->ioc) {
		*link = bpf_program__attach_perf_event(prog, *pfd);
		if (!ASSERT_OK_PTR(*link, "attach to the perf event"))
			return false;
		*pfd = -1; /* the link closes it */
		return true;
	}
	/*
	 * Not libbpf's force_ioctl_attach: its link would close the event,
	 * and the test needs the event open after the program is gone.
	 */
	return ASSERT_OK(ioctl(*pfd, PERF_EVENT_IOC_SET_BPF, bpf_program__fd(prog)),
			 "PERF_EVENT_IOC_SET_BPF") &&
	       ASSERT_OK(ioctl(*pfd, PERF_EVENT_IOC_ENABLE, 0), "PERF_EVENT_IOC_ENABLE");
}

/* What the kernel says it released when it unloaded a program. */
struct unload {
	unsigned int links, events, slots;
};

/* Wait for the kernel's line about unloading the program with id @id. */
static bool wait_unloaded(int kmsg, __u32 id, struct unload *u,
			  const struct hook *h, struct arena_kfault_unload *skel)
{
	char rec[1024], want[64];
	const char *msg;
	int i, n;

	snprintf(want, sizeof(want), "(id %u) unloaded: ", id);
	for (i = 0; i < UNLOAD_STEPS; i++) {
		while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0) {
			rec[n] = 0;
			msg = strstr(rec, want);
			if (msg && sscanf(msg + strlen(want),
					  "%u links detached, %u perf events detached, %u prog array slots cleared",
					  &u->links, &u->events, &u->slots) == 3)
				return true;
		}
		h->trigger(skel);
		usleep(10000);
	}
	return false;
}

static bool prog_id_gone(__u32 id)
{
	int i, fd;

	/* The program is freed after an RCU grace period or two. */
	for (i = 0; i < UNLOAD_STEPS; i++) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			return errno == ENOENT;
		close(fd);
		usleep(10000);
	}
	return false;
}

/* A link's "detached" line in fdinfo: 0 or 1, or -1 if it has none. */
static int fdinfo_detached(int fd)
{
	char path[64], line[256];
	int detached = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "detached: %d", &detached) == 1)
			break;
	fclose(f);
	return detached;
}

static void test_hook(const struct hook *h)
{
	struct bpf_link *bad_link = NULL, *good_link = NULL;
	int bad_pfd = -1, good_pfd = -1, kmsg = -1, i;
	struct bpf_program *bad, *good;
	struct arena_kfault_unload *skel;
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), id, good_id;
	__u64 runs, good_runs;
	struct unload u;
	char *area;
	size_t sz;

	if (h->trigger == trigger_nmi && libbpf_num_possible_cpus() < 2) {
		test__skip();
		return;
	}
	skel = arena_kfault_unload__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return;
	bad = bpf_object__find_program_by_name(skel->obj, h->bad);
	good = bpf_object__find_program_by_name(skel->obj, h->good);
	bpf_program__set_autoload(bad, true);
	bpf_program__set_autoload(good, true);
#ifdef __aarch64__
	/* nmi_cpu_backtrace() is not traceable; it calls show_regs(). */
	if (h->trigger == trigger_nmi) {
		bpf_program__set_attach_target(bad, 0, "show_regs");
		bpf_program__set_attach_target(good, 0, "show_regs");
	}
#endif
	bpf_program__set_autoload(skel->progs.alloc_page, true);
	bpf_program__set_autoload(skel->progs.free_page, true);
	if (!ASSERT_OK(arena_kfault_unload__load(skel), "load"))
		goto out;
	if (!ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(bad), &info, &len), "info"))
		goto out;
	id = info.id;
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	if (!ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(good), &info, &len), "info"))
		goto out;
	good_id = info.id;

	area = bpf_map__initial_value(skel->maps.arena, &sz);
	WRITE_ONCE(*(__u64 *)(area + GOOD_PAGE * page_size), GOOD_VAL);
	skel->bss->good_off = (__u32)page_addr(area, GOOD_PAGE);
	skel->bss->bad_off = (__u32)page_addr(area, BAD_PAGE);
	skel->bss->target_pid = getpid();

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (!ASSERT_OK_FD(kmsg, "open /dev/kmsg"))
		goto out;
	lseek(kmsg, 0, SEEK_END);

	if (h->slots) {
		__u32 key = 0, fd = bpf_program__fd(bad);

		if (!ASSERT_OK(bpf_map__update_elem(skel->maps.jmp_table, &key, sizeof(key),
						    &fd, sizeof(fd), 0), "prog array"))
			goto out;
	} else if (!hook_attach(bad, h, &bad_link, &bad_pfd)) {
		goto out;
	}
	if (!hook_attach(good, h, &good_link, &good_pfd))
		goto out;

	if (!ASSERT_TRUE(wait_unloaded(kmsg, id, &u, h, skel), "kernel unloaded the program"))
		goto out;
	ASSERT_EQ(u.links, !h->slots && !h->ioc, "links detached");
	ASSERT_EQ(u.events, h->ioc, "perf events detached");
	ASSERT_EQ(u.slots, h->slots, "prog array slots cleared");
	ASSERT_GE(skel->bss->bad_runs, 1, "bad program ran");
	if (h->trigger == trigger_nmi)
		ASSERT_EQ(skel->bss->bad_in_nmi, backtrace_in_nmi(), "bad program ran in NMI");

	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	if (ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(bad), &info, &len), "info")) {
		ASSERT_EQ(info.disabled_reason, BPF_PROG_DISABLED_ARENA_FAULT, "disabled_reason");
		ASSERT_GE(info.fault_cnt, 1, "fault_cnt");
		ASSERT_EQ(info.first_fault_addr, page_addr(area, BAD_PAGE), "first_fault_addr");
	}
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	if (ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(good), &info, &len), "info"))
		ASSERT_EQ(info.disabled_reason, BPF_PROG_NOT_DISABLED, "bystander not disabled");
	if (h->ioc && h->open_event == open_tracepoint_event) {
		__u32 buf[sizeof(struct perf_event_query_bpf) / sizeof(__u32) + 4] = {};
		struct perf_event_query_bpf *query = (void *)buf;

		/* The tracepoint runs only the good program now. */
		query->ids_len = 4;
		if (ASSERT_OK(ioctl(bad_pfd, PERF_EVENT_IOC_QUERY_BPF, query), "query") &&
		    ASSERT_EQ(query->prog_cnt, 1, "programs on the tracepoint"))
			ASSERT_EQ(query->ids[0], good_id, "the good one");
	}

	/* The hook keeps firing: the bad program no more, the good one still. */
	runs = skel->bss->bad_runs;
	good_runs = skel->bss->good_runs;
	for (i = 0; i < 10; i++)
		h->trigger(skel);
	ASSERT_EQ(skel->bss->bad_runs, runs, "bad program stopped");
	ASSERT_GT(skel->bss->good_runs, good_runs, "good program runs");
	ASSERT_EQ(skel->bss->good_got, GOOD_VAL, "good program reads the arena");
	if (!h->slots && !h->ioc) {
		struct bpf_link *again = NULL;
		int pfd = -1;

		/* A disabled program cannot be attached again. */
		if (!h->open_event) {
			again = bpf_program__attach(bad);
		} else {
			pfd = h->open_event();
			if (ASSERT_OK_FD(pfd, "perf_event_open"))
				again = bpf_program__attach_perf_event(bad, pfd);
		}
		ASSERT_EQ(libbpf_get_error(again), -EPERM, "attach a disabled program");
		bpf_link__destroy(again);
		if (pfd >= 0 && !again)
			close(pfd);
	}
	if (h->ioc) {
		int pfd = h->open_event();

		/* Nor set on an event without a link. */
		if (ASSERT_OK_FD(pfd, "perf_event_open")) {
			ASSERT_ERR(ioctl(pfd, PERF_EVENT_IOC_SET_BPF, bpf_program__fd(bad)),
				   "PERF_EVENT_IOC_SET_BPF a disabled program");
			ASSERT_EQ(errno, EPERM, "errno");
			close(pfd);
		}
	}
	if (bad_link) {
		struct bpf_link_info link_info = {};
		__u32 link_len = sizeof(link_info);
		int err;

		/* Every detached link still describes its hook and program. */
		err = bpf_link_get_info_by_fd(bpf_link__fd(bad_link), &link_info, &link_len);
		if (ASSERT_OK(err, "info of the detached link"))
			ASSERT_EQ(link_info.prog_id, id, "the detached link's program");
		ASSERT_EQ(fdinfo_detached(bpf_link__fd(bad_link)), 1, "fdinfo: detached");
	}
	if (good_link)
		ASSERT_EQ(fdinfo_detached(bpf_link__fd(good_link)), 0, "fdinfo: still attached");
	if (h->slots) {
		__u32 key = 0, val;

		ASSERT_ERR(bpf_map__lookup_elem(skel->maps.jmp_table, &key, sizeof(key),
						&val, sizeof(val), 0), "prog array slot empty");
		val = bpf_program__fd(bad);
		ASSERT_EQ(bpf_map__update_elem(skel->maps.jmp_table, &key, sizeof(key),
					       &val, sizeof(val), 0), -EPERM,
			  "a disabled program cannot go back");
	}

	/*
	 * User space lets go: the program is freed.  Its perf event, if it had
	 * one, stays open until the end: it no longer holds the program.
	 */
	bpf_link__destroy(bad_link);
	bad_link = NULL;
	bpf_link__destroy(good_link);
	good_link = NULL;
	arena_kfault_unload__destroy(skel);
	skel = NULL;
	ASSERT_TRUE(prog_id_gone(id), "program id freed");
out:
	bpf_link__destroy(bad_link);
	bpf_link__destroy(good_link);
	if (bad_pfd >= 0)
		close(bad_pfd);
	if (good_pfd >= 0)
		close(good_pfd);
	if (kmsg >= 0)
		close(kmsg);
	arena_kfault_unload__destroy(skel);
}

static const struct hook hooks[] = {
	{ "raw_tp", "bad_raw_tp", "good_raw_tp", trigger_syscall },
	{ "tracepoint", "bad_tp", "good_tp", trigger_syscall },
	{ "kprobe", "bad_kprobe", "good_kprobe", trigger_syscall },
	{ "kprobe_multi", "bad_kmulti", "good_kmulti", trigger_syscall },
	{ "fentry", "bad_fentry", "good_fentry", trigger_syscall },
	{ "perf_event", "bad_perf", "good_perf", trigger_cpu, open_sampling_event },
	{ "uprobe_multi", "bad_umulti", "good_umulti", trigger_uprobe },
	{ "perf_ioc_tracepoint", "bad_tp", "good_tp", trigger_syscall, open_tracepoint_event,
	  true },
	{ "perf_ioc_sampling", "bad_perf", "good_perf", trigger_cpu, open_sampling_event, true },
	{ "nmi", "bad_nmi", "good_nmi", trigger_nmi },
	{ "arena_alloc_locked", "bad_alloc", "good_alloc", trigger_alloc_free },
	{ "arena_free_locked", "bad_free", "good_free", trigger_alloc_free },
	{ "vmalloc", "bad_vmalloc", "good_vmalloc", trigger_vmalloc },
	{ "tail_call", "bad_tailee", "good_tailer", trigger_syscall, .slots = 1 },
};

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % libbpf_num_possible_cpus(), &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void trigger_none(struct arena_kfault_unload *skel)
{
}

static const struct hook quiet = { "quiet", .trigger = trigger_none };

static __u32 prog_id(struct bpf_program *prog)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return 0;
	return info.id;
}

/*
 * Load the skeleton with the programs named @names, returned in @progs,
 * and a program that has already been
 * disabled, which stays loaded: whatever the kernel needs to skip disabled
 * programs is in place, as it is on a machine where one was disabled.
 */
static struct arena_kfault_unload *load_with_disabled(int kmsg, const char *const *names,
						      struct bpf_program **progs, int n)
{
	struct arena_kfault_unload *skel;
	struct unload u;
	char *area;
	size_t sz;
	int i;

	skel = arena_kfault_unload__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return NULL;
	for (i = 0; i < n; i++) {
		progs[i] = bpf_object__find_program_by_name(skel->obj, names[i]);
		bpf_program__set_autoload(progs[i], true);
	}
	bpf_program__set_autoload(skel->progs.faulter0, true);
	if (!ASSERT_OK(arena_kfault_unload__load(skel), "load"))
		goto err;
	area = bpf_map__initial_value(skel->maps.arena, &sz);
	skel->bss->bad_off = (__u32)page_addr(area, BAD_PAGE);
	skel->bss->stress_off[0] = (__u32)page_addr(area, FIRST_BAD_PAGE);
	skel->bss->target_pid = getpid();
	run(skel->progs.faulter0);
	if (ASSERT_TRUE(wait_unloaded(kmsg, prog_id(skel->progs.faulter0), &u, &quiet, skel),
			"a program disabled first"))
		return skel;
err:
	arena_kfault_unload__destroy(skel);
	return NULL;
}

static int open_kmsg(void)
{
	int kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	return kmsg;
}

/*
 * The skip itself, while the program is still attached: the hook fires ten
 * times in a row with preemption disabled, so the unload work that the
 * first run's fault queues on this CPU cannot detach it in between (a
 * work item still running elsewhere could, which would only lower the
 * count).  The program runs once, faults once, and is skipped nine times.
 */
static void test_skip(const char *name)
{
	const char *const names[] = { name, "kfault_loop" };
	struct arena_kfault_unload *skel = NULL;
	struct bpf_program *progs[2], *bad;
	struct bpf_link *link = NULL;
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int kmsg, stats_fd = -1;
	struct unload u;

	kmsg = open_kmsg();
	if (!ASSERT_OK_FD(kmsg, "open /dev/kmsg"))
		return;
	skel = load_with_disabled(kmsg, names, progs, 2);
	if (!skel)
		goto out;
	bad = progs[0];
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (!ASSERT_OK_FD(stats_fd, "bpf_enable_stats"))
		goto out;
	link = bpf_program__attach(bad);
	if (!ASSERT_OK_PTR(link, "attach"))
		goto out;
	skel->bss->loop_n = 10;
	ASSERT_OK(run(skel->progs.kfault_loop), "fire the hook ten times");
	ASSERT_EQ(skel->bss->bad_runs, 1, "ran once, skipped nine times");
	if (ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(bad), &info, &len), "info")) {
		ASSERT_EQ(info.run_cnt, 1, "run_cnt");
		ASSERT_EQ(info.fault_cnt, 1, "fault_cnt");
		ASSERT_EQ(info.disabled_reason, BPF_PROG_DISABLED_ARENA_FAULT, "disabled_reason");
	}
	if (ASSERT_TRUE(wait_unloaded(kmsg, prog_id(bad), &u, &quiet, skel), "unloaded"))
		ASSERT_EQ(u.links, 1, "links detached");
out:
	bpf_link__destroy(link);
	if (stats_fd >= 0)
		close(stats_fd);
	arena_kfault_unload__destroy(skel);
	close(kmsg);
}

static int run_tc(struct bpf_program *prog)
{
	char pkt[64] = {};

	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt));

	return bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) ?: opts.retval;
}

/*
 * A bpf_timer or bpf_wq callback that faults and re-arms itself: its
 * program is disabled, and the callback stops although it is never called
 * through bpf_prog_run() and the unload does not cancel it.
 */
static void test_async(const char *name)
{
	struct arena_kfault_unload *skel = NULL;
	struct bpf_program *bad;
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	__u64 runs, faults;
	struct unload u;
	int kmsg;

	kmsg = open_kmsg();
	if (!ASSERT_OK_FD(kmsg, "open /dev/kmsg"))
		return;
	skel = load_with_disabled(kmsg, &name, &bad, 1);
	if (!skel)
		goto out;
	if (!ASSERT_OK(run_tc(bad), "arm the callback"))
		goto out;
	if (!ASSERT_TRUE(wait_unloaded(kmsg, prog_id(bad), &u, &quiet, skel), "unloaded"))
		goto out;
	/* A callback that was running when the program was disabled may re-arm once. */
	usleep(100000);
	runs = skel->bss->cb_runs;
	if (!ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(bad), &info, &len), "info"))
		goto out;
	faults = info.fault_cnt;
	usleep(300000);
	ASSERT_GE(runs, 1, "callback ran");
	ASSERT_EQ(skel->bss->cb_runs, runs, "callback stopped");
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	if (ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(bad), &info, &len), "info"))
		ASSERT_EQ(info.fault_cnt, faults, "no more faults");
out:
	arena_kfault_unload__destroy(skel);
	close(kmsg);
}

/* An attachment of bad_raced that another thread makes while it faults. */
struct raced {
	struct arena_kfault_unload *skel;
	struct bpf_program *prog;
	struct bpf_link *link;
	int err;
	pthread_t thr;
};

static void *attach_probe(void *arg)
{
	struct raced *r = arg;

	pin(1);
	r->link = bpf_program__attach_raw_tracepoint(r->prog, "bpf_testmod_kfault_probe");
	r->err = libbpf_get_error(r->link);
	return NULL;
}

static void *insert_slot(void *arg)
{
	struct raced *r = arg;
	__u32 key = 0, fd = bpf_program__fd(r->prog);

	pin(1);
	r->err = bpf_map__update_elem(r->skel->maps.jmp_table, &key, sizeof(key),
				      &fd, sizeof(fd), 0);
	return NULL;
}

/*
 * bad_raced faults, run by BPF_PROG_TEST_RUN, while another thread runs
 * @attach, held by the program @holder half way: after the attachment got
 * past its check that the program is not disabled, before it is in place.
 * The unload runs meanwhile: the attachment is let go once the unload
 * found the link still being attached (@wait_unsettled) or once it is
 * done.  Return what the unload said it did.
 *
 * Nothing the unload does for the program before it reaches that
 * attachment may wait for an RCU grace period: the holder, spinning in a
 * BPF program, holds them off.  Hence the test run rather than a hook,
 * which the unload would detach first.
 */
static bool race_unload(const char *holder, void *(*attach)(void *), bool wait_unsettled,
			struct raced *r, struct unload *u)
{
	const char *const names[] = { "bad_raced", holder, "read_probe_regs", "count_unsettled" };
	struct bpf_link *hold = NULL, *counter = NULL;
	struct bpf_program *progs[4];
	bool ok = false, started = false;
	int kmsg, i;

	kmsg = open_kmsg();
	if (!ASSERT_OK_FD(kmsg, "open /dev/kmsg"))
		return false;
	pin(0);
	r->skel = load_with_disabled(kmsg, names, progs, wait_unsettled ? 4 : 3);
	if (!r->skel)
		goto out;
	r->prog = progs[0];
	hold = bpf_program__attach(progs[1]);
	if (!ASSERT_OK_PTR(hold, "attach the holder"))
		goto out;
	if (wait_unsettled) {
		counter = bpf_program__attach(progs[3]);
		if (!ASSERT_OK_PTR(counter, "attach the counter"))
			goto out;
	}
	r->skel->bss->hold_armed = 1;
	if (!ASSERT_OK(pthread_create(&r->thr, NULL, attach, r), "attach thread"))
		goto out;
	started = true;
	for (i = 0; i < UNLOAD_STEPS && !READ_ONCE(r->skel->bss->hold_state); i++)
		usleep(10000);
	if (!ASSERT_EQ(r->skel->bss->hold_state, 1, "attachment held"))
		goto out;
	ASSERT_OK(run(r->prog), "fault");
	if (wait_unsettled) {
		for (i = 0; i < UNLOAD_STEPS && !READ_ONCE(r->skel->bss->unsettled_seen); i++)
			usleep(10000);
		ASSERT_GT(r->skel->bss->unsettled_seen, 0, "unload saw the link being attached");
	} else {
		ok = ASSERT_TRUE(wait_unloaded(kmsg, prog_id(r->prog), u, &quiet, r->skel),
				 "unloaded");
	}
	r->skel->bss->hold_release = 1;
	pthread_join(r->thr, NULL);
	started = false;
	ASSERT_EQ(r->skel->bss->hold_state, 2, "attachment let go");
	ASSERT_EQ(r->skel->bss->bad_runs, 1, "faulted once");
	if (wait_unsettled)
		ok = ASSERT_TRUE(wait_unloaded(kmsg, prog_id(r->prog), u, &quiet, r->skel),
				 "unloaded");
out:
	if (started) {
		r->skel->bss->hold_release = 1;
		pthread_join(r->thr, NULL);
	}
	bpf_link__destroy(counter);
	bpf_link__destroy(hold);
	close(kmsg);
	return ok;
}

/*
 * A link that has an id but is not attached yet when the unload runs
 * (held in tracepoint_probe_register_prio_may_exist(), after
 * bpf_link_prime(), until the unload has found it).  The unload must not
 * detach it before it is attached: its release would then leave the probe
 * registered, pointing at the freed link.  It must detach it once it is.
 */
static void test_unsettled_link(void)
{
	struct raced r = {};
	struct unload u;

	if (libbpf_num_possible_cpus() < 2) {
		test__skip();
		return;
	}
	if (!race_unload("hold_register", attach_probe, true, &r, &u))
		goto out;
	if (!ASSERT_OK(r.err, "attached during the unload"))
		goto out;
	ASSERT_EQ(u.links, 1, "links detached");
	bpf_link__destroy(r.link);
	r.link = NULL;
	ASSERT_OK(run(r.skel->progs.read_probe_regs), "read_probe_regs");
	ASSERT_EQ(r.skel->bss->probe_regs, 0, "no probe left on the tracepoint");
out:
	bpf_link__destroy(r.link);
	arena_kfault_unload__destroy(r.skel);
}

/*
 * A prog array update that got the program before it was disabled, and
 * writes the slot after the unload cleared the program's slots (held on
 * return from prog_fd_array_get_ptr() until the unload is done).  The
 * update must fail: the slot must not keep the disabled program.
 */
static void test_prog_array_insert(void)
{
	struct raced r = {};
	__u32 key = 0, val;
	struct unload u;

	if (libbpf_num_possible_cpus() < 2) {
		test__skip();
		return;
	}
	if (!race_unload("hold_prog_array_insert", insert_slot, false, &r, &u))
		goto out;
	ASSERT_EQ(u.slots, 0, "prog array slots cleared");
	ASSERT_EQ(r.err, -EPERM, "the update fails");
	ASSERT_ERR(bpf_map__lookup_elem(r.skel->maps.jmp_table, &key, sizeof(key),
					&val, sizeof(val), 0), "prog array slot empty");
out:
	arena_kfault_unload__destroy(r.skel);
}

/*
 * BPF_LINK_DETACH through the syscall, on each link type the series gave a
 * detach operation: the program stops running while user space still holds
 * the link.  No fault involved.
 */
static void test_link_detach(const struct hook *h)
{
	struct arena_kfault_unload *skel;
	struct bpf_link *link = NULL;
	struct bpf_program *good;
	int pfd = -1, i;
	__u64 runs;
	char *area;
	size_t sz;

	skel = arena_kfault_unload__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return;
	good = bpf_object__find_program_by_name(skel->obj, h->good);
	bpf_program__set_autoload(good, true);
	if (!ASSERT_OK(arena_kfault_unload__load(skel), "load"))
		goto out;
	area = bpf_map__initial_value(skel->maps.arena, &sz);
	WRITE_ONCE(*(__u64 *)(area + GOOD_PAGE * page_size), GOOD_VAL);
	skel->bss->good_off = (__u32)page_addr(area, GOOD_PAGE);
	skel->bss->target_pid = getpid();
	if (!hook_attach(good, h, &link, &pfd))
		goto out;
	for (i = 0; i < 3; i++)
		h->trigger(skel);
	if (!ASSERT_GT(skel->bss->good_runs, 0, "runs while attached"))
		goto out;
	ASSERT_EQ(fdinfo_detached(bpf_link__fd(link)), 0, "fdinfo: attached");
	if (!ASSERT_OK(bpf_link_detach(bpf_link__fd(link)), "BPF_LINK_DETACH"))
		goto out;
	runs = skel->bss->good_runs;
	for (i = 0; i < 3; i++)
		h->trigger(skel);
	ASSERT_EQ(skel->bss->good_runs, runs, "runs no more once detached");
	ASSERT_EQ(fdinfo_detached(bpf_link__fd(link)), 1, "fdinfo: detached");
	ASSERT_OK(bpf_link_detach(bpf_link__fd(link)), "BPF_LINK_DETACH again");
out:
	bpf_link__destroy(link);
	if (pfd >= 0)
		close(pfd);
	arena_kfault_unload__destroy(skel);
}

/* tcx on the loopback device of a network namespace of the test's own. */
struct tcx_setup {
	struct arena_kfault_unload *skel;
	struct bpf_program *bad, *good;
	int netns, ifindex, kmsg;
};

static bool tcx_setup(struct tcx_setup *t, bool hold)
{
	char *area;
	size_t sz;

	t->netns = open("/proc/self/ns/net", O_RDONLY);
	t->kmsg = open_kmsg();
	if (!ASSERT_OK_FD(t->netns, "open netns") || !ASSERT_OK_FD(t->kmsg, "open /dev/kmsg"))
		return false;
	if (!ASSERT_OK(unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)")) {
		close(t->netns);
		t->netns = -1;
		return false;
	}
	t->ifindex = if_nametoindex("lo");
	t->skel = arena_kfault_unload__open();
	if (!ASSERT_OK_PTR(t->skel, "open"))
		return false;
	t->bad = t->skel->progs.bad_tcx;
	t->good = t->skel->progs.good_tcx;
	bpf_program__set_autoload(t->bad, true);
	bpf_program__set_autoload(t->good, true);
	bpf_program__set_autoload(t->skel->progs.hold_link_detach, hold);
	if (!ASSERT_OK(arena_kfault_unload__load(t->skel), "load"))
		return false;
	area = bpf_map__initial_value(t->skel->maps.arena, &sz);
	t->skel->bss->bad_off = (__u32)page_addr(area, BAD_PAGE);
	t->skel->bss->target_pid = getpid();
	return true;
}

static void tcx_teardown(struct tcx_setup *t)
{
	arena_kfault_unload__destroy(t->skel);
	if (t->netns >= 0) {
		ASSERT_OK(setns(t->netns, CLONE_NEWNET), "back to the test's netns");
		close(t->netns);
	}
	if (t->kmsg >= 0)
		close(t->kmsg);
}

/*
 * Neither BPF_LINK_UPDATE nor BPF_PROG_ATTACH gives a disabled program a
 * hook: the unload has already run, and would not see it.
 */
static void test_link_update_disabled(void)
{
	struct tcx_setup t = { .netns = -1, .kmsg = -1 };
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	struct bpf_link *link = NULL;
	struct unload u;

	if (!tcx_setup(&t, false))
		goto out;
	link = bpf_program__attach_tcx(t.good, t.ifindex, NULL);
	if (!ASSERT_OK_PTR(link, "attach the good program"))
		goto out;
	ASSERT_OK(run_tc(t.bad), "fault");
	if (!ASSERT_TRUE(wait_unloaded(t.kmsg, prog_id(t.bad), &u, &quiet, t.skel), "unloaded"))
		goto out;
	ASSERT_EQ(u.links, 0, "links detached");
	ASSERT_EQ(bpf_link_update(bpf_link__fd(link), bpf_program__fd(t.bad), NULL), -EPERM,
		  "BPF_LINK_UPDATE to a disabled program");
	if (ASSERT_OK(bpf_link_get_info_by_fd(bpf_link__fd(link), &info, &len), "link info"))
		ASSERT_EQ(info.prog_id, prog_id(t.good), "the link keeps its program");
	ASSERT_EQ(bpf_prog_attach(bpf_program__fd(t.bad), t.ifindex, BPF_TCX_INGRESS, 0), -EPERM,
		  "BPF_PROG_ATTACH a disabled program");
out:
	bpf_link__destroy(link);
	tcx_teardown(&t);
}

struct update {
	int link_fd, prog_fd, ret;
	bool done;
};

static void *update_link(void *arg)
{
	struct update *up = arg;

	up->ret = bpf_link_update(up->link_fd, up->prog_fd, NULL);
	WRITE_ONCE(up->done, true);
	return NULL;
}

/*
 * A link update that comes while the unload has found the link holding the
 * disabled program but not yet detached it (held on entry to
 * tcx_link_detach()) waits for the detach: it must not put the good
 * program on the link just before the unload detaches that link.
 */
static void test_link_update_race(void)
{
	struct tcx_setup t = { .netns = -1, .kmsg = -1 };
	struct bpf_link *link = NULL, *hold = NULL;
	struct bpf_link_info info = {};
	__u32 len = sizeof(info), bad_id;
	struct update up = {};
	bool started = false;
	pthread_t thr;
	struct unload u;
	int i;

	if (libbpf_num_possible_cpus() < 2) {
		test__skip();
		return;
	}
	if (!tcx_setup(&t, true))
		goto out;
	link = bpf_program__attach_tcx(t.bad, t.ifindex, NULL);
	if (!ASSERT_OK_PTR(link, "attach the bad program"))
		goto out;
	bad_id = prog_id(t.bad);
	t.skel->bss->hold_link_prog_id = bad_id;
	t.skel->bss->hold_armed = 1;
	hold = bpf_program__attach(t.skel->progs.hold_link_detach);
	if (!ASSERT_OK_PTR(hold, "attach the holder"))
		goto out;
	ASSERT_OK(run_tc(t.bad), "fault");
	for (i = 0; i < UNLOAD_STEPS && !READ_ONCE(t.skel->bss->hold_state); i++)
		usleep(10000);
	if (!ASSERT_EQ(t.skel->bss->hold_state, 1, "unload held before the detach"))
		goto out;
	up.link_fd = bpf_link__fd(link);
	up.prog_fd = bpf_program__fd(t.good);
	if (!ASSERT_OK(pthread_create(&thr, NULL, update_link, &up), "update thread"))
		goto out;
	started = true;
	/* The update returns at once if nothing holds it; give it a second. */
	for (i = 0; i < 100 && !READ_ONCE(up.done); i++)
		usleep(10000);
	ASSERT_FALSE(READ_ONCE(up.done), "the update waits for the unload's detach");
	t.skel->bss->hold_release = 1;
	pthread_join(thr, NULL);
	started = false;
	ASSERT_EQ(t.skel->bss->hold_state, 2, "unload let go by the test");
	if (ASSERT_TRUE(wait_unloaded(t.kmsg, bad_id, &u, &quiet, t.skel), "unloaded"))
		ASSERT_EQ(u.links, 1, "links detached");
	ASSERT_EQ(up.ret, -ENOLINK, "the update came after the detach");
	if (ASSERT_OK(bpf_link_get_info_by_fd(bpf_link__fd(link), &info, &len), "link info")) {
		ASSERT_EQ(info.prog_id, bad_id, "the detached link holds the bad program");
		ASSERT_EQ(info.tcx.ifindex, 0, "detached");
	}
out:
	if (started) {
		t.skel->bss->hold_release = 1;
		pthread_join(thr, NULL);
	}
	bpf_link__destroy(hold);
	bpf_link__destroy(link);
	tcx_teardown(&t);
}

/*
 * Releasing a detached freplace link leaves alone the link that attached
 * the same extension to the same target afterwards.
 */
static void test_freplace_relink(void)
{
	struct arena_kfault_unload *tgt = NULL, *ext = NULL;
	struct bpf_link *a = NULL, *b = NULL;
	int tgt_fd;

	tgt = arena_kfault_unload__open();
	if (!ASSERT_OK_PTR(tgt, "open target"))
		return;
	bpf_program__set_autoload(tgt->progs.ext_target, true);
	if (!ASSERT_OK(arena_kfault_unload__load(tgt), "load target"))
		goto out;
	tgt_fd = bpf_program__fd(tgt->progs.ext_target);
	ext = arena_kfault_unload__open();
	if (!ASSERT_OK_PTR(ext, "open extension"))
		goto out;
	bpf_program__set_autoload(ext->progs.ext_replacement, true);
	bpf_program__set_attach_target(ext->progs.ext_replacement, tgt_fd, "ext_target_fn");
	if (!ASSERT_OK(arena_kfault_unload__load(ext), "load extension"))
		goto out;
	ASSERT_EQ(run_tc(tgt->progs.ext_target), 1, "target alone");
	a = bpf_program__attach_freplace(ext->progs.ext_replacement, tgt_fd, "ext_target_fn");
	if (!ASSERT_OK_PTR(a, "attach A"))
		goto out;
	ASSERT_EQ(run_tc(tgt->progs.ext_target), 2, "replaced by A");
	if (!ASSERT_OK(bpf_link_detach(bpf_link__fd(a)), "detach A"))
		goto out;
	ASSERT_EQ(run_tc(tgt->progs.ext_target), 1, "A detached");
	b = bpf_program__attach_freplace(ext->progs.ext_replacement, tgt_fd, "ext_target_fn");
	if (!ASSERT_OK_PTR(b, "attach B"))
		goto out;
	ASSERT_EQ(run_tc(tgt->progs.ext_target), 2, "replaced by B");
	bpf_link__destroy(a);
	a = NULL;
	ASSERT_EQ(run_tc(tgt->progs.ext_target), 2, "still replaced by B once A is released");
	bpf_link__destroy(b);
	b = NULL;
	ASSERT_EQ(run_tc(tgt->progs.ext_target), 1, "B released");
out:
	bpf_link__destroy(b);
	bpf_link__destroy(a);
	arena_kfault_unload__destroy(ext);
	arena_kfault_unload__destroy(tgt);
}

/*
 * Races: in waves, each on a fresh arena, two threads run programs that
 * fault on the same and on different pages while a third allocates and
 * frees those pages and user space writes to them, for a fixed time.
 * Every program that faulted must end up disabled; lockdep and KASAN
 * watch the rest, and with CONFIG_DEBUG_VM each arena's teardown warns if
 * a page was lost or freed twice.
 */
#define STRESS_PROGS 32
#define STRESS_FIRST_PAGE 8
#define STRESS_PAGES 8
#define STRESS_SECONDS 3
/* A page the stress leaves alone: only the scratch page gets there. */
#define SCRATCH_PAGE 7

struct stress {
	struct arena_kfault_unload *skel;
	char *area;
	bool stop;
	int cpu;
	int allocs, alloc_errs;
};

static struct bpf_program *stress_prog(struct arena_kfault_unload *skel, int i)
{
	char name[16];

	snprintf(name, sizeof(name), "faulter%d", i);
	return bpf_object__find_program_by_name(skel->obj, name);
}

/* Each thread runs its half of the programs once, user writes between. */
static void *stress_faults(void *arg)
{
	struct stress *s = arg;
	int i, first = s->cpu * (STRESS_PROGS / 2);

	pin(s->cpu);
	for (i = first; i < first + STRESS_PROGS / 2; i++) {
		run(stress_prog(s->skel, i));
		WRITE_ONCE(*(__u64 *)(s->area + (STRESS_FIRST_PAGE + i % STRESS_PAGES) *
				      page_size), i);
	}
	return NULL;
}

static void *stress_alloc_free(void *arg)
{
	struct stress *s = arg;
	int page;

	while (!READ_ONCE(s->stop)) {
		for (page = STRESS_FIRST_PAGE; page < STRESS_FIRST_PAGE + STRESS_PAGES; page++) {
			s->skel->bss->uaddr = page_addr(s->area, page);
			s->skel->bss->alloc_ret = -1;
			run(s->skel->progs.alloc_page);
			/* Fails where user space wrote meanwhile: its page is there. */
			if (s->skel->bss->alloc_ret == s->skel->bss->uaddr)
				s->allocs++;
			else if (s->skel->bss->alloc_ret)
				s->alloc_errs++;
			run(s->skel->progs.free_page);
		}
	}
	return NULL;
}

/* One wave; return how many programs faulted, or -1. */
static int stress_wave(void)
{
	struct stress faults[2] = {}, allocs = {};
	pthread_t fault_thr[2], alloc_thr;
	struct arena_kfault_unload *skel;
	int i, faulted = -1, started = 0;
	char *area;
	size_t sz;

	skel = arena_kfault_unload__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return -1;
	for (i = 0; i < STRESS_PROGS; i++)
		bpf_program__set_autoload(stress_prog(skel, i), true);
	bpf_program__set_autoload(skel->progs.alloc_page, true);
	bpf_program__set_autoload(skel->progs.free_page, true);
	bpf_program__set_autoload(skel->progs.read_back, true);
	bpf_program__set_autoload(skel->progs.touch_scratch, true);
	if (!ASSERT_OK(arena_kfault_unload__load(skel), "load"))
		goto out;
	area = bpf_map__initial_value(skel->maps.arena, &sz);
	/* Programs i, i + 8, i + 16 and i + 24 share a page, on both CPUs. */
	for (i = 0; i < STRESS_PROGS; i++)
		skel->bss->stress_off[i] =
			(__u32)page_addr(area, STRESS_FIRST_PAGE + i % STRESS_PAGES) + 8 * (i / 8);

	allocs = (struct stress){ .skel = skel, .area = area };
	if (!ASSERT_OK(pthread_create(&alloc_thr, NULL, stress_alloc_free, &allocs),
		       "alloc thread"))
		goto out;
	for (; started < 2; started++) {
		faults[started] = (struct stress){ .skel = skel, .area = area, .cpu = started };
		if (!ASSERT_OK(pthread_create(&fault_thr[started], NULL, stress_faults,
					      &faults[started]), "fault thread"))
			break;
	}
	for (i = 0; i < started; i++)
		pthread_join(fault_thr[i], NULL);
	WRITE_ONCE(allocs.stop, true);
	pthread_join(alloc_thr, NULL);
	if (started < 2)
		goto out;
	ASSERT_EQ(allocs.alloc_errs, 0, "alloc returned its address or failed");
	ASSERT_GT(allocs.allocs, 0, "allocations that succeeded");

	/*
	 * What the programs read: a page alloc mapped (zeroed), the scratch
	 * page (never written: the programs only read), or a page user space
	 * wrote, which it did at offset 0 only: program i % 8's value there.
	 */
	for (i = 0; i < STRESS_PROGS; i++) {
		__u64 got = skel->bss->stress_got[i];

		if (got && (i >= STRESS_PAGES || got >= STRESS_PROGS ||
			    got % STRESS_PAGES != i % STRESS_PAGES))
			ASSERT_EQ(got, 0, "what a program read");
	}
	/*
	 * User space writes every page, some of which hold the scratch page;
	 * kernel code reads that back.  None of it lands in the scratch page,
	 * which another slot, never given a page, still holds: user space
	 * never sees the scratch page.  That slot no longer faults: read_back
	 * runs on.
	 */
	skel->bss->uaddr = page_addr(area, SCRATCH_PAGE);
	ASSERT_OK(run(skel->progs.touch_scratch), "touch_scratch");
	for (i = 0; i < STRESS_PAGES; i++) {
		__u64 val = 0x5eed0000ULL + i;

		WRITE_ONCE(*(__u64 *)(area + (STRESS_FIRST_PAGE + i) * page_size), val);
		skel->bss->uaddr = page_addr(area, STRESS_FIRST_PAGE + i);
		ASSERT_OK(run(skel->progs.read_back), "read_back");
		ASSERT_EQ(skel->bss->read_got, val, "the kernel reads what user space wrote");
	}
	skel->bss->uaddr = page_addr(area, SCRATCH_PAGE);
	ASSERT_OK(run(skel->progs.read_back), "read_back");
	ASSERT_EQ(skel->bss->read_got, 0, "the scratch page has none of user space's writes");

	faulted = 0;
	for (i = 0; i < STRESS_PROGS; i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (!ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(stress_prog(skel, i)),
						       &info, &len), "info"))
			break;
		if (!info.fault_cnt)
			continue;
		faulted++;
		if (!ASSERT_EQ(info.disabled_reason, BPF_PROG_DISABLED_ARENA_FAULT,
			       "faulted, disabled"))
			faulted = -1;
	}
out:
	arena_kfault_unload__destroy(skel);
	return faulted;
}

static void test_stress(void)
{
	struct timespec start, now;
	int waves = 0, faulted = 0, n;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		n = stress_wave();
		if (n < 0)
			return;
		faulted += n;
		waves++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - start.tv_sec < STRESS_SECONDS);
	printf("%s: %d waves, %d of %d programs faulted\n", __func__,
	       waves, faulted, waves * STRESS_PROGS);
	ASSERT_GE(faulted, waves, "programs that faulted");
}

static bool read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, len, f);
	fclose(f);
	return ok;
}

/* Wait for a kernel log line that contains @want; trigger faults meanwhile. */
static bool wait_log(int kmsg, const char *want)
{
	char rec[1024];
	int i, n;

	for (i = 0; i < UNLOAD_STEPS; i++) {
		while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0) {
			rec[n] = 0;
			if (strstr(rec, want))
				return true;
		}
		usleep(10000);
	}
	return false;
}

/*
 * A sched_ext operation cannot be skipped: the BPF scheduler exits with an
 * error instead, and the tasks fall back to the fair class.  Serial: it
 * installs a scheduler for the whole machine.
 */
void serial_test_arena_kfault_scx(void)
{
	struct bpf_prog_info info = {};
	struct arena_kfault_scx *skel;
	struct bpf_link *link = NULL;
	__u32 len = sizeof(info);
	char state[32], *area;
	int kmsg = -1, i;
	size_t sz;

	page_size = sysconf(_SC_PAGESIZE);
	if (!read_file("/sys/kernel/sched_ext/state", state, sizeof(state))) {
		printf("%s:SKIP: no sched_ext in this kernel\n", __func__);
		test__skip();
		return;
	}
	if (strcmp(state, "disabled\n")) {
		printf("%s:SKIP: a BPF scheduler is loaded already (sched_ext %s)\n",
		       __func__, strtok(state, "\n"));
		test__skip();
		return;
	}
	skel = arena_kfault_scx__open_and_load();
	if (!ASSERT_OK_PTR(skel, "load"))
		return;
	area = bpf_map__initial_value(skel->maps.arena, &sz);
	skel->bss->bad_off = (__u32)page_addr(area, BAD_PAGE);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (!ASSERT_OK_FD(kmsg, "open /dev/kmsg"))
		goto out;
	lseek(kmsg, 0, SEEK_END);

	link = bpf_map__attach_struct_ops(skel->maps.kfault_ops);
	if (!ASSERT_OK_PTR(link, "attach scheduler"))
		goto out;
	/* Each sleep enqueues this task on wakeup. */
	for (i = 0; i < UNLOAD_STEPS && !READ_ONCE(skel->bss->enqueues); i++)
		usleep(10000);
	ASSERT_GT(skel->bss->enqueues, 0, "the BPF scheduler schedules");
	/* Sleep, to be enqueued on wakeup: the operation faults. */
	skel->bss->target_pid = getpid();
	ASSERT_TRUE(wait_log(kmsg, "BPF scheduler \"arena_kfault\" disabled (runtime error)"),
		    "the scheduler exits");
	ASSERT_TRUE(wait_log(kmsg, "arena_kfault: kernel fault on arena address"),
		    "the scheduler was told why");
	ASSERT_GE(skel->bss->bad_enqueues, 1, "faulting enqueues");
	/* sched_ext logs the exit before it has moved every task back. */
	for (i = 0; i < UNLOAD_STEPS; i++) {
		if (!ASSERT_TRUE(read_file("/sys/kernel/sched_ext/state", state, sizeof(state)),
				 "state") || !strcmp(state, "disabled\n"))
			break;
		usleep(10000);
	}
	ASSERT_STREQ(state, "disabled\n", "tasks back on the fair class");
	if (ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(skel->progs.kfault_enqueue),
					      &info, &len), "info")) {
		ASSERT_GE(info.fault_cnt, 1, "fault_cnt");
		ASSERT_EQ(info.disabled_reason, BPF_PROG_NOT_DISABLED, "not skipped");
		ASSERT_EQ(info.first_fault_addr, page_addr(area, BAD_PAGE), "first_fault_addr");
	}
out:
	bpf_link__destroy(link);
	if (kmsg >= 0)
		close(kmsg);
	arena_kfault_scx__destroy(skel);
}

static bool write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok;
}

/*
 * BPF_LINK_DETACH of an fentry link fails when the trampoline without its
 * program cannot be built: here because the JIT limit is exceeded and the
 * caller lacks CAP_BPF.  The link must then stay attached, its program
 * still running, and a later detach must take it off.  Serial: it lowers
 * the machine's JIT limit for a moment.
 */
void serial_test_arena_kfault_detach_fails(void)
{
	const __u64 caps = 1ULL << CAP_BPF | 1ULL << CAP_SYS_ADMIN;
	struct bpf_link *a = NULL, *b = NULL;
	struct arena_kfault_unload *skel;
	char limit[32] = {};
	__u64 runs, old_caps;
	int err, i;
	char *area;
	size_t sz;

	page_size = sysconf(_SC_PAGESIZE);
	if (!ASSERT_TRUE(read_file("/proc/sys/net/core/bpf_jit_limit", limit, sizeof(limit)),
			 "read bpf_jit_limit"))
		return;
	skel = arena_kfault_unload__open();
	if (!ASSERT_OK_PTR(skel, "open"))
		return;
	/* Two programs on one trampoline: detaching one rebuilds it. */
	bpf_program__set_autoload(skel->progs.bad_fentry, true);
	bpf_program__set_autoload(skel->progs.good_fentry, true);
	if (!ASSERT_OK(arena_kfault_unload__load(skel), "load"))
		goto out;
	area = bpf_map__initial_value(skel->maps.arena, &sz);
	/* bad_fentry reads a page that is there: it counts its runs, no more. */
	WRITE_ONCE(*(__u64 *)(area + GOOD_PAGE * page_size), GOOD_VAL);
	skel->bss->bad_off = (__u32)page_addr(area, GOOD_PAGE);
	skel->bss->good_off = (__u32)page_addr(area, GOOD_PAGE);
	skel->bss->target_pid = getpid();
	a = bpf_program__attach(skel->progs.bad_fentry);
	b = bpf_program__attach(skel->progs.good_fentry);
	if (!ASSERT_OK_PTR(a, "attach a") || !ASSERT_OK_PTR(b, "attach b"))
		goto out;

	if (!ASSERT_TRUE(write_file("/proc/sys/net/core/bpf_jit_limit", "1"), "lower the limit"))
		goto out;
	err = cap_disable_effective(caps, &old_caps);
	if (!ASSERT_OK(err, "drop CAP_BPF and CAP_SYS_ADMIN")) {
		write_file("/proc/sys/net/core/bpf_jit_limit", limit);
		goto out;
	}
	err = bpf_link_detach(bpf_link__fd(a));
	ASSERT_OK(cap_enable_effective(old_caps, NULL), "restore the capabilities");
	ASSERT_TRUE(write_file("/proc/sys/net/core/bpf_jit_limit", limit), "restore the limit");
	ASSERT_EQ(err, -EPERM, "BPF_LINK_DETACH fails: no room for the trampoline");

	runs = skel->bss->bad_runs;
	trigger_syscall(skel);
	ASSERT_GT(skel->bss->bad_runs, runs, "still attached after the failed detach");
	ASSERT_EQ(fdinfo_detached(bpf_link__fd(a)), 0, "fdinfo: not detached");

	if (!ASSERT_OK(bpf_link_detach(bpf_link__fd(a)), "BPF_LINK_DETACH again"))
		goto out;
	runs = skel->bss->bad_runs;
	for (i = 0; i < 3; i++)
		trigger_syscall(skel);
	ASSERT_EQ(skel->bss->bad_runs, runs, "stopped once detached");
	ASSERT_GT(skel->bss->good_runs, 0, "the other program runs");
out:
	bpf_link__destroy(a);
	bpf_link__destroy(b);
	arena_kfault_unload__destroy(skel);
}

/* bpf_prog_disable_key's count, or -1 if it cannot be read */
static int disable_key_cnt(struct arena_kfault_unload *skel)
{
	skel->bss->disable_key_cnt = -1;
	if (run(skel->progs.read_disable_key))
		return -1;
	return skel->bss->disable_key_cnt;
}

static bool disable_key_reaches(struct arena_kfault_unload *skel, int want)
{
	int i;

	for (i = 0; i < UNLOAD_STEPS; i++) {
		if (disable_key_cnt(skel) == want)
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * The run path's check is on only while a disabled program is loaded:
 * bpf_prog_disable_key counts each disabled program until it is freed,
 * and goes off a second after the last one is.  A program disabled after
 * that is skipped again.  Serial: the count is the whole machine's.  The
 * count is the atomic_t a static key keeps, read from a program.
 */
void serial_test_arena_kfault_run_check(void)
{
	struct arena_kfault_unload *reader, *a = NULL, *b = NULL;
	int kmsg, err;

	page_size = sysconf(_SC_PAGESIZE);
	reader = arena_kfault_unload__open();
	if (!ASSERT_OK_PTR(reader, "open"))
		return;
	bpf_program__set_autoload(reader->progs.read_disable_key, true);
	if (!ASSERT_OK(arena_kfault_unload__load(reader), "load"))
		goto out;
	/* -1: the symbol is not in kallsyms (no CONFIG_KALLSYMS_ALL) */
	err = run(reader->progs.read_disable_key);
	if (err == -1) {
		printf("%s:SKIP:bpf_prog_disable_key is not in kallsyms\n", __func__);
		test__skip();
		goto out;
	}
	if (!ASSERT_OK(err, "read bpf_prog_disable_key") ||
	    !ASSERT_TRUE(disable_key_reaches(reader, 0), "off: no disabled program left"))
		goto out;

	kmsg = open_kmsg();
	if (!ASSERT_OK_FD(kmsg, "open /dev/kmsg"))
		goto out;
	a = load_with_disabled(kmsg, NULL, NULL, 0);
	b = a ? load_with_disabled(kmsg, NULL, NULL, 0) : NULL;
	close(kmsg);
	if (!b)
		goto out;
	ASSERT_EQ(disable_key_cnt(reader), 2, "on, counting both disabled programs");
	arena_kfault_unload__destroy(a);
	a = NULL;
	/* The last decrement alone is deferred, by a second: wait longer. */
	if (ASSERT_TRUE(disable_key_reaches(reader, 1), "one freed")) {
		sleep(2);
		ASSERT_EQ(disable_key_cnt(reader), 1, "still on for the other");
	}
	arena_kfault_unload__destroy(b);
	b = NULL;
	if (!ASSERT_TRUE(disable_key_reaches(reader, 0), "off once both are freed"))
		goto out;

	test_skip("skip_raw_tp");
	ASSERT_TRUE(disable_key_reaches(reader, 0), "off again");
out:
	arena_kfault_unload__destroy(a);
	arena_kfault_unload__destroy(b);
	arena_kfault_unload__destroy(reader);
}

#define FAULT_DISABLE "/proc/sys/kernel/bpf_fault_disable"

static bool set_fault_disable(int mode)
{
	char val[4];

	snprintf(val, sizeof(val), "%d", mode);
	return write_file(FAULT_DISABLE, val);
}

/*
 * The hooks of tc, tcx, freplace and the timer programs carry verdicts:
 * kernel.bpf_fault_disable=2 has them disabled too.  Serial: the setting
 * is the machine's.
 */
void serial_test_arena_kfault_unload(void)
{
	char mode[8] = {};
	int i;

	page_size = sysconf(_SC_PAGESIZE);
	if (!ASSERT_TRUE(read_file(FAULT_DISABLE, mode, sizeof(mode)), "read bpf_fault_disable") ||
	    !ASSERT_TRUE(set_fault_disable(2), "disable every program"))
		return;
	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		if (test__start_subtest(hooks[i].name))
			test_hook(&hooks[i]);
	for (i = 0; i < 7; i++) {
		char name[64];

		/* raw_tp, tracepoint, kprobe, kprobe_multi, fentry, perf_event, uprobe_multi */
		snprintf(name, sizeof(name), "link_detach_%s", hooks[i].name);
		if (test__start_subtest(name))
			test_link_detach(&hooks[i]);
	}
	if (test__start_subtest("freplace_relink"))
		test_freplace_relink();
	if (test__start_subtest("link_update_disabled"))
		test_link_update_disabled();
	if (test__start_subtest("link_update_race"))
		test_link_update_race();
	if (test__start_subtest("skip_fentry"))
		test_skip("skip_fentry");
	if (test__start_subtest("skip_kprobe"))
		test_skip("skip_kprobe");
	if (test__start_subtest("skip_raw_tp"))
		test_skip("skip_raw_tp");
	if (test__start_subtest("bpf_timer"))
		test_async("bad_timer");
	if (test__start_subtest("bpf_wq"))
		test_async("bad_wq");
	if (test__start_subtest("unsettled_link"))
		test_unsettled_link();
	if (test__start_subtest("prog_array_insert"))
		test_prog_array_insert();
	if (test__start_subtest("stress"))
		test_stress();
	write_file(FAULT_DISABLE, mode);
}

/*
 * Run @prog twice, with @runner, under kernel.bpf_fault_disable=@mode, and
 * check that it was disabled at its first fault if @disabled, or else ran
 * and faulted both times.  It faults on @page, then on the page after it,
 * which nothing faulted on before: once scratched, a slot no longer faults.
 */
static void check_fault_disable(struct arena_kfault_unload *skel, struct bpf_program *prog,
				int (*runner)(struct bpf_program *), int page, int mode,
				bool disabled)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	size_t sz;
	char *area = bpf_map__initial_value(skel->maps.arena, &sz);

	if (!ASSERT_TRUE(set_fault_disable(mode), "set bpf_fault_disable"))
		return;
	skel->bss->bad_runs = 0;
	skel->bss->bad_off = (__u32)page_addr(area, page);
	runner(prog);
	skel->bss->bad_off = (__u32)page_addr(area, page + 1);
	if (disabled)
		ASSERT_EQ(runner(prog), -EPERM, "BPF_PROG_TEST_RUN refuses it");
	else
		runner(prog);
	ASSERT_EQ(skel->bss->bad_runs, disabled ? 1 : 2, "runs");
	if (!ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len), "info"))
		return;
	ASSERT_EQ(info.fault_cnt, disabled ? 1 : 2, "fault_cnt");
	ASSERT_EQ(info.disabled_reason,
		  disabled ? BPF_PROG_DISABLED_ARENA_FAULT : BPF_PROG_NOT_DISABLED,
		  "disabled_reason");
}

/*
 * Each setting, with a tracing program (syscall) and a policy one (tc):
 * 0 disables neither, 1 the tracing one, 2 both.  The other one keeps
 * running, and prog info counts its faults without a reason.  The
 * skeleton's first disabled program keeps the run-path check on, so a
 * disabled program is skipped from its next run.
 */
static void test_policy_modes(void)
{
	static const char *const names[] = { "policy_sys", "policy_tc" };
	struct arena_kfault_unload *skel;
	struct bpf_program *progs[2];
	int kmsg, mode;

	kmsg = open_kmsg();
	if (!ASSERT_OK_FD(kmsg, "open /dev/kmsg"))
		return;
	for (mode = 0; mode <= 2; mode++) {
		skel = load_with_disabled(kmsg, names, progs, 2);
		if (!skel)
			break;
		check_fault_disable(skel, progs[0], run, POLICY_PAGE, mode, mode >= 1);
		check_fault_disable(skel, progs[1], run_tc, POLICY_PAGE + 2, mode, mode == 2);
		arena_kfault_unload__destroy(skel);
		set_fault_disable(2);
	}
	close(kmsg);
}

/* Send one datagram to @server through @client: whether it arrived. */
static bool datagram_arrives(int client, int server)
{
	char c = 'x';

	return send(client, &c, 1, 0) == 1 && recv(server, &c, 1, 0) == 1;
}

/*
 * What a disabled program with a verdict does where nothing detaches it
 * (kernel.bpf_fault_disable=2): its hook behaves as without it.  @attach
 * attaches the programs without a link, @detach takes them off; between
 * them, a datagram over loopback, or a socket, shows what the hook does.
 */
struct policy_hook {
	const char *names[2];
	int n;
	bool (*attach)(struct bpf_program **progs);
	void (*detach)(struct bpf_program **progs);
	/* How many programs the hook holds, attached and disabled or not. */
	int (*attached)(void);
};

static bool tcx_attach(struct bpf_program **progs)
{
	LIBBPF_OPTS(bpf_prog_attach_opts, opts);
	int lo = if_nametoindex("lo");

	return !bpf_prog_attach_opts(bpf_program__fd(progs[0]), lo, BPF_TCX_INGRESS, &opts) &&
	       !bpf_prog_attach_opts(bpf_program__fd(progs[1]), lo, BPF_TCX_INGRESS, &opts);
}

static void tcx_detach(struct bpf_program **progs)
{
	LIBBPF_OPTS(bpf_prog_detach_opts, opts);
	int lo = if_nametoindex("lo");

	bpf_prog_detach_opts(bpf_program__fd(progs[0]), lo, BPF_TCX_INGRESS, &opts);
	bpf_prog_detach_opts(bpf_program__fd(progs[1]), lo, BPF_TCX_INGRESS, &opts);
}

static int tcx_attached(void)
{
	LIBBPF_OPTS(bpf_prog_query_opts, opts);

	return bpf_prog_query_opts(if_nametoindex("lo"), BPF_TCX_INGRESS, &opts) ?: opts.count;
}

static bool xdp_attach(struct bpf_program **progs)
{
	return !bpf_xdp_attach(if_nametoindex("lo"), bpf_program__fd(progs[0]),
			       XDP_FLAGS_SKB_MODE, NULL);
}

static void xdp_detach(struct bpf_program **progs)
{
	bpf_xdp_detach(if_nametoindex("lo"), XDP_FLAGS_SKB_MODE, NULL);
}

static int xdp_attached(void)
{
	__u32 id = 0;

	return bpf_xdp_query_id(if_nametoindex("lo"), XDP_FLAGS_SKB_MODE, &id) ?: !!id;
}

/*
 * tcx: the program drops, and the one behind it never runs.  Disabled, it
 * says "next", as if it were not there: the one behind it passes the
 * datagram.  XDP: the program drops; disabled, XDP_PASS.
 */
static void test_policy_datagram(const struct policy_hook *h)
{
	struct arena_kfault_unload *skel = NULL;
	struct netns_obj *ns;
	int kmsg, server = -1, client = -1;
	struct bpf_program *progs[2];
	bool attached = false;

	ns = netns_new("arena_kfault_policy", true);
	if (!ASSERT_OK_PTR(ns, "netns_new"))
		return;
	kmsg = open_kmsg();
	if (!ASSERT_OK_FD(kmsg, "open /dev/kmsg"))
		goto out;
	skel = load_with_disabled(kmsg, h->names, progs, h->n);
	if (!skel)
		goto out;
	server = start_server(AF_INET, SOCK_DGRAM, "127.0.0.1", 0, 1000);
	if (!ASSERT_OK_FD(server, "server"))
		goto out;
	client = connect_to_fd(server, 1000);
	if (!ASSERT_OK_FD(client, "client"))
		goto out;
	attached = h->attach(progs);
	if (!ASSERT_TRUE(attached, "attach without a link"))
		goto out;
	ASSERT_FALSE(datagram_arrives(client, server), "the program drops, faulting");
	ASSERT_EQ(skel->bss->bad_runs, 1, "it ran");
	ASSERT_EQ(skel->bss->next_runs, 0, "nothing behind it ran");
	ASSERT_TRUE(datagram_arrives(client, server), "disabled: as if not attached");
	ASSERT_EQ(skel->bss->bad_runs, 1, "it is skipped");
	if (h->n > 1)
		ASSERT_EQ(skel->bss->next_runs, 1, "the program behind it ran");
	ASSERT_EQ(h->attached(), h->n, "still attached");
out:
	if (attached)
		h->detach(progs);
	if (client >= 0)
		close(client);
	if (server >= 0)
		close(server);
	arena_kfault_unload__destroy(skel);
	if (kmsg >= 0)
		close(kmsg);
	netns_free(ns);
}

/*
 * cgroup: the program allows every socket, faulting.  Disabled, it must
 * still allow them, as with no program attached: returning 0 would deny
 * every socket in the cgroup until someone detaches it.
 */
static void test_policy_cgroup(void)
{
	static const char *const names[] = { "policy_sock" };
	struct arena_kfault_unload *skel = NULL;
	struct bpf_program *prog;
	__u32 cnt = 0;
	int kmsg, cg, fd;

	cg = test__join_cgroup("/arena_kfault_policy");
	if (!ASSERT_OK_FD(cg, "join cgroup"))
		return;
	kmsg = open_kmsg();
	if (!ASSERT_OK_FD(kmsg, "open /dev/kmsg"))
		goto out;
	skel = load_with_disabled(kmsg, names, &prog, 1);
	if (!skel)
		goto out;
	if (!ASSERT_OK(bpf_prog_attach(bpf_program__fd(prog), cg, BPF_CGROUP_INET_SOCK_CREATE, 0),
		       "attach without a link"))
		goto out;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (ASSERT_OK_FD(fd, "socket, the program faulting"))
		close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (ASSERT_OK_FD(fd, "socket, the program disabled"))
		close(fd);
	ASSERT_EQ(skel->bss->bad_runs, 1, "ran once, then skipped");
	ASSERT_OK(bpf_prog_query(cg, BPF_CGROUP_INET_SOCK_CREATE, 0, NULL, NULL, &cnt), "query");
	ASSERT_EQ(cnt, 1, "still attached");
	bpf_prog_detach2(bpf_program__fd(prog), cg, BPF_CGROUP_INET_SOCK_CREATE);
out:
	arena_kfault_unload__destroy(skel);
	if (kmsg >= 0)
		close(kmsg);
	close(cg);
}

static const struct policy_hook policy_tcx = {
	.names = { "policy_tc", "policy_tc_next" }, .n = 2,
	.attach = tcx_attach, .detach = tcx_detach, .attached = tcx_attached,
};

static const struct policy_hook policy_xdp = {
	.names = { "policy_xdp" }, .n = 1,
	.attach = xdp_attach, .detach = xdp_detach, .attached = xdp_attached,
};

/*
 * kernel.bpf_fault_disable: which programs a fault disables, and what a
 * disabled program with a verdict does on its hook.  Serial: the setting
 * is the machine's.
 */
void serial_test_arena_kfault_policy(void)
{
	char mode[8] = {};

	page_size = sysconf(_SC_PAGESIZE);
	if (!ASSERT_TRUE(read_file(FAULT_DISABLE, mode, sizeof(mode)), "read bpf_fault_disable"))
		return;
	ASSERT_EQ(atoi(mode), 1, "tracing programs by default");
	if (!ASSERT_TRUE(set_fault_disable(2), "disable every program"))
		return;
	if (test__start_subtest("modes"))
		test_policy_modes();
	if (test__start_subtest("tcx_next"))
		test_policy_datagram(&policy_tcx);
	if (test__start_subtest("xdp_pass"))
		test_policy_datagram(&policy_xdp);
	if (test__start_subtest("cgroup_allow"))
		test_policy_cgroup();
	write_file(FAULT_DISABLE, mode);
}
