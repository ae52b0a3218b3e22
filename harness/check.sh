#!/usr/bin/env bash
# make check: build everything, boot the patched kernel, run the tests,
# gate on kernel splats, and print "N passed, N failed".
. "$(dirname "$0")/lib.sh"

RUN=$OUT/check
[ "$GUEST_ARCH" = x86_64 ] || RUN=$OUT/check-$GUEST_ARCH
rm -rf "$RUN"
mkdir -p "$RUN"
results=$RUN/results.txt
: > "$results"
start=$(date +%s)

"$REPO/harness/prepare.sh"

# What does not depend on the guest: once, in make check.
if [ "$GUEST_ARCH" = x86_64 ]; then
	"$REPO/harness/build-arm64.sh" >> "$results"
	"$REPO/harness/check-style.sh" >> "$results"
	"$REPO/harness/build-docs.sh" >> "$results"
	"$REPO/harness/check-uapi.sh" >> "$results"
fi

# The splat gate is only as good as its scanner.
if python3 "$REPO/harness/scan_kernel_log.py" --self-test "$REPO/harness/tests/kernel-logs" > "$RUN/scanner-self-test.log"; then
	echo "ok scanner self-test" >> "$results"
else
	echo "FAIL scanner self-test: see $RUN/scanner-self-test.log" >> "$results"
fi

# So is the count only as good as its parser of test_progs' output.
if python3 "$REPO/harness/count_results.py" --self-test "$REPO/harness/tests/test_progs-logs" > "$RUN/parser-self-test.log"; then
	echo "ok test_progs parser self-test" >> "$results"
else
	echo "FAIL test_progs parser self-test: see $RUN/parser-self-test.log" >> "$results"
fi

# Negative controls: recovery is precise.  An access just outside an
# arena, and an instruction fetch inside one, from the same kind of kfunc,
# must oops as they always did, with no recovery reported; so must an
# interrupt handler's access to an arena whose program it interrupted.
# After the test name, what the oops must name: the function that faulted,
# or the program when the kfunc's call into the arena was compiled as a
# tail call.
# Each oopses its own guest; they run one after the other on the second
# core while the test guest, one TCG thread, runs on the first.
negative_controls() {
	local nc test kfunc NC
	for nc in kfault_outside_arena:bpf_kfunc_arena_read 'kfault_exec_arena:bpf_kfunc_arena_exec|_kexec\+' \
		  kfault_irq_arena:arena_irq_read; do
		test=${nc%%:*} kfunc=${nc#*:}
		NC=$RUN/negative-control-$test
		"$REPO/harness/boot.sh" "$NC" 900 "$REPO/harness/guest/negative-control.sh" "$SELFTESTS" "$test" > "$NC.boot.log" 2>&1 || true
		if grep -qE "BUG: unable to handle page fault|Unable to handle kernel paging request" "$NC/console.log" &&
		   grep -qE "$kfunc" "$NC/console.log" &&
		   ! grep -q "bpf: arena fault:" "$NC/console.log" &&
		   ! grep -q "negative control: the kernel survived" "$NC/console.log"; then
			echo "ok negative control $test: the access oopsed, nothing recovered"
		else
			echo "FAIL negative control $test: no oops in $kfunc, or a recovery (see $NC/console.log)"
		fi
	done
}
negative_controls > "$RUN/negative-controls.txt" &
nc_pid=$!

"$REPO/harness/boot.sh" "$RUN" "${CHECK_GUEST_TIMEOUT:-2400}" \
	"$REPO/harness/guest/run-tests.sh" "$SELFTESTS" "$RUN" "$REPO/harness/test_progs.list" || true

python3 "$REPO/harness/count_results.py" test_progs "$RUN/test_progs.log" \
	"$REPO/harness/test_progs.list" >> "$results"

python3 "$REPO/harness/count_results.py" kunit "$RUN/console.log" \
	"$REPO/harness/kunit.list" >> "$results"

# The console has every kernel message up to the last one, even after a
# panic; dmesg.log is the guest's own copy when it got that far.
if python3 "$REPO/harness/scan_kernel_log.py" "$RUN/console.log" > "$RUN/splats.txt"; then
	echo "ok splat gate: the guest's kernel log is clean" >> "$results"
else
	echo "FAIL splat gate: the guest's kernel log has $(wc -l < "$RUN/splats.txt") splat(s), first: $(head -1 "$RUN/splats.txt")" >> "$results"
fi

wait "$nc_pid"
cat "$RUN/negative-controls.txt" >> "$results"

say "base: Linux $(upstream_version) (Debian $(base_version)); logs: $RUN; $(( ($(date +%s) - start) / 60 )) min"
python3 "$REPO/harness/count_results.py" verdict "$results"
