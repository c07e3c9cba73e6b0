#!/usr/bin/env python3
"""Folio's host-side test runner (`make test`).

Each scenario boots a fresh QEMU VM (command line built by tests/qemu.py, like
./run.sh), talks to the serial console when it needs to (Magic SysRq), reads
the serial log and checks it. Output: one `PASS name` / `FAIL name: reason` /
`SKIP name: reason` line per test, then `N passed, N failed`. Every VM's log is
kept in build/test-logs/NAME.log. Up to two VMs run at once; each has a
60 s timeout. In-kernel tests (ktest=*) count one test per `ok`/`not ok` line,
and usertests one per `test NAME: OK|FAILED` line (named usertests:NAME).

The scenarios are the table SCENARIOS at the end: one Scenario each (a name, the
kernel command line, a check of the log, and optional settings). Those marked
needs_user=True boot user programs (/init, busybox, usertests); if the kernel
says it has no user space they fail at once instead of timing out. Those marked
ktests=False boot the kernel built without its in-kernel tests (make KTEST=0).

With SANITIZE=1 in the environment (`make test SANITIZE=1`) the same suite boots
the sanitizer kernel (build-san/, docs/sanitizers.md), and every scenario also
fails on a KASAN or UBSAN report it did not ask for; the lkdtm KASAN_* and
UBSAN_* scenarios check the reports. In the normal build those lkdtm types must
say that they need SANITIZE=1, and one scenario builds the sanitizer kernel so
that it cannot rot unnoticed.

    [SANITIZE=1] python3 tests/run.py [-k PATTERN] [-v]
"""
import argparse, concurrent.futures, dataclasses, fnmatch, itertools, os, re, selectors, shutil, socket
import subprocess, sys, threading, time
from typing import Callable, Optional, Union
import qemu
from labs import LABS as LAB_LIST

ROOT, BUILD = qemu.ROOT, qemu.BUILD
LOGS = os.path.join(BUILD, "test-logs")
TIMEOUT = 60 * (2 if qemu.SANITIZE else 1)    # seconds, per VM; KASAN's checks slow the kernel
JOBS = 2                           # TCG runs one host thread per VM; the machines have 2 cores

FINAL = r"Folio: boot complete in \d+\.\d+ ms"
PANIC = r"Kernel panic - not syncing:"
NOISE = r"^\[[ \d.]+\] \S+\[\d+\]: unimplemented system call"   # logged at debug level, not shown
SYM = r"^\[[ \d.]+\]  (\? )?[A-Za-z_.][\w.]*\+0x[0-9a-f]+/0x[0-9a-f]+$"   # a Call Trace line
SYSRQ = b"\x01b"                   # Ctrl-A b: the QEMU console sends a BREAK; the next key is the command
KILL = "kill"                      # step action: stop QEMU (for kernels that idle forever)


class After:
    """A step action: wait `delay` seconds, then send `data` (for keys that must
    arrive once a command is running, like ^C; never used to assert on speed)."""

    def __init__(self, delay, data):
        self.delay, self.data = delay, data


class VM:
    """One boot. steps: (what, regex, action) tuples done in order: wait until regex
    matches the log after the previous match, then send bytes or KILL. After the
    last step, wait for QEMU to exit. status: the kernel's power-off status, None
    if we killed QEMU. missed: what we were still waiting for at the timeout.
    seconds_at(text): when the console printed text, in seconds since the start
    (the grader's per-test times)."""

    def __init__(self, name, cmdline="", direct=True, mem="256M", cpu=None, steps=(),
                 timeout=TIMEOUT, gdb_port=None, init=None, adds=(), give_up=None,
                 kernel_dir=qemu.BUILD):
        argv = qemu.qemu_argv(cmdline, direct, mem, cpu=cpu, gdb_port=gdb_port, init=init,
                              adds=adds, kernel_dir=kernel_dir)
        self.name, self.steps, self.timeout = name, list(steps), timeout
        self.give_up = give_up or []   # [(regex, why)]: stop QEMU as soon as the log matches one
        self.status = self.missed = self.gave_up = None
        self.elf = os.path.join(kernel_dir, "folio.elf")
        self.started, self.arrivals, self.raw = time.monotonic(), [], b""
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)

    def run(self):
        p, out, pos = self.proc, bytearray(), 0
        deadline = time.monotonic() + self.timeout
        sel = selectors.DefaultSelector()
        sel.register(p.stdout, selectors.EVENT_READ)
        while True:
            while self.steps:          # do every step whose text has appeared
                text = out.decode("latin-1").replace("\r", "")
                m = re.compile(self.steps[0][1], re.M).search(text, pos)
                if not m:
                    break
                pos, action = m.end(), self.steps.pop(0)[2]
                if action == KILL:
                    p.kill()
                    break
                if action is None:         # only wait for the text
                    continue
                if isinstance(action, After):
                    time.sleep(action.delay)
                    action = action.data
                try:
                    p.stdin.write(action)
                    p.stdin.flush()
                except OSError:
                    pass               # QEMU already gone; the checks will say why
            for regex, why in self.give_up if not self.gave_up else ():
                if re.search(regex, out.decode("latin-1")):
                    self.gave_up = why
                    p.kill()
                    break
            left = deadline - time.monotonic()
            if left <= 0 and not self.missed:
                self.missed = self.steps[0][0] if self.steps else "QEMU to exit"
                p.kill()
            if sel.select(max(0, min(left, 0.5))):
                data = os.read(p.stdout.fileno(), 65536)
                if not data:
                    break
                out += data
                self.arrivals.append((len(out), time.monotonic() - self.started))
        rc = p.wait()
        self.raw = bytes(out)
        p.stdin.close()
        self.log = out.decode("utf-8", "replace").replace("\r\n", "\n")
        # -9: we killed it. Otherwise N from "init exited with status N" (0..255) when
        # QEMU's code (which carries N & 0x7f) agrees, as run.sh does.
        self.status = None if rc == -9 else qemu.power_off_status(rc, self.log.replace("\r", ""))
        save_log(self.name, self.log)
        return self


    def seconds_at(self, text, start=0):
        """When the console had printed the first text (bytes) at or after byte start: (seconds, its end)."""
        at = self.raw.find(text, start)
        if at < 0:
            return None, start
        end = at + len(text)
        return next((t for n, t in self.arrivals if n >= end), self.arrivals[-1][1]), end


def save_log(name, text):
    with open(os.path.join(LOGS, name.replace("/", "_") + ".log"), "w") as f:
        f.write(text)


class Check:
    """Collects failures for one test; c.sub() adds extra tests (ktest lines)."""

    def __init__(self, vm):
        self.vm, self.log, self.errors, self.subtests = vm, vm.log, [], []
        self.note = ""                        # said after the test's name, e.g. a random seed
        if vm.missed:
            self.fail("timed out after %d s waiting for %s" % (vm.timeout, vm.missed))
        if vm.gave_up:
            self.fail(vm.gave_up)

    def fail(self, msg):
        self.errors.append(msg)

    def has(self, pattern, what=None, start=0):
        m = re.compile(pattern, re.M).search(self.log, start)
        if not m:
            self.fail("no %s in the log" % (what or repr(pattern)))
        return m

    def has_all(self, expected):
        """has() for each (pattern, what) pair."""
        for pattern, what in expected:
            self.has(pattern, what)

    def lacks(self, pattern, what=None):
        m = re.search("^.*(?:%s).*$" % pattern, self.log, re.M)
        if m:
            self.fail("unexpected %s: %r" % (what or "line", m.group(0)))

    def status(self, want):
        if self.vm.status != want:
            got = "none (QEMU killed)" if self.vm.status is None else self.vm.status
            self.fail("kernel exit status %s, expected %d" % (got, want))

    def sub(self, name, ok, reason=""):
        self.subtests.append((name, ok, reason))


# ---- check helpers -----------------------------------------------------------

def booted(c):
    c.has(FINAL, "final boot line")
    c.lacks(PANIC, "panic")


BOOT_LINES = [
    (r"Folio version \S+", "banner"),
    (r"Memory: \d+K/\d+K available \(\d+K kernel code, \d+K rwdata, \d+K rodata, \d+K bss\)",
     "Memory: summary"),
    (r"^\[[ \d.]+\] Normal: (\d+\*\d+kB )+= \d+kB$", "buddy free-area line"),
    (r"tsc: Detected \d+\.\d+ MHz", "TSC calibration"),
    (r"APIC: timer calibrated", "APIC timer calibration"),
]


def boot_report(c, loader):
    c.has(r"^\[[ \d.]+\] Booted by %s" % loader, "'Booted by %s'" % loader.replace("\\", ""))
    c.has_all(BOOT_LINES)
    booted(c)
    # SysRq: the replies come after the boot line (the steps waited for each one).
    m = c.has(FINAL, "final boot line")
    if m:
        m = c.has(r"sysrq: HELP : reboot\(b\) crash\(c\) memory-full-oom-kill\(f\) show-memory-usage\(m\) "
                  r"poweroff\(o\) show-task-states\(t\)", "SysRq help after 'h'", m.end())
    if m:
        m = c.has(r"sysrq: Show Memory\n.*Normal free:\d+kB min:\d+kB.*\n.*Normal: .* = \d+kB",
                  "SysRq memory report after 'm'", m.end())
    if m:
        m = c.has(r"sysrq: Show State\n", "SysRq task dump after 't'", m.end())
    if m:
        # Every task, with its state; whichever task the dump interrupted (idle, init or
        # khungtaskd) shows a trace through the serial interrupt. (Sleeping tasks' traces are
        # checked by the hung-task ktests, where the timing is known.)
        dump = m.end()
        c.has(r"task:swapper/0 +state:R .*pid:0 ", "the idle task in the dump", dump)
        c.has(r"task:init +state:\w .*pid:1 ", "init in the dump", dump)
        c.has(r"task:khungtaskd +state:[RI] .*pid:\d+ +ppid:1 ", "khungtaskd in the dump", dump)
        c.has(r"task:\S+ +state:\w .*\n(?:.*\n)*?.*Call Trace:\n(?:.*\n)*?.* serial_interrupt\+",
              "the interrupted task's trace through the serial interrupt", dump)
        c.has(r"sysrq: Power Off\n.*reboot: Power down", "power-off after SysRq 'o'", dump)
    c.status(0)


def call_trace(c):
    m = c.has(r"Call Trace:\n.*<TASK>", "Call Trace")
    if m:
        c.has(SYM, "symbol line in the Call Trace", m.end())


def lines(*texts, then=booted):
    """A check: every literal text is in the log, then `then` (by default: boot completed)."""
    def check(c):
        for text in texts:
            c.has(re.escape(text), repr(text))
        then(c)
    return check


def oops(*texts, rip=None):
    """A fatal report: its lines, RIP in the right function, a symbolised Call Trace, status 127."""
    def fatal(c):
        if rip:
            c.has(r"RIP: 0010:%s\+0x[0-9a-f]+/0x[0-9a-f]+" % rip, "'RIP: 0010:%s+...'" % rip)
        call_trace(c)
        c.has(PANIC, "'Kernel panic - not syncing:'")
        c.has("reboot: Power down", "'reboot: Power down'")
        c.status(127)
    return lines(*texts, then=fatal)


def ktest(c):
    results = re.findall(r"^\[[ \d.]+\] (ok|not ok) (\d+) ([^\s:]+)(?:: (.*))?$", c.log, re.M)
    for i, (ok, n, name, reason) in enumerate(results):
        c.sub("ktest:" + name, ok == "ok", reason)
        if int(n) != i + 1:
            c.fail("test %s is numbered %s, expected %d" % (name, n, i + 1))
    failed = sum(ok != "ok" for ok, *_ in results)
    c.lacks(PANIC, "panic during the tests")
    c.lacks("ktest: no test matches", "line")
    m = c.has(r"^\[[ \d.]+\] ktest: (\d+) passed, (\d+) failed$", "ktest summary line")
    if m and (int(m.group(1)), int(m.group(2))) != (len(results) - failed, failed):
        c.fail("summary says %s passed, %s failed but the log has %d ok, %d not ok lines"
               % (m.group(1), m.group(2), len(results) - failed, failed))
    c.status(1 if failed else 0)


def well_formed_ktest(c):
    """ktests booted with parameters the kernel must take as they are."""
    c.lacks("Malformed kernel parameter", "line")
    ktest(c)


def mem_limit(c):
    c.lacks("ktest: no test matches", "line")
    c.has(r"^\[[ \d.]+\] ok \d+ mem_limit", "'ok N mem_limit...' line")
    c.has(r"ktest: [1-9]\d* passed, 0 failed", "'ktest: N passed, 0 failed'")
    c.status(0)


def memory_total(low, high):
    """A check: the Memory: summary's total (KiB) is in [low, high], boot completed."""
    def check(c):
        m = c.has(r"Memory: \d+K/(\d+)K available", "Memory: summary")
        if m and not low <= int(m.group(1)) <= high:
            c.fail("Memory: total %sK, expected %d..%dK" % (m.group(1), low, high))
        booted(c)
    return check


def quiet(c):
    c.lacks(r"Memory: \d+K", "console line under quiet")
    booted(c)                           # the final boot line is the one quiet does not hide


# Linux's WARN: the place and function, the task, RIP and registers, a trace, and boot goes on.
WARNING_LINES = [
    (r"WARNING: CPU: 0 PID: 1 at kernel/lkdtm\.c:\d+ lkdtm_WARNING\+0x[0-9a-f]+/0x[0-9a-f]+",
     "'WARNING: CPU: 0 PID: 1 at kernel/lkdtm.c:N lkdtm_WARNING+..'"),
    (r"CPU: 0 PID: 1 Comm: init Tainted: ", "the task line, tainted W"),
    (r"RIP: 0010:lkdtm_WARNING\+", "RIP in lkdtm_WARNING"),
    (r"RAX: [0-9a-f]{16}", "registers"),
    (r"---\[ end trace 0000000000000000 \]---", "end of the trace"),
    (r"lkdtm: WARNING returned", "execution continued after the WARN"),
]


def warning(c):
    c.has_all(WARNING_LINES)
    call_trace(c)
    booted(c)


def slab_double(c):
    c.has(r"BUG kmalloc-64 \(.*\): Object already free", "'BUG kmalloc-64 (...): Object already free'")
    c.has(r"INFO: Freed again by \S+\+0x", "'INFO: Freed again by' with a symbol")
    booted(c)


# ---- the sanitizers (SANITIZE=1, docs/sanitizers.md) ---------------------------

SANITIZER_REPORT = r"BUG: KASAN: |UBSAN: [a-z-]+ in "


def sanitizer_report(*texts):
    """lkdtm=KASAN_*/UBSAN_*: with SANITIZE=1 the report's lines (one report) and
    boot goes on; in the normal build the type says it needs SANITIZE=1."""
    def check(c):
        kind = c.vm.name[len("lkdtm-"):]
        if not qemu.SANITIZE:
            c.has(re.escape("lkdtm: %s needs a kernel built with SANITIZE=1" % kind),
                  "'lkdtm: %s needs a kernel built with SANITIZE=1'" % kind)
            c.lacks(SANITIZER_REPORT, "sanitizer report")
        else:
            for text in texts:
                c.has(text, repr(text))
            n = len(re.findall(SANITIZER_REPORT, c.log))
            if n != 1:
                c.fail("%d sanitizer reports, expected 1" % n)
            c.has(r"lkdtm: %s returned" % kind, "'lkdtm: %s returned' (reports do not stop the kernel)" % kind)
        booted(c)
    return check


KASAN_END = r"Memory state around the buggy address:\n(?:.*\n){2}.*>[0-9a-f]{16}:( [0-9a-f]{2}){16}\n.* +\^\n" \
            r"(?:.*\n){2}.*={66}\n"


def kasan_report(bug, func, access, *texts):
    """A KASAN report: the BUG line naming the function, the access and task, a call trace
    through func, the description lines, the shadow dump with its marker, the banner."""
    return sanitizer_report(r"={66}\n.*BUG: KASAN: %s in %s\+0x[0-9a-f]+/0x[0-9a-f]+\n" % (bug, func),
                            r"%s at addr [0-9a-f]{16} by task init/1\n" % access,
                            r"Call Trace:\n(?:.*\n)*?.* %s\+0x" % func, *texts, KASAN_END)


def ubsan_report(reason, detail):
    """A UBSAN report: banner, place, detail line, a call trace, banner."""
    return sanitizer_report(r"={80}\n.*UBSAN: %s in kernel/lkdtm_sanitizers\.c:\d+:\d+\n.*%s\n"
                            r".*CPU: 0 PID: 1 Comm: init .*\n.*Call Trace:\n(?:.*\n)*?.* </TASK>\n.*={80}\n"
                            % (reason, re.escape(detail)))


def unexpected_sanitizer_reports(name, log):
    """SANITIZE=1: the KASAN/UBSAN reports in a scenario's log that it did not ask for.
    The lkdtm sanitizer scenarios check their own; in ktest, reports inside a test
    are that test's business (the kernel fails a test on a report it did not
    expect), so only those before the first test or after the summary count."""
    if not qemu.SANITIZE or re.match(r"lkdtm-(KASAN|UBSAN)_", name):
        return []
    if name.startswith("ktest"):
        log = re.sub(r"ktest: running \d+ tests(?:.*\n)*?.*ktest: \d+ passed, \d+ failed", "", log)
    return re.findall(r"^.*(?:%s).*$" % SANITIZER_REPORT, log, re.M)


def build_other_kernel(name):
    """The other kernel of the two (with SANITIZE=1: the normal one; else the sanitizer
    one) must build too, so that neither rots while only the other is tested."""
    other = "0" if qemu.SANITIZE else "1"
    try:
        r = subprocess.run(["make", "-s", "-j%d" % JOBS, "kernel"], cwd=ROOT, capture_output=True,
                           text=True, env=dict(os.environ, SANITIZE=other), timeout=600)
        out, ok = r.stdout + r.stderr, r.returncode == 0
    except subprocess.TimeoutExpired:
        out, ok = "make did not finish in 600 s", False
    save_log(name, out)
    return [(name, ok, "" if ok else "make SANITIZE=%s kernel failed" % other)]


def usertests(c, prefix="usertests:"):
    """usertests as init: one test per `test NAME: OK|FAILED (reason)` line (named
    prefix + NAME), then its `N passed, N failed` line must agree, and init's status is 0."""
    results = re.findall(r"^test (\S+): (OK|FAILED)(?: \((.*)\))?$", c.log, re.M)
    for name, ok, reason in results:
        c.sub(prefix + name, ok == "OK", reason)
    if not results:
        c.fail("no 'test NAME: OK|FAILED' lines")
    failed = sum(ok != "OK" for _, ok, _ in results)
    m = c.has(r"^(\d+) passed, (\d+) failed$", "usertests' 'N passed, N failed' line")
    if m and (int(m.group(1)), int(m.group(2))) != (len(results) - failed, failed):
        c.fail("usertests says %s passed, %s failed but printed %d OK, %d FAILED lines"
               % (m.group(1), m.group(2), len(results) - failed, failed))
    c.has(r"Run /bin/usertests as init process", "'Run /bin/usertests as init process'")
    c.lacks(r"BUG: Bad rss-counter state|BUG: non-zero pgtables_bytes", "rss counter left on a freed mm")
    c.lacks(r"\b(?:BUG|WARNING): ", "a kernel BUG or WARNING report (no user test provokes one)")
    c.lacks(PANIC, "panic")
    c.has(r"init exited with status %d" % (1 if failed else 0), "init's exit status line")
    c.status(1 if failed else 0)


def init_status(n, *texts, then=None):
    """A check: init's lines, `init exited with status n`, and status n; then `then`."""
    def check(c):
        c.has(r"Run /\S+ as init process", "'Run ... as init process'")
        for text in texts:
            c.has(re.escape(text), repr(text))
        c.has(r"init exited with status %d\b" % n, "'init exited with status %d'" % n)
        c.lacks(PANIC, "panic")
        c.status(n)
        if then:
            then(c)
    return check


def no_tests(c):
    """ktest= on a kernel without tests: it says so and powers off with status 1."""
    c.lacks(PANIC, "panic")
    c.status(1)


# ---- the OOM killer (user/oomtest.c, docs/oom.md) -------------------------------

# The OOM scenarios' VMs: small, so that memory runs out quickly; the sanitizer kernel's KASAN
# shadow takes an eighth of memory and more, so it gets room for the same hogs.
OOM_MEM = "96M" if qemu.SANITIZE else "64M"
OOM_TIMEOUT = 5 * TIMEOUT          # the flood's 200 rounds, on a loaded machine

MEMORY_BUGS = r"BUG: Bad page state|BUG: Bad rss-counter state|BUG: non-zero pgtables_bytes|" \
              r"pagealloc: memory corruption|BUG kmalloc|BUG: KASAN|Object already free"


def oomtest(*names, then=None):
    """oomtest as init: one test per 'oomtest: NAME: OK|FAILED (why)' line (each of names
    must have one), no report of a leak, a double free or corrupted memory, no panic,
    init's status 0; then `then` on the log."""
    def check(c):
        results = re.findall(r"^oomtest: (\S+): (OK|FAILED)(?: \((.*)\))?$", c.log, re.M)
        for name, ok, reason in results:
            c.sub("oomtest:" + name, ok == "OK", reason)
        for name in names:
            if name not in [n for n, _, _ in results]:
                c.fail("no result for oomtest %s" % name)
        c.lacks(MEMORY_BUGS, "memory bug report")
        c.lacks(r"\b(?:BUG|WARNING): ", "a kernel BUG or WARNING report")
        c.lacks(PANIC, "panic")
        c.has(r"init exited with status 0\b", "'init exited with status 0'")
        c.status(0)
        if then:
            then(c)
    return check


# The OOM report, line for line in Linux 6.1's format (tests/linux-ref/global_oom.log is
# the real one): the first kill of oomtest's choice scenario, hog-big, by the trigger.
OOM_REPORT = [
    r"trigger invoked oom-killer: gfp_mask=0x140dca\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\|__GFP_ZERO\), "
    r"order=0, oom_score_adj=-1000",
    r"CPU: 0 PID: \d+ Comm: trigger Not tainted \S+ #1",
    r"Call Trace:", r" <TASK>", r" out_of_memory\+0x[0-9a-f]+/0x[0-9a-f]+", r" </TASK>",
    r"Mem-Info:", r"active_anon:\d+ inactive_anon:\d+ isolated_anon:0",
    r" active_file:0 inactive_file:0 isolated_file:0", r" unevictable:0 dirty:0 writeback:0",
    r" slab_reclaimable:0 slab_unreclaimable:\d+", r" mapped:\d+ shmem:\d+ pagetables:\d+",
    r" sec_pagetables:0 bounce:0", r" kernel_misc_reclaimable:0", r" free:\d+ free_pcp:0 free_cma:0",
    r"Node 0 active_anon:\d+kB inactive_anon:\d+kB .* all_unreclaimable\? yes",
    r"Node 0 Normal free:\d+kB boost:0kB min:\d+kB low:\d+kB high:\d+kB reserved_highatomic:0KB "
    r"active_anon:\d+kB .* present:\d+kB managed:\d+kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB "
    r"free_cma:0kB",
    r"lowmem_reserve\[\]: 0 0 0 0 0", r"Node 0 Normal: (\d+\*\d+kB (\(U\) )?){11}= \d+kB",
    r"\d+ total pagecache pages", r"0 pages in swap cache", r"Free swap  = 0kB", r"Total swap = 0kB",
    r"\d+ pages RAM", r"0 pages HighMem/MovableOnly", r"\d+ pages reserved",
    r"Tasks state \(memory values in pages\):",
    re.escape("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"),
    r"\[[ \d]{6}\d\] [ \d]{4}0 [ \d]{5} [ \d]{8} [ \d]{8} [ \d]{8} [ \d]{7}0          [ \d]{3}0 hog-big",
    r"oom-kill:constraint=CONSTRAINT_NONE,nodemask=\(null\),cpuset=/,mems_allowed=0,global_oom,"
    r"task_memcg=/,task=hog-big,pid=\d+,uid=0",
    r"Out of memory: Killed process \d+ \(hog-big\) total-vm:\d+kB, anon-rss:\d+kB, file-rss:\d+kB, "
    r"shmem-rss:\d+kB, UID:0 pgtables:\d+kB oom_score_adj:0",
]


def report_lines(c, lines):
    """Each of lines in order, each a whole log line after the timestamp: True if all are there."""
    pos = 0
    for line in lines:
        m = c.has(r"^\[[ \d.]+\] %s$" % line, "report line %r" % line, pos)
        if not m:
            return False
        pos = m.end()
    return True


def oom_report(c):
    """The report's lines in order; the other kills' reports."""
    if not report_lines(c, OOM_REPORT):
        return
    c.has(r"^\[[ \d.]+\] Out of memory \(oom_kill_allocating_task\): Killed process \d+ \(trigger\) ",
          "the oom_kill_allocating_task kill")
    c.has(r"sysrq: Manual OOM execution\n(?:.*\n)*?.* oom_sysrq invoked oom-killer: gfp_mask=0xcc0\(GFP_KERNEL\), "
          r"order=-1, oom_score_adj=0\n(?:(?!.*Tasks state).*\n)*?.*Out of memory: Killed process \d+ \(hog-big\)",
          "SysRq f's report (without the task table: oom_dump_tasks=0)")


# The memcg OOM report, line for line in Linux 6.1's format (tests/linux-ref/memcg_oom.log is
# the real one): usertests' memcg_oom_kill, a process faulting at its group's 8 MiB.
MEMCG_OOM_REPORT = [
    r"usertests invoked oom-killer: gfp_mask=0xcc0\(GFP_KERNEL\), order=0, oom_score_adj=0",
    r"CPU: 0 PID: \d+ Comm: usertests Not tainted \S+ #1",
    r"Call Trace:", r" <TASK>", r" out_of_memory\+0x[0-9a-f]+/0x[0-9a-f]+",
    r" mem_cgroup_out_of_memory\+0x[0-9a-f]+/0x[0-9a-f]+", r" </TASK>",
    r"memory: usage 8192kB, limit 8192kB, failcnt [1-9]\d*",
    r"swap: usage 0kB, limit 9007199254740988kB, failcnt 0",
    r"Memory cgroup stats for /ut-oom-\d+:", r"anon [1-9]\d*", r"file 0", r"kernel [1-9]\d*",
    # ... as memory.stat, cut where Linux's dmesg cuts the record:
    r"workingset_activate_file 0", r"workingset_restore_anon 0",
    r"Tasks state \(memory values in pages\):",
    re.escape("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"),
    r"\[[ \d]{6}\d\] [ \d]{4}0 [ \d]{5} [ \d]{8} [ \d]{8} [ \d]{8} [ \d]{7}0 [ \d]{12}0 usertests",
    r"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=\(null\),cpuset=/,mems_allowed=0,oom_memcg=/ut-oom-\d+,"
    r"task_memcg=/ut-oom-\d+,task=usertests,pid=\d+,uid=0",
    r"Memory cgroup out of memory: Killed process \d+ \(usertests\) total-vm:\d+kB, anon-rss:\d+kB, "
    r"file-rss:\d+kB, shmem-rss:\d+kB, UID:0 pgtables:\d+kB oom_score_adj:0",
]


def memcg_oom_report(c):
    """usertests' memcg OOM tests passed; the report's lines in order; oom.group's line."""
    usertests(c, "memcg-oom-report:")
    if not report_lines(c, MEMCG_OOM_REPORT):
        return
    c.lacks(r"workingset_restore_file", "memory.stat beyond where Linux's dmesg cuts it")
    c.has(r"^\[[ \d.]+\] Tasks in /ut-oom-group-\d+ are going to be killed due to memory.oom.group set$",
          "oom.group's line")


def oom_reaped(c):
    c.has(r"^\[[ \d.]+\] oom_reaper: reaped process \d+ \(victim\), now anon-rss:0kB, file-rss:0kB, "
          r"shmem-rss:\d+kB$", "'oom_reaper: reaped process N (victim), now anon-rss:0kB, ...'")


def oom_reaped_shared(c):
    """The reaper took the anonymous memory and left the 8 MiB MAP_SHARED mapping of a rootfs file."""
    c.has(r"^\[[ \d.]+\] oom_reaper: reaped process \d+ \(victim\), now anon-rss:0kB, file-rss:8192kB, "
          r"shmem-rss:\d+kB$", "'oom_reaper: reaped process N (victim), now anon-rss:0kB, file-rss:8192kB, ...'")


def oom_reaper_gave_up(c):
    c.has(r"^\[[ \d.]+\] oom_reaper: unable to reap pid:\d+ \(victim\)\n(?:.*\n)*?.* 1 lock held by victim/\d+:\n"
          r".* #0: [0-9a-f]{16} \(&mm->mmap_lock\)\{\+\+\+\+\}$", "the give-up report naming the mmap_lock writer")


# The reaper blocked on mmap_lock: a reaper that waits for the lock (instead of trying it) behind
# a victim that holds it hangs, and oom_lock with it, so that every allocator hangs too.
REAPER_HANG = (r"INFO: task oom_reaper:\d+ blocked for more than",
               "the OOM reaper hung (blocked in D state: the hung-task report)")
# A charger asleep at a memory cgroup's OOM holding mmap_lock, and whoever waits for it.
MEMCG_OOM_HANG = (r"INFO: task \S+:\d+ blocked for more than",
                  "a task hung at the memcg OOM (blocked in D state: the hung-task report)")
# A failed oomtest test: the scenario's result is known (the lab's skeleton fails this way).
OOMTEST_FAILED = (r"(?m)^oomtest: \S+: FAILED.*\n", "an oomtest test failed")


def timeline_runs(name, figure):
    """tools/oom-timeline --logs-only --only figure (make plots without drawing: no matplotlib
    needed): its exit error (or None), and lane(run, task), what it parsed of that task's lane."""
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "oom-timeline"), "--logs-only", "--only",
                        figure], capture_output=True, text=True, timeout=3 * OOM_TIMEOUT)
    save_log(name, r.stdout + r.stderr)
    runs = dict(re.findall(r"^([\w-]+): (.*)$", r.stdout, re.M))

    def lane(run, who):
        m = re.search(r"(?:^|; )%s: ([^;]*)" % who, runs.get(run, ""))
        return m.group(1) if m else ""
    error = None if r.returncode == 0 else "tools/oom-timeline exited %d: %s" % (r.returncode, r.stderr.strip())
    return error, lane, runs


def at(lane_text, label):
    """The time of label's first mark in a parsed lane ("label@0.123, ..."), or None."""
    m = re.search(r"(?:^|, )%s@(\d+\.\d+)" % re.escape(label), lane_text)
    return float(m.group(1)) if m else None


def oom_timeline(name):
    """The handshake's pictures parse: in the default design the reaper reaps the stalled victim and
    one process is killed; with oom_reaper.mmget=1 the reaper gives up and the bystander is killed too."""
    error, lane, runs = timeline_runs(name, "oom-handshake")
    errors = [error] if error else []
    if not re.search(r"reap start@.*reap end@", lane("handshake", "oom_reaper")) or "killed" in lane("handshake", "bystander"):
        errors.append("handshake: %r" % runs.get("handshake"))
    if "gives up: mm_users 0" not in lane("handshake-mmget", "oom_reaper") \
            or "killed (8 MiB)" not in lane("handshake-mmget", "bystander"):
        errors.append("handshake-mmget: %r" % runs.get("handshake-mmget"))
    if not any(re.search(r"held: mmput_before_exit_mmap", text) for text in runs.values()):
        errors.append("no held span of the victim")
    return [(name, not errors, "; ".join(errors))]


def oom_timeline_memdie(name):
    """TIF_MEMDIE in the pictures (oom:exit_oom_victim): by default the reaper clears it, before
    trigger2's OOM kills the bystander; with oom_reaper.keep_memdie=1 only the victim's own exit
    clears it, after trigger2's hung-task report, and only then is the bystander killed."""
    error, lane, runs = timeline_runs(name, "oom-memdie")
    errors = [error] if error else []
    cleared, reaped = at(lane("stuck", "victim"), "TIF_MEMDIE cleared"), at(lane("stuck", "oom_reaper"), "reap end")
    killed = at(lane("stuck", "bystander"), "killed (8 MiB)")
    if None in (cleared, reaped, killed) or not reaped <= cleared < killed:
        errors.append("stuck: reap end %s, TIF_MEMDIE cleared %s, bystander killed %s" % (reaped, cleared, killed))
    cleared, hung = at(lane("keep-memdie", "victim"), "TIF_MEMDIE cleared"), at(lane("keep-memdie", "trigger2"), "hung task")
    killed, exited = at(lane("keep-memdie", "bystander"), "killed (8 MiB)"), at(lane("keep-memdie", "victim"), "exit_mmap")
    if None in (cleared, hung, killed, exited) or not hung < exited <= cleared < killed:
        errors.append("keep-memdie: trigger2 hung %s, victim exit_mmap %s, TIF_MEMDIE cleared %s, bystander killed %s"
                      % (hung, exited, cleared, killed))
    return [(name, not errors, "; ".join(errors))]


def oom_timeline_memcg(name):
    """The memcg unwind's pictures (memcg:* events): unwind, the reader meets the group's OOM once and
    kills nobody; trap, it kills the victim, loops at the OOM and sleeps in mem_cgroup_oom_trap().
    The v1 handler's: unwind, the member sleeps after the unwind; trap, in the charge, till the hang."""
    errors = []
    for figure, check in (("memcg-unwind", memcg_unwind_marks), ("memcg-unwind-handler", memcg_handler_marks)):
        error, lane, runs = timeline_runs("%s-%s" % (name, figure), figure)
        errors += ([error] if error else []) + check(lane, runs)
    return [(name, not errors, "; ".join(errors))]


def memcg_handler_marks(lane, runs):
    errors = []
    member = lane("memcg-handler-maps", "member")
    if "asleep in mem_cgroup_oom_synchronize()@" not in member or "hung task" in member:
        errors.append("memcg-handler-maps: %r" % runs.get("memcg-handler-maps"))
    member = lane("memcg-handler-maps-trap", "member")
    if "asleep in mem_cgroup_oom_trap()@" not in member or "hung task@" not in member:
        errors.append("memcg-handler-maps-trap: %r" % runs.get("memcg-handler-maps-trap"))
    return errors


def memcg_unwind_marks(lane, runs):
    errors = []
    reader, victim = lane("memcg-victim-lock", "reader"), lane("memcg-victim-lock", "victim")
    if "memcg OOM (no fault)@" not in reader or "loops" in reader or "killed" in victim:
        errors.append("memcg-victim-lock: %r" % runs.get("memcg-victim-lock"))
    reader, victim = lane("memcg-victim-lock-trap", "reader"), lane("memcg-victim-lock-trap", "victim")
    if not re.search(r"loops at the memcg OOM: \d+ times@", reader) or "asleep in mem_cgroup_oom_trap()@" not in reader \
            or "killed (10 MiB)@" not in victim or "hung task@" not in victim:
        errors.append("memcg-victim-lock-trap: %r" % runs.get("memcg-victim-lock-trap"))
    return errors


def oom_reap_rounds(n):
    """oomtest reap N: a kill and a reaped line for each of the N victims, the lines make bench's
    oom_reaper figures come from (tests/bench.py; times are not checked here)."""
    def check(c):
        from bench import reaper_latencies
        c.has(r"oomtest: reap: %d victims held before exit_mm\(\), each reaped: %d kills" % (n, n), "the reap summary")
        found = len(reaper_latencies(c.log.encode()))
        if found != n:
            c.fail("%d victims both killed and reaped in the log, expected %d" % (found, n))
    return check


def bench_global_oom(c):
    """user/bench/global_oom (make bench) in a small VM: the hog dies of SIGKILL in one kill,
    and the line has what tests/bench.py reads (times are not checked)."""
    from bench import global_oom_medians
    c.has(r"^BENCH name=global_oom value=\d+ unit=us sig=9 last_mib=\d+ last_to_dead_us=\d+ oom_kill_delta=1$",
          "the global_oom line: killed by SIGKILL, one kill")
    if not global_oom_medians(c.log.encode()):
        c.fail("tests/bench.py does not read the global_oom line")
    c.lacks(r"BENCH-FAIL", "BENCH-FAIL")
    c.status(0)


def oom_design(line):
    """The boot line of a before mode."""
    return lambda c: c.has(r"oom: the OOM design before its fix: %s" % re.escape(line), repr(line))


def oom_panic(*texts):
    """An OOM panic: the report, the message, the panic, status 127."""
    def check(c):
        c.has(r"invoked oom-killer: gfp_mask=0x140dca", "the OOM report")
        for text in texts:
            c.has(re.escape(text), repr(text))
        c.lacks(MEMORY_BUGS, "memory bug report")
        c.status(127)
    return check


def sysrq_f(c):
    c.has(r"sysrq: Manual OOM execution\n(?:.*\n)*?.*oom_sysrq invoked oom-killer: gfp_mask=0xcc0\(GFP_KERNEL\), "
          r"order=-1, oom_score_adj=0\n", "SysRq f's report")
    c.has(r"oom-kill:constraint=CONSTRAINT_NONE,.*,task=memhog,pid=\d+,uid=0", "the summary line")
    c.has(r"init exited with status 0\b", "'init exited with status 0'")
    c.lacks(PANIC, "panic")
    c.status(0)


# ---- scenarios that are not a plain VM ---------------------------------------

def free_port():
    with socket.socket() as s:                 # a free port (the tiny race is harmless here)
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_gdb(name, port, vm, commands, timeout=TIMEOUT):
    """A VM halted with a gdb stub on port, and a batch gdb running `commands`
    (after attaching to it with the kernel's symbols and Folio's helpers
    loaded). The VM's console runs meanwhile in a thread (its steps type on
    the console while gdb waits at a breakpoint); once gdb is done, QEMU is
    stopped. gdb's output, with "==== command" before each command's (a command
    may be a (label, command) pair: "==== label" then)."""
    script = os.path.join(LOGS, name + ".gdb")
    with open(script, "w") as f:
        f.write("set architecture i386:x86-64\nset pagination off\nset confirm off\n"
                "file %s\ntarget remote :%d\nsource tools/gdb/folio.py\n" % (vm.elf, port))
        for cmd in commands:
            label, cmd = cmd if isinstance(cmd, tuple) else (cmd, cmd)
            f.write("echo ==== %s\\n\n%s\n" % (label.replace("\\", "\\\\"), cmd))
    console = threading.Thread(target=vm.run)
    console.start()
    listening(port)
    try:
        out = subprocess.run(["gdb", "-n", "-batch", "-x", script], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=timeout, cwd=ROOT).stdout
    except subprocess.TimeoutExpired as e:
        partial = e.stdout.decode("utf-8", "replace") if isinstance(e.stdout, bytes) else e.stdout or ""
        out = "%s\ngdb timed out after %d s\n" % (partial, timeout)
    if vm.proc.poll() is None:
        vm.proc.kill()                         # gdb's `kill` did not end it (gdb failed early)
    console.join()
    save_log(name, out)
    return out


def gdb_output(out, cmd):
    """What gdb printed for one command of run_gdb()'s list ("" if it did not get there)."""
    m = re.search(r"^==== %s\n((?:(?!==== ).*\n)*)" % re.escape(cmd), out, re.M)
    return m.group(1) if m else ""


def gdb_session(name):
    """QEMU halted with a gdb stub; a scripted gdb breaks at kmain and prints a backtrace,
    which ends at high_entry (the entry code's call-frame information: no frame below it)."""
    if not shutil.which("gdb"):
        return [(name, None, "gdb not installed")]
    port = free_port()
    vm = VM(name + "-serial", gdb_port=port, timeout=TIMEOUT)   # ended by gdb's `kill`
    out = run_gdb(name, port, vm, ["break kmain", "continue", "bt", "info registers rip", "kill"])
    bt = gdb_output(out, "bt")
    return [(name,) + missing(out, (r"^Breakpoint 1, (0x[0-9a-f]+ in )?kmain \(",
                                    r"^#0 .*kmain \(", r"^#\d+ .* high_entry \(\) at boot/head64\.asm",
                                    r"^rip\s+0xffffffff8[0-9a-f]+"),
                                    ["frames after high_entry: %r" % bt] if re.search(r"high_entry.*\n#", bt) else [])]


# The helpers (tools/gdb/folio.py) against the kernel's own view. The shell
# starts a `sleep`, prints its /proc/PID/maps and /proc/slabinfo, SysRq t
# dumps the tasks, then /bin/exitcode runs: gdb, which loaded exitcode's
# symbols, stops at its main (a hardware breakpoint limited to that comm)
# and runs every helper there.
def gdb_helper_steps():
    """The console's part of gdb_helpers() (session() is defined with the sessions below)."""
    return session(
        ("sleep 1000 & echo sleep-pid $!", r"^sleep-pid \d+\n"),
        ("cat /proc/$!/maps; echo maps-end", r"^maps-end\n"),
        ("cat /proc/slabinfo; echo slabinfo-end", r"^slabinfo-end\n"),
        *MEMCG_STEPS) + [
        ("the prompt before SysRq t", PROMPT, SYSRQ + b"t"),
        ("the task dump", r"sysrq: Show State\n(?:.*\n)*?.*task:sleep .*\n(?:.*\n)*?.*</TASK>\n",
         After(0.5, b"\r")),
        ("the prompt before exitcode", PROMPT, b"/bin/exitcode 77\r"),
        ("the prompt after exitcode", PROMPT, MEMCG_OOM.encode() + b"\r")]


# folio-memcg's part: a group `lab` limited to 8M in which memhog is killed at the limit and a
# second memhog holds 2 MiB, a child `lab/inner` without a memory css, the group's files; later
# (gdb stopped in pagefault_out_of_memory()) a third memhog runs into the limit. The last two are
# unkillable (oom_score_adj -1000): the OOM finds no victim, and the third's fault unwinds with
# the group recorded in memcg_in_oom, to wait in mem_cgroup_oom_synchronize().
MEMCG_STEPS = (
    ("cd /sys/fs/cgroup && echo +memory > cgroup.subtree_control && mkdir lab lab/inner && echo 8M > lab/memory.max; "
     "sh -c 'echo $$ > lab/cgroup.procs; exec /bin/memhog -q 32'; echo memhog-status $?", r"^memhog-status 137\n"),
    ("sh -c 'echo $$ > lab/cgroup.procs; echo -1000 > /proc/self/oom_score_adj; exec /bin/memhog -q -h 2' "
     "> /tmp/holder & "
     "until grep -q holding /tmp/holder; do sleep 1; done; echo holder-ready", r"^holder-ready\n"),
    ("cd /; for f in current max peak events; do echo memory.$f; cat /sys/fs/cgroup/lab/memory.$f; done; "
     "echo memcg-end", r"^memcg-end\n"))
MEMCG_OOM = ("sh -c 'echo $$ > /sys/fs/cgroup/lab/cgroup.procs; echo -1000 > /proc/self/oom_score_adj; "
             "exec /bin/memhog -q 32'")


GDB_HELPER_COMMANDS = [
    "folio-symbols exitcode", 'hbreak main if $_streq($current()->comm, "exitcode")', "continue",
    "p $current()->comm", "info line main", "folio-ps", "folio-bt sleep", "folio-vmas sleep",
    "folio-pt $pc", "folio-slabinfo", "folio-free", "folio-dmesg", "folio-memcg", "help folio", "help folio-ps",
    "delete", "break pagefault_out_of_memory", "continue", ("folio-memcg at the OOM", "folio-memcg"), "kill"]


def sysrq_tasks(log):
    """{pid: (comm, state, [functions of its trace])} from the last SysRq t dump in log."""
    dump = log[log.rfind("sysrq: Show State"):]
    tasks = {}
    for m in re.finditer(r"task:(\S+) +state:(\w) .* pid:(\d+) .*\n((?:.*\n)*?)(?=.*task:|.*folio:)", dump):
        # Not the "? " guesses; GCC's clones (do_nanosleep.constprop.0) by their function's name, as gdb.
        trace = re.findall(r"^\[[ \d.]+\]  ([A-Za-z_]\w*)[\w.]*\+0x", m.group(4), re.M)
        tasks[int(m.group(3))] = (m.group(1), m.group(2), trace)
    return tasks


def check_folio_ps(out, log, errors):
    """folio-ps lists every task of the SysRq t dump with its comm, and its state unless the
    dump caught it running; the stopped exitcode is the running task ('>')."""
    ps = {int(m.group(2)): (m.group(4), m.group(3), m.group(1)) for m in re.finditer(
        r"^([ >]) 0x[0-9a-f]{16} +(\d+) +\d+ (\w) (\S+) ", gdb_output(out, "folio-ps"), re.M)}
    dump = sysrq_tasks(log)
    if not dump:
        errors.append("no SysRq t dump in the console log")
    for pid, (name, state, _) in dump.items():
        if pid not in ps:
            errors.append("folio-ps has no pid %d (%s) of the task dump" % (pid, name))
        elif ps[pid][0] != name or (state != "R" and ps[pid][1] != state):
            errors.append("folio-ps says pid %d is %s state %s, the task dump %s state %s"
                          % (pid, ps[pid][0], ps[pid][1], name, state))
    running = [v[0] for v in ps.values() if v[2] == ">"]
    if running != ["exitcode"]:
        errors.append("folio-ps marks %s as running, expected exitcode" % running)
    return dump


def check_folio_bt(out, dump, errors):
    """folio-bt sleep names the functions of sleep's trace in the task dump, in order
    (gdb adds the inlined ones, which the kernel's frame-pointer walk cannot see)."""
    trace = next((t for name, _, t in dump.values() if name == "sleep"), None)
    frames = re.findall(r"^#\d+ +(?:0x[0-9a-f]+ in )?([\w.]+) \(", gdb_output(out, "folio-bt sleep"), re.M)
    it = iter(frames)
    if not trace or not frames or not all(f in it for f in trace):
        errors.append("folio-bt sleep: frames %s, the task dump's trace %s" % (frames, trace))


def check_folio_vmas(out, log, errors):
    """folio-vmas sleep prints sleep's /proc/PID/maps, line for line (its vm_flags lines aside)."""
    m = re.search(r"^maps-end$", log, re.M)
    maps = re.findall(r"^[0-9a-f]{8,}-[0-9a-f]{8,} .*$", log[log.rfind("/proc/$!/maps"):m.start() if m else 0], re.M)
    vmas = re.findall(r"^[0-9a-f]{8,}-[0-9a-f]{8,} .*$", gdb_output(out, "folio-vmas sleep"), re.M)
    norm = lambda lines: [" ".join(l.split()) for l in lines]
    if not maps or norm(maps) != norm(vmas):
        errors.append("folio-vmas sleep %s, /proc/PID/maps %s" % (vmas, maps))
    if not re.search(r"^    vm_flags 0x[0-9a-f]+  VmFlags: rd ex mr mw me$", gdb_output(out, "folio-vmas sleep"), re.M):
        errors.append("folio-vmas: no decoded vm_flags line for the text (rd ex mr mw me)")


def check_folio_slabinfo(out, log, errors):
    """folio-slabinfo lists the caches of /proc/slabinfo with the same sizes (the counts move)."""
    key = lambda text: sorted(re.findall(r"^(\S+) +\d+ +\d+ +(\d+ +\d+ +\d+) :", text, re.M))
    proc = key(log[log.rfind("/proc/slabinfo"):log.rfind("slabinfo-end")])
    gdb_caches = key(gdb_output(out, "folio-slabinfo"))
    if not proc or proc != gdb_caches:
        errors.append("folio-slabinfo caches %s, /proc/slabinfo %s" % (gdb_caches, proc))


def check_folio_memcg(out, log, errors):
    """folio-memcg shows the group lab as its files did (memory.current, .max, .peak, .events), lab/inner
    without a memory css, and nobody under a memcg OOM; stopped in pagefault_out_of_memory(), the memhog
    that ran into lab's limit with memcg_in_oom set to lab."""
    files = re.search(r"^memory\.current\n(\d+)\nmemory\.max\n(\S+)\nmemory\.peak\n(\d+)\nmemory\.events\n"
                      r"((?:\w+ \d+\n){6})memcg-end$", log, re.M)
    memcg = gdb_output(out, "folio-memcg")
    shown = re.search(r"^/lab +memcg 0x[0-9a-f]+ current (\d+) max (\S+) peak (\d+)\n +events: (.*)$", memcg, re.M)
    if not files or not shown or files.group(1, 2, 3) != shown.group(1, 2, 3) \
            or " ".join(files.group(4).split()) != shown.group(4):
        errors.append("folio-memcg's /lab %r, its files %r" % (shown and shown.group(0), files and files.group(0)))
    elif files.group(2) != "8388608" or not re.search(r"\bmax [1-9]\d* oom [1-9]", shown.group(4)):
        errors.append("folio-memcg: /lab's limit or its max and oom events: %r" % shown.group(0))
    for pattern in (r"^cgroup2:$", r"^/ +memcg 0x", r"^/lab/inner +no memory css", r"^no task under a memory cgroup OOM"):
        if not re.search(pattern, memcg, re.M):
            errors.append("folio-memcg: no %r in %r" % (pattern, memcg))
    at_oom = gdb_output(out, "folio-memcg at the OOM")
    if not re.search(r"^task memhog/\d+ R: memcg_in_oom /lab$", at_oom, re.M):
        errors.append("folio-memcg in pagefault_out_of_memory(): no memhog with memcg_in_oom /lab: %r" % at_oom)


def gdb_helpers(name):
    """Every helper of tools/gdb/folio.py, checked against the kernel's own view."""
    if not shutil.which("gdb"):
        return [(name, None, "gdb not installed")]
    port = free_port()
    vm = VM(name + "-serial", gdb_port=port, steps=gdb_helper_steps(), timeout=150)
    out = run_gdb(name, port, vm, GDB_HELPER_COMMANDS, timeout=150)
    errors = []
    dump = check_folio_ps(out, vm.log, errors)
    check_folio_bt(out, dump, errors)
    check_folio_vmas(out, vm.log, errors)
    check_folio_slabinfo(out, vm.log, errors)
    check_folio_memcg(out, vm.log, errors)
    pt = gdb_output(out, "folio-pt $pc")
    if not re.search(r"PG_LEVEL_4K +PTE\[ *\d+\] = 0x[0-9a-f]+  P USER A\b(?!.*RW)", pt) or "-> physical" not in pt:
        errors.append("folio-pt $pc: no present user text page (P USER A, not RW): %r" % pt)
    free = re.search(r"free_pages \d+ \((\d+) kB; free lists add up to (\d+) kB\)", gdb_output(out, "folio-free"))
    if not free or free.group(1) != free.group(2):
        errors.append("folio-free: free_pages and the free lists disagree: %r" % gdb_output(out, "folio-free"))
    return [(name,) + missing(out, (r"^Breakpoint \d+, main \(.*\) at user/exitcode\.c:\d+",
                                    r'^\$1 = "exitcode\\000', r'^Line \d+ of "user/exitcode\.c"',
                                    r"sysrq: Show State", r"Folio: boot complete",
                                    r"^folio-symbols NAME ", r"^folio-ps: every task"), errors)]


# The DEBUG=1 kernel under gdb, as a student steps through a user page fault:
# in handle_mm_fault() `info locals` shows values, `next` goes line by line,
# `step` goes down into user_pte_alloc() and pt_walk(), `bt` ends at the trap
# frame, and after the fault installed its page, folio-pt (CR3's tables) finds
# that page in the PTE.
def fault_installed_line():
    """The line of mm/memory.c right after handle_mm_fault() set the new page's PTE."""
    with open(os.path.join(ROOT, "mm", "memory.c")) as f:
        lines = f.read().splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith("unsigned int handle_mm_fault(")), None)
    for i in range(start or 0, len(lines)):
        if start is not None and "set_user_pte(vma, pte, page," in lines[i]:
            return i + 2
    return None


EXITCODE_FAULT = '$_streq($current()->comm, "exitcode") && regs && (regs->cs & 3) == 3'


# `next` through handle_mm_fault() up to its user_pte_alloc() call (a Python loop: the lines
# before it change with the kernel), then `step` into it and on into pt_walk().
NEXT_TO_USER_PTE_ALLOC = ('python [gdb.execute("next") for _ in range(30) '
                          'if "user_pte_alloc(" not in gdb.execute("frame", to_string=True)]')


def gdb_debug_commands(line):
    """The session; without the line (a student's own handle_mm_fault(), in a lab's tree) it
    stops after the steps."""
    installed = ["delete", "break mm/memory.c:%d if %s" % (line, EXITCODE_FAULT), "continue", "info locals",
                 "p page - mem_map", "p/x pte->pte", "folio-pt addr"] if line else []
    return (["break handle_mm_fault if " + EXITCODE_FAULT, "continue", "bt", ("next", NEXT_TO_USER_PTE_ALLOC)]
            + [("step %d" % i, "step") for i in range(1, 4)] + installed + ["kill"])


def gdb_debug_kernel(name):
    """The kernel built with DEBUG=1 boots to the shell; gdb steps through a user fault in it."""
    if not shutil.which("gdb"):
        return [(name, None, "gdb not installed")]
    line = fault_installed_line()
    if not line and teacher_tree():
        return [(name, False, "no set_user_pte(vma, pte, page, ...) call in handle_mm_fault() (mm/memory.c)")]
    port = free_port()
    steps = session(("/bin/exitcode 5", None))
    vm = VM(name + "-serial", gdb_port=port, steps=steps, timeout=150, kernel_dir=qemu.DEBUG_DIR)
    commands = gdb_debug_commands(line)
    out = run_gdb(name, port, vm, commands, timeout=150)
    errors = []
    nexts = first_next_restarted(gdb_output(out, "continue"), gdb_output(out, "next"))
    if not nexts or any(not re.match(r"\d+\t", l) for l in nexts.splitlines()):
        errors.append("`next` in handle_mm_fault did not go line by line through it: %r (after the stop %r)"
                      % (nexts, gdb_output(out, "continue")))
    steps = [gdb_output(out, "step %d" % i) for i in range(1, 4)]
    if not steps[0].startswith("user_pte_alloc ("):
        errors.append("step at the user_pte_alloc() call went to %r" % steps[0])
    if not any(st.startswith("pt_walk (") for st in steps[1:]) or "pgtable.h" in "".join(steps):
        errors.append("two steps from user_pte_alloc() did not go straight into pt_walk(): %r" % steps[1:])
    if line and not qemu.SANITIZE:	# KASAN's checks leave the fault's pte <optimized out> at -Og
        check_installed_page(out, errors)
    if not re.search(r"Run /init as init process", vm.log):
        errors.append("the debug kernel did not reach init")
    bt = gdb_output(out, "bt")
    if re.search(r"common_entry.*\n#", bt):
        errors.append("frames after common_entry: %r" % bt)
    return [(name,) + missing(out, (r"^Breakpoint 1, handle_mm_fault \(", r"^#\d+ .* in common_entry\.kernel_entry \(\)")
                              + ((r"^Breakpoint 2, handle_mm_fault \(",) if line else ()), errors)]


def first_next_restarted(stop, nexts):
    """`next`'s lines without a report of the breakpoint's stop again at its own line. On a
    loaded host QEMU's gdb stub can end the first `next` before the instruction at the
    breakpoint ran; gdb then reports Breakpoint 1 at the same line, which is not a jump."""
    again = re.match(r"\n(Breakpoint 1, .*\n\d+\t.*\n)", nexts)
    return nexts[again.end():] if again and again.group(1) in stop else nexts


def check_installed_page(out, errors):
    """At the breakpoint after handle_mm_fault() set the PTE: `info locals` has values, and
    folio-pt walks CR3's tables to that PTE and to the page the fault installed."""
    local_vars = gdb_output(out, "info locals")
    if "<optimized out>" in local_vars or not re.search(r"^page = 0x", local_vars, re.M):
        errors.append("info locals after the fault installed its page: %r" % local_vars)
    pfn = re.search(r"^\$\d+ = (\d+)$", gdb_output(out, "p page - mem_map"), re.M)
    pte = re.search(r"^\$\d+ = (0x[0-9a-f]+)$", gdb_output(out, "p/x pte->pte"), re.M)
    pt = gdb_output(out, "folio-pt addr")
    walked = re.search(r"PG_LEVEL_4K +PTE\[ *\d+\] = (0x[0-9a-f]+) .*\n.*-> physical 0x[0-9a-f]+, pfn (0x[0-9a-f]+)", pt)
    if not (pfn and pte and walked) or int(walked.group(2), 16) != int(pfn.group(1)) \
            or int(walked.group(1), 16) != int(pte.group(1), 16):
        errors.append("folio-pt addr %r, the installed page's pfn %s and PTE %s"
                      % (pt, pfn and pfn.group(1), pte and pte.group(1)))

# folio-oom at two moments of the handshake scenario: the reaper starting on the victim
# (marked, queued, its memory still mapped), then exit_mmap() of the reaped mm.
GDB_OOM = ["break oom_reap_task if $_streq(tsk->comm, \"victim\")", "continue", "folio-oom", "delete",
           "break exit_mmap if mm->flags & (1 << 25)", "continue", "folio-oom", "kill"]
GDB_OOM_PATTERNS = (
    r"^Breakpoint 1, oom_reap_task \(", r"^oom_victims: 1$", r"^oom_lock: free$",
    r"^design: default \(2016 \+ 2017 fixes\)$",
    r"^victim victim/\d+: TIF_MEMDIE=1 MMF_OOM_SKIP=0 MMF_OOM_VICTIM=1 mm_users=\d mm_count=[2-9] "
    r"rss file=\d+ anon=[1-9]\d{3,} shmem=\d+ ->mm=(set|NULL)$",
    r"^Breakpoint 2, exit_mmap \(",
    r"^oom_victims: 0$\n(.*\n){3}victim victim/\d+: TIF_MEMDIE=0 MMF_OOM_SKIP=1 MMF_OOM_VICTIM=1 "
    r"mm_users=0 mm_count=[1-9] rss file=0 anon=\d shmem=\d+ ->mm=NULL$")   # a page the dying victim touched


def gdb_oom(name):
    """folio-oom in the handshake scenario (GDB_OOM), against the patterns above."""
    if not shutil.which("gdb"):
        return [(name, None, "gdb not installed")]
    port = free_port()
    vm = VM(name + "-serial", "mem=" + OOM_MEM, mem=OOM_MEM, gdb_port=port,
            init="/bin/oomtest handshake", timeout=TIMEOUT)
    out = run_gdb(name, port, vm, GDB_OOM)
    return [(name,) + missing(out, GDB_OOM_PATTERNS)]



def listening(port, timeout=TIMEOUT):
    """Wait until something listens on TCP port (QEMU's gdb stub). Probing with a
    connection would not do: QEMU resumes the guest when a gdb client leaves."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with open(table) as f:
                rows = [l.split() for l in f.readlines()[1:]]
            if any(r[1].endswith(":%04X" % port) and r[3] == "0A" for r in rows):
                return
        time.sleep(0.05)


def missing(out, patterns, errors=()):
    """(ok, reason) for output that must match every pattern."""
    errors = list(errors) + ["no %r in the output" % p for p in patterns
                             if not re.search(p, out, re.M)]
    return not errors, "; ".join(errors)


def run_sh(args, want_rc, *patterns, stdin=None):
    """A scenario's run: ./run.sh ARGS < /dev/null (or with the bytes stdin piped
    in, all at once, before anything boots), checking its exit status and what it
    printed (the patterns are multi-line regexes)."""
    def run(name):
        try:
            r = subprocess.run(["./run.sh"] + args, cwd=ROOT, input=stdin,
                               stdin=None if stdin is not None else subprocess.DEVNULL,
                               capture_output=True, timeout=TIMEOUT + 30)
            out, rc = (r.stdout + r.stderr).decode("utf-8", "replace").replace("\r", ""), r.returncode
        except subprocess.TimeoutExpired:
            out, rc = "run.sh did not finish", None
        save_log(name, out)
        bad = [] if rc == want_rc else ["./run.sh %s exited %s, expected %d" % (" ".join(args), rc, want_rc)]
        bad += ["unexpected sanitizer report: %r" % l for l in unexpected_sanitizer_reports(name, out)[:3]]
        return [(name,) + missing(out, patterns, bad)]
    return run


def exitcode_init(status, direct):
    """A scenario's run: a static program added with --add as init; its arguments
    arrive after --, and its exit status comes back as run.sh's (above 127 too:
    from the printed line)."""
    guest = "/bin/myinit" if direct else "/sbin/myinit"
    exitcode = os.path.join(os.path.relpath(BUILD, ROOT), "user", "exitcode")
    args = (["--direct"] if direct else []) + [
        "--add", exitcode + ":" + guest, "--init", "%s %d two" % (guest, status),
        "--timeout", str(TIMEOUT)]
    return run_sh(args, status, r"Command line: .*init=%s -- %d two" % (guest, status),
                  r"^exitcode: argv\[0\]=%s$" % guest, r"^exitcode: argv\[1\]=%d$" % status,
                  r"^exitcode: argv\[2\]=two$", r"init exited with status %d\b" % status)


def spin_model(switches, error=None, *trail, model="oom.pml"):
    """A scenario's run: a Promela model of docs/oom-model/ (the OOM race, oom.pml;
    the memcg OOM unwind, memcg.pml) checked by spin with the compile-time switches
    given (-DNAME=1 each). error
    None: pan must verify it ("errors: 0"); otherwise pan must report that error
    (a regex: the assertion, or the invalid end state) and the trail replayed with
    spin -t -p -g must show each pattern of trail."""
    def run(name):
        if not shutil.which("spin"):
            return [(name, None, "spin not installed (tools/setup.sh installs it)")]
        work = os.path.join(BUILD, "spin", name)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        shutil.copy(os.path.join(ROOT, "docs", "oom-model", model), work)
        flags = ["-D%s=1" % f for f in switches.split()]
        out = ""
        for cmd in (["spin"] + flags + ["-a", model], ["gcc", "-O2", "-w", "-DSAFETY", "-o", "pan", "pan.c"],
                    ["./pan", "-n"]) + ((["spin"] + flags + ["-t", "-p", "-g", model],) if error else ()):
            r = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=TIMEOUT)
            out += "$ %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr)
            if r.returncode and cmd[0] != "./pan":
                save_log(name, out)
                return [(name, False, "%s failed (exit %d)" % (cmd[0], r.returncode))]
        save_log(name, out)
        patterns = [r"errors: 0\b"] if error is None else [r"errors: [1-9]", "pan:1: " + error] + list(trail)
        return [(name,) + missing(out, patterns)]
    return run


SPIN_SPURIOUS_KILL = re.escape("assertion violated (victim_freed==2)")


def readme_counts(name):
    """The counts README.md quotes are the source's (tools/stats.py, `make stats`)."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import stats
    with open(os.path.join(ROOT, "README.md")) as f:
        readme = f.read()
    want = {"system calls": stats.syscalls(), "usertests": stats.usertests()[0]}
    quoted = [("system calls", r"Folio implements (\d+) Linux system calls"),
              ("system calls", r"syscall: (\d+) system calls"),
              ("usertests", r"run as init\): (\d+) tests")]
    errors = []
    for what, pattern in quoted:
        m = re.search(pattern, readme)
        if not m:
            errors.append("README.md no longer has %r (update this test)" % pattern)
        elif int(m.group(1)) != want[what]:
            errors.append("README.md says %s %s, the source has %d (make stats): update README.md"
                          % (m.group(0), what, want[what]))
    return [(name, not errors, "; ".join(errors))]


# A function's prototype at the top level of a kernel .c file: shared functions are declared in headers.
PROTOTYPE_IN_C = re.compile(r"^(extern\s+)?[A-Za-z_][\w \*]*[ \*]\w+\s*\([^;{\[]*\)\s*;\s*$", re.M)
# Words that speak of a tracker or of documents outside the repository (split so this file passes).
TRACKER_WORDS = re.compile("|".join([r"seed [A-C]\b", "OOM-" + "DESIGNS", "later " + "issue", "issue " + "[0-9]",
                                     "shared/" + "design"]), re.I)


def tree_rules(name):
    """The tree's plain rules: no function prototype in a kernel .c file outside `static`
    forward declarations, and no word about trackers or outside documents in any tracked file."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not files:
        return [(name, None, "not a git checkout")]
    errors = []
    for path in files:
        full = os.path.join(ROOT, path)
        if not os.path.isfile(full) or os.path.islink(full):
            continue
        with open(full, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        kernel_c = path.endswith(".c") and not path.startswith(("user/", "tools/", "tests/"))
        for m in PROTOTYPE_IN_C.finditer(text) if kernel_c else ():
            if not m.group(0).startswith("static"):
                errors.append("%s: a prototype in a .c file: %s" % (path, m.group(0).strip()))
        m = TRACKER_WORDS.search(text)
        if m:
            errors.append("%s: %r" % (path, m.group(0)))
    return [(name, not errors, "; ".join(errors[:10]))]


# ---- the labs (docs/labs/, tests/labs.py, tools/lab.py) ---------------------------

def teacher_tree():
    """The labs' solution tree: it has the teacher notes (a student tree has not)."""
    return os.path.isdir(os.path.join(ROOT, "docs", "labs", "teacher"))


def lab_markers(name):
    """tools/lab.py check: the LAB markers are well formed, every lab has its regions,
    its handout and its teacher notes."""
    if not teacher_tree():
        return [(name, None, "a student tree: no teacher notes and no lab markers here")]
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "lab.py"), "check"], capture_output=True,
                       text=True)
    save_log(name, r.stdout + r.stderr)
    return [(name, r.returncode == 0, (r.stdout + r.stderr).strip().replace("\n", "; "))]


def grade_lab(root, lab, log, jobs=1):
    """`tests/grade.py LAB` in the tree at root: (exit status, score, maximum, its output).
    One boot at a time by default: beside the other scenarios' VMs, more would slow the
    machine for the tests that measure time."""
    r = subprocess.run([sys.executable, os.path.join(root, "tests", "grade.py"), "--jobs", str(jobs), lab], cwd=root,
                       capture_output=True, text=True, timeout=600,
                       env={k: v for k, v in os.environ.items() if k not in ("KTEST", "DEBUG", "MAKEFLAGS")})
    save_log(log, r.stdout + r.stderr)
    m = re.search(r"^Score: (\d+)/(\d+)$", r.stdout, re.M)
    return r.returncode, int(m.group(1)) if m else None, int(m.group(2)) if m else None, r.stdout + r.stderr


def lab_solution(lab):
    """A scenario's run: the lab's grader gives this tree (the solution) every point."""
    def check(name):
        if not teacher_tree():
            return [(name, None, "a student tree: its own lab is not solved here")]
        rc, score, total, out = grade_lab(ROOT, lab, name)
        ok = rc == 0 and score is not None and score == total
        return [(name, ok, "" if ok else "make grade LAB=%s: Score %s/%s (log %s)" % (lab, score, total, name))]
    return check


def lab_skeletons(name):
    """Every lab's skeleton (tools/lab.py skeleton) builds, and fails its grader. The
    skeletons are made in build/labs-check/, their builds seeded with this tree's objects so
    that only the files with stubs are compiled; then their graders run two at a time."""
    if not teacher_tree():
        return [(name, None, "a student tree: no lab markers here")]
    base = os.path.join(BUILD, "labs-check")
    results, built = [], []
    for lab in LAB_LIST:
        tree = os.path.join(base, lab.name)
        shutil.rmtree(tree, ignore_errors=True)
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "lab.py"), "skeleton", lab.name, tree,
                            "--no-git", "--seed-build", BUILD], capture_output=True, text=True)
        if r.returncode == 0:
            r = subprocess.run(["make", "-s", "-j%d" % JOBS, "kernel", "initramfs"], cwd=tree,
                               capture_output=True, text=True,
                               env={k: v for k, v in os.environ.items() if k not in ("KTEST", "DEBUG", "MAKEFLAGS")})
        save_log("%s-%s-build" % (name, lab.name), r.stdout + r.stderr)
        if r.returncode:
            results.append(("%s:%s" % (name, lab.name), False, "the skeleton did not build: %s"
                            % (r.stdout + r.stderr).strip().splitlines()[-1:]))
        else:
            built.append((lab, tree))

    def graded(item):
        lab, tree = item
        rc, score, total, out = grade_lab(tree, lab.name, "%s-%s-grade" % (name, lab.name), jobs=1)
        failed = rc != 0 and score is not None and score < total and re.search(r": FAIL \(", out)
        return ("%s:%s" % (name, lab.name), bool(failed), "" if failed else
                "its grader gave the skeleton %s/%s (exit %d)" % (score, total, rc))
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        results += list(pool.map(graded, built))
    return results


# ---- the table -----------------------------------------------------------------
# Steps wait for whole lines: a BREAK that arrives while the kernel is still
# printing is lost (its transmit loop reads LSR, which clears BI), as a key typed
# mid-line by a person could be.
UNTIL_BOOTED = [("the final boot line", FINAL + r".*\n", KILL)]
SYSRQ_STEPS = [
    ("the final boot line", FINAL + r".*\n", SYSRQ + b"h"),
    ("the SysRq help line", r"sysrq: HELP : .*\n", SYSRQ + b"m"),
    ("the SysRq memory report", r"sysrq: Show Memory\n(?:.*\n)*?.*Normal: .* = \d+kB\n", SYSRQ + b"t"),
    ("the SysRq task dump", r"sysrq: Show State\n(?:.*\n)*?.*task:khungtaskd .*\n", SYSRQ + b"o"),
]


# The scripted busybox session: /init starts /bin/sh on the console; each command's
# output is waited for (as a whole line, so the echo of the typed command does not
# count), then the next prompt, then the next command is typed. Enter is \r, as a
# terminal sends it (the line discipline's ICRNL turns it into \n).
PROMPT = r"folio:[^\n]*?[#$] "       # /init sets PS1='folio:\w\$ '; root gets '#' 


def session(*pairs, first_wait=r"Folio init \(pid 1\): running /bin/sh\n"):
    """Steps from (command, regex its output must match) pairs."""
    steps = [("init's banner", first_wait, None)]
    for cmd, out in pairs:
        steps.append(("the prompt before %r" % cmd, PROMPT, cmd.encode() + b"\r"))
        if out:
            steps.append(("the output of %r" % cmd, out, None))
    return steps


SESSION = session(
    ("echo hello", r"^hello\n"),
    ("ls / | wc -l", r"^ *\d+\n"),
    ("mkdir /tmp/x && ls /tmp", r"^x\n"),
    ("cat /etc/passwd", r"^root:x:0:0:root:/root:/bin/sh\n"),
    ("echo abc > /tmp/f; cat /tmp/f", r"^abc\n"),
    ("sleep 1; echo done", r"^done\n"),
    # A "#!" script made executable with chmod: exec runs its interpreter.
    ("printf '#!/bin/sh\\necho script $1\\n' > /tmp/s.sh; chmod +x /tmp/s.sh; /tmp/s.sh ran",
     r"^script ran\n"),
    ("echo started; sleep 100", r"^started\n"),
) + [
    ("sleep 100 running", r"\Z", After(1.0, b"\x03")),           # ^C: SIGINT to the job
    ("the prompt after ^C", PROMPT, b"echo after\r"),
    ("the output of 'echo after'", r"^after\n", None),
    ("the prompt before 'exit 3'", PROMPT, b"exit 3\r"),
]


def busybox_session(c):
    c.has(r"Run /init as init process", "'Run /init as init process'")
    for text in (r"^hello$", r"^ *\d+$", r"^x$", r"^root:x:0:0:", r"^abc$", r"^done$", r"^script ran$",
                 r"^started$", r"^after$"):
        c.has(text, repr(text))
    c.has(r"init exited with status 3\b", "'init exited with status 3'")
    c.lacks(NOISE, "kernel noise")   # debug level: dmesg only
    c.lacks(PANIC, "panic")
    c.status(3)


# The /proc tools of busybox, as a user types them; their output must carry real
# figures (checked in busybox_proc() on the whole log).
PROC_SESSION = session(
    ("ps", r"^PID +USER +COMMAND\n(?:.*\n)*? +\d+ root +\{ps\} /bin/sh\n"),	# comm, then cmdline
    ("ps -o pid,ppid,rss,vsz,comm", r"^PID +PPID +RSS +VSZ +COMMAND\n(?:.*\n)*? +\d+ +\d+ +\d+ +\d+ ps\n"),
    ("top -b -n 1", r"^ +\d+ +\d+ root +R +\d+ .* top -b -n 1\n"),
    ("free", r"^Swap: +0 +0 +0\n"),
    ("uptime", r"load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n"),
    ("pidof sh", r"^\d+( \d+)*\n"),
    ("sleep 300 & pidof sleep", r"^\d+\n"),
    ("kill $(pidof sleep); wait; pidof sleep || echo no-sleep-left", r"^no-sleep-left\n"),
    ("sysctl vm.overcommit_memory", r"^vm\.overcommit_memory = 0\n"),
    ("sysctl -a | grep -c ' = '", r"^\d+\n"),
    ("grep -E 'Name|VmRSS|Threads' /proc/$$/status", r"^Threads:\t1\n"),
    ("grep stack /proc/self/maps", r"^[0-9a-f]+-[0-9a-f]+ rw-p 00000000 00:00 0 +\[stack\]\n"),
    ("grep MemTotal /proc/meminfo", r"^MemTotal: +\d+ kB\n"),
    ("mount | grep proc", r"^proc on /proc type proc \(rw,nosuid,nodev,noexec,relatime\)\n"),
) + [("the prompt before 'exit 3'", PROMPT, b"exit 3\r")]


def busybox_proc(c):
    """ps, top, free, uptime, pidof and sysctl print what they print on Linux, with real figures."""
    c.has(r"Run /init as init process", "'Run /init as init process'")
    m = c.has(r"^ +\d+ +\d+ +(\d+) +(\d+) sh$", "ps -o's line for the shell")
    if m and not (int(m.group(1)) > 0 and int(m.group(2)) > int(m.group(1))):
        c.fail("ps -o: the shell's RSS %s kB and VSZ %s kB" % m.groups())
    m = c.has(r"^Mem: (\d+)K used, (\d+)K free, \d+K shrd, 0K buff, (\d+)K cached$", "top's Mem: line")
    total = c.has(r"^MemTotal: +(\d+) kB$", "MemTotal")
    free = c.has(r"^Mem: +(\d+) +(\d+) +(\d+) +\d+ +(\d+) +(\d+)$", "free's Mem: line")
    if m and total and int(m.group(1)) + int(m.group(2)) != int(total.group(1)):
        c.fail("top: used + free = %d kB, MemTotal %s kB" % (int(m.group(1)) + int(m.group(2)), total.group(1)))
    if free and total and (free.group(1) != total.group(1) or not 0 < int(free.group(2)) < int(free.group(1))):
        c.fail("free: total %s kB, used %s kB, MemTotal %s kB" % (free.group(1), free.group(2), total.group(1)))
    c.has(r"^CPU: +\d+% usr +\d+% sys +\d+% nic +\d+% idle", "top's CPU: line")
    c.has(r"^Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+$", "top's Load average: line")
    m = c.has(r"^(\d+)\n(?:.*\n)*?no-sleep-left$", "the sleep's pid, then nothing after the kill")
    n = c.has(r"grep -c ' = '\n(\d+)$", "sysctl -a's count of settings")
    if n and int(n.group(1)) < 14:
        c.fail("sysctl -a shows %s settings" % n.group(1))
    m = c.has(r"^VmRSS:\t +(\d+) kB$", "the shell's VmRSS")
    if m and int(m.group(1)) == 0:
        c.fail("the shell's VmRSS is 0")
    c.has(r"init exited with status 3\b", "'init exited with status 3'")
    c.lacks(PANIC, "panic")
    c.status(3)


# Delay points armed from user space through tracefs (mounted as on Linux): memhog, killed, is held
# in __mmput() (mmput_before_exit_mmap) on its way out until the shell releases
# it; the task dump (SysRq t) shows it in D state in delay_point_hold(), and the
# trace shows the stall in Linux's format.
T = "/sys/kernel/tracing"
DELAY_HOLD = session(
    ("mount -t tracefs nodev %s && cd %s && echo 1 > events/delay/enable && cat events/delay/enable" % (T, T),
     r"^1\n"),
    ("/bin/memhog -q -h 4 & sleep 1; echo started", r"^started\n"),
    ("echo 'mmput_before_exit_mmap:hold@comm=memhog' > delay_points; cat delay_points",
     r"^mmput_before_exit_mmap hold comm=memhog hits=0 waiting=0\n"),
    ("kill $!; sleep 1; cat delay_points", r"^mmput_before_exit_mmap hold comm=memhog hits=1 waiting=1\n"),
) + [
    ("the prompt with memhog held", PROMPT, SYSRQ + b"t"),
    ("the task dump", r"sysrq: Show State\n(?:.*\n)*?.*task:memhog +state:D .*\n.*Call Trace:\n.*<TASK>\n"
     r".* __schedule\+.*\n.* delay_point_hold\+.*\n", After(0.5, b"\r")),
] + session(
    ("echo mmput_before_exit_mmap:release > delay_points; wait; cat delay_points",
     r"^mmput_before_exit_mmap hold comm=memhog hits=1 waiting=0\n"),
    ("echo mmput_before_exit_mmap:off > delay_points; cat delay_points | wc -l", r"^ *0\n"),
    ("echo nonsense > delay_points", r"write error: Invalid argument\n"),
    ("cat trace", r"released: point=mmput_before_exit_mmap reason=released\n"),
    ("echo > trace; cat trace | grep entries", r"^# entries-in-buffer/entries-written: 0/0   #P:1\n"),
    ("exit 0", None))[1:]


def delay_hold_session(c):
    m = c.has(r"delay_point: mmput_before_exit_mmap: memhog\[(\d+)\] held until released",
              "the kernel's line for the held memhog")
    pid = m.group(1) if m else r"\d+"
    c.has(r"^ +memhog-%s +\[000\] \.{5} +\d+\.\d{6}: reached: point=mmput_before_exit_mmap mode=hold$" % pid,
          "memhog's delay:reached line in the trace")
    c.has(r"^ +memhog-%s +\[000\] \.{5} +\d+\.\d{6}: released: point=mmput_before_exit_mmap "
          r"reason=released$" % pid, "memhog's delay:released line")
    c.has(r"^# tracer: nop\n#\n# entries-in-buffer/entries-written: 2/2   #P:1\n", "the trace header")
    c.has(r"init exited with status 0\b", "'init exited with status 0'")
    c.lacks(PANIC, "panic")
    c.status(0)


# trace_event= enables events from boot on, as Linux's; an unknown one is reported.
TRACE_EVENT_BOOT = session(
    ("mount -t tracefs nodev %s && echo mounted" % T, r"^mounted\n"),
    ("cat %s/events/oom/enable %s/events/delay/enable %s/events/enable" % (T, T, T), r"^1\nX\nX\n"),
    ("cat %s/set_event | wc -l" % T, r"^ *11\n"),
    ("exit 0", None))
# A memory cgroup from the shell, as the cgroup v2 documentation does it: /init has
# mounted cgroup2; the shell moves itself into a group limited to 16M, where the memcg
# OOM killer kills memhog at the limit and the shell lives on; the group's files show it.
CGROUP_SESSION = session(
    ("mount | grep cgroup2", r"^cgroup2 on /sys/fs/cgroup type cgroup2 \(rw,nosuid,nodev,noexec,relatime\)\n"),
    ("cd /sys/fs/cgroup; echo +memory > cgroup.subtree_control; cat cgroup.subtree_control", r"^memory\n"),
    ("mkdir lab && echo 16M > lab/memory.max && cat lab/memory.max", r"^16777216\n"),
    ("echo $$ > lab/cgroup.procs; cat /proc/self/cgroup lab/cgroup.events", r"^0::/lab\npopulated 1\n"),
    ("/bin/memhog 64; echo status $?", r"^memhog: 15 MiB\n(?:.*\n)*status 137\n"),
    ("cat lab/memory.peak; grep -E '^(max|oom|oom_kill) ' lab/memory.events",
     r"^16777216\nmax [1-9]\d*\noom 1\noom_kill 1\n"),
    ("echo $$ > cgroup.procs; rmdir lab; echo removed $?; cat cgroup.stat",
     r"^removed 0\nnr_descendants 0\nnr_dying_descendants \d+\n"),
    ("grep memory /proc/cgroups", r"^memory\t0\t\d+\t1\n"),
) + [("the prompt before 'exit 4'", PROMPT, b"exit 4\r")]


def busybox_cgroup(c):
    c.has(r"Run /init as init process", "'Run /init as init process'")
    c.has(r"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=\(null\),cpuset=/,mems_allowed=0,oom_memcg=/lab,"
          r"task_memcg=/lab,task=memhog,pid=\d+,uid=0", "the memcg OOM's summary line")
    c.has(r"Memory cgroup out of memory: Killed process \d+ \(memhog\)", "memhog's kill")
    c.has(r"init exited with status 4\b", "'init exited with status 4'")
    c.lacks(r"WARNING:|BUG:", "a kernel warning")
    c.lacks(PANIC, "panic")
    c.status(4)


# Mounts by hand: tmpfs, sysfs (which /init mounted on /sys: busy while cgroup2 sits on
# /sys/fs/cgroup), statfs through stat -f, and the unknown system calls libc probes,
# in dmesg but not on the console.
MOUNT_SESSION = session(
    ("cat /sys/kernel/mm/transparent_hugepage/enabled /sys/devices/system/cpu/online",
     r"^always madvise \[never\]\n0\n"),
    ("mkdir -p /mnt; mount -t tmpfs -o size=64k none /mnt; echo x > /mnt/f; cat /mnt/f; "
     "stat -f -c '%T %b %l' /mnt; umount /mnt; ls /mnt | wc -l", r"^x\ntmpfs 16 255\n *0\n"),
    ("umount /sys; umount /sys/fs/cgroup; umount /sys; ls /sys | wc -l; mount -t sysfs -o nosuid sysfs /sys; "
     "ls /sys/fs", r"^umount: can.t unmount /sys: Device or resource busy\n *0\ncgroup\n"),
    ("mount -t nosuchfs none /mnt", r"^mount: mounting none on /mnt failed: No such device\n"),
    ("dmesg | grep -c 'unimplemented system call'", r"^[1-9]\d*\n"),
) + [("the prompt before 'exit 7'", PROMPT, b"exit 7\r")]


def busybox_mount(c):
    c.has(r"init exited with status 7\b", "'init exited with status 7'")
    c.lacks(NOISE, "kernel noise")
    c.lacks(PANIC, "panic")
    c.status(7)


# SysRq f from the console: memhog is the biggest process, and dies.
SYSRQ_F = session(("memhog -q -h 8 & sleep 1; echo started", r"^started\n")) + [
    ("the prompt with memhog running", PROMPT, SYSRQ + b"f"),
    ("the kill", r"Out of memory: Killed process \d+ \(memhog\).*\n", After(0.5, b"\r")),
] + session(("wait; grep oom_kill /proc/vmstat", r"^oom_kill 1\n"), ("exit 0", None))[1:]


def noktest_kernel(c):
    """The KTEST=0 kernel holds no test: its symbol table has no KTEST() function."""
    with open(os.path.join(qemu.NOKTEST, "kernel.sym")) as f:
        tests = [l.split()[-1] for l in f if " ktest_fn_" in l]
    if tests:
        c.fail("the KTEST=0 kernel has %d tests, e.g. %s" % (len(tests), tests[0]))


@dataclasses.dataclass
class Scenario:
    """One test: boot a fresh VM with `cmdline`, then `check(c)` what it printed
    (c.has(), c.lacks(), c.status(): see Check). Everything after `check` is
    optional and named:

        steps       [(what, regex, action)]: wait for regex in the log, then send
                    action (bytes, After(delay, bytes), KILL, or None to only wait)
        direct      boot with QEMU's -kernel; False: through GRUB and the ISO
        mem, cpu    guest RAM, CPU model
        init        'PATH ARGS' to run as init, as ./run.sh --init
        timeout     seconds before QEMU is killed and the test fails
        needs_user  it boots user programs: fail at once on a kernel without user space
        ktests      False: boot the kernel built with KTEST=0 (no in-kernel tests)
        debug       it needs the kernel built with DEBUG=1 (for gdb; its run boots it)
        run         not a VM of its own: run(name) returns [(name, ok, reason)]
                    (ok None: skipped); cmdline and check are then unused
        alone       run it after every other scenario has finished, by itself (a build, or
                    gdb at a busy breakpoint: its CPU use would disturb the timing tests of
                    VMs beside it)
        give_up     (regex, why), or a list of them: fail as soon as the log matches
                    regex (a hang that would otherwise wait out the timeout)
    """
    name: str
    cmdline: str = ""
    check: Optional[Callable] = None
    steps: list = dataclasses.field(default_factory=list)
    direct: bool = True
    mem: str = "256M"
    cpu: Optional[str] = None
    init: Optional[str] = None
    timeout: int = TIMEOUT
    needs_user: bool = False
    ktests: bool = True
    debug: bool = False
    run: Optional[Callable] = None
    alone: bool = False
    give_up: Optional[Union[tuple, list]] = None

    def boot(self):
        give_up = [(r"no user space yet", "the kernel has no user space yet")] if self.needs_user else []
        give_up += [self.give_up] if isinstance(self.give_up, tuple) else list(self.give_up or [])
        return VM(self.name, self.cmdline, self.direct, self.mem, self.cpu, self.steps, self.timeout,
                  init=self.init, give_up=give_up,
                  kernel_dir=qemu.BUILD if self.ktests else qemu.NOKTEST)


SCENARIOS = [
    Scenario("ktest", "ktest=*", ktest, mem="128M"),
    Scenario("gdb", run=gdb_session),
    # gdb stops the machine at every hit of a conditional breakpoint: the busy host would
    # disturb the timing tests of VMs beside these two.
    Scenario("gdb-helpers", run=gdb_helpers, alone=True),
    Scenario("gdb-debug-kernel", run=gdb_debug_kernel, debug=True, alone=True),
    Scenario("gdb-oom", run=gdb_oom, alone=True),
    Scenario("iso-cmdline-timeout", run=run_sh(
        ["--cmdline", "foo=bar", "--timeout", "10"], 124, r"Command line: foo=bar",
        r'Unknown kernel command line parameters "foo=bar"', FINAL, r"timed out after 10 s")),
    Scenario("iso-cmdline", run=run_sh(
        ["--cmdline", "lkdtm=PANIC", "--timeout", "30"], 127,
        r"Booted by GRUB", r"Kernel panic - not syncing: dumptest")),
    Scenario("run.sh-usage", run=run_sh(["--bogus"], 2, r"unknown option '--bogus'", r"^usage: ")),
    # ktest= takes several globs, separated by commas: the tests any of them names, once each.
    Scenario("ktest-globs", "ktest=buddy_poison,memblock_reg*,buddy_p*,nosuch",
             lines("ktest: running 2 tests matching 'buddy_poison,memblock_reg*,buddy_p*,nosuch'",
                   "ok 1 memblock_regions_sorted", "ok 2 buddy_poison", then=ktest), mem="128M"),
    Scenario("ktest-mem-limit", "mem=64M ktest=mem_limit*",
             lines("mem=64M: using RAM below 0x4000000", then=mem_limit)),
    Scenario("boot-iso", "", lambda c: boot_report(c, r"GRUB .*\(multiboot2\)"),
             steps=SYSRQ_STEPS, direct=False),
    Scenario("boot-direct", "", lambda c: boot_report(c, r"qemu \(multiboot\)"), steps=SYSRQ_STEPS),
    Scenario("cmdline-bad-mem-abc", "mem=abc",
             lines("Malformed kernel parameter 'mem=abc', ignored"), steps=UNTIL_BOOTED),
    Scenario("cmdline-bad-mem-1M", "mem=1M",
             lines("mem=1M is too small: Folio needs at least 16 MiB; ignored",
                   then=memory_total(250 << 10, 256 << 10)),       # all 256M
             steps=UNTIL_BOOTED),
    Scenario("cmdline-mem-64M", "mem=64M",
             lines("mem=64M: using RAM below 0x4000000", then=memory_total(32 << 10, 64 << 10)),
             steps=UNTIL_BOOTED),
    # page_poison= takes 0 or 1; buddy_poison checks that freed pages are poisoned, or not.
    Scenario("cmdline-page-poison-0", "page_poison=0 ktest=buddy_poison", well_formed_ktest, mem="128M"),
    Scenario("cmdline-page-poison-1", "page_poison=1 ktest=buddy_poison", well_formed_ktest, mem="128M"),
    Scenario("cmdline-page-poison-2", "page_poison=2",
             lines("Malformed kernel parameter 'page_poison=2', ignored"), steps=UNTIL_BOOTED),
    Scenario("cmdline-unknown", "foo=bar quux loglevel=abc",
             lines('Unknown kernel command line parameters "foo=bar quux", will be passed '
                   "to user space.", "Malformed kernel parameter 'loglevel=abc', ignored"),
             steps=UNTIL_BOOTED),
    Scenario("quiet", "quiet", quiet, steps=UNTIL_BOOTED),
    Scenario("no-long-mode", "",
             lines("Folio: this CPU has no long mode (x86-64); Folio cannot boot on it.",
                   then=lambda c: None),
             steps=[("the no-long-mode message", r"has no long mode.*\n", KILL)], cpu="qemu32"),
    Scenario("lkdtm-PANIC", "lkdtm=PANIC",
             oops("Kernel panic - not syncing: dumptest",
                  "---[ end Kernel panic - not syncing: dumptest ]---")),
    Scenario("lkdtm-BUG", "lkdtm=BUG",
             oops("------------[ cut here ]------------", "kernel BUG at kernel/lkdtm.c:",
                  "invalid opcode: 0000 [#1]", rip="lkdtm_BUG")),
    Scenario("lkdtm-EXCEPTION", "lkdtm=EXCEPTION",
             oops("BUG: kernel NULL pointer dereference, address: 0000000000000000",
                  "#PF: supervisor write access in kernel mode",
                  "#PF: error_code(0x0002) - not-present page", "Oops: 0002 [#1]",
                  "CR2: 0000000000000000", rip="lkdtm_EXCEPTION")),
    Scenario("lkdtm-DIVIDE_ERROR", "lkdtm=DIVIDE_ERROR",
             oops("divide error: 0000 [#1] SMP NOPTI", "CPU: 0 PID: 1 Comm: init Not tainted",
                  "Code: ", "RAX: ", "CR2: ", " </TASK>", "Kernel panic - not syncing: Fatal exception",
                  rip="lkdtm_DIVIDE_ERROR")),
    Scenario("lkdtm-INVALID_OPCODE", "lkdtm=INVALID_OPCODE",
             oops("invalid opcode: 0000 [#1]", rip="lkdtm_INVALID_OPCODE")),
    Scenario("lkdtm-NONCANONICAL", "lkdtm=NONCANONICAL",
             oops("general protection fault: 0000 [#1]", rip="lkdtm_NONCANONICAL")),
    Scenario("lkdtm-WRITE_RO", "lkdtm=WRITE_RO",
             oops("BUG: unable to handle page fault for address:",
                  "#PF: supervisor write access in kernel mode",
                  "#PF: error_code(0x0003) - permissions violation", rip="lkdtm_WRITE_RO")),
    Scenario("lkdtm-WRITE_KERN", "lkdtm=WRITE_KERN",
             oops("BUG: unable to handle page fault for address:",
                  "#PF: error_code(0x0003) - permissions violation", rip="lkdtm_WRITE_KERN")),
    Scenario("lkdtm-EXEC_DATA", "lkdtm=EXEC_DATA",
             oops("kernel tried to execute NX-protected page - exploit attempt?",
                  "#PF: supervisor instruction fetch in kernel mode", "RIP: 0010:")),
    Scenario("lkdtm-EXHAUST_STACK", "lkdtm=EXHAUST_STACK",
             oops("BUG: stack guard page was hit at", "kernel stack overflow (double-fault): 0000 [#1]",
                  "CPU: 0 PID: 1 Comm: init", rip="recurse")),
    Scenario("lkdtm-WARNING", "lkdtm=WARNING", warning, steps=UNTIL_BOOTED),
    Scenario("lkdtm-SLAB_FREE_DOUBLE", "lkdtm=SLAB_FREE_DOUBLE", slab_double, steps=UNTIL_BOOTED),
    Scenario("lkdtm-nonsense", "lkdtm=nonsense",
             lines("lkdtm: unknown crash type 'nonsense'", "lkdtm: types: PANIC BUG WARNING"),
             steps=UNTIL_BOOTED),
    # The sanitizers' bugs (SANITIZE=1; in the normal build: refused, needs SANITIZE=1).
    Scenario("lkdtm-KASAN_UAF", "lkdtm=KASAN_UAF",
             kasan_report("use-after-free", "lkdtm_KASAN_UAF", "Read of size 1",
                          r"Allocated by task 1:\n(?:.*\n)*?.* lkdtm_KASAN_UAF\+",
                          r"Freed by task 1:\n(?:.*\n)*?.* lkdtm_KASAN_UAF\+",
                          r"The buggy address belongs to the object at [0-9a-f]{16}\n"
                          r".* which belongs to the cache kmalloc-64 of size 64\n"
                          r".*The buggy address is located 8 bytes inside of\n"),
             steps=UNTIL_BOOTED),
    Scenario("lkdtm-KASAN_OOB", "lkdtm=KASAN_OOB",
             kasan_report("slab-out-of-bounds", "lkdtm_KASAN_OOB", "Write of size 1", r"Allocated by task 1:\n",
                          r"which belongs to the cache kmalloc-64 of size 64\n"
                          r".*The buggy address is located 40 bytes inside of\n"),
             steps=UNTIL_BOOTED),
    Scenario("lkdtm-KASAN_PAGE_UAF", "lkdtm=KASAN_PAGE_UAF",
             kasan_report("use-after-free", "lkdtm_KASAN_PAGE_UAF", "Read of size 1",
                          r"Freed by task 1:\n(?:.*\n)*?.* __free_pages\+",
                          r"The buggy address belongs to the physical page:\n"),
             steps=UNTIL_BOOTED),
    Scenario("lkdtm-KASAN_GLOBAL_OOB", "lkdtm=KASAN_GLOBAL_OOB",
             kasan_report("global-out-of-bounds", "lkdtm_KASAN_GLOBAL_OOB", "Read of size 1",
                          r"The buggy address belongs to the variable:\n.* lkdtm_global\+0xa/0xa\n"),
             steps=UNTIL_BOOTED),
    Scenario("lkdtm-UBSAN_SHIFT", "lkdtm=UBSAN_SHIFT",
             ubsan_report("shift-out-of-bounds", "shift exponent 40 is too large for 32-bit type 'int'"),
             steps=UNTIL_BOOTED),
    Scenario("lkdtm-UBSAN_BOUNDS", "lkdtm=UBSAN_BOUNDS",
             ubsan_report("array-index-out-of-bounds", "index 4 is out of range for type 'int [4]'"),
             steps=UNTIL_BOOTED),
    Scenario("lkdtm-UBSAN_OVERFLOW", "lkdtm=UBSAN_OVERFLOW",
             ubsan_report("signed-integer-overflow", "2147483647 + 1 cannot be represented in type 'int'"),
             steps=UNTIL_BOOTED),
    # User space: these need a kernel that runs /init.
    Scenario("usertests", "", usertests, init="/bin/usertests", timeout=600, needs_user=True),
    # A race forced with a delay point: clone() held inside copy_process() while the process ends.
    Scenario("usertests-clone-race", "delay=copy_process_before_link:300",
             lambda c: (usertests(c, "usertests-clone-race:"),
                        c.has(r"delay_point: copy_process_before_link: usertests\[\d+\] sleeps 300 ms",
                              "the delay point's line")),
             init="/bin/usertests clone_group_exit_race", needs_user=True),
    Scenario("busybox-session", "", busybox_session, steps=SESSION, timeout=120, needs_user=True),
    Scenario("busybox-proc", "", busybox_proc, steps=PROC_SESSION, timeout=180, needs_user=True),
    # mprotect() is held (a delay point armed through tracefs) with mmap_lock held for writing;
    # a reader of its /proc/PID/maps is killed while it waits.
    Scenario("proc-maps-reader-killable", "", usertests,
             init="/bin/usertests proc_maps_reader_killable", timeout=180, needs_user=True),
    # An exiting process held in exit_mm() between clearing ->mm and mmput(): /proc sees no memory.
    Scenario("proc-exit-mm-held", "", usertests,
             init="/bin/usertests proc_exit_mm_held", timeout=180, needs_user=True),
    Scenario("delay-points-hold", "", delay_hold_session, steps=DELAY_HOLD, timeout=120, needs_user=True),
    Scenario("trace-event-boot", "trace_event=oom:*,nonsense,delay:reached",
             lines("Failed to enable trace event: nonsense", "init exited with status 0", then=lambda c: c.status(0)),
             steps=TRACE_EVENT_BOOT, timeout=120, needs_user=True),
    Scenario("busybox-mount", "", busybox_mount, steps=MOUNT_SESSION, timeout=120, needs_user=True),
    Scenario("busybox-cgroup", "", busybox_cgroup, steps=CGROUP_SESSION, timeout=120, needs_user=True),
    # Typing ahead: commands piped into ./run.sh before anything boots are kept by
    # the console and run in order (through GRUB, and with the direct boot).
    Scenario("typeahead-pipe-iso", run=run_sh(
        ["--timeout", str(TIMEOUT)], 3, r"^hi$", r"init exited with status 3\b", stdin=b"echo hi\nexit 3\n")),
    Scenario("typeahead-pipe-direct", run=run_sh(
        ["--direct", "--timeout", str(TIMEOUT)], 5, r"^one$", r"^42$", r"^x$", r"^three$",
        r"^one\n(.*\n)*42\n(.*\n)*x\n(.*\n)*three$", r"init exited with status 5\b",
        stdin=b"echo one\necho $((6 * 7))\nmkdir -p /mnt; mount -t tmpfs none /mnt; echo x > /mnt/f; "
              b"cat /mnt/f; umount /mnt\necho three\nexit 5\n")),
    Scenario("init-exit-42", run=exitcode_init(42, direct=True)),
    Scenario("init-exit-200-iso", run=exitcode_init(200, direct=False)),
    Scenario("init-static-pie", run=run_sh(
        ["--direct", "--init", "/bin/exitcode-pie 7 two", "--timeout", str(TIMEOUT)], 7,
        r"^exitcode: argv\[0\]=/bin/exitcode-pie$", r"^exitcode: argv\[2\]=two$",
        r"init exited with status 7\b")),
    Scenario("init-args", "",
             init_status(0, "Folio init (pid 1): running /bin/forktree 2 3",
                         "forktree: 13 of 13 processes ran, all reaped: OK"),
             init="/init /bin/forktree 2 3", needs_user=True),
    Scenario("init-missing-program", "",
             init_status(127, "init: cannot run /bin/no-such-program: No such file or directory"),
             init="/init /bin/no-such-program", needs_user=True),
    # The model of the OOM race: the default design verifies, each before mode fails as it did.
    Scenario("spin-oom-default", run=spin_model("")),
    Scenario("spin-oom-default-stalled", run=spin_model("STALLED_VICTIM")),
    Scenario("spin-oom-mmget", run=spin_model("MMGET", SPIN_SPURIOUS_KILL,
             r"\(Victim:1\) .*\[victim_alive = 0\]", r"\(OOM:1\) .*\[killed_bystander = 1\]")),
    Scenario("spin-oom-mmget-stalled", run=spin_model("MMGET STALLED_VICTIM", SPIN_SPURIOUS_KILL,
             r"\(Victim:1\) .*\[victim_stalled = 1\]", r"\(Reaper:1\) .*\[pinned = 0\]",
             r"\(OOM:1\) .*\[killed_bystander = 1\]", r"^\s+victim_freed = 0\n")),
    Scenario("spin-oom-keep_memdie", run=spin_model("KEEP_MEMDIE", "invalid end state",
             r"\(Reaper:1\) .*\[oom_skip = 1\]", r"\(Victim:1\) .*\[goto stuck\]",
             r"^\s+victim_freed = 2\n(?:.*\n)*\s+memdie = 1\n(?:.*\n)*\s+rounds_done = 1\n",
             r"proc  3 \(OOM:1\) oom\.pml:\d+ \(state \d+\)\n")),
    Scenario("spin-oom-no_reaper", run=spin_model("NO_REAPER", "invalid end state",
             r"\(Victim:1\) .*\[goto stuck\]", r"^\s+victim_freed = 0\n(?:.*\n)*\s+rounds_done = 0\n",
             r"proc  2 \(OOM:1\) oom\.pml:\d+ \(state \d+\)\n")),
    Scenario("spin-oom-no_dummy_lock", run=spin_model("NO_DUMMY_LOCK", re.escape("assertion violated  !(pgtables_freed)"),
             r"\(Victim:1\) .*\[pgtables_freed = 1\]", r"\(Reaper:1\) .*\[assert\(!\(pgtables_freed\)\)\]")),
    # The memcg OOM unwind (docs/oom-model/memcg.pml): verified; trap's deadlock cycle, the charger
    # asleep at the OOM holding mmap_lock for reading and the victim waiting to write it.
    Scenario("spin-memcg-unwind", run=spin_model("", model="memcg.pml")),
    Scenario("spin-memcg-trap", run=spin_model("TRAP", "invalid end state",
             r"#processes: 3\n(?:.*\n)*?\s+readers = 1\n(?:.*\n)*?\s+writer_waiting = 1\n\s+charger_holds = 1\n",
             r"proc  2 \(Victim:1\) memcg\.pml:\d+ \(state \d+\)\n",
             r"proc  1 \(Charger:1\) memcg\.pml:\d+ \(state \d+\)\n", model="memcg.pml")),
    # The OOM killer and reaper (user/oomtest.c; docs/oom.md). Small VMs, so that OOMs come quickly.
    Scenario("oom-linux-behaviour", "mem=" + OOM_MEM,
             oomtest("choice", "shared", "threads", "allocating", "sysrq", "syscalls", then=oom_report),
             init="/bin/oomtest choice shared threads allocating sysrq syscalls", mem=OOM_MEM, timeout=OOM_TIMEOUT, needs_user=True),
] + [Scenario("oom-" + test, "mem=" + OOM_MEM, oomtest(test, then=then), init="/bin/oomtest " + test,
              mem=OOM_MEM, timeout=OOM_TIMEOUT, needs_user=True, give_up=REAPER_HANG)
       for test, then in (("handshake", oom_reaped), ("reaper-first", oom_reaped), ("exit-first", None),
                          ("stuck", None), ("unreapable", oom_reaper_gave_up),
                          ("reap-shared", oom_reaped_shared))] + [
    Scenario("oom-reaper-mmget", "mem=%s oom_reaper.mmget=1" % OOM_MEM,
             oomtest("handshake-mmget", then=oom_design("the reaper pins the mm with mmget_not_zero()")),
             init="/bin/oomtest handshake-mmget", mem=OOM_MEM, timeout=OOM_TIMEOUT, needs_user=True),
    Scenario("oom-reaper-keep-memdie", "mem=%s oom_reaper.keep_memdie=1" % OOM_MEM,
             oomtest("stuck-keep-memdie", then=lambda c: c.has(
                 r"INFO: task trigger2:\d+ blocked for more than 2 seconds\.\n(?:.*\n)*?.*task:trigger2 +state:D .*\n"
                 r".*Call Trace:\n.*<TASK>\n.* __schedule\+.*\n.* oom_wait_for_victims\+", "the hung-task report")),
             init="/bin/oomtest stuck-keep-memdie", mem=OOM_MEM, timeout=OOM_TIMEOUT, needs_user=True),
    Scenario("oom-no-reaper", "mem=%s oom_reaper=0" % OOM_MEM,
             oomtest("no-reaper", then=oom_design("no OOM reaper (oom_reaper=0")),
             init="/bin/oomtest no-reaper", mem=OOM_MEM, timeout=OOM_TIMEOUT, needs_user=True),
    # The memory cgroup's OOM (docs/memcg.md).
    Scenario("memcg-oom-report", "", memcg_oom_report, init="/bin/usertests memcg_oom_kill memcg_oom_group",
             timeout=OOM_TIMEOUT, needs_user=True),
    Scenario("memcg-oomd", "", lambda c: (
                 [c.has(r"^memcg-oomd: demo %s: OK " % a, "the %s round" % a) for a in ("raise", "kill", "enable")],
                 c.has(r"^memcg-oomd: pid \d+ \(memcg-oomd\) D \(disk sleep\), VmRSS \d+ kB, \d+ mappings$",
                       "the handler's look at the stopped hog"),
                 c.has(r"^\[[ \d.]+\] memory\+swap: usage 8192kB, limit 9007199254740988kB, failcnt 0$\n"
                       r"^\[[ \d.]+\] kmem: usage \d+kB, limit 9007199254740988kB, failcnt 0$", "v1's report lines"),
                 c.has(r"^memcg-oomd: all passed$", "'all passed'")),
             init="/bin/memcg-oomd --demo raise kill enable", timeout=OOM_TIMEOUT, needs_user=True),
    # The two deadlocks of the memcg OOM (docs/memcg.md), in each mode: unwind (the default) and
    # sync complete; trap hangs, and the hung-task detector's report is the evidence.
    Scenario("memcg-oom-deadlocks", "mem=" + OOM_MEM,
             oomtest("memcg-victim-lock", "memcg-handler-maps", then=lambda c: c.lacks(r"blocked for more than",
                                                                                    "a hung-task report")),
             init="/bin/oomtest memcg-victim-lock memcg-handler-maps", mem=OOM_MEM, timeout=OOM_TIMEOUT,
             needs_user=True, give_up=[MEMCG_OOM_HANG, OOMTEST_FAILED]),
    Scenario("memcg-oom-deadlocks-sync", "mem=%s memcg.oom=sync" % OOM_MEM,
             oomtest("memcg-victim-lock", "memcg-handler-maps", then=lambda c: (
                 c.has(r"memcg: memcg\.oom=sync: the OOM killer runs in the charge path", "the mode's line"),
                 c.lacks(r"blocked for more than", "a hung-task report"))),
             init="/bin/oomtest memcg-victim-lock memcg-handler-maps", mem=OOM_MEM, timeout=OOM_TIMEOUT,
             needs_user=True),
    Scenario("memcg-oom-deadlocks-trap", "mem=%s memcg.oom=trap" % OOM_MEM,
             oomtest("memcg-victim-lock", "memcg-handler-maps", then=lambda c: (
                 c.has(r"memcg: memcg\.oom=trap: chargers loop and sleep at a group's OOM", "the mode's line"),
                 c.has(r"INFO: task victim:\d+ blocked for more than 2 seconds\.\n(?:.*\n)*?"
                       r".*INFO: task victim:\d+ is blocked on an rw-semaphore likely owned by task reader:\d+\.",
                       "the victim's hung-task report, naming the reader"),
                 c.has(r"INFO: task reader:\d+ blocked for more than 2 seconds\.", "the reader's report"),
                 c.has(r"INFO: task member:\d+ blocked for more than 2 seconds\.\n(?:.*\n)*?.* mem_cgroup_oom_trap\+",
                       "the member's report, asleep in the charge path"))),
             init="/bin/oomtest memcg-victim-lock memcg-handler-maps", mem=OOM_MEM, timeout=OOM_TIMEOUT,
             needs_user=True, give_up=OOMTEST_FAILED),
    # One OOM per charge: a charger at its group's limit whose victim keeps its memory a while
    # (held before exit_mm(), and no reaper). Unwind: one OOM, then the charger sleeps, unwound;
    # trap and sync go back to the OOM until the victim is gone.
] + [Scenario("memcg-one-oom" + suffix, "mem=%s oom_reaper=0%s" % (OOM_MEM, mode), oomtest("memcg-one-oom"),
              init="/bin/oomtest memcg-one-oom", mem=OOM_MEM, timeout=OOM_TIMEOUT, needs_user=True,
              give_up=OOMTEST_FAILED)
     for suffix, mode in (("", ""), ("-sync", " memcg.oom=sync"), ("-trap", " memcg.oom=trap"))] + [
    Scenario("memcg-oom-bad-mode", "memcg.oom=bogus", lambda c: (
                 c.has(r"memcg\.oom=bogus: unknown mode \(unwind, trap or sync\); keeping unwind", "the message"),
                 c.status(0)), init="/bin/exitcode 0", needs_user=True),
    # The group's limit makes the OOMs: the machine gets room enough that its own memory (with
    # KASAN's shadow and quarantine, in the SANITIZE=1 kernel) never runs short meanwhile.
    Scenario("memcg-oom-flood", "mem=128M",
             oomtest("memcg-flood", then=lambda c: c.lacks(r"WARNING|BUG|blocked for more than", "a warning")),
             init="/bin/oomtest memcg-flood 100", mem="128M", timeout=OOM_TIMEOUT, needs_user=True),
    Scenario("oom-flood", "mem=" + OOM_MEM, oomtest("flood"), init="/bin/oomtest flood 200", mem=OOM_MEM, timeout=OOM_TIMEOUT,
             needs_user=True),
    Scenario("oom-reap", "mem=" + OOM_MEM, oomtest("reap", then=oom_reap_rounds(5)), init="/bin/oomtest reap 5",
             mem=OOM_MEM, timeout=OOM_TIMEOUT, needs_user=True),
    Scenario("bench-global-oom", "mem=" + OOM_MEM, bench_global_oom, init="/init /bin/sh /bench/all.sh global_oom",
             mem=OOM_MEM, timeout=OOM_TIMEOUT, needs_user=True),
    Scenario("oom-nothing-killable", "mem=" + OOM_MEM,
             oom_panic("Out of memory and no killable processes...",
                       "Kernel panic - not syncing: System is deadlocked on memory"),
             init="/bin/oomtest nothing", mem=OOM_MEM, needs_user=True),
    Scenario("oom-panic-on-oom", "mem=" + OOM_MEM,
             oom_panic("Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled"),
             init="/bin/oomtest panic", mem=OOM_MEM, needs_user=True),
    Scenario("oom-sysrq-f-serial", "mem=" + OOM_MEM, sysrq_f, steps=SYSRQ_F, mem=OOM_MEM, timeout=OOM_TIMEOUT, needs_user=True),
    Scenario("oom-timeline", run=oom_timeline),
    Scenario("oom-timeline-memdie", run=oom_timeline_memdie),
    Scenario("oom-timeline-memcg", run=oom_timeline_memcg),
    Scenario("oom-cmdline-malformed", "oom_reaper=2 oom_reaper.mmget=yes",
             lines("Malformed kernel parameter 'oom_reaper=2', ignored",
                   "Malformed kernel parameter 'oom_reaper.mmget=yes', ignored",
                   then=lambda c: (c.lacks("oom: the OOM design before", "before-mode line"), booted(c))),
             steps=UNTIL_BOOTED),
    # The kernel built with KTEST=0: it boots to user space, and ktest= finds no test.
    Scenario("noktest-init", "",
             init_status(5, "Folio init (pid 1): running /bin/exitcode 5", "exitcode: argv[1]=5",
                         then=noktest_kernel),
             init="/init /bin/exitcode 5", needs_user=True, ktests=False),
    Scenario("noktest-ktest", "ktest=*",
             lines("ktest: running 0 tests matching '*'", "ktest: no test matches '*'",
                   then=no_tests),
             ktests=False),
    Scenario("build-other-kernel", run=build_other_kernel, alone=True),
    Scenario("readme-counts", run=readme_counts),
    Scenario("tree-rules", run=tree_rules),
    # The labs: markers, the solution's full score, each skeleton built and failing its grader.
    Scenario("lab-markers", run=lab_markers),
] + [Scenario("lab-solution-%s" % lab.name, run=lab_solution(lab.name)) for lab in LAB_LIST] + [
    Scenario("lab-skeletons", run=lab_skeletons, alone=True),
]


# ---- BEGIN fuzz scenarios: /bin/fuzz as init (tests/fuzz.py) --------------------------
# A fixed seed and a random one (the result's line names it, as does the log's first fuzz
# line), 4000 calls each, and the replay mode, skipping the checks Folio is known to fail and
# the triggers of its known defects (fuzz.KNOWN). Each must end with free memory back, every
# process reaped, and no BUG/WARNING/Oops/hung task/leak/sanitizer report/panic from the kernel.
import fuzz


def fuzz_run(c):
    c.note = "seed=%s" % fuzz.seed_of(c.log)
    for problem in fuzz.problems(c.log):
        c.fail(problem)
    c.status(0)


def fuzz_replay(c):
    """-r: each call printed before it is made (`w0.I #N name(args) ...`), then its result
    (`w0.I #N = R`, or an operation's `w0.I #N name(choices) = R`). A kernel line may split
    one of them on the console now and then: nearly all must be there."""
    fuzz_run(c)
    started = set(re.findall(r"^w0\.\d+ #(\d+) [\w-]+\(.*\) \.\.\.$", c.log, re.M))
    ended = set(re.findall(r"^w0\.\d+ #(\d+) (?:[\w-]+\(.*\) )?= \S+", c.log, re.M))
    if len(started) < 190:
        c.fail("%d calls printed before they were made, expected 200" % len(started))
    if len(started & ended) < 0.95 * len(started):
        c.fail("%d of %d calls printed with their result" % (len(started & ended), len(started)))


SCENARIOS += [
    Scenario("fuzz-replay", "", fuzz_replay, init=fuzz.init_cmd(seed=3, calls=200, workers=1) + " -r",
             timeout=TIMEOUT + 40, needs_user=True),
    Scenario("fuzz-seed-1", "", fuzz_run, init=fuzz.init_cmd(seed=1, calls=4000, seconds=40),
             timeout=TIMEOUT + 40, needs_user=True),
    Scenario("fuzz-random-seed", "", fuzz_run, init=fuzz.init_cmd(calls=4000, seconds=40),
             timeout=TIMEOUT + 40, needs_user=True),
]
# ---- END fuzz scenarios ---------------------------------------------------------------


def run_scenario(sc):
    try:
        if sc.run:                            # not a plain VM: returns its own results
            return sc.name, sc.run(sc.name)
        c = Check(sc.boot().run())
        sc.check(c)
        for line in unexpected_sanitizer_reports(sc.name, c.log)[:3]:
            c.fail("unexpected sanitizer report: %r" % line)
        name = sc.name + (" (%s)" % c.note if c.note else "")
        return sc.name, c.subtests + [(name, not c.errors, "; ".join(c.errors))]
    except Exception as e:                    # a runner problem (e.g. grub-mkrescue failed)
        return sc.name, [(sc.name, False, "%s: %s" % (type(e).__name__, e))]


def tail(name, n=30):
    path = os.path.join(LOGS, name + ".log")
    try:
        with open(path) as f:
            lines = f.read().splitlines()[-n:]
    except OSError:
        return "    (no log)"
    return "    log: %s\n%s" % (os.path.relpath(path, ROOT), "\n".join("    | " + l for l in lines))


def make(*args):
    """make -s ARGS in the tree: None, or what it printed if it failed."""
    r = subprocess.run(["make", "-s", "-j%d" % JOBS] + list(args), cwd=ROOT, capture_output=True,
                       text=True)
    return r.stdout + r.stderr if r.returncode else None


def failed_to_build(reason):
    """A scenario's run when its kernel did not build."""
    return lambda name: [(name, False, reason)]


def main():
    ap = argparse.ArgumentParser(description="Folio's test runner")
    ap.add_argument("-k", metavar="PATTERN", help="only scenarios whose name contains or glob-matches PATTERN")
    ap.add_argument("-v", action="store_true", help="echo every VM's serial log")
    a = ap.parse_args()
    todo = [s for s in SCENARIOS if not a.k or a.k in s.name or fnmatch.fnmatch(s.name, a.k)]
    if not todo:
        ap.error("no scenario matches %r" % a.k)
    os.makedirs(LOGS, exist_ok=True)
    # Each scenario says which kernel it boots: `make test KTEST=0` must not change
    # the one ./run.sh boots.
    os.environ.pop("KTEST", None)
    # The initramfs (user programs + busybox) goes into every boot, as with ./run.sh.
    error = make("KTEST=1", "kernel", "initramfs")
    if error:
        print(error + "FAIL build: make kernel initramfs failed\n0 passed, 1 failed")
        return 1
    for knob, needs in (("KTEST=0", lambda s: not s.ktests), ("DEBUG=1", lambda s: s.debug)):
        if not any(needs(s) for s in todo):
            continue
        error = make(knob, "kernel")
        if error:
            print(error)
            todo = [dataclasses.replace(s, run=failed_to_build("make %s kernel failed: %s"
                    % (knob, error.strip().splitlines()[-1]))) if needs(s) else s for s in todo]
    passed = failed = 0
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        together = pool.map(run_scenario, [s for s in todo if not s.alone])
        alone = (run_scenario(s) for s in todo if s.alone)     # started once the others are done
        for scenario, results in itertools.chain(together, alone):
            for name, ok, reason in results:
                if ok is None:
                    print("SKIP %s: %s" % (name, reason))
                    continue
                print("PASS %s" % name if ok else "FAIL %s: %s" % (name, reason))
                passed += bool(ok)
                failed += not ok
            if a.v or not all(ok is not False for _, ok, _ in results):
                print(tail(scenario, 10**6 if a.v else 30))
            sys.stdout.flush()
    print("(%.1f s, logs in %s)" % (time.monotonic() - start, os.path.relpath(LOGS, ROOT)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
