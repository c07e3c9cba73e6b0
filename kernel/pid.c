/*
 * Process ids, process groups and sessions, the system-call side (Linux
 * keeps these in kernel/sys.c and kernel/pid.c; Folio's pid allocator is in
 * kernel/fork.c).
 *
 * A thread's pid is its thread id; the process id is the tgid, the pid of
 * the group leader. Job control lives in the signal_struct every thread of
 * a process shares: ->pgrp (the process group id) and ->session (the session
 * id). Linux links tasks into struct pid hash lists per id type; Folio walks
 * the task list, which is short. A session leader is the process whose pid
 * names its session (Linux keeps a signal->leader flag; fs/tty.c uses the
 * same test). pid 1 becomes session and group 1 by calling ksys_setsid()
 * before it execs /init; children inherit both through copy_signal().
 *
 * Locking: tasklist_lock (irqsave) guards the task list, ->parent, and every
 * signal->pgrp, ->session and ->tty. A change of group or session is made
 * and checked under it in one go, so two racing setpgid()s cannot both
 * pass their checks against a state the other is changing.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/syscalls.h>
#include <uapi/errno.h>

SYSCALL_DEFINE0(getpid)
{
	return current->tgid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->pid;
}

/* The parent's tgid. Reparenting changes ->parent, so read it under tasklist_lock. 0 for pid 1. */
SYSCALL_DEFINE0(getppid)
{
	unsigned long flags;
	pid_t ppid;

	spin_lock_irqsave(&tasklist_lock, flags);
	struct task_struct *parent = current->group_leader->parent;
	ppid = parent ? parent->tgid : 0;	/* pid 1's parent is the idle task, pid 0 */
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ppid;
}

/* musl calls this first thing: the word is cleared and futex-woken at exit (mm_release()). */
SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

/* The task with this pid (a thread id), or NULL. Caller holds tasklist_lock. */
static struct task_struct *find_task_by_pid_locked(pid_t pid)
{
	struct task_struct *p;

	list_for_each_entry(p, &init_task.tasks, tasks)
		if (p->pid == pid)
			return p;
	return NULL;
}

/* Does some process have process group pgrp (in session sid, if sid >= 0)? tasklist_lock held. */
static bool pgrp_exists(pid_t pgrp, pid_t sid)
{
	struct task_struct *p;

	list_for_each_entry(p, &init_task.tasks, tasks)
		if (p->signal && p->signal->pgrp == pgrp && (sid < 0 || p->signal->session == sid))
			return true;
	return false;
}

static bool is_session_leader(struct task_struct *p)
{
	return p->signal->session && p->signal->session == p->tgid;
}

/*
 * setpgid (Linux's rules): pid 0 means the caller, pgid 0 means pid. The
 * target must be the caller or one of its children (-ESRCH otherwise), a
 * process rather than a thread (-EINVAL), in the caller's session (-EPERM),
 * and not a session leader (-EPERM); the group it joins must already exist
 * in that session unless it is named after the target itself (-EPERM).
 * Linux also refuses a child that has already exec'd (-EACCES); Folio does
 * not track that, so the call succeeds there.
 */
SYSCALL_DEFINE2(setpgid, pid_t, pid, pid_t, pgid)
{
	struct task_struct *leader = current->group_leader;
	unsigned long flags;
	long err;

	if (!pid)
		pid = leader->pid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;

	spin_lock_irqsave(&tasklist_lock, flags);
	struct task_struct *p = find_task_by_pid_locked(pid);
	err = -ESRCH;
	if (!p)
		goto out;
	err = -EINVAL;
	if (p != p->group_leader)
		goto out;
	if (p->parent && p->parent->tgid == current->tgid) {
		err = -EPERM;		/* a child */
		if (p->signal->session != leader->signal->session)
			goto out;
	} else {
		err = -ESRCH;
		if (p != leader)
			goto out;
	}
	err = -EPERM;
	if (is_session_leader(p))
		goto out;
	if (pgid != pid && !pgrp_exists(pgid, leader->signal->session))
		goto out;
	p->signal->pgrp = pgid;
	err = 0;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* What getpgid and getsid return: a field of pid's process (0: the caller), or -ESRCH. */
static long get_signal_id(pid_t pid, bool session)
{
	unsigned long flags;
	long ret = -ESRCH;

	spin_lock_irqsave(&tasklist_lock, flags);
	struct task_struct *p = pid ? find_task_by_pid_locked(pid) : current;
	if (p && p->signal)
		ret = session ? p->signal->session : p->signal->pgrp;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE1(getpgid, pid_t, pid)
{
	return get_signal_id(pid, false);
}

SYSCALL_DEFINE0(getpgrp)
{
	return get_signal_id(0, false);
}

SYSCALL_DEFINE1(getsid, pid_t, pid)
{
	return get_signal_id(pid, true);
}

/*
 * setsid: the calling process leads a new session and a new process group,
 * both named by its pid, with no controlling terminal. -EPERM if it leads a
 * session already, or if any process group carries its pid (it leads a
 * group, or an old group still has that id): a group must never span two
 * sessions.
 */
pid_t ksys_setsid(void)
{
	struct task_struct *leader = current->group_leader;
	pid_t sid = leader->pid;
	unsigned long flags;
	pid_t err = -EPERM;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (is_session_leader(leader) || pgrp_exists(sid, -1))
		goto out;
	leader->signal->session = sid;
	leader->signal->pgrp = sid;
	leader->signal->tty = NULL;	/* Linux: proc_clear_tty(); the terminal stays with the old session */
	err = sid;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

SYSCALL_DEFINE0(setsid)
{
	return ksys_setsid();
}
