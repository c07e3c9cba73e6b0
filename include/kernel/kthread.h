/*
 * Kernel threads (Linux: include/linux/kthread.h). kthread_create() makes a
 * thread that will run threadfn(data) once woken; kthread_run() also wakes
 * it. kthread_stop() asks it to stop (kthread_should_stop() turns true),
 * wakes it and waits for threadfn to return, whose value it returns.
 * A kthread that may exit by itself must be held with get_task_struct() by
 * whoever will call kthread_stop() on it, as in Linux.
 */
#ifndef _KERNEL_KTHREAD_H
#define _KERNEL_KTHREAD_H

#include <kernel/sched.h>
#include <uapi/errno.h>

__printf(3, 4) struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
						  const char *namefmt, ...);
#define kthread_run(fn, data, ...) ({ \
	struct task_struct *__k = kthread_create(fn, data, __VA_ARGS__); \
	if (!IS_ERR(__k)) \
		wake_up_process(__k); \
	__k; })
int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);

#endif
