/*
 * Reading the bootloader's information structure (multiboot2 from GRUB, or
 * multiboot from QEMU's -kernel) into struct boot_info. Everything needed
 * later is copied out, so the structure itself may be overwritten once
 * memblock takes over; only the modules (the initramfs, unpacked at the end
 * of boot) are reserved.
 * The structure is checked as it is read: a bad size or a tag that runs past
 * the end is reported and stops the parse, never the kernel.
 * Boot-time only, one CPU, no lock.
 */
#include <kernel/kernel.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/page.h>

struct boot_info boot_info;
static char loader_name[64];
static char module_cmdlines[BOOT_MAX_MODULES][64];
static u8 rsdp_copy[36];

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB_INFO_MAX_SIZE (1 << 20)	/* far more than any real loader produces */

const char *e820_type_name(u32 type)
{
	switch (type) {
	case E820_RAM: return "usable";
	case E820_RESERVED: return "reserved";
	case E820_ACPI: return "ACPI data";
	case E820_NVS: return "ACPI NVS";
	case E820_UNUSABLE: return "unusable";
	default: return "type unknown";
	}
}

/* Early: the first 4 GiB are mapped at PAGE_OFFSET by boot/head.asm. */
static const void *early_va(phys_addr_t pa, size_t len)
{
	if (pa + len > (4ULL << 30) || pa + len < pa)
		return NULL;
	return __va(pa);
}

static void add_mmap(u64 addr, u64 len, u32 type)
{
	if (boot_info.nr_mmap == BOOT_MAX_MMAP) {
		pr_warn("boot: more than %d memory map entries, ignoring the rest\n", BOOT_MAX_MMAP);
		return;
	}
	boot_info.mmap[boot_info.nr_mmap++] = (struct boot_mmap_entry){ addr, len, type };
}

static void add_module(phys_addr_t start, phys_addr_t end, const char *cmdline)
{
	unsigned int i = boot_info.nr_modules;

	if (i == BOOT_MAX_MODULES || end < start) {
		pr_warn("boot: ignoring module [%#llx-%#llx]\n", start, end);
		return;
	}
	strlcpy(module_cmdlines[i], cmdline ? cmdline : "", sizeof(module_cmdlines[i]));
	boot_info.modules[i] = (struct boot_module){ start, end, module_cmdlines[i] };
	boot_info.nr_modules++;
}

static void set_cmdline(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	if (n >= sizeof(boot_command_line)) {
		pr_warn("boot: command line longer than %zu bytes, truncated\n", sizeof(boot_command_line) - 1);
		n = sizeof(boot_command_line) - 1;
	}
	memcpy(boot_command_line, s, n);
	boot_command_line[n] = 0;
}

static int parse_multiboot2(phys_addr_t info)
{
	const u32 *hdr = early_va(info, 8);
	if (!hdr || hdr[0] < 16 || hdr[0] > MB_INFO_MAX_SIZE || !early_va(info, hdr[0]))
		return -EINVAL;
	const u8 *p = (const u8 *)hdr + 8, *end = (const u8 *)hdr + hdr[0];
	boot_info.info_start = info;
	boot_info.info_end = info + hdr[0];

	while (p + 8 <= end) {
		u32 type = ((const u32 *)p)[0], size = ((const u32 *)p)[1];
		if (size < 8 || p + size > end) {
			pr_err("boot: malformed multiboot2 tag %u (size %u), stopping\n", type, size);
			return -EINVAL;
		}
		const u8 *body = p + 8;
		u32 blen = size - 8;
		switch (type) {
		case MB2_TAG_END:
			return 0;
		case MB2_TAG_CMDLINE:
			set_cmdline((const char *)body, blen);
			break;
		case MB2_TAG_LOADER_NAME:
			strlcpy(loader_name, (const char *)body, min((size_t)blen + 1, sizeof(loader_name)));
			break;
		case MB2_TAG_MODULE:
			if (blen >= 8)
				add_module(((const u32 *)body)[0], ((const u32 *)body)[1], (const char *)body + 8);
			break;
		case MB2_TAG_MMAP: {
			u32 esize = ((const u32 *)body)[0];
			if (esize < 24 || blen < 8)
				return -EINVAL;
			for (const u8 *e = body + 8; e + 24 <= body + blen; e += esize)
				add_mmap(*(const u64 *)e, *(const u64 *)(e + 8), *(const u32 *)(e + 16));
			break;
		}
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			if (!boot_info.rsdp_copy || type == MB2_TAG_ACPI_NEW) {
				memcpy(rsdp_copy, body, min((size_t)blen, sizeof(rsdp_copy)));
				boot_info.rsdp_copy = rsdp_copy;
			}
			break;
		}
		p += ALIGN(size, 8);
	}
	return 0;
}

static int parse_multiboot1(phys_addr_t info)
{
	const u32 *mbi = early_va(info, 88);
	if (!mbi)
		return -EINVAL;
	u32 flags = mbi[0];
	boot_info.info_start = info;
	boot_info.info_end = info + 88;

	if (flags & (1 << 2)) {
		/* Multiboot 1 loaders put the kernel's file name first: drop it. */
		const char *s = early_va(mbi[4], 1);
		if (s) {
			while (*s && *s != ' ')
				s++;
			set_cmdline(skip_spaces(s), COMMAND_LINE_SIZE);
		}
	}
	if (flags & (1 << 3)) {
		const u32 *mods = early_va(mbi[6], (size_t)mbi[5] * 16);
		for (u32 i = 0; mods && i < mbi[5]; i++) {
			const char *s = early_va(mods[i * 4 + 2], 1);
			add_module(mods[i * 4], mods[i * 4 + 1], s);
		}
	}
	if (flags & (1 << 6)) {
		const u8 *p = early_va(mbi[12], mbi[11]), *end = p + mbi[11];
		while (p && p + 24 <= end) {
			u32 size = *(const u32 *)p;
			add_mmap(*(const u64 *)(p + 4), *(const u64 *)(p + 12), *(const u32 *)(p + 20));
			p += size + 4;
		}
	}
	if (flags & (1 << 9)) {
		const char *s = early_va(mbi[16], 1);
		if (s)
			strlcpy(loader_name, s, sizeof(loader_name));
	}
	return 0;
}

int parse_boot_info(u32 magic, phys_addr_t info)
{
	int err;

	boot_info.loader_name = loader_name;
	if (magic == MULTIBOOT2_BOOTLOADER_MAGIC) {
		boot_info.protocol = "multiboot2";
		err = parse_multiboot2(info);
	} else if (magic == MULTIBOOT_BOOTLOADER_MAGIC) {
		boot_info.protocol = "multiboot";
		err = parse_multiboot1(info);
	} else {
		pr_emerg("boot: unknown bootloader magic %#x: was Folio started by a multiboot loader?\n", magic);
		return -EINVAL;
	}
	if (err)
		pr_err("boot: bad %s information at %#llx\n", boot_info.protocol, info);
	boot_info.cmdline = boot_command_line;
	return err;
}
