/*
 * wake_q: collect tasks to wake while holding a lock, wake them after
 * dropping it (Linux: include/linux/sched/wake_q.h). Each queued task holds
 * a reference, so it cannot be freed between the unlock and the wake-up.
 * A task is on at most one wake_q at a time: lock holders queue only their
 * own waiters. The functions are in kernel/sched/core.c.
 */
#ifndef _KERNEL_SCHED_WAKE_Q_H
#define _KERNEL_SCHED_WAKE_Q_H

#include <kernel/types.h>

struct task_struct;

struct wake_q_head {
	struct task_struct *first;
};
#define DEFINE_WAKE_Q(name) struct wake_q_head name = { NULL }
void wake_q_add(struct wake_q_head *q, struct task_struct *p);
void wake_up_q(struct wake_q_head *q);

#endif
