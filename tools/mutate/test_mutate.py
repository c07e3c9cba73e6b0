"""Self-test of `make mutate` (run by `make test`; no kernel is built): the operators find the
sites they should in a sample of kernel-style C, leave alone what they should, every mutant
changes the text and keeps the line count, and the files list parses.

    python3 -m unittest discover -s tools/mutate -p 'test_*.py'
"""
import os, sys, unittest
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coverage, csites, scratch     # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SAMPLE = r'''
/* A header comment: if (a < b) return 1; is not code. */
#include <kernel/kernel.h>
#define LIMIT(x) ((x) < 4 ? 1 : 2)

static const int table[4] = { 1, 2, 3, 4 };
struct pair { int a, b; };

static int take(struct thing *t, int n)
{
	char buf[64];
	int err;
	DEFINE_WAIT(wait);

	BUG_ON(n < 0);
	lockdep_assert_held(&t->lock);
	if (n > t->max)
		return -EINVAL;
	spin_lock(&t->lock);
	t->count += n;
	err = refill(t, "a string; with } braces {");
	if (err != 0 && t->strict) {
		spin_unlock(&t->lock);
		return err;
	}
	list_for_each_entry(p, &t->list, node) {
		put_page(p->page);
	}
	while (t->count >= 2)
		t->count--;
	t->bytes = n * sizeof(u64[2]);
	spin_unlock(&t->lock);
	pr_err("first line\n");
	pr_err("second line\n");
	t->a = 1;
	t->b = n;
	refill(t, 0);
	int pos = 0;
	t->c = pos;
	delay_point("take_done");
	return sizeof(buf) == 64 ? 0 : 1;
}

void thing_assert_held(struct thing *t)
{
	if (t->owner != current)
		lock_bug("not held");
}
'''


MACRO = r"""
#define LIMIT 4
#define wait_for(wq, cond) ({					\
	long __ret = 0;						\
	for (;;) {						\
		long __int = prepare(&(wq), 1);			\
		if (cond)					\
			break;					\
		if (__int) {					\
			__ret = __int;				\
			break;				\
		}						\
		schedule();					\
	}							\
	finish(&(wq));						\
	__ret;							\
})
#define wait_simple(wq, cond) do { if (!(cond)) (void)wait_for(wq, cond); } while (0)
"""


def by_op(sites):
    return Counter(s.op for s in sites)


class Operators(unittest.TestCase):
    def setUp(self):
        self.sites = csites.sites(SAMPLE)

    def find(self, op, before):
        hits = [s for s in self.sites if s.op == op and before in s.before]
        self.assertTrue(hits, "no %s site for %r; sites: %s" % (op, before,
                        [(s.op, s.before) for s in self.sites]))
        return hits

    def test_every_operator_fires(self):
        self.assertEqual(set(by_op(self.sites)),
                         {"cmp", "logic", "term", "negate", "once", "const", "drop", "check", "swap"})

    def test_comparisons(self):
        afters = {s.after for s in self.sites if s.op == "cmp"}
        self.assertIn("if (n >= t->max)", afters)
        self.assertIn("if (err == 0 && t->strict) {", afters)
        self.assertIn("while (t->count > 2)", afters)

    def test_logic_negate_const(self):
        self.assertEqual(self.find("logic", "&&")[0].after, "if (err != 0 || t->strict) {")
        self.assertIn("if (!(n > t->max))", {s.after for s in self.sites if s.op == "negate"})
        self.assertIn("while (t->count >= 1)", {s.after for s in self.sites if s.op == "const"})
        self.assertEqual([s.after for s in self.sites if s.op == "once"], ["if (t->count >= 2)"])
        self.assertIn("if (err != 1 && t->strict) {", {s.after for s in self.sites if s.op == "const"})

    def test_terms(self):
        self.assertEqual({s.after for s in self.sites if s.op == "term"}, {"t->strict", "err != 0"})
        text = "int f(int a, int b, int c)\n{\n\treturn g(a || b && c, 1) ? a : b;\n}\n"
        cuts = {s.apply(text).split("return ")[1].split(";")[0] for s in csites.sites(text)
                if s.op == "term"}
        self.assertEqual(cuts, {"g(b && c, 1) ? a : b", "g(a, 1) ? a : b",      # the || operands
                                "g(a || c, 1) ? a : b", "g(a || b, 1) ? a : b"})  # the && operands

    def test_drops_and_checks(self):
        dropped = {s.before for s in self.sites if s.op == "drop"}
        for stmt in ("spin_lock(&t->lock);", "spin_unlock(&t->lock);", "t->count += n;",
                     "put_page(p->page);", "t->count--;"):
            self.assertIn(stmt, dropped)
        checks = {s.before for s in self.sites if s.op == "check"}
        self.assertIn("if (n > t->max) return -EINVAL;", checks)
        self.assertIn("if (err != 0 && t->strict) { spin_unlock(&t->lock); return err; }", checks)

    def test_swap(self):
        self.find("swap", "spin_lock(&t->lock); t->count += n;")

    def test_left_alone(self):
        text = " ".join(s.before for s in self.sites)
        for skipped in ("BUG_ON", "lockdep_assert_held", "table", "LIMIT", "struct pair", "char buf",
                        "DEFINE_WAIT"):
            self.assertNotIn(skipped, text)
        self.assertFalse([s for s in self.sites if s.op == "const" and "u64[1]" in s.after],
                         "a constant inside sizeof")
        self.assertFalse([s for s in self.sites if s.line < 9], "a site outside the function")
        self.assertFalse([s for s in self.sites if "pr_err" in s.before], "a log line mutated")
        self.assertFalse([s for s in self.sites if "t->owner" in s.before], "an assertion function mutated")
        self.assertFalse([s for s in self.sites if "delay_point" in s.before + s.after], "a delay point mutated")

    def test_functions(self):
        self.assertEqual({s.func for s in self.sites}, {"take"})
        self.assertEqual({s.func for s in csites.sites(MACRO)}, {""})     # macros have no name here

    def test_swaps_that_cannot_matter(self):
        swaps = {s.before for s in self.sites if s.op == "swap"}
        self.assertIn("t->b = n; refill(t, 0);", swaps)
        self.assertNotIn("t->a = 1; t->b = n;", swaps)             # two independent stores
        self.assertNotIn("refill(t, 0); int pos = 0;", swaps)      # a constant into a new variable
        self.assertNotIn("int pos = 0; t->c = pos;", swaps)        # a use of the declaration

    def test_mutants_change_text_and_keep_lines(self):
        for s in self.sites:
            mutated = s.apply(SAMPLE)
            self.assertNotEqual(mutated, SAMPLE, s.describe())
            self.assertEqual(mutated.count("\n"), SAMPLE.count("\n"), s.describe())
        self.assertEqual(len({tuple(s.spans) for s in self.sites}), len(self.sites), "duplicate mutants")

    def test_ids(self):
        again = csites.sites(SAMPLE)
        self.assertEqual([(s.tag, s.spans) for s in again], [(s.tag, s.spans) for s in self.sites])
        self.assertEqual(len({s.tag for s in self.sites}), len(self.sites))
        tags = {s.tag for s in self.sites}
        self.assertTrue({"17:check", "17:cmp", "41:const", "41:const:2", "41:const:3"} <= tags, sorted(tags))
        # Sites keep their names when code is added to another line.
        shifted = csites.sites(SAMPLE.replace("\tint err;\n", "\tint err;\tint unused;\n"))
        self.assertEqual({s.tag for s in shifted}, tags)

    def test_constants(self):
        for lit, want in (("0", "1"), ("1", "0"), ("64", "63"), ("0x1000UL", "0xfffUL"), ("010", "07")):
            self.assertEqual(csites._plus_minus_one(lit), want)


class Macros(unittest.TestCase):
    """Macros whose body is code (like wait_event()) are mutated too, and stay macros."""

    def setUp(self):
        self.sites = csites.sites(MACRO)

    def test_sites(self):
        descs = {(s.op, s.before) for s in self.sites}
        self.assertIn(("swap", "long __int = prepare(&(wq), 1); if (cond) break;"), descs)
        self.assertIn(("check", "if (cond) break;"), descs)
        self.assertIn(("drop", "schedule();"), descs)
        self.assertIn(("negate", "if (!(cond))"), descs)
        self.assertNotIn("__ret;", {s.before for s in self.sites if s.op in ("drop", "swap")})
        self.assertNotIn("LIMIT", " ".join(s.before for s in self.sites))

    def test_continuations_kept(self):
        cont = lambda text: [l for l in text.splitlines() if l.rstrip().endswith("\\")]
        for s in self.sites:
            mutated = s.apply(MACRO)
            self.assertEqual(len(cont(mutated)), len(cont(MACRO)), s.describe())
            self.assertEqual(mutated.count("\n"), MACRO.count("\n"), s.describe())


class RealFiles(unittest.TestCase):
    """The listed files still give mutants: a parser broken by new code shows here."""

    def test_listed_files_have_sites(self):
        entries, _ = coverage.load(ROOT)
        self.assertTrue(entries)
        ops = Counter()
        for path, tests in entries:
            with open(os.path.join(ROOT, path)) as f:
                sites = csites.sites(f.read())
            self.assertTrue(sites, path)
            ops.update(by_op(sites))
        for op in ("cmp", "logic", "term", "negate", "once", "const", "drop", "check", "swap"):
            self.assertGreater(ops[op], 10, op)


class FilesList(unittest.TestCase):
    def test_parse(self):
        entries, missing = coverage.load(ROOT, "kernel/futex.c usertests ktest:futex_*\n"
                                             "mm/no_such_file.c ktest\n"
                                             "kernel/locking/*.c scenario:busybox # comment\n")
        paths = [p for p, _ in entries]
        self.assertEqual(paths[0], "kernel/futex.c")
        self.assertEqual(entries[0][1], [coverage.Test("usertests", ""), coverage.Test("ktest", "futex_*")])
        self.assertTrue(any(p.startswith("kernel/locking/") for p in paths))
        self.assertFalse([p for p in paths if p.endswith("_test.c")])
        self.assertEqual(missing, ["mm/no_such_file.c"])
        self.assertEqual([p for p, _ in coverage.select(entries, "kernel/locking")], paths[1:])

    def test_functions_and_kinds(self):
        text = ("kernel/fork.c usertests ktest:sched_*,memcg_*\n"
                "kernel/fork.c:__mmput ktest:sched_exit_* spin:default\n"
                "mm/no_such_file.c:f ktest\n")
        entries, missing = coverage.load(ROOT, text)
        self.assertEqual([p for p, _ in entries], ["kernel/fork.c"])
        self.assertEqual(missing, ["mm/no_such_file.c:f"])
        whole = [coverage.Test("usertests", ""), coverage.Test("ktest", "sched_*,memcg_*")]
        self.assertEqual(coverage.tests_for(entries, "kernel/fork.c", "copy_process"), whole)
        self.assertEqual(coverage.tests_for(entries, "kernel/fork.c", "__mmput"),
                         [coverage.Test("ktest", "sched_exit_*"), coverage.Test("spin", "default")])
        self.assertIsNone(coverage.tests_for(entries, "mm/slab.c", "kfree"))
        self.assertEqual(coverage.test_name(coverage.Test("spin", "default")), "spin:default")

    def test_usertests_share_a_boot(self):
        (_, tests), = coverage.parse("a.c ktest:x_* usertests:pipe_eof usertests:threads\n")
        self.assertEqual(tests, [coverage.Test("ktest", "x_*"), coverage.Test("usertests", "pipe_eof threads")])
        (_, tests), = coverage.parse("a.c usertests:pipe_eof ktest usertests\n")
        self.assertEqual(tests, [coverage.Test("usertests", ""), coverage.Test("ktest", "*")])

    def test_bad_lines(self):
        for text in ("mm/slab.c\n", "mm/slab.c bogus:x\n", "mm/slab.c scenario\n", "mm/slab.c spin\n"):
            with self.assertRaises(ValueError):
                coverage.parse(text)


class Verdicts(unittest.TestCase):
    def test_ktest(self):
        self.assertEqual(scratch.verdict_ktest(0, "ok 1 a\nktest: 1 passed, 0 failed\n"), (True, ""))
        self.assertEqual(scratch.verdict_ktest(1, "not ok 1 a: x.c:3: n == 2\nktest: 0 passed, 1 failed"),
                         (False, "not ok 1 a: x.c:3: n == 2"))
        self.assertFalse(scratch.verdict_ktest(124, "ok 1 a\n")[0])
        self.assertFalse(scratch.verdict_ktest(0, "ktest: 0 passed, 0 failed\n")[0])

    def test_flaky(self):
        self.assertTrue(scratch.may_be_flaky("not ok 51 time_tick_rate: 30 ticks in 200 ms"))
        self.assertFalse(scratch.may_be_flaky("timed out (a hang)"))
        self.assertFalse(scratch.may_be_flaky("panic: Fatal exception"))

    def test_usertests(self):
        self.assertTrue(scratch.verdict_usertests(0, "test a: OK\n1 passed, 0 failed\n")[0])
        self.assertEqual(scratch.verdict_usertests(1, "test a: FAILED (boom)\n0 passed, 1 failed\n"),
                         (False, "test a: FAILED (boom)"))
        self.assertEqual(scratch.verdict_usertests(127, "Kernel panic - not syncing: Fatal exception\n"),
                         (False, "panic: Fatal exception"))
        self.assertEqual(scratch.verdict_usertests(None, "test a: OK\n"), (False, "timed out (a hang)"))
        self.assertEqual(scratch.verdict_usertests(0, "[    1.5] BUG: spinlock not held on CPU#0\ntest a: OK\n"
                                                      "1 passed, 0 failed\n"),
                         (False, "kernel report: BUG: spinlock not held on CPU#0"))


if __name__ == "__main__":
    unittest.main()
