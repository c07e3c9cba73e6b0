/*
 * Calling system calls from ktests (kernel/sys_test.c and others): SYS()
 * runs a syscall through the wrapper its SYSCALL_DEFINE registered, with a
 * pt_regs holding the arguments, found by number in the .syscalls section
 * as the syscall table is. Tests run in kernel threads, so their "user"
 * buffers are kernel memory passed inside uaccess_kernel_begin()/end():
 * KTEST_UA(name) opens that window around a test body, so that a failing
 * assertion, which returns from the body, still closes it.
 */
#ifndef _KERNEL_KTEST_SYSCALL_H
#define _KERNEL_KTEST_SYSCALL_H

#include <kernel/ktest.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <uapi/errno.h>


static inline long ktest_syscall(unsigned int nr, const unsigned long a[6])
{
	struct pt_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.orig_ax = nr;
	regs.rdi = a[0];
	regs.rsi = a[1];
	regs.rdx = a[2];
	regs.r10 = a[3];
	regs.r8 = a[4];
	regs.r9 = a[5];
	for (const struct syscall_meta *m = __start_syscalls; m < __stop_syscalls; m++)
		if (m->nr == nr)
			return m->fn(&regs);
	return -ENOSYS;
}

/* SYS(uname, A(&buf)): arguments are unsigned longs; A() casts pointers and ints. */
#define A(x) ((unsigned long)(x))
#define SYS(name, ...) ktest_syscall(__NR_##name, (const unsigned long[6]){ __VA_ARGS__ })

#define KTEST_UA(name) \
	static void name##_body(struct ktest_ctx *kt); \
	KTEST(name) { uaccess_kernel_begin(); name##_body(kt); uaccess_kernel_end(); } \
	static void name##_body(struct ktest_ctx *kt)

#endif
