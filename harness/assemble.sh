#!/usr/bin/env bash
# Assemble the build tree: the base source as the first commit, then one
# commit per entry of patches/series.  An entry is a patch file (a
# git-format-patch mail with the commit message and the diff to upstream
# files) followed by the overlay files, new files at their kernel paths in
# this repository, that the same commit adds:
#
#   0001-mm-add-ptep-set-kernel-if-none.patch  mm/kernel_pte_test.c
#
# The commits are built without touching the work tree, which is then moved
# to the result in one checkout: only files whose content changed get a new
# mtime, so the next build recompiles only what changed.
# With KIND=base, the tree is the unpatched base.
. "$(dirname "$0")/lib.sh"

ver=$(base_version)
tarball=$(cat "$CACHE/base-tarball")

extract_base() {
	say "extracting Linux $(upstream_version) into $TREE"
	rm -rf "$TREE" "$CACHE/$KIND"/obj* "$CACHE/$KIND/tree-arm64"
	mkdir -p "$TREE"
	tar -C "$TREE" --strip-components=1 -xf "$tarball"
	git -C "$TREE" init -q -b work
	git -C "$TREE" config user.name "arena-kfault harness"
	git -C "$TREE" config user.email "harness@localhost"
	git -C "$TREE" config arena.base "$ver"
	git -C "$TREE" add -A -f
	git -C "$TREE" commit -q -m "Linux $(upstream_version)" -m "Orig tarball of Debian's linux $ver source package."
	git -C "$TREE" tag -f base >/dev/null
}

if [ "$(git -C "$TREE" config arena.base 2>/dev/null)" != "$ver" ]; then
	extract_base
fi

# Every file under a kernel top-level directory must belong to one commit.
check_overlay_listed() {
	local listed=$1 top f orphans=""
	for top in "$REPO"/*/; do
		top=$(basename "$top")
		[ -d "$TREE/$top" ] || continue
		while IFS= read -r f; do
			grep -qxF "$f" "$listed" || orphans+=" $f"
		done < <(cd "$REPO" && find "$top" -type f | sort)
	done
	[ -z "$orphans" ] || die "overlay files listed in no entry of patches/series:$orphans"
}

index=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$index" "$work"' EXIT
export GIT_INDEX_FILE=$index
git -C "$TREE" read-tree base
head=$(git -C "$TREE" rev-parse base)
: > "$work/listed"

series=$REPO/patches/series
if [ "$KIND" = patched ] && [ -f "$series" ]; then
	n=0
	while read -r patch files; do
		case "$patch" in ""|"#"*) continue ;; esac
		n=$((n + 1))
		[ -f "$REPO/patches/$patch" ] || die "patches/series line $n: no file patches/$patch"
		git mailinfo "$work/msg" "$work/diff" < "$REPO/patches/$patch" > "$work/info" ||
			die "patches/$patch is not a mail git can read (make it with git format-patch)"
		subject=$(sed -n 's/^Subject: //p' "$work/info")
		[ -n "$subject" ] || die "patches/$patch has no Subject"
		if [ -s "$work/diff" ] &&
		   ! git -C "$TREE" apply --cached --whitespace=nowarn "$work/diff"; then
			die "patches/$patch does not apply to Linux $(upstream_version) (the failing file and line are above); refresh it against that base"
		fi
		for f in $files; do
			[ -f "$REPO/$f" ] || die "patches/series: $patch lists $f, which is not in this repository"
			mode=100644
			[ -x "$REPO/$f" ] && mode=100755
			blob=$(git -C "$TREE" hash-object -w "$REPO/$f")
			git -C "$TREE" update-index --add --cacheinfo "$mode,$blob,$f"
			echo "$f" >> "$work/listed"
		done
		tree=$(git -C "$TREE" write-tree)
		{ echo "$subject"; echo; cat "$work/msg"; } > "$work/commit-msg"
		head=$(GIT_AUTHOR_NAME=$(sed -n 's/^Author: //p' "$work/info") \
		       GIT_AUTHOR_EMAIL=$(sed -n 's/^Email: //p' "$work/info") \
		       GIT_AUTHOR_DATE=$(sed -n 's/^Date: //p' "$work/info") \
		       git -C "$TREE" commit-tree "$tree" -p "$head" -F "$work/commit-msg")
	done < "$series"
	check_overlay_listed "$work/listed"
fi

unset GIT_INDEX_FILE
git -C "$TREE" reset -q --hard "$head"
say "tree: $(git -C "$TREE" rev-list --count base..HEAD) commit(s) on Linux $(upstream_version) in $TREE"
