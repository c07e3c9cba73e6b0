/* Boot-time memory setup, in the order kmain() calls it (mm/init.c). */
#ifndef _MM_INIT_H
#define _MM_INIT_H

#include <kernel/types.h>

#define MEM_LIMIT_MIN (16UL << 20)	/* mem= below this is refused */

void setup_memory(void);	/* memory map -> memblock, reservations, mem= */
void mm_init(void);		/* mem_map, kernel page tables, buddy, watermarks, slab */
extern phys_addr_t mem_limit;	/* from mem=, 0 if none */

#endif
