#!/usr/bin/env bash
# Build the BPF part of the kernel documentation with Sphinx, which pulls
# in the kerneldoc of the series' new interfaces.  One result line: the
# build must not warn about any file the series adds or changes.
. "$(dirname "$0")/lib.sh"

DOCS=$CACHE/$KIND/docs
mkdir -p "$DOCS"
if ! make -C "$TREE" O="$DOCS" SPHINXDIRS=bpf SPHINXOPTS=-E htmldocs > "$DOCS/build.log" 2>&1; then
	echo "FAIL docs: the Sphinx build failed (log: $DOCS/build.log)"
	exit 0
fi
# Warnings about the series' files that the base version of the same file
# does not produce too (kernel-doc on its own) are the series' own.
changed=$(git -C "$TREE" diff --name-only base HEAD -- Documentation include kernel mm arch)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
warnings=""
while IFS= read -r w; do
	rel=${w%%:*}
	rel=${rel#"$TREE"/}
	grep -qxF "$rel" <<<"$changed" || continue
	msg=${w#*: }
	if git -C "$TREE" cat-file -e "base:$rel" 2>/dev/null; then
		git -C "$TREE" show "base:$rel" > "$tmp"
		if grep -qF -- "$msg" <<<"$(cd "$TREE" && scripts/kernel-doc -Wall -none "$tmp" 2>&1)"; then
			continue
		fi
	fi
	warnings+="$w"$'\n'
done < <(grep -iE '(warning|error):' "$DOCS/build.log")
if [ -n "$warnings" ]; then
	echo "FAIL docs: $(echo "$warnings" | head -1) (log: $DOCS/build.log)"
elif [ ! -s "$DOCS/Documentation/output/bpf/arena.html" ] ||
     ! grep -q ptep_set_kernel_if_empty "$DOCS/Documentation/output/bpf/arena.html"; then
	echo "FAIL docs: arena.html is missing or lacks the kerneldoc (log: $DOCS/build.log)"
else
	echo "ok docs: Documentation/bpf builds, the series' files without warnings"
fi
