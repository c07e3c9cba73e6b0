/*
 * The name space: the root file system, mounts, and the boot-time setup of
 * both (Linux: fs/namespace.c, init/do_mounts.c, init/initramfs.c's
 * populate_rootfs()). Folio has one name space and no umount; a mount is a
 * pointer from a directory's dentry to another file system's root dentry
 * (d_mounted), and back (d_mountpoint) for "..". Both are written once,
 * under dcache_lock, and never change.
 */
#include <kernel/kernel.h>
#include <kernel/bootinfo.h>
#include <arch/page.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include "internal.h"

struct dentry *root_dentry;

int vfs_mount_root(const char *path, struct inode *root)
{
	struct dentry *mp, *d;
	int err = kern_path_at(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &mp);

	if (err) {
		iput(root);
		return err;
	}
	d = d_make_root(root);
	if (!d) {
		dput(mp);
		return -ENOMEM;
	}
	spin_lock(&dcache_lock);
	if (!mp->d_mounted) {
		mp->d_mounted = d;	/* the mount point's reference on the root ... */
		d->d_mountpoint = mp;	/* ... and the root's on the mount point: both for good */
	} else {
		err = -EBUSY;
	}
	spin_unlock(&dcache_lock);
	if (err) {
		dput(d);
		dput(mp);
	}
	return err;
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

void vfs_init(void)
{
	root_dentry = d_make_root(ramfs_get_root());
	if (!root_dentry)
		panic("VFS: cannot create the root file system");
	int err = devfs_init();
	if (err)
		panic("VFS: cannot create /dev: %d", err);
	pr_info("VFS: ramfs mounted on /, /dev/null and /dev/zero ready\n");
	populate_rootfs();
}
