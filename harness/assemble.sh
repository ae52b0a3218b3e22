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

# A complete patched tree on another base keeps its series as branch
# "previous" on tag "previous-base", for rebasing onto the new one; a tree
# with no commit on its base (its series did not apply) keeps what it kept.
# arena.base, the mark of a complete tree, is set last: an extraction cut
# short is redone.
extract_base() {
	local g=$TREE/.git
	[ ! -d "$g/rebase-merge" ] && [ ! -d "$g/rebase-apply" ] ||
		die "a rebase is in progress in $TREE: finish it (git rebase --continue) or abort it, then re-run"
	say "extracting Linux $(upstream_version) into $TREE"
	rm -rf "$CACHE/$KIND"/obj* "$CACHE/$KIND/tree-arm64"
	if [ -n "$(git -C "$TREE" config arena.base 2>/dev/null)" ] &&
	   git -C "$TREE" rev-parse -q --verify base >/dev/null; then
		if [ "$KIND" = patched ] && [ "$(git -C "$TREE" rev-list --count base..HEAD)" -gt 0 ]; then
			git -C "$TREE" tag -f previous-base base >/dev/null
			git -C "$TREE" update-ref refs/heads/previous HEAD
		fi
		git -C "$TREE" config --unset arena.base
	fi
	if [ ! -d "$TREE/.git" ]; then
		rm -rf "$TREE"
		mkdir -p "$TREE"
		git -C "$TREE" init -q -b work
		git -C "$TREE" config user.name "arena-kfault harness"
		git -C "$TREE" config user.email "harness@localhost"
	fi
	git -C "$TREE" worktree prune
	# The new base is a commit of its own, on an empty branch "work".
	git -C "$TREE" symbolic-ref HEAD refs/heads/work
	git -C "$TREE" update-ref -d refs/heads/work 2>/dev/null || true
	git -C "$TREE" read-tree --empty
	find "$TREE" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
	tar -C "$TREE" --strip-components=1 -xf "$tarball"
	git -C "$TREE" add -A -f
	git -C "$TREE" commit -q -m "Linux $(upstream_version)" -m "Orig tarball of Debian's linux $ver source package."
	git -C "$TREE" tag -f base >/dev/null
	git -C "$TREE" config arena.base "$ver"
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

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head=$(git -C "$TREE" rev-parse base)
if [ "$KIND" = patched ] && [ -f "$REPO/patches/series" ]; then
	if git -C "$TREE" rev-parse -q --verify previous >/dev/null; then
		rebase="the series on the previous base, $(git -C "$TREE" log -1 --format=%s previous-base),"
		rebase+=" is branch \"previous\" of $TREE: there, 'git rebase --onto base previous-base previous',"
		rebase+=" resolve, then 'make refresh'"
	else
		rebase="fix patches/ for Linux $(upstream_version): 'git am -3' the failing patch and the ones after it in $TREE, resolve, then 'make refresh'"
	fi
	head=$(commit_series "$TREE" "$work" "Linux $(upstream_version)") || die "$rebase"
	check_overlay_listed "$work/listed"
fi

# On branch work, whatever branch a rebase left checked out.
git -C "$TREE" symbolic-ref HEAD refs/heads/work
git -C "$TREE" reset -q --hard "$head"
# The series applies: the one on the old base is history.
git -C "$TREE" update-ref -d refs/heads/previous 2>/dev/null || true
git -C "$TREE" tag -d previous-base >/dev/null 2>&1 || true
say "tree: $(git -C "$TREE" rev-list --count base..HEAD) commit(s) on Linux $(upstream_version) in $TREE"
