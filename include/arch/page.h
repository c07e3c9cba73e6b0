/*
 * Page sizes and the two kernel address translations (Linux: asm/page_64.h):
 * the direct map of all RAM at PAGE_OFFSET, and the kernel image at
 * __START_KERNEL_map (-2 GiB), linked there with -mcmodel=kernel.
 */
#ifndef _ARCH_PAGE_H
#define _ARCH_PAGE_H

#include <kernel/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SHIFT 21
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PUD_SHIFT 30
#define PUD_SIZE (1UL << PUD_SHIFT)
#define PGDIR_SHIFT 39
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define PTRS_PER_TABLE 512

#define PAGE_OFFSET 0xffff888000000000UL	/* direct map of physical memory */
#define VMALLOC_START 0xffffc90000000000UL	/* vmalloc + ioremap area, 512 GiB */
#define VMALLOC_END (VMALLOC_START + PGDIR_SIZE)
#define __START_KERNEL_map 0xffffffff80000000UL	/* kernel image */
#define KERNEL_PHYS_START 0x100000UL		/* where the image is loaded (1 MiB) */

#define __va(pa) ((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va) __phys_addr((unsigned long)(va))
#define __pa_symbol(sym) ((phys_addr_t)((unsigned long)(sym) - __START_KERNEL_map))
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

/* Both kernel mappings translate back: a direct-map or an image address. */
static inline phys_addr_t __phys_addr(unsigned long va)
{
	if (va >= __START_KERNEL_map)
		return va - __START_KERNEL_map;
	return va - PAGE_OFFSET;
}

/* Kernel image boundaries from boot/kernel.ld. */
extern char _text[], _etext[], __start_rodata[], __end_rodata[], _sdata[], _edata[];
extern char __bss_start[], __bss_stop[], _end[];

#endif
