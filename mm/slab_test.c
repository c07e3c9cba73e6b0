/*
 * ktests for the slab allocator (mm/slab.c): placement, alignment, zeroing,
 * large kmallocs, constructors, and the debug reports (double free, red
 * zones, writes after free, invalid pointers, objects leaked at destroy).
 * Every test that frees memory checks that nr_free_pages() is back at its
 * baseline (slab.c frees every empty slab, so the count is exact). Every
 * deliberate bug checks that slab_errors grew by exactly one and that the
 * log holds the report. Tests run one at a time on the boot CPU; the only
 * shared state is log_buf_scratch, used by one test at a time.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>

/* Where a test starts: the free pages, the slab reports so far, the log position. */
struct slab_start {
	unsigned long pages, errors;
	u64 seq;
};

static struct slab_start slab_begin(void)
{
	return (struct slab_start){ nr_free_pages(), slab_errors, READ_ONCE(log_next_seq) };
}

/* n slab reports since the start, the last of them in the log: "BUG <cache> (" and what. */
#define KT_ASSERT_SLAB_REPORT(st, n, cache, what) do {				\
	KT_ASSERT_EQ(slab_errors, (st)->errors + (n));				\
	KT_ASSERT(ktest_log_count((st)->seq, "BUG " cache " (") > 0);		\
	KT_ASSERT(ktest_log_count((st)->seq, what) > 0);			\
} while (0)

/* The end of a test: exactly n slab reports since the start, and every page back. */
#define KT_ASSERT_SLAB_END(st, n) do {						\
	KT_ASSERT_EQ(slab_errors, (st)->errors + (n));				\
	KT_ASSERT_EQ(nr_free_pages(), (st)->pages);				\
} while (0)

#define NR_OBJS 800
static void *objs[NR_OBJS];
static size_t obj_size[NR_OBJS];
static u8 pattern(unsigned int i) { return (u8)(i * 37 + 11); }

/*
 * Fill objs[0..n) with their patterns, then check that none overlaps another
 * and each still holds its own pattern; returns the index of a bad one or -1.
 */
static int check_disjoint(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		memset(objs[i], pattern(i), obj_size[i]);
	for (unsigned int i = 0; i < n; i++) {
		const u8 *a = objs[i];
		for (unsigned int j = i + 1; j < n; j++) {
			const u8 *b = objs[j];
			if (a < b + obj_size[j] && b < a + obj_size[i])
				return i;
		}
		if (memchr_inv(objs[i], pattern(i), obj_size[i]))
			return i;
	}
	return -1;
}

/*
 * Two live kmalloc(size) objects on one page, hence in one slab (for the
 * order-0 caches kmalloc-64 and kmalloc-128), so that freeing *p cannot give
 * the slab back while the test still looks at *p. 8 allocations span at
 * most two slabs of 23+ objects, so some page holds two of them.
 */
static bool kmalloc_pair(size_t size, void **p, void **keep)
{
	void *o[8];
	int a = -1, b = -1;

	for (int i = 0; i < 8; i++)
		o[i] = kmalloc(size, GFP_KERNEL);
	for (int i = 0; i < 8 && a < 0; i++)
		for (int j = i + 1; j < 8 && a < 0; j++)
			if (o[i] && o[j] && PFN_DOWN(__pa(o[i])) == PFN_DOWN(__pa(o[j])))
				a = i, b = j;
	for (int i = 0; i < 8; i++)
		if (i != a && i != b)
			kfree(o[i]);
	if (a < 0)
		return false;
	*keep = o[a];
	*p = o[b];
	return true;
}

/* Every kmalloc class and sizes 1..5000, all live at once. */
KTEST(slab_kmalloc_many_sizes)
{
	static const size_t classes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 };
	struct slab_start st = slab_begin();
	unsigned int n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++) {
		obj_size[n++] = classes[i];
		obj_size[n++] = classes[i] + 1;
	}
	for (size_t size = 1; size <= 5000 && n < NR_OBJS; size += 7)
		obj_size[n++] = size;
	for (unsigned int i = 0; i < n; i++) {
		objs[i] = kmalloc(obj_size[i], GFP_KERNEL);
		KT_ASSERT_MSG(objs[i], "kmalloc(%lu) failed", obj_size[i]);
		KT_ASSERT_MSG(IS_ALIGNED((unsigned long)objs[i], 8), "kmalloc(%lu) = %p", obj_size[i], objs[i]);
		KT_ASSERT_MSG(ksize(objs[i]) >= obj_size[i], "ksize %lu < %lu", ksize(objs[i]), obj_size[i]);
	}
	int bad = check_disjoint(n);
	KT_ASSERT_MSG(bad < 0, "object %d (%lu bytes at %p) overlaps or was overwritten", bad,
		      obj_size[bad < 0 ? 0 : bad], objs[bad < 0 ? 0 : bad]);
	KT_ASSERT(nr_free_pages() < st.pages);
	for (unsigned int i = 0; i < n; i++)
		kfree(objs[i]);
	KT_ASSERT_SLAB_END(&st, 0);

	/* One at a time, every size: ksize() covers it. */
	for (size_t size = 1; size <= 5000; size++) {
		void *p = kmalloc(size, GFP_KERNEL);
		KT_ASSERT_MSG(p && ksize(p) >= size, "kmalloc(%lu): %p ksize %lu", size, p, ksize(p));
		kfree(p);
	}
	KT_ASSERT_SLAB_END(&st, 0);
}

static unsigned int ctor_calls;
struct ctor_thing {
	u32 magic;
	u32 users;
	char name[24];
};
static void thing_ctor(void *obj)
{
	struct ctor_thing *t = obj;

	t->magic = 0xfeedf00d;
	t->users = 0;
	strlcpy(t->name, "constructed", sizeof(t->name));
	ctor_calls++;
}

/* Custom caches: requested alignment, SLAB_HWCACHE_ALIGN, odd sizes. */
KTEST(slab_cache_alignment)
{
	static const struct { size_t size, align; unsigned int flags; } cfg[] = {
		{ 1, 0, 0 }, { 13, 0, 0 }, { 24, 64, 0 }, { 100, 128, 0 },
		{ 40, 0, SLAB_HWCACHE_ALIGN }, { 3000, 256, 0 }, { 9000, 8, 0 },
	};
	struct slab_start st = slab_begin();

	for (unsigned int c = 0; c < ARRAY_SIZE(cfg); c++) {
		struct kmem_cache *s = kmem_cache_create("ktest-align", cfg[c].size, cfg[c].align,
							 cfg[c].flags, NULL);
		size_t align = max(cfg[c].align, (size_t)8);
		unsigned int n = cfg[c].size > 2000 ? 20 : 150;

		if (cfg[c].flags & SLAB_HWCACHE_ALIGN)
			align = 64;	/* 40 bytes > half a cache line: a whole line */
		KT_ASSERT_MSG(s, "kmem_cache_create(%lu, %lu) failed", cfg[c].size, cfg[c].align);
		for (unsigned int i = 0; i < n; i++) {
			objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
			obj_size[i] = cfg[c].size;
			KT_ASSERT_MSG(objs[i], "alloc %u of size %lu failed", i, cfg[c].size);
			KT_ASSERT_MSG(IS_ALIGNED((unsigned long)objs[i], align), "size %lu align %lu: %p",
				      cfg[c].size, align, objs[i]);
			KT_ASSERT_EQ(ksize(objs[i]), cfg[c].size);
		}
		KT_ASSERT_MSG(check_disjoint(n) < 0, "size %lu: objects overlap", cfg[c].size);
		for (unsigned int i = 0; i < n; i++)
			kmem_cache_free(s, objs[i]);
		kmem_cache_destroy(s);
		KT_ASSERT_EQ(nr_free_pages(), st.pages);
	}
	KT_ASSERT_EQ(slab_errors, st.errors);
}

KTEST(slab_ctor)
{
	struct slab_start st = slab_begin();
	struct kmem_cache *s = kmem_cache_create("ktest-ctor", sizeof(struct ctor_thing), 0, 0, thing_ctor);
	struct ctor_thing *t, *u, *keep;

	KT_ASSERT(s);
	ctor_calls = 0;
	keep = kmem_cache_alloc(s, GFP_KERNEL);	/* keeps the slab alive while t is free */
	t = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(keep && t);
	KT_ASSERT(ctor_calls > 0);	/* once per object of the new slab */
	KT_ASSERT_EQ(t->magic, 0xfeedf00d);
	KT_ASSERT_EQ(t->users, 0);
	KT_ASSERT_STREQ(t->name, "constructed");
	/* A ctor cache does not poison: a freed object keeps its constructed state. */
	kmem_cache_free(s, t);
	u = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(u == t);
	KT_ASSERT_EQ(u->magic, 0xfeedf00d);
	for (unsigned int i = 0; i < 100; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KT_ASSERT(objs[i] && ((struct ctor_thing *)objs[i])->magic == 0xfeedf00d);
	}
	KT_ASSERT(ctor_calls >= 102);
	for (unsigned int i = 0; i < 100; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_free(s, u);
	kmem_cache_free(s, keep);
	kmem_cache_destroy(s);
	KT_ASSERT_SLAB_END(&st, 0);
}

/*
 * A slab of several pages is a compound page: its first page is marked PG_head (and
 * carries the order), as Linux's dump_page() then shows "slab|head"; a one-page slab is not.
 */
KTEST(slab_head_page)
{
	struct slab_start st = slab_begin();
	struct kmem_cache *small = kmem_cache_create("ktest-small", 32, 0, 0, NULL);
	struct kmem_cache *big = kmem_cache_create("ktest-big", 2 * PAGE_SIZE, 0, 0, NULL);

	KT_ASSERT(small && big);
	void *a = kmem_cache_alloc(small, GFP_KERNEL), *b = kmem_cache_alloc(big, GFP_KERNEL);
	KT_ASSERT(a && b);
	/* The first object of a new slab is at its start: its page is the slab's first. */
	struct page *pa = virt_to_page(a), *pb = virt_to_page(b);
	KT_ASSERT(PageSlab(pa) && PageSlab(pb));
	KT_ASSERT_MSG(pa->order == 0 && !PageFlag(pa, PG_head), "one-page slab: order %u, head %d", pa->order,
		      PageFlag(pa, PG_head));
	KT_ASSERT_MSG(pb->order > 0 && PageFlag(pb, PG_head), "slab of %u pages: head %d", 1u << pb->order,
		      PageFlag(pb, PG_head));
	kmem_cache_free(small, a);
	kmem_cache_free(big, b);
	kmem_cache_destroy(small);
	kmem_cache_destroy(big);
	KT_ASSERT_SLAB_END(&st, 0);
}

KTEST(slab_kzalloc_zeroed)
{
	static const size_t sizes[] = { 1, 8, 60, 64, 100, 1000, 4096, 5000, 20000 };
	struct slab_start st = slab_begin();

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *p = kmalloc(sizes[i], GFP_KERNEL);
		KT_ASSERT(p);
		memset(p, 0xff, sizes[i]);	/* dirty it, so a reuse below is not zero by luck */
		kfree(p);
		p = kzalloc(sizes[i], GFP_KERNEL);
		KT_ASSERT(p);
		KT_ASSERT_MSG(!memchr_inv(p, 0, sizes[i]), "kzalloc(%lu) not zero", sizes[i]);
		kfree(p);
	}
	/* Without __GFP_ZERO, debug fills a new object with POISON_INUSE (0x5a). */
	u8 *p = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(p && !memchr_inv(p, 0x5a, 64));
	kfree(p);
	u32 *v = kcalloc(100, sizeof(u32), GFP_KERNEL);
	KT_ASSERT(v && ksize(v) >= 400 && !memchr_inv(v, 0, 400));
	kfree(v);
	struct kmem_cache *s = kmem_cache_create("ktest-zalloc", 72, 0, 0, NULL);
	KT_ASSERT(s);
	p = kmem_cache_zalloc(s, GFP_KERNEL);
	KT_ASSERT(p && !memchr_inv(p, 0, 72));
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	KT_ASSERT_SLAB_END(&st, 0);
}

KTEST(slab_zero_size_and_overflow)
{
	struct slab_start st = slab_begin();

	KT_ASSERT(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KT_ASSERT(kzalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KT_ASSERT(kcalloc(0, 16, GFP_KERNEL) == ZERO_SIZE_PTR);
	KT_ASSERT_EQ(ksize(ZERO_SIZE_PTR), 0);
	KT_ASSERT_EQ(ksize(NULL), 0);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	KT_ASSERT(kcalloc(ULONG_MAX / 2 + 1, 2, GFP_KERNEL) == NULL);
	KT_ASSERT(kcalloc(2, ULONG_MAX, GFP_KERNEL) == NULL);
	KT_ASSERT(kcalloc(1UL << 33, 1UL << 31, GFP_KERNEL) == NULL);
	KT_ASSERT(kmalloc(1UL << 40, GFP_KERNEL | __GFP_NOWARN) == NULL);	/* beyond MAX_ORDER */
	KT_ASSERT_SLAB_END(&st, 0);
}

/* Above KMALLOC_MAX_CACHE_SIZE, kmalloc hands out whole page blocks. */
KTEST(slab_kmalloc_large)
{
	static const struct { size_t size; unsigned int pages; } cfg[] = {
		{ 4097, 2 }, { 20000, 8 }, { 1UL << 20, 256 }, { (1UL << 20) + 1, 512 },
	};
	struct slab_start st = slab_begin();

	for (unsigned int i = 0; i < ARRAY_SIZE(cfg); i++) {
		u8 *p = kmalloc(cfg[i].size, GFP_KERNEL);
		struct page *page;

		KT_ASSERT_MSG(p, "kmalloc(%lu) failed", cfg[i].size);
		KT_ASSERT_EQ(st.pages - nr_free_pages(), cfg[i].pages);
		KT_ASSERT(IS_ALIGNED((unsigned long)p, PAGE_SIZE));
		KT_ASSERT_EQ(ksize(p), cfg[i].pages * PAGE_SIZE);
		page = virt_to_page(p);
		KT_ASSERT(PageFlag(page, PG_head) && !PageSlab(page));
		memset(p, 0x3c, cfg[i].size);
		KT_ASSERT(p[0] == 0x3c && p[cfg[i].size - 1] == 0x3c);
		kfree(p);
		KT_ASSERT_EQ(nr_free_pages(), st.pages);
	}
	u8 *z = kzalloc(1UL << 20, GFP_KERNEL);
	KT_ASSERT(z && !memchr_inv(z, 0, 1UL << 20));
	kfree(z);
	KT_ASSERT_SLAB_END(&st, 0);
}

KTEST(slab_double_free)
{
	struct slab_start st = slab_begin();
	void *p, *keep, *a, *b;

	KT_ASSERT(kmalloc_pair(64, &p, &keep));
	kfree(p);
	kfree(p);
	KT_ASSERT_SLAB_REPORT(&st, 1, "kmalloc-64", "Object already free");
	KT_ASSERT(ktest_log_count(st.seq, "INFO: Allocated in ") > 0);
	KT_ASSERT(ktest_log_count(st.seq, "INFO: Freed in ") > 0);
	/* The object went on the freelist once: it is handed out once. */
	a = kmalloc(64, GFP_KERNEL);
	b = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(a && b && a != b);
	kfree(a);
	kfree(b);
	kfree(keep);
	KT_ASSERT_SLAB_END(&st, 1);
}

KTEST(slab_redzone_right)
{
	struct slab_start st = slab_begin();
	volatile u8 *p = kmalloc(64, GFP_KERNEL);

	KT_ASSERT(p && ksize((void *)p) == 64);
	p[64] = 0;			/* one byte past the end */
	kfree((void *)p);
	KT_ASSERT_SLAB_REPORT(&st, 1, "kmalloc-64", "Right Redzone overwritten");
	/* Repaired: the next user of the slot sees no complaint. */
	void *q = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(q);
	kfree(q);
	KT_ASSERT_EQ(slab_errors, st.errors + 1);

	/* An odd size: the red zone starts right at object_size. */
	struct kmem_cache *s = kmem_cache_create("ktest-odd", 13, 0, 0, NULL);
	KT_ASSERT(s);
	st.seq = READ_ONCE(log_next_seq);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(p);
	p[13] = 'x';
	kmem_cache_free(s, (void *)p);
	KT_ASSERT_SLAB_REPORT(&st, 2, "ktest-odd", "Right Redzone overwritten");
	kmem_cache_destroy(s);
	KT_ASSERT_SLAB_END(&st, 2);
}

KTEST(slab_redzone_left)
{
	struct slab_start st = slab_begin();
	volatile u8 *p = kmalloc(128, GFP_KERNEL);

	KT_ASSERT(p);
	p[-1] = 0x42;			/* one byte before the start */
	kfree((void *)p);
	KT_ASSERT_SLAB_REPORT(&st, 1, "kmalloc-128", "Left Redzone overwritten");
	KT_ASSERT_SLAB_END(&st, 1);
}

/*
 * A new cache name of 48-byte objects with two allocated, then the second freed: that one,
 * poisoned (NULL if anything failed). *keep keeps the slab alive while it is free.
 */
static volatile u8 *cache_with_freed(const char *name, struct kmem_cache **s, void **keep)
{
	*s = kmem_cache_create(name, 48, 0, 0, NULL);
	if (!*s)
		return NULL;
	*keep = kmem_cache_alloc(*s, GFP_KERNEL);
	void *p = kmem_cache_alloc(*s, GFP_KERNEL);
	if (!*keep || !p)
		return NULL;
	kmem_cache_free(*s, p);
	return p;
}

/* A write to a freed object is found when the object is allocated again. */
KTEST(slab_use_after_free)
{
	struct slab_start st = slab_begin();
	struct kmem_cache *s;
	void *keep, *q;
	volatile u8 *p = cache_with_freed("ktest-uaf", &s, &keep);

	KT_ASSERT(p);
	st.seq = READ_ONCE(log_next_seq);
	p[10] = 0x42;
	KT_ASSERT_EQ(slab_errors, st.errors);	/* not noticed yet */
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(q == (void *)p);		/* the freelist is LIFO */
	KT_ASSERT_SLAB_REPORT(&st, 1, "ktest-uaf", "Poison overwritten");
	KT_ASSERT(!memchr_inv(q, 0x5a, 48));	/* repaired, then handed out as new */
	kmem_cache_free(s, q);
	kmem_cache_free(s, keep);
	kmem_cache_destroy(s);
	KT_ASSERT_SLAB_END(&st, 1);
}

/*
 * A free object's last byte holds POISON_END (0xa5), the rest POISON_FREE (0x6b): a write to
 * the last byte is reported as "End Poison", one to the byte before it as "Poison", and
 * each is repaired to its own value before the object is handed out again.
 */
KTEST(slab_poison_end_overwritten)
{
	struct slab_start st = slab_begin();
	struct kmem_cache *s;
	void *keep, *q;
	volatile u8 *p = cache_with_freed("ktest-poison-end", &s, &keep);

	KT_ASSERT(p);
	KT_ASSERT(p[46] == 0x6b && p[47] == 0xa5);
	st.seq = READ_ONCE(log_next_seq);
	p[47] = 0x42;				/* the last byte only */
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(q == (void *)p);
	KT_ASSERT_SLAB_REPORT(&st, 1, "ktest-poison-end", "End Poison overwritten");
	KT_ASSERT_EQ(ktest_log_count(st.seq, "First byte 0x42 instead of 0xa5"), 1);
	KT_ASSERT_EQ(ktest_log_count(st.seq, "): Poison overwritten"), 0);
	kmem_cache_free(s, q);

	st.seq = READ_ONCE(log_next_seq);
	p[46] = 0x42;				/* the byte before it */
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(q == (void *)p);
	KT_ASSERT_SLAB_REPORT(&st, 2, "ktest-poison-end", "): Poison overwritten");
	KT_ASSERT_EQ(ktest_log_count(st.seq, "End Poison"), 0);
	KT_ASSERT_EQ(ktest_log_count(st.seq, "First byte 0x42 instead of 0x6b"), 1);
	kmem_cache_free(s, q);
	kmem_cache_free(s, keep);
	kmem_cache_destroy(s);
	KT_ASSERT_SLAB_END(&st, 2);
}

static int not_from_kmalloc;

KTEST(slab_invalid_free)
{
	struct slab_start st = slab_begin();
	u8 *p = kmalloc(64, GFP_KERNEL), *big = kmalloc(20000, GFP_KERNEL);
	struct kmem_cache *s = kmem_cache_create("ktest-other", 64, 0, 0, NULL);

	KT_ASSERT(p && big && s);
	kfree(p + 8);			/* inside an object */
	KT_ASSERT_SLAB_REPORT(&st, 1, "kmalloc-64", "Invalid object pointer");
	kmem_cache_free(s, p);		/* the wrong cache */
	KT_ASSERT_EQ(slab_errors, st.errors + 2);
	kfree(&not_from_kmalloc);	/* the kernel image */
	KT_ASSERT_EQ(slab_errors, st.errors + 3);
	kfree(big + PAGE_SIZE);		/* inside a large kmalloc */
	KT_ASSERT_EQ(slab_errors, st.errors + 4);
	/* None of that freed anything: the real frees work and report nothing. */
	kfree(p);
	kfree(big);
	kmem_cache_destroy(s);
	KT_ASSERT_SLAB_END(&st, 4);
}

KTEST(slab_destroy_with_objects)
{
	struct slab_start st = slab_begin();
	struct kmem_cache *s = kmem_cache_create("ktest-leak", 100, 0, 0, NULL);
	void *p;

	KT_ASSERT(s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(p);
	kmem_cache_destroy(s);		/* p is still allocated */
	KT_ASSERT_EQ(slab_errors, st.errors + 1);
	KT_ASSERT(ktest_log_count(st.seq, "kmem_cache_destroy ktest-leak: Slab cache still has objects") > 0);
	KT_ASSERT(ktest_log_count(st.seq, "INFO: Allocated in ") > 0);
	KT_ASSERT_SLAB_END(&st, 1);
}
