/*
 * The ktest runner (see include/kernel/ktest.h). Tests run one after another
 * on the boot CPU, after every subsystem is up, in link order; ktest= names
 * them with a glob, or several separated by commas. Each gets a
 * fresh context; a failed assertion records file:line and the condition.
 * Output is TAP-like so the host runner (tests/run.py) can count results.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <lib/string.h>
#include <kernel/ktest_thread.h>
#include <kernel/sched/task.h>
#include <kernel/sanitizer.h>

extern const struct ktest __start_ktests[], __stop_ktests[];

void ktest_fail(struct ktest_ctx *kt, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	const char *base = strrchr(file, '/');
	int n = scnprintf(kt->reason, sizeof(kt->reason), "%s:%d: ", base ? base + 1 : file, line);

	va_start(ap, fmt);
	vsnprintf(kt->reason + n, sizeof(kt->reason) - n, fmt, ap);
	va_end(ap);
	kt->failed = true;
}

/* pattern is one glob or several separated by commas (ktest=page_counter_*,memcg_*). */
static bool ktest_match(const char *pattern, const char *name)
{
	char glob[64];

	while (*pattern) {
		const char *comma = strchr(pattern, ',');
		size_t n = comma ? (size_t)(comma - pattern) : strlen(pattern);
		if (n < sizeof(glob)) {
			memcpy(glob, pattern, n);
			glob[n] = '\0';
			if (glob_match(glob, name))
				return true;
		}
		pattern += n + (pattern[n] == ',');
	}
	return false;
}

int ktest_run(const char *pattern)
{
	int total = 0, passed = 0, failed = 0;

	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++)
		total += ktest_match(pattern, t->name);
	pr_info("ktest: running %d tests matching '%s'\n", total, pattern);
	if (!total) {
		pr_err("ktest: no test matches '%s'\n", pattern);
		return 1;
	}
	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
		if (!ktest_match(pattern, t->name))
			continue;
		struct ktest_ctx kt = { 0 };
		unsigned long reports = sanitizer_unexpected_reports();
		t->fn(&kt);
		if (!kt.failed && sanitizer_unexpected_reports() != reports)	/* SANITIZE=1 */
			ktest_fail(&kt, __FILE__, __LINE__, "a KASAN or UBSAN report nobody expected (see above)");
		if (kt.failed) {
			failed++;
			pr_info("not ok %d %s: %s\n", passed + failed, t->name, kt.reason);
		} else {
			passed++;
			pr_info("ok %d %s\n", passed + failed, t->name);
		}
	}
	pr_info("ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}

static char log_scan[4096];

/* Occurrences of what in the log printed since seq; a match may straddle two reads. */
int ktest_log_count(u64 seq, const char *what)
{
	size_t wl = strlen(what), keep = 0;
	int n = 0;

	for (;;) {
		size_t got = log_buf_read(log_scan + keep, sizeof(log_scan) - keep, &seq);
		if (!got)
			break;
		size_t len = keep + got;
		log_scan[len] = 0;
		for (char *p = log_scan; (p = strstr(p, what)); p += wl)
			n++;
		keep = min(wl - 1, len);	/* too short to hold a match counted already */
		memmove(log_scan, log_scan + len - keep, keep);
	}
	return n;
}

struct task_struct *ktest_start_thread(int (*fn)(void *), void *data, const char *name)
{
	struct task_struct *t = kthread_create(fn, data, "%s", name);

	if (IS_ERR(t))
		return NULL;
	get_task_struct(t);
	wake_up_process(t);
	return t;
}

int ktest_stop_thread(struct task_struct *t)
{
	int ret = kthread_stop(t);

	put_task_struct(t);
	return ret;
}
