/*
 * sync() and fsync() (Linux: fs/sync.c). Every Folio file system lives in
 * memory, so there is nothing to write back: they only check their argument.
 */
#include <kernel/kernel.h>
#include <kernel/syscalls.h>
#include <uapi/errno.h>
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
	fput(f);
	return S_ISREG(mode) || S_ISDIR(mode) ? 0 : -EINVAL;	/* Linux: no ->fsync, -EINVAL */
}
