/*
 * Page counters (Linux: mm/page_counter.c): hierarchical page counts with
 * limits, for the memory controller. include/mm/page_counter.h says what a
 * counter holds.
 *
 * A charge adds to every counter from the one charged up to the root, each
 * with one atomic add. Limits are checked by adding first and looking at
 * the result: two chargers racing for the last free page both add, one of
 * them sees the sum over the limit and takes its pages back, so the usage
 * may go over max by a racing charge for an instant but no charge that
 * went over is ever kept. try_charge reports the lowest counter that
 * refused, which is the cgroup whose limit was hit.
 *
 * Locking: none; see the header.
 */
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/page.h>
#include <mm/page_counter.h>

void page_counter_init(struct page_counter *counter, struct page_counter *parent)
{
	memset(counter, 0, sizeof(*counter));
	counter->max = PAGE_COUNTER_MAX;
	counter->high = PAGE_COUNTER_MAX;
	counter->parent = parent;
}

/* Raise the recorded peak to usage if it is higher: racy, as a statistic may be. */
static void propagate_watermark(struct page_counter *c, long usage)
{
	if ((unsigned long)usage > READ_ONCE(c->watermark))
		WRITE_ONCE(c->watermark, usage);
}

/* Take nr_pages back from one counter; below zero is a bug: say so once, and clamp. */
static void page_counter_cancel(struct page_counter *c, unsigned long nr_pages)
{
	long usage = __atomic_sub_fetch(&c->usage, nr_pages, __ATOMIC_RELAXED);

	if (usage < 0) {
		pr_warn("page_counter underflow: %ld nr_pages=%lu\n", usage, nr_pages);
		WARN_ON_ONCE(1);
		__atomic_add_fetch(&c->usage, -usage, __ATOMIC_RELAXED);
	}
}

void page_counter_charge(struct page_counter *counter, unsigned long nr_pages)
{
	for (struct page_counter *c = counter; c; c = c->parent)
		propagate_watermark(c, __atomic_add_fetch(&c->usage, nr_pages, __ATOMIC_RELAXED));
}

bool page_counter_try_charge(struct page_counter *counter, unsigned long nr_pages,
			     struct page_counter **fail)
{
	/* LAB memcg */
	/* LAB memcg STUB
	propagate_watermark(counter, __atomic_add_fetch(&counter->usage, nr_pages, __ATOMIC_RELAXED));
	*fail = NULL;
	return true;
	*/
	struct page_counter *c;

	for (c = counter; c; c = c->parent) {
		long usage = __atomic_add_fetch(&c->usage, nr_pages, __ATOMIC_RELAXED);
		if ((unsigned long)usage > READ_ONCE(c->max)) {
			__atomic_sub_fetch(&c->usage, nr_pages, __ATOMIC_RELAXED);
			WRITE_ONCE(c->failcnt, READ_ONCE(c->failcnt) + 1);
			*fail = c;
			goto undo;
		}
		propagate_watermark(c, usage);
	}
	return true;
undo:
	for (struct page_counter *u = counter; u != c; u = u->parent)
		page_counter_cancel(u, nr_pages);
	return false;
	/* END LAB */
}

void page_counter_uncharge(struct page_counter *counter, unsigned long nr_pages)
{
	/* LAB memcg */
	/* LAB memcg STUB
	page_counter_cancel(counter, nr_pages);
	*/
	for (struct page_counter *c = counter; c; c = c->parent)
		page_counter_cancel(c, nr_pages);
	/* END LAB */
}

/*
 * The limit goes in first and usage is read after: a charge racing with
 * this either saw the new limit, or added before the read below and is
 * seen there. If usage went over, the old limit comes back and it is
 * tried again (the racing charge may have been taken back meanwhile).
 */
int page_counter_set_max(struct page_counter *counter, unsigned long nr_pages)
{
	for (;;) {
		unsigned long usage = page_counter_read(counter);
		if (usage > nr_pages)
			return -EBUSY;
		unsigned long old = __atomic_exchange_n(&counter->max, nr_pages, __ATOMIC_SEQ_CST);
		if (page_counter_read(counter) <= usage || nr_pages >= old)
			return 0;
		WRITE_ONCE(counter->max, old);
	}
}

void page_counter_set_high(struct page_counter *counter, unsigned long nr_pages)
{
	WRITE_ONCE(counter->high, nr_pages);
}

void page_counter_set_min(struct page_counter *counter, unsigned long nr_pages)
{
	WRITE_ONCE(counter->min, nr_pages);
}

void page_counter_set_low(struct page_counter *counter, unsigned long nr_pages)
{
	WRITE_ONCE(counter->low, nr_pages);
}

int page_counter_memparse(const char *buf, const char *max, unsigned long *nr_pages)
{
	char *end;

	if (!strcmp(buf, max)) {
		*nr_pages = PAGE_COUNTER_MAX;
		return 0;
	}
	unsigned long long bytes = memparse(buf, &end);
	if (*end != '\0')
		return -EINVAL;
	*nr_pages = min(bytes / PAGE_SIZE, (unsigned long long)PAGE_COUNTER_MAX);
	return 0;
}
