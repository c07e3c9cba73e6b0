/*
 * The console terminal, kernel side (Linux: include/linux/tty.h, the N_TTY
 * line discipline's struct n_tty_data). Folio has one terminal: the COM1
 * UART, reachable as /dev/console (5,1) and, for its session, /dev/tty (5,0).
 * fs/tty.c is the device (file operations, ioctls, job control) and states
 * the locking rules; fs/n_tty.c is the line discipline. tty_init(),
 * tty_receive_char() and tty_console_write() are declared in fs/fs.h.
 */
#ifndef _FS_TTY_H
#define _FS_TTY_H

#include <kernel/types.h>
#include <kernel/spinlock.h>
#include <kernel/mutex.h>
#include <kernel/wait.h>
#include <fs/fs.h>
#include <uapi/termios.h>

#define N_TTY_BUF_SIZE 4096	/* a power of two: ring indices are masked */

/* The line discipline's input state (Linux: struct n_tty_data). All under tty->lock. */
struct n_tty_data {
	/* Free-running indices into read_buf: tail <= canon_head <= head in canonical mode. */
	unsigned int read_head;		/* where the next received byte goes */
	unsigned int read_tail;		/* the next byte a reader gets */
	unsigned int canon_head;	/* end of the last complete line (canonical mode) */
	unsigned int column;		/* output column, for erasing tabs */
	unsigned int canon_column;	/* the column the line being edited started at */
	bool lnext;			/* the last byte was VLNEXT: take the next one literally */
	char read_buf[N_TTY_BUF_SIZE];
	/* Per position: the byte ends a line ('\n', VEOL, VEOL2, VEOF); it is a VEOF (not handed to readers). */
	unsigned long read_flags[N_TTY_BUF_SIZE / (8 * sizeof(long))];
	unsigned long eof_flags[N_TTY_BUF_SIZE / (8 * sizeof(long))];
};

struct tty_struct {
	spinlock_t lock;		/* irqsave: everything below except the mutexes and the wait queue */
	struct mutex read_mutex;	/* one reader at a time (Linux: atomic_read_lock) */
	struct mutex write_mutex;	/* whole write() calls, so two writers never interleave */
	struct wait_queue_head read_wait;	/* readers and pollers */
	struct termios2 termios;
	struct winsize winsize;
	pid_t pgrp;			/* foreground process group; 0: none */
	pid_t session;			/* the session it controls; 0: none */
	/*
	 * The driver's output (Linux: tty->ops->write): the UART, byte by byte.
	 * Called with tty->lock held, interrupts off, already post-processed
	 * (ONLCR done). A test may point it at a capture function and back.
	 */
	void (*write)(struct tty_struct *tty, const char *buf, size_t n);
	struct n_tty_data ldata;
};

/* The device (fs/tty.c). */
extern const struct file_operations tty_fops;
struct tty_struct *tty_console(void);	/* the console's tty_struct (tests, job control) */
int tty_devnum(struct tty_struct *tty);	/* its device number, as stat's tty_nr encodes it */

/* The line discipline (fs/n_tty.c), used by fs/tty.c. */
void n_tty_receive_char(struct tty_struct *tty, char c);	/* one received byte; tty_receive_char() feeds the console */
ssize_t n_tty_read(struct tty_struct *tty, struct file *file, char __user *buf, size_t count);
void n_tty_write(struct tty_struct *tty, const char *buf, size_t n);	/* kernel bytes, through OPOST */
bool n_tty_readable(struct tty_struct *tty);	/* a read would not block (poll) */
void n_tty_set_termios(struct tty_struct *tty, const struct termios *t, bool flush_input);
void n_tty_flush_input(struct tty_struct *tty);	/* tty->lock held */
int n_tty_inq(struct tty_struct *tty);		/* bytes readable now (FIONREAD); tty->lock held */
/*
 * The calling process's session leader gives up its controlling terminal
 * (Linux: disassociate_ctty()): the terminal forgets the session and every
 * process of the session forgets the terminal. on_exit: called from
 * do_exit() of a session leader, which also sends SIGHUP and SIGCONT to the
 * foreground group as Linux does.
 */
void disassociate_ctty(int on_exit);

#endif
