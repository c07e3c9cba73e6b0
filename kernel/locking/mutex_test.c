/*
 * ktests for mutexes (kernel/locking/mutex.c): exclusion under contention,
 * FIFO hand-off, trylock, and killable and interruptible waits. Each test
 * starts from the locking fixture (locking_test.h) and ends clean.
 */
#include <kernel/time.h>
#include <lib/string.h>
#include "locking_test.h"

enum { MC_THREADS = 4, MC_ITERS = 200 };

static struct mutex_contend {
	struct mutex *m;
	unsigned long counter;
	volatile int inside;
	int violations, ndone;
} mc;

static int mutex_contend_fn(void *unused)
{
	for (int i = 0; i < MC_ITERS; i++) {
		mutex_lock(mc.m);
		if (mc.inside)
			mc.violations++;
		mc.inside = 1;
		unsigned long tmp = mc.counter;	/* a non-atomic increment, split by a sleep or yield */
		if (i % 10 == 0)
			msleep(1);
		else
			yield();
		mc.counter = tmp + 1;
		mc.inside = 0;
		mutex_unlock(mc.m);
	}
	__atomic_add_fetch(&mc.ndone, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Mutual exclusion under contention: 4 threads x 200 increments that sleep mid-way lose none. */
KTEST(mutex_exclusion_contention)
{
	struct lock_fixture *f = lock_fixture_begin();

	memset(&mc, 0, sizeof(mc));
	mc.m = &f->m;
	for (int i = 0; i < MC_THREADS; i++)
		fixture_thread(f, mutex_contend_fn, NULL, "mutex_contend");
	bool done = WAIT_FOR(READ_ONCE(mc.ndone) == f->nr_tasks, 60);
	KT_STOP_THREADS(f);
	KT_ASSERT_MSG(done, "only %d of %d threads finished", mc.ndone, MC_THREADS);
	KT_ASSERT_EQ(mc.violations, 0);
	KT_ASSERT_EQ(mc.counter, MC_THREADS * MC_ITERS);
	KT_ASSERT_FIXTURE_CLEAN(f);
}

/*
 * FIFO hand-off: waiters get the mutex in the order they queued, and
 * mutex_unlock() gives it straight to the first of them, so nobody (here:
 * the unlocker's own trylock) can barge in.
 */
KTEST(mutex_fifo_handoff)
{
	enum { N = 4 };
	struct lock_fixture *f = lock_fixture_begin();
	struct locker *l[N];

	mutex_lock(&f->m);
	for (int i = 0; i < N; i++)
		l[i] = start_blocked(f, MUTEX_LOCK, false);
	mutex_unlock(&f->m);
	struct task_struct *new_owner = READ_ONCE(f->m.owner);
	bool barged = mutex_trylock(&f->m);
	if (barged)
		mutex_unlock(&f->m);
	bool all = WAIT_FOR(l[0]->done && l[1]->done && l[2]->done && l[3]->done, 5);
	KT_STOP_THREADS(f);
	KT_ASSERT_MSG(new_owner == l[0]->task, "the mutex went to %s, not the first waiter",
		      new_owner ? new_owner->comm : "nobody");
	KT_ASSERT_MSG(!barged, "mutex_trylock() took the mutex from a waiter it was handed to");
	KT_ASSERT(all);
	KT_ASSERT_EQ(f->order.n, N);
	for (int i = 0; i < N; i++)
		KT_ASSERT_MSG(f->order.ids[i] == i, "order: %d %d %d %d", f->order.ids[0], f->order.ids[1],
			      f->order.ids[2], f->order.ids[3]);
	KT_ASSERT_FIXTURE_CLEAN(f);
}

/* mutex_trylock(): succeeds on a free mutex (we own it), fails while anyone holds it. */
KTEST(mutex_trylock_states)
{
	struct lock_fixture *f = lock_fixture_begin();
	struct mutex *m = &f->m;

	KT_ASSERT(!mutex_is_locked(m));
	KT_ASSERT(mutex_trylock(m));
	KT_ASSERT(m->owner == current);
	KT_ASSERT(mutex_is_locked(m));
	bool again = mutex_trylock(m);		/* held by us */
	mutex_unlock(m);
	KT_ASSERT(!again);
	KT_ASSERT(mutex_free(m));

	struct locker *h = start_locker(f, MUTEX_LOCK, true);
	bool held = WAIT_FOR(h->acquired, 2);
	bool by_other = !mutex_trylock(m);	/* held by another task */
	KT_STOP_THREADS(f);
	KT_ASSERT(held && by_other);
	KT_ASSERT(mutex_trylock(m));		/* free again */
	mutex_unlock(m);
	KT_ASSERT_FIXTURE_CLEAN(f);
}

/*
 * mutex_lock_killable() ignores SIGUSR1, returns -EINTR on SIGKILL and
 * leaves the queue; the mutex stays consistent: the waiter behind it gets
 * it on unlock, and afterwards it is free. mutex_lock_interruptible()
 * returns -EINTR on any signal.
 */
KTEST(mutex_lock_killable_sigkill)
{
	struct lock_fixture *f = lock_fixture_begin();

	mutex_lock(&f->m);
	struct locker *k = start_blocked(f, MUTEX_LOCK_KILLABLE, false);
	struct locker *i = start_blocked(f, MUTEX_LOCK_INTERRUPTIBLE, false);
	struct locker *w = start_blocked(f, MUTEX_LOCK, false);
	signal_locker(i, SIGUSR1);
	WAIT_FOR(i->done, 2);
	bool usr1_ignored = locker_ignores(k, SIGUSR1);
	kill_locker(k);
	bool w_waits = locker_blocked(w) && f->m.owner == current;
	mutex_unlock(&f->m);
	WAIT_FOR(w->done, 2);
	KT_STOP_THREADS(f);
	KT_ASSERT_INTERRUPTED(i);
	KT_ASSERT_MSG(usr1_ignored, "SIGUSR1 ended mutex_lock_killable()");
	KT_ASSERT_INTERRUPTED(k);
	KT_ASSERT(w_waits);
	KT_ASSERT_MSG(w->done && w->acquired, "the waiter behind the killed one never got the mutex");
	KT_ASSERT(mutex_free(&f->m));
	KT_ASSERT(mutex_trylock(&f->m));
	mutex_unlock(&f->m);
	KT_ASSERT_FIXTURE_CLEAN(f);
}
