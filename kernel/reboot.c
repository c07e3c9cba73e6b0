/*
 * Power off and restart (Linux: kernel/reboot.c, arch/x86/kernel/reboot.c).
 * See include/kernel/reboot.h for how the exit status reaches the host.
 */
#include <kernel/kernel.h>
#include <kernel/reboot.h>
#include <arch/io.h>
#include <arch/irqflags.h>
#include <arch/processor.h>

#define DEBUG_EXIT_PORT 0xf4	/* QEMU isa-debug-exit, as run.sh configures it */
#define PIIX4_PM1A_CNT 0x604	/* QEMU's ACPI PM1a control register */
#define ACPI_SLP_EN (1 << 13)

void kernel_power_off(int status)
{
	local_irq_disable();
	pr_emerg("reboot: Power down\n");
	outl((u32)status & 0x7f, DEBUG_EXIT_PORT);
	outw(ACPI_SLP_EN, PIIX4_PM1A_CNT);	/* S5, if there is no debug-exit device */
	for (;;)
		halt();
}

void kernel_restart(void)
{
	local_irq_disable();
	pr_emerg("reboot: Restarting system\n");
	outb(0xfe, 0x64);	/* pulse the reset line through the keyboard controller */
	for (;;)
		halt();
}
