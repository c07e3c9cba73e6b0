/*
 * Hardware interrupts. Legacy ISA IRQ n (as routed by the IOAPIC) arrives at
 * vector ISA_IRQ_VECTOR(n), as on Linux; the LAPIC timer has its own vector.
 */
#ifndef _ARCH_IRQ_H
#define _ARCH_IRQ_H

#include <kernel/types.h>

#define FIRST_EXTERNAL_VECTOR 0x20
#define ISA_IRQ_VECTOR(irq) (0x30 + (irq))
#define NR_IRQS 24
#define LOCAL_TIMER_VECTOR 0xec
#define SPURIOUS_APIC_VECTOR 0xff

typedef void (*irq_handler_t)(unsigned int irq, void *data);

/* Install handler for ISA/GSI irq and unmask it in the IOAPIC. Returns 0 or -EBUSY/-EINVAL. */
int request_irq(unsigned int irq, irq_handler_t handler, const char *name, void *data);
void free_irq(unsigned int irq);
extern unsigned long irq_counts[NR_IRQS];
unsigned long arch_irq_stat(void);	/* the local timer's and spurious interrupts */
struct seq_file;
int show_interrupts(struct seq_file *m, void *v);	/* /proc/interrupts */

struct pt_regs;
void do_irq(struct pt_regs *regs);

/* LAPIC and IOAPIC (arch/x86_64/apic.c). */
void apic_init(void);
void apic_timer_init(void);
void apic_eoi(void);
void ioapic_route(unsigned int irq, unsigned int vector, bool mask);
void pic_disable(void);
u32 apic_read(u32 reg);
void apic_write(u32 reg, u32 v);
extern unsigned long lapic_timer_ticks_per_jiffy;

/* ACPI MADT: what acpi_parse_madt() found (defaults if no ACPI). */
struct ioapic_info { u32 addr, gsi_base; u8 id; };
struct irq_override { u8 irq; u32 gsi; u16 flags; };
struct madt_info {
	phys_addr_t lapic_addr;
	unsigned int nr_cpus;
	struct ioapic_info ioapic;
	unsigned int nr_overrides;
	struct irq_override overrides[16];
	bool found;
};
extern struct madt_info madt;
void acpi_boot_init(void);

#endif
