/*
 * ramfs: the root file system, all in memory (Linux: fs/ramfs/, fs/libfs.c).
 *
 * Directories are the dentry tree itself: a name exists as long as its
 * dentry is pinned (one reference taken at create, dropped at unlink), and
 * readdir walks the children (dcache_readdir()). A regular file keeps its
 * data in whole pages, pages[i] holding bytes [i * PAGE_SIZE, (i + 1) *
 * PAGE_SIZE); a NULL slot is a hole and reads as zeros. Symlinks keep their
 * target as a string. Nothing is ever written back, so there is no page
 * cache: these pages are the file (Linux's ramfs keeps them in the page cache).
 *
 * Locking: a file's i_rwsem guards i_size, pages[] and nr_slots: readers
 * take it shared, writers and truncate exclusively. User memory is never
 * touched with i_rwsem held, because page faults read files
 * (mm/memory.c reads a mapped file with kernel_read() under mmap_lock), so
 * the order must be mmap_lock -> i_rwsem: a read pins the page (get_page())
 * and copies after unlocking; a write copies into a bounce page first. The
 * parent directory's i_rwsem (held by the VFS) guards directory changes;
 * i_nlink is changed atomically since hard links span directories.
 */
#include <kernel/kernel.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include "internal.h"

#define RAMFS_MAX_BYTES (1LL << 30)	/* 1 GiB: at most 2 MiB of page pointers */

struct ramfs_inode {
	struct page **pages;	/* the data; NULL entries are holes */
	unsigned long nr_slots;	/* length of pages[] */
	char *link;		/* a symlink's target */
};

static const struct inode_operations ramfs_dir_inode_operations;
static const struct inode_operations ramfs_file_inode_operations;
static const struct inode_operations ramfs_symlink_inode_operations;
static const struct file_operations ramfs_file_operations;

static void inc_nlink(struct inode *inode) { __atomic_add_fetch(&inode->i_nlink, 1, __ATOMIC_RELAXED); }
static void drop_nlink(struct inode *inode) { __atomic_sub_fetch(&inode->i_nlink, 1, __ATOMIC_RELAXED); }

static void touch(struct inode *inode)
{
	inode->i_mtime = inode->i_ctime = current_time(inode);
}

static struct inode *ramfs_get_inode(struct super_block *sb, umode_t mode, dev_t rdev)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_mode = mode;
	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFLNK:
		inode->i_private = kzalloc(sizeof(struct ramfs_inode), GFP_KERNEL);
		if (!inode->i_private) {
			iput(inode);
			return NULL;
		}
		inode->i_op = S_ISREG(mode) ? &ramfs_file_inode_operations : &ramfs_symlink_inode_operations;
		inode->i_fop = S_ISREG(mode) ? &ramfs_file_operations : NULL;
		break;
	case S_IFDIR:
		inode->i_op = &ramfs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		inode->i_nlink = 2;	/* "." and its name in the parent */
		break;
	default:
		init_special_inode(inode, mode, rdev);
	}
	return inode;
}

static void ramfs_truncate_pages(struct ramfs_inode *ri, unsigned long from)
{
	for (unsigned long i = from; i < ri->nr_slots; i++) {
		if (ri->pages[i])
			put_page(ri->pages[i]);
		ri->pages[i] = NULL;
	}
	if (!from) {
		kfree(ri->pages);
		ri->pages = NULL;
		ri->nr_slots = 0;
	}
}

static void ramfs_evict_inode(struct inode *inode)
{
	struct ramfs_inode *ri = inode->i_private;

	if (ri && (S_ISREG(inode->i_mode) || S_ISLNK(inode->i_mode))) {
		ramfs_truncate_pages(ri, 0);
		kfree(ri->link);
		kfree(ri);
	}
}

static const struct super_operations ramfs_super_ops = {
	.evict_inode = ramfs_evict_inode,
};

/* A new ramfs instance: its root directory inode. */
struct inode *ramfs_get_root(void)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return NULL;
	sb->s_type = "ramfs";
	sb->s_dev = new_anon_dev();
	sb->s_maxbytes = RAMFS_MAX_BYTES;
	sb->s_op = &ramfs_super_ops;
	return ramfs_get_inode(sb, S_IFDIR | 0755, 0);
}

/* Directory operations; the VFS holds dir->i_rwsem for writing. */

/* A new name for inode (its reference is taken over): d gets it and is pinned. */
static void ramfs_instantiate(struct inode *dir, struct dentry *d, struct inode *inode)
{
	d_instantiate(d, inode);
	dget(d);
	touch(dir);
}

static int ramfs_mknod(struct inode *dir, struct dentry *d, umode_t mode, dev_t rdev)
{
	struct inode *inode = ramfs_get_inode(dir->i_sb, mode, rdev);

	if (!inode)
		return -ENOSPC;		/* as Linux's ramfs says when it cannot get an inode */
	ramfs_instantiate(dir, d, inode);
	return 0;
}

static int ramfs_create(struct inode *dir, struct dentry *d, umode_t mode)
{
	return ramfs_mknod(dir, d, (mode & S_IALLUGO) | S_IFREG, 0);
}

static int ramfs_mkdir(struct inode *dir, struct dentry *d, umode_t mode)
{
	int err = ramfs_mknod(dir, d, (mode & S_IALLUGO) | S_IFDIR, 0);

	if (!err)
		inc_nlink(dir);		/* the new directory's ".." */
	return err;
}

static int ramfs_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	size_t len = strlen(target);
	struct inode *inode = ramfs_get_inode(dir->i_sb, S_IFLNK | 0777, 0);
	struct ramfs_inode *ri = inode ? inode->i_private : NULL;

	if (!inode)
		return -ENOSPC;
	ri->link = kmalloc(len + 1, GFP_KERNEL);
	if (!ri->link) {
		iput(inode);
		return -ENOMEM;
	}
	memcpy(ri->link, target, len + 1);
	inode->i_size = len;
	ramfs_instantiate(dir, d, inode);
	return 0;
}

static int ramfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->d_inode;

	inc_nlink(inode);
	inode->i_ctime = current_time(inode);
	ihold(inode);
	ramfs_instantiate(dir, d, inode);
	return 0;
}

static int ramfs_unlink(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->d_inode;

	drop_nlink(inode);
	inode->i_ctime = current_time(inode);
	touch(dir);
	dput(d);		/* unpin: the inode goes with the last user */
	return 0;
}

static int ramfs_rmdir(struct inode *dir, struct dentry *d)
{
	d->d_inode->i_nlink = 0;	/* dead: creating in it now fails with -ENOENT */
	drop_nlink(dir);
	touch(dir);
	dput(d);
	return 0;
}

static int ramfs_rename(struct inode *old_dir, struct dentry *old, struct inode *new_dir, struct dentry *new)
{
	bool is_dir = S_ISDIR(old->d_inode->i_mode);

	if (new->d_inode) {		/* replaced: as if unlinked */
		if (is_dir) {
			new->d_inode->i_nlink = 0;
			drop_nlink(new_dir);
		} else {
			drop_nlink(new->d_inode);
		}
		new->d_inode->i_ctime = current_time(new_dir);
		dput(new);
	}
	if (is_dir && old_dir != new_dir) {	/* its ".." moves */
		drop_nlink(old_dir);
		inc_nlink(new_dir);
	}
	touch(old_dir);
	touch(new_dir);
	old->d_inode->i_ctime = current_time(old_dir);
	return 0;
}

static const struct inode_operations ramfs_dir_inode_operations = {
	/* making a name */
	.create = ramfs_create, .mkdir = ramfs_mkdir, .mknod = ramfs_mknod, .symlink = ramfs_symlink,
	.link = ramfs_link,
	/* removing or moving one */
	.unlink = ramfs_unlink, .rmdir = ramfs_rmdir, .rename = ramfs_rename,
};

static const char *ramfs_get_link(struct dentry *d)
{
	return ((struct ramfs_inode *)d->d_inode->i_private)->link;
}

static const struct inode_operations ramfs_symlink_inode_operations = {
	.get_link = ramfs_get_link,
};

/* Regular files. */

/* Truncate or extend; the VFS holds i_rwsem for writing. */
static int ramfs_setsize(struct inode *inode, loff_t size)
{
	struct ramfs_inode *ri = inode->i_private;

	if (size < 0)
		return -EINVAL;
	if (size > inode->i_sb->s_maxbytes)
		return -EFBIG;
	if (size < inode->i_size) {
		unsigned long idx = size >> PAGE_SHIFT, off = size & ~PAGE_MASK;
		ramfs_truncate_pages(ri, off ? idx + 1 : idx);
		/* Zero the tail of the last page: growing the file again must show zeros there. */
		if (off && idx < ri->nr_slots && ri->pages[idx])
			memset((char *)page_address(ri->pages[idx]) + off, 0, PAGE_SIZE - off);
	}
	inode->i_size = size;
	touch(inode);
	return 0;
}

static const struct inode_operations ramfs_file_inode_operations = {
	.setsize = ramfs_setsize,
};

static ssize_t ramfs_read(struct file *f, char __user *buf, size_t count, loff_t *ppos)
{
	struct inode *inode = f->f_inode;
	struct ramfs_inode *ri = inode->i_private;
	loff_t pos = *ppos;
	size_t done = 0;

	if (pos < 0)
		return -EINVAL;
	while (done < count) {
		unsigned long idx = pos >> PAGE_SHIFT, off = pos & ~PAGE_MASK;
		struct page *page = NULL;

		down_read(&inode->i_rwsem);
		if (pos >= inode->i_size) {
			up_read(&inode->i_rwsem);
			break;
		}
		size_t n = min(min(count - done, PAGE_SIZE - off), (size_t)(inode->i_size - pos));
		if (idx < ri->nr_slots && (page = ri->pages[idx]))
			get_page(page);		/* a truncate now cannot free it under the copy */
		up_read(&inode->i_rwsem);

		unsigned long left = page ? copy_to_user(buf + done, (char *)page_address(page) + off, n)
					  : clear_user(buf + done, n);
		if (page)
			put_page(page);
		done += n - left;
		pos += n - left;
		if (left) {
			if (!done)
				return -EFAULT;
			break;
		}
	}
	*ppos = pos;
	return done;
}

/* Store n bytes from src at pos; i_rwsem held for writing. Returns bytes stored or -ENOMEM. */
static ssize_t ramfs_store(struct inode *inode, loff_t pos, const char *src, size_t n)
{
	struct ramfs_inode *ri = inode->i_private;
	unsigned long last = (pos + n - 1) >> PAGE_SHIFT;
	size_t done = 0;

	if (last >= ri->nr_slots) {	/* grow the page table, at least doubling it */
		unsigned long slots = min(max(ri->nr_slots * 2, 16UL), (unsigned long)(RAMFS_MAX_BYTES >> PAGE_SHIFT));
		slots = max(slots, last + 1);
		struct page **pages = kcalloc(slots, sizeof(*pages), GFP_KERNEL);
		if (!pages)
			return -ENOMEM;
		if (ri->pages)
			memcpy(pages, ri->pages, ri->nr_slots * sizeof(*pages));
		kfree(ri->pages);
		ri->pages = pages;
		ri->nr_slots = slots;
	}
	while (done < n) {
		unsigned long idx = pos >> PAGE_SHIFT, off = pos & ~PAGE_MASK;
		size_t chunk = min(n - done, PAGE_SIZE - off);
		if (!ri->pages[idx] && !(ri->pages[idx] = alloc_page(GFP_KERNEL | __GFP_ZERO)))
			break;
		memcpy((char *)page_address(ri->pages[idx]) + off, src + done, chunk);
		done += chunk;
		pos += chunk;
	}
	if (pos > inode->i_size)
		inode->i_size = pos;
	return done ? (ssize_t)done : -ENOMEM;
}

static ssize_t ramfs_write(struct file *f, const char __user *buf, size_t count, loff_t *ppos)
{
	struct inode *inode = f->f_inode;
	loff_t pos = *ppos;
	ssize_t done = 0, err = 0;
	char *bounce = (char *)__get_free_page(GFP_KERNEL);

	if (!bounce)
		return -ENOMEM;
	while ((size_t)done < count) {
		size_t n = min(count - done, PAGE_SIZE);
		n -= copy_from_user(bounce, buf + done, n);
		if (!n) {
			err = -EFAULT;
			break;
		}
		down_write(&inode->i_rwsem);
		if (f->f_flags & O_APPEND)
			pos = inode->i_size;	/* each chunk goes to the end as it is then */
		if (pos >= inode->i_sb->s_maxbytes) {
			err = -EFBIG;
		} else {
			n = min(n, (size_t)(inode->i_sb->s_maxbytes - pos));
			err = ramfs_store(inode, pos, bounce, n);
			touch(inode);
		}
		up_write(&inode->i_rwsem);
		if (err < 0)
			break;
		done += err;
		pos += err;
		if ((size_t)err < n)
			break;
	}
	free_page((unsigned long)bounce);
	*ppos = pos;
	return done ? done : err;
}

static const struct file_operations ramfs_file_operations = {
	.llseek = generic_file_llseek,
	.read = ramfs_read,
	.write = ramfs_write,
};
