#!/usr/bin/env bash
# make refresh: write the assembled tree's commits back into this
# repository, after editing the series in the tree (git commit, rebase -i,
# commit --fixup ... on top of the tag "base").  The N-th commit after base
# becomes the N-th entry of patches/series, keeping that entry's file name
# (a new commit gets one made from its subject): a patch with the commit
# message and the diff to every file the commit does not add, and the files
# it adds, copied to their kernel paths here.
. "$(dirname "$0")/lib.sh"

[ "$KIND" = patched ] || die "make refresh works on the patched tree only"
git -C "$TREE" diff --quiet HEAD -- || die "$TREE has uncommitted changes: commit them first"
[ "$(git -C "$TREE" rev-list --count base..HEAD)" -gt 0 ] ||
	die "$TREE has no commit on top of base: nothing to write back (patches/ left as it is)"

series=$REPO/patches/series
mapfile -t names < <(grep -v '^#' "$series" | awk 'NF { print $1 }')
new=$(mktemp)
trap 'rm -f "$new"' EXIT
grep '^#' "$series" > "$new" || true

i=0
for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	name=${names[$i]:-$(printf '%04d-%s.patch' $((i + 1)) \
		"$(git -C "$TREE" log -1 --format=%f "$c" | cut -c1-52)")}
	mapfile -t added < <(git -C "$TREE" diff-tree --no-commit-id --name-only -r \
		--diff-filter=A "$c")
	excludes=()
	for f in "${added[@]}"; do
		excludes+=(":(exclude)$f")
		mkdir -p "$REPO/$(dirname "$f")"
		git -C "$TREE" show "$c:$f" > "$REPO/$f"
		if [ "$(git -C "$TREE" ls-tree "$c" -- "$f" | cut -d' ' -f1)" = 100755 ]; then
			chmod +x "$REPO/$f"
		else
			chmod -x "$REPO/$f"
		fi
	done
	if git -C "$TREE" diff --quiet "$c~1" "$c" -- . "${excludes[@]}"; then
		# Only new files: the mail carries just the message.
		git -C "$TREE" show -s --format=email "$c" |
			sed '1s/^From [0-9a-f]*/From 0000000000000000000000000000000000000000/' \
			> "$REPO/patches/$name"
	else
		git -C "$TREE" format-patch -1 --zero-commit -N --stdout "$c" -- . "${excludes[@]}" \
			> "$REPO/patches/$name"
	fi
	echo "$name${added[*]:+ ${added[*]}}" >> "$new"
	i=$((i + 1))
done
for name in "${names[@]:$i}"; do
	rm -f "$REPO/patches/$name"
	say "dropped patches/$name: the tree has no commit for it any more"
done
mv "$new" "$series"
trap - EXIT
say "patches/series: $i entries from $TREE; review with git diff"
