/*
 * The periodic tick (Linux: kernel/time/tick-common.c, much reduced). The
 * LAPIC timer interrupts HZ times a second; each tick advances jiffies, runs
 * the expired kernel timers and charges the running task's time slice. jiffies is written only by the tick
 * handler on the boot CPU; readers use READ_ONCE through the volatile.
 */
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/sched.h>

volatile unsigned long jiffies;

void timer_interrupt(void)
{
	jiffies++;
	run_timers();
	scheduler_tick();
}
