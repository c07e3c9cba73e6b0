/*
 * The load average (Linux: kernel/sched/loadavg.c): every LOAD_FREQ
 * (5 s and a tick) the timer tick samples the number of tasks that are
 * runnable or in uninterruptible sleep, and folds it into three
 * exponentially decaying averages, over 1, 5 and 15 minutes, with
 * calc_load() (include/kernel/sched/loadavg.h).
 *
 * Locking: avenrun[] is written only by the tick, on the boot CPU, and
 * read word by word without a lock (/proc/loadavg, sysinfo()); a reader
 * may see one average updated and the next not yet, as on Linux.
 */
#include <kernel/kernel.h>
#include <kernel/kernel_stat.h>
#include <kernel/time.h>

unsigned long avenrun[3];
static unsigned long calc_load_update = LOAD_FREQ;	/* jiffies of the next sample */

void calc_global_load(void)
{
	if (time_before(jiffies, calc_load_update))
		return;
	unsigned long active = (nr_running() + nr_uninterruptible()) * FIXED_1;
	WRITE_ONCE(avenrun[0], calc_load(avenrun[0], EXP_1, active));
	WRITE_ONCE(avenrun[1], calc_load(avenrun[1], EXP_5, active));
	WRITE_ONCE(avenrun[2], calc_load(avenrun[2], EXP_15, active));
	calc_load_update += LOAD_FREQ;
}

void get_avenrun(unsigned long *loads, unsigned long offset, int shift)
{
	for (int i = 0; i < 3; i++)
		loads[i] = (READ_ONCE(avenrun[i]) + offset) << shift;
}
