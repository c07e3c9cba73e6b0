/*
 * The console terminal (Linux: drivers/tty/tty_io.c, tty_ioctl.c,
 * tty_jobctrl.c, for one terminal): /dev/console and /dev/tty on the COM1
 * UART. Here live the console's tty_struct and its driver (polled UART
 * output), the file operations, the termios and window-size ioctls, and job
 * control: the controlling terminal of a session and its foreground process
 * group. The line discipline (echo, line editing, ^C, VMIN/VTIME reads) is
 * fs/n_tty.c.
 *
 * Locking:
 *   tty->lock (irqsave)  the input ring and its indices (fs/n_tty.c), termios,
 *                        winsize, pgrp, session, the output column, and every
 *                        call of tty->write.
 *   tty->read_mutex      one reader at a time; taken before tty->lock.
 *   tty->write_mutex     a whole write(), so two writers' lines do not mix.
 *   tasklist_lock        ->signal->pgrp/session/tty of every task; taken
 *                        before tty->lock. Signals (kill_pgrp() takes
 *                        tasklist_lock) are sent after dropping tty->lock.
 * User memory is copied outside tty->lock: copy_*_user() may fault and sleep.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/signal.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/serial.h>
#include <fs/fs.h>
#include <fs/tty.h>


#define TTY_MAJOR 5
#define TTY_DEV MKDEV(TTY_MAJOR, 0)	/* /dev/tty: the caller's controlling terminal */
#define CONSOLE_DEV MKDEV(TTY_MAJOR, 1)	/* /dev/console */

/* Linux's tty_std_termios: cooked mode, echo, ^C/^\/^Z signals, 38400 8N1. */
#define TTY_STD_TERMIOS {							\
	.c_iflag = ICRNL | IXON,						\
	.c_oflag = OPOST | ONLCR,						\
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,				\
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN, \
	/* INTR ^C, QUIT ^\, ERASE DEL, KILL ^U, EOF ^D, TIME 0, MIN 1, SWTC, START ^Q, \
	   STOP ^S, SUSP ^Z, EOL, REPRINT ^R, DISCARD ^O, WERASE ^W, LNEXT ^V, EOL2 */ \
	.c_cc = "\003\034\177\025\004\0\1\0\021\023\032\0\022\017\027\026\0",	\
	.c_ispeed = 38400, .c_ospeed = 38400 }

/* The driver: polled UART output. serial_write() would add its own '\r', so bytes go one by one. */
static void uart_write(struct tty_struct *tty, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		serial_putc(buf[i]);
}

static struct tty_struct console_tty = {
	.lock = __SPIN_LOCK_UNLOCKED(console_tty.lock),
	.read_mutex = __MUTEX_INITIALIZER(console_tty.read_mutex),
	.write_mutex = __MUTEX_INITIALIZER(console_tty.write_mutex),
	.read_wait = __WAIT_QUEUE_HEAD_INITIALIZER(console_tty.read_wait),
	.termios = TTY_STD_TERMIOS,
	.winsize = { .ws_row = 24, .ws_col = 80 },
	.write = uart_write,
};

/*
 * The device number ps shows for a controlling terminal (stat's tty_nr):
 * the console is the first serial line, ttyS0 (4, 64), as Linux's console
 * is on these machines.
 */
int tty_devnum(struct tty_struct *tty)
{
	(void)tty;
	return MKDEV(4, 64);
}

struct tty_struct *tty_console(void)
{
	return &console_tty;
}

/* From the serial interrupt, once tty_init() attached the console to the UART. */
void tty_receive_char(char c)
{
	n_tty_receive_char(&console_tty, c);
}

ssize_t tty_console_write(const char *buf, size_t n)
{
	mutex_lock(&console_tty.write_mutex);
	n_tty_write(&console_tty, buf, n);
	mutex_unlock(&console_tty.write_mutex);
	return n;
}

/* ---- File operations ---- */

static ssize_t tty_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	return n_tty_read(file->private_data, file, buf, count);
}

static ssize_t tty_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	struct tty_struct *tty = file->private_data;
	size_t done = 0;

	if (mutex_lock_interruptible(&tty->write_mutex))
		return -ERESTARTSYS;
	while (done < count) {
		char kbuf[64];
		size_t n = min(count - done, sizeof(kbuf));
		size_t left = copy_from_user(kbuf, buf + done, n);
		n_tty_write(tty, kbuf, n - left);
		done += n - left;
		if (left)
			break;
	}
	mutex_unlock(&tty->write_mutex);
	return done || !count ? (ssize_t)done : -EFAULT;
}

static __poll_t tty_poll(struct file *file, struct poll_table_struct *pt)
{
	struct tty_struct *tty = file->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;	/* output never blocks for long */

	poll_wait(file, &tty->read_wait, pt);
	if (n_tty_readable(tty))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

/* ---- Controlling terminal and job control (Linux: tty_jobctrl.c) ---- */

/* Folio has no signal->leader flag: a session leader is the process whose pid names its session. */
static bool is_session_leader(struct task_struct *p)
{
	return p->signal->session && p->signal->session == p->tgid;
}

/* Every process of session sid forgets its terminal; tasklist_lock held. */
static void session_clear_tty(pid_t sid)
{
	struct task_struct *p;

	list_for_each_entry(p, &init_task.tasks, tasks)
		if (p->signal && p->signal->session == sid)
			p->signal->tty = NULL;
}

/* Make tty the caller's controlling terminal if it may have one (open() and TIOCSCTTY). */
static int set_ctty(struct tty_struct *tty, bool steal, bool quiet)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&tty->lock);
	if (sig->tty == tty && tty->session == sig->session && is_session_leader(current))
		;				/* already ours */
	else if (!is_session_leader(current) || sig->tty)
		ret = -EPERM;
	else if (tty->session && !steal)
		ret = -EPERM;			/* another session's terminal */
	else {
		if (tty->session)
			session_clear_tty(tty->session);
		tty->session = sig->session;
		tty->pgrp = sig->pgrp;
		sig->tty = tty;
	}
	spin_unlock(&tty->lock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return quiet ? 0 : ret;
}

void disassociate_ctty(int on_exit)
{
	struct tty_struct *tty = READ_ONCE(current->signal->tty);
	unsigned long flags;
	pid_t pgrp = 0;

	if (!tty)
		return;
	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&tty->lock);
	if (tty->session == current->signal->session) {
		pgrp = tty->pgrp;
		session_clear_tty(tty->session);
		tty->session = tty->pgrp = 0;
	}
	current->signal->tty = NULL;
	spin_unlock(&tty->lock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (on_exit && pgrp > 0) {
		kill_pgrp(pgrp, SIGHUP, 1);
		kill_pgrp(pgrp, SIGCONT, 1);
	}
}

/* TIOCSPGRP: the new foreground group must exist in the caller's session. */
static int tiocspgrp(struct tty_struct *tty, pid_t __user *p)
{
	struct task_struct *t;
	unsigned long flags;
	pid_t pgrp, sid = current->signal->session;
	int ret = -ESRCH;

	if (READ_ONCE(current->signal->tty) != tty || READ_ONCE(tty->session) != sid)
		return -ENOTTY;
	if (get_user(pgrp, p))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &init_task.tasks, tasks) {
		if (pgrp && t->signal && t->signal->pgrp == pgrp) {
			ret = t->signal->session == sid ? 0 : -EPERM;
			break;
		}
	}
	if (!ret) {
		spin_lock(&tty->lock);
		tty->pgrp = pgrp;
		spin_unlock(&tty->lock);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* ---- ioctls ---- */

static long tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct tty_struct *tty = file->private_data;
	void __user *p = (void __user *)arg;
	struct signal_struct *sig = current->signal;
	unsigned long flags;

	switch (cmd) {
	case TCGETS: {
		struct termios t;
		spin_lock_irqsave(&tty->lock, flags);
		memcpy(&t, &tty->termios, sizeof(t));
		spin_unlock_irqrestore(&tty->lock, flags);
		return copy_to_user(p, &t, sizeof(t)) ? -EFAULT : 0;
	}
	case TCSETS:
	case TCSETSW:		/* "after output drains": output is synchronous, it has */
	case TCSETSF: {		/* ... and flush pending input */
		struct termios t;
		if (copy_from_user(&t, p, sizeof(t)))
			return -EFAULT;
		n_tty_set_termios(tty, &t, cmd == TCSETSF);
		return 0;
	}
	case TCSBRK:		/* tcdrain() and tcsendbreak(): nothing is queued, no break is sent */
		return 0;
	case TCXONC:		/* flow control is not implemented: accept */
		return arg <= TCION ? 0 : -EINVAL;
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH) {
			spin_lock_irqsave(&tty->lock, flags);
			n_tty_flush_input(tty);
			spin_unlock_irqrestore(&tty->lock, flags);
		}
		return 0;
	case TIOCOUTQ:
		return put_user(0, (int __user *)p);
	case FIONREAD: {
		spin_lock_irqsave(&tty->lock, flags);
		int n = n_tty_inq(tty);
		spin_unlock_irqrestore(&tty->lock, flags);
		return put_user(n, (int __user *)p);
	}
	case TIOCGWINSZ: {
		struct winsize ws;
		spin_lock_irqsave(&tty->lock, flags);
		ws = tty->winsize;
		spin_unlock_irqrestore(&tty->lock, flags);
		return copy_to_user(p, &ws, sizeof(ws)) ? -EFAULT : 0;
	}
	case TIOCSWINSZ: {
		struct winsize ws;
		if (copy_from_user(&ws, p, sizeof(ws)))
			return -EFAULT;
		spin_lock_irqsave(&tty->lock, flags);
		bool changed = memcmp(&ws, &tty->winsize, sizeof(ws)) != 0;
		pid_t pgrp = tty->pgrp;
		tty->winsize = ws;
		spin_unlock_irqrestore(&tty->lock, flags);
		if (changed && pgrp > 0)
			kill_pgrp(pgrp, SIGWINCH, 1);
		return 0;
	}
	case TIOCGPGRP:
		if (READ_ONCE(sig->tty) != tty)
			return -ENOTTY;
		return put_user(READ_ONCE(tty->pgrp), (pid_t __user *)p);
	case TIOCSPGRP:
		return tiocspgrp(tty, p);
	case TIOCGSID:
		if (READ_ONCE(sig->tty) != tty || !READ_ONCE(tty->session))
			return -ENOTTY;
		return put_user(READ_ONCE(tty->session), (pid_t __user *)p);
	case TIOCSCTTY:		/* arg 1: steal it from another session (everyone is root) */
		return set_ctty(tty, arg == 1, false);
	case TIOCNOTTY:
		if (READ_ONCE(sig->tty) != tty)
			return -ENOTTY;
		if (is_session_leader(current))
			disassociate_ctty(0);
		else
			WRITE_ONCE(sig->tty, NULL);
		return 0;
	default:
		return -ENOTTY;
	}
}

/*
 * open(): /dev/tty is the caller's controlling terminal. /dev/console
 * becomes the controlling terminal of a session leader that has none and
 * opens it without O_NOCTTY, and its group the foreground group. (Linux
 * never makes /dev/console a controlling terminal: there, init opens the
 * real tty device. Folio's console is its only terminal, so it does.)
 */
static int tty_open(struct inode *inode, struct file *file)
{
	struct tty_struct *tty = &console_tty;

	if (inode && inode->i_rdev == TTY_DEV) {
		tty = READ_ONCE(current->signal->tty);
		if (!tty)
			return -ENXIO;
		file->private_data = tty;
		return 0;
	}
	file->private_data = tty;
	if (!(file->f_flags & O_NOCTTY))
		set_ctty(tty, false, true);
	serial_attach_tty();	/* the first open starts input: typed-ahead bytes arrive now */
	return 0;
}

/* Closing changes nothing: the controlling terminal outlives its file descriptors, as in Linux. */
static int tty_release(struct inode *inode, struct file *file)
{
	return 0;
}

const struct file_operations tty_fops = {
	.read = tty_read,
	.write = tty_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
	.open = tty_open,
	.release = tty_release,
};

void tty_init(void)
{
	int err = devfs_create("console", S_IFCHR | 0600, CONSOLE_DEV, &tty_fops);

	if (!err)
		err = devfs_create("tty", S_IFCHR | 0666, TTY_DEV, &tty_fops);
	if (err)
		pr_err("tty: cannot create /dev/console and /dev/tty: %d\n", err);
}
