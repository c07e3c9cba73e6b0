/*
 * Mounts: mount(2) and umount2(2) with Linux's flags and errors, statfs(2)
 * and fstatfs(2), tmpfs's limits, busy and lazy unmounts, read-only,
 * noexec and nodev mounts, bind and move, and sysfs's files. Every test
 * mounts on directories of its own under /tmp and unmounts what it
 * mounted, so the free-memory check sees each file system go.
 */
#include "usertests.h"
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#define TMPFS_MAGIC 0x01021994
#define RAMFS_MAGIC 0x858458f6
#define SYSFS_MAGIC 0x62656572
#define PIPEFS_MAGIC 0x50495045
#define ST_VALID 0x20			/* statfs f_flags is filled in (musl does not name it) */
#define F_VALID_RELATIME (ST_VALID | ST_RELATIME)	/* a plain mount's statfs f_flags */

/* A fresh directory /tmp/usertests-NAME-PID. */
static void make_dir(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "/tmp/usertests-%s-%d", name, (int)getpid());
	CHECK(mkdir(buf, 0755) == 0, "mkdir %s: %s", buf, strerror(errno));
}

static void put_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0, "create %s: %s", path, strerror(errno));
	CHECK(write(fd, s, strlen(s)) == (ssize_t)strlen(s), "write %s: %s", path, strerror(errno));
	close(fd);
}

/* The contents of path (at most size-1 bytes), or "" if it cannot be read. */
static const char *get_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static void do_mount(const char *src, const char *dir, const char *type, unsigned long flags, const char *data)
{
	CHECK(mount(src, dir, type, flags, data) == 0, "mount -t %s %s %s (%#lx, %s): %s", type ? type : "-",
	      src ? src : "-", dir, flags, data ? data : "-", strerror(errno));
}

static void do_umount(const char *dir)
{
	CHECK(umount2(dir, 0) == 0, "umount %s: %s", dir, strerror(errno));
}

static void expect_mount_err(long r, int err, const char *what)
{
	CHECK(r == -err, "%s: %s, expected -%d", what, res(r), err);
}

static void t_mount_errors(void)
{
	char d[64], f[80], missing[80];

	make_dir(d, sizeof d, "merr");
	snprintf(f, sizeof f, "%s/file", d);
	snprintf(missing, sizeof missing, "%s/missing", d);
	put_file(f, "x");
	expect_mount_err(RAW(SYS_mount, "none", d, "nosuchfs", 0, 0), ENODEV, "an unknown type");
	expect_mount_err(RAW(SYS_mount, "none", d, "pipefs", 0, 0), EINVAL, "pipefs, the kernel's own");
	expect_mount_err(RAW(SYS_mount, "none", missing, "tmpfs", 0, 0), ENOENT, "a missing mount point");
	expect_mount_err(RAW(SYS_mount, "none", f, "tmpfs", 0, 0), ENOTDIR, "a file as mount point");
	expect_mount_err(RAW(SYS_mount, "none", d, 0, 0, 0), EINVAL, "no type");
	expect_mount_err(RAW(SYS_mount, "none", 0, "tmpfs", 0, 0), EFAULT, "a NULL mount point");
	expect_mount_err(RAW(SYS_mount, "none", d, 1, 0, 0), EFAULT, "a bad type pointer");
	expect_mount_err(RAW(SYS_mount, 1, d, "tmpfs", 0, 0), EFAULT, "a bad source pointer");
	expect_mount_err(RAW(SYS_mount, "none", d, "tmpfs", 0, 1), EFAULT, "a bad data pointer");
	expect_mount_err(RAW(SYS_mount, "none", d, "tmpfs", MS_NOUSER, 0), EINVAL, "MS_NOUSER");
	expect_mount_err(RAW(SYS_mount, "none", d, "tmpfs", 0, "bogus=1"), EINVAL, "tmpfs, an unknown option");
	expect_mount_err(RAW(SYS_mount, "none", d, "tmpfs", 0, "size=12q"), EINVAL, "tmpfs, a bad size");
	expect_mount_err(RAW(SYS_mount, 0, f, 0, MS_PRIVATE, 0), EINVAL, "MS_PRIVATE on a non-mount");
	expect_mount_err(RAW(SYS_mount, "none", d, "ramfs", 0, "bogus=1"), 0, "ramfs ignores options");
	expect_mount_err(RAW(SYS_mount, "none", d, 0, MS_REMOUNT, 0), 0, "a remount with no options");
	do_umount(d);
	expect_mount_err(RAW(SYS_umount2, d, 0), EINVAL, "umount of a directory that is no mount point");
	expect_mount_err(RAW(SYS_umount2, missing, 0), ENOENT, "umount of a missing name");
	expect_mount_err(RAW(SYS_umount2, d, 0x10), EINVAL, "umount2 with an unknown flag");
	expect_mount_err(RAW(SYS_umount2, 0, 0), EFAULT, "umount2 of NULL");
	expect_mount_err(RAW(SYS_umount2, "/", 0), EINVAL, "umount of the root");
	expect_mount_err(RAW(SYS_mount, "none", d, "tmpfs", MS_MGC_VAL, 0), 0, "the old magic in flags");
	expect_mount_err(RAW(SYS_umount2, d, MNT_FORCE), 0, "MNT_FORCE on an idle mount");
	unlink(f);
	rmdir(d);
}

static void t_mount_tmpfs(void)
{
	char d[64], f[80], buf[64];
	struct stat before, st;
	struct statfs sf;

	make_dir(d, sizeof d, "tmpfs");
	snprintf(f, sizeof f, "%s/f", d);
	put_file(f, "under");
	CHECK(stat(d, &before) == 0, "stat: %s", strerror(errno));
	do_mount("none", d, "tmpfs", 0, "size=1m");
	CHECK(stat(d, &st) == 0 && st.st_dev != before.st_dev, "the mount point has the old st_dev");
	CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777, "tmpfs root mode %o, not 1777", st.st_mode);
	CHECK(access(f, F_OK) < 0 && errno == ENOENT, "the file below the mount shows through");
	CHECK(statfs(d, &sf) == 0, "statfs: %s", strerror(errno));
	CHECK(sf.f_type == TMPFS_MAGIC && sf.f_bsize == 4096 && sf.f_frsize == 4096 && sf.f_namelen == 255,
	      "statfs type %#lx bsize %ld frsize %ld namelen %ld", (long)sf.f_type, (long)sf.f_bsize,
	      (long)sf.f_frsize, (long)sf.f_namelen);
	CHECK(sf.f_blocks == 256 && sf.f_bfree == 256 && sf.f_bavail == 256, "size=1m: %ld blocks, %ld free",
	      (long)sf.f_blocks, (long)sf.f_bfree);
	CHECK(sf.f_files > 1 && sf.f_ffree == sf.f_files - 1, "inodes %ld, free %ld (the root uses one)",
	      (long)sf.f_files, (long)sf.f_ffree);
	CHECK(sf.f_flags == F_VALID_RELATIME, "statfs f_flags %#lx, expected %#x", (long)sf.f_flags, F_VALID_RELATIME);
	CHECK(sf.f_fsid.__val[0] || sf.f_fsid.__val[1], "tmpfs has no fsid");

	put_file(f, "x");
	struct statfs sf2;
	CHECK(statfs(d, &sf2) == 0 && sf2.f_bfree == 255 && sf2.f_ffree == sf.f_ffree - 1,
	      "after a 1-byte file: %ld blocks free, %ld inodes free", (long)sf2.f_bfree, (long)sf2.f_ffree);

	/* Filling it: a short write, then ENOSPC. */
	static char big[1 << 20];
	int fd = open(f, O_WRONLY | O_APPEND);
	CHECK(fd >= 0, "open: %s", strerror(errno));
	CHECK(fstatfs(fd, &sf2) == 0 && sf2.f_type == TMPFS_MAGIC, "fstatfs: %s", strerror(errno));
	ssize_t n = write(fd, big, sizeof big);
	CHECK(n == (ssize_t)(sizeof big - 1), "write into a full tmpfs: %zd bytes", n);	/* 255 pages and a tail */
	CHECK(write(fd, big, 1) < 0 && errno == ENOSPC, "the next write: not ENOSPC");
	close(fd);

	do_umount(d);
	CHECK(stat(d, &st) == 0 && st.st_dev == before.st_dev, "st_dev after umount");
	CHECK(strcmp(get_file(f, buf, sizeof buf), "under") == 0, "the hidden file is back: '%s'", buf);
	unlink(f);
	rmdir(d);
}

/* Mounts stack: the newest hides the others, each umount uncovers the one below. */
static void t_mount_stacked(void)
{
	char d[64], f[80], buf[64];
	struct statfs sf;

	make_dir(d, sizeof d, "stack");
	snprintf(f, sizeof f, "%s/f", d);
	do_mount("one", d, "ramfs", 0, NULL);
	put_file(f, "one");
	CHECK(statfs(d, &sf) == 0 && sf.f_type == RAMFS_MAGIC && sf.f_blocks == 0 && sf.f_files == 0 &&
	      sf.f_flags == F_VALID_RELATIME, "ramfs statfs: type %#lx blocks %ld flags %#lx",
	      (long)sf.f_type, (long)sf.f_blocks, (long)sf.f_flags);
	do_mount("two", d, "ramfs", 0, NULL);
	CHECK(access(f, F_OK) < 0, "the lower mount's file shows through");
	put_file(f, "two");
	CHECK(strcmp(get_file(f, buf, sizeof buf), "two") == 0, "top: '%s'", buf);
	do_umount(d);
	CHECK(strcmp(get_file(f, buf, sizeof buf), "one") == 0, "after one umount: '%s'", buf);
	do_umount(d);
	CHECK(access(f, F_OK) < 0, "after both: the file is still there");
	rmdir(d);
}

/* A mount in use refuses umount: an open file, a working directory, a mount below it. */
static void t_umount_busy(void)
{
	char d[64], f[80], sub[80], moved[80];

	make_dir(d, sizeof d, "busy");
	snprintf(f, sizeof f, "%s/f", d);
	snprintf(sub, sizeof sub, "%s/sub", d);
	do_mount("none", d, "tmpfs", 0, NULL);
	put_file(f, "x");
	int fd = open(f, O_RDONLY);
	CHECK(fd >= 0, "open: %s", strerror(errno));
	CHECK(umount2(d, 0) < 0 && errno == EBUSY, "umount with a file open: not EBUSY");
	close(fd);
	CHECK(chdir(d) == 0, "chdir: %s", strerror(errno));
	CHECK(umount2(d, 0) < 0 && errno == EBUSY, "umount of the working directory: not EBUSY");
	CHECK(chdir("/") == 0, "chdir /: %s", strerror(errno));
	CHECK(mkdir(sub, 0755) == 0, "mkdir: %s", strerror(errno));
	do_mount("none", sub, "tmpfs", 0, NULL);
	CHECK(umount2(d, 0) < 0 && errno == EBUSY, "umount with a mount below: not EBUSY");
	CHECK(rmdir(sub) < 0 && errno == EBUSY, "rmdir of a mount point: not EBUSY");
	snprintf(moved, sizeof moved, "%s/sub2", d);
	CHECK(rename(sub, moved) < 0 && errno == EBUSY, "rename of a mount point: not EBUSY");
	do_umount(sub);
	CHECK(rmdir(d) < 0 && errno == EBUSY, "rmdir of the top mount point: not EBUSY");
	do_umount(d);
	CHECK(access(f, F_OK) < 0, "the file outlived its tmpfs");
	rmdir(d);
}

/* MNT_DETACH takes a busy mount away at once; it lives on for those inside it. MNT_EXPIRE asks twice. */
static void t_umount_lazy(void)
{
	char d[64], f[80], buf[64];

	make_dir(d, sizeof d, "lazy");
	snprintf(f, sizeof f, "%s/f", d);
	do_mount("none", d, "tmpfs", 0, NULL);
	put_file(f, "lazy");
	int fd = open(f, O_RDONLY);
	CHECK(fd >= 0 && chdir(d) == 0, "open, chdir: %s", strerror(errno));
	CHECK(umount2(d, MNT_DETACH) == 0, "umount2(MNT_DETACH): %s", strerror(errno));
	CHECK(access(f, F_OK) < 0 && errno == ENOENT, "the mount is still in the name space");
	/* The raw call: libc's getcwd() turns a name not starting with '/' into ENOENT. */
	CHECK(RAW(SYS_getcwd, buf, sizeof buf) == 15 && strcmp(buf, "(unreachable)/") == 0,
	      "getcwd in a detached mount: '%s'", buf);
	CHECK(strcmp(get_file("f", buf, sizeof buf), "lazy") == 0, "a relative name inside: '%s'", buf);
	CHECK(pread(fd, buf, 4, 0) == 4 && memcmp(buf, "lazy", 4) == 0, "the open file");
	CHECK(umount2(".", 0) < 0 && errno == EINVAL, "umount of the detached mount: not EINVAL");
	CHECK(chdir("/") == 0, "chdir /: %s", strerror(errno));
	close(fd);

	do_mount("none", d, "tmpfs", 0, NULL);
	CHECK(umount2(d, MNT_EXPIRE) < 0 && errno == EAGAIN, "the first MNT_EXPIRE: not EAGAIN");
	CHECK(umount2(d, MNT_EXPIRE | MNT_DETACH) < 0 && errno == EINVAL, "MNT_EXPIRE | MNT_DETACH: not EINVAL");
	CHECK(umount2(d, MNT_EXPIRE) == 0, "the second MNT_EXPIRE: %s", strerror(errno));
	CHECK(umount2(d, MNT_EXPIRE) < 0 && errno == EINVAL, "MNT_EXPIRE of no mount: not EINVAL");
	rmdir(d);
}

static void expect_statfs_flags(const char *dir, unsigned long want)
{
	struct statfs sf;

	CHECK(statfs(dir, &sf) == 0, "statfs: %s", strerror(errno));
	CHECK(sf.f_flags == want, "statfs f_flags %#lx, expected %#lx", (unsigned long)sf.f_flags, want);
}

static void t_mount_readonly(void)
{
	char d[64], f[80], sub[80];

	make_dir(d, sizeof d, "ro");
	snprintf(f, sizeof f, "%s/f", d);
	snprintf(sub, sizeof sub, "%s/sub", d);
	do_mount("none", d, "tmpfs", MS_RDONLY | MS_NOSUID, NULL);
	expect_statfs_flags(d, F_VALID_RELATIME | ST_RDONLY | ST_NOSUID);
	CHECK(open(f, O_WRONLY | O_CREAT, 0644) < 0 && errno == EROFS, "create on a read-only mount: not EROFS");
	CHECK(mkdir(sub, 0755) < 0 && errno == EROFS, "mkdir on a read-only mount: not EROFS");
	do_mount("none", d, "tmpfs", MS_REMOUNT, NULL);
	expect_statfs_flags(d, F_VALID_RELATIME);
	CHECK(mkdir(sub, 0755) == 0, "mkdir after remounting writable: %s", strerror(errno));
	int fd = open(f, O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0, "create: %s", strerror(errno));
	CHECK(mount("none", d, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL) < 0 && errno == EBUSY,
	      "remount read-only with a file open for writing: not EBUSY");
	close(fd);
	do_mount("none", d, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL);
	CHECK(open(f, O_WRONLY) < 0 && errno == EROFS, "open for writing: not EROFS");
	CHECK(open(f, O_RDONLY | O_TRUNC) < 0 && errno == EROFS, "O_TRUNC: not EROFS");
	fd = open(f, O_RDONLY);
	CHECK(fd >= 0, "open for reading on a read-only mount: %s", strerror(errno));
	close(fd);
	CHECK(mkdir(sub, 0755) < 0 && errno == EEXIST, "mkdir of an existing name: EEXIST comes before EROFS");
	CHECK(unlink(f) < 0 && errno == EROFS, "unlink: not EROFS");
	CHECK(rmdir(sub) < 0 && errno == EROFS, "rmdir: not EROFS");
	CHECK(chmod(f, 0600) < 0 && errno == EROFS, "chmod: not EROFS");
	CHECK(truncate(f, 0) < 0 && errno == EROFS, "truncate: not EROFS");
	do_umount(d);

	do_mount("none", d, "tmpfs", 0, "ro");		/* "ro" among the options: the super block's */
	expect_statfs_flags(d, F_VALID_RELATIME | ST_RDONLY);
	do_umount(d);
	rmdir(d);
}

static void t_mount_noexec_nodev(void)
{
	char d[64], prog[80], dev[80];

	make_dir(d, sizeof d, "noexec");
	snprintf(prog, sizeof prog, "%s/prog", d);
	snprintf(dev, sizeof dev, "%s/null", d);
	do_mount("none", d, "tmpfs", MS_NOEXEC | MS_NODEV, NULL);
	expect_statfs_flags(d, F_VALID_RELATIME | ST_NOEXEC | ST_NODEV);
	put_file(prog, "#!/bin/sh\nexit 0\n");
	CHECK(chmod(prog, 0755) == 0, "chmod: %s", strerror(errno));
	char *argv[] = { prog, NULL };
	CHECK(RAW(SYS_execve, prog, argv, environ) == -EACCES, "exec on a noexec mount: not EACCES");
	CHECK(mknod(dev, S_IFCHR | 0666, makedev(1, 3)) == 0, "mknod: %s", strerror(errno));
	CHECK(open(dev, O_RDWR) < 0 && errno == EACCES, "a device on a nodev mount opens");
	do_umount(d);
	rmdir(d);
}

/* MS_BIND shows a directory (or file) in a second place; MS_MOVE takes a mount elsewhere. */
static void t_mount_bind_move(void)
{
	char a[64], b[64], f[80], f2[80], g[80], buf[64];

	make_dir(a, sizeof a, "bind-a");
	make_dir(b, sizeof b, "bind-b");
	snprintf(f, sizeof f, "%s/f", a);
	snprintf(f2, sizeof f2, "%s/f2", a);
	snprintf(g, sizeof g, "%s/f", b);
	put_file(f, "bound");
	do_mount(a, b, NULL, MS_BIND, NULL);
	CHECK(strcmp(get_file(g, buf, sizeof buf), "bound") == 0, "through the bind mount: '%s'", buf);
	CHECK(link(g, f2) < 0 && errno == EXDEV, "a link across the two mounts: not EXDEV");
	do_umount(b);
	CHECK(access(g, F_OK) < 0, "the bind mount outlived umount");
	CHECK(RAW(SYS_mount, "none", b, 0, MS_BIND, 0) == -ENOENT, "bind of a missing source: not ENOENT");

	do_mount("none", a, "tmpfs", 0, NULL);
	put_file(f, "moved");
	do_mount(a, b, NULL, MS_MOVE, NULL);
	CHECK(strcmp(get_file(g, buf, sizeof buf), "moved") == 0, "at the new place: '%s'", buf);
	CHECK(strcmp(get_file(f, buf, sizeof buf), "bound") == 0, "at the old place: '%s'", buf);
	CHECK(umount2(a, 0) < 0 && errno == EINVAL, "the old place is still a mount point");
	do_umount(b);
	unlink(f);
	rmdir(a);
	rmdir(b);
}

static void t_statfs_errors(void)
{
	struct statfs sf;
	int p[2];

	CHECK(RAW(SYS_statfs, "/tmp/usertests-no-such-dir", &sf) == -ENOENT, "statfs of a missing name");
	CHECK(RAW(SYS_statfs, 1, &sf) == -EFAULT, "statfs of a bad name pointer");
	CHECK(RAW(SYS_statfs, "/", 1) == -EFAULT, "statfs into a bad buffer");
	CHECK(RAW(SYS_fstatfs, 999, &sf) == -EBADF, "fstatfs of a bad fd");
	CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
	CHECK(RAW(SYS_fstatfs, p[0], &sf) == 0, "fstatfs of a pipe");
	CHECK(sf.f_type == PIPEFS_MAGIC && sf.f_flags == ST_VALID && sf.f_bsize == 4096,
	      "a pipe's statfs: type %#lx flags %#lx", (long)sf.f_type, (long)sf.f_flags);
	close2(p);
}

/* sysfs: the files programs probe, and an empty directory for cgroup2 to be mounted on. */
static void t_sysfs(void)
{
	char d[64], path[160], buf[128];
	struct stat st;
	struct statfs sf;

	make_dir(d, sizeof d, "sysfs");
	CHECK(RAW(SYS_mount, "sysfs", d, "sysfs", 0, "bogus") == -EINVAL, "sysfs with an option: not EINVAL");
	do_mount("sysfs", d, "sysfs", 0, NULL);
	CHECK(statfs(d, &sf) == 0 && sf.f_type == SYSFS_MAGIC, "statfs type %#lx", (long)sf.f_type);
	CHECK(stat(d, &st) == 0 && (st.st_mode & 07777) == 0555, "/sys's mode %o", st.st_mode);
	snprintf(path, sizeof path, "%s/kernel/mm/transparent_hugepage/enabled", d);
	CHECK(strcmp(get_file(path, buf, sizeof buf), "always madvise [never]\n") == 0, "THP enabled: '%s'", buf);
	int fd = open(path, O_WRONLY);
	CHECK(fd >= 0, "open THP enabled for writing: %s", strerror(errno));
	CHECK(write(fd, "bogus", 5) < 0 && errno == EINVAL, "writing 'bogus': not EINVAL");
	CHECK(write(fd, "never\n", 6) == 6, "writing 'never': %s", strerror(errno));
	close(fd);
	CHECK(stat(path, &st) == 0 && st.st_mode == (S_IFREG | 0644) && st.st_size == 4096, "mode %o size %ld",
	      st.st_mode, (long)st.st_size);
	snprintf(path, sizeof path, "%s/devices/system/cpu/online", d);
	CHECK(strcmp(get_file(path, buf, sizeof buf), "0\n") == 0, "cpu/online: '%s'", buf);
	CHECK(open(path, O_WRONLY) < 0 && errno == EACCES, "opening a read-only attribute for writing");
	snprintf(path, sizeof path, "%s/fs/cgroup", d);
	CHECK(stat(path, &st) == 0 && st.st_mode == (S_IFDIR | 0555), "fs/cgroup: mode %o", st.st_mode);
	snprintf(path, sizeof path, "%s/kernel/tracing", d);
	CHECK(stat(path, &st) == 0 && st.st_mode == (S_IFDIR | 0555), "kernel/tracing: mode %o", st.st_mode);
	snprintf(path, sizeof path, "%s/kernel/x", d);
	CHECK(mkdir(path, 0755) < 0 && errno == EPERM, "mkdir in sysfs: not EPERM");
	CHECK(mount("sysfs", d, "sysfs", 0, NULL) < 0 && errno == EBUSY, "sysfs twice on one place: not EBUSY");
	do_umount(d);
	rmdir(d);
}

const struct test mount_tests[] = {
	T(mount_errors), T(mount_tmpfs), T(mount_stacked), T(umount_busy), T(umount_lazy), T(mount_readonly),
	T(mount_noexec_nodev), T(mount_bind_move), T(statfs_errors), T(sysfs),
	{ NULL },
};
