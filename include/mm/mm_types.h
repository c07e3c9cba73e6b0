/*
 * The types of memory management (Linux: include/linux/mm_types.h): struct
 * page, one per physical frame, and the address space, struct mm_struct
 * with its VMAs (struct vm_area_struct). The functions on them are in
 * mm/mm.h; the zone and its free lists in mm/mmzone.h; docs/mm.md tells
 * the whole story of an address space and its locks.
 *
 * Each field says what guards it. The locks of an address space:
 *   mmap_lock (rwsem)   the VMA list and the VMAs' fields, the mm's layout
 *                       fields and counts. Read: page faults, MADV_DONTNEED,
 *                       futex lookups. Write: mmap, munmap, mprotect, mlock,
 *                       brk, exec's mapping of the new image, both mms in
 *                       fork. The mmap_assert_*() checks (mm/mmap_lock.h)
 *                       catch a caller without it.
 *   page_table_lock     the page tables of the user half: installing a table
 *                       or a PTE, clearing one, changing its bits; and the
 *                       stack growth below, under the read lock.
 *   atomics             the two reference counts, mm->flags, the rss and
 *                       page-table counters, a page's _refcount and _mapcount.
 * Order: mmap_lock -> page_table_lock -> zone->lock; mmap_lock -> a mapped
 * file's i_rwsem (a fault reads the file). mmap_lock sleeps, so it is never
 * taken under a spinlock (task_lock(), page_table_lock).
 *
 * Two exceptions to "the write lock":
 *   - expand_stack() grows a VM_GROWSDOWN VMA from a page fault, under the
 *     read lock: it lowers vm_start and raises total_vm (and locked_vm for a
 *     locked stack) under page_table_lock, so two faults growing one stack
 *     at once are serialised. A reader holding only the read lock may see
 *     vm_start move down, never up; that is safe for a fault, which only
 *     asks whether its address is inside.
 *   - exit_mmap() tears the mm down without mmap_lock: mm_users is 0, so
 *     no task can fault, map or fork in it. It records itself in
 *     exit_mmap_task, which the mmap_assert_*() checks accept.
 */
#ifndef _MM_MM_TYPES_H
#define _MM_MM_TYPES_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/rwsem.h>
#include <arch/pgtable.h>

struct kmem_cache;
/*
 * One physical frame. While the frame is free (in the buddy allocator) its
 * first page's PG_buddy, order and lru belong to zone->lock; otherwise the
 * fields belong to whoever allocated the frame, as noted.
 */
struct page {
	unsigned long flags;		/* PG_* bits (mm/mm.h), not atomic: PG_buddy under
					 * zone->lock; PG_slab, PG_head, PG_poisoned by the
					 * owner as it allocates or frees; PG_reserved at boot */
	int _refcount;			/* atomic; 0 when free */
	int _mapcount;			/* atomic; PTEs mapping the page, minus one (-1: none) */
	unsigned int order;		/* zone->lock while free: buddy order; else the
					 * allocation order of a slab or PG_head page, set by
					 * its owner */
	struct list_head lru;		/* zone->lock: a free list; a slab's s->lock: its list */
	struct kmem_cache *slab_cache;	/* PG_slab: the owning cache; set when the slab is made */
	void *freelist;			/* PG_slab, s->lock: first free object */
	unsigned int inuse;		/* PG_slab, s->lock: objects in use */
	unsigned long memcg_data;	/* the memory cgroup charged for the page, with MEMCG_DATA_*
					 * bits (mm/memcontrol.h); 0: none. Set by the charger of
					 * a new page, cleared when the page is freed */
};

struct file;
struct mm_struct;

/* One mapping [vm_start, vm_end) of an address space, on mm->mmap. */
struct vm_area_struct {
	unsigned long vm_start;		/* page aligned; mmap_lock write, or lowered by
					 * expand_stack() under read + page_table_lock */
	unsigned long vm_end;		/* page aligned, exclusive; mmap_lock write */
	unsigned long vm_flags;		/* VM_*; mmap_lock write (mprotect, mlock) */
	pgprot_t vm_page_prot;		/* the PTE bits vm_flags give; mmap_lock write */
	struct mm_struct *vm_mm;	/* set once at creation */
	struct list_head vm_list;	/* mm->mmap, sorted by address; mmap_lock write */
	struct file *vm_file;		/* a private file mapping, or NULL for anonymous;
					 * set once at creation (the VMA holds a reference) */
	unsigned long vm_pgoff;		/* file offset of vm_start, in pages; set once */
	struct list_head shared;	/* on vm_file's inode->i_mmap; i_mmap_lock */
};

/*
 * Resident pages by kind (Linux's names): pages read from a file and not
 * written since, private anonymous pages (and copies made on write), and
 * shared anonymous pages (Linux's shmem).
 */
enum { MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES, NR_MM_COUNTERS };

/* mm->flags bits. */
#define MMF_OOM_SKIP 21		/* the OOM killer and reaper are done with this mm */
#define MMF_OOM_VICTIM 25	/* an OOM victim's mm: exit_mmap() must wait for the reaper */

/*
 * One user address space. Two counts keep it alive (kernel/fork.c):
 *   mm_users  users of the address space: the tasks running in it, and
 *             anyone working inside it through mmget()/get_task_mm(). The
 *             last mmput() tears the mappings down (exit_mmap()).
 *   mm_count  references to the struct itself (mmgrab()/mmdrop()); all of
 *             mm_users together hold one. The last mmdrop() frees it. An
 *             mm_count reference keeps the struct, its mmap_lock and its
 *             flags readable after mm_users reached 0 (the OOM reaper works
 *             that way), but not its pages or VMAs.
 */
struct mm_struct {
	pgd_t *pgd;			/* set once by mm_alloc(), freed by the last mmdrop();
					 * the user entries below it: page_table_lock */
	int mm_users;			/* atomic */
	int mm_count;			/* atomic */
	struct rw_semaphore mmap_lock;
	spinlock_t page_table_lock;
	struct list_head mmap;		/* VMAs sorted by address; mmap_lock (write to change) */
	int map_count;			/* VMAs on mmap; mmap_lock write */
	unsigned long flags;		/* MMF_* bits; atomic */
	long rss_stat[NR_MM_COUNTERS];	/* pages mapped, by kind; atomic */
	long pgtables_bytes;		/* user page tables; atomic */
	unsigned long hiwater_rss;	/* rss peak, recorded before rss drops (VmHWM); atomic */
	unsigned long hiwater_vm;	/* total_vm peak, likewise (VmPeak); mmap_lock write */
	unsigned long total_vm;		/* pages in VMAs; mmap_lock write, or read +
					 * page_table_lock (expand_stack()) */
	unsigned long locked_vm;	/* pages in VM_LOCKED VMAs; as total_vm */
	unsigned long def_flags;	/* VM_LOCKED after mlockall(MCL_FUTURE), for every new VMA; mmap_lock write */
	unsigned long pinned_vm;	/* pages pinned for devices: none in Folio, shown as VmPin */
	unsigned long data_vm, exec_vm, stack_vm;	/* total_vm by kind (vm_stat_account()); as total_vm */
	/* The layout, set by exec as it builds the image and copied by fork. */
	unsigned long start_code, end_code, start_data, end_data;	/* exec, mmap_lock write */
	unsigned long start_brk;	/* exec, mmap_lock write */
	unsigned long brk;		/* mmap_lock write (brk()) */
	unsigned long start_stack;	/* exec, mmap_lock write (setup_stack_vma()) */
	unsigned long mmap_base;	/* set when the mm is made (mm_alloc(), fork) */
	unsigned long arg_start, arg_end, env_start, env_end;	/* exec, before user code runs */
	struct file *exe_file;		/* the program exec'd (/proc/PID/exe); set at exec or fork,
					 * dropped at teardown */
	struct task_struct *owner;	/* the task whose memory cgroup is charged for the pages;
					 * NULL: none (the root). css_set_lock: a task stops
					 * being the owner (mm_update_next_owner()) before it
					 * can be freed, so readers under the lock may use it */
	struct task_struct *exit_mmap_task;	/* the task in exit_mmap(), which needs no
						 * mmap_lock; set once, after mm_users is 0 */
};

#endif
