/*
 * struct pt_regs: the register frame every exception and interrupt stub in
 * arch/x86_64/entry.asm pushes, in Linux's order (asm/ptrace.h).
 */
#ifndef _ARCH_PTRACE_H
#define _ARCH_PTRACE_H

#include <kernel/types.h>

struct pt_regs {
	unsigned long r15, r14, r13, r12, rbp, rbx;
	unsigned long r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi;
	unsigned long orig_ax;	/* vector number for exceptions and IRQs */
	unsigned long error_code;
	/* pushed by the CPU */
	unsigned long ip, cs, flags, sp, ss;
};

static inline bool user_mode(const struct pt_regs *r) { return (r->cs & 3) == 3; }

#endif
