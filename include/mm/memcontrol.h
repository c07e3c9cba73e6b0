/*
 * The memory controller (Linux: include/linux/memcontrol.h): every page a
 * task's memory cgroup is charged for, counted against the limits of the
 * group and each of its ancestors. mm/memcontrol.c explains the charging;
 * docs/memcg.md the whole story.
 *
 * What is charged, and to whom:
 *   - user pages (a fault's new page, a copy-on-write copy, shared
 *     anonymous memory, the data pages of ramfs and tmpfs files) to the
 *     memory cgroup of the mm's owner (mm->owner; the writer's for files):
 *     mem_cgroup_charge();
 *   - kernel memory allocated for a task: user page tables (__GFP_ACCOUNT)
 *     and kernel stacks, to current's memory cgroup: __memcg_kmem_charge_page().
 *     Linux charges neither kind of kernel memory to the root.
 * A charged page remembers its group in page->memcg_data and holds a
 * reference on it; the charge goes when the page is freed
 * (mem_cgroup_uncharge() from __free_pages()), wherever that happens:
 * unmap, exit, copy-on-write, truncation, the end of a task or page table.
 * Moving a task does not move its charges.
 *
 * Locking: the counters and statistics are atomics; page->memcg_data is set
 * once by whoever charges the new page, before anyone else can see it, and
 * cleared by whoever frees it last. Finding a task's group takes
 * css_set_lock (kernel/cgroup.h).
 */
#ifndef _MM_MEMCONTROL_H
#define _MM_MEMCONTROL_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/cgroup.h>
#include <mm/page_counter.h>
#include <mm/vmstat.h>
#include <mm/mm_types.h>
#include <kernel/sched.h>

struct mm_struct;
struct task_struct;

/* Statistics of a group beyond the node_stat_items (Linux's memcg_stat_item). */
enum memcg_stat_item {
	MEMCG_KMEM = NR_VM_NODE_STAT_ITEMS,	/* kernel pages charged: page tables, stacks */
	MEMCG_NR_STAT
};

/* Counted events: the vm_event_items, then the group's own (v1's pgpgin and pgpgout). */
enum memcg_event_item {
	MEMCG_PGPGIN = NR_VM_EVENT_ITEMS,	/* pages charged (user pages) */
	MEMCG_PGPGOUT,				/* and uncharged */
	MEMCG_NR_EVENTS
};

/* memory.events, in the order the file shows them. */
enum memcg_memory_event {
	MEMCG_LOW,
	MEMCG_HIGH,
	MEMCG_MAX,
	MEMCG_OOM,
	MEMCG_OOM_KILL,
	MEMCG_OOM_GROUP_KILL,
	MEMCG_NR_MEMORY_EVENTS
};

struct mem_cgroup {
	struct cgroup_subsys_state css;
	struct page_counter memory;		/* usage and limits, in pages */
	unsigned long swap_max;			/* memory.swap.max, kept: Folio never swaps */
	unsigned long swap_high;		/* memory.swap.high, kept likewise */
	int oom_group;				/* memory.oom.group; cgroup_mutex */
	bool oom_kill_disable;			/* v1's memory.oom_control; cgroup_mutex */
	/*
	 * v1's other settings (cgroup_mutex). memsw_max never binds before
	 * memory.max (it is never below it, and with no swap the usage of
	 * memory+swap is that of memory), so only the files see it. The rest
	 * are kept for whoever reads them back: nothing is ever swapped or
	 * reclaimed, and charges stay where they were made.
	 */
	unsigned long memsw_max;		/* memory.memsw.limit_in_bytes, pages */
	unsigned long soft_limit;		/* memory.soft_limit_in_bytes, pages */
	unsigned int swappiness;		/* memory.swappiness */
	unsigned int move_charge_at_immigrate;	/* memory.move_charge_at_immigrate */
	/*
	 * The memcg OOM (mm/memcontrol.c, "The memcg OOM"): oom_lock is held
	 * by the one task handling an OOM of this group's subtree, and
	 * oom_locked_below counts holders among its descendants (both under
	 * memcg_oom_lock); under_oom counts tasks at this group's OOM (v1's
	 * under_oom shows it for the group and its descendants).
	 */
	bool oom_lock;
	int oom_locked_below;
	int under_oom;				/* atomic */
	/* Statistics (atomics): the group's own pages, and with its descendants'. */
	long vmstats_local[MEMCG_NR_STAT];
	long vmstats[MEMCG_NR_STAT];
	unsigned long events_local[MEMCG_NR_EVENTS];
	unsigned long events[MEMCG_NR_EVENTS];
	/* memory.events.local, and memory.events (counted up the tree in v2). */
	unsigned long memory_events_local[MEMCG_NR_MEMORY_EVENTS];
	unsigned long memory_events[MEMCG_NR_MEMORY_EVENTS];
	/* v1: eventfds registered through cgroup.event_control for OOM notification. */
	spinlock_t event_list_lock;
	struct list_head oom_notify;
};

/* page->memcg_data: the group, with this bit for kernel memory. */
#define MEMCG_DATA_KMEM 2UL
#define MEMCG_DATA_FLAGS 3UL

/*
 * Linux charges 64 pages at a time and checks memory.high once per batch;
 * Folio charges page by page and throttles a task once it has charged
 * this many pages over memory.high, so the penalty per page is Linux's.
 */
#define MEMCG_CHARGE_BATCH 64U

extern struct mem_cgroup *root_mem_cgroup;
extern struct cgroup_subsys memory_cgrp_subsys;

static inline struct mem_cgroup *mem_cgroup_from_css(struct cgroup_subsys_state *css)
{
	return css ? container_of(css, struct mem_cgroup, css) : NULL;
}
static inline bool mem_cgroup_is_root(struct mem_cgroup *memcg)
{
	return memcg == root_mem_cgroup;
}
static inline struct mem_cgroup *parent_mem_cgroup(struct mem_cgroup *memcg)
{
	return mem_cgroup_from_css(memcg->css.parent);
}
/* The group a page is charged to, or NULL. */
static inline struct mem_cgroup *page_memcg(const struct page *page)
{
	return (struct mem_cgroup *)(READ_ONCE(page->memcg_data) & ~MEMCG_DATA_FLAGS);
}

/*
 * The group charged for mm's pages (its owner's), referenced. For mm NULL:
 * current's active group if it set one, else its mm's, else the root.
 */
struct mem_cgroup *get_mem_cgroup_from_mm(struct mm_struct *mm);

/*
 * Until undone (with the value returned), current's kernel memory, and
 * pages it charges with no mm to go by, go to memcg (Linux's
 * set_active_memcg(): a kernel thread working for a group charges it).
 * The caller keeps memcg alive meanwhile.
 */
static inline struct mem_cgroup *set_active_memcg(struct mem_cgroup *memcg)
{
	struct mem_cgroup *old = current->active_memcg;

	current->active_memcg = memcg;
	return old;
}

/* Charge a new user page to mm's group: 0, or -ENOMEM at the limit. */
int mem_cgroup_charge(struct page *page, struct mm_struct *mm, gfp_t gfp);
/* Charge a new kernel page (of 2^order) to current's group: 0 or -ENOMEM. */
int __memcg_kmem_charge_page(struct page *page, gfp_t gfp, int order);
/* The page (of 2^order) is being freed: its group gets the charge back. */
void mem_cgroup_uncharge(struct page *page, unsigned int order);

/* A statistic of a charged page's group and of the node (Linux's name); the node's alone for others. */
void mod_lruvec_page_state(struct page *page, enum node_stat_item idx, int val);
/* An event of mm (a fault: memory.stat's pgfault) counted in its group. */
void count_memcg_event_mm(struct mm_struct *mm, enum vm_event_item idx);

/* A statistic in pages (idx: memcg_stat_item or node_stat_item) or an event count; local: the group's own. */
unsigned long memcg_page_state(struct mem_cgroup *memcg, int idx, bool local);
unsigned long memcg_events(struct mem_cgroup *memcg, int idx, bool local);

/* On the way back to user mode: the penalty for having charged over memory.high. */
void mem_cgroup_handle_over_high(void);

/*
 * The memcg OOM, chosen at boot with memcg.oom=: unwind (the default), trap
 * or sync (docs/memcg.md tells each one's story).
 */
enum memcg_oom_mode { MEMCG_OOM_UNWIND, MEMCG_OOM_TRAP, MEMCG_OOM_SYNC };
extern enum memcg_oom_mode memcg_oom_mode;

/*
 * The end of a user fault that failed at a memory cgroup's limit
 * (current->memcg_in_oom), holding no lock: wait for the OOM to be
 * resolved (handle), or just forget it (!handle). False if the fault did
 * not fail at a memcg's limit.
 */
bool mem_cgroup_oom_synchronize(bool handle);
/* Is memcg, or an ancestor, at an OOM (v1's under_oom)? */
bool mem_cgroup_under_oom(struct mem_cgroup *memcg);
/* Memory may be back in memcg (a limit raised, oom_kill_disable cleared): wake its OOM waiters. */
void memcg_oom_recover(struct mem_cgroup *memcg);
/* An event of memory.events counted in the group mm is charged to (its owner's), e.g. oom_kill. */
void memcg_memory_event_mm(struct mm_struct *mm, enum memcg_memory_event event);
/* Is memcg root, or below it in the hierarchy? */
bool mem_cgroup_is_descendant(struct mem_cgroup *memcg, struct mem_cgroup *root);

#endif
