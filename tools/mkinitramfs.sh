#!/usr/bin/env bash
# Build Folio's initramfs: an uncompressed cpio "newc" archive (the kernel has no
# decompressor), reproducible (entries sorted, mtime 0, owner 0:0, inode numbers
# renumbered), loaded by GRUB as the first multiboot2 module or by QEMU -initrd.
#
#   tools/mkinitramfs.sh OUT.cpio [HOST_FILE[:GUEST_PATH]]...
#
# Contents:
#   /init                       build/user/init
#   /bin/NAME                   every other build/user/NAME (usertests, memhog, ...)
#   /bench/NAME                 build/user/bench/NAME (the user benchmarks, README.md),
#                               and user/bench/all.sh, which runs them
#   /bin/busybox                Debian's busybox-static, unmodified
#   /bin/APPLET, /sbin/APPLET   symlinks to /bin/busybox for each applet it lists
#   /dev /proc /sys /tmp /root  empty directories (/dev: the kernel's devices)
#   /etc/passwd, /etc/group     root only
# Extra files (run.sh --add) go to GUEST_PATH, by default /bin/NAME; they may
# replace any of the above. Entries are named without a leading "/" or "./"; every
# directory comes before what it holds. Symlinks are stored as cpio symlinks
# (mode S_IFLNK, the target path as the file data), absolute: /bin/busybox.
set -euo pipefail
export LC_ALL=C
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
USER_BUILD=${USER_BUILD:-$ROOT_DIR/build/user}	# build-san/user for the sanitizer build
BUSYBOX=${BUSYBOX:-/bin/busybox}

[ $# -ge 1 ] || { echo "usage: tools/mkinitramfs.sh OUT.cpio [HOST_FILE[:GUEST_PATH]]..." >&2; exit 2; }
out=$1; shift
for t in cpio "$BUSYBOX"; do
	command -v "$t" >/dev/null || { echo "mkinitramfs: missing $t (tools/setup.sh installs it)" >&2; exit 1; }
done
[ -x "$USER_BUILD/init" ] || { echo "mkinitramfs: no $USER_BUILD/init: run 'make user' first" >&2; exit 1; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/folio-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
r=$stage/root
mkdir -p "$r"/{bin,sbin,bench,dev,etc,proc,sys,tmp,root}
chmod 1777 "$r/tmp"
chmod 700 "$r/root"

# Folio's programs
cp "$USER_BUILD/init" "$r/init"
for f in "$USER_BUILD"/*; do
	[ -f "$f" ] && [ -x "$f" ] && [ "$(basename "$f")" != init ] && cp "$f" "$r/bin/"
done
for f in "$USER_BUILD"/bench/* "$ROOT_DIR"/user/bench/*.sh; do
	[ -f "$f" ] && [ -x "$f" ] && cp "$f" "$r/bench/"
done

# busybox and its applets: /bin/X and /sbin/X (Debian lists some under usr/)
cp "$BUSYBOX" "$r/bin/busybox"
"$BUSYBOX" --list-full | while read -r path; do
	name=${path##*/}
	case $path in
	bin/*|usr/bin/*) dir=bin ;;
	sbin/*|usr/sbin/*) dir=sbin ;;
	*) continue ;;
	esac
	[ "$name" = busybox ] && continue
	[ -e "$r/$dir/$name" ] || [ -L "$r/$dir/$name" ] || ln -s /bin/busybox "$r/$dir/$name"
done

printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"
printf 'root:x:0:\n' > "$r/etc/group"

# extra files: HOST[:GUEST], GUEST absolute, default /bin/NAME
for spec in "$@"; do
	host=$spec guest=
	if [[ $spec == *:/* ]]; then host=${spec%:/*}; guest=/${spec##*:/}; fi
	[ -n "$guest" ] || guest=/bin/$(basename "$host")
	[ -f "$host" ] || { echo "mkinitramfs: --add $spec: no file $host" >&2; exit 1; }
	case $guest in */|*/../*|*/./*|*/..|*/.) echo "mkinitramfs: bad guest path $guest" >&2; exit 1 ;; esac
	mkdir -p "$r$(dirname "$guest")"
	rm -f "$r$guest"
	cp "$host" "$r$guest"
done

find "$r" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
tmp=$(mktemp "$(dirname "$out")/.initramfs.XXXXXX")
( cd "$r" && find . -mindepth 1 -printf '%P\n' | sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible ) > "$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
