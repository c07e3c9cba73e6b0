/*
 * The calls that change names: mkdir, mknod, symlink, link, unlink, rmdir,
 * rename (Linux: the second half of fs/namei.c). Each walks to the parent
 * directory (namei.c), locks it, looks the last component up and asks the
 * file system (inode_operations) to do the change; the dentry tree follows
 * (d_drop() for a name removed, d_move() for a rename).
 *
 * Locking: the parent directory's i_rwsem is held for writing from the
 * lookup of the last component to the end, so the name cannot appear or
 * vanish in between; rmdir, and rename over a directory, also hold the
 * victim's, to see it empty (parent before child). rename takes
 * rename_mutex and then both directories, ancestor first, so no two callers
 * lock directories in opposite orders. Each call holds write access to the
 * mount for its duration (mnt_want_write(): -EROFS on a read-only mount).
 * Order: rename_mutex -> i_rwsem (parent before child) -> dcache_lock.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/fs_struct.h>
#include <fs/mount.h>
#include <fs/uapi.h>
#include "internal.h"

static DEFINE_MUTEX(rename_mutex);

/*
 * For the calls that create a name: walk to the parent, lock it and look up
 * the last component, which must not exist. Returns the negative dentry with
 * the parent locked and write access to its mount held (undo with
 * done_path_create()), or an error: -EEXIST first, then -ENOENT, then
 * -EROFS, in Linux's order.
 */
static struct dentry *filename_create(int dfd, const char *name, struct nameidata *nd, bool is_dir)
{
	int err = path_parentat(dfd, name, nd);

	if (err)
		return ERR_PTR(err);
	struct inode *dir = nd->path.dentry->d_inode;
	struct dentry *d = ERR_PTR(-EEXIST);
	if (nd->last_type != LAST_NORM)
		goto fail;
	int rofs = mnt_want_write(nd->path.mnt);
	down_write(&dir->i_rwsem);
	d = __lookup_hash(nd->path.dentry, nd->last, nd->last_len);
	if (IS_ERR(d))
		goto unlock;
	err = d->d_inode ? -EEXIST :
	      (nd->trailing_slash && !is_dir) || !dir->i_nlink ? -ENOENT : rofs;	/* a removed directory */
	if (!err)
		return d;
	dput(d);
	d = ERR_PTR(err);
unlock:
	up_write(&dir->i_rwsem);
	if (!rofs)
		mnt_drop_write(nd->path.mnt);
fail:
	terminate_walk(nd);
	return d;
}

static void done_path_create(struct nameidata *nd, struct dentry *d)
{
	dput(d);
	up_write(&nd->path.dentry->d_inode->i_rwsem);
	mnt_drop_write(nd->path.mnt);
	terminate_walk(nd);
}

int do_mkdirat(int dfd, const char *name, umode_t mode)
{
	struct nameidata nd;
	struct dentry *d = filename_create(dfd, name, &nd, true);

	if (IS_ERR(d))
		return PTR_ERR(d);
	struct inode *dir = nd.path.dentry->d_inode;
	int err = dir->i_op && dir->i_op->mkdir ? dir->i_op->mkdir(dir, d, (mode & S_IALLUGO) | S_IFDIR) : -EPERM;
	done_path_create(&nd, d);
	return err;
}

int do_mknodat(int dfd, const char *name, umode_t mode, dev_t dev)
{
	struct nameidata nd;
	struct dentry *d = filename_create(dfd, name, &nd, false);

	if (IS_ERR(d))
		return PTR_ERR(d);
	struct inode *dir = nd.path.dentry->d_inode;
	int err = dir->i_op && dir->i_op->mknod ? dir->i_op->mknod(dir, d, mode, dev) : -EPERM;
	done_path_create(&nd, d);
	return err;
}

int do_symlinkat(const char *target, int dfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d = filename_create(dfd, name, &nd, false);

	if (IS_ERR(d))
		return PTR_ERR(d);
	struct inode *dir = nd.path.dentry->d_inode;
	int err = dir->i_op && dir->i_op->symlink ? dir->i_op->symlink(dir, d, target) : -EPERM;
	done_path_create(&nd, d);
	return err;
}

int do_linkat(int olddfd, const char *oldname, int newdfd, const char *newname)
{
	struct dentry *d;
	struct path old;
	struct nameidata nd;
	int err = kern_path_at(olddfd, oldname, 0, &old);

	if (err)
		return err;
	d = filename_create(newdfd, newname, &nd, false);
	if (IS_ERR(d)) {
		path_put(&old);
		return PTR_ERR(d);
	}
	const struct inode_operations *iop = nd.path.dentry->d_inode->i_op;
	if (old.mnt != nd.path.mnt)
		err = -EXDEV;		/* across mounts, even of one file system (Linux) */
	else if (d_is_dir(old.dentry))
		err = -EPERM;
	else
		err = iop && iop->link ? iop->link(old.dentry, nd.path.dentry->d_inode, d) : -EPERM;
	done_path_create(&nd, d);
	path_put(&old);
	return err;
}

/* For unlink and rmdir: the parent locked and the victim, which must exist. */
static struct dentry *lookup_victim(struct nameidata *nd)
{
	struct inode *dir = nd->path.dentry->d_inode;

	down_write(&dir->i_rwsem);
	struct dentry *d = __lookup_hash(nd->path.dentry, nd->last, nd->last_len);
	if (!IS_ERR(d) && !d->d_inode) {
		dput(d);
		d = ERR_PTR(-ENOENT);
	}
	if (IS_ERR(d))
		up_write(&dir->i_rwsem);
	return d;
}

int do_unlinkat(int dfd, const char *name)
{
	struct nameidata nd;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return err;
	struct inode *dir = nd.path.dentry->d_inode;
	err = nd.last_type != LAST_NORM ? -EISDIR : mnt_want_write(nd.path.mnt);
	if (err)
		goto out;
	struct dentry *d = lookup_victim(&nd);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto drop_write;
	}
	if (d_is_dir(d))
		err = -EISDIR;
	else if (nd.trailing_slash)
		err = -ENOTDIR;
	else if (!dir->i_op || !dir->i_op->unlink)
		err = -EPERM;
	else if (d_mountpoint(d))
		err = -EBUSY;
	else if (!(err = dir->i_op->unlink(dir, d)))
		d_drop(d);
	dput(d);
	up_write(&dir->i_rwsem);
drop_write:
	mnt_drop_write(nd.path.mnt);
out:
	terminate_walk(&nd);
	return err;
}

int do_rmdir(int dfd, const char *name)
{
	static const int err_for_type[] = { [LAST_ROOT] = -EBUSY, [LAST_DOT] = -EINVAL,
					     [LAST_DOTDOT] = -ENOTEMPTY };
	struct nameidata nd;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return err;
	struct inode *dir = nd.path.dentry->d_inode;
	err = nd.last_type != LAST_NORM ? err_for_type[nd.last_type] : mnt_want_write(nd.path.mnt);
	if (err)
		goto out;
	struct dentry *d = lookup_victim(&nd);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto drop_write;
	}
	if (!d_is_dir(d)) {
		err = -ENOTDIR;
	} else if (d_mountpoint(d)) {
		err = -EBUSY;
	} else {
		down_write(&d->d_inode->i_rwsem);	/* nobody creates in it while we look */
		if (!dir->i_op || !dir->i_op->rmdir)
			err = -EPERM;		/* before emptiness, as Linux: rmdir /proc/1 is EPERM */
		else if (!(dir->i_sb->s_type->fs_flags & FS_RMDIR_NONEMPTY) && !simple_empty(d))
			err = -ENOTEMPTY;
		else if (!(err = dir->i_op->rmdir(dir, d)))
			d_drop(d);
		up_write(&d->d_inode->i_rwsem);
	}
	dput(d);
	up_write(&dir->i_rwsem);
drop_write:
	mnt_drop_write(nd.path.mnt);
out:
	terminate_walk(&nd);
	return err;
}

/* Lock two directories for rename: an ancestor before its descendant. */
static void lock_rename(struct dentry *p1, struct dentry *p2)
{
	mutex_lock(&rename_mutex);
	if (p1 == p2) {
		down_write(&p1->d_inode->i_rwsem);
	} else if (is_subdir(p1, p2)) {
		down_write(&p2->d_inode->i_rwsem);
		down_write(&p1->d_inode->i_rwsem);
	} else {
		down_write(&p1->d_inode->i_rwsem);
		down_write(&p2->d_inode->i_rwsem);
	}
}

static void unlock_rename(struct dentry *p1, struct dentry *p2)
{
	up_write(&p1->d_inode->i_rwsem);
	if (p1 != p2)
		up_write(&p2->d_inode->i_rwsem);
	mutex_unlock(&rename_mutex);
}

/* The checks of rename(2) once both names are looked up; old is positive. */
static int may_rename(struct nameidata *o, struct dentry *old, struct nameidata *n, struct dentry *new)
{
	bool is_dir = d_is_dir(old);

	if (d_mountpoint(old) || d_mountpoint(new))
		return -EBUSY;
	if (is_dir && is_subdir(n->path.dentry, old))
		return -EINVAL;			/* into its own subtree */
	if (!new->d_inode)
		return 0;
	if (is_dir && !d_is_dir(new))
		return -ENOTDIR;
	if (!is_dir && d_is_dir(new))
		return -EISDIR;
	if (is_dir && is_subdir(o->path.dentry, new))
		return -ENOTEMPTY;		/* over an ancestor of the source */
	return 0;
}

int do_renameat(int olddfd, const char *oldname, int newdfd, const char *newname)
{
	struct nameidata o, n;
	struct dentry *old, *new;
	char *name = NULL;
	int err = path_parentat(olddfd, oldname, &o);

	if (err)
		return err;
	err = path_parentat(newdfd, newname, &n);
	if (err) {
		terminate_walk(&o);
		return err;
	}
	err = -EXDEV;
	if (o.path.mnt != n.path.mnt)
		goto out;
	err = -EBUSY;
	if (o.last_type != LAST_NORM || n.last_type != LAST_NORM)
		goto out;
	err = -ENOMEM;
	name = kmalloc(n.last_len + 1, GFP_KERNEL);
	if (!name)
		goto out;
	err = mnt_want_write(o.path.mnt);
	if (err)
		goto out;
	memcpy(name, n.last, n.last_len);
	name[n.last_len] = 0;

	struct inode *odir = o.path.dentry->d_inode, *ndir = n.path.dentry->d_inode;
	lock_rename(o.path.dentry, n.path.dentry);
	old = __lookup_hash(o.path.dentry, o.last, o.last_len);
	err = IS_ERR(old) ? PTR_ERR(old) : old->d_inode ? 0 : -ENOENT;
	if (err)
		goto unlock_old;
	new = __lookup_hash(n.path.dentry, n.last, n.last_len);
	err = IS_ERR(new) ? PTR_ERR(new) : 0;
	if (err)
		goto unlock_old;
	err = -ENOTDIR;
	if (!d_is_dir(old) && (o.trailing_slash || n.trailing_slash))
		goto unlock_new;
	err = 0;
	if (old == new || (new->d_inode && new->d_inode == old->d_inode))
		goto unlock_new;		/* the same file: nothing to do */
	err = may_rename(&o, old, &n, new);
	if (err)
		goto unlock_new;
	bool lock_victim = new->d_inode && d_is_dir(new);
	if (lock_victim) {			/* a directory replaced must be (and stay) empty */
		down_write(&new->d_inode->i_rwsem);
		err = simple_empty(new) ? 0 : -ENOTEMPTY;
	}
	if (!err)
		err = odir->i_op && odir->i_op->rename ? odir->i_op->rename(odir, old, ndir, new) : -EPERM;
	if (lock_victim)
		up_write(&new->d_inode->i_rwsem);
	if (!err) {
		d_drop(new);
		d_move(old, n.path.dentry, name, n.last_len);
		name = NULL;
	}
unlock_new:
	dput(new);
unlock_old:
	if (!IS_ERR(old))
		dput(old);
	unlock_rename(o.path.dentry, n.path.dentry);
	mnt_drop_write(o.path.mnt);
out:
	kfree(name);
	terminate_walk(&n);
	terminate_walk(&o);
	return err;
}

/* The system calls: copy the names in, apply the umask, call the above. */

static long mkdirat_user(int dfd, const char __user *pathname, umode_t mode)
{
	char *name = getname(pathname);

	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = do_mkdirat(dfd, name, mode & ~current_umask());
	putname(name);
	return err;
}

SYSCALL_DEFINE3(mkdirat, int, dfd, const char __user *, pathname, umode_t, mode)
{
	return mkdirat_user(dfd, pathname, mode);
}

SYSCALL_DEFINE2(mkdir, const char __user *, pathname, umode_t, mode)
{
	return mkdirat_user(AT_FDCWD, pathname, mode);
}

/*
 * mknod(2): a regular file (also for type 0), a device node, a FIFO or a
 * socket; a directory is -EPERM (that is mkdir's), anything else -EINVAL.
 * dev is user space's encoding (Linux's new_encode_dev()); Folio's device
 * numbers have 8-bit minors, so a larger one is -EINVAL.
 */
static long mknodat_user(int dfd, const char __user *pathname, umode_t mode, unsigned int dev)
{
	unsigned int major = (dev >> 8) & 0xfff, minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	bool is_dev = S_ISCHR(mode) || S_ISBLK(mode);
	if (is_dev && minor > 0xff)
		return -EINVAL;
	char *name = getname(pathname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = do_mknodat(dfd, name, (mode & S_IFMT) | (mode & S_IALLUGO & ~current_umask()),
			      is_dev ? MKDEV(major, minor) : 0);
	putname(name);
	return err;
}

SYSCALL_DEFINE4(mknodat, int, dfd, const char __user *, pathname, umode_t, mode, unsigned int, dev)
{
	return mknodat_user(dfd, pathname, mode, dev);
}

SYSCALL_DEFINE3(mknod, const char __user *, pathname, umode_t, mode, unsigned int, dev)
{
	return mknodat_user(AT_FDCWD, pathname, mode, dev);
}

static long rmdir_unlink_user(int dfd, const char __user *pathname, bool dir)
{
	char *name = getname(pathname);

	if (IS_ERR(name))
		return PTR_ERR(name);
	long err = dir ? do_rmdir(dfd, name) : do_unlinkat(dfd, name);
	putname(name);
	return err;
}

SYSCALL_DEFINE1(rmdir, const char __user *, pathname)
{
	return rmdir_unlink_user(AT_FDCWD, pathname, true);
}

SYSCALL_DEFINE1(unlink, const char __user *, pathname)
{
	return rmdir_unlink_user(AT_FDCWD, pathname, false);
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char __user *, pathname, int, flag)
{
	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	return rmdir_unlink_user(dfd, pathname, flag & AT_REMOVEDIR);
}

/* Two names in, for rename, symlink and link. */
static long two_names(int dfd1, const char __user *u1, int dfd2, const char __user *u2,
		      int (*fn)(int, const char *, int, const char *))
{
	char *n1 = getname(u1), *n2;
	long err;

	if (IS_ERR(n1))
		return PTR_ERR(n1);
	n2 = getname(u2);
	err = IS_ERR(n2) ? PTR_ERR(n2) : fn(dfd1, n1, dfd2, n2);
	if (!IS_ERR(n2))
		putname(n2);
	putname(n1);
	return err;
}

SYSCALL_DEFINE4(renameat, int, olddfd, const char __user *, oldname, int, newdfd, const char __user *, newname)
{
	return two_names(olddfd, oldname, newdfd, newname, do_renameat);
}

SYSCALL_DEFINE2(rename, const char __user *, oldname, const char __user *, newname)
{
	return two_names(AT_FDCWD, oldname, AT_FDCWD, newname, do_renameat);
}

SYSCALL_DEFINE2(link, const char __user *, oldname, const char __user *, newname)
{
	return two_names(AT_FDCWD, oldname, AT_FDCWD, newname, do_linkat);
}

static int symlink_fn(int unused, const char *target, int dfd, const char *name)
{
	(void)unused;
	return do_symlinkat(target, dfd, name);
}

SYSCALL_DEFINE2(symlink, const char __user *, target, const char __user *, linkpath)
{
	return two_names(AT_FDCWD, target, AT_FDCWD, linkpath, symlink_fn);
}
