#!/usr/bin/env bash
# Style checks of the series, one result line each:
#  - checkpatch.pl --strict on every patch and every new file of the series;
#  - kernel-doc -Wall on every C file or header the series adds or changes:
#    no more warnings than the base version of the same file has.
. "$(dirname "$0")/lib.sh"

cd "$TREE"
checkpatch=(scripts/checkpatch.pl --strict --quiet --no-tree --show-types)

while read -r patch files; do
	case "$patch" in ""|"#"*) continue ;; esac
	if out=$("${checkpatch[@]}" "$REPO/patches/$patch" 2>&1) && [ -z "$out" ]; then
		echo "ok checkpatch: $patch"
	else
		echo "FAIL checkpatch: $patch: $(echo "$out" | grep -m1 -E '^(ERROR|WARNING|CHECK)')"
	fi
	for f in $files; do
		case "$f" in tools/*) continue ;; esac
		if out=$("${checkpatch[@]}" -f "$f" 2>&1) && [ -z "$out" ]; then
			echo "ok checkpatch: $f"
		else
			echo "FAIL checkpatch: $f: $(echo "$out" | grep -m1 -E '^(ERROR|WARNING|CHECK)')"
		fi
	done
done < "$REPO/patches/series"

kdoc_warnings() { scripts/kernel-doc -Wall -none "$1" 2>&1 | grep -c -i warning || true; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in $(git diff --name-only --diff-filter=AM base HEAD -- '*.c' '*.h' ':!tools/'); do
	now=$(kdoc_warnings "$f")
	before=0
	if git cat-file -e "base:$f" 2>/dev/null; then
		mkdir -p "$tmp/$(dirname "$f")"
		git show "base:$f" > "$tmp/$f"
		before=$(kdoc_warnings "$tmp/$f")
	fi
	if [ "$now" -le "$before" ]; then
		echo "ok kernel-doc: $f"
	else
		echo "FAIL kernel-doc: $f: $now warning(s), the base has $before (scripts/kernel-doc -Wall -none $f)"
	fi
done
