/*
 * Wait queues and completions (Linux: kernel/sched/wait.c, completion.c).
 * See include/kernel/wait.h for why the sleep/wake protocol loses no
 * wake-up. wq->lock (irqsave: wake-ups come from interrupt handlers) guards
 * the queue; a completion's count is guarded by its queue's lock.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <kernel/completion.h>
#include <kernel/timer.h>

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	wq->lock.name = "wait_queue";
	INIT_LIST_HEAD(&wq->head);
}

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode)
{
	return wake_up_state(wq_entry->private, mode);
}

void init_wait_entry(struct wait_queue_entry *wq_entry, unsigned int flags)
{
	wq_entry->flags = flags;
	wq_entry->private = current;
	wq_entry->func = default_wake_function;
	INIT_LIST_HEAD(&wq_entry->entry);
}

void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq->lock, flags);
	list_add(&wq_entry->entry, &wq->head);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_del_init(&wq_entry->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Exclusive waiters go to the tail, so wake_up() wakes the others and then the first of them. */
static void queue_entry(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry)
{
	if (!list_empty(&wq_entry->entry))
		return;
	if (wq_entry->flags & WQ_FLAG_EXCLUSIVE)
		list_add_tail(&wq_entry->entry, &wq->head);
	else
		list_add(&wq_entry->entry, &wq->head);
}

/* Queue the entry and set the state under wq->lock, so a wake-up in between is not lost. */
static void __prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry, int state,
			      bool exclusive)
{
	unsigned long flags;

	wq_entry->flags = exclusive ? wq_entry->flags | WQ_FLAG_EXCLUSIVE : wq_entry->flags & ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq->lock, flags);
	queue_entry(wq, wq_entry);
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry, int state)
{
	__prepare_to_wait(wq, wq_entry, state, false);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry, int state)
{
	__prepare_to_wait(wq, wq_entry, state, true);
}

long prepare_to_wait_event(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry, int state)
{
	unsigned long flags;
	long ret = 0;

	spin_lock_irqsave(&wq->lock, flags);
	if (signal_pending_state(state, current)) {
		/* Leave the queue so a wake-up meant for others is not spent on us. */
		list_del_init(&wq_entry->entry);
		ret = -ERESTARTSYS;
	} else {
		queue_entry(wq, wq_entry);
		set_current_state(state);
	}
	spin_unlock_irqrestore(&wq->lock, flags);
	return ret;
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	if (!list_empty(&wq_entry->entry)) {
		spin_lock_irqsave(&wq->lock, flags);
		list_del_init(&wq_entry->entry);
		spin_unlock_irqrestore(&wq->lock, flags);
	}
}

void __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive)
{
	struct wait_queue_entry *curr, *next;
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_for_each_entry_safe(curr, next, &wq->head, entry) {
		if (curr->func(curr, mode) && (curr->flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

bool waitqueue_active(struct wait_queue_head *wq)
{
	return !list_empty(&wq->head);
}

void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

void reinit_completion(struct completion *x)
{
	x->done = 0;
}

void complete(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done != UINT_MAX)
		x->done++;
	spin_unlock_irqrestore(&x->wait.lock, flags);
	__wake_up(&x->wait, TASK_NORMAL, 1);
}

void complete_all(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	x->done = UINT_MAX;
	spin_unlock_irqrestore(&x->wait.lock, flags);
	__wake_up(&x->wait, TASK_NORMAL, 0);
}

/* Take one "done" if there is one. */
bool try_wait_for_completion(struct completion *x)
{
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done) {
		if (x->done != UINT_MAX)
			x->done--;
		ret = true;
	}
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return ret;
}

bool completion_done(struct completion *x)
{
	return READ_ONCE(x->done) != 0;
}

/* Returns the jiffies left (at least 1) once done, 0 on time-out, -ERESTARTSYS on a signal. */
static long __sched do_wait_for_common(struct completion *x, long timeout, int state)
{
	struct wait_queue_entry wait;
	long ret;

	might_sleep();
	init_wait_entry(&wait, WQ_FLAG_EXCLUSIVE);
	for (;;) {
		ret = prepare_to_wait_event(&x->wait, &wait, state);
		if (try_wait_for_completion(x)) {
			ret = timeout ? timeout : 1;
			break;
		}
		if (ret)
			break;
		if (!timeout)
			break;	/* ret is 0: timed out */
		timeout = schedule_timeout(timeout);
	}
	finish_wait(&x->wait, &wait);
	return ret;
}

void __sched wait_for_completion(struct completion *x)
{
	(void)do_wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_UNINTERRUPTIBLE);
}

unsigned long __sched wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	return do_wait_for_common(x, timeout, TASK_UNINTERRUPTIBLE);
}

int __sched wait_for_completion_killable(struct completion *x)
{
	long ret = do_wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_KILLABLE);
	return ret < 0 ? (int)ret : 0;
}
