/*
 * ktests for page counters (mm/page_counter.c): a charge goes up the tree
 * and fails at the lowest counter over its limit, leaving nothing behind;
 * uncharging goes up the tree too; the peak and the failure count; a limit
 * below the usage is refused; a counter that would go below zero is
 * reported with a WARN and clamped; the limit syntax of the cgroup files.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/page_counter.h>

/* root <- a (max 10) <- b (max 20) <- c (no limit) */
struct tree {
	struct page_counter root, a, b, c;
};

static void tree_init(struct tree *t)
{
	page_counter_init(&t->root, NULL);
	page_counter_init(&t->a, &t->root);
	page_counter_init(&t->b, &t->a);
	page_counter_init(&t->c, &t->b);
	page_counter_set_max(&t->a, 10);	/* the tests check a.max */
}

#define USAGE(t, ur, ua, ub, uc) (page_counter_read(&(t)->root) == (ur) && page_counter_read(&(t)->a) == (ua) && \
				  page_counter_read(&(t)->b) == (ub) && page_counter_read(&(t)->c) == (uc))

KTEST(page_counter_hierarchy)
{
	struct tree t;
	struct page_counter *fail = NULL;

	tree_init(&t);
	KT_ASSERT_EQ(t.a.max, 10);
	KT_ASSERT_EQ(page_counter_set_max(&t.b, 20), 0);
	KT_ASSERT(page_counter_try_charge(&t.c, 8, &fail));
	KT_ASSERT(USAGE(&t, 8, 8, 8, 8));
	/* 11 > a's 10 while b allows 20: a refuses, and nothing stays charged anywhere. */
	KT_ASSERT(!page_counter_try_charge(&t.c, 3, &fail));
	KT_ASSERT(fail == &t.a);
	KT_ASSERT(USAGE(&t, 8, 8, 8, 8));
	KT_ASSERT_EQ(t.a.failcnt, 1);
	KT_ASSERT_EQ(t.b.failcnt, 0);
	/* Both over: the lowest one, b, is the one that refuses. */
	KT_ASSERT_EQ(page_counter_set_max(&t.b, 9), 0);
	KT_ASSERT(!page_counter_try_charge(&t.c, 3, &fail));
	KT_ASSERT(fail == &t.b);
	KT_ASSERT_EQ(t.b.failcnt, 1);
	KT_ASSERT_EQ(t.a.failcnt, 1);
	/* A charge of b itself does not touch c. */
	KT_ASSERT(page_counter_try_charge(&t.b, 1, &fail));
	KT_ASSERT(USAGE(&t, 9, 9, 9, 8));
	page_counter_uncharge(&t.b, 1);
	page_counter_uncharge(&t.c, 8);
	KT_ASSERT(USAGE(&t, 0, 0, 0, 0));
	/* page_counter_charge() ignores the limits (charges that must not fail). */
	page_counter_charge(&t.c, 12);
	KT_ASSERT(USAGE(&t, 12, 12, 12, 12));
	page_counter_uncharge(&t.c, 12);
	KT_ASSERT(USAGE(&t, 0, 0, 0, 0));
}

KTEST(page_counter_peak_and_limits)
{
	struct tree t;
	struct page_counter *fail;

	tree_init(&t);
	KT_ASSERT(page_counter_try_charge(&t.c, 7, &fail));
	page_counter_uncharge(&t.c, 5);
	KT_ASSERT(page_counter_try_charge(&t.b, 1, &fail));
	/* Each counter keeps its own peak: 7 everywhere it was 7, b's 7 too though it has 3 now. */
	KT_ASSERT_EQ(t.c.watermark, 7);
	KT_ASSERT_EQ(t.b.watermark, 7);
	KT_ASSERT_EQ(t.root.watermark, 7);
	page_counter_reset_watermark(&t.b);
	KT_ASSERT_EQ(t.b.watermark, 3);
	KT_ASSERT_EQ(t.a.watermark, 7);
	/* A limit below the usage is refused (v1's EBUSY); at the usage it is taken. */
	KT_ASSERT_EQ(page_counter_set_max(&t.a, 2), -EBUSY);
	KT_ASSERT_EQ(t.a.max, 10);
	KT_ASSERT_EQ(page_counter_set_max(&t.a, 3), 0);
	KT_ASSERT(!page_counter_try_charge(&t.c, 1, &fail) && fail == &t.a);
	KT_ASSERT_EQ(page_counter_set_max(&t.a, PAGE_COUNTER_MAX), 0);
	KT_ASSERT(page_counter_try_charge(&t.c, 1, &fail));
	page_counter_set_high(&t.b, 4);
	KT_ASSERT_EQ(t.b.high, 4);
	page_counter_uncharge(&t.c, 3);
	page_counter_uncharge(&t.b, 1);
	KT_ASSERT(USAGE(&t, 0, 0, 0, 0));
}

KTEST(page_counter_underflow_warns)
{
	struct tree t;
	struct page_counter *fail;
	u64 seq = READ_ONCE(log_next_seq);
	unsigned long warns = warn_count;

	tree_init(&t);
	KT_ASSERT(page_counter_try_charge(&t.c, 2, &fail));
	/* Three back where two were charged: every counter on the way would go to -1. */
	page_counter_uncharge(&t.c, 3);
	KT_ASSERT(USAGE(&t, 0, 0, 0, 0));
	KT_ASSERT_EQ(ktest_log_count(seq, "page_counter underflow: -1 nr_pages=3"), 4);
	KT_ASSERT(warn_count > warns);
	KT_ASSERT_EQ(t.c.usage, 0);
}

KTEST(page_counter_memparse_syntax)
{
	static const struct { const char *in, *max; int err; unsigned long pages; } cases[] = {
		{ "max", "max", 0, PAGE_COUNTER_MAX },
		{ "-1", "-1", 0, PAGE_COUNTER_MAX },
		{ "max", "-1", -EINVAL, 0 },
		{ "-1", "max", -EINVAL, 0 },
		{ "16M", "max", 0, 4096 },
		{ "16m", "max", 0, 4096 },
		{ "1G", "max", 0, 262144 },
		{ "4097", "max", 0, 1 },
		{ "4095", "max", 0, 0 },
		{ "0x1000", "max", 0, 1 },
		{ "010", "max", 0, 0 },
		{ "", "max", 0, 0 },
		{ "16MB", "max", -EINVAL, 0 },
		{ "abc", "max", -EINVAL, 0 },
		{ "1e3", "max", -EINVAL, 0 },
		{ "1E", "max", 0, 1UL << 48 },
		{ "9223372036854775807", "max", 0, PAGE_COUNTER_MAX },
		{ "18446744073709551615", "max", 0, PAGE_COUNTER_MAX },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long pages = 12345;
		int err = page_counter_memparse(cases[i].in, cases[i].max, &pages);
		KT_ASSERT_MSG(err == cases[i].err, "'%s': %d, expected %d", cases[i].in, err, cases[i].err);
		KT_ASSERT_MSG(err || pages == cases[i].pages, "'%s': %lu pages, expected %lu", cases[i].in, pages,
			      cases[i].pages);
	}
}
