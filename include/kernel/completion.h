/* Completions: "wait until this has happened" (Linux: include/linux/completion.h). */
#ifndef _KERNEL_COMPLETION_H
#define _KERNEL_COMPLETION_H

#include <kernel/wait.h>

struct completion {
	unsigned int done;		/* UINT_MAX after complete_all() */
	struct wait_queue_head wait;	/* its lock guards done too */
};

void init_completion(struct completion *x);
void reinit_completion(struct completion *x);
void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);
int wait_for_completion_killable(struct completion *x);	/* 0 or -ERESTARTSYS */
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);

#endif
