// SPDX-License-Identifier: GPL-2.0
/*
 * `make compare`'s arena benchmarks, run in the guest.  Prints one line per
 * figure, "arena_bench: NAME VALUE".
 *
 *   arena_bench alloc-free   ns per bpf_arena_alloc_pages()+free_pages()
 *                            pair, of 1 and of 64 pages
 *   arena_bench faults       ns per recovered kernel fault and per user
 *                            lazy fault on fresh arena pages (patched only)
 *   arena_bench latency      us from a program's first fault to its last
 *                            run and to its link being detached (patched)
 *   arena_bench latency-crowded
 *                            the same among 10,000 unrelated links and
 *                            10,000 maps, which the unload walks (patched)
 *   arena_bench perf-ioc     ns per event to open 10,000 sampling events
 *                            (disabled), set a program on each with
 *                            PERF_EVENT_IOC_SET_BPF, and close them all
 *   arena_bench hold         makes a program fault, waits for its unload,
 *                            prints "arena_bench: holding", and keeps the
 *                            disabled program loaded until killed (patched)
 *   arena_bench key N        waits up to 10 s for bpf_prog_disable_key to
 *                            count N disabled programs; fails otherwise
 *   arena_bench memory [N]   KiB of kernel memory per 1-page arena (mmap()ed,
 *                            no page allocated), among N (1,000), and its
 *                            reported memory usage; then the change in
 *                            MemFree, PageTables and VmallocUsed once all
 *                            are freed
 *   arena_bench memory-loop [N]
 *                            the same change after N (1,000) 1-page arenas
 *                            made, mmap()ed and freed one after the other
 *   arena_bench memory-used [N]
 *                            the change in MemFree, PageTables and
 *                            VmallocUsed once N (1,000) 1-page arenas,
 *                            each with its page written from user space,
 *                            are freed: on the base, what vmalloc keeps of
 *                            any area that had a page (its PMD tables are
 *                            in PageTables, its PTE tables only in MemFree)
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "arena_bench.skel.h"

#define PAGE 4096
#define FAULT_PAGES 256
#define REPS 5
#define CROWD 10000
#define ARENAS 1000

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static struct arena_bench *load(const char *prog)
{
	struct arena_bench *skel = arena_bench__open();

	if (!skel)
		exit(1);
	bpf_program__set_autoload(bpf_object__find_program_by_name(skel->obj, prog), true);
	if (!strcmp(prog, "victim")) {
		bpf_program__set_autoload(skel->progs.detached, true);
		bpf_program__set_autoload(skel->progs.bystander, true);
	}
	if (arena_bench__load(skel)) {
		fprintf(stderr, "arena_bench: cannot load %s\n", prog);
		exit(1);
	}
	return skel;
}

static __u64 run_ns(struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	__u64 t = now_ns();

	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts)) {
		perror("arena_bench: test run");
		exit(1);
	}
	return now_ns() - t;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return v[n / 2];
}

static void alloc_free(void)
{
	static const struct { __u32 pages, iters; } runs[] = { { 1, 20000 }, { 64, 500 } };
	double ns[REPS];
	int r, i;

	for (i = 0; i < 2; i++) {
		struct arena_bench *skel = load("alloc_free");

		skel->bss->pages = runs[i].pages;
		skel->bss->iters = runs[i].iters;
		for (r = 0; r < REPS; r++)
			ns[r] = (double)run_ns(skel->progs.alloc_free) / runs[i].iters;
		if (skel->bss->alloc_failed)
			fprintf(stderr, "arena_bench: %u allocations failed\n", skel->bss->alloc_failed);
		printf("arena_bench: alloc_free_%u_ns %.0f\n", runs[i].pages, median(ns, REPS));
		arena_bench__destroy(skel);
	}
}

static void faults(void)
{
	double kns[REPS], uns[REPS];
	size_t sz;
	char *area;
	int r, i;

	for (r = 0; r < REPS; r++) {
		struct arena_bench *skel = load("kfault");

		area = bpf_map__initial_value(skel->maps.arena, &sz);
		/* Kernel faults on the first FAULT_PAGES pages, in one call. */
		skel->bss->off = (__u32)(unsigned long)area;
		skel->bss->len = FAULT_PAGES * PAGE;
		kns[r] = (double)run_ns(skel->progs.kfault) / FAULT_PAGES;
		/* User faults on the next FAULT_PAGES pages. */
		__u64 t = now_ns();

		for (i = FAULT_PAGES; i < 2 * FAULT_PAGES; i++)
			*(volatile char *)(area + (size_t)i * PAGE) = 1;
		uns[r] = (double)(now_ns() - t) / FAULT_PAGES;
		arena_bench__destroy(skel);
	}
	printf("arena_bench: kfault_ns %.0f\n", median(kns, REPS));
	printf("arena_bench: ufault_ns %.0f\n", median(uns, REPS));
}

static void raise_nofile(int n)
{
	struct rlimit rl = { .rlim_cur = n + 1024, .rlim_max = n + 1024 };

	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		perror("arena_bench: RLIMIT_NOFILE");
		exit(1);
	}
}

/* @crowd unrelated maps and links, left open until exit. */
static void crowd(struct arena_bench *skel, int n)
{
	int i;

	raise_nofile(2 * n);
	for (i = 0; i < n; i++) {
		if (bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL) < 0 ||
		    !bpf_program__attach_iter(skel->progs.bystander, NULL)) {
			fprintf(stderr, "arena_bench: only %d maps and links\n", i);
			exit(1);
		}
	}
}

static void latency(int n, const char *suffix)
{
	struct arena_bench *skel = load("victim");
	struct bpf_link *victim, *probe;
	__u64 quiet_since = 0, t;
	size_t sz;
	char *area = bpf_map__initial_value(skel->maps.arena, &sz);

	crowd(skel, n);

	skel->bss->off = (__u32)(unsigned long)area;
	skel->bss->target_pid = getpid();
	probe = bpf_program__attach(skel->progs.detached);
	victim = bpf_program__attach(skel->progs.victim);
	if (!probe || !victim) {
		fprintf(stderr, "arena_bench: cannot attach\n");
		exit(1);
	}
	/* Keep the hook firing until the link is gone and 100 ms passed. */
	for (t = now_ns(); now_ns() - t < 10000000000ULL;) {
		syscall(__NR_getpgid, 0);
		if (skel->bss->detached_ns && !quiet_since)
			quiet_since = now_ns();
		if (quiet_since && now_ns() - quiet_since > 100000000ULL)
			break;
	}
	if (!skel->bss->detached_ns) {
		fprintf(stderr, "arena_bench: the link was not detached within 10 s\n");
		exit(1);
	}
	printf("arena_bench: disable_us%s %.1f\n", suffix,
	       (skel->bss->last_run_ns - skel->bss->fault_ns) / 1000.0);
	printf("arena_bench: detach_us%s %.1f\n", suffix,
	       (skel->bss->detached_ns - skel->bss->fault_ns) / 1000.0);
	bpf_link__destroy(victim);
	bpf_link__destroy(probe);
	arena_bench__destroy(skel);
}

static void perf_ioc(void)
{
	/* A tracepoint takes a program once: sampling events, never enabled. */
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = 1000000,
		.disabled = 1,
	};
	struct arena_bench *skel = load("on_event");
	int prog = bpf_program__fd(skel->progs.on_event), *fds, i;
	__u64 t;

	raise_nofile(CROWD);
	fds = calloc(CROWD, sizeof(*fds));
	if (!fds)
		exit(1);
	t = now_ns();
	for (i = 0; i < CROWD; i++) {
		fds[i] = syscall(__NR_perf_event_open, &attr, 0, -1, -1, 0);
		if (fds[i] < 0 || ioctl(fds[i], PERF_EVENT_IOC_SET_BPF, prog)) {
			perror("arena_bench: perf event with a program");
			exit(1);
		}
	}
	for (i = 0; i < CROWD; i++)
		close(fds[i]);
	printf("arena_bench: perf_ioc_ns %.0f\n", (double)(now_ns() - t) / CROWD);
	free(fds);
	arena_bench__destroy(skel);
}

/* Whether the kernel logged the unload of program @id within 10 s. */
static int wait_unloaded(int kmsg, __u32 id)
{
	char rec[1024], want[64];
	int i, n;

	snprintf(want, sizeof(want), "(id %u) unloaded: ", id);
	for (i = 0; i < 1000; i++) {
		while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0) {
			rec[n] = 0;
			if (strstr(rec, want))
				return 1;
		}
		usleep(10000);
	}
	return 0;
}

static void hold(void)
{
	struct arena_bench *skel = load("kfault");
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	size_t sz;
	char *area = bpf_map__initial_value(skel->maps.arena, &sz);
	int kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (kmsg < 0 || lseek(kmsg, 0, SEEK_END) < 0 ||
	    bpf_prog_get_info_by_fd(bpf_program__fd(skel->progs.kfault), &info, &len)) {
		perror("arena_bench: hold");
		exit(1);
	}
	skel->bss->off = (__u32)(unsigned long)area;
	skel->bss->len = PAGE;
	run_ns(skel->progs.kfault);
	if (!wait_unloaded(kmsg, info.id)) {
		fprintf(stderr, "arena_bench: the program was not unloaded within 10 s\n");
		exit(1);
	}
	printf("arena_bench: holding\n");
	for (;;)
		pause();
}

static void key(int want)
{
	struct arena_bench *skel = load("read_key");
	int i, cnt = -1;

	for (i = 0; i < 1000; i++) {
		skel->bss->key_cnt = -1;
		run_ns(skel->progs.read_key);
		cnt = skel->bss->key_cnt;
		if (cnt == want) {
			arena_bench__destroy(skel);
			return;
		}
		usleep(10000);
	}
	fprintf(stderr, "arena_bench: bpf_prog_disable_key counts %d, not %d\n", cnt, want);
	exit(1);
}

/* A /proc/meminfo figure, in KiB. */
static long meminfo_kib(const char *key)
{
	char line[128];
	long val = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':') {
			val = atol(line + strlen(key) + 1);
			break;
		}
	if (f)
		fclose(f);
	if (val < 0) {
		fprintf(stderr, "arena_bench: no %s in /proc/meminfo\n", key);
		exit(1);
	}
	return val;
}

/* The memory usage the kernel reports for map @fd ("memlock"). */
static long memlock(int fd)
{
	char path[64], line[128];
	long val = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %ld", &val) == 1)
			break;
	if (f)
		fclose(f);
	return val;
}

/* Arena maps still in the kernel: a closed map is freed by a work item. */
static int arenas_alive(void)
{
	struct bpf_map_info info;
	__u32 id = 0, len;
	int n = 0, fd;

	while (!bpf_map_get_next_id(id, &id)) {
		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_map_get_info_by_fd(fd, &info, &len) && info.type == BPF_MAP_TYPE_ARENA)
			n++;
		close(fd);
	}
	return n;
}

static void wait_arenas_freed(void)
{
	int i;

	for (i = 0; i < 1000 && arenas_alive(); i++)
		usleep(10000);
	if (arenas_alive()) {
		fprintf(stderr, "arena_bench: arenas not freed within 10 s\n");
		exit(1);
	}
}

/* A 1-page arena, mmap()ed: its user range and page tables are set up. */
static int arena_1page(void **map)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
	int fd = bpf_map_create(BPF_MAP_TYPE_ARENA, NULL, 0, 0, 1, &opts);

	*map = fd < 0 ? MAP_FAILED : mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (*map == MAP_FAILED) {
		perror("arena_bench: 1-page arena");
		exit(1);
	}
	return fd;
}

/*
 * @n 1-page arenas alive at once, then freed; @used: with their page
 * allocated, by a write from user space.
 */
static void memory(int n, bool used)
{
	const char *pfx = used ? "used_" : "";
	int *fds = calloc(n, sizeof(*fds));
	void **maps = calloc(n, sizeof(*maps));
	long free0, pt0, vm0, free1, i;

	if (!fds || !maps)
		exit(1);
	raise_nofile(n);
	sync();
	free0 = meminfo_kib("MemFree");
	pt0 = meminfo_kib("PageTables");
	vm0 = meminfo_kib("VmallocUsed");
	for (i = 0; i < n; i++) {
		fds[i] = arena_1page(&maps[i]);
		if (used)
			*(volatile int *)maps[i] = 1;
	}
	free1 = meminfo_kib("MemFree");
	if (!used) {
		printf("arena_bench: arena_1page_kib %.1f\n", (double)(free0 - free1) / n);
		printf("arena_bench: arena_1page_memlock %ld\n", memlock(fds[0]));
	}
	for (i = 0; i < n; i++) {
		munmap(maps[i], PAGE);
		close(fds[i]);
	}
	wait_arenas_freed();
	printf("arena_bench: %sfreed_memfree_kib %ld\n", pfx, free0 - meminfo_kib("MemFree"));
	printf("arena_bench: %sfreed_pagetables_kib %ld\n", pfx,
	       meminfo_kib("PageTables") - pt0);
	printf("arena_bench: %sfreed_vmalloc_kib %ld\n", pfx, meminfo_kib("VmallocUsed") - vm0);
	free(fds);
	free(maps);
}

static void memory_loop(int n)
{
	long free0, pt0, vm0, i;
	void *map;

	sync();
	free0 = meminfo_kib("MemFree");
	pt0 = meminfo_kib("PageTables");
	vm0 = meminfo_kib("VmallocUsed");
	for (i = 0; i < n; i++) {
		int fd = arena_1page(&map);

		munmap(map, PAGE);
		close(fd);
		wait_arenas_freed();
	}
	printf("arena_bench: loop_freed_memfree_kib %ld\n", free0 - meminfo_kib("MemFree"));
	printf("arena_bench: loop_freed_pagetables_kib %ld\n", meminfo_kib("PageTables") - pt0);
	printf("arena_bench: loop_freed_vmalloc_kib %ld\n", meminfo_kib("VmallocUsed") - vm0);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "alloc-free"))
		alloc_free();
	else if (argc == 2 && !strcmp(argv[1], "faults"))
		faults();
	else if (argc == 2 && !strcmp(argv[1], "latency"))
		latency(0, "");
	else if (argc == 2 && !strcmp(argv[1], "latency-crowded"))
		latency(CROWD, "_crowded");
	else if (argc == 2 && !strcmp(argv[1], "perf-ioc"))
		perf_ioc();
	else if (argc == 2 && !strcmp(argv[1], "hold"))
		hold();
	else if (argc == 3 && !strcmp(argv[1], "key"))
		key(atoi(argv[2]));
	else if (argc <= 3 && argc >= 2 && !strcmp(argv[1], "memory"))
		memory(argc == 3 ? atoi(argv[2]) : ARENAS, false);
	else if (argc <= 3 && argc >= 2 && !strcmp(argv[1], "memory-used"))
		memory(argc == 3 ? atoi(argv[2]) : ARENAS, true);
	else if (argc <= 3 && argc >= 2 && !strcmp(argv[1], "memory-loop"))
		memory_loop(argc == 3 ? atoi(argv[2]) : ARENAS);
	else {
		fprintf(stderr,
			"usage: %s alloc-free|faults|latency|latency-crowded|perf-ioc|hold|key N|memory [N]|memory-used [N]|memory-loop [N]\n",
			argv[0]);
		return 2;
	}
	return 0;
}
