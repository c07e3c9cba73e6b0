/*
 * Read/write semaphores (Linux: include/linux/rwsem.h), the lock behind an
 * address space's mmap_lock. Many readers or one writer. Fair: a new reader
 * does not pass queued waiters, so a writer is not starved by a stream of
 * readers; the lock is handed over in FIFO order at release, and the
 * readers queued behind a writer are woken together.
 */
#ifndef _KERNEL_RWSEM_H
#define _KERNEL_RWSEM_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/lock_debug.h>
#include <kernel/lock_waiter.h>

struct task_struct;

struct rw_semaphore {
	long count;			/* readers holding it, or -1 for a writer; 0 free */
	struct task_struct *owner;	/* the writer, or the last reader in (debug) */
	spinlock_t wait_lock;		/* guards everything here */
	struct list_head wait_list;	/* FIFO of waiters (struct lock_waiter) */
	const char *name;
};

#define __RWSEM_INITIALIZER(n) { .count = 0, .owner = NULL, __LOCK_WAITERS_INITIALIZER(n) }
#define DECLARE_RWSEM(n) struct rw_semaphore n = __RWSEM_INITIALIZER(n)

void __init_rwsem(struct rw_semaphore *sem, const char *name);
#define init_rwsem(sem) __init_rwsem(sem, #sem)
void down_read(struct rw_semaphore *sem);
int down_read_killable(struct rw_semaphore *sem);	/* 0 or -EINTR */
int down_read_trylock(struct rw_semaphore *sem);	/* 1 if acquired */
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
int down_write_killable(struct rw_semaphore *sem);	/* 0 or -EINTR */
int down_write_trylock(struct rw_semaphore *sem);	/* 1 if acquired */
void up_write(struct rw_semaphore *sem);
void downgrade_write(struct rw_semaphore *sem);
bool rwsem_is_locked(struct rw_semaphore *sem);
/*
 * Debug checks (lockdep_assert_held() and _write(), include/kernel/lockdep.h).
 * "Held" means held by someone, for reading or writing: the rwsem records
 * its writer but not each of its readers, so it cannot tell whether current
 * is one of them (Linux's lockdep, which tracks every lock each task holds,
 * can). "Held for write" means held for writing by current.
 */
void __rwsem_assert_held(struct rw_semaphore *sem, const struct lock_site *site);
void __rwsem_assert_held_write(struct rw_semaphore *sem, const struct lock_site *site);
#define rwsem_assert_held(sem) __rwsem_assert_held(sem, LOCK_SITE)
#define rwsem_assert_held_write(sem) __rwsem_assert_held_write(sem, LOCK_SITE)

#endif
