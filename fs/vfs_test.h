/*
 * Helpers for the VFS ktests (fs/vfs_*test.c). Tests call the real system
 * calls through the .syscalls records (the same wrappers the syscall table
 * dispatches to), with the kernel's buffers let through by
 * uaccess_kernel_begin(); SYS_USER() calls them without, so a kernel
 * pointer there is a bad user pointer.
 *
 * Each test runs in a fresh fd table and fs_struct of its own (pid 1 may
 * have none, or the console on fds 0-2), restored afterwards, and checks
 * that nr_free_pages() comes back to where it was.
 */
#ifndef _FS_VFS_TEST_H
#define _FS_VFS_TEST_H

#include <kernel/kernel.h>
#include <kernel/ktest_thread.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/fdtable.h>
#include <fs/fs_struct.h>
#include <fs/uapi.h>
#include "internal.h"


static inline long vfs_test_syscall(bool kernel_ptrs, unsigned int nr, const unsigned long *a)
{
	for (const struct syscall_meta *m = __start_syscalls; m < __stop_syscalls; m++) {
		if (m->nr != nr)
			continue;
		struct pt_regs regs = { .rdi = a[0], .rsi = a[1], .rdx = a[2], .r10 = a[3], .r8 = a[4], .r9 = a[5] };
		if (kernel_ptrs)
			uaccess_kernel_begin();
		long ret = m->fn(&regs);
		if (kernel_ptrs)
			uaccess_kernel_end();
		return ret;
	}
	return -ENOSYS;
}

/* SYS(name, args...): arguments are cast to unsigned long, pointers included. */
#define __VT_A(...) ((const unsigned long[6]){ __VA_ARGS__ })
#define SYS(name, ...) vfs_test_syscall(true, __NR_##name, __VT_A(__VA_ARGS__))
#define SYS_USER(name, ...) vfs_test_syscall(false, __NR_##name, __VT_A(__VA_ARGS__))
#define P(x) ((unsigned long)(x))
#define BAD_UPTR P(0x1000)		/* user space, never mapped in a kernel thread */

struct vfs_env {
	struct files_struct *saved_files;
	struct fs_struct *saved_fs;
	unsigned long pages;
};

static inline void vfs_env_enter(struct vfs_env *e)
{
	e->pages = nr_free_pages();
	struct files_struct *files = files_alloc();
	struct fs_struct *fs = fs_alloc_root();
	task_lock(current);
	e->saved_files = current->files;
	e->saved_fs = current->fs;
	current->files = files;
	current->fs = fs;
	task_unlock(current);
}

static inline void vfs_env_exit(struct vfs_env *e)
{
	exit_files(current);
	exit_fs(current);
	task_lock(current);
	current->files = e->saved_files;
	current->fs = e->saved_fs;
	task_unlock(current);
}

/* Leave the test's environment and check that every page came back. */
#define VFS_ENV_EXIT_CHECK(e) do {					\
	vfs_env_exit(e);							\
	KT_ASSERT_EQ(nr_free_pages(), (e)->pages);			\
} while (0)

/* A file with these contents (kernel strings), via the syscalls. */
static inline long vfs_test_put(const char *path, const char *s)
{
	long fd = SYS(open, P(path), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fd;
	long n = SYS(write, fd, P(s), strlen(s));
	SYS(close, fd);
	return n;
}

/* Read up to size-1 bytes of path into buf, NUL-terminated; length or error. */
static inline long vfs_test_get(const char *path, char *buf, size_t size)
{
	long fd = SYS(open, P(path), O_RDONLY, 0);
	if (fd < 0)
		return fd;
	long n = SYS(read, fd, P(buf), size - 1);
	SYS(close, fd);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

int vfs_test_rm_rf(const char *path);	/* vfs_test.c */

#endif
