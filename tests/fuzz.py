#!/usr/bin/env python3
"""The fuzzer's boots: Folio with /bin/fuzz (user/fuzz/) as init.

Used two ways:
  * imported by tests/run.py, whose fuzz scenarios run it for a fixed number of
    calls with a fixed seed and with a random one, and check the log with
    problems();
  * run by `make fuzz SECONDS=N SEED=S`:
        python3 tests/fuzz.py [--seconds N] [--seed S] [--workers W] [--skip CHECKS]
    boots with the console on this terminal, keeps it in build/fuzz-logs/, then
    says PASS or FAIL with the seed. Exit status 0 only on PASS.

A run passes when the fuzzer says so (`free memory back: yes`, exit status 0:
no check failed, no worker stuck, every process reaped) and the kernel printed
no BUG, WARNING, Oops, hung task, leak report, sanitizer report (KASAN's is
a BUG line, UBSAN's is not) or panic.

KNOWN lists the fuzzer's checks that Folio fails, and the triggers of defects its
watchdog finds (huge-populate), while such a defect is open: both uses skip them
(-x), so that a run tests everything else. `--skip ''` runs every check.
"""
import argparse, os, re, subprocess, sys, time
import qemu

KNOWN = ()     # e.g. ("exec-thread-status", "huge-populate"): `fuzz -x list` names them all

# A kernel line (it starts with a timestamp) that means the kernel itself went wrong.
BAD_KERNEL_LINE = re.compile(
    r"^\[[ \d.]+\] .*(?:\bBUG\b|\bWARNING\b|\bOops\b|blocked for more than|hung task|\bleak"
    r"|Kernel panic|still has objects|Bad page state|UBSAN: ).*$", re.M)
SEED = re.compile(r"^fuzz: seed=(\d+) ", re.M)
END = re.compile(r"^fuzz: \d+ calls, .*free memory back: (yes|no)", re.M)


def init_cmd(seed=None, calls=None, seconds=None, workers=None, skip=KNOWN):
    """The --init argument that runs the fuzzer as init with these options."""
    args = ["/bin/fuzz"]
    if seed is not None:
        args += ["-s", str(seed)]
    if calls:
        args += ["-n", str(calls)]
    if seconds:
        args += ["-t", str(seconds)]
    if workers:
        args += ["-w", str(workers)]
    if skip:
        args += ["-x", ",".join(skip)]
    return " ".join(args)


def seed_of(log):
    m = SEED.search(log)
    return m.group(1) if m else "?"


def problems(log):
    """What went wrong in a fuzz boot's log: [] if nothing."""
    found = ["kernel: %s" % m.group(0).strip() for m in BAD_KERNEL_LINE.finditer(log)][:3]
    end = END.search(log)
    if not end:
        found.append("no 'fuzz: N calls, ... free memory back:' line")
    elif end.group(1) != "yes":
        found.append("free memory did not come back")
    for line in re.findall(r"^fuzz: (?:check .* failed|the parent got signal|.* stuck in the kernel"
                           r"|\d+ processes still there).*$", log, re.M)[:4]:
        found.append(line)
    if not re.search(r"init exited with status 0\b", log):
        found.append("fuzz (init) did not exit with status 0")
    if found:
        found.insert(0, "seed=%s" % seed_of(log))
    return found


def main():
    ap = argparse.ArgumentParser(description="Boot Folio with the fuzzer as init (make fuzz).")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--workers", type=int)
    ap.add_argument("--skip", default=",".join(KNOWN),
                    help="checks to skip, comma-separated (default: the ones Folio fails, KNOWN: '%(default)s')")
    a = ap.parse_args()
    skip = [s for s in a.skip.split(",") if s]
    init = init_cmd(a.seed, seconds=a.seconds, workers=a.workers, skip=skip)
    logs = os.path.join(qemu.BUILD, "fuzz-logs")
    os.makedirs(logs, exist_ok=True)
    log = os.path.join(logs, "fuzz-%s-%s.log" % (a.seed if a.seed is not None else "random",
                                                  time.strftime("%Y%m%d-%H%M%S")))
    argv = qemu.qemu_argv(direct=True, init=init, console_log=log)
    timeout = a.seconds + 120          # boot, the workers' stop, the sweep, the memory check
    qemu_proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
    try:
        rc = qemu_proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        qemu_proc.kill()
        rc = qemu_proc.wait()
        print("\nmake fuzz: QEMU killed after %d s" % timeout)
    with open(log, encoding="utf-8", errors="replace") as f:
        text = f.read().replace("\r", "")
    found = problems(text)
    print("make fuzz: %s seed=%s, %d s, log %s" % ("FAIL" if found else "PASS", seed_of(text), a.seconds,
                                                  os.path.relpath(log, qemu.ROOT)))
    for p in found[1:]:
        print("make fuzz:   " + p)
    return 1 if found or rc < 0 else 0


if __name__ == "__main__":
    sys.exit(main())
