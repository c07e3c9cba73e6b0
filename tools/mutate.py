#!/usr/bin/env python3
"""Mutation testing of Folio's test suite (`make mutate`; docs/testing.md).

Plants one small bug at a time (a mutant: a flipped comparison, a dropped unlock,
a constant off by one...) in the files listed in tools/mutate/files.txt, builds
it in a scratch copy of the tree (build/mutate/treeN; the real sources are never
touched), and runs the tests the list gives for that file. A mutant that makes a
test fail, hang or panic is caught; one that passes them survived, and shows a
behaviour no test asserts. Survivors are then run against the whole of
`make test`, in case a test outside the file's list catches them. A failed
assertion counts as a catch only if it fails again and the same test passes on
the unmutated kernel (build/mutate/clean) at that moment.

Mutants that do not build, and mutants whose object code is identical to the
original (they cannot change behaviour), are set aside and not counted.

    python3 tools/mutate.py [-n N] [--seed S] [--files 'mm/* fs/pipe.c'] [-j J]
                            [--ops cmp,drop,...] [--no-confirm]
    python3 tools/mutate.py --list [FILE...]    the mutation sites, nothing is run
    python3 tools/mutate.py --ids 'ID ID...'    run these mutants (IDs as the report
                                                and --list print them: FILE:LINE:OP[:N])
    python3 tools/mutate.py --apply ID [--run]  build one mutant in build/mutate/tree0
                                                and leave it there
    python3 tools/mutate.py --restore           put the scratch trees back

The result: a report on stdout and in build/mutate/report.txt, and
build/mutate/result.json for programs.
"""
import argparse, concurrent.futures, datetime, difflib, json, os, queue, random, re
import signal, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "build", "mutate")
sys.path.insert(0, os.path.join(ROOT, "tools", "mutate"))
import coverage, csites, scratch            # noqa: E402

OPS = ("cmp", "logic", "term", "negate", "once", "const", "drop", "check", "swap")
SUITE = coverage.Test("suite", "")


class Mutant:
    def __init__(self, path, site, tests):
        self.file, self.site, self.tests = path, site, tests
        self.id = "%s:%s" % (path, site.tag)     # e.g. mm/slab.c:230:drop, fs/pipe.c:86:cmp:2
        self.status, self.caught_by, self.reason, self.seconds = None, None, "", 0.0
        self.flaky = []                    # failures that did not happen again

    def where(self):
        return "%s:%d" % (self.file, self.site.line)

    def json(self):
        return {"id": self.id, "file": self.file, "line": self.site.line, "op": self.site.op,
                "before": self.site.before, "after": self.site.after, "status": self.status,
                "caught_by": self.caught_by, "reason": self.reason, "flaky": self.flaky,
                "seconds": round(self.seconds, 1)}


def read_source(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def candidates(entries, ops=OPS, notes=None):
    """Every mutant of the listed files, in list order then source order. A FILE:FUNCTION
    line for a function that has no site is noted (a typo, or the function is gone)."""
    out = []
    for entry in entries:
        path = entry[0]
        sites = csites.sites(read_source(path))
        for site in sites:
            if site.op in ops:
                out.append(Mutant(path, site, coverage.tests_for(entries, path, site.func)))
        unknown = set(getattr(entry, "funcs", {})) - {site.func for site in sites}
        if unknown and notes is not None:
            notes.append("tools/mutate/files.txt names functions %s has no mutation site in: %s"
                         % (path, " ".join(sorted(unknown))))
    return out


def choose(all_mutants, n, seed):
    """n mutants drawn by seed: the same tree, seed, n and files give the same mutants."""
    picked = random.Random(seed).sample(all_mutants, min(n, len(all_mutants)))
    order = {m.id: k for k, m in enumerate(all_mutants)}
    return sorted(picked, key=lambda m: order[m.id])


def find(mutant_id, entries):
    """The mutant named FILE:LINE:OP[:N], as --list and the report print it."""
    m = re.fullmatch(r"(.+?):(\d+):([a-z]+)(?::(\d+))?", mutant_id.strip())
    if not m:
        sys.exit("mutate: %r is not a mutant id (FILE:LINE:OP[:N], as --list prints)" % mutant_id)
    path = m.group(1)
    if not os.path.isfile(os.path.join(ROOT, path)):
        sys.exit("mutate: no file %s" % path)
    tag = "%s:%s" % (m.group(2), m.group(3)) + (":" + m.group(4) if m.group(4) not in (None, "1") else "")
    for site in csites.sites(read_source(path)):
        if site.tag == tag:
            return Mutant(path, site, coverage.tests_for(entries, path, site.func) or [SUITE])
    sys.exit("mutate: %s has no mutant %s (see --list %s)" % (path, tag, path))


def git_describe():
    r = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                       text=True)
    return r.stdout.strip() or "unknown"


def first_error(out):
    m = re.search(r"^.*(?:error|Error|undefined reference).*$", out, re.M)
    return (m.group(0) if m else out.strip().splitlines()[-1] if out.strip() else "").strip()[:200]


# ---- one mutant --------------------------------------------------------------------------

class Runner:
    def __init__(self, trees, limits, log):
        self.trees, self.limits, self.log = trees, limits, log
        self.base = {}                     # (tree path, file) -> fingerprint of the original
        self.stopping = False
        self.clean, self.clean_lock = None, threading.Lock()   # an unmutated tree, to check failures

    def prepare(self, tree, files):
        """Bring a tree in line with the sources and build it; fingerprint the files."""
        tree.sync()
        tree.pin_version()
        ok, out = tree.make("kernel", "initramfs", mutant=False)
        if not ok:
            sys.exit("mutate: the unmutated tree does not build in %s:\n%s" % (tree.path, out))
        for f in files:
            self.base[tree.path, f] = tree.fingerprint(f)

    def build(self, tree, m, mutated, targets=("build/folio.bin",)):
        """Write and build the mutant: None if it is to be tested, else the status and why."""
        tree.write(m.file, mutated)
        if m.file.endswith(".c"):
            ok, out = tree.make("build/" + m.file[:-2] + ".o")
            if not ok:
                return "build-failed", first_error(out)
            if tree.fingerprint(m.file) == self.base[tree.path, m.file]:
                return "identical", "same object code"
        ok, out = tree.make(*targets)
        if not ok:
            return "build-failed", first_error(out)
        if not m.file.endswith(".c") and tree.fingerprint(m.file) == self.base[tree.path, m.file]:
            return "identical", "same kernel image"
        return None

    def evaluate(self, tree, m, tests):
        start = time.monotonic()
        try:
            aside = self.build(tree, m, m.site.apply(read_source(m.file)))
            if aside:
                m.status, m.reason = aside
                return m
            m.status = "survived"
            for t in tests:
                passed, why, _ = tree.run_test(t, self.limits[t])
                if not passed and not self.stopping and scratch.may_be_flaky(why):
                    passed = self.not_the_mutant(tree, m, t, why)
                if self.stopping:
                    m.status = "interrupted"
                    break
                if not passed:
                    m.status, m.caught_by, m.reason = "caught", coverage.test_name(t), why
                    break
            return m
        finally:
            tree.restore(m.file)
            m.seconds = time.monotonic() - start

    def not_the_mutant(self, tree, m, t, why):
        """A failed assertion counts only if it fails again, and the same test passes on the
        unmutated kernel right now: a timing test on a loaded machine must not count as a
        catch. True if the failure is not the mutant's doing."""
        again, _, _ = tree.run_test(t, self.limits[t])
        if again:
            m.flaky.append("%s: %s (passed when run again)" % (coverage.test_name(t), why))
            return True
        if self.clean is None:
            return False
        with self.clean_lock:
            clean_ok, clean_why, _ = self.clean.run_test(t, self.limits[t])
        if not clean_ok:
            m.flaky.append("%s: %s (fails without the mutant too: %s)"
                           % (coverage.test_name(t), why, clean_why))
            return True
        return False

    def run_all(self, mutants, tests_of, done):
        """Evaluate mutants on the trees in parallel; done(m) as each finishes."""
        free = queue.Queue()
        for t in self.trees:
            free.put(t)

        def job(m):
            if self.stopping:
                m.status = "interrupted"
                return m
            tree = free.get()
            try:
                return self.evaluate(tree, m, tests_of(m))
            finally:
                free.put(tree)

        with concurrent.futures.ThreadPoolExecutor(len(self.trees)) as pool:
            futures = [pool.submit(job, m) for m in mutants]
            try:
                for f in concurrent.futures.as_completed(futures):
                    done(f.result())
            except KeyboardInterrupt:
                self.stopping = True
                for f in futures:
                    f.cancel()
                for t in self.trees:
                    t.kill()
                raise


# ---- the whole run -------------------------------------------------------------------------

def baseline(runner, tree, tests, say):
    """Run each test on the unmutated tree: it must pass (a second try is allowed: the machine
    may be loaded), and its time sets the mutants' limit. Returns what failed, as text."""
    for t in tests:
        for attempt in (1, 2):
            passed, why, secs = tree.run_test(t, 900)
            if passed:
                break
            say("  baseline %-28s FAILED: %s%s" % (coverage.test_name(t), why,
                                                   "; trying again" if attempt == 1 else ""))
        if not passed:
            return "%s fails without any mutant (%s; logs in %s)" % (
                coverage.test_name(t), why, os.path.relpath(tree.logs, ROOT))
        runner.limits[t] = int(3 * secs + 30)
        say("  baseline %-28s passed in %5.1f s (limit for mutants: %d s)"
            % (coverage.test_name(t), secs, runner.limits[t]))
    return None


def report_lines(result, mutants):
    s = result["score"]
    lines = ["Mutation score: %d of %d behaviour-changing mutants caught (%s)"
             % (s["caught"], s["behaviour_changing"],
                "%.1f%%" % s["percent"] if s["behaviour_changing"] else "n/a"),
             "  %d mutants (%s, from %d candidates in %d files): %d caught, %d survived; set aside: "
             "%d did not build, %d identical object code"
             % (len(mutants), "chosen by id" if result["ids"] else "seed %s" % result["seed"],
                result["candidates"], len(result["listed"]), s["caught"],
                s["survived"], result["set_aside"]["build_failed"], result["set_aside"]["identical"])]
    outside = [m for m in mutants if m.status == "caught" and m.caught_by == coverage.test_name(SUITE)]
    if outside:
        lines.append("  %d caught only by a test outside its file's list in tools/mutate/files.txt:"
                     % len(outside))
        lines += ["    %s by %s" % (m.id, m.reason) for m in outside]
    surv = [m for m in mutants if m.status == "survived"]
    lines.append("Survivors (%d):" % len(surv) if surv else "No survivors.")
    lines += ["  %s: %s   [%s]" % (m.where(), m.site.describe(), m.id) for m in surv]
    flaky = [(m, f) for m in mutants for f in m.flaky]
    if flaky:
        lines.append("Failures that passed when run again (not counted as catches):")
        lines += ["  %s: %s" % (m.id, f) for m, f in flaky]
    lines += ["Note: " + n for n in result["notes"]]
    return lines


def summarize(mutants, args, n_candidates, listed, notes, limits):
    count = lambda st: sum(m.status == st for m in mutants)
    caught, survived = count("caught"), count("survived")
    return {
        "source": git_describe(), "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "seed": args.seed, "n": args.n, "ops": args.ops, "ids": args.ids, "listed": listed,
        "files": sorted({m.file for m in mutants}), "notes": notes,
        "candidates": n_candidates,
        "score": {"caught": caught, "survived": survived, "behaviour_changing": caught + survived,
                  "percent": round(100.0 * caught / (caught + survived), 1) if caught + survived else None},
        "set_aside": {"build_failed": count("build-failed"), "identical": count("identical")},
        "limits": {coverage.test_name(t): s for t, s in limits.items()},
        "mutants": [m.json() for m in mutants],
    }


def write_result(result, lines):
    for name, text in (("result.json", json.dumps(result, indent=1, ensure_ascii=False) + "\n"),
                       ("report.txt", "\n".join(lines) + "\n")):
        with open(os.path.join(OUT, name), "w") as f:
            f.write(text)


def run(args, entries, notes):
    os.makedirs(OUT, exist_ok=True)
    if args.ids:
        all_mutants = mutants = [find(i, entries) for i in re.split(r"[\s,]+", args.ids.strip())]
    else:
        all_mutants = candidates(entries, args.ops.split(","), notes)
        if not all_mutants:
            sys.exit("mutate: no mutation sites in %s" % " ".join(p for p, _ in entries))
        mutants = choose(all_mutants, args.n, args.seed)
    files = sorted({m.file for m in mutants})
    say = lambda s: (print(s), sys.stdout.flush())
    say("mutate: %d of %d mutants (%s) in %d files, %d scratch tree(s) in %s"
        % (len(mutants), len(all_mutants), "chosen by id" if args.ids else "seed %d" % args.seed,
           len(files), args.jobs, os.path.relpath(OUT, ROOT)))
    for n in notes:
        say("  note: " + n)
    make_jobs = max(1, (os.cpu_count() or 1) // args.jobs)
    trees = [scratch.Tree(ROOT, os.path.join(OUT, "tree%d" % k), make_jobs) for k in range(args.jobs)]
    runner = Runner(trees, {}, say)
    runner.clean = scratch.Tree(ROOT, os.path.join(OUT, "clean"), make_jobs)
    with concurrent.futures.ThreadPoolExecutor(len(trees)) as pool:
        list(pool.map(lambda t: runner.prepare(t, files), trees + [runner.clean]))
    tests = []
    for m in mutants:
        tests += [t for t in m.tests if t not in tests]
    failed = baseline(runner, trees[0], tests, say)
    if failed:
        sys.exit("mutate: %s; fix that first" % failed)

    def result():
        r = summarize(mutants, args, len(all_mutants), [p for p, _ in entries], notes, runner.limits)
        return r, report_lines(r, mutants)

    def progress(total):
        count = [0]

        def done(m):
            count[0] += 1
            extra = "  (%s: %s)" % (m.caught_by, m.reason) if m.status == "caught" else \
                "  (%s)" % m.reason if m.reason else ""
            say("[%*d/%d] %-12s %s: %s%s  %.0f s" % (len(str(total)), count[0], total, m.status,
                                                     m.where(), m.site.describe(), extra, m.seconds))
            write_result(*result())            # a partial result survives an interruption
        return done

    try:
        runner.run_all(mutants, lambda m: m.tests, progress(len(mutants)))
        survivors = [m for m in mutants if m.status == "survived"]
        if survivors and args.confirm:
            say("mutate: %d survivor(s): running the whole of `make test` on each" % len(survivors))
            failed = baseline(runner, trees[0], [SUITE], say)
            if failed:
                notes.append("survivors not run against make test: " + failed)
            else:
                runner.run_all(survivors, lambda m: [SUITE], progress(len(survivors)))
                for m in survivors:
                    if m.status not in ("caught", "survived"):   # make test's own build failed
                        m.status = "survived"
    except KeyboardInterrupt:
        say("mutate: interrupted; the scratch trees are restored, the partial result is in %s"
            % os.path.relpath(OUT, ROOT))
        return 130
    r, lines = result()
    write_result(r, lines)
    say("")
    for line in lines:
        say(line)
    say("(details: %s)" % os.path.relpath(os.path.join(OUT, "result.json"), ROOT))
    return 0


# ---- the other modes ------------------------------------------------------------------------

def list_sites(paths, entries):
    names = lambda tests: " ".join(coverage.test_name(t) for t in tests or []) or "(not in files.txt)"
    for path in paths or [p for p, _ in entries]:
        if not os.path.isfile(os.path.join(ROOT, path)):
            print("%s: no such file" % path)
            continue
        sites = csites.sites(read_source(path))
        file_tests = coverage.tests_for(entries, path, None)
        print("%s: %d sites; tests: %s" % (path, len(sites), names(file_tests)))
        width = max([len(s.tag) for s in sites] + [0])
        for s in sites:
            own = coverage.tests_for(entries, path, s.func)
            print("  %s:%-*s  %s%s" % (path, width, s.tag, s.describe(),
                                      "   (%s: %s)" % (s.func, names(own)) if own != file_tests else ""))


def apply_one(args, entries):
    m = find(args.apply, entries)
    tree = scratch.Tree(ROOT, os.path.join(OUT, "tree0"), os.cpu_count() or 1)
    runner = Runner([tree], {}, print)
    runner.prepare(tree, [m.file])
    text = read_source(m.file)
    mutated = m.site.apply(text)
    aside = runner.build(tree, m, mutated, targets=("kernel", "initramfs"))
    sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), mutated.splitlines(True),
                                               "a/" + m.file, "b/" + m.file))
    print("%s: %s" % (m.id, m.site.describe()))
    if aside:
        print("set aside: %s (%s)" % aside)
        return 1
    rel = os.path.relpath(tree.path, ROOT)
    print("The mutant is built in %s (boot it: cd %s && ./run.sh --direct);" % (rel, rel))
    print("`python3 tools/mutate.py --restore` or the next run puts the tree back.")
    print("Its tests: " + " ".join(coverage.test_name(t) for t in m.tests))
    if not args.run:
        return 0
    for t in m.tests:
        passed, why, secs = tree.run_test(t, 900)
        print("  %-28s %s  %.0f s%s" % (coverage.test_name(t), "passed" if passed else "FAILED",
                                        secs, "" if passed else ": " + why))
        if not passed:
            print("caught (logs in %s)" % os.path.relpath(tree.logs, ROOT))
            return 0
    print("survived (logs in %s)" % os.path.relpath(tree.logs, ROOT))
    return 0


def restore():
    for name in sorted(os.listdir(OUT)) if os.path.isdir(OUT) else []:
        if re.fullmatch(r"tree\d+|clean", name):
            scratch.Tree(ROOT, os.path.join(OUT, name)).sync()
            print("restored build/mutate/%s" % name)
    return 0


def main():
    ap = argparse.ArgumentParser(description="Mutation testing of Folio's test suite",
                                 epilog="Files and their tests: tools/mutate/files.txt. "
                                        "Guide: docs/testing.md.")
    ap.add_argument("-n", type=int, default=50, help="how many mutants (default 50)")
    ap.add_argument("--seed", type=int, default=1, help="which mutants (default 1)")
    ap.add_argument("--files", default="", help="only these files (globs, space or comma separated)")
    ap.add_argument("-j", "--jobs", type=int, default=2,
                    help="mutants at once, each in its own scratch tree (default 2)")
    ap.add_argument("--ops", default=",".join(OPS), help="operators (default: all of %s)" % ",".join(OPS))
    ap.add_argument("--no-confirm", dest="confirm", action="store_false",
                    help="do not run survivors against the whole of make test")
    ap.add_argument("--list", action="store_true", help="print the mutation sites of FILEs (default: "
                    "the listed files) and exit")
    ap.add_argument("--ids", default="", help="run these mutants (FILE:LINE:OP[:N], space or comma "
                    "separated) instead of drawing them")
    ap.add_argument("--apply", metavar="ID", help="build mutant ID (FILE:LINE:OP[:N]) in "
                    "build/mutate/tree0")
    ap.add_argument("--run", action="store_true", help="with --apply: also run its tests")
    ap.add_argument("--restore", action="store_true", help="put the scratch trees back and exit")
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    # Stop cleanly (the running mutant's file restored, its VMs killed) on ^C, and on SIGTERM
    # or SIGINT when started in the background, where SIGINT would be ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    bad = set(args.ops.split(",")) - set(OPS)
    if bad:
        ap.error("unknown operator(s) %s; they are %s" % (",".join(sorted(bad)), ",".join(OPS)))
    if args.jobs < 1 or args.n < 1:
        ap.error("-n and -j must be at least 1")
    try:
        entries, missing = coverage.load(ROOT)
    except ValueError as e:
        sys.exit("mutate: %s" % e)
    notes = ["listed in tools/mutate/files.txt but not in the tree: " + " ".join(missing)] if missing else []
    if args.restore:
        return restore()
    if args.list:
        return list_sites(args.paths, coverage.select(entries, args.files))
    if args.apply:
        return apply_one(args, entries)
    if args.paths:
        ap.error("FILE arguments go with --list; use --files to choose the files")
    if args.ids:
        return run(args, entries, notes)
    chosen = coverage.select(entries, args.files)
    if not chosen:
        sys.exit("mutate: no file of tools/mutate/files.txt matches %r" % args.files)
    return run(args, chosen, notes)


if __name__ == "__main__":
    sys.exit(main())
