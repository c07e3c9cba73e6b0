/*
 * ktests for path lookup, files, directories and descriptors (see
 * vfs_test.h for how they call the system calls). Linux is the oracle for
 * every errno checked here.
 */
#include "vfs_test.h"

/* Remove a tree: what rm -rf does, through the kernel's own interfaces. */
struct rm_ctx {
	struct dir_context ctx;
	char name[NAME_MAX + 1];
	bool found;
};

static bool rm_actor(struct dir_context *ctx, const char *name, int len, loff_t pos, u64 ino, unsigned int type)
{
	struct rm_ctx *r = container_of(ctx, struct rm_ctx, ctx);

	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	memcpy(r->name, name, len);
	r->name[len] = 0;
	r->found = true;
	return false;
}

int vfs_test_rm_rf(const char *path)
{
	struct path p;
	int err = kern_path_at(AT_FDCWD, path, 0, &p);

	if (err)
		return err;
	bool dir = S_ISDIR(p.dentry->d_inode->i_mode);
	path_put(&p);
	if (!dir)
		return do_unlinkat(AT_FDCWD, path);
	char *child = kmalloc(PATH_MAX, GFP_KERNEL);
	for (;;) {
		struct rm_ctx r = { .ctx.actor = rm_actor };
		struct file *f = filp_open(path, O_RDONLY | O_DIRECTORY, 0);
		if (IS_ERR(f)) {
			kfree(child);
			return PTR_ERR(f);
		}
		iterate_dir(f, &r.ctx);
		fput(f);
		if (!r.found)
			break;
		snprintf(child, PATH_MAX, "%s/%s", path, r.name);
		if ((err = vfs_test_rm_rf(child)))
			break;
	}
	kfree(child);
	return err ? err : do_rmdir(AT_FDCWD, path);
}

KTEST(vfs_path_lookup)
{
	struct vfs_env e;
	char buf[64];
	static char longname[NAME_MAX + 8], longpath[PATH_MAX + 8];

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(mkdir, P("/vt"), 0755), 0);
	KT_ASSERT_EQ(SYS(mkdir, P("/vt/a"), 0755), 0);
	KT_ASSERT_EQ(SYS(mkdir, P("/vt/a/b/"), 0755), 0);	/* a trailing slash is fine for mkdir */
	KT_ASSERT_EQ(vfs_test_put("/vt/a/b/f", "hello"), 5);
	KT_ASSERT_EQ(vfs_test_get("//vt/./a//b/../b/f", buf, sizeof(buf)), 5);
	KT_ASSERT_STREQ(buf, "hello");
	KT_ASSERT_EQ(vfs_test_get("/../../vt/a/b/f", buf, sizeof(buf)), 5);	/* ".." stops at the root */

	KT_ASSERT_EQ(SYS(open, P("/vt/nope/f"), O_RDONLY), -ENOENT);
	KT_ASSERT_EQ(SYS(open, P("/vt/a/b/f/x"), O_RDONLY), -ENOTDIR);
	KT_ASSERT_EQ(SYS(open, P("/vt/a/b/f/"), O_RDONLY), -ENOTDIR);
	KT_ASSERT_EQ(SYS(open, P("/vt/a/b/f/."), O_RDONLY), -ENOTDIR);
	KT_ASSERT_EQ(SYS(open, P("/vt/a/b/g/"), O_RDWR | O_CREAT, 0644), -EISDIR);
	KT_ASSERT_EQ(SYS(open, P("/vt/a"), O_WRONLY), -EISDIR);
	KT_ASSERT_EQ(SYS(open, P("/vt/a"), O_RDONLY | O_CREAT, 0644), -EISDIR);
	KT_ASSERT_EQ(SYS(open, P("/vt/a/b/f"), O_RDONLY | O_DIRECTORY), -ENOTDIR);
	KT_ASSERT_EQ(SYS(open, P("/vt/a/b/f"), O_RDWR | O_CREAT | O_EXCL, 0644), -EEXIST);
	KT_ASSERT_EQ(SYS(open, P(""), O_RDONLY), -ENOENT);
	KT_ASSERT_EQ(SYS(mkdir, P("/vt/a"), 0755), -EEXIST);
	KT_ASSERT_EQ(SYS(mkdir, P("/vt/a/b/f"), 0755), -EEXIST);
	KT_ASSERT_EQ(SYS(mkdir, P("/vt/nope/x"), 0755), -ENOENT);
	KT_ASSERT_EQ(SYS(mkdir, P("/"), 0755), -EEXIST);
	memset(longname, 'n', NAME_MAX + 1);
	KT_ASSERT_EQ(SYS(mkdir, P(longname), 0755), -ENAMETOOLONG);
	KT_ASSERT_EQ(SYS(open, P(longname), O_RDONLY), -ENAMETOOLONG);
	longname[NAME_MAX] = 0;					/* exactly NAME_MAX is allowed */
	KT_ASSERT_EQ(SYS(chdir, P("/vt")), 0);
	KT_ASSERT_EQ(SYS(mkdir, P(longname), 0755), 0);
	KT_ASSERT_EQ(SYS(rmdir, P(longname)), 0);
	memset(longpath, 'a', PATH_MAX);
	for (int i = 1; i < PATH_MAX; i += 2)
		longpath[i] = '/';
	KT_ASSERT_EQ(SYS(open, P(longpath), O_RDONLY), -ENAMETOOLONG);
	longpath[PATH_MAX - 1] = 0;				/* fits with the NUL: just absent */
	KT_ASSERT_EQ(SYS(open, P(longpath), O_RDONLY), -ENOENT);

	/* Relative names, the working directory, *at() with a directory fd. */
	KT_ASSERT_EQ(vfs_test_get("a/b/f", buf, sizeof(buf)), 5);
	long dfd = SYS(open, P("/vt/a"), O_RDONLY | O_DIRECTORY);
	KT_ASSERT(dfd >= 0);
	long fd = SYS(openat, dfd, P("b/f"), O_RDONLY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(SYS(openat, fd, P("x"), O_RDONLY), -ENOTDIR);	/* a file as the directory */
	KT_ASSERT_EQ(SYS(openat, 999, P("x"), O_RDONLY), -EBADF);
	long fd2 = SYS(openat, 999, P("/vt/a/b/f"), O_RDONLY);		/* absolute: dfd unused */
	KT_ASSERT(fd2 >= 0);
	SYS(close, fd2);
	SYS(close, fd);
	KT_ASSERT_EQ(SYS(mkdirat, dfd, P("c"), 0700), 0);
	struct stat st;
	KT_ASSERT_EQ(SYS(newfstatat, AT_FDCWD, P("a/c"), P(&st), 0), 0);
	KT_ASSERT(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);	/* umask 022 leaves 0700 */
	KT_ASSERT_EQ(SYS(unlinkat, dfd, P("c"), AT_REMOVEDIR), 0);
	KT_ASSERT_EQ(SYS(unlinkat, dfd, P("c"), 0x4), -EINVAL);
	KT_ASSERT_EQ(SYS(fchdir, dfd), 0);
	KT_ASSERT_EQ(SYS(getcwd, P(buf), sizeof(buf)), 6);
	KT_ASSERT_STREQ(buf, "/vt/a");
	KT_ASSERT_EQ(SYS(getcwd, P(buf), 5), -ERANGE);
	KT_ASSERT_EQ(SYS(chdir, P("b/f")), -ENOTDIR);
	KT_ASSERT_EQ(SYS(chdir, P("..")), 0);
	KT_ASSERT_EQ(SYS(getcwd, P(buf), sizeof(buf)), 4);
	KT_ASSERT_STREQ(buf, "/vt");
	SYS(close, dfd);

	/* Symbolic links. */
	KT_ASSERT_EQ(SYS(symlink, P("a/b/f"), P("/vt/lf")), 0);
	KT_ASSERT_EQ(SYS(symlink, P("/vt/a"), P("/vt/ld")), 0);
	KT_ASSERT_EQ(SYS(symlink, P("loop2"), P("/vt/loop1")), 0);
	KT_ASSERT_EQ(SYS(symlink, P("loop1"), P("/vt/loop2")), 0);
	KT_ASSERT_EQ(SYS(symlink, P("nothing"), P("/vt/dangling")), 0);
	KT_ASSERT_EQ(vfs_test_get("/vt/lf", buf, sizeof(buf)), 5);
	KT_ASSERT_EQ(vfs_test_get("/vt/ld/b/f", buf, sizeof(buf)), 5);
	KT_ASSERT_EQ(SYS(open, P("/vt/loop1"), O_RDONLY), -ELOOP);
	KT_ASSERT_EQ(SYS(open, P("/vt/lf"), O_RDONLY | O_NOFOLLOW), -ELOOP);
	KT_ASSERT_EQ(SYS(open, P("/vt/dangling"), O_RDONLY), -ENOENT);
	KT_ASSERT_EQ(SYS(stat, P("/vt/lf"), P(&st)), 0);
	KT_ASSERT(S_ISREG(st.st_mode) && st.st_size == 5);
	KT_ASSERT_EQ(SYS(lstat, P("/vt/lf"), P(&st)), 0);
	KT_ASSERT(S_ISLNK(st.st_mode) && st.st_size == 5);
	KT_ASSERT_EQ(SYS(readlink, P("/vt/lf"), P(buf), sizeof(buf)), 5);
	KT_ASSERT(!memcmp(buf, "a/b/f", 5));
	KT_ASSERT_EQ(SYS(readlink, P("/vt/lf"), P(buf), 3), 3);
	KT_ASSERT_EQ(SYS(readlink, P("/vt/a"), P(buf), sizeof(buf)), -EINVAL);
	KT_ASSERT_EQ(SYS(chdir, P("ld/b")), 0);
	KT_ASSERT_EQ(SYS(getcwd, P(buf), sizeof(buf)), 8);
	KT_ASSERT_STREQ(buf, "/vt/a/b");			/* the directory, not the link */

	/* getcwd of a removed directory. */
	KT_ASSERT_EQ(SYS(mkdir, P("/vt/gone"), 0755), 0);
	KT_ASSERT_EQ(SYS(chdir, P("/vt/gone")), 0);
	KT_ASSERT_EQ(SYS(rmdir, P("/vt/gone")), 0);
	KT_ASSERT_EQ(SYS(getcwd, P(buf), sizeof(buf)), -ENOENT);
	KT_ASSERT_EQ(SYS(open, P("new"), O_RDWR | O_CREAT, 0644), -ENOENT);	/* in a removed directory */
	KT_ASSERT_EQ(SYS(chdir, P("/")), 0);

	KT_ASSERT_EQ(vfs_test_rm_rf("/vt"), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

KTEST(vfs_read_write_seek)
{
	struct vfs_env e;
	static char buf[3 * PAGE_SIZE];
	struct stat st;

	vfs_env_enter(&e);
	long fd = SYS(open, P("/rw"), O_RDWR | O_CREAT | O_EXCL, 0600);
	KT_ASSERT_EQ(fd, 0);
	KT_ASSERT_EQ(SYS(write, fd, P("0123456789"), 10), 10);
	KT_ASSERT_EQ(SYS(lseek, fd, 0, SEEK_CUR), 10);
	KT_ASSERT_EQ(SYS(read, fd, P(buf), 10), 0);		/* at the end */
	KT_ASSERT_EQ(SYS(lseek, fd, 2, SEEK_SET), 2);
	KT_ASSERT_EQ(SYS(read, fd, P(buf), 3), 3);
	KT_ASSERT(!memcmp(buf, "234", 3));
	KT_ASSERT_EQ(SYS(lseek, fd, -1, SEEK_END), 9);
	KT_ASSERT_EQ(SYS(lseek, fd, -20, SEEK_END), -EINVAL);
	KT_ASSERT_EQ(SYS(lseek, fd, 0, 7), -EINVAL);
	KT_ASSERT_EQ(SYS(lseek, fd, 3, SEEK_DATA), 3);
	KT_ASSERT_EQ(SYS(lseek, fd, 3, SEEK_HOLE), 10);
	KT_ASSERT_EQ(SYS(lseek, fd, 10, SEEK_DATA), -ENXIO);

	/* A hole: write far beyond the end, what lies between reads as zeros. */
	KT_ASSERT_EQ(SYS(pwrite64, fd, P("end"), 3, 2 * PAGE_SIZE + 100), 3);
	KT_ASSERT_EQ(SYS(fstat, fd, P(&st)), 0);
	KT_ASSERT_EQ(st.st_size, 2 * PAGE_SIZE + 103);
	memset(buf, 'x', sizeof(buf));
	KT_ASSERT_EQ(SYS(pread64, fd, P(buf), sizeof(buf), 0), 2 * PAGE_SIZE + 103);
	KT_ASSERT(!memcmp(buf, "0123456789", 10));
	KT_ASSERT(!memchr_inv(buf + 10, 0, 2 * PAGE_SIZE + 90));
	KT_ASSERT(!memcmp(buf + 2 * PAGE_SIZE + 100, "end", 3));
	KT_ASSERT_EQ(SYS(lseek, fd, 0, SEEK_CUR), 10);		/* pread/pwrite leave f_pos alone */
	KT_ASSERT_EQ(SYS(pread64, fd, P(buf), 1, -1), -EINVAL);

	/* Truncate down into a page, then grow: the cut part reads as zeros. */
	KT_ASSERT_EQ(SYS(ftruncate, fd, 5), 0);
	KT_ASSERT_EQ(SYS(truncate, P("/rw"), PAGE_SIZE + 1), 0);
	memset(buf, 'x', sizeof(buf));
	KT_ASSERT_EQ(SYS(pread64, fd, P(buf), sizeof(buf), 0), PAGE_SIZE + 1);
	KT_ASSERT(!memcmp(buf, "01234", 5) && !memchr_inv(buf + 5, 0, PAGE_SIZE - 4));
	KT_ASSERT_EQ(SYS(truncate, P("/rw"), -1), -EINVAL);
	KT_ASSERT_EQ(SYS(truncate, P("/"), 0), -EISDIR);
	KT_ASSERT_EQ(SYS(ftruncate, fd, (1L << 40)), -EFBIG);

	/* A write across page boundaries, then readv and writev. */
	memset(buf, 'w', sizeof(buf));
	KT_ASSERT_EQ(SYS(pwrite64, fd, P(buf), 2 * PAGE_SIZE, 100), 2 * PAGE_SIZE);
	struct iovec iov[3] = { { (void *)"ab", 2 }, { (void *)"", 0 }, { (void *)"cde", 3 } };
	KT_ASSERT_EQ(SYS(lseek, fd, 0, SEEK_SET), 0);
	KT_ASSERT_EQ(SYS(writev, fd, P(iov), 3), 5);
	char r1[3], r2[4];
	struct iovec riov[2] = { { r1, 3 }, { r2, 4 } };
	KT_ASSERT_EQ(SYS(lseek, fd, 0, SEEK_SET), 0);
	KT_ASSERT_EQ(SYS(readv, fd, P(riov), 2), 7);
	KT_ASSERT(!memcmp(r1, "abc", 3) && !memcmp(r2, "de", 2) && !memcmp(r2 + 2, "\0\0", 2));
	KT_ASSERT_EQ(SYS(readv, fd, P(riov), UIO_MAXIOV + 1), -EINVAL);
	KT_ASSERT_EQ(SYS(close, fd), 0);

	/* O_APPEND, O_TRUNC, access modes. */
	fd = SYS(open, P("/rw"), O_WRONLY | O_APPEND | O_TRUNC);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(SYS(write, fd, P("12"), 2), 2);
	KT_ASSERT_EQ(SYS(lseek, fd, 0, SEEK_SET), 0);
	KT_ASSERT_EQ(SYS(write, fd, P("34"), 2), 2);
	KT_ASSERT_EQ(SYS(read, fd, P(buf), 1), -EBADF);
	KT_ASSERT_EQ(SYS(close, fd), 0);
	KT_ASSERT_EQ(vfs_test_get("/rw", buf, sizeof(buf)), 4);
	KT_ASSERT_STREQ(buf, "1234");
	fd = SYS(open, P("/rw"), O_RDONLY);
	KT_ASSERT_EQ(SYS(write, fd, P("x"), 1), -EBADF);
	KT_ASSERT_EQ(SYS(ftruncate, fd, 0), -EINVAL);
	KT_ASSERT_EQ(SYS(read, fd, 0, 0), 0);
	SYS(close, fd);
	fd = SYS(open, P("/"), O_RDONLY);
	KT_ASSERT_EQ(SYS(read, fd, P(buf), 1), -EISDIR);
	SYS(close, fd);

	/* kernel_read/kernel_write and file_path. */
	struct file *f = filp_open("/rw", O_RDWR, 0);
	KT_ASSERT(!IS_ERR(f));
	loff_t pos = 4;
	KT_ASSERT_EQ(kernel_write(f, "56", 2, &pos), 2);
	KT_ASSERT_EQ(pos, 6);
	pos = 0;
	KT_ASSERT_EQ(kernel_read(f, buf, 100, &pos), 6);
	KT_ASSERT(!memcmp(buf, "123456", 6));
	KT_ASSERT_STREQ(file_path(f, buf, 64), "/rw");
	KT_ASSERT_EQ(SYS(unlink, P("/rw")), 0);
	KT_ASSERT_STREQ(file_path(f, buf, 64), "/rw (deleted)");
	KT_ASSERT_EQ(kernel_read(f, buf, 100, &pos), 0);	/* still readable once unlinked */
	KT_ASSERT_EQ(f->f_inode->i_nlink, 0);
	fput(f);
	VFS_ENV_EXIT_CHECK(&e);
}

/* getdents64 record by record: names into out, separated by spaces. */
static long list_dir(long fd, char *out, size_t outsz, unsigned int bufsz)
{
	static char dbuf[1024];
	long total = 0, n;

	out[0] = 0;
	while ((n = SYS(getdents64, fd, P(dbuf), bufsz)) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(dbuf + off);
			if (d->d_reclen % 8 || d->d_reclen < 20)
				return -1000;
			size_t len = strlen(out);
			snprintf(out + len, outsz - len, "%s%s:%d", len ? " " : "", d->d_name, d->d_type);
			off += d->d_reclen;
			total++;
		}
	}
	return n < 0 ? n : total;
}

KTEST(vfs_getdents)
{
	struct vfs_env e;
	char names[256];
	static char dbuf[256];

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(mkdir, P("/gd"), 0755), 0);
	KT_ASSERT_EQ(SYS(mkdir, P("/gd/sub"), 0755), 0);
	KT_ASSERT_EQ(vfs_test_put("/gd/file", "x"), 1);
	KT_ASSERT_EQ(SYS(symlink, P("file"), P("/gd/link")), 0);
	long fd = SYS(open, P("/gd"), O_RDONLY | O_DIRECTORY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(list_dir(fd, names, sizeof(names), 1024), 5);
	KT_ASSERT_STREQ(names, ".:4 ..:4 sub:4 file:8 link:10");
	KT_ASSERT_EQ(SYS(getdents64, fd, P(dbuf), sizeof(dbuf)), 0);	/* at the end */
	KT_ASSERT_EQ(SYS(lseek, fd, 0, SEEK_SET), 0);
	KT_ASSERT_EQ(list_dir(fd, names, sizeof(names), 32), 5);	/* one record per call */
	KT_ASSERT_STREQ(names, ".:4 ..:4 sub:4 file:8 link:10");
	KT_ASSERT_EQ(SYS(lseek, fd, 0, SEEK_SET), 0);
	KT_ASSERT_EQ(SYS(getdents64, fd, P(dbuf), 10), -EINVAL);	/* not even one fits */
	KT_ASSERT_EQ(SYS(getdents64, fd, BAD_UPTR, sizeof(dbuf)), -EFAULT);

	/* The old getdents: d_type in the record's last byte. */
	KT_ASSERT_EQ(SYS(lseek, fd, 2, SEEK_SET), 2);
	long n = SYS(getdents, fd, P(dbuf), sizeof(dbuf));
	KT_ASSERT(n > 0);
	unsigned short reclen = *(unsigned short *)(dbuf + 16);
	KT_ASSERT_EQ(reclen, 24);
	KT_ASSERT_STREQ(dbuf + 18, "sub");
	KT_ASSERT_EQ(dbuf[reclen - 1], DT_DIR);
	SYS(close, fd);

	fd = SYS(open, P("/gd/file"), O_RDONLY);
	KT_ASSERT_EQ(SYS(getdents64, fd, P(dbuf), sizeof(dbuf)), -ENOTDIR);
	SYS(close, fd);
	KT_ASSERT_EQ(SYS(getdents64, 77, P(dbuf), sizeof(dbuf)), -EBADF);
	KT_ASSERT_EQ(vfs_test_rm_rf("/gd"), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

KTEST(vfs_unlink_rmdir_rename)
{
	struct vfs_env e;
	struct stat st;
	char buf[16];

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(mkdir, P("/ur"), 0755), 0);
	KT_ASSERT_EQ(SYS(mkdir, P("/ur/d"), 0755), 0);
	KT_ASSERT_EQ(vfs_test_put("/ur/d/f", "f"), 1);
	KT_ASSERT_EQ(SYS(stat, P("/ur"), P(&st)), 0);
	KT_ASSERT_EQ(st.st_nlink, 3);
	KT_ASSERT_EQ(SYS(rmdir, P("/ur/d")), -ENOTEMPTY);
	KT_ASSERT_EQ(SYS(unlink, P("/ur/d")), -EISDIR);
	KT_ASSERT_EQ(SYS(rmdir, P("/ur/d/f")), -ENOTDIR);
	KT_ASSERT_EQ(SYS(unlink, P("/ur/d/f/")), -ENOTDIR);
	KT_ASSERT_EQ(SYS(rmdir, P("/ur/d/.")), -EINVAL);
	KT_ASSERT_EQ(SYS(rmdir, P("/ur/d/..")), -ENOTEMPTY);
	KT_ASSERT_EQ(SYS(rmdir, P("/")), -EBUSY);
	KT_ASSERT_EQ(SYS(unlink, P("/ur/nope")), -ENOENT);
	KT_ASSERT_EQ(SYS(rmdir, P("/ur/nope")), -ENOENT);

	/* Hard links share the inode; the data lives until the last name and fd go. */
	KT_ASSERT_EQ(SYS(link, P("/ur/d/f"), P("/ur/h")), 0);
	KT_ASSERT_EQ(SYS(link, P("/ur/d"), P("/ur/h2")), -EPERM);
	KT_ASSERT_EQ(SYS(stat, P("/ur/h"), P(&st)), 0);
	KT_ASSERT_EQ(st.st_nlink, 2);
	long fd = SYS(open, P("/ur/h"), O_RDONLY);
	KT_ASSERT_EQ(SYS(unlink, P("/ur/h")), 0);
	KT_ASSERT_EQ(SYS(unlink, P("/ur/d/f")), 0);
	KT_ASSERT_EQ(SYS(fstat, fd, P(&st)), 0);
	KT_ASSERT_EQ(st.st_nlink, 0);
	KT_ASSERT_EQ(SYS(read, fd, P(buf), sizeof(buf)), 1);
	SYS(close, fd);
	KT_ASSERT_EQ(SYS(rmdir, P("/ur/d")), 0);

	/* rename, with Linux's rules for what may replace what. */
	KT_ASSERT_EQ(vfs_test_put("/ur/a", "A"), 1);
	KT_ASSERT_EQ(vfs_test_put("/ur/b", "B"), 1);
	KT_ASSERT_EQ(SYS(mkdir, P("/ur/x"), 0755), 0);
	KT_ASSERT_EQ(SYS(mkdir, P("/ur/y"), 0755), 0);
	KT_ASSERT_EQ(SYS(mkdir, P("/ur/y/z"), 0755), 0);
	KT_ASSERT_EQ(SYS(rename, P("/ur/a"), P("/ur/b")), 0);		/* file over file */
	KT_ASSERT_EQ(vfs_test_get("/ur/b", buf, sizeof(buf)), 1);
	KT_ASSERT_STREQ(buf, "A");
	KT_ASSERT_EQ(SYS(stat, P("/ur/a"), P(&st)), -ENOENT);
	KT_ASSERT_EQ(SYS(rename, P("/ur/b"), P("/ur/x")), -EISDIR);
	KT_ASSERT_EQ(SYS(rename, P("/ur/x"), P("/ur/b")), -ENOTDIR);
	KT_ASSERT_EQ(SYS(rename, P("/ur/x"), P("/ur/y")), -ENOTEMPTY);
	KT_ASSERT_EQ(SYS(rename, P("/ur/y"), P("/ur/y/z/w")), -EINVAL);	/* into itself */
	KT_ASSERT_EQ(SYS(rename, P("/ur/y/z"), P("/ur/y")), -ENOTEMPTY);	/* over its parent */
	KT_ASSERT_EQ(SYS(rename, P("/ur/b"), P("/ur/b/")), -ENOTDIR);
	KT_ASSERT_EQ(SYS(rename, P("/ur/."), P("/ur/q")), -EBUSY);
	KT_ASSERT_EQ(SYS(rename, P("/ur/y/z"), P("/ur/x")), 0);		/* dir over empty dir */
	KT_ASSERT_EQ(SYS(stat, P("/ur/y"), P(&st)), 0);
	KT_ASSERT_EQ(st.st_nlink, 2);
	KT_ASSERT_EQ(SYS(stat, P("/ur"), P(&st)), 0);
	KT_ASSERT_EQ(st.st_nlink, 4);					/* x and y */
	KT_ASSERT_EQ(SYS(renameat, AT_FDCWD, P("/ur/b"), AT_FDCWD, P("/ur/x/a-rather-long-name-for-the-inline-buffer")), 0);
	KT_ASSERT_EQ(vfs_test_get("/ur/x/a-rather-long-name-for-the-inline-buffer", buf, sizeof(buf)), 1);
	KT_ASSERT_EQ(SYS(rename, P("/ur/x"), P("/ur/x")), 0);
	KT_ASSERT_EQ(vfs_test_rm_rf("/ur"), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

KTEST(vfs_dup_cloexec_fcntl)
{
	struct vfs_env e;
	char buf[8];

	vfs_env_enter(&e);
	KT_ASSERT_EQ(vfs_test_put("/dup", "abcdef"), 6);
	long fd = SYS(open, P("/dup"), O_RDWR | O_CLOEXEC);
	KT_ASSERT_EQ(fd, 0);
	KT_ASSERT_EQ(SYS(fcntl, fd, F_GETFD), FD_CLOEXEC);
	KT_ASSERT_EQ(SYS(dup, fd), 1);
	KT_ASSERT_EQ(SYS(fcntl, 1, F_GETFD), 0);			/* dup clears close-on-exec */
	KT_ASSERT_EQ(SYS(read, 1, P(buf), 2), 2);
	KT_ASSERT_EQ(SYS(lseek, 0, 0, SEEK_CUR), 2);			/* one file, one offset */
	KT_ASSERT_EQ(SYS(dup2, 0, 5), 5);
	KT_ASSERT_EQ(SYS(dup2, 5, 5), 5);
	KT_ASSERT_EQ(SYS(dup2, 9, 9), -EBADF);
	KT_ASSERT_EQ(SYS(dup2, 0, 1024), -EBADF);
	KT_ASSERT_EQ(SYS(dup3, 5, 5, 0), -EINVAL);
	KT_ASSERT_EQ(SYS(dup3, 0, 6, O_APPEND), -EINVAL);
	KT_ASSERT_EQ(SYS(dup3, 0, 6, O_CLOEXEC), 6);
	KT_ASSERT_EQ(SYS(fcntl, 6, F_GETFD), FD_CLOEXEC);
	KT_ASSERT_EQ(SYS(fcntl, 0, F_DUPFD, 3), 3);			/* the lowest free from 3, not 2 */
	KT_ASSERT_EQ(SYS(fcntl, 0, F_DUPFD_CLOEXEC, 10), 10);
	KT_ASSERT_EQ(SYS(fcntl, 10, F_GETFD), FD_CLOEXEC);
	KT_ASSERT_EQ(SYS(fcntl, 0, F_DUPFD, 1024), -EINVAL);
	KT_ASSERT_EQ(SYS(fcntl, 3, F_SETFD, FD_CLOEXEC), 0);
	KT_ASSERT_EQ(SYS(fcntl, 0, F_SETFD, 0), 0);
	KT_ASSERT_EQ(SYS(fcntl, 0, 9999), -EINVAL);
	KT_ASSERT_EQ(SYS(fcntl, 99, F_GETFD), -EBADF);

	/* Status flags: only O_APPEND and O_NONBLOCK change. */
	KT_ASSERT_EQ(SYS(fcntl, 0, F_GETFL), O_RDWR | O_LARGEFILE);
	KT_ASSERT_EQ(SYS(fcntl, 0, F_SETFL, O_APPEND | O_NONBLOCK | O_RDONLY | O_TRUNC), 0);
	KT_ASSERT_EQ(SYS(fcntl, 5, F_GETFL), O_RDWR | O_LARGEFILE | O_APPEND | O_NONBLOCK);
	KT_ASSERT_EQ(SYS(ioctl, 0, FIONCLEX, 0), 0);
	KT_ASSERT_EQ(SYS(ioctl, 0, FIOCLEX, 0), 0);
	KT_ASSERT_EQ(SYS(ioctl, 0, 0x5401, 0), -ENOTTY);		/* TCGETS on a file */

	/* exec closes 0, 3, 6 and 10. */
	do_close_on_exec(current->files);
	KT_ASSERT_EQ(SYS(fcntl, 0, F_GETFD), -EBADF);
	KT_ASSERT_EQ(SYS(fcntl, 3, F_GETFD), -EBADF);
	KT_ASSERT_EQ(SYS(fcntl, 6, F_GETFD), -EBADF);
	KT_ASSERT_EQ(SYS(fcntl, 10, F_GETFD), -EBADF);
	KT_ASSERT_EQ(SYS(fcntl, 1, F_GETFD), 0);
	KT_ASSERT_EQ(SYS(fcntl, 5, F_GETFD), 0);

	/* fork's copy shares the files, not the table. */
	struct files_struct *copy = dup_fd(current->files), *mine = current->files;
	KT_ASSERT(copy);
	KT_ASSERT_EQ(SYS(close, 1), 0);
	KT_ASSERT_EQ(SYS(close, 1), -EBADF);
	current->files = copy;
	KT_ASSERT_EQ(SYS(read, 1, P(buf), 2), 2);
	KT_ASSERT_EQ(SYS(fcntl, 1, F_GETFD), 0);
	current->files = mine;
	KT_ASSERT_EQ(SYS(lseek, 5, 0, SEEK_CUR), 4);
	put_files_struct(copy);
	KT_ASSERT_EQ(SYS(unlink, P("/dup")), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

KTEST(vfs_fd_exhaustion)
{
	struct vfs_env e;
	long fd, n = 0;

	vfs_env_enter(&e);
	while ((fd = SYS(open, P("/dev/null"), O_RDONLY)) >= 0)
		KT_ASSERT_EQ(fd, n++);
	KT_ASSERT_EQ(fd, -EMFILE);
	KT_ASSERT_EQ(n, NR_OPEN_DEFAULT);
	KT_ASSERT_EQ(SYS(dup, 0), -EMFILE);
	KT_ASSERT_EQ(SYS(pipe, P((int[2]){ 0 })), -EMFILE);
	KT_ASSERT_EQ(SYS(open, P("/emfile"), O_RDWR | O_CREAT, 0644), -EMFILE);
	KT_ASSERT_EQ(SYS(stat, P("/emfile"), P(&(struct stat){ 0 })), -ENOENT);	/* nothing created */
	KT_ASSERT_EQ(SYS(close, 700), 0);
	KT_ASSERT_EQ(SYS(open, P("/dev/zero"), O_RDONLY), 700);
	KT_ASSERT_EQ(SYS(close, 3), 0);
	KT_ASSERT_EQ(SYS(close, 1000), 0);
	int p[2];
	KT_ASSERT_EQ(SYS(pipe, P(p)), 0);
	KT_ASSERT(p[0] == 3 && p[1] == 1000);
	for (fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		KT_ASSERT_EQ(SYS(close, fd), 0);
	KT_ASSERT_EQ(SYS(open, P("/dev/null"), O_RDONLY), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

/* Another ramfs on a directory: what was there is hidden until the umount. */
KTEST(vfs_mount)
{
	struct vfs_env e;
	struct stat st1, st2;
	char buf[32];

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(mkdir, P("/vfs_mnt"), 0755), 0);
	KT_ASSERT_EQ(vfs_test_put("/vfs_mnt/hidden", "under"), 5);
	KT_ASSERT_EQ(SYS(mount, P("none"), P("/vfs_mnt"), P("ramfs"), 0, 0), 0);
	KT_ASSERT_EQ(SYS(stat, P("/vfs_mnt/hidden"), P(&st1)), -ENOENT);
	KT_ASSERT_EQ(vfs_test_put("/vfs_mnt/top", "over"), 4);
	KT_ASSERT_EQ(SYS(stat, P("/vfs_mnt/top"), P(&st1)), 0);
	KT_ASSERT_EQ(SYS(stat, P("/"), P(&st2)), 0);
	KT_ASSERT(st1.st_dev != st2.st_dev);
	KT_ASSERT_EQ(SYS(chdir, P("/vfs_mnt")), 0);
	KT_ASSERT_EQ(SYS(getcwd, P(buf), sizeof(buf)), 9);
	KT_ASSERT_STREQ(buf, "/vfs_mnt");
	KT_ASSERT_EQ(SYS(stat, P(".."), P(&st1)), 0);
	KT_ASSERT_EQ(st1.st_ino, st2.st_ino);			/* ".." leaves the mount */
	KT_ASSERT_EQ(SYS(rename, P("top"), P("/moved")), -EXDEV);
	KT_ASSERT_EQ(SYS(rmdir, P("/vfs_mnt")), -EBUSY);
	KT_ASSERT_EQ(SYS(umount2, P("/vfs_mnt"), 0), -EBUSY);		/* our working directory */
	KT_ASSERT_EQ(SYS(chdir, P("/")), 0);
	KT_ASSERT_EQ(SYS(umount2, P("/vfs_mnt"), 0), 0);
	KT_ASSERT_EQ(SYS(stat, P("/vfs_mnt/top"), P(&st1)), -ENOENT);
	KT_ASSERT_EQ(vfs_test_get("/vfs_mnt/hidden", buf, sizeof(buf)), 5);	/* uncovered */
	KT_ASSERT_EQ(vfs_test_rm_rf("/vfs_mnt"), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

KTEST(vfs_stat_access_utimes)
{
	struct vfs_env e;
	struct stat st;
	struct statx sx;

	vfs_env_enter(&e);
	KT_ASSERT_EQ(vfs_test_put("/st", "12345"), 5);
	KT_ASSERT_EQ(SYS(stat, P("/st"), P(&st)), 0);
	KT_ASSERT(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644 && st.st_nlink == 1);
	KT_ASSERT(st.st_size == 5 && st.st_blksize == 4096 && st.st_blocks == 8);
	KT_ASSERT_EQ(SYS(statx, AT_FDCWD, P("/st"), 0, STATX_BASIC_STATS, P(&sx)), 0);
	KT_ASSERT_EQ(sx.stx_mask, STATX_BASIC_STATS);
	KT_ASSERT(sx.stx_ino == st.st_ino && sx.stx_size == 5 && sx.stx_mode == st.st_mode);
	KT_ASSERT(sx.stx_mtime.tv_sec == (s64)st.st_mtime_sec && sx.stx_mtime.tv_nsec == st.st_mtime_nsec);
	KT_ASSERT_EQ(SYS(statx, AT_FDCWD, P("/st"), 0x6000, 0, P(&sx)), -EINVAL);
	KT_ASSERT_EQ(SYS(statx, AT_FDCWD, P("/st"), 0x10000, 0, P(&sx)), -EINVAL);
	KT_ASSERT_EQ(SYS(newfstatat, AT_FDCWD, P("/st"), P(&st), 0x8000), -EINVAL);
	KT_ASSERT_EQ(SYS(newfstatat, AT_FDCWD, P(""), P(&st), 0), -ENOENT);
	KT_ASSERT_EQ(SYS(newfstatat, AT_FDCWD, P(""), P(&st), AT_EMPTY_PATH), 0);	/* the cwd */
	KT_ASSERT(S_ISDIR(st.st_mode));
	int p[2];
	KT_ASSERT_EQ(SYS(pipe, P(p)), 0);
	KT_ASSERT_EQ(SYS(newfstatat, p[0], P(""), P(&st), AT_EMPTY_PATH), 0);
	KT_ASSERT(S_ISFIFO(st.st_mode));
	KT_ASSERT_EQ(SYS(newfstatat, 55, P(""), P(&st), AT_EMPTY_PATH), -EBADF);
	KT_ASSERT_EQ(SYS(stat, P("/dev/zero"), P(&st)), 0);
	KT_ASSERT(S_ISCHR(st.st_mode) && st.st_rdev == MKDEV(1, 5));

	KT_ASSERT_EQ(SYS(access, P("/st"), R_OK | W_OK), 0);
	KT_ASSERT_EQ(SYS(access, P("/st"), X_OK), -EACCES);
	KT_ASSERT_EQ(SYS(access, P("/"), X_OK), 0);
	KT_ASSERT_EQ(SYS(access, P("/st"), 8), -EINVAL);
	KT_ASSERT_EQ(SYS(access, P("/nope"), F_OK), -ENOENT);
	KT_ASSERT_EQ(SYS(faccessat2, AT_FDCWD, P("/st"), F_OK, 0x1), -EINVAL);
	KT_ASSERT_EQ(SYS(faccessat, AT_FDCWD, P("st"), F_OK), 0);

	struct __kernel_timespec ts[2] = { { 1000, 5 }, { 2000, UTIME_OMIT } };
	KT_ASSERT_EQ(SYS(stat, P("/st"), P(&st)), 0);
	u64 mtime = st.st_mtime_sec;
	KT_ASSERT_EQ(SYS(utimensat, AT_FDCWD, P("/st"), P(ts), 0), 0);
	KT_ASSERT_EQ(SYS(stat, P("/st"), P(&st)), 0);
	KT_ASSERT(st.st_atime_sec == 1000 && st.st_atime_nsec == 5 && st.st_mtime_sec == mtime);
	ts[1] = (struct __kernel_timespec){ 3000, 0 };
	long fd = SYS(open, P("/st"), O_RDONLY);
	KT_ASSERT_EQ(SYS(utimensat, fd, 0, P(ts), 0), 0);		/* futimens */
	KT_ASSERT_EQ(SYS(fstat, fd, P(&st)), 0);
	KT_ASSERT_EQ(st.st_mtime_sec, 3000);
	ts[0].tv_nsec = NSEC_PER_SEC;
	KT_ASSERT_EQ(SYS(utimensat, fd, 0, P(ts), 0), -EINVAL);
	KT_ASSERT_EQ(SYS(utimensat, AT_FDCWD, P("/st"), 0, 0), 0);	/* now */
	KT_ASSERT_EQ(SYS(fsync, fd), 0);
	KT_ASSERT_EQ(SYS(fsync, p[0]), -EINVAL);
	KT_ASSERT_EQ(SYS(sync), 0);
	SYS(close, fd);
	KT_ASSERT_EQ(SYS(umask, 077), 022);
	KT_ASSERT_EQ(SYS(umask, 022), 077);
	KT_ASSERT_EQ(SYS(unlink, P("/st")), 0);
	VFS_ENV_EXIT_CHECK(&e);
}
