/*
 * Ticket spinlocks; see include/kernel/spinlock.h. The lock word's "next"
 * half is the ticket dispenser and "owner" the ticket being served; an atomic
 * fetch-and-add on next takes a ticket, and unlock advances owner. Debug
 * checks (always on): recursion on the same CPU and unlock by a non-owner
 * are reported as Linux's spinlock debugging reports them.
 */
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <kernel/preempt.h>
#include <kernel/lock_debug.h>

static void spin_bug_at(const struct lock_site *site, spinlock_t *l, const char *msg)
{
	/* Report and carry on, as Linux's spin_dump() does; the tests count these. */
	char what[192];

	snprintf(what, sizeof(what), "BUG: spinlock %s on CPU#%u, .owner_cpu: %d, .owner_ip: %pS", msg,
		 smp_processor_id(), l->owner_cpu, l->owner_ip);
	lock_bug_at(site, what, "spinlock", l, l->name);
}

static void spin_bug(spinlock_t *l, const char *msg)
{
	spin_bug_at(NULL, l, msg);
}

void spin_lock_init(spinlock_t *l)
{
	l->owner = l->next = 0;
	l->owner_cpu = -1;
	l->owner_ip = NULL;
}

void spin_lock(spinlock_t *l)
{
	preempt_disable();
	if (unlikely(l->owner_cpu == (int)smp_processor_id()))
		spin_bug(l, "recursion");
	u16 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		__asm__ __volatile__("pause" ::: "memory");
	l->owner_cpu = smp_processor_id();
	l->owner_ip = __builtin_return_address(0);
}

bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	u16 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u16 expected = owner;
	/* Free means next == owner; take a ticket only then. */
	if (__atomic_compare_exchange_n(&l->next, &expected, (u16)(owner + 1), false,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		l->owner_cpu = smp_processor_id();
		l->owner_ip = __builtin_return_address(0);
		return true;
	}
	preempt_enable();
	return false;
}

/* Drop the lock, leaving preempt_count raised; the caller brings it down. */
void __spin_release(spinlock_t *l)
{
	if (unlikely(l->owner_cpu != (int)smp_processor_id())) {
		spin_bug(l, "already unlocked or wrong CPU");
		/* Releasing it anyway would corrupt the ticket order; keep the count balanced. */
		preempt_disable();
		return;
	}
	l->owner_cpu = -1;
	l->owner_ip = NULL;
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
}

void spin_unlock(spinlock_t *l)
{
	__spin_release(l);
	preempt_enable();
}

bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) != __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

void spin_lock_irq(spinlock_t *l)
{
	local_irq_disable();
	spin_lock(l);
}

void spin_unlock_irq(spinlock_t *l)
{
	__spin_release(l);
	local_irq_enable();
	preempt_enable();
}

void __spin_assert_held(spinlock_t *l, const struct lock_site *site)
{
	if (unlikely(!spin_is_locked(l) || l->owner_cpu != (int)smp_processor_id()))
		spin_bug_at(site, l, "not held");
}
