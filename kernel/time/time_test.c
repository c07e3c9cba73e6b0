/*
 * ktests for time keeping (kernel/time/tick-common.c, arch/x86_64/tsc.c): jiffies
 * advance with interrupts on, the tick rate agrees with HZ, the TSC clock is
 * monotonic and calibrated, udelay() waits at least as long as asked.
 *
 * Timing tolerances (the only timing assertions here; speed is for make bench):
 * - jiffies: within 1 s of TSC time at least 3 ticks must arrive (250 expected;
 *   the window is wide so that a host descheduling QEMU cannot close it).
 * - tick rate: over 200 ms of TSC time, HZ +-30% ticks (35..65 at HZ=250);
 *   too few ticks are measured again (see TICK_TRIES), too many fail at once.
 *   Under TCG the LAPIC timer and the TSC both follow QEMU's virtual clock, but
 *   a host that deschedules QEMU delays timer delivery (ticks are not
 *   replayed), so the window is generous; it still catches a wrong divider,
 *   a wrong HZ, or a TSC calibration off by a large factor.
 * - udelay(n) takes at least n us by ktime (a lower bound only).
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/time.h>
#include <arch/irqflags.h>
#include <arch/processor.h>

#define TICK_TOLERANCE_PCT 30

/* Spin until jiffies changes or limit_ns passes; returns the jiffies value seen. */
static unsigned long wait_tick(unsigned long j, u64 limit_ns)
{
	u64 t0 = ktime_get_ns();

	while (READ_ONCE(jiffies) == j && ktime_get_ns() - t0 < limit_ns)
		cpu_relax();
	return READ_ONCE(jiffies);
}

KTEST(time_jiffies_advance)
{
	KT_ASSERT_MSG(!irqs_disabled(), "tests run with interrupts off");
	unsigned long j0 = READ_ONCE(jiffies), j = j0;
	u64 t0 = ktime_get_ns();

	while (j - j0 < 3 && ktime_get_ns() - t0 < NSEC_PER_SEC)
		j = wait_tick(j, NSEC_PER_SEC);
	KT_ASSERT_MSG(j - j0 >= 3, "only %lu ticks in %llu ms", j - j0,
		      (ktime_get_ns() - t0) / NSEC_PER_MSEC);
	KT_ASSERT(time_after(j, j0));
	KT_ASSERT(time_before(j0, j));
}

/* Ticks counted over one window of TSC time, starting on a tick edge. */
static unsigned long ticks_in(u64 window)
{
	unsigned long j0 = wait_tick(READ_ONCE(jiffies), 50 * NSEC_PER_MSEC);
	u64 t0 = ktime_get_ns();

	while (ktime_get_ns() - t0 < window)
		cpu_relax();
	return READ_ONCE(jiffies) - j0;
}

/*
 * A host that deschedules QEMU loses ticks (they are not replayed), so a
 * window may count too few, never too many: a count above the range fails
 * at once, and a count below it is measured again, up to TICK_TRIES times.
 */
#define TICK_TRIES 5

KTEST(time_tick_rate)
{
	const unsigned long expected = HZ * 200 / 1000;
	unsigned long lo = expected * (100 - TICK_TOLERANCE_PCT) / 100;
	unsigned long hi = expected * (100 + TICK_TOLERANCE_PCT) / 100;
	unsigned long ticks = 0;

	KT_ASSERT(!irqs_disabled());
	for (int i = 0; i < TICK_TRIES && ticks < lo; i++) {
		ticks = ticks_in(200 * NSEC_PER_MSEC);
		KT_ASSERT_MSG(ticks <= hi, "%lu ticks in 200 ms, expected %lu..%lu (HZ=%d)", ticks, lo, hi, HZ);
	}
	KT_ASSERT_MSG(ticks >= lo, "%lu ticks in 200 ms (best of %d), expected %lu..%lu (HZ=%d)",
		      ticks, TICK_TRIES, lo, hi, HZ);
}

KTEST(time_ktime_monotonic)
{
	u64 prev = ktime_get_ns(), first = prev;

	KT_ASSERT(prev > 0);
	for (int i = 0; i < 100000; i++) {
		u64 now = ktime_get_ns();
		KT_ASSERT_MSG(now >= prev, "read %d went back: %llu after %llu", i, now, prev);
		prev = now;
	}
	KT_ASSERT(prev > first);
	u64 a = ktime_get_ns(), b = local_clock(), c = ktime_get_ns();
	KT_ASSERT(a <= b && b <= c);
}

KTEST(time_udelay)
{
	u64 t0 = ktime_get_ns();
	udelay(1000);
	u64 t1 = ktime_get_ns();
	KT_ASSERT_MSG(t1 - t0 >= 1000 * NSEC_PER_USEC, "udelay(1000) took %llu ns", t1 - t0);

	t0 = ktime_get_ns();
	mdelay(5);
	t1 = ktime_get_ns();
	KT_ASSERT_MSG(t1 - t0 >= 5 * NSEC_PER_MSEC, "mdelay(5) took %llu ns", t1 - t0);

	/* The TSC itself (not only ktime) moved at least 1 ms worth of cycles. */
	u64 c0 = rdtsc_ordered();
	udelay(1000);
	u64 c1 = rdtsc_ordered();
	KT_ASSERT_MSG(c1 - c0 >= tsc_khz, "udelay(1000): %llu cycles at %llu kHz", c1 - c0, tsc_khz);
}

KTEST(time_tsc_calibrated)
{
	KT_ASSERT(tsc_khz != 0);
	/* The 32.32 multiplier converts one second of cycles to one second, within 1 ppm. */
	u64 ns = cycles_to_ns(tsc_khz * 1000);
	KT_ASSERT_MSG(ns >= NSEC_PER_SEC - 1000 && ns <= NSEC_PER_SEC + 1000, "1 s of cycles = %llu ns", ns);
	KT_ASSERT_EQ(cycles_to_ns(0), 0);
	KT_ASSERT_EQ(msecs_to_jiffies(1000), HZ);
	KT_ASSERT_EQ(jiffies_to_msecs(HZ), 1000);
}
