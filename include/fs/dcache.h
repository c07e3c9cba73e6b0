/*
 * Dentries, inodes and super blocks: what a file system gives the VFS
 * (Linux: include/linux/dcache.h, fs.h, fs/libfs.c). Read this to write a
 * file system such as /proc or cgroupfs.
 *
 * A dentry is one name in one directory: its name, its parent, the inode it
 * names (NULL for a "negative" dentry: the name does not exist) and its
 * children. A file system's directory contents are either
 *   - kept in the dentry tree itself (ramfs, devtmpfs, sysfs): each name is
 *     a dentry with an extra reference taken when it was created
 *     (d_instantiate() then dget(): "pinned") and dropped when it is
 *     unlinked; dcache_readdir() lists them; kill_litter_super() drops the
 *     pins when the file system goes; or
 *   - produced on demand (/proc, as in Linux): the directory's ->lookup() fills in a
 *     new dentry, and the file system's own ->iterate() lists the directory.
 *     Unpinned dentries are freed as soon as nobody uses them. A name that
 *     can vanish while its dentry is held (a process's /proc/PID) has
 *     d_op->d_revalidate(): a walk that finds the dentry asks it first,
 *     and a stale one is dropped and looked up afresh.
 *
 * A super block is one instance of a file system: its root dentry, its
 * operations and its mounts. A file system type's ->mount makes one, with
 * mount_nodev() (a new instance each time: tmpfs) or mount_single()
 * (one shared instance: sysfs, devtmpfs), giving a fill_super() that sets
 * s_root, s_op and s_magic. It lives while it is mounted (s_active) and its
 * memory while any inode of it does (s_count): an inode held after the last
 * umount still finds its super block.
 *
 * Locking: dcache_lock (a spinlock) guards the tree: d_subdirs/d_child lists,
 * d_flags, d_name and d_parent (changed only by d_move(), for rename), and a
 * dentry's d_count reaching zero. d_inode is set once, by d_instantiate().
 * d_mounted counts the mounts on a dentry, under mount_lock (fs/namespace.c).
 * i_count, d_count, s_active and s_count are atomics; what else an inode
 * holds is guarded by its i_rwsem, as each file system says; s_flags changes
 * only under namespace_sem (remount).
 */
#ifndef _FS_DCACHE_H
#define _FS_DCACHE_H

#include <fs/fs.h>

#define DNAME_INLINE_LEN 32

struct dentry_operations {
	/* 1: d still names what it did; 0: stale (unhash it, look the name up again). No locks held. */
	int (*d_revalidate)(struct dentry *d);
};

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
	int d_mounted;			/* how many mounts sit on this dentry (mount_lock) */
	const struct dentry_operations *d_op;	/* set by ->lookup() before d_instantiate() */
	char d_iname[DNAME_INLINE_LEN];
};
#define DCACHE_UNHASHED 0x1		/* no longer (or never) in its parent's d_subdirs */

#define IS_ROOT(d) ((d)->d_parent == (d))
static inline bool d_mountpoint(const struct dentry *d)
{
	return READ_ONCE(d->d_mounted) > 0;
}

/* statfs(2)'s answer, as a file system's ->statfs fills it (Linux: include/linux/statfs.h). */
struct kstatfs {
	long f_type;			/* magic (uapi/magic.h) */
	long f_bsize;
	u64 f_blocks, f_bfree, f_bavail;
	u64 f_files, f_ffree;
	int f_fsid[2];
	long f_namelen;
	long f_frsize;			/* 0: the VFS copies f_bsize */
	long f_flags;			/* the VFS fills it from the mount */
};

struct printbuf;

struct super_operations {
	void (*evict_inode)(struct inode *inode);	/* the last iput(): free the fs's data */
	/* statfs(2) of a file on it; NULL gives -ENOSYS, as in Linux. */
	int (*statfs)(struct dentry *dentry, struct kstatfs *buf);
	/* MS_REMOUNT: new SB_* flags in *flags (the fs may change them), data the options. */
	int (*remount_fs)(struct super_block *sb, int *flags, char *data);
	/* The file system's own options in /proc/mounts, each as ",name=value". */
	void (*show_options)(struct printbuf *out, struct dentry *root);
	/* The super block's memory is about to be freed (its last inode is gone): free s_fs_info. */
	void (*put_super)(struct super_block *sb);
};

/* Super block flags: the values of the MS_* that apply to a whole file system. */
#define SB_RDONLY 1
#define SB_NOSUID 2
#define SB_NODEV 4
#define SB_NOEXEC 8
#define SB_SYNCHRONOUS 16
#define SB_MANDLOCK 64
#define SB_DIRSYNC 128
#define SB_NOATIME 1024
#define SB_NODIRATIME 2048
#define SB_SILENT 32768			/* no messages about bad options (MS_SILENT) */
#define SB_LAZYTIME (1 << 25)
#define SB_KERNMOUNT (1 << 22)		/* made by the kernel (kern_mount()), not mount(2) */

struct super_block {
	struct file_system_type *s_type;
	dev_t s_dev;			/* st_dev of its inodes (get_anon_bdev()) */
	unsigned long s_flags;		/* SB_*; changed under namespace_sem */
	unsigned long s_magic;		/* statfs()'s f_type */
	loff_t s_maxbytes;		/* the largest file size (-EFBIG beyond) */
	u64 s_next_ino;			/* atomic: the last inode number handed out */
	struct dentry *s_root;		/* referenced while active */
	int s_active;			/* atomic: mounts of it; 0 kills it */
	int s_count;			/* atomic: 1 while active, 1 per inode; 0 frees it */
	struct list_head s_instances;	/* in s_type->fs_supers, under sb_lock */
	struct list_head s_mounts;	/* its mounts (struct mount), under mount_lock */
	const struct super_operations *s_op;
	void *s_fs_info;		/* the file system's own data */
};

static inline bool sb_rdonly(const struct super_block *sb)
{
	return READ_ONCE(sb->s_flags) & SB_RDONLY;
}
#define IS_RDONLY(inode) sb_rdonly((inode)->i_sb)

/*
 * Making and ending super blocks (fs/super.c). fill_super(sb, data, silent)
 * sets s_root (d_make_root()), s_op and s_magic, or returns an error (the
 * new super block is then killed with the type's ->kill_sb).
 */
typedef int (*fill_super_t)(struct super_block *sb, void *data, int silent);
struct dentry *mount_nodev(struct file_system_type *fs_type, int flags, void *data, fill_super_t fill_super);
struct dentry *mount_single(struct file_system_type *fs_type, int flags, void *data, fill_super_t fill_super);
void kill_anon_super(struct super_block *sb);		/* drop s_root, free the anonymous st_dev */
void kill_litter_super(struct super_block *sb);	/* unpin every name first (ramfs-like file systems) */
int simple_statfs(struct dentry *dentry, struct kstatfs *buf);	/* f_type, f_bsize, f_namelen only */
/*
 * Split a mount option string ("size=1m,mode=700", changed in place) and
 * call parse(priv, key, value or NULL) for each option, except the super
 * block flag words ("ro", "rw", "sync", ...), which set or clear *sb_flags.
 * 0, or the first error parse returns.
 */
int parse_mount_options(char *data, unsigned long *sb_flags, int (*parse)(void *priv, char *key, char *val),
			void *priv);

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
/* path as the caller names it from its root, " (deleted)" once unlinked; into buf (ERR_PTR if too long). */
struct path;
char *d_path(const struct path *path, char *buf, int buflen);

struct inode *new_inode(struct super_block *sb);	/* i_count 1, i_nlink 1, times now; holds sb */
void ihold(struct inode *inode);
void iput(struct inode *inode);
struct timespec64 current_time(struct inode *inode);
int get_anon_bdev(dev_t *dev);				/* a fresh st_dev 0:N, or -EMFILE */
void free_anon_bdev(dev_t dev);

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

#endif
