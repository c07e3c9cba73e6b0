/*
 * /proc/self and /proc/thread-self (Linux: fs/proc/self.c,
 * fs/proc/thread_self.c): symlinks whose target depends on who looks.
 * readlink() gives "TGID" and "TGID/task/TID"; a walk through them steps
 * straight onto that directory (->jump_link), since a stored string could
 * not be right for two callers at once. No locks of their own.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <fs/dcache.h>
#include <fs/mount.h>
#include <fs/uapi.h>
#include "internal.h"
#include "../internal.h"

/* Walk path ("12" or "12/task/13") down from the /proc directory dir: the dentry (referenced) or ERR_PTR. */
static struct dentry *proc_walk(struct dentry *dir, const char *path)
{
	struct dentry *d = dget(dir);

	while (*path) {
		const char *end = strchr(path, '/');
		int len = end ? end - path : (int)strlen(path);
		struct inode *inode = d->d_inode;
		down_write(&inode->i_rwsem);
		struct dentry *child = __lookup_hash(d, path, len);
		up_write(&inode->i_rwsem);
		dput(d);
		if (IS_ERR(child))
			return child;
		if (!child->d_inode) {
			dput(child);
			return ERR_PTR(-ENOENT);
		}
		d = child;
		path += len + (end ? 1 : 0);
	}
	return d;
}

static int self_target(char *buf, size_t size, bool thread)
{
	if (current->flags & PF_KTHREAD)
		return -ENOENT;		/* a kernel thread has no /proc/self, as on Linux */
	if (thread)
		return snprintf(buf, size, "%d/task/%d", current->tgid, current->pid);
	return snprintf(buf, size, "%d", current->tgid);
}

static int self_readlink_common(char __user *buf, int buflen, bool thread)
{
	char tmp[32];
	int len = self_target(tmp, sizeof(tmp), thread);

	if (len < 0)
		return len;
	len = min(len, buflen);
	return copy_to_user(buf, tmp, len) ? -EFAULT : len;
}

/* Onto the caller's own directory, in the proc mount the link was found through. */
static int self_jump_common(const struct path *link, struct path *target, bool thread)
{
	char tmp[32];
	int len = self_target(tmp, sizeof(tmp), thread);

	if (len < 0)
		return len;
	spin_lock(&dcache_lock);
	struct dentry *parent = dget(link->dentry->d_parent);
	spin_unlock(&dcache_lock);
	struct dentry *d = proc_walk(parent, tmp);
	dput(parent);
	if (IS_ERR(d))
		return PTR_ERR(d);
	target->mnt = mntget(link->mnt);
	target->dentry = d;
	return 0;
}

static int proc_self_readlink(struct dentry *d, char __user *buf, int buflen)
{
	return self_readlink_common(buf, buflen, false);
}

static int proc_self_jump(const struct path *link, struct path *target)
{
	return self_jump_common(link, target, false);
}

static int proc_thread_self_readlink(struct dentry *d, char __user *buf, int buflen)
{
	return self_readlink_common(buf, buflen, true);
}

static int proc_thread_self_jump(const struct path *link, struct path *target)
{
	return self_jump_common(link, target, true);
}

static const struct inode_operations proc_self_inode_operations = {
	.jump_link = proc_self_jump,
	.readlink = proc_self_readlink,
};

static const struct inode_operations proc_thread_self_inode_operations = {
	.jump_link = proc_thread_self_jump,
	.readlink = proc_thread_self_readlink,
};

void proc_self_init(void)
{
	if (!proc_create_link_iops("self", NULL, &proc_self_inode_operations) ||
	    !proc_create_link_iops("thread-self", NULL, &proc_thread_self_inode_operations))
		pr_err("proc: cannot create /proc/self\n");
}
