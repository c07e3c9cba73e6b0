/*
 * Time: jiffies (HZ ticks a second, from the LAPIC timer) and a nanosecond
 * clock from the TSC, calibrated against the PIT at boot.
 */
#ifndef _KERNEL_TIME_H
#define _KERNEL_TIME_H

#include <kernel/types.h>

#define HZ 250			/* as Debian's Linux: one tick every 4 ms */
#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

extern volatile unsigned long jiffies;
extern u64 tsc_khz;		/* 0 until calibrated */

/* Nanoseconds since the kernel started (0 before calibration). Monotonic. */
u64 ktime_get_ns(void);
u64 local_clock(void);		/* same clock, as printk and Linux's sched_clock use */
u64 cycles_to_ns(u64 cycles);
void tsc_init(void);		/* calibrate the TSC against the PIT */
void tsc_mark_start(void);	/* the clock counts from here (kernel entry) */
void timer_interrupt(void);	/* the LAPIC timer tick */
void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);
static inline unsigned long msecs_to_jiffies(unsigned long ms) { return (ms * HZ + 999) / 1000; }
static inline unsigned long jiffies_to_msecs(unsigned long j) { return j * (1000 / HZ); }
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)

#endif
