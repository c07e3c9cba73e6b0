/*
 * Memory statistics (Linux: mm/vmstat.c): the global counters of
 * include/mm/vmstat.h, and the files that show them, /proc/vmstat,
 * /proc/buddyinfo and /proc/zoneinfo, in Linux 6.1's formats.
 *
 * Locking: the counters are atomics, updated by whoever allocates or frees
 * the pages they count, read without a lock; the free lists are read under
 * zone->lock.
 */
#include <kernel/kernel.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/memblock.h>
#include <mm/vmstat.h>
#include <fs/seq_file.h>
#include <fs/proc_fs.h>

long vm_node_stat[NR_VM_NODE_STAT_ITEMS];
unsigned long vm_events[NR_VM_EVENT_ITEMS];

/* ---- /proc/vmstat ---- */

/*
 * Linux 6.1's /proc/vmstat items, in its order: the zone counters, NUMA
 * hits, the node counters, the writeback thresholds, then the events.
 * Those with a Folio counter show it (vmstat_value()); the rest are for
 * what Folio does not have (LRU lists, NUMA, writeback, swap, compaction,
 * transparent huge pages) and read 0.
 */
static const char *const vmstat_text[] = {
	"nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
	"nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock", "nr_bounce",
	"nr_zspages", "nr_free_cma",
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
	"nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable",
	"nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
	"workingset_nodes", "workingset_refault_anon", "workingset_refault_file", "workingset_activate_anon",
	"workingset_activate_file", "workingset_restore_anon", "workingset_restore_file",
	"workingset_nodereclaim", "nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback",
	"nr_writeback_temp", "nr_shmem", "nr_shmem_hugepages", "nr_shmem_pmdmapped", "nr_file_hugepages",
	"nr_file_pmdmapped", "nr_anon_transparent_hugepages", "nr_vmscan_write", "nr_vmscan_immediate_reclaim",
	"nr_dirtied", "nr_written", "nr_throttled_written", "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired",
	"nr_foll_pin_released", "nr_kernel_stack", "nr_page_table_pages", "nr_sec_page_table_pages",
	"nr_swapcached", "pgpromote_success", "pgpromote_candidate",
	"nr_dirty_threshold", "nr_dirty_background_threshold",
	"pgpgin", "pgpgout", "pswpin", "pswpout", "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal",
	"pgalloc_movable", "pgalloc_device", "allocstall_dma", "allocstall_dma32", "allocstall_normal",
	"allocstall_movable", "allocstall_device", "pgskip_dma", "pgskip_dma32", "pgskip_normal",
	"pgskip_movable", "pgskip_device", "pgfree", "pgactivate", "pgdeactivate", "pglazyfree", "pgfault",
	"pgmajfault", "pglazyfreed", "pgrefill", "pgreuse", "pgsteal_kswapd", "pgsteal_direct",
	"pgdemote_kswapd", "pgdemote_direct", "pgscan_kswapd", "pgscan_direct", "pgscan_direct_throttle",
	"pgscan_anon", "pgscan_file", "pgsteal_anon", "pgsteal_file", "zone_reclaim_failed", "pginodesteal",
	"slabs_scanned", "kswapd_inodesteal", "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly",
	"pageoutrun", "pgrotated", "drop_pagecache", "drop_slab", "oom_kill", "numa_pte_updates",
	"numa_huge_pte_updates", "numa_hint_faults", "numa_hint_faults_local", "numa_pages_migrated",
	"pgmigrate_success", "pgmigrate_fail", "thp_migration_success", "thp_migration_fail",
	"thp_migration_split", "compact_migrate_scanned", "compact_free_scanned", "compact_isolated",
	"compact_stall", "compact_fail", "compact_success", "compact_daemon_wake",
	"compact_daemon_migrate_scanned", "compact_daemon_free_scanned", "htlb_buddy_alloc_success",
	"htlb_buddy_alloc_fail", "unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued",
	"unevictable_pgs_mlocked", "unevictable_pgs_munlocked", "unevictable_pgs_cleared",
	"unevictable_pgs_stranded", "thp_fault_alloc", "thp_fault_fallback", "thp_fault_fallback_charge",
	"thp_collapse_alloc", "thp_collapse_alloc_failed", "thp_file_alloc", "thp_file_fallback",
	"thp_file_fallback_charge", "thp_file_mapped", "thp_split_page", "thp_split_page_failed",
	"thp_deferred_split_page", "thp_split_pmd", "thp_scan_exceed_none_pte", "thp_scan_exceed_swap_pte",
	"thp_scan_exceed_share_pte", "thp_split_pud", "thp_zero_page_alloc", "thp_zero_page_alloc_failed",
	"thp_swpout", "thp_swpout_fallback", "balloon_inflate", "balloon_deflate", "balloon_migrate", "swap_ra",
	"swap_ra_hit", "ksm_swpin_copy", "cow_ksm", "direct_map_level2_splits", "direct_map_level3_splits",
	"nr_unstable",
};

/* The items Folio counts; everything else in vmstat_text reads 0. */
static unsigned long vmstat_value(const char *name)
{
	static const struct {
		const char *name;
		int node_item, event;	/* -1: not this kind */
	} counted[] = {
		{ "nr_slab_unreclaimable", NR_SLAB_UNRECLAIMABLE_B, -1 },
		{ "nr_anon_pages", NR_ANON_MAPPED, -1 },
		{ "nr_file_pages", NR_FILE_PAGES, -1 },
		{ "nr_shmem", NR_SHMEM, -1 },
		{ "nr_kernel_stack", NR_KERNEL_STACK_KB, -1 },
		{ "nr_page_table_pages", NR_PAGETABLE, -1 },
		{ "pgalloc_normal", -1, PGALLOC_NORMAL },
		{ "pgfree", -1, PGFREE },
		{ "pgfault", -1, PGFAULT },
		{ "pgmajfault", -1, PGMAJFAULT },
		{ "oom_kill", -1, OOM_KILL },
	};

	if (!strcmp(name, "nr_free_pages"))
		return nr_free_pages();
	for (unsigned int i = 0; i < ARRAY_SIZE(counted); i++) {
		if (strcmp(name, counted[i].name))
			continue;
		if (counted[i].event >= 0)
			return global_vm_event(counted[i].event);
		unsigned long v = global_node_page_state(counted[i].node_item);
		return counted[i].node_item == NR_SLAB_UNRECLAIMABLE_B ? v >> PAGE_SHIFT : v;	/* bytes to pages */
	}
	return 0;
}

static int vmstat_show(struct seq_file *m, void *v)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(vmstat_text); i++) {
		seq_puts(m, vmstat_text[i]);
		seq_put_decimal_ull(m, " ", vmstat_value(vmstat_text[i]));
		seq_putc(m, '\n');
	}
	return 0;
}

/* ---- /proc/buddyinfo and /proc/zoneinfo: the one zone ---- */

/* Free blocks per order of the zone, copied under its lock. */
static void zone_free_blocks(struct zone *z, unsigned long nr[MAX_ORDER])
{
	unsigned long flags;

	spin_lock_irqsave(&z->lock, flags);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		nr[o] = z->free_area[o].nr_free;
	spin_unlock_irqrestore(&z->lock, flags);
}

static int buddyinfo_show(struct seq_file *m, void *v)
{
	unsigned long nr[MAX_ORDER];

	zone_free_blocks(&zone_normal, nr);
	seq_printf(m, "Node 0, zone %8s ", zone_normal.name);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		seq_printf(m, "%6lu ", nr[o]);
	seq_putc(m, '\n');
	return 0;
}

/* The vmstat_text items from first to last, as zoneinfo indents them. */
static void zoneinfo_items(struct seq_file *m, const char *first, const char *last)
{
	bool on = false;

	for (unsigned int i = 0; i < ARRAY_SIZE(vmstat_text); i++) {
		on = on || !strcmp(vmstat_text[i], first);
		if (on)
			seq_printf(m, "\n      %-12s %lu", vmstat_text[i], vmstat_value(vmstat_text[i]));
		if (on && !strcmp(vmstat_text[i], last))
			break;
	}
}

/* Linux 6.1's zoneinfo for the Normal zone: the node's counters, the zone's sizes, marks and counters. */
static int zoneinfo_show(struct seq_file *m, void *v)
{
	struct zone *z = &zone_normal;

	seq_printf(m, "Node 0, zone %8s", z->name);
	seq_puts(m, "\n  per-node stats");
	zoneinfo_items(m, "nr_inactive_anon", "pgpromote_candidate");
	seq_printf(m, "\n  pages free     %lu\n        boost    0\n        min      %lu\n        low      %lu"
		      "\n        high     %lu\n        spanned  %lu\n        present  %lu\n        managed  %lu"
		      "\n        cma      0\n        protection: (0, 0, 0, 0, 0)",
		   nr_free_pages(), z->watermark[WMARK_MIN], z->watermark[WMARK_LOW], z->watermark[WMARK_HIGH],
		   z->spanned_pages, (unsigned long)(memblock_phys_mem_size() >> PAGE_SHIFT), z->managed_pages);
	zoneinfo_items(m, "nr_free_pages", "numa_other");
	seq_puts(m, "\n  pagesets\n    cpu: 0\n              count: 0\n              high:  0"
		    "\n              batch: 1\n  vm stats threshold: 0");
	seq_printf(m, "\n  node_unreclaimable:  0\n  start_pfn:           %lu\n", z->zone_start_pfn);
	return 0;
}

void vmstat_proc_init(void)
{
	proc_create_single("vmstat", 0444, NULL, vmstat_show);
	proc_create_single("buddyinfo", 0444, NULL, buddyinfo_show);
	proc_create_single("zoneinfo", 0444, NULL, zoneinfo_show);
}
