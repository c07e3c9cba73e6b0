/*
 * What the threads of a process share (Linux: include/linux/sched/signal.h):
 * struct signal_struct, with the process's shared pending signals, its
 * group exit, job control, rlimits and CPU time. The signal actions
 * (sighand_struct) and the signal calls are in kernel/signal.h.
 *
 * Lifetime: ->refcount, one per thread (kernel/fork.c). The fields that
 * need a lock name it: sighand->siglock for the pending set, tasklist_lock
 * for job control and the CPU time, task_lock(group_leader) for the rlimits.
 */
#ifndef _KERNEL_SCHED_SIGNAL_H
#define _KERNEL_SCHED_SIGNAL_H

#include <kernel/types.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/wait.h>
#include <uapi/resource.h>

struct mm_struct;
struct tty_struct;

/* Shared by the threads of a process (Linux: struct signal_struct). */
struct signal_struct {
	int refcount;
	int nr_threads;			/* live threads in the group */
	struct wait_queue_head wait_chldexit;	/* the parent waits here for children to exit */
	short oom_score_adj;	/* -1000..1000 */
	struct mm_struct *oom_mm;	/* an OOM victim's mm, pinned by mm_count (mmgrab()) */
	struct sigpending shared_pending;	/* process-directed signals; sighand->siglock */
	struct task_struct *group_exec_task;	/* de_thread() is killing the other threads */
	int group_exit_code;		/* exit_group() status or the killing signal */
	unsigned int flags;		/* SIGNAL_GROUP_EXIT */
	bool is_child_subreaper;	/* PR_SET_CHILD_SUBREAPER: orphans below come here, not to init */
	pid_t pgrp, session;		/* job control; tasklist_lock */
	struct tty_struct *tty;		/* the controlling terminal, or NULL */
	unsigned long rlim_nofile, rlim_stack, rlim_as, rlim_data;	/* the rlimits Folio honours */
	/*
	 * Every limit, soft and hard, as getrlimit()/setrlimit()/prlimit64()
	 * see them (kernel/sys.c); task_lock(group_leader). rlim_nofile,
	 * rlim_stack, rlim_as and rlim_data above mirror the soft limits for the
	 * code that enforces them; do_prlimit() writes both.
	 */
	struct rlimit rlim[RLIM_NLIMITS];
	/* CPU time in ticks: of threads that exited, and of reaped children; tasklist_lock. */
	u64 utime, stime, cutime, cstime;
	/* The same for getrusage(): switches, faults, and the rss peak (pages). */
	unsigned long nvcsw, nivcsw, cnvcsw, cnivcsw;
	unsigned long min_flt, maj_flt, cmin_flt, cmaj_flt;
	unsigned long maxrss, cmaxrss;
};
#define SIGNAL_GROUP_EXIT 0x04

void put_sighand(struct sighand_struct *sh);	/* drop a reference; the last frees the actions */
void zap_other_threads(struct task_struct *p);	/* under tasklist_lock */
/* Process groups and sessions (kernel/pid.c): make the caller a session leader; its sid or -EPERM. */
pid_t ksys_setsid(void);
/* rlimits (kernel/sys.c): the defaults pid 0 and kernel threads start with. */
void init_rlimits(struct signal_struct *sig);
/* Resource use of p as getrusage(who) reports it (kernel/sys.c); RUSAGE_BOTH for wait4(). */
struct rusage;
void k_getrusage(struct task_struct *p, int who, struct rusage *r);

#endif
