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
# In the tree, where the selftests' Makefile puts them by default: with
# another OUTPUT its dependency files name light skeletons relative to that
# directory, and the next incremental build fails to find them.
SELFTESTS=$TREE/tools/testing/selftests/bpf
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
