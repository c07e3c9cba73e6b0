/*
 * Lock assertions under Linux's names (Linux: include/linux/lockdep.h).
 * lockdep_assert_held(&lock) reports, through lock debugging, a caller that
 * does not hold lock, naming the function and line of the check:
 *   spinlock_t           held by this CPU (so by current: a spinlock
 *                        disables preemption)
 *   struct mutex         owned by current
 *   struct rw_semaphore  held by someone, for reading or writing: an rwsem
 *                        knows its writer but not each reader, so this is
 *                        weaker than Linux's "held by current" for readers
 * lockdep_assert_held_write(&sem) requires current to hold sem for writing.
 * Folio has no lock-class validator; these are its runtime checks.
 */
#ifndef _KERNEL_LOCKDEP_H
#define _KERNEL_LOCKDEP_H

#include <kernel/spinlock.h>
#include <kernel/mutex.h>
#include <kernel/rwsem.h>

#define lockdep_assert_held(l) _Generic((l),				\
	spinlock_t *: __spin_assert_held,				\
	struct mutex *: __mutex_assert_held,				\
	struct rw_semaphore *: __rwsem_assert_held)((l), LOCK_SITE)
#define lockdep_assert_held_write(sem) __rwsem_assert_held_write((sem), LOCK_SITE)

#endif
