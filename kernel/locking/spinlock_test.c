/*
 * ktests for spinlocks (kernel/locking/spinlock.c): preemption off while
 * held, trylock, and the interrupt flag saved and restored by the irqsave
 * forms. (Their lock-debugging reports are in lock_debug_test.c.)
 */
#include <arch/processor.h>
#include "locking_test.h"

/* spin_lock raises preempt_count, trylock fails while held, irqsave restores the interrupt flag. */
KTEST(spin_lock_basics)
{
	struct lock_fixture *f = lock_fixture_begin();
	spinlock_t *l = &f->lock;
	unsigned long flags;
	int pc = preempt_count();

	KT_ASSERT(!spin_is_locked(l));
	spin_lock(l);
	KT_ASSERT(spin_is_locked(l));
	KT_ASSERT_EQ(preempt_count(), pc + 1);
	bool nested = spin_trylock(l);
	KT_ASSERT_EQ(preempt_count(), pc + 1);
	spin_unlock(l);
	KT_ASSERT(!nested);
	KT_ASSERT_EQ(preempt_count(), pc);
	KT_ASSERT(!spin_is_locked(l));

	KT_ASSERT(spin_trylock(l));
	KT_ASSERT_EQ(preempt_count(), pc + 1);
	spin_unlock(l);

	KT_ASSERT(!irqs_disabled());
	spin_lock_irqsave(l, flags);
	KT_ASSERT(irqs_disabled());
	spin_unlock_irqrestore(l, flags);
	KT_ASSERT(!irqs_disabled());
	local_irq_disable();
	spin_lock_irqsave(l, flags);
	spin_unlock_irqrestore(l, flags);
	bool still_off = irqs_disabled();
	local_irq_enable();
	KT_ASSERT(still_off);
	KT_ASSERT_EQ(preempt_count(), pc);
	KT_ASSERT_FIXTURE_CLEAN(f);
}
