/*
 * Tasks and the scheduler's interface (Linux: include/linux/sched.h).
 *
 * struct task_struct is one thread of execution: a kernel thread, or a
 * thread of a user process. Its lifetime is governed by `usage`
 * (get_task_struct()/put_task_struct()): the struct and its kernel stack are
 * freed when the last reference goes, which may be long after do_exit().
 *
 * Locks, in the order they nest: mmap_lock -> task_lock -> zone->lock (an
 * address space's own locks are in docs/mm.md). Inside the scheduler:
 * tasklist_lock -> p->pi_lock -> rq->lock.
 *   p->alloc_lock (task_lock())  ->mm, ->comm
 *   p->pi_lock                   ->state transitions made by wake-ups
 *   tasklist_lock                the task list, ->parent/->children/->sibling
 *   rq->lock                     the run queue, ->on_rq
 *
 * The rest of the task interface is split as Linux splits it:
 * kernel/sched/signal.h (signal_struct), kernel/sched/task.h (creating,
 * exiting and holding tasks, task_lock()), kernel/sched/mm.h (an mm's
 * lifetime), kernel/sched/wake_q.h, kernel/sched/debug.h (task dumps, the
 * hung-task detector); the clone() flags are in uapi/sched.h.
 */
#ifndef _KERNEL_SCHED_H
#define _KERNEL_SCHED_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/signal.h>
#include <kernel/cgroup-defs.h>
#include <arch/percpu.h>

typedef int pid_t;
#define TASK_COMM_LEN 16
#define PID_MAX 32768		/* the pid bitmap's size */
extern int pid_max;		/* pids are below it: kernel.pid_max, at most PID_MAX */

/* Task states (->state), as Linux numbers them. */
#define TASK_RUNNING 0x0000
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_UNINTERRUPTIBLE 0x0002
#define __TASK_STOPPED 0x0004
#define EXIT_DEAD 0x0010
#define EXIT_ZOMBIE 0x0020
#define TASK_DEAD 0x0080
#define TASK_WAKEKILL 0x0100
#define TASK_NOLOAD 0x0400
#define TASK_KILLABLE (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_IDLE (TASK_UNINTERRUPTIBLE | TASK_NOLOAD)	/* sleeps, but not "hung" */
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* Per-task flags (->flags). */
#define PF_IDLE 0x00000002
#define PF_EXITING 0x00000004
#define PF_KTHREAD 0x00200000

/* Thread flags (->thread_flags), bit numbers. */
#define TIF_SIGPENDING 2
#define TIF_NEED_RESCHED 3
#define TIF_NOTIFY_RESUME 1	/* something to do before returning to user mode */
#define TIF_MEMDIE 16		/* marks an OOM victim (Linux's name) */
#define TIF_RESTORE_SIGMASK 9	/* rt_sigsuspend: restore ->saved_sigmask after delivery */

#define THREAD_SIZE (16 * 1024)	/* kernel stack, with an unmapped guard page below */
#define SCHED_SLICE_TICKS 4	/* round-robin time slice: 16 ms at HZ=250 */

struct files_struct;
struct fs_struct;
struct signal_struct;
struct sighand_struct;
struct completion;
struct mem_cgroup;

/* FPU/SSE registers of a user task, saved with fxsave64 at every switch. */
struct fpu {
	u8 state[512] __aligned(16);
};

struct kthread;
struct mm_struct;

struct thread_struct {
	unsigned long sp;	/* saved kernel stack pointer while switched out */
};

struct task_struct {
	volatile long state;
	unsigned int flags;
	unsigned long thread_flags;
	int usage;			/* references: get/put_task_struct() */
	int on_rq;			/* runnable: queued or running */
	int sched_contributes_to_load;	/* asleep in D state, counted in rq->nr_uninterruptible */
	int saved_preempt_count;	/* preempt_count while switched out */
	unsigned int time_slice;	/* ticks left in this slice */

	pid_t pid, tgid;
	char comm[TASK_COMM_LEN];
	int exit_state;			/* EXIT_ZOMBIE, then EXIT_DEAD when reaped */
	int exit_code;			/* wait status once a zombie */
	int exit_signal;		/* signal to the parent at exit; -1: reap automatically */

	spinlock_t alloc_lock;		/* task_lock(): ->mm, ->comm, ->files, ->fs */
	spinlock_t pi_lock;		/* wake-up state changes */
	struct mm_struct *mm;		/* NULL for kernel threads and after exit_mm() */
	struct mm_struct *active_mm;	/* the page tables loaded (kernel threads borrow) */
	struct signal_struct *signal;
	struct sighand_struct *sighand;	/* signal actions; shared with CLONE_SIGHAND */
	struct sigpending pending;	/* thread-directed signals; sighand->siglock */
	sigset_t blocked;		/* written by the task itself under siglock */
	sigset_t saved_sigmask;		/* rt_sigsuspend's, restored on return */
	unsigned long sas_ss_sp;	/* sigaltstack() */
	size_t sas_ss_size;
	unsigned int sas_ss_flags;	/* SS_AUTODISARM */
	bool in_syscall;		/* set by do_syscall_64: pt_regs hold a syscall's nr and result */
	struct files_struct *files;
	struct fs_struct *fs;

	struct task_struct *group_leader;	/* the thread whose pid is the tgid */
	struct list_head thread_group;	/* the other threads of the process; tasklist_lock */
	int __user *set_child_tid;	/* CLONE_CHILD_SETTID */
	void __user *robust_list;	/* set_robust_list() */
	int __user *clear_child_tid;	/* CLONE_CHILD_CLEARTID, set_tid_address(): cleared and woken at exit */
	unsigned long fsbase;		/* arch_prctl(ARCH_SET_FS): TLS */
	struct fpu fpu;
	bool in_user_fault;		/* in do_user_addr_fault() for a user-mode fault (Linux's
					 * memcg reads it to unwind a failed charge) */
	int fault_code;			/* si_code and si_addr of the last fault signal */
	unsigned long fault_addr;
	bool in_execve;
	int uaccess_kernel;		/* uaccess_kernel_begin() depth */
	struct mem_cgroup *memcg_in_oom;	/* the memcg whose OOM this task waits out once its
						 * fault has unwound (the memcg OOM unwind); referenced */
	gfp_t memcg_oom_gfp_mask;	/* and the failed charge's gfp mask and order */
	int memcg_oom_order;
	unsigned int memcg_nr_pages_over_high;	/* pages it charged over memory.high, paid for on
						 * the way back to user mode; the task's own */
	struct mem_cgroup *active_memcg;	/* set_active_memcg(): where its kernel memory goes;
						 * the task's own */
	struct css_set cgroups;		/* its cgroups (kernel/cgroup-defs.h); css_set_lock */

	struct task_struct *parent;
	struct list_head children;	/* my children; tasklist_lock */
	struct list_head sibling;	/* my entry in parent->children */
	struct list_head tasks;		/* the global task list; tasklist_lock */
	struct list_head run_list;	/* the run queue; rq->lock */

	void *stack;			/* vmalloc'd THREAD_SIZE */
	struct thread_struct thread;
	struct kthread *kthread;	/* PF_KTHREAD tasks */

	/* Accounting, read by the hung-task detector and the task dump. */
	unsigned long nvcsw, nivcsw;	/* voluntary / involuntary switches */
	unsigned long min_flt, maj_flt;	/* page faults handled (majors wait for I/O: none in Folio) */
	u64 utime, stime;		/* ticks spent in user / kernel mode (account_process_tick()) */
	u64 start_time;			/* ns since boot when it was created (/proc/PID/stat) */
	unsigned long last_switch_count;
	unsigned long sleep_start;	/* jiffies when it last blocked */
	const void *blocked_on;		/* the lock it sleeps on, if any */
	const char *blocked_on_type;	/* "mutex", "rw-semaphore" */
	bool hung_reported;
	struct task_struct *wake_q_next;	/* on a wake_q (see below) */
	struct completion *vfork_done;	/* CLONE_VFORK: the parent waits on it */
	struct list_head oom_reaper_node;	/* on the OOM reaper's queue; oom_reaper_lock
						 * (mm/oom_kill.c); empty when not queued */
};

static inline struct task_struct *get_current(void) { return this_cpu()->curr_task; }
#define current get_current()

static inline bool test_tsk_thread_flag(struct task_struct *t, int f)
{
	return __atomic_load_n(&t->thread_flags, __ATOMIC_RELAXED) & (1UL << f);
}
static inline void set_tsk_thread_flag(struct task_struct *t, int f)
{
	__atomic_fetch_or(&t->thread_flags, 1UL << f, __ATOMIC_RELAXED);
}
static inline void clear_tsk_thread_flag(struct task_struct *t, int f)
{
	__atomic_fetch_and(&t->thread_flags, ~(1UL << f), __ATOMIC_RELAXED);
}
static inline bool test_and_set_tsk_thread_flag(struct task_struct *t, int f)
{
	return __atomic_fetch_or(&t->thread_flags, 1UL << f, __ATOMIC_ACQ_REL) & (1UL << f);
}
static inline bool test_and_clear_tsk_thread_flag(struct task_struct *t, int f)
{
	return __atomic_fetch_and(&t->thread_flags, ~(1UL << f), __ATOMIC_ACQ_REL) & (1UL << f);
}
static inline bool need_resched(void) { return test_tsk_thread_flag(current, TIF_NEED_RESCHED); }

/* state is written with a full barrier, so a wake-up cannot be missed (see kernel/sched/core.c). */
#define __set_current_state(s) (current->state = (s))
#define set_current_state(s) __atomic_store_n(&current->state, (s), __ATOMIC_SEQ_CST)

void schedule(void);
void preempt_schedule(void);		/* preempt_enable() reaching 0 with need_resched */
void preempt_schedule_irq(void);	/* return from interrupt */
void cond_resched(void);
void yield(void);
int wake_up_process(struct task_struct *p);
int wake_up_state(struct task_struct *p, unsigned int state);
void scheduler_tick(void);
void sched_init(void);
__noreturn void cpu_idle(void);
char task_state_char(const struct task_struct *p);
void __set_task_comm(struct task_struct *tsk, const char *name);	/* fs/exec.c; under task_lock(tsk) */
bool in_sched_functions(unsigned long addr);
/* Where a sleeping task waits: the first return address outside __sched code, or 0 (arch). */
unsigned long get_wchan(struct task_struct *p);

/* Sleeping in atomic context is a bug: might_sleep() reports it (at most once a tick). */
void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)
extern unsigned long sched_bug_count;	/* might_sleep and scheduling-while-atomic reports */

#endif
