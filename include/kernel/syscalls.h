/*
 * Defining system calls (Linux: include/linux/syscalls.h, x86's
 * asm/syscall_wrapper.h). SYSCALL_DEFINEn(name, type1, arg1, ...) defines
 * the body with typed arguments, plus a wrapper that takes the arguments from
 * the saved user registers (rdi, rsi, rdx, r10, r8, r9, Linux's order) and a
 * record in the .syscalls section, from which the syscall table is built at
 * boot (kernel/sys.c): a new syscall is one SYSCALL_DEFINE, no table to edit.
 * The number comes from __NR_name in include/uapi/unistd.h.
 */
#ifndef _KERNEL_SYSCALLS_H
#define _KERNEL_SYSCALLS_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <arch/ptrace.h>
#include <uapi/unistd.h>

typedef long (*syscall_fn_t)(const struct pt_regs *regs);

struct syscall_meta {
	unsigned int nr;
	const char *name;
	syscall_fn_t fn;
};

#define __SC_REG0 rdi
#define __SC_REG1 rsi
#define __SC_REG2 rdx
#define __SC_REG3 r10
#define __SC_REG4 r8
#define __SC_REG5 r9

#define __SYSCALL_META(name) \
	static const struct syscall_meta __syscall_meta_##name __used __section(".syscalls") __aligned(8) = \
		{ __NR_##name, #name, __x64_sys_##name }

#define SYSCALL_DEFINE0(name) \
	static long __do_sys_##name(void); \
	static long __x64_sys_##name(const struct pt_regs *regs) { (void)regs; return __do_sys_##name(); } \
	__SYSCALL_META(name); \
	static long __do_sys_##name(void)

#define __SC_ARG(regs, t, n) ((t)(regs)->__SC_REG##n)
#define SYSCALL_DEFINE1(name, t1, a1) \
	static long __do_sys_##name(t1 a1); \
	static long __x64_sys_##name(const struct pt_regs *regs) \
	{ return __do_sys_##name(__SC_ARG(regs, t1, 0)); } \
	__SYSCALL_META(name); \
	static long __do_sys_##name(t1 a1)
#define SYSCALL_DEFINE2(name, t1, a1, t2, a2) \
	static long __do_sys_##name(t1 a1, t2 a2); \
	static long __x64_sys_##name(const struct pt_regs *regs) \
	{ return __do_sys_##name(__SC_ARG(regs, t1, 0), __SC_ARG(regs, t2, 1)); } \
	__SYSCALL_META(name); \
	static long __do_sys_##name(t1 a1, t2 a2)
#define SYSCALL_DEFINE3(name, t1, a1, t2, a2, t3, a3) \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3); \
	static long __x64_sys_##name(const struct pt_regs *regs) \
	{ return __do_sys_##name(__SC_ARG(regs, t1, 0), __SC_ARG(regs, t2, 1), __SC_ARG(regs, t3, 2)); } \
	__SYSCALL_META(name); \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3)
#define SYSCALL_DEFINE4(name, t1, a1, t2, a2, t3, a3, t4, a4) \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4); \
	static long __x64_sys_##name(const struct pt_regs *regs) \
	{ return __do_sys_##name(__SC_ARG(regs, t1, 0), __SC_ARG(regs, t2, 1), __SC_ARG(regs, t3, 2), \
				 __SC_ARG(regs, t4, 3)); } \
	__SYSCALL_META(name); \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4)
#define SYSCALL_DEFINE5(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5); \
	static long __x64_sys_##name(const struct pt_regs *regs) \
	{ return __do_sys_##name(__SC_ARG(regs, t1, 0), __SC_ARG(regs, t2, 1), __SC_ARG(regs, t3, 2), \
				 __SC_ARG(regs, t4, 3), __SC_ARG(regs, t5, 4)); } \
	__SYSCALL_META(name); \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)
#define SYSCALL_DEFINE6(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6); \
	static long __x64_sys_##name(const struct pt_regs *regs) \
	{ return __do_sys_##name(__SC_ARG(regs, t1, 0), __SC_ARG(regs, t2, 1), __SC_ARG(regs, t3, 2), \
				 __SC_ARG(regs, t4, 3), __SC_ARG(regs, t5, 4), __SC_ARG(regs, t6, 5)); } \
	__SYSCALL_META(name); \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)

/* Syscalls that need the whole register frame (fork, execve, rt_sigreturn, clone) use this. */
#define SYSCALL_DEFINE_REGS(name) \
	static long __x64_sys_##name(const struct pt_regs *regs); \
	__SYSCALL_META(name); \
	static long __x64_sys_##name(const struct pt_regs *regs)

/* The SYSCALL_DEFINE records, as the linker collects them. */
extern const struct syscall_meta __start_syscalls[], __stop_syscalls[];
extern char entry_SYSCALL_64[];		/* the syscall instruction's entry (arch/x86_64/entry.asm) */
void syscall_init(void);		/* build the table, program the syscall MSRs */
/* Called from the entry code; returns true if the fast sysret return is safe. */
bool do_syscall_64(struct pt_regs *regs);

#endif
