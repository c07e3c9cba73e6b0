/*
 * The OOM killer's interface (Linux: include/linux/oom.h): how a task is
 * ranked (oom_badness(), also behind /proc/PID/oom_score) and the vm.*
 * settings the killer obeys, readable and writable through /proc/sys/vm.
 */
#ifndef _MM_OOM_H
#define _MM_OOM_H

#include <kernel/types.h>
#include <uapi/oom.h>

struct task_struct;

/*
 * The task's "badness" in pages: its process's rss, page tables, and
 * oom_score_adj thousandths of totalpages; LONG_MIN for a task that may
 * not be chosen (pid 1, kernel threads, -1000, an mm being torn down, a
 * vfork child still on its parent's mm).
 */
long oom_badness(struct task_struct *p, unsigned long totalpages);
/* A thread of p's process that still has an mm, returned with its task_lock held; or NULL. */
struct task_struct *find_lock_task_mm(struct task_struct *p);

extern int sysctl_panic_on_oom;			/* 0, 1, 2 */
extern int sysctl_oom_kill_allocating_task;	/* 0 or not */
extern int sysctl_oom_dump_tasks;		/* 0 or not; default 1 */

#endif
