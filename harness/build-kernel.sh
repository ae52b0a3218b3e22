#!/usr/bin/env bash
# Configure and build the kernel in $OBJ, out of the assembled tree.
# Config: virtme-ng's minimal config + the BPF selftests' fragments + this
# project's fragments under configs/, which are then checked to have stuck.
. "$(dirname "$0")/lib.sh"

BPF_CFG=$TREE/tools/testing/selftests/bpf
bpf_arch=$GUEST_ARCH
[ "$GUEST_ARCH" = arm64 ] && bpf_arch=aarch64
FRAGMENTS=("$BPF_CFG/config" "$BPF_CFG/config.$bpf_arch" "$BPF_CFG/config.vm"
	   "$REPO/configs/$GUEST_ARCH-vm.config" "$REPO/configs/base.config")
# The series' own options are its KUnit tests: debug kernels only.
if [ "$FLAVOR" = prod ]; then
	FRAGMENTS+=("$REPO/configs/production.config")
else
	FRAGMENTS+=("$REPO/configs/debug.config")
	[ "$KIND" = base ] || FRAGMENTS+=("$REPO/configs/series.config")
fi

configure() {
	local stamp=$OBJ/.arena-config-inputs inputs
	inputs=$(cat "${FRAGMENTS[@]}" "$VNGDIR/usr/lib/python3/dist-packages/virtme/commands/configkernel.py" | sha256sum)
	if [ -f "$OBJ/.config" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ]; then
		return
	fi
	say "configuring the kernel in $OBJ"
	mkdir -p "$OBJ"
	rm -f "$OBJ/.config"
	local args=() f
	for f in "${FRAGMENTS[@]}"; do args+=(--custom "$f"); done
	# x86_64_defconfig is small; arm64's defconfig builds every platform,
	# twice the size: there, Kconfig's defaults under the fragments.
	case $GUEST_ARCH in
	x86_64) args+=(--defconfig) ;;
	arm64) args+=(--update "ARCH=arm64" "CROSS_COMPILE=aarch64-linux-gnu-"); : > "$OBJ/.config" ;;
	esac
	(cd "$TREE" && "$REPO/harness/virtme" virtme-configkernel \
		--arch "$GUEST_ARCH" "${args[@]}" "O=$OBJ") > "$OBJ/config.log" 2>&1 ||
		{ tail -20 "$OBJ/config.log"; die "kernel configuration failed (log: $OBJ/config.log)"; }
	echo "$inputs" > "$stamp"
}

# Every option this project's fragments ask for must be in the final config;
# Kconfig silently drops options whose dependencies are not met.
verify_config() {
	local f line opt want have bad=""
	for f in "${FRAGMENTS[@]}"; do
		case "$f" in "$REPO"/*) ;; *) continue ;; esac
		while IFS= read -r line; do
			case "$line" in
			CONFIG_*=*) opt=${line%%=*}; want=${line#*=} ;;
			"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}; want=n ;;
			*) continue ;;
			esac
			have=$(sed -n "s/^$opt=//p" "$OBJ/.config")
			[ -n "$have" ] || have=n
			[ "$have" = "$want" ] || bad+=" $opt=$want(got $have)"
		done < "$f"
	done
	[ -z "$bad" ] || die "the kernel config lacks options the project asks for:$bad
(a dependency is missing; see $OBJ/.config)"
}

configure
verify_config
say "building the kernel ($JOBS jobs, log: $OBJ/build.log)"
if ! make -C "$TREE" O="$OBJ" -j"$JOBS" "${KMAKE[@]}" "$(basename "$KIMAGE")" modules > "$OBJ/build.log" 2>&1; then
	grep -E 'error|Error' "$OBJ/build.log" | head -20 >&2
	die "kernel build failed (log: $OBJ/build.log)"
fi
say "kernel: $(cat "$OBJ/include/config/kernel.release") in $OBJ"
