/*
 * Wait queues (Linux: include/linux/wait.h). A task that must wait for a
 * condition queues itself, sets its state, checks the condition once more
 * and only then sleeps; the waker makes the condition true and then wakes
 * the queue. Because the state is set (with a barrier) before the last
 * check, and a wake-up sets it back to TASK_RUNNING, a wake-up that lands
 * between the check and schedule() is not lost: schedule() sees RUNNING and
 * returns at once. wq_head->lock (irqsave) guards the queue.
 */
#ifndef _KERNEL_WAIT_H
#define _KERNEL_WAIT_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/timer.h>
#include <kernel/sched.h>
#include <uapi/errno.h>

#define WQ_FLAG_EXCLUSIVE 0x01

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int mode);

struct wait_queue_entry {
	unsigned int flags;
	struct task_struct *private;
	wait_queue_func_t func;
	struct list_head entry;
};

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ .lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode);
#define DEFINE_WAIT(name) \
	struct wait_queue_entry name = { .private = current, .func = default_wake_function, \
					 .entry = LIST_HEAD_INIT(name.entry) }

void init_waitqueue_head(struct wait_queue_head *wq);
void init_wait_entry(struct wait_queue_entry *wq_entry, unsigned int flags);
void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry);
void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry);
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry, int state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry, int state);
/* Queue, set state; returns -ERESTARTSYS instead if a signal would interrupt that state. */
long prepare_to_wait_event(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry, int state);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wq_entry);
/* Wake every non-exclusive waiter and up to nr_exclusive exclusive ones. */
void __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive);
bool waitqueue_active(struct wait_queue_head *wq);

#define wake_up(wq) __wake_up(wq, TASK_NORMAL, 1)
#define wake_up_all(wq) __wake_up(wq, TASK_NORMAL, 0)
#define wake_up_interruptible(wq) __wake_up(wq, TASK_INTERRUPTIBLE, 1)
#define wake_up_interruptible_all(wq) __wake_up(wq, TASK_INTERRUPTIBLE, 0)

#define ERESTARTSYS 512		/* kernel-internal: the syscall may be restarted */

/*
 * The one loop behind every wait_event*(). As in Linux, the wait_event
 * macros take the queue head itself (wait_event(wq, cond)), not a pointer. `cmd` sleeps (schedule() or
 * schedule_timeout()); the result is 0, -ERESTARTSYS on a signal, or what
 * the timeout variants return.
 */
#define ___wait_event(wq, condition, state, exclusive, ret, cmd) ({		\
	struct wait_queue_entry __wq_entry;					\
	long __ret = ret;							\
	might_sleep();								\
	init_wait_entry(&__wq_entry, exclusive ? WQ_FLAG_EXCLUSIVE : 0);	\
	for (;;) {								\
		long __int = prepare_to_wait_event(&(wq), &__wq_entry, state);	\
		if (condition)							\
			break;							\
		if (__int) {							\
			__ret = __int;						\
			break;							\
		}							\
		cmd;								\
	}									\
	finish_wait(&(wq), &__wq_entry);					\
	__ret;									\
})

#define wait_event(wq, condition) do { if (!(condition)) \
	(void)___wait_event(wq, condition, TASK_UNINTERRUPTIBLE, 0, 0, schedule()); } while (0)
#define wait_event_idle(wq, condition) do { if (!(condition)) \
	(void)___wait_event(wq, condition, TASK_IDLE, 0, 0, schedule()); } while (0)
#define wait_event_interruptible(wq, condition) ({ long __r = 0;			\
	if (!(condition))							\
		__r = ___wait_event(wq, condition, TASK_INTERRUPTIBLE, 0, 0, schedule());	\
	__r; })
#define wait_event_killable(wq, condition) ({ long __r = 0;				\
	if (!(condition))							\
		__r = ___wait_event(wq, condition, TASK_KILLABLE, 0, 0, schedule());	\
	__r; })

/* Timeout variants return 0 if the time ran out with the condition false, else the jiffies left (at least 1). */
#define ___wait_cond_timeout(condition) ({ bool __c = (condition); \
	if (__c && !__ret) \
		__ret = 1; \
	__c || !__ret; })
#define wait_event_timeout(wq, condition, timeout) ({ long __ret = (timeout); \
	if (!___wait_cond_timeout(condition)) \
		__ret = ___wait_event(wq, ___wait_cond_timeout(condition), TASK_UNINTERRUPTIBLE, 0, \
				      timeout, __ret = schedule_timeout(__ret)); \
	__ret; })
#define wait_event_interruptible_timeout(wq, condition, timeout) ({ long __ret = (timeout); \
	if (!___wait_cond_timeout(condition)) \
		__ret = ___wait_event(wq, ___wait_cond_timeout(condition), TASK_INTERRUPTIBLE, 0, \
				      timeout, __ret = schedule_timeout(__ret)); \
	__ret; })

#endif
