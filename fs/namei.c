/*
 * Pathname lookup (Linux: the first half of fs/namei.c; the calls that
 * change names are in dir_ops.c).
 *
 * A walk starts at the process root (an absolute name), the working
 * directory, or a directory file descriptor (the *at() calls), and takes one
 * component at a time: "." stays, ".." goes up but never above the root,
 * repeated slashes count as one, the root of a mounted file system replaces
 * the dentry it is mounted on (and ".." at that root leaves through the
 * mount), and symbolic links are followed (40 per walk, 8 nested, else
 * -ELOOP) -- in the last component only when the caller asks; a /proc link
 * (->jump_link) leads straight to the object it names. The walk
 * holds a reference on the path it stands on (mount and dentry); that is
 * all it needs, since a referenced dentry stays valid (dcache.c) and a
 * referenced mount cannot be unmounted (namespace.c). Callers that
 * change a directory walk to its parent (path_parentat()) and look the last
 * component up themselves, under the directory's i_rwsem (__lookup_hash()).
 *
 * Locking: a plain lookup takes only dcache_lock (d_lookup()); a file
 * system with ->lookup is asked under the directory's i_rwsem, so two
 * walks cannot both add the same name. Crossing a mount takes mount_lock
 * (lookup_mnt(), follow_up()).
 */
#include <kernel/kernel.h>
#include <kernel/delay_point.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/fdtable.h>
#include <fs/fs_struct.h>
#include <fs/uapi.h>
#include "internal.h"
#include "mount.h"

#define MAXSYMLINKS 40
#define MAX_NESTED_LINKS 8

/* Copy a pathname from user space: -EFAULT, -ENAMETOOLONG (PATH_MAX with the NUL), -ENOENT if empty. */
char *getname_flags(const char __user *name, bool empty_ok)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);

	if (!buf)
		return ERR_PTR(-ENOMEM);
	long len = strncpy_from_user(buf, name, PATH_MAX);
	if (len < 0 || len == PATH_MAX || (!len && !empty_ok)) {
		kfree(buf);
		return ERR_PTR(len < 0 ? -EFAULT : len ? -ENAMETOOLONG : -ENOENT);
	}
	return buf;
}

void putname(char *name)
{
	kfree(name);
}

void terminate_walk(struct nameidata *nd)
{
	path_put(&nd->path);
	path_put(&nd->root);
	nd->path = nd->root = (struct path){ NULL, NULL };
}

/* Where a walk of name starts: the root, the working directory, or the directory dfd. */
static int path_init(struct nameidata *nd, int dfd, const char *name)
{
	memset(nd, 0, sizeof(*nd));
	if (!*name)
		return -ENOENT;		/* kernel callers too: "" names nothing */
	get_fs_root(current->fs, &nd->root);
	if (*name == '/') {
		nd->path = nd->root;
		path_get(&nd->path);
	} else if (dfd == AT_FDCWD) {
		get_fs_pwd(current->fs, &nd->path);
	} else {
		struct file *f = fget_raw(dfd);
		if (!f || !f->f_path.dentry || !d_is_dir(f->f_path.dentry)) {
			if (f)
				fput(f);
			path_put(&nd->root);
			return f ? -ENOTDIR : -EBADF;
		}
		nd->path = f->f_path;
		path_get(&nd->path);
		fput(f);
	}
	return 0;
}

/*
 * Step onto whatever is mounted on path, and onto what is mounted on that
 * (Linux: follow_mount()). The delay points hold a walk just before and
 * just after it takes its reference on the mount, for the tests of a walk
 * racing with umount.
 */
static void follow_mount(struct path *path)
{
	while (d_mountpoint(path->dentry)) {
		delay_point("follow_mount_before_lookup");
		struct vfsmount *m = lookup_mnt(path);
		if (!m)
			break;
		delay_point("follow_mount_stepped");
		path_put(path);
		path->mnt = m;
		path->dentry = dget(m->mnt_root);
	}
}

/* "..": the parent directory; at a mount's root, first out to what it covers; never above the root. */
static void follow_dotdot(struct nameidata *nd)
{
	while (!path_equal(&nd->path, &nd->root)) {
		if (nd->path.dentry != nd->path.mnt->mnt_root) {
			spin_lock(&dcache_lock);	/* a rename may move us meanwhile */
			struct dentry *parent = dget(nd->path.dentry->d_parent);
			spin_unlock(&dcache_lock);
			dput(nd->path.dentry);
			nd->path.dentry = parent;
			break;
		}
		if (!follow_up(&nd->path))
			break;			/* the top of the tree (a detached mount's root) */
	}
	follow_mount(&nd->path);
}

/* d_lookup(), dropping a dentry its file system says is stale (d_revalidate). */
static struct dentry *d_lookup_valid(struct dentry *dir, const char *name, int len)
{
	struct dentry *d = d_lookup(dir, name, len);

	if (d && d->d_op && d->d_op->d_revalidate && !d->d_op->d_revalidate(d)) {
		d_drop(d);
		dput(d);
		d = NULL;
	}
	return d;
}

/*
 * Look name up in dir, whose i_rwsem the caller holds for writing: the
 * child's dentry, referenced, negative if the name does not exist (it is
 * then in the tree until put, so a create can fill it in).
 */
struct dentry *__lookup_hash(struct dentry *dir, const char *name, int len)
{
	if (len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	struct dentry *d = d_lookup_valid(dir, name, len);
	if (d)
		return d;
	d = d_alloc(dir, name, len);
	if (!d)
		return ERR_PTR(-ENOMEM);
	const struct inode_operations *iop = dir->d_inode->i_op;
	if (iop && iop->lookup) {
		struct dentry *r = iop->lookup(dir->d_inode, d);
		if (r) {
			dput(d);
			d = r;
		}
	}
	return d;
}

/*
 * A lookup that only reads: the dentry tree first, then the file system's
 * ->lookup. A negative dentry found without i_rwsem may be one that another
 * task's ->lookup has put in the tree and not filled in yet (cgroupfs and
 * proc sleep there): look again under i_rwsem, which that lookup holds, so
 * the name is not reported missing while it is being found. (Linux marks
 * such a dentry in-lookup and makes others wait on it: d_alloc_parallel().)
 */
static struct dentry *lookup_walk(struct dentry *dir, const char *name, int len)
{
	struct dentry *d = d_lookup_valid(dir, name, len);
	struct inode *inode = dir->d_inode;

	if (d && !d->d_inode && inode->i_op && inode->i_op->lookup) {
		dput(d);
		d = NULL;
	}
	if (!d && inode->i_op && inode->i_op->lookup) {
		down_write(&inode->i_rwsem);
		d = __lookup_hash(dir, name, len);
		up_write(&inode->i_rwsem);
		if (IS_ERR(d))
			return d;
	}
	if (d && !d->d_inode) {
		dput(d);
		d = NULL;
	}
	return d ? d : ERR_PTR(-ENOENT);
}

static int link_path_walk(const char *name, struct nameidata *nd);
static int walk_component(struct nameidata *nd, const char *name, int len, bool follow);

/* Follow the symlink link found in nd->path: on success nd->path is its target. */
static int follow_link(struct nameidata *nd, struct path *link)
{
	const struct inode_operations *iop = link->dentry->d_inode->i_op;

	if (nd->depth >= MAX_NESTED_LINKS || ++nd->total_links > MAXSYMLINKS)
		return -ELOOP;
	if (READ_ONCE(link->mnt->mnt_flags) & MNT_NOSYMFOLLOW)
		return -ELOOP;
	if (iop && iop->jump_link) {	/* a /proc link: onto the object itself */
		struct path target;
		int err = iop->jump_link(link, &target);
		if (err)
			return err;
		path_put(&nd->path);
		nd->path = target;
		return 0;
	}
	const char *target = iop && iop->get_link ? iop->get_link(link->dentry) : ERR_PTR(-EINVAL);
	if (IS_ERR(target))
		return PTR_ERR(target);
	if (!*target)
		return -ENOENT;

	struct nameidata saved = *nd;	/* the caller's last component */
	nd->depth++;
	nd->trailing_slash = false;
	int err = link_path_walk(target, nd);
	if (!err)
		err = walk_last(nd, true);
	nd->depth--;
	nd->last = saved.last;
	nd->last_len = saved.last_len;
	nd->last_type = saved.last_type;
	nd->trailing_slash = saved.trailing_slash;
	return err;
}

/* Move nd->path to its child name[0..len), following a symlink there if follow. */
static int walk_component(struct nameidata *nd, const char *name, int len, bool follow)
{
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		follow_dotdot(nd);
		return 0;
	}
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	struct dentry *d = lookup_walk(nd->path.dentry, name, len);
	if (IS_ERR(d))
		return PTR_ERR(d);
	struct path next = { mntget(nd->path.mnt), d };
	follow_mount(&next);
	if (follow && S_ISLNK(next.dentry->d_inode->i_mode)) {
		int err = follow_link(nd, &next);
		path_put(&next);
		return err;
	}
	path_put(&nd->path);
	nd->path = next;
	return 0;
}

/* Walk every component but the last, which is left in nd->last. */
static int link_path_walk(const char *name, struct nameidata *nd)
{
	if (*name == '/') {
		path_put(&nd->path);
		nd->path = nd->root;
		path_get(&nd->path);
		while (*name == '/')
			name++;
	}
	if (!*name) {
		nd->last = name;
		nd->last_len = 0;
		nd->last_type = LAST_ROOT;
		return 0;
	}
	for (;;) {
		int len = 0;
		while (name[len] && name[len] != '/')
			len++;
		const char *next = name + len;
		bool slash = *next == '/';
		while (*next == '/')
			next++;
		if (!*next) {
			nd->last = name;
			nd->last_len = len;
			nd->trailing_slash = slash;
			nd->last_type = len == 1 && name[0] == '.' ? LAST_DOT :
					len == 2 && name[0] == '.' && name[1] == '.' ? LAST_DOTDOT : LAST_NORM;
			return 0;
		}
		int err = walk_component(nd, name, len, true);
		if (err)
			return err;
		if (!d_is_dir(nd->path.dentry))
			return -ENOTDIR;
		name = next;
	}
}

/* Walk the last component too; a trailing slash demands (and follows to) a directory. */
int walk_last(struct nameidata *nd, bool follow)
{
	int err = 0;

	if (nd->last_type == LAST_NORM)
		err = walk_component(nd, nd->last, nd->last_len, follow || nd->trailing_slash);
	else if (nd->last_type == LAST_DOTDOT)
		follow_dotdot(nd);
	if (!err && nd->trailing_slash && !d_is_dir(nd->path.dentry))
		err = -ENOTDIR;
	return err;
}

/* Walk to the directory of name's last component; on success the caller must path_put(nd). */
int path_parentat(int dfd, const char *name, struct nameidata *nd)
{
	int err = path_init(nd, dfd, name);

	if (err)
		return err;
	err = link_path_walk(name, nd);
	if (err)
		terminate_walk(nd);
	return err;
}

int kern_path_at(int dfd, const char *name, unsigned int flags, struct path *res)
{
	struct nameidata nd;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return err;
	err = walk_last(&nd, flags & LOOKUP_FOLLOW);
	if (!err && (flags & LOOKUP_DIRECTORY) && !d_is_dir(nd.path.dentry))
		err = -ENOTDIR;
	if (!err) {		/* the walk's references become the caller's: no put, which would clear MNT_EXPIRE's mark */
		*res = nd.path;
		nd.path = (struct path){ NULL, NULL };
	}
	terminate_walk(&nd);
	return err;
}

int user_path_at(int dfd, const char __user *uname, unsigned int flags, struct path *res)
{
	char *name = getname(uname);

	if (IS_ERR(name))
		return PTR_ERR(name);
	int err = kern_path_at(dfd, name, flags, res);
	putname(name);
	return err;
}

struct inode *user_path_inode(int dfd, const char __user *uname, int at_flags)
{
	char *name = getname_flags(uname, at_flags & AT_EMPTY_PATH);
	struct inode *inode;
	struct path path;

	if (IS_ERR(name))
		return (struct inode *)name;
	if (!*name) {		/* AT_EMPTY_PATH: dfd itself, which may be a pipe */
		putname(name);
		if (dfd == AT_FDCWD) {
			get_fs_pwd(current->fs, &path);
			inode = path.dentry->d_inode;
			ihold(inode);
			path_put(&path);
			return inode;
		}
		struct file *f = fget_raw(dfd);
		if (!f)
			return ERR_PTR(-EBADF);
		inode = f->f_inode;
		ihold(inode);
		fput(f);
		return inode;
	}
	int err = kern_path_at(dfd, name, (at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &path);
	putname(name);
	if (err)
		return ERR_PTR(err);
	inode = path.dentry->d_inode;
	ihold(inode);
	path_put(&path);
	return inode;
}
