"""Mutation sites in C kernel code: a small tokenizer, a statement parser, the operators.

No compiler front end: the tokenizer drops comments, strings stay whole, and
preprocessor lines are skipped; the parser only needs brace/paren matching to
find function bodies and the statements in them. Declarations, assertions
(BUG_ON, WARN_ON, *_assert_*...), delay points and code outside functions are not
mutated: changing them either cannot build or cannot change what a correct kernel does.

    sites(text) -> [Site]            every candidate mutant of one file, in source order;
                                     Site.tag (LINE:OP, or LINE:OP:N for the N-th such site
                                     on a line) names it within the file
    Site.apply(text) -> mutated text (same number of lines, except for a swap)
    Site.func        the function (or code macro) the site is in

The operators (Site.op):
    cmp      flip a comparison: < <=, > >=, == !=  (each to its neighbour)
    logic    && <-> ||
    term     drop one operand of && or ||: `a && b` -> `b`, -> `a` (half a check)
    negate   if (c) / while (c)  ->  if (!(c))
    once     while (c) body  ->  if (c) body: a wait loop that does not test again
    const    an integer constant by one: 0 -> 1, n -> n - 1
    drop     delete a statement: a call (an unlock, a flush, a put), an assignment
    check    delete a guard: if (...) return/goto/break/continue ...;
    swap     exchange two adjacent statements
"""
import re
from collections import namedtuple

Tok = namedtuple("Tok", "kind text pos line")    # kind: id num str chr op

_PUNCT = sorted("""... <<= >>= -> ++ -- << >> <= >= == != && || *= /= %= += -= &= ^= |= ##
                   { } [ ] ( ) ; : , . ? ~ ! + - * / % < > & ^ | = #""".split(), key=len, reverse=True)
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<chr>'(?:[^'\\\n]|\\.)*')
  | (?P<num>0[xX][0-9a-fA-F]+[uUlL]*|\d+\.\d*(?:[eE][-+]?\d+)?[fFlL]?|\d+[uUlL]*)
  | (?P<id>[A-Za-z_]\w*)
  | (?P<op>%s)
""" % "|".join(re.escape(p) for p in _PUNCT), re.S | re.X)
_PREPROC = re.compile(r"^[ \t]*#(?:[^\n\\]|\\.)*", re.M | re.S)

TYPE_WORDS = set("""struct union enum const volatile static register unsigned signed int long short
    char bool _Bool void float double u8 u16 u32 u64 s8 s16 s32 s64 size_t ssize_t uintptr_t
    phys_addr_t pid_t gfp_t loff_t off_t mode_t uid_t gid_t pgoff_t pte_t pmd_t pud_t pgd_t
    spinlock_t atomic_t atomic_long_t refcount_t wait_queue_head_t sigset_t time64_t ktime_t
    __u32 __u64 __user __maybe_unused typeof __typeof__ auto""".split())
KEYWORDS = set("""if else for while do switch case default return goto break continue sizeof
    asm __asm__ __asm typedef""".split()) | TYPE_WORDS
# Statements that only check or log what correct code never does, and delay points (they do
# nothing unless a test arms them): not mutated.
SKIP_HEAD = re.compile(r"(?i)assert|^BUG|^WARN|_WARN_ON|_BUG_ON|^BUILD_BUG|^pr_debug$|^pr_devel$"
                       r"|^might_sleep$|^might_fault$|^delay_point$")
# Statements that only print: not mutated (a test is not meant to pin every log line).
LOG_HEAD = re.compile(r"pr_(?!debug)|printk$|dump_stack$")
# Sub-expressions whose constants and comparisons are about types, not values.
SKIP_CALL = {"sizeof", "typeof", "__typeof__", "offsetof", "__attribute__", "alignof", "_Alignof",
             "__builtin_constant_p", "__builtin_expect", "asm", "__asm__", "__asm", "BUILD_BUG_ON"}
JUMPS = {"return", "goto", "break", "continue"}
ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="}
CMP_FLIP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
LOGIC_FLIP = {"&&": "||", "||": "&&"}


_MACRO_HEAD = re.compile(r"[ \t]*#[ \t]*define[ \t]+\w+(?:\([^)]*\))?[ \t]*")
_MACRO_CODE = re.compile(r"\(\s*\{|do\s*\{")


def _preproc(m):
    """A preprocessor line, blanked; but a macro whose body is code (`({ ... })` or
    `do { ... } while (0)`, like wait_event()) keeps its body, without the backslashes."""
    d = m.group(0)
    head = _MACRO_HEAD.match(d)
    if head and _MACRO_CODE.match(d, head.end()):
        return " " * head.end() + re.sub(r"\\(?=[ \t]*\n)", " ", d[head.end():])
    return re.sub(r"[^\n]", " ", d)


def tokenize(text):
    """Tokens of text with preprocessor lines blanked out (positions stay true), except the
    bodies of macros that are code."""
    code = _PREPROC.sub(_preproc, text)
    toks, pos, line = [], 0, 1
    while pos < len(code):
        m = _TOKEN.match(code, pos)
        if not m:                               # a stray character (e.g. `\` or `$`): skip it
            pos += 1
            continue
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            toks.append(Tok(kind, m.group(0), pos, line))
        line += m.group(0).count("\n")
        pos = m.end()
    return toks


def _matches(toks):
    """match[i] = index of the bracket closing (or opening) toks[i], or None."""
    match, stack = [None] * len(toks), []
    pairs = {")": "(", "]": "[", "}": "{"}
    for i, t in enumerate(toks):
        if t.kind != "op":
            continue
        if t.text in "([{":
            stack.append(i)
        elif t.text in pairs:
            while stack and toks[stack[-1]].text != pairs[t.text]:
                stack.pop()                     # unbalanced input: forget the stray opener
            if stack:
                j = stack.pop()
                match[i], match[j] = j, i
    return match


class Stmt:
    """A statement: toks[first..last]. kind: block if loop switch do label jump decl expr asm empty.
    cond: (open, close) token indices of an if/while/for/switch header's parentheses."""

    def __init__(self, kind, first, last, children=(), cond=None, orelse=None):
        self.kind, self.first, self.last = kind, first, last
        self.children, self.cond, self.orelse = list(children), cond, orelse
        self.name = ""                      # a function body's function


class Parser:
    def __init__(self, toks):
        self.toks, self.match = toks, _matches(toks)

    def t(self, i):
        return self.toks[i].text if 0 <= i < len(self.toks) else ""

    def functions(self):
        """The body block of every function definition (a top-level `{` after `)`), and of
        every macro that is code (a top-level `({` or `do {`: only macro bodies start so)."""
        out, i = [], 0
        while i < len(self.toks):
            body = i + 1 if (self.t(i) in ("(", "do") and self.t(i + 1) == "{") else \
                i if (self.t(i) == "{" and self.t(i - 1) == ")") else None
            if body is not None and self.match[body] is not None:
                fn = Stmt("block", body, self.match[body], self.block(body + 1, self.match[body]))
                opening = self.match[i - 1] if body == i else None
                fn.name = self.t(opening - 1) if opening else ""
                out.append(fn)
            if self.t(i) in "([{" and self.match[i] is not None:
                i = self.match[i] + 1
            else:
                i += 1
        return out

    def block(self, i, end):
        stmts = []
        while i < end:
            s = self.stmt(i, end)
            stmts.append(s)
            i = s.last + 1
        return stmts

    def close(self, i, end):
        """The matching bracket of toks[i], or end - 1 when it is broken."""
        j = self.match[i]
        return j if j is not None and j < end else end - 1

    def stmt(self, i, end):
        w = self.t(i)
        if w == "{":
            j = self.close(i, end)
            return Stmt("block", i, j, self.block(i + 1, j))
        if w == ";":
            return Stmt("empty", i, i)
        if w in ("if", "while", "for", "switch") and self.t(i + 1) == "(":
            c = self.close(i + 1, end)
            if c + 1 >= end:
                return Stmt("expr", i, c)
            body = self.stmt(c + 1, end)
            kind = {"if": "if", "switch": "switch"}.get(w, "loop")
            s = Stmt(kind, i, body.last, [body], cond=(i + 1, c))
            if w == "if" and self.t(body.last + 1) == "else" and body.last + 2 < end:
                s.orelse = self.stmt(body.last + 2, end)
                s.children.append(s.orelse)
                s.last = s.orelse.last
            return s
        if w == "do" and i + 1 < end:
            body = self.stmt(i + 1, end)
            j = body.last + 1
            if self.t(j) == "while" and self.t(j + 1) == "(":
                c = self.close(j + 1, end)
                last = c + 1 if self.t(c + 1) == ";" else c
                return Stmt("do", i, last, [body], cond=(j + 1, c))
            return Stmt("do", i, body.last, [body])
        if w in ("case", "default"):
            j = i
            while j < end - 1 and self.t(j) != ":":
                j += 1
            return Stmt("label", i, j)
        if self.toks[i].kind == "id" and self.t(i + 1) == ":" and w not in KEYWORDS:
            return Stmt("label", i, i + 1)
        if (self.toks[i].kind == "id" and w not in KEYWORDS and self.t(i + 1) == "("
                and self.match[i + 1] is not None and self.match[i + 1] + 1 < end):
            c = self.match[i + 1]
            after = self.toks[c + 1]
            if after.text == "{" or (after.kind == "id" and after.text not in ("__acquires", "__releases")):
                body = self.stmt(c + 1, end)             # list_for_each_entry(...) { ... }
                return Stmt("loop", i, body.last, [body])
        return self.simple(i, end)

    def simple(self, i, end):
        """A statement up to its `;` (initializers and ({ }) groups are skipped over)."""
        j = i
        while j < end and self.t(j) != ";":
            if self.t(j) in "([{" and self.match[j] is not None and self.match[j] < end:
                j = self.match[j]
            elif self.t(j) == "}":                      # a stray closer: stop before it
                j -= 1
                break
            j += 1
        j = min(j, end - 1)
        w = self.t(i)
        if w in JUMPS:
            kind = "jump"
        elif w in ("asm", "__asm__", "__asm"):
            kind = "asm"
        elif self.is_decl(i, j):
            kind = "decl"
        else:
            kind = "expr"
        return Stmt(kind, i, max(i, j))

    def is_decl(self, i, j):
        w, toks = self.t(i), self.toks
        if w in TYPE_WORDS or w.endswith("_t") or w == "typedef" or re.match(r"(DEFINE|DECLARE)_", w):
            return True
        k = i + 1
        while self.t(k) == "*":
            k += 1
        # `type name = ...;` / `type *name;` / `type name[..]` (an expression never reads `a b`)
        return (toks[i].kind == "id" and k <= j and toks[k].kind == "id"
                and self.t(k + 1) in ("=", ";", ",", "[", ")"))


class Site:
    """One mutant. spans: [(start, end, replacement)] in the file's text, in order."""

    def __init__(self, op, line, spans, before, after):
        self.op, self.line, self.spans, self.before, self.after = op, line, spans, before, after
        self.tag = ""                       # LINE:OP[:N], the site's name within its file
        self.func = ""                      # the function (or code macro) it is in

    def apply(self, text):
        out, pos = [], 0
        for start, end, new in self.spans:
            out += [text[pos:start], new]
            pos = end
        return "".join(out) + text[pos:]

    def describe(self):
        return "%s → %s" % (self.before, self.after)

    def key(self):
        return (self.spans[0][0], self.op, self.spans)


def _squash(s, limit=90):
    s = re.sub(r"\\[ \t]*(?:\n|$)", " ", re.sub(r"/\*.*?\*/|//[^\n]*", " ", s, flags=re.S))
    s = " ".join(s.split())
    return s if len(s) <= limit else s[:limit - 1] + "…"


def _line_at(text, pos):
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


class SiteFinder:
    def __init__(self, text):
        self.text = text
        self.toks = tokenize(text)
        self.p = Parser(self.toks)
        self.out = []

    def src(self, first, last):
        return self.text[self.toks[first].pos:self.toks[last].pos + len(self.toks[last].text)]

    def span(self, first, last):
        return self.toks[first].pos, self.toks[last].pos + len(self.toks[last].text)

    def head(self, s):
        """The statement's leading name: the function it calls or the variable it sets."""
        t = self.toks[s.first]
        if t.text == "(" and self.p.t(s.first + 1) == "void":
            return "(void)"
        return t.text if t.kind == "id" else ""

    def run(self):
        for body in self.p.functions():
            if not SKIP_HEAD.search(body.name):         # mutex_assert_held() and the like
                first = len(self.out)
                self.walk(body)
                for site in self.out[first:]:
                    site.func = body.name
        self.out.sort(key=Site.key)
        seen = {}
        for site in self.out:                           # LINE:OP, then :2, :3... on one line
            n = seen[site.line, site.op] = seen.get((site.line, site.op), 0) + 1
            site.tag = "%d:%s" % (site.line, site.op) + (":%d" % n if n > 1 else "")
        return self.out

    def walk(self, s):
        if s.kind in ("expr", "decl", "jump") and (SKIP_HEAD.search(self.head(s)) or
                                                   LOG_HEAD.match(self.head(s))):
            return
        if s.kind == "asm":
            return
        if s.kind in ("expr", "decl", "jump"):
            self.token_sites(s.first, s.last, in_decl=s.kind == "decl")
        elif s.cond:
            self.token_sites(s.cond[0] + 1, s.cond[1] - 1)
        if s.kind in ("if", "loop") and s.cond and self.p.t(s.first) in ("if", "while"):
            self.negate(s)
        if s.kind == "loop" and s.cond and self.p.t(s.first) == "while":
            self.once(s)
        if s.kind == "expr" and self.head(s) != "(void)" and self.has_effect(s):
            self.drop(s, "drop")
        if s.kind == "if" and s.orelse is None and self.is_guard(s.children[0]):
            self.drop(s, "check")
        if s.kind == "block":
            self.swaps(s.children)
        for c in s.children:
            self.walk(c)

    def has_effect(self, s):
        """A call or an assignment: deleting a bare `x;` or `a || b;` changes nothing (or,
        as the last statement of a ({ }) macro, cannot build)."""
        for i in range(s.first, s.last + 1):
            t = self.toks[i]
            if t.kind == "op" and (t.text in ASSIGN or t.text in ("++", "--")):
                return True
            if t.kind == "id" and t.text not in KEYWORDS and self.p.t(i + 1) == "(":
                return True
        return False

    def declared(self, s):
        """The name a declaration declares (the last identifier before its `=`, `;` or `[`)."""
        name = None
        for i in range(s.first, s.last + 1):
            t = self.toks[i]
            if t.text in ("=", ";", "[", ","):
                break
            if t.kind == "id":
                name = t.text
        return name

    def calls(self, s):
        return any(self.toks[i].kind == "id" and self.toks[i].text not in KEYWORDS
                   and self.p.t(i + 1) == "(" for i in range(s.first, s.last + 1))

    def target(self, s):
        """The text a plain store `lhs = rhs;` (or `T x = rhs;`) writes, else None."""
        for i in range(s.first, s.last + 1):
            if self.toks[i].text in ASSIGN:
                if s.kind == "decl":
                    return self.declared(s)
                return "".join(self.toks[j].text for j in range(s.first, i))
            if self.toks[i].text in "([{" or self.toks[i].text in ("++", "--"):
                return None
        return None

    def text_of(self, s):
        return "".join(self.toks[i].text for i in range(s.first, s.last + 1))

    def independent(self, x, y):
        """Swapping these cannot change anything: two stores to different places that read
        neither place and call nothing (`p->a = 1; p->b = n;`), or a call next to a new
        variable set to a constant (`memset(buf, 0, n); loff_t pos = 0;`)."""
        tx, ty = self.target(x), self.target(y)
        if tx and ty and tx != ty and not self.calls(x) and not self.calls(y):
            return tx not in self.text_of(y) and ty not in self.text_of(x)
        for a, b in ((x, y), (y, x)):
            if a.kind == "decl" and self.target(a) and not self.uses(b, self.target(a)):
                init = [self.toks[i] for i in range(a.first, a.last + 1)]
                rhs = init[[t.text for t in init].index("=") + 1:-1]
                if all(t.kind in ("num", "str", "chr") or t.text in ("-", "(", ")", "{", "}", ",")
                       for t in rhs):
                    return True
        return False

    def uses(self, s, name):
        return any(self.toks[i].text == name for i in range(s.first, s.last + 1))

    def is_guard(self, body):
        if body.kind == "jump":
            return True
        return (body.kind == "block" and 0 < len(body.children) <= 3
                and body.children[-1].kind == "jump")

    def token_sites(self, first, last, in_decl=False):
        i = first
        while i <= last:
            t = self.toks[i]
            if t.text in SKIP_CALL or (in_decl and t.text == "["):
                nxt = i + 1 if t.text in SKIP_CALL else i
                if self.p.t(nxt) in ("(", "[") and self.p.match[nxt] is not None:
                    i = self.p.match[nxt] + 1
                    continue
            if t.kind == "op" and t.text in CMP_FLIP:
                self.token_site("cmp", t, CMP_FLIP[t.text])
            elif t.kind == "op" and t.text in LOGIC_FLIP:
                self.token_site("logic", t, LOGIC_FLIP[t.text])
                self.terms(i, first, last)
            elif t.kind == "num" and _INT.match(t.text):
                self.token_site("const", t, _plus_minus_one(t.text))
            i += 1

    def terms(self, i, first, last):
        """Delete one operand of toks[i] (&& or ||): `a && b` -> `b`, and -> `a`. An operand of
        || may hold && (it binds tighter); neither crosses ?:, =, a comma or its brackets."""
        stops = {"||"} if self.toks[i].text == "||" else {"&&", "||"}
        bound = stops | ASSIGN | {";", ",", "?", ":", "return"}
        m, j = self.p.match, i - 1
        while j >= first:
            t = self.toks[j].text
            if t in (")", "]", "}") and m[j] is not None and m[j] >= first:
                j = m[j] - 1
            elif t in ("(", "[", "{") or t in bound:
                break
            else:
                j -= 1
        k = i + 1
        while k <= last:
            t = self.toks[k].text
            if t in ("(", "[", "{") and m[k] is not None and m[k] <= last:
                k = m[k] + 1
            elif t in (")", "]", "}") or t in bound:
                break
            else:
                k += 1
        lo, hi = j + 1, k - 1
        if lo >= i or hi <= i:
            return
        a, b = self.span(lo, hi)
        old = self.text[a:b]
        left = (self.toks[lo].pos, self.toks[i + 1].pos)            # `a && ` goes
        right = (self.toks[i - 1].pos + len(self.toks[i - 1].text),  # ` && b` goes
                 self.toks[hi].pos + len(self.toks[hi].text))
        for x, y in (left, right):
            cut = old[:x - a] + old[y - a:]
            if "\n" in self.text[x:y]:                                 # keep the line count
                cut = old[:x - a] + "\n" * self.text.count("\n", x, y) + old[y - a:]
            self.out.append(Site("term", self.toks[i].line, [(x, y, "\n" * self.text.count("\n", x, y))],
                                 _squash(old), _squash(cut)))

    def token_site(self, op, t, new):
        start, end = t.pos, t.pos + len(t.text)
        ls, le = _line_at(self.text, start)
        line = self.text[ls:le]
        after = line[:start - ls] + new + line[end - ls:]
        self.out.append(Site(op, t.line, [(start, end, new)], _squash(line), _squash(after)))

    def negate(self, s):
        o, c = s.cond
        if c - o == 2 and self.toks[o + 1].kind == "num":    # while (1): not a decision
            return
        a, b = self.toks[o].pos + 1, self.toks[c].pos
        cond = self.text[a:b]
        kw = self.p.t(s.first)
        self.out.append(Site("negate", self.toks[s.first].line, [(a, a, "!("), (b, b, ")")],
                             _squash("%s (%s)" % (kw, cond)), _squash("%s (!(%s))" % (kw, cond))))

    def once(self, s):
        """while (c) body -> if (c) body: a wait loop that does not test again after waking."""
        o, c = s.cond
        body = s.children[0]
        if (c - o == 2 and self.toks[o + 1].kind == "num") or any(
                self.toks[i].text in ("break", "continue") for i in range(body.first, body.last + 1)):
            return
        w = self.toks[s.first]
        cond = self.text[self.toks[o].pos:self.toks[c].pos + 1]
        self.out.append(Site("once", w.line, [(w.pos, w.pos + len("while"), "if")],
                             _squash("while " + cond), _squash("if " + cond)))

    def drop(self, s, op):
        a, b = self.span(s.first, s.last)
        old = self.text[a:b]
        ends = "".join(re.findall(r"\\[ \t]*\n|\n", old))   # the line ends, a macro's too
        self.out.append(Site(op, self.toks[s.first].line, [(a, b, "{}" + ends)], _squash(old), "(deleted)"))

    def swappable(self, s):
        if s.kind == "if":
            return s.orelse is None and self.is_guard(s.children[0])
        if s.kind == "decl":                 # only one that runs code: `T x = f();`
            return any(self.toks[i].text == "=" for i in range(s.first, s.last + 1))
        return (s.kind == "expr" and self.head(s) != "(void)" and not SKIP_HEAD.search(self.head(s))
                and not LOG_HEAD.match(self.head(s)) and self.has_effect(s))

    def swaps(self, stmts):
        """Adjacent statements: calls, assignments, declarations (not before a use of what
        they declare) and guards (`if (c) return ...;`)."""
        for x, y in zip(stmts, stmts[1:]):
            if y.first != x.last + 1 or not (self.swappable(x) and self.swappable(y)):
                continue
            if x.kind == y.kind and x.kind in ("if", "decl"):
                continue
            if self.independent(x, y):
                continue
            if (x.kind == "decl" and self.uses(y, self.declared(x))) or \
                    (y.kind == "decl" and self.uses(x, self.declared(y))):
                continue
            (a, b), (c, d) = self.span(x.first, x.last), self.span(y.first, y.last)
            A, B = self.text[a:b], self.text[c:d]
            if A == B:
                continue
            self.out.append(Site("swap", self.toks[x.first].line, [(a, b, B), (c, d, A)],
                                 _squash(A + " " + B), _squash(B + " " + A)))


_INT = re.compile(r"(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)$")


def _plus_minus_one(lit):
    m = _INT.match(lit)
    digits, suffix = m.group(1), m.group(2)
    if digits.lower().startswith("0x"):
        v = int(digits, 16)
        return "%#x%s" % (v - 1 if v else 1, suffix)
    if len(digits) > 1 and digits.startswith("0"):        # octal
        v = int(digits, 8)
        return "0%o%s" % (v - 1 if v else 1, suffix)
    v = int(digits)
    return "%d%s" % (v - 1 if v else 1, suffix)


def sites(text):
    """Every mutation site of a C file, in source order."""
    return SiteFinder(text).run()
