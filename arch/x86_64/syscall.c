/*
 * System-call dispatch (Linux: arch/x86/entry/common.c, syscall_64.c).
 * The table is built at boot from the records SYSCALL_DEFINE leaves in the
 * .syscalls section; a number nobody defined returns -ENOSYS and is logged
 * once per number, at debug level (dmesg shows it; the console only with
 * loglevel=8): libc probes calls like rseq on every start, and that is no
 * news for the console. The table is written once at boot, read-only
 * after: no lock. The bitmap of numbers already logged is set with atomic
 * bit operations (two CPUs may hit the same number).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <kernel/entry-common.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/desc.h>
#include <arch/irqflags.h>
#include <arch/percpu.h>
#include <arch/processor.h>

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_SYSCALL_MASK 0xc0000084
#define X86_EFLAGS_TF (1UL << 8)
#define X86_EFLAGS_DF (1UL << 10)
#define X86_EFLAGS_NT (1UL << 14)
#define X86_EFLAGS_AC (1UL << 18)

BUILD_BUG_ON(sizeof(struct pt_regs) != 22 * 8);		/* PT_REGS_SIZE in switch_to.asm */
BUILD_BUG_ON(offsetof(struct pcpu, kernel_stack_top) != PCPU_KERNEL_STACK_TOP);
BUILD_BUG_ON(offsetof(struct pcpu, user_rsp) != PCPU_USER_RSP);


static syscall_fn_t sys_call_table[NR_syscalls];
static unsigned long enosys_logged[NR_syscalls / 64 + 1];

void syscall_init(void)
{
	unsigned int n = 0;

	for (const struct syscall_meta *m = __start_syscalls; m < __stop_syscalls; m++) {
		if (m->nr >= NR_syscalls || sys_call_table[m->nr])
			panic("syscall %s: number %u is out of range or taken twice", m->name, m->nr);
		sys_call_table[m->nr] = m->fn;
		n++;
	}
	wrmsr(MSR_STAR, ((u64)(__USER_DS - 8) << 48) | ((u64)__KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (u64)entry_SYSCALL_64);
	wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_NT | X86_EFLAGS_AC);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	pr_info("syscall: %u system calls, Linux x86-64 numbering\n", n);
}

static bool canonical(unsigned long a)
{
	return (long)(a << 16) >> 16 == (long)a;
}

bool do_syscall_64(struct pt_regs *regs)
{
	unsigned long nr = regs->orig_ax;

	local_irq_enable();
	current->in_syscall = true;	/* regs->rax is a result the signal code may restart */
	regs->rax = -ENOSYS;
	if (nr < NR_syscalls && sys_call_table[nr]) {
		regs->rax = sys_call_table[nr](regs);
	} else if (nr < NR_syscalls &&
		   !(__atomic_fetch_or(&enosys_logged[nr / 64], 1UL << (nr % 64), __ATOMIC_RELAXED) &
		     (1UL << (nr % 64)))) {
		pr_debug("%s[%d]: unimplemented system call %lu, returning -ENOSYS\n", current->comm,
			 current->pid, nr);
	}
	exit_to_user_mode(regs);
	current->in_syscall = false;

	/*
	 * sysret reloads rip from rcx and rflags from r11, so it is only exact if
	 * those still match, and it must never load a non-canonical rip (the #GP
	 * would hit in kernel mode with the user's stack).
	 */
	return regs->rcx == regs->ip && regs->r11 == regs->flags && canonical(regs->ip) &&
	       regs->cs == __USER_CS && regs->ss == __USER_DS &&
	       !(regs->flags & (X86_EFLAGS_TF | (1UL << 16)));	/* no trap or resume flag */
}
