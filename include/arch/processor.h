/*
 * CPU registers, CPUID, MSRs and control registers, and a task's user
 * registers and FPU (Linux: asm/processor.h, asm/msr.h).
 */
#ifndef _ARCH_PROCESSOR_H
#define _ARCH_PROCESSOR_H

#include <kernel/types.h>

#define MSR_EFER 0xc0000080
#define EFER_SCE (1 << 0)
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_IA32_APICBASE 0x1b

#define X86_CR0_PE (1UL << 0)
#define X86_CR0_MP (1UL << 1)
#define X86_CR0_EM (1UL << 2)
#define X86_CR0_TS (1UL << 3)
#define X86_CR0_NE (1UL << 5)
#define X86_CR0_WP (1UL << 16)
#define X86_CR0_PG (1UL << 31)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_PGE (1UL << 7)
#define X86_CR4_OSFXSR (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)

#define X86_EFLAGS_IF (1UL << 9)

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}
static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}
static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}
static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}
/* rdtsc that is not reordered before earlier loads (for benchmarks). */
static inline u64 rdtsc_ordered(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
	return rdtsc();
}

#define DEFINE_CR(n) \
	static inline unsigned long read_cr##n(void) { unsigned long v; __asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
	static inline void write_cr##n(unsigned long v) { __asm__ __volatile__("mov %0, %%cr" #n :: "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void cpu_relax(void) { __asm__ __volatile__("pause" ::: "memory"); }
static inline void halt(void) { __asm__ __volatile__("hlt" ::: "memory"); }

/* The CPUID words /proc/cpuinfo lists flags from, Linux's capability words in its order. */
enum cpuid_word { CPUID_1_EDX, CPUID_8000_0001_EDX, CPUID_1_ECX, CPUID_8000_0001_ECX, CPUID_7_0_EBX,
		  CPUID_7_0_ECX, NCAPINTS };

/* Feature bits Folio cares about, filled by cpu_detect() in arch/x86_64/cpu.c. */
struct cpuinfo_x86 {
	char vendor[13];
	char model_id[49];
	u32 family, model, stepping;
	bool has_nx, has_pdpe1gb, has_pge, has_apic, has_x2apic, has_tsc_invariant;
	u8 phys_bits, virt_bits;
	u32 cpuid_level;		/* the highest basic leaf */
	u32 capability[NCAPINTS];
	u32 cache_size_kb;		/* the last-level cache CPUID reports, 0 if none */
	u32 clflush_size, apicid;
};
extern struct cpuinfo_x86 boot_cpu_data;
void cpu_detect(void);
extern const struct seq_operations cpuinfo_op;	/* /proc/cpuinfo (arch/x86_64/cpuinfo.c) */

/* A task's user registers and FPU (arch/x86_64/process.c). */
struct task_struct;
struct pt_regs;
struct pt_regs *task_pt_regs(struct task_struct *p);	/* at the top of its kernel stack */
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp);	/* exec's first frame */
void fpu_init(void);
void copy_fpu(struct task_struct *child);	/* fork: the child starts with current's FPU state */

#endif
