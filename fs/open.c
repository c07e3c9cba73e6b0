/*
 * Opening and closing files, truncation, the working directory and access()
 * (Linux: fs/open.c, and path_openat() from fs/namei.c).
 *
 * Locking: O_CREAT holds the parent directory's i_rwsem for writing from
 * the lookup to the create (namei.c explains); truncation holds the file's
 * i_rwsem for writing around ->setsize and the unmapping of what the file
 * lost from its mappings (mm/memory.c's unmap_mapping_range()). Creating
 * and truncating hold write access to the mount meanwhile (mnt_want_write():
 * -EROFS if read-only).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <kernel/syscalls.h>
#include <lib/string.h>
#include <fs/dcache.h>
#include <fs/fdtable.h>
#include <fs/fs_struct.h>
#include <fs/mount.h>
#include <fs/uapi.h>
#include <mm/mm.h>
#include "internal.h"

static int truncate_path(const struct path *path, loff_t length);

/*
 * Create name (O_CREAT): 0 with the new file's dentry in *res, or -EEXIST if
 * it exists, or an error (-EROFS on a read-only mount, once it is known
 * that the name does not exist).
 */
static int open_create(struct nameidata *nd, int flags, umode_t mode, struct dentry **res)
{
	struct inode *dir = nd->path.dentry->d_inode;
	int rofs = mnt_want_write(nd->path.mnt);
	int err;

	down_write(&dir->i_rwsem);
	struct dentry *d = __lookup_hash(nd->path.dentry, nd->last, nd->last_len);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
	} else if (d->d_inode) {
		err = -EEXIST;
	} else if (nd->trailing_slash) {
		err = -EISDIR;
	} else if (!dir->i_nlink) {
		err = -ENOENT;			/* the directory was removed */
	} else if (rofs) {
		err = rofs;
	} else if (!dir->i_op->create) {
		err = -EACCES;
	} else {
		err = dir->i_op->create(dir, d, mode);
	}
	up_write(&dir->i_rwsem);
	if (!rofs)
		mnt_drop_write(nd->path.mnt);
	if (err && !IS_ERR(d))
		dput(d);
	if (!err)
		*res = d;
	return err;
}

/*
 * O_PATH: a file that names path and opens nothing, as Linux's: no access
 * is checked or granted (reads, writes and most calls on it fail with
 * EBADF, see fget()); it serves as a directory fd for the *at() calls,
 * for fstat(), fchdir() and clone3()'s CLONE_INTO_CGROUP. Takes over the
 * caller's references on path.
 */
static struct file *path_file_open(struct path *path, int flags)
{
	static const struct file_operations empty_fops;
	struct file *f = ERR_PTR(-ENOTDIR);

	if (!(flags & O_DIRECTORY) || d_is_dir(path->dentry))
		f = alloc_file(path, path->dentry->d_inode, flags, &empty_fops);
	if (!IS_ERR(f))
		f->f_mode = FMODE_PATH;
	path_put(path);
	return f;
}

/*
 * open() in full: the walk, O_CREAT/O_EXCL, the checks on what was found,
 * O_TRUNC, then the file. The created mode has the umask applied already.
 */
struct file *do_filp_open(int dfd, const char *name, int flags, umode_t mode)
{
	struct nameidata nd;
	struct path path = { NULL, NULL };
	bool created = false;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return ERR_PTR(err);
	if (flags & O_CREAT) {
		err = nd.last_type != LAST_NORM ? -EISDIR : open_create(&nd, flags, mode, &path.dentry);
		if (!err) {
			created = true;
			path.mnt = mntget(nd.path.mnt);
		}
		else if (err == -EEXIST && !(flags & O_EXCL))
			err = 0;		/* it exists: open it as below */
	}
	if (!err && !created) {
		/* A dangling symlink with O_CREAT gives -ENOENT here (Linux creates its target). */
		err = walk_last(&nd, !(flags & O_NOFOLLOW));
		if (!err) {
			path = nd.path;
			path_get(&path);
		}
	}
	terminate_walk(&nd);
	if (err)
		return ERR_PTR(err);
	if (flags & O_PATH)
		return path_file_open(&path, flags);

	struct inode *inode = path.dentry->d_inode;
	if (S_ISLNK(inode->i_mode))
		err = -ELOOP;			/* O_NOFOLLOW */
	else if (S_ISDIR(inode->i_mode) && ((flags & O_CREAT) || (flags & O_ACCMODE) != O_RDONLY))
		err = -EISDIR;
	else if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
		err = -ENOTDIR;
	else if ((S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode)) &&
		 (READ_ONCE(path.mnt->mnt_flags) & MNT_NODEV))
		err = -EACCES;			/* a device node on a nodev mount */
	else if ((flags & O_TRUNC) && S_ISREG(inode->i_mode) && !created)
		err = truncate_path(&path, 0);	/* Linux truncates even with O_RDONLY */
	struct file *f = err ? ERR_PTR(err) : dentry_open(&path, flags);
	path_put(&path);
	return f;
}

static long do_sys_open(int dfd, const char __user *filename, int flags, umode_t mode)
{
	char *name = getname(filename);

	if (IS_ERR(name))
		return PTR_ERR(name);
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;	/* the others mean nothing there */
	else
		flags |= O_LARGEFILE;	/* as Linux on 64-bit: F_GETFL shows it */
	if (flags & O_CREAT)
		mode &= S_IALLUGO & ~current_umask();
	int fd = get_unused_fd_flags(flags);	/* before opening: -EMFILE must not leave a new file */
	if (fd >= 0) {
		struct file *f = do_filp_open(dfd, name, flags, mode);
		if (IS_ERR(f)) {
			put_unused_fd(fd);
			fd = PTR_ERR(f);
		} else {
			fd_install(fd, f);
		}
	}
	putname(name);
	return fd;
}

SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, filename, flags, mode);
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, filename, int, flags, umode_t, mode)
{
	return do_sys_open(dfd, filename, flags, mode);
}

SYSCALL_DEFINE2(creat, const char __user *, pathname, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, pathname, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

SYSCALL_DEFINE1(close, unsigned int, fd)
{
	return close_fd(fd);
}

/* truncate() and O_TRUNC: with write access to the mount (-EROFS). */
static int truncate_path(const struct path *path, loff_t length)
{
	int err = mnt_want_write(path->mnt);

	if (err)
		return err;
	err = do_truncate(path->dentry->d_inode, length);
	mnt_drop_write(path->mnt);
	return err;
}

int do_truncate(struct inode *inode, loff_t length)
{
	if (length < 0)
		return -EINVAL;
	if (!inode->i_op || !inode->i_op->setsize)
		return -EPERM;
	down_write(&inode->i_rwsem);
	loff_t old = inode->i_size;
	int err = inode->i_op->setsize(inode, length);
	if (!err && length < old)
		unmap_mapping_range(inode, length);	/* mappings lose what the file lost */
	up_write(&inode->i_rwsem);
	return err;
}

SYSCALL_DEFINE2(truncate, const char __user *, pathname, long, length)
{
	struct path path;

	if (length < 0)
		return -EINVAL;
	long err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	umode_t mode = path.dentry->d_inode->i_mode;
	err = S_ISDIR(mode) ? -EISDIR : !S_ISREG(mode) ? -EINVAL : truncate_path(&path, length);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE2(ftruncate, unsigned int, fd, long, length)
{
	if (length < 0)
		return -EINVAL;
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long err = !S_ISREG(f->f_inode->i_mode) || !(f->f_mode & FMODE_WRITE) ? -EINVAL :
		   do_truncate(f->f_inode, length);
	fput(f);
	return err;
}

SYSCALL_DEFINE1(chdir, const char __user *, filename)
{
	struct path path;
	long err = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);

	if (!err) {
		if (current->fs)
			set_fs_pwd(current->fs, &path);
		path_put(&path);
	}
	return err;
}

SYSCALL_DEFINE1(fchdir, unsigned int, fd)
{
	struct file *f = fget_raw(fd);
	long err = -EBADF;

	if (f) {
		err = -ENOTDIR;
		if (f->f_path.dentry && S_ISDIR(f->f_inode->i_mode)) {
			err = 0;
			if (current->fs)
				set_fs_pwd(current->fs, &f->f_path);
		}
		fput(f);
	}
	return err;
}

/*
 * Everybody is root in Folio, so access() only finds the file and checks
 * that X_OK has an execute bit to go by, as Linux does for root.
 */
static long do_faccessat(int dfd, const char __user *filename, int mode, int flags)
{
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *inode = user_path_inode(dfd, filename, flags);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	long err = 0;
	if ((mode & X_OK) && !S_ISDIR(inode->i_mode) && !(inode->i_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		err = -EACCES;
	iput(inode);
	return err;
}

SYSCALL_DEFINE2(access, const char __user *, filename, int, mode)
{
	return do_faccessat(AT_FDCWD, filename, mode, 0);
}

SYSCALL_DEFINE3(faccessat, int, dfd, const char __user *, filename, int, mode)
{
	return do_faccessat(dfd, filename, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dfd, const char __user *, filename, int, mode, int, flags)
{
	return do_faccessat(dfd, filename, mode, flags);
}

/*
 * chmod and chown. Everyone is root, so there is no permission check; the
 * mode bits are what stat() shows and what exec's execute-bit test reads.
 * The attribute change is made under i_rwsem, as Linux's notify_change().
 */
static long chmod_inode(struct inode *inode, umode_t mode)
{
	down_write(&inode->i_rwsem);
	inode->i_mode = (inode->i_mode & S_IFMT) | (mode & 07777);
	inode->i_ctime = current_time(inode);
	up_write(&inode->i_rwsem);
	return 0;
}

static long chown_inode(struct inode *inode, int uid, int gid)
{
	down_write(&inode->i_rwsem);
	if (uid != -1)
		inode->i_uid = uid;
	if (gid != -1)
		inode->i_gid = gid;
	inode->i_ctime = current_time(inode);
	up_write(&inode->i_rwsem);
	return 0;
}

/* The inode of an open fd, with a reference. */
static struct inode *fd_inode(unsigned int fd)
{
	struct file *f = fget(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	struct inode *inode = f->f_inode;
	ihold(inode);
	fput(f);
	return inode;
}

/*
 * Attribute changes need a writable file system. They go by inode, so they
 * test the super block's read-only flag; a mount made read-only on its own
 * (a bind mount of a read-only mount over a file system remounted writable)
 * is not seen here.
 */
static long chattr_at(struct inode *inode, bool mode_change, umode_t mode, int uid, int gid)
{
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	long err = IS_RDONLY(inode) ? -EROFS : mode_change ? chmod_inode(inode, mode) :
		   chown_inode(inode, uid, gid);
	iput(inode);
	return err;
}

SYSCALL_DEFINE2(chmod, const char __user *, filename, umode_t, mode)
{
	return chattr_at(user_path_inode(AT_FDCWD, filename, 0), true, mode, 0, 0);
}

SYSCALL_DEFINE3(fchmodat, int, dfd, const char __user *, filename, umode_t, mode)
{
	return chattr_at(user_path_inode(dfd, filename, 0), true, mode, 0, 0);
}

SYSCALL_DEFINE2(fchmod, unsigned int, fd, umode_t, mode)
{
	return chattr_at(fd_inode(fd), true, mode, 0, 0);
}

SYSCALL_DEFINE3(chown, const char __user *, filename, int, user, int, group)
{
	return chattr_at(user_path_inode(AT_FDCWD, filename, 0), false, 0, user, group);
}

SYSCALL_DEFINE3(lchown, const char __user *, filename, int, user, int, group)
{
	return chattr_at(user_path_inode(AT_FDCWD, filename, AT_SYMLINK_NOFOLLOW), false, 0, user, group);
}

SYSCALL_DEFINE3(fchown, unsigned int, fd, int, user, int, group)
{
	return chattr_at(fd_inode(fd), false, 0, user, group);
}

SYSCALL_DEFINE5(fchownat, int, dfd, const char __user *, filename, int, user, int, group, int, flag)
{
	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return chattr_at(user_path_inode(dfd, filename, flag), false, 0, user, group);
}
