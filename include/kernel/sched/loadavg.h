/*
 * The load average (Linux: include/linux/sched/loadavg.h): three
 * exponentially decaying averages of the number of tasks running or in
 * uninterruptible sleep, sampled every LOAD_FREQ by the tick
 * (kernel/sched/loadavg.c). Fixed point with FSHIFT fractional bits;
 * EXP_n is e^(-5 s / n min) in that format.
 */
#ifndef _KERNEL_SCHED_LOADAVG_H
#define _KERNEL_SCHED_LOADAVG_H

#include <kernel/time.h>

#define FSHIFT 11
#define FIXED_1 (1 << FSHIFT)
#define LOAD_FREQ (5 * HZ + 1)	/* a sample every 5 s and a tick */
#define EXP_1 1884		/* 1 / exp(5 s / 1 min) */
#define EXP_5 2014		/* 1 / exp(5 s / 5 min) */
#define EXP_15 2037		/* 1 / exp(5 s / 15 min) */
#define LOAD_INT(x) ((x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

/* load' = load * e + active * (1 - e), rounded up while the load grows so it can reach active. */
static inline unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

extern unsigned long avenrun[3];
/* avenrun[] + offset, shifted left by shift: loads[0..2]. */
void get_avenrun(unsigned long *loads, unsigned long offset, int shift);
void calc_global_load(void);		/* from the tick */

#endif
