/*
 * /proc/sys (Linux: fs/proc/proc_sysctl.c): every setting registered with
 * register_sysctl() is a file whose read and write go through its table
 * entry's handler (kernel/sysctl.c), with the text in a kernel buffer.
 * Folio builds the directories from ordinary /proc entries (generic.c);
 * Linux keeps a tree of its own, which lets it remove and reshape tables.
 *
 * Permissions as Linux's: even root may not write an entry without a
 * write bit (kernel.ostype: -EACCES), nor read one without a read bit.
 * No locks of its own (generic.c's proc_subdir_lock).
 */
#include <kernel/kernel.h>
#include <kernel/sysctl.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/proc_fs.h>
#include <fs/uapi.h>
#include "internal.h"

#define SYSCTL_MAX_IO (64 * 1024)	/* a setting's text is small; larger requests are cut */

static struct proc_dir_entry *proc_sys_root;

static int proc_sys_open(struct inode *inode, struct file *file)
{
	struct ctl_table *table = pde_data(inode);

	if (((file->f_mode & FMODE_WRITE) && !(table->mode & S_IWUSR)) ||
	    ((file->f_mode & FMODE_READ) && !(table->mode & S_IRUSR)))
		return -EACCES;
	return 0;
}

static ssize_t proc_sys_call_handler(struct file *file, void __user *ubuf, size_t count, loff_t *ppos, bool write)
{
	struct ctl_table *table = pde_data(file->f_inode);
	char *kbuf;
	int err;

	if (!count)
		return 0;	/* an empty write changes nothing (Linux's handlers take no bytes as no value) */
	count = min(count, (size_t)SYSCTL_MAX_IO);
	kbuf = kvmalloc(count + 1, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	err = write && copy_from_user(kbuf, ubuf, count) ? -EFAULT : 0;
	kbuf[count] = 0;
	if (!err)
		err = table->proc_handler(table, write, kbuf, &count, ppos);
	if (!err && !write && count && copy_to_user(ubuf, kbuf, count))
		err = -EFAULT;
	kvfree(kbuf);
	return err ? err : (ssize_t)count;
}

static ssize_t proc_sys_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	return proc_sys_call_handler(file, buf, count, ppos, false);
}

static ssize_t proc_sys_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	return proc_sys_call_handler(file, (void __user *)buf, count, ppos, true);
}

static const struct proc_ops proc_sys_file_operations = {
	.proc_open = proc_sys_open,
	.proc_read = proc_sys_read,
	.proc_write = proc_sys_write,
	.proc_lseek = generic_file_llseek,
};

int register_sysctl(const char *path, struct ctl_table *table)
{
	struct proc_dir_entry *dir = proc_mkdir_p(path, proc_sys_root);

	if (!dir)
		return -ENOMEM;
	for (struct ctl_table *t = table; t->procname; t++)
		if (!proc_create_data(t->procname, S_IFREG | t->mode, dir, &proc_sys_file_operations, t))
			return -ENOMEM;
	return 0;
}

void proc_sys_init(void)
{
	proc_sys_root = proc_mkdir("sys", NULL);
	sysctl_init();
}
