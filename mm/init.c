/*
 * Memory initialisation at boot (Linux: arch/x86/kernel/e820.c, setup.c,
 * mm/mm_init.c). setup_memory() turns the bootloader's memory map into
 * memblock regions and reserves what is in use; mm_init() builds mem_map
 * and the kernel page tables, hands the free memory to the buddy allocator,
 * sets the watermarks and starts the slab allocator, printing Linux's
 * "Memory:" summary. One CPU, boot time: no lock.
 */
#include <kernel/kernel.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/init.h>
#include <mm/mm.h>
#include <mm/memblock.h>
#include <mm/slab.h>
#include <mm/kasan.h>
#include <arch/pgtable.h>

phys_addr_t mem_limit;

/* mem=SIZE: use no RAM at or above SIZE (Linux's x86 meaning). */
static int parse_memopt(char *val)
{
	char *end;
	unsigned long long v = memparse(val, &end);

	if (end == val || *end)
		return -EINVAL;
	if (v < MEM_LIMIT_MIN) {
		pr_warn("mem=%s is too small: Folio needs at least %lu MiB; ignored\n", val,
			MEM_LIMIT_MIN >> 20);
		return 0;
	}
	mem_limit = v;
	return 0;
}
early_param("mem=", parse_memopt);

static void print_memory_map(const char *who)
{
	for (unsigned int i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		if (!e->len)
			continue;
		pr_info("%s: [mem %#018llx-%#018llx] %s\n", who, e->addr, e->addr + e->len - 1,
			e820_type_name(e->type));
	}
}

void setup_memory(void)
{
	pr_info("BIOS-provided physical RAM map (via %s):\n", boot_info.protocol);
	print_memory_map("BIOS-e820");
	for (unsigned int i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		if (e->type == E820_RAM && e->len)
			memblock_add(e->addr, e->len);
	}
	if (!memblock.memory.cnt)
		panic("the bootloader reported no usable RAM");

	memblock_reserve(0, 0x100000);	/* real-mode IVT, BIOS data, EBDA, VGA, ROMs */
	memblock_reserve(KERNEL_PHYS_START, __pa_symbol(_end) - KERNEL_PHYS_START);
	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		memblock_reserve(boot_info.modules[i].start,
				 boot_info.modules[i].end - boot_info.modules[i].start);

	if (mem_limit) {
		phys_addr_t need = __pa_symbol(_end);
		for (unsigned int i = 0; i < boot_info.nr_modules; i++)
			need = max(need, boot_info.modules[i].end);
		if (mem_limit < need + (8UL << 20)) {
			pr_warn("mem=%lluM would cut off the kernel or its modules; ignored\n", mem_limit >> 20);
			mem_limit = 0;
		} else {
			memblock_enforce_memory_limit(mem_limit);
			pr_info("mem=%lluM: using RAM below %#llx only\n", mem_limit >> 20, mem_limit);
			pr_info("user-defined physical RAM map:\n");
			for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
				struct memblock_region *r = &memblock.memory.regions[i];
				pr_info("user: [mem %#018llx-%#018llx] usable\n", r->base, r->base + r->size - 1);
			}
		}
	}
	memblock_dump();
}

void mm_init(void)
{
	unsigned long physpages = PFN_DOWN(memblock_phys_mem_size());

	free_area_init(PFN_DOWN(memblock_end_of_DRAM()));
	paging_init();
	kasan_init();		/* SANITIZE=1: KASAN's shadow, while memblock can still allocate */
	memblock_free_all();
	init_per_zone_wmark_min();

	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK bss)\n",
		nr_free_pages() << (PAGE_SHIFT - 10), physpages << (PAGE_SHIFT - 10),
		(unsigned long)(_etext - _text) >> 10, (unsigned long)(_edata - _sdata) >> 10,
		(unsigned long)(__end_rodata - __start_rodata) >> 10,
		(unsigned long)(__bss_stop - __bss_start) >> 10);
	show_free_areas();
	kmem_cache_init();
}
