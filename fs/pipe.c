/*
 * Pipes (Linux: fs/pipe.c). A pipe is a 64 KiB ring of bytes (16 pages, as
 * Linux's default pipe size) between a read file and a write file that share
 * one inode. head and tail count bytes written and read since creation: the
 * data is [tail, head), byte b lives in page (b / PAGE_SIZE) % 16, and both
 * counters wrap harmlessly as unsigned ints (2^32 is a multiple of the ring).
 * Pages are allocated when written and freed whenever the pipe drains
 * (Linux frees each buffer as it is consumed, keeping one spare).
 *
 * Semantics as Linux: a read returns what is there (up to count), waits
 * while the pipe is empty and has writers, and returns 0 once no writer is
 * left; a write of at most PIPE_BUF bytes goes in whole or not at all, a
 * larger one may be split; writing with no reader left gets SIGPIPE and
 * -EPIPE. O_NONBLOCK turns each wait into -EAGAIN. A signal ends a wait with
 * -ERESTARTSYS when nothing was transferred yet: the way back to user mode
 * turns it into -EINTR, or restarts the call for an SA_RESTART handler, as
 * for the terminal (fs/tty.c).
 *
 * Locking: pipe->mutex guards everything in the pipe_inode_info. It is held
 * while copying to or from user space (a fault may sleep; nothing in the
 * fault path touches pipes). Waiters sleep on rd_wait/wr_wait without it,
 * checking their condition with READ_ONCE; every change wakes them.
 */
#include <kernel/kernel.h>
#include <kernel/delay_point.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <kernel/syscalls.h>
#include <lib/string.h>
#include <uapi/magic.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/fdtable.h>
#include <fs/uapi.h>
#include "internal.h"

#define PIPE_DEF_BUFFERS 16
#define PIPE_SIZE (PIPE_DEF_BUFFERS * PAGE_SIZE)

struct pipe_inode_info {
	struct mutex mutex;
	struct wait_queue_head rd_wait, wr_wait;
	unsigned int head, tail;	/* bytes written, bytes read */
	unsigned int readers, writers;	/* open read and write files */
	struct page *bufs[PIPE_DEF_BUFFERS];
};

static unsigned int pipe_used(const struct pipe_inode_info *pipe)
{
	return READ_ONCE(pipe->head) - READ_ONCE(pipe->tail);
}

static void pipe_free_pages(struct pipe_inode_info *pipe)
{
	for (int i = 0; i < PIPE_DEF_BUFFERS; i++) {
		if (pipe->bufs[i])
			__free_page(pipe->bufs[i]);
		pipe->bufs[i] = NULL;
	}
}

static char *pipe_byte(struct pipe_inode_info *pipe, unsigned int pos)
{
	return (char *)page_address(pipe->bufs[(pos / PAGE_SIZE) % PIPE_DEF_BUFFERS]) + pos % PAGE_SIZE;
}

static bool pipe_readable(struct pipe_inode_info *pipe)
{
	return pipe_used(pipe) || !READ_ONCE(pipe->writers);
}

static bool pipe_writable(struct pipe_inode_info *pipe, size_t need)
{
	return PIPE_SIZE - pipe_used(pipe) >= need || !READ_ONCE(pipe->readers);
}

static ssize_t pipe_read(struct file *f, char __user *buf, size_t count, loff_t *ppos)
{
	struct pipe_inode_info *pipe = f->private_data;
	ssize_t ret = 0;
	size_t done = 0;

	if (!count)
		return 0;
	mutex_lock(&pipe->mutex);
	while (!pipe_used(pipe)) {
		if (!pipe->writers)
			goto out;			/* end of file */
		ret = -EAGAIN;
		if (f->f_flags & O_NONBLOCK)
			goto out;
		mutex_unlock(&pipe->mutex);
		if (wait_event_interruptible(pipe->rd_wait, pipe_readable(pipe)))
			return -ERESTARTSYS;
		/* A test holds a woken reader here while another takes the data. */
		delay_point("pipe_read_woken");
		mutex_lock(&pipe->mutex);
		ret = 0;
	}
	while (done < count && pipe->head != pipe->tail) {
		size_t n = min(min(count - done, (size_t)(pipe->head - pipe->tail)),
			       PAGE_SIZE - pipe->tail % PAGE_SIZE);
		/* A chunk that does not copy whole is not consumed, and not counted (as Linux). */
		if (copy_to_user(buf + done, pipe_byte(pipe, pipe->tail), n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		pipe->tail += n;
	}
	if (pipe->head == pipe->tail)
		pipe_free_pages(pipe);
	wake_up_interruptible_all(&pipe->wr_wait);
out:
	mutex_unlock(&pipe->mutex);
	return done ? (ssize_t)done : ret;
}

static ssize_t pipe_write(struct file *f, const char __user *buf, size_t count, loff_t *ppos)
{
	struct pipe_inode_info *pipe = f->private_data;
	size_t need = count <= PIPE_BUF ? count : 1;	/* room needed before writing anything */
	ssize_t ret = 0;
	size_t done = 0;

	if (!count)
		return 0;
	mutex_lock(&pipe->mutex);
	while (done < count) {
		if (!pipe->readers) {
			send_sig(SIGPIPE, current, 0);
			ret = -EPIPE;
			break;
		}
		if (PIPE_SIZE - (pipe->head - pipe->tail) < need) {
			ret = -EAGAIN;
			if (f->f_flags & O_NONBLOCK)
				break;
			wake_up_interruptible_all(&pipe->rd_wait);	/* let readers make room */
			mutex_unlock(&pipe->mutex);
			if (wait_event_interruptible(pipe->wr_wait, pipe_writable(pipe, need))) {
				ret = -ERESTARTSYS;
				goto out_unlocked;
			}
			mutex_lock(&pipe->mutex);
			ret = 0;
			continue;
		}
		unsigned int slot = (pipe->head / PAGE_SIZE) % PIPE_DEF_BUFFERS;
		if (!pipe->bufs[slot] && !(pipe->bufs[slot] = alloc_page(GFP_KERNEL))) {
			ret = -ENOMEM;
			break;
		}
		size_t n = min(min(count - done, PIPE_SIZE - (size_t)(pipe->head - pipe->tail)),
			       PAGE_SIZE - pipe->head % PAGE_SIZE);
		if (copy_from_user(pipe_byte(pipe, pipe->head), buf + done, n)) {
			ret = -EFAULT;	/* the partial chunk is not added (as Linux) */
			break;
		}
		done += n;
		pipe->head += n;
		need = 1;
	}
	mutex_unlock(&pipe->mutex);
out_unlocked:
	if (done)
		wake_up_interruptible_all(&pipe->rd_wait);
	return done ? (ssize_t)done : ret;
}

/*
 * How much sendfile() may put into the pipe f writes to in one call (Linux:
 * splice_file_to_pipe() waits for space, then fills what is free): waits
 * for room as a write would, then returns the bytes free; -EPIPE (and
 * SIGPIPE) with no reader left, -EAGAIN with O_NONBLOCK, -ERESTARTSYS on a
 * signal.
 */
ssize_t pipe_wait_room(struct file *f)
{
	struct pipe_inode_info *pipe = f->private_data;
	ssize_t ret;

	mutex_lock(&pipe->mutex);
	for (;;) {
		if (!pipe->readers) {
			send_sig(SIGPIPE, current, 0);
			ret = -EPIPE;
			break;
		}
		ret = PIPE_SIZE - (pipe->head - pipe->tail);
		if (ret)
			break;
		ret = -EAGAIN;
		if (f->f_flags & O_NONBLOCK)
			break;
		wake_up_interruptible_all(&pipe->rd_wait);
		mutex_unlock(&pipe->mutex);
		if (wait_event_interruptible(pipe->wr_wait, pipe_writable(pipe, 1)))
			return -ERESTARTSYS;
		mutex_lock(&pipe->mutex);
	}
	mutex_unlock(&pipe->mutex);
	return ret;
}

static __poll_t pipe_poll(struct file *f, struct poll_table_struct *pt)
{
	struct pipe_inode_info *pipe = f->private_data;
	__poll_t mask = 0;

	if (f->f_mode & FMODE_READ)
		poll_wait(f, &pipe->rd_wait, pt);
	if (f->f_mode & FMODE_WRITE)
		poll_wait(f, &pipe->wr_wait, pt);
	unsigned int used = pipe_used(pipe);
	if (f->f_mode & FMODE_READ) {
		if (used)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!READ_ONCE(pipe->writers))
			mask |= EPOLLHUP;
	}
	if (f->f_mode & FMODE_WRITE) {
		if (PIPE_SIZE - used >= PIPE_BUF)
			mask |= EPOLLOUT | EPOLLWRNORM;
		if (!READ_ONCE(pipe->readers))
			mask |= EPOLLERR;
	}
	return mask;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = f->private_data;

	if (cmd != FIONREAD)
		return -ENOTTY;
	return put_user((int)pipe_used(pipe), (int __user *)arg);
}

static int pipe_release(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *pipe = f->private_data;

	mutex_lock(&pipe->mutex);
	if (f->f_mode & FMODE_READ)
		pipe->readers--;
	if (f->f_mode & FMODE_WRITE)
		pipe->writers--;
	wake_up_interruptible_all(&pipe->rd_wait);	/* readers see EOF, writers EPIPE */
	wake_up_interruptible_all(&pipe->wr_wait);
	mutex_unlock(&pipe->mutex);
	return 0;
}

static const struct file_operations pipefifo_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

/* The pipe goes with its inode, once both files are gone. */
static void pipefs_evict_inode(struct inode *inode)
{
	struct pipe_inode_info *pipe = inode->i_private;

	pipe_free_pages(pipe);
	kfree(pipe);
}

static struct super_block pipefs_sb;

/* fstatfs() of a pipe: its files have no dentry, so the super block is named here. */
static int pipefs_statfs(struct dentry *unused, struct kstatfs *buf)
{
	buf->f_type = pipefs_sb.s_magic;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_operations pipefs_ops = {
	.evict_inode = pipefs_evict_inode,
	.statfs = pipefs_statfs,
};

/* Pipes are made by pipe(2) alone: the type is registered so /proc/filesystems lists it. */
static struct dentry *pipefs_mount(struct file_system_type *type, int flags, const char *dev, void *data)
{
	return ERR_PTR(-EINVAL);
}

static struct file_system_type pipe_fs_type = {
	.name = "pipefs",
	.mount = pipefs_mount,
};

/* The one instance, never unmounted: its s_count stays above zero. */
static struct super_block pipefs_sb = {
	.s_type = &pipe_fs_type,
	.s_magic = PIPEFS_MAGIC,
	.s_maxbytes = MAX_LFS_FILESIZE,
	.s_active = 1,
	.s_count = 1,
	.s_op = &pipefs_ops,
};

int init_pipefs(void)
{
	int err = get_anon_bdev(&pipefs_sb.s_dev);	/* st_dev 0:N, as Linux's pipefs has */

	return err ? err : register_filesystem(&pipe_fs_type);
}

/* res[0] reads, res[1] writes; flags may hold O_NONBLOCK. */
int create_pipe_files(struct file **res, int flags)
{
	struct inode *inode = new_inode(&pipefs_sb);
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);

	if (!inode || !pipe) {
		kfree(pipe);
		if (inode)
			iput(inode);
		return -ENOMEM;
	}
	mutex_init(&pipe->mutex);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	pipe->readers = pipe->writers = 1;
	inode->i_mode = S_IFIFO | 0600;
	inode->i_private = pipe;
	inode->i_fop = &pipefifo_fops;

	res[0] = alloc_file(NULL, inode, O_RDONLY | (flags & O_NONBLOCK), &pipefifo_fops);
	res[1] = IS_ERR(res[0]) ? res[0] : alloc_file(NULL, inode, O_WRONLY | (flags & O_NONBLOCK), &pipefifo_fops);
	iput(inode);		/* the files hold it now */
	if (IS_ERR(res[1])) {
		if (!IS_ERR(res[0]))
			fput(res[0]);
		return PTR_ERR(res[1]);
	}
	res[0]->private_data = res[1]->private_data = pipe;
	return 0;
}

static int do_pipe2(int __user *fildes, int flags)
{
	struct file *files[2];
	int fd[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;		/* O_DIRECT (packet mode) is not supported */
	err = create_pipe_files(files, flags);
	if (err)
		return err;
	fd[0] = get_unused_fd_flags(flags);
	fd[1] = fd[0] < 0 ? fd[0] : get_unused_fd_flags(flags);
	err = fd[1] < 0 ? fd[1] : copy_to_user(fildes, fd, sizeof(fd)) ? -EFAULT : 0;
	if (err) {
		if (fd[0] >= 0)
			put_unused_fd(fd[0]);
		if (fd[1] >= 0)
			put_unused_fd(fd[1]);
		fput(files[0]);
		fput(files[1]);
		return err;
	}
	fd_install(fd[0], files[0]);
	fd_install(fd[1], files[1]);
	return 0;
}

SYSCALL_DEFINE2(pipe2, int __user *, fildes, int, flags)
{
	return do_pipe2(fildes, flags);
}

SYSCALL_DEFINE1(pipe, int __user *, fildes)
{
	return do_pipe2(fildes, 0);
}
