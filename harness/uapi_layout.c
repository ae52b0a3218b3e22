// SPDX-License-Identifier: GPL-2.0
/*
 * The fields the series adds to struct bpf_prog_info, where user space of
 * either word size finds them.  Compiled by check-uapi.sh, never run.
 */
#include <stddef.h>
#include <linux/bpf.h>

#define AT(field, off) \
	_Static_assert(offsetof(struct bpf_prog_info, field) == (off), \
		       #field " is not at offset " #off)

AT(attach_btf_id, 224);
AT(fault_cnt, 228);
AT(first_fault_addr, 232);
AT(disabled_reason, 240);
_Static_assert(sizeof(struct bpf_prog_info) == 248, "struct bpf_prog_info is not 248 bytes");
