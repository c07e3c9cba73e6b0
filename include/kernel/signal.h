/*
 * Signals, the kernel side (Linux: include/linux/sched/signal.h). Today
 * signals are only flags a kernel thread sees: send_sig(SIGKILL) sets the bit
 * and wakes the task from interruptible and killable sleeps. User-mode
 * delivery (handlers, frames) comes with user processes.
 */
#ifndef _KERNEL_SIGNAL_H
#define _KERNEL_SIGNAL_H

#include <kernel/types.h>
#include <kernel/spinlock.h>

typedef u64 sigset_t;		/* bit (sig - 1) */

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define _NSIG 64

static inline sigset_t sigmask(int sig) { return 1ULL << (sig - 1); }

/* sigaction as the kernel keeps it (x86-64's struct sigaction layout, used by rt_sigaction). */
#define SIG_DFL ((void *)0)
#define SIG_IGN ((void *)1)
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

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

struct task_struct;
int send_sig(int sig, struct task_struct *p, int priv);
/* A fault's signal to current, with si_code and the faulting address for the handler's siginfo. */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
int force_sig_fault(int sig, int code, unsigned long addr);
/* Send sig to every process in process group pgrp (the tty's ^C); -ESRCH if none. */
int kill_pgrp(int pgrp, int sig, int priv);
bool signal_pending(struct task_struct *p);
bool fatal_signal_pending(struct task_struct *p);
/* Would a sleep in `state` be interrupted by p's pending signals? */
bool signal_pending_state(unsigned int state, struct task_struct *p);
void flush_signals(struct task_struct *p);

#endif
