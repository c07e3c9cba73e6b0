"""A scratch copy of the source tree where mutants are built and tested.

The real sources are never written: each Tree is a copy under build/mutate/treeN,
brought back in line with the sources (byte for byte) by sync(), which also undoes
a mutant a crash left behind. Builds there are incremental: a mutant recompiles
its file (or, for a header, the files that include it) and relinks.

Mutants build through tools/mutate/mutant.mk, which keeps -Werror except for the
warnings a mutation makes on its own (a variable left unused, a value maybe
uninitialized after a dropped assignment): those mutants are real bugs, not
build failures.
"""
import os, re, shutil, signal, subprocess, time

MUTANT_MK = "tools/mutate/mutant.mk"
VERSION = "mutate"                 # the kernel version string of every scratch build
PANIC = "Kernel panic - not syncing"


class Tree:
    def __init__(self, root, path, make_jobs=1):
        self.root, self.path, self.make_jobs = root, path, make_jobs
        self.logs = os.path.join(path, "build", "mutate-logs")
        self.proc = None                   # the test running now, for kill()

    # ---- the copy ----------------------------------------------------------------

    def sources(self):
        out = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=self.root,
                             capture_output=True, check=True).stdout.decode()
        return sorted(p for p in out.split("\0") if p and os.path.isfile(os.path.join(self.root, p)))

    def sync(self):
        """Make the copy equal to the sources: changed files are rewritten (with a new mtime,
        so make rebuilds from them), files gone from the sources are deleted."""
        files = self.sources()
        for p in files:
            src, dst = os.path.join(self.root, p), os.path.join(self.path, p)
            with open(src, "rb") as f:
                data = f.read()
            try:
                with open(dst, "rb") as f:
                    same = f.read() == data
            except OSError:
                same = False
            if not same:
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                with open(dst, "wb") as f:
                    f.write(data)
            shutil.copymode(src, dst)
        keep = set(files)
        for d, dirs, names in os.walk(self.path):
            rel = os.path.relpath(d, self.path)
            if rel == ".":
                dirs[:] = [x for x in dirs if x not in ("build", ".git")]
            for n in names:
                p = os.path.normpath(os.path.join(rel, n))
                if p not in keep:
                    os.remove(os.path.join(self.path, p))

    def read(self, rel):
        with open(os.path.join(self.path, rel)) as f:
            return f.read()

    def write(self, rel, text):
        with open(os.path.join(self.path, rel), "w") as f:
            f.write(text)

    def restore(self, rel):
        """Put the real file back and drop its object, so the next build recompiles it."""
        with open(os.path.join(self.root, rel)) as f:
            self.write(rel, f.read())
        if rel.endswith(".c"):
            try:
                os.remove(self.obj(rel))
            except OSError:
                pass

    # ---- building ----------------------------------------------------------------

    def obj(self, rel):
        return os.path.join(self.path, "build", rel[:-2] + ".o")

    def pin_version(self):
        """Builds here say VERSION=mutate, so an object that recompiles for a mutant does not
        differ from the original by git describe's output. Objects built with another
        version (by an older run) are dropped once."""
        stamp = os.path.join(self.path, "build", "mutate-version")
        try:
            with open(stamp) as f:
                if f.read() == VERSION:
                    return
        except OSError:
            pass
        for rel in self.sources():
            if rel.endswith(".c") and "FOLIO_VERSION" in self.read(rel):
                try:
                    os.remove(self.obj(rel))
                except OSError:
                    pass
        os.makedirs(os.path.dirname(stamp), exist_ok=True)
        with open(stamp, "w") as f:
            f.write(VERSION)

    def make(self, *targets, mutant=True):
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        argv = (["make", "-s", "-j%d" % self.make_jobs, "VERSION=" + VERSION]
                + (["-f", MUTANT_MK] if mutant else []) + list(targets))
        r = subprocess.run(argv, cwd=self.path, env=env, capture_output=True, text=True)
        return r.returncode == 0, r.stdout + r.stderr

    def fingerprint(self, rel):
        """What the code of rel builds to, without debug info: the stripped object of a .c
        file, the flat kernel image for a header. Equal fingerprints: the mutant cannot
        change behaviour."""
        if not rel.endswith(".c"):
            with open(os.path.join(self.path, "build", "folio.bin"), "rb") as f:
                return f.read()
        out = os.path.join(self.path, "build", "mutate-stripped.o")
        subprocess.run(["objcopy", "--strip-debug", "-R", ".comment", self.obj(rel), out], check=True)
        with open(out, "rb") as f:
            return f.read()

    # ---- running tests -------------------------------------------------------------

    def run(self, argv, name, timeout):
        """Run argv in the tree with a time limit (the whole process group is killed at the
        limit). Returns (status or None on timeout, output, seconds); the output is kept in
        build/mutate-logs/NAME.log inside the tree."""
        os.makedirs(self.logs, exist_ok=True)
        start = time.monotonic()
        p = self.proc = subprocess.Popen(argv, cwd=self.path, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        try:
            out, _ = p.communicate(timeout=timeout)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            killpg(p.pid)
            out, _ = p.communicate()
            rc = None
        except BaseException:
            killpg(p.pid)
            p.wait()
            raise
        text = out.decode("utf-8", "replace").replace("\r", "")
        with open(os.path.join(self.logs, re.sub(r"[^\w.-]", "_", name) + ".log"), "w") as f:
            f.write(text)
        return rc, text, time.monotonic() - start

    def kill(self):
        """Stop the test running in this tree (from another thread), with its VMs."""
        p = self.proc
        if p and p.poll() is None:
            killpg(p.pid)

    def run_test(self, test, timeout):
        """(passed, reason, seconds) for one test (coverage.Test) against what is built."""
        if test.kind == "ktest":
            argv = ["python3", "tests/qemu.py", "--direct", "--mem", "128M",
                    "--cmdline", "ktest=" + test.arg, "--timeout", str(int(timeout))]
            rc, out, secs = self.run(argv, "ktest-" + test.arg, timeout + 30)
            return verdict_ktest(rc, out) + (secs,)
        if test.kind == "usertests":
            argv = ["python3", "tests/qemu.py", "--direct", "--init",
                    ("/bin/usertests " + test.arg).strip(), "--timeout", str(int(timeout))]
            rc, out, secs = self.run(argv, "usertests-" + (test.arg or "all"), timeout + 30)
            return verdict_usertests(rc, out) + (secs,)
        pattern = {"scenario": test.arg, "spin": "spin-oom-" + test.arg}.get(test.kind)
        argv = ["python3", "tests/run.py"] + (["-k", pattern] if pattern else [])
        rc, out, secs = self.run(argv, "run.py-" + (pattern or "all"), timeout)
        return verdict_runpy(rc, out) + (secs,)


def _first(pattern, text):
    m = re.search(pattern, text, re.M)
    return m.group(0).strip() if m else None


def _common(rc, out):
    if rc is None or rc == 124:
        return "timed out (a hang)"
    panic = _first(r"Kernel panic - not syncing:.*$", out)
    return "panic: " + panic.split(":", 1)[1].strip() if panic else None


def killpg(pgid):
    """Kill a test's process group (the runner and its VMs), if anything is left of it."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def may_be_flaky(why):
    """A failed check (not a hang or a panic): worth running again before it counts."""
    return not (why.startswith("timed out") or why.startswith("panic"))


def verdict_ktest(rc, out):
    why = _first(r"not ok \d+ .*$", out) or _common(rc, out)
    m = re.search(r"ktest: (\d+) passed, (\d+) failed", out)
    if not why and not (m and int(m.group(1)) > 0 and m.group(2) == "0"):
        why = _first(r"ktest: no test matches.*$", out) or "no ktest summary line"
    if not why and rc != 0:
        why = "exit status %s" % rc
    return not why, why or ""


# A kernel report in a boot of user tests: nothing there provokes one on purpose.
KERNEL_REPORT = r"\b(?:BUG|WARNING): .*$"


def verdict_usertests(rc, out):
    why = _first(r"^test \S+: FAILED.*$", out) or _common(rc, out)
    report = not why and _first(KERNEL_REPORT, out)
    if report:
        why = "kernel report: " + report
    if not why and not re.search(r"^\d+ passed, 0 failed$", out, re.M):
        why = "no 'N passed, 0 failed' line"
    if not why and rc != 0:
        why = "exit status %s" % rc
    return not why, why or ""


def verdict_runpy(rc, out):
    if rc is None:
        return False, "timed out (a hang)"
    if rc == 0:
        return True, ""
    return False, _first(r"^FAIL .*$", out) or "tests/run.py exit status %s" % rc
