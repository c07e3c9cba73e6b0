/*
 * Switching tasks (Linux: arch/x86/include/asm/switch_to.h). The scheduler's
 * context_switch() calls switch_to_extra() for the state beyond the general
 * registers (arch/x86_64/process.c), then __switch_to_asm() to change
 * stacks (arch/x86_64/switch_to.asm). A new task's first switch "returns"
 * into ret_from_fork_asm, which goes on to user mode if the task has a user
 * context.
 */
#ifndef _ARCH_SWITCH_TO_H
#define _ARCH_SWITCH_TO_H

#include <kernel/types.h>

struct task_struct;

/* Save prev's stack pointer in *prev_sp, load *next_sp; returns prev as seen by next. */
struct task_struct *__switch_to_asm(unsigned long *prev_sp, unsigned long *next_sp,
				    struct task_struct *prev);
/* Interrupts off: the FPU registers and the FS base follow the task. */
void switch_to_extra(struct task_struct *prev, struct task_struct *next);
extern char ret_from_fork_asm[];	/* a new task's first return address (copy_thread()) */
/* ret_from_fork_asm: return to user mode (true) or end the kernel thread? */
bool current_has_user_context(void);

#endif
