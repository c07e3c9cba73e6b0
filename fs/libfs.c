/*
 * Helpers for simple file systems (Linux: fs/libfs.c): reading a small
 * kernel buffer through a file position. No locks: the caller's buffer.
 */
#include <kernel/kernel.h>
#include <kernel/uaccess.h>
#include <fs/fs.h>
#include <uapi/errno.h>

/* Copy from[*ppos..available) to to, at most count bytes; moves *ppos. */
ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos, const void *from, size_t available)
{
	loff_t pos = *ppos;

	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !count)
		return 0;
	size_t n = min(count, available - (size_t)pos);
	size_t left = copy_to_user(to, (const char *)from + pos, n);
	if (left == n)
		return -EFAULT;
	n -= left;
	*ppos = pos + n;
	return n;
}
