/*
 * The way back to user mode (Linux: kernel/entry/common.c). Before any
 * return to user space (after a syscall, an interrupt or an exception that
 * came from user mode, or a new task's first return) the kernel does the
 * work that was deferred to this point: rescheduling if the time slice ran
 * out, delivering pending signals, and the work asked for with
 * TIF_NOTIFY_RESUME (the penalty for going over memory.high). The loop re-checks with interrupts
 * off, so nothing set in between is missed; it returns with interrupts off.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/entry-common.h>
#include <arch/irqflags.h>
#include <arch/ptrace.h>
#include <mm/memcontrol.h>

#define EXIT_TO_USER_WORK ((1UL << TIF_NEED_RESCHED) | (1UL << TIF_SIGPENDING) | (1UL << TIF_NOTIFY_RESUME))

void exit_to_user_mode(struct pt_regs *regs)
{
	for (;;) {
		local_irq_disable();
		unsigned long work = READ_ONCE(current->thread_flags) & EXIT_TO_USER_WORK;
		if (!work)
			return;
		local_irq_enable();
		if (work & (1UL << TIF_NEED_RESCHED))
			schedule();
		if (work & (1UL << TIF_SIGPENDING))
			arch_do_signal_or_restart(regs);
		if (work & (1UL << TIF_NOTIFY_RESUME)) {
			clear_tsk_thread_flag(current, TIF_NOTIFY_RESUME);
			mem_cgroup_handle_over_high();	/* memory.high's penalty: no lock is held here */
		}
	}
}
