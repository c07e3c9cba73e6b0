/*
 * Per-CPU data. Each CPU's struct pcpu is reached through %gs (its first
 * field points to itself), so this_cpu() is one instruction and is right on
 * any CPU. Only the boot CPU runs.
 */
#ifndef _ARCH_PERCPU_H
#define _ARCH_PERCPU_H

#include <kernel/types.h>

struct task_struct;

/* The syscall entry (arch/x86_64/syscall.asm) reads the first fields by offset: keep them first. */
struct pcpu {
	struct pcpu *self;		/* 0 */
	unsigned long kernel_stack_top;	/* 8: top of current's kernel stack (TSS.rsp0 too) */
	unsigned long user_rsp;		/* 16: the user stack pointer, parked by the syscall entry */
	unsigned int cpu;
	int preempt_count;		/* see include/kernel/preempt.h */
	struct task_struct *curr_task;	/* what "current" means on this CPU */
	struct tss *tss;
};
#define PCPU_KERNEL_STACK_TOP 8
#define PCPU_USER_RSP 16

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
