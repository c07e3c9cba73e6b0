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
 * test running.
 */
#ifndef _KERNEL_SANITIZER_H
#define _KERNEL_SANITIZER_H

#include <kernel/types.h>
#include <kernel/compiler.h>

/* Functions that must not be instrumented (the runtimes' own helpers, code that runs before the shadow). */
#define __no_sanitize_address __attribute__((__no_sanitize_address__))
#define __no_sanitize_undefined __attribute__((__no_sanitize_undefined__))

#if defined(CONFIG_KASAN) || defined(CONFIG_UBSAN)
#define SANITIZER_BUILD 1

extern unsigned long sanitizer_reports;		/* every report since boot, printed or not */
extern unsigned long sanitizer_unexpected;	/* the ones no test asked for */

void sanitizer_expect_begin(void);
unsigned long sanitizer_expect_end(void);	/* reports since the matching begin */
bool sanitizer_expecting(void);
/*
 * Called by a runtime that found a bug: counts it and says whether to print
 * it. first_only: the runtime prints only its first unexpected report
 * unless told otherwise (KASAN without kasan_multi_shot).
 */
bool sanitizer_report_begin(bool first_only);
static inline unsigned long sanitizer_unexpected_reports(void) { return READ_ONCE(sanitizer_unexpected); }
#else
#define SANITIZER_BUILD 0
static inline unsigned long sanitizer_unexpected_reports(void) { return 0; }
static inline void sanitizer_expect_begin(void) {}
static inline unsigned long sanitizer_expect_end(void) { return 0; }
#endif

#endif
