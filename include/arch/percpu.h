/*
 * Per-CPU data. Each CPU's struct pcpu is reached through %gs (its first
 * field points to itself), so this_cpu() is one instruction and stays right
 * when more CPUs come. Only the boot CPU runs today.
 */
#ifndef _ARCH_PERCPU_H
#define _ARCH_PERCPU_H

#include <kernel/types.h>

struct task_struct;

struct pcpu {
	struct pcpu *self;
	unsigned int cpu;
	int preempt_count;		/* see include/kernel/preempt.h */
	unsigned long irq_count;	/* nesting depth of hard interrupts */
	unsigned long kernel_stack_top;	/* TSS.rsp0 mirror */
	struct task_struct *curr_task;	/* what "current" means on this CPU */
	struct tss *tss;
	void *fixup_expected;		/* see arch/x86_64/extable.c */
};

extern struct pcpu boot_pcpu;

static inline struct pcpu *this_cpu(void)
{
	struct pcpu *p;
	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(p));
	return p;
}
static inline unsigned int smp_processor_id(void) { return this_cpu()->cpu; }

void percpu_init_boot_cpu(void);

#endif
