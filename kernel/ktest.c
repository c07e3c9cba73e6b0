/*
 * The ktest runner (see include/kernel/ktest.h). Tests run one after another
 * on the boot CPU, after every subsystem is up, in link order. Each gets a
 * fresh context; a failed assertion records file:line and the condition.
 * Output is TAP-like so the host runner (tests/run.py) can count results.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <lib/string.h>

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

int ktest_run(const char *pattern)
{
	int total = 0, passed = 0, failed = 0;

	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++)
		total += glob_match(pattern, t->name);
	pr_info("ktest: running %d tests matching '%s'\n", total, pattern);
	if (!total) {
		pr_err("ktest: no test matches '%s'\n", pattern);
		return 1;
	}
	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
		if (!glob_match(pattern, t->name))
			continue;
		struct ktest_ctx kt = { 0 };
		t->fn(&kt);
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
