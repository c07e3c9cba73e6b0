/*
 * The hung-task detector (Linux: kernel/hung_task.c). khungtaskd wakes once
 * a second and looks for tasks that have been in TASK_UNINTERRUPTIBLE (not
 * TASK_KILLABLE, not TASK_IDLE) without being scheduled for longer than
 * hung_task_timeout_secs (default 10, 0 disables). Each such sleep is
 * reported once, in Linux's words, with the task's backtrace and, if it is
 * waiting for a lock, the lock's likely owner. Walks the task list under
 * tasklist_lock.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/debug.h>
#include <kernel/kthread.h>
#include <kernel/cmdline.h>
#include <kernel/time.h>
#include <kernel/mutex.h>
#include <kernel/rwsem.h>
#include <kernel/timer.h>
#include <kernel/sysctl.h>
#include <uapi/errno.h>

unsigned long sysctl_hung_task_timeout_secs = 10;	/* kernel.hung_task_timeout_secs; tests may lower it */
static unsigned long hung_task_timeout_max = LONG_MAX / HZ;

struct ctl_table hung_task_sysctls[] = {
	{ .procname = "hung_task_timeout_secs", .data = &sysctl_hung_task_timeout_secs,
	  .maxlen = sizeof(unsigned long), .mode = 0644, .proc_handler = proc_doulongvec_minmax,
	  .extra2 = &hung_task_timeout_max },
	{ .procname = NULL },
};
unsigned long hung_task_reports;	/* reports since boot (tests) */

static int hung_task_setup(char *val)
{
	unsigned long long v;
	if (kstrtoull(val, 10, &v) || v > 3600 * 24)
		return -EINVAL;
	sysctl_hung_task_timeout_secs = v;
	return 0;
}
__setup("hung_task_timeout_secs=", hung_task_setup);

static struct task_struct *lock_owner(const struct task_struct *t)
{
	if (!t->blocked_on_type)
		return NULL;
	if (t->blocked_on_type[0] == 'm')
		return READ_ONCE(((const struct mutex *)t->blocked_on)->owner);
	return READ_ONCE(((const struct rw_semaphore *)t->blocked_on)->owner);
}

static void check_hung_task(struct task_struct *t, unsigned long timeout)
{
	unsigned long switch_count = t->nvcsw + t->nivcsw;

	if (!switch_count)
		return;		/* never ran: a kthread not yet woken */
	if (switch_count != t->last_switch_count) {
		t->last_switch_count = switch_count;
		t->hung_reported = false;
		return;
	}
	if (t->hung_reported || time_before(jiffies, t->sleep_start + timeout * HZ))
		return;
	t->hung_reported = true;
	hung_task_reports++;
	pr_err("INFO: task %s:%d blocked for more than %lu seconds.\n", t->comm, t->pid, timeout);
	pr_err("      %s %s #1\n", print_tainted(), FOLIO_VERSION);
	pr_err("\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n");
	sched_show_task(t);
	const void *lock = READ_ONCE(t->blocked_on);
	if (lock) {
		struct task_struct *owner = lock_owner(t);
		if (owner)
			pr_err("INFO: task %s:%d is blocked on a%s %s likely owned by task %s:%d.\n",
			       t->comm, t->pid, t->blocked_on_type[0] == 'm' ? "" : "n",
			       t->blocked_on_type, owner->comm, owner->pid);
		else
			pr_err("INFO: task %s:%d is blocked on a%s %s with no owner recorded.\n", t->comm,
			       t->pid, t->blocked_on_type[0] == 'm' ? "" : "n", t->blocked_on_type);
	}
}

static int watchdog(void *unused)
{
	(void)unused;
	for (;;) {
		schedule_timeout_idle(HZ);
		unsigned long timeout = READ_ONCE(sysctl_hung_task_timeout_secs);
		if (!timeout)
			continue;
		struct task_struct *p;
		unsigned long flags;
		spin_lock_irqsave(&tasklist_lock, flags);
		list_for_each_entry(p, &init_task.tasks, tasks)
			if (READ_ONCE(p->state) == TASK_UNINTERRUPTIBLE)	/* "==": skip KILLABLE and IDLE */
				check_hung_task(p, timeout);
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	return 0;
}

void hung_task_init(void)
{
	struct task_struct *t = kthread_run(watchdog, NULL, "khungtaskd");
	if (IS_ERR(t))
		pr_err("hung_task: cannot start khungtaskd\n");
}
