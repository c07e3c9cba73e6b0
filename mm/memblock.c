/*
 * memblock: boot-time physical memory (see include/mm/memblock.h).
 * Two sorted, non-overlapping region arrays: "memory" (usable RAM reported
 * by the bootloader) and "reserved" (in use: low memory, the kernel image,
 * boot modules, early allocations). memblock_alloc() takes the highest free
 * range below current_limit, as Linux's top-down allocator does, so low
 * memory stays free longest. Used only before the buddy allocator starts,
 * on one CPU: no lock.
 */
#include <kernel/kernel.h>
#include <lib/string.h>
#include <mm/memblock.h>
#include <arch/page.h>

struct memblock memblock = {
	.memory = { .name = "memory" },
	.reserved = { .name = "reserved" },
	.current_limit = 4ULL << 30,	/* what boot/head.asm maps */
};

static void remove_region(struct memblock_type *t, unsigned long i)
{
	memmove(&t->regions[i], &t->regions[i + 1], (t->cnt - i - 1) * sizeof(t->regions[0]));
	t->cnt--;
}

/* Insert [base, base+size), merging with neighbours it touches or overlaps. */
static int memblock_add_range(struct memblock_type *t, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;
	unsigned long i;

	if (!size)
		return 0;
	for (i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &t->regions[i];
		if (r->base + r->size < base)
			continue;
		if (end < r->base)
			break;
		/* overlaps or touches: absorb r and look again from here */
		base = min(base, r->base);
		end = max(end, r->base + r->size);
		remove_region(t, i);
		i--;
	}
	if (t->cnt == MEMBLOCK_MAX_REGIONS) {
		pr_err("memblock: too many %s regions, dropping [%#llx-%#llx]\n", t->name, base, end - 1);
		return -1;
	}
	memmove(&t->regions[i + 1], &t->regions[i], (t->cnt - i) * sizeof(t->regions[0]));
	t->regions[i] = (struct memblock_region){ base, end - base };
	t->cnt++;
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_range(&memblock.memory, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_range(&memblock.reserved, base, size);
}

/* Drop all memory at or above limit (the mem= parameter). */
void memblock_enforce_memory_limit(phys_addr_t limit)
{
	struct memblock_type *t = &memblock.memory;

	for (unsigned long i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &t->regions[i];
		if (r->base >= limit) {
			t->cnt = i;
			break;
		}
		if (r->base + r->size > limit)
			r->size = limit - r->base;
	}
}

bool memblock_is_reserved(phys_addr_t addr)
{
	for (unsigned long i = 0; i < memblock.reserved.cnt; i++) {
		struct memblock_region *r = &memblock.reserved.regions[i];
		if (addr >= r->base && addr < r->base + r->size)
			return true;
	}
	return false;
}

/* Highest aligned free range of size below current_limit, or 0. */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	for (long i = (long)memblock.memory.cnt - 1; i >= 0; i--) {
		struct memblock_region *m = &memblock.memory.regions[i];
		phys_addr_t end = min(m->base + m->size, memblock.current_limit);
		/* Walk down between reserved ranges inside this memory region. */
		while (end > m->base && end - m->base >= size) {
			phys_addr_t cand = ALIGN_DOWN(end - size, align);
			if (cand < m->base)
				break;
			phys_addr_t conflict_base = 0;
			bool conflict = false;
			for (unsigned long j = 0; j < memblock.reserved.cnt; j++) {
				struct memblock_region *r = &memblock.reserved.regions[j];
				if (r->base < cand + size && cand < r->base + r->size) {
					conflict = true;
					conflict_base = r->base;
					break;
				}
			}
			if (!conflict) {
				memblock_reserve(cand, size);
				return cand;
			}
			end = conflict_base;
		}
	}
	return 0;
}

void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t pa = memblock_phys_alloc(size, align);

	if (!pa)
		panic("memblock: cannot allocate %llu bytes aligned to %llu", size, align);
	void *va = __va(pa);
	memset(va, 0, size);
	return va;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	struct memblock_type *t = &memblock.memory;
	return t->cnt ? t->regions[t->cnt - 1].base + t->regions[t->cnt - 1].size : 0;
}

phys_addr_t memblock_phys_mem_size(void)
{
	phys_addr_t total = 0;
	for (unsigned long i = 0; i < memblock.memory.cnt; i++)
		total += memblock.memory.regions[i].size;
	return total;
}

void memblock_dump(void)
{
	for (int k = 0; k < 2; k++) {
		struct memblock_type *t = k ? &memblock.reserved : &memblock.memory;
		pr_debug("memblock: %s: %lu regions\n", t->name, t->cnt);
		for (unsigned long i = 0; i < t->cnt; i++)
			pr_debug("  [mem %#018llx-%#018llx]\n", t->regions[i].base,
				 t->regions[i].base + t->regions[i].size - 1);
	}
}
