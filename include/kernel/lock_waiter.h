/*
 * What the sleeping locks (mutex, rwsem) share: a FIFO of waiters under a
 * wait_lock, and the hand-off. A waiter never takes the lock itself: the
 * releaser picks it, records it as the lock's new holder and sets its
 * ->granted, all under wait_lock, before waking it. So the order of the
 * queue is the order of the lock, and nobody barges in.
 */
#ifndef _KERNEL_LOCK_WAITER_H
#define _KERNEL_LOCK_WAITER_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>

struct task_struct;

struct lock_waiter {
	struct list_head list;		/* on the lock's wait_list */
	struct task_struct *task;
	bool granted;			/* the releaser handed the lock over */
};

/* The wait_lock, wait_list and name of a sleeping lock called n, for its initializer. */
#define __LOCK_WAITERS_INITIALIZER(n) \
	.wait_lock = __SPIN_LOCK_UNLOCKED(n.wait_lock), .wait_list = LIST_HEAD_INIT(n.wait_list), .name = #n

/*
 * Queue w (for current) at the tail of wait_list and sleep in state until
 * the lock is handed over: 0. A fatal signal (TASK_KILLABLE) or any signal
 * (TASK_INTERRUPTIBLE) that comes first takes w off the queue: -EINTR.
 * current->blocked_on names lock (of type "mutex" or "rw-semaphore") for the
 * hung-task detector meanwhile. Called, and returns, with wait_lock held
 * and interrupts saved in *flags.
 */
int lock_wait_handoff(spinlock_t *wait_lock, unsigned long *flags, struct list_head *wait_list,
		      struct lock_waiter *w, unsigned int state, const void *lock, const char *type);

#endif
