#!/usr/bin/env bash
# Style checks of the series, one result line each:
#  - checkpatch.pl --strict on every patch of the exported series (make
#    series), which carries the new files too.  Two of its checks are made
#    here instead: FILE_PATH_CHANGES ("does MAINTAINERS need updating?"):
#    every new file must be covered by an existing MAINTAINERS entry; and
#    EXPORT_SYMBOL, which takes DEFINE_X(name, arg) for something other
#    than the definition of name: the line before an added
#    EXPORT_SYMBOL*(name) must end a function or name name;
#  - kernel-doc -Wall on every C file or header the series adds or changes:
#    no more warnings than the base version of the same file has.
. "$(dirname "$0")/lib.sh"

"$REPO/harness/export-series.sh"
# checkpatch runs scripts/spdxcheck.py with the python3 on PATH: use the
# host's, which has python3-ply and python3-git.
export PATH=/usr/bin:$PATH
cd "$TREE"
for patch in "$OUT"/series/*.patch; do
	case "$patch" in */0000-cover-letter.patch) continue ;; esac
	name=$(basename "$patch")
	if out=$(scripts/checkpatch.pl --strict --quiet --show-types \
		 --ignore FILE_PATH_CHANGES,EXPORT_SYMBOL "$patch" 2>&1) && [ -z "$out" ]; then
		echo "ok checkpatch: $name"
	else
		echo "FAIL checkpatch: $name: $(echo "$out" | grep -m1 -E '^(ERROR|WARNING|CHECK)')"
	fi
	stray=$(awk '/^\+EXPORT_SYMBOL[A-Z_]*\(/ {
			name = $0; sub(/^[^(]*\(/, "", name); sub(/\).*/, "", name)
			if (prev !~ /^\+}$/ && index(prev, name) == 0) print name
		}
		{ prev = $0 }' "$patch")
	if [ -n "$stray" ]; then
		echo "FAIL checkpatch: $name: EXPORT_SYMBOL of $(echo $stray) does not follow its definition"
	fi
done

for f in $(git diff --name-only --diff-filter=A base HEAD); do
	if [ -n "$(scripts/get_maintainer.pl --no-git --no-rolestats --nol -f "$f" 2>/dev/null)" ]; then
		echo "ok MAINTAINERS covers $f"
	else
		echo "FAIL MAINTAINERS: no entry covers the new file $f"
	fi
done

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
