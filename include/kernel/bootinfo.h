/*
 * What the bootloader told us, in one shape for both boot protocols:
 * multiboot2 (GRUB, the default) and multiboot (QEMU's -kernel, a faster
 * path for tests). Filled by kernel/bootinfo.c from the info structure.
 */
#ifndef _KERNEL_BOOTINFO_H
#define _KERNEL_BOOTINFO_H

#include <kernel/types.h>

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_UNUSABLE 5

#define BOOT_MAX_MMAP 64
#define BOOT_MAX_MODULES 8

struct boot_mmap_entry {
	u64 addr, len;
	u32 type;
};
struct boot_module {
	phys_addr_t start, end;
	const char *cmdline;
};
struct boot_info {
	const char *protocol;		/* "multiboot2" or "multiboot" */
	const char *loader_name;
	const char *cmdline;
	phys_addr_t info_start, info_end;	/* the info structure itself, to reserve */
	unsigned int nr_mmap;
	struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	const void *rsdp_copy;		/* a copy of the ACPI RSDP (multiboot2), or NULL */
};
extern struct boot_info boot_info;

/* Returns 0, or -EINVAL with a message if the magic or structure is bad. */
int parse_boot_info(u32 magic, phys_addr_t info);
const char *e820_type_name(u32 type);

#endif
