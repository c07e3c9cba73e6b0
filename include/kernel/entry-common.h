/*
 * The way back to user mode (Linux: include/linux/entry-common.h). The
 * syscall and interrupt exits call exit_to_user_mode() (kernel/entry_common.c)
 * before they return to a user frame.
 */
#ifndef _KERNEL_ENTRY_COMMON_H
#define _KERNEL_ENTRY_COMMON_H

struct pt_regs;

/* Reschedule and deliver signals until no work is left; returns with interrupts off. */
void exit_to_user_mode(struct pt_regs *regs);

#endif
