/*
 * The memory-management interface (Linux: include/linux/mm.h): struct
 * page's flags and helpers, the physical memory map, the VMA flags and the
 * VMA calls (mm/mmap.c, mm/mprotect.c), page faults, copy-on-write and
 * unmapping (mm/memory.c), an mm's rss counters.
 *
 * The types are in mm/mm_types.h, the zone and its free lists in
 * mm/mmzone.h (both included here, as Linux's mm.h does); an mm's lifetime
 * is in kernel/sched/mm.h, its mmap_lock in mm/mmap_lock.h. The locking
 * rules are on the types: mmap_lock and page_table_lock in mm_types.h,
 * zone->lock in mmzone.h.
 */
#ifndef _MM_MM_H
#define _MM_MM_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <arch/page.h>
#include <mm/gfp.h>
#include <mm/mm_types.h>
#include <mm/mmzone.h>
#include <mm/vmstat.h>

struct file;
struct task_struct;
struct pt_regs;

enum pageflags {
	PG_reserved,	/* never given to the buddy allocator (firmware, kernel image) */
	PG_buddy,	/* first page of a free block on a free list */
	PG_slab,	/* owned by the slab allocator */
	PG_poisoned,	/* freed and filled with PAGE_POISON; checked on allocation */
	PG_head,	/* first page of a higher-order allocation */
	PG_anon,	/* a user page of private anonymous memory (Linux: PageAnon()) */
	PG_swapbacked,	/* a user page of shared anonymous memory (Linux: shmem's PageSwapBacked) */
};

static inline bool PageFlag(const struct page *p, enum pageflags f) { return p->flags & (1UL << f); }
static inline void SetPageFlag(struct page *p, enum pageflags f) { p->flags |= 1UL << f; }
static inline void ClearPageFlag(struct page *p, enum pageflags f) { p->flags &= ~(1UL << f); }
#define PageReserved(p) PageFlag(p, PG_reserved)
#define PageBuddy(p) PageFlag(p, PG_buddy)
#define PageSlab(p) PageFlag(p, PG_slab)

extern struct page *mem_map;
extern unsigned long max_pfn;		/* one past the highest usable frame */
extern unsigned long totalram_pages;	/* frames managed by the buddy allocator */

static inline unsigned long page_to_pfn(const struct page *p) { return p - mem_map; }
static inline struct page *pfn_to_page(unsigned long pfn) { return mem_map + pfn; }
static inline phys_addr_t page_to_phys(const struct page *p) { return PFN_PHYS(page_to_pfn(p)); }
static inline void *page_address(const struct page *p) { return __va(page_to_phys(p)); }
static inline struct page *virt_to_page(const void *va) { return pfn_to_page(PFN_DOWN(__pa(va))); }
static inline bool pfn_valid(unsigned long pfn) { return pfn < max_pfn; }
static inline int page_count(const struct page *p) { return __atomic_load_n(&p->_refcount, __ATOMIC_RELAXED); }
static inline void get_page(struct page *p) { __atomic_add_fetch(&p->_refcount, 1, __ATOMIC_RELAXED); }
/* Drop a reference; the last one frees the page (Linux: put_page()). */
static inline void put_page(struct page *p) { __free_pages(p, 0); }
static inline int page_mapcount(const struct page *p) { return __atomic_load_n(&p->_mapcount, __ATOMIC_RELAXED) + 1; }

#define PAGE_POISON 0xaa	/* freed pages are filled with this (Linux: PAGE_POISON) */

extern int page_poisoning_enabled;

void free_area_init(unsigned long max_pfn);	/* allocate mem_map, set up the zone */
void memblock_free_all(void);			/* hand every free frame to the buddy allocator */
void setup_per_zone_wmarks(void);		/* from min_free_kbytes */
void init_per_zone_wmark_min(void);		/* boot: min_free_kbytes for this much memory, then the marks */
extern int min_free_kbytes;
void show_free_areas(void);			/* the free-area table (sysrq-m, boot) */
void show_mem(void);				/* Linux's Mem-Info: block of the OOM report */
/* For tests: a block of 2^order pages starting at pfn is free in the buddy allocator. */
bool page_is_buddy_free(unsigned long pfn, unsigned int order);

/* No mapping below this (Linux's vm.mmap_min_addr default): NULL dereferences always fault. */
#define MMAP_MIN_ADDR (64UL << 10)
/* The top of the mmap area: below an 8 MiB stack and a gap. */
#define MMAP_BASE ((TASK_SIZE_MAX - (136UL << 20)) & PAGE_MASK)

/* vm_flags, as Linux numbers them. */
#define VM_READ 0x00000001UL
#define VM_WRITE 0x00000002UL
#define VM_EXEC 0x00000004UL
#define VM_SHARED 0x00000008UL
#define VM_MAYREAD 0x00000010UL
#define VM_MAYWRITE 0x00000020UL
#define VM_MAYEXEC 0x00000040UL
#define VM_GROWSDOWN 0x00000100UL
#define VM_LOCKED 0x00002000UL
#define VM_IO 0x00004000UL
#define VM_DONTCOPY 0x00020000UL	/* MADV_DONTFORK: a fork leaves it out */
#define VM_WIPEONFORK 0x02000000UL	/* MADV_WIPEONFORK: a fork's child gets it empty */
#define VM_ACCOUNT 0x00100000UL	/* its pages are counted in Committed_AS */
#define VM_NORESERVE 0x00200000UL	/* MAP_NORESERVE: not counted */
#define VM_SPECIAL VM_IO

/* An mm's resident pages, by kind (atomics). */
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
	return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
	       get_mm_counter(mm, MM_SHMEMPAGES);
}
/* Record the peaks before rss or total_vm go down (munmap, zap, exit), as Linux does. */
static inline void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm), old = __atomic_load_n(&mm->hiwater_rss, __ATOMIC_RELAXED);

	while (old < rss && !__atomic_compare_exchange_n(&mm->hiwater_rss, &old, rss, false, __ATOMIC_RELAXED,
							 __ATOMIC_RELAXED))
		;
}
/* *maxrss = max(*maxrss, mm's rss peak): a process's ru_maxrss outlives its mms (exec, exit). */
static inline void setmax_mm_hiwater_rss(unsigned long *maxrss, struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm), hiwater = __atomic_load_n(&mm->hiwater_rss, __ATOMIC_RELAXED);
	unsigned long old = __atomic_load_n(maxrss, __ATOMIC_RELAXED);

	if (hiwater < rss)
		hiwater = rss;
	while (old < hiwater && !__atomic_compare_exchange_n(maxrss, &old, hiwater, false, __ATOMIC_RELAXED,
							     __ATOMIC_RELAXED))
		;
}
static inline void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}
/* Which counter a user page counts in: anonymous, shared anonymous, or file (Linux: mm_counter()). */
static inline int mm_counter(const struct page *page)
{
	if (PageFlag(page, PG_anon))
		return MM_ANONPAGES;
	return PageFlag(page, PG_swapbacked) ? MM_SHMEMPAGES : MM_FILEPAGES;
}
static inline unsigned long mm_pgtables_bytes(const struct mm_struct *mm)
{
	return __atomic_load_n(&mm->pgtables_bytes, __ATOMIC_RELAXED);
}
/*
 * A user page table installed, or about to be freed: the mm's count
 * (VmPTE), the system's (PageTables) and its memory cgroup's (pagetables,
 * as Linux's pgtable constructor and destructor count it).
 */
void mm_inc_pgtables(struct mm_struct *mm, struct page *table);
void mm_dec_pgtables(struct mm_struct *mm, struct page *table);
/* One of the MMF_* bits of mm->flags. */
static inline bool mm_flags_test(struct mm_struct *mm, int bit)
{
	return __atomic_load_n(&mm->flags, __ATOMIC_ACQUIRE) & (1UL << bit);
}
/*
 * Set an MMF_* bit with release order: whatever the setter did before (the
 * unmapping before MMF_OOM_SKIP) is visible to whoever sees the bit with
 * mm_flags_test()'s acquire. Returns whether it was set already.
 */
static inline bool mm_flags_set(struct mm_struct *mm, int bit)
{
	return __atomic_fetch_or(&mm->flags, 1UL << bit, __ATOMIC_ACQ_REL) & (1UL << bit);
}

/*
 * The kinds of mapping, which differ in where their pages come from: a
 * shared file mapping maps the file's own pages; shared anonymous memory
 * (no file: Folio has no shmem object) is filled in at mmap and shared by
 * its PTEs; private memory, anonymous or of a file, gets its own pages.
 */
static inline bool vma_is_shared_file(const struct vm_area_struct *vma)
{
	return vma->vm_file && (vma->vm_flags & VM_SHARED);
}

static inline bool vma_is_shared_anon(const struct vm_area_struct *vma)
{
	return !vma->vm_file && (vma->vm_flags & VM_SHARED);
}

static inline bool vma_is_private_anon(const struct vm_area_struct *vma)
{
	return !vma->vm_file && !(vma->vm_flags & VM_SHARED);
}

/* VMAs, under mmap_lock. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);	/* first with vm_end > addr */
/* A new VMA [start, end) of mm, not yet on its list (it takes a reference on file). NULL: no memory. */
struct vm_area_struct *vma_alloc(struct mm_struct *mm, unsigned long start, unsigned long end,
				 unsigned long vm_flags, struct file *file, unsigned long pgoff);
/* Put vma on mm's list, in address order, and count it in map_count, total_vm, locked_vm. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
/* Count npages (negative: uncount) of a mapping with vm_flags in total_vm and data/exec/stack_vm. */
void vm_stat_account(struct mm_struct *mm, unsigned long vm_flags, long npages);
/* Map [addr, addr+len) (MAP_FIXED semantics if fixed); returns the address or -errno. */
unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flags, unsigned long pgoff);
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
bool may_expand_vm(struct mm_struct *mm, unsigned long vm_flags, unsigned long npages);
/* The PTE bits for a VMA with these vm_flags. */
pgprot_t vm_get_page_prot(unsigned long vm_flags);
/* Apply vma's (new) vm_page_prot to the PTEs it has (mprotect). */
void change_protection(struct vm_area_struct *vma);
/* A fault just below a VM_GROWSDOWN VMA: grow it (0) or refuse (-ENOMEM). */
int expand_stack(struct vm_area_struct *vma, unsigned long addr);
/* exec: the stack VMA, [top - size, top). */
int setup_stack_vma(struct mm_struct *mm, unsigned long top, unsigned long size);
void mmap_init(void);
/* The last mmput(): every page, page table and VMA goes (no mmap_lock: nobody else can reach mm). */
void exit_mmap(struct mm_struct *mm);

/*
 * Overcommit accounting (mm/util.c): private writable memory is promised
 * when it is mapped (Committed_AS); vm.overcommit_memory says whether a
 * promise may be refused. __vm_enough_memory() counts pages in, or says
 * -ENOMEM without counting; vm_unacct_memory() gives them back.
 */
/* vm.max_map_count: the most VMAs an mm may have (65530, as Linux: a core dump's ELF header needs a few more). */
#define DEFAULT_MAX_MAP_COUNT	65530
extern int sysctl_max_map_count;
extern int sysctl_overcommit_memory;	/* OVERCOMMIT_GUESS, _ALWAYS, _NEVER */
extern int sysctl_overcommit_ratio;	/* percent of RAM that NEVER allows */
int __vm_enough_memory(struct mm_struct *mm, long pages);
void vm_unacct_memory(long pages);
unsigned long vm_commit_limit(void);	/* CommitLimit, pages */
unsigned long vm_memory_committed(void);	/* Committed_AS, pages */

/* /proc/swaps (mm/swapfile.c): Folio has no swap. */
void swap_proc_init(void);

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
/* The end of every fault that ran out of memory, reached holding no lock (mm/memory.c). */
void pagefault_out_of_memory(void);
/* Unmap and free the pages of [start, end) in vma (munmap, MADV_DONTNEED, exit, the OOM reaper). */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* A truncate cut the file at byte from: unmap what every mapping of it had past the new end. */
struct inode;
void unmap_mapping_range(struct inode *inode, long long from);	/* from: a loff_t */
/* Unmap the file's pages [first, first + nr) from every mapping; private copies written to too if even_cows. */
void unmap_mapping_pages(struct inode *inode, unsigned long first, unsigned long nr, bool even_cows);
/* Free the page tables below the user half (exit_mmap). */
void free_pgtables(struct mm_struct *mm);
/* fork: copy the PTEs of one VMA, write-protecting private pages in both (COW). */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
/* The user page at addr, faulted in (for exec's argument copy and ptrace-like access): -ENOMEM, or -EFAULT for a SIGBUS. */
int fault_in_user(struct mm_struct *mm, unsigned long addr, bool write);
/* Fault in [start, end), stopping at a fatal signal (-EINTR) or the first failure. */
int populate_range(struct mm_struct *mm, unsigned long start, unsigned long end, bool write);
/*
 * Copy len bytes at addr of another process's mm into the kernel buffer
 * buf, faulting pages in; the bytes copied (mm/gup.c). Takes mm's
 * mmap_lock for reading, killably: 0 if killed while waiting for it.
 */
int access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, int len, unsigned int gup_flags);

#endif
