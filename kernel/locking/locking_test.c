/*
 * ktests for the sleeping locks and the lock debugging (kernel/locking/):
 * mutex exclusion, FIFO hand-off, trylock and killable waits; rwsem sharing,
 * exclusion, trylock in every state, fairness (a queued writer goes before
 * later readers, readers behind a writer go together), killable waits,
 * downgrade_write(); a randomized stress test over an rwsem, a mutex and a
 * spinlock; and every lock-debugging report, checked through its counter
 * (lock_bug_count, sched_bug_count: exactly the expected increase) and its
 * line in the log, after which the lock must still work.
 *
 * Lock holders and waiters are "lockers": kthreads that take one lock one
 * way, record the order in which they got it, optionally hold it until the
 * test says so, and release it. A locker is known to be queued on a lock
 * when its ->blocked_on points at the lock and it is off the run queue.
 *
 * Tests run in init (pid 1), one at a time; each stops its threads, leaves
 * its locks free, and checks that the tasks were freed and nr_free_pages()
 * is back at its starting value. Thread results are asserted after the
 * threads are stopped.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/signal.h>
#include <kernel/mutex.h>
#include <kernel/rwsem.h>
#include <kernel/spinlock.h>
#include <kernel/completion.h>
#include <kernel/lock_debug.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <arch/processor.h>
#include <uapi/errno.h>

static bool sem_free(struct rw_semaphore *sem)
{
	return sem->count == 0 && !sem->owner && list_empty(&sem->wait_list);
}

static bool mutex_free(struct mutex *m)
{
	return !m->owner && list_empty(&m->wait_list);
}

/* ------------------------------------------------------------------ lockers */

enum lock_op {
	DOWN_READ, DOWN_READ_KILLABLE, DOWN_WRITE, DOWN_WRITE_KILLABLE,
	MUTEX_LOCK, MUTEX_LOCK_KILLABLE, MUTEX_LOCK_INTERRUPTIBLE,
};

/* The order in which lockers got their lock. */
struct order {
	int n;
	int ids[16];
};

struct locker {
	enum lock_op op;
	struct rw_semaphore *sem;
	struct mutex *m;
	int id;
	struct order *order;	/* may be NULL */
	bool hold;		/* keep the lock until ->release */
	volatile int release;
	volatile int acquired, done;
	int ret;		/* the lock call's result */
	struct task_struct *task;
};

static int locker_fn(void *data)
{
	struct locker *l = data;

	switch (l->op) {
	case DOWN_READ: down_read(l->sem); l->ret = 0; break;
	case DOWN_READ_KILLABLE: l->ret = down_read_killable(l->sem); break;
	case DOWN_WRITE: down_write(l->sem); l->ret = 0; break;
	case DOWN_WRITE_KILLABLE: l->ret = down_write_killable(l->sem); break;
	case MUTEX_LOCK: mutex_lock(l->m); l->ret = 0; break;
	case MUTEX_LOCK_KILLABLE: l->ret = mutex_lock_killable(l->m); break;
	case MUTEX_LOCK_INTERRUPTIBLE: l->ret = mutex_lock_interruptible(l->m); break;
	}
	if (l->ret == 0) {
		if (l->order)
			l->order->ids[__atomic_fetch_add(&l->order->n, 1, __ATOMIC_RELAXED)] = l->id;
		WRITE_ONCE(l->acquired, 1);
		while (l->hold && !READ_ONCE(l->release))
			schedule_timeout_uninterruptible(1);
		if (l->op == DOWN_READ || l->op == DOWN_READ_KILLABLE)
			up_read(l->sem);
		else if (l->op == DOWN_WRITE || l->op == DOWN_WRITE_KILLABLE)
			up_write(l->sem);
		else
			mutex_unlock(l->m);
	}
	flush_signals(current);
	WRITE_ONCE(l->done, 1);
	return l->ret;
}

static bool start_locker(struct locker *l, enum lock_op op, void *lock, int id, struct order *order, bool hold)
{
	*l = (struct locker){ .op = op, .id = id, .order = order, .hold = hold, .ret = 1 };
	if (op >= MUTEX_LOCK)
		l->m = lock;
	else
		l->sem = lock;
	l->task = ktest_start_thread(locker_fn, l, "locker");
	return l->task != NULL;
}

/* The locker is asleep in the lock's wait queue. */
static bool locker_blocked(struct locker *l)
{
	const void *lock = l->sem ? (const void *)l->sem : (const void *)l->m;

	return READ_ONCE(l->task->blocked_on) == lock && !READ_ONCE(l->task->on_rq) &&
	       !READ_ONCE(l->acquired);
}

/* Start a locker and wait until it is queued on the lock (so the queue order is known). */
static bool start_blocked_locker(struct locker *l, enum lock_op op, void *lock, int id, struct order *order,
				 bool hold)
{
	return start_locker(l, op, lock, id, order, hold) && WAIT_FOR(locker_blocked(l), 2);
}

/* Let a holding locker go and stop it; returns the lock call's result. */
static int stop_locker(struct locker *l)
{
	WRITE_ONCE(l->release, 1);
	return ktest_stop_thread(l->task);
}

/* -------------------------------------------------------------------- mutex */

struct mutex_contend {
	struct mutex m;
	unsigned long counter;
	volatile int inside;
	int violations, ndone;
};

enum { MC_THREADS = 4, MC_ITERS = 200 };

static int mutex_contend_fn(void *data)
{
	struct mutex_contend *c = data;

	for (int i = 0; i < MC_ITERS; i++) {
		mutex_lock(&c->m);
		if (c->inside)
			c->violations++;
		c->inside = 1;
		unsigned long tmp = c->counter;	/* a non-atomic increment, split by a sleep or yield */
		if (i % 10 == 0)
			msleep(1);
		else
			yield();
		c->counter = tmp + 1;
		c->inside = 0;
		mutex_unlock(&c->m);
	}
	__atomic_add_fetch(&c->ndone, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Mutual exclusion under contention: 4 threads x 200 increments that sleep mid-way lose none. */
KTEST(mutex_exclusion_contention)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	static struct mutex_contend c;
	struct task_struct *t[MC_THREADS];

	memset(&c, 0, sizeof(c));
	mutex_init(&c.m);
	for (int i = 0; i < MC_THREADS; i++) {
		t[i] = ktest_start_thread(mutex_contend_fn, &c, "mutex_contend");
		KT_ASSERT(t[i]);
	}
	bool done = WAIT_FOR(READ_ONCE(c.ndone) == MC_THREADS, 60);
	KT_ASSERT_MSG(done, "only %d of %d threads finished", c.ndone, MC_THREADS);
	for (int i = 0; i < MC_THREADS; i++)
		ktest_stop_thread(t[i]);
	KT_ASSERT_EQ(c.violations, 0);
	KT_ASSERT_EQ(c.counter, MC_THREADS * MC_ITERS);
	KT_ASSERT(mutex_free(&c.m));
	KT_ASSERT_ALL_FREED(freed, MC_THREADS, pages);
}

/*
 * FIFO hand-off: waiters get the mutex in the order they queued, and
 * mutex_unlock() gives it straight to the first of them, so nobody (here:
 * the unlocker's own trylock) can barge in.
 */
KTEST(mutex_fifo_handoff)
{
	enum { N = 4 };
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct mutex m;
	struct order order = { 0 };
	struct locker l[N];
	bool queued = true, all;

	mutex_init(&m);
	mutex_lock(&m);
	for (int i = 0; i < N; i++)
		queued &= start_blocked_locker(&l[i], MUTEX_LOCK, &m, i, &order, false);
	mutex_unlock(&m);
	struct task_struct *new_owner = READ_ONCE(m.owner);
	bool barged = mutex_trylock(&m);
	if (barged)
		mutex_unlock(&m);
	all = WAIT_FOR(l[0].done && l[1].done && l[2].done && l[3].done, 5);
	for (int i = 0; i < N; i++)
		stop_locker(&l[i]);
	KT_ASSERT(queued);
	KT_ASSERT_MSG(new_owner == l[0].task, "the mutex went to %s, not the first waiter",
		      new_owner ? new_owner->comm : "nobody");
	KT_ASSERT_MSG(!barged, "mutex_trylock() took the mutex from a waiter it was handed to");
	KT_ASSERT(all);
	KT_ASSERT_EQ(order.n, N);
	for (int i = 0; i < N; i++)
		KT_ASSERT_MSG(order.ids[i] == i, "order: %d %d %d %d", order.ids[0], order.ids[1], order.ids[2],
			      order.ids[3]);
	KT_ASSERT(mutex_free(&m));
	KT_ASSERT_ALL_FREED(freed, N, pages);
}

/* mutex_trylock(): succeeds on a free mutex (we own it), fails while anyone holds it. */
KTEST(mutex_trylock_states)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct mutex m;
	struct locker h;

	mutex_init(&m);
	KT_ASSERT(!mutex_is_locked(&m));
	KT_ASSERT(mutex_trylock(&m));
	KT_ASSERT(m.owner == current);
	KT_ASSERT(mutex_is_locked(&m));
	KT_ASSERT(!mutex_trylock(&m));		/* held by us */
	mutex_unlock(&m);
	KT_ASSERT(mutex_free(&m));

	KT_ASSERT(start_locker(&h, MUTEX_LOCK, &m, 0, NULL, true));
	bool held = WAIT_FOR(h.acquired, 2);
	bool by_other = !mutex_trylock(&m);	/* held by another task */
	stop_locker(&h);
	KT_ASSERT(held && by_other);
	KT_ASSERT(mutex_trylock(&m));		/* free again */
	mutex_unlock(&m);
	KT_ASSERT(mutex_free(&m));
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

/*
 * mutex_lock_killable() ignores SIGUSR1, returns -EINTR on SIGKILL and
 * leaves the queue; the mutex stays consistent: the waiter behind it gets
 * it on unlock, and afterwards it is free. mutex_lock_interruptible()
 * returns -EINTR on any signal.
 */
KTEST(mutex_lock_killable_sigkill)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct mutex m;
	struct locker k, w, i;
	bool queued, usr1_ignored, w_waits;

	mutex_init(&m);
	mutex_lock(&m);
	queued = start_blocked_locker(&k, MUTEX_LOCK_KILLABLE, &m, 0, NULL, false);
	queued &= start_blocked_locker(&i, MUTEX_LOCK_INTERRUPTIBLE, &m, 1, NULL, false);
	queued &= start_blocked_locker(&w, MUTEX_LOCK, &m, 2, NULL, false);
	send_sig(SIGUSR1, k.task, 1);
	send_sig(SIGUSR1, i.task, 1);
	WAIT_FOR(i.done, 2);
	msleep(20);
	usr1_ignored = !k.done && locker_blocked(&k);
	send_sig(SIGKILL, k.task, 1);
	WAIT_FOR(k.done, 2);
	w_waits = locker_blocked(&w) && m.owner == current;
	mutex_unlock(&m);
	WAIT_FOR(w.done, 2);
	stop_locker(&k);
	stop_locker(&i);
	stop_locker(&w);
	KT_ASSERT(queued);
	KT_ASSERT_MSG(i.done && i.ret == -EINTR, "interruptible: done %d ret %d", i.done, i.ret);
	KT_ASSERT_MSG(usr1_ignored, "SIGUSR1 ended mutex_lock_killable()");
	KT_ASSERT_MSG(k.done && k.ret == -EINTR, "killable: done %d ret %d", k.done, k.ret);
	KT_ASSERT(!k.acquired && !i.acquired);
	KT_ASSERT(w_waits);
	KT_ASSERT_MSG(w.done && w.acquired, "the waiter behind the killed one never got the mutex");
	KT_ASSERT(mutex_free(&m));
	KT_ASSERT(mutex_trylock(&m));
	mutex_unlock(&m);
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}

/* -------------------------------------------------------------------- rwsem */

/* Readers share: while we hold it for read, two more readers get in at once. */
KTEST(rwsem_readers_share)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct locker r1, r2;

	init_rwsem(&sem);
	down_read(&sem);
	KT_ASSERT(start_locker(&r1, DOWN_READ, &sem, 1, NULL, true));
	KT_ASSERT(start_locker(&r2, DOWN_READ, &sem, 2, NULL, true));
	bool shared = WAIT_FOR(r1.acquired && r2.acquired, 2);
	long count = sem.count;
	bool locked = rwsem_is_locked(&sem);
	up_read(&sem);
	stop_locker(&r1);
	stop_locker(&r2);
	KT_ASSERT_MSG(shared, "a reader could not share the lock (acquired %d %d)", r1.acquired, r2.acquired);
	KT_ASSERT_EQ(count, 3);
	KT_ASSERT(locked);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT(!rwsem_is_locked(&sem));
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/* A writer excludes readers and writers: nobody gets in while it holds the lock. */
KTEST(rwsem_writer_excludes)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct locker r, w;
	bool queued, excluded, r_in, w_waits_for_reader, w_in, r_excluded_by_w;

	init_rwsem(&sem);
	down_write(&sem);
	queued = start_blocked_locker(&r, DOWN_READ, &sem, 1, NULL, true);
	queued &= start_blocked_locker(&w, DOWN_WRITE, &sem, 2, NULL, true);
	msleep(50);
	excluded = !r.acquired && !w.acquired && sem.count == -1 && sem.owner == current;
	up_write(&sem);
	r_in = WAIT_FOR(r.acquired, 2);
	msleep(20);
	w_waits_for_reader = !w.acquired && locker_blocked(&w) && sem.count == 1;
	WRITE_ONCE(r.release, 1);
	w_in = WAIT_FOR(w.acquired, 2);
	r_excluded_by_w = !down_read_trylock(&sem) && sem.count == -1 && sem.owner == w.task;
	stop_locker(&r);
	stop_locker(&w);
	KT_ASSERT(queued);
	KT_ASSERT_MSG(excluded, "someone got in past the writer (r %d w %d count %ld)", r.acquired, w.acquired,
		      sem.count);
	KT_ASSERT(r_in);
	KT_ASSERT_MSG(w_waits_for_reader, "the writer got in beside a reader");
	KT_ASSERT(w_in);
	KT_ASSERT(r_excluded_by_w);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/*
 * Trylock in every state: free (both succeed), read-held (read succeeds,
 * write fails), write-held by us or by another task (both fail), read-held
 * with a writer queued (both fail: a new reader must not pass the writer).
 */
KTEST(rwsem_trylock_states)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct locker h, w;
	int r;

	init_rwsem(&sem);
	/* free */
	KT_ASSERT_EQ(down_read_trylock(&sem), 1);
	KT_ASSERT_EQ(sem.count, 1);
	up_read(&sem);
	KT_ASSERT_EQ(down_write_trylock(&sem), 1);
	KT_ASSERT(sem.count == -1 && sem.owner == current);
	up_write(&sem);
	KT_ASSERT(sem_free(&sem));

	/* read-held */
	down_read(&sem);
	KT_ASSERT_EQ(down_read_trylock(&sem), 1);
	KT_ASSERT_EQ(sem.count, 2);
	up_read(&sem);
	KT_ASSERT_EQ(down_write_trylock(&sem), 0);
	KT_ASSERT_EQ(sem.count, 1);
	up_read(&sem);
	KT_ASSERT(sem_free(&sem));

	/* write-held by us */
	down_write(&sem);
	KT_ASSERT_EQ(down_read_trylock(&sem), 0);
	KT_ASSERT_EQ(down_write_trylock(&sem), 0);
	KT_ASSERT(sem.count == -1 && sem.owner == current);
	up_write(&sem);

	/* write-held by another task */
	KT_ASSERT(start_locker(&h, DOWN_WRITE, &sem, 0, NULL, true));
	bool held = WAIT_FOR(h.acquired, 2);
	int rt = down_read_trylock(&sem), wt = down_write_trylock(&sem);
	stop_locker(&h);
	KT_ASSERT(held);
	KT_ASSERT_EQ(rt, 0);
	KT_ASSERT_EQ(wt, 0);
	KT_ASSERT(sem_free(&sem));

	/* read-held with a writer queued */
	down_read(&sem);
	bool queued = start_blocked_locker(&w, DOWN_WRITE, &sem, 0, NULL, false);
	rt = down_read_trylock(&sem);
	if (rt)
		up_read(&sem);
	wt = down_write_trylock(&sem);
	if (wt)
		up_write(&sem);
	up_read(&sem);
	r = WAIT_FOR(w.done, 2);
	stop_locker(&w);
	KT_ASSERT(queued);
	KT_ASSERT_MSG(rt == 0, "down_read_trylock() passed a queued writer");
	KT_ASSERT_EQ(wt, 0);
	KT_ASSERT(r && w.acquired);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/*
 * Fairness: with readers holding the lock and a writer queued, a reader that
 * arrives later queues behind the writer (it does not join the readers) and
 * gets the lock only after the writer.
 */
KTEST(rwsem_writer_before_later_readers)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct order order = { 0 };
	struct locker w, r1, r2;
	bool queued, readers_wait, all;

	init_rwsem(&sem);
	down_read(&sem);
	queued = start_blocked_locker(&w, DOWN_WRITE, &sem, 1, &order, false);
	queued &= start_blocked_locker(&r1, DOWN_READ, &sem, 2, &order, false);
	queued &= start_blocked_locker(&r2, DOWN_READ, &sem, 3, &order, false);
	msleep(20);
	readers_wait = !r1.acquired && !r2.acquired && sem.count == 1;
	up_read(&sem);
	all = WAIT_FOR(w.done && r1.done && r2.done, 2);
	stop_locker(&w);
	stop_locker(&r1);
	stop_locker(&r2);
	KT_ASSERT(queued);
	KT_ASSERT_MSG(readers_wait, "a later reader joined the readers past the queued writer");
	KT_ASSERT(all);
	KT_ASSERT_EQ(order.n, 3);
	KT_ASSERT_MSG(order.ids[0] == 1, "order %d %d %d: the writer was not first", order.ids[0], order.ids[1],
		      order.ids[2]);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}

/*
 * down_write_killable(): SIGKILL makes it return -EINTR, and since the
 * killed writer was what held the reader behind it back, that reader now
 * joins the readers at once. The lock ends free and usable.
 */
KTEST(rwsem_down_write_killable_sigkill)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct locker k, r;
	bool queued, r_in, usr1_ignored;

	init_rwsem(&sem);
	down_read(&sem);
	queued = start_blocked_locker(&k, DOWN_WRITE_KILLABLE, &sem, 1, NULL, false);
	queued &= start_blocked_locker(&r, DOWN_READ, &sem, 2, NULL, true);
	send_sig(SIGUSR1, k.task, 1);
	msleep(20);
	usr1_ignored = !k.done && locker_blocked(&k);
	send_sig(SIGKILL, k.task, 1);
	WAIT_FOR(k.done, 2);
	r_in = WAIT_FOR(r.acquired, 2);		/* while we still hold it for read */
	long count = sem.count;
	up_read(&sem);
	stop_locker(&k);
	stop_locker(&r);
	KT_ASSERT(queued);
	KT_ASSERT_MSG(usr1_ignored, "SIGUSR1 ended down_write_killable()");
	KT_ASSERT_MSG(k.done && k.ret == -EINTR, "done %d ret %d", k.done, k.ret);
	KT_ASSERT(!k.acquired);
	KT_ASSERT_MSG(r_in, "the reader queued behind the killed writer was left waiting");
	KT_ASSERT_EQ(count, 2);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT_EQ(down_write_trylock(&sem), 1);
	up_write(&sem);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/* down_read_killable(): SIGKILL makes it return -EINTR; the writer behind it still gets the lock later. */
KTEST(rwsem_down_read_killable_sigkill)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct locker k, w;
	bool queued, w_waits, w_in;

	init_rwsem(&sem);
	down_write(&sem);
	queued = start_blocked_locker(&k, DOWN_READ_KILLABLE, &sem, 1, NULL, false);
	queued &= start_blocked_locker(&w, DOWN_WRITE, &sem, 2, NULL, false);
	send_sig(SIGKILL, k.task, 1);
	WAIT_FOR(k.done, 2);
	msleep(20);
	w_waits = locker_blocked(&w) && sem.count == -1 && sem.owner == current;
	up_write(&sem);
	w_in = WAIT_FOR(w.done, 2);
	stop_locker(&k);
	stop_locker(&w);
	KT_ASSERT(queued);
	KT_ASSERT_MSG(k.done && k.ret == -EINTR, "done %d ret %d", k.done, k.ret);
	KT_ASSERT(!k.acquired);
	KT_ASSERT(w_waits);
	KT_ASSERT(w_in && w.acquired);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT_EQ(down_read_trylock(&sem), 1);
	up_read(&sem);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/*
 * downgrade_write() lets the readers queued behind us in while we still
 * hold the lock for read; a writer queued after them keeps waiting until
 * every reader, us included, is gone.
 */
KTEST(rwsem_downgrade_write)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct order order = { 0 };
	struct locker r1, r2, w;
	bool queued, readers_in, w_waits, w_in;

	init_rwsem(&sem);
	down_write(&sem);
	queued = start_blocked_locker(&r1, DOWN_READ, &sem, 1, &order, true);
	queued &= start_blocked_locker(&r2, DOWN_READ, &sem, 2, &order, true);
	queued &= start_blocked_locker(&w, DOWN_WRITE, &sem, 3, &order, false);
	downgrade_write(&sem);
	long count_after = sem.count;		/* granted under the lock, before anyone ran */
	readers_in = WAIT_FOR(r1.acquired && r2.acquired, 2);
	int write_try = down_write_trylock(&sem);
	msleep(20);
	w_waits = locker_blocked(&w);
	up_read(&sem);
	WRITE_ONCE(r1.release, 1);
	WRITE_ONCE(r2.release, 1);
	w_in = WAIT_FOR(w.done, 2);
	stop_locker(&r1);
	stop_locker(&r2);
	stop_locker(&w);
	KT_ASSERT(queued);
	KT_ASSERT_EQ(count_after, 3);
	KT_ASSERT_MSG(readers_in, "downgrade_write() did not let the queued readers in");
	KT_ASSERT_EQ(write_try, 0);
	KT_ASSERT_MSG(w_waits, "the writer got in beside the readers");
	KT_ASSERT(w_in);
	KT_ASSERT_EQ(order.n, 3);
	KT_ASSERT_EQ(order.ids[2], 3);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}

/*
 * Readers queued behind a writer are woken together when it releases: all
 * three are granted the lock by up_write() itself (count 3 before any of
 * them runs) and then hold it at the same time. A writer queued behind them
 * still waits.
 */
KTEST(rwsem_readers_woken_together)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct locker r[3], w;
	bool queued = true, together, w_waits, w_in;

	init_rwsem(&sem);
	down_write(&sem);
	for (int i = 0; i < 3; i++)
		queued &= start_blocked_locker(&r[i], DOWN_READ, &sem, i, NULL, true);
	queued &= start_blocked_locker(&w, DOWN_WRITE, &sem, 3, NULL, false);
	up_write(&sem);
	long count_after = sem.count;
	together = WAIT_FOR(r[0].acquired && r[1].acquired && r[2].acquired, 2);
	msleep(20);
	w_waits = locker_blocked(&w);
	for (int i = 0; i < 3; i++)
		WRITE_ONCE(r[i].release, 1);
	w_in = WAIT_FOR(w.done, 2);
	for (int i = 0; i < 3; i++)
		stop_locker(&r[i]);
	stop_locker(&w);
	KT_ASSERT(queued);
	KT_ASSERT_MSG(count_after == 3, "up_write() granted %ld readers, expected 3", count_after);
	KT_ASSERT(together);
	KT_ASSERT(w_waits);
	KT_ASSERT(w_in);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT_ALL_FREED(freed, 4, pages);
}

/* ------------------------------------------------------------- stress test */

/*
 * 8 threads x 500 operations, each chosen by a per-thread xorshift32 seeded
 * from the thread's index (so every run does the same operations): read or
 * write the rwsem (plain, killable, or write-then-downgrade), or bump the
 * mutex- or spinlock-protected counter. Readers check that no writer is
 * inside, before and after a yield(); writers check that nobody else is
 * inside and do a non-atomic increment with a yield() in the middle. The
 * expected totals come from replaying the seeds.
 */
enum { ST_THREADS = 8, ST_OPS = 500 };
enum { ST_READ, ST_READ_KILLABLE, ST_WRITE, ST_WRITE_KILLABLE, ST_WRITE_DOWNGRADE, ST_MUTEX, ST_SPIN, ST_NR };

static struct stress {
	struct rw_semaphore sem;
	struct mutex m;
	spinlock_t lock;
	volatile int writer_inside;
	int readers_inside;		/* atomic */
	unsigned long rw_counter, mutex_counter, spin_counter;
	unsigned long reads;		/* atomic */
	unsigned long errors;		/* atomic */
	int ndone;			/* atomic */
	unsigned long sleeps;		/* atomic: voluntary switches, i.e. times a thread blocked */
	struct completion go;
} st;

static u32 xorshift32(u32 *s)
{
	u32 x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static u32 stress_seed(int id) { return 0x9e3779b9u * (u32)(id + 1); }

static void stress_error(void) { __atomic_add_fetch(&st.errors, 1, __ATOMIC_RELAXED); }

static void stress_read_side(void)
{
	__atomic_add_fetch(&st.readers_inside, 1, __ATOMIC_RELAXED);
	if (st.writer_inside)
		stress_error();
	yield();
	if (st.writer_inside)
		stress_error();
	__atomic_sub_fetch(&st.readers_inside, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&st.reads, 1, __ATOMIC_RELAXED);
}

static void stress_write_side(void)
{
	if (st.writer_inside || READ_ONCE(st.readers_inside))
		stress_error();
	st.writer_inside = 1;
	unsigned long tmp = READ_ONCE(st.rw_counter);
	yield();
	if (READ_ONCE(st.readers_inside))
		stress_error();
	WRITE_ONCE(st.rw_counter, tmp + 1);
	st.writer_inside = 0;
}

static int stress_fn(void *data)
{
	u32 seed = stress_seed((int)(long)data);
	unsigned long flags, tmp, nvcsw0;

	wait_for_completion(&st.go);
	nvcsw0 = current->nvcsw;
	for (int i = 0; i < ST_OPS; i++) {
		switch (xorshift32(&seed) % ST_NR) {
		case ST_READ:
			down_read(&st.sem);
			stress_read_side();
			up_read(&st.sem);
			break;
		case ST_READ_KILLABLE:
			if (down_read_killable(&st.sem)) {
				stress_error();
				break;
			}
			stress_read_side();
			up_read(&st.sem);
			break;
		case ST_WRITE:
			down_write(&st.sem);
			stress_write_side();
			up_write(&st.sem);
			break;
		case ST_WRITE_KILLABLE:
			if (down_write_killable(&st.sem)) {
				stress_error();
				break;
			}
			stress_write_side();
			up_write(&st.sem);
			break;
		case ST_WRITE_DOWNGRADE:
			down_write(&st.sem);
			stress_write_side();
			downgrade_write(&st.sem);
			stress_read_side();
			up_read(&st.sem);
			break;
		case ST_MUTEX:
			mutex_lock(&st.m);
			tmp = READ_ONCE(st.mutex_counter);
			if (i & 1)
				yield();
			WRITE_ONCE(st.mutex_counter, tmp + 1);
			mutex_unlock(&st.m);
			break;
		case ST_SPIN:
			/* Preemption is off inside: the tick may come, but nobody else runs. */
			spin_lock_irqsave(&st.lock, flags);
			tmp = READ_ONCE(st.spin_counter);
			udelay(20);
			WRITE_ONCE(st.spin_counter, tmp + 1);
			spin_unlock_irqrestore(&st.lock, flags);
			break;
		}
	}
	__atomic_add_fetch(&st.sleeps, current->nvcsw - nvcsw0, __ATOMIC_RELAXED);
	__atomic_add_fetch(&st.ndone, 1, __ATOMIC_RELEASE);
	return 0;
}

KTEST(rwsem_stress_random)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct task_struct *t[ST_THREADS];
	unsigned long expect[ST_NR] = { 0 };

	memset(&st, 0, sizeof(st));
	init_rwsem(&st.sem);
	mutex_init(&st.m);
	spin_lock_init(&st.lock);
	init_completion(&st.go);
	for (int id = 0; id < ST_THREADS; id++) {
		u32 seed = stress_seed(id);
		for (int i = 0; i < ST_OPS; i++)
			expect[xorshift32(&seed) % ST_NR]++;
		t[id] = ktest_start_thread(stress_fn, (void *)(long)id, "stress");
		KT_ASSERT(t[id]);
	}
	complete_all(&st.go);
	bool done = WAIT_FOR(__atomic_load_n(&st.ndone, __ATOMIC_ACQUIRE) == ST_THREADS, 120);
	KT_ASSERT_MSG(done, "only %d of %d stress threads finished", st.ndone, ST_THREADS);
	for (int id = 0; id < ST_THREADS; id++)
		ktest_stop_thread(t[id]);

	unsigned long writes = expect[ST_WRITE] + expect[ST_WRITE_KILLABLE] + expect[ST_WRITE_DOWNGRADE];
	unsigned long reads = expect[ST_READ] + expect[ST_READ_KILLABLE] + expect[ST_WRITE_DOWNGRADE];
	pr_info("rwsem_stress_random: %lu writes, %lu reads, %lu mutex, %lu spin; threads blocked %lu times\n",
		writes, reads, expect[ST_MUTEX], expect[ST_SPIN], st.sleeps);
	KT_ASSERT_EQ(st.errors, 0);
	KT_ASSERT_EQ(st.rw_counter, writes);
	KT_ASSERT_EQ(st.reads, reads);
	KT_ASSERT_EQ(st.mutex_counter, expect[ST_MUTEX]);
	KT_ASSERT_EQ(st.spin_counter, expect[ST_SPIN]);
	KT_ASSERT(writes && expect[ST_MUTEX] && expect[ST_SPIN] && expect[ST_READ_KILLABLE]);
	KT_ASSERT_MSG(st.sleeps >= ST_THREADS * ST_OPS / 10, "only %lu blocking waits: too little contention",
		      st.sleeps);
	KT_ASSERT(sem_free(&st.sem));
	KT_ASSERT(mutex_free(&st.m));
	KT_ASSERT(!spin_is_locked(&st.lock));
	KT_ASSERT_ALL_FREED(freed, ST_THREADS, pages);
}

/* ---------------------------------------------------------------- spinlock */

/* spin_lock raises preempt_count, trylock fails while held, irqsave restores the interrupt flag. */
KTEST(spin_lock_basics)
{
	DEFINE_SPINLOCK(l);
	unsigned long flags;
	int pc = preempt_count();

	KT_ASSERT(!spin_is_locked(&l));
	spin_lock(&l);
	KT_ASSERT(spin_is_locked(&l));
	KT_ASSERT_EQ(preempt_count(), pc + 1);
	bool nested = spin_trylock(&l);
	KT_ASSERT_EQ(preempt_count(), pc + 1);
	spin_unlock(&l);
	KT_ASSERT(!nested);
	KT_ASSERT_EQ(preempt_count(), pc);
	KT_ASSERT(!spin_is_locked(&l));

	KT_ASSERT(spin_trylock(&l));
	KT_ASSERT_EQ(preempt_count(), pc + 1);
	spin_unlock(&l);

	KT_ASSERT(!irqs_disabled());
	spin_lock_irqsave(&l, flags);
	KT_ASSERT(irqs_disabled());
	spin_unlock_irqrestore(&l, flags);
	KT_ASSERT(!irqs_disabled());
	local_irq_disable();
	spin_lock_irqsave(&l, flags);
	spin_unlock_irqrestore(&l, flags);
	bool still_off = irqs_disabled();
	local_irq_enable();
	KT_ASSERT(still_off);
	KT_ASSERT_EQ(preempt_count(), pc);
}

/* ------------------------------------------------------- lock-debug reports */

struct bug_snap {
	unsigned long lock_bugs, sched_bugs;
	u64 seq;
};

static void bug_snap(struct bug_snap *s)
{
	s->lock_bugs = lock_bug_count;
	s->sched_bugs = sched_bug_count;
	s->seq = log_next_seq;
}

#define KT_ASSERT_REPORTS(s, nlock, nsched) do {			\
	KT_ASSERT_EQ(lock_bug_count - (s)->lock_bugs, nlock);		\
	KT_ASSERT_EQ(sched_bug_count - (s)->sched_bugs, nsched);	\
} while (0)

/*
 * msleep() inside a spinlock: might_sleep() reports "sleeping function
 * called from invalid context", and schedule() then reports "scheduling
 * while atomic" — two sched bugs, no lock bug. We start on a fresh tick,
 * since might_sleep() prints at most once per jiffy. The lock still works.
 */
KTEST(lockdep_might_sleep_in_spinlock)
{
	DEFINE_SPINLOCK(l);
	struct bug_snap s;
	unsigned long j = jiffies;

	while (jiffies == j)
		cpu_relax();
	bug_snap(&s);
	spin_lock(&l);
	msleep(1);
	spin_unlock(&l);
	KT_ASSERT_REPORTS(&s, 0, 2);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "BUG: sleeping function called from invalid context at "), 1);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 1, name: init"), 1);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "BUG: scheduling while atomic: init/1/0x00000001"), 1);
	KT_ASSERT_EQ(preempt_count(), 0);
	spin_lock(&l);
	spin_unlock(&l);
	KT_ASSERT(!spin_is_locked(&l));
	KT_ASSERT_REPORTS(&s, 0, 2);
}

/* might_sleep() with interrupts off is reported too, naming irqs_disabled(). */
KTEST(lockdep_might_sleep_irqs_disabled)
{
	struct bug_snap s;
	unsigned long j = jiffies;

	while (jiffies == j)
		cpu_relax();
	bug_snap(&s);
	local_irq_disable();
	might_sleep();
	local_irq_enable();
	KT_ASSERT_REPORTS(&s, 0, 1);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "BUG: sleeping function called from invalid context at "), 1);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "in_atomic(): 0, irqs_disabled(): 1, non_block: 0, pid: 1, name: init"), 1);
}

/* schedule() with preemption disabled: one "scheduling while atomic" report, and we come back. */
KTEST(lockdep_schedule_while_atomic)
{
	struct bug_snap s;

	bug_snap(&s);
	preempt_disable();
	schedule();		/* TASK_RUNNING: we stay runnable */
	preempt_enable();
	KT_ASSERT_REPORTS(&s, 0, 1);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "BUG: scheduling while atomic: init/1/0x00000001"), 1);
	KT_ASSERT_EQ(preempt_count(), 0);
	msleep(1);		/* sleeping works normally again */
	KT_ASSERT_REPORTS(&s, 0, 1);
}

#define MUTEX_NOT_OWNER "unlocking a mutex we do not hold"

/* mutex_unlock() of a free mutex, or of one another task holds, is reported and changes nothing. */
KTEST(lockdep_mutex_unlock_not_owner)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct mutex m;
	struct locker h;
	struct bug_snap s;

	mutex_init(&m);
	bug_snap(&s);
	mutex_unlock(&m);
	KT_ASSERT_REPORTS(&s, 1, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, MUTEX_NOT_OWNER), 1);
	KT_ASSERT(mutex_free(&m));

	KT_ASSERT(start_locker(&h, MUTEX_LOCK, &m, 0, NULL, true));
	bool held = WAIT_FOR(h.acquired, 2);
	mutex_unlock(&m);	/* not ours */
	struct task_struct *owner = READ_ONCE(m.owner);
	stop_locker(&h);
	KT_ASSERT(held);
	KT_ASSERT_REPORTS(&s, 2, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, MUTEX_NOT_OWNER), 2);
	KT_ASSERT_MSG(owner == h.task, "the bad unlock changed the owner");
	KT_ASSERT(mutex_free(&m));
	mutex_lock(&m);
	mutex_unlock(&m);
	KT_ASSERT(mutex_free(&m));
	KT_ASSERT_REPORTS(&s, 2, 0);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

#define UP_WRITE_NOT_OWNER "WARNING: DEBUG_RWSEMS_WARN_ON(rwsem_owner(sem) != current): up_write() by a task that does not hold it"

/* up_write() by a task that is not the writer (another task holds it, or we hold it for read) is reported and ignored. */
KTEST(lockdep_up_write_non_owner)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct locker h;
	struct bug_snap s;

	init_rwsem(&sem);
	KT_ASSERT(start_locker(&h, DOWN_WRITE, &sem, 0, NULL, true));
	bool held = WAIT_FOR(h.acquired, 2);
	bug_snap(&s);
	up_write(&sem);
	bool unchanged = sem.count == -1 && sem.owner == h.task;
	stop_locker(&h);
	KT_ASSERT(held);
	KT_ASSERT_REPORTS(&s, 1, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, UP_WRITE_NOT_OWNER), 1);
	KT_ASSERT_MSG(unchanged, "the bad up_write() released the writer's lock");
	KT_ASSERT(sem_free(&sem));

	down_read(&sem);
	up_write(&sem);
	KT_ASSERT_EQ(sem.count, 1);
	up_read(&sem);
	KT_ASSERT_REPORTS(&s, 2, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, UP_WRITE_NOT_OWNER), 2);
	down_write(&sem);
	up_write(&sem);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT_REPORTS(&s, 2, 0);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

#define UP_READ_UNHELD "WARNING: DEBUG_RWSEMS_WARN_ON(count <= 0): up_read() of an rwsem not held for read"

/* up_read() of a free rwsem, or of one held for write, is reported and ignored. */
KTEST(lockdep_up_read_unheld)
{
	struct rw_semaphore sem;
	struct bug_snap s;

	init_rwsem(&sem);
	bug_snap(&s);
	up_read(&sem);
	KT_ASSERT_REPORTS(&s, 1, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, UP_READ_UNHELD), 1);
	KT_ASSERT(sem_free(&sem));
	down_write(&sem);
	up_read(&sem);
	KT_ASSERT(sem.count == -1 && sem.owner == current);
	up_write(&sem);
	KT_ASSERT_REPORTS(&s, 2, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, UP_READ_UNHELD), 2);
	down_read(&sem);
	up_read(&sem);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT_REPORTS(&s, 2, 0);
}

/* spin_unlock() of an unlocked spinlock is reported, leaves preempt_count alone, and the lock still works. */
KTEST(lockdep_spin_unlock_unlocked)
{
	DEFINE_SPINLOCK(l);
	struct bug_snap s;
	int pc = preempt_count();

	bug_snap(&s);
	spin_unlock(&l);
	KT_ASSERT_REPORTS(&s, 1, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "BUG: spinlock already unlocked or wrong CPU on CPU#0, .owner_cpu: -1"), 1);
	KT_ASSERT_EQ(preempt_count(), pc);
	KT_ASSERT(!spin_is_locked(&l));
	spin_lock(&l);
	KT_ASSERT(spin_is_locked(&l));
	spin_unlock(&l);
	KT_ASSERT(!spin_is_locked(&l));
	KT_ASSERT_EQ(preempt_count(), pc);
	KT_ASSERT_REPORTS(&s, 1, 0);
}

/*
 * A thread that takes a lock and then takes it again killably: the second
 * acquisition is reported as recursive and blocks (a real deadlock) until
 * SIGKILL makes it return -EINTR; the thread then releases the first one.
 */
struct recursion {
	struct rw_semaphore *sem;
	struct mutex *m;
	int how;		/* 0: down_write twice, 1: down_write then down_read, 2: mutex twice */
	int ret;
	volatile int done;
};

static int recursion_fn(void *data)
{
	struct recursion *r = data;

	if (r->how == 2) {
		mutex_lock(r->m);
		r->ret = mutex_lock_killable(r->m);
		if (!r->ret)
			mutex_unlock(r->m);	/* not reached: it cannot be granted */
		mutex_unlock(r->m);
	} else {
		down_write(r->sem);
		r->ret = r->how == 0 ? down_write_killable(r->sem) : down_read_killable(r->sem);
		up_write(r->sem);
	}
	flush_signals(current);
	WRITE_ONCE(r->done, 1);
	return 0;
}

/* Run one recursion case; returns whether the thread was seen blocked on lock before the kill. */
static bool run_recursion(struct recursion *r, const void *lock, bool *reported_before_kill,
			  unsigned long bugs0)
{
	struct task_struct *t = ktest_start_thread(recursion_fn, r, "recurse");
	bool blocked;

	if (!t)
		return false;
	blocked = WAIT_FOR(READ_ONCE(t->blocked_on) == lock && READ_ONCE(t->state) == TASK_KILLABLE &&
			   !READ_ONCE(t->on_rq), 2);
	*reported_before_kill = lock_bug_count == bugs0 + 1;
	send_sig(SIGKILL, t, 1);
	WAIT_FOR(r->done, 2);
	ktest_stop_thread(t);
	return blocked;
}

#define RECURSIVE "WARNING: possible recursive locking detected"

KTEST(lockdep_recursive_down_write)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct recursion r = { .sem = &sem, .how = 0, .ret = 1 };
	struct bug_snap s;
	bool reported;

	init_rwsem(&sem);
	bug_snap(&s);
	bool blocked = run_recursion(&r, &sem, &reported, s.lock_bugs);
	KT_ASSERT(blocked && reported);
	KT_ASSERT_MSG(r.done && r.ret == -EINTR, "done %d ret %d", r.done, r.ret);
	KT_ASSERT_REPORTS(&s, 1, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, RECURSIVE ": recursive down_write()"), 1);
	KT_ASSERT(sem_free(&sem));
	down_write(&sem);
	up_write(&sem);
	KT_ASSERT(sem_free(&sem));
	KT_ASSERT_REPORTS(&s, 1, 0);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

KTEST(lockdep_recursive_down_read_in_write)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct recursion r = { .sem = &sem, .how = 1, .ret = 1 };
	struct bug_snap s;
	bool reported;

	init_rwsem(&sem);
	bug_snap(&s);
	bool blocked = run_recursion(&r, &sem, &reported, s.lock_bugs);
	KT_ASSERT(blocked && reported);
	KT_ASSERT_MSG(r.done && r.ret == -EINTR, "done %d ret %d", r.done, r.ret);
	KT_ASSERT_REPORTS(&s, 1, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, RECURSIVE ": down_read() while holding it for write"), 1);
	KT_ASSERT(sem_free(&sem));
	down_read(&sem);
	up_read(&sem);
	KT_ASSERT_REPORTS(&s, 1, 0);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

KTEST(lockdep_recursive_mutex)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct mutex m;
	struct recursion r = { .m = &m, .how = 2, .ret = 1 };
	struct bug_snap s;
	bool reported;

	mutex_init(&m);
	bug_snap(&s);
	bool blocked = run_recursion(&r, &m, &reported, s.lock_bugs);
	KT_ASSERT(blocked && reported);
	KT_ASSERT_MSG(r.done && r.ret == -EINTR, "done %d ret %d", r.done, r.ret);
	KT_ASSERT_REPORTS(&s, 1, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, RECURSIVE), 1);
	KT_ASSERT(mutex_free(&m));
	mutex_lock(&m);
	mutex_unlock(&m);
	KT_ASSERT(mutex_free(&m));
	KT_ASSERT_REPORTS(&s, 1, 0);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

#define ASSERT_WRITE_FAILED "WARNING: lockdep_assert_held_write() failed: rwsem not held for write by this task"
#define ASSERT_HELD_FAILED "WARNING: lockdep_assert_held() failed: rwsem not held"

/*
 * rwsem_assert_held_write() passes only for the writer itself: it reports
 * a free rwsem, one we hold for read, and one another task holds for write.
 * rwsem_assert_held() reports only a free one. mutex_assert_held() and
 * spin_assert_held() report a lock we do not hold.
 */
KTEST(lockdep_rwsem_assert_held_write)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct rw_semaphore sem;
	struct mutex m;
	DEFINE_SPINLOCK(l);
	struct locker h;
	struct bug_snap s;

	init_rwsem(&sem);
	mutex_init(&m);
	bug_snap(&s);
	rwsem_assert_held_write(&sem);		/* free: report */
	KT_ASSERT_REPORTS(&s, 1, 0);
	down_read(&sem);
	rwsem_assert_held_write(&sem);		/* read: report */
	rwsem_assert_held(&sem);		/* fine */
	up_read(&sem);
	KT_ASSERT_REPORTS(&s, 2, 0);
	down_write(&sem);
	rwsem_assert_held_write(&sem);		/* fine */
	rwsem_assert_held(&sem);		/* fine */
	up_write(&sem);
	KT_ASSERT_REPORTS(&s, 2, 0);
	KT_ASSERT(start_locker(&h, DOWN_WRITE, &sem, 0, NULL, true));
	bool held = WAIT_FOR(h.acquired, 2);
	rwsem_assert_held_write(&sem);		/* another task's: report */
	stop_locker(&h);
	KT_ASSERT(held);
	KT_ASSERT_REPORTS(&s, 3, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, ASSERT_WRITE_FAILED), 3);
	rwsem_assert_held(&sem);		/* free: report */
	KT_ASSERT_REPORTS(&s, 4, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, ASSERT_HELD_FAILED), 1);
	KT_ASSERT(sem_free(&sem));
	down_write(&sem);			/* still works */
	rwsem_assert_held_write(&sem);
	up_write(&sem);
	KT_ASSERT_REPORTS(&s, 4, 0);

	mutex_assert_held(&m);			/* report */
	mutex_lock(&m);
	mutex_assert_held(&m);			/* fine */
	mutex_unlock(&m);
	KT_ASSERT_REPORTS(&s, 5, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "WARNING: lockdep_assert_held() failed: mutex not held"), 1);
	spin_assert_held(&l);			/* report */
	spin_lock(&l);
	spin_assert_held(&l);			/* fine */
	spin_unlock(&l);
	KT_ASSERT_REPORTS(&s, 6, 0);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "BUG: spinlock not held on CPU#0"), 1);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}
