/*
 * Kernel timers and timed sleeps (Linux: kernel/time/timer.c). Pending
 * timers sit on one list sorted by expiry; the tick runs those whose time
 * has come (in interrupt context: Linux uses a softirq and a timer wheel).
 * timer_lock (irqsave) guards the list and each timer's ->pending; it is
 * dropped while a timer function runs, so the function may re-arm itself.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/timer.h>

static LIST_HEAD(timer_list_head);
static DEFINE_SPINLOCK(timer_lock);
static struct timer_list *running_timer;

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *))
{
	INIT_LIST_HEAD(&t->entry);
	t->function = fn;
	t->pending = false;
	t->expires = 0;
}

/* Take t off the list if it is on it; 1 if it was. Under timer_lock. */
static int detach_if_pending(struct timer_list *t)
{
	if (!t->pending)
		return 0;
	list_del_init(&t->entry);
	t->pending = false;
	return 1;
}

int mod_timer(struct timer_list *t, unsigned long expires)
{
	struct timer_list *pos;
	unsigned long flags;
	int was_pending;

	spin_lock_irqsave(&timer_lock, flags);
	was_pending = detach_if_pending(t);
	t->expires = expires;
	list_for_each_entry(pos, &timer_list_head, entry)
		if (time_before(expires, pos->expires))
			break;
	list_add_tail(&t->entry, &pos->entry);	/* before pos: sorted, FIFO among equals */
	t->pending = true;
	spin_unlock_irqrestore(&timer_lock, flags);
	return was_pending;
}

void add_timer(struct timer_list *t)
{
	mod_timer(t, t->expires);
}

int del_timer(struct timer_list *t)
{
	unsigned long flags;
	int was_pending;

	spin_lock_irqsave(&timer_lock, flags);
	was_pending = detach_if_pending(t);
	spin_unlock_irqrestore(&timer_lock, flags);
	return was_pending;
}

int del_timer_sync(struct timer_list *t)
{
	/* With one CPU a timer function runs inside the tick, never while a task runs. */
	WARN_ON_ONCE(in_hardirq() && running_timer == t);
	return del_timer(t);
}

bool timer_pending(const struct timer_list *t)
{
	return READ_ONCE(t->pending);
}

void run_timers(void)
{
	unsigned long flags;

	spin_lock_irqsave(&timer_lock, flags);
	while (!list_empty(&timer_list_head)) {
		struct timer_list *t = list_first_entry(&timer_list_head, struct timer_list, entry);
		if (time_before(jiffies, t->expires))
			break;
		detach_if_pending(t);
		running_timer = t;
		spin_unlock_irqrestore(&timer_lock, flags);
		t->function(t);
		spin_lock_irqsave(&timer_lock, flags);
		running_timer = NULL;
	}
	spin_unlock_irqrestore(&timer_lock, flags);
}

struct process_timer {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	wake_up_process(container_of(t, struct process_timer, timer)->task);
}

/* The caller has set its state; returns the jiffies left when woken early, 0 on time-out. */
long __sched schedule_timeout(long timeout)
{
	struct process_timer timer;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		pr_err("schedule_timeout: wrong timeout value %lx\n", timeout);
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	unsigned long expire = jiffies + timeout;
	timer.task = current;
	timer_setup(&timer.timer, process_timeout);
	mod_timer(&timer.timer, expire);
	schedule();
	del_timer_sync(&timer.timer);
	long left = (long)(expire - jiffies);
	return left < 0 ? 0 : left;
}

/* schedule_timeout() in the given sleep state. */
static long __sched schedule_timeout_state(long timeout, unsigned int state)
{
	set_current_state(state);
	return schedule_timeout(timeout);
}

long __sched schedule_timeout_interruptible(long timeout) { return schedule_timeout_state(timeout, TASK_INTERRUPTIBLE); }
long __sched schedule_timeout_killable(long timeout) { return schedule_timeout_state(timeout, TASK_KILLABLE); }
long __sched schedule_timeout_uninterruptible(long timeout) { return schedule_timeout_state(timeout, TASK_UNINTERRUPTIBLE); }
long __sched schedule_timeout_idle(long timeout) { return schedule_timeout_state(timeout, TASK_IDLE); }

/* Sleep at least msecs: one jiffy more than the division gives, as Linux does. */
void msleep(unsigned int msecs)
{
	long timeout = msecs_to_jiffies(msecs) + 1;

	might_sleep();
	while (timeout)
		timeout = schedule_timeout_uninterruptible(timeout);
}

unsigned long msleep_interruptible(unsigned int msecs)
{
	long timeout = msecs_to_jiffies(msecs) + 1;

	might_sleep();
	while (timeout && !signal_pending(current))
		timeout = schedule_timeout_interruptible(timeout);
	return jiffies_to_msecs(timeout);
}
