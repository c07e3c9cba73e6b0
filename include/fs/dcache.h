/*
 * Dentries, inodes and super blocks: what a file system gives the VFS
 * (Linux: include/linux/dcache.h, fs.h, fs/libfs.c). Read this to write a
 * file system such as /proc or cgroupfs.
 *
 * A dentry is one name in one directory: its name, its parent, the inode it
 * names (NULL for a "negative" dentry: the name does not exist) and its
 * children. A file system's directory contents are either
 *   - kept in the dentry tree itself (ramfs, devfs): each name is a dentry
 *     with an extra reference taken when it was created (d_instantiate() then
 *     dget(): "pinned") and dropped when it is unlinked; dcache_readdir()
 *     lists them; or
 *   - produced on demand (as /proc does in Linux): the directory's ->lookup() fills in a
 *     new dentry, and the file system's own ->iterate() lists the directory.
 *     Unpinned dentries are freed as soon as nobody uses them.
 * Another file system is attached with vfs_mount_root(path, root_inode): the
 * walk then steps from the dentry at path into the mounted root.
 *
 * Locking: dcache_lock (a spinlock) guards the tree: d_subdirs/d_child lists,
 * d_flags, d_name and d_parent (changed only by d_move(), for rename), and a
 * dentry's d_count reaching zero. d_inode is set once, by d_instantiate().
 * i_count and d_count are atomics; what else an inode holds is guarded by its
 * i_rwsem, as each file system says.
 */
#ifndef _FS_DCACHE_H
#define _FS_DCACHE_H

#include <fs/fs.h>

#define DNAME_INLINE_LEN 32

struct dentry {
	int d_count;			/* atomic; goes to 0 only under dcache_lock */
	unsigned int d_flags;		/* DCACHE_* */
	struct inode *d_inode;		/* NULL: negative */
	struct dentry *d_parent;	/* holds a reference; a file system's root points to itself */
	struct super_block *d_sb;
	const char *d_name;		/* NUL-terminated: d_iname, or kmalloc'd when long */
	unsigned int d_len;
	struct list_head d_child;	/* in d_parent->d_subdirs */
	struct list_head d_subdirs;	/* children, positive and negative */
	struct dentry *d_mounted;	/* the root of the file system mounted here, or NULL */
	struct dentry *d_mountpoint;	/* for a mounted root: the dentry it covers */
	char d_iname[DNAME_INLINE_LEN];
};
#define DCACHE_UNHASHED 0x1		/* no longer (or never) in its parent's d_subdirs */

#define IS_ROOT(d) ((d)->d_parent == (d))

struct super_operations {
	void (*evict_inode)(struct inode *inode);	/* the last iput(): free the fs's data */
};

struct super_block {
	const char *s_type;		/* "ramfs", "pipefs", "devfs"... */
	dev_t s_dev;			/* st_dev of its inodes (new_anon_dev()) */
	loff_t s_maxbytes;		/* the largest file size (-EFBIG beyond) */
	u64 s_next_ino;			/* atomic: the last inode number handed out */
	const struct super_operations *s_op;
	void *s_fs_info;		/* the file system's own data */
};

extern spinlock_t dcache_lock;

struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
/* A new negative dentry named name[0..len) in parent (whose i_rwsem the caller holds). */
struct dentry *d_alloc(struct dentry *parent, const char *name, unsigned int len);
struct dentry *d_make_root(struct inode *root);		/* takes over the inode reference */
void d_instantiate(struct dentry *d, struct inode *inode);	/* takes over the inode reference */
void d_drop(struct dentry *d);				/* unhash: the name is gone */
struct dentry *d_lookup(struct dentry *parent, const char *name, unsigned int len);	/* referenced, or NULL */
bool simple_empty(struct dentry *dir);			/* no positive children */

struct inode *new_inode(struct super_block *sb);	/* i_count 1, i_nlink 1, times now */
void ihold(struct inode *inode);
void iput(struct inode *inode);
struct timespec64 current_time(struct inode *inode);
dev_t new_anon_dev(void);				/* a fresh st_dev for a super block */

/* Character devices: make inode a device node; opening it finds the driver by i_rdev (devfs.c). */
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev);

/* For file systems whose directories live in the dentry tree. */
int dcache_readdir(struct file *f, struct dir_context *ctx);
loff_t generic_file_llseek(struct file *f, loff_t offset, int whence);
extern const struct file_operations simple_dir_operations;
/* Report one directory entry to getdents; false when the caller's buffer is full. */
static inline bool dir_emit(struct dir_context *ctx, const char *name, int len, u64 ino, unsigned int type)
{
	return ctx->actor(ctx, name, len, ctx->pos, ino, type);
}
unsigned int dt_type(const struct inode *inode);

/*
 * Mount root (a directory inode of another file system; its reference is
 * taken over) on the directory at path. What that directory held stays
 * hidden for good: there is no umount. Mounting on a mount point mounts on
 * top of what is there, as on Linux. 0, or -ENOENT, -ENOTDIR, -ENOMEM.
 */
int vfs_mount_root(const char *path, struct inode *root);

#endif
