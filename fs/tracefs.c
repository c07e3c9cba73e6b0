/*
 * tracefs: the file system of /sys/kernel/tracing (Linux: fs/tracefs/inode.c).
 * The tracing code makes its directories and files once at boot
 * (tracefs_create_dir(), tracefs_create_file()); user space cannot create,
 * remove or rename anything. Names live in the dentry tree, pinned, as in
 * ramfs. Each file's inode carries a tracefs_inode: the tracing code's data
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
#include <fs/tracefs.h>
#include <fs/uapi.h>
#include <uapi/errno.h>
#include "internal.h"

struct tracefs_inode {
	void *data;
	void (*truncate)(void);
};

static struct super_block tracefs_sb = {
	.s_type = "tracefs",
};
static struct dentry *tracefs_root;

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
		parent = tracefs_root;
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

static struct inode *tracefs_get_inode(umode_t mode)
{
	struct inode *inode = new_inode(&tracefs_sb);

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
	struct inode *inode = tracefs_get_inode(S_IFDIR | 0755);

	return inode ? tracefs_add(name, parent, inode) : NULL;
}

struct dentry *tracefs_create_file(const char *name, umode_t mode, struct dentry *parent, void *data,
				   const struct file_operations *fops, void (*truncate)(void))
{
	struct tracefs_inode *ti = kzalloc(sizeof(*ti), GFP_KERNEL);
	struct inode *inode = ti ? tracefs_get_inode(S_IFREG | (mode & 0777)) : NULL;

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

/*
 * Make the tree and mount it on /sys/kernel/tracing, where Linux's
 * user space expects it.
 */
void tracefs_init(void)
{
	struct inode *root = tracefs_get_inode(S_IFDIR | 0700);
	int err = root ? 0 : -ENOMEM;

	tracefs_sb.s_dev = new_anon_dev();
	if (!err) {
		do_mkdirat(AT_FDCWD, "/sys", 0555);
		do_mkdirat(AT_FDCWD, "/sys/kernel", 0755);
		do_mkdirat(AT_FDCWD, "/sys/kernel/tracing", 0755);
		err = vfs_mount_root("/sys/kernel/tracing", root);
	}
	if (!err)
		err = kern_path_at(AT_FDCWD, "/sys/kernel/tracing", LOOKUP_DIRECTORY, &tracefs_root);
	if (err) {
		pr_warn("tracefs: cannot mount on /sys/kernel/tracing: %d\n", err);
		return;
	}
	tracer_init_tracefs(tracefs_root);
}
