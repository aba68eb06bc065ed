#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel of the test run: Debian's linux-source-6.1 configured with
# scripts/debug-kernel.config (KASAN, KFENCE, kmemleak, lockdep, UBSAN, ...).
#
#   scripts/debug-kernel.sh               print the path of the built kernel
#                                         tree (building it first if needed)
#   scripts/debug-kernel.sh --module [TREE]
#                                         build this checkout's tcptune.ko
#                                         against TREE (default: the tree
#                                         above, built if needed) in
#                                         build/debug-mod/, W=1; print the
#                                         .ko's path
#   scripts/debug-kernel.sh --key         print the cache key
#
# Only paths go to stdout; build output goes to a log file (its path and, on
# failure, its tail go to stderr) -- or to stderr for --module.
#
# The tree is cached in $TCPTUNE_CACHE/debug-kernel/KEY/linux (default cache
# /var/lib/tcptune: not under /var/cache, which virtme-ng's guest init covers
# with a tmpfs -- the guest must see the tree to find its modules; a cache
# left in /var/cache/tcptune by an older checkout is moved there), KEY a hash of the config fragment, this script, the
# linux-source-6.1 package version and the compiler version.  A tree whose
# stamp file exists is reused as is; only the newest entry is kept.  Objects
# go through ccache ($TCPTUNE_CACHE/ccache), so a rebuild after a change of
# the fragment takes minutes, not the cold build's quarter of an hour.
#
# After configuring, every line of the fragment must hold in the final
# .config (CONFIG_X=y/m/value exactly, "is not set" lines not y/m): Kconfig
# silently drops an option whose dependencies are missing, and that must be
# an error, not a weaker kernel.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
self="$top/scripts/debug-kernel.sh"
frag="$top/scripts/debug-kernel.config"
src_tar=/usr/src/linux-source-6.1.tar.xz
cache=${TCPTUNE_CACHE:-/var/lib/tcptune}
old_cache=/var/cache/tcptune
jobs=${TCPTUNE_JOBS:-2}

die() { echo "debug-kernel.sh: $*" >&2; exit 1; }
log() { echo "debug-kernel.sh: $*" >&2; }

# What a tree's sources and objects depend on besides the configuration.
base_id() {
	local srcver
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
		die "linux-source-6.1 is not installed (run scripts/setup.sh)"
	echo "linux-source-6.1 $srcver"
	gcc --version | head -n 1
}

cache_key() {
	{
		base_id
		sha256sum <"$frag"
		sha256sum <"$self"
	} | sha256sum | cut -c1-16
}

# Every line of the fragment must be so in .config ($1).
check_config() {
	local config=$1 line sym bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			if ! grep -qxF -- "$line" "$config"; then
				sym=${line%%=*}
				log "config: wanted $line, got: $(grep -E "^(# )?${sym}[= ]" "$config" || echo 'absent')"
				bad=1
			fi
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			if grep -qE "^$sym=[ym]$" "$config"; then
				log "config: wanted $sym off, got: $(grep -E "^$sym=" "$config")"
				bad=1
			fi
			;;
		esac
	done <"$frag"
	return $bad
}

# Build the tree for key $1 in $cache/debug-kernel/$1 (caller holds the lock).
build_tree() {
	local key=$1 dir="$cache/debug-kernel/$1" t0 t1 tree blog
	tree=$dir/linux
	blog=$dir/build.log
	[ -f "$src_tar" ] || die "$src_tar is missing (run scripts/setup.sh)"
	command -v ccache >/dev/null || die "ccache is missing (run scripts/setup.sh)"

	t0=$(date +%s)
	# An entry of the same sources and compiler (this key's own unfinished
	# one, or another fragment's or script's: only one is kept) becomes
	# this one: Kbuild rebuilds only what the configuration change touches.
	# Otherwise unpack afresh (ccache still helps).
	local d base old=
	base=$(base_id)
	for d in "$cache/debug-kernel"/*/; do
		d=${d%/}
		if [ -d "$d/linux" ] && [ "$(cat "$d/base" 2>/dev/null)" = "$base" ]; then
			old=$d
			break
		fi
	done
	if [ -n "$old" ]; then
		if [ "$old" != "$dir" ]; then
			rm -rf "$dir"
			mv "$old" "$dir"
			# tools/ (objtool) records absolute paths: a moved objtool
			# would be rebuilt, and every object after it.
			grep -rlZF "$old/" "$dir/linux/tools" --include='.*.cmd' |
				xargs -0r sed -i "s|$old/|$dir/|g"
		fi
		rm -f "$dir/built.stamp"
		log "rebuilding the debug kernel in $tree from ${old##*/} (-j$jobs, log: $blog)"
	else
		rm -rf "$dir"
		mkdir -p "$dir"
		log "building the debug kernel in $tree (-j$jobs, log: $blog)"
	fi
	mkdir -p "$cache/ccache"
	{
		if [ -z "$old" ]; then
			echo "== unpack $src_tar"
			tar -C "$dir" -xf "$src_tar"
			mv "$dir/linux-source-6.1" "$tree"
			echo "$base" >"$dir/base"
		fi
		cp "$frag" "$dir/debug-kernel.config"

		echo "== configure: allnoconfig + $frag"
		cd "$tree"
		scripts/kconfig/merge_config.sh -n "$dir/debug-kernel.config"
	} >"$blog" 2>&1 || { tail -30 "$blog" >&2; die "configuring failed (see $blog)"; }
	check_config "$tree/.config" || die "the final .config lacks options of $frag (see above)"

	# ccache through its compiler links: CC stays "gcc", so the .config's
	# compiler checks and the build agree, and so does a module built later.
	export PATH="/usr/lib/ccache:$PATH"
	export CCACHE_DIR="$cache/ccache" CCACHE_BASEDIR="$tree"
	export KBUILD_BUILD_USER=tcptune KBUILD_BUILD_HOST=debug-kernel
	ccache --max-size=8G >/dev/null
	ccache --zero-stats >/dev/null
	{
		echo "== make -j$jobs all"
		make -C "$tree" -j"$jobs" all
		echo "== virtme-prep-kdir-mods"
		cd "$tree" && virtme-prep-kdir-mods
		ccache --show-stats
	} >>"$blog" 2>&1 || { tail -40 "$blog" >&2; die "the build failed (see $blog)"; }
	check_config "$tree/.config" || die "the built .config lost options of $frag"
	[ -f "$tree/arch/x86/boot/bzImage" ] || die "no bzImage in $tree"
	find "$tree/net/ipv4" -name tcp_bbr.ko | grep -q . || die "tcp_bbr.ko was not built"
	t1=$(date +%s)
	echo "built in $((t1 - t0)) s" >"$dir/built.stamp"
	log "built in $((t1 - t0)) s; $(grep -E 'Hits|hit rate|cache hit' "$blog" | tr -s ' ' | paste -sd ';' -)"

	# Keep only this entry.
	for d in "$cache/debug-kernel"/*/; do
		[ "${d%/}" = "$dir" ] || rm -rf "${d%/}"
	done
}

# An older checkout's cache (/var/cache/tcptune) becomes this one.  Only
# tools/ (objtool) records absolute paths; they are rewritten, or objtool and
# every object after it would be rebuilt.
migrate_cache() {
	local d
	[ -z "${TCPTUNE_CACHE:-}" ] && [ -d "$old_cache/debug-kernel" ] &&
		[ ! -e "$cache/debug-kernel" ] || return 0
	log "moving the cache $old_cache to $cache"
	mkdir -p "$cache"
	for d in debug-kernel ccache; do
		[ -e "$old_cache/$d" ] && [ ! -e "$cache/$d" ] && mv "$old_cache/$d" "$cache/$d"
	done
	rm -rf "$old_cache"
	grep -rlZF "$old_cache/" "$cache"/debug-kernel/*/linux/tools --include='.*.cmd' 2>/dev/null |
		xargs -0r sed -i "s|$old_cache/|$cache/|g"
}

# Print the tree, building it if its stamp is missing.
tree_path() {
	local key dir
	migrate_cache
	key=$(cache_key)
	dir="$cache/debug-kernel/$key"
	if [ ! -f "$dir/built.stamp" ]; then
		mkdir -p "$cache/debug-kernel"
		exec 8>"$cache/debug-kernel/.lock"
		flock 8
		[ -f "$dir/built.stamp" ] || (build_tree "$key")
		exec 8>&-
	fi
	echo "$dir/linux"
}

# Build this checkout's module against tree $1 in build/debug-mod/.
build_module() {
	local tree=$1 out="$top/build/debug-mod"
	[ -f "$tree/Module.symvers" ] || die "$tree is not a built kernel tree"
	rm -rf "$out"
	mkdir -p "$out"
	cp -r "$top/Kbuild" "$top/module" "$top/include" "$out/"
	find "$out" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name modules.order -o -name Module.symvers \) -delete
	make -C "$tree" M="$out" W=1 modules >&2 || die "the module did not build against $tree"
	[ -f "$out/module/tcptune.ko" ] || die "no $out/module/tcptune.ko"
	echo "$out/module/tcptune.ko"
}

# All of it in one function, parsed before it runs: editing this file while
# a build runs (a quarter of an hour) must not change what that build does.
main() {
	local tree
	case "${1:-}" in
	"")
		tree_path
		;;
	--module)
		tree=${2:-}
		[ -n "$tree" ] || tree=$(tree_path)
		build_module "$tree"
		;;
	--key)
		cache_key
		;;
	*)
		sed -n '4,17p' "$0" >&2
		exit 2
		;;
	esac
}
main "$@"
exit
