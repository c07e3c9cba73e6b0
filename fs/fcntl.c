/*
 * fcntl() (Linux: fs/fcntl.c): duplicating descriptors, the close-on-exec
 * flag of an fd, and the status flags of a file. Only O_APPEND and
 * O_NONBLOCK (and the flags Linux accepts and Folio ignores: O_ASYNC,
 * O_DIRECT, O_NOATIME) can change; f_flags is updated in one store.
 * Record locks (F_GETLK, F_SETLK...) are not implemented: -EINVAL.
 */
#include <kernel/kernel.h>
#include <kernel/syscalls.h>
#include <fs/fdtable.h>
#include <fs/uapi.h>
#include "internal.h"

#define SETFL_MASK (O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME)

static long setfl(struct file *f, unsigned long arg)
{
	unsigned int flags = READ_ONCE(f->f_flags);

	WRITE_ONCE(f->f_flags, (flags & ~SETFL_MASK) | (arg & SETFL_MASK));
	return 0;
}

/* What an O_PATH file allows: its fd's flags and copies of it, as Linux's check_fcntl_cmd(). */
static bool fcntl_path_ok(unsigned int cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD || cmd == F_GETFL;
}

SYSCALL_DEFINE3(fcntl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget_raw(fd);
	long err;

	if (!f)
		return -EBADF;
	if ((f->f_mode & FMODE_PATH) && !fcntl_path_ok(cmd)) {
		fput(f);
		return -EBADF;
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		err = f_dupfd(arg, f, cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
		break;
	case F_GETFD:
		err = get_close_on_exec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		err = set_close_on_exec(fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		err = f->f_flags;
		break;
	case F_SETFL:
		err = setfl(f, arg);
		break;
	default:
		err = -EINVAL;
	}
	fput(f);
	return err;
}
