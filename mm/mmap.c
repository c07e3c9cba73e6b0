/*
 * The VMAs of an address space (Linux: mm/mmap.c): the sorted VMA list and
 * find_vma(), mmap, munmap and brk, the stack VMA and its growth
 * (expand_stack()), and exit_mmap(), which tears the mappings down. The
 * mm's lifetime is in kernel/fork.c; mprotect, mlock and madvise have their
 * own files beside this one.
 *
 * An mm's VMAs sit on a list sorted by address (Linux uses a maple tree;
 * a list is plenty for the dozens of VMAs a Folio process has). mmap finds a
 * gap top-down below mmap_base; munmap, mprotect and mlock split VMAs at the
 * range's edges (split_range()); neighbouring anonymous VMAs with the same
 * flags are merged back together.
 *
 * Locking: mmap_lock for writing around every change to the list or a VMA,
 * checked by mmap_assert_write_locked() in each function that makes one;
 * find_vma() needs it for reading. expand_stack() is the one change made
 * under the read lock (with page_table_lock). exit_mmap() runs without
 * mmap_lock: by then no task uses the mm (mm_users is 0); the OOM reaper,
 * which may still hold an mm_count reference, skips an mm marked
 * MMF_OOM_SKIP, and exit_mmap() of an OOM victim's mm takes the lock for
 * writing once to wait for a reaper already at work (the handshake, see
 * mm/oom_kill.c). A file VMA is also on its inode's i_mmap, under
 * i_mmap_lock (inside mmap_lock): vma_link() and vma_unlink_free() put it
 * there and take it off, split_vma() moves a bound and links the new half
 * in one hold, and exit_mmap() takes its VMAs off before the page tables
 * go. See include/mm/mm_types.h, docs/mm.md and docs/oom.md.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/signal.h>
#include <kernel/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <mm/vmstat.h>
#include <mm/mm.h>
#include <mm/oom.h>
#include <kernel/delay_point.h>
#include <kernel/trace.h>
#include <mm/mmap_lock.h>
#include <mm/slab.h>
#include <fs/fs.h>
#include <fs/mount.h>
#include <kernel/uaccess.h>
#include "internal.h"

#define STACK_GUARD_GAP (256UL << PAGE_SHIFT)	/* Linux's stack_guard_gap */

static struct kmem_cache *vma_cachep;

void mmap_init(void)
{
	vma_cachep = kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), 8, 0, NULL);
	if (!vma_cachep)
		panic("mmap_init: cannot create the mm caches");
}

/* ------------------------------------------------------------ VMAs */

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_assert_locked(mm);
	list_for_each_entry(vma, &mm->mmap, vm_list)
		if (vma->vm_end > addr)
			return vma;
	return NULL;
}

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	/* Private writable pages start read-only where they may be shared (COW); the fault sets RW. */
	pgprot_t prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return _PAGE_PROTNONE;	/* PROT_NONE: kept, but not present (see mm/memory.c) */
	if (vm_flags & VM_WRITE)
		prot |= _PAGE_RW;
	if (!(vm_flags & VM_EXEC))
		prot |= _PAGE_NX;
	return prot & __supported_pte_mask;
}

/* A file VMA goes on its file's i_mmap, where truncate finds the pages to unmap (unmap_mapping_range()). */
static void vma_link_file(struct vm_area_struct *vma)
{
	struct inode *inode = vma->vm_file->f_inode;

	spin_lock(&inode->i_mmap_lock);
	list_add_tail(&vma->shared, &inode->i_mmap);
	spin_unlock(&inode->i_mmap_lock);
}

static void vma_unlink_file(struct vm_area_struct *vma)
{
	struct inode *inode = vma->vm_file->f_inode;

	spin_lock(&inode->i_mmap_lock);
	list_del_init(&vma->shared);
	spin_unlock(&inode->i_mmap_lock);
}

/*
 * VmExe, VmStk, VmData of /proc/PID/status: executable mappings that are
 * not writable, the stack, and private writable memory (Linux's
 * is_exec_mapping() etc.; the stack is VM_GROWSDOWN on x86).
 */
void vm_stat_account(struct mm_struct *mm, unsigned long vm_flags, long npages)
{
	WRITE_ONCE(mm->total_vm, mm->total_vm + npages);
	if ((vm_flags & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) == VM_EXEC)
		WRITE_ONCE(mm->exec_vm, mm->exec_vm + npages);
	else if (vm_flags & VM_GROWSDOWN)
		WRITE_ONCE(mm->stack_vm, mm->stack_vm + npages);
	else if ((vm_flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE)
		WRITE_ONCE(mm->data_vm, mm->data_vm + npages);
}

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *next = find_vma(mm, vma->vm_start);

	mmap_assert_write_locked(mm);
	list_add_tail(&vma->vm_list, next ? &next->vm_list : &mm->mmap);
	if (vma->vm_file)
		vma_link_file(vma);
	mm->map_count++;
	vm_stat_account(mm, vma->vm_flags, (vma->vm_end - vma->vm_start) >> PAGE_SHIFT);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

static void vma_unlink_free(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mmap_assert_write_locked(mm);
	list_del(&vma->vm_list);
	mm->map_count--;
	update_hiwater_vm(mm);
	vm_stat_account(mm, vma->vm_flags, -(long)((vma->vm_end - vma->vm_start) >> PAGE_SHIFT));
	if (vma->vm_flags & VM_ACCOUNT)
		vm_unacct_memory((vma->vm_end - vma->vm_start) >> PAGE_SHIFT);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm -= (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	if (vma->vm_file) {
		vma_unlink_file(vma);
		fput(vma->vm_file);
	}
	kmem_cache_free(vma_cachep, vma);
}

struct vm_area_struct *vma_alloc(struct mm_struct *mm, unsigned long start, unsigned long end,
				 unsigned long vm_flags, struct file *file, unsigned long pgoff)
{
	struct vm_area_struct *vma = kmem_cache_zalloc(vma_cachep, GFP_KERNEL);

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_page_prot = vm_get_page_prot(vm_flags);
	vma->vm_file = file ? get_file(file) : NULL;
	vma->vm_pgoff = pgoff;
	INIT_LIST_HEAD(&vma->vm_list);
	INIT_LIST_HEAD(&vma->shared);
	return vma;
}

int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;

/*
 * Split vma at addr: vma keeps [vm_start, addr), a new VMA gets [addr,
 * vm_end). Unless the caller has made its own check (munmap, whose splits
 * are followed by a removal), an mm already at vm.max_map_count is refused.
 */
static int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, bool check_count)
{
	struct vm_area_struct *new;

	mmap_assert_write_locked(mm);
	if (check_count && mm->map_count >= READ_ONCE(sysctl_max_map_count))
		return -ENOMEM;
	new = vma_alloc(mm, addr, vma->vm_end, vma->vm_flags, vma->vm_file,
			vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
	if (!new)
		return -ENOMEM;
	new->vm_page_prot = vma->vm_page_prot;
	/* A truncate walking i_mmap sees the file's range either in vma alone or split in two. */
	if (vma->vm_file)
		spin_lock(&vma->vm_file->f_inode->i_mmap_lock);
	vma->vm_end = addr;
	if (vma->vm_file) {
		list_add(&new->shared, &vma->shared);
		spin_unlock(&vma->vm_file->f_inode->i_mmap_lock);
	}
	list_add(&new->vm_list, &vma->vm_list);
	mm->map_count++;
	return 0;
}

/* If b directly follows a and both are anonymous with the same flags, a absorbs b. */
static void merge_pair(struct mm_struct *mm, struct vm_area_struct *a, struct vm_area_struct *b)
{
	if (!a || !b || a->vm_file || b->vm_file || a->vm_end != b->vm_start || a->vm_flags != b->vm_flags)
		return;
	a->vm_end = b->vm_end;
	list_del(&b->vm_list);
	mm->map_count--;
	kmem_cache_free(vma_cachep, b);
}

/* Anonymous neighbours that touch and agree on everything become one VMA again. */
void vma_try_merge(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(mm, vma);

	mmap_assert_write_locked(mm);
	merge_pair(mm, vma, vma_next(mm, vma));
	merge_pair(mm, prev, vma);	/* vma may be freed here: it is not used after */
}

/* The private anonymous VMAs of [start, end), each merged with its neighbours where they agree (mprotect, madvise). */
void vma_merge_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;

	for (unsigned long a = start; (vma = find_vma(mm, a)) && vma->vm_start < end;) {
		a = vma->vm_end;
		if (!(vma->vm_flags & VM_SHARED))
			vma_try_merge(mm, vma);	/* vma may be freed: a is taken first */
	}
}

static int __split_range(struct mm_struct *mm, unsigned long start, unsigned long end, bool check_count)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	int err;

	mmap_assert_write_locked(mm);
	if (vma && vma->vm_start < start && (err = split_vma(mm, vma, start, check_count)))
		return err;
	vma = find_vma(mm, end);
	if (vma && vma->vm_start < end && (err = split_vma(mm, vma, end, check_count)))
		return err;
	return 0;
}

/* Make [start, end) consist of whole VMAs (splitting at the edges); -ENOMEM if a split fails. */
int split_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	return __split_range(mm, start, end, true);
}

int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end;
	struct vm_area_struct *vma, *next;

	mmap_assert_write_locked(mm);
	if ((start & ~PAGE_MASK) || !len || start >= TASK_SIZE_MAX || len > TASK_SIZE_MAX - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	/* A hole punched in one VMA leaves one VMA more: not past vm.max_map_count (Linux's check). */
	vma = find_vma(mm, start);
	if (vma && vma->vm_start < start && end < vma->vm_end && mm->map_count >= READ_ONCE(sysctl_max_map_count))
		return -ENOMEM;
	int err = __split_range(mm, start, end, false);
	if (err)
		return err;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = next) {
		next = vma_next(mm, vma);
		zap_page_range(vma, vma->vm_start, vma->vm_end);
		vma_unlink_free(mm, vma);
	}
	return 0;
}

/* A free, page-aligned gap of len bytes in [low, high), top-down; 0 if none. */
static unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long len, unsigned long low,
				       unsigned long high)
{
	unsigned long top = high;
	struct vm_area_struct *vma;

	list_for_each_entry_reverse(vma, &mm->mmap, vm_list) {
		if (vma->vm_start >= top)
			continue;
		if (top < low + len)
			return 0;
		if (vma->vm_end <= top - len)
			return top - len;
		top = vma->vm_start;
	}
	return top >= low + len ? top - len : 0;
}

static bool range_is_free(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	return !vma || vma->vm_start >= end;
}

/* Pages of [start, end) that VMAs already cover (what a MAP_FIXED mapping replaces). */
static unsigned long count_vma_pages_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long pages = 0;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(mm, vma))
		pages += (min(vma->vm_end, end) - max(vma->vm_start, start)) >> PAGE_SHIFT;
	return pages;
}

/*
 * May the address space grow by npages of a VMA with vm_flags? RLIMIT_AS
 * caps all of it, RLIMIT_DATA its private writable part (Linux's
 * may_expand_vm(), whose numbers are the VmSize and VmData of status). A
 * soft data limit of 0 lets the hard one rule instead, as Linux (old
 * programs set 0 without meaning it).
 */
bool may_expand_vm(struct mm_struct *mm, unsigned long vm_flags, unsigned long npages)
{
	unsigned long data_lim = READ_ONCE(current->signal->rlim_data);

	if (mm->total_vm + npages > READ_ONCE(current->signal->rlim_as) >> PAGE_SHIFT)
		return false;
	if ((vm_flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) != VM_WRITE ||
	    mm->data_vm + npages <= data_lim >> PAGE_SHIFT)
		return true;
	if (!data_lim && mm->data_vm + npages <= READ_ONCE(current->signal->rlim[RLIMIT_DATA].rlim_max) >> PAGE_SHIFT)
		return true;
	pr_warn_once("%s (%d): VmData %lu exceed data ulimit %lu. Update limits or use boot option ignore_rlimit_data.\n",
		     current->comm, current->pid, (mm->data_vm + npages) << PAGE_SHIFT, data_lim);
	return false;
}

/*
 * Where a mapping of len bytes goes (Linux's get_unmapped_area()), or an
 * error. A hint is rounded down to its page and taken if free; MAP_32BIT
 * mappings go between 1 and 2 GiB, as on Linux.
 */
unsigned long mmap_pick_addr(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long flags)
{
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr >= TASK_SIZE_MAX || len > TASK_SIZE_MAX - addr)
			return -ENOMEM;
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;	/* as Linux, below vm.mmap_min_addr */
		if ((flags & MAP_FIXED_NOREPLACE) && !range_is_free(mm, addr, addr + len))
			return -EEXIST;
		return addr;
	}
	if (flags & MAP_32BIT)
		addr = get_unmapped_area(mm, len, 1UL << 30, 1UL << 31);
	else {
		addr &= PAGE_MASK;
		if (addr && addr < MMAP_MIN_ADDR)
			addr = MMAP_MIN_ADDR;
		if (!addr || addr >= TASK_SIZE_MAX || len > TASK_SIZE_MAX - addr ||
		    !range_is_free(mm, addr, addr + len))
			addr = get_unmapped_area(mm, len, MMAP_MIN_ADDR, mm->mmap_base);
	}
	return addr ? addr : (unsigned long)-ENOMEM;
}

/*
 * Fill a new mapping in where it must be. Shared anonymous memory is
 * populated now, so a fork shares the pages themselves (Folio has no shmem
 * object through which pages faulted after the fork could be shared): it
 * has all its pages or fails. Locked and MAP_POPULATE mappings are
 * populated as Linux does, which is a best effort: where memory (or the
 * memory cgroup's limit) runs out, the rest is left to the faults that
 * will need it. Returns the mapping's address or an error.
 */
static unsigned long mmap_populate(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long flags)
{
	unsigned long addr = vma->vm_start, len = vma->vm_end - vma->vm_start, vm_flags = vma->vm_flags;
	int err;

	if (vma_is_shared_anon(vma)) {
		err = populate_range(mm, addr, addr + len, vm_flags & VM_WRITE);
		if (err) {
			do_munmap(mm, addr, len);
			return err;
		}
	} else if ((vm_flags & VM_LOCKED) || (flags & MAP_POPULATE)) {
		populate_range(mm, addr, addr + len, vm_flags & VM_WRITE);	/* errors ignored, as Linux's mm_populate() */
	}
	if (vma_is_private_anon(vma))
		vma_try_merge(mm, vma);
	return addr;
}

/* /dev/zero maps as anonymous memory, private or shared, as on Linux. */
static bool file_is_dev_zero(struct file *file)
{
	struct inode *inode = file->f_inode;

	return S_ISCHR(inode->i_mode) && inode->i_rdev == MKDEV(1, 5);
}

/*
 * The checks of a file mapping, in Linux's order (do_mmap()), adding the
 * file's part to *vm_flags. A shared mapping maps the file's own pages,
 * which its file system must be able to give (->fault_page: ramfs and
 * tmpfs); a writable one of another file cannot be made (-ENODEV). One of
 * a file open read-only may never be made writable by mprotect() (no
 * VM_MAYWRITE), as Linux makes it.
 */
static int mmap_file_check(struct file *file, unsigned long prot, unsigned long flags,
			   unsigned long *vm_flags)
{
	bool shared = false;

	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (flags & ~LEGACY_MAP_MASK)
			return -EOPNOTSUPP;
		/* fall through */
	case MAP_SHARED:
		if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		shared = true;
		if (!(file->f_mode & FMODE_WRITE))
			*vm_flags &= ~VM_MAYWRITE;
		/* fall through */
	case MAP_PRIVATE:
		if (!(file->f_mode & FMODE_READ))
			return -EACCES;
		if (file->f_path.mnt && path_noexec(&file->f_path)) {	/* a file of a noexec mount */
			if (*vm_flags & VM_EXEC)
				return -EPERM;
			*vm_flags &= ~VM_MAYEXEC;
		}
		if (!S_ISREG(file->f_inode->i_mode) && !file_is_dev_zero(file))
			return -ENODEV;
		if (*vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		if (!shared)
			return 0;
		if (file->f_op->fault_page || file_is_dev_zero(file))
			*vm_flags |= VM_SHARED;
		else if (file->f_mode & FMODE_WRITE)
			return -ENODEV;	/* no pages of its own to share */
		return 0;	/* (read-only, of a file without pages to share: a private mapping serves) */
	default:
		return -EINVAL;
	}
}

static int mmap_anon_check(unsigned long flags, unsigned long *vm_flags)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		if (*vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		*vm_flags |= VM_SHARED;
		return 0;
	case MAP_PRIVATE:
		return 0;
	default:	/* MAP_SHARED_VALIDATE too: nothing to validate against */
		return -EINVAL;
	}
}

/*
 * The accounting of a new mapping (Linux's mmap_region()): RLIMIT_AS and
 * RLIMIT_DATA, then the pages a MAP_FIXED mapping replaces go, then the
 * promise of its memory (Committed_AS), which vm.overcommit_memory may
 * refuse. Private writable memory keeps its charge (VM_ACCOUNT); shared
 * anonymous memory is only checked: Linux makes the same check when it
 * creates the shmem object behind it, and keeps the charge there, an
 * object Folio lacks. The check also spares Folio, which fills such memory
 * in at mmap, a huge mapping that would run for hours.
 */
static int mmap_region_charge(struct mm_struct *mm, unsigned long addr, unsigned long len,
			      unsigned long *vm_flags, bool anon)
{
	int err;

	if (!may_expand_vm(mm, *vm_flags, len >> PAGE_SHIFT) &&
	    !may_expand_vm(mm, *vm_flags, (len >> PAGE_SHIFT) - count_vma_pages_range(mm, addr, addr + len)))
		return -ENOMEM;
	if (!range_is_free(mm, addr, addr + len) && (err = do_munmap(mm, addr, len)))
		return err;
	if ((*vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE) {
		if (__vm_enough_memory(mm, len >> PAGE_SHIFT))
			return -ENOMEM;
		*vm_flags |= VM_ACCOUNT;
	}
	if (anon && (*vm_flags & (VM_NORESERVE | VM_SHARED)) == VM_SHARED) {
		if (__vm_enough_memory(mm, len >> PAGE_SHIFT))
			return -ENOMEM;
		vm_unacct_memory(len >> PAGE_SHIFT);
	}
	return 0;
}

unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flags, unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	unsigned long vm_flags;
	int err;

	mmap_assert_write_locked(mm);
	if (!len)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE_MAX)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > READ_ONCE(sysctl_max_map_count))
		return -ENOMEM;
	addr = mmap_pick_addr(mm, addr, len, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	vm_flags = calc_vm_prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
		   ((flags & MAP_GROWSDOWN) ? VM_GROWSDOWN : 0) | ((flags & MAP_LOCKED) ? VM_LOCKED : 0) |
		   mm->def_flags;
	/*
	 * The file offset of the mapping's last byte must be one a loff_t can
	 * hold (Linux's file_mmap_ok()): past it the offset would wrap, and a
	 * page would read the file's start, or overflow a fault's shift.
	 */
	if (file && pgoff > (LONG_MAX - len) >> PAGE_SHIFT)
		return -EOVERFLOW;
	err = file ? mmap_file_check(file, prot, flags, &vm_flags) : mmap_anon_check(flags, &vm_flags);
	if (err)
		return err;
	if (!file)
		pgoff = 0;	/* anonymous memory has no offset: Linux's shared one starts its shmem object there */
	if (file && file_is_dev_zero(file))
		file = NULL;
	if ((flags & MAP_NORESERVE) && READ_ONCE(sysctl_overcommit_memory) != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;
	if ((err = mmap_region_charge(mm, addr, len, &vm_flags, !file)))
		return err;
	struct vm_area_struct *vma = vma_alloc(mm, addr, addr + len, vm_flags, file, pgoff);
	if (!vma) {
		if (vm_flags & VM_ACCOUNT)
			vm_unacct_memory(len >> PAGE_SHIFT);
		return -ENOMEM;
	}
	vma_link(mm, vma);
	return mmap_populate(mm, vma, flags);
}

/*
 * MAP_HUGETLB: Folio reserves no huge pages (HugePages_Total is 0), so an
 * anonymous huge mapping finds none, as on a Linux without them: -ENOMEM
 * for a huge page size x86-64 has (the default, 2 MiB, 1 GiB), -EINVAL for
 * another. A file that is not on hugetlbfs cannot be mapped so (-EINVAL).
 */
static long mmap_hugetlb_error(unsigned long flags, bool anon)
{
	unsigned long shift = (flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;

	if (!anon)
		return -EINVAL;
	return shift == 0 || shift == 21 || shift == 30 ? -ENOMEM : -EINVAL;
}

SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len, unsigned long, prot, unsigned long, flags,
		unsigned long, fd, unsigned long, off)
{
	struct mm_struct *mm = current->mm;
	struct file *file = NULL;
	unsigned long ret;

	if (off & ~PAGE_MASK)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget((unsigned int)fd);
		if (!file)
			return -EBADF;
	}
	if (flags & MAP_HUGETLB) {
		ret = mmap_hugetlb_error(flags, !file);
		goto out;
	}
	if (mmap_write_lock_killable(mm)) {
		ret = -EINTR;
		goto out;
	}
	ret = do_mmap(file, addr, len, prot, flags, off >> PAGE_SHIFT);
	mmap_write_unlock(mm);
out:
	if (file)
		fput(file);	/* the VMA holds its own reference */
	return ret;
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, unsigned long, len)
{
	struct mm_struct *mm = current->mm;

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	int ret = do_munmap(mm, addr, len);
	mmap_write_unlock(mm);
	return ret;
}

/* brk: the heap is the anonymous VMA [start_brk, PAGE_ALIGN(brk)). Returns the new break, or the old one on failure. */
SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	ret = mm->brk;
	if (brk < mm->start_brk || brk > TASK_SIZE_MAX - STACK_GUARD_GAP)
		goto out;
	unsigned long oldend = PAGE_ALIGN(mm->brk), newend = PAGE_ALIGN(brk);
	if (newend < oldend) {
		if (do_munmap(mm, newend, oldend - newend))
			goto out;
	} else if (newend > oldend) {
		struct vm_area_struct *next = find_vma(mm, oldend);
		if (next && next->vm_start < newend + ((next->vm_flags & VM_GROWSDOWN) ? STACK_GUARD_GAP : 0))
			goto out;	/* would run into the next mapping */
		if (IS_ERR_VALUE(do_mmap(NULL, oldend, newend - oldend, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0)))
			goto out;
	}
	mm->brk = ret = brk;
out:
	mmap_write_unlock(mm);
	return ret;
}

/*
 * Grow a VM_GROWSDOWN VMA down to cover addr (a fault just below the stack).
 * The one VMA change made under mmap_lock for reading: two faults may grow
 * the stack at once, so vm_start, total_vm and locked_vm change under
 * page_table_lock, and vm_start only ever goes down (mm_types.h).
 */
int expand_stack(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = vma_prev(mm, vma);
	unsigned long start = addr & PAGE_MASK;

	mmap_assert_locked(mm);
	if (vma->vm_end - start > current->signal->rlim_stack)
		return -ENOMEM;
	if (prev && prev->vm_end + STACK_GUARD_GAP > start)
		return -ENOMEM;
	/* The growth is promised like any private memory (Linux's acct_stack_growth()). */
	long grow = start < vma->vm_start ? (vma->vm_start - start) >> PAGE_SHIFT : 0;
	if (grow && !may_expand_vm(mm, vma->vm_flags, grow))
		return -ENOMEM;
	if (grow && __vm_enough_memory(mm, grow))
		return -ENOMEM;
	spin_lock(&mm->page_table_lock);
	if (start < vma->vm_start) {
		unsigned long pages = (vma->vm_start - start) >> PAGE_SHIFT;
		vm_stat_account(mm, vma->vm_flags, pages);
		if (vma->vm_flags & VM_LOCKED)
			mm->locked_vm += pages;
		vma->vm_start = start;
		grow = 0;
	}
	spin_unlock(&mm->page_table_lock);
	if (grow)
		vm_unacct_memory(grow);	/* another fault grew it first */
	return 0;
}

/* exec: the stack VMA, just below top. */
int setup_stack_vma(struct mm_struct *mm, unsigned long top, unsigned long size)
{
	if (__vm_enough_memory(mm, size >> PAGE_SHIFT))
		return -ENOMEM;
	struct vm_area_struct *vma = vma_alloc(mm, top - size, top,
					       VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_GROWSDOWN |
					       VM_ACCOUNT, NULL, 0);
	if (!vma) {
		vm_unacct_memory(size >> PAGE_SHIFT);
		return -ENOMEM;
	}
	vma_link(mm, vma);
	mm->start_stack = top;
	return 0;
}

/*
 * Tear an address space down: every page, then the page tables, then the
 * VMAs. The last mmput() calls this with mm_users at 0, so no task can reach
 * the mm's VMAs any more and no mmap_lock is taken; this task is marked as
 * the one excused from the mmap_assert_*() checks (mm/mmap_lock.h).
 */
void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *next;
	pid_t pid = current->pid;

	WRITE_ONCE(mm->exit_mmap_task, current);
	trace_exit_mmap_start(pid);
	/*
	 * Unmap everything. An OOM reaper may be unmapping the same ranges
	 * under mmap_lock for reading: each PTE is cleared under
	 * page_table_lock, so whichever of us clears it frees the page, once.
	 */
	list_for_each_entry(vma, &mm->mmap, vm_list)
		zap_page_range(vma, vma->vm_start, vma->vm_end);
	delay_point("exit_mmap_after_unmap");
	/* LAB reaper */
	/* LAB reaper STUB
	if (mm_flags_test(mm, MMF_OOM_VICTIM))
		oom_victim_mm_unmapped();
	*/
	/*
	 * The memory is gone: tell the reaper and the OOM killer (model:
	 * oom_skip = true). A reaper that tests the bit under its read lock from
	 * now on leaves the mm alone; one that tested it earlier may still be
	 * unmapping.
	 */
	mm_flags_set(mm, MMF_OOM_SKIP);
	trace_exit_mmap_oom_skip(pid);
	if (mm_flags_test(mm, MMF_OOM_VICTIM)) {
		oom_victim_mm_unmapped();
		delay_point("exit_mmap_before_dummy_lock");
		/*
		 * The 2017 handshake: wait for a reaper still inside its read lock
		 * before the page tables it walks are freed. The mark cannot appear
		 * behind our back: the OOM killer marks a victim only while it sees
		 * the victim's ->mm under task_lock, and exit_mm() cleared ->mm
		 * under that lock before the mmput() that brought us here.
		 * model: exit_mmap(), down_write(); up_write().
		 */
		mmap_write_lock(mm);
		trace_exit_mmap_lock(pid);
		mmap_write_unlock(mm);
		trace_exit_mmap_unlock(pid);
	}
	/* END LAB */
	/* A truncate must not walk the page tables about to go: off the files' i_mmap first. */
	list_for_each_entry(vma, &mm->mmap, vm_list)
		if (vma->vm_file)
			vma_unlink_file(vma);
	free_pgtables(mm);
	list_for_each_entry_safe(vma, next, &mm->mmap, vm_list)
		vma_unlink_free(mm, vma);
}
