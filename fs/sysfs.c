/*
 * sysfs, small (Linux: fs/sysfs/, fs/kernfs/): the few entries of /sys that
 * programs probe, as a table of static entries. Each file has a show()
 * that prints its whole contents into a page, and maybe a store() that
 * takes a write; directories are dentries pinned in the tree, as in ramfs,
 * made once when the one shared instance is filled (mount_single()).
 * /sys/fs/cgroup and /sys/kernel/tracing are empty directories where other
 * file systems get mounted, mode 0555 as Linux's sysfs mount points.
 *
 * Locking: none of its own. The tree never changes after fill_super;
 * show() and store() read and write their own settings (atomics or
 * constants).
 */
#include <kernel/kernel.h>
#include <kernel/uaccess.h>
#include <arch/page.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <uapi/magic.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include "internal.h"

struct sysfs_entry {
	const char *path;			/* below /sys */
	umode_t mode;
	int (*show)(char *page);		/* the contents, into a page: their length */
	int (*store)(const char *buf, size_t count);	/* 0 or an error */
};

/* Folio has no transparent huge pages: "never" is the mode, and the only one a write may choose. */
static int thp_enabled_show(char *page)
{
	return snprintf(page, PAGE_SIZE, "always madvise [never]\n");
}

static int thp_enabled_store(const char *buf, size_t count)
{
	if (count && buf[count - 1] == '\n')
		count--;
	return count == 5 && !memcmp(buf, "never", 5) ? 0 : -EINVAL;
}

/* One CPU runs: cpu 0 (the range syntax Linux prints, "0-3", has one member). */
static int cpu_online_show(char *page)
{
	return snprintf(page, PAGE_SIZE, "0\n");
}

#define SYSFS_DIR(path) { path, S_IFDIR | 0755, NULL, NULL }
#define SYSFS_MOUNT_POINT(path) { path, S_IFDIR | 0555, NULL, NULL }

/* Parents before children. */
static const struct sysfs_entry sysfs_entries[] = {
	SYSFS_DIR("devices"),
	SYSFS_DIR("devices/system"),
	SYSFS_DIR("devices/system/cpu"),
	{ "devices/system/cpu/online", S_IFREG | 0444, cpu_online_show, NULL },
	SYSFS_DIR("fs"),
	SYSFS_MOUNT_POINT("fs/cgroup"),
	SYSFS_DIR("kernel"),
	SYSFS_DIR("kernel/mm"),
	SYSFS_DIR("kernel/mm/transparent_hugepage"),
	{ "kernel/mm/transparent_hugepage/enabled", S_IFREG | 0644, thp_enabled_show, thp_enabled_store },
	SYSFS_MOUNT_POINT("kernel/tracing"),
};

/* Each read prints the whole file again and returns the part at *ppos, as Linux's sysfs. */
static ssize_t sysfs_read(struct file *f, char __user *buf, size_t count, loff_t *ppos)
{
	const struct sysfs_entry *e = f->f_inode->i_private;
	char *page = (char *)__get_free_page(GFP_KERNEL);

	if (!page)
		return -ENOMEM;
	ssize_t len = e->show(page);
	if (len >= 0) {
		loff_t pos = *ppos;
		size_t n = pos < len ? min(count, (size_t)(len - pos)) : 0;
		len = n && copy_to_user(buf, page + pos, n) ? -EFAULT : (ssize_t)n;
		if (len > 0)
			*ppos = pos + len;
	}
	free_page((unsigned long)page);
	return len;
}

/* A write is one store() of what fits in a page. */
static ssize_t sysfs_write(struct file *f, const char __user *buf, size_t count, loff_t *ppos)
{
	const struct sysfs_entry *e = f->f_inode->i_private;
	char *page;

	if (!count)
		return 0;	/* no store() call for an empty write (Linux: sysfs_kf_write()) */
	count = min(count, PAGE_SIZE - 1);
	page = (char *)__get_free_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	ssize_t ret = copy_from_user(page, buf, count) ? -EFAULT : e->store(page, count);
	free_page((unsigned long)page);
	return ret ? ret : (ssize_t)count;
}

/* Root may open any file, but one without store() not for writing (Linux: kernfs_fop_open()). */
static int sysfs_open(struct inode *inode, struct file *f)
{
	const struct sysfs_entry *e = inode->i_private;

	return (f->f_mode & FMODE_WRITE) && !e->store ? -EACCES : 0;
}

static const struct file_operations sysfs_file_operations = {
	.open = sysfs_open,
	.llseek = generic_file_llseek,
	.read = sysfs_read,
	.write = sysfs_write,
};

static const struct inode_operations sysfs_dir_inode_operations;	/* nothing may be created */

static struct inode *sysfs_get_inode(struct super_block *sb, const struct sysfs_entry *e, umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_mode = mode;
	inode->i_private = (void *)e;
	if (S_ISDIR(mode)) {
		inode->i_op = &sysfs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		inode->i_nlink = 2;
	} else {
		inode->i_fop = &sysfs_file_operations;
		inode->i_size = PAGE_SIZE;	/* what Linux's sysfs reports for any attribute */
	}
	return inode;
}

/* The dentry of dir's child name[0..len), referenced, or NULL. */
static struct dentry *sysfs_child(struct dentry *dir, const char *name, unsigned int len)
{
	return d_lookup(dir, name, len);
}

/* Add entry e below root: its parent exists already (the table is in order). */
static int sysfs_add(struct super_block *sb, const struct sysfs_entry *e)
{
	struct dentry *dir = dget(sb->s_root), *d;
	const char *name = e->path, *slash;

	while ((slash = strchr(name, '/'))) {
		d = sysfs_child(dir, name, slash - name);
		dput(dir);
		if (!d)
			return -ENOENT;
		dir = d;
		name = slash + 1;
	}
	struct inode *inode = sysfs_get_inode(sb, e, e->mode);
	d = inode ? d_alloc(dir, name, strlen(name)) : NULL;
	if (d) {
		d_instantiate(d, inode);	/* pinned: the reference d_alloc() gave stays */
		if (S_ISDIR(e->mode))
			dir->d_inode->i_nlink++;
	} else if (inode) {
		iput(inode);
	}
	dput(dir);
	return d ? 0 : -ENOMEM;
}

static const struct super_operations sysfs_super_ops = {
	.statfs = simple_statfs,
};

static int sysfs_fill_super(struct super_block *sb, void *data, int silent)
{
	sb->s_magic = SYSFS_MAGIC;
	sb->s_op = &sysfs_super_ops;
	sb->s_root = d_make_root(sysfs_get_inode(sb, NULL, S_IFDIR | 0555));
	if (!sb->s_root)
		return -ENOMEM;
	for (unsigned int i = 0; i < ARRAY_SIZE(sysfs_entries); i++) {
		int err = sysfs_add(sb, &sysfs_entries[i]);
		if (err)
			return err;
	}
	return 0;
}

static int sysfs_no_option(void *priv, char *key, char *val)
{
	pr_err("sysfs: Unknown parameter '%s'\n", key);
	return -EINVAL;
}

/* sysfs takes no options of its own: any but the generic ones ("ro"...) is refused, as Linux's. */
static struct dentry *sysfs_mount(struct file_system_type *type, int flags, const char *dev, void *data)
{
	unsigned long sb_flags = flags;
	int err = data ? parse_mount_options(data, &sb_flags, sysfs_no_option, NULL) : 0;

	return err ? ERR_PTR(err) : mount_single(type, sb_flags, NULL, sysfs_fill_super);
}

static struct file_system_type sysfs_fs_type = {
	.name = "sysfs",
	.mount = sysfs_mount,
	.kill_sb = kill_litter_super,
};

int sysfs_init(void)
{
	return register_filesystem(&sysfs_fs_type);
}
