// SPDX-License-Identifier: GPL-2.0
/*
 * A program whose kernel-side arena access faulted is disabled at once and
 * unloaded: for each hook, check that the kernel says so, that the program
 * stops running, that its link (or perf event, or prog array slot) lets go
 * of it, that its id goes away once user space lets go of it, and that a
 * well-behaved program on the same hook, using the same arena, keeps
 * running.
 */
#include <test_progs.h>
#include <linux/compiler.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "arena_kfault_unload.skel.h"
#include "arena_kfault_scx.skel.h"

#define GOOD_PAGE 0
#define BAD_PAGE 12
#define ALLOC_PAGE 5
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

/* The kernel takes the arena's lock for both: the hooks run under it. */
static void trigger_alloc_free(struct arena_kfault_unload *skel)
{
	char *area = bpf_map__initial_value(skel->maps.arena, &(size_t){0});

	skel->bss->uaddr = page_addr(area, ALLOC_PAGE);
	skel->bss->alloc_ret = 0;
	ASSERT_OK(run(skel->progs.alloc_page), "alloc_page");
	ASSERT_EQ(skel->bss->alloc_ret, skel->bss->uaddr, "alloc under a faulting hook");
	ASSERT_OK(run(skel->progs.free_page), "free_page");
}

/* An array map this large is vmalloc()ed. */
static void trigger_vmalloc(struct arena_kfault_unload *skel)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 1 << 16, 4, NULL);

	if (ASSERT_OK_FD(fd, "vmalloc()ed map"))
		close(fd);
}

/* Every other CPU handles an NMI: sysrq's "show backtrace of all CPUs". */
static void trigger_nmi(struct arena_kfault_unload *skel)
{
	int fd = open("/proc/sysrq-trigger", O_WRONLY);

	if (!ASSERT_OK_FD(fd, "open /proc/sysrq-trigger"))
		return;
	ASSERT_EQ(write(fd, "l", 1), 1, "sysrq l");
	close(fd);
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

	snprintf(want, sizeof(want), "(id %u) disabled after ", id);
	for (i = 0; i < UNLOAD_STEPS; i++) {
		while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0) {
			rec[n] = 0;
			msg = strstr(rec, want);
			if (msg && sscanf(strstr(msg, ": "),
					  ": %u links detached, %u perf events detached, %u prog array slots cleared",
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
#ifdef __x86_64__
	if (h->trigger == trigger_nmi)
		ASSERT_EQ(skel->bss->bad_in_nmi, 1, "bad program ran in NMI");
#endif

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
	if (bad_link) {
		struct bpf_link_info link_info = {};
		__u32 link_len = sizeof(link_info);
		int err;

		/* A detached perf_event link has no program on its event. */
		err = bpf_link_get_info_by_fd(bpf_link__fd(bad_link), &link_info, &link_len);
		ASSERT_TRUE(!err || err == -ENOENT, "info of the detached link");
	}
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
	{ "perf_ioc_tracepoint", "bad_tp", "good_tp", trigger_syscall, open_tracepoint_event,
	  true },
	{ "perf_ioc_sampling", "bad_perf", "good_perf", trigger_cpu, open_sampling_event, true },
	{ "nmi", "bad_nmi", "good_nmi", trigger_nmi },
	{ "arena_alloc_locked", "bad_alloc", "good_alloc", trigger_alloc_free },
	{ "arena_free_locked", "bad_free", "good_free", trigger_alloc_free },
	{ "vmalloc", "bad_vmalloc", "good_vmalloc", trigger_vmalloc },
	{ "tail_call", "bad_tailee", "good_tailer", trigger_syscall, .slots = 1 },
};

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

struct stress {
	struct arena_kfault_unload *skel;
	char *area;
	bool stop;
	int cpu;
};

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % libbpf_num_possible_cpus(), &set);
	sched_setaffinity(0, sizeof(set), &set);
}

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
			run(s->skel->progs.alloc_page);
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
 * error instead, and the tasks fall back to the fair class.
 */
static void test_sched_ext(void)
{
	struct bpf_prog_info info = {};
	struct arena_kfault_scx *skel;
	struct bpf_link *link = NULL;
	__u32 len = sizeof(info);
	char state[32], *area;
	int kmsg = -1, i;
	size_t sz;

	if (!ASSERT_TRUE(read_file("/sys/kernel/sched_ext/state", state, sizeof(state)),
			 "sched_ext state") ||
	    !ASSERT_STREQ(state, "disabled\n", "no BPF scheduler yet"))
		return;
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

void test_arena_kfault_unload(void)
{
	int i;

	page_size = sysconf(_SC_PAGESIZE);
	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		if (test__start_subtest(hooks[i].name))
			test_hook(&hooks[i]);
	if (test__start_subtest("stress"))
		test_stress();
	if (test__start_subtest("sched_ext"))
		test_sched_ext();
}
