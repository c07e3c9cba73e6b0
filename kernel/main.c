/*
 * The kernel's main line (Linux: init/main.c start_kernel()). boot/head.asm
 * calls x86_64_start_kernel() in long mode on the boot stack, with the
 * bootloader's magic and information address. Each step below depends on
 * the ones before it; docs/boot.md walks through the order.
 */
#include <kernel/kernel.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <mm/oom.h>
#include <kernel/reboot.h>
#include <kernel/time.h>
#include <kernel/timekeeping.h>
#include <kernel/lkdtm.h>
#include <kernel/bench.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/sched/debug.h>
#include <kernel/kthread.h>
#include <uapi/errno.h>
#include <kernel/syscalls.h>
#include <kernel/futex.h>
#include <fs/fs.h>
#include <fs/tracefs.h>
#include <fs/binfmts.h>
#include <mm/init.h>
#include <kernel/cgroup.h>
#include <mm/mm.h>
#include <arch/desc.h>
#include <arch/irq.h>
#include <arch/irqflags.h>
#include <arch/percpu.h>
#include <arch/processor.h>
#include <arch/serial.h>
#include <arch/setup.h>
#include <arch/traps.h>

#ifndef FOLIO_VERSION
#define FOLIO_VERSION "0.1"
#endif

char boot_stack[THREAD_SIZE] __aligned(16);
/* The first boot line, and /proc/version (Linux: linux_banner). */
const char folio_banner[] = "Folio version " FOLIO_VERSION " (gcc " __VERSION__ ") #1 SMP x86_64 teaching kernel\n";
char *boot_stack_top = boot_stack + sizeof(boot_stack);

/* fds 0, 1 and 2 on /dev/console, as init expects them (Linux: console_on_rootfs()). */
static void console_on_rootfs(void)
{
	struct file *f = filp_open("/dev/console", O_RDWR, 0);

	if (IS_ERR(f)) {
		pr_err("Warning: unable to open an initial console.\n");
		return;
	}
	for (int fd = 0; fd < 3; fd++) {
		int got = fd_install_new(get_file(f), 0);
		if (got < 0)
			fput(f);	/* not installed: the reference is still ours */
		if (got != fd)
			pr_err("console_on_rootfs: fd %d is not free\n", fd);
	}
	fput(f);
}

static int try_to_run_init_process(const char *path)
{
	argv_init[0] = path;
	pr_info("Run %s as init process\n", path);
	int err = kernel_execve(path, argv_init, envp_init);
	if (err && err != -ENOENT)
		pr_err("Starting init: %s exists but couldn't execute it (error %d)\n", path, err);
	return err;
}

/* Become the first user process; returns 0 on success (then return to user mode). */
static int run_init_process(void)
{
	if (execute_command) {
		int err = try_to_run_init_process(execute_command);
		if (!err)
			return 0;
		panic("Requested init %s failed (error %d).", execute_command, err);
	}
	static const char *const defaults[] = { "/init", "/sbin/init", "/bin/init", "/bin/sh" };
	for (unsigned int i = 0; i < ARRAY_SIZE(defaults); i++)
		if (!try_to_run_init_process(defaults[i]))
			return 0;
	pr_notice("No init found: no user space yet, the kernel idles (boot with an initramfs to get one).\n");
	return -ENOENT;
}

/*
 * pid 1. Runs the rest of the boot in task context, where sleeping is
 * allowed, then becomes the first user process (/init, or init=), or if
 * there is none stays as the reaper of orphaned children.
 */
static int kernel_init(void *unused)
{
	(void)unused;
	vfs_init();
	tty_init();
	/* pid 1 leads session 1 and process group 1, so opening the console makes it init's terminal. */
	ksys_setsid();
	current->files = files_alloc();
	current->fs = fs_alloc_root();
	if (!current->files || !current->fs)
		panic("kernel_init: cannot set up init's files");
	console_on_rootfs();
	tracefs_init();
	hung_task_init();
	oom_init();
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
	pr_notice("Folio: boot complete in %llu.%03llu ms (Ctrl-A X quits QEMU, Ctrl-A B then h for SysRq help)\n",
		  ns / NSEC_PER_MSEC, (ns % NSEC_PER_MSEC) / 1000);
	console_loglevel = saved;
	if (!run_init_process())
		return 0;	/* we are /init now: ret_from_fork_asm takes us to user mode */
	reap_orphans_forever();
}

static __noreturn void kmain(u32 magic, phys_addr_t info)
{
	int err = parse_boot_info(magic, info);

	pr_notice("%s", folio_banner);
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
	timekeeping_init();
	apic_timer_init();
	serial_irq_init();

	fork_init();
	cgroup_init();
	mmap_init();
	futex_init();
	fpu_init();
	syscall_init();
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
