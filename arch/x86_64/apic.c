/*
 * Interrupt controllers (Linux: arch/x86/kernel/apic/apic.c, io_apic.c,
 * i8259.c). The legacy 8259 PICs are remapped away from the exception
 * vectors and masked; the local APIC delivers its own timer and takes EOIs;
 * the IOAPIC routes ISA IRQs (after the MADT's overrides) to vector
 * ISA_IRQ_VECTOR(irq) on the boot CPU. ioapic_lock guards the IOAPIC's
 * index/data register pair; the LAPIC is per CPU and needs none.
 */
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <arch/io.h>
#include <arch/irq.h>
#include <arch/processor.h>

#define APIC_ID 0x20
#define APIC_TASKPRI 0x80
#define APIC_EOI 0xb0
#define APIC_SPIV 0xf0
#define APIC_SPIV_ENABLE (1 << 8)
#define APIC_LVTT 0x320
#define APIC_LVT_MASKED (1 << 16)
#define APIC_LVT_TIMER_PERIODIC (1 << 17)
#define APIC_LVT0 0x350
#define APIC_LVT1 0x360
#define APIC_LVTERR 0x370
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0
#define APIC_TDR_DIV_16 0x3

#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))

static volatile u8 *lapic;
static volatile u8 *ioapic;
static unsigned int ioapic_nr_pins;
static DEFINE_SPINLOCK(ioapic_lock);
unsigned long lapic_timer_ticks_per_jiffy;

u32 apic_read(u32 reg) { return readl(lapic + reg); }
void apic_write(u32 reg, u32 v) { writel(v, lapic + reg); }
void apic_eoi(void) { apic_write(APIC_EOI, 0); }

static u32 io_apic_read(u32 reg)
{
	writel(reg, ioapic + IOAPIC_REGSEL);
	return readl(ioapic + IOAPIC_WIN);
}

static void io_apic_write(u32 reg, u32 v)
{
	writel(reg, ioapic + IOAPIC_REGSEL);
	writel(v, ioapic + IOAPIC_WIN);
}

/* The 8259s power up mapped onto the exception vectors: move them, then mask every line. */
void pic_disable(void)
{
	outb(0x11, 0x20); outb(0x11, 0xa0);	/* ICW1: init, ICW4 follows */
	outb(0x20, 0x21); outb(0x28, 0xa1);	/* ICW2: vectors 0x20.. and 0x28.. */
	outb(0x04, 0x21); outb(0x02, 0xa1);	/* ICW3: cascade on IRQ 2 */
	outb(0x01, 0x21); outb(0x01, 0xa1);	/* ICW4: 8086 mode */
	outb(0xff, 0x21); outb(0xff, 0xa1);
}

/* The GSI an ISA IRQ arrives on and its polarity/trigger, from the MADT overrides. */
static u32 irq_to_gsi(unsigned int irq, bool *level, bool *active_low)
{
	*level = *active_low = false;
	for (unsigned int i = 0; i < madt.nr_overrides; i++) {
		const struct irq_override *o = &madt.overrides[i];
		if (o->irq != irq)
			continue;
		*active_low = (o->flags & 3) == 3;
		*level = ((o->flags >> 2) & 3) == 3;
		return o->gsi;
	}
	return irq;
}

void ioapic_route(unsigned int irq, unsigned int vector, bool mask)
{
	bool level, active_low;
	u32 pin = irq_to_gsi(irq, &level, &active_low) - madt.ioapic.gsi_base;
	unsigned long flags;

	if (pin >= ioapic_nr_pins) {
		pr_err("IOAPIC: IRQ %u maps to pin %u, beyond the %u pins\n", irq, pin, ioapic_nr_pins);
		return;
	}
	u32 low = vector | (active_low ? 1 << 13 : 0) | (level ? 1 << 15 : 0) | (mask ? 1 << 16 : 0);
	spin_lock_irqsave(&ioapic_lock, flags);
	io_apic_write(IOAPIC_REDTBL(pin) + 1, (apic_read(APIC_ID) >> 24) << 24);
	io_apic_write(IOAPIC_REDTBL(pin), low);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

void apic_init(void)
{
	if (!boot_cpu_data.has_apic)
		panic("This CPU has no local APIC; Folio needs one");
	pic_disable();
	lapic = ioremap(madt.lapic_addr, 4096);
	ioapic = ioremap(madt.ioapic.addr, 4096);
	if (!lapic || !ioapic)
		panic("cannot map the APIC registers");
	wrmsr(MSR_IA32_APICBASE, rdmsr(MSR_IA32_APICBASE) | (1 << 11));	/* xAPIC enable */
	apic_write(APIC_TASKPRI, 0);
	apic_write(APIC_LVT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT1, APIC_LVT_MASKED);
	apic_write(APIC_LVTERR, APIC_LVT_MASKED);
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_APIC_VECTOR);

	ioapic_nr_pins = ((io_apic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
	for (unsigned int pin = 0; pin < ioapic_nr_pins; pin++)
		io_apic_write(IOAPIC_REDTBL(pin), 1 << 16);	/* masked */
	pr_info("APIC: local APIC id %u enabled, IOAPIC with %u pins, 8259 PICs masked\n",
		apic_read(APIC_ID) >> 24, ioapic_nr_pins);
}

/*
 * The LAPIC timer counts down at a bus-clock rate that no register tells, so
 * measure it against the (already calibrated) TSC, then run it periodically
 * at HZ.
 */
void apic_timer_init(void)
{
	const u64 window_ns = 5 * NSEC_PER_MSEC;

	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, 0xffffffff);
	u64 t0 = ktime_get_ns();
	u32 c0 = apic_read(APIC_TMCCT);
	while (ktime_get_ns() - t0 < window_ns)
		cpu_relax();
	u32 c1 = apic_read(APIC_TMCCT);
	u64 elapsed = ktime_get_ns() - t0;
	u64 ticks_per_sec = (u64)(c0 - c1) * NSEC_PER_SEC / (elapsed ? elapsed : 1);

	lapic_timer_ticks_per_jiffy = ticks_per_sec / HZ;
	if (lapic_timer_ticks_per_jiffy < 16) {
		pr_warn("APIC: timer calibration failed (%llu ticks/s), assuming a 1 GHz bus clock\n",
			ticks_per_sec);
		lapic_timer_ticks_per_jiffy = 1000000000 / 16 / HZ;
	}
	apic_write(APIC_LVTT, APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, lapic_timer_ticks_per_jiffy);
	pr_info("APIC: timer calibrated: %lu ticks per jiffy (bus clock %llu.%03llu MHz), HZ=%d\n",
		lapic_timer_ticks_per_jiffy, ticks_per_sec * 16 / 1000000,
		(ticks_per_sec * 16 / 1000) % 1000, HZ);
}
