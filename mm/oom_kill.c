/*
 * The OOM killer (Linux: mm/oom_kill.c): how it ranks tasks,
 * oom_badness(), which /proc/PID/oom_score shows, and its settings
 * vm.panic_on_oom, vm.oom_kill_allocating_task and vm.oom_dump_tasks
 * (their /proc/sys entries are in kernel/sysctl.c).
 *
 * The score is Linux 6.1's: the pages the process's mm holds (rss) plus
 * its page tables, plus oom_score_adj thousandths of all memory, so +1000
 * ranks a task above everything and -1000 exempts it. Folio has no swap,
 * so swap entries add nothing.
 *
 * Locking: the mm is read under task_lock() of the thread that has it
 * (find_lock_task_mm()), so it cannot be dropped meanwhile; the thread
 * group is walked under tasklist_lock (order: tasklist_lock -> task_lock).
 * The counters read are atomics.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <mm/mm.h>
#include <mm/oom.h>
#include <kernel/sysctl.h>

int sysctl_panic_on_oom;
int sysctl_oom_kill_allocating_task;
int sysctl_oom_dump_tasks = 1;

struct ctl_table oom_sysctls[] = {
	{ .procname = "panic_on_oom", .data = &sysctl_panic_on_oom, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_minmax, .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_TWO },
	{ .procname = "oom_kill_allocating_task", .data = &sysctl_oom_kill_allocating_task,
	  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "oom_dump_tasks", .data = &sysctl_oom_dump_tasks, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec },
	{ .procname = NULL },
};

struct task_struct *find_lock_task_mm(struct task_struct *p)
{
	struct task_struct *leader = p->group_leader, *t = leader, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	do {
		task_lock(t);
		if (t->mm) {
			found = t;
			break;
		}
		task_unlock(t);
		t = list_entry(t->thread_group.next, struct task_struct, thread_group);
	} while (t != leader);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

/* pid 1 and kernel threads are never chosen. */
static bool oom_unkillable_task(struct task_struct *p)
{
	return p->tgid == 1 || (p->flags & PF_KTHREAD);
}

/* A vfork child still running on its parent's mm: killing it would not free that memory. */
static bool in_vfork(struct task_struct *p)
{
	struct task_struct *parent = READ_ONCE(p->parent);

	return READ_ONCE(p->vfork_done) && parent && READ_ONCE(parent->mm) == p->mm;
}

long oom_badness(struct task_struct *p, unsigned long totalpages)
{
	long points, adj;

	if (oom_unkillable_task(p))
		return LONG_MIN;
	p = find_lock_task_mm(p);
	if (!p)
		return LONG_MIN;
	adj = READ_ONCE(p->signal->oom_score_adj);
	if (adj == OOM_SCORE_ADJ_MIN || mm_flags_test(p->mm, MMF_OOM_SKIP) || in_vfork(p)) {
		task_unlock(p);
		return LONG_MIN;
	}
	points = get_mm_rss(p->mm) + mm_pgtables_bytes(p->mm) / PAGE_SIZE;
	task_unlock(p);
	adj *= totalpages / 1000;	/* oom_score_adj is in thousandths of memory */
	return points + adj;
}
