/* Lock-debugging reports; see include/kernel/lock_debug.h. No lock: printk serialises the output. */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/lock_debug.h>

unsigned long lock_bug_count;

void lock_bug_at(const struct lock_site *site, const char *what, const char *lock_type, const void *lock,
		 const char *name)
{
	struct task_struct *p = current;

	__atomic_add_fetch(&lock_bug_count, 1, __ATOMIC_RELAXED);
	pr_warn("=============================================\n");
	pr_warn("%s\n", what);
	pr_warn("%s\n", print_tainted());
	pr_warn("---------------------------------------------\n");
	pr_warn("%s/%d: %s %p (%s)\n", p ? p->comm : "?", p ? p->pid : -1, lock_type, lock,
		name ? name : "?");
	if (site)
		pr_warn("checked in %s() at %s:%d\n", site->func, site->file, site->line);
	dump_stack();
	add_taint(TAINT_WARN);
}

void lock_bug(const char *what, const char *lock_type, const void *lock, const char *name)
{
	lock_bug_at(NULL, what, lock_type, lock, name);
}
