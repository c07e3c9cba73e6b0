/*
 * The address-space interface the rest of the kernel uses (Linux:
 * include/linux/mm.h, sched/mm.h). mm/mmap.c owns VMAs and the mm's
 * lifetime; mm/memory.c owns page faults, copy-on-write and unmapping.
 */
#ifndef _MM_MMAP_H
#define _MM_MMAP_H

#include <mm/mm_types.h>

struct task_struct;
struct pt_regs;

/* No mapping below this (Linux's vm.mmap_min_addr default): NULL dereferences always fault. */
#define MMAP_MIN_ADDR (64UL << 10)
/* The top of the mmap area: below an 8 MiB stack and a gap. */
#define MMAP_BASE ((TASK_SIZE_MAX - (136UL << 20)) & PAGE_MASK)

/* Lifetime (see mm_types.h). */
struct mm_struct *mm_alloc(void);		/* a fresh mm: empty user half, kernel half shared */
void mmget(struct mm_struct *mm);
bool mmget_not_zero(struct mm_struct *mm);
void mmput(struct mm_struct *mm);		/* last user: __mmput() -> exit_mmap() */
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);		/* last reference: free the struct */
void exit_mmap(struct mm_struct *mm);
/* exit and exec: wake a vfork parent, clear and futex-wake clear_child_tid. */
void mm_release(struct task_struct *tsk);
/* The tasks's mm with a reference (mmget), or NULL for kernel threads and exiting tasks. */
struct mm_struct *get_task_mm(struct task_struct *tsk);

static inline void mmap_read_lock(struct mm_struct *mm) { down_read(&mm->mmap_lock); }
static inline int mmap_read_trylock(struct mm_struct *mm) { return down_read_trylock(&mm->mmap_lock); }
static inline void mmap_read_unlock(struct mm_struct *mm) { up_read(&mm->mmap_lock); }
static inline void mmap_write_lock(struct mm_struct *mm) { down_write(&mm->mmap_lock); }
static inline int mmap_write_lock_killable(struct mm_struct *mm) { return down_write_killable(&mm->mmap_lock); }
static inline void mmap_write_unlock(struct mm_struct *mm) { up_write(&mm->mmap_lock); }
static inline void mmap_assert_locked(struct mm_struct *mm) { rwsem_assert_held(&mm->mmap_lock); }
static inline void mmap_assert_write_locked(struct mm_struct *mm) { rwsem_assert_held_write(&mm->mmap_lock); }

static inline unsigned long get_mm_counter(struct mm_struct *mm, int member)
{
	long v = __atomic_load_n(&mm->rss_stat[member], __ATOMIC_RELAXED);
	return v < 0 ? 0 : v;
}
static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	__atomic_add_fetch(&mm->rss_stat[member], value, __ATOMIC_RELAXED);
}
static inline unsigned long get_mm_rss(struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES);
}

/* VMAs, under mmap_lock. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);	/* first with vm_end > addr */
/* A new VMA [start, end) of mm, not yet on its list (it takes a reference on file). NULL: no memory. */
struct vm_area_struct *vma_alloc(struct mm_struct *mm, unsigned long start, unsigned long end,
				 unsigned long vm_flags, struct file *file, unsigned long pgoff);
/* Put vma on mm's list, in address order, and count it in map_count, total_vm, locked_vm. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
/* Map [addr, addr+len) (MAP_FIXED semantics if fixed); returns the address or -errno. */
unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flags, unsigned long pgoff);
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
/* The PTE bits for a VMA with these vm_flags. */
pgprot_t vm_get_page_prot(unsigned long vm_flags);
/* Apply vma's (new) vm_page_prot to the PTEs it has (mprotect). */
void change_protection(struct vm_area_struct *vma);
/* A fault just below a VM_GROWSDOWN VMA: grow it (0) or refuse (-ENOMEM). */
int expand_stack(struct vm_area_struct *vma, unsigned long addr);
/* exec: the stack VMA, [top - size, top). */
int setup_stack_vma(struct mm_struct *mm, unsigned long top, unsigned long size);
void mmap_init(void);

/* Faults (mm/memory.c). */
#define VM_FAULT_OOM 0x0001
#define VM_FAULT_SIGBUS 0x0002
#define VM_FAULT_SIGSEGV 0x0040
#define VM_FAULT_RETRY 0x0400
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)
#define FAULT_FLAG_WRITE 0x01
#define FAULT_FLAG_USER 0x40
#define FAULT_FLAG_INSTRUCTION 0x100
unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags,
			     struct pt_regs *regs);
/* The end of every fault that ran out of memory (seed C hooks the memcg OOM here). */
void pagefault_out_of_memory(void);
/* Unmap and free the pages of [start, end) in vma (munmap, MADV_DONTNEED, exit, the OOM reaper). */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* Free the page tables below the user half (exit_mmap). */
void free_pgtables(struct mm_struct *mm);
/* fork: copy the PTEs of one VMA, write-protecting private pages in both (COW). */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
/* The user page at addr, faulted in (for exec's argument copy and ptrace-like access). */
int fault_in_user(struct mm_struct *mm, unsigned long addr, bool write);

#endif
