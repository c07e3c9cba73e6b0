/*
 * Anonymous inodes (Linux: fs/anon_inodes.c): the inode behind a file that
 * lives in no directory, such as an eventfd. Its mode is 0600 with no type
 * bits, as Linux's, and /proc/PID/fd shows the file as "anon_inode:[NAME]".
 * Each file gets an inode of its own (Linux shares one) from one
 * unmountable instance, so fstatfs() and fdinfo have a super block to name.
 *
 * Locking: none of its own; the inodes are private to their files.
 */
#include <kernel/kernel.h>
#include <lib/string.h>
#include <arch/page.h>
#include <fs/dcache.h>
#include <fs/anon_inodes.h>
#include <uapi/errno.h>
#include "internal.h"

#define ANON_INODE_FS_MAGIC 0x09041934

static struct super_block anon_inode_sb;

static int anon_inode_statfs(struct dentry *unused, struct kstatfs *buf)
{
	buf->f_type = ANON_INODE_FS_MAGIC;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_operations anon_inode_ops = {
	.statfs = anon_inode_statfs,
};

static struct super_block anon_inode_sb = {
	.s_magic = ANON_INODE_FS_MAGIC,
	.s_maxbytes = MAX_LFS_FILESIZE,
	.s_active = 1,
	.s_count = 1,
	.s_op = &anon_inode_ops,
};

struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv, int flags)
{
	struct inode *inode = new_inode(&anon_inode_sb);

	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_mode = 0600;
	inode->i_private = (void *)name;
	inode->i_fop = fops;
	struct file *f = alloc_file(NULL, inode, flags & (O_ACCMODE | O_NONBLOCK), fops);
	iput(inode);		/* the file holds it now */
	if (!IS_ERR(f))
		f->private_data = priv;
	return f;
}

const char *anon_inode_name(const struct inode *inode)
{
	return inode->i_sb == &anon_inode_sb ? inode->i_private : NULL;
}

int anon_inode_init(void)
{
	return get_anon_bdev(&anon_inode_sb.s_dev);
}
