#!/usr/bin/env bash
# Fetch the pinned 6.12.y base (the orig tarball of Debian's linux source
# package) and virtme-ng, or with --newest the newest 6.12.y served, through
# a project-local apt configuration that reuses the host's Debian archive
# with other suites.  The host's apt sources are read, never modified.
. "$(dirname "$0")/lib.sh"

SUITES_SRC="trixie bookworm-backports"
SUITE_VNG=trixie

APT_OPTS=(-o "Dir::Etc::SourceList=$APTDIR/sources.list" -o Dir::Etc::SourceParts=/dev/null
	  -o "Dir::State::Lists=$APTDIR/lists" -o "Dir::Cache::Archives=$APTDIR/archives"
	  -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Get::List-Cleanup=0
	  -o APT::Sandbox::User=root)

apt_setup() {
	local uri keyring s
	read -r uri keyring < <(host_archive)
	[ -r "$keyring" ] || keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$DIST"
	{
		for s in $SUITES_SRC; do
			echo "deb-src [signed-by=$keyring] $uri $s main"
		done
		echo "deb [signed-by=$keyring arch=amd64] $uri $SUITE_VNG main"
	} > "$APTDIR/sources.list.new"
	mv "$APTDIR/sources.list.new" "$APTDIR/sources.list"
	# Lists older than a day are refreshed; a failed refresh with lists at
	# hand is only a warning.
	if [ -z "$(find "$APTDIR/lists" -maxdepth 1 -name '*Sources*' -mtime -1 2>/dev/null)" ]; then
		say "updating the project-local apt lists ($APTDIR)"
		if ! apt-get "${APT_OPTS[@]}" -qq update >"$APTDIR/update.log" 2>&1; then
			if ls "$APTDIR/lists/"*Sources* >/dev/null 2>&1; then
				warn "apt-get update failed (see $APTDIR/update.log); using the lists fetched before"
			else
				cat "$APTDIR/update.log" >&2
				die "cannot read Debian's archive through $APTDIR/sources.list (see above)"
			fi
		fi
	fi
}

# Every 6.12.y the archive lists, newest first (some are listed but not
# served).
listed() {
	apt-cache "${APT_OPTS[@]}" showsrc linux 2>/dev/null | sed -n 's/^Version: //p' |
		grep '^6\.12\.' | sort -u | sort -r -V || true
}

# The versions to try, best first: the pinned one, then the listed ones.
candidates() {
	local pin
	pin=$(tr -d '[:space:]' < "$REPO/base-version")
	case "$pin" in 6.12.*) ;; *) die "base-version says '$pin': this series is for Linux 6.12.y; put a 6.12.y Debian version of the linux source package there" ;; esac
	{
		echo "$pin"
		listed | grep -vxF "$pin" || true
	} | grep .
}

# Download the orig tarball of linux $1 into $DIST and print its path;
# fail with 1 (quietly) if the archive does not serve it, with 2 if it
# could not be asked.
fetch_orig() {
	local ver=$1 line url file sha code
	file=$(ls "$DIST"/linux_"${ver%-*}".orig.tar.* 2>/dev/null | head -1 || true)
	line=$(cd "$APTDIR" && apt-get "${APT_OPTS[@]}" source --print-uris "linux=$ver" 2>/dev/null |
		grep "^'.*\.orig\.tar\." | head -1 || true)
	if [ -z "$line" ]; then
		# Not listed (any more): a tarball fetched before still serves.
		[ -n "$file" ] && echo "$file"
		[ -n "$file" ]
		return
	fi
	url=$(echo "$line" | cut -d"'" -f2)
	file=$DIST/$(echo "$line" | awk '{print $2}')
	sha=$(echo "$line" | grep -oE 'SHA256:[0-9a-f]+' | cut -d: -f2)
	if [ -s "$file" ] && echo "$sha  $file" | sha256sum -c --quiet >/dev/null 2>&1; then
		echo "$file"
		return
	fi
	say "downloading $(basename "$file")"
	if ! code=$(curl -fL --retry 3 -sS -w '%{http_code}' -o "$file.part" "$url" 2>/dev/null); then
		rm -f "$file.part"
		[ "$code" != 404 ] || return 1
		warn "cannot download $url (HTTP status ${code:-none}); check the network"
		return 2
	fi
	if ! echo "$sha  $file.part" | sha256sum -c --quiet >/dev/null 2>&1; then
		rm -f "$file.part"
		warn "$(basename "$file") does not match its SHA256 from the archive"
		return 1
	fi
	mv "$file.part" "$file"
	echo "$file"
}

fetch_vng() {
	local deb
	if [ -x "$VNGDIR/usr/bin/vng" ]; then
		return
	fi
	say "fetching virtme-ng from $SUITE_VNG"
	(cd "$DIST" && apt-get "${APT_OPTS[@]}" -qq download virtme-ng >/dev/null 2>&1) ||
		die "cannot download virtme-ng from Debian $SUITE_VNG"
	deb=$(ls -t "$DIST"/virtme-ng_*_all.deb | head -1)
	rm -rf "$VNGDIR.new"
	dpkg-deb -x "$deb" "$VNGDIR.new"
	mv "$VNGDIR.new" "$VNGDIR"
}

apt_setup

# fetch.sh --newest: print the newest 6.12.y the archive lists, the newest
# it serves and the path of that one's tarball; the base in use stays.
if [ "${1:-}" = --newest ]; then
	newest=""
	for v in $(listed); do
		newest=${newest:-$v}
		rc=0
		tarball=$(fetch_orig "$v") || rc=$?
		case $rc in
		0) echo "$newest $v $tarball"; exit 0 ;;
		1) say "linux $v: listed, not served" ;;
		*) die "cannot tell whether Debian's archive serves linux $v" ;;
		esac
	done
	die "no linux 6.12.y orig tarball could be fetched from Debian's archive (suites: $SUITES_SRC); check the network and re-run"
fi

pin=$(tr -d '[:space:]' < "$REPO/base-version")
ver="" tarball=""
for v in $(candidates); do
	if tarball=$(fetch_orig "$v"); then
		ver=$v
		break
	fi
	say "linux $v: no orig tarball to be had from the archive"
done
[ -n "$ver" ] || die "no linux 6.12.y orig tarball could be fetched from Debian's archive (suites: $SUITES_SRC); check the network and re-run"
if [ "$ver" != "$pin" ]; then
	warn "WARNING: the pinned base $pin could not be fetched; using $ver instead. Pin it in base-version to make this quiet."
fi
echo "$ver" > "$CACHE/base-in-use"
echo "$tarball" > "$CACHE/base-tarball"
fetch_vng
say "base: Linux ${ver%-*} (orig tarball of Debian linux $ver)"
