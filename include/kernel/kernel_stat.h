/*
 * What /proc/stat counts (Linux: include/linux/kernel_stat.h): where the
 * CPU's time went, tick by tick, and how often things happened since boot.
 * The CPU times are charged by account_process_tick() from the timer
 * interrupt (kernel/time/timekeeping.c); no lock (one CPU charges them,
 * readers take a snapshot).
 */
#ifndef _KERNEL_KERNEL_STAT_H
#define _KERNEL_KERNEL_STAT_H

#include <kernel/types.h>

/* /proc/stat's columns, in its order; Folio charges user, system and idle. */
enum cpu_usage_stat {
	CPUTIME_USER, CPUTIME_NICE, CPUTIME_SYSTEM, CPUTIME_IDLE, CPUTIME_IOWAIT, CPUTIME_IRQ,
	CPUTIME_SOFTIRQ, CPUTIME_STEAL, CPUTIME_GUEST, CPUTIME_GUEST_NICE, NR_STATS
};

extern u64 kcpustat[NR_STATS];		/* ticks (HZ) */

/* The scheduler's counts (kernel/sched/core.c, kernel/fork.c). */
unsigned long nr_running(void);		/* runnable tasks, the running one included */
unsigned long nr_uninterruptible(void);	/* tasks asleep in TASK_UNINTERRUPTIBLE that count as load */
u64 nr_context_switches(void);
extern unsigned long total_forks;	/* tasks created since boot */
int nr_tasks(void);			/* tasks alive */
int last_allocated_pid(void);		/* the pid the last fork got */

#include <kernel/sched/loadavg.h>

#endif
