/*
 * /proc/PID/fd and /proc/PID/fdinfo (Linux: fs/proc/fd.c): one entry per
 * open descriptor of the task, made up from its fd table at each lookup
 * and readdir. fd/N is a link to the open file ("/dev/null",
 * "pipe:[1234]"), whose permission bits say how it is open (lr-x------
 * read-only, l-wx------ write-only, lrwx------ both); fdinfo/N shows its
 * position, flags, mount and inode.
 *
 * Locking: the task's files_struct is taken with a reference under
 * task_lock and read under its file_lock (fs/file.c's fget_task() and
 * task_next_fd()); a descriptor closed since its dentry was made fails
 * revalidation and disappears.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <lib/string.h>
#include <fs/dcache.h>
#include <fs/fdtable.h>
#include <fs/seq_file.h>
#include <fs/uapi.h>
#include "internal.h"
#include "../mount.h"

static int tid_fd_revalidate(struct dentry *d)
{
	struct inode *inode = d->d_inode;
	struct task_struct *task = inode ? get_proc_task(inode) : NULL;
	struct file *f;

	if (!task)
		return 0;
	f = fget_task(task, PROC_I(inode)->fd, NULL);
	put_task_struct(task);
	if (f)
		fput(f);
	return f != NULL;
}

static const struct dentry_operations tid_fd_dentry_operations = {
	.d_revalidate = tid_fd_revalidate,
};

static int proc_fd_link(struct inode *inode, struct proc_link *link)
{
	struct task_struct *task = get_proc_task(inode);

	if (!task)
		return -ENOENT;
	link->file = fget_task(task, PROC_I(inode)->fd, NULL);
	put_task_struct(task);
	return link->file ? 0 : -ENOENT;
}

/* The id mountinfo gives the file's mount; a pipe's is 0: Folio's pipefs has no mount, not even a kernel one. */
static int file_mnt_id(struct file *f)
{
	return f->f_path.mnt ? real_mount(f->f_path.mnt)->mnt_id : 0;
}

static int proc_fdinfo_show(struct seq_file *m, void *v)
{
	struct inode *inode = m->private;
	struct task_struct *task = get_proc_task(inode);
	bool cloexec = false;
	struct file *f;

	if (!task)
		return -ESRCH;
	f = fget_task(task, PROC_I(inode)->fd, &cloexec);
	put_task_struct(task);
	if (!f)
		return -ENOENT;
	seq_printf(m, "pos:\t%lli\nflags:\t0%o\nmnt_id:\t%d\nino:\t%llu\n", READ_ONCE(f->f_pos),
		   READ_ONCE(f->f_flags) | (cloexec ? O_CLOEXEC : 0), file_mnt_id(f), f->f_inode->i_ino);
	if (f->f_op && f->f_op->show_fdinfo)
		f->f_op->show_fdinfo(m, f);
	fput(f);
	return 0;
}

static int proc_fdinfo_open(struct inode *inode, struct file *file)
{
	return single_open(file, proc_fdinfo_show, inode);
}

static const struct file_operations proc_fdinfo_file_operations = {
	.open = proc_fdinfo_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* The inode for fd/N (info: fdinfo/N) of task, if N is open. */
static struct dentry *proc_fd_instantiate(struct dentry *d, struct task_struct *task, int fd, bool info)
{
	struct file *f = fget_task(task, fd, NULL);
	umode_t mode = S_IFREG | 0444;
	struct inode *inode;

	if (!f)
		return ERR_PTR(-ENOENT);
	if (!info) {
		mode = S_IFLNK;
		if (f->f_mode & FMODE_READ)
			mode |= S_IRUSR | S_IXUSR;
		if (f->f_mode & FMODE_WRITE)
			mode |= S_IWUSR | S_IXUSR;
	}
	fput(f);
	inode = proc_pid_inode(d, task, mode);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	PROC_I(inode)->fd = fd;
	if (info) {
		inode->i_op = &proc_file_inode_operations;
		inode->i_fop = &proc_fdinfo_file_operations;
	} else {
		inode->i_op = &proc_pid_link_inode_operations;
		inode->i_size = 64;	/* what Linux's fd links report to lstat() */
		PROC_I(inode)->op.proc_get_link = proc_fd_link;
	}
	d->d_op = &tid_fd_dentry_operations;
	d_instantiate(d, inode);
	return NULL;
}

static struct dentry *proc_lookupfd_common(struct inode *dir, struct dentry *d, bool info)
{
	struct task_struct *task = get_proc_task(dir);
	int fd = name_to_int(d->d_name, d->d_len);
	struct dentry *ret = ERR_PTR(-ENOENT);

	if (!task)
		return ret;
	if (fd >= 0)
		ret = proc_fd_instantiate(d, task, fd, info);
	put_task_struct(task);
	return ret;
}

/* ".", "..", then the open fds in order; position 2 + fd. */
static int proc_readfd_common(struct file *file, struct dir_context *ctx, bool info)
{
	struct task_struct *task = get_proc_task(file->f_inode);
	char name[16];
	int fd;

	if (!task)
		return -ENOENT;
	while (proc_emit_dots(file, ctx) && (fd = task_next_fd(task, ctx->pos - 2)) >= 0) {
		int len = snprintf(name, sizeof(name), "%d", fd);
		ctx->pos = 2 + fd;
		if (!dir_emit(ctx, name, len, 0x90000000ULL + fd, info ? DT_REG : DT_LNK))
			break;
		ctx->pos++;
	}
	put_task_struct(task);
	return 0;
}

static struct dentry *proc_lookupfd(struct inode *dir, struct dentry *d)
{
	return proc_lookupfd_common(dir, d, false);
}

static struct dentry *proc_lookupfdinfo(struct inode *dir, struct dentry *d)
{
	return proc_lookupfd_common(dir, d, true);
}

static int proc_readfd(struct file *file, struct dir_context *ctx)
{
	return proc_readfd_common(file, ctx, false);
}

static int proc_readfdinfo(struct file *file, struct dir_context *ctx)
{
	return proc_readfd_common(file, ctx, true);
}

const struct inode_operations proc_fd_inode_operations = {
	.lookup = proc_lookupfd,
};

const struct file_operations proc_fd_operations = {
	.llseek = generic_file_llseek,
	.iterate = proc_readfd,
};

const struct inode_operations proc_fdinfo_inode_operations = {
	.lookup = proc_lookupfdinfo,
};

const struct file_operations proc_fdinfo_operations = {
	.llseek = generic_file_llseek,
	.iterate = proc_readfdinfo,
};
