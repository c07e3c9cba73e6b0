/*
 * tracefs: the file system of /sys/kernel/tracing (Linux: fs/tracefs/inode.c).
 * There is one instance, made at boot and kept by a kernel mount, where the
 * tracing code makes its directories and files (tracefs_create_dir(),
 * tracefs_create_file()); `mount -t tracefs nodev /sys/kernel/tracing`
 * shows that instance (mount_single()). User space cannot create, remove or
 * rename anything. Names live in the dentry tree, pinned, as in ramfs. Each file's inode carries a tracefs_inode: the tracing code's data
 * for its operations, and what an O_TRUNC open does (the VFS truncates
 * through ->setsize before opening).
 *
 * Locking: the tree is built under each parent's i_rwsem and never changes
 * afterwards; what a file shows is guarded by the tracing code's own locks.
 */
#include <kernel/kernel.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/mount.h>
#include <fs/tracefs.h>
#include <fs/uapi.h>
#include <uapi/errno.h>
#include <uapi/magic.h>
#include "internal.h"

struct tracefs_inode {
	void *data;
	void (*truncate)(void);
};

static struct vfsmount *tracefs_mount;	/* the kernel's own mount: the instance lives for good */

/* O_TRUNC (`echo 1 > enable`, `echo > trace`): only the files that ask for it do anything. */
static int tracefs_setsize(struct inode *inode, loff_t size)
{
	struct tracefs_inode *ti = inode->i_private;

	if (!size && ti && ti->truncate)
		ti->truncate();
	return 0;
}

static const struct inode_operations tracefs_file_inode_operations = {
	.setsize = tracefs_setsize,
};

static const struct inode_operations tracefs_dir_inode_operations;

/* Name a new inode under parent: the dentry is pinned, as ramfs's. */
static struct dentry *tracefs_add(const char *name, struct dentry *parent, struct inode *inode)
{
	struct inode *dir;
	struct dentry *d;

	if (!parent)
		parent = tracefs_mount->mnt_root;
	dir = parent->d_inode;
	down_write(&dir->i_rwsem);
	d = d_alloc(parent, name, strlen(name));
	if (d) {
		d_instantiate(d, inode);
		dget(d);
	}
	up_write(&dir->i_rwsem);
	if (!d) {
		iput(inode);
		return NULL;
	}
	dput(d);	/* the pin stays */
	return d;
}

static struct inode *tracefs_get_inode(struct super_block *sb, umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_mode = mode;
	if (S_ISDIR(mode)) {
		inode->i_op = &tracefs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		inode->i_nlink = 2;
	} else {
		inode->i_op = &tracefs_file_inode_operations;
	}
	return inode;
}

struct dentry *tracefs_create_dir(const char *name, struct dentry *parent)
{
	struct inode *inode = tracefs_get_inode(tracefs_mount->mnt_sb, S_IFDIR | 0755);

	return inode ? tracefs_add(name, parent, inode) : NULL;
}

struct dentry *tracefs_create_file(const char *name, umode_t mode, struct dentry *parent, void *data,
				   const struct file_operations *fops, void (*truncate)(void))
{
	struct tracefs_inode *ti = kzalloc(sizeof(*ti), GFP_KERNEL);
	struct inode *inode = ti ? tracefs_get_inode(tracefs_mount->mnt_sb, S_IFREG | (mode & 0777)) : NULL;

	if (!inode) {
		kfree(ti);
		return NULL;
	}
	ti->data = data;
	ti->truncate = truncate;
	inode->i_private = ti;	/* never freed: the tree stays for good */
	inode->i_fop = fops;
	return tracefs_add(name, parent, inode);
}

void *tracefs_file_data(struct file *f)
{
	return ((struct tracefs_inode *)f->f_inode->i_private)->data;
}

ssize_t tracefs_read_buffer(void __user *to, size_t count, loff_t *ppos, const void *from, size_t available)
{
	loff_t pos = *ppos;

	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !count)
		return 0;
	count = min(count, available - (size_t)pos);
	if (copy_to_user(to, (const char *)from + pos, count))
		return -EFAULT;
	*ppos = pos + count;
	return count;
}

ssize_t tracefs_write_text(char *buf, size_t size, const char __user *ubuf, size_t count)
{
	if (count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = 0;
	return count;
}

static const struct super_operations tracefs_super_ops = {
	.statfs = simple_statfs,
};

static int tracefs_fill_super(struct super_block *sb, void *data, int silent)
{
	sb->s_magic = TRACEFS_MAGIC;
	sb->s_op = &tracefs_super_ops;
	sb->s_root = d_make_root(tracefs_get_inode(sb, S_IFDIR | 0700));
	return sb->s_root ? 0 : -ENOMEM;
}

static struct dentry *tracefs_mount_fs(struct file_system_type *type, int flags, const char *dev, void *data)
{
	return mount_single(type, flags, NULL, tracefs_fill_super);
}

static struct file_system_type trace_fs_type = {
	.name = "tracefs",
	.mount = tracefs_mount_fs,
	.kill_sb = kill_litter_super,
};

int init_tracefs(void)
{
	return register_filesystem(&trace_fs_type);
}

void tracefs_init(void)
{
	struct vfsmount *mnt = kern_mount(&trace_fs_type);

	if (IS_ERR(mnt)) {
		pr_warn("tracefs: cannot make the tracing files: %ld\n", PTR_ERR(mnt));
		return;
	}
	tracefs_mount = mnt;
	tracer_init_tracefs(mnt->mnt_root);
}
