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
  (linux-ref, an external tool that boots Linux and runs a program: its
  boot_to_init), when that is
  available, and the ratio. FOLIO_BENCH_LINUX=0 skips it.
- The user benchmarks
  (user/bench: ns per getpid, per anonymous page fault, per fork+exit+wait, per
  pipe round trip), booted as `init=/init -- /bin/sh /bench/all.sh`, beside the
  same static binaries on Linux in the same boot as its boot_to_init, and the
  ratios (target: at or below 1).
- The fuzzer's calls per second (user/fuzz, booted as init with seed 1, 4
  workers, 8000 calls, the checks Folio fails skipped as in make test),
  counted from the first worker's start to the last one's end.
- The cost of charging (user/bench/memcg.sh): the fault benchmark in the root
  cgroup and in a child memory cgroup, alternately, medians of 7 runs each, and
  the ratio (target: at or below 1.10), beside Linux 6.1's same ratio from the
  same script on linux-ref.
- The OOM killer: the global_oom user benchmark (a hog takes all of a 512M
  VM: from its first allocation, and from its last MiB, to its death) on
  Folio and on Linux 6.1 (the same binary, in linux-ref), medians of 3, and
  the ratios (target: at or below 0.5); the reaper's latency, from the kill to
  `oom_reaper: reaped` for victims that cannot run (oomtest reap: the kernel
  log's own timestamps; median and max); and the OOM flood's rounds per
  second (oomtest flood, as in the tests). FOLIO_BENCH_OOM=0 skips them.
- The memory cgroup's OOM (user/bench/memcg_oom.c, linux-ref's bench/memcg_oom.c
  in Folio's words): from a process's first allocation in a group of 16 MiB to
  its death at the group's OOM, median of 5 runs; and a user-space OOM
  handler's round trip (user/bench/memcg_oomd.c, cgroup v1: eventfd wake-up,
  limit raised, the task running again). Folio and Linux 6.1, the same
  binaries (target for the OOM: at most half of Linux's). FOLIO_BENCH_OOM=0
  skips these too.
- The cost of the sanitizer build (make SANITIZE=1: UBSAN and KASAN,
  docs/sanitizers.md): the same user benchmarks on that kernel, and each as a
  ratio to the normal kernel's figure. FOLIO_BENCH_SANITIZE=0 skips it.

Everything else measures the normal kernel (build/), whatever SANITIZE says.

linux-ref is found through FOLIO_LINUX_REF (its directory; by default
../shared/linux-ref beside the repository) and always run under
`flock /tmp/linux-ref.lock`: it is shared, and not safe to run twice at once.
Without it (FOLIO_BENCH_LINUX=0, or no such directory) the Linux figures are
skipped with a line that says so.

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
import fuzz  # noqa: E402  (how the fuzzer is booted)

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
WITH_OOM = os.environ.get("FOLIO_BENCH_OOM") != "0"


def linux_ref(what):
    """linux-ref's run.sh, or None after a line saying that `what` has no Linux figures and why."""
    if os.environ.get("FOLIO_BENCH_LINUX") == "0":
        print("# %s: no Linux figures (FOLIO_BENCH_LINUX=0)" % what)
        return None
    where = os.environ.get("FOLIO_LINUX_REF") or os.path.join(ROOT, "..", "shared", "linux-ref")
    ref = os.path.join(where, "run.sh")
    if not os.path.exists(ref):
        print("# %s: no Linux figures: no linux-ref at %s (FOLIO_LINUX_REF names the directory of the "
              "tool that boots Debian's Linux 6.1)" % (what, os.path.abspath(where)))
        return None
    return ref


def linux_ref_run(ref, args, timeout):
    """run.sh --tcg ARGS, holding linux-ref's lock: its stdout, or None if it timed out."""
    try:
        return subprocess.run(["flock", "/tmp/linux-ref.lock", ref, "--tcg"] + args, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        print("# linux-ref timed out (%d s): %s" % (timeout, " ".join(args)))
        return None


def folio_console(argv, timeout):
    """Folio's console output from booting argv, as far as it got in timeout seconds."""
    try:
        return subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout).stdout
    except subprocess.TimeoutExpired as e:
        return e.stdout or b""


def bench_lines(text):
    """{name: (value, unit)} from `BENCH name=N value=V unit=U ...` lines."""
    return {n.decode(): (float(v), u.decode())
            for n, v, u in re.findall(rb"BENCH name=(\S+) value=([\d.]+) unit=(\S+)", text)}


def folio_user_benches():
    """The user benchmarks on Folio, 512M like linux-ref: {name: (value, unit)}."""
    argv = qemu.qemu_argv(direct=True, mem="512M", init="/init /bin/sh /bench/all.sh")
    text = folio_console(argv, 600)
    found = bench_lines(text)
    if not found:
        print("# Folio printed no BENCH lines:\n# " + text.decode(errors="replace")[-1500:].replace("\n", "\n# "))
    return found


FUZZ_RATE = re.compile(rb"^fuzz: (\d+) calls in ([\d.]+) s: (\d+) calls/s", re.M)


def fuzz_rate():
    """(calls per second, calls, seconds) of the fuzzer on Folio, or None."""
    text = folio_console(qemu.qemu_argv(direct=True, init=fuzz.init_cmd(seed=1, calls=8000)), 600)
    m = FUZZ_RATE.search(text)
    if not m:
        print("# the fuzzer printed no rate:\n# " + text.decode(errors="replace")[-1500:]
              .replace("\n", "\n# "))
        return None
    return int(m.group(3)), int(m.group(1)), float(m.group(2))


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
    ref = linux_ref("fault_memcg_vs_root")
    if not ref:
        return
    bench = os.path.join(qemu.BUILD, "user", "bench", "fault")
    script = os.path.join(ROOT, "user", "bench", "memcg.sh")
    text = linux_ref_run(ref, ["--add", bench, "--add", script, "--run", "sh ./memcg.sh ./fault 7"], 900)
    if text is not None:
        report_memcg_ratio("linux", fault_medians(text), "Debian Linux 6.1")


def report_memcg_ratio(prefix, found, who):
    if "fault_root" not in found or "fault_memcg" not in found:
        print("# %s: no fault_root/fault_memcg figures from memcg.sh" % who)
        return
    out(prefix + "_fault_root", found["fault_root"], "ns", who + ", the fault benchmark in the root cgroup")
    out(prefix + "_fault_memcg", found["fault_memcg"], "ns", who + ", the same in a child memory cgroup")
    out(prefix + "_fault_memcg_vs_root", f"{found['fault_memcg'] / found['fault_root']:.3f}", "ratio",
        "the cost of charging" + (": target at or below 1.10" if prefix == "user" else ""))


# ---- the OOM killer (docs/oom.md, "Figures")

GLOBAL_OOM_RUNS = 3
GLOBAL_OOM_LINE = rb"BENCH name=global_oom value=([\d.]+) unit=us sig=9 last_mib=(\d+) last_to_dead_us=([\d.]+)"


def global_oom_medians(text):
    """(ms from the first allocation to death, ms from the last MiB to death, MiB): the medians
    of global_oom's lines in text, or None."""
    runs = re.findall(GLOBAL_OOM_LINE, text or b"")
    if not runs:
        return None
    return (statistics.median(float(total) for total, _, _ in runs) / 1000,
            statistics.median(float(last) for _, _, last in runs) / 1000,
            statistics.median(int(mib) for _, mib, _ in runs))


def folio_global_oom(cmdline=""):
    """global_oom's medians on Folio: GLOBAL_OOM_RUNS runs in one 512M boot."""
    argv = qemu.qemu_argv(cmdline, direct=True, mem="512M",
                          init="/init /bin/sh /bench/all.sh" + " global_oom" * GLOBAL_OOM_RUNS)
    return global_oom_medians(folio_console(argv, 300))


def linux_global_oom():
    """global_oom's medians on Linux in linux-ref: the same binary, the console as quiet as Folio's
    all.sh keeps it and THP off, as linux-ref runs its own benchmarks; None if not measured."""
    ref = linux_ref("global_oom")
    if not ref:
        return None
    binary = os.path.join(qemu.BUILD, "user", "bench", "global_oom")
    run = ("echo 1 > /proc/sys/kernel/printk; echo never > /sys/kernel/mm/transparent_hugepage/enabled; "
           + "; ".join(["./global_oom"] * GLOBAL_OOM_RUNS))
    found = global_oom_medians(linux_ref_run(ref, ["--add", binary, "--run", run], 900))
    if not found:
        print("# global_oom: Linux printed no global_oom line")
    return found


def global_oom_bench():
    """user/bench/global_oom on Folio and on Linux, and the ratios: Folio as it boots (freed pages
    poisoned, a debug check that is on by default) and Folio with page_poison=0, like for like
    with Debian's Linux, which does not poison freed pages; the victim's exit pays for the poison."""
    folio = folio_global_oom()
    if not folio:
        print("# global_oom: Folio printed no global_oom line")
        return
    out("user_global_oom", f"{folio[0]:.1f}", "ms", "Folio, user/bench/global_oom in 512M: first allocation -> "
        "victim dead (%d MiB), median of %d" % (folio[2], GLOBAL_OOM_RUNS))
    out("user_global_oom_last_mib", f"{folio[1]:.1f}", "ms", "Folio, the same: last MiB allocated -> victim dead")
    nopoison = folio_global_oom("page_poison=0")
    if nopoison:
        out("user_global_oom_nopoison", f"{nopoison[0]:.1f}", "ms", "Folio with page_poison=0 (freed pages not "
            "poisoned): first allocation -> victim dead")
        out("user_global_oom_last_mib_nopoison", f"{nopoison[1]:.1f}", "ms", "Folio with page_poison=0: "
            "last MiB -> victim dead")
    linux = linux_global_oom()
    if not linux:
        return
    out("linux_global_oom", f"{linux[0]:.1f}", "ms", "Debian Linux 6.1, same binary, 512M: first allocation -> "
        "victim dead (%d MiB), median of %d" % (linux[2], GLOBAL_OOM_RUNS))
    out("linux_global_oom_last_mib", f"{linux[1]:.1f}", "ms", "Debian Linux 6.1: last MiB allocated -> victim dead")
    out("user_global_oom_vs_linux", f"{folio[0] / linux[0]:.3f}", "ratio", "Folio as booted (poisoning)")
    out("user_global_oom_last_mib_vs_linux", f"{folio[1] / linux[1]:.3f}", "ratio", "Folio as booted (poisoning)")
    if nopoison:
        out("user_global_oom_nopoison_vs_linux", f"{nopoison[0] / linux[0]:.3f}", "ratio",
            "like for like (neither poisons freed pages); target: at or below 0.5")
        out("user_global_oom_last_mib_nopoison_vs_linux", f"{nopoison[1] / linux[1]:.3f}", "ratio",
            "like for like; target: at or below 0.5")


REAP_ROUNDS = 20


def reaper_latencies(text):
    """ms from each victim's "Killed process N (victim)" to its "oom_reaper: reaped process N",
    by the kernel log's timestamps."""
    killed = {pid: float(t) for t, pid in re.findall(rb"^\[ *([\d.]+)\] Out of memory: Killed process (\d+) \(victim\)",
                                                     text, re.M)}
    return [(float(t) - killed[pid]) * 1000
            for t, pid in re.findall(rb"^\[ *([\d.]+)\] oom_reaper: reaped process (\d+) \(victim\)", text, re.M)
            if pid in killed]


def oom_reaper_bench():
    """oomtest reap: victims that cannot run (held before exit_mm()), the kill -> reaped times."""
    argv = qemu.qemu_argv("mem=64M", direct=True, mem="64M", init="/bin/oomtest reap %d" % REAP_ROUNDS)
    ms = reaper_latencies(folio_console(argv, 600))
    if not ms:
        print("# oom_reaper: no victim was killed and reaped")
        return
    note = "Folio, the kill -> oom_reaper: reaped, victims that cannot run (oomtest reap), %d of %d" % (len(ms), REAP_ROUNDS)
    out("oom_reaper_latency_median", f"{statistics.median(ms):.1f}", "ms", note + "; target: below 100")
    out("oom_reaper_latency_max", f"{max(ms):.1f}", "ms", "the slowest of them (Linux 6.1 waits 2 s by design)")


FLOOD_ROUNDS = 200
FLOOD_LINE = rb"oomtest: flood: (\d+) rounds, (\d+) kills in ([\d.]+) s \(([\d.]+) rounds/s\): .* set in (\d+), .* in (\d+)"


def oom_flood_bench():
    """oomtest flood, the tests' scenario: OOM rounds a second, the victim's exit delayed after ->mm is cleared."""
    argv = qemu.qemu_argv("mem=64M", direct=True, mem="64M", init="/bin/oomtest flood %d" % FLOOD_ROUNDS)
    m = re.search(FLOOD_LINE, folio_console(argv, 900))
    if not m:
        print("# oom_flood: oomtest printed no flood line")
        return
    rounds, kills, secs, rate, before, after = m.groups()
    out("oom_flood", rate.decode(), "rounds/s",
        "Folio, oomtest flood: %s rounds, %s kills in %s s; the reaper came with ->mm set in %s, after in %s"
        % (rounds.decode(), kills.decode(), secs.decode(), before.decode(), after.decode()))


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
    folio = memcg_oom_medians(folio_console(argv, 600))
    linux = {}
    ref = linux_ref("memcg_oom")
    if ref:
        adds = []
        for name in ("memcg_oom", "memcg_oomd"):
            adds += ["--add", os.path.join(qemu.BUILD, "user", "bench", name)]
        run = "; ".join("./" + b for b in MEMCG_OOM_RUN.split())
        linux = memcg_oom_medians(linux_ref_run(ref, adds + ["--run", run], 900) or b"")
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
    ref = linux_ref("boot_to_init and the user benchmarks")
    if not ref:
        return None
    text = linux_ref_run(ref, ["--bench", ",".join(USER_BENCHES) if WITH_USER else "getpid"], 600)
    return bench_lines(text) if text is not None else None


def linux_boot_ms(found):
    return int(found["boot_to_init"][0]) if found and "boot_to_init" in found else None


def main():
    qemu.select_build(False)
    subprocess.run(["make", "-s", "-C", ROOT, "kernel", "initramfs"], check=True,
                   env=dict(os.environ, SANITIZE="0"))
    kernel_benches()
    iso = statistics.median(boot_ms(direct=False) for _ in range(BOOTS))
    direct = statistics.median(boot_ms(direct=True) for _ in range(BOOTS))
    out("boot_iso", round(iso), "ms", f"QEMU start -> final boot line, GRUB ISO, median of {BOOTS}")
    out("boot_direct", round(direct), "ms", f"same, QEMU -kernel, median of {BOOTS}")
    folio_user = folio_user_benches() if WITH_USER else {}
    for name in USER_BENCHES:
        if name in folio_user:
            out("user_" + name, folio_user[name][0], folio_user[name][1], "Folio, user/bench/" + name)
    rate = fuzz_rate() if WITH_USER else None
    if rate:
        out("fuzz_calls", rate[0], "calls/s", "user/fuzz, seed 1, 4 workers: %d calls in %.1f s" % rate[1:])
    if WITH_USER:
        memcg_fault_benches()
    if WITH_USER and WITH_OOM:
        global_oom_bench()
        oom_reaper_bench()
        oom_flood_bench()
        memcg_oom_benches()
    if WITH_USER and WITH_SANITIZE:
        sanitizer_user_benches(folio_user)
    found = linux_run()
    linux = linux_boot_ms(found)
    if linux is None:
        print("# linux-ref boot_to_init not measured: no Linux columns for the boot and user benchmarks")
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
