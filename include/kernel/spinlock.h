/*
 * Ticket spinlocks (Linux had these on x86 until qspinlocks): each locker
 * takes a ticket with an atomic xadd and spins until "owner" reaches it, so
 * the lock is FIFO-fair and SMP-correct. Holding a spinlock disables
 * preemption. In debug builds the lock records its owner CPU and the caller,
 * so an unlock by a non-owner or a recursive lock is reported.
 */
#ifndef _KERNEL_SPINLOCK_H
#define _KERNEL_SPINLOCK_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/preempt.h>
#include <kernel/lock_debug.h>
#include <arch/irqflags.h>

typedef struct {
	volatile u16 owner;
	volatile u16 next;
	int owner_cpu;		/* -1 when free (debug) */
	const char *name;
	void *owner_ip;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(n) { .owner = 0, .next = 0, .owner_cpu = -1, .name = #n }
#define DEFINE_SPINLOCK(n) spinlock_t n = __SPIN_LOCK_UNLOCKED(n)

void spin_lock_init(spinlock_t *l);
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
bool spin_trylock(spinlock_t *l);
bool spin_is_locked(spinlock_t *l);
void spin_lock_irq(spinlock_t *l);
void spin_unlock_irq(spinlock_t *l);
/* Release without the preemption point, for the irq-restoring unlocks below. */
void __spin_release(spinlock_t *l);
#define spin_lock_irqsave(l, flags) do { local_irq_save(flags); spin_lock(l); } while (0)
/* Interrupts first, then preemption, so the unlock can be a preemption point (as Linux). */
#define spin_unlock_irqrestore(l, flags) do { __spin_release(l); local_irq_restore(flags); \
	preempt_enable(); } while (0)
/* Debug check: the current CPU holds l (lockdep_assert_held(), include/kernel/lockdep.h). */
void __spin_assert_held(spinlock_t *l, const struct lock_site *site);
#define spin_assert_held(l) __spin_assert_held(l, LOCK_SITE)

#endif
