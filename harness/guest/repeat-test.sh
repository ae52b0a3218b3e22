#!/bin/sh
# Runs inside the guest: one test_progs test, again and again, to catch a
# rare hang.  A run that takes longer than LIMIT seconds counts as hung:
# its threads' kernel stacks and every task's are dumped, and the loop
# stops.  Usage: repeat-test.sh SELFTESTS RUNS TEST [LIMIT]
#   harness/boot.sh out/loop 3600 harness/guest/repeat-test.sh \
#       ~/.cache/arena-kfault/patched/tree/tools/testing/selftests/bpf 60 \
#       arena_kfault_unload/stress
set -u
selftests=$1 runs=$2 test=$3 limit=${4:-60}

mountpoint -q /sys/kernel/tracing || mount -t tracefs none /sys/kernel/tracing
mountpoint -q /sys/fs/bpf || mount -t bpf none /sys/fs/bpf
echo 1 > /proc/sys/kernel/sysrq
cd "$selftests" || exit 1
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	./test_progs -t "$test" > /tmp/repeat.log 2>&1 &
	pid=$!
	n=0
	while kill -0 $pid 2>/dev/null && [ $n -lt "$limit" ]; do
		sleep 1
		n=$((n + 1))
	done
	if kill -0 $pid 2>/dev/null; then
		echo "repeat-test: run $i of $test hung for $limit s"
		for t in /proc/$pid/task/*; do
			echo "== $t $(cat "$t/comm") $(cut -d' ' -f3 "$t/stat")"
			cat "$t/stack"
		done
		echo t > /proc/sysrq-trigger
		exit 1
	fi
	wait $pid
	rc=$?
	echo "repeat-test: run $i of $test: exit $rc, $n s, $(grep -c '^#.*OK' /tmp/repeat.log) OK lines"
	[ $rc -eq 0 ] || tail -n 30 /tmp/repeat.log
done
echo "repeat-test: $runs runs of $test, none hung"
