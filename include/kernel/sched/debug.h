/*
 * Looking at tasks when something is wrong (Linux: include/linux/sched/debug.h):
 * the task dump of SysRq t and panic (kernel/sched/debug.c), and the
 * hung-task detector (kernel/hung_task.c), which reports tasks stuck in
 * uninterruptible sleep.
 */
#ifndef _KERNEL_SCHED_DEBUG_H
#define _KERNEL_SCHED_DEBUG_H

struct task_struct;

void show_state(void);			/* every task with its backtrace (SysRq t, panic) */
void sched_show_task(struct task_struct *p);

void hung_task_init(void);
extern unsigned long sysctl_hung_task_timeout_secs;	/* 0 disables the detector */
extern unsigned long hung_task_reports;

#endif
