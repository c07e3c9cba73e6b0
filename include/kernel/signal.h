/*
 * Signals, the kernel side (Linux: include/linux/signal.h,
 * linux/signal_types.h, and the calls of linux/sched/signal.h; the
 * process's struct signal_struct is in kernel/sched/signal.h).
 * kernel/signal.c sends, queues and dequeues them and holds the signal
 * system calls; arch/x86_64/signal.c builds the handler's frame, restarts
 * interrupted system calls and implements rt_sigreturn.
 *
 * A pending signal is a bit in a struct sigpending plus the siginfo it came
 * with: thread-directed ones (tkill, faults, the kernel's SIGKILL of a
 * thread) in p->pending, process-directed ones (kill, the tty, SIGCHLD) in
 * p->signal->shared_pending, which any thread not blocking it may take.
 * Standard and real-time signals alike are kept once: a second instance of
 * a pending signal is merged into the first (Linux queues real-time ones).
 *
 * Locking: p->sighand->siglock guards the actions, every thread's ->pending
 * and ->blocked, and signal->shared_pending. Nesting: tasklist_lock ->
 * siglock -> p->pi_lock -> rq->lock; a sender wakes the target under
 * siglock, as Linux's signal_wake_up() does. ->blocked is only written by
 * the task itself (and by fork before the child runs), so the task may read
 * its own mask without the lock.
 */
#ifndef _KERNEL_SIGNAL_H
#define _KERNEL_SIGNAL_H

#include <kernel/types.h>
#include <kernel/spinlock.h>
#include <uapi/signal.h>

/* Restart codes that never reach user space (Linux: include/linux/errno.h). ERESTARTSYS (512) is in kernel/wait.h. */
#define ERESTARTNOINTR 513		/* always restart, handler or not */
#define ERESTARTNOHAND 514		/* restart only if no handler runs */
#define ERESTART_RESTARTBLOCK 516	/* Linux: restart through restart_syscall(); Folio: as ERESTARTNOHAND */

static inline sigset_t sigmask(int sig) { return 1ULL << (sig - 1); }
static inline bool valid_signal(int sig) { return sig >= 0 && sig <= _NSIG; }
#define SIG_KERNEL_ONLY_MASK (sigmask(SIGKILL) | sigmask(SIGSTOP))	/* cannot be caught, ignored or blocked */

/* sigaction as the kernel keeps it: x86-64's struct sigaction layout, as rt_sigaction copies it. */
struct k_sigaction {
	void *sa_handler;
	unsigned long sa_flags;
	void *sa_restorer;
	sigset_t sa_mask;
};

/* Signal actions of a process; shared by threads created with CLONE_SIGHAND. */
struct sighand_struct {
	int count;			/* atomic */
	spinlock_t siglock;		/* actions, and every pending/blocked set of the group */
	struct k_sigaction action[_NSIG];
};

/* What the handler's siginfo will say about a pending signal (Linux: the struct sigqueue's kernel_siginfo). */
struct sigqueue_info {
	int code;			/* si_code: SI_USER, SI_TKILL, SI_KERNEL, CLD_*, SEGV_*... */
	int pid;			/* si_pid: the sender's tgid, or the child for SIGCHLD */
	int status;			/* si_status (SIGCHLD) */
	bool child;			/* a child's exit (do_notify_parent()), whatever the signal */
};

struct sigpending {
	sigset_t signal;
	struct sigqueue_info info[_NSIG];	/* info[sig - 1] is valid while the bit is set */
};

/* A signal taken for delivery (Linux: struct ksignal). */
struct ksignal {
	struct k_sigaction ka;		/* the action as it was when dequeued */
	struct sigqueue_info info;
	int sig;
};

struct task_struct;
struct pt_regs;

/* Send to one thread (Linux's send_sig() is process-directed; Folio's callers mean the thread). */
int send_sig(int sig, struct task_struct *p, int priv);
/* Send to p's process: any of its threads may take it. Do not hold tasklist_lock. */
int group_send_sig(int sig, struct task_struct *p, int priv);
int group_send_sig_locked(int sig, struct task_struct *p, int priv);	/* tasklist_lock held */
/* Send to every process in process group pgrp (the tty's ^C); -ESRCH if none. */
int kill_pgrp(int pgrp, int sig, int priv);
/* A fault's signal to current, with si_code and the faulting address for the handler's siginfo. */
int force_sig_fault(int sig, int code, unsigned long addr);
void force_sig(int sig);		/* to current, from the kernel, even if blocked or ignored */
void force_sigsegv(int sig);		/* a frame for sig could not be built */
/*
 * tsk's process is complete: send sig (its exit_signal, normally SIGCHLD)
 * with CLD_* siginfo to the parent and wake its wait4(). Returns true if
 * nobody will wait for tsk (SIGCHLD ignored or SA_NOCLDWAIT): reap it now.
 * Called under tasklist_lock.
 */
bool do_notify_parent(struct task_struct *tsk, int sig);

bool unhandled_signal(struct task_struct *tsk, int sig);	/* no handler will run for sig: it kills */
bool signal_pending(struct task_struct *p);
bool fatal_signal_pending(struct task_struct *p);
/* Would a sleep in `state` be interrupted by p's pending signals? */
bool signal_pending_state(unsigned int state, struct task_struct *p);
void flush_signals(struct task_struct *p);
void flush_signal_handlers(struct task_struct *t);	/* caught signals back to SIG_DFL (exec) */
void recalc_sigpending(void);
void set_current_blocked(sigset_t newset);
int dequeue_signal(struct task_struct *p, sigset_t mask, struct sigqueue_info *info);

/* Delivery, on the way back to user mode (entry_common.c calls the arch part). */
void arch_do_signal_or_restart(struct pt_regs *regs);
bool get_signal(struct ksignal *ksig);
void signal_setup_done(int failed, struct ksignal *ksig);
void set_restore_sigmask(void);
void restore_saved_sigmask(void);
sigset_t sigmask_to_save(void);
void fill_siginfo(siginfo_t *si, const struct ksignal *ksig);

/* The syscalls' helpers in kernel/signal.c. */
int do_sigaction(int sig, struct k_sigaction *act, struct k_sigaction *oact);
int kill_something_info(int sig, int pid);	/* kill(): pid > 0, 0, -1, < -1 */
int do_send_specific(int tgid, int pid, int sig);	/* tgkill(), tkill() (tgid 0) */

/* sigaltstack (kernel/signal_syscalls.c; Linux: include/linux/sched/signal.h). */
bool on_sig_stack(unsigned long sp);
int sas_ss_flags(unsigned long sp);
void save_altstack(stack_t *uss, unsigned long sp);
void restore_altstack(const stack_t *uss, unsigned long sp);

#endif
