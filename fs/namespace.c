/*
 * The name space: the mount tree, mount(2), umount2(2), and the boot-time
 * setup of the root (Linux: fs/namespace.c, init/do_mounts.c,
 * init/initramfs.c's populate_rootfs()). Folio has one name space.
 *
 * A mount is made by a file system type's ->mount (vfs_kern_mount()), then
 * attached on a directory of another mount (attach_mnt()): path walks step
 * into it there (lookup_mnt()) and ".." at its root steps back out
 * (follow_up()). umount detaches a mount that nobody uses (EBUSY
 * otherwise); MNT_DETACH detaches a busy one and its sub-mounts at once and
 * leaves the rest to the last mntput(). What a mount is made of (struct
 * mount) and the locks (namespace_sem, mount_lock) are described in
 * fs/mount.h.
 */
#include <kernel/kernel.h>
#include <kernel/bootinfo.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <arch/page.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <uapi/mount.h>
#include <fs/dcache.h>
#include <fs/fs_struct.h>
#include <fs/proc_fs.h>
#include <fs/anon_inodes.h>
#include <kernel/cgroup.h>
#include <fs/uapi.h>
#include "internal.h"
#include "mount.h"

DECLARE_RWSEM(namespace_sem);
DEFINE_SPINLOCK(mount_lock);
LIST_HEAD(mount_table);
struct path init_root;		/* the root of the name space: rootfs's root directory */

/* Mount ids, lowest free first from 1 (Linux's mnt_id_ida); mount_lock guards the bitmap. */
#define MAX_MOUNTS 1024
static unsigned long mnt_ids[MAX_MOUNTS / BITS_PER_LONG];

static int alloc_mnt_id(void)
{
	int id = -ENOSPC;

	spin_lock(&mount_lock);
	for (int i = 1; i < MAX_MOUNTS; i++)
		if (!(mnt_ids[i / BITS_PER_LONG] & (1UL << (i % BITS_PER_LONG)))) {
			mnt_ids[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
			id = i;
			break;
		}
	spin_unlock(&mount_lock);
	return id;
}

static void free_mnt_id(int id)
{
	spin_lock(&mount_lock);
	mnt_ids[id / BITS_PER_LONG] &= ~(1UL << (id % BITS_PER_LONG));
	spin_unlock(&mount_lock);
}

static struct mount *alloc_vfsmnt(const char *name)
{
	struct mount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);

	if (!mnt)
		return ERR_PTR(-ENOMEM);
	mnt->mnt_devname = kstrdup(name ? name : "none", GFP_KERNEL);
	mnt->mnt_id = alloc_mnt_id();
	if (!mnt->mnt_devname || mnt->mnt_id < 0) {
		int err = mnt->mnt_devname ? mnt->mnt_id : -ENOMEM;
		if (mnt->mnt_id > 0)
			free_mnt_id(mnt->mnt_id);
		kfree(mnt->mnt_devname);
		kfree(mnt);
		return ERR_PTR(err);
	}
	mnt->mnt_count = 1;
	mnt->mnt_parent = mnt;
	INIT_LIST_HEAD(&mnt->mnt_mounts);
	INIT_LIST_HEAD(&mnt->mnt_child);
	INIT_LIST_HEAD(&mnt->mnt_instance);
	INIT_LIST_HEAD(&mnt->mnt_list);
	INIT_LIST_HEAD(&mnt->mnt_umount);
	return mnt;
}

/* Give mnt its root (a reference, with the super block active) and list it with the super block. */
static void set_mnt_root(struct mount *mnt, struct dentry *root)
{
	mnt->mnt.mnt_root = root;
	mnt->mnt.mnt_sb = root->d_sb;
	mnt->mnt_mountpoint = root;	/* not attached: covers nothing */
	spin_lock(&mount_lock);
	list_add_tail(&mnt->mnt_instance, &root->d_sb->s_mounts);
	spin_unlock(&mount_lock);
}

struct vfsmount *vfs_kern_mount(struct file_system_type *type, int flags, const char *name, void *data)
{
	struct mount *mnt = alloc_vfsmnt(name);

	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	struct dentry *root = type->mount(type, flags, name, data);
	if (IS_ERR(root)) {
		free_mnt_id(mnt->mnt_id);
		kfree(mnt->mnt_devname);
		kfree(mnt);
		return ERR_CAST(root);
	}
	set_mnt_root(mnt, root);
	return &mnt->mnt;
}

struct vfsmount *kern_mount(struct file_system_type *type)
{
	return vfs_kern_mount(type, SB_KERNMOUNT, type->name, NULL);
}

/* A new mount of what old shows, from root (a dentry of old's file system) down: a bind mount. */
static struct mount *clone_mnt(struct mount *old, struct dentry *root)
{
	struct mount *mnt = alloc_vfsmnt(old->mnt_devname);

	if (IS_ERR(mnt))
		return mnt;
	activate_super(old->mnt.mnt_sb);
	set_mnt_root(mnt, dget(root));
	mnt->mnt.mnt_flags = READ_ONCE(old->mnt.mnt_flags);
	return mnt;
}

/* The last reference to a detached mount is gone: free it, and maybe its file system. */
static void cleanup_mnt(struct mount *mnt)
{
	might_sleep();
	WARN_ON(!list_empty(&mnt->mnt_list) || mnt->mnt_parent != mnt);
	spin_lock(&mount_lock);
	list_del(&mnt->mnt_instance);
	spin_unlock(&mount_lock);
	dput(mnt->mnt.mnt_root);
	deactivate_super(mnt->mnt.mnt_sb);
	free_mnt_id(mnt->mnt_id);
	kfree(mnt->mnt_devname);
	kfree(mnt);
}

struct vfsmount *mntget(struct vfsmount *m)
{
	if (m)
		__atomic_add_fetch(&real_mount(m)->mnt_count, 1, __ATOMIC_RELAXED);
	return m;
}

static void mntput_no_expire(struct mount *mnt)
{
	int n = __atomic_sub_fetch(&mnt->mnt_count, 1, __ATOMIC_ACQ_REL);

	WARN_ON(n < 0);
	if (!n)
		cleanup_mnt(mnt);
}

void mntput(struct vfsmount *m)
{
	if (!m)
		return;
	struct mount *mnt = real_mount(m);
	if (READ_ONCE(mnt->mnt_expiry_mark))
		WRITE_ONCE(mnt->mnt_expiry_mark, 0);	/* used again: MNT_EXPIRE starts over */
	mntput_no_expire(mnt);
}

void path_get(const struct path *path)
{
	mntget(path->mnt);
	dget(path->dentry);
}

void path_put(const struct path *path)
{
	dput(path->dentry);
	mntput(path->mnt);
}

/* The mount sitting on dentry of mnt; mount_lock held. */
static struct mount *__lookup_mnt(struct mount *mnt, struct dentry *dentry)
{
	struct mount *child;

	list_for_each_entry(child, &mnt->mnt_mounts, mnt_child)
		if (child->mnt_mountpoint == dentry)
			return child;
	return NULL;
}

struct vfsmount *lookup_mnt(const struct path *path)
{
	struct mount *child;

	spin_lock(&mount_lock);
	child = __lookup_mnt(real_mount(path->mnt), path->dentry);
	if (child)
		mntget(&child->mnt);
	spin_unlock(&mount_lock);
	return child ? &child->mnt : NULL;
}

bool follow_up(struct path *path)
{
	struct mount *mnt = real_mount(path->mnt), *parent;
	struct dentry *mountpoint;

	spin_lock(&mount_lock);
	parent = mnt->mnt_parent;
	if (parent == mnt) {
		spin_unlock(&mount_lock);
		return false;
	}
	mntget(&parent->mnt);
	mountpoint = dget(mnt->mnt_mountpoint);
	spin_unlock(&mount_lock);
	path_put(path);
	path->mnt = &parent->mnt;
	path->dentry = mountpoint;
	return true;
}

/* mnt is in the name space (not detached, not a kernel mount). */
static bool check_mnt(struct mount *mnt)
{
	return !list_empty(&mnt->mnt_list);
}

/*
 * Mount mnt on mountpoint of parent; namespace_sem held for writing. A new
 * mount joins the end of mount_table, and its reference becomes the tree's;
 * a moved one keeps both.
 */
static void attach_mnt(struct mount *mnt, struct mount *parent, struct dentry *mountpoint)
{
	spin_lock(&mount_lock);
	mnt->mnt_parent = parent;
	mntget(&parent->mnt);
	mnt->mnt_mountpoint = dget(mountpoint);
	WRITE_ONCE(mountpoint->d_mounted, mountpoint->d_mounted + 1);
	list_add_tail(&mnt->mnt_child, &parent->mnt_mounts);
	if (list_empty(&mnt->mnt_list))
		list_add_tail(&mnt->mnt_list, &mount_table);
	spin_unlock(&mount_lock);
}

/*
 * Take mnt off its mount point, keeping its place in mount_table (a move);
 * namespace_sem held for writing. The references it held on its parent and
 * mount point go to the caller, to drop once the locks are released.
 */
static void detach_mnt(struct mount *mnt, struct mount **parent, struct dentry **mountpoint)
{
	spin_lock(&mount_lock);
	*parent = mnt->mnt_parent;
	*mountpoint = mnt->mnt_mountpoint;
	WRITE_ONCE((*mountpoint)->d_mounted, (*mountpoint)->d_mounted - 1);
	list_del_init(&mnt->mnt_child);
	mnt->mnt_parent = mnt;
	mnt->mnt_mountpoint = mnt->mnt.mnt_root;
	spin_unlock(&mount_lock);
}

/*
 * Take mnt and every mount below it out of the name space; namespace_sem
 * and mount_lock held. Each goes on the list kill, still holding the
 * references the tree gave it, for release_mounts() to drop once the locks
 * are released. Detached mounts are not kept together: each becomes its own
 * root, so ".." at its root goes nowhere.
 */
static void umount_tree(struct mount *mnt, struct list_head *kill)
{
	struct mount *m, *child;

	list_add_tail(&mnt->mnt_umount, kill);
	list_for_each_entry(m, kill, mnt_umount)	/* breadth first: children join the end */
		list_for_each_entry(child, &m->mnt_mounts, mnt_child)
			list_add_tail(&child->mnt_umount, kill);
	list_for_each_entry(m, kill, mnt_umount) {
		list_del_init(&m->mnt_list);
		m->mnt_ex_parent = NULL;
		if (m->mnt_parent == m)
			continue;
		WRITE_ONCE(m->mnt_mountpoint->d_mounted, m->mnt_mountpoint->d_mounted - 1);
		list_del_init(&m->mnt_child);
		m->mnt_ex_parent = m->mnt_parent;
		m->mnt_ex_mountpoint = m->mnt_mountpoint;
		m->mnt_parent = m;
		m->mnt_mountpoint = m->mnt.mnt_root;
	}
}

/*
 * The references umount_tree() left: each mount's on its old parent and
 * mount point, and the tree's on the mount itself. Called without locks;
 * the last mntput() frees a mount and may kill its file system.
 */
static void release_mounts(struct list_head *kill)
{
	struct mount *m, *next;

	list_for_each_entry_safe(m, next, kill, mnt_umount) {
		list_del_init(&m->mnt_umount);
		if (m->mnt_ex_parent) {
			dput(m->mnt_ex_mountpoint);
			mntput(&m->mnt_ex_parent->mnt);
		}
		mntput(&m->mnt);
	}
}

int mnt_want_write(struct vfsmount *m)
{
	int err = 0;

	spin_lock(&mount_lock);
	if (__mnt_is_readonly(m))
		err = -EROFS;
	else
		real_mount(m)->mnt_writers++;
	spin_unlock(&mount_lock);
	return err;
}

void mnt_drop_write(struct vfsmount *m)
{
	spin_lock(&mount_lock);
	WARN_ON(--real_mount(m)->mnt_writers < 0);
	spin_unlock(&mount_lock);
}

/* ---- umount2(2) ---- */

/* MNT_EXPIRE: unmount only if unused, and only on the second call in a row (EAGAIN on the first). */
static int expire_mount(struct mount *mnt, int flags)
{
	struct path root;
	int err = 0;

	get_fs_root(current->fs, &root);
	if (root.mnt == &mnt->mnt || (flags & (MNT_FORCE | MNT_DETACH)))
		err = -EINVAL;
	path_put(&root);
	if (err)
		return err;
	spin_lock(&mount_lock);
	if (__atomic_load_n(&mnt->mnt_count, __ATOMIC_RELAXED) != 2)
		err = -EBUSY;
	else if (!__atomic_exchange_n(&mnt->mnt_expiry_mark, 1, __ATOMIC_RELAXED))
		err = -EAGAIN;
	spin_unlock(&mount_lock);
	return err;
}

/*
 * Unmount mnt, which the caller found as the root of a mount and holds one
 * reference on. Busy (EBUSY): anyone else holds it (an open file, a working
 * directory, a walk in progress) or something is mounted below it. MNT_FORCE
 * has nothing to abort in Folio's file systems and unmounts as usual.
 */
static int do_umount(struct mount *mnt, int flags)
{
	LIST_HEAD(kill);
	int err = 0;

	if (flags & MNT_EXPIRE) {
		err = expire_mount(mnt, flags);
		if (err)
			return err;
	}
	down_write(&namespace_sem);
	spin_lock(&mount_lock);
	if (!check_mnt(mnt) || mnt->mnt_parent == mnt)
		err = -EINVAL;		/* detached meanwhile, or the root of the name space */
	else if (!(flags & MNT_DETACH) && (!list_empty(&mnt->mnt_mounts) ||
					   __atomic_load_n(&mnt->mnt_count, __ATOMIC_RELAXED) > 2))
		err = -EBUSY;
	else
		umount_tree(mnt, &kill);
	spin_unlock(&mount_lock);
	up_write(&namespace_sem);
	release_mounts(&kill);
	return err;
}

int path_umount(struct path *path, int flags)
{
	struct mount *mnt = real_mount(path->mnt);
	int err;

	if (path->dentry != path->mnt->mnt_root || !check_mnt(mnt))
		err = -EINVAL;		/* not a mount point */
	else
		err = do_umount(mnt, flags);
	/* Not path_put(): that would clear the mark MNT_EXPIRE just set. */
	dput(path->dentry);
	mntput_no_expire(mnt);
	return err;
}

SYSCALL_DEFINE2(umount2, char __user *, name, int, flags)
{
	struct path path;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	int err = user_path_at(AT_FDCWD, name, (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &path);
	return err ? err : path_umount(&path, flags);
}

/* ---- mount(2) ---- */

/*
 * Lock the place path names for mounting on it: whatever is mounted there
 * already becomes the place (a new mount goes on top of the topmost, as in
 * Linux). Holds the mount point's i_rwsem, which keeps rmdir from removing
 * it meanwhile (rmdir tests d_mounted under it), then namespace_sem. Returns
 * the inode to give unlock_mount().
 */
static struct inode *lock_mount(struct path *path)
{
	for (;;) {
		struct inode *dir = path->dentry->d_inode;
		down_write(&dir->i_rwsem);
		down_write(&namespace_sem);
		struct vfsmount *top = lookup_mnt(path);
		if (!top)
			return dir;
		up_write(&namespace_sem);
		up_write(&dir->i_rwsem);
		path_put(path);
		path->mnt = top;
		path->dentry = dget(top->mnt_root);
	}
}

static void unlock_mount(struct inode *dir)
{
	up_write(&namespace_sem);
	up_write(&dir->i_rwsem);
}

/* Whether mnt may go on path (locked by lock_mount()): 0 or Linux's errno. */
static int may_mount_on(struct mount *mnt, const struct path *path)
{
	if (d_unlinked(path->dentry))
		return -ENOENT;
	if (!check_mnt(real_mount(path->mnt)))
		return -EINVAL;
	if (path->mnt->mnt_sb == mnt->mnt.mnt_sb && path->mnt->mnt_root == path->dentry)
		return -EBUSY;		/* the same file system on its own root again */
	if (S_ISLNK(mnt->mnt.mnt_root->d_inode->i_mode))
		return -EINVAL;
	if (d_is_dir(path->dentry) != d_is_dir(mnt->mnt.mnt_root))
		return -ENOTDIR;
	return 0;
}

/* Attach mnt on path: 0 and mnt belongs to the tree, or an error and it is still the caller's. */
static int do_add_mount(struct mount *mnt, struct path *path)
{
	struct inode *dir = lock_mount(path);
	int err = may_mount_on(mnt, path);

	if (!err)
		attach_mnt(mnt, real_mount(path->mnt), path->dentry);
	unlock_mount(dir);
	return err;
}

/*
 * MS_MOVE: take the mount at old_name, with everything mounted below it,
 * off its mount point and put it on path. Its place in mount_table stays,
 * as in Linux.
 */
static int do_move_mount(struct path *path, const char *old_name)
{
	struct path old;

	if (!old_name || !*old_name)
		return -EINVAL;
	int err = kern_path_at(AT_FDCWD, old_name, LOOKUP_FOLLOW, &old);
	if (err)
		return err;
	struct mount *mnt = real_mount(old.mnt), *parent = NULL, *p;
	struct dentry *mountpoint = NULL;
	struct inode *dir = lock_mount(path);
	err = -EINVAL;
	if (!check_mnt(mnt) || old.dentry != old.mnt->mnt_root || mnt->mnt_parent == mnt)
		goto out;		/* not a mount, or the root of the name space */
	err = may_mount_on(mnt, path);
	if (err)
		goto out;
	err = -ELOOP;
	for (p = real_mount(path->mnt); p->mnt_parent != p; p = p->mnt_parent)
		if (p == mnt)
			goto out;	/* into itself */
	err = 0;
	detach_mnt(mnt, &parent, &mountpoint);
	attach_mnt(mnt, real_mount(path->mnt), path->dentry);
out:
	unlock_mount(dir);
	if (parent) {
		dput(mountpoint);
		mntput(&parent->mnt);
	}
	path_put(&old);
	return err;
}

/* MS_* flags to the mount's own MNT_* (Linux: path_mount()). */
static int ms_to_mnt_flags(unsigned long flags, const struct path *path)
{
	int mnt_flags = 0;

	if (!(flags & MS_NOATIME))
		mnt_flags |= MNT_RELATIME;	/* the default, unless noatime */
	if (flags & MS_NOSUID)
		mnt_flags |= MNT_NOSUID;
	if (flags & MS_NODEV)
		mnt_flags |= MNT_NODEV;
	if (flags & MS_NOEXEC)
		mnt_flags |= MNT_NOEXEC;
	if (flags & MS_NOATIME)
		mnt_flags |= MNT_NOATIME;
	if (flags & MS_NODIRATIME)
		mnt_flags |= MNT_NODIRATIME;
	if (flags & MS_STRICTATIME)
		mnt_flags &= ~(MNT_RELATIME | MNT_NOATIME);
	if (flags & MS_RDONLY)
		mnt_flags |= MNT_READONLY;
	if (flags & MS_NOSYMFOLLOW)
		mnt_flags |= MNT_NOSYMFOLLOW;
	/* A remount that names no atime option keeps the mount's. */
	if ((flags & MS_REMOUNT) && !(flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME))) {
		mnt_flags &= ~MNT_ATIME_MASK;
		mnt_flags |= READ_ONCE(path->mnt->mnt_flags) & MNT_ATIME_MASK;
	}
	return mnt_flags;
}

static int do_new_mount(struct path *path, const char *fstype, int sb_flags, int mnt_flags,
			const char *name, void *data)
{
	if (!fstype)
		return -EINVAL;
	struct file_system_type *type = get_fs_type(fstype);
	if (!type)
		return -ENODEV;
	struct vfsmount *m = vfs_kern_mount(type, sb_flags, name, data);
	if (IS_ERR(m))
		return PTR_ERR(m);
	m->mnt_flags = mnt_flags;
	int err = do_add_mount(real_mount(m), path);
	if (err)
		mntput(m);
	return err;
}

/* MS_BIND: mount what old_name shows on path too (without the mounts below it: no MS_REC). */
static int do_loopback(struct path *path, const char *old_name, bool recurse)
{
	struct path old;

	if (!old_name || !*old_name)
		return -EINVAL;
	if (recurse)
		return -EINVAL;		/* copying a tree of mounts is left out */
	int err = kern_path_at(AT_FDCWD, old_name, LOOKUP_FOLLOW, &old);
	if (err)
		return err;
	struct mount *mnt = check_mnt(real_mount(old.mnt)) ? clone_mnt(real_mount(old.mnt), old.dentry)
							  : ERR_PTR(-EINVAL);
	path_put(&old);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	err = do_add_mount(mnt, path);
	if (err)
		mntput(&mnt->mnt);
	return err;
}

/* Nobody may write to sb now: no mount of it has write access; mount_lock held. */
static bool sb_writers_none(struct super_block *sb)
{
	struct mount *m;

	list_for_each_entry(m, &sb->s_mounts, mnt_instance)
		if (m->mnt_writers)
			return false;
	return true;
}

/*
 * MS_REMOUNT: new super block flags (the MS_RMT_MASK ones; the file system
 * may object to its options), then the mount's own flags. Going read-only
 * while a file is open for writing, or a change is under way, is EBUSY.
 */
static int do_remount(struct path *path, int sb_flags, int mnt_flags, void *data)
{
	struct super_block *sb = path->mnt->mnt_sb;
	struct mount *mnt = real_mount(path->mnt);
	int err = 0;

	if (!check_mnt(mnt) || path->dentry != path->mnt->mnt_root)
		return -EINVAL;
	down_write(&namespace_sem);
	int flags = (sb->s_flags & ~MS_RMT_MASK) | (sb_flags & MS_RMT_MASK);
	if (sb->s_op && sb->s_op->remount_fs)
		err = sb->s_op->remount_fs(sb, &flags, data);
	spin_lock(&mount_lock);
	if (!err && (flags & SB_RDONLY) && !sb_rdonly(sb) && !sb_writers_none(sb))
		err = -EBUSY;
	if (!err) {
		WRITE_ONCE(sb->s_flags, flags);
		WRITE_ONCE(mnt->mnt.mnt_flags, mnt_flags | (mnt->mnt.mnt_flags & ~MNT_USER_SETTABLE_MASK));
	}
	spin_unlock(&mount_lock);
	up_write(&namespace_sem);
	return err;
}

/* MS_PRIVATE and friends: Folio has no mount propagation, so every mount is private already. */
static int do_change_type(struct path *path, unsigned long flags)
{
	unsigned long type = flags & ~(MS_REC | MS_SILENT);

	if (path->dentry != path->mnt->mnt_root)
		return -EINVAL;
	if (type != MS_PRIVATE && type != MS_SHARED && type != MS_SLAVE && type != MS_UNBINDABLE)
		return -EINVAL;
	return type == MS_PRIVATE ? 0 : -EINVAL;
}

/* mount(2) once its strings are in kernel memory (Linux: path_mount()). */
static int path_mount(const char *dev_name, struct path *path, const char *type, unsigned long flags,
		      void *data)
{
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (data)
		((char *)data)[PAGE_SIZE - 1] = 0;
	if (flags & MS_NOUSER)
		return -EINVAL;
	int mnt_flags = ms_to_mnt_flags(flags, path);
	int sb_flags = flags & (SB_RDONLY | SB_SYNCHRONOUS | SB_MANDLOCK | SB_DIRSYNC | SB_SILENT |
				SB_LAZYTIME);
	if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND))
		return -EINVAL;		/* changing a bind mount's own flags alone is left out */
	if (flags & MS_REMOUNT)
		return do_remount(path, sb_flags, mnt_flags, data);
	if (flags & MS_BIND)
		return do_loopback(path, dev_name, flags & MS_REC);
	if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		return do_change_type(path, flags);
	if (flags & MS_MOVE)
		return do_move_mount(path, dev_name);
	return do_new_mount(path, type, sb_flags, mnt_flags, dev_name, data);
}

/* A string argument of mount(2): NULL stays NULL; -EFAULT, or -EINVAL if longer than PATH_MAX. */
static char *copy_mount_string(const char __user *s)
{
	if (!s)
		return NULL;
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	long len = strncpy_from_user(buf, s, PATH_MAX);
	if (len < 0 || len == PATH_MAX) {
		kfree(buf);
		return ERR_PTR(len < 0 ? -EFAULT : -EINVAL);
	}
	return buf;
}

/*
 * mount(2)'s data: a page, or as much of one as can be read (the options may
 * end just before unmapped memory); -EFAULT only if none can.
 */
static void *copy_mount_options(const void __user *data)
{
	if (!data)
		return NULL;
	char *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	size_t done = PAGE_SIZE - copy_from_user(copy, data, PAGE_SIZE);
	while (done < PAGE_SIZE && !get_user(copy[done], (const char __user *)data + done))
		done++;
	if (!done) {
		kfree(copy);
		return ERR_PTR(-EFAULT);
	}
	memset(copy + done, 0, PAGE_SIZE - done);
	return copy;
}

static void free_mount_arg(void *p)
{
	if (!IS_ERR_OR_NULL(p))
		kfree(p);
}

SYSCALL_DEFINE5(mount, char __user *, dev_name, char __user *, dir_name, char __user *, type,
		unsigned long, flags, void __user *, data)
{
	char *ktype = copy_mount_string(type), *kdev = NULL;
	void *options = NULL;
	struct path path;
	long err;

	if (IS_ERR(ktype))
		return PTR_ERR(ktype);
	kdev = copy_mount_string(dev_name);
	err = PTR_ERR_OR_ZERO(kdev);
	if (!err) {
		options = copy_mount_options(data);
		err = PTR_ERR_OR_ZERO(options);
	}
	if (!err)
		err = user_path_at(AT_FDCWD, dir_name, LOOKUP_FOLLOW, &path);
	if (!err) {
		err = path_mount(kdev, &path, ktype, flags, options);
		path_put(&path);
	}
	free_mount_arg(options);
	free_mount_arg(kdev);
	free_mount_arg(ktype);
	return err;
}

int init_mount(const char *dev_name, const char *dir_name, const char *type, unsigned long flags, void *data)
{
	struct path path;
	int err = kern_path_at(AT_FDCWD, dir_name, LOOKUP_FOLLOW, &path);

	if (err)
		return err;
	err = path_mount(dev_name, &path, type, flags, data);
	path_put(&path);
	return err;
}

/* ---- boot ---- */

/* The root of the name space: a ramfs instance named rootfs (Linux: init_mount_tree()). */
static void init_mount_tree(void)
{
	struct vfsmount *m = vfs_kern_mount(&rootfs_fs_type, 0, "rootfs", NULL);

	if (IS_ERR(m))
		panic("VFS: cannot create the root file system: %ld", PTR_ERR(m));
	down_write(&namespace_sem);
	list_add_tail(&real_mount(m)->mnt_list, &mount_table);
	up_write(&namespace_sem);
	init_root.mnt = mntget(m);
	init_root.dentry = dget(m->mnt_root);
}

/* Unpack the initramfs GRUB loaded as the first boot module, if any. */
static void populate_rootfs(void)
{
	unsigned int nfiles = 0, ndirs = 0;

	if (!boot_info.nr_modules) {
		pr_info("no initramfs\n");
		return;
	}
	const struct boot_module *m = &boot_info.modules[0];
	pr_info("Unpacking initramfs...\n");
	int err = __unpack_initramfs(__va(m->start), m->end - m->start, &nfiles, &ndirs);
	pr_info("initramfs: %u files, %u directories%s\n", nfiles, ndirs,
		err ? " (the archive is damaged: unpacked up to the error)" : "");
}

/*
 * File system types register in Linux's order (which /proc/filesystems
 * shows): sysfs, tmpfs, proc (with the entries of /proc), cgroup, cgroup2,
 * devtmpfs, tracefs, pipefs, ramfs. Then the root, and devtmpfs on /dev, as Linux's
 * CONFIG_DEVTMPFS_MOUNT does.
 */
void vfs_init(void)
{
	int err = sysfs_init();

	if (!err)
		err = init_tmpfs();
	if (!err)
		proc_root_init();	/* panics if it cannot register */
	if (!err)
		err = cgroup_fs_init();
	if (!err)
		err = devtmpfs_init();
	if (!err)
		err = init_tracefs();
	if (!err)
		err = init_pipefs();
	if (!err)
		err = anon_inode_init();
	if (!err)
		err = init_ramfs_fs();
	if (err)
		panic("VFS: cannot register the file systems: %d", err);
	init_mount_tree();
	err = devtmpfs_mount();
	if (err)
		panic("VFS: cannot mount /dev: %d", err);
	pr_info("VFS: ramfs mounted on /, devtmpfs on /dev, /dev/null and /dev/zero ready\n");
	populate_rootfs();
}
