/*
 * Memory statistics (Linux: mm/vmstat.c): the global counters of
 * include/mm/vmstat.h. They are atomics, updated by whoever allocates or
 * frees the pages they count; no lock.
 */
#include <kernel/kernel.h>
#include <mm/vmstat.h>

long vm_node_stat[NR_VM_NODE_STAT_ITEMS];
unsigned long vm_events[NR_VM_EVENT_ITEMS];
