/*
 * ktests for vsnprintf and the string-to-number helpers (lib/vsprintf.c),
 * glob_match (lib/string.c), and printk's log buffer (kernel/printk.c).
 *
 * The expected strings and return values of the CHECK() lines for the
 * standard conversions were produced by glibc's snprintf on the host from
 * the same format strings and arguments (a throw-away C program), so they
 * are what C specifies. Where the kernel deliberately follows Linux instead
 * of C, the expectation is Linux's and says so: %#x of 0 is "0x0", %p and
 * %px print 16 hex digits without hashing, %pS/%ps print kernel symbols.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/kallsyms.h>
#include <lib/string.h>
#include <uapi/errno.h>

static char buf[256];

/* snprintf(fmt, ...) gives exactly want and returns wantlen. */
#define CHECK(want, wantlen, fmt, ...) do { \
	int _n = snprintf(buf, sizeof(buf), fmt, ##__VA_ARGS__); \
	KT_ASSERT_MSG(!strcmp(buf, want) && _n == (wantlen), "%s: \"%s\" (%d), expected \"%s\" (%d)", \
		      fmt, buf, _n, want, wantlen); \
} while (0)
/* For cases gcc's -Wformat rightly calls redundant (e.g. "%-05d", "%+u") but C defines. */
#define CHECK_REDUNDANT(want, wantlen, fmt, ...) do { \
	_Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wformat\"") \
	CHECK(want, wantlen, fmt, ##__VA_ARGS__); \
	_Pragma("GCC diagnostic pop") \
} while (0)

KTEST(printk_conversions)
{
	CHECK("0", 1, "%d", 0);
	CHECK("42", 2, "%d", 42);
	CHECK("-42", 3, "%d", -42);
	CHECK("-7", 2, "%i", -7);
	CHECK("3000000000", 10, "%u", 3000000000u);
	CHECK("deadbeef", 8, "%x", 0xdeadbeefu);
	CHECK("DEADBEEF", 8, "%X", 0xdeadbeefu);
	CHECK("10", 2, "%o", 8u);
	CHECK("A", 1, "%c", 'A');
	CHECK("[    B]", 7, "[%5c]", 'B');
	CHECK("[C    ]", 7, "[%-5c]", 'C');
	CHECK("hello", 5, "%s", "hello");
	CHECK("%", 1, "%%");
	CHECK("100% sure", 9, "100%% sure");
}

KTEST(printk_flags)
{
	CHECK("[   42]", 7, "[%5d]", 42);
	CHECK("[42   ]", 7, "[%-5d]", 42);
	CHECK("[00042]", 7, "[%05d]", 42);
	CHECK("[-0042]", 7, "[%05d]", -42);
	CHECK_REDUNDANT("[42   ]", 7, "[%-05d]", 42);
	CHECK("[+42]", 5, "[%+d]", 42);
	CHECK("[-42]", 5, "[%+d]", -42);
	CHECK("[+0]", 4, "[%+d]", 0);
	CHECK("[ 42]", 5, "[% d]", 42);
	CHECK("[-42]", 5, "[% d]", -42);
	CHECK_REDUNDANT("[+42]", 5, "[%+ d]", 42);
	CHECK("[ 0042]", 7, "[% 05d]", 42);
	CHECK("[+0042]", 7, "[%+05d]", 42);
	CHECK("[0xff]", 6, "[%#x]", 255u);
	CHECK("[0XFF]", 6, "[%#X]", 255u);
	CHECK("[010]", 5, "[%#o]", 8u);
	CHECK("[0]", 3, "[%#o]", 0u);
	CHECK("[      0xff]", 12, "[%#10x]", 255u);
	CHECK("[0xff      ]", 12, "[%#-10x]", 255u);
	CHECK("[0x000000ff]", 12, "[%#010x]", 255u);
	/* Linux's %#x prints the prefix for 0 too (glibc prints "0"). */
	CHECK("0x0", 3, "%#x", 0u);
	CHECK("[0x0000000000000000]", 20, "[%#018llx]", 0ULL);
}

KTEST(printk_width_precision)
{
	CHECK("[007]", 5, "[%.3d]", 7);
	CHECK("[-007]", 6, "[%.3d]", -7);
	CHECK("[     007]", 10, "[%8.3d]", 7);
	CHECK("[-007    ]", 10, "[%-8.3d]", -7);
	CHECK_REDUNDANT("[     007]", 10, "[%08.3d]", 7);
	CHECK("[]", 2, "[%.0d]", 0);	/* C and glibc; Linux prints "[0]" */
	CHECK("[5]", 3, "[%.0d]", 5);
	CHECK("[     ]", 7, "[%5.0d]", 0);
	CHECK("[000ab]", 7, "[%.5x]", 0xabu);
	CHECK("[0x000ab]", 9, "[%#.5x]", 0xabu);
	CHECK("[abc]", 5, "[%.3s]", "abcdef");
	CHECK("[     abc]", 10, "[%8.3s]", "abcdef");
	CHECK("[abc     ]", 10, "[%-8.3s]", "abcdef");
	CHECK("[        hi]", 12, "[%10s]", "hi");
	CHECK("[hi        ]", 12, "[%-10s]", "hi");
	CHECK("[hi]", 4, "[%.10s]", "hi");
	CHECK("[]", 2, "[%.0s]", "hi");
	CHECK("[    42]", 8, "[%*d]", 6, 42);
	CHECK("[42    ]", 8, "[%-*d]", 6, 42);
	CHECK("[42    ]", 8, "[%*d]", -6, 42);
	CHECK("[0042]", 6, "[%.*d]", 4, 42);
	CHECK("[42]", 4, "[%.*d]", -1, 42);
	CHECK("[   -0042]", 10, "[%*.*d]", 8, 4, -42);
	CHECK("[-00042]", 8, "[%0*d]", 6, -42);
	CHECK_REDUNDANT("[00042]", 7, "[%0*.*d]", 5, -1, 42);
	CHECK("[ab]", 4, "[%.*s]", 2, "abcdef");
	CHECK("[  ab]", 6, "[%*s]", 4, "ab");
}

KTEST(printk_length_modifiers)
{
	CHECK("-56", 3, "%hhd", 200);
	CHECK("44", 2, "%hhu", 300);
	CHECK("ff", 2, "%hhx", 0x1ff);
	CHECK("4464", 4, "%hd", 70000);
	CHECK("4464", 4, "%hu", 70000);
	CHECK("2345", 4, "%hx", 0x12345);
	CHECK("-1234567890123", 14, "%ld", -1234567890123L);
	CHECK("18446744073709551615", 20, "%lu", 18446744073709551615UL);
	CHECK("fedcba9876543210", 16, "%lx", 0xfedcba9876543210UL);
	CHECK("-9223372036854775808", 20, "%lld", -9223372036854775807LL - 1);
	CHECK("9223372036854775807", 19, "%lld", 9223372036854775807LL);
	CHECK("18446744073709551615", 20, "%llu", 18446744073709551615ULL);
	CHECK("ffffffffffffffff", 16, "%llx", 18446744073709551615ULL);
	CHECK("ABCDEF0123456789", 16, "%llX", 0xabcdef0123456789ULL);
	CHECK("1777777777777777777777", 22, "%llo", 18446744073709551615ULL);
	CHECK("4096", 4, "%zu", (size_t)4096);
	CHECK("-1", 2, "%zd", (ssize_t)-1);
	CHECK("ffff", 4, "%zx", (size_t)0xffff);
	CHECK("-5", 2, "%td", (ptrdiff_t)-5);
	CHECK("[-9223372036854775808]", 22, "[%20lld]", -9223372036854775807LL - 1);
	CHECK("[-9223372036854775808  ]", 24, "[%-22lld]", -9223372036854775807LL - 1);
	CHECK("[+9223372036854775807]", 22, "[%+lld]", 9223372036854775807LL);
	CHECK("1 two 3 4", 9, "%d %s %c %x", 1, "two", '3', 4u);
}

KTEST(printk_misc)
{
	const char *volatile null_str = NULL;

	CHECK("0", 1, "%u", 0u);
	CHECK("0", 1, "%x", 0u);
	CHECK("0", 1, "%o", 0u);
	CHECK("[  123]", 7, "[%5u]", 123u);
	CHECK("[a    |]", 8, "[%-5x|]", 0xau);
	CHECK("[0x1000]", 8, "[%#llx]", 0x1000ULL);
	CHECK("[0xffffffff80000000]", 20, "[%#018llx]", 0xffffffff80000000ULL);
	CHECK("[000000000000000000]", 20, "[%018llx]", 0ULL);
	CHECK("2147483647", 10, "%d", 2147483647);
	CHECK("-2147483648", 11, "%d", -2147483647 - 1);
	CHECK("4294967295", 10, "%u", 4294967295u);
	CHECK_REDUNDANT("[5]", 3, "[%+u]", 5u);
	CHECK_REDUNDANT("[5]", 3, "[% u]", 5u);
	CHECK_REDUNDANT("[5]", 3, "[%+x]", 5u);
	CHECK("(null)", 6, "%s", null_str);
	CHECK("[    (null)]", 12, "[%10s]", null_str);
	CHECK("", 0, "%s", "");
	CHECK("[   ]", 5, "[%3s]", "");
}

KTEST(printk_pointers)
{
	CHECK("0000000000001234", 16, "%p", (void *)0x1234);
	CHECK("ffffffff80100000", 16, "%px", (void *)0xffffffff80100000UL);
	CHECK("0000000000000000", 16, "%px", NULL);
	CHECK("[ffff888000000000]", 18, "[%p]", (void *)0xffff888000000000UL);
	CHECK("0000000000000abc!", 17, "%px!", (void *)0xabc);
}

/* The return value is the length the whole output would have; the buffer is always terminated. */
KTEST(printk_truncation)
{
	char small[8];

	memset(small, 'x', sizeof(small));
	KT_ASSERT_EQ(snprintf(small, sizeof(small), "%s", "hello world"), 11);
	KT_ASSERT_STREQ(small, "hello w");
	memset(small, 'x', sizeof(small));
	KT_ASSERT_EQ(snprintf(small, 1, "abc"), 3);
	KT_ASSERT_EQ(small[0], 0);
	KT_ASSERT_EQ(small[1], 'x');
	memset(small, 'x', sizeof(small));
	KT_ASSERT_EQ(snprintf(small, 0, "%d", 12345), 5);
	KT_ASSERT_EQ(small[0], 'x');	/* size 0: nothing written */
	KT_ASSERT_EQ(snprintf(NULL, 0, "%s-%d", "abc", 42), 6);
	KT_ASSERT_EQ(snprintf(small, sizeof(small), "%5d|%5d", 1, 2), 11);
	KT_ASSERT_STREQ(small, "    1| ");
	KT_ASSERT_EQ(snprintf(small, sizeof(small), "1234567"), 7);
	KT_ASSERT_STREQ(small, "1234567");
	KT_ASSERT_EQ(snprintf(small, sizeof(small), "12345678"), 8);
	KT_ASSERT_STREQ(small, "1234567");
	/* scnprintf returns what it wrote. */
	KT_ASSERT_EQ(scnprintf(small, sizeof(small), "%s", "hello world"), 7);
	KT_ASSERT_EQ(scnprintf(small, sizeof(small), "%s", "hi"), 2);
	KT_ASSERT_EQ(scnprintf(small, 0, "%s", "hi"), 0);
}

/* %pS and %ps of a kernel function (printk is global, so kallsyms has it). */
KTEST(printk_symbols)
{
	unsigned long size = 0, off = 0;
	char want[64];

	KT_ASSERT(kallsyms_lookup((unsigned long)printk, &size, &off));
	KT_ASSERT(size > 0x10);
	snprintf(want, sizeof(want), "printk+0x0/%#lx", size);
	CHECK(want, (int)strlen(want), "%pS", printk);
	snprintf(want, sizeof(want), "printk+0x10/%#lx", size);
	CHECK(want, (int)strlen(want), "%pS", (char *)printk + 0x10);
	CHECK("printk", 6, "%ps", printk);
	CHECK("printk", 6, "%ps", (char *)printk + 3);
	CHECK("[    printk]", 12, "[%10ps]", printk);
	CHECK("[snprintf]", 10, "[%ps]", snprintf);
	/* Not in the kernel's text: the raw address. */
	CHECK("0x0", 3, "%pS", NULL);
	CHECK("0xffff888000001000", 18, "%pS", (void *)0xffff888000001000UL);
	CHECK("0xffff888000001000", 18, "%ps", (void *)0xffff888000001000UL);
}

/* One string to parse: kstrtoull() or kstrtoint() gives want, or fails with err. */
struct parse_case {
	const char *s;
	unsigned int base;
	int err;
	unsigned long long want;	/* an int's value converted, as C does: -42 is 2^64 - 42 */
};

static const struct parse_case ull_cases[] = {
	{ "123", 10, .want = 123 }, { "123\n", 10, .want = 123 }, { "0x10", 0, .want = 16 },
	{ "0x10", 16, .want = 16 }, { "ff", 16, .want = 255 }, { "0777", 0, .want = 0777 },
	{ "0", 0, .want = 0 }, { "18446744073709551615", 10, .want = ~0ULL },
	{ "", 10, .err = -EINVAL }, { "abc", 10, .err = -EINVAL }, { "12a", 10, .err = -EINVAL },
	{ "-1", 10, .err = -EINVAL }, { " 1", 10, .err = -EINVAL }, { "1 ", 10, .err = -EINVAL },
	{ "1\n\n", 10, .err = -EINVAL }, { "19", 8, .err = -EINVAL }, { "0x", 0, .err = -EINVAL },
};

/*
 * Linux's kstrtoull() edge cases (lib/kstrtox.c): overflow is -ERANGE, and a
 * bare "0x" has no digits (-EINVAL). (Linux also accepts one leading '+';
 * Folio rejects it on purpose, see kstrtoull(), so no case.)
 */
static const struct parse_case ull_overflow_cases[] = {
	{ "18446744073709551616", 10, .err = -ERANGE }, { "0x10000000000000000", 16, .err = -ERANGE },
	{ "99999999999999999999999", 10, .err = -ERANGE },
};
static const struct parse_case int_overflow_cases[] = {
	{ "18446744073709551617", 10, .err = -ERANGE },	/* would wrap to 1 */
};
static const struct parse_case ull_bare_prefix_cases[] = {
	{ "0x", 16, .err = -EINVAL }, { "0x\n", 16, .err = -EINVAL },
};

static const struct parse_case int_cases[] = {
	{ "42", 10, .want = 42 }, { "-42", 10, .want = -42 }, { "0x7f", 0, .want = 127 },
	{ "2147483647", 10, .want = 2147483647 }, { "-2147483648", 10, .want = -2147483647LL - 1 },
	{ "2147483648", 10, .err = -ERANGE }, { "-2147483649", 10, .err = -ERANGE },
	{ "4294967296", 10, .err = -ERANGE }, { "-", 10, .err = -EINVAL }, { "--1", 10, .err = -EINVAL },
	{ "1.5", 10, .err = -EINVAL }, { "", 10, .err = -EINVAL },
};

/* Every case parses as it says; a failed parse leaves the result alone. */
static void check_parse(struct ktest_ctx *kt, bool as_int, const struct parse_case *c, size_t n)
{
	for (; n--; c++) {
		unsigned long long v = 77;
		int iv = 77, r;

		if (as_int) {
			r = kstrtoint(c->s, c->base, &iv);
			v = (unsigned long long)(long long)iv;
		} else {
			r = kstrtoull(c->s, c->base, &v);
		}
		unsigned long long want = c->err ? 77 : c->want;
		KT_ASSERT_MSG(r == c->err && v == want, "%s(\"%s\", %u): %d, %lld; expected %d, %lld",
			      as_int ? "kstrtoint" : "kstrtoull", c->s, c->base, r, (long long)v, c->err,
			      (long long)want);
	}
}

KTEST(printk_kstrtoull)
{
	check_parse(kt, false, ull_cases, ARRAY_SIZE(ull_cases));
}

KTEST(printk_kstrtoull_overflow)
{
	check_parse(kt, false, ull_overflow_cases, ARRAY_SIZE(ull_overflow_cases));
	check_parse(kt, true, int_overflow_cases, ARRAY_SIZE(int_overflow_cases));
}

KTEST(printk_kstrtoull_bare_prefix)
{
	check_parse(kt, false, ull_bare_prefix_cases, ARRAY_SIZE(ull_bare_prefix_cases));
}

KTEST(printk_kstrtoint)
{
	check_parse(kt, true, int_cases, ARRAY_SIZE(int_cases));
}

KTEST(printk_memparse)
{
	char *end;
	const char *s;

	s = "64M";
	KT_ASSERT_EQ(memparse(s, &end), 64ULL << 20);
	KT_ASSERT(end == s + 3);
	s = "1G";
	KT_ASSERT_EQ(memparse(s, &end), 1ULL << 30);
	KT_ASSERT(*end == 0);
	s = "0x10";
	KT_ASSERT_EQ(memparse(s, &end), 16);
	KT_ASSERT(*end == 0);
	KT_ASSERT_EQ(memparse("4k", NULL), 4096);
	KT_ASSERT_EQ(memparse("2T", NULL), 2ULL << 40);
	KT_ASSERT_EQ(memparse("1P", NULL), 1ULL << 50);
	KT_ASSERT_EQ(memparse("1e", NULL), 1ULL << 60);
	KT_ASSERT_EQ(memparse("512", NULL), 512);
	KT_ASSERT_EQ(memparse("0x1000K", NULL), 0x1000ULL << 10);
	s = "128Mfoo";
	KT_ASSERT_EQ(memparse(s, &end), 128ULL << 20);
	KT_ASSERT_STREQ(end, "foo");
	/* Bad input: no digits, 0 and end at the start (mem= then rejects it with -EINVAL). */
	s = "abc";
	KT_ASSERT_EQ(memparse(s, &end), 0);
	KT_ASSERT(end == s);
	s = "";
	KT_ASSERT_EQ(memparse(s, &end), 0);
	KT_ASSERT(end == s);
}

KTEST(printk_glob_match)
{
	KT_ASSERT(glob_match("*", ""));
	KT_ASSERT(glob_match("*", "anything"));
	KT_ASSERT(glob_match("", ""));
	KT_ASSERT(!glob_match("", "a"));
	KT_ASSERT(glob_match("abc", "abc"));
	KT_ASSERT(!glob_match("abc", "abcd"));
	KT_ASSERT(!glob_match("abcd", "abc"));
	KT_ASSERT(glob_match("buddy_*", "buddy_split_merge"));
	KT_ASSERT(glob_match("buddy_*", "buddy_"));
	KT_ASSERT(!glob_match("buddy_*", "buddy"));
	KT_ASSERT(!glob_match("buddy_*", "mem_limit"));
	KT_ASSERT(glob_match("a?c", "abc"));
	KT_ASSERT(!glob_match("a?c", "ac"));
	KT_ASSERT(glob_match("*x", "abx"));
	KT_ASSERT(!glob_match("*x", "axb"));
	KT_ASSERT(glob_match("*a", "aaa"));
	KT_ASSERT(glob_match("a*b*c", "aXbYc"));
	KT_ASSERT(glob_match("a*b*c", "abbbc"));
	KT_ASSERT(!glob_match("a*b*c", "acb"));
	KT_ASSERT(glob_match("*x*y", "axbxcy"));
	KT_ASSERT(glob_match("**", "ab"));
	KT_ASSERT(glob_match("*_test?", "page_test1"));
	KT_ASSERT(!glob_match("?", ""));
	KT_ASSERT(glob_match("*?", "a"));
}

/* printk output lands in the log buffer as "<level>[seconds.micros] text\n". */
static char logbuf[2048];

static const char *find_record(u64 seq, const char *text)
{
	log_buf_read(logbuf, sizeof(logbuf), &seq);
	return strstr(logbuf, text);
}

/* Check that rec (pointing at the text) is preceded by "<lv>[%5llu.%06llu] " at a line start. */
static bool has_prefix(const char *rec, char lv)
{
	const char *p = rec - 2;	/* at "] " */
	int digits = 0;

	if (rec - logbuf < 14 || p[0] != ']' || p[1] != ' ')
		return false;
	for (p--; p > logbuf && *p >= '0' && *p <= '9'; p--)
		digits++;
	if (digits != 6 || *p != '.')
		return false;
	for (p--; p > logbuf && ((*p >= '0' && *p <= '9') || *p == ' '); p--)
		;
	return p - logbuf >= 2 && p[0] == '[' && p[-1] == '>' && p[-2] == lv && p[-3] == '<' &&
	       (p - 3 == logbuf || p[-4] == '\n');
}

KTEST(printk_log_buffer)
{
	u64 seq = log_next_seq;
	const char *rec;

	printk(KERN_INFO "ktest-marker %d %s\n", 31337, "info");
	KT_ASSERT(log_next_seq > seq);
	rec = find_record(seq, "ktest-marker 31337 info\n");
	KT_ASSERT_MSG(rec, "record not in the log: \"%s\"", logbuf);
	KT_ASSERT_MSG(has_prefix(rec, '6'), "bad prefix: \"%s\"", logbuf);

	seq = log_next_seq;
	pr_err("ktest-marker err\n");
	rec = find_record(seq, "ktest-marker err\n");
	KT_ASSERT(rec && has_prefix(rec, '3'));

	/* No level: the default (4); KERN_CONT continues the open line. */
	seq = log_next_seq;
	printk("ktest-marker part1");
	pr_cont(" part2\n");
	rec = find_record(seq, "ktest-marker part1 part2\n");
	KT_ASSERT_MSG(rec, "continued line: \"%s\"", logbuf);
	KT_ASSERT(has_prefix(rec, '0' + LOGLEVEL_DEFAULT));

	/* Two lines in one call are two records. */
	seq = log_next_seq;
	pr_info("ktest-marker line1\nktest-marker line2\n");
	rec = find_record(seq, "ktest-marker line2\n");
	KT_ASSERT(rec && has_prefix(rec, '6'));
	KT_ASSERT(find_record(seq, "ktest-marker line1\n<6>["));
}
