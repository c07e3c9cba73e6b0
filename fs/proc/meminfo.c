/*
 * /proc/meminfo (Linux: fs/proc/meminfo.c): Linux 6.1's fields in its
 * order and format ("%8lu kB"), what free, top and the OOM designs read.
 *
 * Folio's figures: MemFree is the buddy allocator's free pages exactly;
 * MemAvailable is that minus the zone's high watermark, as nothing Folio
 * holds can be reclaimed (no page cache to drop, no swap); Cached is ramfs
 * file data and shared anonymous memory, Shmem the shared anonymous memory
 * and tmpfs data, as Linux counts them; AnonPages, Slab, KernelStack, PageTables and VmallocUsed come
 * from the counters of mm/vmstat.h; Committed_AS and CommitLimit from the
 * overcommit accounting (mm/util.c). Folio has no LRU lists, swap,
 * writeback, huge pages or per-CPU areas: those lines read 0.
 *
 * No locks: every figure is an atomic counter, read once.
 */
#include <kernel/kernel.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <fs/seq_file.h>
#include <fs/proc_fs.h>
#include <arch/page.h>
#include <arch/pgtable.h>
#include "internal.h"

static void show_val_kb(struct seq_file *m, const char *label, unsigned long pages)
{
	seq_put_decimal_ull_width(m, label, pages << (PAGE_SHIFT - 10), 8);
	seq_write(m, " kB\n", 4);
}

/* Free memory a new program could get without hurting anyone: above the zone's high watermark. */
static unsigned long si_mem_available(void)
{
	long available = (long)nr_free_pages() - (long)zone_normal.watermark[WMARK_HIGH];

	return available < 0 ? 0 : available;
}

/* The direct map's pages by size, walked from the kernel page tables (Linux: arch_report_meminfo()). */
static void arch_report_meminfo(struct seq_file *m)
{
	unsigned long count[PG_LEVEL_NUM] = { 0 }, end = PAGE_OFFSET + (max_pfn << PAGE_SHIFT);

	for (unsigned long va = PAGE_OFFSET; va < end;) {
		enum pg_level level;
		lookup_address(va, &level);
		unsigned long size = level == PG_LEVEL_NONE ? PAGE_SIZE : pg_level_size(level);
		count[level]++;
		va = ALIGN_DOWN(va, size) + size;
	}
	seq_printf(m, "DirectMap4k:    %8lu kB\n", count[PG_LEVEL_4K] << 2);
	seq_printf(m, "DirectMap2M:    %8lu kB\n", count[PG_LEVEL_2M] << 11);
	seq_printf(m, "DirectMap1G:    %8lu kB\n", count[PG_LEVEL_1G] << 20);
}

static void meminfo_lists(struct seq_file *m)
{
	static const char *const zero[] = {
		"SwapCached:     ", "Active:         ", "Inactive:       ", "Active(anon):   ", "Inactive(anon): ",
		"Active(file):   ", "Inactive(file): ", "Unevictable:    ", "Mlocked:        ", "SwapTotal:      ",
		"SwapFree:       ", "Dirty:          ", "Writeback:      ",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(zero); i++)
		show_val_kb(m, zero[i], 0);
}

static int meminfo_proc_show(struct seq_file *m, void *v)
{
	unsigned long slab = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) >> PAGE_SHIFT;

	show_val_kb(m, "MemTotal:       ", totalram_pages);
	show_val_kb(m, "MemFree:        ", nr_free_pages());
	show_val_kb(m, "MemAvailable:   ", si_mem_available());
	show_val_kb(m, "Buffers:        ", 0);
	show_val_kb(m, "Cached:         ", global_node_page_state(NR_FILE_PAGES));
	meminfo_lists(m);
	show_val_kb(m, "AnonPages:      ", global_node_page_state(NR_ANON_MAPPED));
	show_val_kb(m, "Mapped:         ", 0);
	show_val_kb(m, "Shmem:          ", global_node_page_state(NR_SHMEM));
	show_val_kb(m, "KReclaimable:   ", 0);
	show_val_kb(m, "Slab:           ", slab);
	show_val_kb(m, "SReclaimable:   ", 0);
	show_val_kb(m, "SUnreclaim:     ", slab);
	seq_printf(m, "KernelStack:    %8lu kB\n", global_node_page_state(NR_KERNEL_STACK_KB));
	show_val_kb(m, "PageTables:     ", global_node_page_state(NR_PAGETABLE));
	show_val_kb(m, "SecPageTables:  ", 0);
	show_val_kb(m, "NFS_Unstable:   ", 0);
	show_val_kb(m, "Bounce:         ", 0);
	show_val_kb(m, "WritebackTmp:   ", 0);
	show_val_kb(m, "CommitLimit:    ", vm_commit_limit());
	show_val_kb(m, "Committed_AS:   ", vm_memory_committed());
	seq_printf(m, "VmallocTotal:   %8lu kB\n", (VMALLOC_END - VMALLOC_START) >> 10);
	show_val_kb(m, "VmallocUsed:    ", global_node_page_state(NR_VMALLOC));
	show_val_kb(m, "VmallocChunk:   ", 0);
	show_val_kb(m, "Percpu:         ", 0);
	show_val_kb(m, "AnonHugePages:  ", 0);
	show_val_kb(m, "ShmemHugePages: ", 0);
	show_val_kb(m, "ShmemPmdMapped: ", 0);
	show_val_kb(m, "FileHugePages:  ", 0);
	show_val_kb(m, "FilePmdMapped:  ", 0);
	seq_printf(m, "HugePages_Total:   %5lu\nHugePages_Free:    %5lu\nHugePages_Rsvd:    %5lu\nHugePages_Surp:    %5lu\n",
		   0UL, 0UL, 0UL, 0UL);
	seq_printf(m, "Hugepagesize:   %8lu kB\nHugetlb:        %8lu kB\n", PMD_SIZE >> 10, 0UL);
	arch_report_meminfo(m);
	return 0;
}

void proc_meminfo_init(void)
{
	proc_create_single("meminfo", 0, NULL, meminfo_proc_show);
}
