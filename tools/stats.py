#!/usr/bin/env python3
"""Folio's counts (`make stats`): system calls, in-kernel tests (of the kernels
built), usertests, scenarios of the test suite, labs; all but the in-kernel tests
from the source. The README quotes some of them;
the scenario readme-counts (tests/run.py) checks that it quotes them right.

    tools/stats.py           one `name value  (where it is counted)` line each
"""
import os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL_DIRS = ("arch", "kernel", "mm", "fs", "lib")


def sources(dirs, suffix):
    for d in dirs:
        for path, _, names in os.walk(os.path.join(ROOT, d)):
            for n in sorted(names):
                if n.endswith(suffix):
                    with open(os.path.join(path, n), encoding="utf-8") as f:
                        yield n, f.read()


def syscalls():
    """SYSCALL_DEFINEn(name, ...) and SYSCALL_DEFINE_REGS(name) outside the tests: the
    table the kernel builds at boot (`syscall: N system calls` in the boot log)."""
    names = set()
    for n, text in sources(KERNEL_DIRS, ".c"):
        if not n.endswith("_test.c"):
            names.update(re.findall(r"^SYSCALL_DEFINE(?:\d|_REGS)\((\w+)", text, re.M))
    return len(names)


def ktests(build="build"):
    """The in-kernel tests a built kernel holds (its ktest_fn_* symbols): some tests are
    made by macros, and some only for SANITIZE=1, so the source cannot be counted
    line by line. None when that kernel is not built."""
    try:
        with open(os.path.join(ROOT, build, "kernel.sym")) as f:
            return sum(" ktest_fn_" in line for line in f)
    except OSError:
        return None


def usertests():
    """(run by `usertests` with no argument, run only when named): T(name) in the tables
    of user/usertests/ (the named-only tables have "named" in their name)."""
    every = named = 0
    for _, text in sources(("user/usertests",), ".c"):
        for m in re.finditer(r"^(?:static )?const struct test (\w+)\[\] = \{(.*?)\n\};", text, re.M | re.S):
            n = len(re.findall(r"\bT\(\w+\)", m.group(2)))
            if "named" in m.group(1):
                named += n
            else:
                every += n
    return every, named


def scenarios():
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import run
    return len(run.SCENARIOS)


def labs():
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import labs as table
    return len(table.LABS)


def main():
    every, named = usertests()
    print("syscalls   %4d  (SYSCALL_DEFINE in %s/, as the boot log's \"syscall: N system calls\")"
          % (syscalls(), "/, ".join(KERNEL_DIRS)))
    for build, what in (("build", "the kernel"), ("build-san", "the SANITIZE=1 kernel")):
        n = ktests(build)
        print("ktests     %4s  (in %s, %s/kernel.sym%s)" % (n if n is not None else "-", what, build,
                                                          "" if n is not None else ": not built"))
    print("usertests  %4d  (user/usertests/, and %d more run only when named)" % (every, named))
    print("scenarios  %4d  (tests/run.py's SCENARIOS; a ktest or usertests scenario counts its tests one by one)"
          % scenarios())
    print("labs       %4d  (tests/labs.py)" % labs())


if __name__ == "__main__":
    main()
