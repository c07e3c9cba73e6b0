/*
 * The CMOS real-time clock, read once at boot for the wall-clock base
 * (Linux: arch/x86/kernel/rtc.c, drivers/rtc/rtc-mc146818-lib.c).
 *
 * The MC146818 keeps the date in battery-backed registers behind an index
 * port (0x70) and a data port (0x71). Once a second it spends about 2 ms
 * updating them, with "update in progress" (UIP, register A bit 7) raised
 * from 244 us before; reading then could mix two seconds (23:59:59 and
 * 00:00:00 into 00:59:59). So wait for UIP to drop, read everything, and
 * read again until two passes agree. Register B says whether the values are
 * BCD or binary and whether the hour is 12- or 24-hour. QEMU keeps the clock
 * in UTC (its default -rtc base=utc), as Linux expects on x86.
 *
 * Folio has no RTC driver beyond this: the time is never written back, and
 * there are no alarms or interrupts.
 *
 * Locking: rtc_lock (irqsave) keeps the index/data pair together; the
 * index register is shared with anything else touching CMOS.
 */
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/timekeeping.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/io.h>

#define RTC_PORT_INDEX 0x70
#define RTC_PORT_DATA 0x71

#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_FREQ_SELECT 0x0a	/* register A */
#define RTC_UIP 0x80
#define RTC_CONTROL 0x0b	/* register B */
#define RTC_24H 0x02
#define RTC_DM_BINARY 0x04
#define RTC_CENTURY 0x32	/* the century register ACPI's FADT usually names; QEMU has it */

static DEFINE_SPINLOCK(rtc_lock);

static u8 cmos_read(u8 reg)
{
	outb(reg, RTC_PORT_INDEX);
	return inb(RTC_PORT_DATA);
}

static unsigned int bcd2bin(u8 v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

struct rtc_regs {
	u8 sec, min, hour, mday, mon, year, century, ctrl;
};

/* Wait (at most ~10 ms, longer than one update) for UIP to drop; false if it never did. */
static bool rtc_wait_uip(void)
{
	for (int i = 0; i < 10000; i++) {
		if (!(cmos_read(RTC_FREQ_SELECT) & RTC_UIP))
			return true;
		udelay(1);
	}
	return false;
}

static void rtc_read_regs(struct rtc_regs *r)
{
	r->sec = cmos_read(RTC_SECONDS);
	r->min = cmos_read(RTC_MINUTES);
	r->hour = cmos_read(RTC_HOURS);
	r->mday = cmos_read(RTC_DAY_OF_MONTH);
	r->mon = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = cmos_read(RTC_CENTURY);
	r->ctrl = cmos_read(RTC_CONTROL);
}

int mach_get_cmos_time(s64 *secs)
{
	struct rtc_regs a, b;
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&rtc_lock, flags);
	for (int tries = 0; tries < 5 && !ok; tries++) {
		if (!rtc_wait_uip())
			break;
		rtc_read_regs(&a);
		if (!rtc_wait_uip())
			break;
		rtc_read_regs(&b);
		ok = !memcmp(&a, &b, sizeof(a));	/* no update slipped in between */
	}
	spin_unlock_irqrestore(&rtc_lock, flags);
	if (!ok)
		return -EIO;

	bool pm = false;
	unsigned int sec = a.sec, min = a.min, hour = a.hour, mday = a.mday, mon = a.mon, year = a.year;
	unsigned int century = 0;
	if (!(a.ctrl & RTC_24H)) {	/* 12-hour mode: bit 7 of the hour is PM */
		pm = hour & 0x80;
		hour &= 0x7f;
	}
	if (!(a.ctrl & RTC_DM_BINARY)) {
		sec = bcd2bin(sec);
		min = bcd2bin(min);
		hour = bcd2bin(hour);
		mday = bcd2bin(mday);
		mon = bcd2bin(mon);
		year = bcd2bin(year);
		century = bcd2bin(a.century);
	} else {
		century = a.century;
	}
	if (!(a.ctrl & RTC_24H))
		hour = hour % 12 + (pm ? 12 : 0);
	/* A century register that does not hold 19..21 is not one: assume 1970..2069, as Linux does. */
	if (century >= 19 && century <= 21)
		year += century * 100;
	else
		year += year < 70 ? 2000 : 1900;

	if (sec > 59 || min > 59 || hour > 23 || mday < 1 || mday > 31 || mon < 1 || mon > 12 ||
	    year < 1970 || year > 2199)
		return -EIO;
	*secs = mktime64(year, mon, mday, hour, min, sec);
	return 0;
}
