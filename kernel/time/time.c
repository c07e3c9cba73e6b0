/*
 * The old time calls (Linux: kernel/time/time.c, and times() from
 * kernel/sys.c): gettimeofday, time, times, and mktime64() for the RTC.
 * No time zone is kept: gettimeofday() reports UTC (minutes west 0, no
 * DST), as Linux does until something calls settimeofday() with a zone.
 *
 * Locking: none here. The wall clock is read lock-free (timekeeping.c);
 * the CPU-time counters of a process and its reaped children are read under
 * tasklist_lock, which do_exit() and wait4() hold when they add to them.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <kernel/timekeeping.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>
#include <uapi/time.h>

SYSCALL_DEFINE2(gettimeofday, struct __kernel_old_timeval __user *, tv, struct timezone __user *, tz)
{
	if (tv) {
		u64 ns = ktime_get_real_ns();
		struct __kernel_old_timeval v = { .tv_sec = ns / NSEC_PER_SEC,
						  .tv_usec = (ns % NSEC_PER_SEC) / NSEC_PER_USEC };
		if (copy_to_user(tv, &v, sizeof(v)))
			return -EFAULT;
	}
	if (tz) {
		struct timezone z = { 0, 0 };
		if (copy_to_user(tz, &z, sizeof(z)))
			return -EFAULT;
	}
	return 0;
}

/* Seconds since the epoch; also stored in *tloc unless it is NULL. */
SYSCALL_DEFINE1(time, long __user *, tloc)
{
	long t = ktime_get_real_seconds();

	if (tloc && put_user(t, tloc))
		return -EFAULT;
	return t;
}

/*
 * The process's CPU time, user and system, and that of the children it has
 * reaped, in USER_HZ ticks; the return value is USER_HZ ticks since boot
 * (Linux starts its count 5 minutes before 0 to catch wrap-around bugs;
 * Folio counts from 0). buf may be NULL.
 */
SYSCALL_DEFINE1(times, struct tms __user *, tbuf)
{
	if (tbuf) {
		struct signal_struct *sig = current->signal;
		unsigned long flags;
		u64 utime, stime;
		struct tms tms;

		thread_group_cputime(current, &utime, &stime);
		tms.tms_utime = jiffies_to_clock_t(utime);
		tms.tms_stime = jiffies_to_clock_t(stime);
		spin_lock_irqsave(&tasklist_lock, flags);
		tms.tms_cutime = jiffies_to_clock_t(sig->cutime);
		tms.tms_cstime = jiffies_to_clock_t(sig->cstime);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (copy_to_user(tbuf, &tms, sizeof(tms)))
			return -EFAULT;
	}
	return jiffies_to_clock_t(READ_ONCE(jiffies));
}

/*
 * Gauss's formula for the day number, with March as the first month so
 * that February's leap day comes last (Linux: mktime64()). 719499 is the
 * day number of 1970-01-01.
 */
s64 mktime64(unsigned int year, unsigned int mon, unsigned int day, unsigned int hour,
	     unsigned int min, unsigned int sec)
{
	if ((int)(mon -= 2) <= 0) {	/* 1..12 -> 11,12,1..10 */
		mon += 12;
		year -= 1;
	}
	s64 days = (s64)(year / 4 - year / 100 + year / 400 + 367 * mon / 12 + day) + (s64)year * 365 - 719499;
	return ((days * 24 + hour) * 60 + min) * 60 + sec;
}
