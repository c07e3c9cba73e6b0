/*
 * Page faults (Linux: arch/x86/mm/fault.c). A kernel-mode fault is either
 * expected (the instruction is in the fixup table: probes, and later
 * copy_from_user) or a bug, reported as Linux reports it: what kind of
 * access, which page-table entries were found, then the oops. User-mode
 * faults are handled by the fault path of the user-process issue.
 * No locks here; the page-table walk only reads.
 */
#include <kernel/kernel.h>
#include <arch/ptrace.h>
#include <arch/traps.h>
#include <arch/extable.h>
#include <arch/pgtable.h>
#include <arch/processor.h>

/* "PGD 1003067 PUD 1004067 PMD 0" for the faulting address, as Linux's dump_pagetable(). */
static void dump_pagetable(unsigned long address)
{
	pte_t *table = (pte_t *)__va(read_cr3() & PTE_PFN_MASK);
	static const char *const names[] = { "PGD", "PUD", "PMD", "PTE" };
	static const int shifts[] = { PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT, PAGE_SHIFT };
	char line[128];
	int n = 0;

	for (int level = 0; level < 4; level++) {
		pte_t e = table[(address >> shifts[level]) & 511];
		n += scnprintf(line + n, sizeof(line) - n, "%s %llx ", names[level], e.pte);
		if (!pte_present(e) || (level > 0 && level < 3 && pte_huge(e)))
			break;
		table = (pte_t *)__va(pte_phys(e));
	}
	pr_alert("%s\n", line);
}

static void page_fault_oops(struct pt_regs *regs, unsigned long err, unsigned long address)
{
	if ((err & X86_PF_INSTR) && (err & X86_PF_PROT))
		pr_crit("kernel tried to execute NX-protected page - exploit attempt? (uid: 0)\n");
	if (address < PAGE_SIZE && !user_mode(regs))
		pr_alert("BUG: kernel NULL pointer dereference, address: %016lx\n", address);
	else
		pr_alert("BUG: unable to handle page fault for address: %016lx\n", address);
	pr_alert("#PF: %s %s in %s mode\n", (err & X86_PF_USER) ? "user" : "supervisor",
		 (err & X86_PF_INSTR) ? "instruction fetch" :
		 (err & X86_PF_WRITE) ? "write access" : "read access",
		 user_mode(regs) ? "user" : "kernel");
	pr_alert("#PF: error_code(0x%04lx) - %s\n", err,
		 !(err & X86_PF_PROT) ? "not-present page" :
		 (err & X86_PF_RSVD) ? "reserved bit violation" : "permissions violation");
	dump_pagetable(address);
	die("Oops", regs, err);
}

void do_page_fault(struct pt_regs *regs, unsigned long err, unsigned long address)
{
	if (!user_mode(regs) && fixup_exception(regs, X86_TRAP_PF))
		return;
	page_fault_oops(regs, err, address);
}
