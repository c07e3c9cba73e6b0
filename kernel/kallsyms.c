/*
 * Looking up kernel symbols (Linux: kernel/kallsyms.c). The table is made at
 * link time by tools/kallsyms.sh: the kernel is linked once with an empty
 * table, the symbols of that image are turned into a table, and the kernel
 * is linked again with it (twice, so the table's own size is already right;
 * the Makefile checks the last two tables agree). Addresses are sorted, so a
 * lookup is a binary search. Read-only data: no lock.
 */
#include <kernel/kernel.h>
#include <kernel/kallsyms.h>
#include <lib/string.h>
#include <arch/page.h>

extern const u64 kallsyms_num_syms;
extern const u64 kallsyms_addresses[];
extern const u32 kallsyms_offsets[];
extern const char kallsyms_names[];

const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset)
{
	u64 n = kallsyms_num_syms;

	if (!n || addr < kallsyms_addresses[0] || addr >= (unsigned long)_etext)
		return NULL;
	u64 lo = 0, hi = n;		/* find the last symbol with address <= addr */
	while (hi - lo > 1) {
		u64 mid = (lo + hi) / 2;
		if (kallsyms_addresses[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	u64 next = (unsigned long)_etext;	/* a symbol ends where the next one (at a new address) starts */
	for (u64 i = lo + 1; i < n; i++) {
		if (kallsyms_addresses[i] > kallsyms_addresses[lo]) {
			next = kallsyms_addresses[i];
			break;
		}
	}
	if (size)
		*size = next - kallsyms_addresses[lo];
	if (offset)
		*offset = addr - kallsyms_addresses[lo];
	return kallsyms_names + kallsyms_offsets[lo];
}

unsigned long kallsyms_lookup_name(const char *name)
{
	for (u64 i = 0; i < kallsyms_num_syms; i++)
		if (!strcmp(kallsyms_names + kallsyms_offsets[i], name))
			return kallsyms_addresses[i];
	return 0;
}

int sprint_symbol(char *buf, size_t size, unsigned long addr)
{
	unsigned long symsize, off;
	const char *name = kallsyms_lookup(addr, &symsize, &off);

	if (!name)
		return scnprintf(buf, size, "0x%lx", addr);
	return scnprintf(buf, size, "%s+0x%lx/0x%lx", name, off, symsize);
}
