/*
 * stat and friends, and readlink (Linux: fs/stat.c). Each reads an inode's
 * attributes into x86-64's struct stat or a struct statx. The fields are
 * read without i_rwsem, as Linux does: a stat racing with a write may see
 * the size before or after it.
 */
#include <kernel/kernel.h>
#include <kernel/uaccess.h>
#include <kernel/syscalls.h>
#include <lib/string.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include <arch/page.h>
#include "internal.h"

#define STAT_BLKSIZE 4096

/* 512-byte blocks: ramfs holds whole pages (holes included; Linux counts only allocated ones). */
static u64 inode_blocks(const struct inode *inode)
{
	return S_ISREG(inode->i_mode) ? (u64)PAGE_ALIGN(inode->i_size) >> 9 : 0;
}

static void generic_fillattr(const struct inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = inode->i_sb->s_dev;
	st->st_ino = inode->i_ino;
	st->st_nlink = inode->i_nlink;
	st->st_mode = inode->i_mode;
	st->st_uid = inode->i_uid;
	st->st_gid = inode->i_gid;
	st->st_rdev = inode->i_rdev;	/* MKDEV's encoding is Linux's new_encode_dev() for minor < 256 */
	st->st_size = inode->i_size;
	st->st_blksize = STAT_BLKSIZE;
	st->st_blocks = inode_blocks(inode);
	st->st_atime_sec = inode->i_atime.tv_sec;
	st->st_atime_nsec = inode->i_atime.tv_nsec;
	st->st_mtime_sec = inode->i_mtime.tv_sec;
	st->st_mtime_nsec = inode->i_mtime.tv_nsec;
	st->st_ctime_sec = inode->i_ctime.tv_sec;
	st->st_ctime_nsec = inode->i_ctime.tv_nsec;
}

static long cp_new_stat(struct inode *inode, struct stat __user *ubuf)
{
	struct stat st;

	generic_fillattr(inode, &st);
	iput(inode);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

static long do_fstatat(int dfd, const char __user *filename, struct stat __user *statbuf, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *inode = user_path_inode(dfd, filename, flags);
	return IS_ERR(inode) ? PTR_ERR(inode) : cp_new_stat(inode, statbuf);
}

SYSCALL_DEFINE2(stat, const char __user *, filename, struct stat __user *, statbuf)
{
	return do_fstatat(AT_FDCWD, filename, statbuf, 0);
}

SYSCALL_DEFINE2(lstat, const char __user *, filename, struct stat __user *, statbuf)
{
	return do_fstatat(AT_FDCWD, filename, statbuf, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE4(newfstatat, int, dfd, const char __user *, filename, struct stat __user *, statbuf, int, flag)
{
	return do_fstatat(dfd, filename, statbuf, flag);
}

SYSCALL_DEFINE2(fstat, unsigned int, fd, struct stat __user *, statbuf)
{
	struct file *f = fget_raw(fd);

	if (!f)
		return -EBADF;
	struct inode *inode = f->f_inode;
	ihold(inode);
	fput(f);
	return cp_new_stat(inode, statbuf);
}

static struct statx_timestamp statx_time(struct timespec64 t)
{
	return (struct statx_timestamp){ .tv_sec = t.tv_sec, .tv_nsec = t.tv_nsec };
}

/* statx(): the basic fields only; no birth time, no attributes. */
SYSCALL_DEFINE5(statx, int, dfd, const char __user *, filename, unsigned int, flags, unsigned int, mask,
		struct statx __user *, buffer)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED))
		return -EINVAL;
	struct inode *inode = user_path_inode(dfd, filename, flags);
	if (IS_ERR(inode))
		return PTR_ERR(inode);

	struct statx sx;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = STAT_BLKSIZE;
	sx.stx_nlink = inode->i_nlink;
	sx.stx_uid = inode->i_uid;
	sx.stx_gid = inode->i_gid;
	sx.stx_mode = inode->i_mode;
	sx.stx_ino = inode->i_ino;
	sx.stx_size = inode->i_size;
	sx.stx_blocks = inode_blocks(inode);
	sx.stx_atime = statx_time(inode->i_atime);
	sx.stx_mtime = statx_time(inode->i_mtime);
	sx.stx_ctime = statx_time(inode->i_ctime);
	sx.stx_rdev_major = inode->i_rdev >> 8;
	sx.stx_rdev_minor = inode->i_rdev & 0xff;
	sx.stx_dev_major = inode->i_sb->s_dev >> 8;
	sx.stx_dev_minor = inode->i_sb->s_dev & 0xff;
	iput(inode);
	return copy_to_user(buffer, &sx, sizeof(sx)) ? -EFAULT : 0;
}

/* readlink(): the target without a NUL, cut to bufsiz; -EINVAL if not a symlink. */
SYSCALL_DEFINE3(readlink, const char __user *, pathname, char __user *, buf, int, bufsiz)
{
	struct path path;

	if (bufsiz <= 0)
		return -EINVAL;
	long err = user_path_at(AT_FDCWD, pathname, 0, &path);
	if (err)
		return err;
	struct dentry *d = path.dentry;
	const struct inode_operations *iop = d->d_inode->i_op;
	if (!S_ISLNK(d->d_inode->i_mode) || !iop || (!iop->get_link && !iop->readlink)) {
		err = -EINVAL;
	} else if (iop->readlink) {
		err = iop->readlink(d, buf, bufsiz);
	} else {
		const char *target = iop->get_link(d);
		size_t len = min(strlen(target), (size_t)bufsiz);
		err = copy_to_user(buf, target, len) ? -EFAULT : (long)len;
	}
	path_put(&path);
	return err;
}
