/*
 * Mounts (Linux: include/linux/mount.h). A vfsmount is one file system
 * attached somewhere in the name space: its root dentry, its super block
 * and the flags of this mount (a file system mounted twice has two, with
 * their own flags). The VFS's own record around it, struct mount, with the
 * place it is mounted on and the mount tree, is private to fs/ (fs/mount.h).
 *
 * A path (fs/path.h) holds a reference on its mount (mntget()); a mount
 * with references cannot be unmounted (EBUSY), and a lazily detached one
 * (MNT_DETACH) is freed, and its file system killed, by its last mntput().
 */
#ifndef _FS_MOUNT_H
#define _FS_MOUNT_H

#include <fs/fs.h>
#include <fs/dcache.h>

struct vfsmount {
	struct dentry *mnt_root;	/* the root of the mounted tree (referenced) */
	struct super_block *mnt_sb;
	int mnt_flags;			/* MNT_*; changed under mount_lock */
};

/* Per-mount flags (not the MS_* of mount(2), which are translated into these). */
#define MNT_NOSUID 0x01
#define MNT_NODEV 0x02
#define MNT_NOEXEC 0x04
#define MNT_NOATIME 0x08
#define MNT_NODIRATIME 0x10
#define MNT_RELATIME 0x20
#define MNT_READONLY 0x40
#define MNT_NOSYMFOLLOW 0x80
#define MNT_ATIME_MASK (MNT_NOATIME | MNT_NODIRATIME | MNT_RELATIME)
#define MNT_USER_SETTABLE_MASK (MNT_NOSUID | MNT_NODEV | MNT_NOEXEC | MNT_ATIME_MASK | \
				MNT_READONLY | MNT_NOSYMFOLLOW)

struct vfsmount *mntget(struct vfsmount *mnt);
void mntput(struct vfsmount *mnt);		/* may sleep: the last put of a detached mount frees it */

/*
 * A mount the kernel keeps for itself, attached nowhere (Linux: kern_mount()):
 * devtmpfs's instance, where drivers make their nodes. Never unmounted.
 */
struct vfsmount *kern_mount(struct file_system_type *type);
/* A mount of type made for mount(2) but not attached yet; ERR_PTR on failure. */
struct vfsmount *vfs_kern_mount(struct file_system_type *type, int flags, const char *name, void *data);

/* Read-only: the mount's flag or the super block's. */
static inline bool __mnt_is_readonly(const struct vfsmount *mnt)
{
	return (READ_ONCE(mnt->mnt_flags) & MNT_READONLY) || sb_rdonly(mnt->mnt_sb);
}
/*
 * Write access to a mount for as long as a change takes (mkdir, unlink,
 * rename), or as long as a file is open for writing: -EROFS on a read-only
 * mount; while held, remounting read-only fails with EBUSY.
 */
int mnt_want_write(struct vfsmount *mnt);
void mnt_drop_write(struct vfsmount *mnt);
/* exec and PROT_EXEC mappings are refused on a noexec mount. */
static inline bool path_noexec(const struct path *path)
{
	return READ_ONCE(path->mnt->mnt_flags) & MNT_NOEXEC;
}

/*
 * The mount table as /proc shows it (fs/proc_namespace.c), seen from root
 * (the reader's root directory: mounts outside it are left out):
 *   show_mounts():    /proc/mounts, "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0"
 *   show_mountinfo(): /proc/PID/mountinfo,
 *                     "22 1 0:20 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw"
 * One line per mount, in mount order. Each takes namespace_sem for reading
 * and may sleep; the result is in out (printbuf_error() says if memory ran out).
 */
struct printbuf;
void show_mounts(struct printbuf *out, const struct path *root);
void show_mountinfo(struct printbuf *out, const struct path *root);

#endif
