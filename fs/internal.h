/*
 * What the files of fs/ share with each other (and with fs/vfs_test.c) but
 * not with the rest of the kernel (Linux: fs/internal.h).
 */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

#include <fs/fs.h>
#include <fs/dcache.h>

/* namespace.c */
extern struct path init_root;		/* "/" of the name space (rootfs's root) */
/* umount2(2) of the mount whose root path is (its references are consumed): 0 or -EINVAL, -EBUSY... */
int path_umount(struct path *path, int flags);
/* mount(2) from the kernel, on kernel strings (Linux: init_mount()). */
int init_mount(const char *dev_name, const char *dir_name, const char *type, unsigned long flags, void *data);

/* super.c */
void get_super(struct super_block *sb);		/* s_count: the struct stays */
void put_super(struct super_block *sb);
void activate_super(struct super_block *sb);	/* s_active of a super block already active */
void deactivate_super(struct super_block *sb);	/* the last one kills it; may sleep */

/* dcache.c */
void d_move(struct dentry *d, struct dentry *newparent, char *newname, unsigned int len);
/*
 * The name of path as seen from root, built backwards in buf (the result
 * points into it) or ERR_PTR(-ENAMETOOLONG). If root is not above path (a
 * detached mount, a chroot), it is the path from the top it reached, and
 * *reached (if given) is false.
 */
char *__d_path(const struct path *path, const struct path *root, char *buf, int buflen, bool *reached);
/* The name of d from its file system's root ("/" for the root itself), as __d_path(). */
char *dentry_path_raw(struct dentry *d, char *buf, int buflen);
bool d_unlinked(struct dentry *d);
bool is_subdir(struct dentry *d, struct dentry *ancestor);
void d_genocide(struct dentry *root);		/* unpin every name below root (kill_litter_super()) */

/* namei.c: pathname lookup. Names here are kernel strings (syscalls use getname() first). */
#define LOOKUP_FOLLOW 0x1		/* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 0x2		/* the result must be a directory */

enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

struct nameidata {
	struct path path;		/* where the walk stands (referenced) */
	struct path root;		/* the process root (referenced) */
	const char *last;		/* the last component, not walked yet */
	int last_len, last_type;
	bool trailing_slash;		/* the name ended in '/' */
	int depth, total_links;		/* symlinks: nested now, and followed in all */
};

char *getname_flags(const char __user *name, bool empty_ok);	/* kmalloc'd copy or ERR_PTR */
#define getname(name) getname_flags(name, false)
void putname(char *name);
int path_parentat(int dfd, const char *name, struct nameidata *nd);
int walk_last(struct nameidata *nd, bool follow);
void terminate_walk(struct nameidata *nd);		/* drop nd's references */
struct dentry *__lookup_hash(struct dentry *dir, const char *name, int len);
int kern_path_at(int dfd, const char *name, unsigned int flags, struct path *res);
int user_path_at(int dfd, const char __user *name, unsigned int flags, struct path *res);	/* the same, for a user name */
static inline bool d_is_dir(const struct dentry *d) { return S_ISDIR(d->d_inode->i_mode); }
/* The inode a *at() call names: path, or dfd itself for AT_EMPTY_PATH and "" (referenced). */
struct inode *user_path_inode(int dfd, const char __user *name, int at_flags);
/* dir_ops.c: the same calls, on kernel names (the initramfs, devfs). */
int do_mkdirat(int dfd, const char *name, umode_t mode);
int do_mknodat(int dfd, const char *name, umode_t mode, dev_t dev);
int do_symlinkat(const char *target, int dfd, const char *name);
int do_linkat(int olddfd, const char *oldname, int newdfd, const char *newname);
int do_rmdir(int dfd, const char *name);
int do_unlinkat(int dfd, const char *name);
int do_renameat(int olddfd, const char *oldname, int newdfd, const char *newname);

/* file.c */
int f_dupfd(unsigned int start, struct file *f, unsigned int flags);
int ksys_dup3(unsigned int oldfd, unsigned int newfd, int flags);
bool get_close_on_exec(unsigned int fd);
int set_close_on_exec(unsigned int fd, bool on);

/* open.c */
struct file *do_filp_open(int dfd, const char *name, int flags, umode_t mode);
int do_truncate(struct inode *inode, loff_t length);

/* file_table.c */
/* path NULL: a file with no name (a pipe). */
struct file *alloc_file(const struct path *path, struct inode *inode, int flags,
			const struct file_operations *fop);
struct file *dentry_open(const struct path *path, int flags);

/* read_write.c */
ssize_t vfs_read(struct file *f, char __user *buf, size_t count, loff_t *pos);
ssize_t vfs_write(struct file *f, const char __user *buf, size_t count, loff_t *pos);

/* readdir.c */
int iterate_dir(struct file *f, struct dir_context *ctx);

/* select.c */
__poll_t vfs_poll(struct file *f, struct poll_table_struct *pt);

/* File system types and their boot-time setup (vfs_init() calls them in order). */
/* ramfs.c: ramfs, tmpfs, and the root (rootfs, not registered, as in Linux) */
extern struct file_system_type rootfs_fs_type;
int ramfs_fill_super(struct super_block *sb, void *data, int silent);	/* for devtmpfs */
int init_tmpfs(void);
int init_ramfs_fs(void);
#define RAMFS_MAX_BYTES (1LL << 30)	/* 1 GiB: at most 2 MiB of page pointers */
/* devfs.c: devtmpfs, made at boot and mounted on /dev with /dev/null and /dev/zero */
int devtmpfs_init(void);
int devtmpfs_mount(void);
/* sysfs.c */
int sysfs_init(void);
/* tracefs.c: registered here, in Linux's order; its instance is made by tracefs_init() */
int init_tracefs(void);
/* pipe.c */
int init_pipefs(void);
int create_pipe_files(struct file **res, int flags);
ssize_t pipe_wait_room(struct file *f);	/* sendfile(): room in the pipe f writes to, once there is some */
/* initramfs.c */
int __unpack_initramfs(const void *data, size_t size, unsigned int *nfiles, unsigned int *ndirs);

#endif
