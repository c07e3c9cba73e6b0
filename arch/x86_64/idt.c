/*
 * The IDT (Linux: arch/x86/kernel/idt.c). All 256 vectors point at the stubs
 * in entry.asm; #DF, NMI and #MC switch to their IST stacks. int3 is
 * reachable from user mode (DPL 3), as on Linux. Boot-time only; no lock.
 */
#include <kernel/kernel.h>
#include <arch/desc.h>
#include <arch/traps.h>

struct idt_gate {
	u16 offset_low, selector;
	u8 ist, type_attr;
	u16 offset_mid;
	u32 offset_high, zero;
} __packed;

static struct idt_gate idt[256] __aligned(16);

static void set_gate(unsigned int v, u8 ist, u8 dpl)
{
	u64 a = vector_stubs[v];
	idt[v] = (struct idt_gate){
		.offset_low = a & 0xffff,
		.selector = __KERNEL_CS,
		.ist = ist,
		.type_attr = 0x8e | (dpl << 5),	/* present, 64-bit interrupt gate (IF cleared) */
		.offset_mid = (a >> 16) & 0xffff,
		.offset_high = a >> 32,
	};
}

void idt_init(void)
{
	for (unsigned int v = 0; v < 256; v++)
		set_gate(v, 0, 0);
	set_gate(8, IST_DF, 0);
	set_gate(2, IST_NMI, 0);
	set_gate(18, IST_MCE, 0);
	set_gate(3, 0, 3);

	struct { u16 limit; u64 base; } __packed idtr = { sizeof(idt) - 1, (u64)idt };
	__asm__ __volatile__("lidt %0" :: "m"(idtr));
}
