/*
 * The clocks user space sees (Linux: include/linux/timekeeping.h,
 * jiffies.h). Monotonic time is ktime_get_ns() (kernel/time.h): the TSC
 * since boot. Wall-clock time is that plus a base read once from the CMOS
 * real-time clock (kernel/time/timekeeping.c, arch/x86_64/rtc.c).
 * CPU time is counted in ticks by account_process_tick().
 */
#ifndef _KERNEL_TIMEKEEPING_H
#define _KERNEL_TIMEKEEPING_H

#include <kernel/types.h>
#include <kernel/time.h>

#define USER_HZ 100				/* clock_t ticks: times(), AT_CLKTCK */
#define TICK_NSEC (NSEC_PER_SEC / HZ)		/* 4 ms */
#define KTIME_MAX ((s64)(~0ULL >> 1))		/* nanoseconds saturate here (292 years) */

struct task_struct;

/* Read the RTC and set the wall-clock base; call once ktime_get_ns() runs (after tsc_init()). */
void timekeeping_init(void);
u64 ktime_get_real_ns(void);		/* CLOCK_REALTIME: ns since 1970-01-01 00:00 UTC */
s64 ktime_get_real_seconds(void);
static inline u64 ktime_get_boottime_ns(void) { return ktime_get_ns(); }	/* no suspend */
/* CLOCK_REALTIME minus CLOCK_MONOTONIC (0 before timekeeping_init()). */
s64 ktime_real_offset_ns(void);

/* CPU time in ns (tick granularity): one thread, and a whole process with its dead threads. */
u64 task_cputime_ns(struct task_struct *p);
u64 thread_group_cputime_ns(struct task_struct *p);
/* The same for a process, in ticks, user and system apart. */
void thread_group_cputime(struct task_struct *p, u64 *utime, u64 *stime);
/* Charge the tick to the running task, from the timer interrupt. */
void account_process_tick(struct task_struct *p, bool user_tick);

static inline long jiffies_to_clock_t(u64 j) { return (long)(j * USER_HZ / HZ); }

/* Seconds since the epoch of a UTC date, months 1..12 (Linux: mktime64()). */
s64 mktime64(unsigned int year, unsigned int mon, unsigned int day, unsigned int hour,
	     unsigned int min, unsigned int sec);

/* arch: the CMOS clock's date as seconds since the epoch; 0 or -EIO (unreadable or nonsense). */
int mach_get_cmos_time(s64 *secs);

#endif
