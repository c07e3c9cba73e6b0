/*
 * The registered entries of /proc (Linux: fs/proc/generic.c): creating
 * files, directories and symlinks (proc_create() & co.), finding them
 * (lookup) and listing them (readdir).
 *
 * Every entry has a parent directory entry and sits on its subdir list;
 * the tree hangs from proc_root (root.c). An entry's memory lives while
 * its refcnt does: the parent's link holds one reference, every inode made
 * for it another, so remove_proc_entry() only unlinks it and marks it
 * removed (open() then fails) and the memory goes with the last inode.
 *
 * Locking: proc_subdir_lock (rwsem) guards the subdir lists, parent links
 * and nlink; lookups and readdir hold it shared, registration exclusive.
 * refcnt is an atomic. The rest of an entry never changes after
 * registration.
 */
#include <kernel/kernel.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/seq_file.h>
#include <fs/uapi.h>
#include "internal.h"

DECLARE_RWSEM(proc_subdir_lock);

/* Registered entries get inode numbers from here up; per-process inodes count from 2. */
#define PROC_DYNAMIC_FIRST 0xF0000000ULL
static u64 proc_last_ino = PROC_DYNAMIC_FIRST;

struct proc_dir_entry *pde_get(struct proc_dir_entry *de)
{
	__atomic_add_fetch(&de->refcnt, 1, __ATOMIC_RELAXED);
	return de;
}

void pde_put(struct proc_dir_entry *de)
{
	if (__atomic_sub_fetch(&de->refcnt, 1, __ATOMIC_ACQ_REL))
		return;
	WARN_ON(de == &proc_root);
	if (S_ISLNK(de->mode) && !de->proc_iops)
		kfree(de->data);
	kfree(de);
}

/* The child name[0..len) of dir, or NULL; proc_subdir_lock held. */
static struct proc_dir_entry *pde_subdir_find(struct proc_dir_entry *dir, const char *name, unsigned int len)
{
	struct proc_dir_entry *de;

	list_for_each_entry(de, &dir->subdir, subdir_node)
		if (de->namelen == len && !memcmp(de->name, name, len))
			return de;
	return NULL;
}

/*
 * "a/b/c" from *dir: walk the directories a and b (which must exist) and
 * leave *dir on b and *last on "c". proc_subdir_lock held. 0 or -ENOENT.
 */
static int xlate_proc_name(const char *name, struct proc_dir_entry **dir, const char **last)
{
	const char *slash;

	while ((slash = strchr(name, '/'))) {
		struct proc_dir_entry *de = pde_subdir_find(*dir, name, slash - name);
		if (!de || !S_ISDIR(de->mode)) {
			pr_warn("proc: no directory for '%s'\n", name);
			return -ENOENT;
		}
		*dir = de;
		name = slash + 1;
	}
	*last = name;
	return 0;
}

static struct proc_dir_entry *__proc_create(struct proc_dir_entry **parent, const char *name, umode_t mode,
					    unsigned int nlink)
{
	struct proc_dir_entry *de;
	const char *last;
	size_t len;
	int err;

	if (!*parent)
		*parent = &proc_root;
	down_read(&proc_subdir_lock);
	err = xlate_proc_name(name, parent, &last);
	up_read(&proc_subdir_lock);
	len = err ? 0 : strlen(last);
	if (!len || len > NAME_MAX || !strcmp(last, ".") || !strcmp(last, "..")) {
		pr_warn("proc: invalid name '%s'\n", name);
		return NULL;
	}
	de = kzalloc(sizeof(*de) + len + 1, GFP_KERNEL);
	if (!de)
		return NULL;
	memcpy(de->name, last, len + 1);
	de->namelen = len;
	de->mode = mode;
	de->nlink = nlink;
	de->refcnt = 1;
	de->low_ino = __atomic_add_fetch(&proc_last_ino, 1, __ATOMIC_RELAXED);
	INIT_LIST_HEAD(&de->subdir);
	INIT_LIST_HEAD(&de->subdir_node);
	return de;
}

/* Link dp into dir; NULL (and dp freed) if the name is taken, as Linux reports it. */
static struct proc_dir_entry *proc_register(struct proc_dir_entry *dir, struct proc_dir_entry *dp)
{
	down_write(&proc_subdir_lock);
	if (pde_subdir_find(dir, dp->name, dp->namelen)) {
		up_write(&proc_subdir_lock);
		pr_warn("proc_dir_entry '%s/%s' already registered\n", dir->name, dp->name);
		pde_put(dp);
		return NULL;
	}
	dp->parent = dir;
	list_add_tail(&dp->subdir_node, &dir->subdir);
	if (S_ISDIR(dp->mode))
		dir->nlink++;
	up_write(&proc_subdir_lock);
	return dp;
}

static int proc_seq_open(struct inode *inode, struct file *file)
{
	struct proc_dir_entry *de = PDE(inode);
	int err = seq_open(file, de->seq_ops);

	if (!err)
		((struct seq_file *)file->private_data)->private = de->data;
	return err;
}

static const struct proc_ops proc_seq_ops = {
	.proc_open = proc_seq_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = seq_release,
};

static int proc_single_open(struct inode *inode, struct file *file)
{
	struct proc_dir_entry *de = PDE(inode);

	return single_open(file, de->single_show, de->data);
}

static const struct proc_ops proc_single_ops = {
	.proc_open = proc_single_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

struct proc_dir_entry *proc_create_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					const struct proc_ops *ops, void *data)
{
	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	if (!(mode & S_IALLUGO))
		mode |= S_IRUSR | S_IRGRP | S_IROTH;
	if (WARN_ON(!S_ISREG(mode)))
		return NULL;
	struct proc_dir_entry *de = __proc_create(&parent, name, mode, 1);
	if (!de)
		return NULL;
	de->proc_ops = ops;
	de->data = data;
	return proc_register(parent, de);
}

struct proc_dir_entry *proc_create(const char *name, umode_t mode, struct proc_dir_entry *parent,
				   const struct proc_ops *ops)
{
	return proc_create_data(name, mode, parent, ops, NULL);
}

struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					       int (*show)(struct seq_file *, void *), void *data)
{
	struct proc_dir_entry *de = proc_create_data(name, mode, parent, &proc_single_ops, data);

	if (de)
		de->single_show = show;	/* no reader can have opened it yet: open() reads it */
	return de;
}

struct proc_dir_entry *proc_create_seq_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					    const struct seq_operations *ops, void *data)
{
	struct proc_dir_entry *de = proc_create_data(name, mode, parent, &proc_seq_ops, data);

	if (de)
		de->seq_ops = ops;
	return de;
}

struct proc_dir_entry *proc_mkdir_mode(const char *name, umode_t mode, struct proc_dir_entry *parent)
{
	struct proc_dir_entry *de = __proc_create(&parent, name, S_IFDIR | (mode ? mode : 0555), 2);

	return de ? proc_register(parent, de) : NULL;
}

struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent)
{
	return proc_mkdir_mode(name, 0, parent);
}

/* The directory path below parent ("kernel", "fs/cgroup"), its missing parts made; NULL if impossible. */
struct proc_dir_entry *proc_mkdir_p(const char *path, struct proc_dir_entry *parent)
{
	char name[NAME_MAX + 1];

	while (*path) {
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);
		struct proc_dir_entry *de;
		if (!len || len > NAME_MAX)
			return NULL;
		memcpy(name, path, len);
		name[len] = 0;
		down_read(&proc_subdir_lock);
		de = pde_subdir_find(parent, name, len);
		up_read(&proc_subdir_lock);
		if (!de)
			de = proc_mkdir(name, parent);
		if (!de || !S_ISDIR(de->mode))
			return NULL;
		parent = de;
		path += len + (slash ? 1 : 0);
	}
	return parent;
}

struct proc_dir_entry *proc_symlink(const char *name, struct proc_dir_entry *parent, const char *dest)
{
	struct proc_dir_entry *de = __proc_create(&parent, name, S_IFLNK | 0777, 1);
	size_t len = strlen(dest);

	if (!de)
		return NULL;
	de->data = kmalloc(len + 1, GFP_KERNEL);
	if (!de->data) {
		kfree(de);
		return NULL;
	}
	memcpy(de->data, dest, len + 1);
	return proc_register(parent, de);
}

struct proc_dir_entry *proc_create_link_iops(const char *name, struct proc_dir_entry *parent,
					     const struct inode_operations *iops)
{
	struct proc_dir_entry *de = __proc_create(&parent, name, S_IFLNK | 0777, 1);

	if (!de)
		return NULL;
	de->proc_iops = iops;
	return proc_register(parent, de);
}

void remove_proc_entry(const char *name, struct proc_dir_entry *parent)
{
	struct proc_dir_entry *de = NULL;
	const char *last;

	if (!parent)
		parent = &proc_root;
	down_write(&proc_subdir_lock);
	if (!xlate_proc_name(name, &parent, &last))
		de = pde_subdir_find(parent, last, strlen(last));
	if (de) {
		list_del_init(&de->subdir_node);
		if (S_ISDIR(de->mode))
			parent->nlink--;
		WRITE_ONCE(de->removed, true);
		WARN_ON(!list_empty(&de->subdir));	/* Linux: "removing non-empty directory" */
	}
	up_write(&proc_subdir_lock);
	if (!de)
		pr_warn("remove_proc_entry: %s/%s not found\n", parent->name, name);
	else
		pde_put(de);
}

void *pde_data(const struct inode *inode)
{
	return PDE(inode)->data;
}

/* ---- lookup and readdir of registered directories ---- */

struct dentry *proc_lookup_de(struct inode *dir, struct dentry *d, struct proc_dir_entry *de)
{
	struct proc_dir_entry *child;
	struct inode *inode;

	down_read(&proc_subdir_lock);
	child = pde_subdir_find(de, d->d_name, d->d_len);
	if (child)
		pde_get(child);
	up_read(&proc_subdir_lock);
	if (!child)
		return ERR_PTR(-ENOENT);	/* no negative dentry: creating a name fails too (Linux) */
	inode = proc_get_inode(dir->i_sb, child);	/* takes over our reference */
	if (!inode)
		return ERR_PTR(-ENOMEM);
	d_instantiate(d, inode);
	return NULL;
}

static struct dentry *proc_lookup(struct inode *dir, struct dentry *d)
{
	return proc_lookup_de(dir, d, PDE(dir));
}

/* "." and ".." of any /proc directory, positions 0 and 1; false if the caller's buffer is full. */
bool proc_emit_dots(struct file *file, struct dir_context *ctx)
{
	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, file->f_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		spin_lock(&dcache_lock);
		u64 ino = file->f_path.dentry->d_parent->d_inode->i_ino;
		spin_unlock(&dcache_lock);
		if (!dir_emit(ctx, "..", 2, ino, DT_DIR))
			return false;
		ctx->pos = 2;
	}
	return true;
}

/*
 * ".", "..", then the children in list order; ctx->pos counts entries.
 * False when the caller's buffer filled up before the end.
 */
bool proc_readdir_de(struct file *file, struct dir_context *ctx, struct proc_dir_entry *de)
{
	struct proc_dir_entry *child;
	loff_t i = 2;
	bool done = true;

	if (!proc_emit_dots(file, ctx))
		return false;
	down_read(&proc_subdir_lock);
	list_for_each_entry(child, &de->subdir, subdir_node) {
		if (i++ < ctx->pos)
			continue;
		if (!dir_emit(ctx, child->name, child->namelen, child->low_ino, child->mode >> 12)) {
			done = false;
			break;
		}
		ctx->pos++;
	}
	up_read(&proc_subdir_lock);
	return done;
}

static int proc_readdir(struct file *file, struct dir_context *ctx)
{
	proc_readdir_de(file, ctx, PDE(file->f_inode));
	return 0;
}

const struct inode_operations proc_dir_inode_operations = {
	.lookup = proc_lookup,
};

const struct file_operations proc_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate = proc_readdir,
};
