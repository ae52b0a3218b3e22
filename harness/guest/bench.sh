#!/bin/sh
# Runs inside the guest for `make compare`: one boot's benchmarks, one line
# "result: NAME VALUE" per figure.
# $1: base or patched, $2: the directory of the selftests' bench,
# $3: the directory of arena_bench and bpf_testmod-prod.
set -u
kind=$1 selftests=$2 bench=$3

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

# Program dispatch: hits/s of one producer, in millions (M/s).
trig() {
	for b in tp rawtp kprobe fentry; do
		"$selftests/bench" -w1 -d3 -a "trig-$b" |
			sed -n "s/^Summary: hits *\([0-9.]*\).*/result: trig-$b-$1 \1/p"
	done
}

trig before
"$bench/arena_bench" alloc-free | sed 's/^arena_bench:/result:/'
"$bench/arena_bench" perf-ioc | sed 's/^arena_bench:/result:/'
# The base's reference for the memory figures: what vmalloc keeps of 1,000
# areas that had a page.  First, in fresh address space: vmalloc gives the
# next arenas the same addresses, and finds the page tables left there.
[ "$kind" = patched ] || "$bench/arena_bench" memory-used | sed 's/^arena_bench:/result:/'
"$bench/arena_bench" memory | sed 's/^arena_bench:/result:/'
"$bench/arena_bench" memory-loop | sed 's/^arena_bench:/result:/'
if [ "$kind" = patched ]; then
	# bpf_testmod's kfuncs make the programs fault; the trig benchmarks
	# do not use it.
	insmod "$bench/bpf_testmod-prod/bpf_testmod.ko"
	# A disabled program still loaded: the run path's check is on.
	"$bench/arena_bench" hold > /tmp/hold.out &
	holder=$!
	while kill -0 $holder 2>/dev/null && ! grep -q holding /tmp/hold.out; do
		sleep 0.1
	done
	if grep -q holding /tmp/hold.out && "$bench/arena_bench" key 1; then
		trig held
	fi
	kill $holder
	wait $holder
	# Every disabled program freed: the check goes off a second later.
	if "$bench/arena_bench" key 0; then
		trig freed
	fi
	# Each of these disables a program while none is: the key flips.
	"$bench/arena_bench" latency | sed 's/^arena_bench:/result:/'
	"$bench/arena_bench" latency-crowded | sed 's/^arena_bench:/result:/'
	"$bench/arena_bench" faults | sed 's/^arena_bench:/result:/'
fi
echo "guest: done"
