/*
 * The exception fixup table (Linux: arch/x86/mm/extable.c). Entries come
 * from _ASM_EXTABLE_TYPE() in inline assembly, collected by the linker into
 * __ex_table. The table is small, so a linear search is fine; Linux sorts
 * it and searches binary.
 *
 * The probe helpers below are what tests (and the oops printer) use to touch
 * memory that may not be there: each access is one listed instruction, and a
 * fault lands on the fixup with the vector in %edx.
 */
#include <kernel/kernel.h>
#include <arch/extable.h>
#include <arch/ptrace.h>
#include <arch/traps.h>
#include <arch/processor.h>

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

static unsigned long ex_insn(const struct exception_table_entry *e) { return (unsigned long)&e->insn + e->insn; }
static unsigned long ex_fixup(const struct exception_table_entry *e) { return (unsigned long)&e->fixup + e->fixup; }

const struct exception_table_entry *search_exception_tables(unsigned long addr)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++)
		if (ex_insn(e) == addr && e->type != EX_TYPE_CALL)
			return e;
	return NULL;
}

/* An indirect call whose target faulted on fetch: the return address is on top of the stack. */
static const struct exception_table_entry *search_call_return(unsigned long ret)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->type == EX_TYPE_CALL && ex_insn(e) == ret)
			return e;
	return NULL;
}

bool fixup_exception(struct pt_regs *regs, int trapnr)
{
	const struct exception_table_entry *e = search_exception_tables(regs->ip);

	/*
	 * Only a failed instruction fetch can be a probe_exec() call: a #PF at
	 * the fetched address, or a #GP for a non-canonical target.
	 */
	bool fetch_fault = (trapnr == X86_TRAP_PF && read_cr2() == regs->ip) ||
			   (trapnr == X86_TRAP_GP && (long)(regs->ip << 16) >> 16 != (long)regs->ip);
	if (!e && fetch_fault) {
		unsigned long ret = *(unsigned long *)regs->sp;
		e = search_call_return(ret);
		if (e && regs->ip != ret) {
			regs->sp += 8;	/* unwind the call */
		} else {
			e = NULL;
		}
	}
	if (!e)
		return false;
	if (e->type != EX_TYPE_UACCESS)
		regs->rdx = PROBE_FAULT(trapnr);
	regs->ip = ex_fixup(e);
	return true;
}

int probe_read_u8(const void *addr, u8 *val)
{
	int err = 0;
	u8 v = 0;
	__asm__ __volatile__("1: movb (%2), %0\n"
			     "2:\n"
			     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
			     : "+q"(v), "+d"(err) : "r"(addr) : "memory");
	if (!err)
		*val = v;
	return err;
}

int probe_write_u8(void *addr, u8 val)
{
	int err = 0;
	__asm__ __volatile__("1: movb %1, (%2)\n"
			     "2:\n"
			     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
			     : "+d"(err) : "q"(val), "r"(addr) : "memory");
	return err;
}

/*
 * Call addr; if fetching its first instruction faults (NX, not present),
 * the fault handler finds this call's return address in the table, pops it
 * and lands on 2:. The callee must return at once and keep %rdx, as a lone
 * "ret" does (tests place a 0xc3 byte in the page under test).
 */
int probe_exec(const void *addr)
{
	int err = 0;
	__asm__ __volatile__("call *%1\n"
			     "2:\n"
			     _ASM_EXTABLE_TYPE(2b, 2b, EX_TYPE_CALL)
			     : "+d"(err) : "r"(addr)
			     : "rax", "rcx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory", "cc");
	return err;
}
