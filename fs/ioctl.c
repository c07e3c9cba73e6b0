/*
 * ioctl() (Linux: fs/ioctl.c): the few commands every file answers
 * (close-on-exec, non-blocking mode), then the file's own ->ioctl (the
 * terminal's termios calls, a pipe's FIONREAD); -ENOTTY if it has none.
 */
#include <kernel/kernel.h>
#include <kernel/uaccess.h>
#include <kernel/syscalls.h>
#include <fs/fdtable.h>
#include <fs/uapi.h>
#include "internal.h"

SYSCALL_DEFINE3(ioctl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget(fd);
	long err;
	int on;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		err = set_close_on_exec(fd, cmd == FIOCLEX);
		break;
	case FIONBIO:
		err = get_user(on, (int __user *)arg);
		if (!err) {
			unsigned int flags = READ_ONCE(f->f_flags);
			WRITE_ONCE(f->f_flags, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
		}
		break;
	default:
		err = f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
	}
	fput(f);
	return err;
}
