/*
 * Wall-clock time and CPU-time accounting (Linux: kernel/time/timekeeping.c,
 * kernel/sched/cputime.c, much reduced).
 *
 * CLOCK_MONOTONIC is ktime_get_ns(), the TSC since boot. CLOCK_REALTIME is
 * that plus real_offset, set once at boot from the CMOS clock: 1 s
 * resolution at the start, TSC-exact after. Nothing sets the time later
 * (no settimeofday, no NTP), so the offset never changes after boot and is
 * read without a lock. If the RTC cannot be read, the wall clock starts at
 * the epoch, with a message saying so.
 *
 * CPU time is tick-sampled, as Linux without VIRT_CPU_ACCOUNTING: each timer
 * tick charges 4 ms to whichever task it interrupted, user or system time
 * by where it hit. A task's own counters are written only by the tick on its
 * CPU. A process's total is its live threads' plus signal->utime/stime
 * (threads that exited), read under tasklist_lock, which do_exit() holds
 * when it adds a thread's counters there.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/timekeeping.h>
#include <kernel/kernel_stat.h>

static s64 real_offset;		/* CLOCK_REALTIME - CLOCK_MONOTONIC, ns; written once */
static bool timekeeping_ready;
static DEFINE_SPINLOCK(timekeeping_lock);	/* only orders the one-time initialisation */

void timekeeping_init(void)
{
	unsigned long flags;
	s64 secs = 0;

	spin_lock_irqsave(&timekeeping_lock, flags);
	if (timekeeping_ready) {
		spin_unlock_irqrestore(&timekeeping_lock, flags);
		return;
	}
	int err = mach_get_cmos_time(&secs);
	u64 now = ktime_get_ns();
	if (err)
		secs = 0;
	WRITE_ONCE(real_offset, secs * (s64)NSEC_PER_SEC - (s64)now);
	__atomic_store_n(&timekeeping_ready, true, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&timekeeping_lock, flags);

	if (err)
		pr_warn("timekeeping: cannot read the CMOS clock (error %d); the wall clock starts at 1970-01-01\n",
			err);
	else
		pr_info("timekeeping: wall clock from the CMOS RTC: %lld seconds since the epoch\n", secs);
}

s64 ktime_real_offset_ns(void)
{
	/* If boot did not call timekeeping_init() (or not yet), the first reader does. */
	if (!__atomic_load_n(&timekeeping_ready, __ATOMIC_ACQUIRE))
		timekeeping_init();
	return READ_ONCE(real_offset);
}

u64 ktime_get_real_ns(void)
{
	s64 t = (s64)ktime_get_ns() + ktime_real_offset_ns();

	return t < 0 ? 0 : (u64)t;
}

s64 ktime_get_real_seconds(void)
{
	return (s64)(ktime_get_real_ns() / NSEC_PER_SEC);
}

u64 kcpustat[NR_STATS];

/* From the timer interrupt (arch/x86_64/irq.c): the idle task's ticks are the CPU's idle time. */
void account_process_tick(struct task_struct *p, bool user_tick)
{
	kcpustat[p->flags & PF_IDLE ? CPUTIME_IDLE : user_tick ? CPUTIME_USER : CPUTIME_SYSTEM]++;
	if (p->flags & PF_IDLE)
		return;
	if (user_tick)
		p->utime++;
	else
		p->stime++;
}

u64 task_cputime_ns(struct task_struct *p)
{
	return (READ_ONCE(p->utime) + READ_ONCE(p->stime)) * TICK_NSEC;
}

void thread_group_cputime(struct task_struct *p, u64 *utime, u64 *stime)
{
	struct task_struct *leader = p->group_leader, *t;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	*utime = p->signal->utime;
	*stime = p->signal->stime;
	if (!leader->exit_state) {	/* a zombie leader's time is in signal already */
		*utime += leader->utime;
		*stime += leader->stime;
	}
	list_for_each_entry(t, &leader->thread_group, thread_group) {
		*utime += t->utime;
		*stime += t->stime;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

u64 thread_group_cputime_ns(struct task_struct *p)
{
	u64 utime, stime;

	thread_group_cputime(p, &utime, &stime);
	return (utime + stime) * TICK_NSEC;
}
