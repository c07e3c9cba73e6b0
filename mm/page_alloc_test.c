/*
 * ktests for the buddy page allocator (mm/page_alloc.c): split and merge,
 * a merge only with a buddy of the same order, alignment of every order, exhaustion, the min watermark and its reserve
 * (ordinary vs __GFP_HIGH vs __GFP_MEMALLOC), __GFP_ZERO, page poisoning,
 * double frees and a block freed with a free page inside, oversized orders,
 * the free-area report, and the mem= limit.
 *
 * Tests run one at a time on the boot CPU with nothing else allocating, so
 * the zone's counters are stable between two reads; they are still copied
 * under zone->lock. A test that drains memory must give every page back
 * before it reports a failure, so checks record the first failure in `why`
 * and jump to the cleanup (CHECK_OUT); the assertion comes last. Every test
 * that frees memory checks that nr_free_pages() and every per-order nr_free
 * are back at their baseline (the buddy representation of a set of free
 * pages is unique, so the per-order counts come back exactly).
 */
#include <kernel/kernel.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/list.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/gfp.h>
#include <mm/init.h>
#include <mm/memblock.h>
#include "internal.h"


static char why[160];

#define CHECK_OUT(cond, fmt, ...) do { if (!(cond)) { \
	snprintf(why, sizeof(why), "line %d: " fmt, __LINE__, ##__VA_ARGS__); goto out; } } while (0)

struct fa_snap {
	unsigned long free_pages;
	unsigned long nr_free[MAX_ORDER];
};

static void fa_snap(struct fa_snap *s)
{
	unsigned long flags;

	spin_lock_irqsave(&zone_normal.lock, flags);
	s->free_pages = zone_normal.free_pages;
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		s->nr_free[o] = zone_normal.free_area[o].nr_free;
	spin_unlock_irqrestore(&zone_normal.lock, flags);
}

/* Describe the first difference between two snapshots into buf; false if they are equal. */
static bool fa_differ(const struct fa_snap *a, const struct fa_snap *b, char *buf, size_t size)
{
	if (a->free_pages != b->free_pages) {
		snprintf(buf, size, "free pages %lu != %lu", a->free_pages, b->free_pages);
		return true;
	}
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		if (a->nr_free[o] != b->nr_free[o]) {
			snprintf(buf, size, "order %u: nr_free %lu != %lu", o, a->nr_free[o], b->nr_free[o]);
			return true;
		}
	}
	return false;
}

/*
 * Walk every free list: each entry is the head of a free block of that order
 * (page_is_buddy_free), aligned to its size, inside mem_map; each list holds
 * nr_free entries and the blocks add up to free_pages. Returns NULL or what
 * is wrong (in a static buffer).
 */
static const char *free_lists_check(void)
{
	static char msg[120];
	unsigned long flags, total = 0;
	const char *bad = NULL;

	spin_lock_irqsave(&zone_normal.lock, flags);
	for (unsigned int o = 0; o < MAX_ORDER && !bad; o++) {
		struct free_area *area = &zone_normal.free_area[o];
		unsigned long n = 0;
		struct list_head *pos;
		list_for_each(pos, &area->free_list) {
			struct page *p = list_entry(pos, struct page, lru);
			unsigned long pfn = page_to_pfn(p);
			if (!pfn_valid(pfn) || !page_is_buddy_free(pfn, o) || (pfn & ((1UL << o) - 1)) ||
			    PageReserved(p) || page_count(p)) {
				snprintf(msg, sizeof(msg), "order %u: bad free block at pfn %#lx", o, pfn);
				bad = msg;
				break;
			}
			if (++n > area->nr_free)
				break;
		}
		if (!bad && n != area->nr_free) {
			snprintf(msg, sizeof(msg), "order %u: list holds %lu%s blocks, nr_free %lu", o, n,
				 n > area->nr_free ? "+" : "", area->nr_free);
			bad = msg;
		}
		total += n << o;
	}
	if (!bad && total != zone_normal.free_pages) {
		snprintf(msg, sizeof(msg), "free lists hold %lu pages, free_pages %lu", total,
			 zone_normal.free_pages);
		bad = msg;
	}
	spin_unlock_irqrestore(&zone_normal.lock, flags);
	return bad;
}

static unsigned long first_free_pfn(unsigned int order)
{
	unsigned long flags, pfn = ~0UL;

	spin_lock_irqsave(&zone_normal.lock, flags);
	if (!list_empty(&zone_normal.free_area[order].free_list))
		pfn = page_to_pfn(list_first_entry(&zone_normal.free_area[order].free_list, struct page, lru));
	spin_unlock_irqrestore(&zone_normal.lock, flags);
	return pfn;
}

/* Blocks held by a test sit on a list threaded through page->lru; page->order is their order. */
static void hold(struct list_head *held, struct page *p, unsigned int order)
{
	p->order = order;
	list_add(&p->lru, held);
}

static void release_all(struct list_head *held)
{
	struct page *p, *n;

	list_for_each_entry_safe(p, n, held, lru) {
		list_del(&p->lru);
		__free_pages(p, p->order);
	}
}

/*
 * The end of a test that drained the lists: give back what it held, then what
 * went wrong, if anything: the first failure (why), the free lists, or counts
 * that are not back at the baseline. NULL when all is well.
 */
static const char *release_and_check(struct list_head *held, const struct fa_snap *base)
{
	static char msg[128];
	struct fa_snap after;
	char d[96];

	release_all(held);
	if (why[0])
		return why;
	const char *bad = free_lists_check();
	if (bad)
		return bad;
	fa_snap(&after);
	if (!fa_differ(&after, base, d, sizeof(d)))
		return NULL;
	snprintf(msg, sizeof(msg), "not back to baseline: %s", d);
	return msg;
}

/*
 * Take every free block of orders from..MAX_ORDER-2 (onto held), so that the
 * next request of an order >= from splits the first block of the top list.
 * That block's pfn, or ~0UL with the reason in drain_why.
 */
static char drain_why[64];

static unsigned long drain_to_top(struct list_head *held, unsigned int from)
{
	for (unsigned int o = from; o < MAX_ORDER - 1; o++) {
		while (READ_ONCE(zone_normal.free_area[o].nr_free)) {
			struct page *b = alloc_pages(__GFP_NOWARN, o);
			if (!b) {
				snprintf(drain_why, sizeof(drain_why), "draining order %u failed", o);
				return ~0UL;
			}
			hold(held, b, o);
		}
	}
	unsigned long top = first_free_pfn(MAX_ORDER - 1);
	if (top == ~0UL)
		snprintf(drain_why, sizeof(drain_why), "no free order-%u block to split", MAX_ORDER - 1);
	return top;
}

/*
 * Split and merge from a state the test controls: first every free block of
 * orders k..MAX_ORDER-2 is taken, so an order-k request must split the first
 * block on the MAX_ORDER-1 list. The halves it returns to the lists are the
 * buddies pfn + 2^j for j = k..MAX_ORDER-2, one per order; freeing the block
 * merges them back into the original MAX_ORDER-1 block.
 */
static const unsigned int split_orders[] = { 0, 1, 4, MAX_ORDER - 2 };

KTEST(buddy_split_merge)
{
	struct fa_snap base, before, after;
	LIST_HEAD(held);
	struct page *p = NULL;
	char d[96];

	why[0] = 0;
	fa_snap(&base);
	for (unsigned int i = 0; i < ARRAY_SIZE(split_orders); i++) {
		unsigned int k = split_orders[i];
		unsigned long top = drain_to_top(&held, k);
		CHECK_OUT(top != ~0UL, "%s", drain_why);
		fa_snap(&before);

		p = alloc_pages(GFP_KERNEL, k);
		CHECK_OUT(p, "order-%u allocation failed", k);
		unsigned long pfn = page_to_pfn(p);
		CHECK_OUT(pfn == top, "order %u: got pfn %#lx, not the head of the order-%u list %#lx", k,
			  pfn, MAX_ORDER - 1, top);
		CHECK_OUT(page_count(p) == 1, "order %u: refcount %d", k, page_count(p));
		fa_snap(&after);
		CHECK_OUT(after.free_pages == before.free_pages - (1UL << k), "order %u: free %lu -> %lu", k,
			  before.free_pages, after.free_pages);
		CHECK_OUT(after.nr_free[MAX_ORDER - 1] == before.nr_free[MAX_ORDER - 1] - 1,
			  "order %u: top order count %lu -> %lu", k, before.nr_free[MAX_ORDER - 1],
			  after.nr_free[MAX_ORDER - 1]);
		for (unsigned int o = 0; o < MAX_ORDER - 1; o++) {
			unsigned long want = before.nr_free[o] + (o >= k ? 1 : 0);
			CHECK_OUT(after.nr_free[o] == want, "split to order %u: nr_free[%u] %lu, expected %lu",
				  k, o, after.nr_free[o], want);
		}
		for (unsigned int j = k; j < MAX_ORDER - 1; j++)
			CHECK_OUT(page_is_buddy_free(pfn + (1UL << j), j),
				  "split to order %u: half at pfn %#lx is not a free order-%u block", k,
				  pfn + (1UL << j), j);
		for (unsigned int j = 0; j < MAX_ORDER; j++)
			CHECK_OUT(!page_is_buddy_free(pfn, j), "allocated pfn %#lx is on the order-%u list",
				  pfn, j);
		CHECK_OUT(!free_lists_check(), "after split: %s", free_lists_check());

		__free_pages(p, k);
		p = NULL;
		fa_snap(&after);
		CHECK_OUT(!fa_differ(&after, &before, d, sizeof(d)), "merge after order %u: %s", k, d);
		CHECK_OUT(page_is_buddy_free(top, MAX_ORDER - 1), "pfn %#lx did not merge back to order %u",
			  top, MAX_ORDER - 1);

		release_all(&held);
		fa_snap(&after);
		CHECK_OUT(!fa_differ(&after, &base, d, sizeof(d)), "after round %u: %s", k, d);
	}
out:
	if (p)
		__free_pages(p, p->order);
	const char *bad = release_and_check(&held, &base);
	KT_ASSERT_MSG(!bad, "%s", bad);
}

/*
 * A free block merges only with a buddy that is a free block of the same
 * order. From a split the test controls: pages top and top+1 (order 0) and
 * top+2..3 (order 1) are allocated; top is freed while top+1 is not, so
 * top's head is a free order-0 block. Freeing top+2 (order 1) finds its
 * buddy's head free, but of order 0: merging would free top+1 too, which is
 * still in use. Freeing top+1 then merges everything back.
 */
KTEST(buddy_merge_same_order_only)
{
	struct fa_snap base;
	LIST_HEAD(held);
	struct page *a = NULL, *b = NULL, *c = NULL;

	why[0] = 0;
	fa_snap(&base);
	unsigned long top = drain_to_top(&held, 0);
	CHECK_OUT(top != ~0UL, "%s", drain_why);
	a = alloc_pages(GFP_KERNEL, 0);
	b = alloc_pages(GFP_KERNEL, 0);
	c = alloc_pages(GFP_KERNEL, 1);
	CHECK_OUT(a && b && c, "allocations failed");
	CHECK_OUT(page_to_pfn(a) == top && page_to_pfn(b) == top + 1 && page_to_pfn(c) == top + 2,
		  "split of pfn %#lx gave pfns %#lx, %#lx, %#lx, expected %#lx, +1, +2", top, page_to_pfn(a),
		  page_to_pfn(b), page_to_pfn(c), top);
	__free_pages(a, 0);
	a = NULL;
	__free_pages(c, 1);
	c = NULL;
	CHECK_OUT(page_is_buddy_free(top + 2, 1) && page_is_buddy_free(top, 0) && !page_is_buddy_free(top, 2),
		  "an order-1 block merged with a buddy whose head is a free order-0 block (pfn %#lx in use)",
		  top + 1);
	CHECK_OUT(!free_lists_check(), "%s", free_lists_check());
	__free_pages(b, 0);
	b = NULL;
	CHECK_OUT(page_is_buddy_free(top, MAX_ORDER - 1), "pfn %#lx did not merge back to order %u", top,
		  MAX_ORDER - 1);
out:
	if (a)
		__free_pages(a, 0);
	if (b)
		__free_pages(b, 0);
	if (c)
		__free_pages(c, 1);
	const char *bad = release_and_check(&held, &base);
	KT_ASSERT_MSG(!bad, "%s", bad);
}

/* Every order 0..MAX_ORDER-1, all held at once: aligned to their size and disjoint. */
KTEST(buddy_alignment)
{
	struct fa_snap base, after;
	struct page *blk[MAX_ORDER] = { 0 };
	char d[96];

	why[0] = 0;
	fa_snap(&base);
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		blk[o] = alloc_pages(GFP_KERNEL, o);
		CHECK_OUT(blk[o], "order-%u allocation failed", o);
		unsigned long pfn = page_to_pfn(blk[o]);
		CHECK_OUT(!(pfn & ((1UL << o) - 1)), "order-%u block at pfn %#lx is not aligned", o, pfn);
		CHECK_OUT(IS_ALIGNED(page_to_phys(blk[o]), PAGE_SIZE << o), "order %u: phys %#llx", o,
			  page_to_phys(blk[o]));
		CHECK_OUT(pfn + (1UL << o) <= max_pfn, "order %u: block past max_pfn", o);
		CHECK_OUT(page_count(blk[o]) == 1, "order %u: refcount %d", o, page_count(blk[o]));
		for (unsigned long i = 0; i < (1UL << o); i++)
			CHECK_OUT(!PageReserved(blk[o] + i) && !PageBuddy(blk[o] + i),
				  "order %u: page %lu is reserved or free", o, i);
		for (unsigned int j = 0; j < o; j++) {
			unsigned long q = page_to_pfn(blk[j]);
			CHECK_OUT(q + (1UL << j) <= pfn || pfn + (1UL << o) <= q,
				  "order-%u and order-%u blocks overlap", j, o);
		}
	}
	fa_snap(&after);
	CHECK_OUT(after.free_pages == base.free_pages - ((1UL << MAX_ORDER) - 1), "free %lu -> %lu",
		  base.free_pages, after.free_pages);
out:
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		__free_pages(blk[o], o);	/* NULL-safe */
	KT_ASSERT_MSG(!why[0], "%s", why);
	fa_snap(&after);
	KT_ASSERT_MSG(!fa_differ(&after, &base, d, sizeof(d)), "not back to baseline: %s", d);
}

KTEST(buddy_order_too_large)
{
	unsigned long base = nr_free_pages();

	KT_ASSERT(alloc_pages(__GFP_NOWARN, MAX_ORDER) == NULL);
	KT_ASSERT(alloc_pages(__GFP_NOWARN | __GFP_HIGH, MAX_ORDER + 3) == NULL);
	KT_ASSERT(alloc_pages(__GFP_NOWARN | __GFP_MEMALLOC, 63) == NULL);
	KT_ASSERT(__get_free_pages(__GFP_NOWARN, MAX_ORDER) == 0);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/*
 * Exhaustion: grab every page an allocation with these flags can get, one by
 * one, on a list through page->lru. Each page gets a magic value derived
 * from its pfn in its first and last word; pfns are marked in a bitmap
 * (allocated before the run) so a page handed out twice is caught.
 */
#define PAGE_MAGIC 0x5eed0f01d0c0ffeeULL

struct grab {
	struct list_head pages;
	unsigned long n;
	unsigned long *bitmap;		/* one bit per pfn, or NULL */
	bool duplicate;
};

static void grab_pages(struct grab *g, gfp_t gfp)
{
	struct page *p;

	while ((p = alloc_pages(gfp | __GFP_NOWARN, 0))) {
		unsigned long pfn = page_to_pfn(p);
		u64 *w = page_address(p);
		if (g->bitmap) {
			unsigned long bit = 1UL << (pfn % 64);
			if (g->bitmap[pfn / 64] & bit)
				g->duplicate = true;
			g->bitmap[pfn / 64] |= bit;
		}
		w[0] = PAGE_MAGIC ^ pfn;
		w[PAGE_SIZE / 8 - 1] = ~(PAGE_MAGIC ^ pfn);
		hold(&g->pages, p, 0);
		g->n++;
	}
}

/* Every grabbed page still holds its own magic (no two allocations share memory). */
static bool grab_intact(struct grab *g, unsigned long *bad_pfn)
{
	struct page *p;

	list_for_each_entry(p, &g->pages, lru) {
		unsigned long pfn = page_to_pfn(p);
		u64 *w = page_address(p);
		if (w[0] != (PAGE_MAGIC ^ pfn) || w[PAGE_SIZE / 8 - 1] != ~(PAGE_MAGIC ^ pfn) ||
		    page_count(p) != 1 || PageBuddy(p) || PageReserved(p)) {
			*bad_pfn = pfn;
			return false;
		}
	}
	return true;
}

static unsigned int bitmap_order(void)
{
	unsigned long bytes = DIV_ROUND_UP(max_pfn, 64) * 8;
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

KTEST(buddy_exhaustion)
{
	struct fa_snap base, after;
	struct grab g = { .pages = LIST_HEAD_INIT(g.pages) };
	unsigned int border = bitmap_order();
	unsigned long min = min_wmark_pages(&zone_normal), high_line = min - min / 2;
	unsigned long free_ord, free_high, n_ord, n_high, bad_pfn = 0;
	struct page *bm;
	char d[96];

	why[0] = 0;
	KT_ASSERT_MSG(min > 2, "min watermark %lu too small to test", min);
	KT_ASSERT(border < MAX_ORDER);
	bm = alloc_pages(__GFP_ZERO, border);
	KT_ASSERT(bm);
	g.bitmap = page_address(bm);
	fa_snap(&base);

	grab_pages(&g, GFP_NOWAIT);	/* ordinary, but not waiting: GFP_KERNEL would call the OOM killer */
	n_ord = g.n;
	free_ord = nr_free_pages();
	CHECK_OUT(n_ord > 0, "no ordinary allocation succeeded");
	/* The rule: an order-0 request needs free - 1 >= min, so it stops with exactly min free. */
	CHECK_OUT(free_ord >= min - 1, "ordinary requests took the reserve: %lu free, min %lu",
		  free_ord, min);
	CHECK_OUT(free_ord == min, "ordinary requests stopped at %lu free, min watermark %lu",
		  free_ord, min);
	CHECK_OUT(n_ord == base.free_pages - free_ord, "%lu allocations but free fell by %lu", n_ord,
		  base.free_pages - free_ord);
	CHECK_OUT(alloc_pages(__GFP_NOWARN, 0) == NULL, "an ordinary request succeeded after a failure");
	CHECK_OUT(alloc_pages(__GFP_NOWARN, 3) == NULL, "an ordinary order-3 request took the reserve");

	/* __GFP_HIGH may use half of the reserve: it stops at min - min/2. */
	grab_pages(&g, __GFP_HIGH);
	n_high = g.n - n_ord;
	free_high = nr_free_pages();
	CHECK_OUT(n_high > 0, "__GFP_HIGH got nothing from the reserve (%lu free)", free_high);
	CHECK_OUT(free_high == high_line, "__GFP_HIGH stopped at %lu free, expected %lu (min %lu)",
		  free_high, high_line, min);
	CHECK_OUT(n_high == min / 2, "__GFP_HIGH got %lu pages, expected %lu", n_high, min / 2);
	CHECK_OUT(alloc_pages(__GFP_NOWARN | __GFP_HIGH, 0) == NULL, "__GFP_HIGH went past half of min");

	CHECK_OUT(!g.duplicate, "a page was handed out twice");
	CHECK_OUT(grab_intact(&g, &bad_pfn), "page %#lx lost its magic or state", bad_pfn);
	const char *bad = free_lists_check();
	CHECK_OUT(!bad, "at exhaustion: %s", bad);
out:
	release_all(&g.pages);
	fa_snap(&after);
	__free_pages(bm, border);
	KT_ASSERT_MSG(!why[0], "%s", why);
	KT_ASSERT_MSG(!fa_differ(&after, &base, d, sizeof(d)), "not back to baseline: %s", d);
	bad = free_lists_check();
	KT_ASSERT_MSG(!bad, "%s", bad);
}

/*
 * Where each kind of request stops, measured one after the other with
 * everything the previous kind got still held. The rule in mm/page_alloc.c
 * (zone_watermark_ok, as Linux 6.1's __zone_watermark_ok): a request of order
 * k succeeds iff free - 2^k >= line, with line = min for ordinary requests,
 * min - min/2 for __GFP_HIGH, and that line halved again for __GFP_MEMALLOC
 * (an OOM victim), with or without __GFP_HIGH.
 */
KTEST(buddy_watermarks)
{
	struct fa_snap base, after;
	struct grab g = { .pages = LIST_HEAD_INIT(g.pages) };
	unsigned long min = min_wmark_pages(&zone_normal);
	unsigned long line_high = min - min / 2;
	unsigned long line_oom = line_high - line_high / 2, line_both = line_oom;
	unsigned long at_ord, at_high, at_oom, at_both, n;
	struct page *extra = NULL, *o1 = NULL;
	char d[96];

	why[0] = 0;
	KT_ASSERT_MSG(min >= 8, "min watermark %lu too small to test", min);
	KT_ASSERT(zone_normal.watermark[WMARK_LOW] > min);
	KT_ASSERT(zone_normal.watermark[WMARK_HIGH] > zone_normal.watermark[WMARK_LOW]);
	fa_snap(&base);

	grab_pages(&g, GFP_NOWAIT);	/* as above: the min line, without an OOM kill */
	at_ord = nr_free_pages();
	CHECK_OUT(at_ord == min, "ordinary stopped at %lu free, expected %lu", at_ord, min);

	/*
	 * Boundary for order 1: with min + 1 free, order 0 is allowed (min + 1 - 1
	 * >= min) but order 1 is not (min + 1 - 2 < min), though a block exists.
	 */
	extra = list_first_entry(&g.pages, struct page, lru);
	list_del(&extra->lru);
	g.n--;
	__free_pages(extra, 0);
	extra = NULL;
	CHECK_OUT(nr_free_pages() == min + 1, "%lu free after giving one back", nr_free_pages());
	bool have_big = false;
	for (unsigned int o = 1; o < MAX_ORDER; o++)
		have_big |= zone_normal.free_area[o].nr_free > 0;
	if (have_big) {
		o1 = alloc_pages(__GFP_NOWARN, 1);
		CHECK_OUT(!o1, "an order-1 request left %lu free, below min %lu", nr_free_pages(), min);
		o1 = alloc_pages(__GFP_NOWARN | __GFP_HIGH, 1);
		CHECK_OUT(o1, "a __GFP_HIGH order-1 request failed with %lu free", min + 1);
		__free_pages(o1, 1);
		o1 = NULL;
	}
	extra = alloc_pages(__GFP_NOWARN, 0);
	CHECK_OUT(extra, "order 0 refused with min + 1 free");
	CHECK_OUT(nr_free_pages() == min, "%lu free", nr_free_pages());
	hold(&g.pages, extra, 0);
	g.n++;
	extra = NULL;

	n = g.n;
	grab_pages(&g, __GFP_HIGH);
	at_high = nr_free_pages();
	CHECK_OUT(at_high == line_high, "__GFP_HIGH stopped at %lu free, expected %lu (min %lu)", at_high,
		  line_high, min);
	CHECK_OUT(g.n - n == min - line_high, "__GFP_HIGH got %lu pages", g.n - n);

	n = g.n;
	grab_pages(&g, __GFP_MEMALLOC);
	at_oom = nr_free_pages();
	CHECK_OUT(at_oom == line_oom, "__GFP_MEMALLOC stopped at %lu free, expected %lu (min %lu)", at_oom,
		  line_oom, min);
	CHECK_OUT(g.n - n == line_high - line_oom, "__GFP_MEMALLOC got %lu pages past the __GFP_HIGH line",
		  g.n - n);

	n = g.n;
	grab_pages(&g, __GFP_MEMALLOC | __GFP_HIGH);
	at_both = nr_free_pages();
	CHECK_OUT(at_both == line_both, "__GFP_HIGH|__GFP_MEMALLOC stopped at %lu free, expected %lu",
		  at_both, line_both);
	CHECK_OUT(g.n - n == 0, "__GFP_HIGH|__GFP_MEMALLOC got %lu pages past the victim's line", g.n - n);
	CHECK_OUT(at_both > 0, "the reserve was emptied");

	/* Nobody gets more now; ordinary requests are refused at every order. */
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		CHECK_OUT(!alloc_pages(__GFP_NOWARN, o), "ordinary order %u succeeded", o);
	CHECK_OUT(!alloc_pages(__GFP_NOWARN | __GFP_HIGH, 0), "__GFP_HIGH succeeded");
	CHECK_OUT(!alloc_pages(__GFP_NOWARN | __GFP_HIGH | __GFP_MEMALLOC, 0), "both flags succeeded");
	CHECK_OUT(nr_free_pages() == line_both, "refused requests changed the count");
out:
	__free_pages(o1, 1);
	__free_pages(extra, 0);
	release_all(&g.pages);
	KT_ASSERT_MSG(!why[0], "%s", why);
	fa_snap(&after);
	KT_ASSERT_MSG(!fa_differ(&after, &base, d, sizeof(d)), "not back to baseline: %s", d);
	const char *bad = free_lists_check();
	KT_ASSERT_MSG(!bad, "%s", bad);
}

/*
 * Allocate a page that, once freed, stays a free order-0 block at the head of
 * the order-0 list, so the next order-0 request returns it: its buddy is
 * held in *pin. If a came from splitting a larger block, its buddy is the
 * order-0 half just put at the head of the list, which the second request
 * takes; if it came off the order-0 list, its buddy is not free anyway.
 */
static struct page *alloc_pinned(struct page **pin)
{
	struct page *a = alloc_page(GFP_KERNEL);

	*pin = alloc_page(GFP_KERNEL);
	if (!a || !*pin) {
		__free_page(a);
		__free_page(*pin);
		*pin = NULL;
		return NULL;
	}
	return a;
}

KTEST(buddy_gfp_zero)
{
	unsigned long base = nr_free_pages();
	struct page *pin, *a = alloc_pinned(&pin), *z = NULL, *big = NULL;
	unsigned long pfn;

	why[0] = 0;
	KT_ASSERT(a);
	pfn = page_to_pfn(a);
	memset(page_address(a), 0x5a, PAGE_SIZE);
	__free_page(a);
	a = NULL;
	CHECK_OUT(page_is_buddy_free(pfn, 0) && first_free_pfn(0) == pfn,
		  "setup: freed page %#lx is not at the head of the order-0 list", pfn);
	z = alloc_page(__GFP_ZERO);
	CHECK_OUT(z && page_to_pfn(z) == pfn, "did not get the dirtied page back");
	CHECK_OUT(!memchr_inv(page_address(z), 0, PAGE_SIZE), "__GFP_ZERO page is not zeroed");

	/* A higher order: the whole block is zeroed, not just the first page. */
	big = alloc_pages(GFP_KERNEL, 3);
	CHECK_OUT(big, "order-3 allocation failed");
	memset(page_address(big), 0x77, PAGE_SIZE << 3);
	__free_pages(big, 3);
	big = alloc_pages(__GFP_ZERO, 3);
	CHECK_OUT(big, "order-3 __GFP_ZERO allocation failed");
	CHECK_OUT(!memchr_inv(page_address(big), 0, PAGE_SIZE << 3), "order-3 __GFP_ZERO block not zeroed");

	unsigned long addr = get_zeroed_page(GFP_KERNEL);
	CHECK_OUT(addr, "get_zeroed_page failed");
	bool zero = !memchr_inv((void *)addr, 0, PAGE_SIZE);
	free_page(addr);
	CHECK_OUT(zero, "get_zeroed_page is not zeroed");
out:
	__free_pages(big, 3);
	__free_page(z);
	__free_page(pin);
	KT_ASSERT_MSG(!why[0], "%s", why);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

KTEST(buddy_poison)
{
	unsigned long base = nr_free_pages(), errors = page_poison_errors, pfn;
	struct page *pin, *a, *b = NULL;

	/* What the command line asked for (tests/run.py boots with page_poison=0 and =1) is in force. */
	const char *arg = strstr(boot_command_line, "page_poison=0");
	bool off = arg && (arg == boot_command_line || arg[-1] == ' ') && (arg[13] == ' ' || !arg[13]);
	KT_ASSERT_EQ(page_poisoning_enabled, !off);
	if (off) {	/* a freed page keeps its bytes */
		a = alloc_page(GFP_KERNEL);
		KT_ASSERT(a);
		memset(page_address(a), 0x11, PAGE_SIZE);
		__free_page(a);
		KT_ASSERT(!memchr_inv(page_address(a), 0x11, PAGE_SIZE) && !PageFlag(a, PG_poisoned));
		KT_ASSERT_EQ(nr_free_pages(), base);
		return;
	}
	why[0] = 0;
	a = alloc_pinned(&pin);
	KT_ASSERT(a);
	pfn = page_to_pfn(a);
	u8 *va = page_address(a);
	memset(va, 0x11, PAGE_SIZE);
	__free_page(a);
	CHECK_OUT(!memchr_inv(va, PAGE_POISON, PAGE_SIZE), "freed page is not filled with %#x",
		  PAGE_POISON);
	CHECK_OUT(PageFlag(a, PG_poisoned), "freed page is not marked PG_poisoned");
	CHECK_OUT(page_is_buddy_free(pfn, 0) && first_free_pfn(0) == pfn,
		  "setup: freed page %#lx is not at the head of the order-0 list", pfn);

	/* An intact poisoned page is handed out without a report. */
	b = alloc_page(GFP_KERNEL);
	CHECK_OUT(b == a, "did not get the freed page back");
	CHECK_OUT(page_poison_errors == errors, "a clean page was reported as corrupted");
	CHECK_OUT(!PageFlag(b, PG_poisoned), "PG_poisoned still set after allocation");
	__free_page(b);
	b = NULL;

	/* A write after free is reported on the next allocation of that page. */
	va[1234] = 0x42;
	b = alloc_page(GFP_KERNEL);
	CHECK_OUT(b == a, "did not get the freed page back");
	CHECK_OUT(page_poison_errors == errors + 1, "write after free: page_poison_errors %lu -> %lu",
		  errors, page_poison_errors);
out:
	__free_page(b);
	__free_page(pin);
	KT_ASSERT_MSG(!why[0], "%s", why);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/* A double free is reported as "Bad page state", skipped, and leaves the free lists alone. */
KTEST(buddy_double_free)
{
	struct fa_snap base, s1, s2;
	unsigned long bad0 = bad_page_count;
	struct page *pin, *a, *big;
	char d[96];

	why[0] = 0;
	fa_snap(&base);

	/* An order-0 page still on the order-0 list (its buddy held). */
	a = alloc_pinned(&pin);
	KT_ASSERT(a);
	__free_page(a);
	fa_snap(&s1);
	__free_page(a);
	fa_snap(&s2);
	KT_ASSERT_EQ(bad_page_count, bad0 + 1);
	KT_ASSERT_MSG(strchr(print_tainted(), 'B'), "a bad page left the kernel %s", print_tainted());
	KT_ASSERT_MSG(!fa_differ(&s2, &s1, d, sizeof(d)), "order 0: %s", d);

	/* Both halves freed, so they merged: neither is a free block head of order 0 now. */
	__free_page(pin);
	fa_snap(&s1);
	KT_ASSERT_MSG(!fa_differ(&s1, &base, d, sizeof(d)), "%s", d);
	__free_page(pin);
	__free_page(a);
	fa_snap(&s2);
	KT_ASSERT_EQ(bad_page_count, bad0 + 3);
	KT_ASSERT_MSG(!fa_differ(&s2, &base, d, sizeof(d)), "merged pages: %s", d);

	/* A higher-order block, and its tail page on its own. */
	big = alloc_pages(GFP_KERNEL, 3);
	KT_ASSERT(big);
	__free_pages(big, 3);
	fa_snap(&s1);
	__free_pages(big, 3);
	__free_pages(big + 1, 0);
	fa_snap(&s2);
	KT_ASSERT_EQ(bad_page_count, bad0 + 5);
	KT_ASSERT_MSG(!fa_differ(&s2, &s1, d, sizeof(d)), "order 3: %s", d);

	/* A reserved page (the kernel image) is refused too. */
	__free_page(virt_to_page(_text));
	KT_ASSERT_EQ(bad_page_count, bad0 + 6);
	KT_ASSERT(PageReserved(virt_to_page(_text)));

	const char *bad = free_lists_check();
	KT_ASSERT_MSG(!bad, "%s", bad);
	fa_snap(&s2);
	KT_ASSERT_MSG(!fa_differ(&s2, &base, d, sizeof(d)), "not back to baseline: %s", d);
	KT_ASSERT_EQ(nr_free_pages(), base.free_pages);
}

/* The boot's vm.min_free_kbytes is Linux's: 4 * sqrt(KiB of memory), within [128, 262144]. */
KTEST(buddy_min_free_kbytes)
{
	unsigned long kb = zone_normal.managed_pages * 4, m = READ_ONCE(min_free_kbytes);

	if (m > 128 && m < 262144)
		KT_ASSERT_MSG(m * m <= kb * 16 && (m + 1) * (m + 1) > kb * 16, "min_free_kbytes %lu for %lu KiB", m, kb);
	else
		KT_ASSERT_MSG((m == 128 && kb * 16 < 129 * 129) || (m == 262144 && kb * 16 >= 262144UL * 262144),
			      "min_free_kbytes %lu for %lu KiB", m, kb);
}

/*
 * Freeing an order-1 block whose second page is free already: refused with the report,
 * nothing freed. The block's pages are made two order-0 pages (as Linux's split_page()
 * would), the second freed, then the block freed whole.
 */
KTEST(buddy_free_block_with_free_page)
{
	struct fa_snap base, s1, s2;
	unsigned long bad0 = bad_page_count;
	u64 seq = READ_ONCE(log_next_seq);
	char d[96];

	fa_snap(&base);
	struct page *b = alloc_pages(GFP_KERNEL, 1);
	KT_ASSERT(b);
	b[1]._refcount = 1;
	__free_page(b + 1);
	fa_snap(&s1);
	KT_ASSERT(PageBuddy(b + 1));
	__free_pages(b, 1);
	fa_snap(&s2);
	unsigned long bad = bad_page_count;
	__free_page(b);			/* the real free: the pair merges again */
	KT_ASSERT_EQ(bad, bad0 + 1);
	KT_ASSERT_EQ(ktest_log_count(seq, "freeing a block that contains a free or reserved page"), 1);
	KT_ASSERT_MSG(strchr(print_tainted(), 'B'), "a bad page left the kernel %s", print_tainted());
	KT_ASSERT_MSG(!fa_differ(&s2, &s1, d, sizeof(d)), "the refused free changed the lists: %s", d);
	KT_ASSERT_EQ(bad_page_count, bad0 + 1);
	const char *wrong = free_lists_check();
	KT_ASSERT_MSG(!wrong, "%s", wrong);
	fa_snap(&s2);
	KT_ASSERT_MSG(!fa_differ(&s2, &base, d, sizeof(d)), "not back to baseline: %s", d);
}

/*
 * show_free_areas(), as Linux prints it: "Normal free:NkB min:..." and the free blocks by
 * order, "Normal: N*4kB N*8kB ... N*4096kB = TkB", each count the order's nr_free and T
 * all free memory. The expected lines are built here from a snapshot (nothing else
 * allocates meanwhile; a second try covers a stray allocation).
 */
static const char *const order_sizes[MAX_ORDER] = {
	"4kB", "8kB", "16kB", "32kB", "64kB", "128kB", "256kB", "512kB", "1024kB", "2048kB", "4096kB",
};

static bool free_area_lines_match(void)
{
	char line[512], head[160];
	struct fa_snap s;
	int n;

	fa_snap(&s);
	u64 seq = READ_ONCE(log_next_seq);
	show_free_areas();
	n = scnprintf(line, sizeof(line), "Normal:");
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		n += scnprintf(line + n, sizeof(line) - n, " %lu*%s", s.nr_free[o], order_sizes[o]);
	scnprintf(line + n, sizeof(line) - n, " = %lukB\n", s.free_pages * 4);
	scnprintf(head, sizeof(head), "Normal free:%lukB min:%lukB low:%lukB high:%lukB managed:%lukB\n",
		  s.free_pages * 4, zone_normal.watermark[WMARK_MIN] * 4, zone_normal.watermark[WMARK_LOW] * 4,
		  zone_normal.watermark[WMARK_HIGH] * 4, zone_normal.managed_pages * 4);
	return ktest_log_count(seq, line) == 1 && ktest_log_count(seq, head) == 1;
}

KTEST(buddy_show_free_areas)
{
	struct page *p[3];

	KT_ASSERT(free_area_lines_match() || free_area_lines_match());
	for (unsigned int i = 0; i < 3; i++)		/* some other counts */
		p[i] = alloc_pages(GFP_KERNEL, i * 2);
	bool again = free_area_lines_match() || free_area_lines_match();
	for (unsigned int i = 0; i < 3; i++)
		__free_pages(p[i], i * 2);
	KT_ASSERT(p[0] && p[1] && p[2]);
	KT_ASSERT(again);
}

/*
 * mem=: no frame at or above the limit is used. Without mem=, mem_map covers
 * every memblock memory region. (tests/ boots this with and without mem=.)
 */
KTEST(mem_limit)
{
	unsigned long i;
	struct memblock_region *r;

	if (mem_limit) {
		KT_ASSERT_MSG(memblock_end_of_DRAM() <= mem_limit, "end of DRAM %#llx, mem= %#llx",
			      memblock_end_of_DRAM(), mem_limit);
		KT_ASSERT_MSG(((phys_addr_t)max_pfn << PAGE_SHIFT) <= mem_limit, "max_pfn %#lx, mem= %#llx",
			      max_pfn, mem_limit);
		KT_ASSERT_MSG(((phys_addr_t)totalram_pages << PAGE_SHIFT) < mem_limit,
			      "totalram %lu pages, mem= %#llx", totalram_pages, mem_limit);
	} else {
		for_each_mem_region(i, r)
			KT_ASSERT_MSG(PFN_DOWN(r->base + r->size) <= max_pfn,
				      "region [%#llx-%#llx) beyond max_pfn %#lx", r->base, r->base + r->size,
				      max_pfn);
		KT_ASSERT_EQ(max_pfn, PFN_DOWN(memblock_end_of_DRAM()));
	}
	KT_ASSERT(totalram_pages > 0);
	KT_ASSERT(totalram_pages <= max_pfn);
	KT_ASSERT(totalram_pages == zone_normal.managed_pages);
	KT_ASSERT(nr_free_pages() <= totalram_pages);
	KT_ASSERT(((phys_addr_t)totalram_pages << PAGE_SHIFT) <= memblock_phys_mem_size());
}
