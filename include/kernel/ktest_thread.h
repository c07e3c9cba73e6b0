/*
 * Helpers for ktests that start kernel threads and wait for them
 * (kernel/ktest.c). Tests sleep in ticks, never on the wall clock.
 */
#ifndef _KERNEL_KTEST_THREAD_H
#define _KERNEL_KTEST_THREAD_H

#include <kernel/ktest.h>
#include <kernel/kthread.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/sched/task.h>
#include <mm/mm.h>

/* Poll cond once a tick for up to secs seconds; true if it became true. */
#define WAIT_FOR(cond, secs) ({						\
	unsigned long __end = jiffies + (secs) * HZ;			\
	bool __ok;							\
	while (!(__ok = !!(cond)) && time_before(jiffies, __end))	\
		schedule_timeout_uninterruptible(1);			\
	__ok; })

/* The test's threads are all freed and every page they used is back. */
#define KT_ASSERT_ALL_FREED(freed0, nthreads, pages0) do {			\
	WAIT_FOR(READ_ONCE(nr_tasks_freed) >= (freed0) + (nthreads), 5);	\
	KT_ASSERT_EQ(nr_tasks_freed, (freed0) + (nthreads));			\
	KT_ASSERT_EQ(nr_free_pages(), (pages0));				\
} while (0)

/*
 * Start fn(data) in a kthread, holding a reference so that kthread_stop()
 * stays safe even after fn has returned on its own (see kthread.h); NULL on
 * failure. ktest_stop_thread() stops it, drops the reference and returns fn's value.
 */
struct task_struct *ktest_start_thread(int (*fn)(void *), void *data, const char *name);
int ktest_stop_thread(struct task_struct *t);

#endif
