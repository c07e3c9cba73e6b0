/*
 * ktests for exception handling (arch/x86_64/traps.c, fault.c, extable.c):
 * #DE, #UD, #GP, #PF and #BP raised on purpose in kernel mode, each on an
 * instruction listed in the fixup table, must come back through the fixup
 * with PROBE_FAULT(vector) in %rdx, and count exactly one exception of that
 * vector (and none of any other) in exception_counts[].
 *
 * The helpers are written like probe_read_u8() in extable.c: one listed
 * instruction, the landing label right after it, %rdx tied to the result.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <lib/string.h>
#include <arch/page.h>
#include <arch/pgtable.h>
#include <arch/extable.h>
#include <arch/traps.h>

static unsigned long counts_before[32];

static void save_counts(void)
{
	memcpy(counts_before, exception_counts, sizeof(counts_before));
}

/* The vector whose count changed by other than `want` (+1 for vector, 0 elsewhere), or -1. */
static int counts_changed(unsigned int vector)
{
	for (unsigned int v = 0; v < 32; v++)
		if (exception_counts[v] != counts_before[v] + (v == vector))
			return v;
	return -1;
}

/* One listed divide instruction (insn) of %rdx:%rax = hi:lo by divisor: the remainder, or PROBE_FAULT. */
#define DIVIDE(insn, hi, lo, divisor) ({							\
	unsigned long __rdx = (hi), __rax = (lo);						\
	__asm__ __volatile__("1: " insn " %[d]\n"						\
			     "2:\n"								\
			     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)				\
			     : "+a"(__rax), "+d"(__rdx) : [d] "r"((unsigned long)(divisor)) : "cc");	\
	__rdx; })

static __noinline unsigned long raise_de(unsigned long dividend_lo, unsigned long divisor)
{
	return DIVIDE("divq", 0, dividend_lo, divisor);
}

/* LLONG_MIN / -1 overflows the quotient: also #DE. */
static __noinline unsigned long raise_de_overflow(void)
{
	return DIVIDE("idivq", ~0UL, 1UL << 63, ~0UL);
}

static __noinline unsigned long raise_ud(void)
{
	unsigned long rdx = 0;

	__asm__ __volatile__("1: ud2\n"
			     "2:\n"
			     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
			     : "+d"(rdx) :: "memory");
	return rdx;
}

static __noinline unsigned long raise_load(unsigned long addr)
{
	unsigned long rdx = 0, v = 0;

	__asm__ __volatile__("1: movq (%[p]), %[v]\n"
			     "2:\n"
			     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
			     : [v] "+r"(v), "+d"(rdx) : [p] "r"(addr) : "memory");
	return rdx;
}

/*
 * int3 is a trap: the CPU reports it with %rip already past the one-byte
 * instruction. The entry for the int3 itself lands on 3:, leaving *after
 * at 0. A second entry, for the address after the int3, lands on 4:, which
 * sets *after: it is only a safety net so that a kernel that looks up the
 * reported %rip as is (without stepping back over the int3) fails this test
 * instead of dying.
 */
static __noinline unsigned long raise_bp(int *after)
{
	unsigned long rdx = 0;
	int a = 0;

	__asm__ __volatile__("1: int3\n"
			     "2: jmp 3f\n"
			     "4: movl $1, %[a]\n"
			     "3:\n"
			     _ASM_EXTABLE_TYPE(1b, 3b, EX_TYPE_FAULT)
			     _ASM_EXTABLE_TYPE(2b, 4b, EX_TYPE_FAULT)
			     : "+d"(rdx), [a] "+r"(a) :: "memory");
	*after = a;
	return rdx;
}

KTEST(trap_divide_error)
{
	save_counts();
	KT_ASSERT_EQ(raise_de(1, 0), PROBE_FAULT(X86_TRAP_DE));
	KT_ASSERT_EQ(counts_changed(X86_TRAP_DE), -1);
	save_counts();
	KT_ASSERT_EQ(raise_de_overflow(), PROBE_FAULT(X86_TRAP_DE));
	KT_ASSERT_EQ(counts_changed(X86_TRAP_DE), -1);
	/* A good division through the same helper does not fault: 7 % 3 lands in %rdx. */
	save_counts();
	KT_ASSERT_EQ(raise_de(7, 3), 1);
	KT_ASSERT_EQ(counts_changed(~0U), -1);
}

KTEST(trap_invalid_opcode)
{
	save_counts();
	KT_ASSERT_EQ(raise_ud(), PROBE_FAULT(X86_TRAP_UD));
	KT_ASSERT_EQ(counts_changed(X86_TRAP_UD), -1);
}

KTEST(trap_general_protection)
{
	save_counts();
	KT_ASSERT_EQ(raise_load(0xdead000000000000UL), PROBE_FAULT(X86_TRAP_GP));
	KT_ASSERT_EQ(counts_changed(X86_TRAP_GP), -1);
	save_counts();
	/* The lowest non-canonical address (4-level paging: 48-bit addresses). */
	KT_ASSERT_EQ(raise_load(0x0000800000000000UL), PROBE_FAULT(X86_TRAP_GP));
	KT_ASSERT_EQ(counts_changed(X86_TRAP_GP), -1);
}

KTEST(trap_page_fault)
{
	unsigned long addr = VMALLOC_END - PAGE_SIZE;
	enum pg_level level;

	KT_ASSERT(!lookup_address(addr, &level));
	save_counts();
	KT_ASSERT_EQ(raise_load(addr), PROBE_FAULT(X86_TRAP_PF));
	KT_ASSERT_EQ(counts_changed(X86_TRAP_PF), -1);
	save_counts();
	KT_ASSERT_EQ(raise_load(0), PROBE_FAULT(X86_TRAP_PF));	/* NULL: the user half is empty */
	KT_ASSERT_EQ(counts_changed(X86_TRAP_PF), -1);
	/* A mapped address loads normally. */
	save_counts();
	KT_ASSERT_EQ(raise_load((unsigned long)&counts_before), 0);
	KT_ASSERT_EQ(counts_changed(~0U), -1);
}

KTEST(trap_int3)
{
	int after = -1;

	save_counts();
	unsigned long rdx = raise_bp(&after);
	KT_ASSERT_EQ(counts_changed(X86_TRAP_BP), -1);
	KT_ASSERT_MSG(!after, "#BP fixed up via the entry for ip+1: traps.c searches the reported ip, "
		      "past the int3 (without that entry: oops)");
	KT_ASSERT_EQ(rdx, PROBE_FAULT(X86_TRAP_BP));
}

/* The table lookup itself: listed instructions are found, others are not. */
KTEST(trap_extable_search)
{
	KT_ASSERT(search_exception_tables((unsigned long)probe_read_u8) == NULL);
	KT_ASSERT(search_exception_tables(0) == NULL);
	/* probe_read_u8's load is listed somewhere inside it. */
	bool found = false;
	for (unsigned long a = (unsigned long)probe_read_u8; a < (unsigned long)probe_read_u8 + 64; a++)
		found |= search_exception_tables(a) != NULL;
	KT_ASSERT(found);
}
