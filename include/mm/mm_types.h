/*
 * The types of memory management (Linux: include/linux/mm_types.h): struct
 * page, one per physical frame, and the address space, struct mm_struct
 * with its VMAs (struct vm_area_struct). The functions on them are in
 * mm/mm.h; the zone and its free lists in mm/mmzone.h.
 *
 * struct page: mem_map[] holds one per physical frame up to max_pfn. A free
 * block of 2^order pages is represented by its first page, which has
 * PG_buddy set and page->order == order, and sits on zone->free_area[order];
 * zone->lock guards those fields then (see mm/mmzone.h). _refcount and
 * _mapcount are atomics.
 *
 * struct mm_struct is one user address space: its page tables (pgd), its
 * VMAs, and two counts, as OOM-DESIGNS.md explains:
 *   mm_users  users of the address space (threads, and anyone working in it
 *             through mmget()); the last mmput() tears it down: exit_mmap().
 *   mm_count  references to the struct itself (mmgrab()/mmdrop()); all of
 *             mm_users together hold one. The last mmdrop() frees the struct.
 *
 * Locking:
 *   mmap_lock (rwsem)   the VMA list and every vm_* field, the brk/stack
 *                       fields; read for page faults, write for mmap, munmap,
 *                       mprotect, brk, exec's teardown. exit_mmap() runs
 *                       without it (nobody else can reach the mm then).
 *   page_table_lock     installing and removing page-table entries, so two
 *                       faults under the read lock cannot race on one PTE.
 *   rss counters        atomics.
 */
#ifndef _MM_MM_TYPES_H
#define _MM_MM_TYPES_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/rwsem.h>
#include <arch/pgtable.h>

struct kmem_cache;
struct page {
	unsigned long flags;
	int _refcount;			/* 0 when free */
	int _mapcount;			/* user mappings, -1 = none (user space comes later) */
	unsigned int order;		/* buddy order while free, allocation order for slab/head pages */
	struct list_head lru;		/* free list or slab list */
	struct kmem_cache *slab_cache;	/* PG_slab: the owning cache */
	void *freelist;			/* PG_slab: first free object */
	unsigned int inuse;		/* PG_slab: objects in use */
	void *mem_cgroup;		/* the charged memcg (memory cgroups come later) */
};

struct file;
struct mm_struct;

struct vm_area_struct {
	unsigned long vm_start, vm_end;	/* [vm_start, vm_end), page aligned */
	unsigned long vm_flags;
	pgprot_t vm_page_prot;
	struct mm_struct *vm_mm;
	struct list_head vm_list;	/* mm->mmap, sorted by address */
	struct file *vm_file;		/* a private file mapping, or NULL for anonymous */
	unsigned long vm_pgoff;		/* file offset of vm_start, in pages */
};

enum { MM_FILEPAGES, MM_ANONPAGES, NR_MM_COUNTERS };

/* mm->flags bits. */
#define MMF_OOM_SKIP 21		/* the OOM killer and reaper are done with this mm */

struct mm_struct {
	pgd_t *pgd;
	int mm_users;			/* atomic */
	int mm_count;			/* atomic */
	struct rw_semaphore mmap_lock;
	spinlock_t page_table_lock;
	struct list_head mmap;		/* VMAs sorted by address */
	int map_count;
	unsigned long flags;		/* MMF_* bits, atomic */
	long rss_stat[NR_MM_COUNTERS];	/* atomic, pages */
	long pgtables_bytes;		/* atomic */
	unsigned long total_vm, locked_vm;	/* pages, under mmap_lock */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack, mmap_base;
	unsigned long arg_start, arg_end, env_start, env_end;
	struct task_struct *owner;	/* for memcg, later */
	void *memcg;			/* the charged memory cgroup, later */
};

#endif
