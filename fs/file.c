/*
 * File descriptor tables (Linux: fs/file.c): allocation of the lowest free
 * descriptor, close-on-exec bits, dup/dup2/dup3, copying a table for fork
 * and dropping it at exit.
 *
 * Locking: files->file_lock (a spinlock) guards the table: fd[], the two
 * bitmaps, max_fds, next_fd. Nothing under it sleeps: the table grows with
 * the lock dropped (expand_files()), and files are fput() after unlocking,
 * since ->release may sleep. The table starts with 64 slots and doubles up
 * to RLIMIT_NOFILE (1024 by default, as Linux's).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/uaccess.h>
#include <kernel/syscalls.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/fdtable.h>
#include <fs/uapi.h>
#include "internal.h"

#define NR_OPEN_INITIAL 64
#define BITMAP_BYTES(n) (DIV_ROUND_UP(n, BITS_PER_LONG) * sizeof(long))

static bool test_bit(unsigned int nr, const unsigned long *map) { return map[nr / BITS_PER_LONG] & (1UL << (nr % BITS_PER_LONG)); }
static void set_bit(unsigned int nr, unsigned long *map) { map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG); }
static void clear_bit(unsigned int nr, unsigned long *map) { map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG)); }

static unsigned int find_next_zero_bit(const unsigned long *map, unsigned int size, unsigned int nr)
{
	while (nr < size && test_bit(nr, map))
		nr++;
	return nr;
}

unsigned int rlimit_nofile(void)
{
	struct signal_struct *sig = current->signal;
	unsigned long lim = sig && sig->rlim_nofile ? sig->rlim_nofile : NR_OPEN_DEFAULT;

	return min(lim, 1UL << 20);	/* Linux's NR_OPEN */
}

/* fd[], open_fds and close_on_exec in one allocation, all empty. */
static struct file **alloc_fdtable(unsigned int nr)
{
	return kzalloc(nr * sizeof(struct file *) + 2 * BITMAP_BYTES(nr), GFP_KERNEL);
}

static void install_fdtable(struct files_struct *files, struct file **fd, unsigned int nr)
{
	files->fd = fd;
	files->open_fds = (unsigned long *)(fd + nr);
	files->close_on_exec = (unsigned long *)((char *)files->open_fds + BITMAP_BYTES(nr));
	files->max_fds = nr;
}

struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);
	struct file **fd = alloc_fdtable(NR_OPEN_INITIAL);

	if (!files || !fd) {
		kfree(files);
		kfree(fd);
		return NULL;
	}
	files->count = 1;
	spin_lock_init(&files->file_lock);
	install_fdtable(files, fd, NR_OPEN_INITIAL);
	return files;
}

/* Make room for fd nr: drops and retakes file_lock; 0 or -ENOMEM. */
static int expand_files(struct files_struct *files, unsigned int nr)
{
	unsigned int size = files->max_fds;

	while (size <= nr)
		size *= 2;
	spin_unlock(&files->file_lock);
	struct file **fd = alloc_fdtable(size);
	spin_lock(&files->file_lock);
	if (!fd)
		return -ENOMEM;
	if (files->max_fds >= size) {	/* someone else grew it meanwhile */
		kfree(fd);
		return 0;
	}
	unsigned int old = files->max_fds;
	struct file **oldfd = files->fd;
	memcpy(fd, files->fd, old * sizeof(*fd));
	memcpy(fd + size, files->open_fds, BITMAP_BYTES(old));
	memcpy((char *)(fd + size) + BITMAP_BYTES(size), files->close_on_exec, BITMAP_BYTES(old));
	install_fdtable(files, fd, size);
	kfree(oldfd);
	return 0;
}

static void __set_cloexec(struct files_struct *files, unsigned int fd, bool on)
{
	if (on)
		set_bit(fd, files->close_on_exec);
	else
		clear_bit(fd, files->close_on_exec);
}

/* Reserve the lowest free fd in [start, end). */
static int alloc_fd(unsigned int start, unsigned int end, unsigned int flags)
{
	struct files_struct *files = current->files;
	unsigned int fd;
	int err = -EMFILE;

	if (!files)
		return -EMFILE;
	spin_lock(&files->file_lock);
	for (;;) {
		fd = find_next_zero_bit(files->open_fds, files->max_fds, max(start, files->next_fd));
		if (fd >= end)
			goto out;
		if (fd < files->max_fds)
			break;
		err = expand_files(files, fd);
		if (err)
			goto out;
	}
	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	set_bit(fd, files->open_fds);
	__set_cloexec(files, fd, flags & O_CLOEXEC);
	err = fd;
out:
	spin_unlock(&files->file_lock);
	return err;
}

int get_unused_fd_flags(unsigned int flags)
{
	return alloc_fd(0, rlimit_nofile(), flags);
}

static void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	clear_bit(fd, files->open_fds);
	if (fd < files->next_fd)
		files->next_fd = fd;
}

void put_unused_fd(unsigned int fd)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	__put_unused_fd(files, fd);
	spin_unlock(&files->file_lock);
}

void fd_install(unsigned int fd, struct file *f)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	WARN_ON(files->fd[fd] || !test_bit(fd, files->open_fds));
	files->fd[fd] = f;
	spin_unlock(&files->file_lock);
}

int fd_install_new(struct file *f, unsigned int flags)
{
	int fd = get_unused_fd_flags(flags);

	if (fd >= 0)
		fd_install(fd, f);
	return fd;
}

/*
 * Most calls that take an fd want an open file: fget() says EBADF for an
 * O_PATH one, as Linux's fdget(). Those that only name a file (fstat,
 * fchdir, dup, the *at() directory fds, fcntl's fd flags, clone3's cgroup)
 * use fget_raw(), as Linux's fdget_raw().
 */
struct file *fget(unsigned int fd)
{
	struct file *f = fget_raw(fd);

	if (f && (f->f_mode & FMODE_PATH)) {
		fput(f);
		return NULL;
	}
	return f;
}

struct file *fget_raw(unsigned int fd)
{
	struct files_struct *files = current->files;
	struct file *f = NULL;

	if (!files)
		return NULL;
	spin_lock(&files->file_lock);
	if (fd < files->max_fds && (f = files->fd[fd]))
		get_file(f);
	spin_unlock(&files->file_lock);
	return f;
}

/* task's fd table, referenced (put_files_struct()), or NULL once it has exited. */
static struct files_struct *get_task_files(struct task_struct *task)
{
	struct files_struct *files;

	task_lock(task);
	files = task->files;
	if (files)
		get_files_struct(files);
	task_unlock(task);
	return files;
}

struct file *fget_task(struct task_struct *task, unsigned int fd, bool *cloexec)
{
	struct files_struct *files = get_task_files(task);
	struct file *f = NULL;

	if (!files)
		return NULL;
	spin_lock(&files->file_lock);
	if (fd < files->max_fds && (f = files->fd[fd])) {
		get_file(f);
		if (cloexec)
			*cloexec = test_bit(fd, files->close_on_exec);
	}
	spin_unlock(&files->file_lock);
	put_files_struct(files);
	return f;
}

int task_next_fd(struct task_struct *task, unsigned int start)
{
	struct files_struct *files = get_task_files(task);
	int ret = -1;

	if (!files)
		return -1;
	spin_lock(&files->file_lock);
	for (unsigned int fd = start; fd < files->max_fds; fd++)
		if (files->fd[fd]) {
			ret = fd;
			break;
		}
	spin_unlock(&files->file_lock);
	put_files_struct(files);
	return ret;
}

unsigned int task_fd_max(struct task_struct *task)
{
	struct files_struct *files = get_task_files(task);
	unsigned int n = 0;

	if (files) {
		n = READ_ONCE(files->max_fds);
		put_files_struct(files);
	}
	return n;
}

/* Take fd out of the table: its file (the table's reference), or NULL. */
static struct file *pick_file(struct files_struct *files, unsigned int fd)
{
	struct file *f = NULL;

	spin_lock(&files->file_lock);
	if (fd < files->max_fds && (f = files->fd[fd])) {
		files->fd[fd] = NULL;
		clear_bit(fd, files->close_on_exec);
		__put_unused_fd(files, fd);
	}
	spin_unlock(&files->file_lock);
	return f;
}

int close_fd(unsigned int fd)
{
	struct file *f = current->files ? pick_file(current->files, fd) : NULL;

	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

bool get_close_on_exec(unsigned int fd)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	bool ret = fd < files->max_fds && test_bit(fd, files->close_on_exec);
	spin_unlock(&files->file_lock);
	return ret;
}

int set_close_on_exec(unsigned int fd, bool on)
{
	struct files_struct *files = current->files;
	int err = -EBADF;

	spin_lock(&files->file_lock);
	if (fd < files->max_fds && files->fd[fd]) {
		__set_cloexec(files, fd, on);
		err = 0;
	}
	spin_unlock(&files->file_lock);
	return err;
}

/* Put file (a reference the caller gives up) at fd, closing what was there. */
static int do_dup2(struct file *file, unsigned int fd, unsigned int flags)
{
	struct files_struct *files = current->files;
	struct file *tofree;
	int err = 0;

	spin_lock(&files->file_lock);
	while (!err && fd >= files->max_fds)
		err = expand_files(files, fd);
	if (!err && !files->fd[fd] && test_bit(fd, files->open_fds))
		err = -EBUSY;		/* reserved by an open() in another thread, as Linux says */
	if (err) {
		spin_unlock(&files->file_lock);
		fput(file);
		return err;
	}
	tofree = files->fd[fd];
	files->fd[fd] = file;
	set_bit(fd, files->open_fds);
	__set_cloexec(files, fd, flags & O_CLOEXEC);
	spin_unlock(&files->file_lock);
	if (tofree)
		fput(tofree);
	return fd;
}

int ksys_dup3(unsigned int oldfd, unsigned int newfd, int flags)
{
	if ((flags & ~O_CLOEXEC) || oldfd == newfd)
		return -EINVAL;
	if (newfd >= rlimit_nofile())
		return -EBADF;
	struct file *f = fget_raw(oldfd);
	if (!f)
		return -EBADF;
	return do_dup2(f, newfd, flags);
}

/* F_DUPFD and dup(): the lowest free fd from start. */
int f_dupfd(unsigned int start, struct file *f, unsigned int flags)
{
	unsigned int end = rlimit_nofile();

	if (start >= end)
		return -EINVAL;
	int fd = alloc_fd(start, end, flags);
	if (fd >= 0)
		fd_install(fd, get_file(f));
	return fd;
}

SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	return ksys_dup3(oldfd, newfd, flags);
}

SYSCALL_DEFINE2(dup2, unsigned int, oldfd, unsigned int, newfd)
{
	if (oldfd == newfd) {
		struct file *f = fget_raw(oldfd);
		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return ksys_dup3(oldfd, newfd, 0);
}

SYSCALL_DEFINE1(dup, unsigned int, fildes)
{
	struct file *f = fget_raw(fildes);

	if (!f)
		return -EBADF;
	int fd = f_dupfd(0, f, 0);
	fput(f);
	return fd;
}

/* fork without CLONE_FILES: a copy sharing the open files. NULL when out of memory. */
struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *files = files_alloc();
	unsigned int n;

	if (!files)
		return NULL;
	spin_lock(&old->file_lock);
	while ((n = old->max_fds) > files->max_fds) {	/* grow the copy to match, unlocked */
		spin_unlock(&old->file_lock);
		spin_lock(&files->file_lock);
		int err = expand_files(files, n - 1);
		spin_unlock(&files->file_lock);
		if (err) {
			put_files_struct(files);
			return NULL;
		}
		spin_lock(&old->file_lock);
	}
	for (unsigned int fd = 0; fd < n; fd++) {
		struct file *f = old->fd[fd];
		if (!f)
			continue;	/* reserved but not installed: not the child's */
		files->fd[fd] = get_file(f);
		set_bit(fd, files->open_fds);
		if (test_bit(fd, old->close_on_exec))
			set_bit(fd, files->close_on_exec);
	}
	files->next_fd = find_next_zero_bit(files->open_fds, files->max_fds, 0);
	spin_unlock(&old->file_lock);
	return files;
}

void get_files_struct(struct files_struct *files)
{
	__atomic_add_fetch(&files->count, 1, __ATOMIC_RELAXED);
}

void put_files_struct(struct files_struct *files)
{
	if (!files || __atomic_sub_fetch(&files->count, 1, __ATOMIC_ACQ_REL))
		return;
	/* The last user: nobody else can reach the table, so no lock. */
	for (unsigned int fd = 0; fd < files->max_fds; fd++)
		if (files->fd[fd])
			fput(files->fd[fd]);
	kfree(files->fd);
	kfree(files);
}

void exit_files(struct task_struct *tsk)
{
	put_files_struct(task_detach(tsk, files));
}

/* exec: close every fd marked close-on-exec. */
void do_close_on_exec(struct files_struct *files)
{
	unsigned int fd = 0;

	spin_lock(&files->file_lock);
	for (; fd < files->max_fds; fd++) {
		struct file *f = files->fd[fd];
		if (!f || !test_bit(fd, files->close_on_exec))
			continue;
		files->fd[fd] = NULL;
		clear_bit(fd, files->close_on_exec);
		__put_unused_fd(files, fd);
		spin_unlock(&files->file_lock);
		fput(f);
		spin_lock(&files->file_lock);
	}
	spin_unlock(&files->file_lock);
}
