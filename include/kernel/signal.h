/*
 * Signals, the kernel side (Linux: include/linux/sched/signal.h). Today
 * signals are only flags a kernel thread sees: send_sig(SIGKILL) sets the bit
 * and wakes the task from interruptible and killable sleeps. User-mode
 * delivery (handlers, frames) comes with user processes.
 */
#ifndef _KERNEL_SIGNAL_H
#define _KERNEL_SIGNAL_H

#include <kernel/types.h>

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

struct task_struct;
int send_sig(int sig, struct task_struct *p, int priv);
bool signal_pending(struct task_struct *p);
bool fatal_signal_pending(struct task_struct *p);
/* Would a sleep in `state` be interrupted by p's pending signals? */
bool signal_pending_state(unsigned int state, struct task_struct *p);
void flush_signals(struct task_struct *p);

#endif
