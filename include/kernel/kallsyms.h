/*
 * kallsyms: the kernel's own symbol table, built into the image at link time
 * (tools/kallsyms.sh generates it from the previous link pass). Used by
 * backtraces and by %pS.
 */
#ifndef _KERNEL_KALLSYMS_H
#define _KERNEL_KALLSYMS_H

#include <kernel/types.h>

/* Name of the function containing addr, with its offset and size; NULL if unknown. */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset);
unsigned long kallsyms_lookup_name(const char *name);
/* "func+0x1f/0x40" or "0xffffffff80101234" into buf. */
int sprint_symbol(char *buf, size_t size, unsigned long addr);

#endif
