/* Segment selectors, GDT, TSS and IDT (Linux: asm/segment.h, asm/desc.h). */
#ifndef _ARCH_DESC_H
#define _ARCH_DESC_H

#include <kernel/types.h>

/* The same selectors as Linux, so oops reports read "RIP: 0010:". */
#define GDT_ENTRY_KERNEL32_CS 1
#define GDT_ENTRY_KERNEL_CS 2
#define GDT_ENTRY_KERNEL_DS 3
#define GDT_ENTRY_USER32_CS 4
#define GDT_ENTRY_USER_DS 5
#define GDT_ENTRY_USER_CS 6
#define GDT_ENTRY_TSS 8		/* 16 bytes: entries 8 and 9 */
#define GDT_ENTRIES 10

#define __KERNEL_CS (GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS (GDT_ENTRY_KERNEL_DS * 8)
#define __USER_DS (GDT_ENTRY_USER_DS * 8 + 3)
#define __USER_CS (GDT_ENTRY_USER_CS * 8 + 3)
#define __TSS_SEL (GDT_ENTRY_TSS * 8)

/* Interrupt stack table slots (1-based in the IDT gate). */
#define IST_DF 1
#define IST_NMI 2
#define IST_MCE 3
#define IST_STACK_SIZE (16 * 1024)

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

void gdt_init(void);
void idt_init(void);
/* Top addresses of the IST stacks, so the #DF handler can tell where it runs. */
extern char ist_stacks[3][IST_STACK_SIZE];

#endif
