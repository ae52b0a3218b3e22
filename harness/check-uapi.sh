#!/usr/bin/env bash
# The series' uapi, as user space compiles it: struct bpf_prog_info must be
# laid out the same for 32-bit (i386, where a __u64 is 4-byte aligned) and
# 64-bit user space: same offsets, same size, its only implicit padding the
# 4 bytes after disabled_reason, which the kernel wants 0.  Compiles
# harness/uapi_layout.c against the exported headers of the assembled tree
# (make headers) for both; one result line each.
. "$(dirname "$0")/lib.sh"

hdr=$CACHE/$KIND/uapi
log=$CACHE/$KIND/uapi-headers.log
if ! make -C "$TREE" O="$OBJ" INSTALL_HDR_PATH="$hdr" headers_install > "$log" 2>&1; then
	echo "FAIL uapi headers: make headers_install failed (log: $log)"
	exit 0
fi
clang=/usr/lib/llvm-$LLVM_VER/bin/clang
for target in i386-linux-gnu x86_64-linux-gnu; do
	if out=$("$clang" --target=$target -fsyntax-only -nostdinc \
		 -isystem "$("$clang" -print-resource-dir)/include" -isystem "$hdr/include" \
		 "$REPO/harness/uapi_layout.c" 2>&1); then
		echo "ok uapi layout: struct bpf_prog_info on $target"
	else
		echo "FAIL uapi layout: struct bpf_prog_info on $target: $(echo "$out" | grep -m1 error)"
	fi
done
