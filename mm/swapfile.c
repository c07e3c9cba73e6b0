/*
 * Swap (Linux: mm/swapfile.c). Folio never swaps: anonymous memory stays
 * in RAM until freed, and the OOM killer is what answers a shortage.
 * /proc/swaps says so as Linux does with no swap area: its header alone.
 */
#include <kernel/kernel.h>
#include <fs/seq_file.h>
#include <fs/proc_fs.h>
#include <mm/mm.h>

static int swaps_show(struct seq_file *m, void *v)
{
	seq_puts(m, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	return 0;
}

void swap_proc_init(void)
{
	proc_create_single("swaps", 0444, NULL, swaps_show);
}
