/*
 * The stack depot (Linux: include/linux/stackdepot.h, stacktrace.h): call
 * stacks stored once each and named by a 32-bit handle, so that KASAN can
 * remember who allocated and who freed every object and page for the price
 * of two integers. Only in the SANITIZE=1 build (CONFIG_KASAN).
 */
#ifndef _LIB_STACKDEPOT_H
#define _LIB_STACKDEPOT_H

#include <kernel/types.h>

typedef u32 depot_stack_handle_t;	/* 0: no stack */

/* Give the depot its memory (boot, from memblock). Until then it stores nothing. */
void stack_depot_init(void *pool, size_t size);
/* The stack's handle, storing it if new; 0 if the depot is full. */
depot_stack_handle_t stack_depot_save(const unsigned long *entries, unsigned int nr);
/* Print a stored stack as Call Trace lines (" func+0x1f/0x40"), at KERN_ERR. */
void stack_depot_print(depot_stack_handle_t handle);

/*
 * Return addresses of the current call chain (frame pointers), innermost
 * first, after skipping `skip` of them; stops at the end of current's stack.
 */
unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skip);

#endif
