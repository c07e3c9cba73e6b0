/*
 * The buddy page allocator (Linux: mm/page_alloc.c).
 *
 * Free memory is kept in blocks of 2^order pages, order 0..MAX_ORDER-1
 * (4 KiB..4 MiB), each block aligned to its size. Allocating splits a larger
 * block in halves until one of the wanted order remains; freeing merges a
 * block with its "buddy" (the other half of the next larger block, found by
 * flipping bit `order` of the pfn) for as long as the buddy is free too.
 *
 * Watermarks: the zone keeps min/low/high marks derived from its size, as
 * Linux's min_free_kbytes. Pages below min are a reserve: an ordinary request
 * fails rather than take them; __GFP_HIGH may use half of the reserve and an
 * OOM victim (ALLOC_OOM: TIF_MEMDIE, a pending SIGKILL, or __GFP_MEMALLOC)
 * three quarters, so that it can always make progress towards exiting.
 * Folio has no reclaim or kswapd, so low is reported but not acted on; high
 * is the mark of the OOM path's last-chance attempt.
 *
 * The slow path (__alloc_pages_slowpath(), Linux 6.1's order of steps):
 * the reserves an OOM victim may use; nothing more for a caller that may
 * not sleep (GFP_ATOMIC, GFP_NOWAIT); no reclaim or compaction (Folio has
 * neither, so there is never "progress" to retry on); __GFP_NORETRY and
 * costly orders fail here; then __alloc_pages_may_oom(): the OOM killer
 * under oom_lock (mm/oom_kill.c), and a retry while it made progress.
 * __GFP_NOFAIL never fails. docs/oom.md tells the story.
 *
 * Debug: freed pages are filled with PAGE_POISON and checked when handed out
 * again ("page_poison=0" turns it off); freeing a page twice or a reserved
 * page is reported as Linux's "Bad page state" and the free is skipped.
 *
 * Memory cgroups: __GFP_ACCOUNT charges a new page to current's group as
 * kernel memory (the allocation fails at the group's limit), and every
 * charged page, of whatever kind, is uncharged here when its last
 * reference goes (mm/memcontrol.c): one place, whoever frees it.
 *
 * Locking: zone->lock (irqsave) guards the free lists, nr_free, free_pages
 * and the PG_buddy/order fields of free pages. The OOM path takes oom_lock
 * (a mutex) with a trylock and never holds zone->lock meanwhile.
 */
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <kernel/cmdline.h>
#include <kernel/sched.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <kernel/sysctl.h>
#include <mm/memblock.h>
#include <mm/kasan.h>
#include <mm/oom.h>
#include <mm/memcontrol.h>
#include <kernel/timer.h>
#include <kernel/preempt.h>
#include <kernel/mutex.h>
#include <arch/pgtable.h>
#include "internal.h"

struct page *mem_map;
unsigned long max_pfn;
unsigned long totalram_pages;
struct zone zone_normal = { .lock = __SPIN_LOCK_UNLOCKED(zone_normal.lock), .name = "Normal" };
int page_poisoning_enabled = 1;
unsigned long bad_page_count;		/* "Bad page state" reports since boot */
unsigned long page_poison_errors;	/* poison found overwritten on allocation */
static unsigned long alloc_fail_reports;

#define ALLOC_WMARK_MIN WMARK_MIN	/* the low bits: which watermark to check */
#define ALLOC_WMARK_HIGH WMARK_HIGH
#define ALLOC_WMARK_MASK 0x3
#define ALLOC_NO_WATERMARKS 0x4		/* __GFP_NOFAIL after an OOM kill: anything free */
#define ALLOC_HIGH 0x10			/* __GFP_HIGH */
#define ALLOC_OOM 0x20			/* an OOM victim (or __GFP_MEMALLOC) */

static int page_poison_setup(char *val)
{
	int v;
	if (kstrtoint(val, 10, &v) || (v != 0 && v != 1))
		return -EINVAL;
	page_poisoning_enabled = v;
	return 0;
}
early_param("page_poison=", page_poison_setup);

static void bad_page(struct page *page, const char *reason)
{
	bad_page_count++;
	pr_alert("BUG: Bad page state in process %s  pfn:%05lx\n", current->comm, page_to_pfn(page));
	pr_alert("page:%p refcount:%d mapcount:%d pfn:%#lx\n", (void *)page, page->_refcount,
		 page->_mapcount + 1, page_to_pfn(page));
	pr_alert("flags: %#lx\n", page->flags);
	pr_alert("page dumped because: %s\n", reason);
	dump_stack();
	add_taint(TAINT_BAD_PAGE);
}

static void set_buddy(struct page *page, unsigned int order)
{
	page->order = order;
	SetPageFlag(page, PG_buddy);
}

static void del_from_free_list(struct zone *z, struct page *page, unsigned int order)
{
	list_del(&page->lru);
	ClearPageFlag(page, PG_buddy);
	z->free_area[order].nr_free--;
	z->free_pages -= 1UL << order;
}

static void add_to_free_list(struct zone *z, struct page *page, unsigned int order)
{
	set_buddy(page, order);
	list_add(&page->lru, &z->free_area[order].free_list);
	z->free_area[order].nr_free++;
	z->free_pages += 1UL << order;
}

/* Free a block and merge it with its buddies as far as they are free. Caller holds zone->lock. */
static void __free_one_page(struct zone *z, unsigned long pfn, unsigned int order)
{
	/* LAB buddy */
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = pfn_to_page(buddy_pfn);
		if (!pfn_valid(buddy_pfn) || !PageBuddy(buddy) || buddy->order != order)
			break;
		del_from_free_list(z, buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	/* END LAB */
	add_to_free_list(z, pfn_to_page(pfn), order);
}

/*
 * A free block of order `high` was taken off its list for a request of order
 * `low`: keep its first 2^low pages for the caller and give the rest back to
 * the free lists, as one block of each order from high - 1 down to low (the
 * upper half, then the upper half of the lower half, ...). Caller holds
 * zone->lock.
 */
static void expand(struct zone *z, struct page *page, unsigned int low, unsigned int high)
{
	/* LAB buddy */
	/* LAB buddy STUB
	for (unsigned long i = 1UL << low; i < 1UL << high; i++)
		add_to_free_list(z, page + i, 0);
	*/
	while (high > low) {
		high--;
		add_to_free_list(z, page + (1UL << high), high);
	}
	/* END LAB */
}

/* Take the smallest free block of at least `order`, splitting off the unused halves. */
static struct page *__rmqueue_smallest(struct zone *z, unsigned int order)
{
	for (unsigned int cur = order; cur < MAX_ORDER; cur++) {
		struct free_area *area = &z->free_area[cur];
		if (list_empty(&area->free_list))
			continue;
		struct page *page = list_first_entry(&area->free_list, struct page, lru);
		del_from_free_list(z, page, cur);
		expand(z, page, order, cur);
		return page;
	}
	return NULL;
}

static bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned int alloc_flags)
{
	long min = (long)z->watermark[alloc_flags & ALLOC_WMARK_MASK];

	if (alloc_flags & ALLOC_NO_WATERMARKS)
		return z->free_pages >= (1UL << order);
	/*
	 * __GFP_HIGH may use half of the reserve; an OOM victim reaches deeper,
	 * to a quarter, so it can always allocate what exiting needs. (Linux
	 * 6.1 gives ALLOC_OOM alone the same half; Folio keeps the victim's
	 * share strictly larger, as the OOM design depends on it.)
	 */
	if (alloc_flags & (ALLOC_HIGH | ALLOC_OOM))
		min -= min / 2;
	if (alloc_flags & ALLOC_OOM)
		min -= min / 2;
	return (long)z->free_pages - (1L << order) >= min;
}

static void check_poison(struct page *page)
{
	u8 *p = page_address(page);
	u8 *bad = memchr_inv(p, PAGE_POISON, PAGE_SIZE);

	ClearPageFlag(page, PG_poisoned);
	if (!bad)
		return;
	page_poison_errors++;
	pr_err("pagealloc: memory corruption at %p (pfn %#lx, offset %#lx): %02x instead of %02x\n",
	       bad, page_to_pfn(page), (unsigned long)(bad - p), *bad, PAGE_POISON);
	dump_stack();
	add_taint(TAINT_BAD_PAGE);
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *p = page + i;
		if (PageFlag(p, PG_poisoned))
			check_poison(p);
		if (unlikely(p->memcg_data)) {		/* a charge that missed its uncharge */
			bad_page(p, "page still charged to cgroup");
			p->memcg_data = 0;
		}
		p->_refcount = 0;
		p->_mapcount = -1;
	}
	page->_refcount = 1;
	page->order = order;
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

static void warn_alloc(gfp_t gfp, unsigned int order)
{
	char flags[160];

	if ((gfp & __GFP_NOWARN) || alloc_fail_reports >= 10)
		return;
	if (++alloc_fail_reports == 10)
		pr_warn("page allocation failure reports suppressed from now on\n");
	format_gfp_flags(flags, sizeof(flags), gfp);
	pr_warn("%s: page allocation failure: order:%u, mode:%#x(%s), nodemask=(null),cpuset=/,mems_allowed=0\n",
		current->comm, order, gfp, flags);
	dump_stack();
	show_free_areas();
}

/* Take a block if the watermark alloc_flags name allows it, and prepare it. */
static struct page *get_page_from_freelist(gfp_t gfp, unsigned int order, unsigned int alloc_flags)
{
	struct zone *z = &zone_normal;
	struct page *page = NULL;
	unsigned long flags;

	spin_lock_irqsave(&z->lock, flags);
	if (zone_watermark_ok(z, order, alloc_flags))
		page = __rmqueue_smallest(z, order);
	spin_unlock_irqrestore(&z->lock, flags);
	if (!page)
		return NULL;
	prep_new_page(page, order, gfp);
	count_vm_events(PGALLOC_NORMAL, 1UL << order);
	kasan_alloc_pages(page, order);
	return page;
}

/*
 * Which reserves the caller may use beyond its gfp flags (Linux's
 * __gfp_pfmemalloc_flags()). An OOM victim must always be able to exit, and
 * exiting may need memory (a page table, a page for a signal frame):
 * TIF_MEMDIE gives it ALLOC_OOM, and so does a pending SIGKILL, so that a
 * task on its way out (chosen, or a sharer of the victim's mm) never waits
 * for an OOM killer it would only hold up. Never in an interrupt.
 */
static unsigned int __gfp_pfmemalloc_flags(gfp_t gfp)
{
	if (gfp & __GFP_NOMEMALLOC)
		return 0;
	if (gfp & __GFP_MEMALLOC)
		return ALLOC_OOM;	/* Linux: ALLOC_NO_WATERMARKS; Folio keeps a last quarter */
	if (in_hardirq())
		return 0;
	if (oom_reserves_allowed(current))
		return ALLOC_OOM;
	return 0;
}

/*
 * The OOM killer's turn (Linux's __alloc_pages_may_oom()). One task at a
 * time runs it: whoever finds oom_lock taken sleeps a tick and retries,
 * since the holder is about to free memory. With the lock, a last try at
 * the high watermark: a kill that ended just before may have freed plenty,
 * and a second kill would be spurious. *did_some_progress tells the caller
 * to retry. When the killer declined because an earlier victim's memory is
 * still on its way back, the caller waits for that (oom_wait_for_victims())
 * holding no lock, instead of spinning through the retries.
 */
static struct page *__alloc_pages_may_oom(gfp_t gfp, unsigned int order, unsigned long *did_some_progress)
{
	struct oom_control oc = { .gfp_mask = gfp, .order = order };
	struct page *page;
	unsigned long seq;

	*did_some_progress = 0;
	if (!mutex_trylock(&oom_lock)) {
		*did_some_progress = 1;
		schedule_timeout_uninterruptible(1);
		return NULL;
	}
	seq = oom_victims_seq();
	oc.victims_seq = seq;
	page = get_page_from_freelist(gfp & ~__GFP_DIRECT_RECLAIM, order, ALLOC_WMARK_HIGH);
	if (page)
		goto out;
	/* No OOM kill for what the caller can live without: a costly order, a request that may fail. */
	if (order > PAGE_ALLOC_COSTLY_ORDER || (gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE)))
		goto out;
	if (out_of_memory(&oc) || (gfp & __GFP_NOFAIL)) {
		*did_some_progress = 1;
		if (gfp & __GFP_NOFAIL)	/* the OOM killer did what it could: take anything free */
			page = get_page_from_freelist(gfp, order, ALLOC_NO_WATERMARKS);
	}
out:
	mutex_unlock(&oom_lock);
	if (!page && oc.chosen == OOM_ABORT_SELECTION)
		oom_wait_for_victims(seq);
	return page;
}

static struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order, unsigned int alloc_flags)
{
	bool can_direct_reclaim = gfpflags_allow_blocking(gfp);
	unsigned long did_some_progress;
	struct page *page;

	if (can_direct_reclaim)
		might_sleep();
retry:
	alloc_flags |= __gfp_pfmemalloc_flags(gfp);
	page = get_page_from_freelist(gfp, order, alloc_flags);
	if (page)
		return page;
	if (!can_direct_reclaim)
		goto nopage;		/* GFP_ATOMIC, GFP_NOWAIT: may not wait for the OOM killer */
	/* Here Linux reclaims and compacts. Folio has neither: the OOM killer is the only way on. */
	if (gfp & __GFP_NORETRY)
		goto nopage;
	if (order > PAGE_ALLOC_COSTLY_ORDER && !(gfp & __GFP_RETRY_MAYFAIL))
		goto nopage;
	page = __alloc_pages_may_oom(gfp, order, &did_some_progress);
	if (page)
		return page;
	/* A victim that failed even with the reserves fails: looping would not help it exit. */
	if ((alloc_flags & ALLOC_OOM) && (oom_reserves_allowed(current) || (gfp & __GFP_NOMEMALLOC)))
		goto nopage;
	if (did_some_progress)
		goto retry;
nopage:
	if ((gfp & __GFP_NOFAIL) && !WARN_ON_ONCE(!can_direct_reclaim)) {
		page = get_page_from_freelist(gfp, order, alloc_flags | ALLOC_HIGH | ALLOC_OOM);
		if (page)
			return page;
		cond_resched();
		goto retry;
	}
	warn_alloc(gfp, order);
	return NULL;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;
	struct page *page;

	if (order >= MAX_ORDER) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return NULL;
	}
	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_HIGH;
	page = get_page_from_freelist(gfp, order, alloc_flags);
	if (!page)
		page = __alloc_pages_slowpath(gfp, order, alloc_flags);
	if (page && (gfp & __GFP_ACCOUNT) && __memcg_kmem_charge_page(page, gfp, order)) {
		__free_pages(page, order);
		return NULL;	/* the memory cgroup is at its limit, not the machine: no report */
	}
	return page;
}

static bool free_pages_check(struct page *page, unsigned int order)
{
	if (PageReserved(page)) {
		bad_page(page, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set: reserved");
		return false;
	}
	if (PageBuddy(page) || page->_refcount <= 0) {
		bad_page(page, "freeing a free page (refcount already 0)");
		return false;
	}
	for (unsigned long i = 1; i < (1UL << order); i++) {
		if (PageBuddy(page + i) || PageReserved(page + i)) {
			bad_page(page + i, "freeing a block that contains a free or reserved page");
			return false;
		}
	}
	return true;
}

void __free_pages(struct page *page, unsigned int order)
{
	struct zone *z = &zone_normal;
	unsigned long flags;

	if (!page)
		return;
	if (!free_pages_check(page, order))
		return;
	if (__atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL))
		return;		/* someone else still holds a reference */
	if (PageFlag(page, PG_anon))
		mod_lruvec_page_state(page, NR_ANON_MAPPED, -1);
	if (PageFlag(page, PG_swapbacked)) {
		mod_lruvec_page_state(page, NR_SHMEM, -1);
		mod_lruvec_page_state(page, NR_FILE_PAGES, -1);
	}
	mem_cgroup_uncharge(page, order);	/* after the statistics, which name the group */
	page->flags &= ~((1UL << PG_slab) | (1UL << PG_head) | (1UL << PG_anon) | (1UL << PG_swapbacked));
	count_vm_events(PGFREE, 1UL << order);
	if (page_poisoning_enabled) {
		memset(page_address(page), PAGE_POISON, PAGE_SIZE << order);
		for (unsigned long i = 0; i < (1UL << order); i++)
			SetPageFlag(page + i, PG_poisoned);
	}
	kasan_free_pages(page, order);
	spin_lock_irqsave(&z->lock, flags);
	__free_one_page(z, page_to_pfn(page), order);
	spin_unlock_irqrestore(&z->lock, flags);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);
	return page ? (unsigned long)page_address(page) : 0;
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

bool page_is_buddy_free(unsigned long pfn, unsigned int order)
{
	struct page *page = pfn_to_page(pfn);
	return PageBuddy(page) && page->order == order;
}

void free_area_init(unsigned long pfn_end)
{
	struct zone *z = &zone_normal;

	max_pfn = pfn_end;
	mem_map = memblock_alloc(max_pfn * sizeof(struct page), PAGE_SIZE);
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *p = &mem_map[pfn];
		p->flags = 1UL << PG_reserved;
		p->_refcount = 1;
		p->_mapcount = -1;
		INIT_LIST_HEAD(&p->lru);
	}
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		INIT_LIST_HEAD(&z->free_area[o].free_list);
	z->zone_start_pfn = 0;
	z->spanned_pages = max_pfn;
}

/* Give [start, end) to the buddy allocator in the largest aligned blocks that fit. */
static void free_range(unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned int order = MAX_ORDER - 1;
		while (order && ((start & ((1UL << order) - 1)) || start + (1UL << order) > end))
			order--;
		for (unsigned long i = 0; i < (1UL << order); i++) {
			ClearPageFlag(pfn_to_page(start + i), PG_reserved);
			pfn_to_page(start + i)->_refcount = 0;
		}
		__free_one_page(&zone_normal, start, order);
		zone_normal.managed_pages += 1UL << order;
		start += 1UL << order;
	}
}

void memblock_free_all(void)
{
	unsigned long flags;

	spin_lock_irqsave(&zone_normal.lock, flags);
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region *m = &memblock.memory.regions[i];
		unsigned long pfn = PFN_UP(m->base), end = PFN_DOWN(m->base + m->size);
		/* Free the gaps between reserved ranges inside this region. */
		for (unsigned long j = 0; j <= memblock.reserved.cnt && pfn < end; j++) {
			unsigned long rstart = end, rend = end;
			if (j < memblock.reserved.cnt) {
				struct memblock_region *r = &memblock.reserved.regions[j];
				rstart = PFN_DOWN(r->base);
				rend = PFN_UP(r->base + r->size);
				if (rend <= pfn)
					continue;
				rstart = clamp(rstart, pfn, end);
			}
			free_range(pfn, rstart);
			pfn = max(pfn, rend);
		}
	}
	totalram_pages = zone_normal.managed_pages;
	spin_unlock_irqrestore(&zone_normal.lock, flags);
	pgtable_after_bootmem();
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;
	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

int min_free_kbytes;	/* vm.min_free_kbytes: the reserve below the min watermark */
int watermark_scale_factor = 10;	/* vm.watermark_scale_factor: low and high's distance, in 1/10000 of the zone */
static const int watermark_scale_factor_max = 3000;

/*
 * The watermarks, as Linux's __setup_per_zone_wmarks(): min from
 * min_free_kbytes; low and high a step and two steps above it, the step a
 * quarter of min or watermark_scale_factor ten-thousandths of the zone
 * (10: 0.1%), whichever is more.
 */
void setup_per_zone_wmarks(void)
{
	struct zone *z = &zone_normal;
	unsigned long min = (unsigned long)READ_ONCE(min_free_kbytes) >> (PAGE_SHIFT - 10), flags;
	unsigned long tmp = max(min / 4, z->managed_pages * READ_ONCE(watermark_scale_factor) / 10000);

	spin_lock_irqsave(&z->lock, flags);
	z->watermark[WMARK_MIN] = min;
	z->watermark[WMARK_LOW] = min + tmp;
	z->watermark[WMARK_HIGH] = min + tmp * 2;
	spin_unlock_irqrestore(&z->lock, flags);
}

/* At boot, Linux's reserve for the memory there is: 4 * sqrt(KiB of it), within [128 KiB, 256 MiB]. */
void init_per_zone_wmark_min(void)
{
	min_free_kbytes = clamp(int_sqrt(zone_normal.managed_pages * 4 * 16), 128UL, 262144UL);
	setup_per_zone_wmarks();
}

/* vm.min_free_kbytes (any size from 0) and vm.watermark_scale_factor (1..3000): the watermarks follow at once. */
static int wmark_sysctl_handler(struct ctl_table *table, int write, void *buffer, size_t *lenp,
					  loff_t *ppos)
{
	int err = proc_dointvec_minmax(table, write, buffer, lenp, ppos);

	if (!err && write)
		setup_per_zone_wmarks();
	return err;
}

struct ctl_table page_alloc_sysctls[] = {
	{ .procname = "min_free_kbytes", .data = &min_free_kbytes, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = wmark_sysctl_handler, .extra1 = SYSCTL_ZERO },
	{ .procname = "watermark_scale_factor", .data = &watermark_scale_factor, .maxlen = sizeof(int),
	  .mode = 0644, .proc_handler = wmark_sysctl_handler, .extra1 = SYSCTL_ONE,
	  .extra2 = (void *)&watermark_scale_factor_max },
	{ .procname = NULL },
};

/* Linux's show_free_areas() lines for the one zone: totals, then free blocks by order. */
void show_free_areas(void)
{
	struct zone *z = &zone_normal;
	unsigned long nr[MAX_ORDER], flags, total = 0;
	char line[512];
	int n;

	spin_lock_irqsave(&z->lock, flags);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		nr[o] = z->free_area[o].nr_free;
	unsigned long free = z->free_pages;
	spin_unlock_irqrestore(&z->lock, flags);

	pr_info("%s free:%lukB min:%lukB low:%lukB high:%lukB managed:%lukB\n", z->name, free * 4,
		z->watermark[WMARK_MIN] * 4, z->watermark[WMARK_LOW] * 4, z->watermark[WMARK_HIGH] * 4,
		z->managed_pages * 4);
	n = scnprintf(line, sizeof(line), "%s:", z->name);
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		n += scnprintf(line + n, sizeof(line) - n, " %lu*%lukB", nr[o], 4UL << o);
		total += nr[o] << o;
	}
	pr_info("%s = %lukB\n", line, total * 4);
}

/* The free-area line of the OOM report: Linux's, with every free block counted as unmovable (U). */
static void show_buddy_line(unsigned long *nr)
{
	char line[512];
	unsigned long total = 0;
	int n = scnprintf(line, sizeof(line), "Node 0 %s:", zone_normal.name);

	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		n += scnprintf(line + n, sizeof(line) - n, " %lu*%lukB%s", nr[o], 4UL << o, nr[o] ? " (U)" : "");
		total += nr[o] << o;
	}
	pr_info("%s = %lukB\n", line, total * 4);
}

/*
 * Linux's show_mem() as the OOM report prints it, for Folio's one node and
 * zone: the global counters, the node, the zone with its watermarks, the
 * free blocks, and the page totals. Folio has no LRU lists (all anonymous
 * memory shows as inactive_anon, as an unreclaimable system's does), no
 * page cache beyond ramfs (pagecache: Cached) and no swap.
 */
void show_mem(void)
{
	struct zone *z = &zone_normal;
	unsigned long nr[MAX_ORDER], flags, free;
	unsigned long anon = global_node_page_state(NR_ANON_MAPPED), shmem = global_node_page_state(NR_SHMEM);
	unsigned long slab = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) >> PAGE_SHIFT;
	unsigned long pt = global_node_page_state(NR_PAGETABLE), file = global_node_page_state(NR_FILE_PAGES);
	unsigned long ram = memblock_phys_mem_size() >> PAGE_SHIFT;

	spin_lock_irqsave(&z->lock, flags);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		nr[o] = z->free_area[o].nr_free;
	free = z->free_pages;
	spin_unlock_irqrestore(&z->lock, flags);

	pr_info("Mem-Info:\n");
	pr_info("active_anon:0 inactive_anon:%lu isolated_anon:0\n", anon + shmem);
	pr_info(" active_file:0 inactive_file:0 isolated_file:0\n");
	pr_info(" unevictable:0 dirty:0 writeback:0\n");
	pr_info(" slab_reclaimable:0 slab_unreclaimable:%lu\n", slab);
	pr_info(" mapped:0 shmem:%lu pagetables:%lu\n", shmem, pt);
	pr_info(" sec_pagetables:0 bounce:0\n");
	pr_info(" kernel_misc_reclaimable:0\n");
	pr_info(" free:%lu free_pcp:0 free_cma:0\n", free);
	pr_info("Node 0 active_anon:0kB inactive_anon:%lukB active_file:0kB inactive_file:0kB unevictable:0kB "
		"isolated(anon):0kB isolated(file):0kB mapped:0kB dirty:0kB writeback:0kB shmem:%lukB "
		"writeback_tmp:0kB kernel_stack:%lukB pagetables:%lukB sec_pagetables:0kB all_unreclaimable? yes\n",
		(anon + shmem) * 4, shmem * 4, global_node_page_state(NR_KERNEL_STACK_KB), pt * 4);
	pr_info("Node 0 %s free:%lukB boost:0kB min:%lukB low:%lukB high:%lukB reserved_highatomic:0KB "
		"active_anon:0kB inactive_anon:%lukB active_file:0kB inactive_file:0kB unevictable:0kB "
		"writepending:0kB present:%lukB managed:%lukB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB "
		"free_cma:0kB\n", z->name, free * 4, z->watermark[WMARK_MIN] * 4, z->watermark[WMARK_LOW] * 4,
		z->watermark[WMARK_HIGH] * 4, (anon + shmem) * 4, z->spanned_pages * 4, z->managed_pages * 4);
	pr_info("lowmem_reserve[]: 0 0 0 0 0\n");
	show_buddy_line(nr);
	pr_info("%lu total pagecache pages\n", file);
	pr_info("0 pages in swap cache\n");
	pr_info("Free swap  = 0kB\n");
	pr_info("Total swap = 0kB\n");
	pr_info("%lu pages RAM\n", ram);
	pr_info("0 pages HighMem/MovableOnly\n");
	pr_info("%lu pages reserved\n", ram - min(ram, totalram_pages));
}
