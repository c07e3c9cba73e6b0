/*
 * CPU identification and per-CPU setup (Linux: arch/x86/kernel/cpu/common.c).
 * cpu_detect() reads the CPUID bits Folio depends on; percpu_init_boot_cpu()
 * points %gs at the boot CPU's struct pcpu so this_cpu() works. Both run
 * once, first thing in x86_64_start_kernel(); no lock.
 */
#include <kernel/kernel.h>
#include <lib/string.h>
#include <arch/processor.h>
#include <arch/percpu.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>

struct cpuinfo_x86 boot_cpu_data;
struct pcpu boot_pcpu;

void percpu_init_boot_cpu(void)
{
	boot_pcpu.self = &boot_pcpu;
	boot_pcpu.cpu = 0;
	boot_pcpu.curr_task = &init_task;	/* the boot context is the idle task, pid 0 */
	wrmsr(MSR_GS_BASE, (u64)&boot_pcpu);
}

void cpu_detect(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 a, b, cx, d, max_ext;

	cpuid(0, 0, &a, &b, &cx, &d);
	c->cpuid_level = a;
	memcpy(c->vendor, &b, 4);
	memcpy(c->vendor + 4, &d, 4);
	memcpy(c->vendor + 8, &cx, 4);
	cpuid(1, 0, &a, &b, &cx, &d);
	c->family = (a >> 8) & 0xf;
	c->model = (a >> 4) & 0xf;
	if (c->family == 0xf)
		c->family += (a >> 20) & 0xff;
	if (c->family >= 6)
		c->model |= ((a >> 16) & 0xf) << 4;
	c->stepping = a & 0xf;
	c->capability[CPUID_1_EDX] = d;
	c->capability[CPUID_1_ECX] = cx;
	c->clflush_size = ((b >> 8) & 0xff) * 8;
	c->apicid = b >> 24;
	if (c->cpuid_level >= 7) {
		u32 a7, b7, c7, d7;
		cpuid(7, 0, &a7, &b7, &c7, &d7);
		c->capability[CPUID_7_0_EBX] = b7;
		c->capability[CPUID_7_0_ECX] = c7;
	}
	c->has_apic = d & (1 << 9);
	c->has_pge = d & (1 << 13);
	c->has_x2apic = cx & (1 << 21);

	cpuid(0x80000000, 0, &max_ext, &b, &cx, &d);
	if (max_ext >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &cx, &d);
		c->capability[CPUID_8000_0001_EDX] = d;
		c->capability[CPUID_8000_0001_ECX] = cx;
		c->has_nx = d & (1 << 20);
		c->has_pdpe1gb = d & (1 << 26);
	}
	if (max_ext >= 0x80000004) {
		u32 *m = (u32 *)c->model_id;
		for (u32 i = 0; i < 3; i++)
			cpuid(0x80000002 + i, 0, &m[i * 4], &m[i * 4 + 1], &m[i * 4 + 2], &m[i * 4 + 3]);
	} else {
		strlcpy(c->model_id, "unknown x86-64 CPU", sizeof(c->model_id));
	}
	if (max_ext >= 0x80000006) {
		cpuid(0x80000006, 0, &a, &b, &cx, &d);
		c->cache_size_kb = cx >> 16;
	}
	if (max_ext >= 0x80000007) {
		cpuid(0x80000007, 0, &a, &b, &cx, &d);
		c->has_tsc_invariant = d & (1 << 8);
	}
	c->phys_bits = 36;
	c->virt_bits = 48;
	if (max_ext >= 0x80000008) {
		cpuid(0x80000008, 0, &a, &b, &cx, &d);
		c->phys_bits = a & 0xff;
		c->virt_bits = (a >> 8) & 0xff;
	}
	pr_info("CPU: %s (family: 0x%x, model: 0x%x, stepping: 0x%x)\n", skip_spaces(c->model_id),
		c->family, c->model, c->stepping);
	pr_info("CPU: features:%s%s%s%s%s, %u bits physical, %u bits virtual\n",
		c->has_nx ? " nx" : "", c->has_pdpe1gb ? " pdpe1gb" : "", c->has_pge ? " pge" : "",
		c->has_apic ? " apic" : "", c->has_tsc_invariant ? " constant_tsc" : "",
		c->phys_bits, c->virt_bits);
}
