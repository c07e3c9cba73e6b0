/*
 * Memory statistics (Linux: include/linux/vmstat.h, mmzone.h's
 * node_stat_item and vm_event_item): page counts by use, and counts of
 * events since boot. /proc/meminfo and /proc/vmstat print them
 * (mm/vmstat.c, fs/proc/meminfo.c); the OOM killer counts its kills here.
 *
 * Every counter is an atomic, updated where the pages change hands;
 * readers get a snapshot without a lock.
 */
#ifndef _MM_VMSTAT_H
#define _MM_VMSTAT_H

#include <kernel/types.h>

enum node_stat_item {
	NR_ANON_MAPPED,		/* private anonymous user pages (AnonPages) */
	NR_FILE_PAGES,		/* ramfs file data and shared anonymous memory (Cached) */
	NR_SHMEM,		/* shared anonymous memory and tmpfs data (Shmem), also in NR_FILE_PAGES */
	NR_SLAB_UNRECLAIMABLE_B,	/* bytes of slab and large kmalloc pages (Slab) */
	NR_KERNEL_STACK_KB,	/* kernel stacks of tasks */
	NR_PAGETABLE,		/* pages of user page tables */
	NR_VMALLOC,		/* pages vmalloc() maps (VmallocUsed) */
	NR_VM_NODE_STAT_ITEMS
};

enum vm_event_item {
	PGALLOC_NORMAL,		/* pages allocated */
	PGFREE,			/* pages freed */
	PGFAULT,		/* user page faults handled */
	PGMAJFAULT,		/* those that waited for I/O: none in Folio */
	OOM_KILL,		/* processes the OOM killer killed */
	NR_VM_EVENT_ITEMS
};

extern long vm_node_stat[NR_VM_NODE_STAT_ITEMS];
extern unsigned long vm_events[NR_VM_EVENT_ITEMS];

static inline void mod_node_page_state(enum node_stat_item item, long delta)
{
	__atomic_add_fetch(&vm_node_stat[item], delta, __ATOMIC_RELAXED);
}
static inline unsigned long global_node_page_state(enum node_stat_item item)
{
	long v = __atomic_load_n(&vm_node_stat[item], __ATOMIC_RELAXED);
	return v < 0 ? 0 : v;
}
static inline void count_vm_events(enum vm_event_item item, unsigned long n)
{
	__atomic_add_fetch(&vm_events[item], n, __ATOMIC_RELAXED);
}
static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}
static inline unsigned long global_vm_event(enum vm_event_item item)
{
	return __atomic_load_n(&vm_events[item], __ATOMIC_RELAXED);
}

/* /proc/vmstat, /proc/buddyinfo, /proc/zoneinfo (mm/vmstat.c). */
void vmstat_proc_init(void);

#endif
