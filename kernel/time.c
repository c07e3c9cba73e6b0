/*
 * The periodic tick (Linux: kernel/time/tick-common.c, much reduced). The
 * LAPIC timer interrupts HZ times a second; each tick advances jiffies. The
 * scheduler issue adds time slices here. jiffies is written only by the tick
 * handler on the boot CPU; readers use READ_ONCE through the volatile.
 */
#include <kernel/kernel.h>
#include <kernel/time.h>

volatile unsigned long jiffies;

void timer_interrupt(void)
{
	jiffies++;
}
