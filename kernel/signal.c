/*
 * Signals (Linux: kernel/signal.c): sending and queueing, taking one for
 * delivery, default actions, and the signal system calls. The handler's
 * frame, syscall restart and rt_sigreturn are arch code
 * (arch/x86_64/signal.c); include/kernel/signal.h says how a pending signal
 * is kept.
 *
 * Sending: a signal the target ignores (SIG_IGN, or a default action of
 * "ignore") is dropped at once, unless the target blocks it, since the
 * handler may change before it is unblocked. Otherwise its bit is set and
 * one thread that does not block it gets TIF_SIGPENDING and is woken from
 * an interruptible sleep (also from a killable one, for SIGKILL); a task in
 * TASK_UNINTERRUPTIBLE is never woken by a signal. A process-directed
 * signal whose default action kills takes Linux's shortcut: the whole
 * group is marked SIGNAL_GROUP_EXIT and every thread gets SIGKILL.
 *
 * Delivery happens in get_signal() on the way back to user mode: the
 * lowest unblocked signal (faults first), thread-directed before
 * process-directed. Default actions: terminate the whole process (the wait
 * status is the signal number; Folio writes no core files, so the 0x80
 * "core dumped" bit is never set), or nothing. Folio has no stopped
 * state: SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU are sent, queued and
 * interrupt sleeps as in Linux, but their default action does nothing
 * where Linux stops the process (SIGCONT does nothing anyway).
 *
 * pid 1 as a user program is protected like Linux's SIGNAL_UNKILLABLE init:
 * it only gets the signals it has handlers for, SIGKILL from the kernel,
 * and its own faults.
 *
 * Kernel threads: Linux's ignore signals unless they allow_signal(). Folio's
 * see them, so tests can interrupt a thread's sleeps; they never run a
 * handler (they never return to user mode), are never killed by the group
 * shortcut, and are not reached by kill(-1) or by a kill of process group 0.
 *
 * Locking: see include/kernel/signal.h. tasklist_lock is taken before
 * siglock wherever the threads of a process are walked (process-directed
 * sends, sigaction's flush of newly ignored signals, a mask change that
 * must hand a pending signal to another thread).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/ptrace.h>

#define SIG_KERNEL_IGNORE_MASK (sigmask(SIGCHLD) | sigmask(SIGCONT) | sigmask(SIGURG) | sigmask(SIGWINCH))
#define SIG_KERNEL_STOP_MASK (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))
#define SYNCHRONOUS_MASK (sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | sigmask(SIGTRAP) | \
			  sigmask(SIGFPE) | sigmask(SIGSYS))
#define UAPI_SA_FLAGS (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | \
		       SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)

/* How hard a send is: a user's kill(), the kernel's (Linux: SEND_SIG_PRIV), a fault that must land. */
enum { SEND_USER, SEND_KERNEL, SEND_FORCE };

static bool sig_kernel_ignore(int sig)
{
	return SIG_KERNEL_IGNORE_MASK & sigmask(sig);
}

static bool sig_kernel_stop(int sig)
{
	return SIG_KERNEL_STOP_MASK & sigmask(sig);
}

/* An action that ignores sig: dropped when sent, discarded when set (Linux's sig_handler_ignored()). */
static bool sig_handler_ignored(void *handler, int sig)
{
	return handler == SIG_IGN || (handler == SIG_DFL && sig_kernel_ignore(sig));
}

static bool is_user_init(struct task_struct *t)
{
	struct task_struct *init = READ_ONCE(child_reaper);

	return init && init->signal && t->signal == init->signal && !(init->flags & PF_KTHREAD);
}

/* Would sending sig to t do nothing at all? siglock held. */
static bool sig_ignored(struct task_struct *t, int sig, int force)
{
	void *handler = t->sighand->action[sig - 1].sa_handler;

	if (t->blocked & sigmask(sig))
		return false;
	if (is_user_init(t) && handler == SIG_DFL && !(force && (SIG_KERNEL_ONLY_MASK & sigmask(sig))))
		return true;
	return sig_handler_ignored(handler, sig);
}

/* The default action kills the process (Linux: sig_fatal()). */
static bool sig_fatal(struct task_struct *p, int sig)
{
	return p->sighand->action[sig - 1].sa_handler == SIG_DFL && !sig_kernel_ignore(sig) && !sig_kernel_stop(sig);
}

/* The threads of p's process, leader first; tasklist_lock held. */
static struct task_struct *next_thread_of(struct task_struct *t)
{
	struct task_struct *leader = t->group_leader;
	struct list_head *next = t->thread_group.next;

	return next == &leader->thread_group ? NULL : list_entry(next, struct task_struct, thread_group);
}
#define for_each_thread_of(p, t) for (t = (p)->group_leader; t; t = next_thread_of(t))

static void signal_wake_up(struct task_struct *t, bool fatal)
{
	set_tsk_thread_flag(t, TIF_SIGPENDING);
	wake_up_state(t, TASK_INTERRUPTIBLE | (fatal ? TASK_WAKEKILL : 0));
}

static bool wants_signal(int sig, struct task_struct *p)
{
	return !(p->blocked & sigmask(sig)) && !(p->flags & PF_EXITING);
}

/*
 * Find a thread to take the signal just queued and wake it (Linux's
 * complete_signal()). A fatal process-directed signal kills the whole group
 * at once. group: process-directed, and tasklist_lock is held.
 */
static void complete_signal(int sig, struct task_struct *p, bool group)
{
	struct signal_struct *signal = p->signal;
	struct task_struct *t = NULL;

	if (wants_signal(sig, p)) {
		t = p;
	} else if (group) {
		for_each_thread_of(p, t)
			if (wants_signal(sig, t))
				break;
	}
	if (!t)
		return;		/* blocked everywhere: it waits, pending, for someone to unblock it */
	if (group && sig_fatal(p, sig) && !(signal->flags & SIGNAL_GROUP_EXIT) && !(p->flags & PF_KTHREAD)) {
		signal->flags |= SIGNAL_GROUP_EXIT;
		signal->group_exit_code = sig;
		for_each_thread_of(p, t) {
			t->pending.signal |= sigmask(SIGKILL);
			t->pending.info[SIGKILL - 1] = (struct sigqueue_info){ .code = SI_KERNEL };
			signal_wake_up(t, true);
		}
		return;
	}
	signal_wake_up(t, sig == SIGKILL);
}

static void flush_sigqueue_mask(sigset_t mask, struct sigpending *pending)
{
	pending->signal &= ~mask;
}

/*
 * Queue sig for t: in its own pending set, or (group) in its process's.
 * Caller holds t->sighand->siglock, and tasklist_lock too if group.
 */
static void __send_signal_locked(int sig, const struct sigqueue_info *q, struct task_struct *t,
				 bool group, int force)
{
	struct sigpending *pending = group ? &t->signal->shared_pending : &t->pending;

	spin_assert_held(&t->sighand->siglock);
	if (force < SEND_FORCE && sig_ignored(t, sig, force))
		return;
	/* SIGCONT discards pending stop signals and a stop signal a pending SIGCONT (POSIX). */
	if (SIG_KERNEL_STOP_MASK & sigmask(sig))
		flush_sigqueue_mask(sigmask(SIGCONT), pending);
	else if (sig == SIGCONT)
		flush_sigqueue_mask(SIG_KERNEL_STOP_MASK, pending);
	if (!(pending->signal & sigmask(sig))) {	/* a second instance merges into the first */
		pending->signal |= sigmask(sig);
		pending->info[sig - 1] = *q;
	}
	complete_signal(sig, t, group);
}

static struct sigqueue_info sender_info(int code)
{
	return (struct sigqueue_info){ .code = code, .pid = current->tgid };
}

static struct sigqueue_info priv_info(int priv)
{
	return priv ? (struct sigqueue_info){ .code = SI_KERNEL } : sender_info(SI_USER);
}

/* Thread-directed send; sig 0 only checks that p can be signalled. */
static int send_sig_info_thread(int sig, const struct sigqueue_info *q, struct task_struct *p, int force)
{
	unsigned long flags;

	if (!valid_signal(sig))
		return -EINVAL;
	if (!p->sighand || !p->signal)
		return -ESRCH;
	if (!sig)
		return 0;
	spin_lock_irqsave(&p->sighand->siglock, flags);
	__send_signal_locked(sig, q, p, false, force);
	spin_unlock_irqrestore(&p->sighand->siglock, flags);
	return 0;
}

int send_sig(int sig, struct task_struct *p, int priv)
{
	struct sigqueue_info q = priv_info(priv);

	return send_sig_info_thread(sig, &q, p, priv ? SEND_KERNEL : SEND_USER);
}

/* Process-directed send; tasklist_lock held. sig 0 only checks that p can be signalled. */
static int __group_send_sig_locked(int sig, const struct sigqueue_info *q, struct task_struct *p, int force)
{
	if (!valid_signal(sig))
		return -EINVAL;
	if (!p->sighand || !p->signal)
		return -ESRCH;
	if (sig) {
		spin_lock(&p->sighand->siglock);
		__send_signal_locked(sig, q, p, true, force);
		spin_unlock(&p->sighand->siglock);
	}
	return 0;
}

int group_send_sig_locked(int sig, struct task_struct *p, int priv)
{
	struct sigqueue_info q = priv_info(priv);

	return __group_send_sig_locked(sig, &q, p, priv ? SEND_KERNEL : SEND_USER);
}

int group_send_sig(int sig, struct task_struct *p, int priv)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&tasklist_lock, flags);
	ret = group_send_sig_locked(sig, p, priv);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* Every process in group pgrp (Linux's __kill_pgrp_info()); tasklist_lock held. */
static int __kill_pgrp_info(int sig, const struct sigqueue_info *q, pid_t pgrp, int force)
{
	struct task_struct *p;
	bool success = false;
	int ret = -ESRCH;

	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p != p->group_leader || !p->signal || p->signal->pgrp != pgrp)
			continue;
		if (pgrp == 0 && (p->flags & PF_KTHREAD))
			continue;
		int err = __group_send_sig_locked(sig, q, p, force);
		success |= !err;
		ret = err;
	}
	return success ? 0 : ret;
}

int kill_pgrp(int pgrp, int sig, int priv)
{
	struct sigqueue_info q = priv_info(priv);
	unsigned long flags;
	int ret;

	if (pgrp <= 0)
		return -ESRCH;
	spin_lock_irqsave(&tasklist_lock, flags);
	ret = __kill_pgrp_info(sig, &q, pgrp, priv ? SEND_KERNEL : SEND_USER);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* Send sig to current even if it blocks or ignores it: the handler is reset to SIG_DFL then (Linux's force_sig_info()). */
static void force_sig_info(int sig, const struct sigqueue_info *q)
{
	struct task_struct *t = current;
	struct k_sigaction *ka = &t->sighand->action[sig - 1];
	unsigned long flags;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	if ((t->blocked & sigmask(sig)) || ka->sa_handler == SIG_IGN) {
		ka->sa_handler = SIG_DFL;
		t->blocked &= ~sigmask(sig);
	}
	__send_signal_locked(sig, q, t, false, SEND_FORCE);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

int force_sig_fault(int sig, int code, unsigned long addr)
{
	struct sigqueue_info q = { .code = code };

	current->fault_code = code;	/* si_code and si_addr for the handler's siginfo */
	current->fault_addr = addr;
	force_sig_info(sig, &q);
	return 0;
}

void force_sig(int sig)
{
	struct sigqueue_info q = { .code = SI_KERNEL };

	force_sig_info(sig, &q);
}

void force_sigsegv(int sig)
{
	if (sig == SIGSEGV) {	/* the SIGSEGV handler itself cannot run: do not try again */
		unsigned long flags;
		spin_lock_irqsave(&current->sighand->siglock, flags);
		current->sighand->action[SIGSEGV - 1].sa_handler = SIG_DFL;
		spin_unlock_irqrestore(&current->sighand->siglock, flags);
	}
	force_sig(SIGSEGV);
}

bool do_notify_parent(struct task_struct *tsk, int sig)
{
	struct task_struct *parent = tsk->parent;
	struct sighand_struct *psig = parent->sighand;
	struct sigqueue_info q = { .pid = tsk->tgid, .child = true };
	int code = tsk->exit_code;
	bool autoreap = false;

	if (!psig || !parent->signal)
		return true;	/* the idle task adopts nobody who waits */
	if (code & 0x7f) {
		q.code = (code & 0x80) ? CLD_DUMPED : CLD_KILLED;
		q.status = code & 0x7f;
	} else {
		q.code = CLD_EXITED;
		q.status = (code >> 8) & 0xff;
	}
	spin_lock(&psig->siglock);
	/* POSIX: a parent ignoring SIGCHLD, or with SA_NOCLDWAIT, leaves no zombies. */
	if (sig == SIGCHLD && (psig->action[SIGCHLD - 1].sa_handler == SIG_IGN ||
			       (psig->action[SIGCHLD - 1].sa_flags & SA_NOCLDWAIT))) {
		autoreap = true;
		if (psig->action[SIGCHLD - 1].sa_handler == SIG_IGN)
			sig = 0;
	}
	if (sig > 0 && valid_signal(sig))
		__send_signal_locked(sig, &q, parent, true, SEND_USER);
	spin_unlock(&psig->siglock);
	wake_up_all(&parent->signal->wait_chldexit);
	return autoreap;
}

/*
 * Would sig, forced on tsk, kill it: no handler runs (Linux's
 * unhandled_signal()). The kernel logs a user fault or trap only then: a
 * program that handles its faults on purpose is not reported. init's are
 * always reported, as in Linux.
 */
bool unhandled_signal(struct task_struct *tsk, int sig)
{
	void *handler = READ_ONCE(tsk->sighand->action[sig - 1].sa_handler);

	return is_user_init(tsk) || handler == SIG_IGN || handler == SIG_DFL;
}

bool signal_pending(struct task_struct *p)
{
	return test_tsk_thread_flag(p, TIF_SIGPENDING);
}

bool fatal_signal_pending(struct task_struct *p)
{
	return signal_pending(p) && (READ_ONCE(p->pending.signal) & sigmask(SIGKILL));
}

bool signal_pending_state(unsigned int state, struct task_struct *p)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)) || !signal_pending(p))
		return false;
	return (state & TASK_INTERRUPTIBLE) || fatal_signal_pending(p);
}

/* exec and clone3()'s CLONE_CLEAR_SIGHAND: caught signals back to their default, ignored ones stay ignored (POSIX). */
void flush_signal_handlers(struct task_struct *t)
{
	struct sighand_struct *sh = t->sighand;
	unsigned long flags;

	if (!sh)
		return;
	spin_lock_irqsave(&sh->siglock, flags);
	for (int i = 0; i < _NSIG; i++) {
		if (sh->action[i].sa_handler != SIG_IGN)
			sh->action[i].sa_handler = SIG_DFL;
		sh->action[i].sa_flags = 0;
		sh->action[i].sa_restorer = NULL;
		sh->action[i].sa_mask = 0;
	}
	spin_unlock_irqrestore(&sh->siglock, flags);
}

void flush_signals(struct task_struct *p)
{
	unsigned long flags;

	if (!p->sighand)
		return;
	spin_lock_irqsave(&p->sighand->siglock, flags);
	p->pending.signal = 0;
	if (p->signal)
		p->signal->shared_pending.signal = 0;
	clear_tsk_thread_flag(p, TIF_SIGPENDING);
	spin_unlock_irqrestore(&p->sighand->siglock, flags);
}

/* TIF_SIGPENDING says "something to deliver": keep it exact for current. siglock held. */
void recalc_sigpending(void)
{
	struct task_struct *t = current;

	if ((t->pending.signal | t->signal->shared_pending.signal) & ~t->blocked)
		set_tsk_thread_flag(t, TIF_SIGPENDING);
	else
		clear_tsk_thread_flag(t, TIF_SIGPENDING);
}

/*
 * Change current's mask. A process-directed signal that current now blocks
 * but that is pending goes to another thread that does not (Linux's
 * retarget_shared_pending()), so blocking it in one thread never hides it.
 */
void set_current_blocked(sigset_t newset)
{
	struct task_struct *tsk = current, *t;
	unsigned long flags;

	newset &= ~SIG_KERNEL_ONLY_MASK;
	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&tsk->sighand->siglock);
	sigset_t retarget = tsk->signal->shared_pending.signal & newset & ~tsk->blocked;
	tsk->blocked = newset;
	if (retarget && tsk->signal->nr_threads > 1) {
		for_each_thread_of(tsk, t) {
			if (t == tsk || (t->flags & PF_EXITING) || !(retarget & ~t->blocked))
				continue;
			signal_wake_up(t, false);
			retarget &= t->blocked;
			if (!retarget)
				break;
		}
	}
	recalc_sigpending();
	spin_unlock(&tsk->sighand->siglock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* The lowest signal in mask, synchronous (fault) signals first. */
static int next_signal(const struct sigpending *pending, sigset_t mask)
{
	sigset_t x = pending->signal & mask;

	if (x & SYNCHRONOUS_MASK)
		x &= SYNCHRONOUS_MASK;
	return x ? __builtin_ctzll(x) + 1 : 0;
}

static int __dequeue(struct sigpending *pending, sigset_t mask, struct sigqueue_info *info)
{
	int sig = next_signal(pending, mask);

	if (sig) {
		pending->signal &= ~sigmask(sig);
		*info = pending->info[sig - 1];
	}
	return sig;
}

/* Take a signal in mask off p's sets: thread-directed first. siglock held; 0 if none. */
int dequeue_signal(struct task_struct *p, sigset_t mask, struct sigqueue_info *info)
{
	int sig = __dequeue(&p->pending, mask, info);

	if (!sig)
		sig = __dequeue(&p->signal->shared_pending, mask, info);
	if (p == current)
		recalc_sigpending();
	return sig;
}

void set_restore_sigmask(void)
{
	set_tsk_thread_flag(current, TIF_RESTORE_SIGMASK);
}

/* The mask a handler's sigreturn restores: rt_sigsuspend's caller's, or the current one. */
sigset_t sigmask_to_save(void)
{
	return test_tsk_thread_flag(current, TIF_RESTORE_SIGMASK) ? current->saved_sigmask : current->blocked;
}

void restore_saved_sigmask(void)
{
	if (test_tsk_thread_flag(current, TIF_RESTORE_SIGMASK)) {
		clear_tsk_thread_flag(current, TIF_RESTORE_SIGMASK);
		set_current_blocked(current->saved_sigmask);
	}
}

/*
 * Take the next signal that has a handler to run, carrying out the default
 * actions of the others on the way (Linux: get_signal()). Returns false
 * when nothing is left to deliver; does not return if a signal kills us.
 */
bool get_signal(struct ksignal *ksig)
{
	struct task_struct *tsk = current;
	struct sighand_struct *sighand = tsk->sighand;
	struct signal_struct *signal = tsk->signal;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&sighand->siglock, flags);
		struct task_struct *exec_task = signal->group_exec_task;
		if (exec_task && exec_task != tsk) {	/* another thread execs: just go */
			spin_unlock_irqrestore(&sighand->siglock, flags);
			do_exit(0);
		}
		if (signal->flags & SIGNAL_GROUP_EXIT) {
			spin_unlock_irqrestore(&sighand->siglock, flags);
			do_group_exit(SIGKILL);	/* the group's exit code wins */
		}
		int sig = dequeue_signal(tsk, ~tsk->blocked, &ksig->info);
		if (!sig) {
			spin_unlock_irqrestore(&sighand->siglock, flags);
			return false;
		}
		struct k_sigaction *ka = &sighand->action[sig - 1];
		if (ka->sa_handler == SIG_IGN) {
			spin_unlock_irqrestore(&sighand->siglock, flags);
			continue;
		}
		if (ka->sa_handler != SIG_DFL) {
			ksig->ka = *ka;
			ksig->sig = sig;
			if (ka->sa_flags & SA_RESETHAND)
				ka->sa_handler = SIG_DFL;
			spin_unlock_irqrestore(&sighand->siglock, flags);
			return true;
		}
		spin_unlock_irqrestore(&sighand->siglock, flags);
		if (sig_kernel_ignore(sig))
			continue;
		if (sig_kernel_stop(sig))
			continue;	/* Linux stops the process here; Folio has no stopped state */
		/* init survives what it does not handle, except SIGKILL and its own faults. */
		if (is_user_init(tsk) && !((SIG_KERNEL_ONLY_MASK | SYNCHRONOUS_MASK) & sigmask(sig)))
			continue;
		do_group_exit(sig);	/* wait status: killed by sig, no core */
	}
}

/* The handler's frame is built, or could not be (failed): block what the action says. */
void signal_setup_done(int failed, struct ksignal *ksig)
{
	if (failed) {
		force_sigsegv(ksig->sig);
		return;
	}
	sigset_t blocked = current->blocked | ksig->ka.sa_mask;
	if (!(ksig->ka.sa_flags & SA_NODEFER))
		blocked |= sigmask(ksig->sig);
	set_current_blocked(blocked);
	clear_tsk_thread_flag(current, TIF_RESTORE_SIGMASK);	/* the frame holds the mask to restore */
}

void fill_siginfo(siginfo_t *si, const struct ksignal *ksig)
{
	int sig = ksig->sig, code = ksig->info.code;

	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = code;
	/*
	 * A child's exit tells who and how in SIGCHLD's fields, also when the
	 * child chose another exit signal: Linux's do_notify_parent() fills the
	 * same siginfo whatever the signal.
	 */
	if (ksig->info.child) {
		si->_sifields._sigchld.si_pid = ksig->info.pid;
		si->_sifields._sigchld.si_status = ksig->info.status;
	} else if ((SYNCHRONOUS_MASK & sigmask(sig)) && code > 0 && code < SI_KERNEL) {
		si->_sifields._sigfault.si_addr = (void *)current->fault_addr;
	} else if (code <= 0) {		/* SI_USER, SI_TKILL: who sent it (uid 0: Folio has no users) */
		si->_sifields._kill.si_pid = ksig->info.pid;
	}
}

/* --------------------------------------- for the syscalls (kernel/signal_syscalls.c) */

int do_sigaction(int sig, struct k_sigaction *act, struct k_sigaction *oact)
{
	struct task_struct *p = current, *t;
	struct k_sigaction *k;
	unsigned long flags;

	if (!valid_signal(sig) || sig < 1 || (act && (SIG_KERNEL_ONLY_MASK & sigmask(sig))))
		return -EINVAL;
	if (act) {
		act->sa_flags &= UAPI_SA_FLAGS;	/* unknown flags read back as clear (Linux 5.11+) */
		act->sa_mask &= ~SIG_KERNEL_ONLY_MASK;
	}
	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&p->sighand->siglock);
	k = &p->sighand->action[sig - 1];
	if (oact)
		*oact = *k;
	if (act) {
		*k = *act;
		/* POSIX: setting an ignoring action discards the pending instances, in every thread. */
		if (sig_handler_ignored(act->sa_handler, sig)) {
			flush_sigqueue_mask(sigmask(sig), &p->signal->shared_pending);
			for_each_thread_of(p, t)
				flush_sigqueue_mask(sigmask(sig), &t->pending);
		}
	}
	spin_unlock(&p->sighand->siglock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

/* pid > 0: that process (any of its thread ids will do); 0: our group; -1: everyone we may; < -1: group -pid. */
int kill_something_info(int sig, pid_t pid)
{
	struct sigqueue_info info = sender_info(SI_USER), *q = &info;
	struct task_struct *p;
	unsigned long flags;
	int ret = -ESRCH;

	if (pid == -2147483647 - 1)	/* INT_MIN: -pid would overflow */
		return -ESRCH;
	spin_lock_irqsave(&tasklist_lock, flags);
	if (pid > 0) {
		list_for_each_entry(p, &init_task.tasks, tasks) {
			if (p->pid == pid) {
				ret = __group_send_sig_locked(sig, q, p, SEND_USER);
				break;
			}
		}
	} else if (pid != -1) {
		ret = __kill_pgrp_info(sig, q, pid ? -pid : current->signal->pgrp, SEND_USER);
	} else {
		int count = 0, retval = 0;
		list_for_each_entry(p, &init_task.tasks, tasks) {
			if (p != p->group_leader || p->pid <= 1 || p->signal == current->signal ||
			    (p->flags & PF_KTHREAD))
				continue;
			int err = __group_send_sig_locked(sig, q, p, SEND_USER);
			count++;
			if (err != -EPERM)
				retval = err;
		}
		ret = count ? retval : -ESRCH;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* tkill/tgkill: one thread; tgid > 0 must be its process. */
int do_send_specific(pid_t tgid, pid_t pid, int sig)
{
	struct sigqueue_info q = sender_info(SI_TKILL);
	struct task_struct *p = find_get_task_by_pid(pid);
	int ret = -ESRCH;

	if (!p)
		return -ESRCH;
	if (tgid <= 0 || p->tgid == tgid)
		ret = send_sig_info_thread(sig, &q, p, SEND_USER);
	put_task_struct(p);
	return ret;
}
