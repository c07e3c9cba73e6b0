/*
 * Page faults (Linux: arch/x86/mm/fault.c). A kernel-mode fault is either
 * expected (the instruction is in the fixup table: probes, copy_*_user) or
 * a bug, reported as Linux reports it: what kind of access, which
 * page-table entries were found, then the oops. Faults on user addresses,
 * from user mode or from copy_*_user, go through the VMAs under
 * mmap_read_lock (do_user_addr_fault()), as Linux's do.
 */
#include <kernel/kernel.h>
#include <arch/ptrace.h>
#include <arch/traps.h>
#include <arch/extable.h>
#include <arch/pgtable.h>
#include <arch/processor.h>
#include <arch/irqflags.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/time.h>
#include <mm/memcontrol.h>
#include <kernel/uaccess.h>
#include <kernel/preempt.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>

/* "PGD 1003067 PUD 1004067 PMD 0" for the faulting address, as Linux's dump_pagetable(). */
static void dump_pagetable(unsigned long address)
{
	static const char *const names[PG_LEVEL_NUM] = {
		[PG_LEVEL_512G] = "PGD", [PG_LEVEL_1G] = "PUD", [PG_LEVEL_2M] = "PMD", [PG_LEVEL_4K] = "PTE",
	};
	struct pt_walk w = { .pgd = (pgd_t *)__va(read_cr3() & PTE_PFN_MASK) };
	char line[128];
	int n = 0;

	for (enum pg_level l = PG_LEVEL_512G; l >= PG_LEVEL_4K; l--) {
		pte_t *e = pt_walk(&w, address, l);
		if (!e || w.level != l)
			break;	/* the level above was empty or a large page: already printed */
		n += scnprintf(line + n, sizeof(line) - n, "%s %llx ", names[l], e->pte);
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

/* Linux's "show_unhandled_signals" line for a user segfault: only one that kills, rate-limited. */
static void show_signal_msg(struct pt_regs *regs, unsigned long err, unsigned long address)
{
	if (!unhandled_signal(current, SIGSEGV) || !printk_ratelimit())
		return;
	pr_info("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx\n", current->comm, current->pid,
		address, regs->ip, regs->sp, err);
}

/*
 * A fault on a user address: from user mode, or from the kernel inside
 * copy_*_user() (an EX_TYPE_UACCESS instruction). Both are resolved the same
 * way, under mmap_read_lock; what differs is the failure: a signal for user
 * mode, the fixup (-EFAULT) for the kernel.
 */
static void do_user_addr_fault(struct pt_regs *regs, unsigned long err, unsigned long address)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned int flags = 0, fault;
	int sig = SIGSEGV, si_code = SEGV_MAPERR;

	if (user_mode(regs)) {
		flags |= FAULT_FLAG_USER;
		current->in_user_fault = true;
	}
	if (err & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (err & X86_PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	/* A fault that may not sleep (atomic context, interrupts off) cannot bring a page in. */
	if (!mm || in_atomic() || !(regs->flags & X86_EFLAGS_IF) || (err & X86_PF_RSVD))
		goto bad_area_nosemaphore;
	local_irq_enable();	/* faults may sleep: for memory, or for mmap_lock */

	mmap_read_lock(mm);
	vma = find_vma(mm, address);
	if (!vma)
		goto bad_area;
	if (vma->vm_start > address) {
		if (!(vma->vm_flags & VM_GROWSDOWN) || expand_stack(vma, address))
			goto bad_area;
	}
	si_code = SEGV_ACCERR;
	if ((flags & FAULT_FLAG_WRITE) ? !(vma->vm_flags & VM_WRITE) :
	    (flags & FAULT_FLAG_INSTRUCTION) ? !(vma->vm_flags & VM_EXEC) :
	    !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		goto bad_area;
	fault = handle_mm_fault(vma, address, flags, regs);
	mmap_read_unlock(mm);
	current->in_user_fault = false;
	/* A memcg OOM recorded by a fault that did not fail for it after all: nothing to wait for. */
	if (!(fault & VM_FAULT_OOM))
		mem_cgroup_oom_synchronize(false);

	if (!(fault & VM_FAULT_ERROR)) {
		current->min_flt++;	/* getrusage(), /proc/PID/stat; Linux's mm_account_fault() */
		return;
	}
	if (fault & VM_FAULT_OOM) {
		/* The fault has unwound and mmap_lock is dropped: only now deal with the OOM. */
		if (!user_mode(regs)) {
			if (fixup_exception(regs, X86_TRAP_PF))
				return;
			page_fault_oops(regs, err, address);
		}
		pagefault_out_of_memory();
		return;
	}
	if (fault & VM_FAULT_SIGBUS) {
		sig = SIGBUS;
		si_code = BUS_ADRERR;
	} else {
		si_code = SEGV_ACCERR;
	}
	goto bad_area_nosemaphore;

bad_area:
	mmap_read_unlock(mm);
bad_area_nosemaphore:
	current->in_user_fault = false;
	if (!user_mode(regs)) {
		if (fixup_exception(regs, X86_TRAP_PF))
			return;
		page_fault_oops(regs, err, address);
	}
	show_signal_msg(regs, err, address);
	force_sig_fault(sig, si_code, address);
}

void do_page_fault(struct pt_regs *regs, unsigned long err, unsigned long address)
{
	bool uaccess = false;

	if (!user_mode(regs)) {
		const struct exception_table_entry *e = search_exception_tables(regs->ip);
		uaccess = e && e->type == EX_TYPE_UACCESS;
	}
	if (address < TASK_SIZE_MAX && (user_mode(regs) || uaccess)) {
		do_user_addr_fault(regs, err, address);
		return;
	}
	if (user_mode(regs)) {	/* user code touching the kernel half */
		show_signal_msg(regs, err, address);
		force_sig_fault(SIGSEGV, SEGV_MAPERR, address);
		return;
	}
	if (fixup_exception(regs, X86_TRAP_PF))
		return;
	page_fault_oops(regs, err, address);
}
