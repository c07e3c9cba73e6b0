/*
 * The signal system calls (Linux: kernel/signal.c): a process's own
 * actions (rt_sigaction), mask (rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, pause) and alternate signal stack (sigaltstack), and the
 * kill family's entry points. The sending and queueing they rely on is in
 * kernel/signal.c, under the locks described there; the sigaltstack
 * settings (->sas_ss_*) belong to current alone and need no lock.
 *
 * Errors follow Linux: a sigset size other than 8 is -EINVAL (rt_sigpending
 * takes up to 8), SIGKILL and SIGSTOP can be queried but not set, bad user
 * pointers are -EFAULT, and an unknown sigaction flag reads back as clear.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/signal.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/ptrace.h>
#include <arch/processor.h>

SYSCALL_DEFINE4(rt_sigaction, int, sig, const struct k_sigaction __user *, act,
		struct k_sigaction __user *, oact, size_t, sigsetsize)
{
	struct k_sigaction new_ka, old_ka;
	int ret;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (act && copy_from_user(&new_ka, act, sizeof(new_ka)))
		return -EFAULT;
	ret = do_sigaction(sig, act ? &new_ka : NULL, oact ? &old_ka : NULL);
	if (!ret && oact && copy_to_user(oact, &old_ka, sizeof(old_ka)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, const sigset_t __user *, nset, sigset_t __user *, oset,
		size_t, sigsetsize)
{
	sigset_t old = current->blocked, new;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (nset) {
		if (copy_from_user(&new, nset, sizeof(new)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK:
			new = old | new;
			break;
		case SIG_UNBLOCK:
			new = old & ~new;
			break;
		case SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
		set_current_blocked(new);
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigpending, sigset_t __user *, uset, size_t, sigsetsize)
{
	struct task_struct *t = current;
	unsigned long flags;
	sigset_t set;

	if (sigsetsize > sizeof(sigset_t))
		return -EINVAL;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	set = (t->pending.signal | t->signal->shared_pending.signal) & t->blocked;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return copy_to_user(uset, &set, sigsetsize) ? -EFAULT : 0;
}

/* Sleep until a signal is pending; the return path delivers it (or restarts the call). */
static void sleep_until_signal(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(current))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

SYSCALL_DEFINE2(rt_sigsuspend, const sigset_t __user *, unewset, size_t, sigsetsize)
{
	sigset_t newset;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&newset, unewset, sizeof(newset)))
		return -EFAULT;
	current->saved_sigmask = current->blocked;
	set_current_blocked(newset);
	sleep_until_signal();
	set_restore_sigmask();	/* the handler runs with newset; its sigreturn restores saved_sigmask */
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE0(pause)
{
	sleep_until_signal();
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE2(kill, pid_t, pid, int, sig)
{
	return kill_something_info(sig, pid);
}

SYSCALL_DEFINE3(tgkill, pid_t, tgid, pid_t, pid, int, sig)
{
	if (pid <= 0 || tgid <= 0)
		return -EINVAL;
	return do_send_specific(tgid, pid, sig);
}

SYSCALL_DEFINE2(tkill, pid_t, pid, int, sig)
{
	if (pid <= 0)
		return -EINVAL;
	return do_send_specific(0, pid, sig);
}

/* ---------------------------------------------------------------- sigaltstack */

static bool __on_sig_stack(unsigned long sp)
{
	struct task_struct *t = current;

	return sp > t->sas_ss_sp && sp - t->sas_ss_sp <= t->sas_ss_size;
}

bool on_sig_stack(unsigned long sp)
{
	/* With SS_AUTODISARM the stack is disarmed while in use, so a nested signal may take it again. */
	return !(current->sas_ss_flags & SS_AUTODISARM) && __on_sig_stack(sp);
}

int sas_ss_flags(unsigned long sp)
{
	if (!current->sas_ss_size)
		return SS_DISABLE;
	return on_sig_stack(sp) ? SS_ONSTACK : 0;
}

/* uc_stack for a frame; an SS_AUTODISARM stack is disarmed while the handler runs. */
void save_altstack(stack_t *uss, unsigned long sp)
{
	struct task_struct *t = current;

	uss->ss_sp = (void *)t->sas_ss_sp;
	uss->ss_flags = sas_ss_flags(sp);
	uss->ss_size = t->sas_ss_size;
	if (t->sas_ss_flags & SS_AUTODISARM) {
		t->sas_ss_sp = 0;
		t->sas_ss_size = 0;
		t->sas_ss_flags = SS_DISABLE;
	}
}

static int do_sigaltstack(const stack_t *ss, stack_t *oss, unsigned long sp)
{
	struct task_struct *t = current;

	if (oss) {
		memset(oss, 0, sizeof(*oss));
		oss->ss_sp = (void *)t->sas_ss_sp;
		oss->ss_size = t->sas_ss_size;
		oss->ss_flags = sas_ss_flags(sp) | (t->sas_ss_flags & SS_FLAG_BITS);
	}
	if (ss) {
		unsigned long ss_sp = (unsigned long)ss->ss_sp;
		size_t ss_size = ss->ss_size;
		unsigned int ss_flags = ss->ss_flags, ss_mode = ss_flags & ~SS_FLAG_BITS;

		if (on_sig_stack(sp))
			return -EPERM;	/* cannot change the stack we run on */
		if (ss_mode != SS_DISABLE && ss_mode != SS_ONSTACK && ss_mode != 0)
			return -EINVAL;
		if (ss_mode == SS_DISABLE) {
			ss_size = 0;
			ss_sp = 0;
		} else if (ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		t->sas_ss_sp = ss_sp;
		t->sas_ss_size = ss_size;
		t->sas_ss_flags = ss_flags;
	}
	return 0;
}

/* rt_sigreturn: the stack saved in the frame comes back; a bad one is ignored, as in Linux. */
void restore_altstack(const stack_t *uss, unsigned long sp)
{
	(void)do_sigaltstack(uss, NULL, sp);
}

SYSCALL_DEFINE2(sigaltstack, const stack_t __user *, uss, stack_t __user *, uoss)
{
	stack_t new, old;
	int err;

	if (uss && copy_from_user(&new, uss, sizeof(new)))
		return -EFAULT;
	err = do_sigaltstack(uss ? &new : NULL, uoss ? &old : NULL, task_pt_regs(current)->sp);
	if (!err && uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return err;
}
