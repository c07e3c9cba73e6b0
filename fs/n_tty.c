/*
 * The N_TTY line discipline (Linux: drivers/tty/n_tty.c): what turns the
 * bytes a terminal receives into what read() returns, and output bytes into
 * what the terminal shows. fs/tty.c is the device around it: the console,
 * its file operations, ioctls and job control.
 *
 * Input arrives one byte at a time (n_tty_receive_char(), from the serial
 * interrupt). The termios input flags apply first (ICRNL, INLCR, IGNCR);
 * with ISIG, ^C/^\/^Z become SIGINT/SIGQUIT/SIGTSTP for the foreground
 * process group and flush pending input; in canonical mode (ICANON) ERASE,
 * KILL, WERASE and LNEXT edit the line being typed, and '\n', EOL, EOL2 and
 * EOF end it; everything is echoed as ECHO, ECHOCTL, ECHOE, ECHOK(E) and
 * ECHONL say. The result waits in a 4 KiB ring, read_buf: a reader takes
 * bytes from read_tail, in canonical mode only up to canon_head (the end of
 * the last complete line) and at most one line per read(); otherwise what is
 * there, under the VMIN/VTIME rules. When the ring is full, further input is
 * dropped, as in Linux. Output goes through OPOST/ONLCR to the driver's
 * tty->write.
 *
 * Linux runs the line discipline from a work queue (flush_to_ldisc) and
 * queues echoes in a buffer; Folio runs it in the interrupt itself and echoes
 * at once, which is simpler and fast enough for a 115200-baud console.
 *
 * Locking (the full list is in fs/tty.c): tty->lock (irqsave) guards the ring,
 * its indices and flags, termios, the output column, and every call of
 * tty->write, so an echo never lands inside a "\r\n" pair; tty->read_mutex
 * admits one reader at a time and is taken before tty->lock. Signals are
 * sent (kill_pgrp() takes tasklist_lock) after tty->lock is dropped, and
 * user memory is copied outside it, through a small kernel buffer, since
 * copy_to_user() may fault and sleep.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/timer.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <fs/fs.h>
#include <fs/tty.h>


#define I_FLAG(tty, f) ((tty)->termios.c_iflag & (f))
#define O_FLAG(tty, f) ((tty)->termios.c_oflag & (f))
#define L_FLAG(tty, f) ((tty)->termios.c_lflag & (f))
#define MASK(i) ((i) & (N_TTY_BUF_SIZE - 1))
#define LONG_BITS (8 * sizeof(long))

static bool is_ctrl(unsigned char c) { return c < 0x20 || c == 0x7f; }
static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}
/* A UTF-8 continuation byte takes no column of its own (with IUTF8). */
static bool is_continuation(struct tty_struct *tty, unsigned char c)
{
	return I_FLAG(tty, IUTF8) && (c & 0xc0) == 0x80;
}
/* c is the control character c_cc[idx]; 0 (_POSIX_VDISABLE) disables one. */
static bool is_cc(struct tty_struct *tty, unsigned char c, int idx)
{
	return tty->termios.c_cc[idx] && c == tty->termios.c_cc[idx];
}

static bool test_flag(const unsigned long *map, unsigned int i)
{
	i = MASK(i);
	return (map[i / LONG_BITS] >> (i % LONG_BITS)) & 1;
}
static void assign_flag(unsigned long *map, unsigned int i, bool v)
{
	i = MASK(i);
	if (v)
		map[i / LONG_BITS] |= 1UL << (i % LONG_BITS);
	else
		map[i / LONG_BITS] &= ~(1UL << (i % LONG_BITS));
}
static unsigned int read_cnt(const struct n_tty_data *ld) { return ld->read_head - ld->read_tail; }

/* ---- Output ---- */

/* Output processing of one byte (Linux: do_output_char()); out[] gets 1 or 2 bytes. */
static int opost_char(struct tty_struct *tty, unsigned char c, char *out)
{
	struct n_tty_data *ld = &tty->ldata;

	out[0] = c;
	if (!O_FLAG(tty, OPOST))
		return 1;
	switch (c) {
	case '\n':
		if (O_FLAG(tty, ONLCR)) {
			ld->column = 0;
			out[0] = '\r';
			out[1] = '\n';
			return 2;
		}
		break;
	case '\r':
		ld->column = 0;
		break;
	case '\t':
		ld->column = (ld->column | 7) + 1;
		break;
	case '\b':
		if (ld->column)
			ld->column--;
		break;
	default:
		if (!is_ctrl(c) && !is_continuation(tty, c))
			ld->column++;
	}
	return 1;
}

/* Emit one byte through output processing; tty->lock held. */
static void tty_put(struct tty_struct *tty, unsigned char c)
{
	char out[2];
	tty->write(tty, out, opost_char(tty, c, out));
}

/* Post-process and emit kernel bytes, a chunk at a time under tty->lock. */
void n_tty_write(struct tty_struct *tty, const char *buf, size_t n)
{
	char out[2 * 64];
	unsigned long flags;

	while (n) {
		size_t chunk = min(n, sizeof(out) / 2), o = 0;
		spin_lock_irqsave(&tty->lock, flags);
		for (size_t i = 0; i < chunk; i++)
			o += opost_char(tty, buf[i], out + o);
		tty->write(tty, out, o);
		spin_unlock_irqrestore(&tty->lock, flags);
		buf += chunk;
		n -= chunk;
	}
}

/* ---- Echo and line editing (tty->lock held) ---- */

/* Echo a received byte; control characters as ^X with ECHOCTL (Linux: echo_char()). */
static void echo_char(struct tty_struct *tty, unsigned char c)
{
	if (L_FLAG(tty, ECHOCTL) && is_ctrl(c) && c != '\t' && c != '\n') {
		tty_put(tty, '^');
		tty_put(tty, c ^ 0100);
	} else {
		tty_put(tty, c);
	}
}

/* Columns the echo of byte c took, given the column before it. */
static unsigned int echo_width(struct tty_struct *tty, unsigned char c, unsigned int col)
{
	if (c == '\t')
		return ((col | 7) + 1) - col;
	if (is_ctrl(c))
		return L_FLAG(tty, ECHOCTL) ? 2 : 0;
	return is_continuation(tty, c) ? 0 : 1;
}

/*
 * Remove the last character, word or the whole line being edited (Linux:
 * eraser()), rubbing it out on the screen with "\b \b" under ECHOE. A tab's
 * width is found by replaying the line from the column where it started.
 */
enum erase_kind { ERASE, WERASE, KILL };
static void eraser(struct tty_struct *tty, unsigned char c, enum erase_kind kind)
{
	struct n_tty_data *ld = &tty->ldata;
	bool seen_alnum = false;

	if (ld->read_head == ld->canon_head)
		return;			/* nothing to erase */
	if (kind == KILL && (!L_FLAG(tty, ECHO) || !L_FLAG(tty, ECHOE) || !L_FLAG(tty, ECHOKE))) {
		ld->read_head = ld->canon_head;
		if (L_FLAG(tty, ECHO)) {
			echo_char(tty, c);
			if (L_FLAG(tty, ECHOK))
				tty_put(tty, '\n');
		}
		return;
	}
	while (ld->read_head != ld->canon_head) {
		unsigned int head = ld->read_head;
		unsigned char ch;

		/* One character: a UTF-8 sequence goes as a whole. */
		do
			ch = ld->read_buf[MASK(--head)];
		while (is_continuation(tty, ch) && head != ld->canon_head);
		if (kind == WERASE) {
			if (is_alnum(ch) || ch == '_')
				seen_alnum = true;
			else if (seen_alnum)
				break;
		}
		ld->read_head = head;
		if (L_FLAG(tty, ECHO) && !L_FLAG(tty, ECHOE)) {
			echo_char(tty, tty->termios.c_cc[VERASE]);
		} else if (L_FLAG(tty, ECHO)) {
			unsigned int col = ld->canon_column, width;
			for (unsigned int i = ld->canon_head; i != head; i++)
				col += echo_width(tty, ld->read_buf[MASK(i)], col);
			width = ch == '\t' ? ld->column - min(col, ld->column) : echo_width(tty, ch, col);
			while (width--) {
				if (ch == '\t') {
					tty_put(tty, '\b');
				} else {
					tty_put(tty, '\b');
					tty_put(tty, ' ');
					tty_put(tty, '\b');
				}
			}
		}
		if (kind == ERASE)
			break;
	}
}

/* Drop all pending input (Linux: n_tty_flush_buffer()); tty->lock held. */
void n_tty_flush_input(struct tty_struct *tty)
{
	struct n_tty_data *ld = &tty->ldata;

	ld->read_tail = ld->canon_head = ld->read_head;
	ld->lnext = false;
}

static void put_tty_queue(struct n_tty_data *ld, unsigned char c, bool eol, bool eof)
{
	unsigned int i = ld->read_head++;

	ld->read_buf[MASK(i)] = c;
	assign_flag(ld->read_flags, i, eol);
	assign_flag(ld->eof_flags, i, eof);
}

/*
 * One received byte, tty->lock held (Linux: n_tty_receive_char_special()
 * and friends). Returns a signal for the foreground group, or 0; *wake is set
 * when a reader may now have something to read.
 */
static int n_tty_receive(struct tty_struct *tty, unsigned char c, bool *wake)
{
	struct n_tty_data *ld = &tty->ldata;
	bool canon = L_FLAG(tty, ICANON);

	if (ld->lnext) {
		ld->lnext = false;
		if (L_FLAG(tty, ECHO) && L_FLAG(tty, ECHOCTL))
			tty_put(tty, '\b');	/* rub out the '^' shown for VLNEXT */
		goto ordinary;
	}
	/* Output flow control itself is not implemented: output never stops. */
	if (I_FLAG(tty, IXON) && (is_cc(tty, c, VSTART) || is_cc(tty, c, VSTOP)))
		return 0;
	if (L_FLAG(tty, ISIG)) {
		int sig = is_cc(tty, c, VINTR) ? SIGINT : is_cc(tty, c, VQUIT) ? SIGQUIT :
			  is_cc(tty, c, VSUSP) ? SIGTSTP : 0;
		if (sig) {
			if (!L_FLAG(tty, NOFLSH))
				n_tty_flush_input(tty);
			if (L_FLAG(tty, ECHO))
				echo_char(tty, c);
			return sig;
		}
	}
	if (c == '\r') {
		if (I_FLAG(tty, IGNCR))
			return 0;
		if (I_FLAG(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I_FLAG(tty, INLCR)) {
		c = '\r';
	}
	if (canon) {
		bool iexten = L_FLAG(tty, IEXTEN);
		if (is_cc(tty, c, VERASE) || is_cc(tty, c, VKILL) || (iexten && is_cc(tty, c, VWERASE))) {
			eraser(tty, c, is_cc(tty, c, VERASE) ? ERASE : is_cc(tty, c, VKILL) ? KILL : WERASE);
			return 0;
		}
		if (iexten && is_cc(tty, c, VLNEXT)) {
			ld->lnext = true;
			if (L_FLAG(tty, ECHO) && L_FLAG(tty, ECHOCTL))
				tty_put(tty, '^');
			return 0;
		}
		bool eof = is_cc(tty, c, VEOF);
		if (c == '\n' || eof || is_cc(tty, c, VEOL) || (iexten && is_cc(tty, c, VEOL2))) {
			if (read_cnt(ld) >= N_TTY_BUF_SIZE)
				return 0;
			if (c == '\n' && (L_FLAG(tty, ECHO) || L_FLAG(tty, ECHONL)))
				tty_put(tty, '\n');
			else if (!eof && L_FLAG(tty, ECHO))
				echo_char(tty, c);
			put_tty_queue(ld, c, true, eof);
			ld->canon_head = ld->read_head;
			*wake = true;
			return 0;
		}
	}
ordinary:
	/* Canonical mode keeps the last byte for the newline, so a full line can always end. */
	if (read_cnt(ld) >= N_TTY_BUF_SIZE - (canon ? 1 : 0)) {
		if (I_FLAG(tty, IMAXBEL) && L_FLAG(tty, ECHO))
			tty_put(tty, '\a');
		return 0;	/* dropped, as Linux's N_TTY does */
	}
	if (L_FLAG(tty, ECHO)) {
		if (ld->canon_head == ld->read_head)
			ld->canon_column = ld->column;
		if (c == '\n')
			tty_put(tty, '\n');
		else
			echo_char(tty, c);
	}
	put_tty_queue(ld, c, false, false);
	if (!canon)
		*wake = true;
	return 0;
}

void n_tty_receive_char(struct tty_struct *tty, char ch)
{
	unsigned long flags;
	bool wake = false;
	int sig;
	pid_t pgrp;

	spin_lock_irqsave(&tty->lock, flags);
	sig = n_tty_receive(tty, (unsigned char)ch, &wake);
	pgrp = tty->pgrp;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (sig && pgrp > 0)
		kill_pgrp(pgrp, sig, 1);
	if (wake)
		wake_up_interruptible_all(&tty->read_wait);
}

/* ---- Reading ---- */

/* Would a read find something? (Linux: input_available_p(tty, 1)) */
bool n_tty_readable(struct tty_struct *tty)
{
	struct n_tty_data *ld = &tty->ldata;
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&tty->lock, flags);
	ret = L_FLAG(tty, ICANON) ? ld->canon_head != ld->read_tail : read_cnt(ld) > 0;
	spin_unlock_irqrestore(&tty->lock, flags);
	return ret;
}

/*
 * Copy up to n bytes of the first complete line (Linux:
 * canon_copy_from_read_buf()). A VEOF ends the line without being copied;
 * *done says the line is used up, so the read returns.
 */
static size_t canon_copy(struct n_tty_data *ld, char *kbuf, size_t n, bool *done)
{
	size_t i = 0;

	while (ld->read_tail != ld->canon_head) {
		unsigned int t = ld->read_tail;
		if (test_flag(ld->eof_flags, t)) {
			ld->read_tail++;
			*done = true;
			break;
		}
		if (i == n)
			break;
		kbuf[i++] = ld->read_buf[MASK(t)];
		ld->read_tail++;
		if (test_flag(ld->read_flags, t)) {
			*done = true;
			break;
		}
	}
	return i;
}

static size_t raw_copy(struct n_tty_data *ld, char *kbuf, size_t n)
{
	n = min(n, (size_t)read_cnt(ld));
	for (size_t i = 0; i < n; i++)
		kbuf[i] = ld->read_buf[MASK(ld->read_tail + i)];
	ld->read_tail += n;
	return n;
}

/*
 * read() (Linux: n_tty_read()). Canonical: block until a line is complete,
 * return at most that line. Otherwise VMIN/VTIME as POSIX says:
 *   MIN>0 TIME=0  block until MIN bytes (or count) arrived;
 *   MIN>0 TIME>0  the same, but once a byte came, give up TIME/10 s after the last one;
 *   MIN=0 TIME>0  wait at most TIME/10 s for the first byte (0 on time-out);
 *   MIN=0 TIME=0  never wait.
 */
ssize_t n_tty_read(struct tty_struct *tty, struct file *file, char __user *buf, size_t count)
{
	long timeout = MAX_SCHEDULE_TIMEOUT;
	size_t copied = 0;
	ssize_t ret = 0;

	if (!count)
		return 0;
	if (mutex_lock_interruptible(&tty->read_mutex))
		return -ERESTARTSYS;
	for (;;) {
		char kbuf[256];
		bool line_done = false;
		unsigned long flags;
		size_t want = min(count - copied, sizeof(kbuf)), n;

		spin_lock_irqsave(&tty->lock, flags);
		bool canon = L_FLAG(tty, ICANON);
		unsigned int vmin = tty->termios.c_cc[VMIN], vtime = tty->termios.c_cc[VTIME];
		n = canon ? canon_copy(&tty->ldata, kbuf, want, &line_done) : raw_copy(&tty->ldata, kbuf, want);
		spin_unlock_irqrestore(&tty->lock, flags);

		if (n && copy_to_user(buf + copied, kbuf, n)) {
			ret = -EFAULT;
			break;
		}
		copied += n;
		if (copied == count || line_done)
			break;
		if (n == want)
			continue;		/* the kernel buffer filled: there may be more */
		if (canon) {
			if (copied)
				break;		/* the line went away under us (^C flushed it) */
		} else if (!vmin) {
			if (copied || !vtime)
				break;
			if (timeout == MAX_SCHEDULE_TIMEOUT)
				timeout = vtime * HZ / 10;
		} else {
			if (copied >= vmin)
				break;
			if (vtime && n)
				timeout = vtime * HZ / 10;	/* the inter-byte timer restarts */
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		if (timeout == MAX_SCHEDULE_TIMEOUT) {
			if (wait_event_interruptible(tty->read_wait, n_tty_readable(tty))) {
				ret = -ERESTARTSYS;
				break;
			}
		} else {
			long left = wait_event_interruptible_timeout(tty->read_wait, n_tty_readable(tty), timeout);
			if (left < 0) {
				ret = -ERESTARTSYS;
				break;
			}
			if (!left)
				break;		/* VTIME ran out */
			timeout = left;
		}
	}
	mutex_unlock(&tty->read_mutex);
	return copied ? (ssize_t)copied : ret;
}

/* ---- termios ---- */

/*
 * TCSETS and friends (Linux: n_tty_set_termios()). Leaving canonical mode
 * makes everything pending readable; entering it turns what is pending into
 * one line, as Linux does, so no input is stranded. Readers re-check.
 */
void n_tty_set_termios(struct tty_struct *tty, const struct termios *t, bool flush)
{
	struct n_tty_data *ld = &tty->ldata;
	unsigned long flags;

	spin_lock_irqsave(&tty->lock, flags);
	bool was_canon = L_FLAG(tty, ICANON);
	memcpy(&tty->termios, t, sizeof(*t));	/* the speeds stay: Folio ignores them */
	if (flush)
		n_tty_flush_input(tty);
	if (was_canon && !L_FLAG(tty, ICANON)) {
		ld->canon_head = ld->read_tail;	/* everything pending is readable now */
	} else if (!was_canon && L_FLAG(tty, ICANON)) {
		if (read_cnt(ld))
			assign_flag(ld->read_flags, ld->read_head - 1, true);
		ld->canon_head = ld->read_head;
	}
	ld->lnext = false;
	spin_unlock_irqrestore(&tty->lock, flags);
	wake_up_interruptible_all(&tty->read_wait);
}

/* Bytes a read could get now (FIONREAD); a VEOF marker is not one. tty->lock held. */
int n_tty_inq(struct tty_struct *tty)
{
	struct n_tty_data *ld = &tty->ldata;
	int n = 0;

	if (!L_FLAG(tty, ICANON))
		return read_cnt(ld);
	for (unsigned int i = ld->read_tail; i != ld->canon_head; i++)
		n += !test_flag(ld->eof_flags, i);
	return n;
}
