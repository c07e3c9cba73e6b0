#!/usr/bin/env python3
"""The lab grader (`make grade LAB=name`), in the style of MIT 6.1810's gradelib.

Runs the graded tests of one lab (tests/labs.py) on the kernel in this tree:
its in-kernel tests in one boot (ktest=GLOB), its usertests in another (as
init), and each of its scenarios (tests/run.py) in its own; the boots run two
at a time. Then one line per graded test, in the table's order, with the
time it took:

    == Test buddy_split_merge == buddy: OK (0.4s)
    == Test usertests: forkbomb == buddy: FAIL (2.1s)
        free memory did not come back: ...
    Score: 85/100

and exits 0 only when every test passed. `make grade` builds the kernel and
the initramfs first. Logs: build/test-logs/grade-LAB-*.log.

    python3 tests/grade.py LAB [-v] [--jobs N]   (-v: also the boots' logs)
    python3 tests/grade.py --list
"""
import argparse, concurrent.futures, os, re, sys, time

import labs
import run


# No lab's in-kernel test blocks for 10 s: one that does is stuck (a charge that waits for
# ever where the lab's stub traps it), and the tests after it cannot run.
KTEST_HANG = (r"INFO: task \S+:\d+ blocked for more than \d+ seconds\.",
              "an in-kernel test hung (the hung-task report)")


def ktest_results(lab):
    """{ktest name: (ok, reason, seconds)} from one boot with ktest=the lab's glob."""
    vm = run.VM("grade-%s-ktest" % lab.name, "ktest=%s" % lab.ktest_glob, mem="128M", timeout=180,
                give_up=[KTEST_HANG], kernel_dir=run.qemu.KERNEL_DIR).run()
    results, prev, pos = {}, None, 0
    start, pos = vm.seconds_at(b"ktest: running", 0)
    for m in re.finditer(r"^\[[ \d.]+\] (ok|not ok) \d+ ([^\s:]+)(?:: (.*))?$", vm.log, re.M):
        t, pos = vm.seconds_at(m.group(0).split("] ", 1)[1].encode(), pos)
        results[m.group(2)] = (m.group(1) == "ok", m.group(3) or "", (t or 0) - (prev or start or 0))
        prev = t
    return results, vm


def usertest_results(lab, names):
    """{usertest name: (ok, reason, seconds)} from one boot of /bin/usertests NAMES as init."""
    vm = run.VM("grade-%s-usertests" % lab.name, init="/bin/usertests " + " ".join(names),
                timeout=300, kernel_dir=run.qemu.KERNEL_DIR).run()
    results, prev, pos = {}, None, 0
    start, _ = vm.seconds_at(b"Run /bin/usertests as init process", 0)
    for m in re.finditer(r"^test (\S+): (OK|FAILED)(?: \((.*)\))?$", vm.log, re.M):
        t, pos = vm.seconds_at(m.group(0).encode(), pos)
        results[m.group(1)] = (m.group(2) == "OK", m.group(3) or "", (t or 0) - (prev or start or 0))
        prev = t
    return results, vm


def scenario_result(name):
    """(ok, reason, seconds) of one scenario of tests/run.py."""
    sc = next((s for s in run.SCENARIOS if s.name == name), None)
    if not sc:
        return False, "no scenario %s in tests/run.py" % name, 0.0
    start = time.monotonic()
    _, results = run.run_scenario(sc)
    ok, reason = next(((ok, reason) for n, ok, reason in results if n == name), (False, "no result"))
    failed = ["%s: %s" % (n, why) for n, sub_ok, why in results if n != name and sub_ok is False]
    reason = "; ".join(failed + [reason] if not ok else [reason])   # the scenario's own tests say why first
    return bool(ok), reason, time.monotonic() - start


def why_missing(vm):
    """Why a boot printed no result for a test: the end of its log says."""
    if vm.gave_up:
        return "not run: %s" % vm.gave_up
    if vm.missed:
        return "not run: the kernel did not finish (waiting for %s after %d s)" % (vm.missed, vm.timeout)
    panic = re.search(r"Kernel panic - not syncing:.*", vm.log)
    if panic:
        return "not run: %s" % panic.group(0)
    return "not run (log: %s)" % os.path.relpath(os.path.join(run.LOGS, vm.name + ".log"), run.ROOT)


def grade(lab, verbose=False, jobs=run.JOBS):
    """Run the lab's tests, `jobs` boots at a time; print the report; the score."""
    os.makedirs(run.LOGS, exist_ok=True)
    usertests = [t.usertest for t in lab.tests if t.usertest]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        kt = pool.submit(ktest_results, lab) if any(t.ktest for t in lab.tests) else None
        ut = pool.submit(usertest_results, lab, usertests) if usertests else None
        sc = {t.scenario: pool.submit(scenario_result, t.scenario) for t in lab.tests if t.scenario}
        kresults, kvm = kt.result() if kt else ({}, None)
        uresults, uvm = ut.result() if ut else ({}, None)
    score = 0
    for t in lab.tests:
        if t.ktest:
            ok, reason, secs = kresults.get(t.ktest, (False, why_missing(kvm), 0.0))
        elif t.usertest:
            ok, reason, secs = uresults.get(t.usertest, (False, why_missing(uvm), 0.0))
        else:
            ok, reason, secs = sc[t.scenario].result()
        score += t.points if ok else 0
        print("== Test %s == %s: %s (%.1fs)" % (t.name, lab.name, "OK" if ok else "FAIL", secs))
        if not ok and reason:
            print("    " + reason)
        sys.stdout.flush()
    if verbose:
        for vm in (kvm, uvm):
            if vm:
                print(run.tail(vm.name, 10**6))
    print("Score: %d/%d" % (score, lab.points))
    return score


def main():
    ap = argparse.ArgumentParser(description="Folio's lab grader: make grade LAB=name")
    ap.add_argument("lab", nargs="?", help="the lab (make grade LAB=name)")
    ap.add_argument("--list", action="store_true", help="list the labs")
    ap.add_argument("-v", action="store_true", help="also print the boots' console logs")
    ap.add_argument("--jobs", type=int, default=run.JOBS, help="boots at a time (default %d)" % run.JOBS)
    a = ap.parse_args()
    if a.list or not a.lab:
        for lab in labs.LABS:
            print("%-8s lab %d: %s (%s, %d points)" % (lab.name, lab.number, lab.title, lab.handout, lab.points))
        return 0 if a.list else 2
    lab = labs.find(a.lab)
    if not lab:
        print("grade: no lab %r; the labs: %s" % (a.lab, " ".join(l.name for l in labs.LABS)), file=sys.stderr)
        return 2
    return 0 if grade(lab, a.v, a.jobs) == lab.points else 1


if __name__ == "__main__":
    sys.exit(main())
