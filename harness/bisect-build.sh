#!/usr/bin/env bash
# make bisect-build: build every commit of the series in order, in the same
# tree and object directory (so each step rebuilds only what the commit
# changed), the selftests too where a commit touches them.  The tree ends
# back at the series' last commit.
. "$(dirname "$0")/lib.sh"

head=$(git -C "$TREE" symbolic-ref -q --short HEAD || git -C "$TREE" rev-parse HEAD)
trap 'git -C "$TREE" checkout -q "$head"' EXIT
for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	say "commit $(git -C "$TREE" log -1 --format='%h %s' "$c")"
	git -C "$TREE" checkout -q "$c"
	"$REPO/harness/build-kernel.sh"
	if git -C "$TREE" diff --quiet "$c~1" "$c" -- tools/testing/selftests/bpf; then
		continue
	fi
	"$REPO/harness/build-selftests.sh"
done
say "every commit of the series builds"
