/*
 * The C side of user-memory access (see include/kernel/uaccess.h and
 * arch/x86_64/copy_user.asm). Ranges are checked against TASK_SIZE_MAX before
 * any access, so a kernel address can never be reached through a user
 * pointer, except inside uaccess_kernel_begin()/end(): kernel_read() and
 * kernel_write() use that to pass kernel buffers through the same file
 * operations (Linux used set_fs(KERNEL_DS) for this until 5.10).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <mm/kasan.h>
#include <uapi/errno.h>
#include <arch/uaccess.h>


static bool range_ok(const void *p, unsigned long n)
{
	if (current->uaccess_kernel)
		return (unsigned long)p + n >= (unsigned long)p;	/* no wrap-around */
	return access_ok(p, n);
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = n;

	kasan_check_write(to, n);	/* SANITIZE=1: copy_user.asm is not instrumented */
	if (range_ok(from, n))
		left = __copy_user(to, from, n);
	if (left)	/* what could not be read reads as zero, as in Linux */
		memset((char *)to + (n - left), 0, left);
	return left;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (!range_ok(to, n))
		return n;
	kasan_check_read(from, n);
	return __copy_user(to, from, n);
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	if (!range_ok(to, n))
		return n;
	return __clear_user(to, n);
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	if (count <= 0)
		return 0;
	kasan_check_write(dst, count);
	/* The string may end anywhere: check only that it starts in user space, and stop at its end. */
	unsigned long max = (unsigned long)count;
	if (!current->uaccess_kernel) {
		if ((unsigned long)src >= TASK_SIZE_MAX)
			return -EFAULT;
		max = min(max, TASK_SIZE_MAX - (unsigned long)src);
	}
	long r = __strncpy_from_user(dst, src, (long)max);
	if (r >= 0 && (unsigned long)r == max && max < (unsigned long)count)
		return -EFAULT;		/* ran into the end of user space */
	return r;
}

long strnlen_user(const char __user *s, long n)
{
	char buf[64];
	long len = 0;

	while (len < n) {
		long chunk = min(n - len, (long)sizeof(buf));
		long r = strncpy_from_user(buf, s + len, chunk);
		if (r < 0)
			return 0;
		if (r < chunk)
			return len + r + 1;
		len += chunk;
	}
	return n + 1;
}

void uaccess_kernel_begin(void)
{
	current->uaccess_kernel++;
}

void uaccess_kernel_end(void)
{
	current->uaccess_kernel--;
}
