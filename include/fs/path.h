/*
 * A place in the name space: a dentry, and the mount it was reached through
 * (Linux: include/linux/path.h). The same dentry can be seen through two
 * mounts (a file system mounted twice), and ".." at a mount's root leaves
 * through the mount, so a walk, a working directory and an open file each
 * hold both, with a reference on each.
 */
#ifndef _FS_PATH_H
#define _FS_PATH_H

#include <kernel/types.h>

struct dentry;
struct vfsmount;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

void path_get(const struct path *path);		/* a reference on both */
void path_put(const struct path *path);		/* may sleep (the last mntput() of a detached mount) */

static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

#endif
