/*
 * Switching address spaces (Linux: arch/x86/include/asm/mmu_context.h).
 * switch_mm() loads an mm's page tables into CR3; the scheduler calls it at
 * every task switch, exec and exit_mm() when current's mm changes.
 */
#ifndef _ARCH_MMU_CONTEXT_H
#define _ARCH_MMU_CONTEXT_H

struct mm_struct;

/* Load next's page tables (the kernel's own, init_pgd, when next is NULL). */
void switch_mm(struct mm_struct *prev, struct mm_struct *next);

#endif
