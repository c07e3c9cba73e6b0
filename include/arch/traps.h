/* Exception vectors, their entry stubs and the oops machinery (Linux: asm/trapnr.h, asm/traps.h). */
#ifndef _ARCH_TRAPS_H
#define _ARCH_TRAPS_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define X86_TRAP_DE 0
#define X86_TRAP_DB 1
#define X86_TRAP_NMI 2
#define X86_TRAP_BP 3
#define X86_TRAP_OF 4
#define X86_TRAP_BR 5
#define X86_TRAP_UD 6
#define X86_TRAP_NM 7
#define X86_TRAP_DF 8
#define X86_TRAP_TS 10
#define X86_TRAP_NP 11
#define X86_TRAP_SS 12
#define X86_TRAP_GP 13
#define X86_TRAP_PF 14
#define X86_TRAP_MF 16
#define X86_TRAP_AC 17
#define X86_TRAP_MC 18
#define X86_TRAP_XF 19

/* Page-fault error code bits. */
#define X86_PF_PROT (1 << 0)
#define X86_PF_WRITE (1 << 1)
#define X86_PF_USER (1 << 2)
#define X86_PF_RSVD (1 << 3)
#define X86_PF_INSTR (1 << 4)

struct pt_regs;
void trap_init(void);
void do_page_fault(struct pt_regs *regs, unsigned long error_code, unsigned long address);
/* Print the oops report for a fatal kernel exception and panic. */
__noreturn void die(const char *str, struct pt_regs *regs, unsigned long err);
void show_regs(struct pt_regs *regs);
/* The call trace of a stack: " sym+off/size" lines, "? " before unreliable ones. */
void show_trace(unsigned long sp, unsigned long bp, const char *lvl);
/* Exceptions handled (fixed up or fatal) since boot, by vector: tests read it. */
extern unsigned long exception_counts[32];

/* The entry stubs (arch/x86_64/entry.asm): one per vector, each calling x86_dispatch(). */
extern const u64 vector_stubs[256];
void x86_dispatch(struct pt_regs *regs);	/* every vector's C side */

#endif
