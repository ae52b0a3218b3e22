/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_BPF_ARENA_H
#define _LINUX_BPF_ARENA_H

#include <linux/types.h>

struct bpf_map;
struct pt_regs;

/**
 * arch_bpf_fault_stack_walk - Walk the frames of a faulting context.
 * @regs: Registers of the context that faulted, as saved on the exception.
 * @consume_fn: Called for each frame, innermost first: @ip is the faulting
 *              instruction, then each return address.  It returns false to
 *              end the walk.
 * @cookie: Passed to @consume_fn.
 *
 * Only frames of the context @regs belongs to are reported.  The walk ends
 * at the first frame that an exception or interrupt interrupted: if @regs
 * belongs to an interrupt handler, the task or interrupt below it is not
 * its caller, and nothing it runs is charged to it.
 *
 * Provided by architectures that select ARCH_HAS_PTEP_SET_KERNEL_IF_EMPTY,
 * for bpf_arena_handle_page_fault().
 *
 * Context: Any context, including NMI, with @regs on the current stack.
 */
void arch_bpf_fault_stack_walk(struct pt_regs *regs,
			       bool (*consume_fn)(void *cookie, u64 ip),
			       void *cookie);

#if defined(CONFIG_BPF_SYSCALL) && defined(CONFIG_MMU) && defined(CONFIG_64BIT)
u64 bpf_arena_map_kern_vm_start(struct bpf_map *map);
bool bpf_arena_handle_page_fault(unsigned long addr, bool is_write, struct pt_regs *regs);
#else
static inline u64 bpf_arena_map_kern_vm_start(struct bpf_map *map)
{
	return 0;
}

static inline bool bpf_arena_handle_page_fault(unsigned long addr, bool is_write,
					       struct pt_regs *regs)
{
	return false;
}
#endif

#endif /* _LINUX_BPF_ARENA_H */
