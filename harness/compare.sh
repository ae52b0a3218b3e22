#!/usr/bin/env bash
# make compare: the series against the unpatched base, on this machine, in
# one run.  Not part of CI: it takes an hour or more under TCG.
#   1. both trees, built as test kernels (configs/debug.config), with their
#      selftests;
#   2. regression: every test_progs test, serially, on each debug kernel,
#      to the end (62 min under TCG on 6.12.107; COMPARE_TEST_LIMIT,
#      default 7200 s, only stops a run that hangs); the two guests run
#      at the same time, each on one TCG thread;
#   3. both trees again, as production kernels (configs/production.config);
#   4. benchmarks: the production kernels booted alternately, base then
#      patched, COMPARE_PAIRS times (default 3), under each of two guest
#      clocks: instructions executed (QEMU's icount), then TCG's emulated
#      time (see MEASUREMENTS.md, "Two clocks");
#   5. out/compare/results.json and out/compare/table.md, after step 2
#      and again at the end.
# COMPARE_PARTS="regression bench" is the default; either one alone
# redoes that half and keeps the other's last results.
. "$(dirname "$0")/lib.sh"

PAIRS=${COMPARE_PAIRS:-3}
LIMIT=${COMPARE_TEST_LIMIT:-7200}
PARTS=${COMPARE_PARTS:-regression bench}
DIR=$OUT/compare

for part in $PARTS; do
	case $part in
	regression|bench) ;;
	*) die "COMPARE_PARTS takes regression and/or bench, not '$part'" ;;
	esac
done
want() { [[ " $PARTS " == *" $1 "* ]]; }

"$REPO/harness/host-tools.sh"
"$REPO/harness/fetch.sh"
mkdir -p "$DIR"
for kind in base patched; do
	KIND=$kind "$REPO/harness/assemble.sh"
done

if want regression; then
	for kind in base patched; do
		KIND=$kind "$REPO/harness/build-kernel.sh"
		KIND=$kind "$REPO/harness/build-selftests.sh"
	done
	rm -rf "$DIR"/tests-*
	# Both kernels at once, so that both see the same load: a test whose
	# outcome depends on timing meets the same conditions on both.
	for kind in base patched; do
		say "regression: every test_progs test on the $kind debug kernel"
		KIND=$kind "$REPO/harness/boot.sh" "$DIR/tests-$kind" $((LIMIT + 600)) \
			"$REPO/harness/guest/run-all-tests.sh" \
			"$CACHE/$kind/tree/tools/testing/selftests/bpf" "$DIR/tests-$kind" "$LIMIT" &
	done
	wait
	# The table so far: a run cut short still leaves the regression's.
	python3 "$REPO/harness/compare_results.py" "$DIR" > /dev/null
fi

if want bench; then
	for kind in base patched; do
		KIND=$kind FLAVOR=prod "$REPO/harness/build-kernel.sh"
	done
	# The bench tools come from the patched tree's selftests (no-ops
	# after the regression half).
	"$REPO/harness/build-kernel.sh"
	"$REPO/harness/build-selftests.sh"
	"$REPO/harness/build-bench.sh"
	rm -rf "$DIR"/bench-*
	for clock in icount wall; do
		icount=
		[ $clock = wall ] || icount=0
		for i in $(seq "$PAIRS"); do
			for kind in base patched; do
				say "benchmarks, $clock clock: pair $i of $PAIRS, $kind production kernel"
				ICOUNT=$icount KIND=$kind FLAVOR=prod "$REPO/harness/boot.sh" \
					"$DIR/bench-$clock-$i-$kind" 900 \
					"$REPO/harness/guest/bench.sh" "$kind" "$SELFTESTS" "$CACHE/bench" || true
			done
		done
	done
fi
python3 "$REPO/harness/compare_results.py" "$DIR"
say "results: $DIR/results.json, $DIR/table.md"
