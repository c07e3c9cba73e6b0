/*
 * KASAN's reports (Linux: mm/kasan/report.c, report_generic.c), in Linux's
 * format:
 *
 *   ==================================================================
 *   BUG: KASAN: use-after-free in lkdtm_KASAN_UAF+0x4d/0x90
 *   Read of size 1 at addr ffff888003a4e008 by task init/1
 *   (the task line and call trace, as dump_stack() prints them)
 *   Allocated by task 1: (its stack)      Freed by task 1: (its stack)
 *   The buggy address belongs to the object at ... which belongs to the cache ...
 *   The buggy address belongs to the physical page: ...
 *   Memory state around the buggy address: (the shadow bytes, "^" under the bad one)
 *   ==================================================================
 *
 * The kind of bug comes from the shadow byte of the first bad address.
 * Only the first report of a boot is printed unless the command line has
 * kasan_multi_shot (or a test expects reports), as in Linux; all are
 * counted (include/kernel/sanitizer.h). A report taints the kernel (B).
 *
 * Locking: reports run with interrupts off; sanitizer_report_begin()
 * serialises them and drops an access made while reporting (lib/sanitizer.c).
 */
#include <kernel/kernel.h>
#include <kernel/kallsyms.h>
#include <kernel/sched.h>
#include <kernel/sanitizer.h>
#include <lib/stackdepot.h>
#include <mm/mm.h>
#include <mm/kasan.h>
#include <arch/irqflags.h>
#include "kasan_internal.h"

#ifdef CONFIG_KASAN

#define SHADOW_BYTES_PER_ROW 16
#define MEM_BYTES_PER_ROW (SHADOW_BYTES_PER_ROW * KASAN_GRANULE_SIZE)
#define ROWS_AROUND_ADDR 2

static const char *bug_type(unsigned long bad_addr)
{
	const s8 *shadow = kasan_mem_to_shadow((void *)bad_addr);

	/* In a partly accessible granule the bad bytes continue the next granule's story. */
	if (*shadow > 0 && *shadow < (s8)KASAN_GRANULE_SIZE &&
	    kasan_addr_has_shadow(bad_addr + KASAN_GRANULE_SIZE))
		shadow++;
	switch ((u8)*shadow) {
	case 0 ... KASAN_GRANULE_SIZE - 1:
		return "out-of-bounds";
	case KASAN_PAGE_REDZONE:
	case KASAN_SLAB_REDZONE:
		return "slab-out-of-bounds";
	case KASAN_GLOBAL_REDZONE:
		return "global-out-of-bounds";
	case KASAN_PAGE_FREE:
	case KASAN_SLAB_FREE:
		return "use-after-free";
	default:
		return "unknown-crash";
	}
}

static void print_track(const struct kasan_track *t, const char *what)
{
	pr_err("%s by task %d:\n", what, t->pid);
	stack_depot_print(t->stack);
	pr_err("\n");
}

static void describe_slab_object(unsigned long addr, const struct kasan_slab_object *o)
{
	unsigned long start = (unsigned long)o->object, end = start + o->object_size;
	unsigned long rel = addr < start ? start - addr : addr >= end ? addr - end : addr - start;
	const char *where = addr < start ? "to the left" : addr >= end ? "to the right" : "inside";

	if (o->meta->alloc_track.stack)
		print_track(&o->meta->alloc_track, "Allocated");
	if (o->freed && o->meta->free_track.stack)
		print_track(&o->meta->free_track, "Freed");
	pr_err("The buggy address belongs to the object at %px\n", o->object);
	pr_err(" which belongs to the cache %s of size %zu\n", o->cache_name, o->object_size);
	pr_err("The buggy address is located %lu bytes %s of\n", rel, where);
	pr_err(" %zu-byte region [%px, %px)\n", o->object_size, (void *)start, (void *)end);
	pr_err("\n");
}

static void dump_page(struct page *page)
{
	static const char *const names[] = {
		[PG_reserved] = "reserved", [PG_buddy] = "buddy", [PG_slab] = "slab",
		[PG_poisoned] = "poisoned", [PG_head] = "head",
	};
	char flags[64] = "";
	int n = 0;

	for (unsigned int f = 0; f < ARRAY_SIZE(names); f++)
		if (PageFlag(page, f))
			n += scnprintf(flags + n, sizeof(flags) - n, "%s%s", n ? "|" : "", names[f]);
	pr_err("page:%px refcount:%d mapcount:%d mapping:0000000000000000 index:0x0 pfn:%#lx\n",
	       page, page_count(page), page_mapcount(page), page_to_pfn(page));
	pr_err("flags: %#lx(%s)\n", page->flags, flags);
	pr_err("page dumped because: kasan: bad access detected\n");
}

static void print_address_description(unsigned long addr)
{
	struct kasan_slab_object obj;
	const char *name;
	unsigned long off;
	size_t size;

	if (addr >= PAGE_OFFSET && addr < kasan_direct_map_end) {
		unsigned long pfn = PFN_DOWN(__pa(addr));
		struct page *page = pfn_to_page(pfn);
		if (kasan_find_slab_object((void *)addr, &obj)) {
			describe_slab_object(addr, &obj);
		} else {
			/* No object: the page's own history (Linux would need page_owner for it). */
			if (kasan_page_meta[pfn].alloc_track.stack)
				print_track(&kasan_page_meta[pfn].alloc_track, "Allocated");
			if (kasan_page_meta[pfn].free_track.stack)
				print_track(&kasan_page_meta[pfn].free_track, "Freed");
		}
		pr_err("The buggy address belongs to the physical page:\n");
		dump_page(page);
	} else if (kasan_find_global(addr, &name, &off, &size)) {
		pr_err("The buggy address belongs to the variable:\n");
		pr_err(" %s+0x%lx/0x%zx\n", name, off, size);
	}
	pr_err("\n");
}

/* One row of 16 shadow bytes: ">ffff888003a4e000: fb fb fc ..." (">" marks the row of addr). */
static void print_shadow_row(unsigned long row, bool guilty, unsigned long addr)
{
	const u8 *shadow = kasan_mem_to_shadow((void *)row);
	char line[4 + 16 + SHADOW_BYTES_PER_ROW * 3];
	int n = scnprintf(line, sizeof(line), "%c%px:", guilty ? '>' : ' ', (void *)row);

	for (int i = 0; i < SHADOW_BYTES_PER_ROW; i++)
		n += scnprintf(line + n, sizeof(line) - n, " %02x", shadow[i]);
	pr_err("%s\n", line);
	if (guilty) {
		/* Under the first hex digit of addr's shadow byte: after ">" + 16 digits + ": " + 3 a byte. */
		int col = 1 + 16 + 2 + (int)((addr - row) / KASAN_GRANULE_SIZE) * 3;
		for (n = 0; n < col; n++)
			line[n] = ' ';
		line[n++] = '^';
		line[n] = 0;
		pr_err("%s\n", line);
	}
}

static void print_memory_metadata(unsigned long addr)
{
	unsigned long guilty = ALIGN_DOWN(addr, MEM_BYTES_PER_ROW);

	pr_err("Memory state around the buggy address:\n");
	for (int i = -ROWS_AROUND_ADDR; i <= ROWS_AROUND_ADDR; i++) {
		unsigned long row = guilty + i * (long)MEM_BYTES_PER_ROW;
		if (kasan_addr_has_shadow(row) && kasan_addr_has_shadow(row + MEM_BYTES_PER_ROW - 1))
			print_shadow_row(row, i == 0, addr);
	}
}

void kasan_report(unsigned long addr, size_t size, bool is_write, unsigned long ip)
{
	unsigned long flags, bad;

	local_irq_save(flags);
	if (!sanitizer_report_begin(!kasan_multi_shot)) {
		local_irq_restore(flags);
		return;
	}
	bad = addr + size > addr && kasan_addr_has_shadow(addr) && kasan_addr_has_shadow(addr + size - 1)
		      ? kasan_find_first_bad_addr(addr, size) : 0;
	pr_err("==================================================================\n");
	pr_err("BUG: KASAN: %s in %pS\n", bad ? bug_type(bad) : "wild-memory-access", (void *)ip);
	pr_err("%s of size %zu at addr %px by task %s/%d\n", is_write ? "Write" : "Read", size,
	       (void *)addr, current->comm, current->pid);
	pr_err("\n");
	dump_stack();
	pr_err("\n");
	if (bad) {
		print_address_description(addr);
		print_memory_metadata(bad);
	}
	pr_err("==================================================================\n");
	add_taint(TAINT_BAD_PAGE);
	sanitizer_report_end();
	local_irq_restore(flags);
}

#endif
