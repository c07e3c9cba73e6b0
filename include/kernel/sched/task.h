/*
 * Creating, exiting and holding tasks (Linux: include/linux/sched/task.h):
 * the task list and its lock, task references, kernel threads' creation
 * (kernel/fork.c), exit and reaping (kernel/exit.c).
 *
 * Locking: tasklist_lock (irqsave) guards the task list and every task's
 * ->parent, ->children, ->sibling, ->thread_group and ->exit_state.
 * task_lock() (p->alloc_lock) guards ->mm, ->comm, ->files and ->fs; it
 * nests inside mmap_lock and outside the zone lock (see kernel/sched.h).
 */
#ifndef _KERNEL_SCHED_TASK_H
#define _KERNEL_SCHED_TASK_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/spinlock.h>
#include <kernel/sched.h>

struct cgroup;

extern struct task_struct init_task;	/* pid 0: the boot CPU's idle task, "swapper/0" */
extern struct task_struct *child_reaper;	/* pid 1: adopts orphans */
extern spinlock_t tasklist_lock;

static inline void task_lock(struct task_struct *p) { spin_lock(&p->alloc_lock); }
static inline void task_unlock(struct task_struct *p) { spin_unlock(&p->alloc_lock); }
/*
 * Clear one of p's task_lock()ed pointers (->files, ->fs) and return what it
 * held, for the caller to put: whoever looks under task_lock() afterwards
 * finds NULL, never a struct on its way out.
 */
#define task_detach(p, field) ({					\
	struct task_struct *__p = (p);					\
	task_lock(__p);							\
	__typeof__(__p->field) __old = __p->field;			\
	__p->field = NULL;						\
	task_unlock(__p);						\
	__old;								\
})

/* What a new task is made with (Linux's struct kernel_clone_args): clone()'s and clone3()'s arguments. */
struct kernel_clone_args {
	u64 flags;			/* CLONE_*, without the exit signal */
	int __user *child_tid;
	int __user *parent_tid;
	int exit_signal;
	unsigned long stack;		/* the new stack pointer, 0: the parent's */
	unsigned long tls;
	pid_t set_tid;			/* clone3: the pid wanted, 0: any */
	int cgroup;			/* CLONE_INTO_CGROUP: a cgroup2 directory's fd */
	bool kthread;			/* a kernel thread (create_kernel_task()) */
	struct cgroup *cgrp;		/* that cgroup, between cgroup_can_fork() and cgroup_post_fork() */
};

void get_task_struct(struct task_struct *p);
void put_task_struct(struct task_struct *p);
struct task_struct *find_get_task_by_pid(pid_t pid);	/* with a reference, or NULL */
extern unsigned long nr_tasks_freed;	/* task structs freed since boot (tests) */

void fork_init(void);
/* Task creation (kernel/fork.c): a kernel thread running fn(arg), not yet woken. */
struct task_struct *create_kernel_task(int (*fn)(void *), void *arg, const char *name,
				       int exit_signal);
void free_pid(pid_t pid);
void schedule_tail(struct task_struct *prev);	/* a new task's first code (ret_from_fork_asm) */
void task_exited(void);		/* from do_exit(): one task fewer counts against max_threads */

/* Exit (kernel/exit.c). */
__noreturn void do_exit(int code);
__noreturn void do_group_exit(int code);
void release_task(struct task_struct *p);	/* reap p, which nobody will wait for */
/* Wait for a child with exit_signal >= 0 (pid -1: any); reaps it. Returns its pid or -ECHILD. */
pid_t kernel_wait(pid_t pid, int *status);
__noreturn void reap_orphans_forever(void);	/* pid 1, until user space has an init */

#endif
