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
	fs->root = dget(root_dentry);
	fs->pwd = dget(root_dentry);
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
	fs->root = dget(old->root);
	fs->pwd = dget(old->pwd);
	spin_unlock(&old->lock);
	return fs;
}

void put_fs_struct(struct fs_struct *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->users, 1, __ATOMIC_ACQ_REL))
		return;
	dput(fs->root);
	dput(fs->pwd);
	kfree(fs);
}

void exit_fs(struct task_struct *tsk)
{
	put_fs_struct(task_detach(tsk, fs));
}

static struct dentry *get_fs_path(bool pwd)
{
	struct fs_struct *fs = current->fs;
	struct dentry *d;

	if (!fs)
		return dget(root_dentry);
	spin_lock(&fs->lock);
	d = dget(pwd ? fs->pwd : fs->root);
	spin_unlock(&fs->lock);
	return d;
}

struct dentry *get_fs_root(void)
{
	return get_fs_path(false);
}

struct dentry *get_fs_pwd(void)
{
	return get_fs_path(true);
}

void set_fs_pwd(struct fs_struct *fs, struct dentry *d)
{
	struct dentry *old;

	spin_lock(&fs->lock);
	old = fs->pwd;
	fs->pwd = d;
	spin_unlock(&fs->lock);
	dput(old);
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
