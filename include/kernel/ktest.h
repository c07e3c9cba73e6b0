/*
 * ktest: in-kernel unit tests. KTEST(name) { ... } puts a test in the .ktests
 * linker section; booting with ktest=PATTERN (a glob, or several separated by
 * commas: ktest=slab_*,buddy_*) runs the matching tests
 * in link order, prints "ok N name" or "not ok N name: reason" for each, a
 * summary line "ktest: N passed, N failed", and powers off with status 0 only
 * if every test passed. A failed KT_ASSERT returns from the test at once.
 */
#ifndef _KERNEL_KTEST_H
#define _KERNEL_KTEST_H

#include <kernel/types.h>
#include <kernel/compiler.h>

struct ktest_ctx {
	bool failed;
	char reason[160];
};

struct ktest {
	const char *name;
	void (*fn)(struct ktest_ctx *kt);
};

#define KTEST(tname) \
	static void ktest_fn_##tname(struct ktest_ctx *kt); \
	static const struct ktest ktest_##tname __used __section(".ktests") __aligned(8) = \
		{ .name = #tname, .fn = ktest_fn_##tname }; \
	static void ktest_fn_##tname(struct ktest_ctx *kt __maybe_unused)

__printf(4, 5) void ktest_fail(struct ktest_ctx *kt, const char *file, int line, const char *fmt, ...);

#define KT_ASSERT(cond) do { if (!(cond)) { \
	ktest_fail(kt, __FILE__, __LINE__, "%s", #cond); return; } } while (0)
#define KT_ASSERT_MSG(cond, fmt, ...) do { if (!(cond)) { \
	ktest_fail(kt, __FILE__, __LINE__, fmt, ##__VA_ARGS__); return; } } while (0)
#define KT_ASSERT_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); if (_a != _b) { \
	ktest_fail(kt, __FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, _a, _b); return; } } while (0)
#define KT_ASSERT_STREQ(a, b) do { const char *_a = (a), *_b = (b); if (strcmp(_a, _b)) { \
	ktest_fail(kt, __FILE__, __LINE__, "%s: \"%s\" != \"%s\"", #a, _a, _b); return; } } while (0)

/* How many times the kernel log printed since seq (a log_next_seq value) contains what. */
int ktest_log_count(u64 seq, const char *what);

/* Run the tests whose names match pattern; returns the number that failed. */
int ktest_run(const char *pattern);

#endif
