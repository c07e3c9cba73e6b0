/*
 * The small system-wide files of /proc: uptime, loadavg, version, cmdline
 * and stat (Linux 2.6 kept them together in fs/proc/proc_misc.c; today
 * each has its file). The formats are Linux's, the figures Folio's clocks
 * and scheduler counts. No locks: each figure is read once (the CPU times
 * and counters are words the tick or the scheduler update; the load
 * average is kernel/sched/loadavg.c's).
 */
#include <kernel/kernel.h>
#include <kernel/cmdline.h>
#include <kernel/kernel_stat.h>
#include <kernel/time.h>
#include <kernel/timekeeping.h>
#include <fs/seq_file.h>
#include <fs/proc_fs.h>
#include <arch/irq.h>
#include <arch/processor.h>
#include "internal.h"

/* "uptime idle" in seconds with hundredths: time since boot, and the CPU's idle time. */
static int uptime_proc_show(struct seq_file *m, void *v)
{
	u64 up = ktime_get_boottime_ns(), idle = READ_ONCE(kcpustat[CPUTIME_IDLE]) * TICK_NSEC;

	seq_printf(m, "%llu.%02llu %llu.%02llu\n", up / NSEC_PER_SEC, up % NSEC_PER_SEC / (NSEC_PER_SEC / 100),
		   idle / NSEC_PER_SEC, idle % NSEC_PER_SEC / (NSEC_PER_SEC / 100));
	return 0;
}

/* The three load averages, runnable/total tasks, the last pid handed out. */
static int loadavg_proc_show(struct seq_file *m, void *v)
{
	unsigned long avnrun[3];

	get_avenrun(avnrun, FIXED_1 / 200, 0);	/* rounded to the nearest hundredth */
	seq_printf(m, "%lu.%02lu %lu.%02lu %lu.%02lu %lu/%d %d\n", LOAD_INT(avnrun[0]), LOAD_FRAC(avnrun[0]),
		   LOAD_INT(avnrun[1]), LOAD_FRAC(avnrun[1]), LOAD_INT(avnrun[2]), LOAD_FRAC(avnrun[2]),
		   nr_running(), nr_tasks(), last_allocated_pid());
	return 0;
}

static int version_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, folio_banner);
	return 0;
}

static int cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, boot_command_line);
	seq_putc(m, '\n');
	return 0;
}

static unsigned long long ticks_to_clock_t(u64 ticks)
{
	return ticks * USER_HZ / HZ;
}

/* The cpu lines: user nice system idle iowait irq softirq steal guest guest_nice, in USER_HZ. */
static void show_cpu_times(struct seq_file *m, const char *label)
{
	seq_puts(m, label);
	for (int i = 0; i < NR_STATS; i++)
		seq_put_decimal_ull(m, i ? " " : "", ticks_to_clock_t(READ_ONCE(kcpustat[i])));
	seq_putc(m, '\n');
}

static int show_stat(struct seq_file *m, void *v)
{
	unsigned long sum = arch_irq_stat();

	show_cpu_times(m, "cpu  ");
	show_cpu_times(m, "cpu0 ");
	for (unsigned int i = 0; i < NR_IRQS; i++)
		sum += READ_ONCE(irq_counts[i]);
	seq_put_decimal_ull(m, "intr ", sum);
	for (unsigned int i = 0; i < NR_IRQS; i++)
		seq_put_decimal_ull(m, " ", READ_ONCE(irq_counts[i]));
	seq_printf(m, "\nctxt %llu\nbtime %lld\nprocesses %lu\nprocs_running %lu\nprocs_blocked 0\n",
		   nr_context_switches(), ktime_real_offset_ns() / (s64)NSEC_PER_SEC, READ_ONCE(total_forks),
		   nr_running());
	seq_puts(m, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");	/* Folio has no softirqs */
	return 0;
}

void proc_misc_init(void)
{
	proc_create_single("uptime", 0, NULL, uptime_proc_show);
	proc_create_single("loadavg", 0, NULL, loadavg_proc_show);
	proc_create_single("version", 0, NULL, version_proc_show);
	proc_create_single("cmdline", 0, NULL, cmdline_proc_show);
	proc_create_single("stat", 0, NULL, show_stat);
	proc_create_seq("cpuinfo", 0, NULL, &cpuinfo_op);
	proc_create_single("interrupts", 0, NULL, show_interrupts);
}
