/*
 * memblock: the boot-time physical memory map (Linux: mm/memblock.c). It
 * records usable RAM from the bootloader and the ranges that are in use
 * (kernel image, boot modules, early page tables); memblock_alloc() serves
 * allocations before the buddy allocator exists. Boot-time only, one CPU,
 * no lock.
 */
#ifndef _MM_MEMBLOCK_H
#define _MM_MEMBLOCK_H

#include <kernel/types.h>

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};
struct memblock_type {
	unsigned long cnt;
	const char *name;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};
struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
	phys_addr_t current_limit;	/* early allocations stay below this (mapped) address */
};
extern struct memblock memblock;

int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
void memblock_enforce_memory_limit(phys_addr_t limit);
/* Zeroed, aligned, physically contiguous; panics on failure (boot cannot continue). */
void *memblock_alloc(phys_addr_t size, phys_addr_t align);
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
phys_addr_t memblock_end_of_DRAM(void);
phys_addr_t memblock_phys_mem_size(void);
bool memblock_is_reserved(phys_addr_t addr);
void memblock_dump(void);

#define for_each_mem_region(i, r) \
	for (i = 0, r = &memblock.memory.regions[0]; i < memblock.memory.cnt; i++, r = &memblock.memory.regions[i])

#endif
