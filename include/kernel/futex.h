/* Fast user-space mutexes, the kernel side (Linux: kernel/futex/). */
#ifndef _KERNEL_FUTEX_H
#define _KERNEL_FUTEX_H

#include <kernel/types.h>
#include <kernel/compiler.h>

void futex_init(void);
/* Wake up to nr waiters on the futex word at uaddr (exit's clear_child_tid). */
int futex_wake(u32 __user *uaddr, int nr);

#endif
