/*
 * The memory controller (Linux: mm/memcontrol.c): memory cgroups, their
 * charges, statistics and events, and the files of cgroup v2 (memory.*).
 * The v1 files are in memcontrol-v1.c; include/mm/memcontrol.h says what
 * is charged to whom.
 *
 * A charge. try_charge() adds the pages to the group's page_counter, which
 * adds them to every ancestor's too (mm/page_counter.c); it fails at the
 * lowest ancestor whose memory.max would be passed, and that group counts
 * a "max" event. Folio has no reclaim, so nothing can be made free there:
 * the group is out of memory. mem_cgroup_oom() is where that is handled;
 * it counts the "oom" event and, with no memcg OOM killer, frees nothing,
 * so the charge fails: a user fault returns VM_FAULT_OOM and ends in
 * pagefault_out_of_memory() with no lock held, anything else (a write(),
 * a page table outside a fault, a fork's stack) fails with -ENOMEM. No
 * charger ever sleeps or loops there. The root group has no limit, so
 * its charges only mark the page.
 *
 * memory.high is not a wall: going over it is allowed, but the task pays
 * on its way back to user mode (mem_cgroup_handle_over_high()): with no
 * reclaim to make it pay in work, it pays in time, Linux's penalty sleep.
 * memory.low and memory.min are kept and shown; without reclaim there is
 * nothing for them to protect from.
 *
 * Statistics (memory.stat) and events (memory.events) are atomics updated
 * where pages change state: a group's own counts, and with its
 * descendants' (updated up the tree as they change, so a removed group's
 * pages still count in its parent).
 *
 * Locking: the counters are atomics. A group's settings (memory.max,
 * oom.group...) are single words, written with WRITE_ONCE (memory.max
 * with an atomic exchange: charges racing with it see the old limit or
 * the new) and read with READ_ONCE. css_set_lock covers the look-up of a
 * task's group (task_css()).
 */
#include <kernel/kernel.h>
#include <kernel/cgroup.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/signal.h>
#include <kernel/timer.h>
#include <kernel/time.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <mm/memcontrol.h>
#include <fs/seq_file.h>
#include <uapi/errno.h>
#include "memcontrol-v1.h"

struct mem_cgroup *root_mem_cgroup;

/* ---- Statistics and events ---- */

/* Add val to statistic idx of memcg and of every ancestor's hierarchical count. */
void __mod_memcg_state(struct mem_cgroup *memcg, int idx, long val)
{
	__atomic_add_fetch(&memcg->vmstats_local[idx], val, __ATOMIC_RELAXED);
	for (; memcg; memcg = parent_mem_cgroup(memcg))
		__atomic_add_fetch(&memcg->vmstats[idx], val, __ATOMIC_RELAXED);
}

void count_memcg_events(struct mem_cgroup *memcg, int idx, unsigned long count)
{
	__atomic_add_fetch(&memcg->events_local[idx], count, __ATOMIC_RELAXED);
	for (; memcg; memcg = parent_mem_cgroup(memcg))
		__atomic_add_fetch(&memcg->events[idx], count, __ATOMIC_RELAXED);
}

void mod_lruvec_page_state(struct page *page, enum node_stat_item idx, int val)
{
	struct mem_cgroup *memcg = page_memcg(page);

	mod_node_page_state(idx, val);
	if (memcg)
		__mod_memcg_state(memcg, idx, val);
}

/*
 * A memory event: in the group's local count, and in v2 in the
 * hierarchical count of the group and its ancestors up to (not including)
 * the root, as Linux counts them; v1 has only the group's own.
 */
void memcg_memory_event(struct mem_cgroup *memcg, enum memcg_memory_event event)
{
	/* LAB memcg */
	/* LAB memcg STUB
	__atomic_add_fetch(&memcg->memory_events_local[event], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&memcg->memory_events[event], 1, __ATOMIC_RELAXED);
	*/
	bool dfl = cgroup_on_dfl(memcg->css.cgroup);

	__atomic_add_fetch(&memcg->memory_events_local[event], 1, __ATOMIC_RELAXED);
	do {
		__atomic_add_fetch(&memcg->memory_events[event], 1, __ATOMIC_RELAXED);
		memcg = parent_mem_cgroup(memcg);
	} while (dfl && memcg && !mem_cgroup_is_root(memcg));
	/* END LAB */
}

unsigned long memcg_page_state(struct mem_cgroup *memcg, int idx, bool local)
{
	long v = __atomic_load_n(local ? &memcg->vmstats_local[idx] : &memcg->vmstats[idx], __ATOMIC_RELAXED);
	return v < 0 ? 0 : v;
}

unsigned long memcg_events(struct mem_cgroup *memcg, int idx, bool local)
{
	return __atomic_load_n(local ? &memcg->events_local[idx] : &memcg->events[idx], __ATOMIC_RELAXED);
}

/* ---- Finding a task's group ---- */

/* css_set_lock held: the group's base reference is there while task_css() can return it. */
static struct mem_cgroup *mem_cgroup_from_task(struct task_struct *p)
{
	return mem_cgroup_from_css(task_css(p, memory_cgrp_id));
}

struct mem_cgroup *get_mem_cgroup_from_mm(struct mm_struct *mm)
{
	struct mem_cgroup *memcg = root_mem_cgroup;
	unsigned long flags;

	if (!mm && current->active_memcg) {
		css_get(&current->active_memcg->css);
		return current->active_memcg;
	}
	if (!mm)
		mm = current->mm;
	if (!mm)
		return memcg;
	spin_lock_irqsave(&css_set_lock, flags);
	struct task_struct *owner = READ_ONCE(mm->owner);
	if (owner)
		memcg = mem_cgroup_from_task(owner);
	css_get(&memcg->css);
	spin_unlock_irqrestore(&css_set_lock, flags);
	return memcg;
}

/*
 * The group current's kernel memory goes to (not its mm's: its own),
 * referenced: the one it made active, else its own group; kernel threads
 * charge nothing otherwise (NULL).
 */
static struct mem_cgroup *get_mem_cgroup_from_current(void)
{
	unsigned long flags;

	if (current->active_memcg) {
		css_get(&current->active_memcg->css);
		return current->active_memcg;
	}
	if (current->flags & PF_KTHREAD)
		return NULL;
	spin_lock_irqsave(&css_set_lock, flags);
	struct mem_cgroup *memcg = mem_cgroup_from_task(current);
	css_get(&memcg->css);
	spin_unlock_irqrestore(&css_set_lock, flags);
	return memcg;
}

void count_memcg_event_mm(struct mm_struct *mm, enum vm_event_item idx)
{
	unsigned long flags;

	spin_lock_irqsave(&css_set_lock, flags);
	struct task_struct *owner = READ_ONCE(mm->owner);
	count_memcg_events(owner ? mem_cgroup_from_task(owner) : root_mem_cgroup, idx, 1);
	spin_unlock_irqrestore(&css_set_lock, flags);
}

/* ---- Charging ---- */

static struct mem_cgroup *mem_cgroup_from_counter(struct page_counter *counter)
{
	return container_of(counter, struct mem_cgroup, memory);
}

/*
 * memcg is at its limit (memory.max, or v1's limit_in_bytes) and nothing
 * can be reclaimed: the memcg OOM. True means memory was freed and the
 * charge may be tried again. Folio has no memcg OOM killer: the event is
 * counted as Linux counts it, nothing is freed, and the charge fails.
 */
static bool mem_cgroup_oom(struct mem_cgroup *memcg, gfp_t gfp, int order)
{
	memcg_memory_event(memcg, MEMCG_OOM);
	if (current->in_user_fault)	/* pagefault_out_of_memory() settles it, holding no lock */
		WRITE_ONCE(current->memcg_in_oom, memcg);
	return false;
}

/*
 * The group's memory is over memory.high (here or above): the task pays on
 * its way back to user mode, once it has charged a batch over the mark.
 */
static void memcg_note_over_high(struct mem_cgroup *memcg, unsigned int nr_pages)
{
	if (!current->mm || (current->flags & PF_KTHREAD))
		return;
	for (; memcg && !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg)) {
		if (page_counter_read(&memcg->memory) > READ_ONCE(memcg->memory.high)) {
			current->memcg_nr_pages_over_high += nr_pages;
			if (current->memcg_nr_pages_over_high >= MEMCG_CHARGE_BATCH)
				set_tsk_thread_flag(current, TIF_NOTIFY_RESUME);
			return;
		}
	}
}

static int try_charge(struct mem_cgroup *memcg, gfp_t gfp, unsigned int nr_pages)
{
	struct page_counter *counter;

	if (mem_cgroup_is_root(memcg))
		return 0;
retry:
	if (page_counter_try_charge(&memcg->memory, nr_pages, &counter)) {
		memcg_note_over_high(memcg, nr_pages);
		return 0;
	}
	struct mem_cgroup *mem_over_limit = mem_cgroup_from_counter(counter);
	memcg_memory_event(mem_over_limit, MEMCG_MAX);
	if (mem_cgroup_oom(mem_over_limit, gfp, 0))
		goto retry;
	return -ENOMEM;
}

int mem_cgroup_charge(struct page *page, struct mm_struct *mm, gfp_t gfp)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_mm(mm);
	int ret = try_charge(memcg, gfp, 1);

	if (ret) {
		css_put(&memcg->css);
		return ret;
	}
	WARN_ON_ONCE(page->memcg_data);
	page->memcg_data = (unsigned long)memcg;	/* the reference goes with it */
	count_memcg_events(memcg, MEMCG_PGPGIN, 1);
	return 0;
}

int __memcg_kmem_charge_page(struct page *page, gfp_t gfp, int order)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_current();
	int ret = 0;

	if (!memcg)
		return 0;
	if (!mem_cgroup_is_root(memcg) && !(ret = try_charge(memcg, gfp, 1U << order))) {
		WARN_ON_ONCE(page->memcg_data);
		page->memcg_data = (unsigned long)memcg | MEMCG_DATA_KMEM;
		__mod_memcg_state(memcg, MEMCG_KMEM, 1L << order);
		return 0;	/* the reference goes with the page */
	}
	css_put(&memcg->css);
	return ret;
}

void mem_cgroup_uncharge(struct page *page, unsigned int order)
{
	unsigned long data = page->memcg_data;
	struct mem_cgroup *memcg = (struct mem_cgroup *)(data & ~MEMCG_DATA_FLAGS);
	unsigned long nr_pages = 1UL << order;

	if (!data)
		return;
	page->memcg_data = 0;
	if (data & MEMCG_DATA_KMEM)
		__mod_memcg_state(memcg, MEMCG_KMEM, -(long)nr_pages);
	else
		count_memcg_events(memcg, MEMCG_PGPGOUT, nr_pages);
	if (!mem_cgroup_is_root(memcg))
		page_counter_uncharge(&memcg->memory, nr_pages);
	css_put(&memcg->css);
}

/* ---- memory.high: the penalty sleep ---- */

#define MEMCG_MAX_HIGH_DELAY_JIFFIES (2UL * HZ)
#define MEMCG_DELAY_PRECISION_SHIFT 20
#define MEMCG_DELAY_SCALING_SHIFT 14

/* How far usage is over high, as a fraction of high in 1 << MEMCG_DELAY_PRECISION_SHIFT parts. */
static u64 calculate_overage(unsigned long usage, unsigned long high)
{
	if (usage <= high)
		return 0;
	high = max(high, 1UL);		/* a mark of 0 counts as one page */
	return ((u64)(usage - high) << MEMCG_DELAY_PRECISION_SHIFT) / high;
}

/* The largest overage on the way up, counting a "high" event in each group over its mark. */
static u64 mem_find_max_overage(struct mem_cgroup *memcg)
{
	u64 max_overage = 0;

	for (; memcg && !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg)) {
		u64 overage = calculate_overage(page_counter_read(&memcg->memory), READ_ONCE(memcg->memory.high));
		if (overage)
			memcg_memory_event(memcg, MEMCG_HIGH);
		max_overage = max(overage, max_overage);
	}
	return max_overage;
}

/*
 * Linux's penalty: it grows with the square of the overage (1% over is a
 * few milliseconds per batch, 10% some hundreds), scaled by how much of a
 * batch this task charged.
 */
static unsigned long calculate_high_delay(unsigned int nr_pages, u64 max_overage)
{
	u64 penalty = max_overage * max_overage * HZ;

	penalty >>= MEMCG_DELAY_PRECISION_SHIFT + MEMCG_DELAY_SCALING_SHIFT;
	return penalty * nr_pages / MEMCG_CHARGE_BATCH;
}

void mem_cgroup_handle_over_high(void)
{
	unsigned int nr_pages = current->memcg_nr_pages_over_high;

	if (nr_pages < MEMCG_CHARGE_BATCH || !current->mm)
		return;
	current->memcg_nr_pages_over_high = 0;
	struct mem_cgroup *memcg = get_mem_cgroup_from_mm(current->mm);
	unsigned long penalty = calculate_high_delay(nr_pages, mem_find_max_overage(memcg));
	penalty = min(penalty, MEMCG_MAX_HIGH_DELAY_JIFFIES);
	/* Too little to bother, or the task is dying anyway: no sleep. */
	if (penalty > HZ / 100 && !fatal_signal_pending(current))
		schedule_timeout_killable(penalty);
	css_put(&memcg->css);
}

/* ---- The groups ---- */

static struct cgroup_subsys_state *mem_cgroup_css_alloc(struct cgroup_subsys_state *parent_css)
{
	struct mem_cgroup *parent = mem_cgroup_from_css(parent_css);
	struct mem_cgroup *memcg = kzalloc(sizeof(*memcg), GFP_KERNEL);

	if (!memcg)
		return ERR_PTR(-ENOMEM);
	page_counter_init(&memcg->memory, parent ? &parent->memory : NULL);
	memcg->swap_max = PAGE_COUNTER_MAX;
	spin_lock_init(&memcg->event_list_lock);
	INIT_LIST_HEAD(&memcg->oom_notify);
	if (parent)
		memcg->oom_kill_disable = READ_ONCE(parent->oom_kill_disable);	/* v1 inherits it */
	else
		root_mem_cgroup = memcg;
	return &memcg->css;
}

static void mem_cgroup_css_offline(struct cgroup_subsys_state *css)
{
	memcg1_css_offline(mem_cgroup_from_css(css));
}

/* The last page charged to a removed group is gone (any context). */
static void mem_cgroup_css_free(struct cgroup_subsys_state *css)
{
	kfree(mem_cgroup_from_css(css));
}

/* ---- The v2 files ---- */

static struct mem_cgroup *of_memcg(struct cgroup_of *of)
{
	return mem_cgroup_from_css(of->css);
}

static u64 memory_current_read(struct cgroup_subsys_state *css, const struct cftype *cft)
{
	return (u64)page_counter_read(&mem_cgroup_from_css(css)->memory) * PAGE_SIZE;
}

static u64 memory_peak_read(struct cgroup_subsys_state *css, const struct cftype *cft)
{
	return (u64)READ_ONCE(mem_cgroup_from_css(css)->memory.watermark) * PAGE_SIZE;
}

/* "max" or a byte count, as the limit files show them. */
static void seq_puts_memcg_tunable(struct seq_file *m, unsigned long value)
{
	if (value == PAGE_COUNTER_MAX)
		seq_puts(m, "max\n");
	else
		seq_printf(m, "%llu\n", (unsigned long long)value * PAGE_SIZE);
}

/* memory.min, low, high, max and swap.max: private is the field's offset in the mem_cgroup. */
static unsigned long *memory_limit_field(struct mem_cgroup *memcg, const struct cftype *cft)
{
	return (unsigned long *)((char *)memcg + cft->private);
}

static int memory_limit_show(struct seq_file *m, void *v)
{
	seq_puts_memcg_tunable(m, READ_ONCE(*memory_limit_field(mem_cgroup_from_css(seq_css(m)), seq_of(m)->cft)));
	return 0;
}

/*
 * memory.min, low and high take what they are given: nothing is reclaimed
 * to meet them. So does swap.max: nothing is ever swapped.
 */
static ssize_t memory_limit_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	unsigned long pages;
	int err = page_counter_memparse(strim(buf), "max", &pages);

	if (err)
		return err;
	WRITE_ONCE(*memory_limit_field(of_memcg(of), of->cft), pages);
	return nbytes;
}

/*
 * The memcg OOM killer for memory.max lowered under the usage: true if it
 * killed a task, so the loop below waits for the memory to come back and
 * looks again. Folio has no memcg OOM killer: nothing is killed.
 */
static bool mem_cgroup_out_of_memory(struct mem_cgroup *memcg, gfp_t gfp, int order)
{
	return false;
}

/*
 * memory.max: the new limit holds at once, for the next charges. Linux
 * then reclaims and, while the usage stays over, OOM-kills in the group;
 * with no reclaim, each round is the OOM ("oom" counted), and the write
 * returns when the usage fits, nothing more can be killed, or a signal
 * came.
 */
static ssize_t memory_max_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	struct mem_cgroup *memcg = of_memcg(of);
	unsigned long max;
	int err = page_counter_memparse(strim(buf), "max", &max);

	if (err)
		return err;
	__atomic_exchange_n(&memcg->memory.max, max, __ATOMIC_SEQ_CST);
	while (page_counter_read(&memcg->memory) > max && !signal_pending(current)) {
		memcg_memory_event(memcg, MEMCG_OOM);
		if (!mem_cgroup_out_of_memory(memcg, GFP_KERNEL, 0))
			break;
	}
	return nbytes;
}

static void memory_events_show_one(struct seq_file *m, const unsigned long *events)
{
	static const char *const names[MEMCG_NR_MEMORY_EVENTS] = {
		"low", "high", "max", "oom", "oom_kill", "oom_group_kill",
	};

	for (int i = 0; i < MEMCG_NR_MEMORY_EVENTS; i++)
		seq_printf(m, "%s %lu\n", names[i], __atomic_load_n(&events[i], __ATOMIC_RELAXED));
}

static int memory_events_show(struct seq_file *m, void *v)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(seq_css(m));

	memory_events_show_one(m, seq_of(m)->cft->private ? memcg->memory_events_local : memcg->memory_events);
	return 0;
}

/*
 * memory.stat, in Linux 6.1's order. idx < 0: a figure Folio does not keep
 * (no LRU lists, swap, slab accounting, sockets, huge pages or reclaim), 0.
 * Statistics in pages are shown in bytes; kernel_stack is kept in KiB.
 */
struct memory_stat {
	const char *name;
	int idx;		/* statistic, event (EV_*), or -1 */
	bool numa;		/* also in memory.numa_stat */
};
#define EV(e) (0x1000 | (e))

static const struct memory_stat memory_stats[] = {
	{ "anon", NR_ANON_MAPPED, true }, { "file", NR_FILE_PAGES, true }, { "kernel", MEMCG_KMEM, false },
	{ "kernel_stack", NR_KERNEL_STACK_KB, true }, { "pagetables", NR_PAGETABLE, true },
	{ "sec_pagetables", -1, true }, { "percpu", -1, false }, { "sock", -1, false },
	{ "vmalloc", -1, false }, { "shmem", NR_SHMEM, true }, { "file_mapped", -1, true },
	{ "file_dirty", -1, true }, { "file_writeback", -1, true }, { "swapcached", -1, true },
	{ "anon_thp", -1, true }, { "file_thp", -1, true }, { "shmem_thp", -1, true },
	{ "inactive_anon", -1, true }, { "active_anon", -1, true }, { "inactive_file", -1, true },
	{ "active_file", -1, true }, { "unevictable", -1, true }, { "slab_reclaimable", -1, true },
	{ "slab_unreclaimable", -1, true }, { "slab", -1, false },
	{ "workingset_refault_anon", -1, true }, { "workingset_refault_file", -1, true },
	{ "workingset_activate_anon", -1, true }, { "workingset_activate_file", -1, true },
	{ "workingset_restore_anon", -1, true }, { "workingset_restore_file", -1, true },
	{ "workingset_nodereclaim", -1, true }, { "pgscan", -1, false }, { "pgsteal", -1, false },
	{ "pgscan_kswapd", -1, false }, { "pgscan_direct", -1, false }, { "pgsteal_kswapd", -1, false },
	{ "pgsteal_direct", -1, false }, { "pgfault", EV(PGFAULT), false },
	{ "pgmajfault", EV(PGMAJFAULT), false }, { "pgrefill", -1, false }, { "pgactivate", -1, false },
	{ "pgdeactivate", -1, false }, { "pglazyfree", -1, false }, { "pglazyfreed", -1, false },
	{ "thp_fault_alloc", -1, false }, { "thp_collapse_alloc", -1, false },
};

/* One figure of memory.stat: bytes for page counts, a count for events. */
static u64 memcg_stat_value(struct mem_cgroup *memcg, int idx, bool local)
{
	if (idx < 0)
		return 0;
	if (idx & 0x1000)
		return memcg_events(memcg, idx & 0xfff, local);
	u64 v = memcg_page_state(memcg, idx, local);
	return idx == NR_KERNEL_STACK_KB ? v * 1024 : v * PAGE_SIZE;
}

static int memory_stat_show(struct seq_file *m, void *v)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(seq_css(m));
	bool numa = seq_of(m)->cft->private;

	for (unsigned int i = 0; i < ARRAY_SIZE(memory_stats); i++) {
		const struct memory_stat *s = &memory_stats[i];
		if (numa && !s->numa)
			continue;
		u64 val = memcg_stat_value(memcg, s->idx, false);
		if (numa)
			seq_printf(m, "%s N0=%llu\n", s->name, val);
		else
			seq_printf(m, "%s %llu\n", s->name, val);
	}
	return 0;
}

static u64 memory_oom_group_read(struct cgroup_subsys_state *css, const struct cftype *cft)
{
	return READ_ONCE(mem_cgroup_from_css(css)->oom_group);
}

static ssize_t memory_oom_group_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	int val, err = kstrtoint(strim(buf), 0, &val);

	if (err)
		return err;
	if (val != 0 && val != 1)
		return -EINVAL;
	WRITE_ONCE(of_memcg(of)->oom_group, val);
	return nbytes;
}

/* Folio never swaps: nothing is swapped out (the limit is kept for whoever reads it back). */
static u64 memory_swap_current_read(struct cgroup_subsys_state *css, const struct cftype *cft)
{
	return 0;
}

#define LIMIT(f) offsetof(struct mem_cgroup, f)

static const struct cftype memory_files[] = {
	{ .name = "memory.current", .flags = CFTYPE_NOT_ON_ROOT, .read_u64 = memory_current_read },
	{ .name = "memory.peak", .flags = CFTYPE_NOT_ON_ROOT, .read_u64 = memory_peak_read },
	{ .name = "memory.min", .flags = CFTYPE_NOT_ON_ROOT, .private = LIMIT(memory.min),
	  .seq_show = memory_limit_show, .write = memory_limit_write },
	{ .name = "memory.low", .flags = CFTYPE_NOT_ON_ROOT, .private = LIMIT(memory.low),
	  .seq_show = memory_limit_show, .write = memory_limit_write },
	{ .name = "memory.high", .flags = CFTYPE_NOT_ON_ROOT, .private = LIMIT(memory.high),
	  .seq_show = memory_limit_show, .write = memory_limit_write },
	{ .name = "memory.max", .flags = CFTYPE_NOT_ON_ROOT, .private = LIMIT(memory.max),
	  .seq_show = memory_limit_show, .write = memory_max_write },
	{ .name = "memory.events", .flags = CFTYPE_NOT_ON_ROOT, .seq_show = memory_events_show },
	{ .name = "memory.events.local", .flags = CFTYPE_NOT_ON_ROOT, .private = 1,
	  .seq_show = memory_events_show },
	{ .name = "memory.stat", .seq_show = memory_stat_show },
	{ .name = "memory.numa_stat", .private = 1, .seq_show = memory_stat_show },
	{ .name = "memory.oom.group", .flags = CFTYPE_NOT_ON_ROOT, .read_u64 = memory_oom_group_read,
	  .write = memory_oom_group_write },
	{ .name = "memory.swap.current", .flags = CFTYPE_NOT_ON_ROOT, .read_u64 = memory_swap_current_read },
	{ .name = "memory.swap.max", .flags = CFTYPE_NOT_ON_ROOT, .private = LIMIT(swap_max),
	  .seq_show = memory_limit_show, .write = memory_limit_write },
	{ .name = NULL },
};

struct cgroup_subsys memory_cgrp_subsys = {
	.name = "memory",
	.id = memory_cgrp_id,
	.css_alloc = mem_cgroup_css_alloc,
	.css_offline = mem_cgroup_css_offline,
	.css_free = mem_cgroup_css_free,
	.dfl_cftypes = memory_files,
	.legacy_cftypes = mem_cgroup_legacy_files,
};
