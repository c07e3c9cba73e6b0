/*
 * Report bookkeeping shared by UBSAN (lib/ubsan.c) and KASAN (mm/kasan*.c),
 * see include/kernel/sanitizer.h. Only in the SANITIZE=1 build.
 *
 * Locking: the counters are atomics. report_owner is the CPU printing a
 * report (-1: none), taken with a compare-and-swap with interrupts off, so
 * reports from two CPUs do not interleave and a report cannot start inside
 * another on the same CPU. expect_depth is changed only by the test that
 * expects a report, which runs alone (ktests run one at a time).
 */
#include <kernel/kernel.h>
#include <kernel/sanitizer.h>
#include <arch/percpu.h>

#if SANITIZER_BUILD

unsigned long sanitizer_reports;
unsigned long sanitizer_unexpected;
static int report_owner = -1;
static int expect_depth;
static unsigned long expect_start;
static bool reported_once;

void sanitizer_expect_begin(void)
{
	if (expect_depth++ == 0)
		expect_start = READ_ONCE(sanitizer_reports);
}

unsigned long sanitizer_expect_end(void)
{
	unsigned long n = READ_ONCE(sanitizer_reports) - expect_start;

	if (expect_depth > 0)
		expect_depth--;
	return n;
}

bool sanitizer_expecting(void)
{
	return READ_ONCE(expect_depth) > 0;
}

/* Wait for another CPU's report to end; false if this CPU is the one reporting. */
static bool report_lock(void)
{
	int me = smp_processor_id(), owner = -1;

	while (!__atomic_compare_exchange_n(&report_owner, &owner, me, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		if (owner == me)
			return false;
		owner = -1;
		__asm__ __volatile__("pause" ::: "memory");
	}
	return true;
}

bool sanitizer_report_begin(bool first_only)
{
	if (!report_lock())
		return false;
	__atomic_add_fetch(&sanitizer_reports, 1, __ATOMIC_RELAXED);
	if (sanitizer_expecting())
		return true;
	__atomic_add_fetch(&sanitizer_unexpected, 1, __ATOMIC_RELAXED);
	if (!first_only || !__atomic_exchange_n(&reported_once, true, __ATOMIC_RELAXED))
		return true;
	sanitizer_report_end();		/* counted, not printed */
	return false;
}

void sanitizer_report_end(void)
{
	__atomic_store_n(&report_owner, -1, __ATOMIC_RELEASE);
}

#endif
