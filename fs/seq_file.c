/*
 * seq_file (Linux: fs/seq_file.c): reading a file that is printed record by
 * record (see include/fs/seq_file.h for the interface).
 *
 * The buffer holds whole records only. seq_fill() prints from record
 * m->index on; a record that does not fit an empty buffer doubles the
 * buffer and is printed again, so a record of any size comes out whole.
 * What the reader has not taken yet stays in the buffer (from, count) for
 * the next read(). A read at another position (pread, or after lseek)
 * walks the records again from the first up to it (traverse()), as
 * Linux does: record positions are not byte positions.
 *
 * Locking: m->lock, held across a whole read or seek of one open file. The
 * ->start()/->stop() pair brackets every walk, and user memory is touched
 * only after ->stop(): whatever lock ->start() takes (a task's mmap_lock for
 * /proc/PID/maps) is never held across a page fault.
 */
#include <kernel/kernel.h>
#include <kernel/uaccess.h>
#include <lib/printbuf.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <arch/page.h>
#include <fs/seq_file.h>
#include <fs/uapi.h>

int seq_open(struct file *file, const struct seq_operations *op)
{
	struct seq_file *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	mutex_init(&m->lock);
	m->op = op;
	m->file = file;
	file->private_data = m;
	return 0;
}

void *__seq_open_private(struct file *file, const struct seq_operations *op, int psize)
{
	void *private = kzalloc(psize, GFP_KERNEL);

	if (!private)
		return NULL;
	if (seq_open(file, op)) {
		kfree(private);
		return NULL;
	}
	((struct seq_file *)file->private_data)->private = private;
	return private;
}

static int seq_alloc_buf(struct seq_file *m, size_t size)
{
	kvfree(m->buf);
	m->buf = kvmalloc(size, GFP_KERNEL);
	m->size = m->buf ? size : 0;
	m->from = m->count = 0;
	return m->buf ? 0 : -ENOMEM;
}

/*
 * Print records from m->index into the (drained) buffer: at least one
 * whole record, growing the buffer until it fits, then more while fewer
 * than want bytes are there and the next one fits. m->index ends on the
 * first record not in the buffer. 0 (an empty buffer at the end of the
 * file), or -errno.
 */
static int seq_fill(struct seq_file *m, size_t want)
{
	loff_t pos = m->index;
	void *p;
	int err = 0;

	m->from = m->count = 0;
	m->pad_until = 0;
	if (!m->buf && seq_alloc_buf(m, PAGE_SIZE))
		return -ENOMEM;
	p = m->op->start(m, &pos);
	while (p && !IS_ERR(p)) {
		size_t before = m->count;
		err = m->op->show(m, p);
		if (err < 0)
			break;
		if (err == SEQ_SKIP)
			m->count = before;
		err = 0;
		if (seq_has_overflowed(m)) {
			m->count = before;
			if (before)
				break;		/* the buffer is full of whole records */
			m->op->stop(m, p);	/* this one alone does not fit: twice the room */
			if ((err = seq_alloc_buf(m, m->size * 2)))
				return err;
			pos = m->index;
			p = m->op->start(m, &pos);
			continue;
		}
		p = m->op->next(m, p, &pos);
		m->index = pos;
		if (m->count >= want)
			break;
	}
	m->op->stop(m, p);
	if (IS_ERR(p) && !m->count)
		return PTR_ERR(p);
	return m->count ? 0 : err;
}

/* Walk to byte offset from the start, dropping what lies before it. */
static int traverse(struct seq_file *m, loff_t offset)
{
	m->index = 0;
	m->read_pos = 0;
	m->from = m->count = 0;
	while (m->read_pos < offset) {
		int err = seq_fill(m, offset - m->read_pos);
		if (err)
			return err;
		if (!m->count)
			break;		/* past the end: reads there find nothing */
		size_t n = min(m->count, (size_t)(offset - m->read_pos));
		m->from += n;
		m->count -= n;
		m->read_pos += n;
	}
	m->read_pos = offset;
	return 0;
}

ssize_t seq_read(struct file *file, char __user *ubuf, size_t size, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	size_t copied = 0;
	int err = 0;

	mutex_lock(&m->lock);
	if (*ppos != m->read_pos && (err = traverse(m, *ppos))) {
		m->index = m->read_pos = 0;	/* start afresh next time */
		m->count = 0;
		goto out;
	}
	while (copied < size) {
		if (!m->count && ((err = seq_fill(m, size - copied)) || !m->count))
			break;
		size_t n = min(m->count, size - copied);
		size_t left = copy_to_user(ubuf + copied, m->buf + m->from, n);
		n -= left;
		m->from += n;
		m->count -= n;
		copied += n;
		if (left) {
			err = -EFAULT;
			break;
		}
	}
	m->read_pos += copied;
	*ppos = m->read_pos;
out:
	mutex_unlock(&m->lock);
	return copied ? (ssize_t)copied : err;
}

loff_t seq_lseek(struct file *file, loff_t offset, int whence)
{
	struct seq_file *m = file->private_data;
	loff_t ret = -EINVAL;

	mutex_lock(&m->lock);
	if (whence == SEEK_CUR)
		offset += file->f_pos;
	if ((whence == SEEK_SET || whence == SEEK_CUR) && offset >= 0) {
		ret = offset;
		if (offset != m->read_pos && (ret = traverse(m, offset))) {
			m->index = m->read_pos = 0;
			m->count = 0;
		} else {
			ret = file->f_pos = offset;
		}
	}
	mutex_unlock(&m->lock);
	return ret;
}

int seq_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kvfree(m->buf);
	kfree(m);
	return 0;
}

int seq_release_private(struct inode *inode, struct file *file)
{
	kfree(((struct seq_file *)file->private_data)->private);
	return seq_release(inode, file);
}

/* ---- one record: single_open() ---- */

static void *single_start(struct seq_file *m, loff_t *pos)
{
	return *pos ? NULL : (void *)1;
}

static void *single_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return NULL;
}

static void single_stop(struct seq_file *m, void *v)
{
}

int single_open(struct file *file, int (*show)(struct seq_file *, void *), void *data)
{
	struct seq_operations *op = kzalloc(sizeof(*op), GFP_KERNEL);
	int err;

	if (!op)
		return -ENOMEM;
	op->start = single_start;
	op->next = single_next;
	op->stop = single_stop;
	op->show = show;
	err = seq_open(file, op);
	if (err) {
		kfree(op);
		return err;
	}
	((struct seq_file *)file->private_data)->private = data;
	return 0;
}

int single_open_size(struct file *file, int (*show)(struct seq_file *, void *), void *data, size_t size)
{
	int err = single_open(file, show, data);

	if (!err && seq_alloc_buf(file->private_data, size)) {
		single_release(file->f_inode, file);
		err = -ENOMEM;
	}
	return err;
}

int single_release(struct inode *inode, struct file *file)
{
	const struct seq_operations *op = ((struct seq_file *)file->private_data)->op;

	seq_release(inode, file);
	kfree(op);
	return 0;
}

/* ---- printing into the buffer: on overflow, count == size marks the record for a retry ---- */

static void seq_set_overflow(struct seq_file *m)
{
	m->count = m->size;
}

void seq_vprintf(struct seq_file *m, const char *fmt, va_list args)
{
	if (m->count < m->size) {
		int len = vsnprintf(m->buf + m->count, m->size - m->count, fmt, args);
		if ((size_t)len < m->size - m->count) {
			m->count += len;
			return;
		}
	}
	seq_set_overflow(m);
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	seq_vprintf(m, fmt, args);
	va_end(args);
}

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->count + len < m->size) {
		memcpy(m->buf + m->count, data, len);
		m->count += len;
	} else {
		seq_set_overflow(m);
	}
}

int seq_put_printbuf(struct seq_file *m, struct printbuf *out)
{
	int err = printbuf_error(out);

	if (!err && out->pos)
		seq_write(m, out->buf, out->pos);
	printbuf_exit(out);
	return err;
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

void seq_put_decimal_ull_width(struct seq_file *m, const char *delim, unsigned long long val, unsigned int width)
{
	char digits[24];
	int n = 0;

	seq_puts(m, delim);
	do {
		digits[n++] = '0' + val % 10;
		val /= 10;
	} while (val);
	while (width > (unsigned int)n) {
		seq_putc(m, ' ');
		width--;
	}
	while (n)
		seq_putc(m, digits[--n]);
}

void seq_put_decimal_ull(struct seq_file *m, const char *delim, unsigned long long val)
{
	seq_put_decimal_ull_width(m, delim, val, 0);
}

void seq_put_decimal_ll(struct seq_file *m, const char *delim, long long val)
{
	seq_puts(m, delim);
	if (val < 0) {
		seq_putc(m, '-');
		seq_put_decimal_ull(m, "", -(unsigned long long)val);
	} else {
		seq_put_decimal_ull(m, "", val);
	}
}

void seq_escape(struct seq_file *m, const char *s, const char *esc)
{
	for (; *s; s++) {
		if (strchr(esc, *s))
			seq_printf(m, "\\%03o", (unsigned char)*s);
		else
			seq_putc(m, *s);
	}
}

void seq_setwidth(struct seq_file *m, size_t w)
{
	m->pad_until = m->count + w;
}

void seq_pad(struct seq_file *m, char c)
{
	while (m->count < m->pad_until && !seq_has_overflowed(m))
		seq_putc(m, ' ');
	if (c)
		seq_putc(m, c);
}

/* ---- records on a list ---- */

struct list_head *seq_list_start(struct list_head *head, loff_t pos)
{
	struct list_head *lh;

	for (lh = head->next; lh != head; lh = lh->next)
		if (pos-- == 0)
			return lh;
	return NULL;
}

struct list_head *seq_list_next(void *v, struct list_head *head, loff_t *ppos)
{
	struct list_head *lh = ((struct list_head *)v)->next;

	++*ppos;
	return lh == head ? NULL : lh;
}
