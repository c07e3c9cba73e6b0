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

static bool sig_default_ignored(int sig);

/*
 * A signal nobody would act on is dropped when it is sent, as Linux's
 * sig_ignored() does: its action is SIG_IGN, or SIG_DFL with a default of
 * "ignore" (SIGCHLD...), and it is not blocked (a blocked one must stay
 * pending: the action may change before it is unblocked).
 */
static bool sig_ignored(struct task_struct *p, int sig)
{
	if (sig == SIGKILL || sig == SIGSTOP || (p->blocked & sigmask(sig)))
		return false;
	void *handler = p->sighand ? p->sighand->action[sig - 1].sa_handler : SIG_DFL;
	return handler == SIG_IGN || (handler == SIG_DFL && sig_default_ignored(sig));
}

int send_sig(int sig, struct task_struct *p, int priv)
{
	unsigned long flags;

	(void)priv;
	if (sig < 1 || sig > _NSIG)
		return -EINVAL;
	if (sig_ignored(p, sig))
		return 0;
	spin_lock_irqsave(&p->pi_lock, flags);
	p->pending |= sigmask(sig);
	set_tsk_thread_flag(p, TIF_SIGPENDING);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	wake_up_state(p, TASK_INTERRUPTIBLE | (sig == SIGKILL ? TASK_WAKEKILL : 0));
	return 0;
}

/*
 * A synchronous signal for a fault. It cannot be ignored or blocked: if it
 * is, the task would only fault again, so Linux resets it to the default
 * (kill) first. si_code and the address go with it for the handler.
 */
int force_sig_fault(int sig, int code, unsigned long addr)
{
	struct task_struct *p = current;
	unsigned long flags;

	spin_lock_irqsave(&p->pi_lock, flags);
	p->blocked &= ~sigmask(sig);
	p->fault_code = code;
	p->fault_addr = addr;
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return send_sig(sig, p, 1);
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

/* The signals whose default action is to do nothing (Linux: SIG_KERNEL_IGNORE_MASK). */
static bool sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == 23 /* SIGURG */ || sig == 28 /* SIGWINCH */;
}

/* Take the lowest pending, unblocked signal off p's set; 0 if none (and clear TIF_SIGPENDING). */
int dequeue_signal(struct task_struct *p)
{
	unsigned long flags;
	int sig = 0;

	spin_lock_irqsave(&p->pi_lock, flags);
	sigset_t ready = p->pending & ~(p->blocked & ~(sigmask(SIGKILL) | sigmask(SIGSTOP)));
	if (ready) {
		sig = __builtin_ctzll(ready) + 1;
		p->pending &= ~sigmask(sig);
	}
	if (!(p->pending & ~p->blocked))
		clear_tsk_thread_flag(p, TIF_SIGPENDING);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return sig;
}

/*
 * Signal delivery on the way back to user mode. Until user signal handlers
 * exist, every signal takes its default action: ignore, or terminate the
 * process with the signal as its exit status.
 */
void arch_do_signal_or_restart(struct pt_regs *regs)
{
	int sig;

	(void)regs;
	while ((sig = dequeue_signal(current)))
		if (!sig_default_ignored(sig))
			do_exit(sig);	/* wait status: terminated by sig */
}
