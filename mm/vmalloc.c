/*
 * vmalloc and ioremap (Linux: mm/vmalloc.c, arch/x86/mm/ioremap.c).
 *
 * Areas of kernel virtual space in [VMALLOC_START, VMALLOC_END), each
 * followed by one unmapped guard page so that running off the end faults
 * instead of corrupting a neighbour. The areas sit on a list sorted by
 * address; a new area goes into the first gap that fits (first fit), which
 * is plenty for the few dozen areas Folio uses. vmalloc() backs its area
 * with single pages from the buddy allocator; ioremap() maps device
 * registers uncached and owns no pages.
 *
 * Locking: vmap_area_lock guards the area list; kernel_map_lock (taken
 * inside) guards the page tables.
 */
#include <kernel/kernel.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <mm/vmstat.h>
#include <arch/pgtable.h>
#include <arch/io.h>

struct vmap_area {
	unsigned long va_start, va_end;	/* end excludes the guard page */
	struct list_head list;
	struct page **pages;		/* vmalloc: the backing pages; NULL for ioremap */
	unsigned long nr_pages;
};

static LIST_HEAD(vmap_area_list);
static DEFINE_SPINLOCK(vmap_area_lock);

/* Reserve size bytes (plus a guard page) of kernel virtual space. */
static struct vmap_area *alloc_vmap_area(size_t size)
{
	struct vmap_area *va = kzalloc(sizeof(*va), GFP_KERNEL), *pos;
	unsigned long addr = VMALLOC_START, flags;

	if (!va)
		return NULL;
	spin_lock_irqsave(&vmap_area_lock, flags);
	list_for_each_entry(pos, &vmap_area_list, list) {
		if (addr + size + PAGE_SIZE <= pos->va_start)
			break;
		addr = pos->va_end + PAGE_SIZE;
	}
	if (addr + size + PAGE_SIZE > VMALLOC_END) {
		spin_unlock_irqrestore(&vmap_area_lock, flags);
		kfree(va);
		return NULL;
	}
	va->va_start = addr;
	va->va_end = addr + size;
	list_add_tail(&va->list, &pos->list);	/* before pos: keeps the list sorted */
	spin_unlock_irqrestore(&vmap_area_lock, flags);
	return va;
}

static struct vmap_area *find_vmap_area(unsigned long addr)
{
	struct vmap_area *va;

	list_for_each_entry(va, &vmap_area_list, list)
		if (va->va_start == addr)
			return va;
	return NULL;
}

static void free_vmap_area(struct vmap_area *va)
{
	unsigned long flags;

	spin_lock_irqsave(&kernel_map_lock, flags);
	unmap_pages(init_pgd, va->va_start, va->va_end - va->va_start);
	spin_unlock_irqrestore(&kernel_map_lock, flags);
	spin_lock_irqsave(&vmap_area_lock, flags);
	list_del(&va->list);
	spin_unlock_irqrestore(&vmap_area_lock, flags);
	kfree(va);
}

static int map_area(struct vmap_area *va, unsigned long offset, phys_addr_t pa, size_t size, pgprot_t prot)
{
	unsigned long flags;

	spin_lock_irqsave(&kernel_map_lock, flags);
	int err = map_pages(init_pgd, va->va_start + offset, pa, size, prot, PAGE_SIZE);
	spin_unlock_irqrestore(&kernel_map_lock, flags);
	return err;
}

void *vmalloc(size_t size)
{
	size = PAGE_ALIGN(size);
	if (!size)
		return NULL;
	struct vmap_area *va = alloc_vmap_area(size);
	if (!va)
		return NULL;
	va->nr_pages = size >> PAGE_SHIFT;
	va->pages = kcalloc(va->nr_pages, sizeof(struct page *), GFP_KERNEL);
	if (!va->pages)
		goto fail;
	for (unsigned long i = 0; i < va->nr_pages; i++) {
		va->pages[i] = alloc_page(GFP_KERNEL);
		if (!va->pages[i] ||
		    map_area(va, i << PAGE_SHIFT, page_to_phys(va->pages[i]), PAGE_SIZE, PAGE_KERNEL))
			goto fail;
	}
	mod_node_page_state(NR_VMALLOC, va->nr_pages);
	return (void *)va->va_start;
fail:
	for (unsigned long i = 0; va->pages && i < va->nr_pages; i++)
		__free_pages(va->pages[i], 0);	/* NULL-safe */
	kfree(va->pages);
	free_vmap_area(va);
	return NULL;
}

static struct vmap_area *lookup_vmap_area(unsigned long addr)
{
	unsigned long flags;

	spin_lock_irqsave(&vmap_area_lock, flags);
	struct vmap_area *va = find_vmap_area(addr);
	spin_unlock_irqrestore(&vmap_area_lock, flags);
	return va;
}

void vfree(const void *addr)
{
	if (!addr)
		return;
	struct vmap_area *va = lookup_vmap_area((unsigned long)addr);
	if (!va || !va->pages) {
		pr_err("Trying to vfree() nonexistent vm area (%p)\n", addr);
		WARN_ON(1);
		return;
	}
	struct page **pages = va->pages;
	unsigned long n = va->nr_pages;
	free_vmap_area(va);	/* unmap first: nobody may touch the pages once freed */
	mod_node_page_state(NR_VMALLOC, -(long)n);
	for (unsigned long i = 0; i < n; i++)
		__free_pages(pages[i], 0);
	kfree(pages);
}

bool is_vmalloc_addr(const void *addr)
{
	return (unsigned long)addr >= VMALLOC_START && (unsigned long)addr < VMALLOC_END;
}

/* The page behind a vmalloc()ed address (the caller keeps the area alive), or NULL if none is mapped. */
struct page *vmalloc_to_page(const void *addr)
{
	struct pt_walk w = { .pgd = init_pgd };
	pte_t *pte = pt_walk(&w, (unsigned long)addr, PG_LEVEL_4K);

	return pte && pte_present(*pte) ? pfn_to_page(PFN_DOWN(pte_phys(*pte))) : NULL;
}

void *ioremap(phys_addr_t phys, size_t size)
{
	phys_addr_t base = phys & PAGE_MASK;
	size_t len = PAGE_ALIGN(phys + size) - base;
	struct vmap_area *va = alloc_vmap_area(len);

	if (!va)
		return NULL;
	if (map_area(va, 0, base, len, PAGE_KERNEL_NOCACHE)) {
		free_vmap_area(va);
		return NULL;
	}
	return (void *)(va->va_start + (phys - base));
}

void iounmap(volatile void *addr)
{
	struct vmap_area *va = lookup_vmap_area((unsigned long)addr & PAGE_MASK);

	if (!va || va->pages) {
		pr_err("iounmap: bad address %p\n", (void *)addr);
		WARN_ON(1);
		return;
	}
	free_vmap_area(va);
}
