#!/usr/bin/env python3
"""How Folio boots in QEMU: the one place that builds the QEMU command line.

Used two ways:
  * imported by tests/run.py (the test runner), which drives the console itself;
  * run by ./run.sh (after option parsing, package setup and `make kernel`):
        python3 tests/qemu.py [--direct] [--cmdline S] [--mem SIZE] [--smp N]
                              [--accel auto|tcg|kvm] [--gdb-port N] [--timeout S]
                              [--qemu-extra S]
    boots with the serial console on the terminal and exits with the kernel's
    power-off status (124 when --timeout killed QEMU).

Two boot paths: the GRUB ISO (multiboot2, the default; the command line is baked
into grub.cfg, so each command line gets its own ISO under build/run/, which lets
several VMs with different command lines boot at once) and "direct", QEMU's
-kernel with build/folio.bin (multiboot 1, about 4x faster to boot).
"""
import argparse, hashlib, os, shlex, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
ELF = os.path.join(BUILD, "folio.elf")
BIN = os.path.join(BUILD, "folio.bin")
GRUB_CFG = os.path.join(ROOT, "boot", "grub.cfg")

# isa-debug-exit: the kernel writes status N to port 0xf4 and QEMU exits with 2N+1.
BASE = ["qemu-system-x86_64", "-machine", "pc", "-m", "256M", "-smp", "1",
        "-display", "none", "-no-reboot",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
# The serial port and the QEMU monitor share stdio (Ctrl-A X quits, Ctrl-A B sends
# a BREAK, which with the next key makes a Magic SysRq). signal=off lets ^C reach
# the guest. With stdin a pipe, tests/run.py types into it the same way.
CONSOLE = ["-chardev", "stdio,id=con,mux=on,signal=off",
           "-serial", "chardev:con", "-mon", "chardev=con"]


def hardware_kvm():
    """True if /dev/kvm is real hardware virtualisation. Our machines' /dev/kvm is
    kvm_pvm, a software virtualiser that cannot run a real kernel: never use it."""
    mod = lambda m: os.path.exists("/sys/module/" + m)
    return (os.access("/dev/kvm", os.R_OK | os.W_OK) and not mod("kvm_pvm")
            and (mod("kvm_intel") or mod("kvm_amd")))


def accel_args(accel="auto", cpu=None):
    if accel == "kvm" or (accel == "auto" and hardware_kvm()):
        return ["-accel", "kvm", "-cpu", cpu or "host"]
    return ["-accel", "tcg", "-cpu", cpu or "max"]


def iso_for(cmdline):
    """The GRUB ISO for this command line: build/run/folio-<hash>.iso, rebuilt when
    the kernel or grub.cfg is newer. Built in a private directory and renamed into
    place, so concurrent builders never see a half-written ISO."""
    tag = hashlib.sha1(cmdline.encode()).hexdigest()[:12]
    iso = os.path.join(BUILD, "run", "folio-%s.iso" % tag)
    newest = max(os.path.getmtime(ELF), os.path.getmtime(GRUB_CFG))
    if os.path.exists(iso) and os.path.getmtime(iso) >= newest:
        return iso
    os.makedirs(os.path.dirname(iso), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="iso-", dir=os.path.dirname(iso))
    try:
        os.makedirs(os.path.join(tmp, "root/boot/grub"))
        shutil.copy(ELF, os.path.join(tmp, "root/boot/folio.elf"))
        with open(GRUB_CFG) as f:
            cfg = f.read().replace("@CMDLINE@", cmdline)   # as the Makefile's sed does
        with open(os.path.join(tmp, "root/boot/grub/grub.cfg"), "w") as f:
            f.write(cfg)
        r = subprocess.run(["grub-mkrescue", "-o", os.path.join(tmp, "folio.iso"),
                            os.path.join(tmp, "root")], capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("grub-mkrescue failed:\n" + r.stdout + r.stderr)
        os.replace(os.path.join(tmp, "folio.iso"), iso)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    prune(os.path.dirname(iso), keep=8)
    return iso


def prune(directory, keep):
    """ISOs are 10 MB each: keep only the most recently built few."""
    def mtime(path):
        try:
            return os.path.getmtime(path)
        except OSError:                 # pruned by a concurrent run
            return 0
    isos = sorted((os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".iso")),
                  key=mtime, reverse=True)
    for old in isos[keep:]:
        try:
            os.unlink(old)
        except OSError:
            pass


def qemu_argv(cmdline="", direct=False, mem="256M", smp=1, accel="auto", cpu=None,
              gdb_port=None, extra=()):
    argv = list(BASE)
    argv[argv.index("-m") + 1] = mem
    argv[argv.index("-smp") + 1] = str(smp)
    argv += accel_args(accel, cpu) + CONSOLE
    if direct:
        argv += ["-kernel", BIN, "-append", cmdline]
    else:
        argv += ["-cdrom", iso_for(cmdline)]
    if gdb_port:
        argv += ["-S", "-gdb", "tcp::%d" % gdb_port]   # halted until gdb says continue
    return argv + list(extra)


def kernel_status(rc):
    """QEMU's exit code -> the kernel's power-off status. 2N+1 is status N; 0 is
    Ctrl-A X or ACPI power-off. (QEMU's own errors also exit 1, read as 0: its
    message on stderr tells them apart.) Killed by a signal -> 128+signal."""
    if rc < 0:
        return 128 - rc
    return (rc - 1) // 2 if rc % 2 else rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--direct", action="store_true")
    ap.add_argument("--cmdline", default="")
    ap.add_argument("--mem", default="256M")
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--accel", choices=("auto", "tcg", "kvm"), default="auto")
    ap.add_argument("--gdb-port", type=int)
    ap.add_argument("--timeout", type=float)
    ap.add_argument("--qemu-extra", default="")
    a = ap.parse_args()
    try:
        argv = qemu_argv(a.cmdline, a.direct, a.mem, a.smp, a.accel, None, a.gdb_port,
                         shlex.split(a.qemu_extra))
    except (OSError, RuntimeError) as e:
        sys.exit("folio: %s" % e)
    if a.gdb_port:
        print("folio: QEMU is halted, waiting for gdb on port %d. In another terminal run:\n"
              "folio:     make gdb GDBPORT=%d      (or: tools/gdb.sh %d)"
              % (a.gdb_port, a.gdb_port, a.gdb_port), file=sys.stderr)
    qemu = subprocess.Popen(argv)
    try:
        rc = qemu.wait(timeout=a.timeout)
    except subprocess.TimeoutExpired:
        qemu.terminate()          # QEMU restores the terminal on SIGTERM
        try:
            qemu.wait(timeout=5)
        except subprocess.TimeoutExpired:
            qemu.kill()
            qemu.wait()
        print("\nfolio: timed out after %g s (--timeout); QEMU killed" % a.timeout,
              file=sys.stderr)
        sys.exit(124)
    except KeyboardInterrupt:     # only when stdin is not a terminal
        qemu.wait()
        sys.exit(130)
    sys.exit(kernel_status(rc))


if __name__ == "__main__":
    main()
