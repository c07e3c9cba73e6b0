/*
 * Small helpers of the memory-management layer (Linux: mm/util.c).
 *
 * kstrdup() copies a string into kmalloc()ed memory.
 *
 * kvmalloc() serves buffers that are usually small but may be large (a
 * seq_file's, which doubles until a record fits): from the slab allocator
 * while that can give them, beyond from vmalloc(), which needs no
 * contiguous physical pages. kvfree() frees either kind.
 *
 * Overcommit accounting: every private writable mapping, brk and the stack
 * count their pages in vm_committed_as when they are created (VM_ACCOUNT)
 * and give them back when unmapped, whether or not the pages were ever
 * touched. vm.overcommit_memory decides what may be refused: GUESS (the
 * default) a single request larger than all of memory, NEVER anything that
 * would take the total beyond CommitLimit (overcommit_ratio percent of
 * RAM; Folio has no swap to add), ALWAYS nothing. vm_committed_as is an
 * atomic; the settings are read once per decision.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <mm/mm.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len = strlen(s) + 1;
	char *p = kmalloc(len, gfp);

	if (p)
		memcpy(p, s, len);
	return p;
}

/* kmalloc() takes page blocks up to this; larger ones would need contiguous pages that may not exist. */
#define KVMALLOC_KMALLOC_MAX (PAGE_SIZE << 3)

void *kvmalloc(size_t size, gfp_t gfp)
{
	void *p = NULL;

	if (size <= KVMALLOC_KMALLOC_MAX)
		p = kmalloc(size, gfp | __GFP_NOWARN);
	if (!p)
		p = vmalloc(size);
	return p;
}

void kvfree(const void *p)
{
	if (is_vmalloc_addr(p))
		vfree(p);
	else
		kfree(p);
}

int sysctl_overcommit_memory = OVERCOMMIT_GUESS;
int sysctl_overcommit_ratio = 50;
static long vm_committed_as;	/* pages promised to VM_ACCOUNT mappings */

unsigned long vm_commit_limit(void)
{
	return totalram_pages * READ_ONCE(sysctl_overcommit_ratio) / 100;
}

unsigned long vm_memory_committed(void)
{
	long v = __atomic_load_n(&vm_committed_as, __ATOMIC_RELAXED);

	return v < 0 ? 0 : v;
}

void vm_unacct_memory(long pages)
{
	__atomic_sub_fetch(&vm_committed_as, pages, __ATOMIC_RELAXED);
}

/*
 * Linux's rules for a privileged process (every Folio process is root):
 * no admin reserve, but under NEVER a process keeps a small reserve of
 * its own size (total_vm / 32, at most 3% of memory) for recovery.
 */
int __vm_enough_memory(struct mm_struct *mm, long pages)
{
	int mode = READ_ONCE(sysctl_overcommit_memory);
	long allowed;

	__atomic_add_fetch(&vm_committed_as, pages, __ATOMIC_RELAXED);
	if (mode == OVERCOMMIT_ALWAYS)
		return 0;
	if (mode == OVERCOMMIT_GUESS) {
		if ((unsigned long)pages <= totalram_pages)
			return 0;
	} else {
		allowed = vm_commit_limit();
		if (mm)
			allowed -= min((long)(mm->total_vm / 32), (long)(totalram_pages * 3 / 100));
		if ((long)vm_memory_committed() <= allowed)
			return 0;
	}
	pr_warn_ratelimited("__vm_enough_memory: pid: %d, comm: %s, not enough memory for the allocation\n",
			    current->pid, current->comm);
	vm_unacct_memory(pages);
	return -ENOMEM;
}
