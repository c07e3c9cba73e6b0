/*
 * ktests for the console terminal (fs/tty.c, fs/n_tty.c): line editing, echo,
 * ^D, ICRNL and friends, VMIN/VTIME, the termios and job-control ioctls,
 * ^C to the foreground group, blocking and non-blocking reads.
 *
 * The tests use the real console tty_struct through tty_fops, on a struct
 * file made here, as the VFS will. Input is fed with tty_receive_char() with
 * interrupts off, as the serial interrupt does. Output is captured by
 * pointing the console's driver write (tty->write) at capture_write() for
 * the length of a test, so echoes can be compared byte for byte and nothing
 * reaches the UART. Each test body runs between tty_test_begin() and
 * tty_test_end(), which save and restore termios, window size, foreground
 * group, session and the test task's own job-control fields, and flush
 * input, even when an assertion fails half-way. Threads a test starts are
 * released before anything about them is asserted.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/signal.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <kernel/timer.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <uapi/errno.h>
#include <fs/fs.h>
#include <fs/tty.h>

#define SIGTSTP_NR 20

/* ---- Output capture ---- */

static char cap[8192];
static size_t cap_len;

/* The console's driver write during a test; tty->lock is held. */
static void capture_write(struct tty_struct *tty, const char *buf, size_t n)
{
	for (size_t i = 0; i < n && cap_len < sizeof(cap) - 1; i++)
		cap[cap_len++] = buf[i];
	cap[cap_len] = 0;
}

static void cap_reset(void)
{
	cap_len = 0;
	cap[0] = 0;
}

/* ---- Set-up and helpers ---- */

static struct {
	void (*write)(struct tty_struct *tty, const char *buf, size_t n);
	struct termios2 termios;
	struct winsize winsize;
	pid_t pgrp, session;
	pid_t my_pgrp, my_session;
	struct tty_struct *my_tty;
} saved;

static void tty_test_begin(struct file *f)
{
	struct tty_struct *tty = tty_console();
	unsigned long flags;

	memset(f, 0, sizeof(*f));
	f->f_count = 1;
	f->f_flags = O_RDWR;
	f->f_mode = FMODE_READ | FMODE_WRITE;
	f->f_op = &tty_fops;
	f->private_data = tty;
	spin_lock_irqsave(&tty->lock, flags);
	saved.write = tty->write;
	saved.termios = tty->termios;
	saved.winsize = tty->winsize;
	saved.pgrp = tty->pgrp;
	saved.session = tty->session;
	tty->write = capture_write;
	spin_unlock_irqrestore(&tty->lock, flags);
	saved.my_pgrp = current->signal->pgrp;
	saved.my_session = current->signal->session;
	saved.my_tty = current->signal->tty;
	tty_fops.ioctl(f, TCFLSH, TCIFLUSH);
	cap_reset();
}

static void tty_test_end(struct file *f)
{
	struct tty_struct *tty = tty_console();
	unsigned long flags;

	current->signal->pgrp = saved.my_pgrp;
	current->signal->session = saved.my_session;
	current->signal->tty = saved.my_tty;
	tty_fops.ioctl(f, TCFLSH, TCIFLUSH);
	spin_lock_irqsave(&tty->lock, flags);
	tty->termios = saved.termios;
	tty->winsize = saved.winsize;
	tty->pgrp = saved.pgrp;
	tty->session = saved.session;
	tty->write = saved.write;
	spin_unlock_irqrestore(&tty->lock, flags);
}

/* A test body gets the file; set-up and tear-down run around it even if it fails. */
#define TTY_KTEST(name)								\
	static void name##_body(struct ktest_ctx *kt, struct file *f);		\
	KTEST(name)								\
	{									\
		struct file file;						\
		tty_test_begin(&file);						\
		name##_body(kt, &file);						\
		tty_test_end(&file);						\
	}									\
	static void name##_body(struct ktest_ctx *kt, struct file *f)

/* Input as the serial interrupt delivers it: one byte at a time, interrupts off. */
static void feed_n(const char *s, size_t n)
{
	unsigned long flags;

	local_irq_save(flags);
	for (size_t i = 0; i < n; i++)
		tty_receive_char(s[i]);
	local_irq_restore(flags);
}
#define FEED(lit) feed_n(lit, sizeof(lit) - 1)	/* a literal may hold NULs */

/* File operations on kernel buffers, as kernel_read()/kernel_write() will pass them. */
static ssize_t kread(struct file *f, char *buf, size_t n)
{
	uaccess_kernel_begin();
	ssize_t r = f->f_op->read(f, buf, n, &f->f_pos);
	uaccess_kernel_end();
	if (r >= 0 && (size_t)r < n)
		buf[r] = 0;
	return r;
}

static ssize_t kwrite(struct file *f, const char *buf, size_t n)
{
	uaccess_kernel_begin();
	ssize_t r = f->f_op->write(f, buf, n, &f->f_pos);
	uaccess_kernel_end();
	return r;
}

static long kioctl_n(struct file *f, unsigned int cmd, unsigned long arg)
{
	uaccess_kernel_begin();
	long r = f->f_op->ioctl(f, cmd, arg);
	uaccess_kernel_end();
	return r;
}
#define kioctl(f, cmd, ptr) kioctl_n(f, cmd, (unsigned long)(ptr))

static int inq(struct file *f)
{
	int n = -1;
	kioctl(f, FIONREAD, &n);
	return n;
}

/* Change termios through TCGETS/TCSETS: clear then set lflag bits, and VMIN/VTIME. */
static void set_mode(struct file *f, tcflag_t lclear, tcflag_t lset, int vmin, int vtime)
{
	struct termios t;

	kioctl(f, TCGETS, &t);
	t.c_lflag = (t.c_lflag & ~lclear) | lset;
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	kioctl(f, TCSETS, &t);
}

static void set_iflag(struct file *f, tcflag_t clear, tcflag_t set)
{
	struct termios t;

	kioctl(f, TCGETS, &t);
	t.c_iflag = (t.c_iflag & ~clear) | set;
	kioctl(f, TCSETS, &t);
}

#define KT_ASSERT_READ(f, expect) do {						\
	char _b[128];								\
	ssize_t _r = kread(f, _b, sizeof(_b));					\
	KT_ASSERT_EQ(_r, sizeof(expect) - 1);					\
	KT_ASSERT_MSG(!memcmp(_b, expect, sizeof(expect) - 1), "read \"%s\"", _b); \
} while (0)
#define KT_ASSERT_ECHO(expect) do {						\
	KT_ASSERT_EQ(cap_len, sizeof(expect) - 1);				\
	KT_ASSERT_MSG(!memcmp(cap, expect, sizeof(expect) - 1), "echo \"%s\"", cap); \
	cap_reset();								\
} while (0)
#define RUBOUT "\b \b"

/* ---- Canonical mode ---- */

TTY_KTEST(tty_canon_line_editing)
{
	FEED("ab\x7f" "c\n");			/* ERASE */
	KT_ASSERT_ECHO("ab" RUBOUT "c\r\n");
	KT_ASSERT_READ(f, "ac\n");

	FEED("junk\x15" "ok\n");		/* KILL, with ECHOKE */
	KT_ASSERT_ECHO("junk" RUBOUT RUBOUT RUBOUT RUBOUT "ok\r\n");
	KT_ASSERT_READ(f, "ok\n");

	FEED("foo bar  \x17" "baz\n");		/* WERASE takes "bar  " */
	KT_ASSERT_ECHO("foo bar  " RUBOUT RUBOUT RUBOUT RUBOUT RUBOUT "baz\r\n");
	KT_ASSERT_READ(f, "foo baz\n");

	FEED("\x7f" "\x15" "x\n");		/* nothing to erase: nothing echoed */
	KT_ASSERT_ECHO("x\r\n");
	KT_ASSERT_READ(f, "x\n");

	FEED("a\x01\x7f\n");			/* ^A echoed as two columns, rubbed out as two */
	KT_ASSERT_ECHO("a^A" RUBOUT RUBOUT "\r\n");
	KT_ASSERT_READ(f, "a\n");

	FEED("ab\t\x7f" "\t\x7f\x7f\x7f\n");	/* a tab from column 2 is 6 columns wide */
	KT_ASSERT_ECHO("ab\t\b\b\b\b\b\b\t\b\b\b\b\b\b" RUBOUT RUBOUT "\r\n");
	KT_ASSERT_READ(f, "\n");

	FEED("\x16\x7f\n");			/* LNEXT: the DEL is data */
	KT_ASSERT_ECHO("^\b^?\r\n");
	KT_ASSERT_READ(f, "\x7f\n");

	FEED("l1\nl2\n");			/* one line per read */
	KT_ASSERT_READ(f, "l1\n");
	KT_ASSERT_READ(f, "l2\n");

	FEED("hello\n");			/* a short read leaves the rest of the line */
	char b[8];
	KT_ASSERT_EQ(kread(f, b, 2), 2);
	KT_ASSERT(!memcmp(b, "he", 2));
	KT_ASSERT_READ(f, "llo\n");

	cap_reset();
	set_mode(f, ECHO, 0, 1, 0);		/* no echo, but ECHONL still shows the newline */
	FEED("secret\n");
	KT_ASSERT_ECHO("");
	set_mode(f, 0, ECHONL, 1, 0);
	FEED("pw\n");
	KT_ASSERT_ECHO("\r\n");
	KT_ASSERT_READ(f, "secret\n");
	KT_ASSERT_READ(f, "pw\n");
}

TTY_KTEST(tty_canon_eof)
{
	char b[16];

	FEED("\x04");				/* ^D at the start of a line: end of file */
	KT_ASSERT_ECHO("");
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), 0);

	FEED("ab\x04");				/* mid-line: the partial line, without the ^D */
	KT_ASSERT_EQ(inq(f), 2);
	KT_ASSERT_READ(f, "ab");
	f->f_flags |= O_NONBLOCK;
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), -EAGAIN);	/* the ^D went with its line */

	FEED("xy\x04");				/* a read that fills up just before the ^D uses it up too */
	KT_ASSERT_EQ(kread(f, b, 2), 2);
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), -EAGAIN);

	FEED("\x04\x04");			/* two ends of file: two 0-byte reads */
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), 0);
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), 0);
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), -EAGAIN);
}

TTY_KTEST(tty_input_cr_nl)
{
	char b[4];

	FEED("ab\r");				/* ICRNL */
	KT_ASSERT_ECHO("ab\r\n");
	KT_ASSERT_READ(f, "ab\n");

	set_iflag(f, ICRNL, IGNCR);		/* IGNCR */
	FEED("a\rb\n");
	KT_ASSERT_READ(f, "ab\n");

	set_iflag(f, IGNCR, 0);			/* neither: CR is data */
	FEED("a\r\n");
	KT_ASSERT_READ(f, "a\r\n");

	set_iflag(f, 0, INLCR);			/* INLCR, in raw mode: NL arrives as CR */
	set_mode(f, ICANON | ECHO, 0, 1, 0);
	FEED("\n");
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), 1);
	KT_ASSERT_EQ(b[0], '\r');
}

/* ---- Non-canonical mode ---- */

TTY_KTEST(tty_noncanon_reads)
{
	char b[16];

	set_mode(f, ICANON | ECHO, 0, 1, 0);	/* what busybox's line editing uses */
	FEED("xy");
	KT_ASSERT_ECHO("");
	KT_ASSERT_READ(f, "xy");		/* no line needed */
	FEED("\x7f\x15\x04");			/* editing characters are data */
	KT_ASSERT_READ(f, "\x7f\x15\x04");

	set_mode(f, 0, 0, 0, 0);		/* MIN 0 TIME 0: never waits */
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), 0);

	set_mode(f, 0, 0, 0, 2);		/* MIN 0 TIME 2: 0 after 0.2 s */
	unsigned long start = jiffies;
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), 0);
	KT_ASSERT(jiffies - start >= 2 * HZ / 10);
	FEED("z");
	KT_ASSERT_READ(f, "z");

	set_mode(f, 0, 0, 3, 0);		/* MIN 3, non-blocking: what there is */
	f->f_flags |= O_NONBLOCK;
	FEED("ab");
	KT_ASSERT_READ(f, "ab");
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), -EAGAIN);
	f->f_flags &= ~O_NONBLOCK;
	FEED("abcd");
	KT_ASSERT_READ(f, "abcd");

	FEED("pq");				/* back to canonical: pending raw input is one line */
	set_mode(f, 0, ICANON, 1, 0);
	KT_ASSERT_READ(f, "pq");
}

/* ---- ioctls ---- */

TTY_KTEST(tty_termios_ioctls)
{
	struct termios t, t2;
	struct winsize ws;

	KT_ASSERT_EQ(sizeof(struct termios), 36);
	KT_ASSERT_EQ(kioctl(f, TCGETS, &t), 0);
	KT_ASSERT_EQ(t.c_iflag, ICRNL | IXON);
	KT_ASSERT_EQ(t.c_oflag, OPOST | ONLCR);
	KT_ASSERT_EQ(t.c_cflag, B38400 | CS8 | CREAD | HUPCL);
	KT_ASSERT_EQ(t.c_lflag, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
	KT_ASSERT_EQ(t.c_cc[VINTR], 3);
	KT_ASSERT_EQ(t.c_cc[VQUIT], 0x1c);
	KT_ASSERT_EQ(t.c_cc[VERASE], 0x7f);
	KT_ASSERT_EQ(t.c_cc[VKILL], 0x15);
	KT_ASSERT_EQ(t.c_cc[VEOF], 4);
	KT_ASSERT_EQ(t.c_cc[VTIME], 0);
	KT_ASSERT_EQ(t.c_cc[VMIN], 1);
	KT_ASSERT_EQ(t.c_cc[VSUSP], 0x1a);
	KT_ASSERT_EQ(t.c_cc[VWERASE], 0x17);
	KT_ASSERT_EQ(t.c_cc[VEOL], 0);

	t.c_lflag &= ~(ECHO | ICANON);		/* round trip */
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 7;
	KT_ASSERT_EQ(kioctl(f, TCSETS, &t), 0);
	KT_ASSERT_EQ(kioctl(f, TCGETS, &t2), 0);
	KT_ASSERT(!memcmp(&t, &t2, sizeof(t)));
	KT_ASSERT_EQ(kioctl(f, TCSETSW, &t), 0);
	FEED("abc");				/* TCSETSF flushes input */
	KT_ASSERT_EQ(inq(f), 3);
	KT_ASSERT_EQ(kioctl(f, TCSETSF, &t), 0);
	KT_ASSERT_EQ(inq(f), 0);

	/* Bad pointers (no kernel window open): -EFAULT, nothing changed. */
	struct termios junk;
	memset(&junk, 0, sizeof(junk));
	KT_ASSERT_EQ(tty_fops.ioctl(f, TCGETS, 0), -EFAULT);
	KT_ASSERT_EQ(tty_fops.ioctl(f, TCSETS, (unsigned long)&junk), -EFAULT);	/* kernel address */
	KT_ASSERT_EQ(tty_fops.ioctl(f, TCSETS, 0xdead000000000000UL), -EFAULT);	/* non-canonical */
	KT_ASSERT_EQ(kioctl(f, TCGETS, &t2), 0);
	KT_ASSERT(!memcmp(&t, &t2, sizeof(t)));
	KT_ASSERT_EQ(tty_fops.ioctl(f, TIOCGWINSZ, 0), -EFAULT);
	KT_ASSERT_EQ(tty_fops.ioctl(f, TIOCSWINSZ, 0x1000), -EFAULT);
	KT_ASSERT_EQ(tty_fops.ioctl(f, FIONREAD, 0), -EFAULT);
	/* pid 1 has the console as its controlling terminal: a bad pointer is -EFAULT. */
	KT_ASSERT_EQ(tty_fops.ioctl(f, TIOCSPGRP, 0), current->signal->tty ? -EFAULT : -ENOTTY);

	KT_ASSERT_EQ(kioctl(f, TIOCGWINSZ, &ws), 0);
	KT_ASSERT_EQ(ws.ws_row, 24);
	KT_ASSERT_EQ(ws.ws_col, 80);
	ws.ws_row = 50;
	ws.ws_col = 132;
	KT_ASSERT_EQ(kioctl(f, TIOCSWINSZ, &ws), 0);
	memset(&ws, 0, sizeof(ws));
	KT_ASSERT_EQ(kioctl(f, TIOCGWINSZ, &ws), 0);
	KT_ASSERT_EQ(ws.ws_row, 50);
	KT_ASSERT_EQ(ws.ws_col, 132);

	KT_ASSERT_EQ(kioctl_n(f, TCFLSH, TCIOFLUSH), 0);
	KT_ASSERT_EQ(kioctl_n(f, TCFLSH, 3), -EINVAL);
	KT_ASSERT_EQ(kioctl_n(f, TCXONC, TCOOFF), 0);
	KT_ASSERT_EQ(kioctl_n(f, TCSBRK, 1), 0);
	KT_ASSERT_EQ(kioctl(f, 0x5499, NULL), -ENOTTY);
	KT_ASSERT_EQ(kioctl(f, 0x80045430, NULL), -ENOTTY);	/* TIOCGPTN: not a pty */
}

TTY_KTEST(tty_nonblock_fionread_poll)
{
	char b[16];

	f->f_flags |= O_NONBLOCK;
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), -EAGAIN);
	KT_ASSERT_EQ(tty_fops.poll(f, NULL), EPOLLOUT | EPOLLWRNORM);
	FEED("abc");				/* half a line: not readable yet */
	KT_ASSERT_EQ(inq(f), 0);
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), -EAGAIN);
	KT_ASSERT_EQ(tty_fops.poll(f, NULL), EPOLLOUT | EPOLLWRNORM);
	FEED("\nde\n");
	KT_ASSERT_EQ(inq(f), 7);
	KT_ASSERT_EQ(tty_fops.poll(f, NULL), EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM);
	KT_ASSERT_READ(f, "abc\n");
	KT_ASSERT_EQ(inq(f), 3);
	set_mode(f, ICANON, 0, 1, 0);		/* raw: everything counts */
	FEED("xyz");
	KT_ASSERT_EQ(inq(f), 6);
	KT_ASSERT_READ(f, "de\nxyz");
	KT_ASSERT_EQ(kread(f, b, sizeof(b)), -EAGAIN);
}

TTY_KTEST(tty_write_opost)
{
	KT_ASSERT_EQ(kwrite(f, "a\nb", 3), 3);
	KT_ASSERT_ECHO("a\r\nb");
	KT_ASSERT_EQ(tty_console_write("x\n", 2), 2);
	KT_ASSERT_ECHO("x\r\n");

	struct termios t;
	kioctl(f, TCGETS, &t);
	t.c_oflag &= ~OPOST;
	kioctl(f, TCSETS, &t);
	KT_ASSERT_EQ(kwrite(f, "a\nb", 3), 3);
	KT_ASSERT_ECHO("a\nb");

	KT_ASSERT_EQ(f->f_op->write(f, NULL, 4, &f->f_pos), -EFAULT);
	KT_ASSERT_EQ(f->f_op->write(f, "kernel", 6, &f->f_pos), -EFAULT);
	KT_ASSERT_EQ(cap_len, 0);
	KT_ASSERT_EQ(kwrite(f, "", 0), 0);
}

TTY_KTEST(tty_input_buffer_full)
{
	static char big[N_TTY_BUF_SIZE + 16];
	size_t got = 0;
	ssize_t r;

	set_mode(f, ECHO, 0, 1, 0);
	for (int i = 0; i < 5000; i++)		/* a 5000-byte line: the ring keeps 4095 and the newline */
		FEED("x");
	FEED("\n");
	KT_ASSERT_EQ(inq(f), N_TTY_BUF_SIZE);
	while ((r = kread(f, big + got, 1000)) > 0) {
		got += r;
		if (big[got - 1] == '\n')
			break;
	}
	KT_ASSERT_EQ(got, N_TTY_BUF_SIZE);
	KT_ASSERT_EQ(inq(f), 0);

	set_mode(f, ICANON, 0, 1, 0);		/* raw: all 4096 bytes */
	for (int i = 0; i < 5000; i++)
		FEED("y");
	KT_ASSERT_EQ(inq(f), N_TTY_BUF_SIZE);
}

/* ---- Signals and sleepers ---- */

/* A stand-in process: sleeps (uninterruptibly, so pending signals do not wake it) until stopped. */
static int idle_fn(void *unused)
{
	while (!kthread_should_stop())
		schedule_timeout_uninterruptible(1);
	return 0;
}

static bool has_sig(struct task_struct *t, int sig)
{
	return (READ_ONCE(t->pending.signal) | READ_ONCE(t->signal->shared_pending.signal)) & sigmask(sig);
}

TTY_KTEST(tty_isig_foreground_group)
{
	struct tty_struct *tty = tty_console();
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct task_struct *fg = ktest_start_thread(idle_fn, NULL, "tty-fg");
	struct task_struct *bg = ktest_start_thread(idle_fn, NULL, "tty-bg");
	bool intr_fg, intr_bg, quit, tstp, flushed, raw_intr;

	KT_ASSERT(fg && bg);
	fg->signal->pgrp = fg->pid;
	bg->signal->pgrp = bg->pid;
	WRITE_ONCE(tty->pgrp, fg->pid);

	FEED("abc\x03");
	intr_fg = has_sig(fg, SIGINT);
	intr_bg = has_sig(bg, SIGINT);
	flushed = inq(f) == 0;
	FEED("\n");				/* the line holds only the newline now */
	char b[8];
	ssize_t r = kread(f, b, sizeof(b));
	FEED("\x1c");
	quit = has_sig(fg, SIGQUIT);
	FEED("\x1a");
	tstp = has_sig(fg, SIGTSTP_NR);
	flush_signals(fg);
	set_mode(f, ISIG, 0, 1, 0);		/* without ISIG, ^C is data */
	FEED("\x03\n");
	raw_intr = has_sig(fg, SIGINT);

	ktest_stop_thread(fg);		/* -EINTR if it never got to run: fine */
	ktest_stop_thread(bg);
	KT_ASSERT(intr_fg);
	KT_ASSERT(!intr_bg);
	KT_ASSERT(flushed);
	KT_ASSERT_EQ(r, 1);
	KT_ASSERT(quit && tstp);
	KT_ASSERT(!raw_intr);
	KT_ASSERT_ECHO("abc^C\r\n^\\^Z^C\r\n");
	KT_ASSERT_READ(f, "\x03\n");
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

struct reader {
	struct file *f;
	ssize_t ret;
	bool done;
	char buf[32];
};

static int reader_fn(void *data)
{
	struct reader *rd = data;

	uaccess_kernel_begin();
	rd->ret = rd->f->f_op->read(rd->f, rd->buf, sizeof(rd->buf), &rd->f->f_pos);
	uaccess_kernel_end();
	WRITE_ONCE(rd->done, true);
	return idle_fn(NULL);
}

/* t sleeps in read(): interruptibly, off the run queue, queued on the console. */
static bool blocked_in_read(struct task_struct *t)
{
	return READ_ONCE(t->state) == TASK_INTERRUPTIBLE && !READ_ONCE(t->on_rq) &&
	       waitqueue_active(&tty_console()->read_wait);
}

TTY_KTEST(tty_blocked_reader)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct reader rd = { .f = f }, rd2 = { .f = f }, rd3 = { .f = f };
	bool slept, slept_partial, slept2, slept3;

	/* Canonical: half a line does not wake it for good, the newline does. */
	struct task_struct *t = ktest_start_thread(reader_fn, &rd, "tty-reader");
	KT_ASSERT(t);
	slept = WAIT_FOR(blocked_in_read(t), 5);
	FEED("hi");
	schedule_timeout_uninterruptible(3);
	slept_partial = blocked_in_read(t) && !READ_ONCE(rd.done);
	FEED("\n");
	WAIT_FOR(READ_ONCE(rd.done), 5);
	KT_ASSERT_EQ(ktest_stop_thread(t), 0);

	/* Raw mode: one byte is enough with VMIN 1. */
	set_mode(f, ICANON | ECHO, 0, 1, 0);
	t = ktest_start_thread(reader_fn, &rd2, "tty-reader2");
	KT_ASSERT(t);
	slept2 = WAIT_FOR(blocked_in_read(t), 5);
	FEED("k");
	WAIT_FOR(READ_ONCE(rd2.done), 5);
	KT_ASSERT_EQ(ktest_stop_thread(t), 0);

	/* A signal ends the wait with -ERESTARTSYS (-EINTR for user space, until restarts exist). */
	t = ktest_start_thread(reader_fn, &rd3, "tty-reader3");
	KT_ASSERT(t);
	slept3 = WAIT_FOR(blocked_in_read(t), 5);
	send_sig(SIGUSR1, t, 0);
	WAIT_FOR(READ_ONCE(rd3.done), 5);
	KT_ASSERT_EQ(ktest_stop_thread(t), 0);

	KT_ASSERT(slept && slept_partial && slept2 && slept3);
	KT_ASSERT(rd.done && rd2.done && rd3.done);
	KT_ASSERT_EQ(rd.ret, 3);
	KT_ASSERT(!memcmp(rd.buf, "hi\n", 3));
	KT_ASSERT_EQ(rd2.ret, 1);
	KT_ASSERT_EQ(rd2.buf[0], 'k');
	KT_ASSERT_EQ(rd3.ret, -ERESTARTSYS);
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}

/* ---- Controlling terminal ---- */

TTY_KTEST(tty_controlling_terminal)
{
	struct tty_struct *tty = tty_console();
	struct signal_struct *sig = current->signal;
	struct inode console_inode = { .i_rdev = MKDEV(5, 1) }, tty_inode = { .i_rdev = MKDEV(5, 0) };
	struct file c2, t2;

	memset(&t2, 0, sizeof(t2));
	pid_t sid = current->tgid, pgrp;
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();

	/* Act as a session leader without a terminal, on a terminal without a session. */
	sig->session = sid;
	sig->pgrp = sid;
	sig->tty = NULL;
	tty->session = tty->pgrp = 0;

	memset(&c2, 0, sizeof(c2));
	c2.f_flags = O_RDWR | O_NOCTTY;		/* O_NOCTTY: no controlling terminal */
	KT_ASSERT_EQ(tty_fops.open(&console_inode, &c2), 0);
	KT_ASSERT(sig->tty == NULL && tty->session == 0);
	KT_ASSERT_EQ(tty_fops.open(&tty_inode, &t2), -ENXIO);
	KT_ASSERT_EQ(kioctl(f, TIOCGPGRP, &pgrp), -ENOTTY);

	c2.f_flags = O_RDWR;			/* the first open makes it ours */
	KT_ASSERT_EQ(tty_fops.open(&console_inode, &c2), 0);
	KT_ASSERT(c2.private_data == tty);
	KT_ASSERT(sig->tty == tty);
	KT_ASSERT_EQ(tty->session, sid);
	KT_ASSERT_EQ(tty->pgrp, sid);
	KT_ASSERT_EQ(tty_fops.open(&tty_inode, &t2), 0);	/* /dev/tty now works */
	KT_ASSERT(t2.private_data == tty);
	KT_ASSERT_EQ(kioctl(f, TIOCGPGRP, &pgrp), 0);
	KT_ASSERT_EQ(pgrp, sid);
	KT_ASSERT_EQ(kioctl(f, TIOCGSID, &pgrp), 0);
	KT_ASSERT_EQ(pgrp, sid);
	KT_ASSERT_EQ(kioctl(f, TIOCSCTTY, NULL), 0);	/* already ours */
	KT_ASSERT_EQ(tty_fops.ioctl(f, TIOCGPGRP, 0), -EFAULT);
	KT_ASSERT_EQ(tty_fops.ioctl(f, TIOCSPGRP, 0), -EFAULT);
	KT_ASSERT_EQ(tty_fops.ioctl(f, TIOCGSID, 0xdead000000000000UL), -EFAULT);

	/* TIOCSPGRP: only to a group of our session. */
	struct task_struct *a = ktest_start_thread(idle_fn, NULL, "tty-job");
	KT_ASSERT(a);
	a->signal->pgrp = a->pid;
	a->signal->session = a->pid;		/* another session */
	pid_t p = a->pid, none = -1;
	long other = kioctl(f, TIOCSPGRP, &p);
	a->signal->session = sid;		/* ours */
	long same = kioctl(f, TIOCSPGRP, &p);
	pid_t fg = 0;
	kioctl(f, TIOCGPGRP, &fg);
	long neg = kioctl(f, TIOCSPGRP, &none);
	ktest_stop_thread(a);
	KT_ASSERT_EQ(other, -EPERM);
	KT_ASSERT_EQ(same, 0);
	KT_ASSERT_EQ(fg, p);
	KT_ASSERT_EQ(neg, -EINVAL);
	p = PID_MAX - 1;			/* no such group */
	KT_ASSERT_EQ(kioctl(f, TIOCSPGRP, &p), -ESRCH);

	/* TIOCNOTTY by the leader: the terminal forgets the session, and back. */
	KT_ASSERT_EQ(kioctl(f, TIOCNOTTY, NULL), 0);
	KT_ASSERT(sig->tty == NULL && tty->session == 0 && tty->pgrp == 0);
	KT_ASSERT_EQ(tty_fops.open(&tty_inode, &t2), -ENXIO);
	KT_ASSERT_EQ(kioctl(f, TIOCNOTTY, NULL), -ENOTTY);
	KT_ASSERT_EQ(kioctl(f, TIOCSCTTY, NULL), 0);
	KT_ASSERT(sig->tty == tty && tty->session == sid);

	/* Not a session leader: no controlling terminal, neither by open nor TIOCSCTTY. */
	sig->tty = NULL;
	tty->session = tty->pgrp = 0;
	sig->session = sid + 1;
	KT_ASSERT_EQ(tty_fops.open(&console_inode, &c2), 0);
	KT_ASSERT(sig->tty == NULL && tty->session == 0);
	KT_ASSERT_EQ(kioctl(f, TIOCSCTTY, NULL), -EPERM);
	/* A terminal that belongs to another session is not taken without arg 1. */
	sig->session = sid;
	tty->session = sid + 1;
	KT_ASSERT_EQ(kioctl(f, TIOCSCTTY, NULL), -EPERM);
	KT_ASSERT_EQ(kioctl_n(f, TIOCSCTTY, 1), 0);
	KT_ASSERT(sig->tty == tty && tty->session == sid);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}
