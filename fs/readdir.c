/*
 * Reading directories: getdents64 and the older getdents (Linux:
 * fs/readdir.c). The file system's ->iterate calls an actor once per entry
 * from ctx->pos on; the actors below pack the entries into the user's buffer
 * in Linux's record layouts and stop when it is full. The position is the
 * file's f_pos, under f_pos_lock; the directory's i_rwsem is held shared
 * around ->iterate so entries do not change under it.
 */
#include <kernel/kernel.h>
#include <kernel/uaccess.h>
#include <kernel/syscalls.h>
#include <lib/string.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include "internal.h"

/* getdents()'s record; d_type sits in the last byte of d_reclen (after the name's NUL). */
struct linux_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[];
};

BUILD_BUG_ON(offsetof(struct linux_dirent64, d_name) != 19);
BUILD_BUG_ON(offsetof(struct linux_dirent, d_name) != 18);

int iterate_dir(struct file *f, struct dir_context *ctx)
{
	struct inode *inode = f->f_inode;

	if (!f->f_op->iterate)
		return -ENOTDIR;
	if (!inode->i_nlink && S_ISDIR(inode->i_mode))
		return -ENOENT;			/* removed: Linux's IS_DEADDIR() */
	down_read(&inode->i_rwsem);
	ctx->pos = f->f_pos;
	int err = f->f_op->iterate(f, ctx);
	f->f_pos = ctx->pos;
	up_read(&inode->i_rwsem);
	return err;
}

struct getdents_callback {
	struct dir_context ctx;
	char __user *buf;
	size_t left;
	int error;
	bool old;		/* getdents, not getdents64 */
};

static bool filldir(struct dir_context *ctx, const char *name, int namlen, loff_t pos, u64 ino,
		    unsigned int d_type)
{
	struct getdents_callback *cb = container_of(ctx, struct getdents_callback, ctx);
	size_t reclen = cb->old ? ALIGN(offsetof(struct linux_dirent, d_name) + namlen + 2, sizeof(long))
				: ALIGN(offsetof(struct linux_dirent64, d_name) + namlen + 1, sizeof(u64));
	char rec[ALIGN(offsetof(struct linux_dirent64, d_name) + NAME_MAX + 2, 8)];

	if (reclen > cb->left) {
		cb->error = -EINVAL;	/* only reported if nothing fitted */
		return false;
	}
	memset(rec, 0, reclen);
	if (cb->old) {
		struct linux_dirent *d = (struct linux_dirent *)rec;
		d->d_ino = ino;
		d->d_off = pos + 1;
		d->d_reclen = reclen;
		memcpy(d->d_name, name, namlen);
		rec[reclen - 1] = d_type;
	} else {
		struct linux_dirent64 *d = (struct linux_dirent64 *)rec;
		d->d_ino = ino;
		d->d_off = pos + 1;	/* where the next entry starts */
		d->d_reclen = reclen;
		d->d_type = d_type;
		memcpy(d->d_name, name, namlen);
	}
	if (copy_to_user(cb->buf, rec, reclen)) {
		cb->error = -EFAULT;
		return false;
	}
	cb->buf += reclen;
	cb->left -= reclen;
	return true;
}

static long do_getdents(unsigned int fd, void __user *dirent, unsigned int count, bool old)
{
	struct getdents_callback cb = { .ctx.actor = filldir, .buf = dirent, .left = count, .old = old };
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	mutex_lock(&f->f_pos_lock);
	long err = iterate_dir(f, &cb.ctx);
	mutex_unlock(&f->f_pos_lock);
	fput(f);
	if (cb.left < count)
		return count - cb.left;		/* some entries, even if the next one failed */
	return err ? err : cb.error;
}

SYSCALL_DEFINE3(getdents64, unsigned int, fd, struct linux_dirent64 __user *, dirent, unsigned int, count)
{
	return do_getdents(fd, dirent, count, false);
}

SYSCALL_DEFINE3(getdents, unsigned int, fd, struct linux_dirent __user *, dirent, unsigned int, count)
{
	return do_getdents(fd, dirent, count, true);
}
