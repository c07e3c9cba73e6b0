/*
 * Lock-debugging reports shared by spinlocks, mutexes and rwsems (in Linux,
 * lockdep and the DEBUG_*_WARN_ON checks). Each report prints the problem,
 * the task, the lock and a backtrace, counts itself in lock_bug_count and
 * taints the kernel; the caller then carries on as safely as it can.
 */
#ifndef _KERNEL_LOCK_DEBUG_H
#define _KERNEL_LOCK_DEBUG_H

extern unsigned long lock_bug_count;
/* what: the report's first line, e.g. "WARNING: possible recursive locking detected". */
void lock_bug(const char *what, const char *lock_type, const void *lock, const char *name);

#endif
