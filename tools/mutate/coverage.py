"""tools/mutate/files.txt: which files are mutated, and which tests cover each.

    load(root) -> (entries, missing)   entries: [(path, [Test])] in list order; missing: the
                                       listed names that match no file in the tree
    tests_for(entries, path, func)     the tests of a site in function func of path: its
                                       FILE:FUNCTION line's if it has one, else the file's

A line names a file, a glob, or FILE:FUNCTION (a function of a file already named on an
earlier or later line), which gets tests of its own.
"""
import fnmatch, glob, os, re
from collections import namedtuple

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files.txt")

# kind: usertests (arg: NAME or "" for all), ktest (arg: GLOB[,GLOB...]), scenario (arg:
# PATTERN), spin (arg: MODE: the model's check in that design, as `make spin` runs it),
# suite (the whole of `make test`, used to confirm survivors).
Test = namedtuple("Test", "kind arg")


def test_name(t):
    if t.kind == "suite":
        return "make test"
    return t.kind + (":" + t.arg if t.arg else "")


def parse_test(word):
    kind, _, arg = word.partition(":")
    if kind == "ktest":
        return Test("ktest", arg or "*")
    if kind in ("usertests", "scenario", "spin") and (arg or kind == "usertests"):
        return Test(kind, arg)
    raise ValueError("unknown test %r (usertests[:NAME], ktest[:GLOB,...], scenario:PATTERN, spin:MODE)"
                     % word)


def parse(text):
    """[(pattern, [Test])] from the text of files.txt."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) < 2:
            raise ValueError("files.txt:%d: %r has no tests" % (n, words[0]))
        try:
            out.append((words[0], merge_usertests([parse_test(w) for w in words[1:]])))
        except ValueError as e:
            raise ValueError("files.txt:%d: %s" % (n, e))
    return out


def merge_usertests(tests):
    """usertests:A usertests:B run in one boot (/bin/usertests A B), where the first was."""
    names = [t.arg for t in tests if t.kind == "usertests"]
    if not names:
        return tests
    merged = Test("usertests", "" if "" in names else " ".join(names))
    first = next(i for i, t in enumerate(tests) if t.kind == "usertests")
    rest = [t for t in tests if t.kind != "usertests"]
    return rest[:first] + [merged] + rest[first:]


def expand(root, pattern):
    """The files a pattern names: itself, or a glob's matches other than *_test.c."""
    if not re.search(r"[*?\[]", pattern):
        return [pattern] if os.path.isfile(os.path.join(root, pattern)) else []
    paths = sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, pattern)))
    return [p for p in paths if os.path.isfile(os.path.join(root, p)) and not p.endswith("_test.c")]


def load(root, text=None):
    if text is None:
        with open(CONFIG) as f:
            text = f.read()
    entries, seen, missing, funcs = [], set(), [], []
    for pattern, tests in parse(text):
        path, _, func = pattern.partition(":")
        if func:
            funcs.append((path, func, tests))
            continue
        paths = expand(root, pattern)
        if not paths:
            missing.append(pattern)
        for p in paths:
            if p not in seen:
                seen.add(p)
                entries.append((p, tests))
    for path, func, tests in funcs:
        if path not in seen:
            missing.append("%s:%s" % (path, func))
    return [FileEntry(p, t, {f: ft for fp, f, ft in funcs if fp == p}) for p, t in entries], missing


class FileEntry(tuple):
    """(path, tests) as before, with .funcs: {function: tests} for its FILE:FUNCTION lines."""

    def __new__(cls, path, tests, funcs):
        e = super().__new__(cls, (path, tests))
        e.funcs = funcs
        return e


def tests_for(entries, path, func):
    """The tests of a site in func of path (the file's, unless func has a line of its own)."""
    for e in entries:
        if e[0] == path:
            return getattr(e, "funcs", {}).get(func, e[1])
    return None


def select(entries, globs):
    """The entries whose path matches one of globs (space or comma separated); all if none."""
    pats = [g for g in re.split(r"[\s,]+", globs or "") if g]
    if not pats:
        return entries
    out = [e for e in entries if any(fnmatch.fnmatch(e[0], g) or e[0].startswith(g.rstrip("/") + "/")
                                     for g in pats)]
    return out
