/*
 * statfs(2) and fstatfs(2) (Linux: fs/statfs.c): the file system's own
 * figures from its super_operations->statfs, and f_flags from the mount
 * (ST_RDONLY, ST_NOSUID, ...; ST_VALID says f_flags means something).
 * A pipe has no mount: its flags are ST_VALID alone, as on Linux, whose
 * pipefs mount has no flags. No locks: the figures are a snapshot.
 */
#include <kernel/kernel.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <uapi/statfs.h>
#include <fs/dcache.h>
#include <fs/fdtable.h>
#include <fs/mount.h>
#include <fs/uapi.h>
#include "internal.h"

BUILD_BUG_ON(sizeof(struct statfs) != 120);
BUILD_BUG_ON(offsetof(struct statfs, f_fsid) != 56);
BUILD_BUG_ON(offsetof(struct statfs, f_flags) != 80);

static long flags_by_mnt(int mnt_flags)
{
	static const struct { int mnt; long st; } map[] = {
		{ MNT_READONLY, ST_RDONLY }, { MNT_NOSUID, ST_NOSUID }, { MNT_NODEV, ST_NODEV },
		{ MNT_NOEXEC, ST_NOEXEC }, { MNT_NOATIME, ST_NOATIME }, { MNT_NODIRATIME, ST_NODIRATIME },
		{ MNT_RELATIME, ST_RELATIME }, { MNT_NOSYMFOLLOW, ST_NOSYMFOLLOW },
	};
	long st = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(map); i++)
		if (mnt_flags & map[i].mnt)
			st |= map[i].st;
	return st;
}

static long flags_by_sb(unsigned long sb_flags)
{
	return ((sb_flags & SB_SYNCHRONOUS) ? ST_SYNCHRONOUS : 0) | ((sb_flags & SB_MANDLOCK) ? ST_MANDLOCK : 0) |
	       ((sb_flags & SB_RDONLY) ? ST_RDONLY : 0);
}

/* The figures of the file system d is on; mnt (NULL for a pipe) gives f_flags. */
static int vfs_statfs(struct dentry *d, struct super_block *sb, struct vfsmount *mnt, struct kstatfs *buf)
{
	memset(buf, 0, sizeof(*buf));
	if (!sb->s_op || !sb->s_op->statfs)
		return -ENOSYS;
	int err = sb->s_op->statfs(d, buf);
	if (err)
		return err;
	if (!buf->f_frsize)
		buf->f_frsize = buf->f_bsize;
	buf->f_flags = ST_VALID | flags_by_sb(READ_ONCE(sb->s_flags)) |
		       (mnt ? flags_by_mnt(READ_ONCE(mnt->mnt_flags)) : 0);
	return 0;
}

static long put_statfs(const struct kstatfs *k, struct statfs __user *ubuf)
{
	struct statfs st;

	memset(&st, 0, sizeof(st));
	st.f_type = k->f_type;
	st.f_bsize = k->f_bsize;
	st.f_blocks = k->f_blocks;
	st.f_bfree = k->f_bfree;
	st.f_bavail = k->f_bavail;
	st.f_files = k->f_files;
	st.f_ffree = k->f_ffree;
	st.f_fsid.val[0] = k->f_fsid[0];
	st.f_fsid.val[1] = k->f_fsid[1];
	st.f_namelen = k->f_namelen;
	st.f_frsize = k->f_frsize;
	st.f_flags = k->f_flags;
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, const char __user *, pathname, struct statfs __user *, buf)
{
	struct kstatfs k;
	struct path path;
	long err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &path);

	if (err)
		return err;
	err = vfs_statfs(path.dentry, path.dentry->d_sb, path.mnt, &k);
	path_put(&path);
	return err ? err : put_statfs(&k, buf);
}

SYSCALL_DEFINE2(fstatfs, unsigned int, fd, struct statfs __user *, buf)
{
	struct kstatfs k;
	struct file *f = fget_raw(fd);

	if (!f)
		return -EBADF;
	long err = vfs_statfs(f->f_path.dentry, f->f_inode->i_sb, f->f_path.mnt, &k);
	fput(f);
	return err ? err : put_statfs(&k, buf);
}
