#!/usr/bin/env bash
# make series: the mailing-list series, exported from the assembled tree:
# a cover letter (patches/cover-letter: subject line, blank line, body)
# and one patch per commit, in $OUT/series.
. "$(dirname "$0")/lib.sh"

dir=$OUT/series
rm -rf "$dir"
git -C "$TREE" format-patch -q --cover-letter --thread -o "$dir" base..HEAD
cover=$(ls "$dir"/0000-cover-letter.patch)
subject=$(head -1 "$REPO/patches/cover-letter")
python3 - "$cover" "$subject" "$REPO/patches/cover-letter" <<'PY'
import sys
path, subject, body_file = sys.argv[1:]
body = open(body_file).read().split("\n", 2)[2].rstrip("\n")
text = open(path).read()
text = text.replace("*** SUBJECT HERE ***", subject)
text = text.replace("*** BLURB HERE ***", body)
open(path, "w").write(text)
PY
say "series: $(ls "$dir" | wc -l) mails in $dir (on Linux $(upstream_version))"
