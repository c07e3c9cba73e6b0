/*
 * ktests of the mount table (fs/namespace.c, fs/proc_namespace.c,
 * fs/filesystems.c): the /proc/mounts and mountinfo text, the list of file
 * system types, a lazy umount freeing its file system with its last user,
 * and a path walk racing with umount, held at each side of the moment it
 * takes its reference on the mount (delay points in follow_mount()).
 */
#include <kernel/delay_point.h>
#include <lib/printbuf.h>
#include <uapi/mount.h>
#include <fs/mount.h>
#include "vfs_test.h"
#include "mount.h"

/* The mount whose root path names (referenced while held). */
static struct mount *mount_at(const char *name, struct path *path)
{
	return kern_path_at(AT_FDCWD, name, LOOKUP_FOLLOW, path) ? NULL : real_mount(path->mnt);
}

KTEST(mount_show_mounts)
{
	struct vfs_env e;
	struct printbuf out = PRINTBUF;
	struct path root, p;
	char line[160];

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(mkdir, P("/ns mnt"), 0755), 0);
	KT_ASSERT_EQ(SYS(mkdir, P("/nsro"), 0755), 0);
	KT_ASSERT_EQ(SYS(mount, P("none"), P("/ns mnt"), P("tmpfs"), MS_NOSUID | MS_NODEV | MS_NOEXEC, P("size=64k")), 0);
	KT_ASSERT_EQ(SYS(mount, P("src"), P("/nsro"), P("ramfs"), MS_RDONLY, P("mode=700")), 0);
	get_fs_root(current->fs, &root);

	show_mounts(&out, &root);
	KT_ASSERT(!printbuf_error(&out) && out.buf);
	KT_ASSERT(!strncmp(out.buf, "rootfs / rootfs rw 0 0\n", 23));		/* the first mount */
	KT_ASSERT(strstr(out.buf, "\ndevtmpfs /dev devtmpfs rw,relatime 0 0\n"));
	KT_ASSERT(strstr(out.buf, "\nnone /ns\\040mnt tmpfs rw,nosuid,nodev,noexec,relatime,size=64k,inode64 0 0\n"));
	KT_ASSERT(strstr(out.buf, "\nsrc /nsro ramfs ro,relatime,mode=700 0 0\n"));
	printbuf_exit(&out);

	show_mountinfo(&out, &root);
	KT_ASSERT(!printbuf_error(&out) && out.buf);
	dev_t rootdev = root.mnt->mnt_sb->s_dev;
	snprintf(line, sizeof(line), "%d %d 0:%u / / rw - rootfs rootfs rw\n", real_mount(root.mnt)->mnt_id,
		 real_mount(root.mnt)->mnt_id, rootdev & 0xff);
	KT_ASSERT(!strncmp(out.buf, line, strlen(line)));
	struct mount *m = mount_at("/ns mnt", &p);
	KT_ASSERT(m);
	snprintf(line, sizeof(line), "\n%d %d 0:%u / /ns\\040mnt rw,nosuid,nodev,noexec,relatime - tmpfs none "
		 "rw,size=64k,inode64\n", m->mnt_id, real_mount(root.mnt)->mnt_id, m->mnt.mnt_sb->s_dev & 0xff);
	KT_ASSERT(strstr(out.buf, line));
	KT_ASSERT(strstr(out.buf, " / /nsro ro,relatime - ramfs src ro,mode=700\n"));
	printbuf_exit(&out);

	/* Seen from inside a mount (a chroot there): only what is below, named from there. */
	show_mounts(&out, &p);
	KT_ASSERT_STREQ(out.buf, "none / tmpfs rw,nosuid,nodev,noexec,relatime,size=64k,inode64 0 0\n");
	printbuf_exit(&out);
	path_put(&p);
	path_put(&root);

	KT_ASSERT_EQ(SYS(umount2, P("/ns mnt"), 0), 0);
	KT_ASSERT_EQ(SYS(umount2, P("/nsro"), 0), 0);
	KT_ASSERT_EQ(SYS(rmdir, P("/ns mnt")), 0);
	KT_ASSERT_EQ(SYS(rmdir, P("/nsro")), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

static struct dentry *no_mount(struct file_system_type *t, int flags, const char *dev, void *data)
{
	return ERR_PTR(-EINVAL);
}

KTEST(mount_filesystems)
{
	static struct file_system_type dup = { .name = "tmpfs", .mount = no_mount };
	struct printbuf out = PRINTBUF;

	show_filesystems(&out);
	KT_ASSERT(!printbuf_error(&out) && out.buf);
	KT_ASSERT(!strncmp(out.buf, "nodev\tsysfs\nnodev\ttmpfs\n", 24));	/* Linux's order */
	KT_ASSERT(strstr(out.buf, "\nnodev\tdevtmpfs\n") && strstr(out.buf, "\nnodev\tpipefs\n"));
	KT_ASSERT(strstr(out.buf, "\nnodev\tramfs\n"));
	KT_ASSERT(!strstr(out.buf, "rootfs"));				/* mounted once, never registered */
	printbuf_exit(&out);
	KT_ASSERT(get_fs_type("tmpfs") && get_fs_type("sysfs") && !get_fs_type("nosuchfs"));
	KT_ASSERT_EQ(register_filesystem(&dup), -EBUSY);
	KT_ASSERT(get_fs_type("tmpfs") != &dup);
}

/* MNT_DETACH: the mount leaves the name space at once; its file system goes with its last user. */
KTEST(mount_lazy_umount_frees)
{
	struct vfs_env e;
	static char data[16 * 4096];
	char buf[8];

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(mkdir, P("/nslazy"), 0755), 0);
	KT_ASSERT_EQ(SYS(mount, P("none"), P("/nslazy"), P("tmpfs"), 0, 0), 0);
	long fd = SYS(open, P("/nslazy/f"), O_RDWR | O_CREAT, 0644);
	KT_ASSERT(fd >= 0);
	memset(data, 'z', sizeof(data));
	KT_ASSERT_EQ(SYS(write, fd, P(data), sizeof(data)), sizeof(data));
	unsigned long with_file = nr_free_pages();
	KT_ASSERT_EQ(SYS(umount2, P("/nslazy"), 0), -EBUSY);
	KT_ASSERT_EQ(SYS(umount2, P("/nslazy"), MNT_DETACH), 0);
	KT_ASSERT_EQ(SYS(open, P("/nslazy/f"), O_RDONLY), -ENOENT);	/* gone from the name space */
	KT_ASSERT_EQ(SYS(pread64, fd, P(buf), 1, 100), 1);		/* still there for its user */
	KT_ASSERT(buf[0] == 'z' && nr_free_pages() <= with_file);
	KT_ASSERT_EQ(SYS(close, fd), 0);
	KT_ASSERT(nr_free_pages() >= with_file + 16);			/* the last user took it along */
	KT_ASSERT_EQ(SYS(rmdir, P("/nslazy")), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

struct walker {
	long ret;
	bool done;
};

static int walk_into_mount(void *data)
{
	struct walker *w = data;
	struct stat st;

	w->ret = SYS(stat, P("/nsrace/x"), P(&st));
	WRITE_ONCE(w->done, true);
	return 0;
}

/*
 * A walk held at point while the mount it is crossing into is unmounted
 * (the umount itself goes through path_umount(), not a walk, so it does not
 * stop there): umount's result, and the walk's stat() result.
 */
static void race_walk_umount(const char *point, long *umount_ret, long *walk_ret)
{
	struct walker w = { 0 };
	struct path p;

	*umount_ret = *walk_ret = -EIO;
	if (!mount_at("/nsrace", &p))
		return;
	u64 seq = log_next_seq;
	delay_point_set(point, 100);
	struct task_struct *t = ktest_start_thread(walk_into_mount, &w, "kt_mntwalk");
	if (t && WAIT_FOR(ktest_log_count(seq, "delay_point: ") >= 1, 5))
		*umount_ret = path_umount(&p, 0);
	else
		path_put(&p);
	if (t && WAIT_FOR(READ_ONCE(w.done), 5))
		*walk_ret = w.ret;
	delay_point_set(point, 0);
	if (t)
		ktest_stop_thread(t);
}

KTEST(mount_walk_umount_race)
{
	struct vfs_env e;
	long umount_ret, walk_ret;

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(mkdir, P("/nsrace"), 0755), 0);

	/* The walk has seen a mount point but not taken the mount: umount wins, the walk sees what is below. */
	KT_ASSERT_EQ(SYS(mount, P("none"), P("/nsrace"), P("tmpfs"), 0, 0), 0);
	KT_ASSERT_EQ(vfs_test_put("/nsrace/x", "x"), 1);
	race_walk_umount("follow_mount_before_lookup", &umount_ret, &walk_ret);
	KT_ASSERT_EQ(umount_ret, 0);
	KT_ASSERT_EQ(walk_ret, -ENOENT);

	/* The walk holds the mount: umount says EBUSY, the walk finds the file. */
	KT_ASSERT_EQ(SYS(mount, P("none"), P("/nsrace"), P("tmpfs"), 0, 0), 0);
	KT_ASSERT_EQ(vfs_test_put("/nsrace/x", "x"), 1);
	race_walk_umount("follow_mount_stepped", &umount_ret, &walk_ret);
	KT_ASSERT_EQ(umount_ret, -EBUSY);
	KT_ASSERT_EQ(walk_ret, 0);
	KT_ASSERT_EQ(SYS(umount2, P("/nsrace"), 0), 0);		/* and once the walk is done, it goes */

	KT_ASSERT_EQ(SYS(rmdir, P("/nsrace")), 0);
	VFS_ENV_EXIT_CHECK(&e);
}
