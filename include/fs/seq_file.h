/*
 * seq_file: files whose contents are generated, record by record, when they
 * are read (Linux: include/linux/seq_file.h). /proc uses it everywhere.
 *
 * A file is a sequence of records, walked with seq_operations: start() finds
 * the record at position *pos (or returns NULL at the end), next() moves on,
 * show() prints one record into the seq_file's buffer, stop() ends a walk
 * (and drops whatever start() took, such as a lock). seq_read() prints whole
 * records into a buffer that grows until the largest record fits, so nothing
 * is ever truncated, and copies to user space only after stop(): no lock
 * that start() takes is held while user memory is touched.
 * single_open() is the shortcut for a file that is one record.
 *
 * Locking: m->lock serialises readers of one open file (its buffer and
 * positions); the records themselves are the show() function's business.
 */
#ifndef _FS_SEQ_FILE_H
#define _FS_SEQ_FILE_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/mutex.h>
#include <fs/fs.h>

struct seq_file;

struct seq_operations {
	void *(*start)(struct seq_file *m, loff_t *pos);
	void (*stop)(struct seq_file *m, void *v);
	void *(*next)(struct seq_file *m, void *v, loff_t *pos);
	int (*show)(struct seq_file *m, void *v);
};

struct seq_file {
	char *buf;		/* kvmalloc'd, size bytes */
	size_t size;
	size_t from;		/* the first byte of buf not yet copied to the reader */
	size_t count;		/* bytes in buf from there */
	loff_t index;		/* the record after those in buf */
	loff_t read_pos;	/* the file position the reader has reached */
	size_t pad_until;	/* seq_setwidth()'s column, for seq_pad() */
	struct mutex lock;
	const struct seq_operations *op;
	struct file *file;
	void *private;		/* the opener's (single_open's data, a task, ...) */
};

/* show() returns this to leave its record out of the file (Linux's SEQ_SKIP). */
#define SEQ_SKIP 1

int seq_open(struct file *file, const struct seq_operations *op);
/* seq_open() with a zeroed private area of psize bytes in m->private. */
void *__seq_open_private(struct file *file, const struct seq_operations *op, int psize);
ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos);
loff_t seq_lseek(struct file *file, loff_t offset, int whence);
int seq_release(struct inode *inode, struct file *file);
int seq_release_private(struct inode *inode, struct file *file);	/* frees m->private too */

int single_open(struct file *file, int (*show)(struct seq_file *, void *), void *data);
/* single_open() with the buffer made size bytes at once (for big files). */
int single_open_size(struct file *file, int (*show)(struct seq_file *, void *), void *data, size_t size);
int single_release(struct inode *inode, struct file *file);

__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_vprintf(struct seq_file *m, const char *fmt, va_list args);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const void *data, size_t len);
/* What a printbuf generator wrote (the mount table...), then the printbuf freed: 0 or -ENOMEM. */
struct printbuf;
int seq_put_printbuf(struct seq_file *m, struct printbuf *out);
/* delim then val in decimal, right-aligned in width columns (0: no padding). */
void seq_put_decimal_ull_width(struct seq_file *m, const char *delim, unsigned long long val, unsigned int width);
void seq_put_decimal_ull(struct seq_file *m, const char *delim, unsigned long long val);
void seq_put_decimal_ll(struct seq_file *m, const char *delim, long long val);
/* s, with the characters in esc written as \ooo octal escapes (paths in /proc/mounts). */
void seq_escape(struct seq_file *m, const char *s, const char *esc);
/*
 * Columns: seq_setwidth(m, w) marks the column w bytes from here; seq_pad(m, c)
 * writes spaces up to it, then c unless c is 0 (the padding before a path in
 * /proc/PID/maps).
 */
void seq_setwidth(struct seq_file *m, size_t w);
void seq_pad(struct seq_file *m, char c);

/* The record overflowed the buffer (seq_read() then retries with a bigger one). */
static inline bool seq_has_overflowed(struct seq_file *m) { return m->count == m->size; }
/* Bytes of the current record so far: a show() can measure what it printed. */
static inline size_t seq_get_buf_len(struct seq_file *m) { return m->count; }

/* For seq_operations over a list: the element at *pos, and the next one. */
struct list_head *seq_list_start(struct list_head *head, loff_t pos);
struct list_head *seq_list_next(void *v, struct list_head *head, loff_t *ppos);

#endif
