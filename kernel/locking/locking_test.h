/*
 * What the locking ktests share (mutex_test.c, rwsem_test.c, spinlock_test.c,
 * lock_stress_test.c, lock_debug_test.c): the fixture every test starts
 * from, and "lockers".
 *
 * The fixture is one rwsem, one mutex and one spinlock, all free, and the
 * counts of freed tasks and free pages to come back to. lock_fixture_begin()
 * sets it up; the threads a test starts through it are stopped by
 * KT_STOP_THREADS(), and KT_ASSERT_FIXTURE_CLEAN() ends the test: every
 * lock free, every thread freed, nr_free_pages() back where it was. Thread
 * results are asserted after KT_STOP_THREADS(), so a failed assertion
 * never leaves threads behind.
 *
 * A locker is a kthread that takes the fixture's rwsem or mutex one way,
 * records the order in which it got it, optionally holds it until the test
 * releases it, and lets it go. A locker is known to be queued on a lock when
 * its ->blocked_on points at the lock and it is off the run queue.
 *
 * Tests run in init (pid 1), one at a time, so one static fixture serves them all.
 */
#ifndef _KERNEL_LOCKING_LOCKING_TEST_H
#define _KERNEL_LOCKING_LOCKING_TEST_H

#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/signal.h>
#include <kernel/mutex.h>
#include <kernel/rwsem.h>
#include <kernel/spinlock.h>
#include <uapi/errno.h>

enum lock_op {
	DOWN_READ, DOWN_READ_KILLABLE, DOWN_WRITE, DOWN_WRITE_KILLABLE,
	MUTEX_LOCK, MUTEX_LOCK_KILLABLE, MUTEX_LOCK_INTERRUPTIBLE,
};

/* The order in which lockers got their lock, by ->id. */
struct order {
	int n;
	int ids[16];
};

struct locker {
	enum lock_op op;
	struct rw_semaphore *sem;
	struct mutex *m;
	int id;			/* its index in the fixture */
	struct order *order;
	bool hold;		/* keep the lock until ->release */
	volatile int release;
	volatile int acquired, done;
	int ret;		/* the lock call's result */
	struct task_struct *task;	/* NULL if it could not be started */
	bool stopped;
};

enum { MAX_LOCKERS = 8, MAX_THREADS = 8 };

struct lock_fixture {
	struct rw_semaphore sem;
	struct mutex m;
	spinlock_t lock;
	struct order order;
	struct locker lockers[MAX_LOCKERS];
	int nr_lockers;
	struct task_struct *threads[MAX_THREADS];	/* other kthreads, see fixture_thread() */
	int nr_threads;
	int nr_tasks;		/* lockers and threads that were started */
	bool started;		/* every thread could be started */
	bool queued;		/* every locker started by start_blocked() queued on its lock */
	unsigned long freed0, pages0;
};

struct lock_fixture *lock_fixture_begin(void);
void lock_fixture_stop(struct lock_fixture *f);

/* A locker doing op on the fixture's rwsem or mutex; hold: keep it until released. */
struct locker *start_locker(struct lock_fixture *f, enum lock_op op, bool hold);
/* The same, then wait until it is queued on the lock, so the queue order is known. */
struct locker *start_blocked(struct lock_fixture *f, enum lock_op op, bool hold);
bool locker_blocked(struct locker *l);
void signal_locker(struct locker *l, int sig);
/* Signal a queued locker; true if it is still queued 20 ms later (a killable wait and SIGUSR1). */
bool locker_ignores(struct locker *l, int sig);
/* SIGKILL a locker and wait until its lock call has returned. */
void kill_locker(struct locker *l);
/* Let a holding locker go, stop it and return the lock call's result. */
int stop_locker(struct locker *l);
/* Any other kthread of the test, stopped by lock_fixture_stop(); NULL if it could not start. */
struct task_struct *fixture_thread(struct lock_fixture *f, int (*fn)(void *), void *data, const char *name);

bool sem_free(struct rw_semaphore *sem);
bool mutex_free(struct mutex *m);

/* A locker that a signal made give up: the lock call returned -EINTR, it never got the lock. */
#define KT_ASSERT_INTERRUPTED(l) \
	KT_ASSERT_MSG((l)->done && (l)->ret == -EINTR && !(l)->acquired, "done %d ret %d acquired %d", \
		      (l)->done, (l)->ret, (l)->acquired)

/* Stop the test's threads; each of them started, and each start_blocked() locker queued. */
#define KT_STOP_THREADS(f) do {								\
	lock_fixture_stop(f);								\
	KT_ASSERT_MSG((f)->started, "a thread could not be started");			\
	KT_ASSERT_MSG((f)->queued, "a locker did not queue on the lock");		\
} while (0)

/* The end of every test: its threads stopped, the locks free, every task and page back. */
#define KT_ASSERT_FIXTURE_CLEAN(f) do {							\
	lock_fixture_stop(f);								\
	KT_ASSERT(sem_free(&(f)->sem));							\
	KT_ASSERT(mutex_free(&(f)->m));							\
	KT_ASSERT(!spin_is_locked(&(f)->lock));						\
	KT_ASSERT_ALL_FREED((f)->freed0, (f)->nr_tasks, (f)->pages0);				\
} while (0)

#endif
