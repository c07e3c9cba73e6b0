/*
 * Memory barriers between CPUs (Linux: arch/x86/include/asm/barrier.h).
 * x86-64 is TSO: a CPU's stores become visible to the others in program
 * order, and its loads are not reordered with each other, so the write and
 * read barriers need no instruction. They must still stop the compiler,
 * which would otherwise move the accesses across them.
 */
#ifndef _ARCH_BARRIER_H
#define _ARCH_BARRIER_H

#include <kernel/compiler.h>

/* Stores before it are visible to every CPU before stores after it. */
#define smp_wmb() barrier()

#endif
