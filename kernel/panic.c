/*
 * panic(), BUG() and WARN() (Linux: kernel/panic.c, lib/bug.c).
 * panic() prints "Kernel panic - not syncing: <reason>", a backtrace and the
 * end marker, then powers off with POWEROFF_STATUS_PANIC so that run.sh and
 * the test runner see the failure. The taint mask records that something
 * went wrong earlier (a warning, a bad page, an oops), as Linux's does.
 */
#include <kernel/kernel.h>
#include <kernel/reboot.h>
#include <arch/irqflags.h>
#include <arch/traps.h>
#include <arch/ptrace.h>
#include <kernel/sched.h>
#include <kernel/sched/debug.h>

static unsigned long tainted_mask;

void add_taint(unsigned int flag)
{
	tainted_mask |= 1UL << flag;
}

/* "Not tainted" or "Tainted: G  B   W" in Linux's layout (one column per flag). */
const char *print_tainted(void)
{
	static char buf[32];
	static const char letters[] = "PFSRMBUDAWOEL";	/* taint flags 0..12 */

	if (!tainted_mask)
		return "Not tainted";
	int n = scnprintf(buf, sizeof(buf), "Tainted: ");
	for (unsigned int i = 0; i < sizeof(letters) - 1 && n < (int)sizeof(buf) - 1; i++)
		buf[n++] = (tainted_mask & (1UL << i)) ? letters[i] : (i == 0 ? 'G' : ' ');
	buf[n] = 0;
	return buf;
}

void panic(const char *fmt, ...)
{
	static bool in_panic;
	char buf[256];
	va_list ap;

	local_irq_disable();
	if (in_panic)		/* a fault while panicking: stop here */
		kernel_power_off(POWEROFF_STATUS_PANIC);
	in_panic = true;
	oops_in_progress = true;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_emerg("Kernel panic - not syncing: %s\n", buf);
	if (!(tainted_mask & (1UL << TAINT_DIE)))	/* an oops already showed the trace */
		dump_stack();
	show_state();	/* every task and where it is: often the real story */
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", buf);
	kernel_power_off(POWEROFF_STATUS_PANIC);
}

extern struct bug_entry __start___bug_table[], __stop___bug_table[];
unsigned long warn_count;

static struct bug_entry *find_bug(unsigned long ip)
{
	for (struct bug_entry *b = __start___bug_table; b < __stop___bug_table; b++)
		if (b->bug_addr == ip)
			return b;
	return NULL;
}

enum bug_trap_type report_bug(unsigned long ip, struct pt_regs *regs)
{
	struct bug_entry *b = find_bug(ip);

	if (!b)
		return BUG_TRAP_TYPE_NONE;
	if (!(b->flags & BUGFLAG_WARNING)) {
		pr_emerg("------------[ cut here ]------------\n");
		pr_emerg("kernel BUG at %s:%u!\n", b->file, b->line);
		return BUG_TRAP_TYPE_BUG;	/* the caller oopses: "invalid opcode" */
	}
	if (b->flags & BUGFLAG_ONCE) {
		if (b->flags & BUGFLAG_DONE)
			return BUG_TRAP_TYPE_WARN;
		b->flags |= BUGFLAG_DONE;
	}
	warn_count++;
	add_taint(TAINT_WARN);
	pr_warn("------------[ cut here ]------------\n");
	pr_warn("WARNING: CPU: %u PID: %d at %s:%u %pS\n", smp_processor_id(), current->pid, b->file,
		b->line, (void *)ip);
	dump_stack_print_info(KERN_DEFAULT);
	show_regs(regs);
	show_trace(regs->sp, regs->rbp, KERN_DEFAULT);
	pr_warn("---[ end trace 0000000000000000 ]---\n");
	return BUG_TRAP_TYPE_WARN;
}
