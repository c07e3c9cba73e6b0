/*
 * In-kernel microbenchmarks, run with the kernel parameter bench=all (or a
 * comma-separated list of names) at the end of boot; `make bench` drives it
 * (tests/bench.py). Each benchmark times one operation many times with the
 * TSC and prints the median, in the same line format as the Linux reference
 * benchmarks: "BENCH name=NAME value=N unit=cycles ns=N". Medians resist the
 * outliers TCG produces when it translates code for the first time.
 */
#include <kernel/kernel.h>
#include <kernel/bench.h>
#include <kernel/cmdline.h>
#include <kernel/time.h>
#include <kernel/reboot.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/gfp.h>
#include <mm/slab.h>
#include <kernel/spinlock.h>
#include <kernel/rwsem.h>
#include <kernel/completion.h>
#include <kernel/kthread.h>
#include <arch/processor.h>

#define BENCH_SAMPLES 2001

static const char *bench_list;
static u64 samples[BENCH_SAMPLES];

__setup_string("bench=", bench_list);

static void sort_u64(u64 *a, unsigned int n)
{
	/* Shell sort: a few thousand samples, no recursion, no allocation. */
	for (unsigned int gap = n / 2; gap; gap /= 2)
		for (unsigned int i = gap; i < n; i++)
			for (unsigned int j = i; j >= gap && a[j - gap] > a[j]; j -= gap)
				swap(a[j], a[j - gap]);
}

static void report(const char *name)
{
	sort_u64(samples, BENCH_SAMPLES);
	u64 median = samples[BENCH_SAMPLES / 2];
	pr_info("BENCH name=%s value=%llu unit=cycles ns=%llu\n", name, median, cycles_to_ns(median));
}

/* Time the statements BENCH_SAMPLES times and report their median cost as name. */
#define BENCH_LOOP(name, ...) do {					\
	for (unsigned int i = 0; i < BENCH_SAMPLES; i++) {		\
		u64 t0 = rdtsc_ordered();				\
		__VA_ARGS__;						\
		samples[i] = rdtsc_ordered() - t0;			\
	}								\
	report(name);							\
} while (0)

static void bench_alloc_pages(unsigned int order, const char *name)
{
	BENCH_LOOP(name, __free_pages(alloc_pages(GFP_KERNEL, order), order));
}

static void bench_page_order0(void) { bench_alloc_pages(0, "alloc_pages_order0_pair"); }
static void bench_page_order3(void) { bench_alloc_pages(3, "alloc_pages_order3_pair"); }

static void bench_kmalloc64(void)
{
	BENCH_LOOP("kmalloc64_pair", kfree(kmalloc(64, GFP_KERNEL)));
}

static void bench_rdtsc(void)	/* the measurement's own cost, to read the others against */
{
	BENCH_LOOP("rdtsc_overhead", barrier());
}

static void bench_spinlock(void)
{
	DEFINE_SPINLOCK(lock);

	BENCH_LOOP("spin_lock_unlock_pair", spin_lock(&lock); spin_unlock(&lock));
}

static void bench_rwsem_read(void)
{
	DECLARE_RWSEM(sem);

	BENCH_LOOP("down_read_up_read_pair", down_read(&sem); up_read(&sem));
}

/*
 * Ping-pong between this task and a kthread through two completions. Wake-ups
 * do not preempt, so each round trip is exactly two context switches: one
 * when we wait for the pong, one when the partner waits for the next ping.
 */
struct pingpong {
	struct completion ping, pong;
	bool stop;
};

static int pong_thread(void *arg)
{
	struct pingpong *pp = arg;

	for (;;) {
		wait_for_completion(&pp->ping);
		if (READ_ONCE(pp->stop))
			return 0;
		complete(&pp->pong);
	}
}

static void bench_context_switch(void)
{
	static struct pingpong pp;
	init_completion(&pp.ping);
	init_completion(&pp.pong);
	pp.stop = false;
	struct task_struct *t = kthread_run(pong_thread, &pp, "pong");

	if (IS_ERR(t)) {
		pr_err("BENCH context_switch: cannot start the partner thread\n");
		return;
	}
	for (unsigned int i = 0; i < BENCH_SAMPLES; i++) {
		u64 t0 = rdtsc_ordered();
		complete(&pp.ping);
		wait_for_completion(&pp.pong);
		samples[i] = (rdtsc_ordered() - t0) / 2;
	}
	WRITE_ONCE(pp.stop, true);
	complete(&pp.ping);
	report("context_switch");
}

static const struct {
	const char *name;
	void (*fn)(void);
} benches[] = {
	{ "rdtsc", bench_rdtsc },
	{ "page", bench_page_order0 },
	{ "page3", bench_page_order3 },
	{ "kmalloc", bench_kmalloc64 },
	{ "spinlock", bench_spinlock },
	{ "rwsem", bench_rwsem_read },
	{ "ctxsw", bench_context_switch },
};

static bool listed(const char *name)
{
	size_t n = strlen(name);
	for (const char *s = bench_list; *s;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if ((len == n && !strncmp(s, name, n)) || (len == 3 && !strncmp(s, "all", 3)))
			return true;
		s += len + (comma ? 1 : 0);
	}
	return false;
}

/* Run the selected benchmarks and power off (status 0). Returns if bench= was not given. */
void bench_run(void)
{
	if (!bench_list)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(benches); i++)
		if (listed(benches[i].name))
			benches[i].fn();
	pr_info("BENCH done\n");
	kernel_power_off(0);
}
