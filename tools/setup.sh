#!/usr/bin/env bash
# Install the Debian packages Folio needs to build, boot and test.
# Usage: tools/setup.sh          (installs what is missing; needs root or sudo)
#        tools/setup.sh --check  (only says what is missing; exit 1 if anything is)
#        tools/setup.sh --plots  (also python3-matplotlib, which only `make plots` needs;
#                                 with --check too: tools/setup.sh --check --plots)
set -eu
check=0 plots=0
for arg in "$@"; do
  case $arg in
    --check) check=1 ;;
    --plots) plots=1 ;;
    *) echo "usage: tools/setup.sh [--check] [--plots]" >&2; exit 2 ;;
  esac
done
# package:command-that-proves-it-is-installed
need=(
  gcc:gcc libc6-dev:/usr/lib/x86_64-linux-gnu/libc.a make:make nasm:nasm binutils:objdump
  grub-pc-bin:/usr/lib/grub/i386-pc/moddep.lst grub-common:grub-mkrescue
  xorriso:xorriso mtools:mformat qemu-system-x86:qemu-system-x86_64
  gdb:gdb musl-tools:musl-gcc busybox-static:/bin/busybox cpio:cpio python3:python3
  spin:spin
)
if [ $plots = 1 ]; then
  need+=(python3-matplotlib:/usr/lib/python3/dist-packages/matplotlib)
fi
missing=()
for pc in "${need[@]}"; do
  pkg=${pc%%:*}; probe=${pc#*:}
  if [[ $probe == /* ]]; then [ -e "$probe" ] && continue
  else command -v "$probe" >/dev/null 2>&1 && continue; fi
  missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ $check = 1 ]; then
  echo "folio: missing packages: ${missing[*]}" >&2
  echo "folio: run 'tools/setup.sh$( [ $plots = 1 ] && echo ' --plots')' (as root or with sudo) to install them" >&2
  exit 1
fi
SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "folio: missing packages: ${missing[*]}" >&2
    echo "folio: as root, run:  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  SUDO=sudo
fi
echo "folio: installing missing packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "folio: packages installed" >&2
