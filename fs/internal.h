/*
 * What the files of fs/ share with each other (and with fs/vfs_test.c) but
 * not with the rest of the kernel (Linux: fs/internal.h).
 */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

#include <fs/fs.h>
#include <fs/dcache.h>

extern struct dentry *root_dentry;	/* "/" (namespace.c) */

/* dcache.c */
void d_move(struct dentry *d, struct dentry *newparent, char *newname, unsigned int len);
char *d_path(struct dentry *d, struct dentry *root, char *buf, int buflen);
bool d_unlinked(struct dentry *d);
bool is_subdir(struct dentry *d, struct dentry *ancestor);

/* namei.c: pathname lookup. Names here are kernel strings (syscalls use getname() first). */
#define LOOKUP_FOLLOW 0x1		/* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 0x2		/* the result must be a directory */

enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

struct nameidata {
	struct dentry *path;		/* where the walk stands (referenced) */
	struct dentry *root;		/* the process root (referenced) */
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
void path_put(struct nameidata *nd);
struct dentry *__lookup_hash(struct dentry *dir, const char *name, int len);
int kern_path_at(int dfd, const char *name, unsigned int flags, struct dentry **res);
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
struct file *alloc_file(struct dentry *d, struct inode *inode, int flags,
			const struct file_operations *fop);
struct file *dentry_open(struct dentry *d, int flags);

/* read_write.c */
ssize_t vfs_read(struct file *f, char __user *buf, size_t count, loff_t *pos);
ssize_t vfs_write(struct file *f, const char __user *buf, size_t count, loff_t *pos);

/* readdir.c */
int iterate_dir(struct file *f, struct dir_context *ctx);

/* select.c */
__poll_t vfs_poll(struct file *f, struct poll_table_struct *pt);

/* ramfs.c */
struct inode *ramfs_get_root(void);
/* devfs.c */
int devfs_init(void);
/* pipe.c */
int create_pipe_files(struct file **res, int flags);
/* initramfs.c */
int __unpack_initramfs(const void *data, size_t size, unsigned int *nfiles, unsigned int *ndirs);

#endif
