/*
 * ramfs: file systems all in memory (Linux: fs/ramfs/, fs/libfs.c, and the
 * parts of mm/shmem.c that tmpfs users see). Three types share this code:
 *   - rootfs, the root of the name space (not registered: the kernel mounts
 *     it once, as Linux does);
 *   - ramfs: no limits; mode= is its only option, others are ignored;
 *   - tmpfs: a ramfs with a size limit (size=, nr_blocks=, default half of
 *     RAM), an inode limit (nr_inodes=), a sticky world-writable root
 *     (mode=, uid=, gid=), statfs figures and its own magic number; unknown
 *     options are refused. Folio has no swap, so tmpfs pages stay in RAM
 *     like ramfs's.
 *
 * Directories are the dentry tree itself: a name exists as long as its
 * dentry is pinned (one reference taken at create, dropped at unlink), and
 * readdir walks the children (dcache_readdir()). A regular file keeps its
 * data in whole pages, pages[i] holding bytes [i * PAGE_SIZE, (i + 1) *
 * PAGE_SIZE); a NULL slot is a hole and reads as zeros (a truncate, or
 * MADV_REMOVE through ramfs_punch_hole(), makes holes). A MAP_SHARED
 * mapping maps these pages themselves (ramfs_fault_page()). Symlinks keep their
 * target as a string. Nothing is ever written back, so there is no page
 * cache: these pages are the file (Linux's ramfs keeps them in the page cache).
 *
 * Every instance counts its data pages and inodes (struct ramfs_fs_info,
 * atomics) so tmpfs can enforce its limits (ENOSPC) and report them. Each
 * data page is charged to the memory cgroup of the task that wrote it (or
 * faulted it in through a shared mapping), once, whoever maps it after: a
 * write at the group's limit stores what it could (a short count) or fails
 * with ENOMEM, and the charge goes when the page is freed.
 *
 * Locking: a file's i_rwsem guards i_size, pages[] and nr_slots: readers
 * take it shared, writers and truncate exclusively. User memory is never
 * touched with i_rwsem held, because page faults read files
 * (mm/memory.c reads a mapped file with kernel_read() under mmap_lock), so
 * the order must be mmap_lock -> i_rwsem: a read pins the page (get_page())
 * and copies after unlocking; a write copies into a bounce page first. A
 * shared mapping's fault takes i_rwsem under mmap_lock, and a punched hole
 * takes the mappings' i_mmap_lock (then page_table_lock) under i_rwsem. The
 * parent directory's i_rwsem (held by the VFS) guards directory changes;
 * i_nlink is changed atomically since hard links span directories.
 */
#include <kernel/kernel.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <mm/slab.h>
#include <mm/memcontrol.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include <kernel/random.h>
#include <lib/printbuf.h>
#include <uapi/magic.h>
#include "internal.h"

#define RAMFS_DEFAULT_MODE 0755
#define TMPFS_DEFAULT_MODE 01777

/* One instance's options and usage. The limits change only on remount (namespace_sem held). */
struct ramfs_fs_info {
	bool tmpfs;
	umode_t mode;			/* of the root directory */
	unsigned int uid, gid;		/* of the root directory (tmpfs) */
	unsigned long max_blocks;	/* pages of data; 0: no limit */
	unsigned long max_inodes;	/* 0: no limit */
	unsigned long used_blocks;	/* atomic */
	unsigned long used_inodes;	/* atomic */
	bool inode32;			/* tmpfs's inode32 option: shown, not enforced */
	int fsid[2];			/* statfs f_fsid: random per tmpfs instance, as Linux's */
};

static struct ramfs_fs_info *RAMFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/* Take one unit of *used if it stays within max (0: no limit). */
static bool ramfs_charge(unsigned long *used, unsigned long max)
{
	unsigned long n = __atomic_add_fetch(used, 1, __ATOMIC_RELAXED);

	if (max && n > max) {
		__atomic_sub_fetch(used, 1, __ATOMIC_RELAXED);
		return false;
	}
	return true;
}

static void ramfs_uncharge(unsigned long *used, unsigned long n)
{
	__atomic_sub_fetch(used, n, __ATOMIC_RELAXED);
}

struct ramfs_inode {
	struct page **pages;	/* the data; NULL entries are holes */
	unsigned long nr_slots;	/* length of pages[] */
	char *link;		/* a symlink's target */
};

static const struct inode_operations ramfs_dir_inode_operations;
static const struct inode_operations ramfs_file_inode_operations;
static const struct inode_operations ramfs_symlink_inode_operations;
static const struct file_operations ramfs_file_operations;
static struct file_system_type ramfs_fs_type;

static void inc_nlink(struct inode *inode) { __atomic_add_fetch(&inode->i_nlink, 1, __ATOMIC_RELAXED); }
static void drop_nlink(struct inode *inode) { __atomic_sub_fetch(&inode->i_nlink, 1, __ATOMIC_RELAXED); }

static void touch(struct inode *inode)
{
	inode->i_mtime = inode->i_ctime = current_time(inode);
}

static struct inode *ramfs_get_inode(struct super_block *sb, umode_t mode, dev_t rdev)
{
	struct ramfs_fs_info *fsi = RAMFS_SB(sb);

	if (!ramfs_charge(&fsi->used_inodes, READ_ONCE(fsi->max_inodes)))
		return NULL;
	struct inode *inode = new_inode(sb);
	if (!inode) {
		ramfs_uncharge(&fsi->used_inodes, 1);
		return NULL;
	}
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

/*
 * A data page in the statistics: Linux's page cache ("Cached", a memory
 * cgroup's "file"), and for tmpfs its shmem too. A ramfs page is counted
 * while it is the file's (the group's counts need it still charged). A
 * tmpfs page is swap-backed, as Linux's shmem pages are: a mapping of it
 * counts in RssShmem, and the page allocator takes it out of both counts
 * when the page is freed, which may be after the file let it go (a mapping
 * or a reader still holding it).
 */
static void ramfs_account_page(struct super_block *sb, struct page *page)
{
	if (RAMFS_SB(sb)->tmpfs) {
		SetPageFlag(page, PG_swapbacked);
		mod_lruvec_page_state(page, NR_SHMEM, 1);
	}
	mod_lruvec_page_state(page, NR_FILE_PAGES, 1);
}

static void ramfs_unaccount_page(struct super_block *sb, struct page *page)
{
	if (!RAMFS_SB(sb)->tmpfs)
		mod_lruvec_page_state(page, NR_FILE_PAGES, -1);
}

/* The file lets its pages [from, end) go; i_rwsem held for writing. */
static void ramfs_free_pages(struct super_block *sb, struct ramfs_inode *ri, unsigned long from, unsigned long end)
{
	unsigned long freed = 0;

	for (unsigned long i = from; i < min(end, ri->nr_slots); i++) {
		if (ri->pages[i]) {
			ramfs_unaccount_page(sb, ri->pages[i]);
			put_page(ri->pages[i]);	/* a reader may still hold it: it goes, and is uncharged, last */
			freed++;
		}
		ri->pages[i] = NULL;
	}
	ramfs_uncharge(&RAMFS_SB(sb)->used_blocks, freed);
}

static void ramfs_truncate_pages(struct super_block *sb, struct ramfs_inode *ri, unsigned long from)
{
	ramfs_free_pages(sb, ri, from, ri->nr_slots);
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
		ramfs_truncate_pages(inode->i_sb, ri, 0);
		kfree(ri->link);
		kfree(ri);
	}
	ramfs_uncharge(&RAMFS_SB(inode->i_sb)->used_inodes, 1);
}

static void ramfs_put_super(struct super_block *sb)
{
	kfree(sb->s_fs_info);
}

/* tmpfs's statfs: its limits and what is used (ramfs says only its magic, as Linux's). */
static int tmpfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct ramfs_fs_info *fsi = RAMFS_SB(dentry->d_sb);
	unsigned long max_blocks = READ_ONCE(fsi->max_blocks), max_inodes = READ_ONCE(fsi->max_inodes);

	simple_statfs(dentry, buf);
	if (max_blocks) {
		buf->f_blocks = max_blocks;
		buf->f_bavail = buf->f_bfree = max_blocks - min(max_blocks, READ_ONCE(fsi->used_blocks));
	}
	if (max_inodes) {
		buf->f_files = max_inodes;
		buf->f_ffree = max_inodes - min(max_inodes, READ_ONCE(fsi->used_inodes));
	}
	buf->f_fsid[0] = fsi->fsid[0];
	buf->f_fsid[1] = fsi->fsid[1];
	return 0;
}

/* Linux's defaults: half of RAM for data, and as many inodes. */
static unsigned long tmpfs_default_max(void)
{
	return totalram_pages / 2;
}

static void ramfs_show_options(struct printbuf *out, struct dentry *root)
{
	struct ramfs_fs_info *fsi = RAMFS_SB(root->d_sb);

	if (!fsi->tmpfs) {
		if (fsi->mode != RAMFS_DEFAULT_MODE)
			prt_printf(out, ",mode=%o", fsi->mode);
		return;
	}
	if (fsi->max_blocks != tmpfs_default_max())
		prt_printf(out, ",size=%luk", fsi->max_blocks << (PAGE_SHIFT - 10));
	if (fsi->max_inodes != tmpfs_default_max())
		prt_printf(out, ",nr_inodes=%lu", fsi->max_inodes);
	if (fsi->mode != TMPFS_DEFAULT_MODE)
		prt_printf(out, ",mode=%03o", fsi->mode);
	if (fsi->uid)
		prt_printf(out, ",uid=%u", fsi->uid);
	if (fsi->gid)
		prt_printf(out, ",gid=%u", fsi->gid);
	prt_printf(out, ",inode%d", fsi->inode32 ? 32 : 64);
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
		WRITE_ONCE(inode->i_pages_gen, inode->i_pages_gen + 1);
		ramfs_truncate_pages(inode->i_sb, ri, off ? idx + 1 : idx);
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

/* The file's page at idx with a reference, or NULL for a hole; i_rwsem held. */
static struct page *ramfs_get_page(struct ramfs_inode *ri, unsigned long idx)
{
	struct page *page = idx < ri->nr_slots ? ri->pages[idx] : NULL;

	if (page)
		get_page(page);
	return page;
}

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
		page = ramfs_get_page(ri, idx);	/* a truncate now cannot free it under the copy */
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

/* A zeroed page for the file, if the instance's size limit allows one more; NULL if not. */
static struct page *ramfs_alloc_block(struct super_block *sb, int *err)
{
	struct ramfs_fs_info *fsi = RAMFS_SB(sb);
	struct page *page;

	*err = -ENOSPC;
	if (!ramfs_charge(&fsi->used_blocks, READ_ONCE(fsi->max_blocks)))
		return NULL;
	*err = -ENOMEM;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (page && mem_cgroup_charge(page, NULL, GFP_KERNEL)) {	/* the writer's group */
		put_page(page);
		page = NULL;
	}
	if (!page)
		ramfs_uncharge(&fsi->used_blocks, 1);
	else
		ramfs_account_page(sb, page);
	return page;
}

/* Make pages[] reach slot last, at least doubling it; i_rwsem held for writing. 0 or -ENOMEM. */
static int ramfs_grow_slots(struct ramfs_inode *ri, unsigned long last)
{
	if (last < ri->nr_slots)
		return 0;
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
	return 0;
}

/* Store n bytes from src at pos; i_rwsem held for writing. Bytes stored, -ENOMEM or -ENOSPC. */
static ssize_t ramfs_store(struct inode *inode, loff_t pos, const char *src, size_t n)
{
	struct ramfs_inode *ri = inode->i_private;
	size_t done = 0;
	int err = -ENOMEM;

	if (ramfs_grow_slots(ri, (pos + n - 1) >> PAGE_SHIFT))
		return -ENOMEM;
	while (done < n) {
		unsigned long idx = pos >> PAGE_SHIFT, off = pos & ~PAGE_MASK;
		size_t chunk = min(n - done, PAGE_SIZE - off);
		if (!ri->pages[idx] && !(ri->pages[idx] = ramfs_alloc_block(inode->i_sb, &err)))
			break;
		memcpy((char *)page_address(ri->pages[idx]) + off, src + done, chunk);
		done += chunk;
		pos += chunk;
	}
	if (pos > inode->i_size)
		inode->i_size = pos;
	return done ? (ssize_t)done : err;
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

/*
 * A shared mapping's fault: the data page itself, a hole filled with a
 * zeroed page first (charged like a written one), so that stores through
 * the mapping are the file's contents at once, for read() and every other
 * mapping. The caller (mm/memory.c) has checked the index against i_size;
 * checked again here, under i_rwsem, against a truncate meanwhile.
 * Taking i_rwsem under the faulting task's mmap_lock is the documented order.
 */
static struct page *ramfs_fault_page(struct file *f, unsigned long index, int *err)
{
	struct inode *inode = f->f_inode;
	struct ramfs_inode *ri = inode->i_private;
	struct page *page = NULL;

	down_write(&inode->i_rwsem);
	*err = -EFAULT;
	if (index >= DIV_ROUND_UP((u64)inode->i_size, PAGE_SIZE))
		goto out;
	if ((*err = ramfs_grow_slots(ri, index)))
		goto out;
	if (!ri->pages[index] && !(ri->pages[index] = ramfs_alloc_block(inode->i_sb, err)))
		goto out;
	page = ri->pages[index];
	get_page(page);
out:
	up_write(&inode->i_rwsem);
	return page;
}

/* The page at index, if the file has one there (mincore()); none is made. */
static struct page *ramfs_find_page(struct file *f, unsigned long index)
{
	struct inode *inode = f->f_inode;
	struct ramfs_inode *ri = inode->i_private;
	struct page *page = NULL;

	down_read(&inode->i_rwsem);
	page = ramfs_get_page(ri, index);
	up_read(&inode->i_rwsem);
	return page;
}

/*
 * MADV_REMOVE: the file's pages [first, first + nr) go, and their memory
 * with them; the range reads as zeroes, the size stays (Linux: fallocate()
 * with FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, tmpfs's). Mappings lose
 * those pages first, except the private copies written to.
 */
static int ramfs_punch_hole(struct file *f, unsigned long first, unsigned long nr)
{
	struct inode *inode = f->f_inode;

	if (inode->i_sb->s_type == &ramfs_fs_type)
		return -EOPNOTSUPP;	/* Linux's ramfs cannot (rootfs, a tmpfs there, can) */
	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	down_write(&inode->i_rwsem);
	WRITE_ONCE(inode->i_pages_gen, inode->i_pages_gen + 1);	/* before the unmap: see struct inode */
	ramfs_free_pages(inode->i_sb, inode->i_private, first, first + nr < first ? ULONG_MAX : first + nr);
	unmap_mapping_pages(inode, first, nr, false);
	touch(inode);
	up_write(&inode->i_rwsem);
	return 0;
}

static const struct file_operations ramfs_file_operations = {
	.llseek = generic_file_llseek,
	.read = ramfs_read,
	.write = ramfs_write,
	.fault_page = ramfs_fault_page,
	.find_page = ramfs_find_page,
	.punch_hole = ramfs_punch_hole,
};

/* ---- Instances, options and the three types ---- */

static int ramfs_remount(struct super_block *sb, int *flags, char *data);

static const struct super_operations ramfs_super_ops = {
	.evict_inode = ramfs_evict_inode,
	.statfs = simple_statfs,
	.remount_fs = ramfs_remount,
	.show_options = ramfs_show_options,
	.put_super = ramfs_put_super,
};

static const struct super_operations tmpfs_super_ops = {
	.evict_inode = ramfs_evict_inode,
	.statfs = tmpfs_statfs,
	.remount_fs = ramfs_remount,
	.show_options = ramfs_show_options,
	.put_super = ramfs_put_super,
};

/* Options as mount(2) gives them, before they are applied. */
struct ramfs_opts {
	struct ramfs_fs_info *fsi;	/* the values */
	bool seen_blocks, seen_inodes;
	const char *fs;			/* for messages: "tmpfs" */
};

/* Octal, decimal or memparse'd numbers; "Bad value" is reported by the caller. */
static bool parse_octal(const char *s, unsigned int *v)
{
	unsigned long long x;

	if (kstrtoull(s, 8, &x) || x > 07777)
		return false;
	*v = x;
	return true;
}

/* tmpfs's size=: bytes with k/m/g, or a percentage of RAM ("50%"); in pages, rounded up. */
static bool parse_size(const char *s, unsigned long *blocks)
{
	char *rest;
	unsigned long long size = memparse(s, &rest);

	if (rest == s)
		return false;
	if (*rest == '%') {
		size = ((size << PAGE_SHIFT) * totalram_pages) / 100;
		rest++;
	}
	if (*rest)
		return false;
	*blocks = PFN_UP(size);
	return true;
}

static int ramfs_bad_value(struct ramfs_opts *o, const char *key)
{
	pr_err("%s: Bad value for '%s'\n", o->fs, key);
	return -EINVAL;
}

/* size=, nr_blocks=, nr_inodes=, uid=, gid=, inode32, inode64: tmpfs's own; others are refused. */
static int tmpfs_parse_one(struct ramfs_opts *o, const char *key, const char *val)
{
	struct ramfs_fs_info *fsi = o->fsi;
	unsigned long long v;
	char *rest;

	if (!strcmp(key, "size")) {
		o->seen_blocks = true;
		return val && parse_size(val, &fsi->max_blocks) ? 0 : ramfs_bad_value(o, key);
	}
	if (!strcmp(key, "nr_blocks") || !strcmp(key, "nr_inodes")) {
		v = val ? memparse(val, &rest) : 0;
		if (!val || rest == val || *rest)
			return ramfs_bad_value(o, key);
		*(key[3] == 'b' ? &o->seen_blocks : &o->seen_inodes) = true;
		*(key[3] == 'b' ? &fsi->max_blocks : &fsi->max_inodes) = v;
		return 0;
	}
	if (!strcmp(key, "uid") || !strcmp(key, "gid")) {
		if (!val || kstrtoull(val, 10, &v) || v > 0xfffffffe)
			return ramfs_bad_value(o, key);
		*(key[0] == 'u' ? &fsi->uid : &fsi->gid) = v;
		return 0;
	}
	if (!strcmp(key, "inode32") || !strcmp(key, "inode64")) {
		fsi->inode32 = key[5] == '3';
		return 0;
	}
	pr_err("%s: Unknown parameter '%s'\n", o->fs, key);
	return -EINVAL;
}

static int ramfs_parse_one(void *priv, char *key, char *val)
{
	struct ramfs_opts *o = priv;
	unsigned int mode;

	if (!strcmp(key, "mode"))
		return val && parse_octal(val, &mode) ? (o->fsi->mode = mode, 0) : ramfs_bad_value(o, key);
	return o->fsi->tmpfs ? tmpfs_parse_one(o, key, val) : 0;	/* ramfs has always ignored the rest */
}

/*
 * MS_REMOUNT: tmpfs may change its limits (not below what is in use: EINVAL,
 * and a limit cannot be added where there was none), nothing else; ramfs
 * ignores its options.
 */
static int ramfs_remount(struct super_block *sb, int *flags, char *data)
{
	struct ramfs_fs_info *fsi = RAMFS_SB(sb), new = *fsi;
	struct ramfs_opts o = { .fsi = &new, .fs = sb->s_type->name };
	unsigned long sb_flags = *flags;
	int err = data ? parse_mount_options(data, &sb_flags, ramfs_parse_one, &o) : 0;

	if (err || !fsi->tmpfs)
		return err;
	if ((o.seen_blocks && new.max_blocks && (!fsi->max_blocks || READ_ONCE(fsi->used_blocks) > new.max_blocks)) ||
	    (o.seen_inodes && new.max_inodes && (!fsi->max_inodes || READ_ONCE(fsi->used_inodes) > new.max_inodes)))
		return -EINVAL;
	*flags = sb_flags;
	WRITE_ONCE(fsi->max_blocks, new.max_blocks);
	WRITE_ONCE(fsi->max_inodes, new.max_inodes);
	fsi->inode32 = new.inode32;
	return 0;
}

static int ramfs_fill(struct super_block *sb, void *data, bool tmpfs)
{
	struct ramfs_fs_info *fsi = kzalloc(sizeof(*fsi), GFP_KERNEL);

	if (!fsi)
		return -ENOMEM;
	sb->s_fs_info = fsi;
	sb->s_op = tmpfs ? &tmpfs_super_ops : &ramfs_super_ops;
	sb->s_magic = tmpfs ? TMPFS_MAGIC : RAMFS_MAGIC;
	sb->s_maxbytes = RAMFS_MAX_BYTES;
	fsi->tmpfs = tmpfs;
	fsi->mode = tmpfs ? TMPFS_DEFAULT_MODE : RAMFS_DEFAULT_MODE;
	if (tmpfs) {
		fsi->max_blocks = fsi->max_inodes = tmpfs_default_max();
		u64 r = get_random_u64() | 1;	/* never 0: statfs says "no fsid" with 0 */
		memcpy(fsi->fsid, &r, sizeof(fsi->fsid));
	}
	struct ramfs_opts o = { .fsi = fsi, .fs = sb->s_type->name };
	int err = data ? parse_mount_options(data, &sb->s_flags, ramfs_parse_one, &o) : 0;
	if (err)
		return err;
	struct inode *root = ramfs_get_inode(sb, S_IFDIR | fsi->mode, 0);
	if (root) {
		root->i_uid = fsi->uid;
		root->i_gid = fsi->gid;
	}
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

int ramfs_fill_super(struct super_block *sb, void *data, int silent)
{
	return ramfs_fill(sb, data, false);
}

static int tmpfs_fill_super(struct super_block *sb, void *data, int silent)
{
	return ramfs_fill(sb, data, true);
}

static struct dentry *ramfs_mount(struct file_system_type *type, int flags, const char *dev, void *data)
{
	return mount_nodev(type, flags, data, ramfs_fill_super);
}

static struct dentry *tmpfs_mount(struct file_system_type *type, int flags, const char *dev, void *data)
{
	return mount_nodev(type, flags, data, tmpfs_fill_super);
}

/* Mounted once by the kernel and never registered: fs_supers is set up here, not by register_filesystem(). */
struct file_system_type rootfs_fs_type = {
	.name = "rootfs",
	.mount = ramfs_mount,
	.kill_sb = kill_litter_super,
	.fs_supers = LIST_HEAD_INIT(rootfs_fs_type.fs_supers),
};

static struct file_system_type ramfs_fs_type = {
	.name = "ramfs",
	.mount = ramfs_mount,
	.kill_sb = kill_litter_super,
};

static struct file_system_type tmpfs_fs_type = {
	.name = "tmpfs",
	.mount = tmpfs_mount,
	.kill_sb = kill_litter_super,
};

int init_ramfs_fs(void)
{
	return register_filesystem(&ramfs_fs_type);
}

int init_tmpfs(void)
{
	return register_filesystem(&tmpfs_fs_type);
}
