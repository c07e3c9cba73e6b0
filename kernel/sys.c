/*
 * The system calls about the system and the process as a whole (Linux:
 * kernel/sys.c, with getrlimit & co. and sched_yield/sched_getaffinity from
 * kernel/sched/core.c): credentials, uname and the host name, sysinfo,
 * resource limits, scheduling priority and affinity, prctl and reboot.
 * Process ids, groups and sessions are in kernel/pid.c; time in
 * kernel/time/; getrandom in kernel/random.c; syslog in kernel/syslog.c.
 *
 * Folio has one user, root: every uid and gid is 0 and every capability
 * check passes, so what Linux allows a privileged process is allowed here.
 *
 * Locking:
 *   uts_lock                     utsname.nodename (sethostname); the other
 *                                fields never change after boot
 *   task_lock(p->group_leader)   p->signal->rlim[] and its mirrors
 *                                rlim_nofile/rlim_stack (Linux takes the
 *                                same lock in do_prlimit())
 *   tasklist_lock                the task list, walked by sysinfo and by
 *                                the pid lookups
 *   task_lock(p)                 p->comm (prctl PR_SET_NAME/PR_GET_NAME)
 *   tasklist_lock                also the thread list and signal's
 *                                counters, summed by getrusage()
 * User memory is copied outside every spinlock: a fault may sleep.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <kernel/reboot.h>
#include <kernel/time.h>
#include <kernel/timekeeping.h>
#include <kernel/sched/mm.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <kernel/kernel_stat.h>
#include <fs/fs.h>
#include <uapi/errno.h>
#include <uapi/prctl.h>
#include <uapi/reboot.h>
#include <uapi/resource.h>
#include <uapi/sysinfo.h>
#include <kernel/utsname.h>

#ifndef FOLIO_VERSION
#define FOLIO_VERSION "0.1"
#endif

BUILD_BUG_ON(sizeof(struct sysinfo) != 112);
BUILD_BUG_ON(sizeof(struct rusage) != 144);
BUILD_BUG_ON(sizeof(struct new_utsname) != 6 * 65);

/* ---- Credentials: everyone is root ---- */

/* Linux keeps uids in struct cred; Folio has none, so the answers are constants. */
SYSCALL_DEFINE0(getuid) { return 0; }
SYSCALL_DEFINE0(geteuid) { return 0; }
SYSCALL_DEFINE0(getgid) { return 0; }
SYSCALL_DEFINE0(getegid) { return 0; }

static long put_three_zeros(unsigned int __user *a, unsigned int __user *b, unsigned int __user *c)
{
	if (put_user(0u, a) || put_user(0u, b) || put_user(0u, c))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid, unsigned int __user *, ruid, unsigned int __user *, euid, unsigned int __user *, suid)
{
	return put_three_zeros(ruid, euid, suid);
}

SYSCALL_DEFINE3(getresgid, unsigned int __user *, rgid, unsigned int __user *, egid, unsigned int __user *, sgid)
{
	return put_three_zeros(rgid, egid, sgid);
}

/* No supplementary groups: the count is 0 and nothing is written, whatever the buffer. */
SYSCALL_DEFINE2(getgroups, int, gidsetsize, unsigned int __user *, grouplist)
{
	(void)grouplist;
	return gidsetsize < 0 ? -EINVAL : 0;
}

/* Becoming root again is a no-op; becoming anybody else is not possible (Linux would let root drop). */
SYSCALL_DEFINE1(setuid, unsigned int, uid) { return uid == 0 ? 0 : -EPERM; }
SYSCALL_DEFINE1(setgid, unsigned int, gid) { return gid == 0 ? 0 : -EPERM; }

/* ---- uname and the host name ---- */

static DEFINE_SPINLOCK(uts_lock);
static struct new_utsname utsname = {
	.sysname = "Folio",
	.nodename = "folio",
	.release = FOLIO_VERSION,
	.version = "#1 SMP",
	.machine = "x86_64",
	.domainname = "(none)",
};

void uts_get(struct new_utsname *out)
{
	spin_lock(&uts_lock);
	*out = utsname;
	spin_unlock(&uts_lock);
}

void uts_set_hostname(const char *name, size_t len)
{
	spin_lock(&uts_lock);
	memcpy(utsname.nodename, name, len);
	memset(utsname.nodename + len, 0, sizeof(utsname.nodename) - len);
	spin_unlock(&uts_lock);
}

SYSCALL_DEFINE1(uname, struct new_utsname __user *, name)
{
	struct new_utsname tmp;

	uts_get(&tmp);
	return copy_to_user(name, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(sethostname, char __user *, name, int, len)
{
	char tmp[__NEW_UTS_LEN + 1];

	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(tmp, name, len))
		return -EFAULT;
	uts_set_hostname(tmp, len);
	return 0;
}

/* ---- sysinfo ---- */

static unsigned int nr_tasks_alive(void)
{
	struct task_struct *p;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &init_task.tasks, tasks)
		n++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

/*
 * freeram is exactly the buddy allocator's free pages: the user test suite
 * measures leaks with it. loads are the load averages (kernel/sched/
 * loadavg.c) in 16-bit fixed point; sharedram is shared anonymous memory;
 * there is no swap and no buffer cache.
 */
SYSCALL_DEFINE1(sysinfo, struct sysinfo __user *, info)
{
	struct sysinfo val;
	u64 ns = ktime_get_ns();	/* CLOCK_BOOTTIME: Folio never suspends */

	memset(&val, 0, sizeof(val));	/* the padding too: no kernel stack leaks out */
	val.uptime = ns / NSEC_PER_SEC + (ns % NSEC_PER_SEC ? 1 : 0);	/* rounded up, as Linux */
	val.totalram = totalram_pages << PAGE_SHIFT;
	val.freeram = nr_free_pages() << PAGE_SHIFT;
	val.sharedram = global_node_page_state(NR_SHMEM) << PAGE_SHIFT;
	get_avenrun(val.loads, 0, SI_LOAD_SHIFT - FSHIFT);
	val.procs = (u16)min(nr_tasks_alive(), 65535u);
	val.mem_unit = 1;
	return copy_to_user(info, &val, sizeof(val)) ? -EFAULT : 0;
}

/* ---- Resource limits ---- */

#define NR_OPEN_MAX 4096	/* RLIMIT_NOFILE's ceiling (Linux: sysctl_nr_open, 1048576) */
#define _STK_LIM (8UL << 20)	/* default stack soft limit */
#define MLOCK_LIMIT (8UL << 20)	/* default RLIMIT_MEMLOCK, soft and hard */

/*
 * What pid 0 starts with, and so every process inherits (Debian's
 * defaults, simplified): core dumps off, 1024 files (hard 4096), an 8 MiB
 * stack, 8 MiB of locked memory; everything else unlimited. NOFILE, STACK,
 * AS and DATA are enforced (MEMLOCK binds only tasks without CAP_IPC_LOCK,
 * and every Folio task has it).
 */
void init_rlimits(struct signal_struct *sig)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		sig->rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	sig->rlim[RLIMIT_CORE].rlim_cur = 0;
	sig->rlim[RLIMIT_NOFILE] = (struct rlimit){ NR_OPEN_DEFAULT, NR_OPEN_MAX };
	sig->rlim[RLIMIT_STACK] = (struct rlimit){ _STK_LIM, RLIM_INFINITY };
	sig->rlim[RLIMIT_MEMLOCK] = (struct rlimit){ MLOCK_LIMIT, MLOCK_LIMIT };
	sig->rlim_nofile = sig->rlim[RLIMIT_NOFILE].rlim_cur;
	sig->rlim_stack = sig->rlim[RLIMIT_STACK].rlim_cur;
	sig->rlim_as = sig->rlim_data = RLIM_INFINITY;
}

/*
 * Read (old) and/or set (new) one limit of tsk's process. A soft limit
 * above the hard one is -EINVAL. Raising a hard limit needs
 * CAP_SYS_RESOURCE in Linux, which every Folio process has, so it is
 * allowed, except RLIMIT_NOFILE beyond NR_OPEN_MAX (-EPERM, as Linux does
 * beyond nr_open).
 */
static long do_prlimit(struct task_struct *tsk, unsigned int resource, const struct rlimit *new,
		       struct rlimit *old)
{
	struct task_struct *leader = tsk->group_leader;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_MAX)
			return -EPERM;
	}
	task_lock(leader);
	struct signal_struct *sig = tsk->signal;
	if (old)
		*old = sig->rlim[resource];
	if (new) {
		sig->rlim[resource] = *new;
		if (resource == RLIMIT_NOFILE)
			WRITE_ONCE(sig->rlim_nofile, new->rlim_cur);
		else if (resource == RLIMIT_STACK)
			WRITE_ONCE(sig->rlim_stack, new->rlim_cur);
		else if (resource == RLIMIT_AS)
			WRITE_ONCE(sig->rlim_as, new->rlim_cur);
		else if (resource == RLIMIT_DATA)
			WRITE_ONCE(sig->rlim_data, new->rlim_cur);
	}
	task_unlock(leader);
	return 0;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource, struct rlimit __user *, rlim)
{
	struct rlimit value;
	long ret = do_prlimit(current, resource, NULL, &value);

	if (!ret && copy_to_user(rlim, &value, sizeof(value)))
		ret = -EFAULT;
	return ret;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource, struct rlimit __user *, rlim)
{
	struct rlimit new;

	if (copy_from_user(&new, rlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(current, resource, &new, NULL);
}

/* x86-64's struct rlimit64 has the same layout as struct rlimit. */
SYSCALL_DEFINE4(prlimit64, pid_t, pid, unsigned int, resource, const struct rlimit __user *, new_rlim,
		struct rlimit __user *, old_rlim)
{
	struct rlimit new, old;
	struct task_struct *tsk = current;
	long ret;

	if (new_rlim && copy_from_user(&new, new_rlim, sizeof(new)))
		return -EFAULT;
	if (pid) {
		tsk = find_get_task_by_pid(pid);
		if (!tsk)
			return -ESRCH;
	} else {
		get_task_struct(tsk);
	}
	ret = do_prlimit(tsk, resource, new_rlim ? &new : NULL, old_rlim ? &old : NULL);
	put_task_struct(tsk);
	if (!ret && old_rlim && copy_to_user(old_rlim, &old, sizeof(old)))
		ret = -EFAULT;
	return ret;
}

/* ---- Resource use ---- */

/* The counters of one thread, added into r. */
static void accumulate_thread_rusage(struct task_struct *t, struct rusage *r, u64 *utime, u64 *stime)
{
	*utime += READ_ONCE(t->utime);
	*stime += READ_ONCE(t->stime);
	r->ru_nvcsw += READ_ONCE(t->nvcsw);
	r->ru_nivcsw += READ_ONCE(t->nivcsw);
	r->ru_minflt += READ_ONCE(t->min_flt);
	r->ru_majflt += READ_ONCE(t->maj_flt);
}

static struct __kernel_old_timeval ticks_to_timeval(u64 ticks)
{
	u64 ns = ticks * TICK_NSEC;

	return (struct __kernel_old_timeval){ ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / NSEC_PER_USEC };
}

/* The process's own use: what its exited threads left in signal, and its live threads'. Under tasklist_lock. */
static void process_rusage(struct task_struct *p, struct rusage *r, u64 *utime, u64 *stime)
{
	struct signal_struct *sig = p->signal;
	struct task_struct *leader = p->group_leader, *t;

	*utime += sig->utime;
	*stime += sig->stime;
	r->ru_nvcsw += sig->nvcsw;
	r->ru_nivcsw += sig->nivcsw;
	r->ru_minflt += sig->min_flt;
	r->ru_majflt += sig->maj_flt;
	if (!leader->exit_state)	/* a zombie leader's counts are in signal already */
		accumulate_thread_rusage(leader, r, utime, stime);
	list_for_each_entry(t, &leader->thread_group, thread_group)
		accumulate_thread_rusage(t, r, utime, stime);
}

/* Linux's getrusage() rules, Folio's counters (no block I/O, no swapping, no IPC counts). */
void k_getrusage(struct task_struct *p, int who, struct rusage *r)
{
	struct signal_struct *sig = p->signal;
	u64 utime = 0, stime = 0;
	unsigned long maxrss = 0, flags;

	memset(r, 0, sizeof(*r));
	if (who == RUSAGE_THREAD) {
		accumulate_thread_rusage(p, r, &utime, &stime);
		maxrss = sig->maxrss;
	} else {
		spin_lock_irqsave(&tasklist_lock, flags);
		if (who == RUSAGE_CHILDREN || who == RUSAGE_BOTH) {
			utime = sig->cutime;
			stime = sig->cstime;
			r->ru_nvcsw = sig->cnvcsw;
			r->ru_nivcsw = sig->cnivcsw;
			r->ru_minflt = sig->cmin_flt;
			r->ru_majflt = sig->cmaj_flt;
			maxrss = sig->cmaxrss;
		}
		if (who != RUSAGE_CHILDREN) {
			process_rusage(p, r, &utime, &stime);
			maxrss = max(maxrss, sig->maxrss);
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	if (who != RUSAGE_CHILDREN) {	/* the current address space's peak counts too */
		struct mm_struct *mm = get_task_mm(p);
		if (mm) {
			setmax_mm_hiwater_rss(&maxrss, mm);
			mmput(mm);
		}
	}
	r->ru_utime = ticks_to_timeval(utime);
	r->ru_stime = ticks_to_timeval(stime);
	r->ru_maxrss = maxrss * (PAGE_SIZE / 1024);
}

SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, ru)
{
	struct rusage r;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	k_getrusage(current, who, &r);
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}

/* ---- Scheduling: one CPU, one policy, no nice levels ---- */

SYSCALL_DEFINE0(sched_yield)
{
	yield();
	return 0;
}

#define NR_CPUS_MASK_BYTES sizeof(unsigned long)	/* Linux: cpumask_size() */

/* The one CPU: bit 0. Returns the bytes written, as the raw syscall does. */
SYSCALL_DEFINE3(sched_getaffinity, pid_t, pid, unsigned int, len, unsigned long __user *, user_mask_ptr)
{
	unsigned long mask = 1;

	if (len < NR_CPUS_MASK_BYTES || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	if (pid) {
		struct task_struct *p = find_get_task_by_pid(pid);
		if (!p)
			return -ESRCH;
		put_task_struct(p);
	}
	return copy_to_user(user_mask_ptr, &mask, sizeof(mask)) ? -EFAULT : (long)NR_CPUS_MASK_BYTES;
}

/* Is there a process that which/who names? Only processes exist; groups and users are checked loosely. */
static long prio_check(int which, int who)
{
	if (which < PRIO_PROCESS || which > PRIO_USER || who < 0)
		return -EINVAL;
	if (which == PRIO_PROCESS && who) {
		struct task_struct *p = find_get_task_by_pid(who);
		if (!p)
			return -ESRCH;
		put_task_struct(p);
	}
	if (which == PRIO_USER && who)
		return -ESRCH;		/* nobody but root (uid 0) exists */
	return 0;
}

/*
 * Every task runs at nice 0 and setpriority() is accepted without effect
 * (Folio's round robin has no priorities). The raw syscall returns 20 - nice,
 * so that no valid answer looks like an error; libc turns it back.
 */
SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	long err = prio_check(which, who);

	return err ? err : 20;
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	(void)niceval;
	return prio_check(which, who);
}

/* ---- prctl ---- */

SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long, arg3, unsigned long, arg4,
		unsigned long, arg5)
{
	struct task_struct *me = current;
	char comm[TASK_COMM_LEN];

	switch (option) {
	case PR_SET_NAME:
		memset(comm, 0, sizeof(comm));
		if (strncpy_from_user(comm, (const char __user *)arg2, sizeof(comm) - 1) < 0)
			return -EFAULT;
		task_lock(me);
		memcpy(me->comm, comm, sizeof(comm));
		task_unlock(me);
		return 0;
	case PR_GET_NAME:
		task_lock(me);
		memcpy(comm, me->comm, sizeof(comm));
		task_unlock(me);
		comm[sizeof(comm) - 1] = 0;
		return copy_to_user((void __user *)arg2, comm, sizeof(comm)) ? -EFAULT : 0;
	case PR_SET_CHILD_SUBREAPER:	/* read by exiting ancestors' find_new_reaper() (kernel/exit.c) */
		WRITE_ONCE(me->signal->is_child_subreaper, !!arg2);
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_user((int)READ_ONCE(me->signal->is_child_subreaper), (int __user *)arg2);
	default:
		return -EINVAL;		/* Linux knows ~70 more options */
	}
}

/* ---- reboot ---- */

/*
 * The magic numbers guard against a stray call, as in Linux. Halt powers
 * off too (there is nobody to look at a halted VM); the status the host sees
 * is 0. Linux syncs file systems first: Folio's are all in RAM.
 */
SYSCALL_DEFINE4(reboot, int, magic1, int, magic2, unsigned int, cmd, void __user *, arg)
{
	(void)arg;
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		kernel_restart();
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		kernel_power_off(0);
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;	/* Ctrl-Alt-Del means nothing on a serial console */
	default:
		return -EINVAL;
	}
}
