/*
 * Task exit and reaping (Linux: kernel/exit.c).
 *
 * do_exit() marks the task PF_EXITING, gives its children to the child
 * reaper (pid 1), and becomes a zombie whose exit code waits for its parent's
 * kernel_wait() (wait4() later) — or, with exit_signal -1 (kernel threads),
 * is reaped at once. Either way the struct lives on while references remain:
 * the scheduler drops the task's own reference after its final switch-out,
 * since a task cannot free the stack it is running on.
 *
 * Locking: tasklist_lock guards ->parent, ->children, ->sibling, ->exit_state
 * and the task list.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <uapi/errno.h>

void free_pid(pid_t pid);
struct task_struct *child_reaper = &init_task;	/* pid 1 once it exists */

/* Unlink a dead task and drop the task list's reference. Caller holds tasklist_lock. */
static void __release_task(struct task_struct *p)
{
	p->exit_state = EXIT_DEAD;
	list_del_init(&p->tasks);
	list_del_init(&p->sibling);
	free_pid(p->pid);
}

static void forget_original_parent(struct task_struct *p)
{
	struct task_struct *child, *n;

	list_for_each_entry_safe(child, n, &p->children, sibling) {
		child->parent = child_reaper;
		list_del(&child->sibling);
		list_add_tail(&child->sibling, &child_reaper->children);
		if (child->exit_state == EXIT_ZOMBIE)
			wake_up_all(&child_reaper->signal->wait_chldexit);
	}
}

__noreturn void do_exit(int code)
{
	struct task_struct *p = current;
	unsigned long flags;
	bool autoreap;

	if (p == &init_task)
		panic("Attempted to kill the idle task!");
	if (p == child_reaper)
		panic("Attempted to kill init! exitcode=0x%08x", code);
	if (p->flags & PF_EXITING) {
		pr_alert("Fixing recursive fault but reboot is needed!\n");
		for (;;) {	/* cannot exit twice: sleep for ever */
			set_current_state(TASK_UNINTERRUPTIBLE);
			schedule();
		}
	}
	might_sleep();
	p->flags |= PF_EXITING;
	/* exit_mm() and the files come here once tasks have them. */

	spin_lock_irqsave(&tasklist_lock, flags);
	forget_original_parent(p);
	p->exit_code = code;
	autoreap = p->exit_signal < 0;
	if (autoreap) {
		__release_task(p);
	} else {
		p->exit_state = EXIT_ZOMBIE;
		wake_up_all(&p->parent->signal->wait_chldexit);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (autoreap)
		put_task_struct(p);	/* the task list's reference; ours lasts until the switch */

	/*
	 * If an interrupt preempts us between these two lines we stay on the
	 * run queue and come back here; only the voluntary switch below takes
	 * us off it, and only then does finish_task_switch() drop our reference.
	 */
	set_current_state(TASK_DEAD);
	schedule();
	BUG();				/* a dead task is never scheduled again */
}

/* Find a zombie child (pid -1: any). *had_child tells whether a matching child exists at all. */
static struct task_struct *find_zombie(pid_t pid, bool *had_child)
{
	struct task_struct *p;

	*had_child = false;
	list_for_each_entry(p, &current->children, sibling) {
		if (p->exit_signal < 0)
			continue;	/* reaps itself (a kthread): not waitable, as without __WALL */
		if (pid != -1 && p->pid != pid)
			continue;
		*had_child = true;
		if (p->exit_state == EXIT_ZOMBIE)
			return p;
	}
	return NULL;
}

static bool zombie_child_exists(void)
{
	unsigned long flags;
	bool had_child, found;

	spin_lock_irqsave(&tasklist_lock, flags);
	found = find_zombie(-1, &had_child) != NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

/*
 * pid 1's duty until user space brings an init: reap the orphans it adopts.
 * Zombies wake wait_chldexit when they die or are reparented to us.
 */
__noreturn void reap_orphans_forever(void)
{
	for (;;)
		if (kernel_wait(-1, NULL) == -ECHILD)
			wait_event_idle(current->signal->wait_chldexit, zombie_child_exists());
}

pid_t kernel_wait(pid_t pid, int *status)
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
		struct task_struct *z = find_zombie(pid, &had_child);
		if (z) {
			ret = z->pid;
			if (status)
				*status = z->exit_code;
			__release_task(z);
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (z) {
			put_task_struct(z);
			break;
		}
		if (!had_child) {
			ret = -ECHILD;
			break;
		}
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(wq, &wait);
	return ret;
}
