/*
 * The locking ktests' fixture and lockers (see locking_test.h). The tests
 * themselves are by topic: mutex_test.c, rwsem_test.c, spinlock_test.c,
 * lock_stress_test.c (all three locks at once) and lock_debug_test.c (every
 * lock-debugging report).
 */
#include <kernel/time.h>
#include <lib/string.h>
#include <mm/mm.h>
#include "locking_test.h"

static struct lock_fixture fixture;

struct lock_fixture *lock_fixture_begin(void)
{
	struct lock_fixture *f = &fixture;

	memset(f, 0, sizeof(*f));
	init_rwsem(&f->sem);
	mutex_init(&f->m);
	spin_lock_init(&f->lock);
	f->started = f->queued = true;
	f->freed0 = nr_tasks_freed;
	f->pages0 = nr_free_pages();
	return f;
}

bool sem_free(struct rw_semaphore *sem)
{
	return sem->count == 0 && !sem->owner && list_empty(&sem->wait_list);
}

bool mutex_free(struct mutex *m)
{
	return !m->owner && list_empty(&m->wait_list);
}

static int take(struct locker *l)
{
	switch (l->op) {
	case DOWN_READ: down_read(l->sem); return 0;
	case DOWN_READ_KILLABLE: return down_read_killable(l->sem);
	case DOWN_WRITE: down_write(l->sem); return 0;
	case DOWN_WRITE_KILLABLE: return down_write_killable(l->sem);
	case MUTEX_LOCK: mutex_lock(l->m); return 0;
	case MUTEX_LOCK_KILLABLE: return mutex_lock_killable(l->m);
	case MUTEX_LOCK_INTERRUPTIBLE: return mutex_lock_interruptible(l->m);
	}
	return -EINVAL;
}

static void let_go(struct locker *l)
{
	if (l->op == DOWN_READ || l->op == DOWN_READ_KILLABLE)
		up_read(l->sem);
	else if (l->op == DOWN_WRITE || l->op == DOWN_WRITE_KILLABLE)
		up_write(l->sem);
	else
		mutex_unlock(l->m);
}

static int locker_fn(void *data)
{
	struct locker *l = data;

	l->ret = take(l);
	if (l->ret == 0) {
		l->order->ids[__atomic_fetch_add(&l->order->n, 1, __ATOMIC_RELAXED)] = l->id;
		WRITE_ONCE(l->acquired, 1);
		while (l->hold && !READ_ONCE(l->release))
			schedule_timeout_uninterruptible(1);
		let_go(l);
	}
	flush_signals(current);
	WRITE_ONCE(l->done, 1);
	return l->ret;
}

static void count_started(struct lock_fixture *f, struct task_struct *t)
{
	if (t)
		f->nr_tasks++;
	else
		f->started = false;
}

struct locker *start_locker(struct lock_fixture *f, enum lock_op op, bool hold)
{
	BUG_ON(f->nr_lockers == MAX_LOCKERS);
	struct locker *l = &f->lockers[f->nr_lockers];

	*l = (struct locker){ .op = op, .id = f->nr_lockers++, .order = &f->order, .hold = hold, .ret = 1 };
	if (op >= MUTEX_LOCK)
		l->m = &f->m;
	else
		l->sem = &f->sem;
	l->task = ktest_start_thread(locker_fn, l, "locker");
	count_started(f, l->task);
	return l;
}

/* The locker is asleep in the lock's wait queue. */
bool locker_blocked(struct locker *l)
{
	const void *lock = l->sem ? (const void *)l->sem : (const void *)l->m;

	return l->task && READ_ONCE(l->task->blocked_on) == lock && !READ_ONCE(l->task->on_rq) &&
	       !READ_ONCE(l->acquired);
}

struct locker *start_blocked(struct lock_fixture *f, enum lock_op op, bool hold)
{
	struct locker *l = start_locker(f, op, hold);

	if (!WAIT_FOR(locker_blocked(l), 2))
		f->queued = false;
	return l;
}

void signal_locker(struct locker *l, int sig)
{
	if (l->task)
		send_sig(sig, l->task, 1);
}

bool locker_ignores(struct locker *l, int sig)
{
	signal_locker(l, sig);
	msleep(20);
	return !READ_ONCE(l->done) && locker_blocked(l);
}

void kill_locker(struct locker *l)
{
	signal_locker(l, SIGKILL);
	WAIT_FOR(l->done, 2);
}

int stop_locker(struct locker *l)
{
	WRITE_ONCE(l->release, 1);
	if (l->task && !l->stopped) {
		l->stopped = true;
		ktest_stop_thread(l->task);
	}
	return l->ret;
}

struct task_struct *fixture_thread(struct lock_fixture *f, int (*fn)(void *), void *data, const char *name)
{
	BUG_ON(f->nr_threads == MAX_THREADS);
	struct task_struct *t = ktest_start_thread(fn, data, name);

	f->threads[f->nr_threads++] = t;
	count_started(f, t);
	return t;
}

/*
 * Every holder is told to let go before any is stopped: a locker still
 * waiting behind another holder then gets its turn instead of deadlocking
 * kthread_stop().
 */
void lock_fixture_stop(struct lock_fixture *f)
{
	for (int i = 0; i < f->nr_lockers; i++)
		WRITE_ONCE(f->lockers[i].release, 1);
	for (int i = 0; i < f->nr_lockers; i++)
		stop_locker(&f->lockers[i]);
	for (int i = 0; i < f->nr_threads; i++) {
		if (f->threads[i])
			ktest_stop_thread(f->threads[i]);
		f->threads[i] = NULL;
	}
}
