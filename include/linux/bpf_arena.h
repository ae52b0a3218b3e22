/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_BPF_ARENA_H
#define _LINUX_BPF_ARENA_H

#include <linux/types.h>

struct bpf_map;
struct pt_regs;

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
