/*
 * The lifetime of an address space (Linux: include/linux/sched/mm.h). The
 * two counts are explained in mm/mm_types.h; the functions live in
 * kernel/fork.c.
 */
#ifndef _KERNEL_SCHED_MM_H
#define _KERNEL_SCHED_MM_H

#include <kernel/types.h>

struct mm_struct;
struct task_struct;

struct mm_struct *mm_alloc(void);		/* a fresh mm: empty user half, kernel half shared */
void mmget(struct mm_struct *mm);
bool mmget_not_zero(struct mm_struct *mm);
void mmput(struct mm_struct *mm);		/* last user: __mmput() -> exit_mmap() */
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);		/* last reference: free the struct */
/* exit and exec: wake a vfork parent, clear and futex-wake clear_child_tid. */
void mm_release(struct task_struct *tsk);
/* The tasks's mm with a reference (mmget), or NULL for kernel threads and exiting tasks. */
struct mm_struct *get_task_mm(struct task_struct *tsk);
/* exit and exec: current gives mm up; another of its users becomes its owner (kernel/exit.c). */
void mm_update_next_owner(struct mm_struct *mm);

#endif
