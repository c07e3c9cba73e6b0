"""tools/mutate/files.txt: which files are mutated, and which tests cover each.

    load(root) -> (entries, missing)   entries: [(path, [Test])] in list order; missing: the
                                       listed names that match no file in the tree
"""
import fnmatch, glob, os, re
from collections import namedtuple

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files.txt")

# kind: usertests (arg: NAME or "" for all), ktest (arg: GLOB), scenario (arg: PATTERN),
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
    if kind in ("usertests", "scenario") and (arg or kind == "usertests"):
        return Test(kind, arg)
    raise ValueError("unknown test %r (usertests[:NAME], ktest[:GLOB], scenario:PATTERN)" % word)


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
    entries, seen, missing = [], set(), []
    for pattern, tests in parse(text):
        paths = expand(root, pattern)
        if not paths:
            missing.append(pattern)
        for p in paths:
            if p not in seen:
                seen.add(p)
                entries.append((p, tests))
    return entries, missing


def select(entries, globs):
    """The entries whose path matches one of globs (space or comma separated); all if none."""
    pats = [g for g in re.split(r"[\s,]+", globs or "") if g]
    if not pats:
        return entries
    out = [e for e in entries if any(fnmatch.fnmatch(e[0], g) or e[0].startswith(g.rstrip("/") + "/")
                                     for g in pats)]
    return out
