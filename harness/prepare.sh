#!/usr/bin/env bash
# Everything a boot needs, each step incremental: host packages, the base
# source and virtme-ng, the assembled tree, the kernel, the selftests.
. "$(dirname "$0")/lib.sh"

"$REPO/harness/host-tools.sh"
"$REPO/harness/fetch.sh"
"$REPO/harness/assemble.sh"
[ "$GUEST_ARCH" = arm64 ] && "$REPO/harness/arm64-root.sh"
"$REPO/harness/build-kernel.sh"
"$REPO/harness/build-selftests.sh"
