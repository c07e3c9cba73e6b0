/*
 * Oops reports and backtraces (Linux: arch/x86/kernel/dumpstack.c).
 *
 * die() prints what Linux prints for a fatal kernel exception: the reason
 * line with the error code, the CPU and task, RIP as a symbol, the code bytes
 * around RIP, every register, the control registers, and a call trace found
 * by following the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer). Every read of memory that might be bad goes
 * through a fault-tolerant probe, so a broken stack cannot turn the report
 * into a second fault. Then panic().
 */
#include <kernel/kernel.h>
#include <kernel/kallsyms.h>
#include <kernel/preempt.h>
#include <arch/ptrace.h>
#include <arch/traps.h>
#include <arch/extable.h>
#include <arch/processor.h>
#include <arch/irqflags.h>
#include <arch/page.h>
#include <kernel/sched.h>

static int die_counter;

static bool probe_read_ulong(unsigned long addr, unsigned long *val)
{
	u8 *b = (u8 *)val;
	for (int i = 0; i < 8; i++)
		if (probe_read_u8((const void *)(addr + i), &b[i]))
			return false;
	return true;
}

static bool kernel_text_address(unsigned long a)
{
	return a >= (unsigned long)_text && a < (unsigned long)_etext;
}

static void print_address(unsigned long ret, bool reliable, const char *lvl)
{
	/*
	 * ret follows a call instruction; name the function of ret - 1 (a call
	 * can be a function's last instruction) but print ret's own offset.
	 */
	unsigned long off, size;
	const char *name = kallsyms_lookup(ret - 1, &size, &off);

	if (name)
		printk("%s %s%s+0x%lx/0x%lx\n", lvl, reliable ? "" : "? ", name, off + 1, size);
	else
		printk("%s %s0x%lx\n", lvl, reliable ? "" : "? ", ret);
}

/*
 * Like Linux's frame-pointer unwinder: scan the stack upwards from sp and
 * print every word that looks like a return address into kernel text. Words
 * found where the frame-pointer chain says a return address lives are
 * reliable; the others (stale values, or the caller of a leaf function that
 * made no frame) are printed with "? ". The scan ends with the chain (the
 * first frame's saved %rbp is 0), at a word that cannot be read, or after
 * one kernel stack's worth of words.
 */
#define MAX_TRACE_LINES 48

void show_trace(unsigned long sp, unsigned long bp, const char *lvl)
{
	unsigned long word;
	int lines = 0;

	printk("%sCall Trace:\n", lvl);
	printk("%s <TASK>\n", lvl);
	if (!probe_read_ulong(sp, &word))
		sp = bp;	/* sp itself is bad (a stack overflow): start from the frame chain */
	for (unsigned long a = sp & ~7UL; a < (sp & ~7UL) + 16384; a += 8) {
		if (a < PAGE_OFFSET || !probe_read_ulong(a, &word))
			break;
		if (lines++ == MAX_TRACE_LINES) {
			printk("%s ...\n", lvl);
			break;
		}
		if (!kernel_text_address(word)) {
			lines--;
			continue;
		}
		bool reliable = bp && a == bp + 8;
		print_address(word, reliable, lvl);
		if (reliable) {
			unsigned long next;
			if (!probe_read_ulong(bp, &next) || next <= bp)
				break;	/* end of the chain: frames only go up the stack */
			bp = next;
		}
	}
	printk("%s </TASK>\n", lvl);
}

/* "CPU: 0 PID: 1 Comm: init Not tainted 0.1 #1", as every Linux report starts. */
void dump_stack_print_info(const char *lvl)
{
	struct task_struct *p = current;

	printk("%sCPU: %u PID: %d Comm: %.20s %s %s #1\n", lvl, smp_processor_id(), p->pid, p->comm,
		 print_tainted(), FOLIO_VERSION);
}

void dump_stack_lvl(const char *lvl)
{
	unsigned long sp;

	__asm__ __volatile__("mov %%rsp, %0" : "=r"(sp));
	dump_stack_print_info(lvl);
	show_trace(sp, (unsigned long)__builtin_frame_address(0), lvl);
}

/* At the default level, as Linux's: a console quieter than that (loglevel=4, quiet) hides it. */
void dump_stack(void)
{
	dump_stack_lvl(KERN_DEFAULT);
}

/* "Code: 48 89 e5 ... <0f> 0b ..." 42 bytes before RIP and 22 from it, as Linux's show_opcodes(). */
static void show_opcodes(unsigned long ip)
{
	char line[256];
	int n = scnprintf(line, sizeof(line), "Code: ");

	for (unsigned long a = ip - 42; a < ip + 22; a++) {
		u8 b;
		if (probe_read_u8((const void *)a, &b)) {
			pr_emerg("Code: Unable to access opcode bytes at %#018lx.\n", ip - 42);
			return;
		}
		n += scnprintf(line + n, sizeof(line) - n, a == ip ? "<%02x> " : "%02x ", b);
	}
	pr_emerg("%s\n", line);
}

void show_regs(struct pt_regs *regs)
{
	char sym[128];
	unsigned short ds, es, fs, gs;

	__asm__ __volatile__("mov %%ds, %0; mov %%es, %1; mov %%fs, %2; mov %%gs, %3"
			     : "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
	sprint_symbol(sym, sizeof(sym), regs->ip);
	pr_emerg("RIP: %04lx:%s\n", regs->cs & 0xffff, sym);
	show_opcodes(regs->ip);
	pr_emerg("RSP: %04lx:%016lx EFLAGS: %08lx\n", regs->ss & 0xffff, regs->sp, regs->flags);
	pr_emerg("RAX: %016lx RBX: %016lx RCX: %016lx\n", regs->rax, regs->rbx, regs->rcx);
	pr_emerg("RDX: %016lx RSI: %016lx RDI: %016lx\n", regs->rdx, regs->rsi, regs->rdi);
	pr_emerg("RBP: %016lx R08: %016lx R09: %016lx\n", regs->rbp, regs->r8, regs->r9);
	pr_emerg("R10: %016lx R11: %016lx R12: %016lx\n", regs->r10, regs->r11, regs->r12);
	pr_emerg("R13: %016lx R14: %016lx R15: %016lx\n", regs->r13, regs->r14, regs->r15);
	pr_emerg("FS:  %016llx(%04x) GS:%016llx(%04x) knlGS:%016llx\n", rdmsr(MSR_FS_BASE), fs,
		 rdmsr(MSR_GS_BASE), gs, rdmsr(MSR_KERNEL_GS_BASE));
	pr_emerg("CS:  %04lx DS: %04x ES: %04x CR0: %016lx\n", regs->cs & 0xffff, ds, es, read_cr0());
	pr_emerg("CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr2(), read_cr3(), read_cr4());
}

__noreturn void die(const char *str, struct pt_regs *regs, unsigned long err)
{
	local_irq_disable();
	oops_in_progress = true;
	pr_emerg("%s: %04lx [#%d] SMP NOPTI\n", str, err & 0xffff, ++die_counter);
	dump_stack_print_info(KERN_EMERG);
	show_regs(regs);
	show_trace(regs->sp, regs->rbp, KERN_EMERG);
	add_taint(TAINT_DIE);
	panic(in_hardirq() ? "Fatal exception in interrupt" : "Fatal exception");
}
