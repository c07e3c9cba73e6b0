/*
 * /proc's inodes and super block (Linux: fs/proc/inode.c).
 *
 * A /proc inode is made fresh at each lookup and carries a struct
 * proc_inode in i_private: the registered entry it shows (referenced), or
 * the task it is about (referenced), and for per-process files what to
 * show. proc_evict_inode() drops both with the last iput().
 *
 * Registered regular files go through proc_reg_file_ops, which dispatches
 * to the entry's proc_ops; an entry removed since the inode was made can
 * no longer be opened (-ENOENT), but files already open keep working: the
 * proc_ops of a Folio subsystem never go away. No locks of its own.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include <uapi/magic.h>
#include "internal.h"

static void proc_evict_inode(struct inode *inode)
{
	struct proc_inode *ei = PROC_I(inode);

	if (!ei)
		return;
	if (ei->pde)
		pde_put(ei->pde);
	if (ei->task)
		put_task_struct(ei->task);
	kfree(ei);
}

static const struct super_operations proc_sops = {
	.evict_inode = proc_evict_inode,
	.statfs = simple_statfs,
};

/* One proc instance: each mount of proc makes its own (mount_nodev()), as in Linux 6.1. */
int proc_fill_super(struct super_block *sb, void *data, int silent)
{
	struct inode *root;

	sb->s_magic = PROC_SUPER_MAGIC;
	sb->s_op = &proc_sops;
	sb->s_next_ino = PROC_ROOT_INO;	/* per-process inodes are numbered from 2 */
	root = proc_get_inode(sb, pde_get(&proc_root));
	sb->s_root = root ? d_make_root(root) : NULL;
	return sb->s_root ? 0 : -ENOMEM;
}

static struct inode *proc_alloc_inode(struct super_block *sb, umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_private = kzalloc(sizeof(struct proc_inode), GFP_KERNEL);
	if (!inode->i_private) {
		iput(inode);
		return NULL;
	}
	inode->i_mode = mode;
	return inode;
}

/* An inode for the registered entry de, taking over the caller's reference on it. */
struct inode *proc_get_inode(struct super_block *sb, struct proc_dir_entry *de)
{
	struct inode *inode = proc_alloc_inode(sb, de->mode);

	if (!inode) {
		pde_put(de);
		return NULL;
	}
	PROC_I(inode)->pde = de;
	inode->i_ino = de->low_ino;
	inode->i_nlink = de->nlink;
	if (S_ISDIR(de->mode)) {
		inode->i_op = de->proc_iops ? de->proc_iops : &proc_dir_inode_operations;
		inode->i_fop = de->proc_dir_ops ? de->proc_dir_ops : &proc_dir_operations;
	} else if (S_ISLNK(de->mode)) {
		inode->i_op = de->proc_iops ? de->proc_iops : &proc_link_inode_operations;
	} else {
		inode->i_op = de->proc_iops ? de->proc_iops : &proc_file_inode_operations;
		inode->i_fop = &proc_reg_file_ops;
	}
	return inode;
}

/* An inode about task (the caller's reference on it is not taken over). */
struct inode *proc_pid_make_inode(struct super_block *sb, struct task_struct *task, umode_t mode)
{
	struct inode *inode = proc_alloc_inode(sb, mode);

	if (!inode)
		return NULL;
	get_task_struct(task);
	PROC_I(inode)->task = task;
	return inode;
}

/*
 * Truncating a generated file is accepted and changes nothing, as on Linux:
 * the shell's "echo 500 > /proc/PID/oom_score_adj" opens with O_TRUNC.
 */
static int proc_setsize(struct inode *inode, loff_t size)
{
	return 0;
}

const struct inode_operations proc_file_inode_operations = {
	.setsize = proc_setsize,
};

/* ---- registered regular files: their proc_ops ---- */

static int proc_reg_open(struct inode *inode, struct file *file)
{
	struct proc_dir_entry *de = PDE(inode);

	if (READ_ONCE(de->removed))
		return -ENOENT;
	return de->proc_ops->proc_open ? de->proc_ops->proc_open(inode, file) : 0;
}

static ssize_t proc_reg_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	const struct proc_ops *ops = PDE(file->f_inode)->proc_ops;

	return ops->proc_read ? ops->proc_read(file, buf, count, pos) : -EIO;
}

static ssize_t proc_reg_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	const struct proc_ops *ops = PDE(file->f_inode)->proc_ops;

	return ops->proc_write ? ops->proc_write(file, buf, count, pos) : -EIO;
}

static loff_t proc_reg_llseek(struct file *file, loff_t offset, int whence)
{
	const struct proc_ops *ops = PDE(file->f_inode)->proc_ops;

	return ops->proc_lseek ? ops->proc_lseek(file, offset, whence) : generic_file_llseek(file, offset, whence);
}

static __poll_t proc_reg_poll(struct file *file, struct poll_table_struct *pt)
{
	const struct proc_ops *ops = PDE(file->f_inode)->proc_ops;

	return ops->proc_poll ? ops->proc_poll(file, pt) : EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM;
}

static int proc_reg_release(struct inode *inode, struct file *file)
{
	const struct proc_ops *ops = PDE(inode)->proc_ops;

	return ops->proc_release ? ops->proc_release(inode, file) : 0;
}

const struct file_operations proc_reg_file_ops = {
	.llseek = proc_reg_llseek,
	.read = proc_reg_read,
	.write = proc_reg_write,
	.poll = proc_reg_poll,
	.open = proc_reg_open,
	.release = proc_reg_release,
};

/* A registered symlink's target is its entry's data. */
static const char *proc_get_link(struct dentry *d)
{
	return PDE(d->d_inode)->data;
}

const struct inode_operations proc_link_inode_operations = {
	.get_link = proc_get_link,
};
