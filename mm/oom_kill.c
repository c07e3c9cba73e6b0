/*
 * The OOM killer and the OOM reaper (Linux: mm/oom_kill.c).
 *
 * When an allocation cannot be satisfied, the page allocator's slow path
 * (mm/page_alloc.c) calls out_of_memory() under oom_lock. It lets a dying
 * allocator finish with the reserves, panics if vm.panic_on_oom says so,
 * kills the allocating task if vm.oom_kill_allocating_task says so, and
 * otherwise chooses the process with the highest badness: rss pages + page
 * tables + oom_score_adj thousandths of all memory (oom_badness(), which
 * /proc/PID/oom_score shows too; Folio has no swap). It prints Linux's
 * report, kills the victim with SIGKILL, marks it (TIF_MEMDIE, its mm
 * pinned in signal->oom_mm), kills every other process sharing its mm, and
 * hands it to the reaper.
 *
 * The oom_reaper thread frees a victim's anonymous and private memory
 * while the victim itself may be stuck, then marks the mm MMF_OOM_SKIP and
 * clears TIF_MEMDIE, so that the killer may move on. It pins the mm by
 * mm_count (signal->oom_mm), never by mm_users: the mm stays reachable even
 * after the victim's last mmput(), and exit_mmap() synchronises with the
 * reaper through MMF_OOM_SKIP and a dummy mmap_write_lock() (mm/mmap.c).
 * docs/oom.md tells the story of each design; docs/oom-model/oom.pml is
 * the same dance in Promela, step for step ("model:" comments name them).
 *
 * Boot parameters bring back the code as it was before each fix:
 * oom_reaper=0 (no reaper: before 2016), oom_reaper.mmget=1 (the reaper pins
 * with mmget_not_zero(): before the 2017 handshake), oom_reaper.keep_memdie=1
 * (TIF_MEMDIE kept after reaping, and TIF_MEMDIE rather than MMF_OOM_SKIP
 * holds the killer back: before 2016).
 *
 * Lock order (who may take what while holding what):
 *   oom_lock (mutex)  ->  tasklist_lock (spinlock, irqsave)  ->  task_lock(p)
 *                                                            ->  sighand->siglock
 *   oom_reaper_lock (spinlock, irqsave): the reaper's queue; innermost.
 *   The reaper takes oom_lock, then mmap_lock for reading and with a
 *   trylock only, so a victim holding mmap_lock (or waiting for it) never
 *   blocks it; it sleeps between attempts holding nothing. Nothing here sleeps under a
 *   spinlock: the report is printed under tasklist_lock, but printk does not
 *   sleep.
 * What guards what:
 *   oom_lock           one OOM at a time: selection, the kill and the report.
 *   tasklist_lock      the task list walked by selection, the task dump and
 *                      the search for processes sharing the victim's mm.
 *   task_lock(p)       p->mm: a victim is marked only while its ->mm is seen
 *                      non-NULL under this lock (mark_oom_victim()).
 *   atomics            oom_victims, TIF_MEMDIE, mm->flags (MMF_OOM_SKIP with
 *                      release/acquire order), signal->oom_mm (set once with
 *                      a compare-and-swap, read with READ_ONCE()).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/sched/mm.h>
#include <kernel/sched/debug.h>
#include <kernel/kthread.h>
#include <kernel/wait.h>
#include <kernel/timer.h>
#include <kernel/time.h>
#include <kernel/cmdline.h>
#include <kernel/trace.h>
#include <kernel/delay_point.h>
#include <kernel/sysctl.h>
#include <uapi/errno.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <mm/oom.h>
#include <mm/vmstat.h>
#include <mm/memcontrol.h>

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

DEFINE_MUTEX(oom_lock);
int oom_victims;			/* atomic: tasks with TIF_MEMDIE */
static unsigned long oom_progress_seq = 1;	/* atomic: bumped at each victim's progress */
static DECLARE_WAIT_QUEUE_HEAD(oom_victims_wait);

bool oom_reaper_enabled = true;
bool oom_reaper_mmget;
bool oom_reaper_keep_memdie;

/* ------------------------------------------------------------ boot parameters */

static int parse_bool01(char *val, bool *out)
{
	if (strcmp(val, "0") && strcmp(val, "1"))
		return -EINVAL;
	*out = val[0] == '1';
	return 0;
}
static int oom_reaper_setup(char *val) { return parse_bool01(val, &oom_reaper_enabled); }
static int oom_reaper_mmget_setup(char *val) { return parse_bool01(val, &oom_reaper_mmget); }
static int oom_reaper_keep_memdie_setup(char *val) { return parse_bool01(val, &oom_reaper_keep_memdie); }
__setup("oom_reaper=", oom_reaper_setup);
__setup("oom_reaper.mmget=", oom_reaper_mmget_setup);
__setup("oom_reaper.keep_memdie=", oom_reaper_keep_memdie_setup);

/* ------------------------------------------------------------ ranking */

/* tasklist_lock held: a thread of p's process that has an mm, returned with its task_lock held. */
static struct task_struct *__find_lock_task_mm(struct task_struct *p)
{
	struct task_struct *leader = p->group_leader, *t = leader;

	do {
		task_lock(t);
		if (t->mm)
			return t;
		task_unlock(t);
		t = list_entry(t->thread_group.next, struct task_struct, thread_group);
	} while (t != leader);
	return NULL;
}

struct task_struct *find_lock_task_mm(struct task_struct *p)
{
	struct task_struct *found;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	found = __find_lock_task_mm(p);
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

/* The badness of p, a thread with an mm whose task_lock the caller holds. */
static long __oom_badness(struct task_struct *p, unsigned long totalpages)
{
	long points, adj = READ_ONCE(p->signal->oom_score_adj);

	if (adj == OOM_SCORE_ADJ_MIN || mm_flags_test(p->mm, MMF_OOM_SKIP) || in_vfork(p))
		return LONG_MIN;
	points = get_mm_rss(p->mm) + mm_pgtables_bytes(p->mm) / PAGE_SIZE;
	adj *= totalpages / 1000;	/* oom_score_adj is in thousandths of memory */
	return points + adj;
}

long oom_badness(struct task_struct *p, unsigned long totalpages)
{
	long points;

	if (oom_unkillable_task(p))
		return LONG_MIN;
	p = find_lock_task_mm(p);
	if (!p)
		return LONG_MIN;
	points = __oom_badness(p, totalpages);
	task_unlock(p);
	return points;
}

/* ------------------------------------------------------------ the victim's marks */

bool oom_reserves_allowed(struct task_struct *tsk)
{
	return test_tsk_thread_flag(tsk, TIF_MEMDIE) || fatal_signal_pending(tsk);
}

unsigned long oom_victims_seq(void)
{
	return __atomic_load_n(&oom_progress_seq, __ATOMIC_ACQUIRE);
}

/* Something an OOM waits for happened: wake whoever sleeps in oom_wait_for_victims(). */
static void oom_victims_progress(void)
{
	__atomic_add_fetch(&oom_progress_seq, 1, __ATOMIC_RELEASE);
	wake_up_all(&oom_victims_wait);
}

void oom_victim_mm_unmapped(void)
{
	oom_victims_progress();
}

/*
 * The allocator's wait for an earlier victim (after select_bad_process()
 * declined to choose a second one), holding no lock. TASK_UNINTERRUPTIBLE
 * and without a timeout, so a wait that never ends is a task that never
 * runs again: the hung-task detector reports it, as the keep_memdie mode's
 * scenario needs. (Linux instead retries the allocation at once, a task
 * that stays runnable; a livelock there is seen as CPU time, not a report.)
 */
void oom_wait_for_victims(unsigned long seq)
{
	wait_event(oom_victims_wait, oom_victims_seq() != seq);
}

/*
 * Mark tsk as an OOM victim: access to the reserves (TIF_MEMDIE), and its
 * mm pinned in signal->oom_mm with mmgrab() for the reaper and for
 * selection (tsk_is_oom_victim()). Called under task_lock(tsk) with
 * tsk->mm non-NULL: the mm cannot have reached its last mmput() yet
 * (exit_mm() clears ->mm under the same lock before mmput()), so exit_mmap()
 * runs after this and sees MMF_OOM_VICTIM. model: oom_kill_victim().
 */
void mark_oom_victim(struct task_struct *tsk)
{
	struct mm_struct *mm = tsk->mm;

	if (test_and_set_tsk_thread_flag(tsk, TIF_MEMDIE))
		return;
	/* oom_mm lives as long as the signal_struct (put_signal() drops the pin); set once. */
	if (__sync_bool_compare_and_swap(&tsk->signal->oom_mm, NULL, mm)) {
		mmgrab(mm);
		mm_flags_set(mm, MMF_OOM_VICTIM);
	}
	__atomic_add_fetch(&oom_victims, 1, __ATOMIC_RELAXED);
	trace_mark_victim(tsk, 0);
	oom_victims_progress();	/* a waiter that is itself the victim retries with the reserves */
}

void exit_oom_victim(struct task_struct *tsk)
{
	if (!test_and_clear_tsk_thread_flag(tsk, TIF_MEMDIE))
		return;
	trace_exit_oom_victim(tsk->pid);
	__atomic_sub_fetch(&oom_victims, 1, __ATOMIC_RELAXED);
	oom_victims_progress();
}

/* ------------------------------------------------------------ the scope and the walk */

/* Is p's process one this OOM may look at? A global OOM: every process. */
static bool oom_task_in_scope(struct task_struct *p, struct oom_control *oc)
{
	return !is_memcg_oom(oc) || mem_cgroup_task_in_oom_scope(p, oc->memcg);
}

/*
 * The task-iteration hook of selection and the task dump: fn(p, oc) for
 * every process in oc's scope, under tasklist_lock, until fn returns
 * non-zero.
 */
static void oom_scan_tasks(struct oom_control *oc, int (*fn)(struct task_struct *, struct oom_control *))
{
	struct task_struct *p;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p != p->group_leader || !oom_task_in_scope(p, oc))
			continue;
		if (fn(p, oc))
			break;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* Is an earlier victim's memory still on its way back, so that choosing another would be spurious? */
static bool oom_victim_blocks_selection(struct task_struct *task)
{
	struct task_struct *t = task;
	struct mm_struct *oom_mm;

	if (oom_reaper_keep_memdie) {	/* before 2016: any thread with TIF_MEMDIE blocks */
		do {
			if (test_tsk_thread_flag(t, TIF_MEMDIE))
				return true;
			t = list_entry(t->thread_group.next, struct task_struct, thread_group);
		} while (t != task);
		return false;
	}
	oom_mm = READ_ONCE(task->signal->oom_mm);
	return oom_mm && !mm_flags_test(oom_mm, MMF_OOM_SKIP);
}

/* Linux's oom_evaluate_task(): 1 aborts the scan (an earlier victim still blocks it). */
static int oom_evaluate_task(struct task_struct *task, struct oom_control *oc)
{
	struct task_struct *p;
	long points;

	if (oom_unkillable_task(task))
		return 0;
	/*
	 * model: select_aborts. The victim's mm lacks MMF_OOM_SKIP until the
	 * reaper or exit_mmap() is done with it: wait for that rather than kill
	 * a second task. SysRq f kills regardless, as on Linux.
	 */
	if (!is_sysrq_oom(oc) && oom_victim_blocks_selection(task)) {
		if (oc->chosen)
			put_task_struct(oc->chosen);
		oc->chosen = OOM_ABORT_SELECTION;
		return 1;
	}
	p = __find_lock_task_mm(task);
	if (!p)
		return 0;
	points = __oom_badness(p, oc->totalpages);
	task_unlock(p);
	if (points == LONG_MIN || points < oc->chosen_points)
		return 0;
	if (oc->chosen)
		put_task_struct(oc->chosen);
	get_task_struct(task);
	oc->chosen = task;
	oc->chosen_points = points;
	return 0;
}

void select_bad_process(struct oom_control *oc)
{
	oc->chosen = NULL;
	oc->chosen_points = LONG_MIN;
	oom_scan_tasks(oc, oom_evaluate_task);
}

/* ------------------------------------------------------------ the report */

/* One row of the task table, Linux's columns and widths; uid is always 0 in Folio. */
static int dump_task(struct task_struct *p, struct oom_control *oc)
{
	struct task_struct *task;

	if (oom_unkillable_task(p))
		return 0;
	task = __find_lock_task_mm(p);
	if (!task)
		return 0;	/* it has exited: its memory is gone, nothing to show */
	pr_info("[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s\n", task->pid, 0, task->tgid,
		task->mm->total_vm, get_mm_rss(task->mm), (long)mm_pgtables_bytes(task->mm), 0UL,
		task->signal->oom_score_adj, task->comm);
	task_unlock(task);
	return 0;
}

static void dump_tasks(struct oom_control *oc)
{
	pr_info("Tasks state (memory values in pages):\n");
	pr_info("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
	oom_scan_tasks(oc, dump_task);
}

static const char *const oom_constraint_text[] = {
	[CONSTRAINT_NONE] = "CONSTRAINT_NONE",
	[CONSTRAINT_CPUSET] = "CONSTRAINT_CPUSET",
	[CONSTRAINT_MEMORY_POLICY] = "CONSTRAINT_MEMORY_POLICY",
	[CONSTRAINT_MEMCG] = "CONSTRAINT_MEMCG",
};

static void dump_oom_summary(struct oom_control *oc, struct task_struct *victim)
{
	char ctx[160];

	mem_cgroup_print_oom_context(ctx, sizeof(ctx), oc->memcg, victim);
	pr_info("oom-kill:constraint=%s,nodemask=(null),cpuset=/,mems_allowed=0%s,task=%s,pid=%d,uid=%d\n",
		oom_constraint_text[oc->constraint], ctx, victim->comm, victim->pid, 0);
}

void dump_header(struct oom_control *oc, struct task_struct *p)
{
	char flags[160];

	format_gfp_flags(flags, sizeof(flags), oc->gfp_mask);
	pr_warn("%s invoked oom-killer: gfp_mask=%#x(%s), order=%d, oom_score_adj=%hd\n", current->comm,
		oc->gfp_mask, flags, oc->order, current->signal->oom_score_adj);
	dump_stack();
	if (is_memcg_oom(oc))
		mem_cgroup_print_oom_meminfo(oc->memcg);
	else
		show_mem();
	if (READ_ONCE(sysctl_oom_dump_tasks))
		dump_tasks(oc);
	if (p)
		dump_oom_summary(oc, p);
}

/* ------------------------------------------------------------ the kill */

#define K(pages) ((pages) << (PAGE_SHIFT - 10))

/* Is every thread of task's process on its way out? (Linux's __task_will_free_mem()) */
static bool __task_will_free_mem(struct task_struct *task)
{
	if (task->signal->flags & SIGNAL_GROUP_EXIT)
		return true;
	return task->signal->nr_threads <= 1 && (task->flags & PF_EXITING);
}

/*
 * Will task's memory go away without a kill: is it exiting, and so is
 * every other process using its mm? Then it only needs the reserves and
 * the reaper. tasklist_lock and task_lock(task) held.
 */
static bool task_will_free_mem(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;
	struct task_struct *p;

	if (!mm || !__task_will_free_mem(task) || mm_flags_test(mm, MMF_OOM_SKIP))
		return false;
	if (__atomic_load_n(&mm->mm_users, __ATOMIC_RELAXED) <= 1)
		return true;
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p->tgid == task->tgid || READ_ONCE(p->mm) != mm)
			continue;
		if (!__task_will_free_mem(p))
			return false;
	}
	return true;
}

/* If task is dying anyway, mark it a victim and queue it for the reaper: no kill needed. */
static bool oom_mark_dying(struct task_struct *task)
{
	unsigned long flags;
	bool dying;

	spin_lock_irqsave(&tasklist_lock, flags);
	task_lock(task);
	dying = task_will_free_mem(task);
	if (dying)
		mark_oom_victim(task);
	task_unlock(task);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (dying)
		wake_oom_reaper(task);
	return dying;
}

/*
 * Kill every other process using mm (CLONE_VM without CLONE_THREAD, a vfork
 * parent): the memory comes back only when all of them are gone. Init and a
 * -1000 process are spared; then the reaper must not take the memory from
 * under them: MMF_OOM_SKIP, and false (Linux's can_oom_reap).
 */
static bool oom_kill_mm_sharers(struct task_struct *victim, struct mm_struct *mm)
{
	bool can_oom_reap = true;
	struct task_struct *p;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p != p->group_leader || p->tgid == victim->tgid || (p->flags & PF_KTHREAD))
			continue;
		struct task_struct *t = __find_lock_task_mm(p);
		if (!t)
			continue;
		bool shares = t->mm == mm;
		task_unlock(t);
		if (!shares)
			continue;
		if (p->tgid == 1 || READ_ONCE(p->signal->oom_score_adj) == OOM_SCORE_ADJ_MIN) {
			can_oom_reap = false;
			mm_flags_set(mm, MMF_OOM_SKIP);
			pr_info("oom killer %d (%s) has mm pinned by %d (%s)\n", victim->pid, victim->comm, p->pid,
				p->comm);
			continue;
		}
		group_send_sig_locked(SIGKILL, p, 1);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return can_oom_reap;
}

/*
 * The kill itself, as one step under tasklist_lock and task_lock(victim):
 * find a thread that still has the mm, SIGKILL the process (before the
 * reserves are granted: its user code must not get to use them), mark it.
 * Holding task_lock keeps the victim from clearing ->mm meanwhile: a victim
 * is marked only while it still holds its mm_users (model: oom_kill_victim()).
 */
static void __oom_kill_process(struct task_struct *victim, const char *message)
{
	struct task_struct *p;
	struct mm_struct *mm;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = __find_lock_task_mm(victim);
	if (!p) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		pr_info("%s: OOM victim %d (%s) is already exiting. Skip killing the task\n", message,
			victim->pid, victim->comm);
		put_task_struct(victim);
		return;
	}
	get_task_struct(p);	/* the chosen thread may have dropped its mm: mark one that has it */
	mm = p->mm;
	mmgrab(mm);
	group_send_sig_locked(SIGKILL, p, 1);
	mark_oom_victim(p);
	count_vm_event(OOM_KILL);
	memcg_memory_event_mm(mm, MEMCG_OOM_KILL);
	pr_err("%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, "
	       "UID:%u pgtables:%lukB oom_score_adj:%hd\n", message, p->pid, p->comm,
	       K(mm->total_vm), K(get_mm_counter(mm, MM_ANONPAGES)), K(get_mm_counter(mm, MM_FILEPAGES)),
	       K(get_mm_counter(mm, MM_SHMEMPAGES)), 0, mm_pgtables_bytes(mm) >> 10, p->signal->oom_score_adj);
	task_unlock(p);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	put_task_struct(victim);
	if (oom_kill_mm_sharers(p, mm))
		wake_oom_reaper(p);
	mmdrop(mm);
	put_task_struct(p);
}

/*
 * Did an earlier victim make progress (unmap its memory, lose TIF_MEMDIE,
 * exit) since the caller last found memory short? Then its memory may be
 * back and a kill now would be spurious: the caller should retry. On one
 * CPU the victim runs exactly when the OOM killer is preempted between its
 * last-chance attempt and the kill (printing the report takes a while);
 * Linux makes the same check for a memory cgroup (its margin, under the
 * OOM lock) and not for a global OOM. Never for SysRq f.
 */
static bool oom_victims_progressed(struct oom_control *oc)
{
	return !is_sysrq_oom(oc) && oom_victims_seq() != oc->victims_seq;
}

/*
 * memory.oom.group: kill every process of group but init and -1000 ones,
 * the victim included once more (it is still a member, with its mm, and
 * Linux 6.1 kills and counts it again). One process at a time, in pid
 * order, each picked under tasklist_lock and killed without it.
 */
static void oom_kill_memcg_members(struct mem_cgroup *group, const char *message)
{
	pid_t last = 0;
	unsigned long flags;

	for (;;) {
		struct task_struct *p, *next = NULL;

		spin_lock_irqsave(&tasklist_lock, flags);
		list_for_each_entry(p, &init_task.tasks, tasks) {
			if (p != p->group_leader || p->tgid <= last || oom_unkillable_task(p) ||
			    READ_ONCE(p->signal->oom_score_adj) == OOM_SCORE_ADJ_MIN ||
			    !mem_cgroup_task_in_oom_scope(p, group))
				continue;
			if (!next || p->tgid < next->tgid)
				next = p;
		}
		if (next)
			get_task_struct(next);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (!next)
			return;
		last = next->tgid;
		__oom_kill_process(next, message);
	}
}

void oom_kill_process(struct oom_control *oc, const char *message)
{
	struct task_struct *victim = oc->chosen;
	struct mem_cgroup *oom_group;

	/* Already dying (it raced with us to exit): the reserves and the reaper are all it needs. */
	if (oom_mark_dying(victim)) {
		put_task_struct(victim);
		return;
	}
	dump_header(oc, victim);
	if (oom_victims_progressed(oc)) {
		pr_info("%s: memory came back while the report was printed: skip killing %d (%s)\n", message,
			victim->pid, victim->comm);
		put_task_struct(victim);
		return;
	}
	/* Chosen before the kill, while the victim is surely still in its group. */
	oom_group = mem_cgroup_get_oom_group(victim, oc->memcg);
	__oom_kill_process(victim, message);
	if (oom_group) {
		mem_cgroup_count_oom_group_kill(oom_group);
		mem_cgroup_print_oom_group(oom_group);
		oom_kill_memcg_members(oom_group, message);
		mem_cgroup_put(oom_group);
	}
}

/* vm.panic_on_oom: 2 panics on any OOM, 1 on a global one; never for SysRq f. */
static void check_panic_on_oom(struct oom_control *oc)
{
	int panic_on_oom = READ_ONCE(sysctl_panic_on_oom);

	if (!panic_on_oom)
		return;
	if (panic_on_oom != 2 && oc->constraint != CONSTRAINT_NONE)
		return;
	if (is_sysrq_oom(oc))
		return;
	dump_header(oc, NULL);
	panic("Out of memory: %s panic_on_oom is enabled\n", panic_on_oom == 2 ? "compulsory" : "system-wide");
}

/* vm.oom_kill_allocating_task: the allocator itself, if it may be killed. */
static bool oom_kill_allocating(struct oom_control *oc)
{
	struct task_struct *me = current;

	if (is_memcg_oom(oc) || !READ_ONCE(sysctl_oom_kill_allocating_task) || !me->mm ||
	    oom_unkillable_task(me) || READ_ONCE(me->signal->oom_score_adj) == OOM_SCORE_ADJ_MIN)
		return false;
	get_task_struct(me);
	oc->chosen = me;
	oom_kill_process(oc, "Out of memory (oom_kill_allocating_task)");
	return true;
}

bool out_of_memory(struct oom_control *oc)
{
	oc->chosen = NULL;
	if (!oc->victims_seq)
		oc->victims_seq = oom_victims_seq();
	/* A dying allocator frees its memory soon: give it the reserves and the reaper, kill nobody. */
	if (current->mm && oom_mark_dying(current))
		return true;
	/* GFP_NOFS and GFP_NOIO: a kill could not help a caller that must not recurse into the fs. */
	if (oc->gfp_mask && !(oc->gfp_mask & __GFP_FS) && !is_memcg_oom(oc))
		return true;
	oc->constraint = is_memcg_oom(oc) ? CONSTRAINT_MEMCG : CONSTRAINT_NONE;
	if (!is_memcg_oom(oc))
		oc->totalpages = totalram_pages;	/* + swap: Folio has none */
	check_panic_on_oom(oc);
	if (oom_kill_allocating(oc))
		return true;
	select_bad_process(oc);
	if (oc->chosen && oc->chosen != OOM_ABORT_SELECTION && oom_victims_progressed(oc)) {
		put_task_struct(oc->chosen);	/* retry first: memory may be back */
		oc->chosen = OOM_ABORT_SELECTION;
		return true;
	}
	if (!oc->chosen && oom_victims_progressed(oc))
		return true;	/* nothing left to kill, but a victim just freed memory: retry */
	if (!oc->chosen) {
		dump_header(oc, NULL);
		pr_warn("Out of memory and no killable processes...\n");
		if (!is_sysrq_oom(oc) && !is_memcg_oom(oc))
			panic("System is deadlocked on memory\n");
		return false;
	}
	if (oc->chosen != OOM_ABORT_SELECTION)
		oom_kill_process(oc, is_memcg_oom(oc) ? "Memory cgroup out of memory" : "Out of memory");
	return true;
}

/*
 * A user page fault that could not get memory ends here, after the fault
 * has unwound and dropped mmap_lock. A charge that failed at a memory
 * cgroup's limit (current->memcg_in_oom) is settled by
 * mem_cgroup_oom_synchronize(), which waits for the memcg's OOM to be
 * resolved, holding no lock. After a global OOM the OOM killer has already
 * done its work in the allocator (it killed someone, or this task is the
 * one dying). Either way the fault is retried when the task returns to
 * user mode, or the task dies of its SIGKILL on the way.
 */
void pagefault_out_of_memory(void)
{
	static unsigned long last_warned;

	if (mem_cgroup_oom_synchronize(true))
		return;
	if (fatal_signal_pending(current))
		return;
	if (time_after(jiffies, last_warned + 5 * HZ) || !last_warned) {
		last_warned = jiffies;
		pr_warn("Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF\n");
	}
}

/* ------------------------------------------------------------ the reaper */

#define MAX_OOM_REAP_RETRIES 10

static struct task_struct *oom_reaper_th;
static DECLARE_WAIT_QUEUE_HEAD(oom_reaper_wait);
static LIST_HEAD(oom_reaper_list);		/* victims to reap, each with a reference */
static DEFINE_SPINLOCK(oom_reaper_lock);	/* the list and each task's oom_reaper_node */

/*
 * Unmap what the victim alone can free at once: private and anonymous
 * memory. Not VM_LOCKED (mlock() promised it stays), not VM_SHARED (other
 * mms may map it), not special mappings. mmap_lock held for reading.
 */
static void __oom_reap_task_mm(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &mm->mmap, vm_list) {
		if (vma->vm_flags & (VM_LOCKED | VM_SPECIAL | VM_SHARED))
			continue;
		zap_page_range(vma, vma->vm_start, vma->vm_end);
	}
}

/*
 * One attempt on the victim's mm; false: try again later. The read lock is
 * taken with a trylock: a writer (the victim itself in mmap(), say, or a
 * task blocked with the lock held) must not block the reaper.
 *
 * The handshake with exit_mmap() (model: Reaper, NO_DUMMY_LOCK shows why):
 * exit_mmap() unmaps, sets MMF_OOM_SKIP, then takes mmap_lock for writing
 * once before it frees the page tables. Testing MMF_OOM_SKIP under the read
 * lock leaves two cases. Either the bit is set: exit_mmap() has unmapped and
 * may be freeing the page tables as soon as we drop the lock, so we touch
 * nothing. Or it is not: exit_mmap() has not reached the bit, so its write
 * lock waits until we drop the read lock, and the page tables we walk
 * stay until then.
 */
static bool oom_reap_task_mm(struct task_struct *tsk, struct mm_struct *mm)
{
	/* LAB reaper */
	/* LAB reaper STUB
	mmap_read_lock(mm);
	delay_point("oom_reap_task_mm_locked");
	*/
	if (!mmap_read_trylock(mm)) {
		trace_skip_task_reaping(tsk->pid);
		return false;
	}
	delay_point("oom_reap_task_mm_locked");
	if (mm_flags_test(mm, MMF_OOM_SKIP)) {
		trace_skip_task_reaping(tsk->pid);
		mmap_read_unlock(mm);
		return true;
	}
	/* END LAB */
	trace_start_task_reaping(tsk->pid);
	__oom_reap_task_mm(mm);
	pr_info("oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB\n",
		tsk->pid, tsk->comm, K(get_mm_counter(mm, MM_ANONPAGES)), K(get_mm_counter(mm, MM_FILEPAGES)),
		K(get_mm_counter(mm, MM_SHMEMPAGES)));
	delay_point("oom_reap_task_mm_unmapped");
	trace_finish_task_reaping(tsk->pid);
	mmap_read_unlock(mm);
	return true;
}

static bool oom_reap_task_mm_locked(struct task_struct *tsk, struct mm_struct *mm)
{
	bool done;

	mutex_lock(&oom_lock);
	done = oom_reap_task_mm(tsk, mm);
	mutex_unlock(&oom_lock);
	return done;
}

/* The give-up report: who holds mmap_lock, as lock debugging knows it (the writer, or the last reader). */
static void oom_reap_show_holder(struct task_struct *tsk, struct mm_struct *mm)
{
	struct task_struct *owner = READ_ONCE(mm->mmap_lock.owner);
	long count = READ_ONCE(mm->mmap_lock.count);

	pr_info("oom_reaper: unable to reap pid:%d (%s)\n", tsk->pid, tsk->comm);
	sched_show_task(tsk);
	if (count && owner)
		pr_info("1 lock held by %s/%d:\n #0: %px (&mm->mmap_lock){%s}\n", owner->comm, owner->pid,
			(void *)&mm->mmap_lock, count < 0 ? "++++" : "....");
}

/*
 * oom_reaper.mmget=1, the design before the 2017 handshake: the reaper
 * needs an mm_users reference. A victim stalled after its last mmput()
 * (mm_users 0) cannot be pinned: "the mm is going away", and the reaper
 * gives up on it at once, leaving its memory mapped. model: MMGET.
 */
static bool oom_reap_mmget(struct task_struct *tsk, struct mm_struct *mm)
{
	if (!mmget_not_zero(mm)) {
		pr_info("oom_reaper: pid:%d (%s): the mm is going away, nothing to reap\n", tsk->pid, tsk->comm);
		trace_skip_task_reaping(tsk->pid);
		return false;
	}
	return true;
}

static void oom_reap_task(struct task_struct *tsk)
{
	struct mm_struct *mm = READ_ONCE(tsk->signal->oom_mm);	/* pinned by mm_count: model: assert(!mm_freed) */
	int attempts = 0;
	bool pinned = true;

	delay_point("oom_reap_task_got_mm");
	/* LAB reaper */
	/* LAB reaper STUB
	pinned = oom_reap_mmget(tsk, mm);
	*/
	if (oom_reaper_mmget)
		pinned = oom_reap_mmget(tsk, mm);
	/* END LAB */
	/*
	 * oom_lock around each attempt and the final marks (Linux 4.9 to 4.18
	 * did the same): an allocator in out_of_memory() must not see the
	 * memory still mapped at its last-chance attempt and then, a moment
	 * later, MMF_OOM_SKIP set by us, and choose a second victim (or panic,
	 * finding none) with the first one's memory already free.
	 */
	while (pinned && attempts++ < MAX_OOM_REAP_RETRIES && !oom_reap_task_mm_locked(tsk, mm))
		schedule_timeout_idle(HZ / 10);
	if (attempts > MAX_OOM_REAP_RETRIES && !mm_flags_test(mm, MMF_OOM_SKIP))
		oom_reap_show_holder(tsk, mm);
	/*
	 * Reaped, or nobody can free more of it soon: hide the mm from the OOM
	 * killer so it may move on. The 2016 design also clears TIF_MEMDIE, so a
	 * victim stuck for good stops holding the killer hostage. model: done:.
	 */
	mutex_lock(&oom_lock);
	mm_flags_set(mm, MMF_OOM_SKIP);
	if (!oom_reaper_keep_memdie)
		exit_oom_victim(tsk);
	mutex_unlock(&oom_lock);
	oom_victims_progress();
	/* LAB reaper */
	/* LAB reaper STUB
	if (pinned)
		mmput(mm);
	*/
	if (pinned && oom_reaper_mmget)
		mmput(mm);	/* the reaper may be the last user: then exit_mmap() runs here */
	/* END LAB */
}

static struct task_struct *oom_reaper_dequeue(void)
{
	struct task_struct *tsk = NULL;
	unsigned long flags;

	spin_lock_irqsave(&oom_reaper_lock, flags);
	if (!list_empty(&oom_reaper_list)) {
		tsk = list_first_entry(&oom_reaper_list, struct task_struct, oom_reaper_node);
		list_del_init(&tsk->oom_reaper_node);
	}
	spin_unlock_irqrestore(&oom_reaper_lock, flags);
	return tsk;
}

static bool oom_reaper_has_work(void)
{
	/* A hint, read without the lock; oom_reaper_dequeue() decides under it. */
	return READ_ONCE(oom_reaper_list.next) != &oom_reaper_list;
}

static int oom_reaper(void *unused)
{
	for (;;) {
		struct task_struct *tsk;

		wait_event_idle(oom_reaper_wait, oom_reaper_has_work());
		tsk = oom_reaper_dequeue();
		if (!tsk)
			continue;
		oom_reap_task(tsk);
		put_task_struct(tsk);	/* wake_oom_reaper()'s reference */
	}
	return 0;
}

void wake_oom_reaper(struct task_struct *tsk)
{
	unsigned long flags;

	if (!oom_reaper_th)
		return;		/* oom_reaper=0: the victim frees its memory when it runs */
	spin_lock_irqsave(&oom_reaper_lock, flags);
	if (!list_empty(&tsk->oom_reaper_node)) {	/* already queued */
		spin_unlock_irqrestore(&oom_reaper_lock, flags);
		return;
	}
	get_task_struct(tsk);
	list_add_tail(&tsk->oom_reaper_node, &oom_reaper_list);
	spin_unlock_irqrestore(&oom_reaper_lock, flags);
	trace_wake_reaper(tsk->pid);
	wake_up(&oom_reaper_wait);
}

/* ------------------------------------------------------------ SysRq f */

static DECLARE_WAIT_QUEUE_HEAD(moom_wait);
static bool moom_pending;	/* atomic */

/* Linux's moom_callback(): a manual kill, order -1; nothing killable is no panic. */
static void moom_callback(void)
{
	struct oom_control oc = { .gfp_mask = GFP_KERNEL, .order = -1 };

	mutex_lock(&oom_lock);
	if (!out_of_memory(&oc))
		pr_info("OOM request ignored. No task eligible\n");
	mutex_unlock(&oom_lock);
}

static int moom_worker(void *unused)
{
	for (;;) {
		wait_event_idle(moom_wait, __atomic_load_n(&moom_pending, __ATOMIC_ACQUIRE));
		__atomic_store_n(&moom_pending, false, __ATOMIC_RELEASE);
		moom_callback();
	}
	return 0;
}

/* From the console's interrupt or /proc/sysrq-trigger: the kill needs process context and oom_lock. */
void sysrq_oom_kill(void)
{
	__atomic_store_n(&moom_pending, true, __ATOMIC_RELEASE);
	wake_up(&moom_wait);
}

/* ------------------------------------------------------------ boot */

static const char *oom_design_name(void)
{
	if (!oom_reaper_enabled)
		return "no OOM reaper (oom_reaper=0, Linux before 4.6)";
	if (oom_reaper_mmget)
		return "the reaper pins the mm with mmget_not_zero() (oom_reaper.mmget=1, Linux before 4.14)";
	if (oom_reaper_keep_memdie)
		return "TIF_MEMDIE kept after reaping (oom_reaper.keep_memdie=1, the first reaper of 2016)";
	return NULL;
}

void oom_init(void)
{
	const char *before = oom_design_name();

	if (before)
		pr_notice("oom: the OOM design before its fix: %s\n", before);
	if (oom_reaper_enabled) {
		oom_reaper_th = kthread_run(oom_reaper, NULL, "oom_reaper");
		if (IS_ERR(oom_reaper_th)) {
			pr_err("oom: cannot start the oom_reaper thread\n");
			oom_reaper_th = NULL;
		}
	}
	if (IS_ERR(kthread_run(moom_worker, NULL, "oom_sysrq")))
		pr_err("oom: cannot start the SysRq f thread\n");
}
