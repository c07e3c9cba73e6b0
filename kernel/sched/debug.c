/*
 * Task dumps (Linux: sched_show_task() and show_state_filter() in
 * kernel/sched/core.c): one line per task in Linux's format and its call
 * trace. A sleeping task's trace starts at the frame __switch_to_asm saved
 * (see arch/x86_64/switch_to.asm). Printed by SysRq t, by the hung-task
 * detector and on panic. Walks the task list under tasklist_lock; on panic
 * only if the lock can be had.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/debug.h>
#include <arch/traps.h>

void sched_show_task(struct task_struct *p)
{
	pr_info("task:%-15.15s state:%c stack:%-5d pid:%-5d ppid:%-6d flags:0x%08x\n", p->comm,
		task_state_char(p), 0, p->pid, p->parent ? p->parent->pid : 0, p->flags);
	if (p == current) {
		if (!oops_in_progress)	/* a panic has printed our trace already */
			dump_stack_lvl(KERN_INFO);
		return;
	}
	if (p->state == TASK_RUNNING || !p->thread.sp)
		return;		/* queued, not sleeping: its stack is not worth reading */
	/* The switch frame: r15 r14 r13 r12 rbx, then rbp and the return address. */
	show_trace(p->thread.sp, p->thread.sp + 5 * sizeof(long), KERN_INFO);
}

void show_state(void)
{
	struct task_struct *p;
	unsigned long flags;

	local_irq_save(flags);
	if (oops_in_progress ? !spin_trylock(&tasklist_lock) : (spin_lock(&tasklist_lock), false)) {
		pr_emerg("show_state: the task list is locked, no task dump\n");
		local_irq_restore(flags);
		return;
	}
	sched_show_task(&init_task);
	list_for_each_entry(p, &init_task.tasks, tasks)
		sched_show_task(p);
	spin_unlock(&tasklist_lock);
	local_irq_restore(flags);
}
