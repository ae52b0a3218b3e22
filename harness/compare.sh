#!/usr/bin/env bash
# make compare: the series against the unpatched base, on this machine, in
# one run.  Not part of CI: it takes hours under TCG.
#   1. both trees, built as test kernels (configs/debug.config), with their
#      selftests;
#   2. regression: every test_progs test, serially, on each debug kernel,
#      at most COMPARE_TEST_LIMIT seconds each (default 2700);
#   3. both trees again, as production kernels (configs/production.config);
#   4. benchmarks: the production kernels booted alternately, base then
#      patched, COMPARE_PAIRS times (default 3);
#   5. out/compare/results.json and out/compare/table.md, after step 2
#      and again at the end.
. "$(dirname "$0")/lib.sh"

PAIRS=${COMPARE_PAIRS:-3}
LIMIT=${COMPARE_TEST_LIMIT:-2700}
DIR=$OUT/compare

"$REPO/harness/host-tools.sh"
"$REPO/harness/fetch.sh"
for kind in base patched; do
	KIND=$kind "$REPO/harness/assemble.sh"
	KIND=$kind "$REPO/harness/build-kernel.sh"
	KIND=$kind "$REPO/harness/build-selftests.sh"
done

rm -rf "$DIR"
mkdir -p "$DIR"
for kind in base patched; do
	say "regression: every test_progs test on the $kind debug kernel"
	KIND=$kind "$REPO/harness/boot.sh" "$DIR/tests-$kind" $((LIMIT + 600)) \
		"$REPO/harness/guest/run-all-tests.sh" \
		"$CACHE/$kind/tree/tools/testing/selftests/bpf" "$DIR/tests-$kind" "$LIMIT" || true
done
# The table so far: a run cut short still leaves the regression's.
python3 "$REPO/harness/compare_results.py" "$DIR" > /dev/null

for kind in base patched; do
	KIND=$kind FLAVOR=prod "$REPO/harness/build-kernel.sh"
done
"$REPO/harness/build-bench.sh"
for i in $(seq "$PAIRS"); do
	for kind in base patched; do
		say "benchmarks: pair $i of $PAIRS, $kind production kernel"
		KIND=$kind FLAVOR=prod "$REPO/harness/boot.sh" "$DIR/bench-$i-$kind" 900 \
			"$REPO/harness/guest/bench.sh" "$kind" "$SELFTESTS" "$CACHE/bench" || true
	done
done
python3 "$REPO/harness/compare_results.py" "$DIR"
say "results: $DIR/results.json, $DIR/table.md"
