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
 * the group is out of memory, and mem_cgroup_oom() counts the "oom" event
 * and hands it to the memcg OOM killer (the global one's
 * select_bad_process() and oom_kill_process(), scoped to the group's
 * subtree: mm/oom_kill.c) in the way memcg.oom= says ("The memcg OOM"
 * below). The root group has no limit, so its charges only mark the page.
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
 * task's group (task_css()). The memcg OOM: memcg_oom_lock (spinlock,
 * irqsave) guards the groups' OOM locks; the OOM killer runs under
 * oom_lock (mutex), taken after a group's OOM lock, never before; the OOM
 * wait queue's lock is innermost. Nobody sleeps at an OOM holding
 * memcg_oom_lock or oom_lock, and in unwind mode nobody sleeps there
 * holding any lock at all.
 */
#include <kernel/kernel.h>
#include <kernel/cgroup.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/signal.h>
#include <kernel/timer.h>
#include <kernel/trace.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <kernel/mutex.h>
#include <kernel/cmdline.h>
#include <mm/oom.h>
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

/* An index past its array is a caller's bug (a stat read the wrong way): warned, read as 0. */
unsigned long memcg_page_state(struct mem_cgroup *memcg, int idx, bool local)
{
	if (WARN_ON_ONCE(idx < 0 || idx >= MEMCG_NR_STAT))
		return 0;
	long v = __atomic_load_n(local ? &memcg->vmstats_local[idx] : &memcg->vmstats[idx], __ATOMIC_RELAXED);
	return v < 0 ? 0 : v;
}

unsigned long memcg_events(struct mem_cgroup *memcg, int idx, bool local)
{
	if (WARN_ON_ONCE(idx < 0 || idx >= MEMCG_NR_EVENTS))
		return 0;
	return __atomic_load_n(local ? &memcg->events_local[idx] : &memcg->events[idx], __ATOMIC_RELAXED);
}

/* ---- Finding a task's group ---- */

/* css_set_lock held: the group's base reference is there while task_css() can return it. */
static struct mem_cgroup *mem_cgroup_from_task(struct task_struct *p)
{
	spin_assert_held(&css_set_lock);
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

/* Being killed, or exiting: its memory comes back soon, an OOM would not help. */
static bool task_is_dying(void)
{
	return tsk_is_oom_victim(current) || fatal_signal_pending(current) || (current->flags & PF_EXITING);
}

static bool mem_cgroup_oom(struct mem_cgroup *memcg, gfp_t gfp, int order);
static void mem_cgroup_oom_record(struct mem_cgroup *memcg, gfp_t gfp, int order);

static int try_charge(struct mem_cgroup *memcg, gfp_t gfp, unsigned int nr_pages)
{
	struct page_counter *counter;
	bool passed_oom = false;

	if (mem_cgroup_is_root(memcg))
		return 0;
retry:
	if (page_counter_try_charge(&memcg->memory, nr_pages, &counter)) {
		memcg_note_over_high(memcg, nr_pages);
		return 0;
	}
	struct mem_cgroup *mem_over_limit = mem_cgroup_from_counter(counter);
	memcg_memory_event(mem_over_limit, MEMCG_MAX);
	if (!gfpflags_allow_blocking(gfp) || (passed_oom && task_is_dying()))
		return -ENOMEM;
	/* LAB memcg */
	/*
	 * One OOM per charge, but in trap mode (which loops, as it did): a
	 * victim's memory takes a while to come back, and the unwind waits for
	 * it once the fault has dropped its locks.
	 */
	if (passed_oom && memcg_oom_mode != MEMCG_OOM_TRAP) {
		if (current->in_user_fault && memcg_oom_mode == MEMCG_OOM_UNWIND)
			mem_cgroup_oom_record(mem_over_limit, gfp, __builtin_ctz(nr_pages));
		return -ENOMEM;
	}
	/* END LAB */
	if (mem_cgroup_oom(mem_over_limit, gfp, __builtin_ctz(nr_pages))) {
		passed_oom = true;
		goto retry;
	}
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
	if (!mem_cgroup_is_root(memcg)) {
		page_counter_uncharge(&memcg->memory, nr_pages);
		memcg_oom_recover(memcg);
	}
	css_put(&memcg->css);
}

/* ---- The memcg OOM ---- */

/*
 * A charge failed at mem_over_limit and nothing can be reclaimed: the
 * group is out of memory. What the charging task may do now depends on
 * what it holds, and that is what the three modes (memcg.oom=) differ in:
 *
 * unwind (the default): only a user page fault handles the OOM, and never
 * by waiting where it stands. If the OOM killer is enabled for the group
 * and this task wins the group's OOM lock, it kills a task and tries the
 * charge once more; otherwise (someone else is handling the OOM, or a
 * user-space handler is in charge: oom_kill_disable) it records the group
 * in current->memcg_in_oom and the fault unwinds with VM_FAULT_OOM,
 * dropping mmap_lock. pagefault_out_of_memory() then waits in
 * mem_cgroup_oom_synchronize(), holding nothing, and the fault is retried.
 * Any other charge (a write(), a page table for a system call, a fork's
 * stack) fails with -ENOMEM: its caller may hold anything.
 *
 * trap (the code before the unwind): every charge loops in place on the
 * OOM killer and sleeps on the OOM wait queue, holding whatever its
 * caller holds; the two deadlocks of docs/memcg.md follow.
 *
 * sync (what Linux does since 4.19): the OOM killer runs in the charge
 * path, as it does not wait for its victim (the OOM reaper frees the
 * victim's memory without needing the victim to run), and the unwind is
 * kept for oom_kill_disable, where the wait is for user space.
 *
 * The OOM lock of a group covers its subtree: two OOMs conflict when one
 * group is the other's ancestor (or the same group). memcg_oom_lock guards
 * every group's oom_lock and oom_locked_below. The wait queue is shared;
 * a wake-up for a group wakes the waiters of its ancestors and
 * descendants, the groups whose memory it may have freed.
 */
enum memcg_oom_mode memcg_oom_mode = MEMCG_OOM_UNWIND;

static DEFINE_SPINLOCK(memcg_oom_lock);
static DECLARE_WAIT_QUEUE_HEAD(memcg_oom_waitq);
/* The group memcg_oom_recover() wakes for; memcg_oom_wake_lock, held around the wake-up. */
static DEFINE_SPINLOCK(memcg_oom_wake_lock);
static struct mem_cgroup *memcg_oom_waking;

static int memcg_oom_setup(char *val)
{
	static const char *const names[] = { "unwind", "trap", "sync" };
	static const char *const designs[] = {
		NULL, "chargers loop and sleep at a group's OOM where they stand (Linux before 3.12)",
		"the OOM killer runs in the charge path (Linux 4.19 onwards)",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(val, names[i])) {
			memcg_oom_mode = i;
			if (designs[i])
				pr_notice("memcg: memcg.oom=%s: %s\n", names[i], designs[i]);
			return 0;
		}
	}
	pr_err("memcg.oom=%s: unknown mode (unwind, trap or sync); keeping unwind\n", val);
	return -EINVAL;
}
__setup("memcg.oom=", memcg_oom_setup);

bool mem_cgroup_is_descendant(struct mem_cgroup *memcg, struct mem_cgroup *root)
{
	for (; memcg; memcg = parent_mem_cgroup(memcg))
		if (memcg == root)
			return true;
	return false;
}

/* How many pages memcg could still charge before it or an ancestor reaches its limit. */
static unsigned long mem_cgroup_margin(struct mem_cgroup *memcg)
{
	unsigned long margin = PAGE_COUNTER_MAX;

	for (; memcg && !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg)) {
		unsigned long count = page_counter_read(&memcg->memory), limit = READ_ONCE(memcg->memory.max);
		margin = min(margin, count < limit ? limit - count : 0);
	}
	return margin;
}

/* Take the OOM lock of memcg's subtree: false if it, an ancestor or a descendant holds one. */
static bool mem_cgroup_oom_trylock(struct mem_cgroup *memcg)
{
	unsigned long flags;
	bool locked;

	spin_lock_irqsave(&memcg_oom_lock, flags);
	locked = !memcg->oom_locked_below;
	for (struct mem_cgroup *mi = memcg; locked && mi; mi = parent_mem_cgroup(mi))
		locked = !mi->oom_lock;
	if (locked) {
		memcg->oom_lock = true;
		for (struct mem_cgroup *mi = parent_mem_cgroup(memcg); mi; mi = parent_mem_cgroup(mi))
			mi->oom_locked_below++;
	}
	spin_unlock_irqrestore(&memcg_oom_lock, flags);
	return locked;
}

static void mem_cgroup_oom_unlock(struct mem_cgroup *memcg)
{
	unsigned long flags;

	spin_lock_irqsave(&memcg_oom_lock, flags);
	memcg->oom_lock = false;
	for (struct mem_cgroup *mi = parent_mem_cgroup(memcg); mi; mi = parent_mem_cgroup(mi))
		mi->oom_locked_below--;
	spin_unlock_irqrestore(&memcg_oom_lock, flags);
}

static void mem_cgroup_mark_under_oom(struct mem_cgroup *memcg)
{
	__atomic_add_fetch(&memcg->under_oom, 1, __ATOMIC_SEQ_CST);
}

static void mem_cgroup_unmark_under_oom(struct mem_cgroup *memcg)
{
	__atomic_sub_fetch(&memcg->under_oom, 1, __ATOMIC_SEQ_CST);
}

bool mem_cgroup_under_oom(struct mem_cgroup *memcg)
{
	for (; memcg; memcg = parent_mem_cgroup(memcg))
		if (__atomic_load_n(&memcg->under_oom, __ATOMIC_SEQ_CST) > 0)
			return true;
	return false;
}

/* A waiter at memcg's OOM, on memcg_oom_waitq. */
struct oom_wait_info {
	struct mem_cgroup *memcg;
	struct wait_queue_entry wait;
};

/* Wake a waiter only for its own hierarchy: memory freed elsewhere does not help it. */
static int memcg_oom_wake_function(struct wait_queue_entry *wait, unsigned int mode)
{
	struct mem_cgroup *waiter = container_of(wait, struct oom_wait_info, wait)->memcg;
	struct mem_cgroup *waker = memcg_oom_waking;

	if (waker && !mem_cgroup_is_descendant(waker, waiter) && !mem_cgroup_is_descendant(waiter, waker))
		return 0;
	return default_wake_function(wait, mode);
}

void memcg_oom_recover(struct mem_cgroup *memcg)
{
	unsigned long flags;

	/*
	 * The uncharge (or the new limit) before the look at the queue, as a
	 * waiter queues itself before its look at the margin: one of the two
	 * sees the other.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!waitqueue_active(&memcg_oom_waitq))
		return;
	spin_lock_irqsave(&memcg_oom_wake_lock, flags);
	memcg_oom_waking = memcg;
	__wake_up(&memcg_oom_waitq, TASK_NORMAL, 0);
	memcg_oom_waking = NULL;
	spin_unlock_irqrestore(&memcg_oom_wake_lock, flags);
}

/* Queue on the OOM wait queue for memcg in state; finish_wait() ends it. */
static void memcg_oom_prepare_wait(struct oom_wait_info *owait, struct mem_cgroup *memcg, int state)
{
	owait->memcg = memcg;
	init_wait_entry(&owait->wait, 0);
	owait->wait.func = memcg_oom_wake_function;
	prepare_to_wait(&memcg_oom_waitq, &owait->wait, state);
}

/* The sleep at a memcg OOM, on memcg_oom_waitq, traced with the function that sleeps. */
static void memcg_oom_schedule(const char *func)
{
	trace_oom_wait(func);
	schedule();
	trace_oom_wait_done(func);
}

/*
 * The memcg OOM killer: choose and kill a task of memcg's subtree. True
 * if memory should come back (a task was killed, or one is dying already):
 * the caller may retry. Serialised with every other OOM by oom_lock.
 */
static bool mem_cgroup_out_of_memory(struct mem_cgroup *memcg, gfp_t gfp, int order)
{
	struct oom_control oc = { .memcg = memcg, .gfp_mask = gfp, .order = order };
	bool ret = true;

	if (mutex_lock_killable(&oom_lock))
		return true;	/* this task is being killed: its own memory comes back */
	if (mem_cgroup_margin(memcg) >= (1UL << order))
		goto unlock;	/* memory came back while we waited for the lock */
	oc.totalpages = max(min(READ_ONCE(memcg->memory.max), totalram_pages), 1UL);
	ret = task_is_dying() || out_of_memory(&oc);
unlock:
	mutex_unlock(&oom_lock);
	return ret;
}

/*
 * After a kill for a lowered limit: sleep (killable) while memcg's usage
 * stays over max, each uncharge waking us to look again, for up to 100 ms;
 * past that, the victim is slow or its memory was not enough, and the
 * caller's next round decides.
 */
static void memcg_oom_wait_usage(struct mem_cgroup *memcg, unsigned long max)
{
	struct oom_wait_info owait;
	long timeout = HZ / 10;

	while (timeout && page_counter_read(&memcg->memory) > max && !fatal_signal_pending(current)) {
		memcg_oom_prepare_wait(&owait, memcg, TASK_KILLABLE);
		if (page_counter_read(&memcg->memory) > max)
			timeout = schedule_timeout(timeout);
		finish_wait(&memcg_oom_waitq, &owait.wait);
	}
}

/* A user fault failed at memcg's limit: pagefault_out_of_memory() settles it, holding no lock. */
static void mem_cgroup_oom_record(struct mem_cgroup *memcg, gfp_t gfp, int order)
{
	/* Only a user fault ends in pagefault_out_of_memory(): a record made elsewhere would wait for the next fault. */
	if (WARN_ON_ONCE(!current->in_user_fault) || current->memcg_in_oom)
		return;
	css_get(&memcg->css);
	current->memcg_oom_gfp_mask = gfp;
	current->memcg_oom_order = order;
	WRITE_ONCE(current->memcg_in_oom, memcg);
}

/*
 * memcg.oom=trap, the code before the unwind: whoever wins the OOM lock
 * kills, everyone else sleeps on the OOM wait queue right here, holding
 * whatever the caller holds (mmap_lock in a fault, an inode's lock in a
 * write()); then the charge is tried again, and again. The sleep is
 * uninterruptible, as a lock's: this is the deadlock the unwind removed,
 * kept to be seen (not inlined, so that the hung-task report names it).
 * True: try the charge again.
 */
static __noinline bool mem_cgroup_oom_trap(struct mem_cgroup *memcg, gfp_t gfp, int order)
{
	struct oom_wait_info owait;
	bool locked, killed = false;

	mem_cgroup_mark_under_oom(memcg);
	locked = mem_cgroup_oom_trylock(memcg);
	if (locked) {
		memcg1_oom_notify(memcg);
		if (!READ_ONCE(memcg->oom_kill_disable))
			killed = mem_cgroup_out_of_memory(memcg, gfp, order);
	}
	if (!killed) {	/* someone else's OOM, a handler's, or nobody left to kill: wait here */
		memcg_oom_prepare_wait(&owait, memcg, TASK_UNINTERRUPTIBLE);
		if (!mem_cgroup_margin(memcg))
			memcg_oom_schedule(__func__);
		finish_wait(&memcg_oom_waitq, &owait.wait);
	}
	mem_cgroup_unmark_under_oom(memcg);
	if (locked) {
		mem_cgroup_oom_unlock(memcg);
		memcg_oom_recover(memcg);
	}
	if (task_is_dying())
		return false;
	if (killed)
		schedule_timeout_uninterruptible(1);	/* the victim's turn */
	return true;
}

/* LAB memcg */
/* LAB memcg STUB
static bool mem_cgroup_oom_unwind(struct mem_cgroup *memcg, gfp_t gfp, int order)
{
	return mem_cgroup_oom_trap(memcg, gfp, order);
}
*/
/* Win memcg's OOM lock and run the OOM killer: true if it killed (or a victim is dying). */
static bool mem_cgroup_oom_kill_locked(struct mem_cgroup *memcg, gfp_t gfp, int order, bool *locked)
{
	bool ret;

	mem_cgroup_mark_under_oom(memcg);
	*locked = mem_cgroup_oom_trylock(memcg);
	if (*locked)
		memcg1_oom_notify(memcg);
	mem_cgroup_unmark_under_oom(memcg);
	if (!*locked)
		return false;
	ret = mem_cgroup_out_of_memory(memcg, gfp, order);
	mem_cgroup_oom_unlock(memcg);
	return ret;
}

/*
 * memcg.oom=unwind. Outside a user fault: -ENOMEM at once, since a
 * write() may hold its inode's lock and a system call mmap_lock, which the
 * victim (or a user-space handler reading /proc/PID/maps) may need. In a
 * fault, the winner of the OOM lock kills and retries; the others unwind
 * first and wait holding nothing.
 */
static bool mem_cgroup_oom_unwind(struct mem_cgroup *memcg, gfp_t gfp, int order)
{
	bool locked;

	if (!current->in_user_fault)
		return false;
	/*
	 * The OOM killer never waits for its victim, so running it here under
	 * mmap_lock cannot deadlock; waiting for the victim's memory could
	 * (the victim may need this mmap_lock to exit): that waiting is done
	 * after the unwind, in mem_cgroup_oom_synchronize().
	 */
	if (!READ_ONCE(memcg->oom_kill_disable) && mem_cgroup_oom_kill_locked(memcg, gfp, order, &locked))
		return true;
	mem_cgroup_oom_record(memcg, gfp, order);
	return false;
}
/* END LAB */

/*
 * memcg.oom=sync, Linux 6.1's mem_cgroup_oom(): the OOM killer here, in
 * the charge path of any caller; only oom_kill_disable, where the wait is
 * for user space and so without end, unwinds a fault first.
 */
static bool mem_cgroup_oom_sync(struct mem_cgroup *memcg, gfp_t gfp, int order)
{
	bool locked, ret;

	if (READ_ONCE(memcg->oom_kill_disable)) {
		if (current->in_user_fault)	/* the handler may need our mmap_lock: wait after the unwind */
			mem_cgroup_oom_record(memcg, gfp, order);
		return false;
	}
	mem_cgroup_mark_under_oom(memcg);
	locked = mem_cgroup_oom_trylock(memcg);
	if (locked)
		memcg1_oom_notify(memcg);
	mem_cgroup_unmark_under_oom(memcg);
	ret = mem_cgroup_out_of_memory(memcg, gfp, order);
	if (locked)
		mem_cgroup_oom_unlock(memcg);
	return ret;
}

/*
 * memcg is at its limit (memory.max, or v1's limit_in_bytes) and nothing
 * can be reclaimed: the memcg OOM, counted as Linux counts it. True: memory
 * should be back, try the charge again.
 */
static bool mem_cgroup_oom(struct mem_cgroup *memcg, gfp_t gfp, int order)
{
	memcg_memory_event(memcg, MEMCG_OOM);
	trace_mem_cgroup_oom(current->in_user_fault);
	switch (READ_ONCE(memcg_oom_mode)) {
	case MEMCG_OOM_TRAP:
		return mem_cgroup_oom_trap(memcg, gfp, order);
	case MEMCG_OOM_SYNC:
		return mem_cgroup_oom_sync(memcg, gfp, order);
	default:
		return mem_cgroup_oom_unwind(memcg, gfp, order);
	}
}

/*
 * The end of a fault that failed at memcg's limit, every lock dropped.
 * If the OOM lock is free and the OOM killer enabled, kill here (the
 * selection waits for an earlier victim rather than kill twice); then
 * sleep, killable, on the
 * OOM wait queue until memory comes back: an uncharge, a raised limit or
 * oom_kill_disable cleared wakes us. The fault is then retried.
 */
bool mem_cgroup_oom_synchronize(bool handle)
{
	struct mem_cgroup *memcg = READ_ONCE(current->memcg_in_oom);
	struct oom_wait_info owait;
	bool locked;

	if (!memcg)
		return false;
	if (!handle)
		goto cleanup;
	mem_cgroup_mark_under_oom(memcg);
	locked = mem_cgroup_oom_trylock(memcg);
	if (locked) {
		memcg1_oom_notify(memcg);
		if (!READ_ONCE(memcg->oom_kill_disable) && !mem_cgroup_margin(memcg))
			mem_cgroup_out_of_memory(memcg, current->memcg_oom_gfp_mask, current->memcg_oom_order);
	}
	/* Queued before the last look at the margin: an uncharge after it wakes us. */
	memcg_oom_prepare_wait(&owait, memcg, TASK_KILLABLE);
	if (!mem_cgroup_margin(memcg) && !task_is_dying())
		memcg_oom_schedule(__func__);
	finish_wait(&memcg_oom_waitq, &owait.wait);
	mem_cgroup_unmark_under_oom(memcg);
	if (locked) {
		mem_cgroup_oom_unlock(memcg);
		memcg_oom_recover(memcg);	/* a contender may have missed the victim's uncharges */
	}
cleanup:
	WRITE_ONCE(current->memcg_in_oom, NULL);
	css_put(&memcg->css);
	return true;
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
	memcg->swap_high = PAGE_COUNTER_MAX;
	spin_lock_init(&memcg->event_list_lock);
	INIT_LIST_HEAD(&memcg->oom_notify);
	memcg1_css_init(memcg, parent);
	if (!parent)
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

/* memory.min, low, high, max, swap.high and swap.max: private is the field's offset in the mem_cgroup. */
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
 * to meet them. So do swap.high and swap.max: nothing is ever swapped.
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
 * memory.max: the new limit holds at once, for the next charges. Linux
 * then reclaims and, while the usage stays over, OOM-kills in the group;
 * with no reclaim, each round is the OOM ("oom" counted), and the write
 * returns when the usage fits, nothing more can be killed, or a signal
 * came. Between rounds it waits (killable) for the victim's memory, which
 * the OOM reaper or the victim's exit uncharges.
 */
static ssize_t memory_max_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	struct mem_cgroup *memcg = of_memcg(of);
	unsigned long max;
	int err = page_counter_memparse(strim(buf), "max", &max);

	if (err)
		return err;
	__atomic_exchange_n(&memcg->memory.max, max, __ATOMIC_SEQ_CST);
	memcg_oom_recover(memcg);	/* a raised limit ends the wait of its OOM */
	while (page_counter_read(&memcg->memory) > max && !signal_pending(current)) {
		memcg_memory_event(memcg, MEMCG_OOM);
		if (!mem_cgroup_out_of_memory(memcg, GFP_KERNEL, 0))
			break;
		memcg_oom_wait_usage(memcg, max);
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

/* ---- The memcg OOM: the report and the OOM killer's scope ---- */

#define K(pages) ((u64)(pages) << (PAGE_SHIFT - 10))

/* tasklist_lock held (css_set_lock nests inside it): is p in memcg or below? */
bool mem_cgroup_task_in_oom_scope(struct task_struct *p, struct mem_cgroup *memcg)
{
	unsigned long flags;
	bool in;

	spin_lock_irqsave(&css_set_lock, flags);
	in = mem_cgroup_is_descendant(mem_cgroup_from_task(p), memcg);
	spin_unlock_irqrestore(&css_set_lock, flags);
	return in;
}

/* The path of p's cgroup in the memory controller's hierarchy (Linux's task_cgroup()). */
static void task_memcg_path(struct task_struct *p, char *buf, size_t size)
{
	struct cgroup_root *root = memory_cgrp_subsys.root;
	unsigned long flags;

	spin_lock_irqsave(&css_set_lock, flags);
	struct cgroup *cgrp = p->cgroups.cgrp[root->hierarchy_id];
	if (cgroup_path(cgrp ? cgrp : &root->cgrp, buf, size) < 0)
		snprintf(buf, size, "?");
	spin_unlock_irqrestore(&css_set_lock, flags);
}

static void memcg_path(struct mem_cgroup *memcg, char *buf, size_t size)
{
	if (cgroup_path(memcg->css.cgroup, buf, size) < 0)
		snprintf(buf, size, "?");
}

int mem_cgroup_print_oom_context(char *buf, size_t size, struct mem_cgroup *memcg, struct task_struct *p)
{
	char oom_path[64], task_path[64];
	int n;

	if (memcg)
		memcg_path(memcg, oom_path, sizeof(oom_path));
	if (p)
		task_memcg_path(p, task_path, sizeof(task_path));
	n = memcg ? snprintf(buf, size, ",oom_memcg=%s", oom_path) : snprintf(buf, size, ",global_oom");
	if (p && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, ",task_memcg=%s", task_path);
	return n;
}

/*
 * Linux prints memory.stat as one record, and its syslog reader (dmesg)
 * gives each line the prefix "<6>[    T.TTTTTT] " and shows what fits in
 * 1024 bytes: the first thirty-odd lines. Folio prints them as lines of
 * their own, the same ones.
 */
#define OOM_STAT_RECORD_MAX 1024
#define OOM_STAT_PREFIX_LEN 18

static void mem_cgroup_print_oom_stat(struct mem_cgroup *memcg)
{
	size_t shown = 0;
	char line[80];

	for (unsigned int i = 0; i < ARRAY_SIZE(memory_stats); i++) {
		int len = snprintf(line, sizeof(line), "%s %llu", memory_stats[i].name,
				   memcg_stat_value(memcg, memory_stats[i].idx, false));
		if (shown + OOM_STAT_PREFIX_LEN + len + 2 > OOM_STAT_RECORD_MAX)
			break;
		shown += OOM_STAT_PREFIX_LEN + len + 1;
		pr_info("%s\n", line);
	}
}

/* The memory cgroup's part of the OOM report (for dump_header()), oom_lock held. */
void mem_cgroup_print_oom_meminfo(struct mem_cgroup *memcg)
{
	char path[64];

	pr_info("memory: usage %llukB, limit %llukB, failcnt %lu\n", K(page_counter_read(&memcg->memory)),
		K(READ_ONCE(memcg->memory.max)), READ_ONCE(memcg->memory.failcnt));
	if (cgroup_on_dfl(memcg->css.cgroup)) {
		pr_info("swap: usage 0kB, limit %llukB, failcnt 0\n", K(READ_ONCE(memcg->swap_max)));
	} else {	/* v1 counts memory+swap (no swap: the same usage) and kernel memory, without limits */
		pr_info("memory+swap: usage %llukB, limit %llukB, failcnt 0\n", K(page_counter_read(&memcg->memory)),
			K(PAGE_COUNTER_MAX));
		pr_info("kmem: usage %llukB, limit %llukB, failcnt 0\n", K(memcg_page_state(memcg, MEMCG_KMEM, false)),
			K(PAGE_COUNTER_MAX));
	}
	memcg_path(memcg, path, sizeof(path));
	pr_info("Memory cgroup stats for %s:\n", path);
	mem_cgroup_print_oom_stat(memcg);
}

/*
 * memory.oom.group: the highest group from the victim's up to the OOM's
 * (the root for a global OOM) that asks for its tasks to die together,
 * referenced; NULL if none, or in v1, which has no such file.
 */
struct mem_cgroup *mem_cgroup_get_oom_group(struct task_struct *victim, struct mem_cgroup *oom_domain)
{
	struct mem_cgroup *memcg, *oom_group = NULL;
	unsigned long flags;

	if (!cgroup_on_dfl(root_mem_cgroup->css.cgroup))
		return NULL;
	if (!oom_domain)
		oom_domain = root_mem_cgroup;
	spin_lock_irqsave(&css_set_lock, flags);
	memcg = mem_cgroup_from_task(victim);
	/* A victim moved out of the OOM's subtree meanwhile: killing its group would reach outside. */
	if (!mem_cgroup_is_root(memcg) && mem_cgroup_is_descendant(memcg, oom_domain)) {
		for (; memcg; memcg = parent_mem_cgroup(memcg)) {
			if (READ_ONCE(memcg->oom_group))
				oom_group = memcg;
			if (memcg == oom_domain)
				break;
		}
	}
	if (oom_group)
		css_get(&oom_group->css);
	spin_unlock_irqrestore(&css_set_lock, flags);
	return oom_group;
}

void mem_cgroup_print_oom_group(struct mem_cgroup *memcg)
{
	char path[64];

	memcg_path(memcg, path, sizeof(path));
	pr_info("Tasks in %s are going to be killed due to memory.oom.group set\n", path);
}

void mem_cgroup_put(struct mem_cgroup *memcg)
{
	css_put(&memcg->css);
}

/* An OOM kill (oom_kill) counted where the victim's memory is charged: its mm owner's group. */
void memcg_memory_event_mm(struct mm_struct *mm, enum memcg_memory_event event)
{
	unsigned long flags;

	spin_lock_irqsave(&css_set_lock, flags);
	struct task_struct *owner = READ_ONCE(mm->owner);
	if (owner)
		memcg_memory_event(mem_cgroup_from_task(owner), event);
	spin_unlock_irqrestore(&css_set_lock, flags);
}

void mem_cgroup_count_oom_group_kill(struct mem_cgroup *memcg)
{
	memcg_memory_event(memcg, MEMCG_OOM_GROUP_KILL);
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

/* memory.swap.events: with nothing ever swapped, no swap limit is ever met. */
static int memory_swap_events_show(struct seq_file *m, void *v)
{
	seq_puts(m, "high 0\nmax 0\nfail 0\n");
	return 0;
}

/*
 * memory.reclaim: reclaim this many bytes from the group ("0" asks for
 * nothing and succeeds). Folio has no reclaim, so any real request finds
 * nothing to take: EAGAIN, Linux's answer when its retries give up.
 */
static ssize_t memory_reclaim_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	unsigned long nr_pages;
	int err = page_counter_memparse(strim(buf), "", &nr_pages);

	if (err)
		return err;
	if (nr_pages && signal_pending(current))
		return -EINTR;
	return nr_pages ? -EAGAIN : (ssize_t)nbytes;
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
	{ .name = "memory.reclaim", .write = memory_reclaim_write },
	{ .name = "memory.swap.current", .flags = CFTYPE_NOT_ON_ROOT, .read_u64 = memory_swap_current_read },
	{ .name = "memory.swap.high", .flags = CFTYPE_NOT_ON_ROOT, .private = LIMIT(swap_high),
	  .seq_show = memory_limit_show, .write = memory_limit_write },
	{ .name = "memory.swap.max", .flags = CFTYPE_NOT_ON_ROOT, .private = LIMIT(swap_max),
	  .seq_show = memory_limit_show, .write = memory_limit_write },
	{ .name = "memory.swap.events", .flags = CFTYPE_NOT_ON_ROOT, .seq_show = memory_swap_events_show },
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
