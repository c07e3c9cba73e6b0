/*
 * Hardware interrupt dispatch (Linux: arch/x86/kernel/irq.c, kernel/irq/).
 * Each ISA IRQ has at most one handler. Handlers run with interrupts off and
 * preempt_count raised by HARDIRQ_OFFSET (so in_hardirq() is true and
 * sleeping is a bug). irq_lock guards the handler table. The counts are
 * written by the one CPU that takes interrupts and read without a lock by
 * /proc/interrupts and /proc/stat (Linux: kernel/irq/proc.c,
 * arch/x86/kernel/irq.c's arch_show_interrupts()).
 */
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <kernel/preempt.h>
#include <uapi/errno.h>
#include <arch/irq.h>
#include <arch/ptrace.h>
#include <kernel/time.h>
#include <kernel/sched.h>
#include <kernel/timekeeping.h>
#include <fs/seq_file.h>

struct irq_desc {
	irq_handler_t handler;
	const char *name;
	void *data;
};

static struct irq_desc irq_desc[NR_IRQS];
static DEFINE_SPINLOCK(irq_lock);
unsigned long irq_counts[NR_IRQS];
unsigned long spurious_irqs;
unsigned long apic_timer_irqs;		/* "LOC" in /proc/interrupts */


int request_irq(unsigned int irq, irq_handler_t handler, const char *name, void *data)
{
	unsigned long flags;

	if (irq >= NR_IRQS || !handler)
		return -EINVAL;
	spin_lock_irqsave(&irq_lock, flags);
	if (irq_desc[irq].handler) {
		spin_unlock_irqrestore(&irq_lock, flags);
		return -EBUSY;
	}
	irq_desc[irq] = (struct irq_desc){ handler, name, data };
	spin_unlock_irqrestore(&irq_lock, flags);
	ioapic_route(irq, ISA_IRQ_VECTOR(irq), false);
	return 0;
}

void free_irq(unsigned int irq)
{
	unsigned long flags;

	if (irq >= NR_IRQS)
		return;
	ioapic_route(irq, ISA_IRQ_VECTOR(irq), true);
	spin_lock_irqsave(&irq_lock, flags);
	irq_desc[irq].handler = NULL;
	spin_unlock_irqrestore(&irq_lock, flags);
}

void do_irq(struct pt_regs *regs)
{
	unsigned int vector = regs->orig_ax;

	if (vector == SPURIOUS_APIC_VECTOR) {	/* no EOI for a spurious interrupt */
		spurious_irqs++;
		return;
	}
	preempt_count_add(HARDIRQ_OFFSET);
	if (vector == LOCAL_TIMER_VECTOR) {
		apic_timer_irqs++;
		account_process_tick(current, user_mode(regs));	/* only here do we know where the tick hit */
		timer_interrupt();
	} else if (vector >= ISA_IRQ_VECTOR(0) && vector < ISA_IRQ_VECTOR(NR_IRQS)) {
		unsigned int irq = vector - ISA_IRQ_VECTOR(0);
		irq_counts[irq]++;
		if (irq_desc[irq].handler)
			irq_desc[irq].handler(irq, irq_desc[irq].data);
		else if (irq_counts[irq] == 1)
			pr_err("irq %u: nobody cared\n", irq);
	}
	apic_eoi();
	preempt_count_sub(HARDIRQ_OFFSET);
}

/* Interrupts counted outside irq_counts: the local timer and spurious ones (/proc/stat's total). */
unsigned long arch_irq_stat(void)
{
	return READ_ONCE(apic_timer_irqs) + READ_ONCE(spurious_irqs);
}

/* Linux's table: one line per IRQ that has a handler, then the CPU's own interrupts. */
int show_interrupts(struct seq_file *m, void *v)
{
	unsigned long flags;

	seq_printf(m, "%*sCPU%-8d\n", 3 + 8, "", 0);
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		spin_lock_irqsave(&irq_lock, flags);
		const char *name = irq_desc[irq].handler ? irq_desc[irq].name : NULL;
		spin_unlock_irqrestore(&irq_lock, flags);
		if (name)
			seq_printf(m, "%3u: %10lu  %8s %3u-edge      %s\n", irq, READ_ONCE(irq_counts[irq]), "IO-APIC",
				   irq, name);
	}
	seq_printf(m, "%3s: %10lu   Local timer interrupts\n", "LOC", READ_ONCE(apic_timer_irqs));
	seq_printf(m, "%3s: %10lu   Spurious interrupts\n", "SPU", READ_ONCE(spurious_irqs));
	seq_printf(m, "%3s: %10u\n", "ERR", 0);
	return 0;
}
