// SPDX-License-Identifier: GPL-2.0-only
/*
 * Disabling and unloading a program the kernel recovered a fault for.
 *
 * When kernel code running on a program's behalf faults on memory the
 * program handed it, and the fault is recovered (see the arena's
 * bpf_arena_handle_page_fault()), the program is buggy.  It is disabled at
 * once, in the fault path: bpf_prog_run() and the trampolines skip it on
 * every hook.  Then, in process context, it is unloaded: every link that
 * holds it is detached, it is taken off every perf event it was set on
 * with PERF_EVENT_IOC_SET_BPF and out of every prog array, so that once
 * user space closes its file descriptors it is freed.
 *
 * The fault path may be in any context, NMI included, with any lock held.
 * It only marks the program, takes a reference with an atomic, puts the
 * program on a lock-free list and queues an irq_work, which queues the
 * unload work.  The check on the run path sits behind bpf_prog_disable_key,
 * which counts the disabled programs not yet freed: the work counts each
 * program in, as patching code is not possible from the fault path, and
 * the program's release counts it out (see bpf_prog_free_deferred()).
 * While the key is off, a program that faults keeps running until the
 * work has switched it on, and its faults keep being recovered.  Once the
 * last disabled program is freed, the check costs nothing again.
 *
 * A struct_ops program is not skipped: the subsystem calling it relies on
 * what it returns.  It keeps running.
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/irq_work.h>
#include <linux/llist.h>
#include <linux/netfilter.h>
#include <linux/pkt_cls.h>
#include <linux/trace_events.h>
#include <linux/workqueue.h>

#define CREATE_TRACE_POINTS
#include <trace/events/bpf.h>

static LLIST_HEAD(bpf_prog_unload_list);

/* Clear every prog array slot that holds @prog; return how many. */
static u32 bpf_prog_leave_prog_arrays(struct bpf_prog *prog)
{
	struct bpf_map *map;
	u32 id = 0, cnt = 0;
	u64 member;

	/*
	 * In no prog array: the walk of every map can be skipped.  A prog
	 * array update that counts @prog as a member after this read refuses
	 * it, as ext_mutex orders that count after the disabling.
	 */
	mutex_lock(&prog->aux->ext_mutex);
	member = prog->aux->prog_array_member_cnt;
	mutex_unlock(&prog->aux->ext_mutex);
	if (!member)
		return 0;

	while ((map = bpf_map_get_curr_or_next(&id))) {
		if (map->map_type == BPF_MAP_TYPE_PROG_ARRAY)
			cnt += prog_array_map_remove_prog(map, prog);
		bpf_map_put(map);
		id++;
	}
	return cnt;
}

static void bpf_prog_unload_workfn(struct work_struct *work);
static DECLARE_DELAYED_WORK(bpf_prog_unload_work, bpf_prog_unload_workfn);

static void bpf_prog_unload_workfn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&bpf_prog_unload_list);
	struct bpf_prog_aux *aux, *tmp;
	u32 links, events, slots;
	bool retry = false;

	llist_for_each_entry_safe(aux, tmp, list, fault.node) {
		/* Before the program is put, which may free it. */
		if (!aux->fault.counted) {
			static_branch_deferred_inc(&bpf_prog_disable_key);
			aux->fault.counted = true;
		}
		/*
		 * A link primed but not settled cannot be detached yet: its
		 * unregistration would fail, its registration then succeed,
		 * and its release, seeing it detached, would leave the hook
		 * calling into the freed link.  It settles or goes soon, and
		 * no new one comes: bpf_link_prime() refuses the program.
		 */
		if (bpf_prog_has_unsettled_links(aux->prog)) {
			llist_add(&aux->fault.node, &bpf_prog_unload_list);
			retry = true;
			continue;
		}
		trace_bpf_prog_disabled(aux->prog);
		links = bpf_prog_detach_links(aux->prog);
		events = perf_event_detach_bpf_prog_all(aux->prog);
		slots = bpf_prog_leave_prog_arrays(aux->prog);
		/* The program may fault on until the key is on: the count so far. */
		pr_info("bpf: prog %s (id %u) unloaded: %u links detached, %u perf events detached, %u prog array slots cleared; %d kernel faults so far\n",
			aux->name, aux->id, links, events, slots,
			atomic_read(&aux->fault.count));
		bpf_prog_put(aux->prog);
	}
	if (retry)
		schedule_delayed_work(&bpf_prog_unload_work, msecs_to_jiffies(10));
}

static void bpf_prog_unload_irq_workfn(struct irq_work *work)
{
	mod_delayed_work(system_wq, &bpf_prog_unload_work, 0);
}

static DEFINE_IRQ_WORK(bpf_prog_unload_irq_work, bpf_prog_unload_irq_workfn);

/**
 * bpf_prog_skip_verdict - What a disabled program returns to its hook.
 * @prog: A program that bpf_prog_run() skips.
 *
 * The verdict its hook acts on as it would with no program attached, so
 * that nothing changes again when the unload detaches the program, and
 * nothing is different where no unload can reach it (attached without a
 * link).  The trampolines skip fentry, fexit, fmod_ret and LSM programs
 * themselves, which leaves the hooked function's own result; cls_bpf and
 * the sockmap stream parser, whose "no program" no constant expresses,
 * skip theirs too.
 *
 * Return: the verdict, by @prog's type.
 */
u32 bpf_prog_skip_verdict(const struct bpf_prog *prog)
{
	switch (prog->type) {
	case BPF_PROG_TYPE_XDP:
		return XDP_PASS;
	case BPF_PROG_TYPE_SCHED_CLS:
		/* tcx: TCX_NEXT, the next program or the stack */
		return TC_ACT_UNSPEC;
	case BPF_PROG_TYPE_SCHED_ACT:
		/* act_bpf: the next action */
		return TC_ACT_PIPE;
	case BPF_PROG_TYPE_SOCKET_FILTER:
		/* keep the whole packet; reuseport: no index, hash */
		return U32_MAX;
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
		return BPF_FLOW_DISSECTOR_CONTINUE;
	case BPF_PROG_TYPE_NETFILTER:
		return NF_ACCEPT;
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_SK_MSG:
	case BPF_PROG_TYPE_SK_LOOKUP:
	case BPF_PROG_TYPE_SK_REUSEPORT:
		/* no redirect nor socket selected: the usual path */
		return SK_PASS;
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_SOCK_OPS:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
	case BPF_PROG_TYPE_LSM:
		/* cgroup programs, lsm_cgroup included: allow */
		return 1;
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
		/* the perf event records its sample; kprobe session: no return */
		return 1;
	default:
		/* lwt: BPF_OK; raw_tp, iterators, lirc: ignored or "go on" */
		return 0;
	}
}
EXPORT_SYMBOL(bpf_prog_skip_verdict);

/**
 * bpf_prog_report_fault - Deal with a program whose kernel access faulted.
 * @prog: The innermost program on the stack when the kernel recovered a
 *        fault: a main program, a subprogram or a callback.
 * @reason: Why, an enum bpf_prog_disabled_reason other than
 *          BPF_PROG_NOT_DISABLED.
 * @addr: The faulting address, as the program sees it: reported to user
 *        space, so never a kernel address.
 *
 * The fault is charged to @prog's main program.  The first fault records
 * @addr.  Unless it is a struct_ops program, the main program is disabled
 * at once (see bpf_prog_disabled()) and unloaded later, in process context:
 * its links are detached, it is taken off the perf events it was set on
 * without a link, and it is cleared from every prog array.  A
 * tail-called program is a main program of its own; the program that tail
 * called it is not blamed.
 *
 * Context: Any context, including NMI and with any lock held: only atomics,
 * a lock-free list and an irq_work.
 * Return: what was done about the program.
 */
enum bpf_prog_fault_action bpf_prog_report_fault(struct bpf_prog *prog,
						 u32 reason, u64 addr)
{
	struct bpf_prog_aux *aux = prog->aux->main_prog_aux ?: prog->aux;
	struct bpf_prog_fault *fault = &aux->fault;

	prog = aux->prog;
	if (atomic_inc_return(&fault->count) == 1)
		WRITE_ONCE(fault->first_addr, addr);

	if (prog->type == BPF_PROG_TYPE_STRUCT_OPS)
		return BPF_PROG_FAULT_KEPT;

	/* The first reason stays; it is in place before the program is disabled. */
	cmpxchg(&fault->reason, BPF_PROG_NOT_DISABLED, reason);
	if (cmpxchg(&prog->disabled, 0, 1))
		return BPF_PROG_FAULT_DISABLED;

	/* A program whose last reference is gone has nothing to unload. */
	if (IS_ERR(bpf_prog_inc_not_zero(prog)))
		return BPF_PROG_FAULT_DISABLED;
	llist_add(&fault->node, &bpf_prog_unload_list);
	irq_work_queue(&bpf_prog_unload_irq_work);
	return BPF_PROG_FAULT_DISABLED;
}
