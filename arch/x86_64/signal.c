/*
 * Signal delivery, x86-64 part (Linux: arch/x86/kernel/signal.c,
 * signal_64.c, fpu/signal.c): the rt signal frame a handler runs on,
 * restarting the system call a signal interrupted, and rt_sigreturn.
 *
 * On every return to user mode with TIF_SIGPENDING set,
 * arch_do_signal_or_restart() asks get_signal() (kernel/signal.c) for a
 * signal with a handler. If there is one, the interrupted context (general
 * registers, flags, the FPU/SSE state as an fxsave image, the signal mask to
 * restore, the alternate stack settings) is written to the user stack as
 * Linux lays it out (include/arch/sigframe.h), and the registers are set to
 * enter the handler: rdi = sig, rsi = &info, rdx = &uc, rax = 0. The handler
 * starts with a clean FPU state (MXCSR default, x87 empty), as in Linux. If
 * the frame cannot be written, the process gets SIGSEGV instead.
 *
 * Restarts: a syscall interrupted by a signal returns -ERESTARTSYS,
 * -ERESTARTNOINTR, -ERESTARTNOHAND or -ERESTART_RESTARTBLOCK. With no
 * handler to run it is restarted: rip goes back over the 2-byte syscall
 * instruction and rax gets the syscall number again. With a handler it
 * becomes -EINTR, except -ERESTARTNOINTR always, and -ERESTARTSYS with
 * SA_RESTART, which restart. Only pt_regs of a syscall carry a result: the
 * entry code stores the vector in orig_ax for interrupts and exceptions, so
 * do_syscall_64() marks current->in_syscall instead of Linux's "orig_ax is
 * not -1"; this code and rt_sigreturn clear it once the result is settled.
 * Linux restarts -ERESTART_RESTARTBLOCK through restart_syscall() with the
 * remaining time; Folio reruns the call itself (nanosleep sleeps its full
 * time again).
 *
 * No locks here: the frame belongs to current, and the pending and blocked
 * sets are changed through kernel/signal.c under siglock.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/desc.h>
#include <arch/extable.h>
#include <arch/processor.h>
#include <arch/ptrace.h>
#include <arch/sigframe.h>

#define X86_EFLAGS_CF (1UL << 0)
#define X86_EFLAGS_PF (1UL << 2)
#define X86_EFLAGS_AF (1UL << 4)
#define X86_EFLAGS_ZF (1UL << 6)
#define X86_EFLAGS_SF (1UL << 7)
#define X86_EFLAGS_TF (1UL << 8)
#define X86_EFLAGS_DF (1UL << 10)
#define X86_EFLAGS_OF (1UL << 11)
#define X86_EFLAGS_RF (1UL << 16)
#define X86_EFLAGS_AC (1UL << 18)
/* The flags user code may change and sigreturn restores; IF and the privileged ones stay the kernel's. */
#define FIX_EFLAGS (X86_EFLAGS_AC | X86_EFLAGS_OF | X86_EFLAGS_DF | X86_EFLAGS_TF | X86_EFLAGS_SF | \
		    X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF | X86_EFLAGS_CF | X86_EFLAGS_RF)

#define MXCSR_DEFAULT 0x1f80
#define X86_TRAP_PF 14

/* The ABI, byte for byte (the frame's own structs are checked beside their definitions). */
BUILD_BUG_ON(sizeof(struct k_sigaction) != 32);

/* ---------------------------------------------------------------- FPU state */

static u32 mxcsr_feature_mask;	/* the MXCSR bits this CPU accepts */

/*
 * fxsave/fxrstor want a 16-byte aligned image. Kernel stacks are not
 * 16-aligned at every call (a kernel thread's starts 8 off), so the
 * compiler's __aligned(16) on a local cannot be trusted: align by hand.
 */
#define DEFINE_FXBUF(name) \
	u8 name##_buf[sizeof(struct _fpstate_64) + 15]; \
	struct _fpstate_64 *name = (struct _fpstate_64 *)ALIGN((unsigned long)name##_buf, 16)

static void fxsave(struct _fpstate_64 *fx)
{
	__asm__ __volatile__("fxsave64 %0" : "=m"(*fx));
}

static u32 get_mxcsr_feature_mask(void)
{
	if (!READ_ONCE(mxcsr_feature_mask)) {
		DEFINE_FXBUF(fx);
		memset(fx, 0, sizeof(*fx));
		fxsave(fx);
		WRITE_ONCE(mxcsr_feature_mask, fx->mxcsr_mask ? fx->mxcsr_mask : 0xffbf);
	}
	return mxcsr_feature_mask;
}

/* fxrstor that reports a fault (a malformed image) instead of oopsing: 0 or PROBE_FAULT(vector). */
static int fxrstor_safe(const struct _fpstate_64 *fx)
{
	int err = 0;

	__asm__ __volatile__("1: fxrstor64 %1\n"
			     "2:\n"
			     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
			     : "+d"(err) : "m"(*fx) : "memory");
	return err;
}

/* The state a handler (or a frame without fpstate) starts from: Linux's init_fpstate. */
static void fpu_load_init(void)
{
	DEFINE_FXBUF(fx);

	memset(fx, 0, sizeof(*fx));
	fx->cwd = 0x37f;
	fx->mxcsr = MXCSR_DEFAULT;
	fxrstor_safe(fx);
}

/*
 * The user's FPU registers are live while it runs in the kernel (they are
 * saved to current->fpu only when it is switched out, and restored when it
 * comes back), so fxsave/fxrstor on the CPU act on current's state.
 */
static int save_fpstate_to_user(unsigned long ufx)
{
	DEFINE_FXBUF(fx);

	fxsave(fx);
	memset(fx->sw_reserved, 0, sizeof(fx->sw_reserved));	/* no XSAVE magic: a plain fxsave frame */
	return copy_to_user((void __user *)ufx, fx, sizeof(*fx)) ? -EFAULT : 0;
}

static int restore_fpstate_from_user(unsigned long ufx)
{
	DEFINE_FXBUF(fx);

	if (!ufx) {
		fpu_load_init();
		return 0;
	}
	if (copy_from_user(fx, (const void __user *)ufx, sizeof(*fx)))
		return -EFAULT;
	fx->mxcsr &= get_mxcsr_feature_mask();	/* reserved MXCSR bits would #GP (Linux masks them too) */
	if (fxrstor_safe(fx)) {
		fpu_load_init();
		return -EFAULT;
	}
	return 0;
}

/* ------------------------------------------------------------- the frame */

unsigned long get_sigframe(const struct k_sigaction *ka, const struct pt_regs *regs, unsigned long *fpstate)
{
	struct task_struct *t = current;
	bool nested_altstack = on_sig_stack(regs->sp), entering_altstack = false;
	unsigned long sp = regs->sp - 128;	/* the red zone: leaf code's scratch below rsp */

	if ((ka->sa_flags & SA_ONSTACK) && sas_ss_flags(sp) == 0) {
		sp = t->sas_ss_sp + t->sas_ss_size;
		entering_altstack = true;
	}
	sp = (sp - sizeof(struct _fpstate_64)) & ~63UL;
	*fpstate = sp;
	sp = ((sp - sizeof(struct rt_sigframe)) & ~15UL) - 8;	/* as if called: rsp + 8 16-aligned */
	/* Overflowing the alternate stack: an always-bad address, so the process dies of SIGSEGV. */
	if ((nested_altstack || entering_altstack) &&
	    !(sp > t->sas_ss_sp && sp - t->sas_ss_sp <= t->sas_ss_size))
		return -1UL;
	return sp;
}

static bool is_fault_signal(const struct ksignal *ksig)
{
	return (ksig->sig == SIGSEGV || ksig->sig == SIGBUS) && ksig->info.code > 0 &&
	       ksig->info.code < SI_KERNEL;
}

static void setup_sigcontext(struct sigcontext *sc, const struct pt_regs *regs, unsigned long fpstate,
			     sigset_t mask, const struct ksignal *ksig)
{
	sc->r8 = regs->r8;
	sc->r9 = regs->r9;
	sc->r10 = regs->r10;
	sc->r11 = regs->r11;
	sc->r12 = regs->r12;
	sc->r13 = regs->r13;
	sc->r14 = regs->r14;
	sc->r15 = regs->r15;
	sc->rdi = regs->rdi;
	sc->rsi = regs->rsi;
	sc->rbp = regs->rbp;
	sc->rbx = regs->rbx;
	sc->rdx = regs->rdx;
	sc->rax = regs->rax;
	sc->rcx = regs->rcx;
	sc->rsp = regs->sp;
	sc->rip = regs->ip;
	sc->eflags = regs->flags;
	sc->cs = __USER_CS;
	sc->ss = __USER_DS;
	if (is_fault_signal(ksig)) {	/* Linux also saves the page fault's error code; Folio does not keep it */
		sc->trapno = X86_TRAP_PF;
		sc->cr2 = current->fault_addr;
	}
	sc->oldmask = mask;
	sc->fpstate = fpstate;
}

static int setup_rt_frame(struct ksignal *ksig, struct pt_regs *regs)
{
	struct rt_sigframe frame;
	unsigned long fpstate, uframe = get_sigframe(&ksig->ka, regs, &fpstate);
	sigset_t mask = sigmask_to_save();

	/* x86-64 has no vsyscall restorer: the C library always gives one (musl and glibc do). */
	if (!(ksig->ka.sa_flags & SA_RESTORER))
		return -EFAULT;
	/* iretq to a kernel or non-canonical rip would fault in ring 0: refuse, as a bad frame (SIGSEGV). */
	if ((unsigned long)ksig->ka.sa_handler >= TASK_SIZE_MAX)
		return -EFAULT;
	if (save_fpstate_to_user(fpstate))
		return -EFAULT;
	memset(&frame, 0, sizeof(frame));
	frame.pretcode = ksig->ka.sa_restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	save_altstack(&frame.uc.uc_stack, regs->sp);
	setup_sigcontext(&frame.uc.uc_mcontext, regs, fpstate, mask, ksig);
	frame.uc.uc_sigmask = mask;
	fill_siginfo(&frame.info, ksig);
	if (copy_to_user((void __user *)uframe, &frame, sizeof(frame)))
		return -EFAULT;

	/* LAB signals */
	regs->rdi = ksig->sig;
	regs->rax = 0;		/* for handlers declared without a prototype (varargs) */
	regs->rsi = uframe + offsetof(struct rt_sigframe, info);
	regs->rdx = uframe + offsetof(struct rt_sigframe, uc);
	regs->ip = (unsigned long)ksig->ka.sa_handler;
	regs->sp = uframe;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	/* END LAB */
	return 0;
}

/* The syscall's error in rax, or 0 if it succeeded. */
static long syscall_get_error(const struct pt_regs *regs)
{
	long err = (long)regs->rax;

	return err < 0 && err >= -MAX_ERRNO ? err : 0;
}

static void handle_signal(struct ksignal *ksig, struct pt_regs *regs)
{
	/* LAB signals */
	if (current->in_syscall) {
		current->in_syscall = false;
		switch (syscall_get_error(regs)) {
		case -ERESTART_RESTARTBLOCK:
		case -ERESTARTNOHAND:
			regs->rax = -EINTR;
			break;
		case -ERESTARTSYS:
			if (!(ksig->ka.sa_flags & SA_RESTART)) {
				regs->rax = -EINTR;
				break;
			}
			/* fall through */
		case -ERESTARTNOINTR:
			regs->rax = regs->orig_ax;
			regs->ip -= 2;
			break;
		}
	}
	/* END LAB */
	int failed = setup_rt_frame(ksig, regs) < 0;
	if (!failed) {
		/* The ABI wants DF clear at function entry; TF and RF would trap inside the handler. */
		regs->flags &= ~(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
		fpu_load_init();
	}
	signal_setup_done(failed, ksig);
}

void arch_do_signal_or_restart(struct pt_regs *regs)
{
	struct ksignal ksig;

	if (get_signal(&ksig)) {
		handle_signal(&ksig, regs);
		return;
	}
	/* Nothing to run: a syscall that wanted to be restarted is. */
	if (current->in_syscall) {
		current->in_syscall = false;
		switch (syscall_get_error(regs)) {
		case -ERESTARTNOHAND:
		case -ERESTARTSYS:
		case -ERESTARTNOINTR:
		case -ERESTART_RESTARTBLOCK:
			regs->rax = regs->orig_ax;
			regs->ip -= 2;
			break;
		}
	}
	restore_saved_sigmask();
}

/* -------------------------------------------------------------- sigreturn */

static bool canonical(unsigned long a)
{
	return (long)(a << 16) >> 16 == (long)a;
}

static int restore_sigcontext(struct pt_regs *regs, const struct sigcontext *sc)
{
	/* LAB signals */
	regs->r8 = sc->r8;
	regs->r9 = sc->r9;
	regs->r10 = sc->r10;
	regs->r11 = sc->r11;
	regs->r12 = sc->r12;
	regs->r13 = sc->r13;
	regs->r14 = sc->r14;
	regs->r15 = sc->r15;
	regs->rdi = sc->rdi;
	regs->rsi = sc->rsi;
	regs->rbp = sc->rbp;
	regs->rbx = sc->rbx;
	regs->rdx = sc->rdx;
	regs->rax = sc->rax;
	regs->rcx = sc->rcx;
	regs->sp = sc->rsp;
	regs->ip = sc->rip;
	regs->flags = (regs->flags & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
	/* Folio has one user code and one user stack segment: no 32-bit or custom selectors. */
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	/* END LAB */
	/* Linux takes the #GP of iretq to a non-canonical rip and signals; Folio refuses it here. */
	if (!canonical(regs->ip))
		return -EFAULT;
	return restore_fpstate_from_user(sc->fpstate);
}

/*
 * The handler returned into sa_restorer, which popped nothing but the
 * return address and made this call: the frame starts 8 bytes below rsp.
 * Everything comes back as it was, rax included, so the return value is
 * the restored rax. A frame that cannot be read or is malformed: SIGSEGV.
 */
SYSCALL_DEFINE_REGS(rt_sigreturn)
{
	static unsigned long last_report;
	struct pt_regs *r = (struct pt_regs *)regs;
	unsigned long uframe = regs->sp - sizeof(long);
	struct ucontext uc;

	current->in_syscall = false;	/* rax is the restored register now, not a result to restart */
	if (copy_from_user(&uc, (const void __user *)(uframe + offsetof(struct rt_sigframe, uc)), sizeof(uc)))
		goto badframe;
	set_current_blocked(uc.uc_sigmask);
	if (restore_sigcontext(r, &uc.uc_mcontext))
		goto badframe;
	restore_altstack(&uc.uc_stack, r->sp);
	return r->rax;

badframe:
	if (!last_report || jiffies - last_report >= HZ / 10) {	/* rate-limited, as Linux's */
		last_report = jiffies;
		pr_info("%s[%d] bad frame in rt_sigreturn frame:%lx ip:%lx sp:%lx\n", current->comm,
			current->pid, uframe, r->ip, r->sp);
	}
	force_sig(SIGSEGV);
	return 0;
}
