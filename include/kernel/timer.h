/*
 * Kernel timers and sleeping for a while (Linux: include/linux/timer.h,
 * kernel/time/timer.c). A timer runs its function from the tick interrupt
 * once jiffies reaches ->expires (Linux runs them in a softirq).
 */
#ifndef _KERNEL_TIMER_H
#define _KERNEL_TIMER_H

#include <kernel/types.h>
#include <kernel/list.h>

struct timer_list {
	struct list_head entry;		/* on the pending list while armed */
	unsigned long expires;
	void (*function)(struct timer_list *t);
	bool pending;
};

#define MAX_SCHEDULE_TIMEOUT LONG_MAX

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *));
void add_timer(struct timer_list *t);
int mod_timer(struct timer_list *t, unsigned long expires);	/* 1 if it was pending */
int del_timer(struct timer_list *t);				/* 1 if it was pending */
int del_timer_sync(struct timer_list *t);			/* and not running anywhere */
bool timer_pending(const struct timer_list *t);
void run_timers(void);		/* from the tick */

/* Sleep until woken or `timeout` jiffies pass; returns the jiffies left (0 on time-out). */
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_killable(long timeout);
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_idle(long timeout);
void msleep(unsigned int msecs);
unsigned long msleep_interruptible(unsigned int msecs);	/* ms left if a signal came */

#endif
