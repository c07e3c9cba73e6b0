/*
 * The VFS's record of a mount (Linux: fs/mount.h), private to fs/. The
 * public part, struct vfsmount, is inside it; real_mount() goes back.
 *
 * The mount tree: each mount sits on a dentry (mnt_mountpoint) of another
 * mount (mnt_parent), which lists it in mnt_mounts; the root mount, kernel
 * mounts and detached mounts are their own parent. Every mount in the name
 * space is also in mount_table, in the order it was mounted (what
 * /proc/mounts lists).
 *
 * References (mnt_count): the tree holds one on each attached mount, a
 * mount holds one on its parent and a dentry reference on its mount point,
 * and every struct path holds one. So a mount that nobody uses has exactly
 * one, plus one for whoever looked it up to unmount it: umount's EBUSY test.
 *
 * Locking:
 *   namespace_sem (rwsem)  held for writing by whatever changes the tree
 *                          (mount, umount, remount), for reading by those who
 *                          list it and may sleep meanwhile (show_mounts()):
 *                          mount_table and each mount's mnt_list.
 *   mount_lock (spinlock)  what path walks read without namespace_sem:
 *                          mnt_parent, mnt_mountpoint, mnt_mounts/mnt_child,
 *                          dentries' d_mounted, mnt_flags, mnt_writers, and
 *                          each super block's s_mounts. Taking a reference on
 *                          a child mount found here (lookup_mnt()) and
 *                          umount's reference count test both happen under
 *                          it, so a walk never steps into a mount being
 *                          unmounted and an unmount never misses a walker.
 * Order: i_rwsem (of the mount point) -> namespace_sem -> mount_lock ->
 * dcache_lock. Nothing sleeps under mount_lock; dput()/mntput() of what
 * a detach released happen after both are dropped.
 */
#ifndef _FS_MOUNT_INTERNAL_H
#define _FS_MOUNT_INTERNAL_H

#include <kernel/list.h>
#include <kernel/rwsem.h>
#include <kernel/spinlock.h>
#include <fs/mount.h>

struct mount {
	struct mount *mnt_parent;	/* what it is mounted on; itself if not attached */
	struct dentry *mnt_mountpoint;	/* the dentry of mnt_parent it covers (referenced) */
	struct vfsmount mnt;
	int mnt_count;			/* atomic: references */
	int mnt_writers;		/* mnt_want_write() holders (mount_lock) */
	int mnt_id;			/* /proc/PID/mountinfo's first field */
	int mnt_expiry_mark;		/* MNT_EXPIRE: marked, unused since */
	struct list_head mnt_mounts;	/* mounts on dentries of this one */
	struct list_head mnt_child;	/* in mnt_parent->mnt_mounts */
	struct list_head mnt_instance;	/* in mnt.mnt_sb->s_mounts */
	struct list_head mnt_list;	/* in mount_table; empty if not in the name space */
	struct list_head mnt_umount;	/* while being unmounted: umount_tree()'s list ... */
	struct mount *mnt_ex_parent;	/* ... with the references the tree held, */
	struct dentry *mnt_ex_mountpoint;	/* for release_mounts() to drop */
	char *mnt_devname;		/* the source given to mount(2) */
};

static inline struct mount *real_mount(struct vfsmount *mnt)
{
	return container_of(mnt, struct mount, mnt);
}

extern struct rw_semaphore namespace_sem;
extern spinlock_t mount_lock;
extern struct list_head mount_table;

/* What is mounted right on path, referenced; or NULL. Stacked mounts sit on each other's roots. */
struct vfsmount *lookup_mnt(const struct path *path);
/* At a mount's root: move path to the dentry that mount covers. False at the top. */
bool follow_up(struct path *path);

#endif
