/*
 * Magic SysRq commands, run from the serial interrupt (see include/kernel/sysrq.h).
 * Output goes through printk at KERN_INFO with the console level raised for
 * the duration, as Linux does, so the reply shows even under "quiet".
 */
#include <kernel/kernel.h>
#include <kernel/sysrq.h>
#include <kernel/reboot.h>
#include <mm/mm.h>
#include <kernel/sched.h>
#include <kernel/sched/debug.h>

struct sysrq_key_op {
	char key;
	void (*handler)(void);
	const char *help_msg;	/* the key is the letter in parentheses */
	const char *action_msg;
};

static void sysrq_handle_showmem(void) { show_free_areas(); }
static void sysrq_handle_showstate(void) { show_state(); }
static void sysrq_handle_crash(void) { panic("sysrq triggered crash"); }
static void sysrq_handle_reboot(void) { kernel_restart(); }
static void sysrq_handle_poweroff(void) { kernel_power_off(0); }
static void sysrq_handle_help(void);

static const struct sysrq_key_op sysrq_ops[] = {
	{ 'b', sysrq_handle_reboot, "reboot(b)", "Resetting" },
	{ 'c', sysrq_handle_crash, "crash(c)", "Trigger a crash" },
	{ 'h', sysrq_handle_help, "help(h)", "HELP" },
	{ 'm', sysrq_handle_showmem, "show-memory-usage(m)", "Show Memory" },
	{ 'o', sysrq_handle_poweroff, "poweroff(o)", "Power Off" },
	{ 't', sysrq_handle_showstate, "show-task-states(t)", "Show State" },
};

static void sysrq_handle_help(void)
{
	printk(KERN_INFO "sysrq: HELP :");
	for (unsigned int i = 0; i < ARRAY_SIZE(sysrq_ops); i++)
		pr_cont(" %s", sysrq_ops[i].help_msg);
	pr_cont("\n");
}

void handle_sysrq(char key)
{
	int saved = console_loglevel;

	console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
	for (unsigned int i = 0; i < ARRAY_SIZE(sysrq_ops); i++) {
		if (sysrq_ops[i].key == key) {
			pr_info("sysrq: %s\n", sysrq_ops[i].action_msg);
			sysrq_ops[i].handler();
			console_loglevel = saved;
			return;
		}
	}
	sysrq_handle_help();
	console_loglevel = saved;
}
