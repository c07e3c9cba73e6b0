/*
 * Sending signals, the kernel side (Linux: kernel/signal.c). A signal is a
 * bit in p->pending plus TIF_SIGPENDING; the sender then wakes the task if
 * it sleeps interruptibly, or, for SIGKILL, killably too (TASK_WAKEKILL).
 * A task in TASK_UNINTERRUPTIBLE is never woken by a signal.
 * Linux kernel threads ignore signals unless they allow_signal(); Folio's
 * see them, so tests can kill a thread blocked in down_write_killable().
 * p->pi_lock orders the pending bits against the wake-up.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <uapi/errno.h>

int send_sig(int sig, struct task_struct *p, int priv)
{
	unsigned long flags;

	(void)priv;
	if (sig < 1 || sig > _NSIG)
		return -EINVAL;
	spin_lock_irqsave(&p->pi_lock, flags);
	p->pending |= sigmask(sig);
	set_tsk_thread_flag(p, TIF_SIGPENDING);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	wake_up_state(p, TASK_INTERRUPTIBLE | (sig == SIGKILL ? TASK_WAKEKILL : 0));
	return 0;
}

bool signal_pending(struct task_struct *p)
{
	return test_tsk_thread_flag(p, TIF_SIGPENDING);
}

bool fatal_signal_pending(struct task_struct *p)
{
	return signal_pending(p) && (READ_ONCE(p->pending) & sigmask(SIGKILL));
}

bool signal_pending_state(unsigned int state, struct task_struct *p)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)) || !signal_pending(p))
		return false;
	return (state & TASK_INTERRUPTIBLE) || fatal_signal_pending(p);
}

void flush_signals(struct task_struct *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->pi_lock, flags);
	p->pending = 0;
	clear_tsk_thread_flag(p, TIF_SIGPENDING);
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

int kill_pgrp(int pgrp, int sig, int priv)
{
	struct task_struct *p, *targets[64];
	unsigned long flags;
	int n = 0;

	if (pgrp <= 0)
		return -ESRCH;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p->signal && p->signal->pgrp == pgrp && p->group_leader == p && n < 64) {
			get_task_struct(p);
			targets[n++] = p;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	for (int i = 0; i < n; i++) {
		send_sig(sig, targets[i], priv);
		put_task_struct(targets[i]);
	}
	return n ? 0 : -ESRCH;
}
