#!/usr/bin/env python3
"""make bench: Folio's figures, printed as `name value unit` lines.

- In-kernel microbenchmarks (kernel/bench.c, booted with bench=all), medians
  of 2001 samples each: cycles per alloc_pages(0)+__free_pages pair, per
  order-3 pair, per kmalloc(64)+kfree pair, per uncontended spin_lock+unlock
  and down_read+up_read pair, and per context switch (a ping-pong between two
  kthreads through completions: half a round trip).
- Boot time, host-measured: from starting QEMU to the kernel's final boot
  line, through the GRUB ISO and through the direct -kernel path (median of
  several boots).
- The same boot time for Debian's Linux 6.1 in the same QEMU/TCG setup
  (linux-ref, an external tool beside this repository at ../shared/linux-ref
  that boots Linux and runs a program: its boot_to_init), when that is
  available, and the ratio. FOLIO_BENCH_LINUX=0 skips it.
- The user benchmarks
  (user/bench: ns per getpid, per anonymous page fault, per fork+exit+wait, per
  pipe round trip), booted as `init=/init -- /bin/sh /bench/all.sh`, beside the
  same static binaries on Linux in the same boot as its boot_to_init, and the
  ratios (target: at or below 1).
- The cost of charging (user/bench/memcg.sh): the fault benchmark in the root
  cgroup and in a child memory cgroup, alternately, medians of 7 runs each, and
  the ratio (target: at or below 1.10), beside Linux 6.1's same ratio from the
  same script on linux-ref.
- The memory cgroup's OOM (user/bench/memcg_oom.c, linux-ref's bench/memcg_oom.c
  in Folio's words): from a process's first allocation in a group of 16 MiB to
  its death at the group's OOM, median of 5 runs; and a user-space OOM
  handler's round trip (user/bench/memcg_oomd.c, cgroup v1: eventfd wake-up,
  limit raised, the task running again). Folio and Linux 6.1, the same
  binaries (target for the OOM: at most half of Linux's).
- The cost of the sanitizer build (make SANITIZE=1: UBSAN and KASAN,
  docs/sanitizers.md): the same user benchmarks on that kernel, and each as a
  ratio to the normal kernel's figure. FOLIO_BENCH_SANITIZE=0 skips it.

Everything else measures the normal kernel (build/), whatever SANITIZE says.

Figures only: nothing here passes or fails on speed.
"""
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402  (the one place that builds QEMU command lines)

ROOT = qemu.ROOT
FINAL = b"Folio: boot complete"
BOOTS = 5


def boot_ms(direct):
    """Milliseconds from QEMU's start to the final boot line."""
    argv = qemu.qemu_argv(direct=direct)      # (the ISO is built before the clock starts)
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL)
    try:
        for line in p.stdout:
            if FINAL in line:
                return (time.monotonic() - t0) * 1000
        raise RuntimeError("QEMU exited before the final boot line")
    finally:
        p.kill()
        p.wait()


def out(name, value, unit, note=""):
    print(f"{name} {value} {unit}" + (f"  # {note}" if note else ""), flush=True)


def kernel_benches():
    r = subprocess.run(qemu.qemu_argv(cmdline="bench=all", direct=True), capture_output=True,
                       stdin=subprocess.DEVNULL, timeout=120)
    found = re.findall(rb"BENCH name=(\S+) value=(\d+) unit=(\S+) ns=(\d+)", r.stdout)
    if not found:
        sys.exit("bench: the kernel printed no BENCH lines:\n" + r.stdout.decode(errors="replace")[-2000:])
    for name, value, unit, ns in found:
        out(name.decode(), int(value), unit.decode(), f"{int(ns)} ns")


USER_BENCHES = ("getpid", "fault", "fork", "pipe")
WITH_USER = os.environ.get("FOLIO_USER") != "0"	# FOLIO_USER=0 skips the user benchmarks
WITH_SANITIZE = os.environ.get("FOLIO_BENCH_SANITIZE") != "0"


def bench_lines(text):
    """{name: (value, unit)} from `BENCH name=N value=V unit=U ...` lines."""
    return {n.decode(): (float(v), u.decode())
            for n, v, u in re.findall(rb"BENCH name=(\S+) value=([\d.]+) unit=(\S+)", text)}


def folio_user_benches():
    """The user benchmarks on Folio, 512M like linux-ref: {name: (value, unit)}."""
    argv = qemu.qemu_argv(direct=True, mem="512M", init="/init /bin/sh /bench/all.sh")
    try:
        r = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=600)
    except subprocess.TimeoutExpired as e:
        r = e
    found = bench_lines(r.stdout or b"")
    if not found:
        print("# Folio printed no BENCH lines:\n# " + (r.stdout or b"").decode(errors="replace")[-1500:]
              .replace("\n", "\n# "))
    return found


def sanitizer_user_benches(normal):
    """The user benchmarks on the sanitizer kernel (build-san/), and their ratios to
    the normal kernel's: what KASAN's checks and UBSAN's cost."""
    subprocess.run(["make", "-s", "-C", ROOT, "kernel", "initramfs"], check=True,
                   env=dict(os.environ, SANITIZE="1"))
    qemu.select_build(True)
    try:
        found = folio_user_benches()
    finally:
        qemu.select_build(False)
    for name in USER_BENCHES:
        if name not in found:
            continue
        out("user_%s_sanitize" % name, found[name][0], found[name][1],
            "Folio built with SANITIZE=1 (KASAN, UBSAN), user/bench/" + name)
        if name in normal and normal[name][0]:
            out("user_%s_sanitize_vs_normal" % name, f"{found[name][0] / normal[name][0]:.3f}", "ratio",
                "the sanitizer build's cost")


def fault_medians(text):
    """{fault_root: ns, fault_memcg: ns}: the median of each name's BENCH lines."""
    found = {}
    for name in ("fault_root", "fault_memcg"):
        values = [float(v) for v in re.findall(rb"BENCH name=%s value=([\d.]+) unit=ns" % name.encode(), text)]
        if values:
            found[name] = statistics.median(values)
    return found


def memcg_fault_benches():
    """user/bench/memcg.sh on Folio, then on Linux in linux-ref: the charging cost as a ratio for each."""
    argv = qemu.qemu_argv(direct=True, mem="512M", init="/init /bin/sh /bench/memcg.sh /bench/fault 7")
    try:
        r = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=900)
        folio = fault_medians(r.stdout)
    except subprocess.TimeoutExpired:
        folio = {}
    report_memcg_ratio("user", folio, "Folio")
    ref = os.path.join(ROOT, "..", "shared", "linux-ref", "run.sh")
    if os.environ.get("FOLIO_BENCH_LINUX") == "0" or not os.path.exists(ref):
        return
    bench = os.path.join(qemu.BUILD, "user", "bench", "fault")
    script = os.path.join(ROOT, "user", "bench", "memcg.sh")
    try:
        r = subprocess.run(["flock", "/tmp/linux-ref.lock", ref, "--tcg", "--add", bench, "--add", script,
                            "--run", "sh ./memcg.sh ./fault 7"], capture_output=True, timeout=900)
        report_memcg_ratio("linux", fault_medians(r.stdout), "Debian Linux 6.1")
    except subprocess.TimeoutExpired:
        print("# linux-ref timed out running memcg.sh")


def report_memcg_ratio(prefix, found, who):
    if "fault_root" not in found or "fault_memcg" not in found:
        print("# %s: no fault_root/fault_memcg figures from memcg.sh" % who)
        return
    out(prefix + "_fault_root", found["fault_root"], "ns", who + ", the fault benchmark in the root cgroup")
    out(prefix + "_fault_memcg", found["fault_memcg"], "ns", who + ", the same in a child memory cgroup")
    out(prefix + "_fault_memcg_vs_root", f"{found['fault_memcg'] / found['fault_root']:.3f}", "ratio",
        "the cost of charging" + (": target at or below 1.10" if prefix == "user" else ""))


MEMCG_OOM_RUN = "memcg_oom " * 5 + "memcg_oomd"


def memcg_oom_medians(text):
    """{memcg_oom: us, memcg_oomd: us}: the median of each one's BENCH lines."""
    found = {}
    for name in ("memcg_oom", "memcg_oomd"):
        values = [float(v) for v in re.findall(rb"BENCH name=%s value=([\d.]+) unit=us" % name.encode(), text)]
        if values:
            found[name] = statistics.median(values)
    return found


def memcg_oom_benches():
    """The memcg OOM and the handler's round trip on Folio, then on Linux in linux-ref."""
    argv = qemu.qemu_argv(direct=True, mem="512M", init="/init /bin/sh /bench/all.sh " + MEMCG_OOM_RUN)
    try:
        folio = memcg_oom_medians(subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL,
                                                 timeout=600).stdout)
    except subprocess.TimeoutExpired:
        folio = {}
    linux = {}
    ref = os.path.join(ROOT, "..", "shared", "linux-ref", "run.sh")
    if os.environ.get("FOLIO_BENCH_LINUX") != "0" and os.path.exists(ref):
        adds = []
        for name in ("memcg_oom", "memcg_oomd"):
            adds += ["--add", os.path.join(qemu.BUILD, "user", "bench", name)]
        run = "; ".join("./" + b for b in MEMCG_OOM_RUN.split())
        try:
            linux = memcg_oom_medians(subprocess.run(["flock", "/tmp/linux-ref.lock", ref, "--tcg"] + adds +
                                                     ["--run", run], capture_output=True, timeout=900).stdout)
        except subprocess.TimeoutExpired:
            print("# linux-ref timed out running memcg_oom")
    what = {"memcg_oom": "start of allocation -> the victim's death, group of 16 MiB, median of 5",
            "memcg_oomd": "a v1 handler's eventfd wake -> limit raised -> task resumes, median of 5"}
    for name in ("memcg_oom", "memcg_oomd"):
        if name in folio:
            out("user_" + name, round(folio[name]), "us", "Folio, " + what[name])
        if name in linux:
            out("linux_" + name, round(linux[name]), "us", "Debian Linux 6.1, same binary")
        if name in folio and name in linux and linux[name]:
            out("user_%s_vs_linux" % name, f"{folio[name] / linux[name]:.3f}", "ratio",
                "target: at most 0.5" if name == "memcg_oom" else "")


def linux_run():
    """Debian Linux in linux-ref: {name: (value, unit)} with boot_to_init, or None."""
    ref = os.path.join(ROOT, "..", "shared", "linux-ref", "run.sh")
    if os.environ.get("FOLIO_BENCH_LINUX") == "0" or not os.path.exists(ref):
        return None
    benches = ",".join(USER_BENCHES) if WITH_USER else "getpid"
    try:
        r = subprocess.run([ref, "--tcg", "--bench", benches], capture_output=True, timeout=600)
    except subprocess.TimeoutExpired:
        return None
    return bench_lines(r.stdout)


def linux_boot_ms(found):
    return int(found["boot_to_init"][0]) if found and "boot_to_init" in found else None


def main():
    qemu.select_build(False)
    subprocess.run(["make", "-s", "-C", ROOT, "kernel"], check=True, env=dict(os.environ, SANITIZE="0"))
    kernel_benches()
    iso = statistics.median(boot_ms(direct=False) for _ in range(BOOTS))
    direct = statistics.median(boot_ms(direct=True) for _ in range(BOOTS))
    out("boot_iso", round(iso), "ms", f"QEMU start -> final boot line, GRUB ISO, median of {BOOTS}")
    out("boot_direct", round(direct), "ms", f"same, QEMU -kernel, median of {BOOTS}")
    folio_user = folio_user_benches() if WITH_USER else {}
    for name in USER_BENCHES:
        if name in folio_user:
            out("user_" + name, folio_user[name][0], folio_user[name][1], "Folio, user/bench/" + name)
    if WITH_USER:
        memcg_fault_benches()
        memcg_oom_benches()
    if WITH_USER and WITH_SANITIZE:
        sanitizer_user_benches(folio_user)
    found = linux_run()
    linux = linux_boot_ms(found)
    if linux is None:
        print("# linux-ref boot_to_init not measured (FOLIO_BENCH_LINUX=0, or no ../shared/linux-ref: "
              "the external tool that boots Linux)")
        return
    out("linux_boot_to_init", linux, "ms", "Debian Linux 6.1, same QEMU/TCG, QEMU start -> /init")
    out("boot_iso_vs_linux", f"{iso / linux:.3f}", "ratio", "target: below 0.25")
    out("boot_direct_vs_linux", f"{direct / linux:.3f}", "ratio")
    for name in USER_BENCHES:
        if name in found:
            out("linux_" + name, found[name][0], found[name][1], "Debian Linux 6.1, same binary")
        if name in found and name in folio_user and found[name][0]:
            out("user_%s_vs_linux" % name, f"{folio_user[name][0] / found[name][0]:.3f}", "ratio",
                "target: at or below 1")


if __name__ == "__main__":
    main()
