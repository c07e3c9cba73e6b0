/*
 * BUG() and WARN() (Linux: include/asm-generic/bug.h, arch/x86/include/asm/bug.h).
 * Both compile to a single ud2 instruction plus an entry in the __bug_table
 * section naming the file, the line and the kind. The #UD handler finds the
 * entry (report_bug()): a BUG prints "kernel BUG at file:line!" and oopses;
 * a WARN prints Linux's WARNING report with the registers and a call trace,
 * then execution continues after the ud2. So the hot path costs one
 * not-taken branch and the report shows the exact place and state.
 */
#ifndef _KERNEL_BUG_H
#define _KERNEL_BUG_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define BUGFLAG_WARNING (1 << 0)
#define BUGFLAG_ONCE (1 << 1)
#define BUGFLAG_DONE (1 << 2)

struct bug_entry {
	unsigned long bug_addr;
	const char *file;
	unsigned short line, flags;
};

#define __BUG_FLAGS(flags) \
	__asm__ __volatile__("1: ud2\n" \
			     ".pushsection __bug_table, \"aw\"\n" \
			     ".balign 8\n" \
			     "2: .quad 1b\n" \
			     ".quad %c0\n" \
			     ".word %c1\n" \
			     ".word %c2\n" \
			     ".org 2b + %c3\n" \
			     ".popsection\n" \
			     :: "i"(__FILE__), "i"(__LINE__), "i"(flags), "i"(sizeof(struct bug_entry)))

#define BUG() do { __BUG_FLAGS(0); __builtin_unreachable(); } while (0)
#define BUG_ON(cond) do { if (unlikely(cond)) BUG(); } while (0)
#define __WARN_FLAGS(flags) __BUG_FLAGS(BUGFLAG_WARNING | (flags))
#define WARN_ON(cond) ({ bool __c = !!(cond); if (unlikely(__c)) __WARN_FLAGS(0); unlikely(__c); })
#define WARN_ON_ONCE(cond) ({ bool __c = !!(cond); if (unlikely(__c)) __WARN_FLAGS(BUGFLAG_ONCE); unlikely(__c); })

enum bug_trap_type { BUG_TRAP_TYPE_NONE, BUG_TRAP_TYPE_WARN, BUG_TRAP_TYPE_BUG };
struct pt_regs;
/* From the #UD handler: report the BUG or WARN at ip, if there is one. */
enum bug_trap_type report_bug(unsigned long ip, struct pt_regs *regs);
extern unsigned long warn_count;	/* WARNs reported since boot (tests) */

#endif
