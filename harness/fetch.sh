#!/usr/bin/env bash
# Fetch the pinned 6.12.y base (the orig tarball of Debian's linux source
# package) and virtme-ng, through a project-local apt configuration that
# reuses the host's Debian archive with other suites.  The host's apt
# sources are read, never modified.
. "$(dirname "$0")/lib.sh"

SUITES_SRC="trixie bookworm-backports"
SUITE_VNG=trixie

# The host's Debian archive: URI and keyring of its main release suite.
host_archive() {
	local codename uri="" keyring="" suites="" line f
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "cannot tell the host's Debian release from /etc/os-release"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# deb822 stanzas, separated by blank lines
		while IFS= read -r line || [ -n "$line" ]; do
			case "$line" in
			URIs:*) uri=${line#URIs:} ;;
			Suites:*) suites=${line#Suites:} ;;
			Signed-By:*) keyring=${line#Signed-By:} ;;
			"")
				if [[ " $suites " == *" $codename "* ]]; then
					echo "$(echo $uri | cut -d' ' -f1) $(echo $keyring)"
					return
				fi
				uri="" suites="" keyring="" ;;
			esac
		done < <(cat "$f"; echo)
	done
	if [ -r /etc/apt/sources.list ]; then
		line=$(grep -E "^deb(-src)?[[:space:]]+(\[[^]]*\][[:space:]]+)?[a-z]+://[^[:space:]]+[[:space:]]+$codename[[:space:]]" \
			/etc/apt/sources.list | head -1 || true)
		if [ -n "$line" ]; then
			uri=$(echo "$line" | grep -oE '[a-z]+://[^[:space:]]+')
			echo "$uri /usr/share/keyrings/debian-archive-keyring.gpg"
			return
		fi
	fi
	die "no Debian '$codename' suite in the host's apt sources; this harness needs a Debian 12 host whose apt reaches Debian's archive"
}

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

# The pinned version if the archive still serves it, else the newest 6.12.y.
choose_base() {
	local pin versions v newest=""
	pin=$(tr -d '[:space:]' < "$REPO/base-version")
	case "$pin" in 6.12.*) ;; *) die "base-version says '$pin': this series is for Linux 6.12.y; put a 6.12.y Debian version of the linux source package there" ;; esac
	versions=$(apt-cache "${APT_OPTS[@]}" showsrc linux 2>/dev/null | sed -n 's/^Version: //p' | grep '^6\.12\.' || true)
	if grep -qxF "$pin" <<<"$versions"; then
		echo "$pin"
		return
	fi
	# Without the lists the newest cached tarball is the fallback.
	for v in $versions; do
		if [ -z "$newest" ] || dpkg --compare-versions "$v" gt "$newest"; then
			newest=$v
		fi
	done
	if [ -z "$newest" ] && [ -s "$CACHE/base-in-use" ]; then
		newest=$(cat "$CACHE/base-in-use")
	fi
	[ -n "$newest" ] || die "Debian's archive serves no linux 6.12.y source package in: $SUITES_SRC"
	warn "WARNING: the pinned base $pin is no longer served; using the newest 6.12.y, $newest. Pin it in base-version to make this quiet."
	echo "$newest"
}

fetch_orig() {
	local ver=$1 line url file sha
	line=$(cd "$APTDIR" && apt-get "${APT_OPTS[@]}" source --print-uris "linux=$ver" 2>/dev/null |
		grep "^'.*\.orig\.tar\." | head -1 || true)
	if [ -z "$line" ]; then
		# Already fetched and the lists lost it: keep going with the file.
		file=$(ls "$DIST"/linux_"${ver%-*}".orig.tar.* 2>/dev/null | head -1 || true)
		[ -n "$file" ] || die "apt knows no orig tarball for linux $ver"
		echo "$file"
		return
	fi
	url=$(echo "$line" | cut -d"'" -f2)
	file=$(echo "$line" | awk '{print $2}')
	sha=$(echo "$line" | grep -oE 'SHA256:[0-9a-f]+' | cut -d: -f2)
	if [ -s "$DIST/$file" ] && [ -n "$sha" ] && echo "$sha  $DIST/$file" | sha256sum -c --quiet 2>/dev/null; then
		echo "$DIST/$file"
		return
	fi
	say "downloading $file"
	curl -fL --retry 3 -sS -o "$DIST/$file.part" "$url" ||
		die "download of $file failed; re-run to retry"
	if [ -n "$sha" ] && ! echo "$sha  $DIST/$file.part" | sha256sum -c --quiet; then
		rm -f "$DIST/$file.part"
		die "$file does not match its SHA256 from the archive; re-run to download it again"
	fi
	mv "$DIST/$file.part" "$DIST/$file"
	echo "$DIST/$file"
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
ver=$(choose_base)
tarball=$(fetch_orig "$ver")
echo "$ver" > "$CACHE/base-in-use"
echo "$tarball" > "$CACHE/base-tarball"
fetch_vng
say "base: Linux ${ver%-*} (orig tarball of Debian linux $ver)"
