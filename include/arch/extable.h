/*
 * Exception fixup table (Linux: asm/extable.h). An instruction that may fault
 * on purpose is listed with a landing address; when it faults in kernel mode
 * the trap handler resumes at the landing address instead of oopsing. The
 * copy_*_user() loops (arch/x86_64/copy_user.asm) use the same table.
 */
#ifndef _ARCH_EXTABLE_H
#define _ARCH_EXTABLE_H

#include <kernel/types.h>
#include <kernel/compiler.h>

struct pt_regs;

/* Entry types. */
#define EX_TYPE_FAULT 1		/* resume at fixup with PROBE_FAULT(vector) in %rdx */
#define EX_TYPE_CALL 2
#define EX_TYPE_UACCESS 3	/* copy_*_user: resume at fixup, registers as they are */		/* insn is the return address of an indirect call whose target faulted */

struct exception_table_entry {
	int insn, fixup, type;	/* insn and fixup are relative to the field's own address */
};

/* Used from inline asm: list the instruction at label "from" with landing label "to". */
#define _ASM_EXTABLE_TYPE(from, to, type) \
	".pushsection __ex_table, \"a\"\n" \
	".balign 4\n" \
	".long (" #from ") - .\n" \
	".long (" #to ") - .\n" \
	".long " __stringify(type) "\n" \
	".popsection\n"

const struct exception_table_entry *search_exception_tables(unsigned long addr);
bool fixup_exception(struct pt_regs *regs, int trapnr);

/*
 * Probes for tests: perform one access, and return 0 if it worked or the
 * exception vector (14 for #PF, 13 for #GP...) + 1000 if it faulted.
 */
int probe_read_u8(const void *addr, u8 *val);
int probe_write_u8(void *addr, u8 val);
int probe_exec(const void *addr);	/* call a function at addr that returns at once */
#define PROBE_FAULT(vector) (1000 + (vector))

#endif
