/*
 * The per-process directories /proc/PID and /proc/PID/task/TID (Linux:
 * fs/proc/base.c): made up from the task list at each lookup and readdir,
 * never registered. What each file shows lives beside: array.c (stat,
 * status, statm), task_mmu.c (maps, smaps, smaps_rollup), fd.c (fd/, fdinfo/);
 * here are the directories, the links (exe, cwd, root), and the smaller
 * files (cmdline, environ, comm, limits, wchan, the oom_* files).
 *
 * A read goes: the dentry of /proc/PID (its inode holds a reference on the
 * task) -> get_proc_task(), which fails once the task is reaped -> what
 * the file shows, from the task or, for the files about memory, from its
 * mm taken with get_task_mm() (a reference that keeps the address space
 * alive while it is read, or NULL once the task has left it).
 *
 * Locking: tasklist_lock (irqsave) while walking the task list; task_lock
 * for ->mm, ->comm, ->fs and the rlimits (order: tasklist_lock ->
 * task_lock). The memory readers (cmdline, environ) take the target's
 * mmap_lock for reading, killably, one chunk at a time, and copy to the
 * reader only after dropping it.
 */
#include <kernel/kernel.h>
#include <kernel/cgroup.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/sched/mm.h>
#include <kernel/kallsyms.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/oom.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/fs_struct.h>
#include <fs/seq_file.h>
#include <fs/uapi.h>
#include <uapi/resource.h>
#include "internal.h"
#include "../internal.h"

#define PROC_NUMBUF 13
#define PID_MAX_LIMIT PID_MAX

/* ---- the task behind an inode ---- */

struct task_struct *get_proc_task(const struct inode *inode)
{
	struct task_struct *task = PROC_I(inode)->task;

	/* Our inode's reference keeps the struct; only a reaped task is gone for /proc. */
	if (!task || READ_ONCE(task->exit_state) == EXIT_DEAD)
		return NULL;
	get_task_struct(task);
	return task;
}

static int pid_revalidate(struct dentry *d)
{
	struct inode *inode = d->d_inode;
	struct task_struct *task = inode ? PROC_I(inode)->task : NULL;

	return task && READ_ONCE(task->exit_state) != EXIT_DEAD;
}

const struct dentry_operations pid_dentry_operations = {
	.d_revalidate = pid_revalidate,
};

int name_to_int(const char *name, unsigned int len)
{
	unsigned int n = 0;

	if (!len || len > 10 || (len > 1 && name[0] == '0'))
		return -1;
	for (unsigned int i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	return n > (unsigned int)INT_MAX ? -1 : (int)n;
}

struct inode *proc_pid_inode(struct dentry *d, struct task_struct *task, umode_t mode)
{
	struct inode *inode = proc_pid_make_inode(d->d_sb, task, mode);

	if (inode && S_ISDIR(mode))
		inode->i_nlink = 2;
	return inode;
}

/* Made-up inode numbers for readdir (a lookup gives each inode a real one). */
static u64 fake_ino(pid_t pid, unsigned int entry)
{
	return 0x80000000ULL + ((u64)pid << 8) + entry;
}

struct mm_struct *proc_mem_open(struct task_struct *task)
{
	struct mm_struct *mm = get_task_mm(task);

	if (mm) {
		mmgrab(mm);	/* keep the struct for the open file; the mappings may still go */
		mmput(mm);
	}
	return mm;
}

/* ---- files that are one seq_file record about the task ---- */

static int proc_single_show(struct seq_file *m, void *v)
{
	struct inode *inode = m->private;
	struct task_struct *task = get_proc_task(inode);

	if (!task)
		return -ESRCH;
	int ret = PROC_I(inode)->op.proc_show(m, task);
	put_task_struct(task);
	return ret;
}

static int proc_single_open(struct inode *inode, struct file *file)
{
	return single_open(file, proc_single_show, inode);
}

const struct file_operations proc_single_file_operations = {
	.open = proc_single_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* ---- links: exe, cwd, root (and fd/N, in fd.c) ---- */

static void proc_link_put(struct proc_link *link)
{
	if (link->path.dentry)
		path_put(&link->path);
	if (link->file)
		fput(link->file);
}

static int proc_pid_readlink(struct dentry *d, char __user *buf, int buflen)
{
	struct inode *inode = d->d_inode;
	struct proc_link link = { { NULL, NULL }, NULL };
	int err = PROC_I(inode)->op.proc_get_link(inode, &link);
	char *page, *p;

	if (err)
		return err;
	page = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!page) {
		proc_link_put(&link);
		return -ENOMEM;
	}
	p = link.file ? file_path(link.file, page, PATH_MAX) : d_path(&link.path, page, PATH_MAX);
	if (IS_ERR(p)) {
		err = PTR_ERR(p);
	} else {
		int len = min((int)strlen(p), buflen);
		err = copy_to_user(buf, p, len) ? -EFAULT : len;
	}
	kfree(page);
	proc_link_put(&link);
	return err;
}

/* Walking through the link lands on the object itself (a deleted file, a directory renamed since). */
static int proc_pid_jump_link(const struct path *link_path, struct path *path)
{
	struct inode *inode = link_path->dentry->d_inode;
	struct proc_link link = { { NULL, NULL }, NULL };
	int err = PROC_I(inode)->op.proc_get_link(inode, &link);

	if (err)
		return err;
	if (link.file && !link.file->f_path.dentry) {
		err = -ENXIO;	/* a pipe has no name to open it by: Folio cannot reopen it */
	} else {
		*path = link.file ? link.file->f_path : link.path;
		path_get(path);
	}
	proc_link_put(&link);
	return err;
}

const struct inode_operations proc_pid_link_inode_operations = {
	.jump_link = proc_pid_jump_link,
	.readlink = proc_pid_readlink,
};

static int proc_exe_link(struct inode *inode, struct proc_link *link)
{
	struct task_struct *task = get_proc_task(inode);
	struct file *exe = NULL;

	if (!task)
		return -ENOENT;
	task_lock(task);
	if (task->mm && !(task->flags & PF_KTHREAD) && task->mm->exe_file)
		exe = get_file(task->mm->exe_file);	/* task->mm set: its users keep exe_file */
	task_unlock(task);
	put_task_struct(task);
	link->file = exe;
	return exe ? 0 : -ENOENT;
}

/* The task's working directory (pwd) or root, referenced. */
static int proc_fs_link(struct inode *inode, struct proc_link *link, bool pwd)
{
	struct task_struct *task = get_proc_task(inode);

	if (!task)
		return -ENOENT;
	task_lock(task);
	struct fs_struct *fs = task->fs;
	if (fs) {
		if (pwd)
			get_fs_pwd(fs, &link->path);
		else
			get_fs_root(fs, &link->path);
	}
	task_unlock(task);
	put_task_struct(task);
	return fs ? 0 : -ENOENT;
}

static int proc_cwd_link(struct inode *inode, struct proc_link *link)
{
	return proc_fs_link(inode, link, true);
}

static int proc_root_link(struct inode *inode, struct proc_link *link)
{
	return proc_fs_link(inode, link, false);
}

/* ---- cmdline and environ: the target's memory ---- */

/*
 * Copy [addr, addr + len) of mm to the reader in page-sized chunks through
 * a kernel page: access_remote_vm() holds mm's mmap_lock (read, killable)
 * only while it fills the page. Stops at the first NUL if stop_at_nul.
 */
static ssize_t copy_remote_to_user(struct mm_struct *mm, unsigned long addr, size_t len, char __user *buf,
				   bool stop_at_nul)
{
	char *page = (char *)__get_free_page(GFP_KERNEL);
	ssize_t done = 0;

	if (!page)
		return -ENOMEM;
	while ((size_t)done < len) {
		size_t n = min(len - done, PAGE_SIZE);
		int got = access_remote_vm(mm, addr + done, page, n, 0);
		if (got <= 0)
			break;
		if (stop_at_nul) {
			char *nul = memchr(page, 0, got);
			if (nul)
				len = done + (nul - page);	/* the loop ends after this chunk */
			got = min((size_t)got, len - done);
		}
		if (copy_to_user(buf + done, page, got)) {
			done = done ? done : -EFAULT;
			break;
		}
		done += got;
	}
	free_page((unsigned long)page);
	return done;
}

/*
 * Linux's rules: the arguments [arg_start, arg_end); but if the last byte
 * of that range is not a NUL, the program rewrote its arguments
 * (setproctitle()) and the text may run on into the environment: then up
 * to the first NUL before env_end.
 */
static ssize_t get_mm_cmdline(struct mm_struct *mm, char __user *buf, size_t count, loff_t pos)
{
	unsigned long arg_start = READ_ONCE(mm->arg_start), arg_end = READ_ONCE(mm->arg_end);
	unsigned long env_start = READ_ONCE(mm->env_start), env_end = READ_ONCE(mm->env_end);
	char last;

	if (arg_start >= arg_end || pos < 0)
		return 0;
	if (env_start != arg_end || env_end < env_start)
		env_start = env_end = arg_end;
	if ((unsigned long)pos >= env_end - arg_start)
		return 0;
	if (access_remote_vm(mm, arg_end - 1, &last, 1, 0) == 1 && last)
		return copy_remote_to_user(mm, arg_start + pos, min(count, (size_t)(env_end - arg_start - pos)), buf,
					   true);
	if ((unsigned long)pos >= arg_end - arg_start)
		return 0;
	return copy_remote_to_user(mm, arg_start + pos, min(count, (size_t)(arg_end - arg_start - pos)), buf, false);
}

/*
 * cmdline: get_task_mm() (under task_lock) at each read, as Linux does; a
 * zombie's is empty. access_remote_vm() takes mmap_read_lock_killable()
 * for each page it reads: the reader can be killed while a writer holds it.
 */
static ssize_t proc_pid_cmdline_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	struct task_struct *task = get_proc_task(file->f_inode);
	struct mm_struct *mm;
	ssize_t ret;

	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return 0;
	ret = get_mm_cmdline(mm, buf, count, *pos);
	mmput(mm);
	if (ret > 0)
		*pos += ret;
	return ret;
}

static const struct file_operations proc_pid_cmdline_ops = {
	.read = proc_pid_cmdline_read,
	.llseek = generic_file_llseek,
};

/*
 * environ (and pagemap): the mm is pinned (mm_count) at open and used while
 * it still has users (mmget_not_zero()); each page is read under
 * mmap_read_lock_killable() by access_remote_vm(), as cmdline's.
 */
int proc_mem_file_open(struct inode *inode, struct file *file)
{
	struct task_struct *task = get_proc_task(inode);

	if (!task)
		return -ESRCH;
	file->private_data = proc_mem_open(task);
	put_task_struct(task);
	return 0;
}

static ssize_t environ_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	struct mm_struct *mm = file->private_data;
	ssize_t ret = 0;

	if (!mm || *pos < 0 || !mmget_not_zero(mm))
		return 0;
	unsigned long env_start = READ_ONCE(mm->env_start), env_end = READ_ONCE(mm->env_end);
	if (env_start < env_end && (unsigned long)*pos < env_end - env_start)
		ret = copy_remote_to_user(mm, env_start + *pos, min(count, (size_t)(env_end - env_start - *pos)), buf,
					  false);
	mmput(mm);
	if (ret > 0)
		*pos += ret;
	return ret;
}

int proc_mem_file_release(struct inode *inode, struct file *file)
{
	if (file->private_data)
		mmdrop(file->private_data);
	return 0;
}

static const struct file_operations proc_environ_operations = {
	.open = proc_mem_file_open,
	.read = environ_read,
	.llseek = generic_file_llseek,
	.release = proc_mem_file_release,
};

/* ---- comm ---- */

static int comm_show(struct seq_file *m, void *v)
{
	struct task_struct *task = get_proc_task(m->private);
	char comm[TASK_COMM_LEN];

	if (!task)
		return -ESRCH;
	task_lock(task);
	memcpy(comm, task->comm, sizeof(comm));
	task_unlock(task);
	put_task_struct(task);
	comm[TASK_COMM_LEN - 1] = 0;
	seq_printf(m, "%s\n", comm);
	return 0;
}

/* The new name, cut to 15 bytes as Linux cuts it; only threads of the same process may rename. */
static ssize_t comm_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	char comm[TASK_COMM_LEN] = { 0 };
	struct task_struct *task;

	if (copy_from_user(comm, buf, min(count, sizeof(comm) - 1)))
		return -EFAULT;
	task = get_proc_task(file->f_inode);
	if (!task)
		return -ESRCH;
	if (task->tgid == current->tgid) {
		task_lock(task);
		memcpy(task->comm, comm, sizeof(comm));
		task_unlock(task);
	} else {
		count = -EINVAL;
	}
	put_task_struct(task);
	return count;
}

static int comm_open(struct inode *inode, struct file *file)
{
	return single_open(file, comm_show, inode);
}

static const struct file_operations proc_pid_set_comm_operations = {
	.open = comm_open,
	.read = seq_read,
	.write = comm_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* ---- limits ---- */

static const struct {
	const char *name, *unit;
} lnames[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { "Max cpu time", "seconds" },
	[RLIMIT_FSIZE] = { "Max file size", "bytes" },
	[RLIMIT_DATA] = { "Max data size", "bytes" },
	[RLIMIT_STACK] = { "Max stack size", "bytes" },
	[RLIMIT_CORE] = { "Max core file size", "bytes" },
	[RLIMIT_RSS] = { "Max resident set", "bytes" },
	[RLIMIT_NPROC] = { "Max processes", "processes" },
	[RLIMIT_NOFILE] = { "Max open files", "files" },
	[RLIMIT_MEMLOCK] = { "Max locked memory", "bytes" },
	[RLIMIT_AS] = { "Max address space", "bytes" },
	[RLIMIT_LOCKS] = { "Max file locks", "locks" },
	[RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
	[RLIMIT_MSGQUEUE] = { "Max msgqueue size", "bytes" },
	[RLIMIT_NICE] = { "Max nice priority", NULL },
	[RLIMIT_RTPRIO] = { "Max realtime priority", NULL },
	[RLIMIT_RTTIME] = { "Max realtime timeout", "us" },
};

static void limit_value(struct seq_file *m, unsigned long v)
{
	if (v == RLIM_INFINITY)
		seq_printf(m, "%-20s ", "unlimited");
	else
		seq_printf(m, "%-20lu ", v);
}

static int proc_pid_limits(struct seq_file *m, struct task_struct *task)
{
	struct rlimit rlim[RLIM_NLIMITS];

	task_lock(task->group_leader);	/* what setrlimit() holds */
	memcpy(rlim, task->signal->rlim, sizeof(rlim));
	task_unlock(task->group_leader);
	seq_printf(m, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		seq_printf(m, "%-25s ", lnames[i].name);
		limit_value(m, rlim[i].rlim_cur);
		limit_value(m, rlim[i].rlim_max);
		if (lnames[i].unit)
			seq_printf(m, "%-10s\n", lnames[i].unit);
		else
			seq_putc(m, '\n');
	}
	return 0;
}

/* ---- wchan ---- */

/* The function the task sleeps in, or "0" while it runs (no newline, as Linux). */
static int proc_pid_wchan(struct seq_file *m, struct task_struct *task)
{
	unsigned long wchan = get_wchan(task), size, offset;
	const char *name = wchan ? kallsyms_lookup(wchan, &size, &offset) : NULL;

	if (name)
		seq_puts(m, name);
	else
		seq_putc(m, '0');
	return 0;
}

/* ---- oom_score, oom_score_adj, oom_adj ---- */

/* Linux 6.1's view of oom_badness(): 0 for the exempt, else scaled to 0..2000 around 666 for "nothing". */
static int proc_oom_score(struct seq_file *m, struct task_struct *task)
{
	unsigned long totalpages = totalram_pages;	/* + swap, which Folio has none of */
	long badness = oom_badness(task, totalpages);
	unsigned long points = 0;

	if (badness != LONG_MIN)
		points = (1000 + badness * 1000 / (long)totalpages) * 2 / 3;
	seq_printf(m, "%lu\n", points);
	return 0;
}

static DEFINE_MUTEX(oom_adj_mutex);

/*
 * The value lives in signal_struct: every thread of the process shares it,
 * fork copies it, exec keeps it. Processes that share the mm without being
 * threads (clone(CLONE_VM) without CLONE_THREAD) get it too, so the OOM
 * killer sees one value per address space; a vfork child does not, it
 * will exec its own.
 */
static int __set_oom_adj(struct file *file, int oom_adj, bool legacy)
{
	struct task_struct *task = get_proc_task(file->f_inode), *p;
	struct mm_struct *mm = NULL;
	unsigned long flags;

	if (!task)
		return -ESRCH;
	mutex_lock(&oom_adj_mutex);
	if (legacy)
		pr_warn_once("%s (%d): /proc/%d/oom_adj is deprecated, please use /proc/%d/oom_score_adj instead.\n",
			     current->comm, current->pid, task->pid, task->pid);
	task_lock(task);
	if (!task->vfork_done)
		mm = task->mm;
	WRITE_ONCE(task->signal->oom_score_adj, oom_adj);
	task_unlock(task);
	if (mm) {
		spin_lock_irqsave(&tasklist_lock, flags);
		list_for_each_entry(p, &init_task.tasks, tasks)
			if (p->mm == mm && p->signal != task->signal && !(p->flags & PF_KTHREAD) && !p->vfork_done)
				WRITE_ONCE(p->signal->oom_score_adj, oom_adj);
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	mutex_unlock(&oom_adj_mutex);
	put_task_struct(task);
	return 0;
}

/* A number from a user write of at most PROC_NUMBUF - 1 bytes, blanks around it ignored. */
static int proc_read_int(const char __user *buf, size_t count, int *val)
{
	char buffer[PROC_NUMBUF] = { 0 };

	if (copy_from_user(buffer, buf, min(count, sizeof(buffer) - 1)))
		return -EFAULT;
	return kstrtoint(strim(buffer), 0, val);
}

static ssize_t oom_score_adj_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	struct task_struct *task = get_proc_task(file->f_inode);
	char buffer[PROC_NUMBUF];

	if (!task)
		return -ESRCH;
	int len = snprintf(buffer, sizeof(buffer), "%d\n", READ_ONCE(task->signal->oom_score_adj));
	put_task_struct(task);
	return simple_read_from_buffer(buf, count, pos, buffer, len);
}

static ssize_t oom_score_adj_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	int adj, err = proc_read_int(buf, count, &adj);

	if (!err && (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX))
		err = -EINVAL;
	if (!err)
		err = __set_oom_adj(file, adj, false);
	return err < 0 ? err : (ssize_t)count;
}

static const struct file_operations proc_oom_score_adj_operations = {
	.read = oom_score_adj_read,
	.write = oom_score_adj_write,
	.llseek = generic_file_llseek,
};

/* oom_adj reads oom_score_adj scaled to -17..15: * 17 / 1000, 16 (from 942 up) shown as 15. */
static ssize_t oom_adj_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	struct task_struct *task = get_proc_task(file->f_inode);
	char buffer[PROC_NUMBUF];
	int adj;

	if (!task)
		return -ESRCH;
	adj = READ_ONCE(task->signal->oom_score_adj);
	put_task_struct(task);
	adj = min(adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX, OOM_ADJUST_MAX);
	int len = snprintf(buffer, sizeof(buffer), "%d\n", adj);
	return simple_read_from_buffer(buf, count, pos, buffer, len);
}

/* -16..15 or -17 (OOM_DISABLE); 15 becomes 1000 so the top stays reachable, the rest * 1000 / 17. */
static ssize_t oom_adj_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	int adj, err = proc_read_int(buf, count, &adj);

	if (!err && (adj < OOM_ADJUST_MIN || adj > OOM_ADJUST_MAX) && adj != OOM_DISABLE)
		err = -EINVAL;
	if (!err)
		err = __set_oom_adj(file, adj == OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX :
					  adj * OOM_SCORE_ADJ_MAX / -OOM_DISABLE, true);
	return err < 0 ? err : (ssize_t)count;
}

static const struct file_operations proc_oom_adj_operations = {
	.read = oom_adj_read,
	.write = oom_adj_write,
	.llseek = generic_file_llseek,
};

/* ---- the entries of a process or thread directory ---- */

struct pid_entry {
	const char *name;
	umode_t mode;
	const struct inode_operations *iop;
	const struct file_operations *fop;
	union proc_op op;
};

#define PE_DIR(n, m, i, f) { .name = n, .mode = S_IFDIR | (m), .iop = &i, .fop = &f }
#define PE_LINK(n, fn) { .name = n, .mode = S_IFLNK | 0777, .iop = &proc_pid_link_inode_operations, \
			 .op = { .proc_get_link = fn } }
#define PE_FILE(n, m, f) { .name = n, .mode = S_IFREG | (m), .fop = &f }
#define PE_SHOW(n, m, fn) { .name = n, .mode = S_IFREG | (m), .fop = &proc_single_file_operations, \
			    .op = { .proc_show = fn } }

static const struct inode_operations proc_task_inode_operations;
static const struct file_operations proc_task_operations;

/*
 * The entries of /proc/PID and of /proc/PID/task/TID: the same files,
 * about the process or about one thread (stat then counts the thread
 * alone); only a process has task/.
 */
static const struct pid_entry pid_base_stuff[] = {
	PE_DIR("task", 0555, proc_task_inode_operations, proc_task_operations),
	PE_DIR("fd", 0500, proc_fd_inode_operations, proc_fd_operations),
	PE_DIR("fdinfo", 0555, proc_fdinfo_inode_operations, proc_fdinfo_operations),
	PE_FILE("environ", 0400, proc_environ_operations),
	PE_SHOW("status", 0444, proc_pid_status),
	PE_SHOW("limits", 0444, proc_pid_limits),
	PE_FILE("comm", 0644, proc_pid_set_comm_operations),
	PE_FILE("cmdline", 0444, proc_pid_cmdline_ops),
	PE_SHOW("stat", 0444, proc_pid_stat),
	PE_SHOW("statm", 0444, proc_pid_statm),
	PE_FILE("maps", 0444, proc_pid_maps_operations),
	PE_LINK("cwd", proc_cwd_link),
	PE_LINK("root", proc_root_link),
	PE_LINK("exe", proc_exe_link),
	PE_FILE("mounts", 0444, proc_mounts_operations),
	PE_FILE("mountinfo", 0444, proc_mountinfo_operations),
	PE_FILE("smaps", 0444, proc_pid_smaps_operations),
	PE_FILE("smaps_rollup", 0444, proc_pid_smaps_rollup_operations),
	PE_FILE("pagemap", 0400, proc_pagemap_operations),
	PE_SHOW("wchan", 0444, proc_pid_wchan),
	PE_SHOW("cgroup", 0444, proc_cgroup_show),
	PE_SHOW("oom_score", 0444, proc_oom_score),
	PE_FILE("oom_adj", 0644, proc_oom_adj_operations),
	PE_FILE("oom_score_adj", 0644, proc_oom_score_adj_operations),
};

/* The entries a directory shows: all of them for a process, all but task/ (the first) for a thread. */
static const struct pid_entry *pid_dir_entries(const struct inode *dir, unsigned int *n)
{
	bool thread = PROC_I(dir)->thread;

	*n = ARRAY_SIZE(pid_base_stuff) - thread;
	return pid_base_stuff + thread;
}

/* 2, plus one ".." for each subdirectory, as Linux counts a directory's links. */
static unsigned int pid_entry_nlink(const struct pid_entry *entries, unsigned int n)
{
	unsigned int count = 2;

	for (unsigned int i = 0; i < n; i++)
		if (S_ISDIR(entries[i].mode))
			count++;
	return count;
}

static struct dentry *proc_pident_instantiate(struct inode *dir, struct dentry *d, struct task_struct *task,
					      const struct pid_entry *p)
{
	struct inode *inode = proc_pid_inode(d, task, p->mode);

	if (!inode)
		return ERR_PTR(-ENOMEM);
	PROC_I(inode)->thread = PROC_I(dir)->thread;	/* stat: the thread's counts, or the process's */
	inode->i_op = S_ISREG(p->mode) ? &proc_file_inode_operations : p->iop;
	inode->i_fop = p->fop;
	PROC_I(inode)->op = p->op;
	d->d_op = &pid_dentry_operations;
	d_instantiate(d, inode);
	return NULL;
}

static struct dentry *proc_pident_lookup(struct inode *dir, struct dentry *d, const struct pid_entry *entries,
					 unsigned int n)
{
	struct task_struct *task = get_proc_task(dir);
	struct dentry *ret = ERR_PTR(-ENOENT);

	if (!task)
		return ERR_PTR(-ESRCH);	/* Linux's permission check on the directory says so first */
	for (unsigned int i = 0; i < n; i++) {
		if (strlen(entries[i].name) == d->d_len && !memcmp(entries[i].name, d->d_name, d->d_len)) {
			ret = proc_pident_instantiate(dir, d, task, &entries[i]);
			break;
		}
	}
	put_task_struct(task);
	return ret;
}

static int proc_pident_readdir(struct file *file, struct dir_context *ctx, const struct pid_entry *entries,
			       unsigned int n)
{
	struct task_struct *task = get_proc_task(file->f_inode);

	if (!task)
		return -ENOENT;
	if (proc_emit_dots(file, ctx)) {
		for (; ctx->pos - 2 < n; ctx->pos++) {
			const struct pid_entry *p = &entries[ctx->pos - 2];
			if (!dir_emit(ctx, p->name, strlen(p->name), fake_ino(task->pid, ctx->pos), p->mode >> 12))
				break;
		}
	}
	put_task_struct(task);
	return 0;
}

static struct dentry *proc_pid_dir_lookup(struct inode *dir, struct dentry *d)
{
	unsigned int n;
	const struct pid_entry *entries = pid_dir_entries(dir, &n);

	return proc_pident_lookup(dir, d, entries, n);
}

static int proc_pid_dir_readdir(struct file *file, struct dir_context *ctx)
{
	unsigned int n;
	const struct pid_entry *entries = pid_dir_entries(file->f_inode, &n);

	return proc_pident_readdir(file, ctx, entries, n);
}

static const struct inode_operations proc_pid_dir_inode_operations = {
	.lookup = proc_pid_dir_lookup,
};

static const struct file_operations proc_pid_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate = proc_pid_dir_readdir,
};

/* ---- /proc/PID: one directory per process (any thread's tid works too, unlisted) ---- */

static struct dentry *proc_task_instantiate(struct dentry *d, struct task_struct *task, bool thread)
{
	struct inode *inode = proc_pid_inode(d, task, S_IFDIR | 0555);

	if (!inode)
		return ERR_PTR(-ENOMEM);
	unsigned int n;

	PROC_I(inode)->thread = thread;
	inode->i_op = &proc_pid_dir_inode_operations;
	inode->i_fop = &proc_pid_dir_operations;
	const struct pid_entry *entries = pid_dir_entries(inode, &n);
	inode->i_nlink = pid_entry_nlink(entries, n);
	d->d_op = &pid_dentry_operations;
	d_instantiate(d, inode);
	return NULL;
}

struct dentry *proc_pid_lookup(struct dentry *d, unsigned int pid)
{
	struct task_struct *task = pid ? find_get_task_by_pid(pid) : NULL;
	struct dentry *ret;

	if (!task)
		return ERR_PTR(-ENOENT);
	ret = proc_task_instantiate(d, task, false);
	put_task_struct(task);
	return ret;
}

/*
 * The smallest pid >= from among the tasks that match: thread-group
 * leaders (the processes), or the threads of leader. -1 if none.
 */
static pid_t next_pid(pid_t from, struct task_struct *leader)
{
	struct task_struct *p;
	unsigned long flags;
	pid_t best = -1;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (leader ? p->group_leader != leader : p != p->group_leader)
			continue;
		if (p->pid >= from && (best < 0 || p->pid < best))
			best = p->pid;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}

/* Directory entries named by pid, from position first + pid, in pid order. */
static void emit_pids(struct dir_context *ctx, loff_t first, struct task_struct *leader)
{
	char name[PROC_NUMBUF];
	pid_t pid;

	while ((pid = next_pid(ctx->pos - first, leader)) >= 0) {
		int len = snprintf(name, sizeof(name), "%d", pid);
		ctx->pos = first + pid;
		if (!dir_emit(ctx, name, len, fake_ino(pid, 0), DT_DIR))
			return;
		ctx->pos++;
	}
	ctx->pos = first + PID_MAX_LIMIT;	/* the end: later calls find nothing more */
}

int proc_pid_readdir(struct file *file, struct dir_context *ctx)
{
	if (ctx->pos >= FIRST_PROCESS_ENTRY)
		emit_pids(ctx, FIRST_PROCESS_ENTRY, NULL);
	return 0;
}

/* ---- /proc/PID/task: the threads ---- */

static struct dentry *proc_task_lookup(struct inode *dir, struct dentry *d)
{
	struct task_struct *task = get_proc_task(dir), *thread = NULL;
	int tid = name_to_int(d->d_name, d->d_len);
	struct dentry *ret = ERR_PTR(-ENOENT);

	if (!task)
		return ERR_PTR(-ESRCH);
	if (tid > 0)
		thread = find_get_task_by_pid(tid);
	if (thread && thread->group_leader == task->group_leader)
		ret = proc_task_instantiate(d, thread, true);
	if (thread)
		put_task_struct(thread);
	put_task_struct(task);
	return ret;
}

static int proc_task_readdir(struct file *file, struct dir_context *ctx)
{
	struct task_struct *task = get_proc_task(file->f_inode);

	if (!task)
		return -ENOENT;
	if (proc_emit_dots(file, ctx))
		emit_pids(ctx, 2, task->group_leader);
	put_task_struct(task);
	return 0;
}

static const struct inode_operations proc_task_inode_operations = {
	.lookup = proc_task_lookup,
};

static const struct file_operations proc_task_operations = {
	.llseek = generic_file_llseek,
	.iterate = proc_task_readdir,
};
