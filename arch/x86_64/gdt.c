/*
 * The GDT and TSS (Linux: arch/x86/kernel/cpu/common.c). Long mode ignores
 * segment bases and limits, but it still needs code/data descriptors for
 * privilege levels and a TSS for the stacks the CPU switches to: rsp0 on
 * entry from user mode, and the IST stacks for #DF, NMI and #MC, which must
 * work even when the current kernel stack is unusable (an overflow).
 * Boot-time only; no lock.
 */
#include <kernel/kernel.h>
#include <lib/string.h>
#include <arch/desc.h>
#include <arch/percpu.h>

static u64 gdt[GDT_ENTRIES] __aligned(16) = {
	[GDT_ENTRY_KERNEL32_CS] = 0x00cf9b000000ffff,
	[GDT_ENTRY_KERNEL_CS] = 0x00af9b000000ffff,	/* L=1, DPL 0 */
	[GDT_ENTRY_KERNEL_DS] = 0x00cf93000000ffff,
	[GDT_ENTRY_USER32_CS] = 0x00cffb000000ffff,
	[GDT_ENTRY_USER_DS] = 0x00cff3000000ffff,	/* DPL 3 */
	[GDT_ENTRY_USER_CS] = 0x00affb000000ffff,	/* L=1, DPL 3 */
};
static struct tss boot_tss __aligned(64);
char ist_stacks[3][IST_STACK_SIZE] __aligned(4096);

void gdt_init(void)
{
	u64 base = (u64)&boot_tss, limit = sizeof(boot_tss) - 1;

	memset(&boot_tss, 0, sizeof(boot_tss));
	boot_tss.ist[IST_DF - 1] = (u64)ist_stacks[0] + IST_STACK_SIZE;
	boot_tss.ist[IST_NMI - 1] = (u64)ist_stacks[1] + IST_STACK_SIZE;
	boot_tss.ist[IST_MCE - 1] = (u64)ist_stacks[2] + IST_STACK_SIZE;
	boot_tss.iomap_base = sizeof(boot_tss);	/* no I/O bitmap: user port access faults */
	this_cpu()->tss = &boot_tss;

	gdt[GDT_ENTRY_TSS] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
			     (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[GDT_ENTRY_TSS + 1] = base >> 32;

	struct { u16 limit; u64 base; } __packed gdtr = { sizeof(gdt) - 1, (u64)gdt };
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"ltr %w3\n\t"
		:: "m"(gdtr), "i"((u64)__KERNEL_CS), "i"(__KERNEL_DS), "r"((u16)__TSS_SEL)
		: "rax", "memory");
}
