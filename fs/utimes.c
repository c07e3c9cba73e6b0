/*
 * utimensat() (Linux: fs/utimes.c): set a file's access and modification
 * times, to given values, to now (UTIME_NOW, or no times at all), or leave
 * one alone (UTIME_OMIT). ctime becomes now. Everybody is root, so there is
 * no permission check. The times are written without a lock, as stat reads
 * them (stat.c).
 */
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/syscalls.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include "internal.h"

static bool valid_time(const struct __kernel_timespec *t)
{
	return t->tv_nsec == UTIME_NOW || t->tv_nsec == UTIME_OMIT ||
	       (t->tv_nsec >= 0 && t->tv_nsec < (long long)NSEC_PER_SEC);
}

static void set_time(struct timespec64 *dst, const struct __kernel_timespec *t, struct timespec64 now)
{
	if (t->tv_nsec == UTIME_OMIT)
		return;
	*dst = t->tv_nsec == UTIME_NOW ? now : (struct timespec64){ t->tv_sec, t->tv_nsec };
}

SYSCALL_DEFINE4(utimensat, int, dfd, const char __user *, filename, struct __kernel_timespec __user *, utimes,
		int, flags)
{
	struct __kernel_timespec t[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct inode *inode;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes) {
		if (copy_from_user(t, utimes, sizeof(t)))
			return -EFAULT;
		if (!valid_time(&t[0]) || !valid_time(&t[1]))
			return -EINVAL;
	}
	if (!filename && dfd != AT_FDCWD) {	/* futimens(): dfd itself */
		if (flags & AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		struct file *f = fget(dfd);
		if (!f)
			return -EBADF;
		inode = f->f_inode;
		ihold(inode);
		fput(f);
	} else {
		inode = user_path_inode(dfd, filename, flags);
		if (IS_ERR(inode))
			return PTR_ERR(inode);
	}
	if (IS_RDONLY(inode)) {		/* as chmod: by inode, the super block's flag */
		iput(inode);
		return -EROFS;
	}
	struct timespec64 now = current_time(inode);
	set_time(&inode->i_atime, &t[0], now);
	set_time(&inode->i_mtime, &t[1], now);
	inode->i_ctime = now;
	iput(inode);
	return 0;
}
