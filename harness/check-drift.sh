#!/usr/bin/env bash
# make series, last: does the series still apply to the newest 6.12.y
# Debian serves?  Only the files its patches change or add are taken from
# that version's orig tarball, and the series is committed onto them as
# assemble.sh does; nothing is built.  Drift is a warning, not a failure:
# the series is for the pinned base.
. "$(dirname "$0")/lib.sh"

if ! newest=$("$REPO/harness/fetch.sh" --newest); then
	warn "WARNING: drift not checked: no newer 6.12.y could be fetched (above)"
	exit 0
fi
read -r listed ver tarball <<< "$newest"
upstream=${ver%-*}
pinned=$(upstream_version)
note=""
[ "$listed" = "$ver" ] || note=" (${listed%-*} is listed but not served)"
if [ "$upstream" = "$pinned" ]; then
	say "drift: none, the pinned base $pinned is the newest 6.12.y the archive serves$note"
	exit 0
fi
if [ "$(printf '%s\n' "$upstream" "$pinned" | sort -V | tail -1)" = "$pinned" ]; then
	say "drift: none, the pinned base $pinned is newer than $upstream, the newest 6.12.y the archive serves$note"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/tree
mkdir -p "$tree"
mapfile -t files < <({ sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$REPO"/patches/*.patch
		       grep -v '^#' "$REPO/patches/series" | awk '{ for (i = 2; i <= NF; i++) print $i }'
		     } | sort -u)
# Files the newer base does not have are for the series to report; any
# other complaint from tar is a tarball that cannot be read.
if ! tar -C "$tree" --strip-components=1 -xf "$tarball" --wildcards --no-wildcards-match-slash \
	"${files[@]/#/*/}" 2> "$work/tar.log" &&
   grep -vqE 'Not found in archive|Exiting with failure status' "$work/tar.log"; then
	cat "$work/tar.log" >&2
	warn "WARNING: drift not checked: cannot read $tarball (above)"
	exit 0
fi
git -C "$tree" init -q
git -C "$tree" add -A -f
git -C "$tree" -c user.name=drift -c user.email=drift@localhost commit -q --allow-empty -m "Linux $upstream, in part"
git -C "$tree" tag base
if (commit_series "$tree" "$work" "Linux $upstream") > /dev/null 2> "$work/apply.log"; then
	say "drift: none, the series applies to Linux $upstream, the newest 6.12.y the archive serves$note"
else
	cat "$work/apply.log" >&2
	warn "WARNING: drift: the series no longer applies to Linux $upstream, the newest 6.12.y the archive serves$note (above). To follow it: put $ver in base-version and 'make prepare'; it says how to rebase."
fi
