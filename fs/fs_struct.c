/*
 * Root, working directory and umask of a process (Linux: fs/fs_struct.c;
 * umask() is in kernel/sys.c there). fs->lock guards the three; callers take
 * references on root and pwd under it, so a chdir() in another thread
 * sharing the fs_struct (CLONE_FS) cannot free what they walk. A task without
 * an fs_struct (a kernel thread) sees the global root as both.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/syscalls.h>
#include <mm/slab.h>
#include <fs/fs_struct.h>
#include "internal.h"

struct fs_struct *fs_alloc_root(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	fs->users = 1;
	spin_lock_init(&fs->lock);
	fs->umask = 0022;
	fs->root = fs->pwd = init_root;
	path_get(&fs->root);
	path_get(&fs->pwd);
	return fs;
}

struct fs_struct *copy_fs_struct(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	fs->users = 1;
	spin_lock_init(&fs->lock);
	spin_lock(&old->lock);
	fs->umask = old->umask;
	fs->root = old->root;
	fs->pwd = old->pwd;
	path_get(&fs->root);
	path_get(&fs->pwd);
	spin_unlock(&old->lock);
	return fs;
}

void put_fs_struct(struct fs_struct *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->users, 1, __ATOMIC_ACQ_REL))
		return;
	path_put(&fs->root);
	path_put(&fs->pwd);
	kfree(fs);
}

void exit_fs(struct task_struct *tsk)
{
	put_fs_struct(task_detach(tsk, fs));
}

static void get_fs_path(struct fs_struct *fs, struct path *res, bool pwd)
{
	if (!fs) {
		*res = init_root;
		path_get(res);
		return;
	}
	spin_lock(&fs->lock);
	*res = pwd ? fs->pwd : fs->root;
	path_get(res);
	spin_unlock(&fs->lock);
}

void get_fs_root(struct fs_struct *fs, struct path *root)
{
	get_fs_path(fs, root, false);
}

void get_fs_pwd(struct fs_struct *fs, struct path *pwd)
{
	get_fs_path(fs, pwd, true);
}

void set_fs_pwd(struct fs_struct *fs, const struct path *path)
{
	struct path old;

	path_get(path);
	spin_lock(&fs->lock);
	old = fs->pwd;
	fs->pwd = *path;
	spin_unlock(&fs->lock);
	path_put(&old);
}

umode_t current_umask(void)
{
	return current->fs ? READ_ONCE(current->fs->umask) : 0022;
}

SYSCALL_DEFINE1(umask, int, mask)
{
	struct fs_struct *fs = current->fs;

	if (!fs)
		return 0022;
	return __atomic_exchange_n(&fs->umask, mask & 0777, __ATOMIC_RELAXED);
}
