/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM bpf

#if !defined(_TRACE_BPF_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_BPF_H

#include <linux/bpf.h>
#include <linux/tracepoint.h>

/*
 * bpf_prog_disabled - the kernel stopped running a program
 * @prog: the program, whose links are about to be detached
 *
 * Fires in process context once per program, after the program was marked
 * disabled in the fault path and before its links are detached.
 */
TRACE_EVENT(bpf_prog_disabled,
	    TP_PROTO(const struct bpf_prog *prog),
	    TP_ARGS(prog),
	    TP_STRUCT__entry(__field(u32, id)
			     __array(char, name, BPF_OBJ_NAME_LEN)
			     __field(u32, reason)
			     __field(u32, fault_cnt)
			     __field(u64, first_fault_addr)),
	    TP_fast_assign(__entry->id = prog->aux->id;
			   memcpy(__entry->name, prog->aux->name, BPF_OBJ_NAME_LEN);
			   __entry->reason = READ_ONCE(prog->aux->fault.reason);
			   __entry->fault_cnt = atomic_read(&prog->aux->fault.count);
			   __entry->first_fault_addr =
				READ_ONCE(prog->aux->fault.first_addr);),
	    TP_printk("prog_id=%u name=%s reason=%u fault_cnt=%u first_fault_addr=0x%llx",
		      __entry->id, __entry->name, __entry->reason,
		      __entry->fault_cnt, __entry->first_fault_addr)
);

#endif /* _TRACE_BPF_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
