/*
 * sync() and fsync() (Linux: fs/sync.c). Every Folio file system lives in
 * memory, so there is nothing to write back: they only check their argument.
 */
#include <kernel/kernel.h>
#include <kernel/syscalls.h>
#include <uapi/errno.h>
#include <uapi/magic.h>
#include <fs/dcache.h>
#include "internal.h"

SYSCALL_DEFINE0(sync)
{
	return 0;
}

SYSCALL_DEFINE1(fsync, unsigned int, fd)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	umode_t mode = f->f_inode->i_mode;
	bool proc = f->f_inode->i_sb->s_magic == PROC_SUPER_MAGIC;
	fput(f);
	/* Linux: no ->fsync, -EINVAL; /proc's files and directories have none. */
	return (S_ISREG(mode) || S_ISDIR(mode)) && !proc ? 0 : -EINVAL;
}
