/*
 * execve() (Linux: fs/exec.c, fs/binfmt_script.c).
 *
 * Everything that can fail for a reason the caller should hear about is
 * checked before the point of no return: the arguments are copied into the
 * kernel (E2BIG beyond MAX_ARG_TOTAL), the file is opened and checked (a
 * regular file with an execute bit, not on a noexec mount), and the ELF
 * headers are validated.
 * Only then does begin_new_exec() give up the old address space; a failure
 * after that kills the task, as in Linux.
 *
 * "#!interpreter [arg]" scripts run the interpreter with the script's path
 * inserted, up to four levels deep.
 *
 * Locking: the new mm is current's only after task_lock() publishes it;
 * the old one is dropped with mmput() like any exit_mm().
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/mm.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <kernel/timer.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/mm.h>
#include <arch/mmu_context.h>
#include <mm/vmalloc.h>
#include <fs/fs.h>
#include <fs/binfmts.h>
#include <fs/mount.h>

/* Count a user (or, from the kernel, kernel) array of strings and their total length with NULs. */
static int count_strings(const char *const __user *argv, int *count, size_t *bytes)
{
	*count = 0;
	*bytes = 0;
	if (!argv)
		return 0;
	for (;;) {
		const char __user *s;
		if (get_user(s, argv + *count))
			return -EFAULT;
		if (!s)
			return 0;
		long len = strnlen_user(s, MAX_ARG_STRLEN);
		if (!len)
			return -EFAULT;
		if (len > MAX_ARG_STRLEN)
			return -E2BIG;
		*bytes += len;
		if (++*count > 0x7fffffff / 8 || *bytes > MAX_ARG_TOTAL)
			return -E2BIG;
	}
}

/* Copy count strings into dst, at most room bytes: another thread may change them since they were counted. */
static int copy_strings(const char *const __user *argv, int count, char *dst, size_t room)
{
	size_t off = 0;

	for (int i = 0; i < count; i++) {
		const char __user *s;
		if (get_user(s, argv + i))
			return -EFAULT;
		long limit = min((size_t)MAX_ARG_STRLEN, room - off);
		long len = strncpy_from_user(dst + off, s, limit);
		if (len < 0 || len >= limit)
			return -EFAULT;	/* changed under us since counted */
		off += len + 1;
	}
	return (int)off;
}

/* Gather argv and envp into one kernel buffer. */
static int bprm_copy_args(struct linux_binprm *bprm, const char *const __user *argv,
			  const char *const __user *envp, bool kernel)
{
	size_t abytes, ebytes;
	int err;

	if (kernel)
		uaccess_kernel_begin();
	if ((err = count_strings(argv, &bprm->argc, &abytes)) ||
	    (err = count_strings(envp, &bprm->envc, &ebytes)))
		goto out;
	if (abytes + ebytes > MAX_ARG_TOTAL) {
		err = -E2BIG;
		goto out;
	}
	bprm->strings_len = abytes + ebytes;
	bprm->strings = vmalloc(bprm->strings_len + 1);
	if (!bprm->strings) {
		err = -ENOMEM;
		goto out;
	}
	int a = copy_strings(argv, bprm->argc, bprm->strings, bprm->strings_len);
	int e = a < 0 ? a : copy_strings(envp, bprm->envc, bprm->strings + a, bprm->strings_len - a);
	err = a < 0 ? a : e < 0 ? e : (size_t)(a + e) != bprm->strings_len ? -EFAULT : 0;
	bprm->strings[bprm->strings_len] = 0;	/* so an empty set reads as "" */
out:
	if (kernel)
		uaccess_kernel_end();
	return err;
}

/* Open the program and read its first bytes. */
static int bprm_open(struct linux_binprm *bprm, const char *path)
{
	struct file *f = filp_open(path, O_RDONLY, 0);

	if (IS_ERR(f))
		return PTR_ERR(f);
	umode_t mode = f->f_inode->i_mode;
	if (!S_ISREG(mode) || !(mode & (S_IXUSR | S_IXGRP | S_IXOTH)) || path_noexec(&f->f_path)) {
		fput(f);
		return -EACCES;
	}
	if (bprm->file)
		fput(bprm->file);
	bprm->file = f;
	memset(bprm->buf, 0, sizeof(bprm->buf));
	loff_t pos = 0;
	ssize_t n = kernel_read(f, bprm->buf, sizeof(bprm->buf), &pos);
	return n < 0 ? (int)n : 0;
}

static char *put_string(char *p, const char *s)
{
	size_t n = strlen(s) + 1;
	memcpy(p, s, n);
	return p + n;
}

/*
 * "#!/path/interp [one-arg]": argv becomes interp [one-arg] script-path argv[1..].
 * The replaced argv[0] is dropped, as Linux does.
 */
static int load_script(struct linux_binprm *bprm, const char *script, char *interp, size_t interp_size)
{
	char *line = bprm->buf + 2;
	size_t n = strnlen(line, sizeof(bprm->buf) - 2);
	char *nl = NULL;
	for (size_t i = 0; i < n; i++)
		if (line[i] == '\n') {
			nl = line + i;
			break;
		}
	if (!nl)
		return -ENOEXEC;	/* the interpreter line does not fit: as Linux */
	*nl = 0;
	char *name = skip_spaces(line), *arg = name;
	while (*arg && *arg != ' ' && *arg != '\t')
		arg++;
	if (*arg)
		*arg++ = 0;
	arg = skip_spaces(arg);
	for (char *t = arg + strlen(arg); t > arg && (t[-1] == ' ' || t[-1] == '\t'); t--)
		t[-1] = 0;
	if (!*name || strlcpy(interp, name, interp_size) >= interp_size)
		return -ENOEXEC;

	/* New strings: interp, [arg], filename, then the old argv[1..] and envp. */
	size_t first = bprm->argc ? strlen(bprm->strings) + 1 : 0;	/* the old argv[0] */
	size_t add = strlen(interp) + 1 + (*arg ? strlen(arg) + 1 : 0) + strlen(script) + 1;
	size_t len = bprm->strings_len - first + add;
	if (len > MAX_ARG_TOTAL)
		return -E2BIG;
	char *s = vmalloc(len + 1), *p = s;
	if (!s)
		return -ENOMEM;
	p = put_string(p, interp);
	if (*arg)
		p = put_string(p, arg);
	p = put_string(p, script);	/* the script being run (an inner one, for nested #!) */
	memcpy(p, bprm->strings + first, bprm->strings_len - first);
	vfree(bprm->strings);
	bprm->strings = s;
	bprm->strings_len = len;
	bprm->argc += (*arg ? 2 : 1) + (bprm->argc ? 0 : 1);
	return 0;
}

static int do_execve(const char *filename, const char *const __user *argv, const char *const __user *envp,
		     bool kernel)
{
	struct linux_binprm bprm = { .filename = filename };
	char interp[2][BINPRM_BUF_SIZE];	/* alternate: one holds the path being run, one the next */
	const char *path = filename;
	int err;

	if ((err = bprm_copy_args(&bprm, argv, envp, kernel)))
		goto out;
	for (;;) {
		if ((err = bprm_open(&bprm, path)))
			goto out;
		if (bprm.buf[0] != '#' || bprm.buf[1] != '!')
			break;
		if (++bprm.interp_depth > 4) {
			err = -ELOOP;
			goto out;
		}
		char *next = interp[bprm.interp_depth & 1];
		if ((err = load_script(&bprm, path, next, sizeof(interp[0]))))
			goto out;
		path = next;
	}
	err = load_elf_binary(&bprm);
out:
	if (bprm.file)
		fput(bprm.file);
	vfree(bprm.strings);
	return err;
}

/*
 * The exec'ing thread takes the place of the process's leader, which has
 * exited (Linux's de_thread() does the same): it gets the leader's pid, the
 * parent's wait4() and the process's siblings see it from now on, and the
 * old leader, a zombie nobody will reap, is let go (release_task()) under
 * the exec'ing thread's old tid. Without this, the new program would run as
 * a mere thread of a dead leader, whose exit status 0 the parent would get
 * whatever the program did. Under tasklist_lock.
 */
static void take_leader_place(struct task_struct *tsk, struct task_struct *leader)
{
	pid_t tid = tsk->pid;

	WARN_ON_ONCE(leader->exit_state != EXIT_ZOMBIE || tsk->parent != leader->parent);
	tsk->pid = leader->pid;
	leader->pid = tid;
	tsk->group_leader = tsk;
	leader->group_leader = tsk;
	tsk->exit_signal = SIGCHLD;	/* as Linux: the new program is an ordinary child */
	leader->exit_signal = -1;
	tsk->start_time = leader->start_time;	/* the process's, as /proc/PID/stat shows it */
	if (child_reaper == leader)
		WRITE_ONCE(child_reaper, tsk);
}

/*
 * Kill the other threads of the process, so the new program starts alone,
 * and make current its leader (Linux: de_thread()). Fails if the process is
 * dying already (another exec, a group exit) or current is killed meanwhile:
 * then before the point of no return, its threads still sharing.
 */
static int de_thread(struct task_struct *tsk)
{
	struct signal_struct *sig = tsk->signal;
	struct task_struct *leader = tsk->group_leader;
	unsigned long flags;

	if (leader == tsk && READ_ONCE(sig->nr_threads) <= 1)
		return 0;	/* alone: nobody else can add a thread */
	spin_lock_irqsave(&tasklist_lock, flags);
	if ((sig->flags & SIGNAL_GROUP_EXIT) || sig->group_exec_task) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -EAGAIN;	/* we have SIGKILL coming */
	}
	/* The threads we kill must not take us with them through a group exit. */
	sig->group_exec_task = tsk;
	zap_other_threads(tsk);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	while (READ_ONCE(sig->nr_threads) > 1 && !fatal_signal_pending(tsk))
		schedule_timeout_uninterruptible(1);
	spin_lock_irqsave(&tasklist_lock, flags);
	int err = sig->nr_threads > 1 ? -EINTR : 0;	/* killed ourselves meanwhile */
	if (!err && leader != tsk)
		take_leader_place(tsk, leader);
	sig->group_exec_task = NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!err && leader != tsk)
		release_task(leader);
	return err;
}

/*
 * A task's new name, cut to TASK_COMM_LEN - 1 and padded with zeros: a
 * shorter name must not leave the end of the old one behind the NUL, where
 * prctl(PR_GET_NAME), the trace buffer and gdb read all 16 bytes. Caller
 * holds task_lock(tsk).
 */
void __set_task_comm(struct task_struct *tsk, const char *name)
{
	strscpy_pad(tsk->comm, name, sizeof(tsk->comm));
}

int begin_new_exec(struct linux_binprm *bprm)
{
	struct task_struct *tsk = current;
	struct mm_struct *mm = mm_alloc(), *old;

	if (!mm)
		return -ENOMEM;
	int err = de_thread(tsk);
	if (err) {
		mmput(mm);
		return err;
	}
	mm->exe_file = get_file(bprm->file);
	/* The point of no return. */
	if (tsk->mm)
		mm_release(tsk);
	task_lock(tsk);
	old = tsk->mm;
	tsk->mm = mm;
	tsk->active_mm = mm;
	switch_mm(old, mm);
	tsk->flags &= ~PF_KTHREAD;	/* pid 1 becomes a user process here */
	const char *base = strrchr(bprm->filename, '/');
	__set_task_comm(tsk, base ? base + 1 : bprm->filename);
	task_unlock(tsk);
	if (old) {
		setmax_mm_hiwater_rss(&tsk->signal->maxrss, old);	/* ru_maxrss spans exec, as on Linux */
		mm_update_next_owner(old);
		mmput(old);
	}
	flush_signal_handlers(tsk);
	tsk->sas_ss_sp = tsk->sas_ss_size = 0;	/* no alternate signal stack across exec (POSIX) */
	tsk->sas_ss_flags = 0;
	if (tsk->files)
		do_close_on_exec(tsk->files);
	return 0;
}

SYSCALL_DEFINE3(execve, const char __user *, filename, const char *const __user *, argv,
		const char *const __user *, envp)
{
	char *path = vmalloc(PATH_MAX);
	long err;

	if (!path)
		return -ENOMEM;
	err = strncpy_from_user(path, filename, PATH_MAX);
	if (err >= 0 && err < PATH_MAX)
		err = do_execve(path, argv, envp, false);
	else if (err >= 0)
		err = -ENAMETOOLONG;
	vfree(path);
	return err;
}

int kernel_execve(const char *filename, const char *const *argv, const char *const *envp)
{
	return do_execve(filename, (const char *const __user *)argv, (const char *const __user *)envp, true);
}
