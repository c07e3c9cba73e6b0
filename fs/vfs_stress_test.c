/*
 * ktest: several threads change one directory tree at once (create, write,
 * rename across directories, link, unlink, mkdir/rmdir) while the test
 * lists and looks it up, to shake out lock-order and lifetime bugs in the
 * dentry tree and ramfs. At the end the tree is empty and every page back.
 */
#include <kernel/sched/task.h>
#include "vfs_test.h"

#define STRESS_THREADS 3
#define STRESS_ROUNDS 500

struct stress {
	int id;
	int errors;
	char what[64];
};

static void stress_fail(struct stress *s, const char *what, int err)
{
	if (!s->errors++)
		snprintf(s->what, sizeof(s->what), "%s: %d", what, err);
}

static int stress_thread(void *arg)
{
	struct stress *s = arg;
	char a[48], b[48], d[48];

	for (int i = 0; i < STRESS_ROUNDS && !kthread_should_stop(); i++) {
		snprintf(a, sizeof(a), "/stress/x/t%d-%d", s->id, i);
		snprintf(b, sizeof(b), "/stress/y/t%d-%d-renamed", s->id, i);
		snprintf(d, sizeof(d), "/stress/x/d%d", s->id);
		struct file *f = filp_open(a, O_RDWR | O_CREAT | O_EXCL, 0644);
		if (IS_ERR(f)) {
			stress_fail(s, "create", PTR_ERR(f));
			continue;
		}
		loff_t pos = i * 100;		/* a hole first, some rounds */
		if (kernel_write(f, a, strlen(a), &pos) != (ssize_t)strlen(a))
			stress_fail(s, "write", 0);
		int err = do_renameat(AT_FDCWD, a, AT_FDCWD, b);
		if (!err)
			err = do_linkat(AT_FDCWD, b, AT_FDCWD, a);
		if (!err)
			err = do_unlinkat(AT_FDCWD, b);
		if (!err)
			err = do_unlinkat(AT_FDCWD, a);
		if (err)
			stress_fail(s, "rename/link/unlink", err);
		fput(f);
		if ((err = do_mkdirat(AT_FDCWD, d, 0755)) || (err = do_rmdir(AT_FDCWD, d)))
			stress_fail(s, "mkdir/rmdir", err);
		yield();			/* interleave with the others, one CPU or not */
	}
	return 0;
}

static bool count_actor(struct dir_context *ctx, const char *name, int len, loff_t pos, u64 ino, unsigned int type)
{
	return true;
}

KTEST(vfs_stress_tree)
{
	static struct stress s[STRESS_THREADS];
	struct task_struct *t[STRESS_THREADS];
	unsigned long freed0 = READ_ONCE(nr_tasks_freed);
	struct vfs_env e;
	struct stat st;

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(mkdir, P("/stress"), 0755), 0);
	KT_ASSERT_EQ(SYS(mkdir, P("/stress/x"), 0755), 0);
	KT_ASSERT_EQ(SYS(mkdir, P("/stress/y"), 0755), 0);
	for (int i = 0; i < STRESS_THREADS; i++) {
		s[i] = (struct stress){ .id = i };
		t[i] = ktest_start_thread(stress_thread, &s[i], "vfs_stress");
		KT_ASSERT(t[i]);
	}
	/* Meanwhile: list both directories and look names up, until the threads are done. */
	for (int round = 0; round < 100000; round++) {
		struct dir_context ctx = { .actor = count_actor };
		struct file *f = filp_open(round & 1 ? "/stress/x" : "/stress/y", O_RDONLY, 0);
		KT_ASSERT(!IS_ERR(f));
		iterate_dir(f, &ctx);
		fput(f);
		SYS(stat, P("/stress/y/t0-1-renamed"), P(&st));
		SYS(stat, P("/stress/x/../y/../x/d1"), P(&st));
		bool all_done = true;
		for (int i = 0; i < STRESS_THREADS; i++)
			all_done &= t[i]->exit_state != 0;
		if (all_done)
			break;
		yield();
	}
	for (int i = 0; i < STRESS_THREADS; i++) {
		ktest_stop_thread(t[i]);
		KT_ASSERT_MSG(!s[i].errors, "thread %d: %d errors, first %s", i, s[i].errors, s[i].what);
	}
	KT_ASSERT_EQ(SYS(rmdir, P("/stress/x")), 0);		/* empty again */
	KT_ASSERT_EQ(SYS(rmdir, P("/stress/y")), 0);
	KT_ASSERT_EQ(SYS(rmdir, P("/stress")), 0);
	WAIT_FOR(READ_ONCE(nr_tasks_freed) >= freed0 + STRESS_THREADS, 5);
	KT_ASSERT_EQ(nr_tasks_freed, freed0 + STRESS_THREADS);
	VFS_ENV_EXIT_CHECK(&e);
}
