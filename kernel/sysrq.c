/*
 * Magic SysRq commands (see include/kernel/sysrq.h): from the serial
 * console (a BREAK, then the key), and from /proc/sysrq-trigger (the first
 * byte written). Output goes through printk at KERN_INFO with the console
 * level raised for the duration, as Linux does, so the reply shows even
 * under "quiet".
 *
 * kernel.sysrq says which keys the console may use, as Linux's bitmask: 0
 * none, 1 all, else the groups whose bits are set (8 the dumps, 128
 * reboot and power-off); help is always allowed, and /proc/sysrq-trigger,
 * which only root can write, ignores the mask, as on Linux.
 *
 * Locking: none; sysrq_enabled is one word, read once per key.
 */
#include <kernel/kernel.h>
#include <kernel/sysrq.h>
#include <kernel/reboot.h>
#include <kernel/uaccess.h>
#include <mm/mm.h>
#include <mm/oom.h>
#include <kernel/sched.h>
#include <kernel/sched/debug.h>
#include <fs/proc_fs.h>
#include <uapi/errno.h>

#define SYSRQ_ENABLE_DUMP 0x0008
#define SYSRQ_ENABLE_SIGNAL 0x0040
#define SYSRQ_ENABLE_BOOT 0x0080

int sysrq_enabled = 1;		/* kernel.sysrq: every key, Folio's choice for a teaching console */

struct sysrq_key_op {
	char key;
	void (*handler)(void);
	const char *help_msg;	/* the key is the letter in parentheses */
	const char *action_msg;
	int enable_mask;	/* the kernel.sysrq bit that allows it from the console */
};

static void sysrq_handle_showmem(void) { show_free_areas(); }
static void sysrq_handle_showstate(void) { show_state(); }
static void sysrq_handle_crash(void) { panic("sysrq triggered crash"); }
static void sysrq_handle_moom(void) { sysrq_oom_kill(); }
static void sysrq_handle_reboot(void) { kernel_restart(); }
static void sysrq_handle_poweroff(void) { kernel_power_off(0); }

static const struct sysrq_key_op sysrq_ops[] = {
	{ 'b', sysrq_handle_reboot, "reboot(b)", "Resetting", SYSRQ_ENABLE_BOOT },
	{ 'c', sysrq_handle_crash, "crash(c)", "Trigger a crash", SYSRQ_ENABLE_DUMP },
	{ 'f', sysrq_handle_moom, "memory-full-oom-kill(f)", "Manual OOM execution", SYSRQ_ENABLE_SIGNAL },
	{ 'm', sysrq_handle_showmem, "show-memory-usage(m)", "Show Memory", SYSRQ_ENABLE_DUMP },
	{ 'o', sysrq_handle_poweroff, "poweroff(o)", "Power Off", SYSRQ_ENABLE_BOOT },
	{ 't', sysrq_handle_showstate, "show-task-states(t)", "Show State", SYSRQ_ENABLE_DUMP },
};

/* Any key without an operation ('h' among them, as on Linux) prints the list. */
static void sysrq_print_help(void)
{
	printk(KERN_INFO "sysrq: HELP :");
	for (unsigned int i = 0; i < ARRAY_SIZE(sysrq_ops); i++)
		pr_cont(" %s", sysrq_ops[i].help_msg);
	pr_cont("\n");
}

/* May the console run op under the kernel.sysrq mask? */
static bool sysrq_on_mask(const struct sysrq_key_op *op)
{
	int mask = READ_ONCE(sysrq_enabled);

	return !op->enable_mask || mask == 1 || (mask & op->enable_mask);
}

/* Linux's __handle_sysrq(): check_mask is false for /proc/sysrq-trigger. */
static void __handle_sysrq(char key, bool check_mask)
{
	int saved = console_loglevel;

	console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
	for (unsigned int i = 0; i < ARRAY_SIZE(sysrq_ops); i++) {
		const struct sysrq_key_op *op = &sysrq_ops[i];
		if (op->key != key)
			continue;
		if (!check_mask || sysrq_on_mask(op)) {
			pr_info("sysrq: %s\n", op->action_msg);
			op->handler();
		} else {
			pr_info("sysrq: This sysrq operation is disabled.\n");
		}
		console_loglevel = saved;
		return;
	}
	sysrq_print_help();
	console_loglevel = saved;
}

void handle_sysrq(char key)
{
	if (READ_ONCE(sysrq_enabled))
		__handle_sysrq(key, true);
}

/* /proc/sysrq-trigger: the first byte of a write is the key. */
static ssize_t write_sysrq_trigger(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	char c;

	if (count) {
		if (get_user(c, buf))
			return -EFAULT;
		__handle_sysrq(c, false);
	}
	return count;
}

static const struct proc_ops sysrq_trigger_proc_ops = {
	.proc_write = write_sysrq_trigger,
};

void sysrq_proc_init(void)
{
	proc_create("sysrq-trigger", 0200, NULL, &sysrq_trigger_proc_ops);
}
