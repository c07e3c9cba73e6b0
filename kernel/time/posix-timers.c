/*
 * POSIX clocks and sleeping (Linux: kernel/time/posix-timers.c,
 * posix-cpu-timers.c, and nanosleep from hrtimer.c): clock_gettime,
 * clock_getres, clock_nanosleep and nanosleep. No POSIX timers
 * (timer_create).
 *
 * Clocks, all in nanoseconds:
 *   CLOCK_REALTIME(_COARSE)      the wall clock (kernel/time/timekeeping.c)
 *   CLOCK_MONOTONIC(_COARSE/RAW) ktime_get_ns(): the TSC since boot (nothing
 *                                slews it, so RAW is the same clock)
 *   CLOCK_BOOTTIME               the same again: Folio never suspends
 *   CLOCK_PROCESS/THREAD_CPUTIME_ID  tick-sampled CPU time, so they move in
 *                                4 ms steps (Linux's are exact to the ns)
 * Per-pid CPU clocks (negative clock ids, clock_getcpuclockid()) are not
 * supported: -EINVAL.
 *
 * Sleeps are timed in jiffies but checked against the nanosecond clock: a
 * sleep wakes when the timer fires, and if the deadline has not passed yet
 * (the first tick of a sleep comes at any moment) it sleeps again, so it
 * never ends early. It ends at most about a tick late. A signal ends it
 * with -EINTR and, for relative sleeps, the time left in *rem (Linux
 * returns -ERESTART_RESTARTBLOCK and restarts the call when the handler
 * allows; Folio always reports EINTR).
 *
 * No locks: the clocks are read without one (see their files), and a sleep
 * is the task's own.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <kernel/timekeeping.h>
#include <kernel/timer.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>
#include <uapi/time.h>

typedef int clockid_t;

/* The clock's current value in ns, or -EINVAL for a clock Folio does not have. */
static int posix_clock_get_ns(clockid_t which, u64 *ns)
{
	switch (which) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = ktime_get_real_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_MONOTONIC_RAW:
		*ns = ktime_get_ns();
		return 0;
	case CLOCK_BOOTTIME:
		*ns = ktime_get_boottime_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*ns = thread_group_cputime_ns(current);
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = task_cputime_ns(current);
		return 0;
	default:
		return -EINVAL;
	}
}

/* The step the clock moves in: 1 ns for the TSC clocks, a tick for the coarse and CPU ones. */
static int posix_clock_getres_ns(clockid_t which, u64 *ns)
{
	switch (which) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		*ns = 1;
		return 0;
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = TICK_NSEC;
		return 0;
	default:
		return -EINVAL;
	}
}

static int put_timespec_ns(u64 ns, struct __kernel_timespec __user *uts)
{
	struct __kernel_timespec ts = { .tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC };

	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* A valid timespec from user space as ns, saturating at KTIME_MAX; -EFAULT or -EINVAL. */
static int get_timespec_ns(const struct __kernel_timespec __user *uts, u64 *ns)
{
	struct __kernel_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	if (ts.tv_sec >= KTIME_MAX / (s64)NSEC_PER_SEC)
		*ns = KTIME_MAX;
	else
		*ns = (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

SYSCALL_DEFINE2(clock_gettime, clockid_t, which_clock, struct __kernel_timespec __user *, tp)
{
	u64 ns;
	int err = posix_clock_get_ns(which_clock, &ns);

	return err ? err : put_timespec_ns(ns, tp);
}

/* tp may be NULL: then only the clock id is checked. */
SYSCALL_DEFINE2(clock_getres, clockid_t, which_clock, struct __kernel_timespec __user *, tp)
{
	u64 ns;
	int err = posix_clock_getres_ns(which_clock, &ns);

	if (err || !tp)
		return err;
	return put_timespec_ns(ns, tp);
}

/*
 * Sleep until CLOCK_MONOTONIC reaches deadline. 0 when it has, or -EINTR
 * with *left set to the ns that remained when a signal came.
 */
static __noinline long do_nanosleep(u64 deadline, u64 *left)
{
	for (;;) {
		u64 now = ktime_get_ns();
		if (now >= deadline)
			return 0;
		if (signal_pending(current)) {
			*left = deadline - now;
			return -EINTR;
		}
		u64 ticks = DIV_ROUND_UP(deadline - now, TICK_NSEC);
		/* Centuries away is the same as never: wait for a signal only. */
		schedule_timeout_interruptible(ticks > (u64)LONG_MAX / 4 ? MAX_SCHEDULE_TIMEOUT : (long)ticks);
	}
}

/* now + delta, saturating at KTIME_MAX. */
static u64 deadline_after(u64 delta)
{
	u64 now = ktime_get_ns();

	return delta >= (u64)KTIME_MAX - now ? (u64)KTIME_MAX : now + delta;
}

SYSCALL_DEFINE2(nanosleep, const struct __kernel_timespec __user *, rqtp, struct __kernel_timespec __user *, rmtp)
{
	u64 req, left = 0;
	int err = get_timespec_ns(rqtp, &req);

	if (err)
		return err;
	long ret = do_nanosleep(deadline_after(req), &left);
	if (ret == -EINTR && rmtp && put_timespec_ns(left, rmtp))
		return -EFAULT;
	return ret;
}

/*
 * clock_nanosleep: relative, or with TIMER_ABSTIME until the clock reads
 * *rqtp (an absolute CLOCK_REALTIME time becomes a monotonic deadline with
 * the realtime clock's offset, which never changes after boot). rmtp is written only for
 * an interrupted relative sleep, as in Linux. Clocks that cannot sleep:
 * the raw and coarse clocks and the process CPU clock (-EOPNOTSUPP, which
 * Linux also returns for the first two), the thread CPU clock (-EINVAL, as
 * Linux).
 */
SYSCALL_DEFINE4(clock_nanosleep, clockid_t, which_clock, int, flags, const struct __kernel_timespec __user *, rqtp,
		struct __kernel_timespec __user *, rmtp)
{
	u64 req, deadline, left = 0;
	bool abs = flags & TIMER_ABSTIME;

	switch (which_clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		break;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_PROCESS_CPUTIME_ID:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
	int err = get_timespec_ns(rqtp, &req);
	if (err)
		return err;
	if (!abs) {
		deadline = deadline_after(req);
	} else if (which_clock == CLOCK_REALTIME) {
		s64 off = ktime_real_offset_ns();	/* negative only if the RTC was unreadable */
		if (off >= 0)
			deadline = req > (u64)off ? req - off : 0;
		else
			deadline = req >= (u64)(KTIME_MAX + off) ? (u64)KTIME_MAX : req - off;
	} else {
		deadline = req;
	}
	long ret = do_nanosleep(deadline, &left);
	if (ret == -EINTR && !abs && rmtp && put_timespec_ns(left, rmtp))
		return -EFAULT;
	return ret;
}
