/*
 * Per-task CPU state beyond the general registers (Linux:
 * arch/x86/kernel/process_64.c, fpu/core.c): the FPU/SSE registers, the
 * FS base that user space uses for thread-local storage, and the register
 * frame a new user task starts from. The FPU is switched eagerly with
 * fxsave64/fxrstor64 at every switch between user tasks; kernel code never
 * touches it (-mgeneral-regs-only), so kernel threads need no save.
 * Also here: get_wchan(), where a sleeping task waits (/proc/PID/wchan).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/desc.h>
#include <arch/processor.h>
#include <arch/ptrace.h>
#include <arch/switch_to.h>

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

static struct fpu init_fpstate;		/* what a freshly exec'd program starts with */

void fpu_init(void)
{
	write_cr0((read_cr0() & ~X86_CR0_EM) | X86_CR0_MP | X86_CR0_NE);
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	u32 mxcsr = 0x1f80;		/* all exceptions masked, round to nearest */
	__asm__ __volatile__("fninit; ldmxcsr %1; fxsave64 %0" : "=m"(init_fpstate.state) : "m"(mxcsr));
}

static bool user_task(const struct task_struct *p)
{
	return !(p->flags & PF_KTHREAD);
}

/* From context_switch(), interrupts off: the FPU registers and FS base follow the task. */
void switch_to_extra(struct task_struct *prev, struct task_struct *next)
{
	if (user_task(prev))
		__asm__ __volatile__("fxsave64 %0" : "=m"(prev->fpu.state));
	if (user_task(next)) {
		__asm__ __volatile__("fxrstor64 %0" :: "m"(next->fpu.state));
		wrmsr(MSR_FS_BASE, next->fsbase);
	}
}

bool current_has_user_context(void)
{
	return user_task(current) && current->mm;
}

struct pt_regs *task_pt_regs(struct task_struct *p)
{
	return (struct pt_regs *)((char *)p->stack + THREAD_SIZE) - 1;
}

/* exec: the registers a new program starts with; everything else zero. */
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->ip = ip;
	regs->sp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->flags = X86_EFLAGS_IF;
	current->fsbase = 0;
	wrmsr(MSR_FS_BASE, 0);
	memcpy(&current->fpu, &init_fpstate, sizeof(init_fpstate));
	__asm__ __volatile__("fxrstor64 %0" :: "m"(current->fpu.state));
}

/* fork: the child's FPU state is the parent's at the time of the call. */
void copy_fpu(struct task_struct *child)
{
	__asm__ __volatile__("fxsave64 %0" : "=m"(child->fpu.state));
}

SYSCALL_DEFINE2(arch_prctl, int, code, unsigned long, addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if ((long)(addr << 16) >> 16 != (long)addr || addr >= TASK_SIZE_MAX)
			return -EPERM;	/* a non-canonical or kernel base: as Linux */
		current->fsbase = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user(current->fsbase, (unsigned long __user *)addr) ? -EFAULT : 0;
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		return -EINVAL;		/* Folio keeps %gs for the kernel's per-CPU data only */
	default:
		return -EINVAL;
	}
}

/*
 * A sleeping task's stack, from the frame __switch_to_asm saved: rbp above
 * five callee-saved registers, then the return address; each frame's rbp
 * links to the caller's. The first return address outside the __sched
 * functions is where it waits. Holding p->pi_lock keeps p from being woken
 * (and its stack from changing) meanwhile; every frame pointer is checked
 * to lie in p's stack before it is read.
 */
unsigned long get_wchan(struct task_struct *p)
{
	unsigned long start = (unsigned long)p->stack, top = start + THREAD_SIZE, ip = 0, flags;

	if (p == current || p->exit_state || !p->stack)
		return 0;
	spin_lock_irqsave(&p->pi_lock, flags);
	unsigned long sp = READ_ONCE(p->thread.sp);
	if (READ_ONCE(p->state) != TASK_RUNNING && sp >= start && sp + 7 * sizeof(long) <= top) {
		unsigned long bp = ((unsigned long *)sp)[5];
		ip = ((unsigned long *)sp)[6];
		for (int depth = 0; depth < 16 && in_sched_functions(ip); depth++) {
			if (bp < start || bp + 2 * sizeof(long) > top) {
				ip = 0;
				break;
			}
			ip = ((unsigned long *)bp)[1];
			bp = ((unsigned long *)bp)[0];
		}
		if (in_sched_functions(ip))
			ip = 0;
	}
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return ip;
}
