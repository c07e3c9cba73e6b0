/*
 * The lock of an address space (Linux: include/linux/mmap_lock.h).
 * mm->mmap_lock is a read/write semaphore: page faults take it for reading,
 * whatever changes the VMAs (mmap, munmap, mprotect, brk, exec) for writing.
 * The assertions check the caller holds it (lock debugging).
 */
#ifndef _MM_MMAP_LOCK_H
#define _MM_MMAP_LOCK_H

#include <kernel/rwsem.h>
#include <mm/mm_types.h>

static inline void mmap_read_lock(struct mm_struct *mm) { down_read(&mm->mmap_lock); }
static inline int mmap_read_trylock(struct mm_struct *mm) { return down_read_trylock(&mm->mmap_lock); }
static inline void mmap_read_unlock(struct mm_struct *mm) { up_read(&mm->mmap_lock); }
static inline void mmap_write_lock(struct mm_struct *mm) { down_write(&mm->mmap_lock); }
static inline int mmap_write_lock_killable(struct mm_struct *mm) { return down_write_killable(&mm->mmap_lock); }
static inline void mmap_write_unlock(struct mm_struct *mm) { up_write(&mm->mmap_lock); }
static inline void mmap_assert_locked(struct mm_struct *mm) { rwsem_assert_held(&mm->mmap_lock); }
static inline void mmap_assert_write_locked(struct mm_struct *mm) { rwsem_assert_held_write(&mm->mmap_lock); }

#endif
