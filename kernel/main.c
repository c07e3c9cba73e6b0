/*
 * The kernel's main line (Linux: init/main.c start_kernel()). boot/head.asm
 * calls x86_64_start_kernel() in long mode on the boot stack, with the
 * bootloader's magic and information address. Each step below depends on
 * the ones before it; the order is the boot flow in ARCHITECTURE.md.
 */
#include <kernel/kernel.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/reboot.h>
#include <kernel/time.h>
#include <kernel/lkdtm.h>
#include <kernel/bench.h>
#include <kernel/sched.h>
#include <kernel/kthread.h>
#include <uapi/errno.h>
#include <fs/fs.h>
#include <mm/init.h>
#include <mm/mm.h>
#include <arch/desc.h>
#include <arch/irq.h>
#include <arch/irqflags.h>
#include <arch/percpu.h>
#include <arch/processor.h>
#include <arch/serial.h>
#include <arch/traps.h>

#ifndef FOLIO_VERSION
#define FOLIO_VERSION "0.1"
#endif

char boot_stack[THREAD_SIZE] __aligned(16);
char *boot_stack_top = boot_stack + sizeof(boot_stack);

/*
 * pid 1. Runs the rest of the boot in task context, where sleeping is
 * allowed, then stays as the reaper of orphaned children (user space's init
 * takes over in a later issue).
 */
static int kernel_init(void *unused)
{
	(void)unused;
	vfs_init();
	hung_task_init();
	if (ktest_pattern) {
		int failed = ktest_run(ktest_pattern);
		kernel_power_off(failed ? 1 : 0);
	}
	lkdtm_run();
	bench_run();

	/* The one line "quiet" does not hide: it tells the user (and the tests) that boot is over. */
	u64 ns = ktime_get_ns();
	int saved = console_loglevel;
	console_loglevel = max(saved, LOGLEVEL_NOTICE + 1);
	pr_notice("Folio: boot complete in %llu.%03llu ms; no user space yet, idling (Ctrl-A X quits QEMU, Ctrl-A B then h for SysRq help)\n",
		  ns / NSEC_PER_MSEC, (ns % NSEC_PER_MSEC) / 1000);
	console_loglevel = saved;
	reap_orphans_forever();
}

static __noreturn void kmain(u32 magic, phys_addr_t info)
{
	int err = parse_boot_info(magic, info);

	pr_notice("Folio version %s (gcc %s) #1 SMP x86_64 teaching kernel\n", FOLIO_VERSION, __VERSION__);
	pr_notice("Command line: %s\n", boot_command_line);
	if (err)
		panic("cannot read the bootloader's information (magic %#x at %#llx)", magic, info);
	if (*boot_info.loader_name)
		pr_info("Booted by %s (%s)\n", boot_info.loader_name, boot_info.protocol);
	parse_args(true);
	cpu_detect();

	setup_memory();
	acpi_boot_init();	/* before paging_init(): the tables are reached through the early 4 GiB map */
	mm_init();

	parse_args(false);
	apic_init();
	tsc_init();
	apic_timer_init();
	serial_irq_init();

	fork_init();
	sched_init();
	struct task_struct *init = create_kernel_task(kernel_init, NULL, "init", -1);
	if (IS_ERR(init))
		panic("cannot create the init task: %ld", PTR_ERR(init));
	child_reaper = init;
	wake_up_process(init);
	local_irq_enable();
	cpu_idle();		/* the boot context is now the idle task, pid 0 */
}

/* First C code: nothing is set up yet, so only what printk and trap handling need comes first. */
__noreturn void x86_64_start_kernel(u32 magic, u32 info)
{
	tsc_mark_start();
	percpu_init_boot_cpu();	/* printk's spinlock touches preempt_count through %gs */
	serial_early_init();
	trap_init();		/* from here a fault prints an oops instead of rebooting silently */
	kmain(magic, info);
}
