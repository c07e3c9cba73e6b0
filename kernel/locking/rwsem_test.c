/*
 * ktests for read/write semaphores (kernel/locking/rwsem.c): readers share,
 * a writer excludes, trylock in every state, fairness (a queued writer goes
 * before later readers, readers behind a writer go together), killable
 * waits and downgrade_write(). Each test starts from the locking fixture
 * (locking_test.h), takes its rwsem f->sem, and ends clean.
 */
#include <kernel/time.h>
#include "locking_test.h"

/* Readers share: while we hold it for read, two more readers get in at once. */
KTEST(rwsem_readers_share)
{
	struct lock_fixture *f = lock_fixture_begin();

	down_read(&f->sem);
	struct locker *r1 = start_locker(f, DOWN_READ, true);
	struct locker *r2 = start_locker(f, DOWN_READ, true);
	bool shared = WAIT_FOR(r1->acquired && r2->acquired, 2);
	long count = f->sem.count;
	bool locked = rwsem_is_locked(&f->sem);
	up_read(&f->sem);
	KT_STOP_THREADS(f);
	KT_ASSERT_MSG(shared, "a reader could not share the lock (acquired %d %d)", r1->acquired, r2->acquired);
	KT_ASSERT_EQ(count, 3);
	KT_ASSERT(locked);
	KT_ASSERT(!rwsem_is_locked(&f->sem));
	KT_ASSERT_FIXTURE_CLEAN(f);
}

/* A writer excludes readers and writers: nobody gets in while it holds the lock. */
KTEST(rwsem_writer_excludes)
{
	struct lock_fixture *f = lock_fixture_begin();
	struct rw_semaphore *sem = &f->sem;

	down_write(sem);
	struct locker *r = start_blocked(f, DOWN_READ, true);
	struct locker *w = start_blocked(f, DOWN_WRITE, true);
	msleep(50);
	bool excluded = !r->acquired && !w->acquired && sem->count == -1 && sem->owner == current;
	up_write(sem);
	bool r_in = WAIT_FOR(r->acquired, 2);
	msleep(20);
	bool w_waits_for_reader = !w->acquired && locker_blocked(w) && sem->count == 1;
	WRITE_ONCE(r->release, 1);
	bool w_in = WAIT_FOR(w->acquired, 2);
	bool r_excluded_by_w = !down_read_trylock(sem) && sem->count == -1 && sem->owner == w->task;
	KT_STOP_THREADS(f);
	KT_ASSERT_MSG(excluded, "someone got in past the writer (r %d w %d count %ld)", r->acquired, w->acquired,
		      sem->count);
	KT_ASSERT(r_in);
	KT_ASSERT_MSG(w_waits_for_reader, "the writer got in beside a reader");
	KT_ASSERT(w_in);
	KT_ASSERT(r_excluded_by_w);
	KT_ASSERT_FIXTURE_CLEAN(f);
}

/* Trylock on a free rwsem, and on one we hold for read or write. */
static void trylock_uncontended(struct ktest_ctx *kt, struct rw_semaphore *sem)
{
	/* free: both succeed */
	KT_ASSERT_EQ(down_read_trylock(sem), 1);
	KT_ASSERT_EQ(sem->count, 1);
	up_read(sem);
	KT_ASSERT_EQ(down_write_trylock(sem), 1);
	KT_ASSERT(sem->count == -1 && sem->owner == current);
	up_write(sem);
	KT_ASSERT(sem_free(sem));

	/* read-held: read succeeds, write fails */
	down_read(sem);
	int rt = down_read_trylock(sem);
	long two_readers = sem->count;
	if (rt)
		up_read(sem);
	int wt = down_write_trylock(sem);
	long one_reader = sem->count;
	up_read(sem);
	KT_ASSERT_EQ(rt, 1);
	KT_ASSERT_EQ(two_readers, 2);
	KT_ASSERT_EQ(wt, 0);
	KT_ASSERT_EQ(one_reader, 1);
	KT_ASSERT(sem_free(sem));

	/* write-held by us: both fail */
	down_write(sem);
	rt = down_read_trylock(sem);
	wt = down_write_trylock(sem);
	bool ours = sem->count == -1 && sem->owner == current;
	up_write(sem);
	KT_ASSERT_EQ(rt, 0);
	KT_ASSERT_EQ(wt, 0);
	KT_ASSERT(ours);
}

/*
 * Trylock in every state: free (both succeed), read-held (read succeeds,
 * write fails), write-held by us or by another task (both fail), read-held
 * with a writer queued (both fail: a new reader must not pass the writer).
 */
KTEST(rwsem_trylock_states)
{
	struct lock_fixture *f = lock_fixture_begin();
	struct rw_semaphore *sem = &f->sem;

	trylock_uncontended(kt, sem);
	if (kt->failed)
		return;

	/* write-held by another task */
	struct locker *h = start_locker(f, DOWN_WRITE, true);
	bool held = WAIT_FOR(h->acquired, 2);
	int held_rt = down_read_trylock(sem), held_wt = down_write_trylock(sem);
	stop_locker(h);

	/* read-held with a writer queued */
	down_read(sem);
	struct locker *w = start_blocked(f, DOWN_WRITE, false);
	int queued_rt = down_read_trylock(sem);
	if (queued_rt)
		up_read(sem);
	int queued_wt = down_write_trylock(sem);
	if (queued_wt)
		up_write(sem);
	up_read(sem);
	bool w_done = WAIT_FOR(w->done, 2);
	KT_STOP_THREADS(f);
	KT_ASSERT(held);
	KT_ASSERT_EQ(held_rt, 0);
	KT_ASSERT_EQ(held_wt, 0);
	KT_ASSERT_MSG(queued_rt == 0, "down_read_trylock() passed a queued writer");
	KT_ASSERT_EQ(queued_wt, 0);
	KT_ASSERT(w_done && w->acquired);
	KT_ASSERT_FIXTURE_CLEAN(f);
}

/*
 * Fairness: with readers holding the lock and a writer queued, a reader that
 * arrives later queues behind the writer (it does not join the readers) and
 * gets the lock only after the writer.
 */
KTEST(rwsem_writer_before_later_readers)
{
	struct lock_fixture *f = lock_fixture_begin();

	down_read(&f->sem);
	struct locker *w = start_blocked(f, DOWN_WRITE, false);
	struct locker *r1 = start_blocked(f, DOWN_READ, false);
	struct locker *r2 = start_blocked(f, DOWN_READ, false);
	msleep(20);
	bool readers_wait = !r1->acquired && !r2->acquired && f->sem.count == 1;
	up_read(&f->sem);
	bool all = WAIT_FOR(w->done && r1->done && r2->done, 2);
	KT_STOP_THREADS(f);
	KT_ASSERT_MSG(readers_wait, "a later reader joined the readers past the queued writer");
	KT_ASSERT(all);
	KT_ASSERT_EQ(f->order.n, 3);
	KT_ASSERT_MSG(f->order.ids[0] == w->id, "order %d %d %d: the writer was not first",
		      f->order.ids[0], f->order.ids[1], f->order.ids[2]);
	KT_ASSERT_FIXTURE_CLEAN(f);
}

/*
 * down_write_killable(): SIGUSR1 does not end it, SIGKILL makes it return
 * -EINTR; and since the killed writer was what held the reader behind it
 * back, that reader now joins the readers at once. The lock ends free and
 * usable.
 */
KTEST(rwsem_down_write_killable_sigkill)
{
	struct lock_fixture *f = lock_fixture_begin();

	down_read(&f->sem);
	struct locker *k = start_blocked(f, DOWN_WRITE_KILLABLE, false);
	struct locker *r = start_blocked(f, DOWN_READ, true);
	bool usr1_ignored = locker_ignores(k, SIGUSR1);
	kill_locker(k);
	bool r_in = WAIT_FOR(r->acquired, 2);		/* while we still hold it for read */
	long count = f->sem.count;
	up_read(&f->sem);
	KT_STOP_THREADS(f);
	KT_ASSERT_MSG(usr1_ignored, "SIGUSR1 ended down_write_killable()");
	KT_ASSERT_INTERRUPTED(k);
	KT_ASSERT_MSG(r_in, "the reader queued behind the killed writer was left waiting");
	KT_ASSERT_EQ(count, 2);
	KT_ASSERT_EQ(down_write_trylock(&f->sem), 1);
	up_write(&f->sem);
	KT_ASSERT_FIXTURE_CLEAN(f);
}

/* down_read_killable(): SIGKILL makes it return -EINTR; the writer behind it still gets the lock later. */
KTEST(rwsem_down_read_killable_sigkill)
{
	struct lock_fixture *f = lock_fixture_begin();

	down_write(&f->sem);
	struct locker *k = start_blocked(f, DOWN_READ_KILLABLE, false);
	struct locker *w = start_blocked(f, DOWN_WRITE, false);
	kill_locker(k);
	msleep(20);
	bool w_waits = locker_blocked(w) && f->sem.count == -1 && f->sem.owner == current;
	up_write(&f->sem);
	bool w_in = WAIT_FOR(w->done, 2);
	KT_STOP_THREADS(f);
	KT_ASSERT_INTERRUPTED(k);
	KT_ASSERT(w_waits);
	KT_ASSERT(w_in && w->acquired);
	KT_ASSERT_EQ(down_read_trylock(&f->sem), 1);
	up_read(&f->sem);
	KT_ASSERT_FIXTURE_CLEAN(f);
}

/*
 * downgrade_write() lets the readers queued behind us in while we still
 * hold the lock for read; a writer queued after them keeps waiting until
 * every reader, us included, is gone.
 */
KTEST(rwsem_downgrade_write)
{
	struct lock_fixture *f = lock_fixture_begin();

	down_write(&f->sem);
	struct locker *r1 = start_blocked(f, DOWN_READ, true);
	struct locker *r2 = start_blocked(f, DOWN_READ, true);
	struct locker *w = start_blocked(f, DOWN_WRITE, false);
	downgrade_write(&f->sem);
	long count_after = f->sem.count;	/* granted under the lock, before anyone ran */
	bool readers_in = WAIT_FOR(r1->acquired && r2->acquired, 2);
	int write_try = down_write_trylock(&f->sem);
	msleep(20);
	bool w_waits = locker_blocked(w);
	up_read(&f->sem);
	WRITE_ONCE(r1->release, 1);
	WRITE_ONCE(r2->release, 1);
	bool w_in = WAIT_FOR(w->done, 2);
	KT_STOP_THREADS(f);
	KT_ASSERT_EQ(count_after, 3);
	KT_ASSERT_MSG(readers_in, "downgrade_write() did not let the queued readers in");
	KT_ASSERT_EQ(write_try, 0);
	KT_ASSERT_MSG(w_waits, "the writer got in beside the readers");
	KT_ASSERT(w_in);
	KT_ASSERT_EQ(f->order.n, 3);
	KT_ASSERT_EQ(f->order.ids[2], w->id);
	KT_ASSERT_FIXTURE_CLEAN(f);
}

/*
 * Readers queued behind a writer are woken together when it releases: all
 * three are granted the lock by up_write() itself (count 3 before any of
 * them runs) and then hold it at the same time. A writer queued behind them
 * still waits.
 */
KTEST(rwsem_readers_woken_together)
{
	struct lock_fixture *f = lock_fixture_begin();
	struct locker *r[3];

	down_write(&f->sem);
	for (int i = 0; i < 3; i++)
		r[i] = start_blocked(f, DOWN_READ, true);
	struct locker *w = start_blocked(f, DOWN_WRITE, false);
	up_write(&f->sem);
	long count_after = f->sem.count;
	bool together = WAIT_FOR(r[0]->acquired && r[1]->acquired && r[2]->acquired, 2);
	msleep(20);
	bool w_waits = locker_blocked(w);
	for (int i = 0; i < 3; i++)
		WRITE_ONCE(r[i]->release, 1);
	bool w_in = WAIT_FOR(w->done, 2);
	KT_STOP_THREADS(f);
	KT_ASSERT_MSG(count_after == 3, "up_write() granted %ld readers, expected 3", count_after);
	KT_ASSERT(together);
	KT_ASSERT(w_waits);
	KT_ASSERT(w_in);
	KT_ASSERT_FIXTURE_CLEAN(f);
}
