#!/usr/bin/env bash
# Folio's front door: install what is missing, build, boot in QEMU with the
# serial console on this terminal. Exit status = the kernel's power-off status.
# The QEMU command line itself is built by tests/qemu.py (shared with the tests).
set -euo pipefail
here=$PWD
cd "$(dirname "$0")"

usage() {
	cat <<EOF
usage: ./run.sh [options]
  --direct           boot build/folio.bin with QEMU's -kernel (fast) instead of the GRUB ISO
  --cmdline "..."    extra kernel parameters (mem=64M loglevel=7 quiet ktest=GLOB lkdtm=TYPE ...)
  --mem SIZE         guest RAM (default 256M)
  --smp N            CPUs (default 1)
  --tcg | --kvm      TCG software emulation (the default unless the host has
                     hardware KVM), or force KVM
  --gdb              start halted, gdb stub on a TCP port; attach with 'make gdb'
  --debug            boot the kernel built for gdb (make DEBUG=1: -Og, in build/debug/);
                     with --gdb, attach with 'make gdb DEBUG=1'
  --gdb-port N       the gdb port (default: $(gdb_port), from your uid)
  --timeout S        kill QEMU after S seconds (exit status 124)
  --init "PATH ARGS" run PATH as init (default /init, which starts /bin/sh);
                     its arguments follow -- on the kernel command line:
                     --init '/bin/prog a b' passes init=/bin/prog -- a b
  --add HOST[:GUEST] put HOST_FILE in the initramfs at GUEST (default /bin/NAME);
                     repeatable, e.g. --add ./prog --init /bin/prog
  --qemu-extra "..." extra QEMU arguments
  -h, --help         this text
In QEMU: Ctrl-A X quits, Ctrl-A B then a key is a Magic SysRq (h: help), Ctrl-A H: help.
Exit status: the kernel's power-off status: init's exit status N (0..255, taken
from the kernel's "init exited with status N"), 127 after a panic, 124 on --timeout.
EOF
}
gdb_port() { expr "$(id -u)" % 5000 + 25000; }
need_arg() { [ $# -ge 2 ] || { echo "run.sh: $1 needs an argument" >&2; usage >&2; exit 2; }; }

args=()
gdb=
port=
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	--direct) args+=(--direct) ;;
	--tcg) args+=(--accel tcg) ;;
	--kvm) args+=(--accel kvm) ;;
	--gdb) gdb=1 ;;
	--debug) export DEBUG=1 ;;
	--gdb-port) need_arg "$@"; port=$2; shift ;;
	--mem|--smp|--cmdline|--timeout|--qemu-extra|--init) need_arg "$@"; args+=("$1" "$2"); shift ;;
	--add) need_arg "$@"
		case $2 in /*) spec=$2 ;; *) spec=$here/$2 ;; esac   # relative to where we were called
		args+=(--add "$spec"); shift ;;
	*) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
[ -n "$gdb" ] && args+=(--gdb-port "${port:-$(gdb_port)}")

bash tools/setup.sh
make -s kernel initramfs
exec python3 tests/qemu.py "${args[@]}"
