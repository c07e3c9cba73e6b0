/* The hand-off wait of the sleeping locks; see include/kernel/lock_waiter.h. */
#include <kernel/kernel.h>
#include <kernel/lock_waiter.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <uapi/errno.h>

int __sched lock_wait_handoff(spinlock_t *wait_lock, unsigned long *flags, struct list_head *wait_list,
		      struct lock_waiter *w, unsigned int state, const void *lock, const char *type)
{
	int ret = 0;

	w->task = current;
	w->granted = false;
	list_add_tail(&w->list, wait_list);
	current->blocked_on = lock;
	current->blocked_on_type = type;
	for (;;) {
		set_current_state(state);
		if (w->granted)
			break;
		if (signal_pending_state(state, current)) {
			list_del(&w->list);
			ret = -EINTR;
			break;
		}
		spin_unlock_irqrestore(wait_lock, *flags);
		schedule();
		spin_lock_irqsave(wait_lock, *flags);
	}
	__set_current_state(TASK_RUNNING);
	current->blocked_on = NULL;
	return ret;
}
