/*
 * The lock of an address space (Linux: include/linux/mmap_lock.h).
 * mm->mmap_lock is a read/write semaphore: page faults take it for reading,
 * whatever changes the VMAs (mmap, munmap, mprotect, mlock, brk, exec, fork)
 * for writing, readers of another process's memory (/proc/PID/maps,
 * cmdline, environ) for reading, killably. include/mm/mm_types.h says what
 * it guards.
 *
 * The checks, as Linux's (reported by lock debugging, naming the function
 * that made the check):
 *   mmap_assert_locked(mm)        mmap_lock is held, for reading or writing.
 *                                 The rwsem knows its writer but not each
 *                                 reader, so a task relying on another
 *                                 task's read lock is not caught; Linux's
 *                                 lockdep would catch it.
 *   mmap_assert_write_locked(mm)  current holds mmap_lock for writing.
 * Both accept exit_mmap(): it tears the mm down without the lock, because
 * mm_users is 0 and no task can fault, map or fork in the mm any more; an
 * OOM reaper, which reaches the mm through an mm_count reference, takes the
 * read lock and leaves alone an mm marked MMF_OOM_SKIP (docs/mm.md). Only
 * the task running exit_mmap() is excused (mm->exit_mmap_task), so anyone
 * else touching the dying mm without the lock is still reported.
 */
#ifndef _MM_MMAP_LOCK_H
#define _MM_MMAP_LOCK_H

#include <kernel/rwsem.h>
#include <kernel/lockdep.h>
#include <kernel/sched.h>
#include <mm/mm_types.h>

static inline void mmap_read_lock(struct mm_struct *mm) { down_read(&mm->mmap_lock); }
/* A reader that may wait behind a writer for long (/proc/PID/maps): a fatal signal ends the wait, -EINTR. */
static inline int mmap_read_lock_killable(struct mm_struct *mm) { return down_read_killable(&mm->mmap_lock); }
static inline int mmap_read_trylock(struct mm_struct *mm) { return down_read_trylock(&mm->mmap_lock); }
static inline void mmap_read_unlock(struct mm_struct *mm) { up_read(&mm->mmap_lock); }
static inline void mmap_write_lock(struct mm_struct *mm) { down_write(&mm->mmap_lock); }
static inline int mmap_write_lock_killable(struct mm_struct *mm) { return down_write_killable(&mm->mmap_lock); }
static inline void mmap_write_unlock(struct mm_struct *mm) { up_write(&mm->mmap_lock); }

/* exit_mmap() is tearing mm down in this task: no mmap_lock is needed. */
static inline bool mmap_lock_exempt(struct mm_struct *mm)
{
	return READ_ONCE(mm->exit_mmap_task) == current;
}

/* Macros, so that the report names the caller's function and line. */
#define mmap_assert_locked(mm) do {					\
	struct mm_struct *__mm = (mm);					\
	if (!mmap_lock_exempt(__mm))					\
		lockdep_assert_held(&__mm->mmap_lock);			\
} while (0)
#define mmap_assert_write_locked(mm) do {				\
	struct mm_struct *__mm = (mm);					\
	if (!mmap_lock_exempt(__mm))					\
		lockdep_assert_held_write(&__mm->mmap_lock);		\
} while (0)

#endif
