#!/usr/bin/env bash
# Cross-compile for arm64 every C file the series adds or changes, against
# arm64's defconfig plus the series' options, so arm64 code is compiled
# rather than assumed.  Nothing is linked or run on arm64.
# Prints one result line per object.
. "$(dirname "$0")/lib.sh"

A64=$CACHE/arm64
CROSS=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- O="$A64")
mkdir -p "$A64"

# An exclude pathspec wins over every include, hence two lists.  sched_ext
# needs BTF, which this compile test does without, and has no arch code.
files="$(git -C "$TREE" diff --name-only --diff-filter=AM base HEAD -- '*.c' ':!tools/' ':!arch/' \
	':!kernel/sched/ext.c')
$(git -C "$TREE" diff --name-only --diff-filter=AM base HEAD -- 'arch/arm64/*.c')"

stamp=$A64/.arena-config-inputs
inputs=$(cat "$REPO/configs/series.config" "$REPO/configs/arm64.config" | sha256sum)
if [ ! -f "$A64/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$inputs" ]; then
	say "configuring the arm64 compile test in $A64"
	rm -f "$A64/.config"
	{
		make -C "$TREE" "${CROSS[@]}" defconfig &&
		"$TREE/scripts/kconfig/merge_config.sh" -m -O "$A64" "$A64/.config" \
			"$REPO/configs/arm64.config" "$REPO/configs/series.config" &&
		make -C "$TREE" "${CROSS[@]}" olddefconfig
	} > "$A64/config.log" 2>&1 || die "arm64 configuration failed (log: $A64/config.log)"
	echo "$inputs" > "$stamp"
fi
say "arm64: compiling $(echo $files | wc -w) file(s) the series touches (log: $A64/build.log)"
make -C "$TREE" "${CROSS[@]}" -j"$JOBS" CC="ccache aarch64-linux-gnu-gcc" prepare > "$A64/build.log" 2>&1 ||
	die "arm64 prepare failed (log: $A64/build.log)"
for f in $files; do
	if make -C "$TREE" "${CROSS[@]}" CC="ccache aarch64-linux-gnu-gcc" W=1 "${f%.c}.o" >> "$A64/build.log" 2>&1; then
		echo "ok arm64 compile: ${f%.c}.o"
	else
		echo "FAIL arm64 compile: ${f%.c}.o (log: $A64/build.log)"
	fi
done
