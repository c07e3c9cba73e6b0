/*
 * read, write, their vector and positioned forms, lseek, and the kernel's
 * own file I/O (Linux: fs/read_write.c).
 *
 * Locking: a file that has a position to share (regular files and
 * directories) is read, written and seeked under its f_pos_lock, so two
 * threads sharing it see each other's moves (Linux: FMODE_ATOMIC_POS).
 * Pipes and devices have no position worth it and may block: no lock.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <kernel/syscalls.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <arch/page.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include "internal.h"

#define MAX_RW_COUNT ((size_t)INT_MAX & PAGE_MASK)	/* Linux's cap on one transfer */

static bool file_has_pos(struct file *f)
{
	umode_t mode = f->f_inode->i_mode;

	return S_ISREG(mode) || S_ISDIR(mode);
}

ssize_t vfs_read(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	if (!(f->f_mode & FMODE_READ))
		return -EBADF;
	if (!f->f_op->read)
		return S_ISDIR(f->f_inode->i_mode) ? -EISDIR : -EINVAL;
	if (!count)
		return 0;
	return f->f_op->read(f, buf, min(count, (size_t)MAX_RW_COUNT), pos);
}

ssize_t vfs_write(struct file *f, const char __user *buf, size_t count, loff_t *pos)
{
	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!f->f_op->write)
		return -EINVAL;
	/* An empty write still reaches the file, as in Linux: a proc number file or an eventfd refuses it. */
	return f->f_op->write(f, buf, min(count, (size_t)MAX_RW_COUNT), pos);
}

/* pos NULL: at the file's own position, which then moves. */
ssize_t kernel_read(struct file *f, void *buf, size_t count, loff_t *pos)
{
	uaccess_kernel_begin();
	ssize_t ret = vfs_read(f, (char __user *)buf, count, pos ? pos : &f->f_pos);
	uaccess_kernel_end();
	return ret;
}

ssize_t kernel_write(struct file *f, const void *buf, size_t count, loff_t *pos)
{
	uaccess_kernel_begin();
	ssize_t ret = vfs_write(f, (const char __user *)buf, count, pos ? pos : &f->f_pos);
	uaccess_kernel_end();
	return ret;
}

/* One iovec at a time; what the file did not take ends the call (Linux: do_loop_readv_writev). */
static ssize_t do_iter(struct file *f, const struct iovec *iov, int n, loff_t *pos, bool write)
{
	ssize_t done = 0;

	for (int i = 0; i < n; i++) {
		size_t len = min(iov[i].iov_len, (size_t)MAX_RW_COUNT - done);
		ssize_t r = write ? vfs_write(f, iov[i].iov_base, len, pos) : vfs_read(f, iov[i].iov_base, len, pos);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((size_t)r < len || done == MAX_RW_COUNT)
			break;
	}
	return done;
}

/* Copy in and check an iovec array: -EINVAL for too many or a negative length, -EFAULT. */
static struct iovec *import_iovec(const struct iovec __user *uvec, int n, struct iovec *fast, int nfast)
{
	if (n < 0 || n > UIO_MAXIOV)
		return ERR_PTR(-EINVAL);
	struct iovec *iov = n <= nfast ? fast : kmalloc(n * sizeof(*iov), GFP_KERNEL);
	if (!iov)
		return ERR_PTR(-ENOMEM);
	long err = copy_from_user(iov, uvec, n * sizeof(*iov)) ? -EFAULT : 0;
	for (int i = 0; i < n && !err; i++)
		if ((ssize_t)iov[i].iov_len < 0)
			err = -EINVAL;
	if (err && iov != fast)
		kfree(iov);
	return err ? ERR_PTR(err) : iov;
}

/*
 * The common body: fd to file, the buffers (uvec, or buf/count when nvec is
 * -1), the position (the file's own under f_pos_lock, or an explicit one
 * for the p* calls), the transfer.
 */
static ssize_t do_rw(unsigned int fd, const struct iovec __user *uvec, int nvec, void __user *buf,
		     size_t count, loff_t *explicit_pos, bool write)
{
	struct iovec fast[8], *iov = fast;
	struct file *f = fget(fd);
	ssize_t ret;

	if (!f)
		return -EBADF;
	ret = -EBADF;
	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		goto out;
	if (nvec >= 0) {
		iov = import_iovec(uvec, nvec, fast, ARRAY_SIZE(fast));
		ret = PTR_ERR(iov);
		if (IS_ERR(iov))
			goto out;
	} else {
		fast[0] = (struct iovec){ buf, count };
		nvec = 1;
	}
	if (explicit_pos) {
		ret = -ESPIPE;
		if (!f->f_op->llseek)
			goto out_free;
		ret = -EINVAL;
		if (*explicit_pos < 0)
			goto out_free;
		ret = do_iter(f, iov, nvec, explicit_pos, write);
	} else if (file_has_pos(f)) {
		mutex_lock(&f->f_pos_lock);
		loff_t pos = f->f_pos;
		ret = do_iter(f, iov, nvec, &pos, write);
		if (ret >= 0)
			f->f_pos = pos;
		mutex_unlock(&f->f_pos_lock);
	} else {
		ret = do_iter(f, iov, nvec, &f->f_pos, write);
	}
out_free:
	if (iov != fast)
		kfree(iov);
out:
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)
{
	return do_rw(fd, NULL, -1, buf, count, NULL, false);
}

SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf, size_t, count)
{
	return do_rw(fd, NULL, -1, (void __user *)buf, count, NULL, true);
}

SYSCALL_DEFINE4(pread64, unsigned int, fd, char __user *, buf, size_t, count, loff_t, pos)
{
	return do_rw(fd, NULL, -1, buf, count, &pos, false);
}

SYSCALL_DEFINE4(pwrite64, unsigned int, fd, const char __user *, buf, size_t, count, loff_t, pos)
{
	return do_rw(fd, NULL, -1, (void __user *)buf, count, &pos, true);
}

/* vlen beyond UIO_MAXIOV fails in import_iovec() with -EINVAL. */
SYSCALL_DEFINE3(readv, unsigned long, fd, const struct iovec __user *, vec, unsigned long, vlen)
{
	return do_rw(fd, vec, (int)min(vlen, (unsigned long)UIO_MAXIOV + 1), NULL, 0, NULL, false);
}

SYSCALL_DEFINE3(writev, unsigned long, fd, const struct iovec __user *, vec, unsigned long, vlen)
{
	return do_rw(fd, vec, (int)min(vlen, (unsigned long)UIO_MAXIOV + 1), NULL, 0, NULL, true);
}

/* Files whose position means nothing (an eventfd): lseek() succeeds and changes nothing, as Linux's. */
loff_t noop_llseek(struct file *f, loff_t offset, int whence)
{
	return f->f_pos;
}

/* For regular files and directories: SEEK_DATA/SEEK_HOLE treat the whole file as data. */
loff_t generic_file_llseek(struct file *f, loff_t offset, int whence)
{
	loff_t size = f->f_inode->i_size, max = f->f_inode->i_sb->s_maxbytes;

	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(offset, f->f_pos, &offset))
			return -EINVAL;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(offset, size, &offset))
			return -EINVAL;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		if (whence == SEEK_HOLE)
			offset = size;
		break;
	default:
		return -EINVAL;
	}
	if (offset < 0 || (max && offset > max))
		return -EINVAL;
	f->f_pos = offset;
	return offset;
}

SYSCALL_DEFINE3(lseek, unsigned int, fd, loff_t, offset, unsigned int, whence)
{
	struct file *f = fget(fd);
	loff_t ret;

	if (!f)
		return -EBADF;
	if (whence > SEEK_HOLE) {
		ret = -EINVAL;
	} else if (!f->f_op->llseek) {
		ret = -ESPIPE;
	} else {
		mutex_lock(&f->f_pos_lock);
		ret = f->f_op->llseek(f, offset, (int)whence);
		mutex_unlock(&f->f_pos_lock);
	}
	fput(f);
	return ret;
}

/*
 * sendfile(2) (Linux: do_sendfile()): copy up to count bytes from in, at
 * *ppos or at its own position, to out at its position (or into the pipe or
 * terminal it is), through a kernel page. in must be a regular file: Linux
 * 6.1 refuses pipes, directories and devices such as /dev/zero (EINVAL: no
 * splice_read). Into a pipe, one call moves at most what the pipe has room
 * for, once it has some, as Linux's splice does. Bytes read but not taken
 * by out are given back to in's position, so nothing is lost.
 */
static ssize_t sendfile_copy(struct file *in, loff_t *pos, struct file *out, loff_t *out_pos, size_t count)
{
	char *page = (char *)__get_free_page(GFP_KERNEL);
	ssize_t done = 0, err = 0;

	if (!page)
		return -ENOMEM;
	while ((size_t)done < count) {
		size_t n = min(count - done, PAGE_SIZE);
		ssize_t r = kernel_read(in, page, n, pos);
		if (r <= 0) {
			err = r;
			break;
		}
		ssize_t w = kernel_write(out, page, r, out_pos);
		if (w < r)
			*pos -= r - max(w, (ssize_t)0);	/* not sent: read again next time */
		if (w <= 0) {
			err = w;
			break;
		}
		done += w;
		if (w < r || (size_t)r < n)
			break;
		if (signal_pending(current))
			break;		/* a huge copy can be interrupted after some progress */
		cond_resched();
	}
	free_page((unsigned long)page);
	return done ? done : err;
}

/* in_fd's part of Linux's checks, in its order; *pos is where to read from. */
static int sendfile_check_in(struct file *in, const loff_t *ppos, loff_t *pos, size_t count)
{
	if (!in || !(in->f_mode & FMODE_READ))
		return -EBADF;
	if (ppos && !in->f_op->llseek)
		return -ESPIPE;
	*pos = ppos ? *ppos : in->f_pos;
	return *pos < 0 || (ssize_t)count < 0 ? -EINVAL : 0;
}

/* out_fd's part, then what may be sent: *count shrinks to the size limit and a pipe's room. */
static int sendfile_check_out(struct file *in, struct file *out, loff_t pos, size_t *count)
{
	if (!out || !(out->f_mode & FMODE_WRITE))
		return -EBADF;
	loff_t max = min(in->f_inode->i_sb->s_maxbytes, out->f_inode->i_sb->s_maxbytes);
	if (pos >= max)
		return -EOVERFLOW;
	*count = min(min(*count, (size_t)MAX_RW_COUNT), (size_t)(max - pos));
	bool out_pipe = S_ISFIFO(out->f_inode->i_mode);
	if ((!out_pipe && (out->f_flags & O_APPEND)) || !S_ISREG(in->f_inode->i_mode) || !in->f_op->read ||
	    !out->f_op->write)
		return -EINVAL;
	if (out_pipe && *count) {
		ssize_t room = pipe_wait_room(out);
		if (room < 0)
			return room;
		*count = min(*count, (size_t)room);
	}
	return 0;
}

static ssize_t do_sendfile(int out_fd, int in_fd, loff_t *ppos, size_t count)
{
	struct file *in = fget(in_fd), *out = NULL;
	loff_t pos = 0, out_pos;
	ssize_t ret = sendfile_check_in(in, ppos, &pos, count);

	if (!ret) {
		out = fget(out_fd);
		ret = sendfile_check_out(in, out, pos, &count);
	}
	if (!ret && count) {
		out_pos = out->f_pos;
		ret = sendfile_copy(in, &pos, out, &out_pos, count);
	}
	if (ret > 0) {
		if (file_has_pos(out))
			out->f_pos = out_pos;
		if (ppos)
			*ppos = pos;
		else
			in->f_pos = pos;
	}
	if (out)
		fput(out);
	if (in)
		fput(in);
	return ret;
}

SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, loff_t __user *, offset, size_t, count)
{
	loff_t pos;
	ssize_t ret;

	if (!offset)
		return do_sendfile(out_fd, in_fd, NULL, count);
	if (copy_from_user(&pos, offset, sizeof(pos)))
		return -EFAULT;
	ret = do_sendfile(out_fd, in_fd, &pos, count);
	if (copy_to_user(offset, &pos, sizeof(pos)))
		return -EFAULT;
	return ret;
}
