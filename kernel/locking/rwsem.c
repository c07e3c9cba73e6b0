/*
 * Read/write semaphores (Linux: kernel/locking/rwsem.c, without optimistic
 * spinning or the lock-stealing fast paths), the lock behind mmap_lock.
 *
 * sem->count is the number of readers holding the lock, -1 while a writer
 * holds it, 0 when free. Waiters queue in FIFO order and never take the lock
 * themselves: the releaser hands it over (rwsem_mark_wake()) and sets
 * ->granted before waking them, so order is decided under one lock:
 *  - a new reader queues if anyone is waiting, even when readers hold the
 *    lock, so a queued writer is not starved by later readers;
 *  - at release, a writer at the head gets the lock alone; readers at the head
 *    all get it together, up to the next queued writer. (Linux wakes every
 *    queued reader, passing writers; Folio keeps strict FIFO.)
 * A waiter killed while queued (the _killable variants) leaves the queue,
 * and whoever can now go is handed the lock, so nothing is left stuck.
 *
 * ->owner is the writer, or the last reader to get in (a hint, as in Linux),
 * for the hung-task detector and the debug checks. sem->wait_lock (irqsave)
 * guards all of it.
 */
#include <kernel/kernel.h>
#include <kernel/rwsem.h>
#include <kernel/sched.h>
#include <kernel/sched/wake_q.h>
#include <kernel/lock_debug.h>
#include <uapi/errno.h>

enum rwsem_waiter_type { RWSEM_WAITING_FOR_WRITE, RWSEM_WAITING_FOR_READ };

struct rwsem_waiter {
	struct list_head list;
	struct task_struct *task;
	enum rwsem_waiter_type type;
	bool granted;
};

void __init_rwsem(struct rw_semaphore *sem, const char *name)
{
	sem->count = 0;
	sem->owner = NULL;
	spin_lock_init(&sem->wait_lock);
	sem->wait_lock.name = "rwsem.wait_lock";
	INIT_LIST_HEAD(&sem->wait_list);
	sem->name = name;
}

static void grant(struct rwsem_waiter *w, struct wake_q_head *wake_q)
{
	list_del(&w->list);
	w->granted = true;
	wake_q_add(wake_q, w->task);
}

/* Hand the lock to whoever is at the head of the queue and can have it now. */
static void rwsem_mark_wake(struct rw_semaphore *sem, struct wake_q_head *wake_q)
{
	while (!list_empty(&sem->wait_list)) {
		struct rwsem_waiter *w = list_first_entry(&sem->wait_list, struct rwsem_waiter, list);
		if (w->type == RWSEM_WAITING_FOR_WRITE) {
			if (sem->count == 0) {
				sem->count = -1;
				sem->owner = w->task;
				grant(w, wake_q);
			}
			return;
		}
		if (sem->count < 0)
			return;
		sem->count++;
		sem->owner = w->task;
		grant(w, wake_q);
	}
}

static int rwsem_down_slowpath(struct rw_semaphore *sem, enum rwsem_waiter_type type,
			       unsigned int state, unsigned long *flags)
{
	struct rwsem_waiter waiter = { .task = current, .type = type };
	DEFINE_WAKE_Q(wake_q);
	int ret = 0;

	list_add_tail(&waiter.list, &sem->wait_list);
	current->blocked_on = sem;
	current->blocked_on_type = "rw-semaphore";
	for (;;) {
		set_current_state(state);
		if (waiter.granted)
			break;
		if (signal_pending_state(state, current)) {
			list_del(&waiter.list);
			rwsem_mark_wake(sem, &wake_q);	/* we may have been holding others up */
			ret = -EINTR;
			break;
		}
		spin_unlock_irqrestore(&sem->wait_lock, *flags);
		schedule();
		spin_lock_irqsave(&sem->wait_lock, *flags);
	}
	__set_current_state(TASK_RUNNING);
	current->blocked_on = NULL;
	spin_unlock_irqrestore(&sem->wait_lock, *flags);
	wake_up_q(&wake_q);
	return ret;
}

static int __down_read(struct rw_semaphore *sem, unsigned int state)
{
	unsigned long flags;

	might_sleep();
	spin_lock_irqsave(&sem->wait_lock, flags);
	if (sem->count >= 0 && list_empty(&sem->wait_list)) {
		sem->count++;
		sem->owner = current;
		spin_unlock_irqrestore(&sem->wait_lock, flags);
		return 0;
	}
	if (sem->count < 0 && sem->owner == current)
		lock_bug("WARNING: possible recursive locking detected: down_read() while holding it for write",
			 "rw_semaphore", sem, sem->name);
	return rwsem_down_slowpath(sem, RWSEM_WAITING_FOR_READ, state, &flags);
}

static int __down_write(struct rw_semaphore *sem, unsigned int state)
{
	unsigned long flags;

	might_sleep();
	spin_lock_irqsave(&sem->wait_lock, flags);
	if (sem->count == 0 && list_empty(&sem->wait_list)) {
		sem->count = -1;
		sem->owner = current;
		spin_unlock_irqrestore(&sem->wait_lock, flags);
		return 0;
	}
	if (sem->count < 0 && sem->owner == current)
		lock_bug("WARNING: possible recursive locking detected: recursive down_write()", "rw_semaphore",
			 sem, sem->name);
	return rwsem_down_slowpath(sem, RWSEM_WAITING_FOR_WRITE, state, &flags);
}

void down_read(struct rw_semaphore *sem) { __down_read(sem, TASK_UNINTERRUPTIBLE); }
int down_read_killable(struct rw_semaphore *sem) { return __down_read(sem, TASK_KILLABLE); }
void down_write(struct rw_semaphore *sem) { __down_write(sem, TASK_UNINTERRUPTIBLE); }
int down_write_killable(struct rw_semaphore *sem) { return __down_write(sem, TASK_KILLABLE); }

int down_read_trylock(struct rw_semaphore *sem)
{
	unsigned long flags;
	int ok;

	spin_lock_irqsave(&sem->wait_lock, flags);
	ok = sem->count >= 0 && list_empty(&sem->wait_list);
	if (ok) {
		sem->count++;
		sem->owner = current;
	}
	spin_unlock_irqrestore(&sem->wait_lock, flags);
	return ok;
}

int down_write_trylock(struct rw_semaphore *sem)
{
	unsigned long flags;
	int ok;

	spin_lock_irqsave(&sem->wait_lock, flags);
	ok = sem->count == 0 && list_empty(&sem->wait_list);
	if (ok) {
		sem->count = -1;
		sem->owner = current;
	}
	spin_unlock_irqrestore(&sem->wait_lock, flags);
	return ok;
}

void up_read(struct rw_semaphore *sem)
{
	DEFINE_WAKE_Q(wake_q);
	unsigned long flags;

	spin_lock_irqsave(&sem->wait_lock, flags);
	if (sem->count <= 0) {
		spin_unlock_irqrestore(&sem->wait_lock, flags);
		lock_bug("WARNING: DEBUG_RWSEMS_WARN_ON(count <= 0): up_read() of an rwsem not held for read",
			 "rw_semaphore", sem, sem->name);
		return;
	}
	if (--sem->count == 0) {
		sem->owner = NULL;
		rwsem_mark_wake(sem, &wake_q);
	}
	spin_unlock_irqrestore(&sem->wait_lock, flags);
	wake_up_q(&wake_q);
}

void up_write(struct rw_semaphore *sem)
{
	DEFINE_WAKE_Q(wake_q);
	unsigned long flags;

	spin_lock_irqsave(&sem->wait_lock, flags);
	if (sem->count != -1 || sem->owner != current) {
		spin_unlock_irqrestore(&sem->wait_lock, flags);
		lock_bug("WARNING: DEBUG_RWSEMS_WARN_ON(rwsem_owner(sem) != current): up_write() by a task that does not hold it",
			 "rw_semaphore", sem, sem->name);
		return;
	}
	sem->count = 0;
	sem->owner = NULL;
	rwsem_mark_wake(sem, &wake_q);
	spin_unlock_irqrestore(&sem->wait_lock, flags);
	wake_up_q(&wake_q);
}

/* Turn our write lock into a read lock and let the readers queued at the head in with us. */
void downgrade_write(struct rw_semaphore *sem)
{
	DEFINE_WAKE_Q(wake_q);
	unsigned long flags;

	spin_lock_irqsave(&sem->wait_lock, flags);
	if (sem->count != -1 || sem->owner != current) {
		spin_unlock_irqrestore(&sem->wait_lock, flags);
		lock_bug("WARNING: DEBUG_RWSEMS_WARN_ON(rwsem_owner(sem) != current): downgrade_write() without the write lock",
			 "rw_semaphore", sem, sem->name);
		return;
	}
	sem->count = 1;
	rwsem_mark_wake(sem, &wake_q);
	spin_unlock_irqrestore(&sem->wait_lock, flags);
	wake_up_q(&wake_q);
}

bool rwsem_is_locked(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->count) != 0;
}

void rwsem_assert_held(struct rw_semaphore *sem)
{
	if (!rwsem_is_locked(sem))
		lock_bug("WARNING: lockdep_assert_held() failed: rwsem not held", "rw_semaphore", sem, sem->name);
}

void rwsem_assert_held_write(struct rw_semaphore *sem)
{
	if (READ_ONCE(sem->count) != -1 || READ_ONCE(sem->owner) != current)
		lock_bug("WARNING: lockdep_assert_held_write() failed: rwsem not held for write by this task",
			 "rw_semaphore", sem, sem->name);
}
