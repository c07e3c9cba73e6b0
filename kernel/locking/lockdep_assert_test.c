/*
 * ktests for lockdep_assert_held() and lockdep_assert_held_write()
 * (include/kernel/lockdep.h): one name for every lock type, each report
 * counted once and naming the function and file of the check, nothing
 * reported when the rule holds. The rules themselves (who counts as
 * holding a lock) are tested with the other lock-debugging reports.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/lockdep.h>
#include <kernel/printk.h>

static __noinline void needs_spinlock(spinlock_t *l) { lockdep_assert_held(l); }
static __noinline void needs_mutex(struct mutex *m) { lockdep_assert_held(m); }
static __noinline void needs_rwsem(struct rw_semaphore *sem) { lockdep_assert_held(sem); }
static __noinline void needs_rwsem_write(struct rw_semaphore *sem) { lockdep_assert_held_write(sem); }

#define AT(func) "checked in " func "() at kernel/locking/lockdep_assert_test.c:"

KTEST(lockdep_assert_held_names_the_caller)
{
	DEFINE_SPINLOCK(l);
	DEFINE_MUTEX(m);
	DECLARE_RWSEM(sem);
	unsigned long bugs = lock_bug_count;
	u64 seq = log_next_seq;

	needs_spinlock(&l);		/* each unheld: one report */
	needs_mutex(&m);
	needs_rwsem(&sem);
	needs_rwsem_write(&sem);
	down_read(&sem);
	needs_rwsem_write(&sem);	/* read is not write: one more */
	needs_rwsem(&sem);
	up_read(&sem);
	KT_ASSERT_EQ(lock_bug_count - bugs, 5);
	spin_lock(&l);
	needs_spinlock(&l);
	spin_unlock(&l);
	mutex_lock(&m);
	needs_mutex(&m);
	mutex_unlock(&m);
	down_write(&sem);
	needs_rwsem(&sem);
	needs_rwsem_write(&sem);
	up_write(&sem);
	KT_ASSERT_EQ(lock_bug_count - bugs, 5);
	KT_ASSERT_EQ(ktest_log_count(seq, AT("needs_spinlock")), 1);
	KT_ASSERT_EQ(ktest_log_count(seq, AT("needs_mutex")), 1);
	KT_ASSERT_EQ(ktest_log_count(seq, AT("needs_rwsem")), 1);
	KT_ASSERT_EQ(ktest_log_count(seq, AT("needs_rwsem_write")), 2);
}
