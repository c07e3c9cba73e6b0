#!/usr/bin/env python3
"""How Folio boots in QEMU: the one place that builds the QEMU command line.

Used two ways:
  * imported by tests/run.py (the test runner), which drives the console itself;
  * run by ./run.sh (after option parsing, package setup and `make kernel initramfs`):
        python3 tests/qemu.py [--direct] [--cmdline S] [--mem SIZE] [--smp N]
                              [--accel auto|tcg|kvm] [--gdb-port N] [--timeout S]
                              [--qemu-extra S] [--init 'PATH ARGS'] [--add HOST[:GUEST]]...
    boots with the serial console on the terminal and exits with the kernel's
    power-off status (124 when --timeout killed QEMU).

Two boot paths: the GRUB ISO (multiboot2, the default; the command line is baked
into grub.cfg, so each command line gets its own ISO under build/run/, which lets
several VMs with different command lines boot at once) and "direct", QEMU's
-kernel with build/folio.bin (multiboot 1, about 4x faster to boot).

Both load the initramfs (build/initramfs.cpio, tools/mkinitramfs.sh) as the first
boot module: a `module2` line in grub.cfg, or QEMU's -initrd, which its multiboot
loader turns into a module. --add files make a separate initramfs under build/run/,
one per set of files, like the ISOs.

The power-off status: the kernel prints `init exited with status N` (N = 0..255)
and powers off through isa-debug-exit, which carries only N & 0x7f. So the status
is N from that line when the QEMU exit code agrees with it and no panic followed,
else the QEMU exit code (127 after a panic).
"""
import argparse, hashlib, os, re, shlex, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRUB_CFG = os.path.join(ROOT, "boot", "grub.cfg")


def kernel_dir(build, debug=False, ktests=True):
    """Where make puts a kernel: BUILD, BUILD/debug/ for DEBUG=1 (the kernel
    to step through in gdb), and below either noktest/ for KTEST=0 (without
    its in-kernel tests), as the Makefile's $(K)."""
    return os.path.join(build, *(["debug"] if debug else []) + ([] if ktests else ["noktest"]))


def select_build(sanitize):
    """Boot the kernels of build/, or of build-san/ (`make SANITIZE=1`, docs/sanitizers.md).
    In either, the kernel a make built (kernel_dir(): KTEST=0 and DEBUG=1 choose
    it; the Makefile passes KTEST, DEBUG and SANITIZE on to ./run.sh and here)."""
    global SANITIZE, BUILD, NOKTEST, DEBUG_DIR, KERNEL_DIR, ELF, INITRAMFS
    SANITIZE = bool(sanitize)
    BUILD = os.path.join(ROOT, "build-san" if SANITIZE else "build")
    NOKTEST = kernel_dir(BUILD, ktests=False)
    DEBUG_DIR = kernel_dir(BUILD, debug=True)
    KERNEL_DIR = kernel_dir(BUILD, os.environ.get("DEBUG") == "1", os.environ.get("KTEST") != "0")
    ELF = os.path.join(KERNEL_DIR, "folio.elf")
    INITRAMFS = os.path.join(BUILD, "initramfs.cpio")


select_build(os.environ.get("SANITIZE") == "1")
MKINITRAMFS = os.path.join(ROOT, "tools", "mkinitramfs.sh")
INIT_EXITED = re.compile(r"init exited with status (\d+)")
PANIC = "Kernel panic - not syncing"

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


def with_init(cmdline, init):
    """The kernel command line with init=: `--init '/bin/prog a b'` adds
    `init=/bin/prog -- a b`. Words after `--` are init's arguments, as on Linux:
    they stay last, after any the command line already had."""
    if not init:
        return cmdline
    words = shlex.split(init)
    params, sep, args = (" " + cmdline + " ").partition(" -- ")
    params = (params.strip() + " init=" + words[0]).strip()
    args = " ".join(words[1:] + args.split())
    return params + (" -- " + args if args else "")


def split_add(spec):
    """HOST_FILE[:GUEST_PATH] -> (host, guest); the guest path defaults to /bin/NAME."""
    host, sep, guest = spec.rpartition(":")
    if not sep or not guest.startswith("/"):
        host, guest = spec, "/bin/" + os.path.basename(spec)
    return host, guest


def initramfs_for(adds=()):
    """The initramfs to boot: build/initramfs.cpio, or with --add files
    build/run/initramfs-<hash>.cpio, rebuilt when the base one or a file is newer.
    None if there is no initramfs (not built): the kernel boots without one."""
    if not adds:
        return INITRAMFS if os.path.exists(INITRAMFS) else None
    specs = []
    for spec in adds:
        host, guest = split_add(spec)
        if not os.path.isfile(host):
            raise RuntimeError("--add %s: no such file %s" % (spec, host))
        specs.append("%s:%s" % (os.path.abspath(host), guest))
    tag = hashlib.sha1("\n".join(specs).encode()).hexdigest()[:12]
    out = os.path.join(BUILD, "run", "initramfs-%s.cpio" % tag)
    sources = [MKINITRAMFS] + [s.rpartition(":")[0] for s in specs]
    if os.path.exists(INITRAMFS):
        sources.append(INITRAMFS)
    if os.path.exists(out) and os.path.getmtime(out) >= max(map(os.path.getmtime, sources)):
        return out
    os.makedirs(os.path.dirname(out), exist_ok=True)
    r = subprocess.run([MKINITRAMFS, out] + specs, capture_output=True, text=True,
                       env=dict(os.environ, USER_BUILD=os.path.join(BUILD, "user")))
    if r.returncode:
        raise RuntimeError("mkinitramfs failed:\n" + r.stdout + r.stderr)
    prune(os.path.dirname(out), keep=8, suffix=".cpio")
    return out


def iso_for(cmdline, initrd=None, kernel_dir=None):
    """The GRUB ISO for this command line, initramfs and kernel: build/run/folio-<hash>.iso,
    rebuilt when the kernel, grub.cfg or the initramfs is newer. Built in a private
    directory and renamed into place, so concurrent builders never see a
    half-written ISO."""
    kernel_dir = kernel_dir or KERNEL_DIR
    elf = os.path.join(kernel_dir, "folio.elf")
    tag = hashlib.sha1((cmdline + "\0" + (initrd or "") + "\0" + kernel_dir).encode()).hexdigest()[:12]
    iso = os.path.join(BUILD, "run", "folio-%s.iso" % tag)
    newest = max(os.path.getmtime(p) for p in (elf, GRUB_CFG, initrd) if p)
    if os.path.exists(iso) and os.path.getmtime(iso) >= newest:
        return iso
    os.makedirs(os.path.dirname(iso), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="iso-", dir=os.path.dirname(iso))
    try:
        os.makedirs(os.path.join(tmp, "root/boot/grub"))
        # GRUB reads the whole file through BIOS calls: leave the debug info (gdb's) behind.
        subprocess.run(["strip", "--strip-debug", "-o", os.path.join(tmp, "root/boot/folio.elf"), elf],
                       check=True)
        with open(GRUB_CFG) as f:
            cfg = f.read().replace("@CMDLINE@", cmdline)   # as the Makefile's sed does
        if initrd:
            shutil.copy(initrd, os.path.join(tmp, "root/boot/initramfs.cpio"))
        else:
            cfg = "".join(l for l in cfg.splitlines(True) if "module2" not in l)
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


def prune(directory, keep, suffix=".iso"):
    """ISOs are 10 MB each, initramfs images 2.5 MB: keep only the most recently
    built few."""
    def mtime(path):
        try:
            return os.path.getmtime(path)
        except OSError:                 # pruned by a concurrent run
            return 0
    isos = sorted((os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(suffix)),
                  key=mtime, reverse=True)
    for old in isos[keep:]:
        try:
            os.unlink(old)
        except OSError:
            pass


def qemu_argv(cmdline="", direct=False, mem="256M", smp=1, accel="auto", cpu=None,
              gdb_port=None, extra=(), init=None, adds=(), console_log=None,
              kernel_dir=None):
    """init: `--init` ('PATH ARGS'); adds: `--add` specs; console_log: a file that
    gets a copy of the console output (for power_off_status()); kernel_dir: where
    folio.elf and folio.bin are (BUILD, or NOKTEST for a KTEST=0 kernel; by
    default KERNEL_DIR)."""
    kernel_dir = kernel_dir or KERNEL_DIR
    cmdline = with_init(cmdline, init)
    initrd = initramfs_for(adds)
    argv = list(BASE)
    argv[argv.index("-m") + 1] = mem
    argv[argv.index("-smp") + 1] = str(smp)
    argv += accel_args(accel, cpu) + CONSOLE
    if console_log:
        argv[argv.index("-chardev") + 1] += ",logfile=" + console_log
    if direct:
        argv += ["-kernel", os.path.join(kernel_dir, "folio.bin"), "-append", cmdline]
        if initrd:
            argv += ["-initrd", initrd]
    else:
        # The CD on an AHCI controller: SeaBIOS reads it with DMA, about 200 ms sooner than IDE.
        argv += ["-device", "ahci,id=ahci", "-device", "ide-cd,drive=cd,bus=ahci.0,bootindex=0",
                 "-drive", "file=%s,if=none,media=cdrom,id=cd,format=raw,readonly=on"
                 % iso_for(cmdline, initrd, kernel_dir)]
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


def power_off_status(rc, log=""):
    """The kernel's power-off status from QEMU's exit code and the console log:
    N from the last `init exited with status N` when isa-debug-exit agrees with it
    (it carries N & 0x7f) and no panic came after it; else kernel_status(rc)."""
    status = kernel_status(rc)
    found = list(INIT_EXITED.finditer(log))
    if not found or rc < 0:
        return status
    n = int(found[-1].group(1))
    if 0 <= n <= 255 and n & 0x7f == status and PANIC not in log[found[-1].end():]:
        return n
    return status


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
    ap.add_argument("--init")
    ap.add_argument("--add", action="append", default=[])
    a = ap.parse_args()
    fd, log = tempfile.mkstemp(prefix="console-", suffix=".log")
    os.close(fd)
    try:
        try:
            argv = qemu_argv(a.cmdline, a.direct, a.mem, a.smp, a.accel, None, a.gdb_port,
                             shlex.split(a.qemu_extra), a.init, a.add, console_log=log)
        except (OSError, RuntimeError, ValueError) as e:
            sys.exit("folio: %s" % e)
        rc = boot(argv, a)
        with open(log, encoding="latin-1") as f:
            text = f.read().replace("\r", "")
    finally:
        os.unlink(log)
    sys.exit(power_off_status(rc, text))


def boot(argv, a):
    """Run QEMU on this terminal; its exit code (exits on --timeout or ^C)."""
    if a.gdb_port:
        knobs = "".join(" %s=%s" % (k, v) for k, v in (("DEBUG", "1"), ("KTEST", "0"), ("SANITIZE", "1"))
                        if os.environ.get(k) == v)
        print("folio: QEMU is halted, waiting for gdb on port %d. In another terminal run:\n"
              "folio:     make gdb GDBPORT=%d%s      (or: tools/gdb.sh %d %s)"
              % (a.gdb_port, a.gdb_port, knobs, a.gdb_port, os.path.relpath(ELF, ROOT)), file=sys.stderr)
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
    return rc


if __name__ == "__main__":
    main()
