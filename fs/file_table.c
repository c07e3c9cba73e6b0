/*
 * struct file: one open of something (Linux: fs/file_table.c, fs/open.c's
 * dentry_open()). A file is shared by every fd and every task that has it
 * (dup, fork, SCM_RIGHTS one day) and counted in f_count; the last fput()
 * calls ->release and lets go of the path (mount and dentry) and inode, and
 * of the write access to the mount a file opened for writing holds. f_pos is guarded by
 * f_pos_lock for files that seek (read_write.c); f_flags changes only by
 * fcntl(F_SETFL), one word at a time.
 *
 * Linux defers the final fput() of a task's files to task_work, so that
 * ->release never runs deep inside another lock; Folio's callers drop
 * files with no spinlock held, and ->release may sleep.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/fs_struct.h>
#include <fs/anon_inodes.h>
#include <fs/mount.h>
#include <uapi/errno.h>
#include <fs/uapi.h>
#include "internal.h"

/* O_RDONLY/O_WRONLY/O_RDWR to FMODE_* (3, "no access", gives neither). */
#define OPEN_FMODE(flags) (((flags) + 1) & O_ACCMODE)

struct file *alloc_file(const struct path *path, struct inode *inode, int flags,
			const struct file_operations *fop)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return ERR_PTR(-ENOMEM);
	f->f_count = 1;
	f->f_flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	f->f_mode = OPEN_FMODE(flags);
	mutex_init(&f->f_pos_lock);
	if (path) {
		f->f_path = *path;
		path_get(path);
	}
	f->f_inode = inode;
	ihold(inode);
	f->f_op = fop;
	return f;
}

static void file_free(struct file *f)
{
	if (f->f_mode & FMODE_WRITER)
		mnt_drop_write(f->f_path.mnt);
	path_put(&f->f_path);
	iput(f->f_inode);
	kfree(f);
}

static bool special_file(umode_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode);
}

/*
 * Open the file path names, calling its ->open (which may replace f_op:
 * character devices). Opened for writing, a file of a file system (not a
 * device) holds write access to its mount until closed: -EROFS on a
 * read-only one, and remounting read-only waits for no such file (EBUSY).
 */
struct file *dentry_open(const struct path *path, int flags)
{
	struct inode *inode = path->dentry->d_inode;
	struct file *f = alloc_file(path, inode, flags, inode->i_fop);

	if (IS_ERR(f))
		return f;
	if ((f->f_mode & FMODE_WRITE) && !special_file(inode->i_mode)) {
		int err = mnt_want_write(path->mnt);
		if (err) {
			file_free(f);
			return ERR_PTR(err);
		}
		f->f_mode |= FMODE_WRITER;
	}
	if (!f->f_op) {
		file_free(f);
		return ERR_PTR(-ENXIO);
	}
	if (f->f_op->open) {
		int err = f->f_op->open(inode, f);
		if (err) {
			file_free(f);		/* never opened: no ->release */
			return ERR_PTR(err);
		}
	}
	return f;
}

struct file *get_file(struct file *f)
{
	__atomic_add_fetch(&f->f_count, 1, __ATOMIC_RELAXED);
	return f;
}

void fput(struct file *f)
{
	int n = __atomic_sub_fetch(&f->f_count, 1, __ATOMIC_ACQ_REL);

	WARN_ON(n < 0);
	if (n)
		return;
	might_sleep();
	if (f->f_op && f->f_op->release)
		f->f_op->release(f->f_inode, f);
	file_free(f);
}

struct file *filp_open(const char *path, int flags, umode_t mode)
{
	return do_filp_open(AT_FDCWD, path, flags | O_LARGEFILE, mode);	/* as open(2): the console's fdinfo shows it */
}

/*
 * The path of f, into buf: "/bin/busybox", "/tmp/x (deleted)" once
 * unlinked, "pipe:[1234]" for a pipe, "anon_inode:[eventfd]" for an anonymous file. Returns buf, or ERR_PTR(-ENAMETOOLONG).
 */
char *file_path(struct file *f, char *buf, int buflen)
{
	if (!f->f_path.dentry) {
		const char *anon = anon_inode_name(f->f_inode);
		int n = anon ? snprintf(buf, buflen, "anon_inode:%s", anon) :
			snprintf(buf, buflen, "%s:[%llu]", S_ISFIFO(f->f_inode->i_mode) ? "pipe" : "anon_inode",
				 f->f_inode->i_ino);
		return n < buflen ? buf : ERR_PTR(-ENAMETOOLONG);
	}
	char *p = d_path(&f->f_path, buf, buflen);
	if (IS_ERR(p))
		return p;
	memmove(buf, p, strlen(p) + 1);
	return buf;
}
