/*
 * The mount table as text (Linux: fs/proc_namespace.c): the lines of
 * /proc/mounts and /proc/PID/mountinfo, written into a printbuf for the
 * /proc files to hand out. Names are escaped as Linux escapes them (space,
 * tab, newline and backslash as \ooo); mounts the reader's root is not
 * above are left out.
 *
 * Locking: namespace_sem held for reading over the whole table, so no mount
 * comes or goes meanwhile; it may sleep (the buffer grows). Paths are built
 * under mount_lock and dcache_lock (__d_path()).
 *
 * The files themselves, /proc/PID/mounts and /proc/PID/mountinfo (and
 * /proc/mounts, a link to self/mounts), are at the end: seq_files that
 * print the table from the task's root as it was when they were opened.
 */
#include <kernel/kernel.h>
#include <lib/printbuf.h>
#include <mm/slab.h>
#include <uapi/errno.h>
#include <fs/dcache.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <fs/fs_struct.h>
#include <fs/seq_file.h>
#include "internal.h"
#include "mount.h"
#include "proc/internal.h"

#define ESCAPED " \t\n\\"

/* Flags of the super block, then of the mount, as the option words Linux shows. */
static void show_sb_opts(struct printbuf *out, const struct super_block *sb)
{
	static const struct { unsigned long flag; const char *name; } opts[] = {
		{ SB_SYNCHRONOUS, ",sync" }, { SB_DIRSYNC, ",dirsync" },
		{ SB_MANDLOCK, ",mand" }, { SB_LAZYTIME, ",lazytime" },
	};
	unsigned long flags = READ_ONCE(sb->s_flags);

	for (unsigned int i = 0; i < ARRAY_SIZE(opts); i++)
		if (flags & opts[i].flag)
			prt_str(out, opts[i].name);
}

static void show_mnt_opts(struct printbuf *out, const struct vfsmount *mnt)
{
	static const struct { int flag; const char *name; } opts[] = {
		{ MNT_NOSUID, ",nosuid" }, { MNT_NODEV, ",nodev" }, { MNT_NOEXEC, ",noexec" },
		{ MNT_NOATIME, ",noatime" }, { MNT_NODIRATIME, ",nodiratime" },
		{ MNT_RELATIME, ",relatime" }, { MNT_NOSYMFOLLOW, ",nosymfollow" },
	};
	int flags = READ_ONCE(mnt->mnt_flags);

	for (unsigned int i = 0; i < ARRAY_SIZE(opts); i++)
		if (flags & opts[i].flag)
			prt_str(out, opts[i].name);
}

static void show_fs_options(struct printbuf *out, struct vfsmount *mnt)
{
	const struct super_operations *sop = mnt->mnt_sb->s_op;

	if (sop && sop->show_options)
		sop->show_options(out, mnt->mnt_root);
}

/* Where mnt is mounted, as seen from root; false if root is not above it. */
static bool show_mountpoint(struct printbuf *out, struct mount *mnt, const struct path *root, char *buf)
{
	struct path path = { &mnt->mnt, mnt->mnt.mnt_root };
	bool reached;
	char *p = __d_path(&path, root, buf, PATH_MAX, &reached);

	if (IS_ERR(p) || !reached)
		return false;
	prt_escaped(out, p, ESCAPED);
	return true;
}

/* "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0" */
static void show_vfsmnt(struct printbuf *out, struct mount *mnt, const struct path *root, char *buf)
{
	size_t start = out->pos;

	prt_escaped(out, mnt->mnt_devname, ESCAPED);
	prt_char(out, ' ');
	if (!show_mountpoint(out, mnt, root, buf)) {
		out->pos = start;		/* outside the reader's root: no line */
		if (out->buf)
			out->buf[start] = 0;
		return;
	}
	prt_char(out, ' ');
	prt_escaped(out, mnt->mnt.mnt_sb->s_type->name, ESCAPED);
	prt_str(out, __mnt_is_readonly(&mnt->mnt) ? " ro" : " rw");
	show_sb_opts(out, mnt->mnt.mnt_sb);
	show_mnt_opts(out, &mnt->mnt);
	show_fs_options(out, &mnt->mnt);
	prt_str(out, " 0 0\n");
}

/* "22 1 0:20 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw" (no propagation: no tags) */
static void show_mountinfo_line(struct printbuf *out, struct mount *mnt, const struct path *root, char *buf)
{
	struct super_block *sb = mnt->mnt.mnt_sb;
	size_t start = out->pos;
	char *p;

	spin_lock(&mount_lock);
	int parent_id = mnt->mnt_parent->mnt_id;
	spin_unlock(&mount_lock);
	prt_printf(out, "%d %d %u:%u ", mnt->mnt_id, parent_id, sb->s_dev >> 8, sb->s_dev & 0xff);
	p = dentry_path_raw(mnt->mnt.mnt_root, buf, PATH_MAX);
	prt_escaped(out, IS_ERR(p) ? "/" : p, ESCAPED);
	prt_char(out, ' ');
	if (!show_mountpoint(out, mnt, root, buf)) {
		out->pos = start;
		if (out->buf)
			out->buf[start] = 0;
		return;
	}
	prt_str(out, (READ_ONCE(mnt->mnt.mnt_flags) & MNT_READONLY) ? " ro" : " rw");
	show_mnt_opts(out, &mnt->mnt);
	prt_str(out, " - ");
	prt_escaped(out, sb->s_type->name, ESCAPED);
	prt_char(out, ' ');
	prt_escaped(out, mnt->mnt_devname, ESCAPED);
	prt_str(out, sb_rdonly(sb) ? " ro" : " rw");
	show_sb_opts(out, sb);
	show_fs_options(out, &mnt->mnt);
	prt_char(out, '\n');
}

static void show_table(struct printbuf *out, const struct path *root,
		       void (*show)(struct printbuf *, struct mount *, const struct path *, char *))
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	struct mount *mnt;

	if (!buf) {
		out->allocation_failure = true;
		return;
	}
	down_read(&namespace_sem);
	list_for_each_entry(mnt, &mount_table, mnt_list)
		show(out, mnt, root, buf);
	up_read(&namespace_sem);
	kfree(buf);
}

void show_mounts(struct printbuf *out, const struct path *root)
{
	show_table(out, root, show_vfsmnt);
}

void show_mountinfo(struct printbuf *out, const struct path *root)
{
	show_table(out, root, show_mountinfo_line);
}

/* ---- /proc/PID/mounts and /proc/PID/mountinfo ---- */

struct proc_mounts {
	struct path root;		/* the task's root at open (referenced) */
	void (*show)(struct printbuf *out, const struct path *root);
};

/* The whole table as one record: a larger buffer than the last read's makes seq_read() call this again. */
static int mounts_show(struct seq_file *m, void *v)
{
	struct proc_mounts *p = m->private;
	struct printbuf out = PRINTBUF;

	p->show(&out, &p->root);
	return seq_put_printbuf(m, &out);
}

/* The table as the task sees it: from its root, taken now (ENOENT once it has left its fs_struct). */
static int mounts_open_common(struct inode *inode, struct file *file,
			      void (*show)(struct printbuf *out, const struct path *root))
{
	struct task_struct *task = get_proc_task(inode);
	struct proc_mounts *p;
	int err = -ENOENT;

	if (!task)
		return -ESRCH;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	task_lock(task);
	if (p && task->fs) {
		get_fs_root(task->fs, &p->root);
		err = 0;
	}
	task_unlock(task);
	put_task_struct(task);
	if (!p)
		return -ENOMEM;
	p->show = show;
	if (!err && (err = single_open(file, mounts_show, p)))
		path_put(&p->root);
	if (err)
		kfree(p);
	return err;
}

static int mounts_open(struct inode *inode, struct file *file)
{
	return mounts_open_common(inode, file, show_mounts);
}

static int mountinfo_open(struct inode *inode, struct file *file)
{
	return mounts_open_common(inode, file, show_mountinfo);
}

static int mounts_release(struct inode *inode, struct file *file)
{
	struct proc_mounts *p = ((struct seq_file *)file->private_data)->private;

	path_put(&p->root);
	kfree(p);
	return single_release(inode, file);
}

const struct file_operations proc_mounts_operations = {
	.open = mounts_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = mounts_release,
};

const struct file_operations proc_mountinfo_operations = {
	.open = mountinfo_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = mounts_release,
};
