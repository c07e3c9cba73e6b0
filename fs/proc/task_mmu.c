/*
 * A process's memory as /proc shows it (Linux: fs/proc/task_mmu.c): the
 * Vm* lines of status and the numbers of statm, from counters; maps, smaps
 * and smaps_rollup, from the VMA list and the page tables.
 *
 * Locking, and why it matters: maps, smaps and smaps_rollup walk the VMAs, so
 * they hold the target's mmap_lock for reading across each batch of
 * records (->start() to ->stop() of the seq_file), taken with
 * mmap_read_lock_killable(). A reader that finds the lock held for
 * writing (the target inside mmap() or brk(), perhaps stuck there at a
 * memory-cgroup limit) sleeps until the writer is done, but a fatal
 * signal still ends the wait: that is what lets a user-space OOM handler
 * that reads these files be killed rather than hang for ever. The mm
 * itself is pinned at open (mm_count, proc_mem_open()) and used only while
 * it still has users (mmget_not_zero()): a process that has exited shows
 * an empty maps. Nothing is copied to the reader with mmap_lock held
 * (seq_file copies after ->stop()).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/mm.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <mm/pagewalk.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/seq_file.h>
#include <fs/uapi.h>
#include "internal.h"

/* A count in pages as status shows it: kB, right-aligned in 8 columns. */
static void put_kb(struct seq_file *m, const char *label, unsigned long pages)
{
	seq_put_decimal_ull_width(m, label, pages << (PAGE_SHIFT - 10), 8);
	seq_puts(m, " kB\n");
}

/* The Vm* and Rss* lines of /proc/PID/status: counters, no mmap_lock. */
void task_mem(struct seq_file *m, struct mm_struct *mm)
{
	unsigned long anon = get_mm_counter(mm, MM_ANONPAGES), file = get_mm_counter(mm, MM_FILEPAGES);
	unsigned long shmem = get_mm_counter(mm, MM_SHMEMPAGES), rss = anon + file + shmem;
	unsigned long total_vm = READ_ONCE(mm->total_vm), exec_vm = READ_ONCE(mm->exec_vm);
	unsigned long hiwater_vm = max(total_vm, READ_ONCE(mm->hiwater_vm));
	unsigned long hiwater_rss = max(rss, __atomic_load_n(&mm->hiwater_rss, __ATOMIC_RELAXED));
	unsigned long text = PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK);

	text = min(text, exec_vm << PAGE_SHIFT);	/* bytes of the program's own code ... */
	unsigned long lib = (exec_vm << PAGE_SHIFT) - text;	/* ... and of other executable mappings */
	put_kb(m, "VmPeak:\t", hiwater_vm);
	put_kb(m, "VmSize:\t", total_vm);
	put_kb(m, "VmLck:\t", READ_ONCE(mm->locked_vm));
	put_kb(m, "VmPin:\t", READ_ONCE(mm->pinned_vm));
	put_kb(m, "VmHWM:\t", hiwater_rss);
	put_kb(m, "VmRSS:\t", rss);
	put_kb(m, "RssAnon:\t", anon);
	put_kb(m, "RssFile:\t", file);
	put_kb(m, "RssShmem:\t", shmem);
	put_kb(m, "VmData:\t", READ_ONCE(mm->data_vm));
	put_kb(m, "VmStk:\t", READ_ONCE(mm->stack_vm));
	put_kb(m, "VmExe:\t", text >> PAGE_SHIFT);
	put_kb(m, "VmLib:\t", lib >> PAGE_SHIFT);
	put_kb(m, "VmPTE:\t", mm_pgtables_bytes(mm) >> PAGE_SHIFT);
	put_kb(m, "VmSwap:\t", 0);
	put_kb(m, "HugetlbPages:\t", 0);
}

/* statm's numbers, in pages: counters, no mmap_lock. Returns the size (total_vm). */
unsigned long task_statm(struct mm_struct *mm, unsigned long *shared, unsigned long *text, unsigned long *data,
			 unsigned long *resident)
{
	*shared = get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_SHMEMPAGES);
	*text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT;
	*data = READ_ONCE(mm->data_vm) + READ_ONCE(mm->stack_vm);
	*resident = *shared + get_mm_counter(mm, MM_ANONPAGES);
	return READ_ONCE(mm->total_vm);
}

/* ---- maps and smaps_rollup: the VMA list, under mmap_lock ---- */

struct proc_maps_private {
	struct inode *inode;
	struct task_struct *task;	/* between ->start() and ->stop(): referenced, mm locked */
	struct mm_struct *mm;		/* pinned at open (mm_count), or NULL */
};

/*
 * maps: each batch of records takes mmap_read_lock_killable() here and
 * drops it in m_stop(), so a fatal signal ends a wait behind a writer.
 * *ppos is the address to go on from, so a VMA that changes between two
 * reads is neither shown twice nor skipped.
 */
static void *m_start(struct seq_file *m, loff_t *ppos)
{
	struct proc_maps_private *priv = m->private;
	struct mm_struct *mm = priv->mm;

	if (*ppos < 0)
		return NULL;		/* past the last VMA */
	priv->task = get_proc_task(priv->inode);
	if (!priv->task)
		return ERR_PTR(-ESRCH);
	if (!mm || !mmget_not_zero(mm))
		goto none;		/* a kernel thread, or an exited process: nothing */
	if (mmap_read_lock_killable(mm)) {
		mmput(mm);
		put_task_struct(priv->task);
		priv->task = NULL;
		return ERR_PTR(-EINTR);
	}
	return find_vma(mm, *ppos);	/* the VMA that contains or follows the address we stopped at */
none:
	put_task_struct(priv->task);
	priv->task = NULL;
	return NULL;
}

static void *m_next(struct seq_file *m, void *v, loff_t *ppos)
{
	struct proc_maps_private *priv = m->private;
	struct vm_area_struct *next = find_vma(priv->mm, ((struct vm_area_struct *)v)->vm_end);

	*ppos = next ? (loff_t)next->vm_start : -1;
	return next;
}

static void m_stop(struct seq_file *m, void *v)
{
	struct proc_maps_private *priv = m->private;

	if (!priv->task)
		return;
	mmap_read_unlock(priv->mm);
	mmput(priv->mm);
	put_task_struct(priv->task);
	priv->task = NULL;
}

/*
 * Linux backs shared anonymous memory with an unlinked shmem file, which
 * maps shows as "/dev/zero (deleted)" on the internal shmem mount's device.
 * Folio has no such file: its device and name are shown, inode 0.
 */
#define SHARED_ANON_DEV 1

/* "start-end perms offset dev inode " then padding to column 73 (Linux's, for 64-bit). */
static void show_vma_header_prefix(struct seq_file *m, unsigned long start, unsigned long end,
				   unsigned long flags, unsigned long long pgoff, dev_t dev, u64 ino)
{
	seq_setwidth(m, 25 + sizeof(void *) * 6 - 1);
	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %llu ", start, end, flags & VM_READ ? 'r' : '-',
		   flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-', flags & VM_SHARED ? 's' : 'p', pgoff,
		   dev >> 8, dev & 0xff, ino);
}

/* The file's path as maps shows it, a newline in it escaped as \012. */
static void seq_file_path(struct seq_file *m, struct file *file)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	char *p = buf ? file_path(file, buf, PATH_MAX) : ERR_PTR(-ENOMEM);

	if (!IS_ERR(p))
		seq_escape(m, p, "\n");
	kfree(buf);
}

/*
 * The heap's line is a VMA with part of [start_brk, brk) in it. Linux's test
 * also names the VMA that merely ends at start_brk, which never touches the
 * bss under Linux's randomized break; Folio's break starts right after the
 * bss, so the bss is no heap until the break grows into its VMA.
 */
static int show_map(struct seq_file *m, void *v)
{
	struct vm_area_struct *vma = v;
	struct mm_struct *mm = vma->vm_mm;
	struct file *file = vma->vm_file;
	bool shared_anon = vma_is_shared_anon(vma);
	const char *name = NULL;

	show_vma_header_prefix(m, vma->vm_start, vma->vm_end, vma->vm_flags,
			       file || shared_anon ? (unsigned long long)vma->vm_pgoff << PAGE_SHIFT : 0,
			       file ? file->f_inode->i_sb->s_dev : shared_anon ? SHARED_ANON_DEV : 0,
			       file ? file->f_inode->i_ino : 0);
	if (file) {
		seq_pad(m, ' ');
		seq_file_path(m, file);
	} else if (shared_anon) {
		name = "/dev/zero (deleted)";
	} else if (vma->vm_start < mm->brk && vma->vm_end > mm->start_brk) {
		name = "[heap]";
	} else if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack) {
		name = "[stack]";
	}
	if (name) {
		seq_pad(m, ' ');
		seq_puts(m, name);
	}
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations proc_pid_maps_op = {
	.start = m_start,
	.next = m_next,
	.stop = m_stop,
	.show = show_map,
};

static int proc_maps_open(struct inode *inode, struct file *file, const struct seq_operations *ops)
{
	struct proc_maps_private *priv = __seq_open_private(file, ops, sizeof(*priv));
	struct task_struct *task;

	if (!priv)
		return -ENOMEM;
	priv->inode = inode;
	task = get_proc_task(inode);
	if (!task) {
		seq_release_private(inode, file);
		return -ESRCH;
	}
	priv->mm = proc_mem_open(task);
	put_task_struct(task);
	return 0;
}

static int proc_map_release(struct inode *inode, struct file *file)
{
	struct proc_maps_private *priv = ((struct seq_file *)file->private_data)->private;

	if (priv->mm)
		mmdrop(priv->mm);
	return seq_release_private(inode, file);
}

static int pid_maps_open(struct inode *inode, struct file *file)
{
	return proc_maps_open(inode, file, &proc_pid_maps_op);
}

const struct file_operations proc_pid_maps_operations = {
	.open = pid_maps_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = proc_map_release,
};

/* ---- smaps_rollup: every VMA's pages summed, one record ---- */

#define PSS_SHIFT 12	/* Pss is kept in 1/4096ths of a byte, as Linux keeps it */

struct mem_size_stats {
	unsigned long resident, shared_clean, shared_dirty, private_clean, private_dirty;
	unsigned long referenced, anonymous;
	u64 pss, pss_dirty, pss_anon, pss_file, pss_shmem, pss_locked;
	bool locked;		/* the VMA being walked is VM_LOCKED */
};

/* One page: its share of Pss is PAGE_SIZE divided among the mappings of it. */
static void smaps_pte_entry(pte_t pte, struct page *page, unsigned long addr, void *private)
{
	struct mem_size_stats *mss = private;
	bool dirty = pte.pte & _PAGE_DIRTY, young = pte.pte & _PAGE_ACCESSED;
	int mapcount = max(page_mapcount(page), 1);
	u64 pss = ((u64)PAGE_SIZE << PSS_SHIFT) / mapcount;

	mss->resident += PAGE_SIZE;
	if (young)
		mss->referenced += PAGE_SIZE;
	if (PageFlag(page, PG_anon)) {
		mss->anonymous += PAGE_SIZE;
		mss->pss_anon += pss;
	} else if (PageFlag(page, PG_swapbacked)) {
		mss->pss_shmem += pss;
	} else {
		mss->pss_file += pss;
	}
	if (mapcount > 1) {
		if (dirty)
			mss->shared_dirty += PAGE_SIZE;
		else
			mss->shared_clean += PAGE_SIZE;
	} else if (dirty) {
		mss->private_dirty += PAGE_SIZE;
	} else {
		mss->private_clean += PAGE_SIZE;
	}
	mss->pss += pss;
	if (dirty)
		mss->pss_dirty += pss;
	if (mss->locked)
		mss->pss_locked += pss;
}

static const struct mm_walk_ops smaps_walk_ops = {
	.pte_entry = smaps_pte_entry,
};

static void put_smap(struct seq_file *m, const char *label, u64 bytes)
{
	seq_put_decimal_ull_width(m, label, bytes >> 10, 8);
	seq_puts(m, " kB\n");
}

/* The counts of smaps and smaps_rollup; only the rollup splits Pss by kind. */
static void show_smap_totals(struct seq_file *m, struct mem_size_stats *mss, bool rollup)
{
	put_smap(m, "Rss:            ", mss->resident);
	put_smap(m, "Pss:            ", mss->pss >> PSS_SHIFT);
	put_smap(m, "Pss_Dirty:      ", mss->pss_dirty >> PSS_SHIFT);
	if (rollup) {
		put_smap(m, "Pss_Anon:       ", mss->pss_anon >> PSS_SHIFT);
		put_smap(m, "Pss_File:       ", mss->pss_file >> PSS_SHIFT);
		put_smap(m, "Pss_Shmem:      ", mss->pss_shmem >> PSS_SHIFT);
	}
	put_smap(m, "Shared_Clean:   ", mss->shared_clean);
	put_smap(m, "Shared_Dirty:   ", mss->shared_dirty);
	put_smap(m, "Private_Clean:  ", mss->private_clean);
	put_smap(m, "Private_Dirty:  ", mss->private_dirty);
	put_smap(m, "Referenced:     ", mss->referenced);
	put_smap(m, "Anonymous:      ", mss->anonymous);
	put_smap(m, "LazyFree:       ", 0);
	put_smap(m, "AnonHugePages:  ", 0);
	put_smap(m, "ShmemPmdMapped: ", 0);
	put_smap(m, "FilePmdMapped:  ", 0);
	put_smap(m, "Shared_Hugetlb: ", 0);
	seq_put_decimal_ull_width(m, "Private_Hugetlb: ", 0, 7);
	seq_puts(m, " kB\n");
	put_smap(m, "Swap:           ", 0);
	put_smap(m, "SwapPss:        ", 0);
	put_smap(m, "Locked:         ", mss->pss_locked >> PSS_SHIFT);
}

/* ---- smaps: the same counts for each VMA, with its size and flags ---- */

/* Linux's two-letter names of the VMA flags Folio has, in bit order; "ms" goes with every shared VMA. */
static void show_smap_vma_flags(struct seq_file *m, unsigned long flags)
{
	static const struct { unsigned long flag; char name[3]; } names[] = {
		{ VM_READ, "rd" }, { VM_WRITE, "wr" }, { VM_EXEC, "ex" }, { VM_SHARED, "sh" },
		{ VM_MAYREAD, "mr" }, { VM_MAYWRITE, "mw" }, { VM_MAYEXEC, "me" }, { VM_SHARED, "ms" },
		{ VM_GROWSDOWN, "gd" }, { VM_LOCKED, "lo" }, { VM_IO, "io" }, { VM_DONTCOPY, "dc" },
		{ VM_ACCOUNT, "ac" }, { VM_NORESERVE, "nr" },
	};

	seq_puts(m, "VmFlags: ");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (flags & names[i].flag) {
			seq_puts(m, names[i].name);
			seq_putc(m, ' ');
		}
	}
	seq_putc(m, '\n');
}

/*
 * One VMA: its maps line, then its pages' counts (a walk of its page
 * tables, under the mmap_lock that m_start() took). Folio has no huge
 * pages nor protection keys: those lines say 0.
 */
static int show_smap(struct seq_file *m, void *v)
{
	struct vm_area_struct *vma = v;
	struct mem_size_stats mss = { .locked = vma->vm_flags & VM_LOCKED };

	walk_page_vma(vma, &smaps_walk_ops, &mss);
	show_map(m, vma);
	put_smap(m, "Size:           ", vma->vm_end - vma->vm_start);
	put_smap(m, "KernelPageSize: ", PAGE_SIZE);
	put_smap(m, "MMUPageSize:    ", PAGE_SIZE);
	show_smap_totals(m, &mss, false);
	seq_puts(m, "THPeligible:    0\n");
	seq_put_decimal_ull_width(m, "ProtectionKey:  ", 0, 8);
	seq_putc(m, '\n');
	show_smap_vma_flags(m, vma->vm_flags);
	return 0;
}

static const struct seq_operations proc_pid_smaps_op = {
	.start = m_start,
	.next = m_next,
	.stop = m_stop,
	.show = show_smap,
};

static int pid_smaps_open(struct inode *inode, struct file *file)
{
	return proc_maps_open(inode, file, &proc_pid_smaps_op);
}

const struct file_operations proc_pid_smaps_operations = {
	.open = pid_smaps_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = proc_map_release,
};

/*
 * The whole address space in one record: the first line spans the first
 * VMA's start to the last one's end. mmap_lock is held for reading,
 * killably, across the walk. A process without memory (a zombie, a kernel
 * thread) fails the read with ESRCH where maps is merely empty, as in Linux.
 */
static int show_smaps_rollup(struct seq_file *m, void *v)
{
	struct proc_maps_private *priv = m->private;
	struct mem_size_stats mss = { 0 };
	struct mm_struct *mm = priv->mm;
	struct vm_area_struct *vma;
	unsigned long start = 0, end = 0;

	if (!mm || !mmget_not_zero(mm))
		return -ESRCH;
	if (mmap_read_lock_killable(mm)) {
		mmput(mm);
		return -EINTR;
	}
	list_for_each_entry(vma, &mm->mmap, vm_list) {
		if (!start)
			start = vma->vm_start;
		end = vma->vm_end;
		mss.locked = vma->vm_flags & VM_LOCKED;
		walk_page_vma(vma, &smaps_walk_ops, &mss);
	}
	mmap_read_unlock(mm);
	mmput(mm);
	show_vma_header_prefix(m, start, end, 0, 0, 0, 0);
	seq_pad(m, ' ');
	seq_puts(m, "[rollup]\n");
	show_smap_totals(m, &mss, true);
	return 0;
}

static int smaps_rollup_open(struct inode *inode, struct file *file)
{
	struct proc_maps_private *priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	struct task_struct *task;
	int err;

	if (!priv)
		return -ENOMEM;
	task = get_proc_task(inode);
	if (!task) {
		kfree(priv);
		return -ESRCH;
	}
	priv->inode = inode;
	priv->mm = proc_mem_open(task);
	put_task_struct(task);
	err = single_open(file, show_smaps_rollup, priv);
	if (err) {
		if (priv->mm)
			mmdrop(priv->mm);
		kfree(priv);
	}
	return err;
}

static int smaps_rollup_release(struct inode *inode, struct file *file)
{
	struct proc_maps_private *priv = ((struct seq_file *)file->private_data)->private;

	if (priv->mm)
		mmdrop(priv->mm);
	kfree(priv);
	return single_release(inode, file);
}

const struct file_operations proc_pid_smaps_rollup_operations = {
	.open = smaps_rollup_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = smaps_rollup_release,
};

/*
 * ---- pagemap: one 64-bit entry per virtual page ----
 *
 * The entry for page n of the address space is at offset 8 * n: bit 63
 * present, 61 a file or shared page, 56 mapped only here, 55 soft-dirty,
 * and bits 0-54 the page frame number. Folio keeps no soft-dirty state and
 * has no clear_refs, so every page of a VMA is soft-dirty, as every page is
 * on Linux until the first clear. Everyone here may see frame numbers
 * (Linux shows them to CAP_SYS_ADMIN only). A read walks at most
 * PAGEMAP_BATCH pages under mmap_read_lock_killable() into a kernel buffer
 * and copies it out once the lock is dropped.
 */
#define PM_PFRAME_MASK		((1ULL << 55) - 1)
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define PM_FILE			(1ULL << 61)
#define PM_PRESENT		(1ULL << 63)
#define PAGEMAP_BATCH		(PAGE_SIZE / sizeof(u64))

struct pagemap_batch {
	u64 *entries;		/* PAGEMAP_BATCH of them, the first for start */
	unsigned long start;
};

static void pagemap_pte_entry(pte_t pte, struct page *page, unsigned long addr, void *private)
{
	struct pagemap_batch *pm = private;
	u64 e = PM_PRESENT | PM_SOFT_DIRTY | (PFN_DOWN(pte_phys(pte)) & PM_PFRAME_MASK);

	if (!PageFlag(page, PG_anon))
		e |= PM_FILE;
	if (page_mapcount(page) == 1)
		e |= PM_MMAP_EXCLUSIVE;
	pm->entries[(addr - pm->start) >> PAGE_SHIFT] = e;
}

static const struct mm_walk_ops pagemap_walk_ops = {
	.pte_entry = pagemap_pte_entry,
};

/* The entries of [pm->start, end) (at most a batch): 0 outside VMAs. -EINTR if a fatal signal came first. */
static int pagemap_fill(struct mm_struct *mm, struct pagemap_batch *pm, unsigned long end)
{
	struct vm_area_struct *vma;

	memset(pm->entries, 0, PAGE_SIZE);
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	list_for_each_entry(vma, &mm->mmap, vm_list) {
		if (vma->vm_end <= pm->start || vma->vm_start >= end)
			continue;
		for (unsigned long a = max(vma->vm_start, pm->start); a < min(vma->vm_end, end); a += PAGE_SIZE)
			pm->entries[(a - pm->start) >> PAGE_SHIFT] = PM_SOFT_DIRTY;
		walk_page_range_vma(vma, pm->start, end, &pagemap_walk_ops, pm);
	}
	mmap_read_unlock(mm);
	return 0;
}

/* Entries for pages pages from page vpn on, a batch at a time, to buf: bytes copied, or an error if none. */
static ssize_t pagemap_copy(struct mm_struct *mm, u64 *entries, char __user *buf, unsigned long vpn,
			    unsigned long pages)
{
	struct pagemap_batch pm = { .entries = entries };
	ssize_t done = 0;
	int err = 0;

	while (pages && !err) {
		unsigned long n = min(pages, PAGEMAP_BATCH);
		pm.start = vpn << PAGE_SHIFT;
		err = pagemap_fill(mm, &pm, pm.start + (n << PAGE_SHIFT));
		if (!err && copy_to_user(buf + done, entries, n * sizeof(u64)))
			err = -EFAULT;
		if (!err) {
			done += n * sizeof(u64);
			vpn += n;
			pages -= n;
		}
	}
	return done ? done : err;
}

/* Linux's rules: offset and count in whole entries (else EINVAL), nothing past the top of user space. */
static ssize_t pagemap_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct mm_struct *mm = file->private_data;
	unsigned long vpn = *ppos / sizeof(u64), top = TASK_SIZE_MAX >> PAGE_SHIFT;
	ssize_t ret;

	if (!mm || !mmget_not_zero(mm))
		return 0;
	u64 *entries = (u64 *)__get_free_page(GFP_KERNEL);
	if (*ppos < 0 || *ppos % sizeof(u64) || count % sizeof(u64))
		ret = -EINVAL;
	else if (!entries)
		ret = -ENOMEM;
	else
		ret = pagemap_copy(mm, entries, buf, vpn, vpn < top ? min(count / sizeof(u64), top - vpn) : 0);
	if (entries)
		free_page((unsigned long)entries);
	mmput(mm);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

const struct file_operations proc_pagemap_operations = {
	.open = proc_mem_file_open,
	.read = pagemap_read,
	.llseek = generic_file_llseek,
	.release = proc_mem_file_release,
};
