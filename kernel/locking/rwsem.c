/*
 * Read/write semaphores (Linux: kernel/locking/rwsem.c, without optimistic
 * spinning or the lock-stealing fast paths), the lock behind mmap_lock.
 *
 * sem->count is the number of readers holding the lock, -1 while a writer
 * holds it, 0 when free. Waiters queue in FIFO order and never take the lock
 * themselves (lock_wait_handoff(), shared with mutexes): the releaser hands
 * it over (rwsem_mark_wake()) and sets ->granted before waking them, so
 * order is decided under one lock:
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
#include <kernel/lock_waiter.h>

enum rwsem_waiter_type { RWSEM_WAITING_FOR_WRITE, RWSEM_WAITING_FOR_READ };

struct rwsem_waiter {
	struct lock_waiter w;
	enum rwsem_waiter_type type;
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

static void grant(struct lock_waiter *w, struct wake_q_head *wake_q)
{
	list_del(&w->list);
	w->granted = true;
	wake_q_add(wake_q, w->task);
}

/* Hand the lock to whoever is at the head of the queue and can have it now. */
static void rwsem_mark_wake(struct rw_semaphore *sem, struct wake_q_head *wake_q)
{
	/* LAB rwsem */
	/* LAB rwsem STUB
	if (list_empty(&sem->wait_list))
		return;
	struct rwsem_waiter *w = list_first_entry(&sem->wait_list, struct rwsem_waiter, w.list);
	if (w->type == RWSEM_WAITING_FOR_WRITE ? sem->count != 0 : sem->count < 0)
		return;
	sem->count = w->type == RWSEM_WAITING_FOR_WRITE ? -1 : sem->count + 1;
	sem->owner = w->w.task;
	grant(&w->w, wake_q);
	*/
	while (!list_empty(&sem->wait_list)) {
		struct rwsem_waiter *w = list_first_entry(&sem->wait_list, struct rwsem_waiter, w.list);
		if (w->type == RWSEM_WAITING_FOR_WRITE) {
			if (sem->count == 0) {
				sem->count = -1;
				sem->owner = w->w.task;
				grant(&w->w, wake_q);
			}
			return;
		}
		if (sem->count < 0)
			return;
		sem->count++;
		sem->owner = w->w.task;
		grant(&w->w, wake_q);
	}
	/* END LAB */
}

/* Not inlined: a sleeping task's backtrace names it, as Linux's rwsem_down_*_slowpath(). */
static __noinline __sched int rwsem_down_slowpath(struct rw_semaphore *sem, enum rwsem_waiter_type type,
					  unsigned int state, unsigned long *flags)
{
	struct rwsem_waiter waiter = { .type = type };
	DEFINE_WAKE_Q(wake_q);
	int ret = lock_wait_handoff(&sem->wait_lock, flags, &sem->wait_list, &waiter.w, state, sem,
				    "rw-semaphore");

	if (ret)
		rwsem_mark_wake(sem, &wake_q);	/* we may have been holding others up */
	spin_unlock_irqrestore(&sem->wait_lock, *flags);
	wake_up_q(&wake_q);
	return ret;
}

/*
 * Take sem at once if a new locker may: nobody is queued (so a queued writer
 * is not passed), and it is free (a writer) or not write-held (a reader).
 * Caller holds wait_lock.
 */
static bool rwsem_try_take(struct rw_semaphore *sem, bool write)
{
	/* LAB rwsem */
	/* LAB rwsem STUB
	if (write ? sem->count != 0 : sem->count < 0)
		return false;
	*/
	if (!list_empty(&sem->wait_list) || (write ? sem->count != 0 : sem->count < 0))
		return false;
	/* END LAB */
	sem->count = write ? -1 : sem->count + 1;
	sem->owner = current;
	return true;
}

static int __sched __down(struct rw_semaphore *sem, bool write, unsigned int state)
{
	unsigned long flags;

	might_sleep();
	spin_lock_irqsave(&sem->wait_lock, flags);
	if (rwsem_try_take(sem, write)) {
		spin_unlock_irqrestore(&sem->wait_lock, flags);
		return 0;
	}
	if (sem->count < 0 && sem->owner == current)
		lock_bug(write ? "WARNING: possible recursive locking detected: recursive down_write()" :
				 "WARNING: possible recursive locking detected: down_read() while holding it for write",
			 "rw_semaphore", sem, sem->name);
	return rwsem_down_slowpath(sem, write ? RWSEM_WAITING_FOR_WRITE : RWSEM_WAITING_FOR_READ, state, &flags);
}

static int rwsem_trylock(struct rw_semaphore *sem, bool write)
{
	unsigned long flags;

	spin_lock_irqsave(&sem->wait_lock, flags);
	bool ok = rwsem_try_take(sem, write);
	spin_unlock_irqrestore(&sem->wait_lock, flags);
	return ok;
}

void __sched down_read(struct rw_semaphore *sem) { __down(sem, false, TASK_UNINTERRUPTIBLE); }
int __sched down_read_killable(struct rw_semaphore *sem) { return __down(sem, false, TASK_KILLABLE); }
int down_read_trylock(struct rw_semaphore *sem) { return rwsem_trylock(sem, false); }
void __sched down_write(struct rw_semaphore *sem) { __down(sem, true, TASK_UNINTERRUPTIBLE); }
int __sched down_write_killable(struct rw_semaphore *sem) { return __down(sem, true, TASK_KILLABLE); }
int down_write_trylock(struct rw_semaphore *sem) { return rwsem_trylock(sem, true); }

enum rwsem_release { RELEASE_READ, RELEASE_WRITE, RELEASE_DOWNGRADE };

static const char *const rwsem_release_bug[] = {
	[RELEASE_READ] = "WARNING: DEBUG_RWSEMS_WARN_ON(count <= 0): up_read() of an rwsem not held for read",
	[RELEASE_WRITE] = "WARNING: DEBUG_RWSEMS_WARN_ON(rwsem_owner(sem) != current): up_write() by a task that does not hold it",
	[RELEASE_DOWNGRADE] = "WARNING: DEBUG_RWSEMS_WARN_ON(rwsem_owner(sem) != current): downgrade_write() without the write lock",
};

/*
 * up_read(), up_write() and downgrade_write(): check that current may
 * release sem that way (a reader cannot be checked beyond "some reader
 * holds it"), give up its part, and hand the lock to whoever can have it
 * now. A release by a task that does not hold it is reported and ignored.
 */
static void rwsem_release(struct rw_semaphore *sem, enum rwsem_release how)
{
	DEFINE_WAKE_Q(wake_q);
	unsigned long flags;
	bool held;

	spin_lock_irqsave(&sem->wait_lock, flags);
	held = how == RELEASE_READ ? sem->count > 0 : sem->count == -1 && sem->owner == current;
	if (held) {
		sem->count = how == RELEASE_READ ? sem->count - 1 : how == RELEASE_WRITE ? 0 : 1;
		if (sem->count == 0)
			sem->owner = NULL;
		rwsem_mark_wake(sem, &wake_q);
	}
	spin_unlock_irqrestore(&sem->wait_lock, flags);
	if (!held)
		lock_bug(rwsem_release_bug[how], "rw_semaphore", sem, sem->name);
	wake_up_q(&wake_q);
}

void up_read(struct rw_semaphore *sem) { rwsem_release(sem, RELEASE_READ); }
void up_write(struct rw_semaphore *sem) { rwsem_release(sem, RELEASE_WRITE); }
/* Turn our write lock into a read lock and let the readers queued at the head in with us. */
void downgrade_write(struct rw_semaphore *sem) { rwsem_release(sem, RELEASE_DOWNGRADE); }

bool rwsem_is_locked(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->count) != 0;
}

void __rwsem_assert_held(struct rw_semaphore *sem, const struct lock_site *site)
{
	if (!rwsem_is_locked(sem))
		lock_bug_at(site, "WARNING: lockdep_assert_held() failed: rwsem not held", "rw_semaphore", sem,
			    sem->name);
}

void __rwsem_assert_held_write(struct rw_semaphore *sem, const struct lock_site *site)
{
	if (READ_ONCE(sem->count) != -1 || READ_ONCE(sem->owner) != current)
		lock_bug_at(site, "WARNING: lockdep_assert_held_write() failed: rwsem not held for write by this task",
			    "rw_semaphore", sem, sem->name);
}
