#!/usr/bin/env python3
"""Lab skeletons from the solution (`make lab LAB=name`; docs/labs/README.md).

The solution is this tree: the code a student writes in a lab is marked in the
source, between two comment lines, and may give the stub that replaces it:

        /* LAB cow */
        /* LAB cow STUB
        return VM_FAULT_SIGSEGV;
        */
        ...the solution...
        /* END LAB */

The STUB comment, when there is one, comes right after the opening line and
ends at a line that is only its closing mark; its lines are the stub, as they
will stand in the student's file (so they cannot hold a comment of their own:
the tool adds one). Without a STUB the region is simply removed. Markers are
comments, so the solution builds and runs as it is.

The student tree of lab NAME is a copy of this tree (its files as git lists
them, tracked or new; or every file but build output when this is no git
checkout) in which
  - each region of lab NAME is replaced by its stub, under one line
    `/* LAB NAME: your code here (docs/labs/NN-NAME.md) */`;
  - the other labs' regions keep their solution, without the marker lines;
  - docs/labs/teacher/ (the teacher notes, with the answers) is left out.
By default it becomes a git repository with one commit, ready to be pushed to
where the students clone from.

    tools/lab.py list                      the labs and their regions
    tools/lab.py check                     markers well formed, every lab has
                                           regions, teacher notes and a handout
                                           that names each of its graded tests
    tools/lab.py skeleton NAME DIR [--no-git] [--seed-build BUILD]
                                           write lab NAME's student tree to DIR
--seed-build copies BUILD's kernel objects, user programs and initramfs into
DIR/build (times kept), so that a build there compiles only the files the
stubs changed (the test suite uses it to build every skeleton quickly).
"""
import argparse, os, re, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import labs  # noqa: E402

TEACHER = "docs/labs/teacher/"
SOURCE = (".c", ".h", ".asm", ".S", ".inc")
OPEN = re.compile(r"^(\s*)/\* LAB (\w+) \*/\s*$")
STUB = re.compile(r"^\s*/\* LAB (\w+) STUB\s*$")
STUB_END = re.compile(r"^\s*\*/\s*$")
END = re.compile(r"^\s*/\* END LAB \*/\s*$")
# Build output and the like, when there is no git to ask.
IGNORED_DIRS = ("build", "build-san", ".git", "__pycache__")


class MarkerError(Exception):
    pass


class Region:
    """Lines [start, end] (0-based, the markers included) of one file, for lab `name`."""

    def __init__(self, path, name, indent, start, stub, solution, end):
        self.path, self.name, self.indent = path, name, indent
        self.start, self.stub, self.solution, self.end = start, stub, solution, end


def parse(path, text):
    """The LAB regions of a file, in order. MarkerError for a malformed one."""
    lines, regions, i = text.split("\n"), [], 0
    while i < len(lines):
        m = OPEN.match(lines[i])
        if not m:
            if STUB.match(lines[i]) or END.match(lines[i]):
                raise MarkerError("%s:%d: a LAB marker outside a region" % (path, i + 1))
            i += 1
            continue
        start, name, stub, j = i, m.group(2), None, i + 1
        if j < len(lines) and STUB.match(lines[j]):
            if STUB.match(lines[j]).group(1) != name:
                raise MarkerError("%s:%d: the STUB of another lab in a region of %s" % (path, j + 1, name))
            k = j + 1
            while k < len(lines) and not STUB_END.match(lines[k]):
                if "*/" in lines[k] or "/*" in lines[k]:
                    raise MarkerError("%s:%d: a comment inside a STUB (the tool writes the stub's comment)"
                                      % (path, k + 1))
                k += 1
            if k == len(lines):
                raise MarkerError("%s:%d: the STUB of lab %s does not end" % (path, j + 1, name))
            stub, j = lines[j + 1:k], k + 1
        k = j
        while k < len(lines) and not END.match(lines[k]):
            if OPEN.match(lines[k]) or STUB.match(lines[k]):
                raise MarkerError("%s:%d: a LAB region inside the region of %s (line %d)"
                                  % (path, k + 1, name, start + 1))
            k += 1
        if k == len(lines):
            raise MarkerError("%s:%d: the region of lab %s has no END LAB" % (path, start + 1, name))
        regions.append(Region(path, name, m.group(1), start, stub, lines[j:k], k))
        i = k + 1
    return regions


def tree_files(root):
    """The tree's files, relative: as git lists them (tracked and new, not ignored), or all but build output."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=root, capture_output=True, check=True).stdout
        files = [f.decode() for f in out.split(b"\0") if f]
        return sorted(f for f in files if os.path.isfile(os.path.join(root, f)))
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, dirs, names in os.walk(root):
            dirs[:] = [x for x in dirs if x not in IGNORED_DIRS]
            files += [os.path.relpath(os.path.join(d, n), root) for n in names]
        return sorted(files)


def all_regions(root=ROOT):
    """{path: (text, [Region])} for the source files that have LAB regions."""
    found = {}
    for f in tree_files(root):
        if not f.endswith(SOURCE):
            continue
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            text = fh.read()
        if "/* LAB " in text or "/* END LAB */" in text:
            found[f] = (text, parse(f, text))
    return found


def rewrite(text, regions, lab):
    """The file as the student of `lab` gets it."""
    lines = text.split("\n")
    out, i = [], 0
    for r in regions:
        out += lines[i:r.start]
        if r.name == lab.name:
            out.append("%s/* LAB %s: your code here (%s) */" % (r.indent, lab.name, lab.handout))
            out += r.stub or []
        else:
            out += r.solution
        i = r.end + 1
    return "\n".join(out + lines[i:])


def check(root=ROOT):
    """Problems with the markers and the labs' files, as strings."""
    problems = []
    try:
        regions = [r for _, rs in all_regions(root).values() for r in rs]
    except MarkerError as e:
        return [str(e)]
    names = {lab.name for lab in labs.LABS}
    for r in regions:
        if r.name not in names:
            problems.append("%s:%d: lab %s is not in tests/labs.py" % (r.path, r.start + 1, r.name))
    for lab in labs.LABS:
        if not any(r.name == lab.name for r in regions):
            problems.append("lab %s has no LAB region in the source" % lab.name)
        for f in (lab.handout, lab.notes):
            if not os.path.isfile(os.path.join(root, f)):
                problems.append("lab %s: no %s" % (lab.name, f))
        if os.path.isfile(os.path.join(root, lab.handout)):
            with open(os.path.join(root, lab.handout), encoding="utf-8") as fh:
                handout = fh.read()
            for t in lab.tests:
                if "`%s`" % t.name not in handout:
                    problems.append("%s does not name the graded test `%s`" % (lab.handout, t.name))
    return problems


def seed_build(build, dest):
    """Copy a build's kernel objects, user programs and initramfs to dest (times kept)."""
    for name in os.listdir(build):
        src = os.path.join(build, name)
        if os.path.isdir(src):
            if name in ("arch", "boot", "fs", "kernel", "lib", "mm", "user"):
                shutil.copytree(src, os.path.join(dest, name), symlinks=True)
        elif not name.endswith(".iso"):
            shutil.copy2(src, os.path.join(dest, name))


def skeleton(lab, dest, git=True, seed=None, root=ROOT):
    """Write lab's student tree to dest (which must not exist, or be empty). Files that
    do not change keep their times, so a seeded build recompiles only the changed ones."""
    if os.path.exists(dest) and os.listdir(dest):
        raise SystemExit("lab: %s exists and is not empty; remove it first" % dest)
    regions = all_regions(root)
    if not any(r.name == lab.name for _, rs in regions.values() for r in rs):
        raise SystemExit("lab: no LAB %s region in %s (a student tree has none)" % (lab.name, root))
    for f in tree_files(root):
        if f.startswith(TEACHER):
            continue
        out = os.path.join(dest, f)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        if f in regions:
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(rewrite(regions[f][0], regions[f][1], lab))
            shutil.copymode(os.path.join(root, f), out)
        else:
            shutil.copy2(os.path.join(root, f), out, follow_symlinks=False)
    if seed:
        os.makedirs(os.path.join(dest, "build"), exist_ok=True)
        seed_build(seed, os.path.join(dest, "build"))
    if git:
        env = dict(os.environ, GIT_AUTHOR_NAME="Folio labs", GIT_AUTHOR_EMAIL="folio@localhost",
                   GIT_COMMITTER_NAME="Folio labs", GIT_COMMITTER_EMAIL="folio@localhost")
        for cmd in (["git", "init", "-q"], ["git", "add", "-A"],
                    ["git", "commit", "-q", "-m", "Folio lab %d: %s (skeleton)" % (lab.number, lab.title)]):
            subprocess.run(cmd, cwd=dest, env=env, check=True)
    changed = sorted({r.path for _, rs in regions.values() for r in rs if r.name == lab.name})
    return changed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    sub.add_parser("check")
    sk = sub.add_parser("skeleton")
    sk.add_argument("lab")
    sk.add_argument("dir")
    sk.add_argument("--no-git", action="store_true")
    sk.add_argument("--seed-build", metavar="BUILD")
    a = ap.parse_args()
    if a.cmd == "list":
        regions = [r for _, rs in all_regions().values() for r in rs]
        for lab in labs.LABS:
            mine = ["%s:%d" % (r.path, r.start + 1) for r in regions if r.name == lab.name]
            print("%-8s lab %d: %s\n         %s; regions: %s" % (lab.name, lab.number, lab.title, lab.handout,
                                                                 ", ".join(mine) or "none"))
        return 0
    if a.cmd == "check":
        problems = check()
        for p in problems:
            print("lab: " + p, file=sys.stderr)
        return 1 if problems else 0
    lab = labs.find(a.lab)
    if not lab:
        raise SystemExit("lab: no lab %r; the labs: %s" % (a.lab, " ".join(l.name for l in labs.LABS)))
    changed = skeleton(lab, a.dir, git=not a.no_git, seed=a.seed_build)
    print("lab %d (%s): student tree in %s; stubs in %s" % (lab.number, lab.name, a.dir, ", ".join(changed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
