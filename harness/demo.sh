#!/usr/bin/env bash
# make run: build what is needed, boot the patched kernel and show the
# feature end to end.
. "$(dirname "$0")/lib.sh"

"$REPO/harness/prepare.sh"
RUN=$OUT/run
rm -rf "$RUN"
"$REPO/harness/boot.sh" "$RUN" 1200 "$REPO/harness/guest/demo.sh" "$SELFTESTS" "$BPFTOOL_DIR" || true
# The guest's part of the console, without the boot messages.
sed -n '/^### /,$p' "$RUN/console.log" | grep -v '^\[ *[0-9.]*\] ' || true
python3 "$REPO/harness/scan_kernel_log.py" "$RUN/console.log" || die "the kernel logged a splat (above); full console: $RUN/console.log"
say "full console: $RUN/console.log"
