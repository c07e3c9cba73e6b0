/*
 * Hardware interrupt dispatch (Linux: arch/x86/kernel/irq.c, kernel/irq/).
 * Each ISA IRQ has at most one handler. Handlers run with interrupts off and
 * preempt_count raised by HARDIRQ_OFFSET (so in_hardirq() is true and
 * sleeping is a bug). irq_lock guards the handler table.
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

struct irq_desc {
	irq_handler_t handler;
	const char *name;
	void *data;
};

static struct irq_desc irq_desc[NR_IRQS];
static DEFINE_SPINLOCK(irq_lock);
unsigned long irq_counts[NR_IRQS];
unsigned long spurious_irqs;


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
