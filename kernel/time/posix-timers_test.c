/*
 * ktests for the clocks and sleeps (kernel/time/posix-timers.c, time.c,
 * timekeeping.c, arch/x86_64/rtc.c), named sys_ like the other system-call
 * tests (kernel/sys_test.c), through the real syscall entries
 * (include/kernel/ktest_syscall.h). Timing assertions are lower bounds only
 * (a sleep never ends early; time spent spinning is charged), never speed.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/ktest_syscall.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/signal.h>
#include <kernel/time.h>
#include <kernel/timekeeping.h>
#include <kernel/timer.h>
#include <arch/processor.h>
#include <uapi/time.h>

static u64 ts_ns(const struct __kernel_timespec *ts)
{
	return ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

KTEST_UA(sys_clock_gettime)
{
	struct __kernel_timespec ts, prev;
	struct __kernel_old_timeval tv;
	struct timezone tz = { 5, 5 };

	KT_ASSERT_EQ(SYS(clock_gettime, CLOCK_MONOTONIC, A(&prev)), 0);
	for (int i = 0; i < 1000; i++) {
		KT_ASSERT_EQ(SYS(clock_gettime, CLOCK_MONOTONIC, A(&ts)), 0);
		KT_ASSERT(ts.tv_nsec >= 0 && ts.tv_nsec < (long long)NSEC_PER_SEC);
		KT_ASSERT_MSG(ts_ns(&ts) >= ts_ns(&prev), "monotonic went back at read %d", i);
		prev = ts;
	}
	u64 mono = ts_ns(&ts);
	KT_ASSERT(mono > 0);
	KT_ASSERT_EQ(SYS(clock_gettime, CLOCK_BOOTTIME, A(&ts)), 0);
	KT_ASSERT(ts_ns(&ts) >= mono);
	KT_ASSERT_EQ(SYS(clock_gettime, CLOCK_MONOTONIC_RAW, A(&ts)), 0);
	KT_ASSERT(ts_ns(&ts) >= mono);
	KT_ASSERT_EQ(SYS(clock_gettime, CLOCK_MONOTONIC_COARSE, A(&ts)), 0);

	/* The wall clock comes from the CMOS RTC: QEMU's is the host's time, well past 2020. */
	KT_ASSERT_EQ(SYS(clock_gettime, CLOCK_REALTIME, A(&ts)), 0);
	KT_ASSERT_MSG(ts.tv_sec > 1577836800, "CLOCK_REALTIME is %lld s: before 2020", ts.tv_sec);
	KT_ASSERT(ts.tv_sec < 4102444800LL);		/* and before 2100 */
	KT_ASSERT_EQ(SYS(gettimeofday, A(&tv), A(&tz)), 0);
	KT_ASSERT(tv.tv_sec >= ts.tv_sec && tv.tv_sec <= ts.tv_sec + 1);
	KT_ASSERT(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	KT_ASSERT(tz.tz_minuteswest == 0 && tz.tz_dsttime == 0);
	KT_ASSERT_EQ(SYS(gettimeofday, 0, 0), 0);
	long t = 0, t2 = SYS(time, A(&t));
	KT_ASSERT(t2 == t && t >= ts.tv_sec && t <= ts.tv_sec + 1);
	KT_ASSERT(SYS(time, 0) >= t);

	/* Resolutions, and the clocks Folio has not. */
	KT_ASSERT_EQ(SYS(clock_getres, CLOCK_MONOTONIC, A(&ts)), 0);
	KT_ASSERT(ts.tv_sec == 0 && ts.tv_nsec == 1);
	KT_ASSERT_EQ(SYS(clock_getres, CLOCK_REALTIME_COARSE, A(&ts)), 0);
	KT_ASSERT(ts.tv_sec == 0 && ts.tv_nsec == (long long)TICK_NSEC);
	KT_ASSERT_EQ(SYS(clock_getres, CLOCK_REALTIME, 0), 0);
	KT_ASSERT_EQ(SYS(clock_getres, 99, A(&ts)), -EINVAL);
	KT_ASSERT_EQ(SYS(clock_gettime, 99, A(&ts)), -EINVAL);
	KT_ASSERT_EQ(SYS(clock_gettime, -6, A(&ts)), -EINVAL);	/* another process's CPU clock */
	KT_ASSERT_EQ(SYS(clock_gettime, 11, A(&ts)), -EINVAL);	/* CLOCK_TAI */
}

KTEST(sys_mktime64)
{
	KT_ASSERT_EQ(mktime64(1970, 1, 1, 0, 0, 0), 0);
	KT_ASSERT_EQ(mktime64(1999, 12, 31, 23, 59, 59), 946684799);
	KT_ASSERT_EQ(mktime64(2000, 3, 1, 0, 0, 0), 951868800);
	KT_ASSERT_EQ(mktime64(2024, 2, 29, 12, 0, 0), 1709208000);
	s64 rtc;
	KT_ASSERT_EQ(mach_get_cmos_time(&rtc), 0);
	KT_ASSERT(rtc > 1577836800);
	/*
	 * CLOCK_REALTIME is CLOCK_MONOTONIC plus an offset read from the RTC at
	 * boot, so the realtime of boot (the offset itself) must lie between
	 * "now by the RTC" and a generous time before it. Comparing the two
	 * clocks now instead would measure the TSC's calibration, which a busy
	 * host can throw off by tens of percent; a wrong epoch, a BCD mix-up or
	 * a broken RTC read is off by hours or years.
	 */
	s64 boot_real = ktime_real_offset_ns() / (s64)NSEC_PER_SEC;
	s64 up = (s64)(ktime_get_ns() / NSEC_PER_SEC);
	KT_ASSERT_MSG(boot_real <= rtc + 2 && boot_real >= rtc - 4 * up - 60,
		      "booted at %lld by CLOCK_REALTIME, the RTC says %lld now (up %lld s)", boot_real, rtc, up);
}

KTEST_UA(sys_nanosleep)
{
	struct __kernel_timespec req = { 0, 20 * NSEC_PER_MSEC }, rem = { 42, 42 };

	/*
	 * Earlier tests' children send their exit signal (SIGCHLD) to init,
	 * which runs the tests; Linux would drop it (ignored by default), Folio
	 * queues it, and it would end our sleeps at once.
	 */
	flush_signals(current);
	unsigned long j0 = jiffies;
	u64 t0 = ktime_get_ns();
	KT_ASSERT_EQ(SYS(nanosleep, A(&req), A(&rem)), 0);
	KT_ASSERT_MSG(ktime_get_ns() - t0 >= 20 * NSEC_PER_MSEC, "woke after %llu ns", ktime_get_ns() - t0);
	KT_ASSERT(jiffies - j0 >= 20 * HZ / 1000);
	KT_ASSERT(rem.tv_sec == 42 && rem.tv_nsec == 42);	/* only written when interrupted */

	req = (struct __kernel_timespec){ 0, 0 };
	KT_ASSERT_EQ(SYS(nanosleep, A(&req), 0), 0);
	req = (struct __kernel_timespec){ 0, NSEC_PER_SEC };
	KT_ASSERT_EQ(SYS(nanosleep, A(&req), 0), -EINVAL);
	req = (struct __kernel_timespec){ 0, -1 };
	KT_ASSERT_EQ(SYS(nanosleep, A(&req), 0), -EINVAL);
	req = (struct __kernel_timespec){ -1, 0 };
	KT_ASSERT_EQ(SYS(nanosleep, A(&req), 0), -EINVAL);

	/* clock_nanosleep: relative, absolute on two clocks, an absolute time already past. */
	req = (struct __kernel_timespec){ 0, 10 * NSEC_PER_MSEC };
	t0 = ktime_get_ns();
	KT_ASSERT_EQ(SYS(clock_nanosleep, CLOCK_MONOTONIC, 0, A(&req), 0), 0);
	KT_ASSERT(ktime_get_ns() - t0 >= 10 * NSEC_PER_MSEC);
	u64 until = ktime_get_ns() + 10 * NSEC_PER_MSEC;
	req = (struct __kernel_timespec){ until / NSEC_PER_SEC, until % NSEC_PER_SEC };
	KT_ASSERT_EQ(SYS(clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, A(&req), 0), 0);
	KT_ASSERT(ktime_get_ns() >= until);
	until = ktime_get_real_ns() + 10 * NSEC_PER_MSEC;
	req = (struct __kernel_timespec){ until / NSEC_PER_SEC, until % NSEC_PER_SEC };
	KT_ASSERT_EQ(SYS(clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, A(&req), 0), 0);
	KT_ASSERT(ktime_get_real_ns() >= until);
	req = (struct __kernel_timespec){ 1, 0 };			/* 1970: long gone */
	t0 = ktime_get_ns();
	KT_ASSERT_EQ(SYS(clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, A(&req), 0), 0);
	KT_ASSERT(ktime_get_ns() - t0 < NSEC_PER_SEC);
	KT_ASSERT_EQ(SYS(clock_nanosleep, 99, 0, A(&req), 0), -EINVAL);
	KT_ASSERT_EQ(SYS(clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, A(&req), 0), -EINVAL);
	KT_ASSERT_EQ(SYS(clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, A(&req), 0), -EOPNOTSUPP);
	req = (struct __kernel_timespec){ 0, NSEC_PER_SEC };
	KT_ASSERT_EQ(SYS(clock_nanosleep, CLOCK_MONOTONIC, 0, A(&req), 0), -EINVAL);
}

struct sleeper {
	bool started, done;
	long ret, abs_ret;
	struct __kernel_timespec rem, abs_rem;
};

/* Sleeps 10 s until a signal comes; then an absolute sleep, which must not touch its rem. */
static int sleeper_fn(void *data)
{
	struct sleeper *s = data;
	struct __kernel_timespec req = { 10, 0 };

	uaccess_kernel_begin();
	WRITE_ONCE(s->started, true);
	s->ret = SYS(nanosleep, A(&req), A(&s->rem));
	u64 until = ktime_get_ns() + 10 * NSEC_PER_SEC;
	req = (struct __kernel_timespec){ until / NSEC_PER_SEC, until % NSEC_PER_SEC };
	s->abs_rem = (struct __kernel_timespec){ 42, 42 };
	s->abs_ret = SYS(clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, A(&req), A(&s->abs_rem));
	uaccess_kernel_end();
	flush_signals(current);
	WRITE_ONCE(s->done, true);
	return 0;
}

KTEST(sys_nanosleep_signal)
{
	struct sleeper s = { 0 };
	unsigned long freed0 = nr_tasks_freed, pages0 = nr_free_pages();
	struct task_struct *t = ktest_start_thread(sleeper_fn, &s, "sys_sleeper");

	KT_ASSERT(t);
	KT_ASSERT(WAIT_FOR(READ_ONCE(s.started), 5));
	schedule_timeout_uninterruptible(2);	/* let it fall asleep (if not, it sees the signal first) */
	send_sig(SIGUSR1, t, 1);
	bool done = WAIT_FOR(READ_ONCE(s.done), 5);
	ktest_stop_thread(t);
	KT_ASSERT_MSG(done, "the signal did not end the sleep");
	KT_ASSERT_EQ(s.ret, -EINTR);
	KT_ASSERT(s.rem.tv_sec >= 5 && s.rem.tv_sec < 10);	/* most of the 10 s were left */
	KT_ASSERT(s.rem.tv_nsec >= 0 && s.rem.tv_nsec < (long long)NSEC_PER_SEC);
	KT_ASSERT_EQ(s.abs_ret, -EINTR);			/* the signal was still pending */
	KT_ASSERT(s.abs_rem.tv_sec == 42 && s.abs_rem.tv_nsec == 42);
	KT_ASSERT_ALL_FREED(freed0, 1, pages0);
}

static void spin_ms(unsigned int ms)
{
	u64 t0 = ktime_get_ns();

	while (ktime_get_ns() - t0 < ms * NSEC_PER_MSEC)
		cpu_relax();
}

KTEST_UA(sys_times_cputime)
{
	struct __kernel_timespec th0, th1, pr1;
	struct tms a, b;

	KT_ASSERT_EQ(SYS(clock_gettime, CLOCK_THREAD_CPUTIME_ID, A(&th0)), 0);
	long r0 = SYS(times, A(&a));
	spin_ms(100);		/* in kernel mode, interrupts on: ticks charge our system time */
	long r1 = SYS(times, A(&b));
	KT_ASSERT_EQ(SYS(clock_gettime, CLOCK_THREAD_CPUTIME_ID, A(&th1)), 0);
	KT_ASSERT_EQ(SYS(clock_gettime, CLOCK_PROCESS_CPUTIME_ID, A(&pr1)), 0);

	KT_ASSERT_MSG(ts_ns(&th1) > ts_ns(&th0), "no CPU time charged in 100 ms of spinning");
	KT_ASSERT(ts_ns(&pr1) >= ts_ns(&th1));		/* a process has at least its thread's time */
	KT_ASSERT(b.tms_stime > a.tms_stime);
	KT_ASSERT(b.tms_utime == a.tms_utime);		/* a kernel thread never runs in user mode */
	KT_ASSERT(b.tms_cutime >= 0 && b.tms_cstime >= 0);
	KT_ASSERT(r1 >= r0);	/* (no tick count asserted: under TCG ticks may lag the TSC's 100 ms) */
	long now = jiffies_to_clock_t(jiffies);
	KT_ASSERT(r1 <= now && r1 >= now - 2);
	KT_ASSERT(SYS(times, 0) >= r1);
}
