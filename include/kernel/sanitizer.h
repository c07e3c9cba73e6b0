/*
 * What the sanitizer runtimes share with the rest of the kernel (see
 * docs/sanitizers.md). `make SANITIZE=1` builds Folio with GCC's UBSAN
 * (lib/ubsan.c) and KASAN (mm/kasan.c, mm/kasan_report.c) and defines
 * CONFIG_UBSAN and CONFIG_KASAN; without it everything here is empty.
 *
 * Reports are counted. A test that provokes one on purpose brackets the
 * bad access with sanitizer_expect_begin()/sanitizer_expect_end(): reports
 * in between are expected (and all printed, as with Linux's kasan_multi_shot);
 * any other report is unexpected, and the ktest runner fails the test it
 * happened in. Counters are atomics; the expect depth belongs to the one
 * test running; report_owner (the CPU printing a report) is taken with a
 * compare-and-swap.
 */
#ifndef _KERNEL_SANITIZER_H
#define _KERNEL_SANITIZER_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#if defined(CONFIG_KASAN) || defined(CONFIG_UBSAN)
#define SANITIZER_BUILD 1

extern unsigned long sanitizer_reports;		/* every report since boot, printed or not */
extern unsigned long sanitizer_unexpected;	/* the ones no test asked for */

void sanitizer_expect_begin(void);
unsigned long sanitizer_expect_end(void);	/* reports since the matching begin */
bool sanitizer_expecting(void);
/*
 * Called by a runtime that found a bug, with interrupts off: counts it and
 * says whether to print it. Reports are serialised across CPUs, and one
 * that starts inside another on the same CPU (the printing code tripped a
 * check) is dropped. first_only: print only the first unexpected report
 * (KASAN without kasan_multi_shot). If it returns true, the caller prints
 * the report and then calls sanitizer_report_end().
 */
bool sanitizer_report_begin(bool first_only);
void sanitizer_report_end(void);
static inline unsigned long sanitizer_unexpected_reports(void) { return READ_ONCE(sanitizer_unexpected); }
#else
#define SANITIZER_BUILD 0
static inline unsigned long sanitizer_unexpected_reports(void) { return 0; }
static inline void sanitizer_expect_begin(void) {}
static inline unsigned long sanitizer_expect_end(void) { return 0; }
#endif

#endif
