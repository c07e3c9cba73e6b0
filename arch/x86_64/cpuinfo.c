/*
 * /proc/cpuinfo (Linux: arch/x86/kernel/cpu/proc.c): one processor block,
 * from what cpu_detect() read with CPUID. The flags are Linux's names for
 * the CPUID bits, in Linux's order (word by word, bit by bit); Linux's
 * synthetic flags (rep_good, nopl, ...) describe its own choices and are
 * left out. No locks: boot_cpu_data is written once at boot.
 */
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <lib/string.h>
#include <arch/processor.h>
#include <fs/seq_file.h>

/* Linux's names for the CPUID bits, per capability word: NULL for bits it does not list. */
static const char *const cap_flags[NCAPINTS][32] = {
	[CPUID_1_EDX] = {
		"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep", "mtrr", "pge",
		"mca", "cmov", "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi", "mmx", "fxsr", "sse", "sse2",
		"ss", "ht", "tm", "ia64", "pbe",
	},
	[CPUID_8000_0001_EDX] = {
		[11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt", [26] = "pdpe1gb",
		[27] = "rdtscp", [29] = "lm", [30] = "3dnowext", [31] = "3dnow",
	},
	[CPUID_1_ECX] = {
		"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3", "cid",
		"sdbg", "fma", "cx16", "xtpr", "pdcm", NULL, "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe",
		"popcnt", "tsc_deadline_timer", "aes", "xsave", NULL, "avx", "f16c", "rdrand", "hypervisor",
	},
	[CPUID_8000_0001_ECX] = {
		"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
		"3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL,
		"nodeid_msr", NULL, "tbm", "topoext", "perfctr_core", "perfctr_nb", NULL, "bpext", "ptsc",
		"perfctr_llc", "mwaitx",
	},
	[CPUID_7_0_EBX] = {
		"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", NULL, "smep", "bmi2", "erms", "invpcid",
		"rtm", "cqm", NULL, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed", "adx", "smap", "avx512ifma",
		"clflushopt", "clwb", NULL, "avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw",
		"avx512vl",
	},
	[CPUID_7_0_ECX] = {
		NULL, "avx512vbmi", "umip", "pku", "ospke", "waitpkg", "avx512_vbmi2", NULL, "gfni", "vaes",
		"vpclmulqdq", "avx512_vnni", "avx512_bitalg", "tme", "avx512_vpopcntdq", NULL, "la57", NULL, NULL,
		NULL, NULL, NULL, "rdpid", NULL, "bus_lock_detect", "cldemote", NULL, "movdiri", "movdir64b",
		"enqcmd", "sgx_lc",
	},
};

static void show_flags(struct seq_file *m, const struct cpuinfo_x86 *c)
{
	seq_puts(m, "flags\t\t:");
	for (int w = 0; w < NCAPINTS; w++)
		for (int bit = 0; bit < 32; bit++)
			if ((c->capability[w] & (1U << bit)) && cap_flags[w][bit])
				seq_printf(m, " %s", cap_flags[w][bit]);
	seq_putc(m, '\n');
}

static int show_cpuinfo(struct seq_file *m, void *v)
{
	const struct cpuinfo_x86 *c = v;
	unsigned long khz = tsc_khz;

	seq_printf(m, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\nmodel name\t: %s\n",
		   c->vendor, c->family, c->model, skip_spaces(c->model_id));
	seq_printf(m, "stepping\t: %u\n", c->stepping);
	if (khz)
		seq_printf(m, "cpu MHz\t\t: %lu.%03lu\n", khz / 1000, khz % 1000);
	if (c->cache_size_kb)
		seq_printf(m, "cache size\t: %u KB\n", c->cache_size_kb);
	seq_printf(m, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\napicid\t\t: %u\n"
		      "initial apicid\t: %u\n", c->apicid, c->apicid);
	seq_printf(m, "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\n", c->cpuid_level);
	show_flags(m, c);
	seq_puts(m, "bugs\t\t:\n");
	/* Linux's BogoMIPS with a TSC delay loop: two "loops" per TSC cycle. */
	seq_printf(m, "bogomips\t: %lu.%02lu\n", khz / 500, (khz / 5) % 100);
	seq_printf(m, "clflush size\t: %u\ncache_alignment\t: %u\n", c->clflush_size, c->clflush_size);
	seq_printf(m, "address sizes\t: %u bits physical, %u bits virtual\npower management:\n\n", c->phys_bits,
		   c->virt_bits);
	return 0;
}

/* One CPU: one record. */
static void *c_start(struct seq_file *m, loff_t *pos)
{
	return *pos ? NULL : &boot_cpu_data;
}

static void *c_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return NULL;
}

static void c_stop(struct seq_file *m, void *v)
{
}

const struct seq_operations cpuinfo_op = {
	.start = c_start,
	.next = c_next,
	.stop = c_stop,
	.show = show_cpuinfo,
};
