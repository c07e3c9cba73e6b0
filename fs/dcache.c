/*
 * The dentry tree (Linux: fs/dcache.c, fs/d_path.c, fs/libfs.c): allocation
 * and reference counting of dentries, finding a child by name, moving one
 * (rename), building a path back from a dentry (getcwd, file_path), and the
 * readdir of directories that live in the tree.
 *
 * Lifetime: a dentry holds a reference on its parent and on its inode, so a
 * dentry in use keeps its whole path and its file alive. The last dput()
 * takes the dentry out of its parent's list and frees it, then drops the
 * parent. File systems that keep their names in the tree (ramfs) hold one
 * extra reference per linked name, so those dentries only die once unlinked.
 * There is no LRU of unused dentries: Linux keeps them cached; Folio's
 * lookups are cheap enough without.
 *
 * Locking: dcache_lock guards the lists, d_flags, d_name/d_parent and the
 * last decrement of d_count, so a lookup under the lock never finds a
 * dentry being freed. It is a spinlock: nothing under it sleeps.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <kernel/syscalls.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/fs_struct.h>
#include <fs/uapi.h>
#include "internal.h"
#include "mount.h"

DEFINE_SPINLOCK(dcache_lock);

struct dentry *dget(struct dentry *d)
{
	if (d)
		__atomic_add_fetch(&d->d_count, 1, __ATOMIC_RELAXED);
	return d;
}

static void d_free(struct dentry *d)
{
	if (d->d_name != d->d_iname)
		kfree(d->d_name);
	kfree(d);
}

void dput(struct dentry *d)
{
	while (d) {
		spin_lock(&dcache_lock);
		int n = __atomic_sub_fetch(&d->d_count, 1, __ATOMIC_ACQ_REL);
		if (n > 0) {
			spin_unlock(&dcache_lock);
			return;
		}
		WARN_ON(n < 0 || !list_empty(&d->d_subdirs));
		if (!(d->d_flags & DCACHE_UNHASHED)) {
			list_del_init(&d->d_child);
			d->d_flags |= DCACHE_UNHASHED;
		}
		spin_unlock(&dcache_lock);

		struct dentry *parent = IS_ROOT(d) ? NULL : d->d_parent;
		iput(d->d_inode);
		d_free(d);
		d = parent;	/* the reference d held on it */
	}
}

static struct dentry *__d_alloc(struct super_block *sb, const char *name, unsigned int len)
{
	struct dentry *d = kzalloc(sizeof(*d), GFP_KERNEL);
	char *dname = d ? d->d_iname : NULL;

	if (d && len >= DNAME_INLINE_LEN && !(dname = kmalloc(len + 1, GFP_KERNEL))) {
		kfree(d);
		return NULL;
	}
	if (!d)
		return NULL;
	memcpy(dname, name, len);
	dname[len] = 0;
	d->d_name = dname;
	d->d_len = len;
	d->d_count = 1;
	d->d_sb = sb;
	d->d_parent = d;
	INIT_LIST_HEAD(&d->d_child);
	INIT_LIST_HEAD(&d->d_subdirs);
	return d;
}

struct dentry *d_alloc(struct dentry *parent, const char *name, unsigned int len)
{
	struct dentry *d = __d_alloc(parent->d_sb, name, len);

	if (!d)
		return NULL;
	d->d_parent = dget(parent);
	spin_lock(&dcache_lock);
	list_add_tail(&d->d_child, &parent->d_subdirs);
	spin_unlock(&dcache_lock);
	return d;
}

struct dentry *d_make_root(struct inode *root)
{
	struct dentry *d = root ? __d_alloc(root->i_sb, "/", 1) : NULL;

	if (d)
		d->d_inode = root;
	else
		iput(root);
	return d;
}

void d_instantiate(struct dentry *d, struct inode *inode)
{
	spin_lock(&dcache_lock);
	WARN_ON(d->d_inode);
	d->d_inode = inode;
	spin_unlock(&dcache_lock);
}

void d_drop(struct dentry *d)
{
	spin_lock(&dcache_lock);
	if (!(d->d_flags & DCACHE_UNHASHED)) {
		list_del_init(&d->d_child);
		d->d_flags |= DCACHE_UNHASHED;
	}
	spin_unlock(&dcache_lock);
}

struct dentry *d_lookup(struct dentry *parent, const char *name, unsigned int len)
{
	struct dentry *d, *found = NULL;

	spin_lock(&dcache_lock);
	list_for_each_entry(d, &parent->d_subdirs, d_child) {
		if (d->d_len == len && !memcmp(d->d_name, name, len)) {
			found = dget(d);
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return found;
}

bool simple_empty(struct dentry *dir)
{
	struct dentry *d;
	bool empty = true;

	spin_lock(&dcache_lock);
	list_for_each_entry(d, &dir->d_subdirs, d_child)
		if (d->d_inode) {
			empty = false;
			break;
		}
	spin_unlock(&dcache_lock);
	return empty;
}

/* d is a, or lies below a (same file system). */
bool is_subdir(struct dentry *d, struct dentry *a)
{
	bool ret = false;

	spin_lock(&dcache_lock);
	for (;;) {
		if (d == a) {
			ret = true;
			break;
		}
		if (IS_ROOT(d))
			break;
		d = d->d_parent;
	}
	spin_unlock(&dcache_lock);
	return ret;
}

/*
 * Rename: give d the name newname (a kmalloc'd copy of len bytes, consumed)
 * under newparent. The caller holds both directories' i_rwsem and has
 * dropped whatever had the new name.
 */
void d_move(struct dentry *d, struct dentry *newparent, char *newname, unsigned int len)
{
	const char *oldname = NULL;
	struct dentry *oldparent;

	dget(newparent);
	spin_lock(&dcache_lock);
	if (d->d_name != d->d_iname)
		oldname = d->d_name;
	if (len < DNAME_INLINE_LEN) {
		memcpy(d->d_iname, newname, len + 1);
		d->d_name = d->d_iname;
	} else {
		d->d_name = newname;
		newname = NULL;
	}
	d->d_len = len;
	oldparent = d->d_parent;
	d->d_parent = newparent;
	list_del(&d->d_child);
	list_add_tail(&d->d_child, &newparent->d_subdirs);
	spin_unlock(&dcache_lock);
	kfree(newname);
	kfree(oldname);
	dput(oldparent);
}

/* Put name[0..len) and a '/' before *p, if they fit after buf. */
static bool prepend_name(char **p, char *buf, const char *name, unsigned int len)
{
	if (*p - buf < (long)len + 1)
		return false;
	*p -= len;
	memcpy(*p, name, len);
	*--*p = '/';
	return true;
}

/*
 * Walk up from path to root, leaving through each mount's root to what it
 * covers, and write the names backwards (Linux: prepend_path()). Under
 * mount_lock and dcache_lock, so neither mounts nor renames move a piece
 * meanwhile.
 */
char *__d_path(const struct path *path, const struct path *root, char *buf, int buflen, bool *reached)
{
	struct dentry *d = path->dentry;
	struct mount *mnt = real_mount(path->mnt);
	char *p = buf + buflen;
	bool ok = true, at_root = false;

	if (buflen < 2)
		return ERR_PTR(-ENAMETOOLONG);
	*--p = 0;
	spin_lock(&mount_lock);
	spin_lock(&dcache_lock);
	while (ok && !(d == root->dentry && &mnt->mnt == root->mnt)) {
		if (d == mnt->mnt.mnt_root || IS_ROOT(d)) {
			if (mnt->mnt_parent == mnt || d != mnt->mnt.mnt_root)
				break;		/* the top of the tree, and not root: root is not above path */
			d = mnt->mnt_mountpoint;
			mnt = mnt->mnt_parent;
			continue;
		}
		ok = prepend_name(&p, buf, d->d_name, d->d_len);
		d = d->d_parent;
	}
	at_root = d == root->dentry && &mnt->mnt == root->mnt;
	spin_unlock(&dcache_lock);
	spin_unlock(&mount_lock);
	if (!ok)
		return ERR_PTR(-ENAMETOOLONG);
	if (reached)
		*reached = at_root;
	if (!*p)
		*--p = '/';
	return p;
}

/*
 * The name of path as the caller sees it, from its root, " (deleted)"
 * appended once unlinked (Linux: d_path()): readlink of /proc's links.
 * Points into buf, or ERR_PTR(-ENAMETOOLONG).
 */
char *d_path(const struct path *path, char *buf, int buflen)
{
	static const char deleted[] = " (deleted)";
	struct path root;
	char *p;

	if (buflen < (int)sizeof(deleted))
		return ERR_PTR(-ENAMETOOLONG);
	get_fs_root(current->fs, &root);
	p = __d_path(path, &root, buf, buflen - (int)(sizeof(deleted) - 1), NULL);
	path_put(&root);
	if (!IS_ERR(p) && d_unlinked(path->dentry))
		memcpy(p + strlen(p), deleted, sizeof(deleted));
	return p;
}

char *dentry_path_raw(struct dentry *d, char *buf, int buflen)
{
	char *p = buf + buflen;
	bool ok = buflen >= 2;

	if (ok)
		*--p = 0;
	spin_lock(&dcache_lock);
	for (; ok && !IS_ROOT(d); d = d->d_parent)
		ok = prepend_name(&p, buf, d->d_name, d->d_len);
	spin_unlock(&dcache_lock);
	if (!ok)
		return ERR_PTR(-ENAMETOOLONG);
	if (!*p)
		*--p = '/';
	return p;
}

/* Unlinked: no longer reachable by name (a root is always reachable). */
bool d_unlinked(struct dentry *d)
{
	return (READ_ONCE(d->d_flags) & DCACHE_UNHASHED) && !IS_ROOT(d);
}

/*
 * getcwd(): the length with the NUL, -ERANGE if size is too small, -ENOENT
 * if the cwd was removed. A cwd the root is not above (its mount was
 * detached by a lazy umount) reads "(unreachable)/...", as in Linux.
 */
SYSCALL_DEFINE2(getcwd, char __user *, buf, unsigned long, size)
{
	static const char unreachable[] = "(unreachable)";
	char *page = kmalloc(PATH_MAX, GFP_KERNEL);
	struct path root, pwd;
	long ret = -ENOMEM;
	bool reached;

	get_fs_root(current->fs, &root);
	get_fs_pwd(current->fs, &pwd);
	if (page) {
		char *p = __d_path(&pwd, &root, page, PATH_MAX, &reached);
		ret = -ENOENT;
		if (!IS_ERR(p) && !reached) {
			if (p - page < (long)sizeof(unreachable) - 1)
				p = ERR_PTR(-ENAMETOOLONG);
			else
				p = memcpy(p - (sizeof(unreachable) - 1), unreachable, sizeof(unreachable) - 1);
		}
		if (IS_ERR(p))
			ret = PTR_ERR(p);
		else if (!d_unlinked(pwd.dentry)) {
			unsigned long len = page + PATH_MAX - p;
			ret = len > size ? -ERANGE : copy_to_user(buf, p, len) ? -EFAULT : (long)len;
		}
	}
	kfree(page);
	path_put(&pwd);
	path_put(&root);
	return ret;
}

/*
 * kill_litter_super(): drop the pin of every name below root, deepest
 * first, so each dentry dies with its pin (and frees its parent's last child
 * reference). Nobody else uses the tree any more: its last mount is gone.
 * Iterative, since a directory tree may be deeper than the kernel stack.
 */
void d_genocide(struct dentry *root)
{
	struct dentry *d = root;

	spin_lock(&dcache_lock);
	for (;;) {
		if (!list_empty(&d->d_subdirs)) {
			d = list_first_entry(&d->d_subdirs, struct dentry, d_child);
			continue;
		}
		if (d == root)
			break;
		struct dentry *parent = d->d_parent;
		bool pinned = d->d_inode != NULL;	/* a negative child is someone's, not a pin */
		list_del_init(&d->d_child);
		d->d_flags |= DCACHE_UNHASHED;
		spin_unlock(&dcache_lock);
		if (pinned)
			dput(d);
		spin_lock(&dcache_lock);
		d = parent;
	}
	spin_unlock(&dcache_lock);
}

unsigned int dt_type(const struct inode *inode)
{
	return (inode->i_mode & S_IFMT) >> 12;	/* DT_* are the S_IF* type bits shifted down */
}

/*
 * readdir for directories kept in the tree: ".", "..", then the positive
 * children in list order; ctx->pos counts entries. The directory's i_rwsem
 * (held for reading by iterate_dir()) keeps names from being added, removed
 * or renamed meanwhile, and the reference on the current child keeps it in
 * the list while the actor copies to user space, where it may fault.
 */
int dcache_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->f_path.dentry, *d, *prev = NULL;
	loff_t n = 2;
	u64 parent_ino;

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, dir->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		spin_lock(&dcache_lock);	/* a rename may move dir meanwhile */
		parent_ino = dir->d_parent->d_inode->i_ino;
		spin_unlock(&dcache_lock);
		if (!dir_emit(ctx, "..", 2, parent_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	spin_lock(&dcache_lock);
	list_for_each_entry(d, &dir->d_subdirs, d_child) {
		if (!d->d_inode || n++ < ctx->pos)
			continue;
		dget(d);
		spin_unlock(&dcache_lock);
		dput(prev);
		prev = d;
		if (!dir_emit(ctx, d->d_name, d->d_len, d->d_inode->i_ino, dt_type(d->d_inode))) {
			dput(prev);
			return 0;
		}
		ctx->pos++;
		spin_lock(&dcache_lock);
	}
	spin_unlock(&dcache_lock);
	dput(prev);
	return 0;
}

const struct file_operations simple_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate = dcache_readdir,
};
