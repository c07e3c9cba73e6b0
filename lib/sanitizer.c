/*
 * Report bookkeeping shared by UBSAN (lib/ubsan.c) and KASAN (mm/kasan*.c),
 * see include/kernel/sanitizer.h. Only in the SANITIZE=1 build.
 *
 * Locking: the counters are atomics. expect_depth is changed only by the
 * test that expects a report, which runs alone (ktests run one at a time).
 */
#include <kernel/kernel.h>
#include <kernel/sanitizer.h>

#if SANITIZER_BUILD

unsigned long sanitizer_reports;
unsigned long sanitizer_unexpected;
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

bool sanitizer_report_begin(bool first_only)
{
	__atomic_add_fetch(&sanitizer_reports, 1, __ATOMIC_RELAXED);
	if (sanitizer_expecting())
		return true;
	__atomic_add_fetch(&sanitizer_unexpected, 1, __ATOMIC_RELAXED);
	return !first_only || !__atomic_exchange_n(&reported_once, true, __ATOMIC_RELAXED);
}

#endif
