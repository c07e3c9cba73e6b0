/*
 * Lock-debugging reports shared by spinlocks, mutexes and rwsems (in Linux,
 * lockdep and the DEBUG_*_WARN_ON checks). Each report prints the problem,
 * the task, the lock and a backtrace, counts itself in lock_bug_count and
 * taints the kernel; the caller then carries on as safely as it can.
 *
 * A failed assertion (lockdep_assert_held() and the like, include/kernel/
 * lockdep.h) also names where it stands: the function, file and line of
 * the check, so the report says whose rule was broken even when that
 * function was inlined into its caller.
 */
#ifndef _KERNEL_LOCK_DEBUG_H
#define _KERNEL_LOCK_DEBUG_H

/* Where an assertion stands; LOCK_SITE is the current one (a constant: no cost until reported). */
struct lock_site {
	const char *func, *file;
	int line;
};
#define LOCK_SITE ({ static const struct lock_site __site = { __func__, __FILE__, __LINE__ }; &__site; })

extern unsigned long lock_bug_count;
/* what: the report's first line, e.g. "WARNING: possible recursive locking detected". */
void lock_bug(const char *what, const char *lock_type, const void *lock, const char *name);
/* The same for a failed assertion at site. */
void lock_bug_at(const struct lock_site *site, const char *what, const char *lock_type, const void *lock,
		 const char *name);

#endif
