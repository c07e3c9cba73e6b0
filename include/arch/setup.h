/*
 * What the boot code and the kernel's C entry share (Linux:
 * arch/x86/include/asm/setup.h). boot/head64.asm switches to boot_stack
 * (kernel/main.c) and calls x86_64_start_kernel(); the boot CPU's idle task
 * keeps that stack as its own (init_task, kernel/sched/core.c).
 */
#ifndef _ARCH_SETUP_H
#define _ARCH_SETUP_H

#include <kernel/types.h>
#include <kernel/compiler.h>

extern char boot_stack[];		/* THREAD_SIZE bytes */
extern char *boot_stack_top;
__noreturn void x86_64_start_kernel(u32 magic, u32 info);

#endif
