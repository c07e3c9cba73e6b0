/*
 * ktests for KASAN (Linux: mm/kasan/kasan_test.c), only in the SANITIZE=1
 * build. Each test makes one bad access inside sanitizer_expect_begin()/
 * end(), so the report is expected (the runner fails a test on any other
 * report), and checks that exactly one report came, of the right kind, for
 * the right address and size, with the right description. A KASAN that
 * missed the bug fails the test. Valid accesses next to the bad ones must
 * not be reported. Every test gives back what it allocated.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/sanitizer.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <mm/kasan.h>

#ifdef CONFIG_KASAN

/*
 * Run stmt; it must give exactly one KASAN report whose first line says
 * "BUG: KASAN: <type> in <func>" (by default the test's own function) and
 * whose log contains each of the other strings.
 */
#define KASAN_EXPECT(type, stmt, ...) KASAN_EXPECT_IN(type, "ktest_fn_", stmt, __VA_ARGS__)
#define KASAN_EXPECT_IN(type, func, stmt, ...) do { \
	u64 _seq = READ_ONCE(log_next_seq); \
	sanitizer_expect_begin(); \
	stmt; \
	unsigned long _n = sanitizer_expect_end(); \
	KT_ASSERT_MSG(_n == 1, "%lu reports for `%s`, expected 1", _n, #stmt); \
	KT_ASSERT_MSG(ktest_log_count(_seq, "BUG: KASAN: " type " in " func) == 1, \
		      "no 'BUG: KASAN: %s in %s...' line for `%s`", type, func, #stmt); \
	const char *_want[] = { __VA_ARGS__, NULL }; \
	for (const char **_w = _want; *_w; _w++) \
		KT_ASSERT_MSG(ktest_log_count(_seq, *_w) == 1, "no '%s' in the report", *_w); \
} while (0)

/* stmt must not be reported. */
#define KASAN_QUIET(stmt) do { \
	sanitizer_expect_begin(); \
	stmt; \
	unsigned long _n = sanitizer_expect_end(); \
	KT_ASSERT_MSG(_n == 0, "%lu reports for the valid access `%s`", _n, #stmt); \
} while (0)

static char access_line[96];

/* "Read of size N at addr ADDR by task", as the report prints it. */
static const char *access(const char *rw, size_t size, const void *addr)
{
	snprintf(access_line, sizeof(access_line), "%s of size %zu at addr %px by task ", rw, size, addr);
	return access_line;
}

KTEST(kasan_kmalloc_uaf)
{
	unsigned long base = nr_free_pages();
	char *p = kmalloc(64, GFP_KERNEL);

	KT_ASSERT(p);
	KASAN_QUIET(p[8] = 1);
	kfree(p);
	KASAN_EXPECT("use-after-free", (void)READ_ONCE(p[8]), access("Read", 1, p + 8), "Allocated by task ",
		     "Freed by task ", " which belongs to the cache kmalloc-64 of size 64",
		     "The buggy address is located 8 bytes inside of", "Memory state around the buggy address:");
	KT_ASSERT_EQ(nr_free_pages(), base);
}

KTEST(kasan_kmalloc_oob_right)
{
	unsigned long base = nr_free_pages();
	char *p = kmalloc(40, GFP_KERNEL);

	KT_ASSERT(p);
	KASAN_QUIET(memset(p, 1, 40));
	KASAN_EXPECT("slab-out-of-bounds", WRITE_ONCE(p[40], 'x'), access("Write", 1, p + 40),
		     "The buggy address is located 40 bytes inside of");
	kfree(p);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/* 13 bytes: the second granule is partly accessible (shadow byte 5). */
KTEST(kasan_kmalloc_oob_partial_granule)
{
	unsigned long base = nr_free_pages();
	char *p = kmalloc(13, GFP_KERNEL);

	KT_ASSERT(p);
	KASAN_QUIET((void)READ_ONCE(p[12]));
	KASAN_QUIET((void)READ_ONCE(*(u32 *)(p + 9)));
	KASAN_EXPECT("slab-out-of-bounds", (void)READ_ONCE(p[13]), access("Read", 1, p + 13));
	KASAN_EXPECT("slab-out-of-bounds", (void)READ_ONCE(*(u32 *)(p + 10)), access("Read", 4, p + 10));
	kfree(p);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

KTEST(kasan_kmalloc_oob_left)
{
	unsigned long base = nr_free_pages();
	char *p = kmalloc(64, GFP_KERNEL);

	KT_ASSERT(p);
	KASAN_EXPECT("slab-out-of-bounds", (void)READ_ONCE(p[-1]), access("Read", 1, p - 1),
		     "The buggy address is located 1 bytes to the left of");
	kfree(p);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

KTEST(kasan_kmem_cache_uaf)
{
	unsigned long base = nr_free_pages();
	struct kmem_cache *c = kmem_cache_create("kasan_test", 100, 0, 0, NULL);
	u64 *p, *keep;

	KT_ASSERT(c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	keep = kmem_cache_alloc(c, GFP_KERNEL);	/* keeps the slab: an empty one goes back at once */
	KT_ASSERT(p && keep);
	kmem_cache_free(c, p);
	KASAN_EXPECT("use-after-free", (void)READ_ONCE(p[3]), access("Read", 8, p + 3),
		     " which belongs to the cache kasan_test of size 100", "Freed by task ");
	kmem_cache_free(c, keep);
	kmem_cache_destroy(c);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/* Larger than the biggest kmalloc cache: whole pages, the rest of the block poisoned. */
KTEST(kasan_kmalloc_large)
{
	unsigned long base = nr_free_pages();
	char *p = kmalloc(5000, GFP_KERNEL);

	KT_ASSERT(p);
	KASAN_QUIET(memset(p, 0, 5000));
	KASAN_EXPECT("slab-out-of-bounds", (void)READ_ONCE(p[5000]), access("Read", 1, p + 5000),
		     "The buggy address belongs to the physical page:");
	kfree(p);
	KASAN_EXPECT("use-after-free", (void)READ_ONCE(p[10]), access("Read", 1, p + 10));
	KT_ASSERT_EQ(nr_free_pages(), base);
}

KTEST(kasan_page_uaf)
{
	unsigned long base = nr_free_pages();
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	u8 *p;

	KT_ASSERT(page);
	p = page_address(page);
	KASAN_QUIET(memset(p, 0, 2 * PAGE_SIZE));
	__free_pages(page, 1);
	KASAN_EXPECT("use-after-free", (void)READ_ONCE(p[PAGE_SIZE + 5]), access("Read", 1, p + PAGE_SIZE + 5),
		     "Allocated by task ", "Freed by task ", "The buggy address belongs to the physical page:");
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/* memset/memcpy/memmove check their whole ranges in instrumented code. */
KTEST(kasan_mem_functions)
{
	unsigned long base = nr_free_pages();
	char *a = kmalloc(40, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);

	KT_ASSERT(a && b);
	KASAN_QUIET(memcpy(b, a, 40));
	KASAN_EXPECT("slab-out-of-bounds", memset(a, 0, 41), access("Write", 41, a));
	KASAN_EXPECT("slab-out-of-bounds", memcpy(b, a, 48), access("Read", 48, a));
	KASAN_EXPECT("slab-out-of-bounds", memmove(a, b, 64), access("Write", 64, a));
	kfree(a);
	kfree(b);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

static char kasan_test_global[13];
static char *volatile kasan_test_global_ptr = kasan_test_global;

KTEST(kasan_global_oob)
{
	char *g = kasan_test_global_ptr;

	KASAN_QUIET((void)READ_ONCE(g[12]));
	KASAN_EXPECT("global-out-of-bounds", (void)READ_ONCE(g[13]), access("Read", 1, g + 13),
		     "The buggy address belongs to the variable:", " kasan_test_global+0xd/0xd");
}

/*
 * The user-copy paths are assembly: their kernel side is checked by hand
 * (arch/x86_64/uaccess.c), and reported in copy_to_user() or copy_from_user().
 */
KTEST(kasan_user_copy)
{
	unsigned long base = nr_free_pages();
	static const char kdata[32] = "kernel data, read as user data";
	char *p = kmalloc(20, GFP_KERNEL);

	KT_ASSERT(p);
	KASAN_QUIET(copy_to_user((void __user *)0x1000, p, 20));	/* no mm here: faults, fixed up */
	KASAN_EXPECT_IN("slab-out-of-bounds", "copy_to_user+", copy_to_user((void __user *)0x1000, p, 24),
			access("Read", 24, p));
	uaccess_kernel_begin();		/* a source that does not fault, so nothing is zeroed after */
	KASAN_QUIET(copy_from_user(p, (const void __user *)kdata, 20));
	KASAN_EXPECT_IN("slab-out-of-bounds", "copy_from_user+", copy_from_user(p, (const void __user *)kdata, 24),
			access("Write", 24, p));
	uaccess_kernel_end();
	kfree(p);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/* Addresses without shadow (vmalloc, user) pass: KASAN checks only the direct map and the image. */
KTEST(kasan_unshadowed_addresses)
{
	char buf[8];

	KT_ASSERT(kasan_check_read((void *)0x1000, 8));
	KT_ASSERT(kasan_check_read((void *)VMALLOC_START, 8));
	KT_ASSERT(kasan_check_write(buf, sizeof(buf)));
}

#endif
