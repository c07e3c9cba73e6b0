/*
 * Mutexes (Linux: kernel/locking/mutex.c, without optimistic spinning).
 * m->wait_lock (irqsave) guards ->owner and the FIFO ->wait_list. Unlock
 * hands the mutex directly to the first waiter (sets ->owner to it before
 * waking it), so a newcomer can never take it from under a waiter: FIFO
 * fairness. The wait is lock_wait_handoff() (include/kernel/lock_waiter.h),
 * shared with rwsems; it records the mutex in ->blocked_on for the
 * hung-task detector.
 */
#include <kernel/kernel.h>
#include <kernel/mutex.h>
#include <kernel/sched.h>
#include <kernel/sched/wake_q.h>
#include <kernel/lock_debug.h>
#include <kernel/lock_waiter.h>

void __mutex_init(struct mutex *m, const char *name)
{
	m->owner = NULL;
	spin_lock_init(&m->wait_lock);
	m->wait_lock.name = "mutex.wait_lock";
	INIT_LIST_HEAD(&m->wait_list);
	m->name = name;
}

static int __sched __mutex_lock(struct mutex *m, unsigned int state)
{
	struct lock_waiter waiter;
	unsigned long flags;
	int ret = 0;

	might_sleep();
	spin_lock_irqsave(&m->wait_lock, flags);
	if (!m->owner && list_empty(&m->wait_list)) {
		m->owner = current;
	} else {
		if (m->owner == current)
			lock_bug("WARNING: possible recursive locking detected", "mutex", m, m->name);
		ret = lock_wait_handoff(&m->wait_lock, &flags, &m->wait_list, &waiter, state, m, "mutex");
	}
	spin_unlock_irqrestore(&m->wait_lock, flags);
	return ret;
}

void __sched mutex_lock(struct mutex *m)
{
	__mutex_lock(m, TASK_UNINTERRUPTIBLE);
}

int __sched mutex_lock_interruptible(struct mutex *m)
{
	return __mutex_lock(m, TASK_INTERRUPTIBLE);
}

int __sched mutex_lock_killable(struct mutex *m)
{
	return __mutex_lock(m, TASK_KILLABLE);
}

bool mutex_trylock(struct mutex *m)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&m->wait_lock, flags);
	ok = !m->owner && list_empty(&m->wait_list);
	if (ok)
		m->owner = current;
	spin_unlock_irqrestore(&m->wait_lock, flags);
	return ok;
}

void mutex_unlock(struct mutex *m)
{
	DEFINE_WAKE_Q(wake_q);
	unsigned long flags;

	spin_lock_irqsave(&m->wait_lock, flags);
	if (m->owner != current) {
		spin_unlock_irqrestore(&m->wait_lock, flags);
		lock_bug("WARNING: DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current): unlocking a mutex we do not hold",
			 "mutex", m, m->name);
		return;
	}
	if (list_empty(&m->wait_list)) {
		m->owner = NULL;
	} else {
		struct lock_waiter *w = list_first_entry(&m->wait_list, struct lock_waiter, list);
		list_del(&w->list);
		m->owner = w->task;
		w->granted = true;
		wake_q_add(&wake_q, w->task);
	}
	spin_unlock_irqrestore(&m->wait_lock, flags);
	wake_up_q(&wake_q);
}

bool mutex_is_locked(struct mutex *m)
{
	return READ_ONCE(m->owner) != NULL;
}

void __mutex_assert_held(struct mutex *m, const struct lock_site *site)
{
	if (READ_ONCE(m->owner) != current)
		lock_bug_at(site, "WARNING: lockdep_assert_held() failed: mutex not held", "mutex", m, m->name);
}
