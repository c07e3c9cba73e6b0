/*
 * Exception handling (Linux: arch/x86/kernel/traps.c).
 *
 * x86_dispatch() is the C side of every vector. Exceptions in kernel mode
 * are first offered to the fixup table (an access that may fault on purpose
 * resumes at its landing address); anything else is a kernel bug and ends in
 * die(): an oops report as Linux prints it, then a panic. User-mode
 * exceptions become signals for the program (do_user_trap()).
 * No locks: handlers run with interrupts off on the CPU that faulted.
 */
#include <kernel/kernel.h>
#include <arch/ptrace.h>
#include <arch/traps.h>
#include <arch/extable.h>
#include <arch/processor.h>
#include <arch/irq.h>
#include <arch/desc.h>
#include <arch/page.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/preempt.h>
#include <kernel/entry-common.h>

unsigned long exception_counts[32];

/*
 * Each vector: the name Linux's die() prints for it, the signal and si_code
 * a user-mode exception gets (a vector with none gets SIGSEGV, SI_KERNEL),
 * as Linux's handlers send them, and how Linux logs a user-mode one that
 * kills: TRAP_LOG_TRAP for the vectors its do_trap() reports ("trap int3"),
 * TRAP_LOG_NONE for those it sends silently (debug, math errors).
 */
enum { TRAP_LOG_PLAIN, TRAP_LOG_TRAP, TRAP_LOG_NONE };
static const struct {
	const char *name;
	int sig, code, log;
} traps[32] = {
	[X86_TRAP_DE] = { "divide error", SIGFPE, FPE_INTDIV, TRAP_LOG_TRAP },
	[X86_TRAP_DB] = { "debug", SIGTRAP, TRAP_TRACE, TRAP_LOG_NONE },
	[X86_TRAP_NMI] = { "NMI" },
	[X86_TRAP_BP] = { "int3", SIGTRAP, SI_KERNEL, TRAP_LOG_TRAP },
	[X86_TRAP_OF] = { "overflow", SIGSEGV, SI_KERNEL, TRAP_LOG_TRAP },
	[X86_TRAP_BR] = { "bounds", SIGSEGV, SI_KERNEL, TRAP_LOG_TRAP },
	[X86_TRAP_UD] = { "invalid opcode", SIGILL, ILL_ILLOPN, TRAP_LOG_TRAP },
	[X86_TRAP_NM] = { "device not available", SIGSEGV, SI_KERNEL },
	[X86_TRAP_DF] = { "double fault" },
	[9] = { "coprocessor segment overrun", 0, 0, TRAP_LOG_TRAP },
	[X86_TRAP_TS] = { "invalid TSS", 0, 0, TRAP_LOG_TRAP },
	[X86_TRAP_NP] = { "segment not present", SIGBUS, SI_KERNEL, TRAP_LOG_TRAP },
	[X86_TRAP_SS] = { "stack segment", SIGBUS, SI_KERNEL, TRAP_LOG_TRAP },
	[X86_TRAP_GP] = { "general protection fault", SIGSEGV, SI_KERNEL },
	[X86_TRAP_PF] = { "page fault" },
	[X86_TRAP_MF] = { "coprocessor error", SIGFPE, 0, TRAP_LOG_NONE },
	[X86_TRAP_AC] = { "alignment check", SIGBUS, BUS_ADRALN, TRAP_LOG_TRAP },
	[X86_TRAP_MC] = { "machine check" },
	[X86_TRAP_XF] = { "SIMD coprocessor error", SIGFPE, 0, TRAP_LOG_NONE },
	[20] = { "virtualization exception" },
	[21] = { "control protection fault" },
};

static void do_double_fault(struct pt_regs *regs, unsigned long err)
{
	/*
	 * Runs on its own IST stack, because the kernel stack may be what broke:
	 * a task that runs off the bottom of its stack touches the unmapped
	 * guard page below it, and the CPU cannot push the page fault's frame
	 * there, so the #PF becomes a #DF. Say so, as Linux does.
	 */
	unsigned long cr2 = read_cr2(), stack = (unsigned long)current->stack;

	if (stack && cr2 >= stack - PAGE_SIZE && cr2 < stack) {
		pr_emerg("BUG: stack guard page was hit at %p (stack is %p..%p)\n", (void *)cr2,
			 (void *)stack, (void *)(stack + THREAD_SIZE - 1));
		die("kernel stack overflow (double-fault)", regs, err);
	}
	pr_emerg("PANIC: double fault, error_code: 0x%lx\n", err);
	die(traps[X86_TRAP_DF].name, regs, err);
}

static void do_nmi(struct pt_regs *regs)
{
	(void)regs;
	pr_emerg("Uhhuh. NMI received for unknown reason on CPU %u.\n", 0);
}

/*
 * An exception in user mode is the program's problem, not the kernel's: it
 * becomes a signal. Linux's log line ("traps: NAME[PID] ...") comes only
 * for one that kills the program, and rate-limited (its
 * show_unhandled_signals): a program that handles its traps on purpose, or
 * a flood of them, must not fill the console.
 */
static void do_user_trap(struct pt_regs *regs, unsigned int v, unsigned long err)
{
	int sig = traps[v].sig ? traps[v].sig : SIGSEGV, code = traps[v].sig ? traps[v].code : SI_KERNEL;

	if (traps[v].log != TRAP_LOG_NONE && unhandled_signal(current, sig) && printk_ratelimit())
		pr_info("traps: %s[%d] %s%s ip:%lx sp:%lx error:%lx\n", current->comm, current->pid,
			traps[v].log == TRAP_LOG_TRAP ? "trap " : "", traps[v].name ? traps[v].name : "trap",
			regs->ip, regs->sp, err);
	force_sig_fault(sig, code, v == X86_TRAP_DE || v == X86_TRAP_UD ? regs->ip : 0);
}

static void do_exception(struct pt_regs *regs)
{
	unsigned int v = regs->orig_ax;
	unsigned long err = regs->error_code;

	exception_counts[v]++;
	switch (v) {
	case X86_TRAP_PF:
		do_page_fault(regs, err, read_cr2());
		return;
	case X86_TRAP_NMI:
		do_nmi(regs);
		return;
	case X86_TRAP_DF:
		do_double_fault(regs, err);
		return;
	case X86_TRAP_UD:	/* BUG() and WARN() are ud2 with a bug-table entry */
		if (!user_mode(regs) && report_bug(regs->ip, regs) == BUG_TRAP_TYPE_WARN) {
			regs->ip += 2;	/* past the ud2: a WARN carries on */
			return;
		}
		break;
	}
	if (user_mode(regs)) {
		do_user_trap(regs, v, err);
		return;
	}
	/* int3 is a trap: ip is already past it, but the fixup table lists the int3 itself. */
	unsigned long trap_len = v == X86_TRAP_BP ? 1 : 0;
	regs->ip -= trap_len;
	if (fixup_exception(regs, v))
		return;
	regs->ip += trap_len;
	die(traps[v].name ? traps[v].name : "reserved exception", regs, err);
}

void x86_dispatch(struct pt_regs *regs)
{
	if (regs->orig_ax < 32)
		do_exception(regs);
	else
		do_irq(regs);
	/*
	 * Kernel preemption: the interrupted kernel code had interrupts on and
	 * held no spinlock (preempt_count 0), so it may be switched out here.
	 */
	if (user_mode(regs))
		exit_to_user_mode(regs);
	else if ((regs->flags & X86_EFLAGS_IF) && !preempt_count() && need_resched())
		preempt_schedule_irq();
}

void trap_init(void)
{
	gdt_init();
	idt_init();
}
