/* Interrupt flag control (Linux: asm/irqflags.h). */
#ifndef _ARCH_IRQFLAGS_H
#define _ARCH_IRQFLAGS_H

#include <kernel/types.h>
#include <arch/processor.h>

static inline unsigned long native_save_fl(void)
{
	unsigned long f;
	__asm__ __volatile__("pushfq; popq %0" : "=rm"(f) :: "memory");
	return f;
}
static inline void local_irq_disable(void) { __asm__ __volatile__("cli" ::: "memory"); }
static inline void local_irq_enable(void) { __asm__ __volatile__("sti" ::: "memory"); }
static inline bool irqs_disabled(void) { return !(native_save_fl() & X86_EFLAGS_IF); }
#define local_irq_save(flags) do { (flags) = native_save_fl(); local_irq_disable(); } while (0)
#define local_irq_restore(flags) do { if ((flags) & X86_EFLAGS_IF) local_irq_enable(); } while (0)
/* Enable interrupts and halt atomically: no wake-up can slip in between. */
static inline void safe_halt(void) { __asm__ __volatile__("sti; hlt" ::: "memory"); }

#endif
