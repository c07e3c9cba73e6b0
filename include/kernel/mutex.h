/*
 * Sleeping mutual exclusion (Linux: include/linux/mutex.h). The owner is
 * recorded; waiters queue in FIFO order and unlock hands the mutex straight
 * to the first of them, so nobody starves and nobody barges in. Debug
 * checks: unlocking a mutex you do not own, and locking one you already
 * hold, are reported.
 */
#ifndef _KERNEL_MUTEX_H
#define _KERNEL_MUTEX_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/lock_debug.h>
#include <kernel/lock_waiter.h>

struct task_struct;

struct mutex {
	struct task_struct *owner;	/* NULL when free; written under wait_lock */
	spinlock_t wait_lock;
	struct list_head wait_list;	/* FIFO of struct lock_waiter */
	const char *name;
};

#define __MUTEX_INITIALIZER(n) { .owner = NULL, __LOCK_WAITERS_INITIALIZER(n) }
#define DEFINE_MUTEX(n) struct mutex n = __MUTEX_INITIALIZER(n)

void __mutex_init(struct mutex *m, const char *name);
#define mutex_init(m) __mutex_init(m, #m)
void mutex_lock(struct mutex *m);
int mutex_lock_interruptible(struct mutex *m);	/* 0 or -EINTR */
int mutex_lock_killable(struct mutex *m);	/* 0 or -EINTR */
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_locked(struct mutex *m);
/* Debug check: current owns m (lockdep_assert_held(), include/kernel/lockdep.h). */
void __mutex_assert_held(struct mutex *m, const struct lock_site *site);
#define mutex_assert_held(m) __mutex_assert_held(m, LOCK_SITE)

#endif
