/*
 * What the scheduler and task ktests share (kernel/sched/sched_test.c:
 * preemption, sleeping and SIGKILL against sleep states; wait_test.c: wait
 * queues and completions; task_test.c: kthreads, task lifetime, waiting for
 * children, reparenting and the stack's guard page).
 *
 * Tests run in pid 1 (init) with interrupts on, one at a time. Each starts
 * its own kthreads, stops them, and ends by checking that every task it made
 * was freed (nr_tasks_freed) and that nr_free_pages() is back at the value it
 * had before (task stacks are vmalloc pages, task structs slab objects: both
 * come back once the last reference is put). Results that threads record
 * are asserted only after the threads are stopped, so a failed assertion
 * does not leave threads behind.
 *
 * Timing: nothing here measures wall-clock speed. Sleep lengths are checked
 * in jiffies (HZ=250, 4 ms ticks): a sleep of N jiffies ends on the tick where
 * jiffies reaches start+N and the sleeper runs at once when the CPU is
 * otherwise idle, so we allow SLEEP_SLACK (2) ticks over for TCG noise and
 * khungtaskd's once-a-second scan.
 */
#ifndef _KERNEL_SCHED_SCHED_TEST_H
#define _KERNEL_SCHED_SCHED_TEST_H

#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/signal.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <arch/processor.h>
#include <mm/mm.h>
#include <uapi/errno.h>

#define SLEEP_SLACK 2	/* ticks a sleep may overrun (see the top comment) */

/* t sleeps in exactly `state`: off the run queue, not merely preempted. */
static inline bool asleep_in(struct task_struct *t, long state)
{
	return READ_ONCE(t->state) == state && !READ_ONCE(t->on_rq);
}

/* Busy-wait (with interrupts on) until the next tick starts. */
static inline void sync_to_tick(void)
{
	unsigned long j = jiffies;

	while (jiffies == j)
		cpu_relax();
}

#endif
