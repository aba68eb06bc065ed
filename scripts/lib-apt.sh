# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# apt helpers shared by scripts/setup.sh and scripts/trixie-root.sh; sourced,
# not run.  The Debian mirror is never named: it is read from the host's own
# apt configuration.  apt_suite keeps its state under $STATE (default
# /var/lib/tcptune), so the host's sources and pins are left alone.

: "${STATE:=/var/lib/tcptune}"

# One Debian mirror URI from the host's configuration (deb822 or one-line).
debian_mirror() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	echo "${0##*/}: no Debian mirror found in /etc/apt" >&2
	return 1
}

# apt-get with a private state for an extra suite; "$1" is the suite.
apt_suite() {
	local tool=apt-get
	if [ "$1" = --cache ]; then tool=apt-cache; shift; fi
	local suite=$1; shift
	local dir=$STATE/apt-$suite
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	if [ ! -s "$dir/sources.list" ]; then
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) $suite main" \
			>"$dir/sources.list"
	fi
	"$tool" -q -o Dir::Etc::sourcelist="$dir/sources.list" \
		-o Dir::Etc::sourceparts=- -o Dir::State::Lists="$dir/lists" \
		-o Dir::Cache::archives="$dir/cache/archives" \
		-o Dir::Cache::pkgcache="$dir/cache/pkgcache.bin" \
		-o Dir::Cache::srcpkgcache="$dir/cache/srcpkgcache.bin" \
		-o APT::Get::List-Cleanup=0 "$@"
}
