/*
 * Switching address spaces (Linux: arch/x86/mm/tlb.c's switch_mm()).
 *
 * Every mm shares the kernel half of init_pgd, so kernel code runs the same
 * under any CR3; a task without an mm (a kernel thread, or a task past
 * exit_mm()) runs on init_pgd itself. Writing CR3 flushes the non-global TLB
 * entries, so the write is skipped when the tables are already loaded.
 *
 * Locking: none. Only the running CPU's CR3 changes; callers keep the mm
 * alive (a reference, or task_lock in exit_mm()) while it is loaded.
 */
#include <kernel/kernel.h>
#include <mm/mm_types.h>
#include <arch/mmu_context.h>
#include <arch/pgtable.h>
#include <arch/processor.h>

void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	pgd_t *pgd = next ? next->pgd : init_pgd;

	(void)prev;
	if ((read_cr3() & PTE_PFN_MASK) != __pa(pgd))
		write_cr3(__pa(pgd));
}
