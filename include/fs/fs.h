/*
 * The VFS interface (Linux: include/linux/fs.h, file.h, fdtable.h). Every
 * open file is a struct file with a file_operations table; what is behind it
 * (a ramfs file, a pipe, the console, /dev/null)
 * only matters to those operations. Pathnames are resolved over a tree of
 * dentries, each naming an inode; other file systems are mounted on dentries
 * (fs/namespace.c), and a place in the name space is a struct path: a mount
 * and a dentry. File systems register their type by name
 * (register_filesystem()); mount(2) finds them with get_fs_type().
 *
 * Locking (details in the fs/ sources): a file's f_count and an inode's i_count are
 * atomics; inode->i_rwsem serialises changes to one inode (data, size,
 * directory entries); files->file_lock guards an fd table; the dentry tree
 * has one lock, dcache_lock; the mount tree has namespace_sem and mount_lock
 * (fs/namespace.c); the list of file system types, file_systems_lock.
 */
#ifndef _FS_FS_H
#define _FS_FS_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/rwsem.h>
#include <kernel/mutex.h>
#include <kernel/compiler.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include <fs/path.h>

typedef long long loff_t;
typedef unsigned int umode_t;
typedef unsigned int fmode_t;
typedef unsigned int dev_t;
typedef unsigned int __poll_t;

#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define FMODE_WRITER 0x4		/* holds write access to its mount (mnt_want_write()) */
#define FMODE_PATH 0x8			/* O_PATH: names a file without opening it; fget() refuses it */
#define NAME_MAX 255
#define MAX_LFS_FILESIZE ((loff_t)LLONG_MAX)
#define PATH_MAX 4096
#define NR_OPEN_DEFAULT 1024	/* RLIMIT_NOFILE */

struct inode;
struct file;
struct dentry;
struct super_block;
struct poll_table_struct;
struct kstat;
struct seq_file;

/* getdents64 and friends call actor once per entry; it returns false when the user buffer is full. */
struct dir_context {
	bool (*actor)(struct dir_context *ctx, const char *name, int namelen, loff_t pos, u64 ino,
		      unsigned int d_type);
	loff_t pos;
};

struct file_operations {
	loff_t (*llseek)(struct file *, loff_t, int);
	ssize_t (*read)(struct file *, char __user *, size_t, loff_t *);
	ssize_t (*write)(struct file *, const char __user *, size_t, loff_t *);
	int (*iterate)(struct file *, struct dir_context *);
	__poll_t (*poll)(struct file *, struct poll_table_struct *);
	long (*ioctl)(struct file *, unsigned int cmd, unsigned long arg);
	int (*open)(struct inode *, struct file *);
	int (*release)(struct inode *, struct file *);
	void (*show_fdinfo)(struct seq_file *m, struct file *f);	/* its lines in /proc/PID/fdinfo/N */
	/*
	 * The file's own page at index, with a reference, for a MAP_SHARED
	 * mapping to map (Linux: a shared mapping's vm_ops->fault); NULL and
	 * *err if there is none to have. A file without it maps only privately.
	 */
	struct page *(*fault_page)(struct file *f, unsigned long index, int *err);
	/* The file's page at index, with a reference; NULL for a hole. Allocates nothing (Linux: find_get_page()). */
	struct page *(*find_page)(struct file *f, unsigned long index);
	/*
	 * Free the file's pages [first, first + nr), keeping its size: the
	 * range reads as zeroes (Linux: fallocate(FALLOC_FL_PUNCH_HOLE |
	 * FALLOC_FL_KEEP_SIZE)). madvise(MADV_REMOVE) of a shared mapping.
	 */
	int (*punch_hole)(struct file *f, unsigned long first, unsigned long nr);
};

struct inode_operations {
	/* Directory operations: the dentry is new (no inode yet) for create/mkdir. */
	int (*create)(struct inode *dir, struct dentry *d, umode_t mode);
	int (*mkdir)(struct inode *dir, struct dentry *d, umode_t mode);
	int (*unlink)(struct inode *dir, struct dentry *d);
	int (*rmdir)(struct inode *dir, struct dentry *d);
	int (*setsize)(struct inode *inode, loff_t size);	/* truncate */
	/* Lookup, and the name operations of fs/namei.c. */
	struct dentry *(*lookup)(struct inode *dir, struct dentry *d);	/* fill d or leave it negative */
	int (*mknod)(struct inode *dir, struct dentry *d, umode_t mode, dev_t rdev);
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *d);
	int (*rename)(struct inode *old_dir, struct dentry *old, struct inode *new_dir, struct dentry *new);
	const char *(*get_link)(struct dentry *d);	/* a symlink's target, valid while d is held */
	/*
	 * Links whose target is an object rather than a stored name (/proc's
	 * exe, cwd, fd/N: Linux's get_link() calling nd_jump_link()): the walk
	 * steps from the link (a path: the mount it was found through, and
	 * its dentry) straight onto the path jump_link() fills in (referenced),
	 * and readlink() asks ->readlink for the text. 0 or -errno.
	 */
	int (*jump_link)(const struct path *link, struct path *target);
	int (*readlink)(struct dentry *d, char __user *buf, int buflen);
};

struct timespec64 {
	s64 tv_sec;
	long tv_nsec;
};

struct inode {
	umode_t i_mode;
	unsigned int i_nlink;
	unsigned int i_uid, i_gid;
	dev_t i_rdev;			/* device number for S_ISCHR */
	loff_t i_size;
	u64 i_ino;
	int i_count;			/* atomic */
	struct timespec64 i_atime, i_mtime, i_ctime;
	struct rw_semaphore i_rwsem;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct super_block *i_sb;
	void *i_private;		/* the file system's own data */
	/*
	 * The VMAs that map this file (vma->shared), which truncate walks to
	 * unmap the pages the file loses; i_mmap_lock, taken inside the
	 * mappers' mmap_lock and the truncater's i_rwsem (Linux keeps them in
	 * the inode's address_space).
	 */
	struct list_head i_mmap;
	spinlock_t i_mmap_lock;
	/*
	 * Bumped (WRITE_ONCE, i_rwsem held for writing) each time the file
	 * lets pages go (a truncate, a punched hole), before they are unmapped:
	 * a shared mapping's fault that got a page before it compares it under
	 * page_table_lock, and maps nothing if it changed (mm/memory.c).
	 */
	unsigned long i_pages_gen;
};

struct file {
	int f_count;			/* atomic */
	unsigned int f_flags;		/* O_* as given to open, less O_CREAT etc. */
	fmode_t f_mode;
	loff_t f_pos;
	struct mutex f_pos_lock;
	struct path f_path;		/* referenced; both NULL for a pipe */
	struct inode *f_inode;
	const struct file_operations *f_op;
	void *private_data;
};

/* Files: references and kernel-side I/O. */
struct file *get_file(struct file *f);
void fput(struct file *f);
struct file *filp_open(const char *path, int flags, umode_t mode);	/* ERR_PTR on failure */
loff_t noop_llseek(struct file *f, loff_t offset, int whence);	/* seeks nowhere: the position stays */
ssize_t kernel_read(struct file *f, void *buf, size_t count, loff_t *pos);
ssize_t kernel_write(struct file *f, const void *buf, size_t count, loff_t *pos);
/* A read of a kernel buffer at *ppos (fs/libfs.c). */
ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos, const void *from, size_t available);
/* The path of f for messages and /proc (e.g. "/bin/busybox"), into buf. */
char *file_path(struct file *f, char *buf, int buflen);

/* Per-process file descriptors (CLONE_FILES shares them). */
struct files_struct;
struct files_struct *files_alloc(void);
struct files_struct *dup_fd(struct files_struct *old);
void get_files_struct(struct files_struct *files);
void put_files_struct(struct files_struct *files);	/* closes everything on the last put; NULL: nothing */
void do_close_on_exec(struct files_struct *files);
struct task_struct;
void exit_files(struct task_struct *tsk);		/* tsk->files = NULL under task_lock, then put */
struct file *fget(unsigned int fd);			/* with a reference, or NULL (O_PATH files too) */
struct file *fget_raw(unsigned int fd);			/* the same, O_PATH files included */
int fd_install_new(struct file *f, unsigned int flags);	/* lowest free fd (O_CLOEXEC honoured) or -EMFILE */

/* Per-process root and working directory (CLONE_FS shares them). */
struct fs_struct;
struct fs_struct *fs_alloc_root(void);
struct fs_struct *copy_fs_struct(struct fs_struct *old);
void put_fs_struct(struct fs_struct *fs);			/* NULL: nothing */
void exit_fs(struct task_struct *tsk);			/* tsk->fs = NULL under task_lock, then put */

/*
 * File system types, registered by name (fs/filesystems.c). ->mount makes a
 * super block (or finds the one it shares: mount_nodev(), mount_single() in
 * fs/super.c do either) and returns its root dentry with a reference and the
 * super block active, or ERR_PTR(-E...). flags are the MS_* of mount(2) that
 * concern the super block (MS_RDONLY, MS_SILENT...), data the option string
 * (may be NULL). ->kill_sb runs when the last mount of a super block is gone
 * (kill_litter_super(), kill_anon_super()); NULL means kill_anon_super().
 * Types are never unregistered: get_fs_type()'s pointer stays valid.
 */
struct file_system_type {
	const char *name;
	int fs_flags;			/* FS_* */
	struct dentry *(*mount)(struct file_system_type *fs_type, int flags, const char *dev_name, void *data);
	void (*kill_sb)(struct super_block *sb);
	struct file_system_type *next;	/* the registration list; under file_systems_lock */
	struct list_head fs_supers;	/* its super blocks; under sb_lock (fs/super.c) */
};
#define FS_REQUIRES_DEV 1		/* needs a block device (none in Folio): shown without "nodev" */
#define FS_RMDIR_NONEMPTY 2		/* rmdir asks ->rmdir alone: a directory holds files of its own
					 * that go with it (cgroupfs, as Linux's kernfs) */

int register_filesystem(struct file_system_type *fs);	/* 0, or -EBUSY if the name is taken */
struct file_system_type *get_fs_type(const char *name);	/* NULL if none has that name */
struct printbuf;
/* /proc/filesystems: one "nodev\tNAME" (or "\tNAME") line per type, in registration order. */
void show_filesystems(struct printbuf *out);
void proc_filesystems_init(void);			/* the file /proc/filesystems */

/* Boot: mount the root ramfs, unpack the initramfs into it, create /dev. */
void vfs_init(void);
int unpack_initramfs(const void *data, size_t size);	/* cpio "newc"; 0 or -EINVAL with a message */
/* Character devices: create /dev/NAME whose opens use fops (fs/devfs.c). */
#define MKDEV(major, minor) (((major) << 8) | (minor))
int devfs_create(const char *name, umode_t mode, dev_t rdev, const struct file_operations *fops);

/* The console (fs/tty.c): /dev/console and /dev/tty, fed by the serial interrupt. */
void tty_init(void);
void tty_receive_char(char c);				/* from the serial interrupt, irqs off */
ssize_t tty_console_write(const char *buf, size_t n);	/* for init's early output */

/* Poll tables (fs/select.c): a file's ->poll calls poll_wait() on each queue a change would wake. */
struct wait_queue_head;
void poll_wait(struct file *f, struct wait_queue_head *wq, struct poll_table_struct *pt);
#define EPOLLIN 0x0001
#define EPOLLPRI 0x0002
#define EPOLLOUT 0x0004
#define EPOLLERR 0x0008
#define EPOLLHUP 0x0010
#define EPOLLNVAL 0x0020
#define EPOLLRDNORM 0x0040
#define EPOLLWRNORM 0x0100

#endif
