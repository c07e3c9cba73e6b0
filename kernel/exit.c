/*
 * Task exit and reaping (Linux: kernel/exit.c).
 *
 * do_exit() marks the task PF_EXITING and gives up what it holds: its user
 * address space (exit_mm(), which clears ->mm under task_lock before
 * mmput(): see there, and hands the mm's ownership on), its files, its
 * working directory; then it stops populating its cgroups (cgroup_exit():
 * a zombie does not keep a group populated, as on Linux). Its children
 * go to another of its threads, else to the nearest child subreaper
 * (PR_SET_CHILD_SUBREAPER), else to the child reaper (pid 1), with SIGCHLD
 * as their exit signal. A process becomes a zombie holding its
 * wait status until the parent's wait4(); threads (and kernel threads,
 * exit_signal -1) are reaped at once. A process whose threads are still
 * running is not yet waitable: its last thread's exit completes it.
 * The struct itself lives on while references remain: the scheduler drops
 * the task's own reference after its final switch-out, since a task cannot
 * free the stack it is running on.
 *
 * When pid 1 is a user program and its last thread exits, the kernel
 * prints "init exited with status N" and powers off with N.
 *
 * Locking: tasklist_lock guards ->parent, ->children, ->sibling,
 * ->thread_group, ->exit_state, signal->nr_threads and the task list.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/mm.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/wait.h>
#include <kernel/reboot.h>
#include <kernel/syscalls.h>
#include <kernel/cgroup.h>
#include <kernel/delay_point.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>
#include <arch/mmu_context.h>
#include <fs/fs.h>
#include <mm/mm.h>
#include <mm/oom.h>
#include <kernel/delay_point.h>
#include <uapi/resource.h>

struct task_struct *child_reaper = &init_task;	/* pid 1 once it exists */

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WCONTINUED 0x00000008
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000

/* Unlink a dead task and drop the task list's reference. Caller holds tasklist_lock. */
static void __release_task(struct task_struct *p)
{
	p->exit_state = EXIT_DEAD;
	list_del_init(&p->tasks);
	list_del_init(&p->sibling);
	list_del_init(&p->thread_group);
	free_pid(p->pid);
}

/* A live thread of p's process other than except, to take over children; NULL if none. Under tasklist_lock. */
static struct task_struct *find_alive_thread(struct task_struct *p, struct task_struct *except)
{
	struct task_struct *t, *leader = p->group_leader;

	if (leader != except && !(leader->flags & PF_EXITING))
		return leader;
	list_for_each_entry(t, &leader->thread_group, thread_group)
		if (t != except && !(t->flags & PF_EXITING))
			return t;
	return NULL;
}

/*
 * Who adopts father's children (Linux: find_new_reaper()): another live
 * thread of its process; else the nearest live ancestor that asked for them
 * with PR_SET_CHILD_SUBREAPER (a service manager keeps what its services
 * leave behind); else init. Under tasklist_lock.
 */
static struct task_struct *find_new_reaper(struct task_struct *father)
{
	struct task_struct *r, *t = find_alive_thread(father, father);

	if (t)
		return t;
	for (r = father->parent; r && r != child_reaper && r != &init_task; r = r->parent)
		if (READ_ONCE(r->signal->is_child_subreaper) && (t = find_alive_thread(r, NULL)))
			return t;
	return child_reaper;
}

/*
 * child moves to another process (Linux: reparent_leader()). The exit
 * signal it chose was meant for the parent that is gone: the new one, init
 * above all, reaps with a plain wait4(), which only sees children that
 * signal SIGCHLD, and no process may choose which signal init gets. So it
 * becomes SIGCHLD. A child that is complete already is announced to the new
 * parent, which has not heard of it yet. True if it is to be reaped now
 * (the new parent does not wait for children). Under tasklist_lock.
 */
static bool reparent_leader(struct task_struct *child)
{
	if (child != child->group_leader || child->exit_signal < 0)
		return false;	/* threads and kernel threads reap themselves */
	child->exit_signal = SIGCHLD;
	return child->exit_state == EXIT_ZOMBIE && child->signal->nr_threads == 0 &&
	       do_notify_parent(child, SIGCHLD);
}

/* Unlink p now and put it on dead, whose references the caller drops after tasklist_lock. */
static void release_to(struct task_struct *p, struct list_head *dead)
{
	__release_task(p);
	list_add(&p->sibling, dead);
}

/* p's children go to their new reaper; those to reap now go on dead. Under tasklist_lock. */
static void forget_original_parent(struct task_struct *p, struct list_head *dead)
{
	struct task_struct *child, *n, *reaper = find_new_reaper(p);
	bool same_process = reaper->signal == p->signal;

	if (reaper == p)
		return;	/* init's leader, while its last thread exits too: the machine goes off then */
	list_for_each_entry_safe(child, n, &p->children, sibling) {
		child->parent = reaper;
		list_del(&child->sibling);
		list_add_tail(&child->sibling, &reaper->children);
		if (!same_process && reparent_leader(child))
			release_to(child, dead);
		else if (child->exit_state == EXIT_ZOMBIE)
			wake_up_all(&reaper->signal->wait_chldexit);
	}
}

/* The process leader's exit is complete: tell its parent, or reap it if nobody will wait. Under tasklist_lock. */
static bool notify_parent(struct task_struct *leader)
{
	if (leader->exit_signal < 0)
		return true;	/* autoreap */
	/* SIGCHLD with CLD_* siginfo; true if the parent ignores SIGCHLD or set SA_NOCLDWAIT */
	return do_notify_parent(leader, leader->exit_signal);
}

/*
 * Drop current's address space. ->mm is cleared under task_lock before
 * mmput(): whoever looks up a task's mm under task_lock (get_task_mm(), the
 * OOM killer) sees either NULL or an mm on which this task still holds its
 * mm_users reference, so it may take one of its own; and once the last
 * mmput() can run, no such lookup finds the mm any more (docs/mm.md).
 */
static void exit_mm(void)
{
	struct task_struct *tsk = current;
	struct mm_struct *mm = tsk->mm;

	if (!mm)
		return;
	task_lock(tsk);
	tsk->mm = NULL;
	tsk->active_mm = NULL;
	switch_mm(mm, NULL);	/* stop using its page tables before they can go */
	task_unlock(tsk);
	mm_update_next_owner(mm);
	/*
	 * Stalled here, the task has given its mm up (nothing finds it through
	 * ->mm any more, find_lock_task_mm() included) but still holds its
	 * mm_users: the mm is whole. The OOM reaper, which reaches the mm of
	 * a victim through signal->oom_mm, reaps it all the same.
	 */
	delay_point("exit_mm_after_mm_cleared");
	mmput(mm);
	/* An OOM victim's memory is gone or on its way (the last mmput() unmapped it): it no longer needs the reserves. */
	exit_oom_victim(tsk);
}

/*
 * Make another user of mm its owner, the task whose memory cgroup its
 * pages are charged to, now that current no longer uses it (exit, exec).
 * Any task whose ->mm is mm will do (Linux looks at the children and
 * siblings first: a quicker search, the same kind of answer); none left,
 * and the mm has no owner: its last pages go to the root group.
 *
 * A task found here has ->mm == mm under task_lock, so its own exit_mm()
 * has not cleared it yet and will call this again for it: the owner is
 * never a task that could be freed behind css_set_lock's readers.
 */
void mm_update_next_owner(struct mm_struct *mm)
{
	struct task_struct *p, *owner = NULL;
	unsigned long flags, flags2;

	if (READ_ONCE(mm->owner) != current)
		return;
	spin_lock_irqsave(&tasklist_lock, flags);
	/* current's reference is the last one: nobody else to look for */
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (__atomic_load_n(&mm->mm_users, __ATOMIC_RELAXED) <= 1)
			break;
		if (p == current || (p->flags & PF_KTHREAD))
			continue;
		task_lock(p);
		if (p->mm == mm) {
			owner = p;
			break;		/* task_lock(owner) held */
		}
		task_unlock(p);
	}
	spin_lock_irqsave(&css_set_lock, flags2);
	WRITE_ONCE(mm->owner, owner);
	spin_unlock_irqrestore(&css_set_lock, flags2);
	if (owner)
		task_unlock(owner);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

static __noreturn void init_exited(int code)
{
	int status = (code & 0x7f) ? 128 + (code & 0x7f) : (code >> 8) & 0xff;

	pr_notice("init exited with status %d\n", status);
	kernel_power_off(status);
}

/*
 * The locked part of an exit (Linux: exit_notify()): the children go to a
 * new parent, the task becomes a zombie (a leader) or goes at once (any
 * other thread), and the parent hears of the process once its last thread
 * is gone. What is to be released goes on dead. init's last thread powers
 * the machine off instead: not its leader alone (Linux's init, too, lives
 * on while any of its threads does).
 */
static void exit_notify(struct task_struct *p, int code, struct list_head *dead)
{
	struct task_struct *leader = p->group_leader;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	bool last = --p->signal->nr_threads == 0;
	if (last && p->signal == child_reaper->signal && !(p->flags & PF_KTHREAD)) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		init_exited(code);
	}
	forget_original_parent(p, dead);
	p->exit_code = code;
	p->signal->utime += p->utime;	/* the process's CPU time outlives its threads (times()) */
	p->signal->stime += p->stime;
	p->signal->nvcsw += p->nvcsw;	/* and so do its switches and faults (getrusage()) */
	p->signal->nivcsw += p->nivcsw;
	p->signal->min_flt += p->min_flt;
	p->signal->maj_flt += p->maj_flt;
	if (p != leader) {
		if (last && leader->exit_state == EXIT_ZOMBIE && notify_parent(leader))
			release_to(leader, dead);	/* the process is complete now */
		release_to(p, dead);		/* threads are reaped at once */
	} else {
		p->exit_state = EXIT_ZOMBIE;
		if (last && notify_parent(p))
			release_to(p, dead);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* Drop the task list's references of the tasks exit_notify() released (for current: ours lasts until the switch). */
static void put_dead(struct list_head *dead)
{
	struct task_struct *p, *n;

	list_for_each_entry_safe(p, n, dead, sibling) {
		list_del_init(&p->sibling);
		put_task_struct(p);
	}
}

__noreturn void do_exit(int code)
{
	struct task_struct *p = current;
	LIST_HEAD(dead);

	if (p == &init_task)
		panic("Attempted to kill the idle task!");
	if (p->flags & PF_EXITING) {
		pr_alert("Fixing recursive fault but reboot is needed!\n");
		for (;;) {	/* cannot exit twice: sleep for ever */
			set_current_state(TASK_UNINTERRUPTIBLE);
			schedule();
		}
	}
	might_sleep();
	p->flags |= PF_EXITING;
	if (p->signal->flags & SIGNAL_GROUP_EXIT)
		code = p->signal->group_exit_code;
	if (p == child_reaper && (p->flags & PF_KTHREAD))
		panic("Attempted to kill init! exitcode=0x%08x", code);

	if (p->mm) {
		mm_release(p);
		setmax_mm_hiwater_rss(&p->signal->maxrss, p->mm);
	}
	/* A victim stuck here, before exit_mm(), holds all its memory: the OOM reaper's case. */
	delay_point("do_exit_before_exit_mm");
	exit_mm();
	exit_files(p);
	exit_fs(p);
	task_exited();
	cgroup_exit(p);		/* from here its cgroups no longer count it as populating them */
	exit_notify(p, code, &dead);
	put_dead(&dead);

	/*
	 * If an interrupt preempts us between these two lines we stay on the
	 * run queue and come back here; only the voluntary switch below takes
	 * us off it, and only then does finish_task_switch() drop our reference.
	 */
	set_current_state(TASK_DEAD);
	schedule();
	BUG();				/* a dead task is never scheduled again */
}

/* Reap p, a task nobody will wait for (Linux: release_task()): the task list lets it go. */
void release_task(struct task_struct *p)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	__release_task(p);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	put_task_struct(p);
}

/* SIGKILL every other live thread of p's process (Linux: zap_other_threads()). Under tasklist_lock. */
void zap_other_threads(struct task_struct *p)
{
	struct task_struct *t, *leader = p->group_leader;

	if (leader != p && leader->exit_state != EXIT_ZOMBIE)
		send_sig(SIGKILL, leader, 1);
	list_for_each_entry(t, &leader->thread_group, thread_group)
		if (t != p)
			send_sig(SIGKILL, t, 1);
}

/* exit_group() and fatal signals: every thread of the process exits with code. */
__noreturn void do_group_exit(int code)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (!(sig->flags & SIGNAL_GROUP_EXIT)) {
		sig->flags |= SIGNAL_GROUP_EXIT;
		sig->group_exit_code = code;
		zap_other_threads(current);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	do_exit(code);
}

SYSCALL_DEFINE1(exit, int, code)
{
	do_exit((code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	do_group_exit((code & 0xff) << 8);
}

/* A reaped child's times, switches, faults and rss peak, with its own children's, go to its parent's process. */
static void account_reaped_child(struct signal_struct *psig, struct signal_struct *sig)
{
	psig->cutime += sig->utime + sig->cutime;
	psig->cstime += sig->stime + sig->cstime;
	psig->cnvcsw += sig->nvcsw + sig->cnvcsw;
	psig->cnivcsw += sig->nivcsw + sig->cnivcsw;
	psig->cmin_flt += sig->min_flt + sig->cmin_flt;
	psig->cmaj_flt += sig->maj_flt + sig->cmaj_flt;
	psig->cmaxrss = max(psig->cmaxrss, max(sig->maxrss, sig->cmaxrss));
}

/* Does child p match wait's pid argument (Linux's eligible_pid())? */
static bool eligible(struct task_struct *p, pid_t pid, int options)
{
	if (pid > 0 && p->pid != pid)
		return false;
	if (pid == 0 && p->signal->pgrp != current->signal->pgrp)
		return false;
	if (pid < -1 && p->signal->pgrp != -pid)
		return false;
	if (p != p->group_leader || p->exit_signal < 0)
		return false;	/* threads and kernel threads reap themselves: never waitable */
	/* Children that signal their exit with something other than SIGCHLD only with __WALL / __WCLONE. */
	if (!(options & __WALL) && ((p->exit_signal != SIGCHLD) ^ !!(options & __WCLONE)))
		return false;
	return true;
}

/* A child ready to be reaped, or NULL; *had_child: some child matched at all. Under tasklist_lock. */
static struct task_struct *find_zombie_of(struct task_struct *parent, pid_t pid, int options, bool *had_child)
{
	struct task_struct *p;

	list_for_each_entry(p, &parent->children, sibling) {
		if (!eligible(p, pid, options))
			continue;
		*had_child = true;
		if (p->exit_state == EXIT_ZOMBIE && p->signal->nr_threads == 0)
			return p;
	}
	return NULL;
}

/* Children of every thread of the process count, unless __WNOTHREAD (as Linux's do_wait()). */
static struct task_struct *find_zombie(pid_t pid, int options, bool *had_child)
{
	struct task_struct *t, *z, *leader = current->group_leader;

	spin_assert_held(&tasklist_lock);
	*had_child = false;
	if ((z = find_zombie_of(current, pid, options, had_child)) || (options & __WNOTHREAD))
		return z;
	if (leader != current && (z = find_zombie_of(leader, pid, options, had_child)))
		return z;
	list_for_each_entry(t, &leader->thread_group, thread_group)
		if (t != current && (z = find_zombie_of(t, pid, options, had_child)))
			return z;
	return NULL;
}

/*
 * A complete zombie's wait status. After a group exit it is the group's
 * status, whichever thread's exit completed the process: the leader, whose
 * pid the parent waits for, may have exited on its own before (Linux's
 * wait_task_zombie() reads group_exit_code the same way).
 */
static int wait_status(struct task_struct *z)
{
	return (z->signal->flags & SIGNAL_GROUP_EXIT) ? z->signal->group_exit_code : z->exit_code;
}

/*
 * Wait for a child (Linux's do_wait()): its pid with *status filled, 0
 * (WNOHANG), or -errno. ru, if not NULL, gets the reaped child's resource
 * use with its own children's, as wait4() reports it.
 */
static __noinline pid_t do_wait(pid_t pid, int options, int *status, struct rusage *ru)
{
	struct wait_queue_head *wq = &current->signal->wait_chldexit;
	DEFINE_WAIT(wait);
	unsigned long flags;
	pid_t ret;

	might_sleep();
	for (;;) {
		bool had_child;
		prepare_to_wait(wq, &wait, TASK_INTERRUPTIBLE);
		spin_lock_irqsave(&tasklist_lock, flags);
		struct task_struct *z = find_zombie(pid, options, &had_child);
		if (z) {
			ret = z->pid;
			*status = wait_status(z);
			account_reaped_child(current->signal, z->signal);
			__release_task(z);
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (z) {
			if (ru)
				k_getrusage(z, RUSAGE_BOTH, ru);
			put_task_struct(z);
			break;
		}
		if (!had_child) {
			ret = -ECHILD;
			break;
		}
		if (options & WNOHANG) {
			ret = 0;
			break;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;	/* -EINTR, or restarted with SA_RESTART, on the way out */
			break;
		}
		schedule();
	}
	finish_wait(wq, &wait);
	return ret;
}

pid_t kernel_wait(pid_t pid, int *status)
{
	int st;
	pid_t ret = do_wait(pid, __WALL, &st, NULL);

	if (ret > 0 && status)
		*status = st;
	return ret;
}

SYSCALL_DEFINE4(wait4, pid_t, pid, int __user *, stat_addr, int, options, void __user *, rusage)
{
	struct rusage r;
	int status = 0;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == -2147483647 - 1)	/* INT_MIN: -pid would overflow */
		return -ESRCH;
	pid_t ret = do_wait(pid, options, &status, rusage ? &r : NULL);
	if (ret > 0 && stat_addr && put_user(status, stat_addr))
		return -EFAULT;
	if (ret > 0 && rusage && copy_to_user(rusage, &r, sizeof(r)))
		return -EFAULT;
	return ret;
}

static bool zombie_child_exists(void)
{
	unsigned long flags;
	bool had_child, found;

	spin_lock_irqsave(&tasklist_lock, flags);
	found = find_zombie(-1, __WALL, &had_child) != NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

/*
 * pid 1's duty until it execs a user init: reap the orphans it adopts.
 * Zombies wake wait_chldexit when they die or are reparented to us.
 */
__noreturn void reap_orphans_forever(void)
{
	for (;;)
		if (kernel_wait(-1, NULL) == -ECHILD)
			wait_event_idle(current->signal->wait_chldexit, zombie_child_exists());
}
