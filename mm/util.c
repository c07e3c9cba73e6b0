/*
 * Small helpers of the memory-management layer (Linux: mm/util.c).
 *
 * kvmalloc() serves buffers that are usually small but may be large (a
 * seq_file's, which doubles until a record fits): from the slab allocator
 * while that can give them, beyond from vmalloc(), which needs no
 * contiguous physical pages. kvfree() frees either kind. No locks here.
 */
#include <kernel/kernel.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <mm/mm.h>

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
