/*
 * preempt_count: non-zero means "this CPU must not schedule". Spinlocks raise
 * it; hard interrupts raise the HARDIRQ part. The scheduler reads it to
 * decide when kernel code may be preempted and to catch sleeping in atomic
 * context.
 */
#ifndef _KERNEL_PREEMPT_H
#define _KERNEL_PREEMPT_H

#include <kernel/compiler.h>
#include <arch/percpu.h>

#define PREEMPT_MASK 0x000000ff
#define HARDIRQ_OFFSET 0x00010000
#define HARDIRQ_MASK 0x000f0000

static inline int preempt_count(void) { return READ_ONCE(this_cpu()->preempt_count); }
static inline void preempt_count_add(int v) { this_cpu()->preempt_count += v; barrier(); }
static inline void preempt_count_sub(int v) { barrier(); this_cpu()->preempt_count -= v; }
void preempt_check_resched(void);	/* kernel/sched/core.c */
#define preempt_disable() preempt_count_add(1)
#define preempt_enable_no_resched() preempt_count_sub(1)
/* Leaving the last atomic section is a preemption point. */
#define preempt_enable() do { preempt_count_sub(1); \
	if (unlikely(!preempt_count())) preempt_check_resched(); } while (0)
#define in_hardirq() (preempt_count() & HARDIRQ_MASK)
#define in_atomic() (preempt_count() != 0)

#endif
