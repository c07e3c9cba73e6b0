/*
 * Page counters (Linux: include/linux/page_counter.h): a count of pages
 * with a limit, in a tree. Charging a counter charges each of its
 * ancestors too, so a parent's usage is the sum of its own pages and its
 * children's, and a charge fails at the lowest counter that would go over
 * its limit. The memory controller keeps one per memory cgroup
 * (mm/memcontrol.c); the counter knows nothing of cgroups.
 *
 * Locking: none. usage is an atomic; max, high, min, low are written with
 * WRITE_ONCE by their one writer (a file write under cgroup_mutex) and read
 * with READ_ONCE; watermark and failcnt are statistics, updated racily (a
 * lost update of a peak or a failure count is harmless, as in Linux).
 */
#ifndef _MM_PAGE_COUNTER_H
#define _MM_PAGE_COUNTER_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <arch/page.h>

struct page_counter {
	long usage;			/* pages charged here and below; atomic */
	unsigned long min, low;		/* protection: shown and kept, without effect (no reclaim) */
	unsigned long high;		/* over it, chargers are throttled (memcontrol.c) */
	unsigned long max;		/* a charge that would exceed it fails */
	unsigned long watermark;	/* the highest usage seen (memory.peak) */
	unsigned long failcnt;		/* charges that failed at this counter */
	struct page_counter *parent;	/* NULL at the root; set once */
};

/* "No limit": the largest page count whose byte size fits a long, as Linux's PAGE_COUNTER_MAX. */
#define PAGE_COUNTER_MAX (LONG_MAX / PAGE_SIZE)

void page_counter_init(struct page_counter *counter, struct page_counter *parent);

static inline unsigned long page_counter_read(struct page_counter *counter)
{
	long usage = __atomic_load_n(&counter->usage, __ATOMIC_RELAXED);
	return usage < 0 ? 0 : usage;
}

/* Charge nr_pages here and up the tree, ignoring the limits. */
void page_counter_charge(struct page_counter *counter, unsigned long nr_pages);
/*
 * Charge nr_pages here and up the tree unless a counter would go over its
 * max: then nothing stays charged, that counter's failcnt goes up, *fail
 * names it and the answer is false.
 */
bool page_counter_try_charge(struct page_counter *counter, unsigned long nr_pages,
			     struct page_counter **fail);
/* Give nr_pages back here and up the tree; a count going below zero is a bug (WARN, clamped). */
void page_counter_uncharge(struct page_counter *counter, unsigned long nr_pages);
/* Set max, unless usage is already above it: -EBUSY then, as Linux's. */
int page_counter_set_max(struct page_counter *counter, unsigned long nr_pages);
void page_counter_set_high(struct page_counter *counter, unsigned long nr_pages);
void page_counter_set_min(struct page_counter *counter, unsigned long nr_pages);
void page_counter_set_low(struct page_counter *counter, unsigned long nr_pages);
/* The peak starts again from the present usage (v1's max_usage_in_bytes write). */
static inline void page_counter_reset_watermark(struct page_counter *counter)
{
	WRITE_ONCE(counter->watermark, page_counter_read(counter));
}
/*
 * A limit as the files write it: max (the string "max" in cgroup v2, "-1"
 * in v1) or a byte count with memparse()'s K/M/G/T/P/E suffixes, rounded
 * down to pages and capped at PAGE_COUNTER_MAX. The caller strips white
 * space first (strim()); an empty string is 0, as in Linux. 0 or -EINVAL.
 */
int page_counter_memparse(const char *buf, const char *max, unsigned long *nr_pages);

#endif
