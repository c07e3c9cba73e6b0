/*
 * The TSC clock (Linux: arch/x86/kernel/tsc.c). The TSC counts CPU cycles at
 * a rate no register reliably states, so tsc_init() measures it against
 * channel 2 of the 8254 PIT, whose input clock is a fixed 1.193182 MHz.
 * Afterwards ktime_get_ns() converts cycles with a 32.32 fixed-point
 * multiplier. Reads need no lock: the calibration is written once at boot,
 * before anyone else reads the clock.
 */
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <arch/io.h>
#include <arch/processor.h>

#define PIT_TICK_RATE 1193182
#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PORT_B 0x61	/* bit 0: channel 2 gate, bit 1: speaker, bit 5: channel 2 output */

u64 tsc_khz;
static u64 tsc_start;		/* TSC at kernel entry: the clock's zero */
static u64 ns_mult;		/* ns = cycles * ns_mult >> 32 */

u64 cycles_to_ns(u64 cycles)
{
	return (u64)(((unsigned __int128)cycles * ns_mult) >> 32);
}

u64 ktime_get_ns(void)
{
	return tsc_khz ? cycles_to_ns(rdtsc() - tsc_start) : 0;
}

u64 local_clock(void)
{
	return ktime_get_ns();
}

void tsc_mark_start(void)
{
	tsc_start = rdtsc();
}

/* Busy-wait for ms of PIT time; returns the TSC cycles that passed (0 if the PIT did not count). */
static u64 pit_measure_tsc(unsigned int ms)
{
	u32 latch = PIT_TICK_RATE * ms / 1000;
	unsigned long spins = 0;

	outb((inb(PORT_B) & ~0x02) | 0x01, PORT_B);	/* gate on, speaker off */
	outb(0xb0, PIT_MODE);				/* channel 2, lo/hi byte, mode 0 */
	outb(latch & 0xff, PIT_CH2);
	outb(latch >> 8, PIT_CH2);
	u64 t0 = rdtsc();
	while (!(inb(PORT_B) & 0x20)) {			/* output goes high at terminal count */
		if (++spins > 100000000UL)
			return 0;
	}
	return spins ? rdtsc() - t0 : 0;
}

void tsc_init(void)
{
	const unsigned int ms = 10;
	u64 cycles = pit_measure_tsc(ms);

	if (!cycles) {
		pr_warn("tsc: PIT calibration failed, assuming 1000 MHz\n");
		tsc_khz = 1000000;
	} else {
		tsc_khz = cycles / ms;
	}
	ns_mult = (NSEC_PER_MSEC << 32) / tsc_khz;
	pr_info("tsc: Detected %llu.%03llu MHz processor\n", tsc_khz / 1000, tsc_khz % 1000);
}

void udelay(unsigned long usecs)
{
	/* Before calibration, assume a 4 GHz TSC: the delay can only come out longer. */
	u64 khz = tsc_khz ? tsc_khz : 4000000;
	u64 start = rdtsc(), cycles = usecs * khz / 1000;

	while (rdtsc() - start < cycles)
		cpu_relax();
}

void mdelay(unsigned long msecs)
{
	udelay(msecs * 1000);
}
