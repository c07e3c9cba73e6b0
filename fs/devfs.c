/*
 * /dev and character devices (Linux: fs/char_dev.c, drivers/char/mem.c,
 * and drivers/base/devtmpfs.c). /dev is devtmpfs: one shared instance of
 * ramfs (mount_single()), kept by a kernel mount and mounted on /dev at
 * boot, as Linux's CONFIG_DEVTMPFS_MOUNT does; mounting devtmpfs elsewhere
 * shows the same nodes. A device node is an inode with S_IFCHR and i_rdev,
 * made by devfs_create() or by the initramfs. Opening one looks its device
 * number up in chrdevs, the table devfs_create() fills, and switches the
 * file to the driver's operations (chrdev_open()), so a node from the
 * initramfs works as well as ours. chrdevs_lock guards the table; entries
 * are never removed.
 *
 * Here too: /dev/null (1,3) and /dev/zero (1,5), with Linux's semantics.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <arch/page.h>
#include <fs/dcache.h>
#include <fs/mount.h>
#include <fs/uapi.h>
#include <uapi/mount.h>
#include "internal.h"

struct chrdev {
	struct list_head list;
	dev_t rdev;
	const struct file_operations *fops;
};

static LIST_HEAD(chrdevs);
static DEFINE_SPINLOCK(chrdevs_lock);

static const struct file_operations *__chrdev_lookup(dev_t rdev)
{
	struct chrdev *c;

	list_for_each_entry(c, &chrdevs, list)
		if (c->rdev == rdev)
			return c->fops;
	return NULL;
}

static const struct file_operations *chrdev_lookup(dev_t rdev)
{
	spin_lock(&chrdevs_lock);
	const struct file_operations *fops = __chrdev_lookup(rdev);
	spin_unlock(&chrdevs_lock);
	return fops;
}

static int register_chrdev(dev_t rdev, const struct file_operations *fops)
{
	struct chrdev *c = kzalloc(sizeof(*c), GFP_KERNEL);
	const struct file_operations *old;

	if (!c)
		return -ENOMEM;
	c->rdev = rdev;
	c->fops = fops;
	spin_lock(&chrdevs_lock);
	old = __chrdev_lookup(rdev);
	if (!old)
		list_add_tail(&c->list, &chrdevs);
	spin_unlock(&chrdevs_lock);
	if (old)
		kfree(c);
	return old && old != fops ? -EBUSY : 0;	/* the same driver again is fine */
}

static int chrdev_open(struct inode *inode, struct file *f)
{
	const struct file_operations *fops = chrdev_lookup(inode->i_rdev);

	if (!fops)
		return -ENXIO;		/* no driver for this number */
	f->f_op = fops;
	return fops->open ? fops->open(inode, f) : 0;
}

static const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};

/* FIFOs, sockets and block devices can exist (from an initramfs) but cannot be opened. */
static int no_open(struct inode *inode, struct file *f)
{
	return -ENXIO;
}

static const struct file_operations no_open_fops = {
	.open = no_open,
};

void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev)
{
	inode->i_mode = mode;
	inode->i_rdev = rdev;
	inode->i_fop = S_ISCHR(mode) ? &def_chr_fops : &no_open_fops;
}

int devfs_create(const char *name, umode_t mode, dev_t rdev, const struct file_operations *fops)
{
	char path[64];
	int err = register_chrdev(rdev, fops);

	if (err)
		return err;
	if (snprintf(path, sizeof(path), "/dev/%s", name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	err = do_mknodat(AT_FDCWD, path, S_IFCHR | (mode & S_IALLUGO), rdev);
	if (err == -EEXIST) {		/* made already, by the initramfs say: fine if it is this device */
		struct path p;
		err = kern_path_at(AT_FDCWD, path, 0, &p);
		if (!err) {
			struct inode *inode = p.dentry->d_inode;
			if (!S_ISCHR(inode->i_mode) || inode->i_rdev != rdev)
				err = -EEXIST;
			path_put(&p);
		}
	}
	return err;
}

/* /dev/null: reads see end of file, writes vanish, seeks stay at 0. */
static ssize_t read_null(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	return 0;
}

static ssize_t write_null(struct file *f, const char __user *buf, size_t count, loff_t *pos)
{
	return count;
}

static loff_t null_lseek(struct file *f, loff_t offset, int whence)
{
	return f->f_pos = 0;
}

/* /dev/zero: reads fill the buffer with zeros. */
static ssize_t read_zero(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	size_t done = 0;

	while (done < count) {
		size_t n = min(count - done, PAGE_SIZE);
		size_t left = clear_user(buf + done, n);
		done += n - left;
		if (left)
			return done ? (ssize_t)done : -EFAULT;
		if (signal_pending(current))	/* a huge read can be interrupted, as on Linux */
			break;
		cond_resched();
	}
	return done;
}

static const struct file_operations null_fops = {
	.llseek = null_lseek,
	.read = read_null,
	.write = write_null,
};

static const struct file_operations zero_fops = {
	.llseek = null_lseek,
	.read = read_zero,
	.write = write_null,
};

static struct dentry *devtmpfs_mount_sb(struct file_system_type *type, int flags, const char *dev, void *data)
{
	return mount_single(type, flags, data, ramfs_fill_super);
}

static struct file_system_type dev_fs_type = {
	.name = "devtmpfs",
	.mount = devtmpfs_mount_sb,
	.kill_sb = kill_litter_super,
};

int devtmpfs_init(void)
{
	return register_filesystem(&dev_fs_type);
}

/* The kernel's own mount keeps the instance alive; then it goes on /dev, with null and zero. */
int devtmpfs_mount(void)
{
	struct vfsmount *mnt = kern_mount(&dev_fs_type);
	int err = PTR_ERR_OR_ZERO(mnt);

	if (!err)
		err = do_mkdirat(AT_FDCWD, "/dev", 0755);
	if (!err)
		err = init_mount("devtmpfs", "/dev", "devtmpfs", MS_SILENT, NULL);
	if (!err)
		err = devfs_create("null", 0666, MKDEV(1, 3), &null_fops);
	if (!err)
		err = devfs_create("zero", 0666, MKDEV(1, 5), &zero_fops);
	return err;
}
