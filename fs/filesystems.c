/*
 * File system types, registered by name (Linux: fs/filesystems.c). Each
 * file system registers its struct file_system_type once at boot; mount(2)
 * looks the name up (get_fs_type()), and /proc/filesystems lists them in
 * registration order (show_filesystems(), the file made by
 * proc_filesystems_init()). Types are never unregistered, so the pointer
 * get_fs_type() returns stays valid without a reference.
 *
 * Locking: file_systems_lock guards the list (file_systems and each ->next).
 */
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <lib/printbuf.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <fs/fs.h>
#include <fs/proc_fs.h>
#include <fs/seq_file.h>

static struct file_system_type *file_systems;
static DEFINE_SPINLOCK(file_systems_lock);

/* The slot holding name's type, or the NULL slot at the end; file_systems_lock held. */
static struct file_system_type **find_filesystem(const char *name)
{
	struct file_system_type **p;

	for (p = &file_systems; *p; p = &(*p)->next)
		if (!strcmp((*p)->name, name))
			break;
	return p;
}

int register_filesystem(struct file_system_type *fs)
{
	struct file_system_type **p;
	int err = 0;

	if (WARN_ON(!fs->name || strchr(fs->name, '.') || fs->next))
		return -EINVAL;
	INIT_LIST_HEAD(&fs->fs_supers);
	spin_lock(&file_systems_lock);
	p = find_filesystem(fs->name);
	if (*p)
		err = -EBUSY;
	else
		__atomic_store_n(p, fs, __ATOMIC_RELEASE);	/* show_filesystems() reads without the lock */
	spin_unlock(&file_systems_lock);
	return err;
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *fs;

	spin_lock(&file_systems_lock);
	fs = *find_filesystem(name);
	spin_unlock(&file_systems_lock);
	return fs;
}

/*
 * The list never shrinks and entries never change once linked, so it can be
 * printed without the lock (which must not be held across prt_printf()'s
 * allocations): READ_ONCE() of each ->next is enough.
 */
void show_filesystems(struct printbuf *out)
{
	struct file_system_type *fs;

	for (fs = READ_ONCE(file_systems); fs; fs = READ_ONCE(fs->next))
		prt_printf(out, "%s\t%s\n", (fs->fs_flags & FS_REQUIRES_DEV) ? "" : "nodev", fs->name);
}

static int filesystems_proc_show(struct seq_file *m, void *v)
{
	struct printbuf out = PRINTBUF;

	show_filesystems(&out);
	return seq_put_printbuf(m, &out);
}

void proc_filesystems_init(void)
{
	if (!proc_create_single("filesystems", 0, NULL, filesystems_proc_show))
		pr_err("proc: cannot create /proc/filesystems\n");
}
