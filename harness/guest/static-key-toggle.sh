#!/bin/sh
# Guest side of the TCG check in MEASUREMENTS.md ("Why single-threaded TCG"): for
# SECONDS seconds, switch the sched_switch tracepoint on and off, which
# patches its static-key sites in __schedule() each time, while a pipe
# keeps both CPUs switching tasks.  Prints how many toggles it made.
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs none $T
dd if=/dev/zero bs=1 2>/dev/null | dd of=/dev/null bs=1 2>/dev/null &
end=$(($(date +%s) + ${1:-120}))
i=0
while [ "$(date +%s)" -lt $end ]; do
	echo 1 > $T/events/sched/sched_switch/enable
	echo 0 > $T/events/sched/sched_switch/enable
	i=$((i + 1))
	[ $((i % 20)) -ne 0 ] || echo "static-key-toggle: $i toggles"
done
echo "static-key-toggle: done, $i toggles"
kill $! 2>/dev/null
