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
#include <kernel/sched.h>

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

void __warn(const char *file, int line, const char *cond)
{
	add_taint(TAINT_WARN);
	pr_warn("------------[ cut here ]------------\n");
	pr_warn("WARNING: CPU: %u PID: %d at %s:%d %s\n", smp_processor_id(), current->pid, file, line,
		cond ? cond : "");
	dump_stack();
	pr_warn("---[ end trace 0000000000000000 ]---\n");
}

void __bug(const char *file, int line, const char *cond)
{
	pr_emerg("------------[ cut here ]------------\n");
	pr_emerg("kernel BUG at %s:%d!%s%s\n", file, line, cond ? " " : "", cond ? cond : "");
	panic("BUG");
}
