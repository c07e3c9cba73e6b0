/*
 * ktests for every lock-debugging report (kernel/locking/lock_debug.c and
 * the checks in spinlock.c, mutex.c, rwsem.c and sched/core.c): sleeping in
 * atomic context, unlocking what we do not hold, recursive locking, and the
 * lockdep_assert_held()-style assertions. Each report is checked through its
 * counter (lock_bug_count, sched_bug_count: exactly the expected increase)
 * and its line in the log, after which the lock must still work. Tests start
 * from the locking fixture (locking_test.h) and end clean.
 */
#include <kernel/time.h>
#include <kernel/lock_debug.h>
#include <arch/processor.h>
#include "locking_test.h"

/* The report counters and the log position before the test's first report. */
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

/* The locking fixture, and the report counters from its start. */
static struct lock_fixture *lock_debug_begin(struct bug_snap *s)
{
	struct lock_fixture *f = lock_fixture_begin();

	bug_snap(s);
	return f;
}

#define KT_ASSERT_REPORTS(s, nlock, nsched) do {			\
	KT_ASSERT_EQ(lock_bug_count - (s)->lock_bugs, nlock);		\
	KT_ASSERT_EQ(sched_bug_count - (s)->sched_bugs, nsched);	\
} while (0)

/* nlock lock bugs since the snapshot, and the log has `text` n times. */
#define KT_ASSERT_LOCK_REPORTS(s, nlock, text, n) do {			\
	KT_ASSERT_REPORTS(s, nlock, 0);					\
	KT_ASSERT_EQ(ktest_log_count((s)->seq, text), n);		\
} while (0)

/* Take and release each of the fixture's locks in every way. */
static void cycle_locks(struct lock_fixture *f)
{
	down_write(&f->sem);
	up_write(&f->sem);
	down_read(&f->sem);
	up_read(&f->sem);
	mutex_lock(&f->m);
	mutex_unlock(&f->m);
	spin_lock(&f->lock);
	spin_unlock(&f->lock);
}

/* The end of a test: every lock still works, with no report beyond those expected, and all is clean. */
#define KT_ASSERT_LOCKS_STILL_WORK(f, s, nlock, nsched) do {		\
	cycle_locks(f);							\
	KT_ASSERT_REPORTS(s, nlock, nsched);				\
	KT_ASSERT_FIXTURE_CLEAN(f);					\
} while (0)

/* Busy-wait for a fresh tick: might_sleep() prints at most once per jiffy. */
static void next_tick(void)
{
	unsigned long j = jiffies;

	while (jiffies == j)
		cpu_relax();
}

/*
 * msleep() inside a spinlock: might_sleep() reports "sleeping function
 * called from invalid context", and schedule() then reports "scheduling
 * while atomic" — two sched bugs, no lock bug. The lock still works.
 */
KTEST(lockdep_might_sleep_in_spinlock)
{
	struct lock_fixture *f = lock_fixture_begin();
	struct bug_snap s;

	next_tick();
	bug_snap(&s);
	spin_lock(&f->lock);
	msleep(1);
	spin_unlock(&f->lock);
	KT_ASSERT_REPORTS(&s, 0, 2);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "BUG: sleeping function called from invalid context at "), 1);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 1, name: init"), 1);
	KT_ASSERT_EQ(ktest_log_count(s.seq, "BUG: scheduling while atomic: init/1/0x00000001"), 1);
	KT_ASSERT_EQ(preempt_count(), 0);
	KT_ASSERT_LOCKS_STILL_WORK(f, &s, 0, 2);
}

/* might_sleep() with interrupts off is reported too, naming irqs_disabled(). */
KTEST(lockdep_might_sleep_irqs_disabled)
{
	struct bug_snap s;

	next_tick();
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
	struct bug_snap s;
	struct lock_fixture *f = lock_debug_begin(&s);

	mutex_unlock(&f->m);
	KT_ASSERT_LOCK_REPORTS(&s, 1, MUTEX_NOT_OWNER, 1);
	KT_ASSERT(mutex_free(&f->m));

	struct locker *h = start_locker(f, MUTEX_LOCK, true);
	bool held = WAIT_FOR(h->acquired, 2);
	mutex_unlock(&f->m);	/* not ours */
	struct task_struct *owner = READ_ONCE(f->m.owner);
	KT_STOP_THREADS(f);
	KT_ASSERT(held);
	KT_ASSERT_LOCK_REPORTS(&s, 2, MUTEX_NOT_OWNER, 2);
	KT_ASSERT_MSG(owner == h->task, "the bad unlock changed the owner");
	KT_ASSERT_LOCKS_STILL_WORK(f, &s, 2, 0);
}

#define UP_WRITE_NOT_OWNER "WARNING: DEBUG_RWSEMS_WARN_ON(rwsem_owner(sem) != current): up_write() by a task that does not hold it"

/* up_write() by a task that is not the writer (another task holds it, or we hold it for read) is reported and ignored. */
KTEST(lockdep_up_write_non_owner)
{
	struct lock_fixture *f = lock_fixture_begin();
	struct bug_snap s;

	struct locker *h = start_locker(f, DOWN_WRITE, true);
	bool held = WAIT_FOR(h->acquired, 2);
	bug_snap(&s);
	up_write(&f->sem);
	bool unchanged = f->sem.count == -1 && f->sem.owner == h->task;
	KT_STOP_THREADS(f);
	KT_ASSERT(held);
	KT_ASSERT_LOCK_REPORTS(&s, 1, UP_WRITE_NOT_OWNER, 1);
	KT_ASSERT_MSG(unchanged, "the bad up_write() released the writer's lock");
	KT_ASSERT(sem_free(&f->sem));

	down_read(&f->sem);
	up_write(&f->sem);
	long count = f->sem.count;
	up_read(&f->sem);
	KT_ASSERT_EQ(count, 1);
	KT_ASSERT_LOCK_REPORTS(&s, 2, UP_WRITE_NOT_OWNER, 2);
	KT_ASSERT_LOCKS_STILL_WORK(f, &s, 2, 0);
}

#define UP_READ_UNHELD "WARNING: DEBUG_RWSEMS_WARN_ON(count <= 0): up_read() of an rwsem not held for read"

/* up_read() of a free rwsem, or of one held for write, is reported and ignored. */
KTEST(lockdep_up_read_unheld)
{
	struct bug_snap s;
	struct lock_fixture *f = lock_debug_begin(&s);

	up_read(&f->sem);
	KT_ASSERT_LOCK_REPORTS(&s, 1, UP_READ_UNHELD, 1);
	KT_ASSERT(sem_free(&f->sem));
	down_write(&f->sem);
	up_read(&f->sem);
	bool still_written = f->sem.count == -1 && f->sem.owner == current;
	up_write(&f->sem);
	KT_ASSERT(still_written);
	KT_ASSERT_LOCK_REPORTS(&s, 2, UP_READ_UNHELD, 2);
	KT_ASSERT_LOCKS_STILL_WORK(f, &s, 2, 0);
}

/* spin_unlock() of an unlocked spinlock is reported, leaves preempt_count alone, and the lock still works. */
KTEST(lockdep_spin_unlock_unlocked)
{
	struct bug_snap s;
	struct lock_fixture *f = lock_debug_begin(&s);
	int pc = preempt_count();

	spin_unlock(&f->lock);
	KT_ASSERT_LOCK_REPORTS(&s, 1, "BUG: spinlock already unlocked or wrong CPU on CPU#0, .owner_cpu: -1", 1);
	KT_ASSERT_EQ(preempt_count(), pc);
	KT_ASSERT(!spin_is_locked(&f->lock));
	spin_lock(&f->lock);
	bool locked = spin_is_locked(&f->lock);
	spin_unlock(&f->lock);
	KT_ASSERT(locked);
	KT_ASSERT_EQ(preempt_count(), pc);
	KT_ASSERT_LOCKS_STILL_WORK(f, &s, 1, 0);
}

/*
 * Recursive locking: a thread takes a lock and then takes it again
 * killably. The second acquisition is reported as recursive and blocks (a
 * real deadlock) until SIGKILL makes it return -EINTR; the thread then
 * releases the first one.
 */
enum recursion_kind { WRITE_THEN_WRITE, WRITE_THEN_READ, MUTEX_THEN_MUTEX };

struct recursion {
	struct lock_fixture *f;
	enum recursion_kind how;
	int ret;
	volatile int done;
};

static int recursion_fn(void *data)
{
	struct recursion *r = data;
	struct lock_fixture *f = r->f;

	if (r->how == MUTEX_THEN_MUTEX) {
		mutex_lock(&f->m);
		r->ret = mutex_lock_killable(&f->m);
		if (!r->ret)
			mutex_unlock(&f->m);	/* not reached: it cannot be granted */
		mutex_unlock(&f->m);
	} else {
		down_write(&f->sem);
		r->ret = r->how == WRITE_THEN_WRITE ? down_write_killable(&f->sem) : down_read_killable(&f->sem);
		up_write(&f->sem);
	}
	flush_signals(current);
	WRITE_ONCE(r->done, 1);
	return 0;
}

/* The thread is asleep, killably, on lock. */
static bool deadlocked_on(struct task_struct *t, const void *lock)
{
	return t && READ_ONCE(t->blocked_on) == lock && READ_ONCE(t->state) == TASK_KILLABLE &&
	       !READ_ONCE(t->on_rq);
}

/* One recursion: reported once (before the kill), ended by SIGKILL, and the locks still work. */
static void check_recursion(struct ktest_ctx *kt, enum recursion_kind how, const char *report)
{
	struct bug_snap s;
	struct lock_fixture *f = lock_debug_begin(&s);
	struct recursion r = { .f = f, .how = how, .ret = 1 };
	const void *lock = how == MUTEX_THEN_MUTEX ? (const void *)&f->m : (const void *)&f->sem;

	struct task_struct *t = fixture_thread(f, recursion_fn, &r, "recurse");
	bool blocked = WAIT_FOR(deadlocked_on(t, lock), 2);
	bool reported_before_kill = lock_bug_count == s.lock_bugs + 1;
	if (t)
		send_sig(SIGKILL, t, 1);
	WAIT_FOR(r.done, 2);
	KT_STOP_THREADS(f);
	KT_ASSERT(blocked && reported_before_kill);
	KT_ASSERT_MSG(r.done && r.ret == -EINTR, "done %d ret %d", r.done, r.ret);
	KT_ASSERT_LOCK_REPORTS(&s, 1, report, 1);
	KT_ASSERT(sem_free(&f->sem) && mutex_free(&f->m));
	KT_ASSERT_LOCKS_STILL_WORK(f, &s, 1, 0);
}

#define RECURSIVE "WARNING: possible recursive locking detected"

KTEST(lockdep_recursive_down_write)
{
	check_recursion(kt, WRITE_THEN_WRITE, RECURSIVE ": recursive down_write()");
}

KTEST(lockdep_recursive_down_read_in_write)
{
	check_recursion(kt, WRITE_THEN_READ, RECURSIVE ": down_read() while holding it for write");
}

KTEST(lockdep_recursive_mutex)
{
	check_recursion(kt, MUTEX_THEN_MUTEX, RECURSIVE);
}

#define ASSERT_WRITE_FAILED "WARNING: lockdep_assert_held_write() failed: rwsem not held for write by this task"
#define ASSERT_HELD_FAILED "WARNING: lockdep_assert_held() failed: rwsem not held"

/*
 * rwsem_assert_held_write() passes only for the writer itself: it reports
 * a free rwsem, one we hold for read, and one another task holds for write.
 * rwsem_assert_held() reports only a free one.
 */
KTEST(lockdep_rwsem_assert_held_write)
{
	struct bug_snap s;
	struct lock_fixture *f = lock_debug_begin(&s);

	rwsem_assert_held_write(&f->sem);	/* free: report */
	KT_ASSERT_REPORTS(&s, 1, 0);
	down_read(&f->sem);
	rwsem_assert_held_write(&f->sem);	/* read: report */
	rwsem_assert_held(&f->sem);		/* fine */
	up_read(&f->sem);
	KT_ASSERT_REPORTS(&s, 2, 0);
	down_write(&f->sem);
	rwsem_assert_held_write(&f->sem);	/* fine */
	rwsem_assert_held(&f->sem);		/* fine */
	up_write(&f->sem);
	KT_ASSERT_REPORTS(&s, 2, 0);
	struct locker *h = start_locker(f, DOWN_WRITE, true);
	bool held = WAIT_FOR(h->acquired, 2);
	rwsem_assert_held_write(&f->sem);	/* another task's: report */
	KT_STOP_THREADS(f);
	KT_ASSERT(held);
	KT_ASSERT_LOCK_REPORTS(&s, 3, ASSERT_WRITE_FAILED, 3);
	rwsem_assert_held(&f->sem);		/* free: report */
	KT_ASSERT_LOCK_REPORTS(&s, 4, ASSERT_HELD_FAILED, 1);
	down_write(&f->sem);
	rwsem_assert_held_write(&f->sem);	/* fine again */
	up_write(&f->sem);
	KT_ASSERT_LOCKS_STILL_WORK(f, &s, 4, 0);
}

/* mutex_assert_held() and spin_assert_held() report a lock we do not hold, and only that. */
KTEST(lockdep_mutex_spin_assert_held)
{
	struct bug_snap s;
	struct lock_fixture *f = lock_debug_begin(&s);

	mutex_assert_held(&f->m);		/* report */
	mutex_lock(&f->m);
	mutex_assert_held(&f->m);		/* fine */
	mutex_unlock(&f->m);
	KT_ASSERT_LOCK_REPORTS(&s, 1, "WARNING: lockdep_assert_held() failed: mutex not held", 1);
	spin_assert_held(&f->lock);		/* report */
	spin_lock(&f->lock);
	spin_assert_held(&f->lock);		/* fine */
	spin_unlock(&f->lock);
	KT_ASSERT_LOCK_REPORTS(&s, 2, "BUG: spinlock not held on CPU#0", 1);
	KT_ASSERT_FIXTURE_CLEAN(f);
}
