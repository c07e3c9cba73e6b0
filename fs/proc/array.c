/*
 * /proc/PID/stat, status and statm (Linux: fs/proc/array.c), in Linux
 * 6.1's formats: what ps, top and pidof parse.
 *
 * These read counters, never the VMA list: the rss counters and the vm
 * sizes of the mm are atomics or words read with READ_ONCE, so none of
 * these files takes mmap_lock, and a reader cannot be held up by a writer
 * of the address space (a process stuck in mmap() at a memcg limit, say).
 * The mm is held with get_task_mm() while it is read. The task list is
 * read under tasklist_lock (parent, threads, the children's totals), the
 * name under task_lock, the signal sets under sighand->siglock.
 *
 * Folio has one user, root, with every capability, no namespaces, one CPU
 * and one memory node; those fields read as they would for root on such a
 * Linux machine. Fields for what Folio lacks (swap, huge pages, seccomp,
 * real-time scheduling) read 0.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/sched/mm.h>
#include <kernel/timekeeping.h>
#include <kernel/time.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <fs/fs_struct.h>
#include <fs/fdtable.h>
#include <fs/seq_file.h>
#include <fs/tty.h>
#include <fs/uapi.h>
#include "internal.h"

/* What every Folio process may do: Linux root's capability sets (CAP_LAST_CAP 40). */
#define CAP_FULL_SET 0x000001ffffffffffULL

static const char *const task_state_array[] = {
	"R (running)", "S (sleeping)", "D (disk sleep)", "T (stopped)", "t (tracing stop)",
	"X (dead)", "Z (zombie)", "P (parked)", "I (idle)",
};

static const char *get_task_state(const struct task_struct *p)
{
	switch (task_state_char(p)) {
	case 'R': return task_state_array[0];
	case 'S': return task_state_array[1];
	case 'D': return task_state_array[2];
	case 'T': return task_state_array[3];
	case 'Z': return task_state_array[6];
	case 'I': return task_state_array[8];
	default: return task_state_array[5];
	}
}

static void get_task_comm(char *buf, struct task_struct *task)
{
	task_lock(task);
	memcpy(buf, task->comm, TASK_COMM_LEN);
	task_unlock(task);
	buf[TASK_COMM_LEN - 1] = 0;
}

/* The ids and job control of task, read together under tasklist_lock. */
struct task_ids {
	pid_t ppid, pgrp, session, tty_pgrp;
	int tty_nr, threads;
};

static void get_task_ids(struct task_struct *task, struct task_ids *ids)
{
	struct signal_struct *sig = task->signal;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	ids->ppid = task->pid == 1 || !task->parent ? 0 : task->parent->tgid;
	ids->pgrp = sig->pgrp;
	ids->session = sig->session;
	ids->threads = sig->nr_threads;
	ids->tty_nr = 0;
	ids->tty_pgrp = -1;
	if (sig->tty) {
		ids->tty_nr = tty_devnum(sig->tty);
		ids->tty_pgrp = sig->tty->pgrp;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* Pending signals of the thread and of the process, blocked, ignored and caught ones. */
struct task_sigs {
	sigset_t pending, shpending, blocked, ignored, caught;
};

static void collect_sigs(struct task_struct *task, struct task_sigs *s)
{
	struct sighand_struct *sh = task->sighand;
	unsigned long flags;

	memset(s, 0, sizeof(*s));
	if (!sh)
		return;
	spin_lock_irqsave(&sh->siglock, flags);
	s->pending = task->pending.signal;
	s->shpending = task->signal->shared_pending.signal;
	s->blocked = task->blocked;
	for (int i = 1; i <= _NSIG; i++) {
		void *handler = sh->action[i - 1].sa_handler;
		if (handler == SIG_IGN)
			s->ignored |= sigmask(i);
		else if (handler != SIG_DFL)
			s->caught |= sigmask(i);
	}
	spin_unlock_irqrestore(&sh->siglock, flags);
}

/* "Name:" with a newline or backslash in the name written as \n and \\, as Linux writes them. */
static void task_name(struct seq_file *m, struct task_struct *task)
{
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, task);
	seq_puts(m, "Name:\t");
	for (const char *c = comm; *c; c++) {
		if (*c == '\n')
			seq_puts(m, "\\n");
		else if (*c == '\\')
			seq_puts(m, "\\\\");
		else
			seq_putc(m, *c);
	}
	seq_putc(m, '\n');
}

static void task_state(struct seq_file *m, struct task_struct *task)
{
	struct task_ids ids;
	unsigned int max_fds = task_fd_max(task);
	int umask = -1;

	get_task_ids(task, &ids);
	task_lock(task);
	if (task->fs)
		umask = READ_ONCE(task->fs->umask);
	task_unlock(task);
	if (umask >= 0)
		seq_printf(m, "Umask:\t%#04o\n", umask);
	seq_printf(m, "State:\t%s\n", get_task_state(task));
	seq_printf(m, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", task->tgid, task->pid, ids.ppid);
	seq_puts(m, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	seq_printf(m, "FDSize:\t%u\nGroups:\t \n", max_fds);
	seq_printf(m, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", task->tgid, task->pid, ids.pgrp,
		   ids.session);
}

static int count_bits(sigset_t set)
{
	int n = 0;

	for (; set; set &= set - 1)
		n++;
	return n;
}

static void task_sig(struct seq_file *m, struct task_struct *task)
{
	struct task_sigs s;
	struct task_ids ids;
	unsigned long qlim;

	get_task_ids(task, &ids);
	collect_sigs(task, &s);
	task_lock(task->group_leader);
	qlim = task->signal->rlim[RLIMIT_SIGPENDING].rlim_cur;
	task_unlock(task->group_leader);
	seq_printf(m, "Threads:\t%d\n", ids.threads);
	seq_printf(m, "SigQ:\t%d/%lu\n", count_bits(s.pending) + count_bits(s.shpending), qlim);
	seq_printf(m, "SigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
		   s.pending, s.shpending, s.blocked, s.ignored, s.caught);
}

static void task_cap_and_rest(struct seq_file *m, struct task_struct *task)
{
	seq_printf(m, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t%016llx\nCapAmb:\t%016llx\n",
		   0ULL, CAP_FULL_SET, CAP_FULL_SET, CAP_FULL_SET, 0ULL);
	seq_puts(m, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
	/* Folio neither knows nor controls the CPU's speculation: Linux's answer then. */
	seq_puts(m, "Speculation_Store_Bypass:\tunknown\nSpeculationIndirectBranch:\tunknown\n");
	seq_puts(m, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
	seq_printf(m, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n", READ_ONCE(task->nvcsw),
		   READ_ONCE(task->nivcsw));
}

/*
 * status: counters only, no mmap_lock (see the file comment). The memory
 * lines are there only while the task has an mm, as on Linux.
 */
int proc_pid_status(struct seq_file *m, struct task_struct *task)
{
	struct mm_struct *mm = get_task_mm(task);

	task_name(m, task);
	task_state(m, task);
	if (mm) {
		task_mem(m, mm);
		seq_puts(m, "CoreDumping:\t0\nTHP_enabled:\t0\n");
		mmput(mm);
	}
	task_sig(m, task);
	task_cap_and_rest(m, task);
	return 0;
}

/* Times in ticks to clock_t (USER_HZ). */
static unsigned long long ticks_to_clock_t(u64 ticks)
{
	return ticks * USER_HZ / HZ;
}

/* The counters stat shows for the thread, or summed over the process (whole). */
struct task_counts {
	u64 utime, stime, cutime, cstime;
	unsigned long min_flt, maj_flt, cmin_flt, cmaj_flt;
};

static void collect_counts(struct task_struct *task, bool whole, struct task_counts *c)
{
	struct signal_struct *sig = task->signal;
	struct task_struct *leader = task->group_leader, *t;
	unsigned long flags;

	memset(c, 0, sizeof(*c));
	spin_lock_irqsave(&tasklist_lock, flags);
	c->cutime = sig->cutime;
	c->cstime = sig->cstime;
	c->cmin_flt = sig->cmin_flt;
	c->cmaj_flt = sig->cmaj_flt;
	if (whole) {
		c->utime = sig->utime;
		c->stime = sig->stime;
		c->min_flt = sig->min_flt;
		c->maj_flt = sig->maj_flt;
		for (t = leader;; t = list_entry(t->thread_group.next, struct task_struct, thread_group)) {
			if (!t->exit_state) {	/* exited threads are in sig already */
				c->utime += t->utime;
				c->stime += t->stime;
				c->min_flt += t->min_flt;
				c->maj_flt += t->maj_flt;
			}
			if (t->thread_group.next == &leader->thread_group)
				break;
		}
	} else {
		c->utime = task->utime;
		c->stime = task->stime;
		c->min_flt = task->min_flt;
		c->maj_flt = task->maj_flt;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* Fields 1-22: identity, state, job control, faults, times, priority, threads, start time. */
static void stat_task_part(struct seq_file *m, struct task_struct *task, bool whole)
{
	char comm[TASK_COMM_LEN];
	struct task_ids ids;
	struct task_counts c;

	get_task_comm(comm, task);
	get_task_ids(task, &ids);
	collect_counts(task, whole, &c);
	seq_printf(m, "%d (%s) %c %d %d %d %d %d %u", task->pid, comm, task_state_char(task), ids.ppid, ids.pgrp,
		   ids.session, ids.tty_nr, ids.tty_pgrp, task->flags);
	seq_printf(m, " %lu %lu %lu %lu", c.min_flt, c.cmin_flt, c.maj_flt, c.cmaj_flt);
	seq_printf(m, " %llu %llu %lld %lld", ticks_to_clock_t(c.utime), ticks_to_clock_t(c.stime),
		   (long long)ticks_to_clock_t(c.cutime), (long long)ticks_to_clock_t(c.cstime));
	seq_printf(m, " 20 0 %d 0 %llu", ids.threads,
		   (unsigned long long)(task->start_time / (NSEC_PER_SEC / USER_HZ)));
}

/* Fields 23-52: memory, signals, wchan, CPU, and the mm's layout. */
static void stat_mm_part(struct seq_file *m, struct task_struct *task, struct mm_struct *mm)
{
	struct task_sigs s;
	unsigned long rsslim;

	collect_sigs(task, &s);
	task_lock(task->group_leader);
	rsslim = task->signal->rlim[RLIMIT_RSS].rlim_cur;
	task_unlock(task->group_leader);
	seq_printf(m, " %lu %lu %lu", mm ? READ_ONCE(mm->total_vm) << PAGE_SHIFT : 0, mm ? get_mm_rss(mm) : 0,
		   rsslim);
	seq_printf(m, " %lu %lu %lu 0 0", mm ? mm->start_code : 0, mm ? mm->end_code : 0,
		   mm ? mm->start_stack : 0);
	/* The old decimal signal words: the first 31 signals only. */
	seq_printf(m, " %llu %llu %llu %llu", s.pending & 0x7fffffffULL, s.blocked & 0x7fffffffULL,
		   s.ignored & 0x7fffffffULL, s.caught & 0x7fffffffULL);
	/* wchan is a flag here: whether /proc/PID/wchan is worth reading. */
	seq_printf(m, " %d 0 0 %d 0 0 0 0 0 0", get_wchan(task) ? 1 : 0, task->exit_signal);
	if (mm)
		seq_printf(m, " %lu %lu %lu %lu %lu %lu %lu", mm->start_data, mm->end_data, mm->start_brk,
			   mm->arg_start, mm->arg_end, mm->env_start, mm->env_end);
	else
		seq_puts(m, " 0 0 0 0 0 0 0");
	seq_printf(m, " %d\n", READ_ONCE(task->exit_code));
}

/*
 * stat: the 52 fields in Linux's order. comm is printed as is between
 * parentheses, spaces and ')' included: parsers look for the last ')'.
 * Counters only, no mmap_lock (see the file comment).
 */
static int do_task_stat(struct seq_file *m, struct task_struct *task, bool whole)
{
	struct mm_struct *mm = get_task_mm(task);

	stat_task_part(m, task, whole);
	stat_mm_part(m, task, mm);
	if (mm)
		mmput(mm);
	return 0;
}

/* /proc/PID/stat sums over the process; /proc/PID/task/TID/stat shows the thread alone. */
int proc_pid_stat(struct seq_file *m, struct task_struct *task)
{
	return do_task_stat(m, task, !PROC_I((struct inode *)m->private)->thread);
}

/* statm: size resident shared text lib data dt, in pages; counters only, no mmap_lock. */
int proc_pid_statm(struct seq_file *m, struct task_struct *task)
{
	unsigned long size = 0, resident = 0, shared = 0, text = 0, data = 0;
	struct mm_struct *mm = get_task_mm(task);

	if (mm) {
		size = task_statm(mm, &shared, &text, &data, &resident);
		mmput(mm);
	}
	seq_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", size, resident, shared, text, data);
	return 0;
}
