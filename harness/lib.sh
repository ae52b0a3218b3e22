# Common settings of the harness scripts; sourced, never run.
# shellcheck shell=bash

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything fetched or built lives outside the repository, so that a fresh
# clone stays small and a re-run reuses the previous build.
CACHE=${ARENA_KFAULT_CACHE:-$HOME/.cache/arena-kfault}
DIST=$CACHE/dist            # downloaded tarball and packages
APTDIR=$CACHE/apt           # project-local apt state
VNGDIR=$CACHE/virtme-ng     # unpacked virtme-ng
ARM64_ROOT=$CACHE/arm64-root  # the arm64 guest's root file system
OUT=${ARENA_KFAULT_OUT:-$REPO/out}   # logs and results of the last runs

# One tree and one object directory per kind of kernel: "patched" is base
# plus this project's series, "base" the unpatched source.
KIND=${KIND:-patched}
TREE=$CACHE/$KIND/tree
# Two configurations of each: "debug", the test kernel (lockdep, KASAN...),
# and "prod", the same without the debugging, for benchmarks.
FLAVOR=${FLAVOR:-debug}
case $FLAVOR in
debug) OBJ=$CACHE/$KIND/obj ;;
prod) OBJ=$CACHE/$KIND/obj-prod ;;
*) echo "error: FLAVOR must be debug or prod, not $FLAVOR" >&2; exit 1 ;;
esac
# The guest's architecture: x86_64 (make check) or arm64 (make
# check-arm64, cross-built, debug flavour only).  KMAKE: what every make of
# the kernel or the selftests for it is given.
GUEST_ARCH=${GUEST_ARCH:-x86_64}
# In the tree, where the selftests' Makefile puts them by default: with
# another OUTPUT its dependency files name light skeletons relative to that
# directory, and the next incremental build fails to find them.  So arm64's
# selftests are built in a second work tree of the same commit.
SELFTESTS_TREE=$TREE
case $GUEST_ARCH in
x86_64)
	KMAKE=(CC="ccache gcc")
	KIMAGE=arch/x86/boot/bzImage ;;
arm64)
	[ "$FLAVOR" = debug ] || { echo "error: arm64 guests run the debug kernel only" >&2; exit 1; }
	OBJ=$CACHE/$KIND/obj-arm64
	SELFTESTS_TREE=$CACHE/$KIND/tree-arm64
	KMAKE=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC="ccache aarch64-linux-gnu-gcc")
	KIMAGE=arch/arm64/boot/Image ;;
*) echo "error: GUEST_ARCH must be x86_64 or arm64, not $GUEST_ARCH" >&2; exit 1 ;;
esac
SELFTESTS=$SELFTESTS_TREE/tools/testing/selftests/bpf
BPFTOOL_DIR=$TREE/tools/bpf/bpftool

export CCACHE_DIR=$CACHE/ccache CCACHE_BASEDIR=$CACHE CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
# A fixed build identity keeps ccache hits and rebuilds minimal.
export KBUILD_BUILD_TIMESTAMP="2025-01-01 00:00:00 UTC"
export KBUILD_BUILD_USER=arena KBUILD_BUILD_HOST=kfault

# The scripts behave the same run from make or by hand: the selftests'
# lib.mk, for one, defaults OUTPUT only at MAKELEVEL 0.
unset MAKEFLAGS MFLAGS MAKELEVEL

JOBS=${JOBS:-$(($(nproc) + 1))}
LLVM_VER=19

say() { printf '==> %s\n' "$*" >&2; }
warn() { printf '\n!!! %s\n\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The Debian version of linux the run uses; written by fetch.sh.
base_version() {
	[ -s "$CACHE/base-in-use" ] || die "no base fetched yet: run 'make prepare'"
	cat "$CACHE/base-in-use"
}

# Upstream version, e.g. 6.12.95 for 6.12.95-1~bpo12+1.
upstream_version() { base_version | sed 's/-[^-]*$//'; }

# The host's Debian archive: URI and keyring of its main release suite.
host_archive() {
	local codename uri="" keyring="" suites="" line f
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "cannot tell the host's Debian release from /etc/os-release"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# deb822 stanzas, separated by blank lines
		while IFS= read -r line || [ -n "$line" ]; do
			case "$line" in
			URIs:*) uri=${line#URIs:} ;;
			Suites:*) suites=${line#Suites:} ;;
			Signed-By:*) keyring=${line#Signed-By:} ;;
			"")
				if [[ " $suites " == *" $codename "* ]]; then
					echo "$(echo $uri | cut -d' ' -f1) $(echo $keyring)"
					return
				fi
				uri="" suites="" keyring="" ;;
			esac
		done < <(cat "$f"; echo)
	done
	if [ -r /etc/apt/sources.list ]; then
		line=$(grep -E "^deb(-src)?[[:space:]]+(\[[^]]*\][[:space:]]+)?[a-z]+://[^[:space:]]+[[:space:]]+$codename[[:space:]]" \
			/etc/apt/sources.list | head -1 || true)
		if [ -n "$line" ]; then
			uri=$(echo "$line" | grep -oE '[a-z]+://[^[:space:]]+')
			echo "$uri /usr/share/keyrings/debian-archive-keyring.gpg"
			return
		fi
	fi
	die "no Debian '$codename' suite in the host's apt sources; this harness needs a Debian 12 host whose apt reaches Debian's archive"
}

# Commit the entries of patches/series, in order, onto the commit "base" of
# the git repository $1 (its work tree and index untouched) and print the
# last commit.  $2: a scratch directory, where "listed" names every overlay
# file the entries add; $3: what base is, for messages.  Fails naming the
# first patch that does not apply.
commit_series() {
	local tree=$1 work=$2 what=$3 head n=0 patch files f mode blob subject tree_id
	head=$(git -C "$tree" rev-parse base)
	: > "$work/listed"
	export GIT_INDEX_FILE=$work/index
	git -C "$tree" read-tree base || die "cannot read the base tree of $tree"
	while read -r patch files; do
		case "$patch" in ""|"#"*) continue ;; esac
		n=$((n + 1))
		[ -f "$REPO/patches/$patch" ] || die "patches/series line $n: no file patches/$patch"
		git mailinfo "$work/msg" "$work/diff" < "$REPO/patches/$patch" > "$work/info" ||
			die "patches/$patch is not a mail git can read (make it with git format-patch)"
		subject=$(sed -n 's/^Subject: //p' "$work/info")
		[ -n "$subject" ] || die "patches/$patch has no Subject"
		if [ -s "$work/diff" ] &&
		   ! git -C "$tree" apply --cached --whitespace=nowarn "$work/diff"; then
			die "patches/$patch does not apply to $what (the failing file and line are above)"
		fi
		for f in $files; do
			[ -f "$REPO/$f" ] || die "patches/series: $patch lists $f, which is not in this repository"
			! git -C "$tree" cat-file -e "base:$f" 2>/dev/null ||
				die "patches/series: $patch adds $f, which $what already has"
			mode=100644
			[ -x "$REPO/$f" ] && mode=100755
			blob=$(git -C "$tree" hash-object -w "$REPO/$f") &&
				git -C "$tree" update-index --add --cacheinfo "$mode,$blob,$f" ||
				die "cannot add $f to the index of $tree"
			echo "$f" >> "$work/listed"
		done
		tree_id=$(git -C "$tree" write-tree) || die "cannot write a tree in $tree"
		{ echo "$subject"; echo; cat "$work/msg"; } > "$work/commit-msg"
		head=$(GIT_AUTHOR_NAME=$(sed -n 's/^Author: //p' "$work/info") \
		       GIT_AUTHOR_EMAIL=$(sed -n 's/^Email: //p' "$work/info") \
		       GIT_AUTHOR_DATE=$(sed -n 's/^Date: //p' "$work/info") \
		       git -C "$tree" commit-tree "$tree_id" -p "$head" -F "$work/commit-msg") ||
			die "cannot commit $patch in $tree"
	done < "$REPO/patches/series"
	unset GIT_INDEX_FILE
	echo "$head"
}
